"""Shipment tracking repository on asyncpg.

Used by the tracking webhooks (one call per carrier event, bursts of ~2k/s) and the
hourly ETA refresh. The pool is created at startup and handed in.
"""
from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from asyncpg import Pool

log = logging.getLogger("tracking.repo")

DSN = os.environ.get("TRACKING_DSN", "postgresql://localhost/tracking")
CARRIERS = ("ups", "dhl", "fedex")


@dataclass(slots=True)
class Event:
    tracking_no: str
    status: str
    at: datetime


@dataclass(slots=True)
class Shipment:
    id: int
    tracking_no: str
    customer_id: int


class ShipmentRepo:
    def __init__(self, pool: Pool) -> None:
        self.pool = pool

    @asynccontextmanager
    async def _conn(self) -> AsyncIterator[asyncpg.Connection]:
        async with self.pool.acquire() as conn:
            yield conn

    async def by_tracking(self, conn: asyncpg.Connection, tracking_no: str) -> Shipment | None:
        row = await conn.fetchrow("SELECT id, tracking_no, customer_id FROM shipments WHERE tracking_no = $1", tracking_no)
        return Shipment(**row) if row else None

    async def record(self, events: Sequence[Event]) -> int:
        written = 0
        async with self._conn() as conn:
            for ev in events:
                shipment = await self.by_tracking(conn, ev.tracking_no)  # expect: L2
                if shipment is None:
                    continue
                await conn.execute(  # expect: L2
                    "INSERT INTO shipment_events (shipment_id, status, at) VALUES ($1, $2, $3)",
                    shipment.id, ev.status, ev.at,
                )
                written += 1
        return written

    async def record_batched(self, events: Sequence[Event]) -> None:
        async with self._conn() as conn:
            await conn.executemany(  # expect-none
                "INSERT INTO shipment_events (shipment_id, status, at) "
                "SELECT id, $2, $3 FROM shipments WHERE tracking_no = $1",
                [(e.tracking_no, e.status, e.at) for e in events],
            )

    async def open_shipments(self) -> AsyncIterator[Shipment]:
        async with self._conn() as conn:
            async for row in conn.cursor("SELECT id, tracking_no, customer_id FROM shipments WHERE delivered_at IS NULL"):
                yield Shipment(**row)

    async def refresh_etas(self) -> None:
        async for shipment in self.open_shipments():
            async with self.pool.acquire() as conn:
                eta = await conn.fetchval("SELECT max(eta) FROM carrier_etas WHERE tracking_no = $1", shipment.tracking_no)  # expect: L2
                await conn.execute("UPDATE shipments SET eta = $1 WHERE id = $2", eta, shipment.id)  # expect: L2

    async def refresh_etas_set_based(self) -> str:
        async with self._conn() as conn:
            return await conn.execute(  # expect-none
                "UPDATE shipments s SET eta = e.eta FROM (SELECT tracking_no, max(eta) AS eta FROM carrier_etas GROUP BY 1) e "
                "WHERE e.tracking_no = s.tracking_no AND s.delivered_at IS NULL"
            )

    async def customer_names(self, shipments: Sequence[Shipment]) -> dict[int, str]:
        async with self._conn() as conn:
            return {
                s.id: await conn.fetchval("SELECT name FROM customers WHERE id = $1", s.customer_id)  # expect: L2
                for s in shipments
            }

    async def customer_names_any(self, shipments: Sequence[Shipment]) -> dict[int, str]:
        async with self._conn() as conn:
            rows = await conn.fetch("SELECT id, name FROM customers WHERE id = ANY($1::int[])", [s.customer_id for s in shipments])  # expect-none
        names = {r["id"]: r["name"] for r in rows}
        return {s.id: names.get(s.customer_id, "") for s in shipments}

    async def carrier_counts(self) -> dict[str, int]:
        async with self._conn() as conn:
            return {c: await conn.fetchval("SELECT count(*) FROM shipments WHERE carrier = $1", c) for c in CARRIERS}  # expect-none

    async def ping(self) -> bool:
        for attempt in range(3):
            try:
                async with self._conn() as conn:
                    return await conn.fetchval("SELECT 1") == 1  # expect-none
            except (OSError, asyncpg.PostgresError):
                log.warning("ping failed (%d)", attempt)
                await asyncio.sleep(0.2)
        return False


async def main() -> None:
    pool = await asyncpg.create_pool(DSN, min_size=1, max_size=4)
    repo = ShipmentRepo(pool)
    await repo.refresh_etas_set_based()
    await pool.close()


if __name__ == "__main__":
    asyncio.run(main())
