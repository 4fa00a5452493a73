"""Check the links of a static site (script, asyncio + aiohttp, run from cron)."""
import asyncio
import socket
import sys
import time
import urllib.request

import aiohttp

TIMEOUT = aiohttp.ClientTimeout(total=10)
results = {}


async def head(session, url):
    async with session.head(url, allow_redirects=True) as resp:
        return resp.status


async def check_all_serial(session, urls):
    for url in urls:
        results[url] = await head(session, url)  # expect: L4


async def check_all(session, urls):
    statuses = await asyncio.gather(*[head(session, u) for u in urls])  # expect-none
    results.update(zip(urls, statuses))


async def check_polite(session, urls):
    for url in urls:
        results[url] = await head(session, url)  # expect-none
        await asyncio.sleep(1.0)


async def resolve_hosts(hosts):
    return [socket.gethostbyname(h) for h in hosts]  # expect: L4


async def resolve_hosts_async(hosts):
    loop = asyncio.get_running_loop()
    return [await loop.getaddrinfo(h, 443) for h in hosts]  # expect: L4


async def robots(host):
    with urllib.request.urlopen("https://%s/robots.txt" % host) as f:  # expect: L4
        return f.read().decode()


async def backoff(attempt):
    time.sleep(2 ** attempt)  # expect: L4


def backoff_sync(attempt):
    time.sleep(2 ** attempt)  # expect-none


def load_urls(path):
    with open(path) as f:
        return [line.strip() for line in f.read().splitlines() if line.strip()]  # expect: L4


def load_urls_lazily(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]  # expect-none


async def main():
    urls = load_urls(sys.argv[1])
    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:  # expect-none
        await check_all(session, urls)
    for url, status in sorted(results.items()):
        print("%s %s" % (status, url))  # expect-none


if __name__ == "__main__":
    asyncio.run(main())  # expect-none
