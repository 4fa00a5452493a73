"""Batch job runners: uploads, CPU-bound scoring, and sync wrappers over async clients."""
from __future__ import annotations

import asyncio
import logging
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from boto3 import client as aws_client
from google.cloud import storage

log = logging.getLogger(__name__)

WORKERS = int(os.environ.get("WORKERS", "4"))


class Region(Enum):
    EU = "eu-west-1"
    US = "us-east-1"


@dataclass
class UploadJob:
    path: Path
    bucket: str
    key: str
    tags: dict[str, str] = field(default_factory=dict)

    def run(self) -> None:
        s3 = aws_client("s3")  # expect: L5
        s3.upload_file(str(self.path), self.bucket, self.key)
        log.debug("uploaded %s", self.key)


@dataclass
class GcsMirrorJob:
    path: Path
    bucket: str

    def run(self, client: storage.Client) -> None:
        client.bucket(self.bucket).blob(self.path.name).upload_from_filename(str(self.path))  # expect-none


def run_uploads(jobs: Iterable[UploadJob]) -> None:
    for job in jobs:
        job.run()


def mirror_all(jobs: list[GcsMirrorJob]) -> None:
    client = storage.Client()  # expect-none
    for job in jobs:
        job.run(client)


def replicate_everywhere(key: str, body: bytes) -> None:
    for region in Region:
        aws_client("s3", region_name=region.value).put_object(Bucket=f"assets-{region.value}", Key=key, Body=body)  # expect-none


def _score(chunk: list[float]) -> float:
    return sum(x * x for x in chunk) ** 0.5


def chunks(values: list[float], size: int) -> Iterator[list[float]]:
    it = iter(values)
    while batch := list(islice(it, size)):
        yield batch


def score_series(series: dict[str, list[float]]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for name, values in series.items():
        with ProcessPoolExecutor(max_workers=WORKERS) as pool:  # expect: L5
            out[name] = list(pool.map(_score, chunks(values, 1_000)))
    return out


def score_series_one_pool(series: dict[str, list[float]]) -> dict[str, list[float]]:
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:  # expect-none
        return {name: list(pool.map(_score, chunks(v, 1_000))) for name, v in series.items()}


def _normalise_file(path: Path) -> list[float]:
    opts = {"processes": WORKERS}
    with mp.Pool(**opts) as pool:  # expect: L5
        return pool.map(float, path.read_text().split())


def normalise_tree(root: Path) -> dict[str, list[float]]:
    return {p.name: _normalise_file(p) for p in root.rglob("*.txt")}


async def _resolve(host: str) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, 443)
    return sorted({info[4][0] for info in infos})


def resolve(host: str) -> list[str]:
    return asyncio.run(_resolve(host))  # expect: L5


def resolve_all(hosts: list[str]) -> dict[str, list[str]]:
    return {h: resolve(h) for h in hosts}


def resolve_all_once(hosts: list[str]) -> dict[str, list[str]]:
    async def _all() -> dict[str, list[str]]:
        found = await asyncio.gather(*(_resolve(h) for h in hosts))
        return dict(zip(hosts, found))

    return asyncio.run(_all())  # expect-none


def ping_each(hosts: list[str]) -> list[bool]:
    ok = []
    for host in hosts:
        loop = asyncio.new_event_loop()  # expect: L5
        try:
            ok.append(bool(loop.run_until_complete(_resolve(host))))
        finally:
            loop.close()
    return ok


if __name__ == "__main__":
    for target in ("example.com", "example.org"):
        print(asyncio.run(_resolve(target)))  # expect-none
