def pair_riders(riders: list[dict], drivers: list[dict]) -> dict[str, str]:
    return {
        r["id"]: d["id"]
        for r in riders
        for d in drivers  # expect: L1  # expect-span: 2
        if d["zone"] == r["zone"]
    }


def pair_riders_indexed(riders: list[dict], drivers: list[dict]) -> dict[str, str]:
    by_zone = {d["zone"]: d for d in drivers}
    return {r["id"]: by_zone[r["zone"]]["id"] for r in riders if r["zone"] in by_zone}  # expect-none


def cheapest_quote(quotes_by_route, routes):
    best = {}
    for route in routes:
        best[route] = sorted(quotes_by_route[route], key=lambda q: q.price)[0]  # expect: L1
    return best


def closest(points: list[tuple[float, float]], origin: tuple[float, float]):
    return min(points, key=lambda p: (p[0] - origin[0]) ** 2 + (p[1] - origin[1]) ** 2)  # expect-none


def assign_queue(tickets: list, agents: list) -> list:
    pairs = []
    while tickets and agents:
        agent = max(agents, key=lambda a: a.free_minutes)  # expect: L1
        agents.remove(agent)  # expect: L1
        pairs.append((tickets.pop(), agent))
    return pairs
