"""
Outbound fan-out helpers used by the notification worker.

Every public function here receives one batch from the queue; the helpers are
handed to ``map``, ``sorted``, executors and ``asyncio.gather`` as callbacks.
"""
from __future__ import annotations

import asyncio
import logging
import smtplib
import threading
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from functools import partial
from typing import Iterable, Sequence

import aiohttp
import requests
from requests import Session as HttpSession

logger = logging.getLogger(__name__)

SMTP_HOST = "mail.internal"
HOOK_TIMEOUT = 5
_local = threading.local()


def _send_mail(recipient: str, *, subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["To"], msg["Subject"] = recipient, subject
    msg.set_content(body)
    with smtplib.SMTP(SMTP_HOST, 587, timeout=10) as smtp:  # expect: L5
        smtp.starttls()
        smtp.send_message(msg)


def mail_everyone(recipients: Sequence[str], subject: str, body: str) -> None:
    list(map(partial(_send_mail, subject=subject, body=body), recipients))


def mail_everyone_one_connection(recipients: Sequence[str], subject: str, body: str) -> None:
    with smtplib.SMTP(SMTP_HOST, 587, timeout=10) as smtp:  # expect-none
        smtp.starttls()
        for recipient in recipients:
            msg = EmailMessage()
            msg["To"], msg["Subject"] = recipient, subject
            msg.set_content(body)
            smtp.send_message(msg)


def _post_hook(url: str) -> int:
    session = HttpSession()  # expect: L5
    session.headers["User-Agent"] = "notifier/2"
    return session.post(url, timeout=HOOK_TIMEOUT).status_code


def fire_hooks(urls: list[str]) -> list[int]:
    with ThreadPoolExecutor(max_workers=8) as pool:  # expect-none
        return list(pool.map(_post_hook, urls))


def _thread_session() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()  # expect-none
    return _local.session


def _post_hook_pooled(url: str) -> int:
    return _thread_session().post(url, timeout=HOOK_TIMEOUT).status_code  # expect-none


def fire_hooks_pooled(urls: list[str]) -> list[int]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(_post_hook_pooled, urls))


def _latency(endpoint: str) -> float:
    return requests.Session().head(endpoint, timeout=2).elapsed.total_seconds()  # expect: L5


def fastest_first(endpoints: Iterable[str]) -> list[str]:
    return sorted(endpoints, key=_latency)


async def _deliver(payload: dict, url: str) -> int:
    async with aiohttp.ClientSession(raise_for_status=False) as http:  # expect: L5
        async with http.post(url, json=payload) as resp:
            return resp.status


async def deliver_batch(batch: list[tuple[dict, str]]) -> list[int]:
    return await asyncio.gather(*(_deliver(p, u) for p, u in batch))


async def _deliver_with(http: aiohttp.ClientSession, payload: dict, url: str) -> int:
    async with http.post(url, json=payload) as resp:  # expect-none
        return resp.status


async def deliver_batch_shared(batch: list[tuple[dict, str]]) -> list[int]:
    async with aiohttp.ClientSession() as http:  # expect-none
        return await asyncio.gather(*(_deliver_with(http, p, u) for p, u in batch))


def notify_ops(message: str) -> None:
    """Called once when the worker gives up on a batch."""
    try:
        requests.post("https://ops.internal/alert", json={"text": message}, timeout=3)
    except requests.RequestException:
        session = requests.Session()  # expect-none
        session.post("https://ops-backup.internal/alert", json={"text": message}, timeout=3)
