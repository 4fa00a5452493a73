"""Parcel tracking refresh: polls carrier APIs for parcels that are still open."""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from typing import Iterator

import httpx
import requests

log = logging.getLogger("tracking")

CARRIER_URL = "https://api.carrier.example/v2/track"
STATUS_URL = "https://status.carrier.example/health"

fetch = functools.partial(requests.get, timeout=10)


@dataclass
class Parcel:
    code: str
    carrier: str
    events: list[dict] = field(default_factory=list)


def iter_statuses(parcels: list[Parcel]) -> Iterator[tuple[str, dict]]:
    for parcel in parcels:
        resp = requests.get(f"{CARRIER_URL}/{parcel.code}", timeout=10)  # expect: L4
        resp.raise_for_status()
        yield parcel.code, resp.json()


def carrier_states(parcels: list[Parcel]) -> dict[str, str]:
    return {
        p.code: httpx.get(f"{CARRIER_URL}/{p.code}").json()["state"]  # expect: L4
        for p in parcels
        if p.carrier != "manual"
    }


def carriers_up() -> bool:
    for attempt in range(3):
        resp = requests.get(STATUS_URL, timeout=5)  # expect-none
        if resp.ok:
            return True
        log.warning(f"status probe {attempt} failed: {resp.status_code}")  # expect-none
    return False


def pull_raw(codes: list[str]) -> list[dict]:
    return [fetch(f"{CARRIER_URL}/{c}").json() for c in codes]  # expect: L4


class TrackingService:
    def __init__(self, client: httpx.Client, store) -> None:
        self.client = client
        self.store = store

    def refresh(self, parcels: list[Parcel]) -> int:
        changed = 0
        for parcel in parcels:
            data = self.client.get(f"/track/{parcel.code}").json()  # expect-none
            if data["events"] != parcel.events:
                parcel.events = data["events"]
                changed += 1
        log.info("refreshed %d parcels", changed)  # expect-none
        return changed

    def refresh_legacy(self, codes: list[str]) -> list[dict]:
        out = []
        while codes:
            code = codes.pop()
            if (resp := requests.post(CARRIER_URL, json={"code": code})).ok:  # expect: L4
                out.append(resp.json())
            log.debug(f"polled {code}: {resp.status_code}")  # expect: L4
        return out

    def history(self, code: str) -> list[dict]:
        events, url = [], f"{CARRIER_URL}/{code}/events"
        while url:
            page = requests.get(url, timeout=10).json()  # expect-none
            events.extend(page["items"])
            url = page.get("next")
        return events
