import json
import logging
import os

import httpx
import requests
from celery import Celery

log = logging.getLogger()
celery_app = Celery("inbox", broker=os.environ.get("BROKER_URL", "redis://localhost"))

WEBHOOK = os.environ.get("SLACK_WEBHOOK", "")
CRM_URL = "https://crm.example.com/api/contacts"


def handler(event, context):
    delivered = 0
    for record in event["Records"]:
        msg = json.loads(record["body"])
        resp = requests.post(WEBHOOK, json={"text": msg["subject"]}, timeout=5)  # expect: L4
        delivered += resp.ok
    log.info("delivered %s of %s", delivered, len(event["Records"]))  # expect-none
    return {"delivered": delivered}


def handler_pooled(event, context):
    with requests.Session() as http:
        statuses = [
            http.post(WEBHOOK, json={"text": json.loads(r["body"])["subject"]}).status_code  # expect-none
            for r in event["Records"]
        ]
    return {"statuses": statuses}


@celery_app.task(bind=True, max_retries=3)
def sync_contacts(self, contact_ids):
    synced = []
    for cid in contact_ids:
        r = httpx.put(f"{CRM_URL}/{cid}", json={"source": "inbox"})  # expect: L4
        if r.status_code == 200:
            synced.append(cid)
    return synced


@celery_app.task
def sync_contact(cid):
    r = httpx.put(f"{CRM_URL}/{cid}", json={"source": "inbox"})
    return r.status_code


def enrich(addresses):
    return [
        requests.get(  # expect: L4  # expect-span: 4
            "https://lookup.example.com/v1/person",
            params={"email": a},
        ).json()
        for group in addresses
        for a in group
        if a
    ]


def fetch_attachment(url):
    for attempt in range(1, 4):
        try:
            return requests.get(url, timeout=10 * attempt).content  # expect-none
        except requests.Timeout:
            log.warning(f"attachment timeout, attempt {attempt}")  # expect-none
    return b""
