"""Dependency ordering for the build orchestrator."""
import heapq
from collections import deque


def build_order(deps: dict[str, list[str]]) -> list[str]:
    order: list[str] = []
    pending = sorted(deps)
    while pending:
        ready = [t for t in pending if all(d in order for d in deps[t])]  # expect: L1
        if not ready:
            raise ValueError("cycle")
        for t in ready:
            order.append(t)
            pending.remove(t)  # expect: L1
    return order


def build_order_kahn(deps: dict[str, list[str]]) -> list[str]:
    indegree = {t: len(ds) for t, ds in deps.items()}
    users: dict[str, list[str]] = {t: [] for t in deps}
    for t, ds in deps.items():
        for d in ds:
            users[d].append(t)  # expect-none
    queue = deque(t for t, n in indegree.items() if n == 0)
    order = []
    while queue:
        t = queue.popleft()  # expect-none
        order.append(t)
        for u in users[t]:
            indegree[u] -= 1  # expect-none
            if indegree[u] == 0:
                queue.append(u)
    return order


def cheapest_first(costs: dict[str, float]) -> list[str]:
    frontier = list(costs)
    picked = []
    while frontier:
        frontier = sorted(frontier, key=costs.get)  # expect: L1
        picked.append(frontier.pop(0))  # expect: L1
    return picked


def cheapest_first_heap(costs: dict[str, float]) -> list[str]:
    heap = [(c, t) for t, c in costs.items()]
    heapq.heapify(heap)
    return [heapq.heappop(heap)[1] for _ in range(len(heap))]  # expect-none


def stages(order: list[str], width: int) -> list[list[str]]:
    return [order[i:i + width] for i in range(0, len(order), width)]  # expect-none
