import asyncio
from dataclasses import dataclass

import httpx


@dataclass
class Sku:
    code: str
    warehouse: str


class StockClient:
    def __init__(self, client: httpx.AsyncClient):
        self._client = client

    async def level(self, sku: Sku) -> int:
        r = await self._client.get(f"/stock/{sku.warehouse}/{sku.code}")
        r.raise_for_status()
        return r.json()["on_hand"]

    async def levels(self, skus: list[Sku]) -> dict[str, int]:
        out = {}
        for sku in skus:
            out[sku.code] = await self.level(sku)  # expect: L4
        return out

    async def levels_concurrent(self, skus: list[Sku]) -> dict[str, int]:
        async with asyncio.TaskGroup() as tg:
            tasks = {s.code: tg.create_task(self.level(s)) for s in skus}  # expect-none
        return {code: t.result() for code, t in tasks.items()}

    async def reorder_candidates(self, skus: list[Sku], threshold: int) -> list[str]:
        levels = [await self.level(s) for s in skus]  # expect: L4
        return [s.code for s, n in zip(skus, levels) if n < threshold]

    async def restock(self, queue: list[Sku]) -> None:
        while queue:
            sku = queue.pop()
            await self._client.post(f"/restock/{sku.warehouse}/{sku.code}")  # expect: L4

    async def drain_movements(self, since: str) -> list[dict]:
        moves, cursor = [], since
        while cursor:
            r = await self._client.get("/movements", params={"after": cursor})  # expect-none
            body = r.json()
            moves.extend(body["items"])
            cursor = body.get("next_cursor")
        return moves

    async def watch(self):
        async with self._client.stream("GET", "/movements/live") as resp:
            async for line in resp.aiter_lines():  # expect-none
                yield line
