"""Shelf-layout planner: counting and optimising arrangements recursively."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache


@dataclass
class Bay:
    width: int
    children: list[Bay] = field(default_factory=list)


class Arrangements:
    @classmethod
    def ways(cls, width: int) -> int:  # expect: L3  # expect-span: 4
        if width <= 1:
            return 1
        return cls.ways(width - 1) + cls.ways(width - 2) + cls.ways(width - 3)

    def fills(self, width: int, tile: int) -> int:  # expect: L3  # expect-span: 6
        if width == 0:
            return 1
        if width < 0 or tile == 0:
            return 0
        return self.fills(width=width - tile, tile=tile) + self.fills(width=width, tile=tile - 1)

    @staticmethod
    @cache
    def ways_cached(width: int) -> int:  # expect-none  # expect-span: 4
        if width <= 1:
            return 1
        return Arrangements.ways_cached(width - 1) + Arrangements.ways_cached(width - 2)


def fewest_cuts(label: str, start: int = 0) -> int:  # expect: L3  # expect-span: 7
    if start == len(label):
        return 0
    return min(
        1 + fewest_cuts(label, end)
        for end in range(start + 1, len(label) + 1)
        if label[start:end] == label[start:end][::-1]
    )


def fewest_cuts_table(label: str) -> int:  # expect-none  # expect-span: 9
    n = len(label)
    best = [0] * (n + 1)
    for start in range(n - 1, -1, -1):
        best[start] = min(
            1 + best[end]
            for end in range(start + 1, n + 1)
            if label[start:end] == label[start:end][::-1]
        )
    return best[0]


async def plan_bays(widths: list[int]) -> list[int]:
    def count(i: int, remaining: int) -> int:  # expect: L3  # expect-span: 6
        if remaining == 0:
            return 1
        if i == len(widths) or remaining < 0:
            return 0
        return count(i + 1, remaining - widths[i]) + count(i + 1, remaining)

    return [count(0, target) for target in (120, 180, 240)]


def total_width(bay: Bay) -> int:  # expect-none  # expect-span: 2
    return bay.width + sum(total_width(child) for child in bay.children)


def deepest(bay: Bay) -> int:  # expect-none  # expect-span: 4
    if not bay.children:
        return 1
    return 1 + max(deepest(child) for child in bay.children)


def find_slot(slots: list[int], width: int, lo: int = 0, hi: int | None = None) -> int:  # expect-none  # expect-span: 8
    hi = len(slots) if hi is None else hi
    if lo >= hi:
        return lo
    mid = (lo + hi) // 2
    if slots[mid] < width:
        return find_slot(slots, width, mid + 1, hi)
    return find_slot(slots, width, lo, mid)
