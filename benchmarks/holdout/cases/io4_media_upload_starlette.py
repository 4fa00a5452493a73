"""Media uploads on Starlette: store, hash and probe files."""
import hashlib
import os
import subprocess
import uuid
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

MEDIA = Path(os.environ.get("MEDIA_ROOT", "/srv/media"))


def _save(dest: Path, data: bytes) -> None:
    with open(dest, "wb") as fh:  # expect-none
        fh.write(data)


async def upload(request: Request) -> JSONResponse:
    form = await request.form()
    data = await form["file"].read()
    dest = MEDIA / uuid.uuid4().hex
    with open(dest, "wb") as fh:  # expect: L4
        fh.write(data)
    mime = subprocess.check_output(["file", "--brief", "--mime-type", str(dest)], text=True)  # expect: L4
    return JSONResponse({"id": dest.name, "mime": mime.strip()})


async def upload_offloaded(request: Request) -> JSONResponse:
    form = await request.form()
    data = await form["file"].read()
    dest = MEDIA / uuid.uuid4().hex
    await run_in_threadpool(_save, dest, data)  # expect-none
    proc = await anyio.run_process(["file", "--brief", "--mime-type", str(dest)])  # expect-none
    return JSONResponse({"id": dest.name, "mime": proc.stdout.decode().strip()})


async def checksum(request: Request) -> JSONResponse:
    path = MEDIA / request.path_params["media_id"]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()  # expect: L4
    return JSONResponse({"sha256": digest})


async def checksum_offloaded(request: Request) -> JSONResponse:
    path = MEDIA / request.path_params["media_id"]
    data = await anyio.Path(path).read_bytes()  # expect-none
    return JSONResponse({"sha256": hashlib.sha256(data).hexdigest()})


def purge(media_id: str) -> None:
    (MEDIA / media_id).unlink(missing_ok=True)
    subprocess.run(["cdn-purge", media_id], check=False)  # expect-none


async def delete(request: Request) -> JSONResponse:
    media_id = request.path_params["media_id"]
    return JSONResponse({"deleted": media_id}, background=BackgroundTask(purge, media_id))  # expect-none


def stats(request: Request) -> JSONResponse:
    total = sum(p.stat().st_size for p in MEDIA.iterdir())  # expect-none
    return JSONResponse({"bytes": total})


async def reindex(request: Request) -> JSONResponse:
    os.system(f"media-indexer --root {MEDIA}")  # expect: L4
    return JSONResponse({"ok": True})


app = Starlette(routes=[
    Route("/media", upload, methods=["POST"]),
    Route("/media/{media_id}/sha256", checksum),
    Route("/media/{media_id}", delete, methods=["DELETE"]),
    Route("/stats", stats),
    Route("/reindex", reindex, methods=["POST"]),
])
