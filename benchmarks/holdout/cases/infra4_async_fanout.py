"""Async fan-out: link health checks, webhook delivery, a Redis stream consumer."""
import asyncio

import aiohttp
import httpx
import redis.asyncio as aioredis
from motor.motor_asyncio import AsyncIOMotorClient

STREAM_URL = "redis://events:6379/0"
MONGO_URI = "mongodb://audit:27017"
LIMIT = asyncio.Semaphore(20)


async def probe(url: str) -> tuple[str, int]:
    async with httpx.AsyncClient(timeout=5, follow_redirects=True) as client:  # expect: L5
        r = await client.head(url)
    return url, r.status_code


async def probe_all(urls: list[str]) -> dict[str, int]:
    return dict(await asyncio.gather(*(probe(u) for u in urls)))


async def probe_with(client: httpx.AsyncClient, url: str) -> tuple[str, int]:
    async with LIMIT:
        r = await client.head(url)  # expect-none
    return url, r.status_code


async def probe_all_shared(urls: list[str]) -> dict[str, int]:
    async with httpx.AsyncClient(timeout=5, follow_redirects=True) as client:  # expect-none
        return dict(await asyncio.gather(*(probe_with(client, u) for u in urls)))


async def deliver(hook: dict, payload: dict) -> None:
    session = aiohttp.ClientSession()  # expect: L5
    try:
        async with session.post(hook["url"], json=payload) as resp:
            resp.raise_for_status()
    finally:
        await session.close()


async def deliver_all(hooks: list[dict], payload: dict) -> None:
    async with asyncio.TaskGroup() as tg:
        for hook in hooks:
            tg.create_task(deliver(hook, payload))


async def consume(stream: str) -> None:
    reader = aioredis.from_url(STREAM_URL)  # expect-none
    last = "$"
    while True:
        batch = await reader.xread({stream: last}, block=5000, count=100)
        for _, entries in batch:
            for entry_id, fields in entries:
                last = entry_id
                audit = AsyncIOMotorClient(MONGO_URI)  # expect: L5
                await audit.audit.events.insert_one({"id": entry_id, **fields})


async def consume_shared(stream: str) -> None:
    reader = aioredis.from_url(STREAM_URL)  # expect-none
    audit = AsyncIOMotorClient(MONGO_URI)  # expect-none
    last = "$"
    while True:
        batch = await reader.xread({stream: last}, block=5000, count=100)
        docs = [{"id": eid, **f} for _, entries in batch for eid, f in entries]
        if docs:
            last = docs[-1]["id"]
            await audit.audit.events.insert_many(docs)
