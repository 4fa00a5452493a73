"""Reachability and path reconstruction between depots for the dispatch service."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Iterator, Protocol


class DepotRepo(Protocol):
    def neighbours(self, depot: str) -> list[str]: ...


@dataclass
class RoutePlanner:
    repo: DepotRepo
    frontier: list[str] = field(default_factory=list)
    reached: list[str] = field(default_factory=list)

    def reachable(self, start: str) -> list[str]:
        self.frontier.append(start)
        while self.frontier:
            depot = self.frontier.pop(0)  # expect: L1
            for nxt in self.repo.neighbours(depot):
                if nxt not in self.reached:  # expect: L1
                    self.reached.append(nxt)
                    self.frontier.append(nxt)
        return self.reached

    def reachable_set(self, start: str) -> set[str]:
        seen = {start}
        queue = deque([start])
        while queue:
            depot = queue.popleft()  # expect-none
            for nxt in self.repo.neighbours(depot):
                if nxt in seen:  # expect-none
                    continue
                seen.add(nxt)
                queue.append(nxt)
        return seen


def path_to(parents: dict[str, str | None], goal: str) -> list[str]:
    path: list[str] = []
    node: str | None = goal
    while node is not None:
        path.insert(0, node)  # expect: L1
        node = parents[node]
    return path


def path_to_reversed(parents: dict[str, str | None], goal: str) -> list[str]:
    path = []
    node = goal
    while node is not None:
        path.append(node)  # expect-none
        node = parents[node]
    path.reverse()
    return path


def legs(path: list[str]) -> Iterator[tuple[str, str]]:
    yield from zip(path, path[1:])  # expect-none


def undo_last(stack: list[str]) -> str | None:
    while stack:
        top = stack.pop()  # expect-none
        if not top.startswith("tmp-"):
            return top
    return None
