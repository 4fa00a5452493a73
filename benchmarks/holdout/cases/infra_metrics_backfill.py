from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import sessionmaker

from .schema import Metric, metrics_table

WAREHOUSE_URL = "postgresql+psycopg://etl@warehouse/metrics"
warehouse = create_engine(WAREHOUSE_URL, pool_pre_ping=True)  # expect-none


def load_day(day: str, rows: list[dict]) -> None:
    engine = create_engine(WAREHOUSE_URL)  # expect: L5
    with engine.begin() as conn:
        conn.execute(insert(metrics_table), rows)


def backfill(days: dict[str, list[dict]]) -> None:
    for day, rows in sorted(days.items()):
        load_day(day, rows)


def load_day_shared(day: str, rows: list[dict]) -> None:
    with warehouse.begin() as conn:  # expect-none
        conn.execute(insert(metrics_table), rows)


def latest_values(days: list[str]) -> dict[str, float]:
    latest = {}
    for day in days:
        make_session = sessionmaker(bind=create_engine(WAREHOUSE_URL))  # expect: L5
        with make_session() as session:
            latest[day] = session.scalar(select(Metric.value).where(Metric.day == day).limit(1))
    return latest
