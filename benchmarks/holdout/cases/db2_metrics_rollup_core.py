from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Iterable, NamedTuple

from sqlalchemy import Column, DateTime, Float, Integer, MetaData, String, Table, create_engine, insert, select, text
from sqlalchemy.engine import Engine

metadata = MetaData()
samples = Table(
    "samples", metadata,
    Column("id", Integer, primary_key=True),
    Column("host", String(64)),
    Column("metric", String(64)),
    Column("value", Float),
    Column("at", DateTime),
)
engine = create_engine("postgresql+psycopg://metrics@db/metrics")


class Sample(NamedTuple):
    host: str
    metric: str
    value: float
    at: datetime


def write_samples(eng: Engine, batch: Iterable[Sample]) -> None:
    with eng.begin() as conn:
        for s in batch:
            conn.execute(insert(samples).values(host=s.host, metric=s.metric, value=s.value, at=s.at))  # expect: L2


def write_samples_once(eng: Engine, batch: list[Sample]) -> None:
    if not batch:
        return
    with eng.begin() as conn:
        conn.execute(insert(samples), [s._asdict() for s in batch])  # expect-none


def host_peaks(eng: Engine, hosts: list[str], metric: str) -> dict[str, float]:
    peaks = {}
    with eng.connect() as conn:
        for host in hosts:
            peaks[host] = conn.execute(  # expect: L2
                text("SELECT max(value) FROM samples WHERE host = :h AND metric = :m"), {"h": host, "m": metric}
            ).scalar_one_or_none()
    return peaks


def host_peaks_grouped(eng: Engine, hosts: list[str], metric: str) -> dict[str, float]:
    stmt = text("SELECT host, max(value) FROM samples WHERE metric = :m AND host = ANY(:hs) GROUP BY host")
    with eng.connect() as conn:
        return dict(conn.execute(stmt, {"m": metric, "hs": hosts}).all())  # expect-none


def rollup(eng: Engine, since: datetime) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = defaultdict(dict)
    with eng.connect() as conn:
        rows = conn.execute(select(samples.c.host, samples.c.metric, samples.c.value).where(samples.c.at >= since))
        for host, metric, value in rows:
            out[host][metric] = max(value, out[host].get(metric, value))  # expect-none
    return out


def create_schema() -> None:
    with engine.begin() as conn:
        for stmt in ("CREATE EXTENSION IF NOT EXISTS timescaledb", "SELECT 1"):
            conn.execute(text(stmt))  # expect-none
        metadata.create_all(conn)
