"""Media API twice: a Sanic app (async handlers) and a Falcon ASGI resource, sharing helpers."""
import asyncio
import hashlib
import json
import logging
import socket
import subprocess
from pathlib import Path

import aiofiles
import falcon.asgi
import requests
from sanic import Sanic
from sanic.response import json as json_response

app = Sanic("media")
logger = logging.getLogger("media")
MEDIA_ROOT = Path("/srv/media")


@app.listener("before_server_start")
async def setup(app, loop):
    app.ctx.presets = json.loads((MEDIA_ROOT / "presets.json").read_text())  # expect-none


@app.get("/media/<name>/meta")
async def media_meta(request, name):
    meta = json.loads((MEDIA_ROOT / name / "meta.json").read_text())  # expect: L4
    return json_response(meta)


@app.post("/media/<name>/thumbnail")
async def thumbnail(request, name):
    src = MEDIA_ROOT / name / "original.jpg"
    subprocess.run(["convert", str(src), "-resize", "320x", str(src.with_name("thumb.jpg"))], check=True)  # expect: L4
    return json_response({"ok": True})


@app.post("/media/<name>/thumbnail-async")
async def thumbnail_async(request, name):
    src = MEDIA_ROOT / name / "original.jpg"
    proc = await asyncio.create_subprocess_exec("convert", str(src), "-resize", "320x", str(src.with_name("thumb.jpg")))  # expect-none
    await proc.wait()
    return json_response({"ok": proc.returncode == 0})


@app.post("/media/<name>/mirror")
async def mirror(request, name):
    data = (MEDIA_ROOT / name / "original.jpg").read_bytes()  # expect: L4
    requests.put(f"https://cdn.example.com/{name}", data=data, timeout=60)  # expect: L4
    logger.info(f"mirrored {name}, {len(data)} bytes")  # expect: L4
    return json_response({"bytes": len(data)})


@app.get("/media/<name>/checksum")
async def checksum(request, name):
    digest = hashlib.sha256()
    async with aiofiles.open(MEDIA_ROOT / name / "original.jpg", "rb") as fh:
        while chunk := await fh.read(1 << 20):  # expect-none
            digest.update(chunk)
    return json_response({"sha256": digest.hexdigest()})


@app.get("/origin")
async def origin(request):
    host = socket.gethostbyname("origin.example.com")  # expect: L4
    return json_response({"origin": host})


class TagsResource:
    def __init__(self, index_path: Path):
        self.index_path = index_path
        self.queue = asyncio.Queue()

    async def on_get(self, req, resp, name):
        tags = await asyncio.to_thread(self.index_path.read_text)  # expect-none
        resp.media = json.loads(tags).get(name, [])

    async def on_put(self, req, resp, name):
        payload = await req.get_media()
        index = json.loads(self.index_path.read_text())  # expect: L4
        index[name] = payload["tags"]
        self.index_path.write_text(json.dumps(index))  # expect: L4
        resp.media = {"ok": True}

    async def on_post(self, req, resp, name):
        payload = await req.get_media()
        for tag in payload["tags"]:
            await self.queue.put((name, tag))  # expect-none
        resp.status = falcon.HTTP_202


falcon_app = falcon.asgi.App()
falcon_app.add_route("/tags/{name}", TagsResource(MEDIA_ROOT / "tags.json"))
