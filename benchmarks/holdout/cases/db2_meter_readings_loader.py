"""Load smart-meter readings from CSV exports into Postgres (psycopg 3)."""
import csv
import itertools
from contextlib import contextmanager
from pathlib import Path

import psycopg

TABLES = ("readings", "meters", "tariffs")


@contextmanager
def transaction(dsn):
    with psycopg.connect(dsn) as conn:
        with conn.transaction():
            yield conn


def parse(path):
    with Path(path).open(newline="") as fh:
        for rec in csv.DictReader(fh):
            yield rec["meter"], rec["ts"], float(rec["kwh"])


def load_rows(dsn, path):
    with transaction(dsn) as conn, conn.cursor() as cur:
        for meter, ts, kwh in parse(path):
            cur.execute(  # expect: L2
                "INSERT INTO readings (meter, ts, kwh) VALUES (%s, %s, %s)", (meter, ts, kwh)
            )


def load_rows_batched(dsn, path):
    with transaction(dsn) as conn, conn.cursor() as cur:
        rows = parse(path)
        while chunk := list(itertools.islice(rows, 5000)):
            cur.executemany("INSERT INTO readings (meter, ts, kwh) VALUES (%s, %s, %s)", chunk)  # expect-none


def load_rows_copy(dsn, path):
    with transaction(dsn) as conn, conn.cursor() as cur:
        with cur.copy("COPY readings (meter, ts, kwh) FROM STDIN") as copy:
            for row in parse(path):
                copy.write_row(row)  # expect-none


def tariff_for_each(dsn, meters):
    found = {}
    with psycopg.connect(dsn) as conn:
        for meter in meters:
            row = conn.execute("SELECT tariff FROM meters WHERE id = %s", (meter,)).fetchone()  # expect: L2
            if row:
                found[meter] = row[0]
    return found


def tariff_lookup(dsn, meters):
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT id, tariff FROM meters WHERE id = ANY(%s)", (list(meters),))  # expect-none
        return dict(rows.fetchall())


def truncate_all(dsn):
    with transaction(dsn) as conn:
        for table in TABLES:
            conn.execute(f"TRUNCATE {table} CASCADE")  # expect-none


def stream_since(dsn, last_id=0, page=1000):
    with psycopg.connect(dsn) as conn:
        while True:
            rows = conn.execute(  # expect-none
                "SELECT id, meter, kwh FROM readings WHERE id > %s ORDER BY id LIMIT %s", (last_id, page)
            ).fetchall()
            if not rows:
                return
            yield from rows
            last_id = rows[-1][0]
