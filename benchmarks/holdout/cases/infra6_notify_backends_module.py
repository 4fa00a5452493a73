"""
notifykit.backends
~~~~~~~~~~~~~~~~~~

Delivery backends for notifykit: SMTP, Amazon SES/SNS, Slack webhooks and a
generic HTTP backend.  A backend is picked per notification by
:func:`get_backend`; :func:`deliver_all` is what the worker calls for every
batch pulled off the queue.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import lru_cache
from typing import Any, Iterable, Mapping, Protocol, Sequence

import boto3
import requests

logger = logging.getLogger("notifykit.backends")

DEFAULT_TIMEOUT = 10
#: Regions SNS is enabled in; one client each is created on import.
SNS_REGIONS = ("eu-west-1", "us-east-1")
_SNS_CLIENTS = {region: boto3.client("sns", region_name=region) for region in SNS_REGIONS}  # expect-none


@dataclass(slots=True)
class Notification:
    channel: str
    recipient: str
    subject: str = ""
    body: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Backend(Protocol):
    def send(self, note: Notification) -> bool: ...


# -- SMTP -----------------------------------------------------------------------------------


@dataclass(slots=True)
class SMTPSettings:
    host: str = "localhost"
    port: int = 587
    username: str | None = None
    password: str | None = None
    use_tls: bool = True


def _build_message(note: Notification, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = note.recipient
    msg["Subject"] = note.subject
    msg.set_content(note.body)
    return msg


class SMTPBackend:
    """Sends one e-mail per notification over a fresh SMTP session."""

    def __init__(self, settings: SMTPSettings, sender: str = "noreply@example.com") -> None:
        self.settings = settings
        self.sender = sender

    def _open(self) -> smtplib.SMTP:
        conn = smtplib.SMTP(self.settings.host, self.settings.port, timeout=DEFAULT_TIMEOUT)  # expect: L5
        if self.settings.use_tls:
            conn.starttls(context=ssl.create_default_context())
        if self.settings.username:
            conn.login(self.settings.username, self.settings.password or "")
        return conn

    def send(self, note: Notification) -> bool:
        conn = self._open()
        try:
            conn.send_message(_build_message(note, self.sender))
        except smtplib.SMTPException:
            logger.exception("smtp delivery to %s failed", note.recipient)
            return False
        finally:
            conn.quit()
        return True

    def send_many(self, notes: Sequence[Notification]) -> int:
        """Batch variant: a single session for the whole batch."""
        sent = 0
        conn = smtplib.SMTP(self.settings.host, self.settings.port, timeout=DEFAULT_TIMEOUT)  # expect-none
        try:
            for note in notes:
                conn.send_message(_build_message(note, self.sender))
                sent += 1
        finally:
            conn.quit()
        return sent


# -- AWS --------------------------------------------------------------------------------------


def _ses_client(region: str):
    # TODO(perf): cache per region, see issue #212
    return boto3.client("ses", region_name=region)  # expect: L5


@lru_cache(maxsize=None)
def _sqs_client(region: str):
    return boto3.client("sqs", region_name=region)  # expect-none


class SESBackend:
    def __init__(self, region: str = "eu-west-1", sender: str = "noreply@example.com") -> None:
        self.region = region
        self.sender = sender

    def send(self, note: Notification) -> bool:
        _ses_client(self.region).send_email(
            Source=self.sender,
            Destination={"ToAddresses": [note.recipient]},
            Message={"Subject": {"Data": note.subject}, "Body": {"Text": {"Data": note.body}}},
        )
        return True


class SNSBackend:
    def send(self, note: Notification) -> bool:
        region = note.extra.get("region", SNS_REGIONS[0])
        _SNS_CLIENTS[region].publish(PhoneNumber=note.recipient, Message=note.body)  # expect-none
        return True


class QueueBackend:
    def __init__(self, queue_url: str, region: str = "eu-west-1") -> None:
        self.queue_url = queue_url
        self.region = region

    def send(self, note: Notification) -> bool:
        _sqs_client(self.region).send_message(QueueUrl=self.queue_url, MessageBody=note.body)  # expect-none
        return True


# -- HTTP -------------------------------------------------------------------------------------


class WebhookBackend:
    """POSTs the notification as JSON; one pooled session per backend instance."""

    def __init__(self, url: str, headers: Mapping[str, str] | None = None) -> None:
        self.url = url
        self.session = requests.Session()  # expect-none
        self.session.headers.update(headers or {})

    def send(self, note: Notification) -> bool:
        resp = self.session.post(self.url, json={"to": note.recipient, "text": note.body},
                                 timeout=DEFAULT_TIMEOUT)
        return resp.ok


def post_slack(webhook_url: str, note: Notification) -> bool:
    with requests.Session() as http:  # expect: L5
        http.headers["Content-Type"] = "application/json"
        resp = http.post(webhook_url, json={"text": f"*{note.subject}*\n{note.body}"},
                         timeout=DEFAULT_TIMEOUT)
    if not resp.ok:
        logger.warning("slack returned %s", resp.status_code)
    return resp.ok


# -- dispatch ---------------------------------------------------------------------------------


_BACKENDS: dict[str, Backend] = {}


def register(channel: str, backend: Backend) -> None:
    _BACKENDS[channel] = backend


def get_backend(channel: str) -> Backend:
    try:
        return _BACKENDS[channel]
    except KeyError:
        raise LookupError(f"no backend registered for {channel!r}") from None


def _deliver_one(note: Notification) -> bool:
    if note.channel == "slack":
        return post_slack(note.extra["webhook"], note)
    return get_backend(note.channel).send(note)


def deliver_all(batch: Iterable[Notification], parallel: bool = False) -> int:
    """Deliver a batch; returns how many were accepted by their backend."""
    notes = list(batch)
    if parallel:
        with ThreadPoolExecutor(max_workers=8) as pool:  # expect-none
            return sum(pool.map(_deliver_one, notes))
    delivered = 0
    for note in notes:
        if _deliver_one(note):
            delivered += 1
    return delivered


def deliver_grouped(batches: Iterable[Sequence[Notification]]) -> int:
    total = 0
    for chunk in batches:
        pool = ThreadPoolExecutor(max_workers=4)  # expect: L5
        total += sum(pool.map(_deliver_one, chunk))
        pool.shutdown()
    return total
