"""Order-event consumers: confluent_kafka, aiokafka, pika and aio-pika."""
import asyncio
import json
import logging

import aio_pika
import aiohttp
import pika
import psycopg2
import redis.asyncio as aioredis
import requests
from aiokafka import AIOKafkaConsumer
from confluent_kafka import Consumer, Producer

log = logging.getLogger("consumers")
PG_DSN = "postgresql://orders@pg/orders"
BROKER = "kafka:9092"


def run_kafka_loop(topic: str) -> None:
    consumer = Consumer({"bootstrap.servers": BROKER, "group.id": "ledger"})  # expect-none
    consumer.subscribe([topic])
    while True:
        msg = consumer.poll(1.0)
        if msg is None or msg.error():
            continue
        event = json.loads(msg.value())
        conn = psycopg2.connect(PG_DSN)  # expect: L5
        with conn, conn.cursor() as cur:
            cur.execute("INSERT INTO ledger (order_id, amount) VALUES (%s, %s)",
                        (event["order_id"], event["amount"]))
        conn.close()


def run_kafka_forwarder(topic: str) -> None:
    consumer = Consumer({"bootstrap.servers": BROKER, "group.id": "fwd"})
    producer = Producer({"bootstrap.servers": BROKER})  # expect-none
    consumer.subscribe([topic])
    while (msg := consumer.poll(1.0)) is not None:
        producer.produce("orders.audit", msg.value())  # expect-none
    producer.flush()


def on_refund(channel, method, properties, body):
    payload = json.loads(body)
    session = requests.Session()  # expect: L5
    session.headers["Authorization"] = "Bearer refunds"
    session.post("https://payments.internal/refunds", json=payload, timeout=5)
    channel.basic_ack(delivery_tag=method.delivery_tag)


def start_refund_consumer() -> None:
    connection = pika.BlockingConnection(pika.ConnectionParameters("rabbit"))  # expect-none
    channel = connection.channel()
    channel.basic_consume(queue="refunds", on_message_callback=on_refund)
    channel.start_consuming()


async def consume_shipments() -> None:
    connection = await aio_pika.connect_robust("amqp://guest:guest@rabbit/")
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue("shipments", durable=True)
        async with queue.iterator() as messages:
            async for message in messages:
                async with message.process():
                    async with aiohttp.ClientSession() as http:  # expect: L5
                        await http.post("https://carrier.example/track", data=message.body)


async def consume_shipments_shared() -> None:
    connection = await aio_pika.connect_robust("amqp://guest:guest@rabbit/")
    async with connection, aiohttp.ClientSession() as http:  # expect-none
        channel = await connection.channel()
        queue = await channel.declare_queue("shipments-b", durable=True)
        async with queue.iterator() as messages:
            async for message in messages:
                async with message.process():
                    await http.post("https://carrier.example/track", data=message.body)


async def count_clicks() -> None:
    consumer = AIOKafkaConsumer("clicks", bootstrap_servers=BROKER)
    await consumer.start()
    try:
        async for record in consumer:
            store = aioredis.from_url("redis://cache:6379/0")  # expect: L5
            await store.incr(f"clicks:{record.key.decode()}")
    finally:
        await consumer.stop()


async def count_clicks_shared() -> None:
    store = aioredis.from_url("redis://cache:6379/0")  # expect-none
    consumer = AIOKafkaConsumer("clicks-b", bootstrap_servers=BROKER)
    await consumer.start()
    async for record in consumer:
        await store.incr(f"clicks:{record.key.decode()}")


if __name__ == "__main__":
    asyncio.run(count_clicks_shared())  # expect-none
