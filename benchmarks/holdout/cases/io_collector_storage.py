import asyncio
import sqlite3
import urllib.request

import aiosqlite
import boto3

s3 = boto3.client("s3")
DB_PATH = "/var/lib/collector/state.db"
STATE = sqlite3.connect(DB_PATH, check_same_thread=False)


async def record_checkpoint(job: str, offset: int) -> None:
    STATE.execute("REPLACE INTO checkpoints(job, off) VALUES (?, ?)", (job, offset))  # expect: L4
    STATE.commit()


async def record_checkpoint_aio(job: str, offset: int) -> None:
    async with aiosqlite.connect(DB_PATH) as db:  # expect-none
        await db.execute("REPLACE INTO checkpoints(job, off) VALUES (?, ?)", (job, offset))
        await db.commit()


async def archive_batch(key: str, payload: bytes) -> None:
    s3.put_object(Bucket="collector-archive", Key=key, Body=payload)  # expect: L4


async def archive_batch_offloaded(key: str, payload: bytes) -> None:
    await asyncio.to_thread(s3.put_object, Bucket="collector-archive", Key=key, Body=payload)  # expect-none


async def fetch_manifest(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as resp:  # expect: L4
        return resp.read()


async def fetch_manifest_offloaded(url: str) -> bytes:
    def _get() -> bytes:
        with urllib.request.urlopen(url, timeout=10) as resp:  # expect-none
            return resp.read()

    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, _get)
