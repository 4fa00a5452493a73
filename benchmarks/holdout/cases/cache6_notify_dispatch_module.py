# notifications/dispatch.py
#
# Copyright (c) the notifyhub authors. Licensed under the BSD 3-clause licence.
"""Render and dispatch user notifications.

This module is imported by the Django app (async views below) and by the
``dispatch_pending`` management task.  Templates are stored as Jinja2 strings
in ``settings.NOTIFY_TEMPLATES``; channel rules are a YAML document.
"""
from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

import jinja2
import yaml
from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from .models import Notification, Subscription

logger = logging.getLogger("notifyhub.dispatch")

#: Quiet hours apply to every channel except "sms-critical".
QUIET_START = "22:00"
QUIET_END = "07:00"
CHANNEL_RULES_YAML = """
email: {max_per_hour: 20, digest: true}
sms: {max_per_hour: 3, digest: false}
push: {max_per_hour: 60, digest: false}
"""
MENTION_PREFIXES = ("@", "+", "#")
_ENV = jinja2.Environment(autoescape=True)  # expect-none
CHANNEL_RULES: Mapping[str, Any] = yaml.safe_load(CHANNEL_RULES_YAML)  # expect-none
_MENTION_RE = re.compile("(" + "|".join(re.escape(p) for p in MENTION_PREFIXES) + r")(\w+)")  # expect-none


@dataclass(slots=True)
class Rendered:
    subject: str
    body: str
    channel: str
    mentions: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


def _quiet_window() -> tuple[datetime, datetime]:
    start = datetime.strptime(QUIET_START, "%H:%M")  # expect: L3
    end = datetime.strptime(QUIET_END, "%H:%M")  # expect: L3
    return start, end


def _is_quiet(now: datetime) -> bool:
    start, end = _quiet_window()
    t = now.time()
    return t >= start.time() or t < end.time()


def _channel_limit(channel: str) -> int:
    rules = yaml.safe_load(CHANNEL_RULES_YAML)  # expect: L3
    return int(rules.get(channel, {}).get("max_per_hour", 0))


def _channel_limit_cached(channel: str) -> int:
    return int(CHANNEL_RULES.get(channel, {}).get("max_per_hour", 0))  # expect-none


def _mentions(body: str) -> list[str]:
    pattern = re.compile("(" + "|".join(re.escape(p) for p in MENTION_PREFIXES) + r")(\w+)")  # expect: L3
    return [m.group(2) for m in pattern.finditer(body)]


def render(note: Notification) -> Rendered:
    """Render one notification with its template from settings."""
    source = settings.NOTIFY_TEMPLATES[note.kind]
    template = jinja2.Template(source)
    body = template.render(note=note, user=note.user)
    return Rendered(subject=note.subject, body=body, channel=note.channel, mentions=_mentions(body))


def render_shared(note: Notification) -> Rendered:
    template = _ENV.from_string(settings.NOTIFY_TEMPLATES[note.kind])  # expect-none
    body = template.render(note=note, user=note.user)
    return Rendered(subject=note.subject, body=body, channel=note.channel)


def render_all(notes: Iterable[Notification]) -> list[Rendered]:
    out = []
    for note in notes:
        if _is_quiet(datetime.now(timezone.utc)) and note.channel != "sms-critical":
            logger.debug("quiet hours, deferring %s", note.pk)
            continue
        out.append(render(note))
    return out


# --------------------------------------------------------------------------- views


@require_POST
async def preview(request: HttpRequest) -> JsonResponse:
    payload = json.loads(request.body)  # expect-none
    note = await Notification.objects.select_related("user").aget(pk=payload["id"])
    rendered = await sync_to_async(render_shared)(note)
    return JsonResponse({"subject": rendered.subject, "body": rendered.body})


async def limits(request: HttpRequest, channel: str) -> JsonResponse:
    overrides = json.loads(os.environ.get("NOTIFY_LIMIT_OVERRIDES", "{}"))  # expect: L3
    limit = overrides.get(channel) or _channel_limit_cached(channel)
    return JsonResponse({"channel": channel, "limit": limit})


async def subscriber_counts(request: HttpRequest) -> JsonResponse:
    counts: dict[str, int] = {}
    async for sub in Subscription.objects.filter(active=True).only("channel"):
        counts[sub.channel] = counts.get(sub.channel, 0) + 1
    return JsonResponse(counts)


# --------------------------------------------------------------------------- batch entry point


def dispatch_pending(batch_size: int = 500) -> int:
    """Called by cron every minute; sends what is due."""
    sent = 0
    pending = Notification.objects.filter(sent_at=None).select_related("user")[:batch_size]
    for note in pending:
        if sent >= _channel_limit(note.channel):
            logger.info("channel %s over its hourly limit", note.channel)
            break
        logger.info("sending %s to %s", note.kind, note.user_id)
        sent += 1
    return sent


def load_overrides(path: str) -> dict:
    """Used once by the management command's ``--overrides`` option."""
    with open(path) as fh:
        return json.load(fh)  # expect-none
