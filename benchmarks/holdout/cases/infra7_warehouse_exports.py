"""Nightly exports from the warehouse to partner SFTP drops and the geo service."""
from __future__ import annotations

import csv
import io
import logging
import sqlite3 as sq
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Iterable, Iterator

import httpx
import paramiko
import psycopg2
from psycopg2 import connect as pg_connect

log = logging.getLogger("exports")

WAREHOUSE_DSN = "dbname=warehouse host=dw.internal user=exporter"
GEO_BASE = "https://geo.internal/v2"
SFTP_HOST = "drop.partner.example"
LOCAL_CACHE = "/var/cache/exports/meta.db"


@contextmanager
def warehouse() -> Iterator[psycopg2.extensions.cursor]:
    conn = pg_connect(WAREHOUSE_DSN)  # expect: L5
    try:
        with conn.cursor() as cur:
            yield cur
    finally:
        conn.close()


def daily_totals(days: Iterable[date]) -> dict[date, int]:
    totals: dict[date, int] = {}
    for day in days:
        with warehouse() as cur:
            cur.execute("SELECT count(*) FROM orders WHERE created::date = %s", (day,))
            totals[day] = cur.fetchone()[0]
    return totals


def daily_totals_one_connection(days: list[date]) -> dict[date, int]:
    with warehouse() as cur:
        cur.execute(
            "SELECT created::date, count(*) FROM orders WHERE created::date = ANY(%s) GROUP BY 1",
            (days,),
        )
        return dict(cur.fetchall())


def with_coordinates(rows: Iterable[dict]) -> Iterator[dict]:
    """Yield each row with lat/lon filled in from the geo service."""
    for row in rows:
        geo = httpx.Client(base_url=GEO_BASE, timeout=3.0)  # expect: L5
        resp = geo.get("/lookup", params={"zip": row["zip"]})
        yield {**row, **resp.json()}


def with_coordinates_shared(rows: Iterable[dict]) -> Iterator[dict]:
    with httpx.Client(base_url=GEO_BASE, timeout=3.0) as geo:  # expect-none
        for row in rows:
            yield {**row, **geo.get("/lookup", params={"zip": row["zip"]}).json()}


def _meta(key: str) -> str | None:
    conn = sq.connect(LOCAL_CACHE)  # expect: L5
    try:
        found = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return found[0] if found else None
    finally:
        conn.close()


def last_export_marks(partners: list[str]) -> dict[str, str | None]:
    return {p: _meta(f"last:{p}") for p in partners}


def schema_version() -> str | None:
    return _meta("schema")  # expect-none


def upload(partner: str, name: str, payload: bytes) -> None:
    ssh = paramiko.SSHClient()  # expect-none
    ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    ssh.connect(SFTP_HOST, username=partner)
    with ssh.open_sftp() as sftp:
        sftp.putfo(io.BytesIO(payload), f"/in/{name}")
    ssh.close()


def render(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=sorted(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode()


def export_all(partners: dict[str, list[dict]]) -> None:
    for partner, rows in partners.items():
        upload(partner, f"{date.today():%Y%m%d}.csv", render(rows))


def export_week(partner: str, rows: list[dict]) -> None:
    ssh = paramiko.SSHClient()  # expect-none
    ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    ssh.connect(SFTP_HOST, username=partner)
    with ssh.open_sftp() as sftp:
        start = date.today() - timedelta(days=7)
        for offset in range(7):
            day = start + timedelta(days=offset)
            day_rows = [r for r in rows if r["day"] == day.isoformat()]
            sftp.putfo(io.BytesIO(render(day_rows)), f"/in/{day:%Y%m%d}.csv")
    ssh.close()


def probe_backup(paths: tuple[str, ...] = ("/var/backups/a.db", "/var/backups/b.db")) -> list[int]:
    sizes = []
    for path in paths:
        with sq.connect(path) as conn:  # expect-none
            sizes.append(conn.execute("PRAGMA page_count").fetchone()[0])
    return sizes
