"""Listing indexer: DynamoDB is the source of truth, Elasticsearch the search copy.

Runs as an ECS task fed by an SQS queue; each message carries up to 500 listing ids.
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any

import boto3
from boto3.dynamodb.conditions import Key
from elasticsearch import Elasticsearch
from elasticsearch.helpers import streaming_bulk

logger = logging.getLogger(__name__)

TABLE = os.environ.get("LISTINGS_TABLE", "listings")
INDEX = os.environ.get("LISTINGS_INDEX", "listings-v3")
REGIONS = ("eu-west-1", "us-east-1")

_ddb = boto3.resource("dynamodb")
listings = _ddb.Table(TABLE)
sellers = _ddb.Table("sellers")
es = Elasticsearch(os.environ.get("ES_URL", "http://localhost:9200"))


def seller_of(listing: dict[str, Any]) -> dict[str, Any]:
    return sellers.get_item(Key={"seller_id": listing["seller_id"]}).get("Item", {})


def photos_of(listing_id: str) -> list[dict]:
    resp = listings.query(KeyConditionExpression=Key("pk").eq(f"LISTING#{listing_id}") & Key("sk").begins_with("PHOTO#"))
    return resp["Items"]


def load(ids: Iterable[str]) -> Iterator[dict[str, Any]]:
    for listing_id in ids:
        item = listings.get_item(Key={"pk": f"LISTING#{listing_id}", "sk": "META"}).get("Item")  # expect: L2
        if item:
            yield item


def load_batched(ids: list[str]) -> list[dict[str, Any]]:
    client = boto3.client("dynamodb")
    keys = [{"pk": {"S": f"LISTING#{i}"}, "sk": {"S": "META"}} for i in ids[:100]]
    resp = client.batch_get_item(RequestItems={TABLE: {"Keys": keys}})  # expect-none
    return resp["Responses"][TABLE]


def to_doc(listing: dict[str, Any]) -> dict[str, Any]:
    seller = seller_of(listing)
    return {"title": listing["title"], "price": float(listing["price"]), "seller": seller.get("name")}


def reindex(ids: Iterable[str]) -> int:
    n = 0
    for listing in load(ids):
        doc = to_doc(listing)  # expect: L2
        doc["photos"] = [p["url"] for p in photos_of(listing["id"])]  # expect: L2
        es.index(index=INDEX, id=listing["id"], document=doc)  # expect: L2
        n += 1
    return n


def reindex_bulk(listings_: list[dict[str, Any]], seller_names: dict[str, str]) -> int:
    actions = (
        {"_index": INDEX, "_id": l["id"], "_source": {"title": l["title"], "seller": seller_names.get(l["seller_id"])}}
        for l in listings_
    )
    ok = 0
    for success, _info in streaming_bulk(es, actions, chunk_size=500):  # expect-none
        ok += success
    return ok


def mark_indexed(ids: Iterable[str]) -> None:
    for listing_id in ids:
        listings.update_item(  # expect: L2
            Key={"pk": f"LISTING#{listing_id}", "sk": "META"},
            UpdateExpression="SET indexed = :t",
            ExpressionAttributeValues={":t": True},
        )


def archive(items: list[dict[str, Any]]) -> None:
    with listings.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
        for item in items:
            batch.put_item(Item={**item, "sk": "ARCHIVED"})  # expect-none


def drop(ids: Iterable[str]) -> None:
    for listing_id in ids:
        es.delete(index=INDEX, id=listing_id)  # expect: L2


def ensure_index() -> None:
    if not es.indices.exists(index=INDEX):
        es.indices.create(index=INDEX, mappings={"properties": {"title": {"type": "text"}}})  # expect-none


def handle_message(body: str) -> None:
    payload = json.loads(body)
    match payload:
        case {"op": "upsert", "ids": ids}:
            reindex(ids)
            mark_indexed(ids)
        case {"op": "delete", "ids": ids}:
            drop(ids)
        case _:
            logger.warning("unknown op %r", payload.get("op"))


def replicate_settings() -> None:
    for region in REGIONS:
        boto3.client("ssm", region_name=region).put_parameter(Name="/listings/index", Value=INDEX, Overwrite=True)  # expect-none
