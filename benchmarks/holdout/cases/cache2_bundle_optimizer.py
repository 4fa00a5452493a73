"""Pick promotional bundles for a basket: budget-constrained selection helpers."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Sequence


@dataclass(frozen=True)
class Offer:
    sku: str
    price: int
    margin: int


def best_margin(offers: Sequence[Offer], budget: int, i: int = 0) -> int:  # expect: L3  # expect-span: 8
    if i == len(offers) or budget <= 0:
        return 0
    skip = best_margin(offers, budget, i + 1)
    offer = offers[i]
    if offer.price > budget:
        return skip
    return max(skip, offer.margin + best_margin(offers, budget - offer.price, i + 1))


def best_margin_table(offers: Sequence[Offer], budget: int) -> int:  # expect-none  # expect-span: 8
    row = [0] * (budget + 1)
    for offer in offers:
        for spend in range(budget, offer.price - 1, -1):
            candidate = row[spend - offer.price] + offer.margin
            if candidate > row[spend]:
                row[spend] = candidate
    return row[budget]


def split_ways(total: int, denominations: tuple[int, ...]) -> int:  # expect: L3  # expect-span: 9
    """Ways to pay `total` with gift cards of the given denominations."""
    if total == 0:
        return 1
    if total < 0 or not denominations:
        return 0
    first, *rest = denominations
    return (split_ways(total - first, denominations)
            + split_ways(total, tuple(rest)))


@cache
def split_ways_cached(total: int, denominations: tuple[int, ...]) -> int:  # expect-none  # expect-span: 7
    if total == 0:
        return 1
    if total < 0 or not denominations:
        return 0
    return (split_ways_cached(total - denominations[0], denominations)
            + split_ways_cached(total, denominations[1:]))


def shelf_layouts(n: int) -> int:  # expect: L3  # expect-span: 5
    """Distinct binary shelf splits of n bays (Catalan)."""
    if n <= 1:
        return 1
    return sum(shelf_layouts(left) * shelf_layouts(n - 1 - left)
               for left in range(n))


def shelf_layouts_iter(n: int) -> int:  # expect-none  # expect-span: 5
    c = [1] * (n + 1)
    for m in range(2, n + 1):
        c[m] = sum(c[k] * c[m - 1 - k] for k in range(m))
    return c[n]


def cheapest(offers: Sequence[Offer], lo: int = 0, hi: int | None = None) -> Offer:  # expect-none  # expect-span: 7
    hi = len(offers) if hi is None else hi
    if hi - lo == 1:
        return offers[lo]
    mid = (lo + hi) // 2
    a = cheapest(offers, lo, mid)
    b = cheapest(offers, mid, hi)
    return a if a.price <= b.price else b
