"""Lambda handlers for a DynamoDB stream and an S3 upload trigger."""
import gzip
import json
import logging
import os
import subprocess
from pathlib import Path

import boto3
import requests
from boto3.dynamodb.types import TypeDeserializer

logger = logging.getLogger()
logger.setLevel(logging.INFO)
deser = TypeDeserializer()
s3 = boto3.client("s3")
table = boto3.resource("dynamodb").Table(os.environ["SUMMARY_TABLE"])
SEARCH_URL = os.environ["SEARCH_URL"]
http = requests.Session()


def _image(record: dict) -> dict:
    raw = record["dynamodb"].get("NewImage", {})
    return {k: deser.deserialize(v) for k, v in raw.items()}


def index_handler(event, context):
    for record in event["Records"]:
        if record["eventName"] == "REMOVE":
            continue
        doc = _image(record)
        logger.info(f"indexing {doc['pk']} from {record['eventSourceARN']}")  # expect: L4
        requests.put(f"{SEARCH_URL}/docs/{doc['pk']}", json=doc, timeout=3)  # expect: L4
    return {"batchItemFailures": []}


def index_handler_pooled(event, context):
    docs = [_image(r) for r in event["Records"] if r["eventName"] != "REMOVE"]
    for doc in docs:
        logger.info("indexing %s", doc["pk"])  # expect-none
        http.put(f"{SEARCH_URL}/docs/{doc['pk']}", json=doc, timeout=3)  # expect-none
    return {"batchItemFailures": []}


def bulk_index_handler(event, context):
    lines = []
    for record in event["Records"]:
        doc = _image(record)
        lines.append(json.dumps({"index": {"_id": doc["pk"]}}))
        lines.append(json.dumps(doc))
    http.post(f"{SEARCH_URL}/_bulk", data="\n".join(lines) + "\n", timeout=10)  # expect-none
    logger.warning(f"bulk indexed {len(lines) // 2} docs")  # expect-none


def compress_handler(event, context):
    workdir = Path("/tmp/incoming")
    workdir.mkdir(exist_ok=True)
    for rec in event["Records"]:
        key = rec["s3"]["object"]["key"]
        local = workdir / Path(key).name
        s3.download_file(rec["s3"]["bucket"]["name"], key, str(local))
    for local in workdir.iterdir():
        subprocess.run(["gzip", "-9", str(local)], check=True)  # expect: L4
    summary = workdir / "summary.txt"
    for local in workdir.glob("*.gz"):
        with open(summary, "a") as out:  # expect: L4
            out.write(f"{local.name}\t{local.stat().st_size}\n")
    logger.debug("compressed into {}".format(workdir))  # expect: L4


def compress_handler_batched(event, context):
    workdir = Path("/tmp/incoming")
    files = [str(p) for p in workdir.iterdir() if p.suffix != ".gz"]
    if files:
        subprocess.run(["gzip", "-9", *files], check=True)  # expect-none
    for local in workdir.glob("*.gz"):
        with gzip.open(local, "rb") as fh:
            head = fh.read(64)  # expect-none
        table.put_item(Item={"pk": local.name, "head": head.hex()})  # expect: L2
    logger.debug("compressed %d files", len(files))  # expect-none
