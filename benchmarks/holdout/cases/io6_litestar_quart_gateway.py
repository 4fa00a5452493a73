"""Edge gateway: Litestar controllers beside a legacy Quart blueprint."""
from __future__ import annotations

import asyncio
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import httpx
import requests
from litestar import Controller, Litestar, get, post
from litestar.datastructures import State
from quart import Blueprint, jsonify

TEMPLATES = Path("/etc/gateway/templates")
POLICY_FILE = Path("/etc/gateway/policy.yaml")
legacy = Blueprint("legacy", __name__)


@dataclass(slots=True)
class Upstream:
    host: str
    port: int


def load_policy(app: Litestar) -> None:
    app.state.policy = POLICY_FILE.read_text()  # expect-none


class UpstreamController(Controller):
    path = "/upstreams"

    @get("/{name:str}/resolve")
    async def resolve(self, name: str, state: State) -> dict:
        upstream: Upstream = state.upstreams[name]
        addr = socket.gethostbyname(upstream.host)  # expect: L4
        return {"name": name, "addr": addr}

    @get("/{name:str}/resolve-async")
    async def resolve_async(self, name: str, state: State) -> dict:
        upstream: Upstream = state.upstreams[name]
        infos = await asyncio.get_running_loop().getaddrinfo(upstream.host, upstream.port)  # expect-none
        return {"name": name, "addr": infos[0][4][0]}

    @get("/template/{name:str}")
    async def template(self, name: str) -> str:
        return (TEMPLATES / f"{name}.html").read_text()  # expect: L4

    @get("/template-sync/{name:str}", sync_to_thread=True)
    def template_sync(self, name: str) -> str:
        return (TEMPLATES / f"{name}.html").read_text()  # expect-none

    @post("/reload")
    async def reload(self) -> dict:
        proc = subprocess.run(["nginx", "-s", "reload"], capture_output=True, text=True)  # expect: L4
        return {"rc": proc.returncode}

    @post("/reload-async")
    async def reload_async(self) -> dict:
        proc = await asyncio.create_subprocess_exec("nginx", "-s", "reload")  # expect-none
        return {"rc": await proc.wait()}

    @post("/warm")
    async def warm(self, state: State) -> dict:
        async with httpx.AsyncClient(timeout=3) as client:
            codes = {}
            for name, up in state.upstreams.items():
                codes[name] = (await client.get(f"http://{up.host}:{up.port}/health")).status_code  # expect: L4
        return codes

    @post("/warm-grouped")
    async def warm_grouped(self, state: State) -> dict:
        async with httpx.AsyncClient(timeout=3) as client, asyncio.TaskGroup() as tg:
            tasks = {n: tg.create_task(client.get(f"http://{u.host}:{u.port}/health")) for n, u in state.upstreams.items()}  # expect-none
        return {n: t.result().status_code for n, t in tasks.items()}


@legacy.route("/legacy/quote/<sku>")
async def legacy_quote(sku: str):
    resp = requests.get(f"https://quotes.internal/{sku}", timeout=4)  # expect: L4
    return jsonify(resp.json())


@legacy.route("/legacy/bundle", methods=["POST"])
async def legacy_bundle():
    async with httpx.AsyncClient(base_url="https://quotes.internal") as client:  # expect: L5
        resp = await client.get("/bundle")  # expect-none
    return jsonify(resp.json())


app = Litestar(route_handlers=[UpstreamController], on_startup=[load_policy])
