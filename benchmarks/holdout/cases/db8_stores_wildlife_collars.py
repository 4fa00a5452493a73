"""Ingest of GPS collar pings for the wildlife survey.

A gateway posts batches of ~500 pings every minute. Animals live in MongoDB, the
last-seen cache in Redis, track search in Elasticsearch and the alert rules in
DynamoDB. Clients are built once per worker process.
"""
import os
from datetime import datetime, timezone
from typing import Iterable

import boto3
import redis
from elasticsearch import Elasticsearch, helpers
from pymongo import MongoClient, UpdateOne

mongo = MongoClient(os.environ["MONGO_URL"])
animals = mongo.survey.animals
pings_coll = mongo.survey.pings
cache = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
es = Elasticsearch(os.environ["ES_URL"])
rules_table = boto3.resource("dynamodb").Table("collar-alert-rules")
ddb = boto3.client("dynamodb")

SPECIES = ("lynx", "wolf", "bear", "wildcat")


def _animal(collar_id: str) -> dict | None:
    return animals.find_one({"collar": collar_id}, {"_id": 1, "name": 1, "species": 1})


def _tag(ping: dict) -> dict:
    animal = _animal(ping["collar"])
    return {**ping, "animal": animal["_id"] if animal else None}


def store_batch(batch: list[dict]) -> None:
    tagged = [_tag(p) for p in batch]  # expect: L2
    pings_coll.insert_many(tagged)  # expect-none


def store_batch_joined(batch: list[dict]) -> None:
    collars = {p["collar"] for p in batch}
    owners = {a["collar"]: a["_id"] for a in animals.find({"collar": {"$in": list(collars)}})}  # expect-none
    pings_coll.insert_many([{**p, "animal": owners.get(p["collar"])} for p in batch])  # expect-none


def touch_last_seen(batch: list[dict]) -> None:
    for p in batch:
        animals.update_one({"collar": p["collar"]}, {"$set": {"last_seen": p["ts"]}})  # expect: L2


def touch_last_seen_bulk(batch: list[dict]) -> None:
    ops = [UpdateOne({"collar": p["collar"]}, {"$set": {"last_seen": p["ts"]}}) for p in batch]  # expect-none
    animals.bulk_write(ops, ordered=False)  # expect-none


class LastSeenCache:
    def __init__(self, client: redis.Redis):
        self.r = client

    def remember(self, pings: Iterable[dict]) -> None:
        for p in pings:
            self.r.hset(f"collar:{p['collar']}", mapping={"lat": p["lat"], "lon": p["lon"]})  # expect: L2

    def remember_piped(self, pings: Iterable[dict]) -> None:
        pipe = self.r.pipeline(transaction=False)
        for p in pings:
            pipe.hset(f"collar:{p['collar']}", mapping={"lat": p["lat"], "lon": p["lon"]})  # expect-none
        pipe.execute()

    def positions(self, collars: list[str]) -> dict[str, dict]:
        return {c: self.r.hgetall(f"collar:{c}") for c in collars}  # expect: L2

    def species_counters(self) -> dict[str, int]:
        return {s: int(self.r.get(f"count:{s}") or 0) for s in SPECIES}  # expect-none


def index_tracks(batch: list[dict]) -> None:
    for p in batch:
        es.index(index="tracks", document={"collar": p["collar"], "at": p["ts"], "loc": [p["lon"], p["lat"]]})  # expect: L2


def index_tracks_bulk(batch: list[dict]) -> None:
    actions = ({"_index": "tracks", "_source": {"collar": p["collar"], "at": p["ts"]}} for p in batch)
    helpers.bulk(es, actions)  # expect-none


def _rule_for(collar_id: str) -> dict:
    return rules_table.get_item(Key={"collar": collar_id}).get("Item", {})


def _breaches(ping: dict) -> bool:
    rule = _rule_for(ping["collar"])
    return bool(rule) and ping["speed_kmh"] > rule.get("max_speed", 60)


def alerts(batch: list[dict]) -> list[dict]:
    return [p for p in batch if _breaches(p)]  # expect: L2


def alerts_batched(batch: list[dict]) -> list[dict]:
    keys = [{"collar": c} for c in {p["collar"] for p in batch}][:100]
    got = ddb.batch_get_item(  # expect-none  # expect-span: 3
        RequestItems={"collar-alert-rules": {"Keys": keys}}
    )
    limits = {i["collar"]: i.get("max_speed", 60) for i in got["Responses"]["collar-alert-rules"]}
    return [p for p in batch if p["speed_kmh"] > limits.get(p["collar"], 60)]


def archive_day(day: datetime) -> int:
    moved = 0
    for doc in pings_coll.find({"ts": {"$lt": day.replace(tzinfo=timezone.utc)}}):
        pings_coll.delete_one({"_id": doc["_id"]})  # expect: L2
        moved += 1
    return moved


def archive_day_once(day: datetime) -> int:
    return pings_coll.delete_many({"ts": {"$lt": day.replace(tzinfo=timezone.utc)}}).deleted_count  # expect-none
