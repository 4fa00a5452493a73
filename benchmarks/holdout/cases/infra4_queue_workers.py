"""Background jobs on RQ and Dramatiq: fan-out of notifications and ledger writes."""
import json

import dramatiq
import pika
import psycopg2
from kafka import KafkaProducer
from pymongo import MongoClient
from redis import ConnectionPool, Redis
from rq import Queue
from rq.decorators import job

POOL = ConnectionPool.from_url("redis://queue:6379/0")
queue_conn = Redis(connection_pool=POOL)  # expect-none
ledger_queue = Queue("ledger", connection=queue_conn)
mongo = MongoClient("mongodb://mongo:27017")  # expect-none
producer = KafkaProducer(bootstrap_servers="kafka:9092")  # expect-none
LEDGER_DSN = "dbname=ledger user=jobs host=pg"


@job("ledger", connection=queue_conn)
def post_entry(entry_id, amount_cents):
    conn = psycopg2.connect(LEDGER_DSN)  # expect: L5
    with conn, conn.cursor() as cur:
        cur.execute("INSERT INTO entries (id, amount) VALUES (%s, %s)", (entry_id, amount_cents))
    conn.close()


@job("ledger", connection=queue_conn)
def publish_statement(account_id):
    channel = pika.BlockingConnection(pika.ConnectionParameters("rabbit")).channel()  # expect: L5
    channel.basic_publish(exchange="", routing_key="statements", body=str(account_id))


def enqueue_entries(entries):
    for entry in entries:
        ledger_queue.enqueue(post_entry, entry["id"], entry["amount"])  # expect-none


@dramatiq.actor(max_retries=3)
def record_click(payload):
    client = MongoClient("mongodb://mongo:27017")  # expect: L5
    client.analytics.clicks.insert_one(json.loads(payload))


@dramatiq.actor
def record_click_shared(payload):
    mongo.analytics.clicks.insert_one(json.loads(payload))  # expect-none


@dramatiq.actor(queue_name="events")
def forward_event(topic, payload):
    kafka = KafkaProducer(bootstrap_servers="kafka:9092")  # expect: L5
    kafka.send(topic, payload.encode())
    kafka.flush()


@dramatiq.actor(queue_name="events")
def forward_event_shared(topic, payload):
    producer.send(topic, payload.encode())  # expect-none


@dramatiq.actor(queue_name="statements")
def mail_statements(account_ids):
    connection = pika.BlockingConnection(pika.ConnectionParameters("rabbit"))  # expect-none
    channel = connection.channel()
    for account_id in account_ids:
        channel.basic_publish(exchange="", routing_key="statements", body=str(account_id))
    connection.close()
