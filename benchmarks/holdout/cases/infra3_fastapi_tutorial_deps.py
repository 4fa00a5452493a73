"""FastAPI tutorial-style dependencies and routes."""
import asyncio

import aiohttp
import asyncpg
import httpx
import redis.asyncio as aioredis
from fastapi import Depends, FastAPI

app = FastAPI()
DATABASE_URL = "postgresql://app@localhost/app"
REDIS_URL = "redis://localhost:6379/0"
shared = {}


@app.on_event("startup")
async def startup():
    shared["http"] = httpx.AsyncClient()  # expect-none
    shared["pool"] = await asyncpg.create_pool(DATABASE_URL)  # expect-none


async def get_redis():
    return aioredis.from_url(REDIS_URL)  # expect: L5


async def get_db():
    conn = await asyncpg.connect(DATABASE_URL)  # expect: L5
    try:
        yield conn
    finally:
        await conn.close()


@app.get("/users/{uid}")
async def read_user(uid: int, db=Depends(get_db), cache=Depends(get_redis)):
    return await cache.get(f"user:{uid}") or await db.fetchrow("SELECT * FROM users WHERE id = $1", uid)


@app.get("/weather/{city}")
async def weather(city: str):
    async with httpx.AsyncClient() as client:  # expect: L5
        r = await client.get(f"https://wttr.in/{city}?format=j1")
    return r.json()


@app.get("/weather/shared/{city}")
async def weather_shared(city: str):
    r = await shared["http"].get(f"https://wttr.in/{city}?format=j1")  # expect-none
    return r.json()


@app.get("/quote")
async def quote():
    async with aiohttp.ClientSession() as session:  # expect: L5
        async with session.get("https://quotes.example.com/random") as resp:
            return await resp.json()


@app.get("/orders/{uid}")
async def orders(uid: int):
    async with shared["pool"].acquire() as conn:  # expect-none
        return await conn.fetch("SELECT * FROM orders WHERE user_id = $1", uid)


async def refresh_one(key):
    await asyncio.sleep(0)
    return key


def refresh_all(keys):
    for key in keys:
        asyncio.run(refresh_one(key))  # expect: L5


def refresh_all_once(keys):
    async def _all():
        return await asyncio.gather(*(refresh_one(k) for k in keys))
    return asyncio.run(_all())  # expect-none
