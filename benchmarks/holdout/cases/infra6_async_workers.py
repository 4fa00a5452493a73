"""asyncio workers: a queue consumer, TaskGroup fan-out, match/case dispatch, walrus polling."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Protocol

import aiohttp
import httpx
import redis
from elasticsearch import Elasticsearch, helpers

log = logging.getLogger(__name__)
SEARCH_URL = "http://search:9200"


@dataclass(slots=True, frozen=True)
class Job:
    kind: str
    target: str
    payload: dict


class Sink(Protocol):
    async def send(self, job: Job) -> None: ...


async def webhook_worker(queue: asyncio.Queue[Job]) -> None:
    while True:
        job = await queue.get()
        try:
            async with aiohttp.ClientSession() as session:  # expect: L5
                await session.post(job.target, json=job.payload)
        finally:
            queue.task_done()


async def webhook_worker_shared(queue: asyncio.Queue[Job]) -> None:
    async with aiohttp.ClientSession() as session:  # expect-none
        while True:
            job = await queue.get()
            await session.post(job.target, json=job.payload)
            queue.task_done()


async def fetch_status(url: str) -> int:
    async with httpx.AsyncClient(timeout=5) as client:  # expect: L5
        return (await client.get(url)).status_code


async def check_all(urls: list[str]) -> list[int]:
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(fetch_status(u)) for u in urls]
    return [t.result() for t in tasks]


async def fetch_status_with(client: httpx.AsyncClient, url: str) -> int:
    return (await client.get(url)).status_code  # expect-none


async def check_all_shared(urls: list[str]) -> list[int]:
    async with httpx.AsyncClient(timeout=5) as client, asyncio.TaskGroup() as tg:  # expect-none
        tasks = [tg.create_task(fetch_status_with(client, u)) for u in urls]
    return [t.result() for t in tasks]


def dispatch(jobs: list[Job]) -> None:
    for job in jobs:
        match job:
            case Job(kind="index"):
                es = Elasticsearch(SEARCH_URL)  # expect: L5
                es.index(index="docs", document=job.payload)
            case Job(kind="flag", target=key):
                redis.Redis(host="cache").set(key, 1)  # expect: L5
            case _:
                log.warning("unknown job %s", job.kind)


def dispatch_bulk(jobs: list[Job]) -> None:
    es = Elasticsearch(SEARCH_URL)  # expect-none
    actions = [{"_index": "docs", "_source": j.payload} for j in jobs if j.kind == "index"]
    helpers.bulk(es, actions)


def drain(source) -> int:
    done = 0
    while (batch := source.next_batch()) is not None:
        loop = asyncio.new_event_loop()  # expect: L5
        try:
            loop.run_until_complete(_store(batch))
        finally:
            loop.close()
        done += len(batch)
    return done


async def _store(batch: list[Job]) -> None:
    await asyncio.sleep(0)


def main() -> None:
    loop = asyncio.new_event_loop()  # expect-none
    loop.run_until_complete(_store([]))
