"""Live rehearsal board of the youth orchestra (Django 5 async ORM + Channels).

Section leaders mark attendance from tablets; each websocket message carries the
whole section (up to ~60 players). The board view refreshes every few seconds
for every connected tablet.
"""
import asyncio

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db import models
from django.db.models import Count, Q

INSTRUMENT_GROUPS = ("strings", "woodwind", "brass", "percussion")


class Player(models.Model):
    name = models.CharField(max_length=100)
    instrument = models.CharField(max_length=40)
    group = models.CharField(max_length=20)
    guardian_phone = models.CharField(max_length=30, blank=True)


class Rehearsal(models.Model):
    title = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    conductor = models.ForeignKey("Conductor", on_delete=models.PROTECT)


class Conductor(models.Model):
    name = models.CharField(max_length=100)


class Attendance(models.Model):
    rehearsal = models.ForeignKey(Rehearsal, related_name="attendance", on_delete=models.CASCADE)
    player = models.ForeignKey(Player, related_name="attendance", on_delete=models.CASCADE)
    present = models.BooleanField(default=False)
    late_minutes = models.PositiveSmallIntegerField(default=0)


async def _mark(rehearsal_id: int, entry: dict) -> None:
    row = await Attendance.objects.aget(rehearsal_id=rehearsal_id, player_id=entry["player"])
    row.present = entry["present"]
    await row.asave(update_fields=["present"])


class SectionConsumer(AsyncJsonWebsocketConsumer):
    async def receive_json(self, content, **kwargs):
        rehearsal_id = content["rehearsal"]
        for entry in content["players"]:
            await _mark(rehearsal_id, entry)  # expect: L2
        await self.send_json({"ok": True})

    async def receive_late(self, content):
        rehearsal_id = content["rehearsal"]
        for entry in content["late"]:
            player = await Player.objects.aget(pk=entry["player"])  # expect: L2
            await Attendance.objects.filter(  # expect: L2  # expect-span: 3
                rehearsal_id=rehearsal_id, player=player
            ).aupdate(late_minutes=entry["minutes"])

    async def receive_bulk(self, content):
        rehearsal_id = content["rehearsal"]
        present = [e["player"] for e in content["players"] if e["present"]]
        await Attendance.objects.filter(rehearsal_id=rehearsal_id, player_id__in=present).aupdate(present=True)  # expect-none
        await self.send_json({"ok": True})


class BoardConsumer(AsyncJsonWebsocketConsumer):
    @database_sync_to_async
    def board(self, rehearsal_id: int) -> list[dict]:
        rows = []
        for att in Attendance.objects.filter(rehearsal_id=rehearsal_id):
            rows.append({"player": att.player.name, "present": att.present})  # expect: L2
        return rows

    async def board_joined(self, rehearsal_id: int) -> list[dict]:
        qs = Attendance.objects.filter(rehearsal_id=rehearsal_id).select_related("player")
        return [{"player": a.player.name, "present": a.present} async for a in qs]  # expect-none

    async def group_totals(self, rehearsal_id: int) -> dict[str, int]:
        totals = {}
        for group in INSTRUMENT_GROUPS:
            totals[group] = await Attendance.objects.filter(  # expect-none  # expect-span: 3
                rehearsal_id=rehearsal_id, player__group=group, present=True
            ).acount()
        return totals

    async def season_summary(self, rehearsal_ids: list[int]) -> list[dict]:
        summary = []
        for rid in rehearsal_ids:
            rehearsal = await Rehearsal.objects.select_related("conductor").aget(pk=rid)  # expect: L2
            present = await rehearsal.attendance.filter(present=True).acount()  # expect: L2
            summary.append({"title": rehearsal.title, "conductor": rehearsal.conductor.name, "present": present})
        return summary

    async def season_summary_annotated(self, rehearsal_ids: list[int]) -> list[dict]:
        qs = (
            Rehearsal.objects.filter(pk__in=rehearsal_ids)
            .select_related("conductor")
            .annotate(present=Count("attendance", filter=Q(attendance__present=True)))
        )
        return [{"title": r.title, "conductor": r.conductor.name, "present": r.present} async for r in qs]  # expect-none

    async def roster_async(self, player_ids: list[int]) -> dict[int, str]:
        players = await sync_to_async(Player.objects.in_bulk)(player_ids)  # expect-none
        return {pk: p.name for pk, p in players.items()}

    async def guardians(self, rehearsal_id: int) -> list[str]:
        absent = Attendance.objects.filter(rehearsal_id=rehearsal_id, present=False)
        phones = []
        async for att in absent:
            player = await Player.objects.aget(pk=att.player_id)  # expect: L2
            if player.guardian_phone:
                phones.append(player.guardian_phone)
        return phones

    async def ping_sections(self) -> None:
        for group in INSTRUMENT_GROUPS:
            await self.channel_layer.group_send(group, {"type": "board.refresh"})  # expect-none
            await asyncio.sleep(0)
