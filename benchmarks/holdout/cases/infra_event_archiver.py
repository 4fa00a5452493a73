import gzip
import json
import os

import boto3
from google.cloud import storage

BUCKET = os.environ["ARCHIVE_BUCKET"]
dynamo = boto3.resource("dynamodb")  # expect-none
events_table = dynamo.Table(os.environ["EVENTS_TABLE"])


def handler(event, context):
    s3 = boto3.client("s3")  # expect: L5
    for record in event["Records"]:
        body = json.loads(record["body"])
        s3.put_object(Bucket=BUCKET, Key=f"events/{body['id']}.json.gz", Body=gzip.compress(record["body"].encode()))
    return {"archived": len(event["Records"])}


def mirror_handler(event, context):
    gcs = storage.Client()  # expect: L5
    bucket = gcs.bucket(os.environ["MIRROR_BUCKET"])
    for record in event["Records"]:
        key = record["s3"]["object"]["key"]
        bucket.blob(key).upload_from_string(json.dumps(record["s3"]["object"]))
    return {"mirrored": len(event["Records"])}


def status_handler(event, context):
    item = events_table.get_item(Key={"pk": event["pathParameters"]["id"]}).get("Item")  # expect-none
    return {"statusCode": 200 if item else 404, "body": json.dumps(item or {}, default=str)}


def replay(keys: list[str]) -> int:
    found = 0
    for key in keys:
        table = boto3.resource("dynamodb").Table(os.environ["EVENTS_TABLE"])  # expect: L5
        found += "Item" in table.get_item(Key={"pk": key})
    return found
