"""Small Starlette gateway: function endpoints, an HTTPEndpoint, startup hooks."""
import aiohttp
import asyncpg
from starlette.applications import Starlette
from starlette.endpoints import HTTPEndpoint
from starlette.responses import JSONResponse
from starlette.routing import Route

PG_DSN = "postgresql://gateway@pg/gateway"
UPSTREAM = "https://inventory.internal"
state = {}


async def on_startup():
    state["http"] = aiohttp.ClientSession(base_url=UPSTREAM)  # expect-none
    state["pool"] = await asyncpg.create_pool(PG_DSN, min_size=2, max_size=10)  # expect-none


async def on_shutdown():
    await state["http"].close()
    await state["pool"].close()


async def inventory(request):
    sku = request.path_params["sku"]
    async with aiohttp.ClientSession(base_url=UPSTREAM) as http:  # expect: L5
        async with http.get(f"/items/{sku}") as resp:
            body = await resp.json()
    return JSONResponse(body)


async def inventory_shared(request):
    sku = request.path_params["sku"]
    async with state["http"].get(f"/items/{sku}") as resp:  # expect-none
        return JSONResponse(await resp.json())


class Reservations(HTTPEndpoint):
    async def get(self, request):
        conn = await asyncpg.connect(PG_DSN)  # expect: L5
        try:
            rows = await conn.fetch("SELECT id, sku, qty FROM reservations WHERE open")
        finally:
            await conn.close()
        return JSONResponse([dict(r) for r in rows])

    async def post(self, request):
        payload = await request.json()
        async with state["pool"].acquire() as conn:  # expect-none
            await conn.execute("INSERT INTO reservations (sku, qty) VALUES ($1, $2)", payload["sku"], payload["qty"])
        return JSONResponse({"ok": True}, status_code=201)


async def health(request):
    pool = await asyncpg.create_pool(PG_DSN, min_size=1, max_size=2)  # expect: L5
    async with pool.acquire() as conn:
        ok = await conn.fetchval("SELECT 1")
    await pool.close()
    return JSONResponse({"db": ok == 1})


app = Starlette(
    routes=[
        Route("/inventory/{sku}", inventory),
        Route("/inventory-shared/{sku}", inventory_shared),
        Route("/reservations", Reservations),
        Route("/health", health),
    ],
    on_startup=[on_startup],
    on_shutdown=[on_shutdown],
)
