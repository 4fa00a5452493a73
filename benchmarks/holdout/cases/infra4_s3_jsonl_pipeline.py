"""JSONL exports on S3: generators, map callbacks, thread pools, per-region clients."""
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import boto3

EXPORT_BUCKET = "events-export"
REGIONS = ["eu-west-1", "us-east-1", "ap-southeast-2"]
_local = threading.local()


def iter_events(keys):
    for key in keys:
        s3 = boto3.client("s3")  # expect: L5
        body = s3.get_object(Bucket=EXPORT_BUCKET, Key=key)["Body"]
        for line in body.iter_lines():
            yield json.loads(line)


def iter_events_shared(keys):
    s3 = boto3.client("s3")  # expect-none
    for key in keys:
        body = s3.get_object(Bucket=EXPORT_BUCKET, Key=key)["Body"]
        for line in body.iter_lines():
            yield json.loads(line)


def count_events(keys):
    return sum(1 for _ in iter_events(keys))


def object_size(key):
    bucket = boto3.resource("s3").Bucket(EXPORT_BUCKET)  # expect: L5
    return bucket.Object(key).content_length


def total_size(keys):
    return sum(map(object_size, keys))


def upload_one(path):
    client = boto3.session.Session().client("s3")  # expect: L5
    client.upload_file(path, EXPORT_BUCKET, path.rsplit("/", 1)[-1])


def upload_all(paths):
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(upload_one, paths))


def _thread_client():
    client = getattr(_local, "s3", None)
    if client is None:
        client = _local.s3 = boto3.session.Session().client("s3")  # expect-none
    return client


def upload_one_reused(path):
    _thread_client().upload_file(path, EXPORT_BUCKET, path.rsplit("/", 1)[-1])  # expect-none


def upload_all_reused(paths):
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(upload_one_reused, paths))


def replicate_manifest(manifest):
    for region in REGIONS:
        regional = boto3.client("s3", region_name=region)  # expect-none
        regional.put_object(Bucket=f"{EXPORT_BUCKET}-{region}", Key="manifest.json", Body=json.dumps(manifest))
