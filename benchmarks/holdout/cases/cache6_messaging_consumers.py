"""Message consumers: confluent_kafka poll loop, pika callbacks, aio-pika iterators, asyncio workers."""
import asyncio
import json
import logging
import xml.etree.ElementTree as ET
from datetime import datetime

import aio_pika
import jsonschema
import pika
from confluent_kafka import Consumer

log = logging.getLogger(__name__)

EVENT_SCHEMA = {"type": "object", "required": ["id", "kind"], "properties": {"id": {"type": "string"}}}
ROUTING_JSON = '{"order.created": "orders", "order.paid": "billing", "user.deleted": "gdpr"}'
ENVELOPE_XML = "<envelope><meta/><payload/></envelope>"
WINDOW_START = "2024-01-01T00:00:00"
SMART_QUOTES = {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"}
ROUTING = json.loads(ROUTING_JSON)  # expect-none
EVENT_VALIDATOR = jsonschema.Draft7Validator(EVENT_SCHEMA)  # expect-none
QUOTES = str.maketrans(SMART_QUOTES)  # expect-none


def run_kafka(conf: dict) -> None:
    consumer = Consumer(conf)
    consumer.subscribe(["events"])
    while True:
        msg = consumer.poll(1.0)
        if msg is None or msg.error():
            continue
        routes = json.loads(ROUTING_JSON)  # expect: L3
        event = json.loads(msg.value())  # expect-none
        topic = routes.get(event["kind"], "dead-letter")
        log.debug("route %s -> %s", event["id"], topic)


def run_kafka_hoisted(conf: dict) -> None:
    consumer = Consumer(conf)
    consumer.subscribe(["events"])
    while (msg := consumer.poll(1.0)) is not None:
        event = json.loads(msg.value())  # expect-none
        log.debug("route %s -> %s", event["id"], ROUTING.get(event["kind"]))


def on_event(channel, method, properties, body: bytes) -> None:
    validator = jsonschema.Draft7Validator(EVENT_SCHEMA)  # expect: L3
    event = json.loads(body)
    if not validator.is_valid(event):
        channel.basic_nack(method.delivery_tag, requeue=False)
        return
    channel.basic_ack(method.delivery_tag)


def on_event_prebuilt(channel, method, properties, body: bytes) -> None:
    event = json.loads(body)  # expect-none
    ok = EVENT_VALIDATOR.is_valid(event)
    (channel.basic_ack if ok else channel.basic_nack)(method.delivery_tag)


def start_pika(url: str) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.basic_consume(queue="events", on_message_callback=on_event)
    channel.basic_consume(queue="events-v2", on_message_callback=on_event_prebuilt)
    channel.start_consuming()


async def consume_envelopes(url: str) -> None:
    connection = await aio_pika.connect_robust(url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue("envelopes", durable=True)
        async with queue.iterator() as messages:
            async for message in messages:
                async with message.process():
                    shell = ET.fromstring(ENVELOPE_XML)  # expect: L3
                    shell.find("payload").text = message.body.decode()
                    log.info("wrapped %d bytes", len(ET.tostring(shell)))


async def normalize_worker(name: str, queue: asyncio.Queue, out: list) -> None:
    while (text := await queue.get()) is not None:
        table = str.maketrans(SMART_QUOTES)  # expect: L3
        out.append(text.translate(table))
        queue.task_done()


async def window_worker(queue: asyncio.Queue, out: list) -> None:
    while True:
        item = await queue.get()
        match item:
            case {"ts": str(ts), "value": value}:
                start = datetime.strptime(WINDOW_START, "%Y-%m-%dT%H:%M:%S")  # expect: L3
                if datetime.fromisoformat(ts) >= start:
                    out.append(value)
            case None:
                break
        queue.task_done()


async def fan_out(texts: list[str]) -> list[str]:
    queue: asyncio.Queue = asyncio.Queue()
    out: list[str] = []
    async with asyncio.TaskGroup() as tg:
        for i in range(2):
            tg.create_task(normalize_worker(f"w{i}", queue, out))
        for t in texts:
            queue.put_nowait(t.translate(QUOTES))  # expect-none
        for _ in range(2):
            queue.put_nowait(None)
    return out
