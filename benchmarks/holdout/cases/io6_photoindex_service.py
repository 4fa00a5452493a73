# photoindex/service.py -- part of photoindex 0.9 (self-hosted photo catalogue)
#
# The aiohttp application serves the catalogue; the click group below is what
# the `photoindex` console script runs (scan, rebuild, export).
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import click
from aiohttp import web

__all__ = ["create_app", "cli"]

log = logging.getLogger("photoindex")
SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".heic"})
DEFAULT_ROOT = Path(os.environ.get("PHOTOINDEX_ROOT", "~/Pictures")).expanduser()


class ThumbStore(Protocol):
    async def thumb(self, digest: str) -> bytes: ...
    async def put(self, digest: str, data: bytes) -> None: ...


@dataclass(slots=True)
class Photo:
    path: Path
    digest: str
    tags: list[str] = field(default_factory=list)


def iter_photos(root: Path) -> Iterator[Path]:
    """Yield every photo below *root*, skipping hidden folders."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]  # expect-none
        for name in filenames:
            if Path(name).suffix.lower() in SUFFIXES:  # expect-none
                yield Path(dirpath, name)


def digest_of(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):  # expect-none
            h.update(chunk)
    return h.hexdigest()


def exif_tags(path: Path) -> list[str]:
    # exiftool is slow to start (perl); see the batched variant in `rebuild`
    out = subprocess.run(["exiftool", "-json", "-Keywords", str(path)], capture_output=True, check=True)  # expect: L4
    return json.loads(out.stdout)[0].get("Keywords", [])


def load_manifest(root: Path) -> dict[str, dict]:
    manifest = root / ".photoindex.json"
    if not manifest.exists():
        return {}
    return json.loads(manifest.read_text())  # expect-none


# --------------------------------------------------------------------------- web


async def handle_photo(request: web.Request) -> web.Response:
    digest = request.match_info["digest"]
    manifest = load_manifest(request.app["root"])  # expect: L4
    entry = manifest.get(digest)
    if entry is None:
        raise web.HTTPNotFound()
    log.debug("serving %s -> %s", digest, entry["path"])  # expect-none
    return web.json_response(entry)


async def handle_thumbs(request: web.Request) -> web.Response:
    store: ThumbStore = request.app["thumbs"]
    digests = (await request.json())["digests"]
    thumbs: dict[str, str] = {}
    for digest in digests:
        thumbs[digest] = (await store.thumb(digest)).hex()  # expect: L4
    return web.json_response(thumbs)


async def handle_thumbs_parallel(request: web.Request) -> web.Response:
    store: ThumbStore = request.app["thumbs"]
    digests = (await request.json())["digests"]
    async with asyncio.TaskGroup() as tg:
        jobs = [tg.create_task(store.thumb(d)) for d in digests]  # expect-none
    return web.json_response({d: j.result().hex() for d, j in zip(digests, jobs)})


async def handle_raw(request: web.Request) -> web.StreamResponse:
    entry = load_manifest_cached(request.app)[request.match_info["digest"]]
    resp = web.StreamResponse()
    await resp.prepare(request)
    with open(entry["path"], "rb") as fh:  # expect: L4
        await resp.write(fh.read())
    return resp


def load_manifest_cached(app: web.Application) -> dict[str, dict]:
    return app["manifest"]  # expect-none


async def _on_startup(app: web.Application) -> None:
    app["manifest"] = load_manifest(app["root"])  # expect-none


def create_app(root: Path, thumbs: ThumbStore) -> web.Application:
    app = web.Application()
    app["root"], app["thumbs"] = root, thumbs
    app.on_startup.append(_on_startup)
    app.add_routes([
        web.get("/photo/{digest}", handle_photo),
        web.post("/thumbs", handle_thumbs),
        web.get("/raw/{digest}", handle_raw),
    ])
    return app


# --------------------------------------------------------------------------- cli


@click.group()
@click.option("-v", "--verbose", is_flag=True)
def cli(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, stream=sys.stderr)


@cli.command()
@click.argument("root", type=click.Path(path_type=Path), default=DEFAULT_ROOT)
def scan(root: Path) -> None:
    """Index every photo below ROOT (one exiftool run per photo: slow)."""
    photos = []
    for path in iter_photos(root):
        photo = Photo(path=path, digest=digest_of(path), tags=exif_tags(path))
        log.debug(f"indexed {photo.path} as {photo.digest}")  # expect: L4
        photos.append(photo)
    _write_manifest(root, photos)
    click.echo(f"{len(photos)} photos indexed")  # expect-none


@cli.command()
@click.argument("root", type=click.Path(path_type=Path), default=DEFAULT_ROOT)
def rebuild(root: Path) -> None:
    """Like `scan`, with one exiftool process for the whole tree."""
    paths = list(iter_photos(root))
    out = subprocess.run(["exiftool", "-json", "-Keywords", *map(str, paths)], capture_output=True, check=True)  # expect-none
    tags = {Path(e["SourceFile"]): e.get("Keywords", []) for e in json.loads(out.stdout)}
    _write_manifest(root, [Photo(p, digest_of(p), tags.get(p, [])) for p in paths])


@cli.command()
@click.argument("root", type=click.Path(path_type=Path), default=DEFAULT_ROOT)
@click.argument("dest", type=click.Path(path_type=Path))
def export(root: Path, dest: Path) -> None:
    for digest, entry in load_manifest(root).items():
        with open(dest / "export.csv", "a") as fh:  # expect: L4
            fh.write(f"{digest},{entry['path']}\n")
        log.info("exported %s", digest)  # expect-none


def _write_manifest(root: Path, photos: list[Photo]) -> None:
    data = {p.digest: {"path": str(p.path), "tags": p.tags} for p in photos}
    (root / ".photoindex.json").write_text(json.dumps(data, indent=2))  # expect-none


if __name__ == "__main__":
    cli()
