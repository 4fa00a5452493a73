import os

import boto3
import redis
import requests
from flask import Blueprint, jsonify, request

bp = Blueprint("relay", __name__)
CACHE = redis.ConnectionPool(host=os.environ["REDIS_HOST"])
sns = boto3.client("sns")  # expect-none
TOPIC = os.environ["TOPIC_ARN"]


@bp.route("/relay/<target>", methods=["POST"])
def relay(target: str):
    http = requests.Session()  # expect: L5
    http.headers["X-Relay"] = "1"
    resp = http.post(f"https://hooks.internal/{target}", data=request.get_data(), timeout=5)
    return jsonify(status=resp.status_code)


@bp.route("/notify", methods=["POST"])
def notify():
    client = boto3.client("sns", region_name="eu-west-1")  # expect: L5
    client.publish(TopicArn=TOPIC, Message=request.get_data(as_text=True))
    return jsonify(ok=True)


@bp.route("/v2/notify", methods=["POST"])
def notify_v2():
    sns.publish(TopicArn=TOPIC, Message=request.get_data(as_text=True))  # expect-none
    return jsonify(ok=True)


def seen_before(event_id: str) -> bool:
    r = redis.Redis(host=os.environ["REDIS_HOST"], socket_timeout=1)  # expect: L5
    return not r.set(f"evt:{event_id}", 1, nx=True, ex=86400)


def seen_before_pooled(event_id: str) -> bool:
    r = redis.Redis(connection_pool=CACHE)  # expect-none
    return not r.set(f"evt:{event_id}", 1, nx=True, ex=86400)


@bp.route("/dedupe", methods=["POST"])
def dedupe():
    ids = request.get_json()["ids"]
    return jsonify(fresh=[i for i in ids if not seen_before(i)])
