import sqlite3
from typing import Iterable, Iterator

import psycopg2
import pymysql
from flask import Blueprint, jsonify
from sqlalchemy import create_engine, text

bp = Blueprint("reports", __name__)

PG_DSN = "dbname=crm user=app host=pg"
MYSQL = {"host": "mysql", "user": "app", "password": "", "database": "legacy"}
SQLITE_PATH = "/var/lib/app/cache.db"
WAREHOUSE_URL = "postgresql://app@warehouse/dw"
WAREHOUSE = create_engine(WAREHOUSE_URL)  # expect-none


class UserRepository:
    def __init__(self, dsn: str = PG_DSN) -> None:
        self.dsn = dsn

    def fetch_user(self, uid: int):
        conn = psycopg2.connect(self.dsn)  # expect: L5
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT id, email FROM users WHERE id = %s", (uid,))
                return cur.fetchone()
        finally:
            conn.close()

    def fetch_users(self, uids: list[int]):
        with psycopg2.connect(self.dsn) as conn, conn.cursor() as cur:  # expect-none
            cur.execute("SELECT id, email FROM users WHERE id = ANY(%s)", (uids,))
            return cur.fetchall()


def emails_for(repo: UserRepository, uids: Iterable[int]) -> list[str]:
    return [row[1] for uid in uids if (row := repo.fetch_user(uid))]


def legacy_batches(ids: list[int], size: int = 200) -> Iterator[list[tuple]]:
    for start in range(0, len(ids), size):
        conn = pymysql.connect(**MYSQL)  # expect: L5
        with conn.cursor() as cur:
            cur.execute("SELECT * FROM orders WHERE id IN %s", (tuple(ids[start:start + size]),))
            yield cur.fetchall()
        conn.close()


def cache_scores(keys: list[str], scores: list[float]) -> None:
    for key, value in zip(keys, scores):
        with sqlite3.connect(SQLITE_PATH) as db:  # expect: L5
            db.execute("INSERT OR REPLACE INTO scores VALUES (?, ?)", (key, value))


def cache_scores_once(keys: list[str], scores: list[float]) -> None:
    with sqlite3.connect(SQLITE_PATH) as db:  # expect-none
        db.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?)", zip(keys, scores))


def refresh_tenants(tenant_dsns: dict[str, str]) -> None:
    for name, dsn in tenant_dsns.items():
        with psycopg2.connect(dsn) as conn, conn.cursor() as cur:  # expect-none
            cur.execute("REFRESH MATERIALIZED VIEW tenant_stats")


@bp.get("/revenue")
def revenue():
    engine = create_engine(WAREHOUSE_URL, pool_size=2)  # expect: L5
    with engine.connect() as conn:
        total = conn.execute(text("SELECT sum(amount) FROM sales")).scalar()
    return jsonify(total=total)


@bp.get("/revenue/by-region")
def revenue_by_region():
    with WAREHOUSE.connect() as conn:  # expect-none
        rows = conn.execute(text("SELECT region, sum(amount) FROM sales GROUP BY 1")).all()
    return jsonify(dict(rows))
