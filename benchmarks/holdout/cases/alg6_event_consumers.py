"""Consumers for the shipment-events topic: Kafka, RabbitMQ and a Lambda fan-in."""
import json
import logging
from collections import deque

import boto3
import pika
from confluent_kafka import Consumer

log = logging.getLogger(__name__)
TERMINAL_STATES = frozenset({"delivered", "returned", "lost"})


def run_kafka(conf: dict, sink) -> None:
    consumer = Consumer(conf)
    consumer.subscribe(["shipment-events"])
    processed_keys: list[str] = []
    batch = []
    while True:
        msg = consumer.poll(1.0)
        if msg is None or msg.error():
            continue
        key = msg.key().decode()
        if key in processed_keys:  # expect: L1
            log.debug("duplicate %s", key)
            continue
        processed_keys.append(key)
        batch = batch + [json.loads(msg.value())]
        if len(batch) >= 500:
            sink.write_many(batch)
            consumer.commit(asynchronous=False)
            batch = []


def run_kafka_windowed(conf: dict, sink) -> None:
    consumer = Consumer(conf)
    consumer.subscribe(["shipment-events"])
    recent = deque(maxlen=10_000)
    recent_set: set[str] = set()
    batch: list[dict] = []
    while (msg := consumer.poll(1.0)) is not None:
        key = msg.key().decode()
        if key in recent_set:  # expect-none
            continue
        if len(recent) == recent.maxlen:
            recent_set.discard(recent[0])
        recent.append(key)  # expect-none
        recent_set.add(key)
        batch.append(json.loads(msg.value()))  # expect-none
    sink.write_many(batch)


class RetryingRabbitWorker:
    def __init__(self, url: str) -> None:
        self.connection = pika.BlockingConnection(pika.URLParameters(url))
        self.channel = self.connection.channel()
        self.pending = []

    def on_message(self, ch, method, properties, body: bytes) -> None:
        self.pending.append(json.loads(body))
        ch.basic_ack(delivery_tag=method.delivery_tag)

    def drain(self, handler) -> int:
        done = 0
        while self.pending:
            event = self.pending.pop(0)  # expect: L1
            match event:
                case {"state": state, "id": shipment_id} if state in TERMINAL_STATES:  # expect-none
                    handler.close(shipment_id)
                case {"state": "retry", **rest}:
                    self.pending.insert(0, rest)  # expect: L1
                case _:
                    handler.update(event)
            done += 1
        return done


def lambda_handler(event, context):
    table = boto3.resource("dynamodb").Table("shipments")
    known = [item["shipment_id"] for item in table.scan()["Items"]]
    fresh = []
    for record in event["Records"]:
        body = json.loads(record["body"])
        if body["shipment_id"] not in known:  # expect: L1
            fresh.append(body)
    with table.batch_writer() as writer:
        for body in fresh:
            writer.put_item(Item=body)
    return {"written": len(fresh)}


def lambda_handler_indexed(event, context):
    table = boto3.resource("dynamodb").Table("shipments")
    known = {item["shipment_id"] for item in table.scan()["Items"]}
    fresh = [json.loads(r["body"]) for r in event["Records"]]
    fresh = [b for b in fresh if b["shipment_id"] not in known]  # expect-none
    for source in ("sqs", "sns"):
        if source in event.get("sources", []):  # expect-none
            log.info("from %s", source)
    return {"written": len(fresh)}
