"""Kafka consumers that apply inventory events to MongoDB and PostgreSQL."""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass

import psycopg
from aiokafka import AIOKafkaConsumer
from confluent_kafka import Consumer
from motor.motor_asyncio import AsyncIOMotorClient
from pymongo import MongoClient, UpdateOne

log = logging.getLogger("inventory.consumer")


@dataclass(slots=True)
class StockEvent:
    sku: str
    warehouse: str
    delta: int


def _parse(raw: bytes) -> StockEvent:
    data = json.loads(raw)
    return StockEvent(sku=data["sku"], warehouse=data["wh"], delta=int(data["delta"]))


class MongoStockConsumer:
    def __init__(self, brokers: str, mongo_url: str) -> None:
        self.consumer = Consumer({"bootstrap.servers": brokers, "group.id": "stock", "enable.auto.commit": False})
        self.stock = MongoClient(mongo_url).inventory.stock

    def run(self) -> None:
        self.consumer.subscribe(["stock-events"])
        while True:
            msgs = self.consumer.consume(num_messages=500, timeout=1.0)
            if not msgs:
                continue
            for msg in msgs:
                if msg.error():
                    log.warning("kafka error %s", msg.error())
                    continue
                ev = _parse(msg.value())
                self.stock.update_one(  # expect: L2
                    {"sku": ev.sku, "warehouse": ev.warehouse},
                    {"$inc": {"on_hand": ev.delta}},
                    upsert=True,
                )
            self.consumer.commit(asynchronous=False)

    def run_batched(self) -> None:
        self.consumer.subscribe(["stock-events"])
        while True:
            msgs = self.consumer.consume(num_messages=500, timeout=1.0)
            ops = [
                UpdateOne({"sku": e.sku, "warehouse": e.warehouse}, {"$inc": {"on_hand": e.delta}}, upsert=True)
                for e in (_parse(m.value()) for m in msgs if not m.error())
            ]
            if ops:
                self.stock.bulk_write(ops, ordered=False)  # expect-none
            self.consumer.commit(asynchronous=False)


async def audit_worker(brokers: str, mongo_url: str) -> None:
    consumer = AIOKafkaConsumer("stock-events", bootstrap_servers=brokers, group_id="audit")
    audit = AsyncIOMotorClient(mongo_url).inventory.audit
    await consumer.start()
    try:
        while True:
            batch = await consumer.getmany(timeout_ms=1000, max_records=1000)
            for tp, messages in batch.items():
                for message in messages:
                    ev = _parse(message.value)
                    await audit.insert_one({"sku": ev.sku, "delta": ev.delta, "offset": message.offset})  # expect: L2
    finally:
        await consumer.stop()


async def audit_worker_batched(brokers: str, mongo_url: str) -> None:
    consumer = AIOKafkaConsumer("stock-events", bootstrap_servers=brokers, group_id="audit")
    audit = AsyncIOMotorClient(mongo_url).inventory.audit
    await consumer.start()
    try:
        while True:
            batch = await consumer.getmany(timeout_ms=1000, max_records=1000)
            docs = [{"sku": _parse(m.value).sku, "offset": m.offset} for msgs in batch.values() for m in msgs]
            if docs:
                await audit.insert_many(docs, ordered=False)  # expect-none
    finally:
        await consumer.stop()


async def pg_writer(queue: asyncio.Queue[list[StockEvent]], dsn: str) -> None:
    """asyncio queue worker: each queue item is a list of events from one poll."""
    async with await psycopg.AsyncConnection.connect(dsn) as conn:
        while True:
            events = await queue.get()
            async with conn.cursor() as cur:
                for ev in events:
                    await cur.execute(  # expect: L2
                        "UPDATE stock SET on_hand = on_hand + %s WHERE sku = %s AND warehouse = %s",
                        (ev.delta, ev.sku, ev.warehouse),
                    )
            await conn.commit()
            queue.task_done()


async def pg_writer_batched(queue: asyncio.Queue[list[StockEvent]], dsn: str) -> None:
    async with await psycopg.AsyncConnection.connect(dsn) as conn:
        while True:
            events = await queue.get()
            async with conn.cursor() as cur:
                await cur.executemany(  # expect-none
                    "UPDATE stock SET on_hand = on_hand + %s WHERE sku = %s AND warehouse = %s",
                    [(e.delta, e.sku, e.warehouse) for e in events],
                )
            await conn.commit()
            queue.task_done()


async def main(brokers: str, mongo_url: str, dsn: str) -> None:
    queue: asyncio.Queue[list[StockEvent]] = asyncio.Queue(maxsize=10)
    async with asyncio.TaskGroup() as tg:
        tg.create_task(audit_worker_batched(brokers, mongo_url))
        tg.create_task(pg_writer_batched(queue, dsn))
