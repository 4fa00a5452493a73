def match_fills(orders: list[dict], fills: list[dict]) -> list[tuple[dict, dict]]:
    matched = []
    i = 0
    while i < len(orders):
        order = orders[i]
        for fill in fills:  # expect: L1  # expect-span: 2
            if fill["order_ref"] == order["ref"]:
                matched.append((order, fill))
        i += 1
    return matched


def match_fills_indexed(orders: list[dict], fills: list[dict]) -> list[tuple[dict, dict]]:
    by_ref: dict[str, list[dict]] = {}
    for f in fills:
        by_ref.setdefault(f["order_ref"], []).append(f)
    return [(o, f) for o in orders for f in by_ref.get(o["ref"], [])]  # expect-none


def crossing(bids: list[dict], asks: list[dict]) -> list[tuple[dict, dict]]:
    return [(b, a) for b in bids for a in asks if b["price"] >= a["price"]]  # expect-none


def unfilled(orders: list[dict], fills: list[dict]) -> list[dict]:
    return [
        o for o in orders
        if not [f for f in fills if f["order_ref"] == o["ref"]]  # expect: L1
    ]


def fill_ratio(orders: list[dict], fills: list[dict]) -> dict[str, float]:
    ratios = {}
    for o in orders:
        done = sum(f["qty"] for f in fills if f["order_ref"] == o["ref"])  # expect: L1
        ratios[o["ref"]] = done / o["qty"]
    return ratios
