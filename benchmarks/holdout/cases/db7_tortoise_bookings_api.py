"""Booking API for the climbing gym (Litestar + Tortoise ORM).

Sessions hold ~30 climbers; the "week" endpoint lists ~150 sessions and is the
busiest page of the app.
"""
from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Annotated

from litestar import Litestar, get, post
from litestar.params import Parameter
from tortoise import fields
from tortoise.models import Model
from tortoise.transactions import in_transaction

log = logging.getLogger("gym.api")

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Coach(Model):
    id = fields.IntField(pk=True)
    name = fields.CharField(max_length=80)


class Session(Model):
    id = fields.IntField(pk=True)
    day = fields.DateField()
    coach = fields.ForeignKeyField("models.Coach", related_name="sessions")
    capacity = fields.IntField(default=30)


class Booking(Model):
    id = fields.IntField(pk=True)
    session = fields.ForeignKeyField("models.Session", related_name="bookings")
    member_id = fields.IntField()
    checked_in = fields.BooleanField(default=False)


async def _coach_name(session: Session) -> str:
    coach = await Coach.get(id=session.coach_id)
    return coach.name


async def _serialize(s: Session) -> dict:
    return {"id": s.id, "day": s.day.isoformat(), "coach": await _coach_name(s)}


@get("/week")
async def week(start: Annotated[date, Parameter(query="from")]) -> list[dict]:
    sessions = await Session.filter(day__gte=start, day__lt=start + timedelta(days=7)).order_by("day")
    return [await _serialize(s) for s in sessions]  # expect: L2


@get("/week-fast")
async def week_fast(start: date) -> list[dict]:
    sessions = await Session.filter(day__gte=start, day__lt=start + timedelta(days=7)).prefetch_related("coach")  # expect-none
    return [{"id": s.id, "day": s.day.isoformat(), "coach": s.coach.name} for s in sessions]  # expect-none


@get("/sessions/{session_id:int}/free")
async def free_places(session_id: int) -> dict:
    s = await Session.get(id=session_id)  # expect-none
    taken = await Booking.filter(session_id=session_id).count()  # expect-none
    return {"free": s.capacity - taken}


@get("/occupancy")
async def occupancy(start: date) -> dict[int, int]:
    out = {}
    async for s in Session.filter(day__gte=start):
        out[s.id] = await s.bookings.all().count()  # expect: L2
    return out


@post("/sessions/{session_id:int}/check-in")
async def check_in(session_id: int, data: list[int]) -> int:
    done = 0
    for member_id in data:
        if (b := await Booking.get_or_none(session_id=session_id, member_id=member_id)) is not None:  # expect: L2
            b.checked_in = True
            await b.save()  # expect: L2
            done += 1
    return done


@post("/sessions/{session_id:int}/check-in-fast")
async def check_in_fast(session_id: int, data: list[int]) -> int:
    return await Booking.filter(session_id=session_id, member_id__in=data).update(checked_in=True)  # expect-none


@post("/sessions/{session_id:int}/book")
async def book(session_id: int, data: list[int]) -> int:
    async with in_transaction():
        for member_id in data:
            await Booking.create(session_id=session_id, member_id=member_id)  # expect: L2
    return len(data)


@post("/sessions/{session_id:int}/book-bulk")
async def book_bulk(session_id: int, data: list[int]) -> int:
    await Booking.bulk_create([Booking(session_id=session_id, member_id=m) for m in data])  # expect-none
    return len(data)


@get("/weekday-load")
async def weekday_load() -> dict[str, int]:
    return {d: await Session.filter(weekday=d).count() for d in WEEKDAYS}  # expect-none


app = Litestar([week, week_fast, free_places, occupancy, check_in, check_in_fast, book, book_bulk, weekday_load])
