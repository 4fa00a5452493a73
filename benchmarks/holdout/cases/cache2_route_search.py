"""Delivery-route helpers: lattice paths, edit distances on stop codes, decoding."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Node:
    stop: str
    left: "Node | None" = None
    right: "Node | None" = None


class DepotGrid:
    def __init__(self, width: int, height: int, blocked: set[tuple[int, int]]) -> None:
        self.width = width
        self.height = height
        self.blocked = blocked

    def routes_from(self, x: int, y: int) -> int:  # expect: L3  # expect-span: 6
        if (x, y) in self.blocked or x >= self.width or y >= self.height:
            return 0
        if (x, y) == (self.width - 1, self.height - 1):
            return 1
        return self.routes_from(x + 1, y) + self.routes_from(x, y + 1)

    def reachable(self, start: tuple[int, int]) -> set[tuple[int, int]]:  # expect-none  # expect-span: 11
        seen: set[tuple[int, int]] = set()

        def visit(x: int, y: int) -> None:
            if (x, y) in seen or (x, y) in self.blocked:
                return
            if not (0 <= x < self.width and 0 <= y < self.height):
                return
            seen.add((x, y))
            visit(x + 1, y)
            visit(x, y + 1)

        visit(*start)
        return seen


def stop_code_distance(a: str, b: str) -> int:
    def go(i: int, j: int) -> int:  # expect: L3  # expect-span: 9
        if i == len(a):
            return len(b) - j
        if j == len(b):
            return len(a) - i
        if a[i] == b[j]:
            return go(i + 1, j + 1)
        return 1 + min(go(i + 1, j), go(i, j + 1),
                       go(i + 1, j + 1))

    return go(0, 0)


def manifest_readings(digits: str) -> int:  # expect: L3  # expect-span: 9
    """Ways a run of digits from a faded manifest can be read as letters A=1..Z=26."""
    if not digits:
        return 1
    if digits[0] == "0":
        return 0
    total = manifest_readings(digits[1:])
    if len(digits) >= 2 and 10 <= int(digits[:2]) <= 26:
        total += manifest_readings(digits[2:])
    return total


def depth(node: Node | None) -> int:  # expect-none  # expect-span: 4
    if node is None:
        return 0
    return 1 + max(depth(node.left), depth(node.right))


def in_order(node: Node | None) -> Iterator[str]:  # expect-none  # expect-span: 5
    if node is not None:
        yield from in_order(node.left)
        yield node.stop
        yield from in_order(node.right)
