"""Combinatorics helpers written with match statements, walrus, generics and Protocols."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Generic, Protocol, Sequence, TypeVar

T = TypeVar("T")


def stair_ways(n: int) -> int:  # expect: L3  # expect-span: 8
    match n:
        case 0 | 1:
            return 1
        case 2:
            return 2
        case _:
            return stair_ways(n - 1) + stair_ways(n - 2) + stair_ways(n - 3)


@cache
def stair_ways_cached(n: int) -> int:  # expect-none  # expect-span: 8
    match n:
        case 0 | 1:
            return 1
        case 2:
            return 2
        case _:
            return stair_ways_cached(n - 1) + stair_ways_cached(n - 2) + stair_ways_cached(n - 3)


def paths(grid: Sequence[Sequence[int]], r: int = 0, c: int = 0) -> int:  # expect: L3  # expect-span: 6
    if r == len(grid) - 1 and c == len(grid[0]) - 1:
        return 1
    if r >= len(grid) or c >= len(grid[0]) or grid[r][c]:
        return 0
    return paths(grid, r + 1, c) + paths(grid, r, c + 1)


def lcs_len(a: str, b: str) -> int:  # expect: L3  # expect-span: 6
    match (a, b):
        case ("", _) | (_, ""):
            return 0
        case (x, y) if x[0] == y[0]:
            return 1 + lcs_len(x[1:], y[1:])
    return max(lcs_len(a[1:], b), lcs_len(a, b[1:]))


class Scorer(Protocol):
    def score(self, item: str) -> float: ...


@dataclass(slots=True)
class Segmenter(Generic[T]):
    vocab: frozenset[str]

    def count(self, text: str) -> int:  # expect: L3  # expect-span: 7
        if not text:
            return 1
        total = 0
        for i in range(1, len(text) + 1):
            if (head := text[:i]) in self.vocab:
                total += self.count(text[i:])
        return total

    def count_dp(self, text: str) -> int:  # expect-none  # expect-span: 7
        ways = [1] + [0] * len(text)
        for end in range(1, len(text) + 1):
            for start in range(end):
                if ways[start] and text[start:end] in self.vocab:
                    ways[end] += ways[start]
        return ways[-1]


def change_ways(amount: int, coins: tuple[int, ...]) -> int:  # expect: L3  # expect-span: 7
    if amount == 0:
        return 1
    if amount < 0 or not coins:
        return 0
    first, *rest = coins
    return change_ways(amount - first, coins) + change_ways(amount, tuple(rest))


@dataclass
class Node(Generic[T]):
    value: T
    children: list[Node[T]]


def depth(node: Node[T]) -> int:  # expect-none  # expect-span: 2
    return 1 + max((depth(c) for c in node.children), default=0)


def best_path(node: Node[int]) -> int:  # expect-none  # expect-span: 4
    if not node.children:
        return node.value
    return node.value + max(best_path(c) for c in node.children)


def power(base: int, exp: int) -> int:  # expect-none  # expect-span: 6
    if exp == 0:
        return 1
    if (half := power(base, exp // 2)) and exp % 2:
        return half * half * base
    return half * half


def rank_all(scorer: Scorer, items: list[str]) -> list[str]:
    return sorted(items, key=scorer.score)  # expect-none
