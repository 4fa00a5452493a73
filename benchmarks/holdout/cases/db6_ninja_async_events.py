"""Django Ninja API for event check-in, on Django's async ORM (aget, acount, async for)."""
from __future__ import annotations

import logging
from datetime import datetime

from asgiref.sync import sync_to_async
from django.db.models import Count, Prefetch
from django.shortcuts import aget_object_or_404
from ninja import NinjaAPI, Schema

from events.models import Attendee, Badge, CheckIn, Event, Session

log = logging.getLogger(__name__)
api = NinjaAPI(urls_namespace="checkin")


class CheckInIn(Schema):
    attendee_ids: list[int]
    gate: str


class SessionOut(Schema):
    id: int
    title: str
    room: str
    seats_taken: int


@api.get("/events/{event_id}/sessions", response=list[SessionOut])
async def list_sessions(request, event_id: int):
    event = await aget_object_or_404(Event, pk=event_id)  # expect-none
    out = []
    async for session in Session.objects.filter(event=event).select_related("room"):
        out.append(
            SessionOut(
                id=session.id,
                title=session.title,
                room=session.room.name,  # expect-none
                seats_taken=await CheckIn.objects.filter(session=session).acount(),  # expect: L2
            )
        )
    return out


@api.get("/events/{event_id}/sessions/fast", response=list[SessionOut])
async def list_sessions_annotated(request, event_id: int):
    qs = Session.objects.filter(event_id=event_id).select_related("room").annotate(taken=Count("checkins"))
    return [
        SessionOut(id=s.id, title=s.title, room=s.room.name, seats_taken=s.taken)  # expect-none
        async for s in qs
    ]


@api.post("/events/{event_id}/checkin")
async def check_in(request, event_id: int, payload: CheckInIn):
    event = await Event.objects.aget(pk=event_id)  # expect-none
    done = []
    for attendee_id in payload.attendee_ids:
        attendee = await Attendee.objects.aget(pk=attendee_id, event=event)  # expect: L2
        await CheckIn.objects.acreate(attendee=attendee, gate=payload.gate, at=datetime.utcnow())  # expect: L2
        done.append(attendee.id)
    log.info("checked in %d at %s", len(done), payload.gate)
    return {"checked_in": done}


@api.post("/events/{event_id}/checkin/bulk")
async def check_in_bulk(request, event_id: int, payload: CheckInIn):
    attendees = [a async for a in Attendee.objects.filter(event_id=event_id, pk__in=payload.attendee_ids)]  # expect-none
    now = datetime.utcnow()
    await CheckIn.objects.abulk_create(  # expect-none
        [CheckIn(attendee=a, gate=payload.gate, at=now) for a in attendees]
    )
    return {"checked_in": [a.id for a in attendees]}


@api.post("/events/{event_id}/badges/print")
async def print_badges(request, event_id: int):
    printed = 0
    async for attendee in Attendee.objects.filter(event_id=event_id, badge_printed=False):
        badge = await Badge.objects.filter(attendee=attendee).afirst()  # expect: L2
        if badge is None:
            continue
        attendee.badge_printed = True
        await attendee.asave(update_fields=["badge_printed"])  # expect: L2
        printed += 1
    return {"printed": printed}


@api.get("/events/{event_id}/speakers")
async def speakers(request, event_id: int):
    sessions = Session.objects.filter(event_id=event_id).prefetch_related(
        Prefetch("speakers", to_attr="speaker_list")
    )
    names = set()
    async for session in sessions:
        for speaker in session.speaker_list:  # expect-none
            names.add(speaker.name)
    return sorted(names)


@sync_to_async
def _attendee_company_names(event_id: int) -> list[str]:
    return [a.company.name for a in Attendee.objects.filter(event_id=event_id)]  # expect: L2


@api.get("/events/{event_id}/companies")
async def companies(request, event_id: int):
    return sorted(set(await _attendee_company_names(event_id)))


@api.delete("/events/{event_id}/stale")
async def purge_stale(request, event_id: int):
    deleted, _ = await CheckIn.objects.filter(attendee__event_id=event_id, at__isnull=True).adelete()  # expect-none
    for gate in ("north", "south", "east"):
        await CheckIn.objects.filter(gate=gate, attendee__event_id=event_id).aupdate(gate=gate.upper())  # expect-none
    return {"deleted": deleted}
