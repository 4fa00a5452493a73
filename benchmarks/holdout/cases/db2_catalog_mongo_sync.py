from __future__ import annotations

import functools
import logging
from typing import Any, Iterable

from pymongo import MongoClient, UpdateOne
from pymongo.collection import Collection

log = logging.getLogger(__name__)


class CatalogSync:
    """Mirrors supplier price lists into the products collection."""

    def __init__(self, products: Collection, suppliers: Collection) -> None:
        self.products = products
        self.suppliers = suppliers

    def current_prices(self, skus: Iterable[str]) -> dict[str, Any]:
        return {sku: self.products.find_one({"sku": sku}, {"price": 1}) for sku in skus}  # expect: L2

    def current_prices_once(self, skus: Iterable[str]) -> dict[str, Any]:
        cursor = self.products.find({"sku": {"$in": list(skus)}}, {"sku": 1, "price": 1})  # expect-none
        return {doc["sku"]: doc for doc in cursor}

    def apply_prices(self, feed: list[dict]) -> int:
        changed = 0
        for entry in feed:
            if entry.get("discontinued"):
                break
            res = self.products.update_one(  # expect: L2
                {"sku": entry["sku"]}, {"$set": {"price": entry["price"]}}
            )
            changed += res.modified_count
        return changed

    def apply_prices_bulk(self, feed: list[dict]) -> int:
        ops = [UpdateOne({"sku": e["sku"]}, {"$set": {"price": e["price"]}}) for e in feed]  # expect-none
        if not ops:
            return 0
        return self.products.bulk_write(ops, ordered=False).modified_count

    def register_suppliers(self, names: list[str]) -> None:
        upsert = functools.partial(self.suppliers.update_one, upsert=True)
        for name in names:
            upsert({"name": name}, {"$setOnInsert": {"name": name, "active": True}})  # expect: L2

    def archive(self, docs: list[dict]) -> None:
        for doc in docs:
            doc.setdefault("archived", True)  # expect-none
        if docs:
            self.products.database["archive"].insert_many(docs)  # expect-none

    def restock_events(self, events: Iterable[dict]) -> None:
        for event in events:
            match event:
                case {"kind": "restock", "sku": sku, "qty": qty}:
                    self.products.update_one({"sku": sku}, {"$inc": {"stock": qty}})  # expect: L2
                case {"kind": "note", "text": text}:
                    log.info("note: %s", text)  # expect-none
                case _:
                    log.warning("unknown event %r", event)


def build_sync(uri: str) -> CatalogSync:
    db = MongoClient(uri)["shop"]
    return CatalogSync(db["products"], db["suppliers"])
