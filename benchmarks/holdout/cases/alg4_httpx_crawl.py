"""Partner catalogue sync over the partners' REST APIs."""
import asyncio
from collections import deque
from typing import AsyncIterator

import aiohttp
import httpx

API = "https://partners.example.net/v3"


async def fetch_all_products(client: httpx.AsyncClient, partner: str) -> list[dict]:
    products: list[dict] = []
    cursor = None
    while True:
        resp = await client.get(f"{API}/{partner}/products", params={"cursor": cursor})
        page = resp.json()
        products = products + page["items"]  # expect: L1
        cursor = page.get("next")
        if not cursor:
            return products


async def pages(client: httpx.AsyncClient, partner: str) -> AsyncIterator[list[dict]]:
    cursor = None
    while True:
        page = (await client.get(f"{API}/{partner}/products", params={"cursor": cursor})).json()
        yield page["items"]
        cursor = page.get("next")
        if not cursor:
            break


async def fetch_all_extend(client: httpx.AsyncClient, partner: str) -> list[dict]:
    products = []
    async for items in pages(client, partner):
        products.extend(items)  # expect-none
    return products


async def crawl_categories(client: httpx.AsyncClient, root: str) -> list[str]:
    frontier = [root]
    visited = []
    while frontier:
        slug = frontier.pop(0)  # expect: L1
        if slug in visited:  # expect: L1
            continue
        visited.append(slug)
        data = (await client.get(f"{API}/categories/{slug}")).json()
        frontier.extend(child["slug"] for child in data["children"])
    return visited


async def crawl_categories_deque(client: httpx.AsyncClient, root: str) -> set[str]:
    frontier = deque([root])
    visited = set()
    while frontier:
        slug = frontier.popleft()  # expect-none
        if slug in visited:  # expect-none
            continue
        visited.add(slug)
        data = (await client.get(f"{API}/categories/{slug}")).json()
        frontier.extend(child["slug"] for child in data["children"])
    return visited


async def download_feed(session: aiohttp.ClientSession, url: str) -> bytes:
    payload = b""
    async with session.get(url) as resp:
        async for chunk in resp.content.iter_chunked(8192):
            payload += chunk  # expect: L1
    return payload


async def download_feed_buffered(session: aiohttp.ClientSession, url: str) -> bytes:
    buf = bytearray()
    async with session.get(url) as resp:
        async for chunk in resp.content.iter_chunked(8192):
            buf += chunk  # expect-none
    return bytes(buf)


async def main() -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        for partner in ("acme", "globex"):
            items = await fetch_all_extend(client, partner)
            print(partner, len(items))  # expect-none


if __name__ == "__main__":
    asyncio.run(main())
