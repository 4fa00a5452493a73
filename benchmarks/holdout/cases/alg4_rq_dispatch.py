"""Courier dispatch worker (RQ) and the asyncpg repository it reads from."""
import heapq
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg
from rq import get_current_job


@dataclass(order=True)
class Delivery:
    due: datetime
    ref: str = field(compare=False)
    zone: str = field(compare=False)
    courier_id: int | None = field(default=None, compare=False)


class DispatchRepo:
    def __init__(self, pool: asyncpg.Pool):
        self.pool = pool

    async def open_deliveries(self) -> list[Delivery]:
        async with self.pool.acquire() as conn:
            rows = await conn.fetch("SELECT due, ref, zone FROM deliveries WHERE courier_id IS NULL")
        return [Delivery(r["due"], r["ref"], r["zone"]) for r in rows]

    async def courier_zones(self) -> dict[int, str]:
        async with self.pool.acquire() as conn:
            rows = await conn.fetch("SELECT id, zone FROM couriers WHERE on_shift")
        return {r["id"]: r["zone"] for r in rows}


def assign_earliest_first(deliveries: list[Delivery], couriers: dict[int, str]) -> list[Delivery]:
    queue = list(deliveries)
    free = list(couriers)
    assigned = []
    while queue and free:
        nxt = min(queue, key=lambda d: d.due)  # expect: L1
        queue.remove(nxt)  # expect: L1
        nxt.courier_id = free.pop()  # expect-none
        assigned.append(nxt)
    return assigned


def assign_with_heap(deliveries: list[Delivery], couriers: dict[int, str]) -> list[Delivery]:
    heap = list(deliveries)
    heapq.heapify(heap)
    free = list(couriers)
    assigned = []
    while heap and free:
        nxt = heapq.heappop(heap)  # expect-none
        nxt.courier_id = free.pop()
        assigned.append(nxt)
    return assigned


def zone_backlog(deliveries: list[Delivery], couriers: dict[int, str]) -> dict[int, int]:
    return {
        cid: sum(1 for d in deliveries if d.zone == zone)  # expect: L1
        for cid, zone in couriers.items()
    }


def drain_log(lines: list[str]) -> list[str]:
    shipped = []
    while lines:
        shipped.append(lines[0].upper())
        del lines[0]  # expect: L1
    return shipped


def progress(done: int, total: int) -> None:
    job = get_current_job()
    if job is not None:
        job.meta["progress"] = f"{done}/{total}"  # expect-none
        job.save_meta()


def run_dispatch(deliveries: list[Delivery], couriers: dict[int, str]) -> int:
    batches = [deliveries[i : i + 50] for i in range(0, len(deliveries), 50)]
    done = 0
    for batch in batches:
        done += len(assign_with_heap(batch, couriers))  # expect-none
        progress(done, len(deliveries))
    return done
