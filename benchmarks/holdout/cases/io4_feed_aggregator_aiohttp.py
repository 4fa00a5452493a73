"""RSS feed aggregator: an aiohttp web app that polls upstream feeds."""
import asyncio
import json
import socket
import time
from pathlib import Path

import aiohttp
from aiohttp import web

CACHE_DIR = Path("/var/cache/feeds")
routes = web.RouteTableDef()


class FeedPoller:
    def __init__(self, session: aiohttp.ClientSession, feeds: list[str]):
        self.session = session
        self.feeds = feeds

    async def poll_serial(self) -> dict[str, str]:
        bodies = {}
        for url in self.feeds:
            async with self.session.get(url) as resp:  # expect: L4
                bodies[url] = await resp.text()
        return bodies

    async def _one(self, url: str) -> str:
        async with self.session.get(url) as resp:  # expect-none
            return await resp.text()

    async def poll(self) -> dict[str, str]:
        texts = await asyncio.gather(*map(self._one, self.feeds))  # expect-none
        return dict(zip(self.feeds, texts))

    async def fetch_with_retry(self, url: str) -> str:
        for attempt in range(4):
            try:
                return await self._one(url)  # expect-none
            except aiohttp.ClientError:
                time.sleep(0.5 * 2 ** attempt)  # expect: L4
        raise RuntimeError(url)


@routes.get("/feeds/{name}")
async def cached_feed(request: web.Request) -> web.Response:
    path = CACHE_DIR / f"{request.match_info['name']}.json"
    if path.exists():
        return web.json_response(json.loads(path.read_text()))  # expect: L4
    raise web.HTTPNotFound()


@routes.post("/feeds/refresh")
async def refresh(request: web.Request) -> web.Response:
    poller: FeedPoller = request.app["poller"]
    bodies = await poller.poll()
    for url, body in bodies.items():
        name = url.rsplit("/", 1)[-1]
        with open(CACHE_DIR / f"{name}.xml", "w") as fh:  # expect: L4
            fh.write(body)
    return web.json_response({"refreshed": len(bodies)})


def write_all(bodies: dict[str, str]) -> None:
    for url, body in bodies.items():
        (CACHE_DIR / f"{url.rsplit('/', 1)[-1]}.xml").write_text(body)  # expect-none


@routes.post("/feeds/refresh-offloaded")
async def refresh_offloaded(request: web.Request) -> web.Response:
    poller: FeedPoller = request.app["poller"]
    bodies = await poller.poll()
    await asyncio.to_thread(write_all, bodies)  # expect-none
    return web.json_response({"refreshed": len(bodies)})


@routes.get("/upstreams")
async def upstreams(request: web.Request) -> web.Response:
    hosts = request.app["hosts"]
    infos = {h: socket.getaddrinfo(h, 443)[0][4][0] for h in hosts}  # expect: L4
    return web.json_response(infos)


async def on_startup(app: web.Application) -> None:
    app["session"] = aiohttp.ClientSession()  # expect-none
    app["poller"] = FeedPoller(app["session"], app["hosts"])
