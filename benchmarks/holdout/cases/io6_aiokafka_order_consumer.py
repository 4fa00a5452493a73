"""Order events consumers: an aiokafka worker and a confluent_kafka fallback."""
import asyncio
import json
import logging
import os
import time

import boto3
import requests
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from confluent_kafka import Consumer

log = logging.getLogger(__name__)
s3 = boto3.client("s3")
AUDIT_LOG = "/var/log/orders/audit.jsonl"
WEBHOOK = os.environ.get("ORDER_WEBHOOK", "https://hooks.example.com/orders")
http = requests.Session()


async def consume_orders(bootstrap: str) -> None:
    consumer = AIOKafkaConsumer("orders", bootstrap_servers=bootstrap, group_id="audit")
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await consumer.start()
    await producer.start()
    try:
        async for msg in consumer:
            event = json.loads(msg.value)
            match event:
                case {"type": "created", "order_id": oid}:
                    requests.post(WEBHOOK, json={"id": oid}, timeout=5)  # expect: L4
                case {"type": "archived", "order_id": oid, "payload": payload}:
                    s3.put_object(Bucket="order-archive", Key=f"{oid}.json", Body=json.dumps(payload))  # expect: L4
                case {"type": "retry"}:
                    time.sleep(0.5)  # expect: L4
                case _:
                    log.info("skipping event %s", event.get("type"))  # expect-none
            await producer.send_and_wait("orders.audited", msg.value)  # expect-none
    finally:
        await consumer.stop()
        await producer.stop()


async def consume_audit(bootstrap: str) -> None:
    consumer = AIOKafkaConsumer("orders.audited", bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        async for msg in consumer:
            with open(AUDIT_LOG, "a") as fh:  # expect: L4
                fh.write(msg.value.decode() + "\n")
    finally:
        await consumer.stop()


async def consume_audit_batched(bootstrap: str) -> None:
    consumer = AIOKafkaConsumer("orders.audited", bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        while batch := await consumer.getmany(timeout_ms=1000):
            lines = [m.value.decode() for msgs in batch.values() for m in msgs]
            await asyncio.to_thread(_append_lines, lines)  # expect-none
    finally:
        await consumer.stop()


def _append_lines(lines: list[str]) -> None:
    with open(AUDIT_LOG, "a") as fh:  # expect-none
        fh.writelines(line + "\n" for line in lines)


def run_fallback(conf: dict) -> None:
    consumer = Consumer(conf)
    consumer.subscribe(["orders"])
    try:
        while True:
            msg = consumer.poll(1.0)
            if msg is None or msg.error():
                continue
            order = json.loads(msg.value())
            requests.post(WEBHOOK, json={"id": order["order_id"]}, timeout=5)  # expect: L4
            log.debug("forwarded order %s" % order["order_id"])  # expect: L4
    finally:
        consumer.close()


def run_fallback_pooled(conf: dict) -> None:
    consumer = Consumer(conf)
    consumer.subscribe(["orders"])
    try:
        while True:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            order = json.loads(msg.value())
            http.post(WEBHOOK, json={"id": order["order_id"]}, timeout=5)  # expect-none
            log.debug("forwarded order %s", order["order_id"])  # expect-none
    finally:
        consumer.close()
