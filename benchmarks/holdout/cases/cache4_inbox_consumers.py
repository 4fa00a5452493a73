"""Inbox consumers: asyncpg listeners, asyncio queues, gather fan-out."""
import asyncio
import hashlib
import json
import os
import unicodedata

import asyncpg

DEFAULTS = '{"priority": 3, "channel": "email", "retries": 2}'
DEFAULTS_DICT = json.loads(DEFAULTS)  # expect-none
SMART_QUOTES = "\u2018\u2019\u201c\u201d"
PLAIN_QUOTES = "''\"\""
QUOTE_TABLE = str.maketrans(SMART_QUOTES, PLAIN_QUOTES)  # expect-none
PEPPER = os.environ.get("INBOX_PEPPER", "pepper").encode()
SALT = b"inbox-static-salt"


def clean_subject(subject: str) -> str:
    table = str.maketrans(SMART_QUOTES, PLAIN_QUOTES)  # expect: L3
    return unicodedata.normalize("NFC", subject).translate(table)


def clean_subject_v2(subject: str) -> str:
    return unicodedata.normalize("NFC", subject).translate(QUOTE_TABLE)  # expect-none


async def handle(message: dict) -> dict:
    return {"subject": clean_subject(message["subject"]), **message}


async def fan_out(batch: list[dict]) -> list[dict]:
    return await asyncio.gather(*(handle(m) for m in batch))


async def drain(conn: asyncpg.Connection) -> int:
    seen = 0
    async with conn.transaction():
        async for record in conn.cursor("SELECT id, body FROM inbox WHERE done = false"):
            settings = {**json.loads(DEFAULTS), **json.loads(record["body"])}  # expect: L3
            key = hashlib.pbkdf2_hmac("sha256", PEPPER, SALT, 100_000)  # expect: L3
            await conn.execute("UPDATE inbox SET done = true, sig = $2 WHERE id = $1", record["id"], key)
            seen += settings["retries"] >= 0
    return seen


async def drain_v2(conn: asyncpg.Connection) -> int:
    key = hashlib.pbkdf2_hmac("sha256", PEPPER, SALT, 100_000)  # expect-none
    seen = 0
    async with conn.transaction():
        async for record in conn.cursor("SELECT id, body FROM inbox WHERE done = false"):
            settings = {**DEFAULTS_DICT, **json.loads(record["body"])}  # expect-none
            await conn.execute("UPDATE inbox SET done = true, sig = $2 WHERE id = $1", record["id"], key)
            seen += settings["retries"] >= 0
    return seen


async def worker(queue: asyncio.Queue) -> None:
    while True:
        item = await queue.get()
        digest = hashlib.pbkdf2_hmac("sha256", item["password"].encode(), item["salt"], 100_000)  # expect-none
        item["future"].set_result(digest)
        queue.task_done()


async def main() -> None:
    conn = await asyncpg.connect(os.environ["INBOX_DSN"])
    defaults = json.loads(DEFAULTS)  # expect-none
    print(await drain_v2(conn), defaults)


if __name__ == "__main__":
    asyncio.run(main())
