import asyncio
import sys

import aiohttp


async def fetch_status(session: aiohttp.ClientSession, host: str) -> int:
    async with session.get(f"https://{host}/healthz") as resp:
        return resp.status


async def probe_one(host: str) -> int:
    async with aiohttp.ClientSession() as session:  # expect: L5
        return await fetch_status(session, host)


async def probe_all(hosts: list[str]) -> list[int]:
    async with aiohttp.ClientSession() as session:  # expect-none
        return await asyncio.gather(*(fetch_status(session, h) for h in hosts))


def check_hosts(hosts: list[str]) -> dict[str, int]:
    results = {}
    for host in hosts:
        results[host] = asyncio.run(probe_one(host))  # expect: L5
    return results


def check_hosts_once(hosts: list[str]) -> dict[str, int]:
    statuses = asyncio.run(probe_all(hosts))  # expect-none
    return dict(zip(hosts, statuses))


def run_sync(coro):
    loop = asyncio.new_event_loop()  # expect: L5
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def warm(hosts: list[str]) -> None:
    for host in hosts:
        run_sync(probe_one(host))


if __name__ == "__main__":
    print(asyncio.run(probe_all(sys.argv[1:])))  # expect-none
