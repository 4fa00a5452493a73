import asyncio
from collections import deque
from dataclasses import dataclass
from typing import AsyncIterator

import httpx


@dataclass
class Watch:
    sku: str
    target: float
    user_id: int


class PriceClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def price(self, sku: str) -> float:
        r = await self.http.get(f"/prices/{sku}")
        return r.json()["price"]

    async def page(self, cursor: str | None) -> dict:
        r = await self.http.get("/prices", params={"cursor": cursor} if cursor else None)
        return r.json()


class AlertEngine:
    def __init__(self, prices: PriceClient, notifier) -> None:
        self.prices = prices
        self.notifier = notifier

    async def triggered(self, watches: list[Watch]) -> list[Watch]:
        hits = []
        for w in watches:
            current = await self.prices.price(w.sku)  # expect: L4
            if current <= w.target:
                hits.append(w)
        return hits

    async def triggered_concurrently(self, watches: list[Watch]) -> list[Watch]:
        current = await asyncio.gather(*(self.prices.price(w.sku) for w in watches))  # expect-none
        return [w for w, c in zip(watches, current) if c <= w.target]

    async def prices_for(self, skus: set[str]) -> dict[str, float]:
        return {sku: await self.prices.price(sku) for sku in skus}  # expect: L4

    async def notify(self, hits: list[Watch]) -> None:
        pending = deque(hits)
        while pending:
            w = pending.popleft()
            await self.notifier.send(w.user_id, f"{w.sku} is below {w.target}")  # expect: L4

    async def all_prices(self) -> dict[str, float]:
        out: dict[str, float] = {}
        cursor = None
        while True:
            page = await self.prices.page(cursor)  # expect-none
            out.update(page["items"])
            cursor = page.get("next")
            if not cursor:
                return out

    async def bounded(self, skus: list[str]) -> list[float]:
        sem = asyncio.Semaphore(8)

        async def one(sku: str) -> float:
            async with sem:
                return await self.prices.price(sku)

        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(one(s)) for s in skus]  # expect-none
        return [t.result() for t in tasks]

    async def with_retry(self, sku: str) -> float:
        for attempt in range(4):
            try:
                return await self.prices.price(sku)  # expect-none
            except httpx.TransportError:
                await asyncio.sleep(2 ** attempt)  # expect-none
        raise RuntimeError(sku)

    async def consume(self, feed: AsyncIterator[Watch]) -> None:
        async for w in feed:
            await self.notifier.send(w.user_id, f"watching {w.sku}")  # expect-none

    async def ranked(self, watches: list[Watch]) -> list[tuple[int, float]]:
        ranked = []
        for rank, (w, weight) in enumerate(zip(watches, range(len(watches), 0, -1))):
            ranked.append((rank, weight * await self.prices.price(w.sku)))  # expect: L4
        return ranked
