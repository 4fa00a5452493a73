import asyncio
import heapq


class OrderStream:
    def __init__(self, client):
        self.client = client
        self.processed_ids = []
        self.pending = []
        self.deadlines: list[tuple[float, str]] = []

    async def consume(self):
        async for msg in self.client.subscribe("orders"):
            if msg["id"] in self.processed_ids:  # expect: L1
                continue
            self.processed_ids.append(msg["id"])
            self.pending.append(msg)

    async def flush(self, sink):
        while self.pending:
            msg = self.pending.pop(0)  # expect: L1
            await sink.send(msg)

    def schedule(self, order_id: str, due: float) -> None:
        heapq.heappush(self.deadlines, (due, order_id))  # expect-none

    def overdue(self, now: float) -> list[str]:
        late = []
        while self.deadlines and self.deadlines[0][0] < now:
            late.append(heapq.heappop(self.deadlines)[1])  # expect-none
        return late


async def main(client):
    stream = OrderStream(client)
    await asyncio.wait_for(stream.consume(), timeout=30)  # expect-none
