"""Geofencing for a courier app: zones from GeoJSON, projections and speed checks."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable

import attrs
import numpy as np

ZONES_GEOJSON = '{"type": "FeatureCollection", "features": [{"id": "centre", "bbox": [0, 0, 5, 5]}, {"id": "docks", "bbox": [5, 0, 9, 3]}]}'
PROJECTION = [[0.94, -0.34, 0.0], [0.34, 0.94, 0.0], [0.0, 0.0, 1.0]]
_ZONES = {f["id"]: tuple(f["bbox"]) for f in json.loads(ZONES_GEOJSON)["features"]}  # expect-none
_TO_LOCAL = np.linalg.inv(np.array(PROJECTION))  # expect-none


@attrs.define
class Ping:
    courier: str
    x: float
    y: float
    ts: float


@dataclass
class Fence:
    transform: np.ndarray

    def localise(self, pings: Iterable[Ping]) -> list[np.ndarray]:
        return [np.linalg.inv(self.transform) @ np.array([p.x, p.y, 1.0]) for p in pings]  # expect: L3

    def localise_v2(self, pings: Iterable[Ping]) -> list[np.ndarray]:
        inv = np.linalg.inv(self.transform)  # expect-none
        return [inv @ np.array([p.x, p.y, 1.0]) for p in pings]


def zone_of(ping: Ping) -> str | None:
    zones = {f["id"]: f["bbox"] for f in json.loads(ZONES_GEOJSON)["features"]}  # expect: L3
    for name, (x0, y0, x1, y1) in zones.items():
        if x0 <= ping.x < x1 and y0 <= ping.y < y1:
            return name
    return None


def zone_of_v2(ping: Ping) -> str | None:
    return next((n for n, (x0, y0, x1, y1) in _ZONES.items() if x0 <= ping.x < x1 and y0 <= ping.y < y1), None)  # expect-none


def assign(pings: list[Ping]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ping in pings:
        if (zone := zone_of(ping)) is not None:
            out.setdefault(zone, []).append(ping.courier)
    return out


def to_local(pings: list[Ping]) -> np.ndarray:
    pts = np.array([[p.x, p.y, 1.0] for p in pings])
    return pts @ _TO_LOCAL.T  # expect-none


def speeding(pings: list[Ping], limit: float) -> list[str]:
    flagged = []
    for a, b in zip(pings, pings[1:]):
        to_local = np.linalg.inv(np.array(PROJECTION))  # expect: L3
        d = np.linalg.norm((to_local @ [b.x - a.x, b.y - a.y, 0.0])[:2])
        if d / max(b.ts - a.ts, 1e-6) > limit:
            flagged.append(b.courier)
    return flagged
