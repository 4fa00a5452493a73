"""Team roster API and the nightly import command."""
import csv

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Membership, Team

User = get_user_model()


class MembershipSerializer(serializers.ModelSerializer):
    coach_name = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "player", "team", "coach_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._coaches = list(User.objects.filter(is_staff=True))
        self._coach_by_id = {c.pk: c for c in self._coaches}

    def get_coach_name(self, obj):
        coach = next((c for c in self._coaches if c.pk == obj.coach_id), None)  # expect: L1
        return coach.get_full_name() if coach else ""

    def get_coach_email(self, obj):
        coach = self._coach_by_id.get(obj.coach_id)  # expect-none
        return coach.email if coach else ""


class TeamViewSet(viewsets.ModelViewSet):
    queryset = Team.objects.all()

    @action(detail=True, methods=["post"])
    def sync_players(self, request, pk=None):
        team = self.get_object()
        current = list(team.memberships.values_list("player_id", flat=True))
        added = []
        for pid in request.data.get("player_ids", []):
            if pid not in current:  # expect: L1
                Membership.objects.create(team=team, player_id=pid)
                added.append(pid)
        return Response({"added": added})

    @action(detail=True, methods=["post"])
    def drop_players(self, request, pk=None):
        team = self.get_object()
        keep = set(team.memberships.filter(locked=True).values_list("player_id", flat=True))
        gone = [p for p in request.data.get("player_ids", []) if p not in keep]  # expect-none
        team.memberships.filter(player_id__in=gone).delete()
        return Response({"removed": gone})


class Command(BaseCommand):
    help = "Import league registrations from a CSV export"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true")  # expect-none

    def handle(self, *args, **options):
        emails = list(User.objects.values_list("email", flat=True))
        seen = []
        skipped = ""
        with open(options["path"], newline="") as fh:
            for row in csv.DictReader(fh):
                email = row["email"].strip().lower()
                if email in seen:  # expect: L1
                    continue
                seen.append(email)
                if email not in emails:  # expect: L1
                    skipped += email + "\n"
                    continue
                self.register(email, row)
        self.stdout.write(skipped)

    def register(self, email, row):
        user = User.objects.get(email=email)
        Membership.objects.get_or_create(player=user, team_id=int(row["team"]))
