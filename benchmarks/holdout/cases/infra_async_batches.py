import asyncio

import httpx


async def push(client: httpx.AsyncClient, item: dict) -> int:
    r = await client.post("/items", json=item)
    return r.status_code


async def push_one(item: dict) -> int:
    async with httpx.AsyncClient(base_url="https://ingest.example.com") as client:  # expect: L5
        return await push(client, item)


async def push_all(items: list[dict]) -> list[int]:
    async with httpx.AsyncClient(base_url="https://ingest.example.com") as client:  # expect-none
        return await asyncio.gather(*(push(client, i) for i in items))


async def push_each(items: list[dict]) -> list[int]:
    return await asyncio.gather(*(push_one(i) for i in items))


def sync_push(items: list[dict]) -> list[int]:
    return [asyncio.run(push_one(i)) for i in items]  # expect: L5


def sync_push_batched(batches: list[list[dict]]) -> list[list[int]]:
    results = []
    for batch in batches:
        loop = asyncio.new_event_loop()  # expect: L5
        results.append(loop.run_until_complete(push_each(batch)))
        loop.close()
    return results


def main(items: list[dict]) -> None:
    print(asyncio.run(push_all(items)))  # expect-none


if __name__ == "__main__":
    main([{"id": n} for n in range(10)])
