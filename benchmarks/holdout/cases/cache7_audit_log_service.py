"""Audit log ingestion for the compliance dashboard.

Lines arrive from the syslog relay as plain text; each is parsed into an
``AuditEvent``, filtered against the redaction list and stored through the
repository below.  The service is driven by ``ingest_file`` (cron) and by the
``/audit/replay`` endpoint.
"""
from __future__ import annotations

import logging
import re as regex
from dataclasses import dataclass, field
from datetime import datetime as dt
from functools import cache
from pathlib import Path
from typing import Iterator, Sequence

logger = logging.getLogger(__name__)

LINE_PATTERN = r"^(?P<ts>\S+ \S+) (?P<host>[\w.-]+) (?P<actor>\w+)\[(?P<pid>\d+)\]: (?P<msg>.*)$"
TS_FORMAT = "%Y-%m-%d %H:%M:%S"
RETENTION_CUTOFF = "2024-01-01 00:00:00"
SECRET_WORDS: tuple[str, ...] = ("password", "token", "secret", "apikey", "bearer")
_LINE_RE = regex.compile(LINE_PATTERN)  # expect-none


@dataclass
class AuditEvent:
    when: dt
    host: str
    actor: str
    message: str
    tags: list[str] = field(default_factory=list)

    def is_recent(self) -> bool:
        cutoff = dt.strptime(RETENTION_CUTOFF, TS_FORMAT)  # expect: L3
        return self.when >= cutoff

    def mentions_user(self, user: str) -> bool:
        return regex.search(rf"\b{regex.escape(user)}\b", self.message) is not None


class Redactor:
    """Masks secrets in a message; ``word in redactor`` tests one token."""

    def __init__(self, extra: Sequence[str] = ()) -> None:
        self.words = [*SECRET_WORDS, *extra]
        self._compiled: regex.Pattern[str] | None = None

    @property
    def pattern(self) -> regex.Pattern[str]:
        if self._compiled is None:
            self._compiled = regex.compile("|".join(map(regex.escape, self.words)), regex.I)  # expect-none
        return self._compiled

    def __contains__(self, token: str) -> bool:
        joined = regex.compile("|".join(regex.escape(w) for w in SECRET_WORDS), flags=regex.IGNORECASE)  # expect: L3
        return joined.search(token) is not None

    def mask(self, message: str) -> str:
        return self.pattern.sub("***", message)  # expect-none


class AuditRepository:
    def __init__(self, session) -> None:
        self.session = session

    def add_many(self, events: Sequence[AuditEvent]) -> None:
        self.session.bulk_save_objects(events)
        self.session.commit()


def _parse(line: str) -> AuditEvent | None:
    if not (m := regex.match(LINE_PATTERN, line)):
        return None
    return AuditEvent(
        when=dt.strptime(m["ts"], TS_FORMAT),  # expect-none
        host=m["host"],
        actor=m["actor"],
        message=m["msg"],
    )


def _parse_precompiled(line: str) -> AuditEvent | None:
    m = _LINE_RE.match(line)  # expect-none
    if m is None:
        return None
    return AuditEvent(dt.strptime(m["ts"], TS_FORMAT), m["host"], m["actor"], m["msg"])


@cache
def _retention_cutoff() -> dt:
    return dt.strptime(RETENTION_CUTOFF, TS_FORMAT)  # expect-none


def _iter_events(lines: Iterator[str]) -> Iterator[AuditEvent]:
    for line in lines:
        event = _parse(line)
        if event is None:
            continue
        if event.when < _retention_cutoff():
            continue
        yield event


def _tagged(event: AuditEvent) -> AuditEvent:
    sudo = regex.compile(r"\bsudo\b|\bsu -\b")
    if sudo.search(event.message):
        event.tags.append("privileged")
    return event


def ingest_file(path: Path, repo: AuditRepository, redactor: Redactor) -> int:
    """Parse one relay file and store its recent events."""
    with path.open() as fh:
        events = [e for e in _iter_events(fh) if e.is_recent()]
    events = list(map(_tagged, events))
    for event in events:
        if any(tok in redactor for tok in event.message.split()):
            event.message = redactor.mask(event.message)
    repo.add_many(events)
    logger.info("stored %d audit events from %s", len(events), path.name)
    return len(events)


def replay(lines: Sequence[str], user: str) -> list[AuditEvent]:
    """Endpoint helper: events of one user, already in memory."""
    out = []
    for line in lines:
        event = _parse_precompiled(line)
        if event and event.mentions_user(user):
            out.append(event)
    return out


def summarize(path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for severity in ("INFO", "WARN", "ERROR"):
        rx = regex.compile(rf"\b{severity}\b")  # expect-none
        counts[severity] = sum(1 for line in path.read_text().splitlines() if rx.search(line))
    return counts


if __name__ == "__main__":
    import sys

    pat = regex.compile(LINE_PATTERN)  # expect-none
    for raw in sys.stdin:
        print(bool(pat.match(raw)))
