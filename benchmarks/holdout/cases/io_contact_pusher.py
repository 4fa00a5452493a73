import asyncio

import httpx
import requests


class ContactPusher:
    def __init__(self, base_url: str, token: str):
        self.base_url = base_url
        headers = {"Authorization": f"Bearer {token}"}
        self.sync_client = httpx.Client(base_url=base_url, headers=headers)
        self.client = httpx.AsyncClient(base_url=base_url, headers=headers)

    async def push(self, contact: dict) -> str:
        r = requests.post(f"{self.base_url}/contacts", json=contact, timeout=10)  # expect: L4
        return r.json()["id"]

    async def push_via_client(self, contact: dict) -> str:
        r = self.sync_client.post("/contacts", json=contact)  # expect: L4
        return r.json()["id"]

    async def push_async(self, contact: dict) -> str:
        r = await self.client.post("/contacts", json=contact)  # expect-none
        return r.json()["id"]

    async def push_all(self, contacts: list[dict]) -> list[str]:
        ids = []
        for c in contacts:
            ids.append(await self.push_async(c))  # expect: L4
        return ids

    async def push_many(self, contacts: list[dict]) -> list[str]:
        sem = asyncio.Semaphore(8)

        async def one(c: dict) -> str:
            async with sem:
                return await self.push_async(c)

        return await asyncio.gather(*(one(c) for c in contacts))  # expect-none
