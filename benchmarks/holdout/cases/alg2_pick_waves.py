"""Builds warehouse pick waves from open order lines."""
import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator, Sequence


@dataclass
class Line:
    order_id: int
    sku: str
    qty: int
    zone: str


def by_zone(lines: Sequence[Line], zone: str) -> list[Line]:
    return [ln for ln in lines if ln.zone == zone]


def waves(lines: list[Line], wave_size: int) -> Iterator[list[Line]]:
    remaining = list(lines)
    while remaining:
        wave = remaining[:wave_size]
        remaining = remaining[wave_size:]  # expect: L1
        yield wave


def waves_sliced(lines: list[Line], wave_size: int) -> Iterator[list[Line]]:
    for start in range(0, len(lines), wave_size):
        yield lines[start:start + wave_size]  # expect-none


def short_picks(lines: list[Line], stock: list[tuple[str, int]]) -> list[Line]:
    short = []
    for ln in lines:
        on_hand = next((q for sku, q in stock if sku == ln.sku), 0)  # expect: L1
        if on_hand < ln.qty:
            short.append(ln)
    return short


def short_picks_indexed(lines: list[Line], stock: list[tuple[str, int]]) -> list[Line]:
    on_hand = dict(stock)
    return [ln for ln in lines if on_hand.get(ln.sku, 0) < ln.qty]  # expect-none


def orders_touching(lines: Sequence[Line], skus: Sequence[str]) -> set[int]:
    return {ln.order_id for ln in lines if ln.sku in skus}  # expect: L1


def zone_split(lines: list[Line]) -> dict[str, list[Line]]:
    zones = defaultdict(list)
    for ln in lines:
        zones[ln.zone].append(ln)  # expect-none
    return dict(zones)


def zone_split_partial(lines: list[Line]) -> dict[str, list[Line]]:
    pick = functools.partial(by_zone, lines)
    return {z: pick(z) for z in ("A", "B", "C")}  # expect-none


def pair_totals(lines: list[Line]) -> dict[tuple[int, str], int]:
    key = lambda ln: (ln.order_id, ln.sku)
    return {k: sum(ln.qty for ln in grp) for k, grp in itertools.groupby(sorted(lines, key=key), key=key)}  # expect-none
