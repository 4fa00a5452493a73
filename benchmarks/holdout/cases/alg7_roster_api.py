"""Shift roster endpoints (FastAPI).

A roster holds a few thousand shifts per site; staff lists come from the
HR sync and are cached in the application state.
"""
from __future__ import annotations

import bisect
import logging
from datetime import datetime, timedelta
from functools import lru_cache, partial
from typing import Annotated, Iterable

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

router = APIRouter(prefix="/rosters")
logger = logging.getLogger("rosters")

ROLES = ("nurse", "porter", "doctor", "cleaner")


class Shift(BaseModel):
    id: int
    staff_id: int
    role: str
    start: datetime
    end: datetime


class Staff(BaseModel):
    id: int
    name: str
    on_leave: bool = False


class RosterStore:
    def __init__(self) -> None:
        self.shifts: list[Shift] = []
        self.staff: list[Staff] = []
        self.on_call_ids: list[int] = []
        self._starts: list[datetime] = []

    def add_shift(self, shift: Shift) -> None:
        self.shifts.append(shift)
        self.shifts.sort(key=lambda s: s.start)  # expect: L1

    def add_shift_sorted(self, shift: Shift) -> None:
        i = bisect.bisect(self._starts, shift.start)  # expect-none
        self._starts.insert(i, shift.start)
        self.shifts.insert(i, shift)

    def staff_member(self, staff_id: int) -> Staff | None:
        return next(filter(lambda s: s.id == staff_id, self.staff), None)  # expect: L1

    def sync_on_call(self, rows: Iterable[dict]) -> None:
        for row in rows:
            if row.get("on_call"):
                self.on_call_ids.append(row["staff_id"])

    def is_on_call(self, staff_id: int) -> bool:
        return staff_id in self.on_call_ids  # expect: L1


_store = RosterStore()


def get_store() -> RosterStore:
    return _store


@lru_cache(maxsize=1)
def role_order() -> dict[str, int]:
    return {r: i for i, r in enumerate(ROLES)}


def _overlaps(a: Shift, b: Shift) -> bool:
    return a.start < b.end and b.start < a.end


def _label(store: RosterStore, shift: Shift) -> dict:
    member = store.staff_member(shift.staff_id)
    return {
        "id": shift.id,
        "name": member.name if member else None,
        "on_call": store.is_on_call(shift.staff_id),
    }


@router.get("/{site}/shifts")
def list_shifts(site: str, store: Annotated[RosterStore, Depends(get_store)]) -> list[dict]:
    return list(map(partial(_label, store), store.shifts))


@router.get("/{site}/by-role")
def shifts_by_role(store: Annotated[RosterStore, Depends(get_store)]) -> list[int]:
    order = role_order()
    ranked = sorted(store.shifts, key=lambda s: order.get(s.role, 99))  # expect-none
    return [s.id for s in ranked]


@router.get("/{site}/by-role-list")
def shifts_by_role_list(store: Annotated[RosterStore, Depends(get_store)]) -> list[int]:
    roles = [r for r in ROLES] + sorted({s.role for s in store.shifts} - set(ROLES))
    ranked = sorted(store.shifts, key=lambda s: roles.index(s.role))
    return [s.id for s in ranked]


@router.get("/{site}/clashes")
def clashes(store: Annotated[RosterStore, Depends(get_store)]) -> list[tuple[int, int]]:
    out = []
    for a in store.shifts:
        for b in store.shifts:  # expect: L1  # expect-span: 2
            if a.staff_id == b.staff_id and a.id < b.id and _overlaps(a, b):
                out.append((a.id, b.id))
    return out


@router.get("/{site}/available")
def available(
    store: Annotated[RosterStore, Depends(get_store)],
    at: datetime = Query(...),
) -> list[int]:
    busy = [s.staff_id for s in store.shifts if s.start <= at < s.end]

    def free(member: Staff) -> bool:
        return not member.on_leave and member.id not in busy  # expect: L1

    return [m.id for m in filter(free, store.staff)]


@router.get("/{site}/available-fast")
def available_fast(
    store: Annotated[RosterStore, Depends(get_store)],
    at: datetime = Query(...),
) -> list[int]:
    busy = {s.staff_id for s in store.shifts if s.start <= at < s.end}
    return [m.id for m in store.staff if not m.on_leave and m.id not in busy]  # expect-none


def import_shifts(store: RosterStore, rows: Iterable[dict]) -> None:
    for row in rows:
        store.add_shift(Shift(**row))


def long_shifts(store: RosterStore, limit: timedelta) -> list[int]:
    ids = []
    for s in store.shifts:
        if s.end - s.start > limit and s.role in ROLES:  # expect-none
            ids.append(s.id)
    return ids
