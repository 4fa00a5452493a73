"""Shipment ETL: pandas frames against SQLAlchemy Core tables."""
import pandas as pd
from sqlalchemy import MetaData, Table, create_engine, insert, select, text, update

engine = create_engine("postgresql+psycopg://etl@warehouse/shipping")  # expect-none
meta = MetaData()
shipments = Table("shipments", meta, autoload_with=engine)
carriers = Table("carriers", meta, autoload_with=engine)


def carrier_codes(frame: pd.DataFrame) -> pd.Series:
    with engine.connect() as conn:
        return frame["carrier_id"].map(
            lambda cid: conn.execute(select(carriers.c.code).where(carriers.c.id == cid)).scalar_one()  # expect: L2
        )


def carrier_codes_joined(frame: pd.DataFrame) -> pd.Series:
    lookup = pd.read_sql(select(carriers.c.id, carriers.c.code), engine).set_index("id")["code"]  # expect-none
    return frame["carrier_id"].map(lookup)  # expect-none


def write_rows(frame: pd.DataFrame) -> None:
    with engine.begin() as conn:
        for row in frame.itertuples(index=False):
            conn.execute(insert(shipments).values(ref=row.ref, weight=row.weight, carrier_id=row.carrier_id))  # expect: L2


def write_rows_batched(frame: pd.DataFrame) -> None:
    records = frame[["ref", "weight", "carrier_id"]].to_dict("records")
    with engine.begin() as conn:
        conn.execute(insert(shipments), records)  # expect-none


def mark_delivered(frame: pd.DataFrame) -> None:
    with engine.begin() as conn:
        frame.apply(
            lambda r: conn.execute(  # expect: L2
                text("UPDATE shipments SET delivered_at = :at WHERE ref = :ref"), {"at": r.at, "ref": r.ref}
            ),
            axis=1,
        )


def mark_delivered_batched(frame: pd.DataFrame) -> None:
    params = [{"at": at, "ref": ref} for ref, at in zip(frame["ref"], frame["at"])]
    with engine.begin() as conn:
        conn.execute(text("UPDATE shipments SET delivered_at = :at WHERE ref = :ref"), params)  # expect-none


def reweigh(refs: list[str], factor: float) -> None:
    with engine.begin() as conn:
        for ref in refs:
            conn.execute(update(shipments).where(shipments.c.ref == ref).values(weight=shipments.c.weight * factor))  # expect: L2


def daily_totals(days: list[str]) -> pd.DataFrame:
    frames = []
    with engine.connect() as conn:
        for day in days:
            frames.append(pd.read_sql(text("SELECT carrier_id, sum(weight) AS w FROM shipments WHERE day = :d GROUP BY 1"), conn, params={"d": day}))  # expect: L2
    return pd.concat(frames)


def refresh_views() -> None:
    with engine.begin() as conn:
        for view in ("mv_daily_weight", "mv_carrier_sla"):
            conn.execute(text(f"REFRESH MATERIALIZED VIEW {view}"))  # expect-none
