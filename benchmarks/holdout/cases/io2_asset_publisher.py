import asyncio
import json
import subprocess
import time
from pathlib import Path

import aiofiles
import boto3


def _read_rules(path: Path) -> dict:
    with open(path) as fh:
        return json.load(fh)


class AssetPublisher:
    def __init__(self, bucket: str, root: Path) -> None:
        self.bucket = bucket
        self.root = root
        self.s3 = boto3.client("s3")

    async def publish(self, name: str, payload: bytes) -> str:
        key = f"assets/{name}"
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=payload)  # expect: L4
        return key

    async def publish_offloaded(self, name: str, payload: bytes) -> str:
        key = f"assets/{name}"
        await asyncio.to_thread(self.s3.put_object, Bucket=self.bucket, Key=key, Body=payload)  # expect-none
        return key

    async def write_manifest(self, entries: dict[str, str]) -> None:
        (self.root / "manifest.json").write_text(json.dumps(entries, indent=2))  # expect: L4

    async def write_manifest_async(self, entries: dict[str, str]) -> None:
        async with aiofiles.open(self.root / "manifest.json", "w") as fh:  # expect-none
            await fh.write(json.dumps(entries, indent=2))

    async def optimise(self, path: Path) -> None:
        subprocess.run(["optipng", "-o2", str(path)], check=True)  # expect: L4

    async def optimise_nonblocking(self, path: Path) -> None:
        proc = await asyncio.create_subprocess_exec("optipng", "-o2", str(path))  # expect-none
        await proc.wait()

    async def wait_for_cdn(self, status: str) -> bool:
        match status:
            case "pending":
                time.sleep(2)  # expect: L4
                return False
            case "queued":
                await asyncio.sleep(2)  # expect-none
                return False
            case _:
                return True

    async def load_rules(self) -> dict:
        return _read_rules(self.root / "rules.json")  # expect: L4

    async def load_rules_threaded(self) -> dict:
        def read() -> dict:
            with open(self.root / "rules.json") as fh:  # expect-none
                return json.load(fh)

        return await asyncio.to_thread(read)

    def sync_thumbnail(self, src: Path) -> bytes:
        time.sleep(0.1)  # expect-none
        return src.read_bytes()  # expect-none
