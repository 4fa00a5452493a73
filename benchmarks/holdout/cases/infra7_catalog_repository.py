"""
catalog.repository
~~~~~~~~~~~~~~~~~~

Storage layer for the product catalog: DynamoDB for items, Redis for prices,
MongoDB for the audit trail.  :class:`CatalogService` is what the import worker
and the HTTP layer call; the worker feeds it one supplier file at a time.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Iterable, Iterator, Mapping

import boto3
from pymongo import MongoClient as Mongo
from redis import Redis

logger = logging.getLogger(__name__)

TABLE_NAME = os.environ.get("CATALOG_TABLE", "catalog-items")
REDIS_URL = os.environ.get("PRICES_URL", "redis://cache:6379/3")
AUDIT_URI = os.environ.get("AUDIT_URI", "mongodb://audit:27017")


@dataclass(slots=True)
class Item:
    sku: str
    title: str
    price: Decimal
    supplier: str


class ItemTable:
    """Thin wrapper over the DynamoDB table; one instance per worker process."""

    def __init__(self, table_name: str = TABLE_NAME) -> None:
        self.table_name = table_name

    @property
    def table(self):
        return boto3.resource("dynamodb").Table(self.table_name)  # expect: L5

    def put(self, item: Item) -> None:
        self.table.put_item(Item={"sku": item.sku, "title": item.title, "price": item.price})


class CachedItemTable(ItemTable):
    """Same table, resolved once per instance."""

    @cached_property
    def table(self):
        return boto3.resource("dynamodb").Table(self.table_name)  # expect-none


class PriceBook:
    """Read-only mapping of sku -> price backed by Redis."""

    def __getitem__(self, sku: str) -> Decimal:
        raw = Redis.from_url(REDIS_URL).hget("prices", sku)  # expect: L5
        if raw is None:
            raise KeyError(sku)
        return Decimal(raw.decode())

    def __contains__(self, sku: str) -> bool:
        client = Redis.from_url(REDIS_URL, socket_timeout=2)  # expect: L5
        return bool(client.hexists("prices", sku))


class SharedPriceBook:
    def __init__(self, url: str = REDIS_URL) -> None:
        self._redis = Redis.from_url(url)  # expect-none

    def __getitem__(self, sku: str) -> Decimal:
        raw = self._redis.hget("prices", sku)  # expect-none
        if raw is None:
            raise KeyError(sku)
        return Decimal(raw.decode())

    def many(self, skus: list[str]) -> list[Decimal | None]:
        raws = self._redis.hmget("prices", skus)  # expect-none
        return [Decimal(r.decode()) if r else None for r in raws]


class AuditTrail:
    def record(self, action: str, sku: str) -> None:
        with Mongo(AUDIT_URI, serverSelectionTimeoutMS=2000) as client:  # expect: L5
            client.audit.events.insert_one({"action": action, "sku": sku})

    def record_many(self, action: str, skus: Iterable[str]) -> None:
        with Mongo(AUDIT_URI) as client:  # expect-none
            client.audit.events.insert_many([{"action": action, "sku": s} for s in skus])


class CatalogService:
    def __init__(self, items: ItemTable, prices: PriceBook, audit: AuditTrail) -> None:
        self.items = items
        self.prices = prices
        self.audit = audit

    def import_supplier(self, rows: Iterable[Mapping[str, str]]) -> int:
        count = 0
        for row in rows:
            item = Item(row["sku"], row["title"], Decimal(row["price"]), row["supplier"])
            if item.sku in self.prices and self.prices[item.sku] == item.price:
                continue
            self.items.put(item)
            self.audit.record("upsert", item.sku)
            count += 1
        logger.info("imported %d items", count)
        return count

    def price_list(self, skus: Iterable[str]) -> Iterator[tuple[str, Decimal]]:
        for sku in skus:
            yield sku, self.prices[sku]


def build_service() -> CatalogService:
    return CatalogService(ItemTable(), PriceBook(), AuditTrail())


if __name__ == "__main__":
    svc = build_service()
    table = boto3.resource("dynamodb").Table(TABLE_NAME)  # expect-none
    logger.info("table status: %s", table.table_status)
