"""Class-based Celery tasks and Huey jobs for the media pipeline."""
import json

import boto3
import grpc
import requests
from celery import Celery, Task
from huey import RedisHuey, crontab
from kafka import KafkaProducer

celery_app = Celery("media", broker="redis://broker:6379/0")
huey = RedisHuey("media", host="broker")


class TranscodeTask(Task):
    name = "media.transcode"

    def run(self, asset_id):
        producer = KafkaProducer(bootstrap_servers="kafka:9092")  # expect: L5
        producer.send("transcode", json.dumps({"asset": asset_id}).encode())
        producer.flush()


class ThumbnailTask(Task):
    name = "media.thumbnail"
    _s3 = None

    @property
    def s3(self):
        if self._s3 is None:
            self._s3 = boto3.client("s3")  # expect-none
        return self._s3

    def run(self, key):
        self.s3.copy_object(Bucket="thumbs", Key=key, CopySource={"Bucket": "raw", "Key": key})


class ProbeTask(celery_app.Task):
    def run(self, url):
        channel = grpc.insecure_channel("probe:50051")  # expect: L5
        try:
            return channel.unary_unary("/probe.Probe/Check")(url.encode())
        finally:
            channel.close()


celery_app.register_task(TranscodeTask())
celery_app.register_task(ThumbnailTask())
celery_app.register_task(ProbeTask())


@huey.task(retries=2)
def push_webhook(url, payload):
    with requests.Session() as s:  # expect: L5
        s.post(url, json=payload, timeout=5)


WEBHOOKS = requests.Session()  # expect-none


@huey.task()
def push_webhook_shared(url, payload):
    WEBHOOKS.post(url, json=payload, timeout=5)  # expect-none


@huey.periodic_task(crontab(minute="*/15"))
def sweep_expired():
    s3 = boto3.client("s3")  # expect-none
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket="uploads", Prefix="tmp/")
    for page in pages:
        for obj in page.get("Contents", []):
            s3.delete_object(Bucket="uploads", Key=obj["Key"])


@huey.task()
def fan_out(asset_ids):
    for asset_id in asset_ids:
        sqs = boto3.client("sqs")  # expect: L5
        sqs.send_message(QueueUrl="https://sqs/media", MessageBody=str(asset_id))
