"""Daily settlement ETL: S3 CSV drops into one parquet frame."""
import io

import boto3
import numpy as np
import pandas as pd

BUCKET = "settlements-raw"


def _keys(client, day: str):
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=BUCKET, Prefix=f"{day}/"):
        for obj in page.get("Contents", []):
            yield obj["Key"]


def _read_body(client, key: str) -> bytes:
    body = client.get_object(Bucket=BUCKET, Key=key)["Body"]
    blob = b""
    for chunk in body.iter_chunks(chunk_size=1 << 16):
        blob += chunk  # expect: L1
    return blob


def _read_body_joined(client, key: str) -> bytes:
    body = client.get_object(Bucket=BUCKET, Key=key)["Body"]
    return b"".join(body.iter_chunks(chunk_size=1 << 16))  # expect-none


def load_day(day: str) -> pd.DataFrame:
    s3 = boto3.client("s3")
    merged = pd.DataFrame()
    for key in _keys(s3, day):
        part = pd.read_csv(io.BytesIO(_read_body(s3, key)))
        merged = pd.concat([merged, part], ignore_index=True)  # expect: L1
    return merged


def load_day_once(day: str) -> pd.DataFrame:
    s3 = boto3.client("s3")
    parts = [pd.read_csv(io.BytesIO(_read_body_joined(s3, k))) for k in _keys(s3, day)]
    return pd.concat(parts, ignore_index=True)  # expect-none


def fee_column(frame: pd.DataFrame) -> pd.DataFrame:
    frame["fee"] = frame.apply(lambda r: r["gross"] * r["rate"] + r["fixed"], axis=1)  # expect: L1
    frame["net"] = frame["gross"] - frame["fee"]  # expect-none
    return frame


def flag_chargebacks(frame: pd.DataFrame) -> list[int]:
    flagged = []
    for row in frame.itertuples(index=False):  # expect: L1  # expect-span: 2
        if row.amount < 0 and abs(row.amount) > row.limit:
            flagged.append(row.txn_id)
    return flagged


def merchant_totals(frame: pd.DataFrame) -> dict:
    totals = {}
    for _, row in frame.iterrows():  # expect: L1  # expect-span: 2
        totals[row["merchant"]] = totals.get(row["merchant"], 0.0) + row["net"]
    return totals


def merchant_totals_grouped(frame: pd.DataFrame) -> dict:
    return frame.groupby("merchant")["net"].sum().to_dict()  # expect-none


def risk_scores(frame: pd.DataFrame, weights: np.ndarray) -> np.ndarray:
    scores = np.empty(0)
    for chunk in np.array_split(frame[["gross", "rate", "fixed"]].to_numpy(), 64):
        scores = np.append(scores, chunk @ weights)  # expect: L1
    return scores


def risk_scores_prealloc(frame: pd.DataFrame, weights: np.ndarray) -> np.ndarray:
    values = frame[["gross", "rate", "fixed"]].to_numpy()
    out = np.zeros(len(values))  # expect-none
    out[:] = values @ weights
    return out
