import aiohttp
import asyncpg
import redis.asyncio as aioredis
from fastapi import FastAPI

app = FastAPI()
PG_DSN = "postgresql://app@db/app"
_pool: asyncpg.Pool | None = None
_http: aiohttp.ClientSession | None = None


async def http() -> aiohttp.ClientSession:
    global _http
    if _http is None or _http.closed:
        _http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))  # expect-none
    return _http


@app.on_event("startup")
async def startup() -> None:
    global _pool
    _pool = await asyncpg.create_pool(PG_DSN, min_size=2, max_size=10)  # expect-none


@app.get("/users/{uid}/avatar")
async def avatar(uid: int):
    async with aiohttp.ClientSession() as session:  # expect: L5
        async with session.get(f"https://avatars.internal/{uid}") as resp:
            return {"url": str(resp.url), "ok": resp.status == 200}


@app.get("/users/{uid}")
async def user(uid: int):
    conn = await asyncpg.connect(PG_DSN)  # expect: L5
    try:
        row = await conn.fetchrow("SELECT id, name FROM users WHERE id = $1", uid)
    finally:
        await conn.close()
    return dict(row)


@app.get("/v2/users/{uid}")
async def user_v2(uid: int):
    async with _pool.acquire() as conn:  # expect-none
        row = await conn.fetchrow("SELECT id, name FROM users WHERE id = $1", uid)
    return dict(row)


@app.get("/v2/users/{uid}/avatar")
async def avatar_v2(uid: int):
    async with (await http()).get(f"https://avatars.internal/{uid}") as resp:  # expect-none
        return {"ok": resp.status == 200}


@app.post("/users/{uid}/seen")
async def mark_seen(uid: int):
    r = aioredis.from_url("redis://cache:6379/0")  # expect: L5
    await r.set(f"seen:{uid}", 1, ex=3600)
    await r.aclose()
    return {"ok": True}
