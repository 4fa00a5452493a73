"""Litestar and aiohttp endpoints for shift rosters."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from aiohttp import web
from litestar import Controller, get, post


@dataclass(slots=True, frozen=True)
class Shift:
    id: int
    worker_id: int
    start: int
    end: int


class ShiftStore(Protocol):
    async def shifts_for(self, week: int) -> list[Shift]: ...
    async def on_leave(self, week: int) -> list[int]: ...


class RosterController(Controller):
    path = "/rosters"

    @get("/{week:int}")
    async def roster(self, week: int, store: ShiftStore) -> list[dict]:
        shifts = await store.shifts_for(week)
        absent = await store.on_leave(week)
        return [
            {"id": s.id, "worker": s.worker_id}
            for s in shifts
            if s.worker_id not in absent  # expect: L1
        ]

    @get("/{week:int}/overlaps")
    async def overlaps(self, week: int, store: ShiftStore) -> list[tuple[int, int]]:
        shifts = await store.shifts_for(week)
        clashes = []
        for a in shifts:
            for b in shifts:  # expect: L1  # expect-span: 2
                if a.worker_id == b.worker_id and a.id < b.id and a.start < b.end:
                    clashes.append((a.id, b.id))
        return clashes

    @post("/{week:int}/assign")
    async def assign(self, week: int, data: list[dict], store: ShiftStore) -> dict:
        shifts = await store.shifts_for(week)
        free = sorted(shifts, key=lambda s: s.start)
        assigned = []
        for request in data:
            slot = min(free, key=lambda s: abs(s.start - request["start"]))  # expect: L1
            free.remove(slot)
            assigned.append((request["worker_id"], slot.id))
        return {"assigned": assigned}

    @post("/{week:int}/merge")
    async def merge(self, week: int, data: list[list[int]]) -> dict:
        merged = sum(data, [])  # expect: L1
        return {"workers": merged}

    @post("/{week:int}/merge-fast")
    async def merge_fast(self, week: int, data: list[list[int]]) -> dict:
        merged = [w for group in data for w in group]  # expect-none
        return {"workers": merged}


async def coverage(request: web.Request) -> web.Response:
    store: ShiftStore = request.app["store"]
    week = int(request.match_info["week"])
    shifts = await store.shifts_for(week)
    by_worker: dict[int, list[Shift]] = {}
    for s in shifts:
        by_worker.setdefault(s.worker_id, []).append(s)  # expect-none
    workers = await request.json()
    rows = []
    for w in workers:
        own = [s for s in shifts if s.worker_id == w["id"]]  # expect: L1
        rows.append({"worker": w["id"], "hours": sum(s.end - s.start for s in own)})
    return web.json_response(rows)


async def coverage_indexed(request: web.Request) -> web.Response:
    store: ShiftStore = request.app["store"]
    shifts = await store.shifts_for(int(request.match_info["week"]))
    by_worker: dict[int, list[Shift]] = {}
    for s in shifts:
        by_worker.setdefault(s.worker_id, []).append(s)
    workers = await request.json()
    rows = [
        {"worker": w["id"], "hours": sum(s.end - s.start for s in by_worker.get(w["id"], []))}  # expect-none
        for w in workers
    ]
    return web.json_response(rows)


async def event_stream(request: web.Request) -> web.StreamResponse:
    body = await request.json()
    members: list[int] = []
    for event in body["events"]:
        match event:
            case {"kind": "join", "worker": wid}:
                if wid not in members:  # expect: L1
                    members.append(wid)
            case {"kind": "leave", "worker": wid}:
                if wid in members:  # expect: L1
                    members.remove(wid)  # expect: L1
    return web.json_response({"members": members})


app = web.Application()
app.router.add_get("/coverage/{week}", coverage)
app.router.add_get("/coverage-fast/{week}", coverage_indexed)
