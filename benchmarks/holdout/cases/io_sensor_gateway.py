import asyncio
import json
import subprocess
from pathlib import Path

from aiohttp import web

CONFIG_DIR = Path("/etc/sensors")
routes = web.RouteTableDef()


@routes.get("/sensors/{sid}/calibration")
async def calibration(request: web.Request) -> web.Response:
    sid = request.match_info["sid"]
    cal = json.load(open(CONFIG_DIR / f"{sid}.json"))  # expect: L4
    return web.json_response(cal)


@routes.get("/sensors/{sid}/firmware")
async def firmware(request: web.Request) -> web.Response:
    blob = (CONFIG_DIR / "firmware" / request.match_info["sid"]).read_bytes()  # expect: L4
    return web.Response(body=blob)


@routes.get("/v2/sensors/{sid}/firmware")
async def firmware_v2(request: web.Request) -> web.Response:
    path = CONFIG_DIR / "firmware" / request.match_info["sid"]
    blob = await asyncio.to_thread(path.read_bytes)  # expect-none
    return web.Response(body=blob)


@routes.post("/sensors/rescan")
async def rescan(request: web.Request) -> web.Response:
    out = subprocess.check_output(["lsusb"], text=True)  # expect: L4
    return web.json_response({"devices": out.splitlines()})


@routes.post("/sensors/ping")
async def ping_all(request: web.Request) -> web.Response:
    body = await request.json()
    client = request.app["http"]
    alive = {}
    for idx, host in enumerate(body["hosts"]):
        resp = await client.get(f"http://{host}/ping", timeout=2)  # expect: L4
        alive[host] = resp.status == 200
    return web.json_response(alive)


@routes.post("/v2/sensors/ping")
async def ping_all_v2(request: web.Request) -> web.Response:
    body = await request.json()
    client = request.app["http"]
    responses = await asyncio.gather(*(client.get(f"http://{h}/ping", timeout=2) for h in body["hosts"]))  # expect-none
    return web.json_response({h: r.status == 200 for h, r in zip(body["hosts"], responses)})
