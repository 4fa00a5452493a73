"""In-memory order book fed from an exchange websocket."""
import bisect
import itertools
from dataclasses import dataclass, field


@dataclass(order=True)
class Level:
    price: float
    size: float = field(compare=False)


class OrderBook:
    def __init__(self, feed, depth: int = 50):
        self.feed = feed
        self.depth = depth
        self.bids: list[Level] = []
        self.asks: list[Level] = []

    def on_ask(self, level: Level) -> None:
        bisect.insort(self.asks, level)  # expect-none

    def replay(self, events) -> None:
        for ev in events:
            self.bids.append(Level(ev["price"], ev["size"]))
            self.bids.sort(reverse=True)  # expect: L1

    def replay_sorted_once(self, events) -> None:
        for ev in events:
            self.bids.append(Level(ev["price"], ev["size"]))
        self.bids.sort(reverse=True)  # expect-none

    def best_ask(self) -> float:
        return sorted(lvl.price for lvl in self.asks)[0]  # expect: L1

    def highest_bid(self) -> float:
        return sorted(self.bids)[-1].price  # expect: L1

    def spread(self) -> float:
        return min(a.price for a in self.asks) - max(b.price for b in self.bids)  # expect-none

    def top(self, k: int = 10) -> list[Level]:
        return sorted(self.asks)[:k]  # expect-none

    def snapshot(self) -> list[tuple[Level, Level]]:
        return list(itertools.islice(zip(self.bids, self.asks), self.depth))  # expect-none

    def cancel(self, prices: list[float]) -> None:
        for p in prices:
            i = bisect.bisect_left(self.asks, Level(p, 0.0))  # expect-none
            if i < len(self.asks) and self.asks[i].price == p:
                del self.asks[i]

    def vwap(self) -> float:
        notional = volume = 0.0
        for lvl in self.asks:
            notional += lvl.price * lvl.size  # expect-none
            volume += lvl.size
        return notional / volume if volume else 0.0
