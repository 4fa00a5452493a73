"""Invoice jobs: asyncpg reads, an httpx.AsyncClient to the ledger, boto3 for PDFs."""
import asyncio
import logging
from functools import lru_cache

import asyncpg
import boto3
import httpx

logger = logging.getLogger(__name__)
LEDGER = "https://ledger.internal"


@lru_cache(maxsize=1)
def s3_client():
    return boto3.client("s3")


async def store_pdf(invoice_id: int, pdf: bytes) -> None:
    s3_client().put_object(Bucket="invoices", Key=f"{invoice_id}.pdf", Body=pdf)  # expect: L4


async def store_pdf_offloaded(invoice_id: int, pdf: bytes) -> None:
    await asyncio.to_thread(  # expect-none
        s3_client().put_object, Bucket="invoices", Key=f"{invoice_id}.pdf", Body=pdf
    )


async def open_invoices(pool: asyncpg.Pool) -> list[asyncpg.Record]:
    async with pool.acquire() as conn:
        return await conn.fetch("SELECT id, customer_id, total FROM invoices WHERE state = 'open'")  # expect-none


async def post_to_ledger(pool: asyncpg.Pool, http: httpx.AsyncClient) -> int:
    rows = await open_invoices(pool)
    posted = 0
    for row in rows:
        resp = await http.post(f"{LEDGER}/entries", json={"invoice": row["id"], "amount": str(row["total"])})  # expect: L4
        posted += resp.status_code == 201
        logger.debug("posted invoice {} -> {}".format(row["id"], resp.status_code))  # expect: L4
    return posted


async def risk_total(pool: asyncpg.Pool, http: httpx.AsyncClient) -> float:
    rows = await open_invoices(pool)
    return sum([(await http.get(f"{LEDGER}/risk/{r['customer_id']}")).json()["score"] for r in rows])  # expect: L4


async def risk_total_concurrent(pool: asyncpg.Pool, http: httpx.AsyncClient) -> float:
    rows = await open_invoices(pool)
    sem = asyncio.Semaphore(16)

    async def score(cid: int) -> float:
        async with sem:
            return (await http.get(f"{LEDGER}/risk/{cid}")).json()["score"]  # expect-none

    return sum(await asyncio.gather(*(score(r["customer_id"]) for r in rows)))  # expect-none


async def fan_out(rows: list[asyncpg.Record], queue: asyncio.Queue) -> None:
    for row in rows:
        await queue.put(row["id"])  # expect-none
    logger.info("queued %d invoices", len(rows))  # expect-none


async def main() -> None:
    pool = await asyncpg.create_pool("postgresql://billing@db/billing")
    async with httpx.AsyncClient(timeout=10) as http:
        await post_to_ledger(pool, http)
    await pool.close()


if __name__ == "__main__":
    asyncio.run(main())  # expect-none
