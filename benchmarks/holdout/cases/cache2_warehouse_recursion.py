"""Warehouse helpers: pallet stacking counts, pick-path variants and a bin hierarchy."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

STEP_SIZES = (1, 2, 4)


class StackPlanner:
    @staticmethod
    def stackings(height: int) -> int:  # expect: L3  # expect-span: 4
        if height <= 2:
            return 1
        return StackPlanner.stackings(height - 1) + StackPlanner.stackings(height - 3)

    def fewest_moves(self, distance: int) -> int:  # expect: L3  # expect-span: 6
        if distance == 0:
            return 0
        if distance < 0:
            return 10**9
        return 1 + min([self.fewest_moves(distance - s) for s in STEP_SIZES])

    def fewest_moves_dp(self, distance: int) -> int:  # expect-none  # expect-span: 5
        best = [0] + [10**9] * distance
        for d in range(1, distance + 1):
            best[d] = 1 + min(best[d - s] for s in STEP_SIZES if s <= d)
        return best[distance]


def pick_orders(n: int, k: int = 2) -> int:  # expect: L3  # expect-span: 4
    if n < k or k == 0:
        return int(k == 0 or n == k)
    return pick_orders(n - 1, k - 1) + pick_orders(n - 1, k)


@lru_cache(maxsize=None)
def pick_orders_cached(n: int, k: int = 2) -> int:  # expect-none  # expect-span: 4
    if n < k or k == 0:
        return int(k == 0 or n == k)
    return pick_orders_cached(n - 1, k - 1) + pick_orders_cached(n - 1, k)


def lane_fib(n: int, memo: dict[int, int] | None = None) -> int:  # expect-none  # expect-span: 7
    memo = {} if memo is None else memo
    if n < 2:
        return n
    if n not in memo:
        memo[n] = lane_fib(n - 1, memo) + lane_fib(n - 2, memo)
    return memo[n]


@dataclass
class Bin:
    code: str
    capacity: int
    children: list["Bin"] = field(default_factory=list)

    def total_capacity(self) -> int:  # expect-none  # expect-span: 2
        return self.capacity + sum(child.total_capacity() for child in self.children)

    def paths(self, prefix: str = "") -> list[str]:  # expect-none  # expect-span: 5
        here = f"{prefix}/{self.code}"
        if not self.children:
            return [here]
        return [p for child in self.children for p in child.paths(here)]


def bin_sizes(n: int) -> list[int]:  # expect-none  # expect-span: 5
    if n <= 1:
        return [n]
    left = bin_sizes(n // 2)
    right = bin_sizes(n - n // 2)
    return sorted(left + right)
