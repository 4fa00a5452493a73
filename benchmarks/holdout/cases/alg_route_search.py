import heapq


def shortest_hops(graph: dict[str, list[str]], start: str, goal: str) -> int:
    frontier = [(start, 0)]
    explored = []
    while frontier:
        node, depth = frontier.pop(0)  # expect: L1
        if node == goal:
            return depth
        explored.append(node)
        for nxt in graph.get(node, []):
            if nxt not in explored:  # expect: L1
                frontier.append((nxt, depth + 1))
    return -1


def cheapest(graph: dict[str, dict[str, float]], start: str) -> dict[str, float]:
    cost = {start: 0.0}
    heap = [(0.0, start)]
    while heap:
        c, node = heapq.heappop(heap)  # expect-none
        if c > cost.get(node, float("inf")):
            continue
        for nxt, w in graph.get(node, {}).items():
            if c + w < cost.get(nxt, float("inf")):  # expect-none
                cost[nxt] = c + w
                heapq.heappush(heap, (c + w, nxt))
    return cost


def cheapest_scan(graph: dict[str, dict[str, float]], nodes: list[str], start: str) -> dict[str, float]:
    cost = {n: float("inf") for n in nodes}
    cost[start] = 0.0
    open_set = list(nodes)
    while open_set:
        node = min(open_set, key=lambda n: cost[n])  # expect: L1
        open_set.remove(node)  # expect: L1
        for nxt, w in graph.get(node, {}).items():
            cost[nxt] = min(cost[nxt], cost[node] + w)  # expect-none
    return cost
