import asyncpg


async def wallet_balances(pool: asyncpg.Pool, wallet_ids: list[int]) -> dict[int, int]:
    async with pool.acquire() as conn:
        return {wid: await conn.fetchval("SELECT balance FROM wallets WHERE id = $1", wid) for wid in wallet_ids}  # expect: L2


async def wallet_balances_any(pool: asyncpg.Pool, wallet_ids: list[int]) -> dict[int, int]:
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT id, balance FROM wallets WHERE id = ANY($1::bigint[])", wallet_ids)  # expect-none
    return {r["id"]: r["balance"] for r in rows}


async def archive_transfers(conn: asyncpg.Connection, transfers: list[tuple]) -> None:
    async with conn.transaction():
        for tid, src, dst, amount in transfers:
            await conn.execute("INSERT INTO transfers_archive VALUES ($1, $2, $3, $4)", tid, src, dst, amount)  # expect: L2


async def archive_transfers_copy(conn: asyncpg.Connection, transfers: list[tuple]) -> None:
    await conn.copy_records_to_table("transfers_archive", records=transfers)  # expect-none


async def drain_outbox(conn: asyncpg.Connection) -> int:
    sent = 0
    while True:
        batch = await conn.fetch("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox LIMIT 500) RETURNING id")  # expect-none
        if not batch:
            return sent
        sent += len(batch)
