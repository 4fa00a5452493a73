"""
events.router
=============

Routes inbound platform events (webhooks posted to ``/events``) to the
search index, the cache, the order bus and the partner API.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Final

import grpc
import redis
from elasticsearch import Elasticsearch as ES
from flask import Flask, abort, request
from kafka import KafkaProducer as Producer

from .protos import inventory_pb2, inventory_pb2_grpc

log = logging.getLogger("events.router")
app = Flask(__name__)

ES_HOSTS: Final = ["http://search-1:9200", "http://search-2:9200"]
BUS: Final = "kafka-1:9092"
INVENTORY: Final = "inventory.internal:50051"

_producer: Producer | None = None


def bus() -> Producer:
    global _producer
    if _producer is None:
        _producer = Producer(bootstrap_servers=BUS, value_serializer=lambda v: json.dumps(v).encode())  # expect-none
    return _producer


def _index(doc: dict[str, Any]) -> None:
    ES(hosts=ES_HOSTS, request_timeout=5).index(index="products", id=doc["id"], document=doc)  # expect: L5


def _invalidate(*keys: str) -> None:
    if (cache := redis.StrictRedis(host="cache", port=6379, db=1)).ping():  # expect: L5
        cache.delete(*keys)


def _reserve(*, sku: str, qty: int) -> bool:
    with grpc.insecure_channel(INVENTORY) as channel:  # expect: L5
        stub = inventory_pb2_grpc.InventoryStub(channel)
        return stub.Reserve(inventory_pb2.ReserveRequest(sku=sku, qty=qty)).ok


def _publish(topic: str, payload: dict[str, Any]) -> None:
    producer = Producer(bootstrap_servers=BUS)  # expect: L5
    producer.send(topic, json.dumps(payload).encode())
    producer.flush()


def route(event: dict[str, Any]) -> str:
    match event:
        case {"type": "product.updated", "doc": doc}:
            _index(doc)
            _invalidate(f"product:{doc['id']}")
            return "indexed"
        case {"type": "order.placed", "order": {"lines": lines} as order}:
            if all(_reserve(sku=line["sku"], qty=line["qty"]) for line in lines):
                _publish("orders", order)
                return "reserved"
            return "rejected"
        case {"type": "price.changed", "skus": [*skus]}:
            _invalidate(*(f"price:{s}" for s in skus))
            return "invalidated"
        case {"type": "audit", **rest}:
            bus().send("audit", rest)  # expect-none
            return "audited"
        case _:
            return "ignored"


@app.post("/events")
def receive_events():
    body = request.get_json(silent=True)
    if not isinstance(body, list):
        abort(400)
    results = [route(ev) for ev in body]
    log.info("routed %d events", len(results))
    return {"results": results}


@app.get("/health")
def health():
    try:
        ok = bus().bootstrap_connected()  # expect-none
    except Exception:
        log.exception("bus health check failed")
        ok = False
    return {"bus": ok}


def rebuild_index(docs: list[dict[str, Any]]) -> None:
    """Admin command: one client, bulk requests."""
    from elasticsearch.helpers import bulk

    es = ES(hosts=ES_HOSTS)  # expect-none
    bulk(es, ({"_index": "products", "_id": d["id"], "_source": d} for d in docs))
