from django.db import models


class Club(models.Model):
    name = models.CharField(max_length=80)


class Player(models.Model):
    club = models.ForeignKey(Club, on_delete=models.PROTECT, related_name="players")
    shirt = models.PositiveSmallIntegerField()
    surname = models.CharField(max_length=80)

    def __str__(self):
        return f"#{self.shirt} {self.surname} ({self.club.name})"

    def __repr__(self):
        return f"<Player {self.pk} club={self.club.name}>"  # expect-none


def squad_choices():
    labels = [str(player) for player in Player.objects.order_by("surname")]  # expect: L2
    return sorted(labels)


def squad_choices_joined():
    qs = Player.objects.select_related("club").order_by("surname")
    return sorted(str(player) for player in qs)  # expect-none


def shirt_numbers(club_id: int) -> set[int]:
    return {p.shirt for p in Player.objects.filter(club_id=club_id)}  # expect-none
