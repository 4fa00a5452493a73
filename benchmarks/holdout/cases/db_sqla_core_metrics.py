from sqlalchemy import Column, DateTime, Float, MetaData, String, Table, create_engine, insert, text

metadata = MetaData()
readings = Table(
    "readings",
    metadata,
    Column("sensor", String(32)),
    Column("taken_at", DateTime),
    Column("value", Float),
)
engine = create_engine("postgresql+psycopg://metrics@db/metrics")  # expect-none


def store_readings(batch: list[dict]) -> None:
    with engine.begin() as conn:
        for r in batch:
            conn.execute(insert(readings).values(sensor=r["sensor"], taken_at=r["ts"], value=r["v"]))  # expect: L2


def store_readings_many(batch: list[dict]) -> None:
    rows = [{"sensor": r["sensor"], "taken_at": r["ts"], "value": r["v"]} for r in batch]
    with engine.begin() as conn:
        conn.execute(insert(readings), rows)  # expect-none


def tag_sensors(tags: dict[str, str]) -> None:
    with engine.begin() as conn:
        for sensor, tag in tags.items():
            conn.execute(text("UPDATE sensors SET tag = :tag WHERE name = :name"), {"tag": tag, "name": sensor})  # expect: L2


def create_partitions() -> None:
    with engine.begin() as conn:
        for month in ("2026_01", "2026_02", "2026_03"):
            conn.execute(text(f"CREATE TABLE IF NOT EXISTS readings_{month} (LIKE readings)"))  # expect-none
