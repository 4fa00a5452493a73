import json
import os

import requests

QUOTE_URL = os.environ["QUOTE_URL"]
http = requests.Session()
http.headers["X-Api-Key"] = os.environ["QUOTE_KEY"]


def handler(event, context):
    parcel = json.loads(event["body"])
    quotes = [
        requests.post(f"{QUOTE_URL}/{c}", json=parcel, timeout=4).json()  # expect: L4
        for c in parcel["carriers"]
    ]
    best = min(quotes, key=lambda q: q["amount"])
    return {"statusCode": 200, "body": json.dumps(best)}


def handler_shared_session(event, context):
    parcel = json.loads(event["body"])
    quotes = [http.post(f"{QUOTE_URL}/{c}", json=parcel, timeout=4).json() for c in parcel["carriers"]]  # expect-none
    return {"statusCode": 200, "body": json.dumps(min(quotes, key=lambda q: q["amount"]))}


def track_handler(event, context):
    pending = list(event["tracking_numbers"])
    statuses = {}
    while pending:
        number = pending.pop()
        r = requests.get(f"{QUOTE_URL}/track/{number}", timeout=4)  # expect: L4
        statuses[number] = r.json()["status"]
    return {"statusCode": 200, "body": json.dumps(statuses)}


def list_all_shipments(account: str) -> list[dict]:
    shipments = []
    url = f"{QUOTE_URL}/accounts/{account}/shipments"
    while url:
        page = http.get(url, timeout=10).json()  # expect-none
        shipments.extend(page["results"])
        url = page.get("next")
    return shipments
