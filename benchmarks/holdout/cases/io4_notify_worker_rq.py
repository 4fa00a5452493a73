"""Notification worker (RQ jobs): push, email relay and SMS over HTTP."""
import logging
import time

import httpx
from rq import Queue
from redis import Redis

log = logging.getLogger("notify")
PUSH_URL = "https://push.internal/send"
queue = Queue("notify", connection=Redis.from_url("redis://cache:6379/2"))
SHARED = httpx.Client(timeout=5.0)


def push_batch(device_tokens: list[str], title: str) -> int:
    ok = 0
    for token in device_tokens:
        r = httpx.post(PUSH_URL, json={"to": token, "title": title})  # expect: L4
        ok += r.is_success
    log.info("push batch: %s of %s sent" % (ok, len(device_tokens)))  # expect: L4
    return ok


def push_batch_shared(device_tokens: list[str], title: str) -> int:
    ok = 0
    for token in device_tokens:
        ok += SHARED.post(PUSH_URL, json={"to": token, "title": title}).is_success  # expect-none
    log.info("push batch: %s of %s sent", ok, len(device_tokens))  # expect-none
    return ok


def sms_all(numbers: list[str], text: str) -> None:
    with httpx.Client(base_url="https://sms.internal", timeout=5.0) as sms:  # expect-none
        for n in numbers:
            sms.post("/messages", json={"to": n, "body": text})  # expect-none
            log.debug("sms to " + n + ": " + text[:20])  # expect: L4


def deliver(payload: dict) -> None:
    for attempt in range(3):
        try:
            httpx.post(PUSH_URL, json=payload, timeout=5.0).raise_for_status()  # expect-none
            return
        except httpx.HTTPError as exc:
            log.warning(f"attempt {attempt} failed: {exc}")  # expect-none
            time.sleep(2 ** attempt)  # expect-none
    log.error(f"giving up on {payload.get('id')}")  # expect-none


class DigestJob:
    def __init__(self, user_ids: list[int]):
        self.user_ids = user_ids
        self.log = logging.getLogger("notify.digest")

    def run(self) -> None:
        for uid in self.user_ids:
            prefs = SHARED.get(f"https://prefs.internal/users/{uid}").json()
            self.log.debug("prefs for %d: %r" % (uid, prefs))  # expect: L4
            if log.isEnabledFor(logging.DEBUG):
                log.debug(f"digest for {uid}: {prefs}")  # expect-none


def enqueue_digests(user_ids: list[int]) -> None:
    queue.enqueue(DigestJob(user_ids).run)  # expect-none
