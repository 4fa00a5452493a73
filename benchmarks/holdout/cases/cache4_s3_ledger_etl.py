"""Nightly ledger ETL: CSV objects from S3, normalised, written back as JSON lines."""
import csv
import io
import json
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

import boto3

s3 = boto3.client("s3")
FISCAL_START = "2026-04-01"
FX_TABLE = '{"EUR": "1.0", "USD": "0.92", "GBP": "1.17"}'
ROUNDING = '{"EUR": 2, "USD": 2, "JPY": 0}'


def iter_rows(bucket: str, key: str):
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()
    yield from csv.DictReader(io.StringIO(body))


def _fiscal_start() -> datetime:
    return datetime.strptime(FISCAL_START, "%Y-%m-%d")  # expect: L3


def _fx_rates() -> dict:
    return {code: Decimal(rate) for code, rate in json.loads(FX_TABLE).items()}  # expect: L3


def in_period(row: dict) -> bool:
    return datetime.strptime(row["booked"], "%Y-%m-%d") >= _fiscal_start()  # expect-none


def to_eur(row: dict) -> Decimal:
    rates = _fx_rates()
    return Decimal(row["amount"]) * rates[row["currency"]]  # expect-none


def normalise(row: dict) -> dict:
    return {"id": row["id"], "eur": str(to_eur(row))}


def export_ledger(bucket: str, keys: list[str]) -> int:
    out = io.StringIO()
    written = 0
    for key in keys:
        for row in iter_rows(bucket, key):
            if in_period(row):
                out.write(json.dumps(normalise(row)) + "\n")
                written += 1
    s3.put_object(Bucket=bucket, Key="ledger/out.jsonl", Body=out.getvalue().encode())
    return written


@lru_cache(maxsize=1)
def _rounding() -> dict:
    return json.loads(ROUNDING)  # expect-none


def round_amount(row: dict) -> str:
    places = _rounding().get(row["currency"], 2)  # expect-none
    return f"{Decimal(row['amount']):.{places}f}"


def export_rounded(bucket: str, key: str) -> list[str]:
    return [round_amount(r) for r in iter_rows(bucket, key)]


def describe_run(bucket: str) -> str:
    start = datetime.strptime(FISCAL_START, "%Y-%m-%d")  # expect-none
    return f"ledger run for {bucket} from {start:%d %b %Y}"
