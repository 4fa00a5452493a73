"""Small services on Litestar, Quart, aiohttp.web, Django Ninja and Bottle."""
import sqlite3

import aiohttp
import asyncpg
import httpx
import pymysql
import redis
from aiohttp import web
from bottle import Bottle, request
from litestar import Litestar, get
from ninja import NinjaAPI
from quart import Quart

DB_URL = "postgresql://app@pg/app"
RATES_URL = "https://rates.example/api"


@get("/convert/{amount:float}")
async def convert(amount: float) -> dict:
    async with httpx.AsyncClient(base_url=RATES_URL) as client:  # expect: L5
        rate = (await client.get("/eur-usd")).json()["rate"]
    return {"usd": amount * rate}


async def open_rates(app: Litestar) -> None:
    app.state.rates = httpx.AsyncClient(base_url=RATES_URL)  # expect-none


@get("/convert2/{amount:float}")
async def convert_shared(amount: float, state: dict) -> dict:
    rate = (await state.rates.get("/eur-usd")).json()["rate"]  # expect-none
    return {"usd": amount * rate}


litestar_app = Litestar([convert, convert_shared], on_startup=[open_rates])
quart_app = Quart(__name__)


@quart_app.before_serving
async def create_pool():
    quart_app.pool = await asyncpg.create_pool(DB_URL)  # expect-none


@quart_app.route("/users/<int:user_id>")
async def user_detail(user_id: int):
    conn = await asyncpg.connect(DB_URL)  # expect: L5
    try:
        row = await conn.fetchrow("SELECT id, email FROM users WHERE id = $1", user_id)
    finally:
        await conn.close()
    return dict(row)


routes = web.RouteTableDef()


@routes.get("/avatar/{name}")
async def avatar(request: web.Request) -> web.Response:
    async with aiohttp.ClientSession() as session:  # expect: L5
        async with session.get(f"https://gravatar.example/{request.match_info['name']}") as r:
            return web.Response(body=await r.read(), content_type="image/png")


async def avatar_shared(request: web.Request) -> web.Response:
    session = request.app["http"]  # expect-none
    async with session.get(f"https://gravatar.example/{request.match_info['name']}") as r:
        return web.Response(body=await r.read(), content_type="image/png")


async def http_ctx(app: web.Application):
    app["http"] = aiohttp.ClientSession()  # expect-none
    yield
    await app["http"].close()


aio_app = web.Application()
aio_app.add_routes(routes)
aio_app.router.add_get("/avatar2/{name}", avatar_shared)
aio_app.cleanup_ctx.append(http_ctx)

api = NinjaAPI()


@api.get("/counters/{key}")
def counter(request, key: str):
    r = redis.Redis(host="cache", port=6379)  # expect: L5
    return {"value": int(r.get(key) or 0)}


bottle_app = Bottle()


@bottle_app.route("/stock/<sku>")
def stock(sku):
    db = pymysql.connect(host="mysql", user="shop", database="shop")  # expect: L5
    with db.cursor() as cur:
        cur.execute("SELECT qty FROM stock WHERE sku = %s", (sku,))
        return {"qty": cur.fetchone()[0]}


def build_schema(path: str = "local.db") -> None:
    conn = sqlite3.connect(path)  # expect-none
    conn.execute("CREATE TABLE IF NOT EXISTS hits (k TEXT PRIMARY KEY, n INTEGER)")
    conn.close()
