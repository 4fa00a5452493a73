"""REST API of the film festival programme (Django 5 + DRF 3.15).

The public programme page lists every screening of the festival (~1,400 over ten
days) through ``ScreeningViewSet.list``; the jury app pages through films with
their ballots. Serializers are plain DRF, no custom pagination.
"""
from django.db import models
from django.db.models import Count, Prefetch, Q
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response


class Venue(models.Model):
    name = models.CharField(max_length=80)
    seats = models.PositiveSmallIntegerField()


class Film(models.Model):
    title = models.CharField(max_length=200)
    director = models.CharField(max_length=120)
    country = models.CharField(max_length=2)
    runtime_min = models.PositiveSmallIntegerField()
    synopsis = models.TextField()


class Screening(models.Model):
    film = models.ForeignKey(Film, related_name="screenings", on_delete=models.CASCADE)
    venue = models.ForeignKey(Venue, related_name="screenings", on_delete=models.PROTECT)
    starts_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)


class Ticket(models.Model):
    screening = models.ForeignKey(Screening, related_name="tickets", on_delete=models.CASCADE)
    holder_email = models.EmailField()
    scanned = models.BooleanField(default=False)


class Ballot(models.Model):
    film = models.ForeignKey(Film, related_name="ballots", on_delete=models.CASCADE)
    juror = models.CharField(max_length=80)
    score = models.PositiveSmallIntegerField()


def _sold_out(screening: Screening) -> bool:
    return screening.tickets.filter(scanned=False).count() >= screening.venue.seats


class VenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Venue
        fields = ["id", "name"]


class ScreeningSerializer(serializers.ModelSerializer):
    venue = VenueSerializer(read_only=True)
    film_title = serializers.SerializerMethodField()
    sold_out = serializers.SerializerMethodField()

    class Meta:
        model = Screening
        fields = ["id", "starts_at", "venue", "film_title", "sold_out"]

    def get_film_title(self, obj):
        return obj.film.title  # expect: L2

    def get_sold_out(self, obj):
        return _sold_out(obj)  # expect: L2


class ScreeningViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ScreeningSerializer

    def get_queryset(self):
        return Screening.objects.filter(cancelled=False).order_by("starts_at")


class BallotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ballot
        fields = ["juror", "score"]


class JuryFilmSerializer(serializers.ModelSerializer):
    ballots = BallotSerializer(many=True, read_only=True)
    ballot_count = serializers.IntegerField(source="n_ballots", read_only=True)
    next_screening = serializers.SerializerMethodField()

    class Meta:
        model = Film
        fields = ["id", "title", "ballots", "ballot_count", "next_screening"]

    def get_next_screening(self, obj):
        upcoming = [s for s in obj.upcoming if not s.cancelled]  # expect-none
        return upcoming[0].starts_at if upcoming else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["director"] = instance.director.upper()  # expect-none
        return data


class JuryFilmViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = JuryFilmSerializer

    def get_queryset(self):
        return (
            Film.objects.annotate(n_ballots=Count("ballots"))
            .prefetch_related(
                "ballots",
                Prefetch("screenings", queryset=Screening.objects.order_by("starts_at"), to_attr="upcoming"),
            )
        )


class FilmCardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Film
        fields = ["id", "title", "country", "runtime_min"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["venues"] = sorted({s.venue.name for s in instance.screenings.all()})  # expect: L2
        data["has_ballots"] = instance.ballots.exists()  # expect: L2
        return data


class FilmCardViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Film.objects.order_by("title")
    serializer_class = FilmCardSerializer

    @action(detail=False)
    def shortlist(self, request):
        ids = [int(i) for i in request.query_params.getlist("id")]
        cards = []
        for film_id in ids:
            film = Film.objects.get(pk=film_id)  # expect: L2
            cards.append(FilmCardSerializer(film).data)
        return Response(cards)

    @action(detail=False)
    def shortlist_batched(self, request):
        ids = [int(i) for i in request.query_params.getlist("id")]
        films = Film.objects.in_bulk(ids)  # expect-none
        return Response([{"id": f.pk, "title": f.title} for f in films.values()])  # expect-none

    @action(detail=False)
    def attendance(self, request):
        rows = Screening.objects.annotate(
            scanned=Count("tickets", filter=Q(tickets__scanned=True))
        ).select_related("film")
        return Response([{"film": r.film.title, "scanned": r.scanned} for r in rows])  # expect-none
