import sqlite3

import psycopg2
import pymysql

MYSQL = dict(host="legacy-db", user="report", password="report", database="shop")


def tenant_totals(tenants: dict[str, str]) -> dict[str, int]:
    totals = {}
    for name, dsn in tenants.items():
        with psycopg2.connect(dsn) as conn:  # expect-none
            with conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM orders")
                totals[name] = cur.fetchone()[0]
    return totals


def order_weights(order_ids: list[int]) -> dict[int, float]:
    weights = {}
    for oid in order_ids:
        conn = pymysql.connect(**MYSQL)  # expect: L5
        with conn.cursor() as cur:
            cur.execute("SELECT SUM(weight) FROM order_lines WHERE order_id = %s", (oid,))
            weights[oid] = cur.fetchone()[0] or 0.0
        conn.close()
    return weights


def order_weights_batched(order_ids: list[int]) -> dict[int, float]:
    conn = pymysql.connect(**MYSQL)  # expect-none
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT order_id, SUM(weight) FROM order_lines WHERE order_id IN %s GROUP BY order_id",
                (tuple(order_ids),),
            )
            return dict(cur.fetchall())
    finally:
        conn.close()


def tag_photos(db_path: str, photos) -> None:
    for photo in photos:
        con = sqlite3.connect(db_path)  # expect: L5
        con.execute("INSERT INTO tags(photo, tag) VALUES (?, ?)", (photo.id, photo.tag))
        con.commit()
        con.close()
