import json
import re
from typing import Iterator

DEFAULT_META = '{"source": "edge", "schema": 3, "tags": []}'
TICKET_PREFIX = "SUP"
TICKET_RE = re.compile(rf"^{TICKET_PREFIX}-(\d+)$")


def enrich(lines: Iterator[str]) -> Iterator[dict]:
    for line in lines:
        record = json.loads(line)  # expect-none
        meta = json.loads(DEFAULT_META)  # expect: L3
        meta.update(record.pop("meta", {}))
        yield {**record, "meta": meta}


def fetch_with_retry(fetch, url: str) -> dict:
    for attempt in range(3):
        body = fetch(url)
        if body:
            return {**json.loads(DEFAULT_META), **json.loads(body)}  # expect-none
    raise TimeoutError(url)


def ticket_numbers(subjects: list[str]) -> list[int]:
    numbers = []
    for subject in subjects:
        m = re.compile(rf"^{TICKET_PREFIX}-(\d+)$").match(subject)  # expect: L3
        if m:
            numbers.append(int(m.group(1)))
    return numbers


def ticket_numbers_v2(subjects: list[str]) -> list[int]:
    return [int(m.group(1)) for s in subjects if (m := TICKET_RE.match(s))]  # expect-none


def matches_any(subjects: list[str], prefixes: list[str]) -> list[str]:
    # one pattern per prefix given by the caller: compiled fresh on purpose
    found = []
    for prefix in prefixes:
        rx = re.compile(rf"^{re.escape(prefix)}-\d+$")  # expect-none
        found.extend(s for s in subjects if rx.match(s))
    return found
