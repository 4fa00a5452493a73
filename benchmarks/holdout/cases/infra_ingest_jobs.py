import json

from celery import Celery
from fastapi import FastAPI
from elasticsearch import Elasticsearch
from kafka import KafkaProducer
from pymongo import MongoClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

app = Celery("ingest")
api = FastAPI()
MONGO_URI = "mongodb://mongo:27017"
ES_HOSTS = ["http://es1:9200", "http://es2:9200"]
shared_es = Elasticsearch(ES_HOSTS)  # expect-none


def archive_doc(doc: dict) -> None:
    MongoClient(MONGO_URI).archive.docs.insert_one(doc)  # expect: L5


@app.task
def ingest(batch: list[dict]) -> int:
    for doc in batch:
        archive_doc(doc)
    return len(batch)


def reindex(docs: list[dict]) -> None:
    for doc in docs:
        es = Elasticsearch(ES_HOSTS)  # expect: L5
        es.index(index="docs", id=doc["id"], document=doc)


def copy_tenants(tenants: list[dict]) -> None:
    for tenant in tenants:
        client = MongoClient(tenant["mongo_uri"])  # expect-none
        client.app.meta.update_one({"_id": "copied"}, {"$set": {"done": True}}, upsert=True)
        client.close()


def emit_all(events: list[dict]) -> None:
    for ev in events:
        producer = KafkaProducer(bootstrap_servers="kafka:9092")  # expect: L5
        producer.send("events", json.dumps(ev).encode())
        producer.flush()


@api.get("/tables/{table}/count")
async def warehouse_count(table: str) -> int:
    engine = create_async_engine("postgresql+asyncpg://etl@wh/db")  # expect: L5
    async with engine.connect() as conn:
        return (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
