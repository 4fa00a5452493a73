import json
import os

import pika
from celery import Celery
from celery.signals import worker_process_init
from kafka import KafkaProducer
from pymongo import MongoClient

app = Celery("ingest", broker=os.environ["BROKER_URL"])
MONGO_URI = os.environ["MONGO_URI"]
KAFKA = os.environ.get("KAFKA_BOOTSTRAP", "kafka:9092").split(",")
AMQP = pika.URLParameters(os.environ.get("AMQP_URL", "amqp://guest:guest@rabbit/"))

_producer = None
_db = None


@worker_process_init.connect
def init_worker(**kwargs):
    global _producer, _db
    _producer = KafkaProducer(bootstrap_servers=KAFKA, value_serializer=lambda v: json.dumps(v).encode())  # expect-none
    _db = MongoClient(MONGO_URI).ingest  # expect-none


@app.task(bind=True, acks_late=True)
def store_reading(self, reading: dict) -> str:
    client = MongoClient(MONGO_URI, serverSelectionTimeoutMS=2000)  # expect: L5
    try:
        return str(client.ingest.readings.insert_one(reading).inserted_id)
    finally:
        client.close()


@app.task
def store_reading_shared(reading: dict) -> str:
    return str(_db.readings.insert_one(reading).inserted_id)


@app.task
def publish_change(entity: str, payload: dict) -> None:
    producer = KafkaProducer(  # expect: L5  # expect-span: 4
        bootstrap_servers=KAFKA,
        value_serializer=lambda v: json.dumps(v).encode(),
    )
    producer.send(f"changes.{entity}", payload)
    producer.flush()


@app.task
def publish_change_shared(entity: str, payload: dict) -> None:
    _producer.send(f"changes.{entity}", payload)


@app.task
def fan_out(messages: list[dict]) -> int:
    sent = 0
    for msg in messages:
        conn = pika.BlockingConnection(AMQP)  # expect: L5
        ch = conn.channel()
        ch.basic_publish(exchange="events", routing_key=msg["kind"], body=json.dumps(msg))
        conn.close()
        sent += 1
    return sent


@app.task
def fan_out_one_connection(messages: list[dict]) -> int:
    conn = pika.BlockingConnection(AMQP)  # expect-none
    ch = conn.channel()
    for msg in messages:
        ch.basic_publish(exchange="events", routing_key=msg["kind"], body=json.dumps(msg))
    conn.close()
    return len(messages)


@app.task
def archive_tenants(tenants: list[dict]) -> None:
    for tenant in tenants:
        client = MongoClient(tenant["mongo_uri"])  # expect-none
        client[tenant["db"]].events.delete_many({"archived": True})
        client.close()
