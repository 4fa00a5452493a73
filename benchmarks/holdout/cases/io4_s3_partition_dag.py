"""Nightly partition export: Airflow TaskFlow tasks over S3 objects (boto3, csv, requests)."""
import csv
import gzip
import io
import logging
from datetime import datetime

import boto3
import requests
from airflow.decorators import dag, task

log = logging.getLogger("airflow.task")
BUCKET = "clickstream-raw"
MANIFEST = "/data/exports/manifest.csv"
AUDIT = "/data/exports/audit.log"
REGIONS = ("eu-west-1", "us-east-1")


@task
def list_partitions(ds: str) -> list[str]:
    s3 = boto3.client("s3")
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=f"dt={ds}/")
    return [obj["Key"] for page in pages for obj in page.get("Contents", [])]


@task
def register_partitions(keys: list[str]) -> int:
    registered = 0
    for key in keys:
        resp = requests.put(f"https://catalog.internal/partitions/{key}", timeout=10)  # expect: L4
        registered += resp.status_code == 201
    return registered


@task
def ping_regions() -> dict:
    return {r: requests.get(f"https://{r}.status.internal/ok").ok for r in REGIONS}  # expect-none


@task
def summarise(keys: list[str]) -> None:
    s3 = boto3.client("s3")
    for key in keys:
        body = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        rows = sum(1 for _ in csv.reader(io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(body)))))
        with open(MANIFEST, "a", newline="") as out:  # expect: L4
            csv.writer(out).writerow([key, rows])
        log.info("partition %s: %d rows" % (key, rows))  # expect: L4


@task
def summarise_once(keys: list[str]) -> None:
    s3 = boto3.client("s3")
    with open(MANIFEST, "w", newline="") as out:  # expect-none
        writer = csv.writer(out)
        for key in keys:
            size = s3.head_object(Bucket=BUCKET, Key=key)["ContentLength"]
            writer.writerow([key, size])
            log.info("partition %s: %d bytes", key, size)  # expect-none


@task
def audit(keys: list[str]) -> None:
    with open(AUDIT, "w") as trail:  # expect-none
        for key in keys:
            print(datetime.utcnow().isoformat(), key, file=trail, flush=True)  # expect: L4
        print("done", len(keys), file=trail)  # expect-none


@dag(schedule="@daily", start_date=datetime(2026, 1, 1), catchup=False)
def clickstream_export():
    keys = list_partitions("{{ ds }}")
    register_partitions(keys)
    summarise(keys)
    audit(keys)


clickstream_export()
