"""Audit trail store on MongoDB (pymongo 4).

Writers: the admin API (one audit entry per mutating request). Readers: the compliance
export, which walks every actor of a period (tens of thousands).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property

from pymongo import MongoClient as Mongo
from pymongo import ReplaceOne, UpdateOne
from pymongo.collection import Collection

log = logging.getLogger("audit.store")

MONGO_URL = "mongodb://localhost:27017"
SEVERITIES = ("info", "warning", "critical")


def _db(url: str = MONGO_URL):
    return Mongo(url, tz_aware=True)["audit"]


@dataclass
class Entry:
    coll_actors: Collection
    actor_id: str
    action: str
    at: datetime

    @property
    def actor(self) -> dict | None:
        return self.coll_actors.find_one({"_id": self.actor_id}, {"name": 1, "email": 1})

    @cached_property
    def actor_once(self) -> dict | None:
        return self.coll_actors.find_one({"_id": self.actor_id}, {"name": 1})


class AuditStore:
    def __init__(self, url: str = MONGO_URL) -> None:
        db = _db(url)
        self.entries: Collection = db["entries"]
        self.actors: Collection = db["actors"]

    def entries_since(self, since: datetime) -> list[Entry]:
        return [
            Entry(self.actors, d["actor"], d["action"], d["at"])
            for d in self.entries.find({"at": {"$gte": since}}).sort("at", 1)  # expect-none
        ]

    def export_rows(self, since: datetime) -> list[tuple]:
        rows = []
        for e in self.entries_since(since):
            who = e.actor or {}  # expect: L2
            rows.append((e.at.isoformat(), who.get("name"), e.action))
        return rows

    def export_rows_joined(self, since: datetime) -> list[tuple]:
        entries = self.entries_since(since)
        ids = list({e.actor_id for e in entries})
        names = {a["_id"]: a["name"] for a in self.actors.find({"_id": {"$in": ids}}, {"name": 1})}  # expect-none
        return [(e.at.isoformat(), names.get(e.actor_id), e.action) for e in entries]

    def busiest(self, actor_ids: Sequence[str]) -> list[str]:
        def activity(actor_id: str) -> int:
            return self.entries.count_documents({"actor": actor_id})

        return sorted(actor_ids, key=activity, reverse=True)  # expect: L2

    def busiest_aggregated(self) -> list[str]:
        pipeline = [{"$group": {"_id": "$actor", "n": {"$sum": 1}}}, {"$sort": {"n": -1}}]
        return [d["_id"] for d in self.entries.aggregate(pipeline)]  # expect-none

    def severity_counts(self) -> dict[str, int]:
        return {s: self.entries.count_documents({"severity": s}) for s in SEVERITIES}  # expect-none

    def upsert_actors(self, actors: Iterable[dict]) -> None:
        for a in actors:
            self.actors.replace_one({"_id": a["_id"]}, a, upsert=True)  # expect: L2

    def upsert_actors_bulk(self, actors: Iterable[dict]) -> None:
        ops = [ReplaceOne({"_id": a["_id"]}, a, upsert=True) for a in actors]
        if ops:
            self.actors.bulk_write(ops, ordered=False)  # expect-none

    def touch(self, actor_ids: Iterable[str]) -> None:
        now = datetime.now(timezone.utc)
        for actor_id in actor_ids:
            self.actors.update_one({"_id": actor_id}, {"$set": {"last_seen": now}})  # expect: L2

    def touch_many(self, actor_ids: list[str]) -> None:
        now = datetime.now(timezone.utc)
        self.actors.update_many({"_id": {"$in": actor_ids}}, {"$set": {"last_seen": now}})  # expect-none

    def redact(self, entry_ids: Iterable[str]) -> None:
        ops = [UpdateOne({"_id": i}, {"$unset": {"payload": ""}}) for i in entry_ids]  # expect-none
        self.entries.bulk_write(ops)

    def purge(self, actor_ids: Iterable[str]) -> int:
        removed = 0
        for actor_id in actor_ids:
            res = self.entries.delete_many({"actor": actor_id})  # expect: L2
            removed += res.deleted_count
        return removed


if __name__ == "__main__":
    store = AuditStore()
    for sev in SEVERITIES:
        print(sev, store.entries.count_documents({"severity": sev}))  # expect-none
