import asyncio


class Dispatcher:
    def __init__(self, session, endpoint: str):
        self.session = session
        self.endpoint = endpoint
        self.delivered_ids = []
        self.muted_accounts = set()

    async def deliver(self, events):
        for event in events:
            if event["id"] in self.delivered_ids:  # expect: L1
                continue
            if event["account"] in self.muted_accounts:  # expect-none
                continue
            if await self._post(event):
                self.delivered_ids.append(event["id"])

    async def _post(self, event) -> bool:
        async with self.session.post(self.endpoint, json=event) as resp:
            return resp.status < 300


async def drain(queue: asyncio.Queue, handled: list[str]) -> None:
    while True:
        event = await queue.get()
        if event["id"] not in handled:  # expect: L1
            handled.append(event["id"])
        queue.task_done()


RETRY_CODES = [502, 503, 504]


def should_retry(status: int) -> bool:
    return status in RETRY_CODES  # expect-none
