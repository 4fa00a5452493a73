"""
search_sync.flows
~~~~~~~~~~~~~~~~~

Prefect flows that keep the product search index and the price cache in step with
the warehouse database. Deployed as ``search-sync/nightly`` (full) and
``search-sync/incremental`` (every 5 minutes, up to a few thousand changed products).

Changelog:
    2.3  moved to Prefect 2 task runners
    2.4  price cache moved from memcached to Redis
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import psycopg2
import psycopg2.extras
import redis
from elasticsearch import Elasticsearch, helpers
from prefect import flow, get_run_logger, task

log = logging.getLogger(__name__)

PG_DSN = os.environ.get("WAREHOUSE_DSN", "dbname=warehouse")
ES_URL = os.environ.get("ES_URL", "http://localhost:9200")
INDEX = "products-v7"
LOCALES = ("en", "de", "fr")
PRICE_TTL = int(os.environ.get("PRICE_TTL", "900"))


@dataclass(slots=True)
class ProductDoc:
    id: int
    sku: str
    title: str
    brand: str | None = None
    tags: list[str] = field(default_factory=list)
    price_cents: int | None = None

    def to_source(self) -> dict[str, Any]:
        return {"sku": self.sku, "title": self.title, "brand": self.brand, "tags": self.tags, "price": self.price_cents}


@contextmanager
def warehouse() -> Iterator[psycopg2.extensions.connection]:
    conn = psycopg2.connect(PG_DSN)
    try:
        yield conn
    finally:
        conn.close()


def _es() -> Elasticsearch:
    return Elasticsearch(ES_URL, request_timeout=30)


def _redis() -> redis.Redis:
    return redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/2"))


# -- helpers -------------------------------------------------------------------------------

def _brand_name(cur, brand_id: int | None) -> str | None:
    if brand_id is None:
        return None
    cur.execute("SELECT name FROM brands WHERE id = %s", (brand_id,))
    row = cur.fetchone()
    return row[0] if row else None


def _changed_ids(cur, since: datetime) -> list[int]:
    cur.execute("SELECT id FROM products WHERE updated_at > %s ORDER BY id", (since,))  # expect-none
    return [r[0] for r in cur.fetchall()]


# -- tasks ---------------------------------------------------------------------------------

@task(retries=2, retry_delay_seconds=30)
def load_products(since: datetime) -> list[ProductDoc]:
    logger = get_run_logger()
    docs: list[ProductDoc] = []
    with warehouse() as conn, conn.cursor() as cur:
        ids = _changed_ids(cur, since)
        logger.info("%d products changed since %s", len(ids), since.isoformat())
        for product_id in ids:
            cur.execute("SELECT id, sku, title, brand_id FROM products WHERE id = %s", (product_id,))  # expect: L2
            pid, sku, title, brand_id = cur.fetchone()
            doc = ProductDoc(id=pid, sku=sku, title=title, brand=_brand_name(cur, brand_id))  # expect: L2
            cur.execute("SELECT t.label FROM product_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.product_id = %s", (pid,))  # expect: L2
            doc.tags = [r[0] for r in cur.fetchall()]
            docs.append(doc)
    return docs


@task
def load_products_joined(since: datetime) -> list[ProductDoc]:
    sql = """
        SELECT p.id, p.sku, p.title, b.name, coalesce(array_agg(t.label) FILTER (WHERE t.id IS NOT NULL), '{}')
        FROM products p
        LEFT JOIN brands b ON b.id = p.brand_id
        LEFT JOIN product_tags pt ON pt.product_id = p.id
        LEFT JOIN tags t ON t.id = pt.tag_id
        WHERE p.updated_at > %s
        GROUP BY p.id, b.name
    """
    with warehouse() as conn, conn.cursor(name="products_stream") as cur:
        cur.itersize = 2000
        cur.execute(sql, (since,))  # expect-none
        return [ProductDoc(id=r[0], sku=r[1], title=r[2], brand=r[3], tags=list(r[4])) for r in cur]


@task
def attach_prices(docs: list[ProductDoc]) -> list[ProductDoc]:
    r = _redis()
    for doc in docs:
        cached = r.get(f"price:{doc.sku}")  # expect: L2
        doc.price_cents = int(cached) if cached is not None else None
    return docs


@task
def attach_prices_mget(docs: list[ProductDoc]) -> list[ProductDoc]:
    r = _redis()
    values = r.mget([f"price:{d.sku}" for d in docs])  # expect-none
    for doc, cached in zip(docs, values):
        doc.price_cents = int(cached) if cached is not None else None
    return docs


@task
def refresh_price_cache(docs: list[ProductDoc]) -> int:
    r = _redis()
    written = 0
    with warehouse() as conn, conn.cursor(cursor_factory=psycopg2.extras.DictCursor) as cur:
        cur.execute("SELECT sku, price_cents FROM prices WHERE sku = ANY(%s)", ([d.sku for d in docs],))  # expect-none
        with r.pipeline(transaction=False) as pipe:
            for row in cur:
                pipe.setex(f"price:{row['sku']}", PRICE_TTL, row["price_cents"])  # expect-none
                written += 1
            pipe.execute()
    return written


@task
def index_documents(docs: Iterable[ProductDoc]) -> int:
    es = _es()
    n = 0
    for doc in docs:
        es.index(index=INDEX, id=doc.id, document=doc.to_source())  # expect: L2
        n += 1
    return n


@task
def bulk_index(docs: Iterable[ProductDoc]) -> int:
    actions = ({"_index": INDEX, "_id": d.id, "_source": d.to_source()} for d in docs)
    ok, errors = helpers.bulk(_es(), actions, chunk_size=1000, raise_on_error=False)  # expect-none
    if errors:
        log.warning("%d bulk errors", len(errors))
    return ok


@task
def drop_deleted(since: datetime) -> int:
    es = _es()
    with warehouse() as conn, conn.cursor() as cur:
        cur.execute("SELECT id FROM products WHERE deleted_at > %s", (since,))
        ids = [r[0] for r in cur.fetchall()]
    for product_id in ids:
        es.delete(index=INDEX, id=product_id, ignore=[404])  # expect: L2
    return len(ids)


@task
def ensure_aliases() -> None:
    es = _es()
    for locale in LOCALES:
        es.indices.put_alias(index=INDEX, name=f"products-{locale}")  # expect-none


@flow(name="search-sync")
def search_sync(full: bool = False) -> None:
    since = datetime.now(timezone.utc) - (timedelta(days=3650) if full else timedelta(minutes=6))
    docs = load_products_joined(since)
    docs = attach_prices_mget(docs)
    bulk_index(docs)
    drop_deleted(since)


if __name__ == "__main__":
    ensure_aliases()
    search_sync(full=True)
