import asyncio
from dataclasses import dataclass
from decimal import Decimal

import asyncpg


@dataclass(frozen=True)
class Transfer:
    source: int
    target: int
    amount: Decimal


class Ledger:
    def __init__(self, pool: asyncpg.Pool):
        self.pool = pool

    async def balances(self, wallet_ids):
        result = {}
        async with self.pool.acquire() as conn:
            for n, wallet_id in enumerate(wallet_ids):
                result[wallet_id] = await conn.fetchval(  # expect: L2
                    "SELECT balance FROM wallets WHERE id = $1", wallet_id
                )
        return result

    async def balances_once(self, wallet_ids):
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(  # expect-none
                "SELECT id, balance FROM wallets WHERE id = ANY($1::bigint[])", list(wallet_ids)
            )
        return {r["id"]: r["balance"] for r in rows}

    async def apply(self, transfers: list[Transfer]) -> None:
        async with self.pool.acquire() as conn:
            async with conn.transaction():
                for t in transfers:
                    await conn.execute("UPDATE wallets SET balance = balance - $2 WHERE id = $1", t.source, t.amount)  # expect: L2
                    await conn.execute("UPDATE wallets SET balance = balance + $2 WHERE id = $1", t.target, t.amount)  # expect: L2

    async def apply_batched(self, transfers: list[Transfer]) -> None:
        deltas = [(t.source, -t.amount) for t in transfers] + [(t.target, t.amount) for t in transfers]
        async with self.pool.acquire() as conn:
            await conn.executemany(  # expect-none
                "UPDATE wallets SET balance = balance + $2 WHERE id = $1", deltas
            )

    async def owners(self, wallet_ids):
        async with self.pool.acquire() as conn:
            return [await conn.fetchrow("SELECT owner, currency FROM wallets WHERE id = $1", w) for w in wallet_ids]  # expect: L2

    async def archive(self, rows):
        async with self.pool.acquire() as conn:
            await conn.copy_records_to_table("ledger_archive", records=rows)  # expect-none

    async def wait_until_settled(self, wallet_id: int) -> Decimal:
        async with self.pool.acquire() as conn:
            while (pending := await conn.fetchval("SELECT pending FROM wallets WHERE id = $1", wallet_id)) > 0:  # expect-none
                await asyncio.sleep(0.5)
            return await conn.fetchval("SELECT balance FROM wallets WHERE id = $1", wallet_id)
