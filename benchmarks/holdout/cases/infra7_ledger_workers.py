"""
ledger.workers
--------------

Celery tasks and long-running consumers that keep the ledger in sync with the
payment provider.  A :class:`LedgerUnit` wraps one database transaction.
"""
from __future__ import annotations

import asyncio
import logging
from functools import cache
from types import TracebackType
from typing import Iterable, Self

import pika
import redis.asyncio as aredis
from celery import shared_task
from sqlalchemy import create_engine as make_engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.websockets import WebSocket

logger = logging.getLogger(__name__)

LEDGER_URL = "postgresql+psycopg://ledger@db/ledger"
AMQP_URL = "amqp://guest:guest@rabbit:5672/%2F"
STREAM_URL = "redis://stream:6379/0"


class LedgerUnit:
    """``with LedgerUnit() as s:`` runs the body in one transaction."""

    def __enter__(self) -> Session:
        self._engine = make_engine(LEDGER_URL, future=True)  # expect: L5
        self._session = Session(self._engine)
        self._session.begin()
        return self._session

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self._session.commit()
        else:
            self._session.rollback()
        self._session.close()
        self._engine.dispose()


@cache
def _session_maker() -> sessionmaker[Session]:
    return sessionmaker(make_engine(LEDGER_URL, pool_size=5))  # expect-none


class SharedLedgerUnit:
    def __enter__(self) -> Self:
        self.session = _session_maker()()  # expect-none
        self.session.begin()
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.commit() if exc[0] is None else self.session.rollback()
        self.session.close()


@shared_task(bind=True, max_retries=3)
def apply_entries(self, entries: list[dict]) -> int:
    applied = 0
    for entry in entries:
        with LedgerUnit() as session:
            session.execute(
                "INSERT INTO entries(id, amount) VALUES (:id, :amount)", entry
            )
            applied += 1
    return applied


@shared_task
def apply_entries_once(entries: list[dict]) -> int:
    with SharedLedgerUnit() as unit:  # expect-none
        unit.session.execute("INSERT INTO entries(id, amount) VALUES (:id, :amount)", entries)
    return len(entries)


def _notify_channel() -> pika.adapters.blocking_connection.BlockingChannel:
    conn = pika.BlockingConnection(pika.URLParameters(AMQP_URL))  # expect: L5
    return conn.channel()


@shared_task
def announce(entry_id: str) -> None:
    ch = _notify_channel()
    ch.basic_publish(exchange="ledger", routing_key="entry.applied", body=entry_id.encode())


async def _settle(entry_id: str) -> None:
    r = aredis.from_url(STREAM_URL)  # expect: L5
    await r.xadd("settlements", {"id": entry_id})
    await r.aclose()


def settlement_consumer(channel: pika.adapters.blocking_connection.BlockingChannel) -> None:
    while True:
        method, _props, body = channel.basic_get("settlements", auto_ack=True)
        if method is None:
            continue
        asyncio.run(_settle(body.decode()))  # expect: L5


async def ledger_feed(ws: WebSocket) -> None:
    await ws.accept()
    while True:
        wanted = await ws.receive_json()
        stream = aredis.Redis.from_url(STREAM_URL, decode_responses=True)  # expect: L5
        await ws.send_json(await stream.xrange("settlements", count=int(wanted["n"])))


async def ledger_feed_shared(ws: WebSocket) -> None:
    stream = aredis.Redis.from_url(STREAM_URL, decode_responses=True)  # expect-none
    await ws.accept()
    while True:
        wanted = await ws.receive_json()
        await ws.send_json(await stream.xrange("settlements", count=int(wanted["n"])))


def replay(entry_ids: Iterable[str]) -> None:
    """Operator tool: replays in one event loop."""

    async def _all() -> None:
        for entry_id in entry_ids:
            await _settle(entry_id)

    asyncio.run(_all())  # expect-none
