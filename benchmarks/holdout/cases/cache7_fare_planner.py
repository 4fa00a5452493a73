"""Fare planning for the ticketing service.

The planner answers three questions for the booking UI: how many ways a
journey of N legs can be split into passes, the cheapest combination of day
passes for a trip calendar, and how close a typed station name is to the
known stations.  All functions are pure; the API layer calls them per request.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache as memoize
from typing import Sequence

log = logging.getLogger("fares.planner")

PASS_LENGTHS = (1, 7, 30)


class Zone(Enum):
    INNER = 1
    MIDDLE = 2
    OUTER = 3


@dataclass(frozen=True)
class PassCatalogue:
    prices: tuple[int, ...]
    lengths: tuple[int, ...] = PASS_LENGTHS

    def splits(self, legs: int) -> int:  # expect: L3  # expect-span: 7
        """Number of ordered ways to cover ``legs`` with passes of the given lengths."""
        if legs < 0:
            return 0
        if legs == 0:
            return 1
        return sum(self.splits(legs - n) for n in self.lengths)

    def cheapest(self, days: Sequence[int]) -> int:
        def cost(i: int, covered_until: int) -> int:  # expect: L3  # expect-span: 9
            if i == len(days):
                return 0
            if days[i] <= covered_until:
                return cost(i + 1, covered_until)
            return min(
                price + cost(i + 1, days[i] + length - 1)
                for price, length in zip(self.prices, self.lengths)
            )

        return cost(0, 0)

    def cheapest_memo(self, days: Sequence[int]) -> int:
        @memoize(maxsize=None)
        def cost(i: int, covered_until: int) -> int:  # expect-none  # expect-span: 9
            if i == len(days):
                return 0
            if days[i] <= covered_until:
                return cost(i + 1, covered_until)
            return min(
                price + cost(i + 1, days[i] + length - 1)
                for price, length in zip(self.prices, self.lengths)
            )

        return cost(0, 0)


def station_distance(a: str, b: str) -> int:  # expect: L3  # expect-span: 9
    """Edit distance between a typed name and a station name."""
    match (a, b):
        case ("", _):
            return len(b)
        case (_, ""):
            return len(a)
        case _ if a[0] == b[0]:
            return station_distance(a[1:], b[1:])
    return 1 + min(station_distance(a[1:], b), station_distance(a, b[1:]), station_distance(a[1:], b[1:]))


def station_distance_table(a: str, b: str) -> int:  # expect-none  # expect-span: 8
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def zone_paths(*, rows: int, cols: int) -> int:  # expect: L3  # expect-span: 5
    """Routes through the zone grid moving only outward or clockwise."""
    if rows == 1 or cols == 1:
        return 1
    return zone_paths(rows=rows - 1, cols=cols) + zone_paths(rows=rows, cols=cols - 1)


@memoize(maxsize=4096)
def zone_paths_cached(rows: int, cols: int) -> int:  # expect-none  # expect-span: 4
    if rows == 1 or cols == 1:
        return 1
    return zone_paths_cached(rows - 1, cols) + zone_paths_cached(rows, cols - 1)


@dataclass
class FareNode:
    name: str
    children: list["FareNode"]

    def total_stops(self) -> int:  # expect-none  # expect-span: 2
        return 1 + sum(child.total_stops() for child in self.children)


class TransferCounter:
    """Counts itineraries that use at most ``limit`` transfers."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def _count(self, hops_left: int, transfers: int) -> int:  # expect: L3  # expect-span: 5
        if hops_left == 0:
            return 1
        stay = self._count(hops_left - 1, transfers)
        change = self._count(hops_left - 1, transfers + 1) if transfers < self.limit else 0
        return stay + change

    def itineraries(self, hops: int) -> int:
        return self._count(hops, 0)


def zone_factor(zone: Zone) -> float:
    return {Zone.INNER: 1.0, Zone.MIDDLE: 1.4, Zone.OUTER: 1.9}[zone]  # expect-none


def quote(catalogue: PassCatalogue, days: Sequence[int], zone: Zone) -> dict[str, float]:
    base = catalogue.cheapest(days)
    log.debug("base fare %s for %d days", base, len(days))
    return {"fare": base * zone_factor(zone), "splits": catalogue.splits(len(days))}
