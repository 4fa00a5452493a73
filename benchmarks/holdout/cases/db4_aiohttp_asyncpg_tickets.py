"""Support desk service: aiohttp handlers over an asyncpg pool kept on the app."""
import asyncpg
from aiohttp import web

routes = web.RouteTableDef()


async def init_pool(app: web.Application) -> None:
    app["pool"] = await asyncpg.create_pool(dsn=app["config"]["dsn"], max_size=10)  # expect-none


async def _ticket_ids(conn: asyncpg.Connection, queue: str):
    async with conn.transaction():
        async for rec in conn.cursor("SELECT id FROM tickets WHERE queue = $1", queue):
            yield rec["id"]


@routes.get("/queues/{queue}/tickets")
async def list_tickets(request: web.Request) -> web.Response:
    pool: asyncpg.Pool = request.app["pool"]
    out = []
    async with pool.acquire() as conn:
        async for tid in _ticket_ids(conn, request.match_info["queue"]):
            row = await conn.fetchrow("SELECT subject, assignee FROM tickets WHERE id = $1", tid)  # expect: L2
            out.append(dict(row))
    return web.json_response(out)


@routes.get("/queues/{queue}/tickets-joined")
async def list_tickets_one_query(request: web.Request) -> web.Response:
    async with request.app["pool"].acquire() as conn:
        rows = await conn.fetch(  # expect-none
            "SELECT id, subject, assignee FROM tickets WHERE queue = $1", request.match_info["queue"]
        )
    return web.json_response([dict(r) for r in rows])


@routes.post("/tickets/assign")
async def assign(request: web.Request) -> web.Response:
    body = await request.json()
    async with request.app["pool"].acquire() as conn:
        async with conn.transaction():
            for tid in body["ticket_ids"]:
                await conn.execute("UPDATE tickets SET assignee = $1 WHERE id = $2", body["agent"], tid)  # expect: L2
    return web.json_response({"ok": True})


@routes.post("/tickets/assign-once")
async def assign_once(request: web.Request) -> web.Response:
    body = await request.json()
    async with request.app["pool"].acquire() as conn:
        await conn.execute(  # expect-none
            "UPDATE tickets SET assignee = $1 WHERE id = ANY($2::int[])", body["agent"], body["ticket_ids"]
        )
    return web.json_response({"ok": True})


@routes.post("/tickets/tags")
async def add_tags(request: web.Request) -> web.Response:
    body = await request.json()
    pairs = [(t, tag) for t in body["ticket_ids"] for tag in body["tags"]]
    async with request.app["pool"].acquire() as conn:
        await conn.executemany("INSERT INTO ticket_tags (ticket_id, tag) VALUES ($1, $2)", pairs)  # expect-none
        counts = {tag: await conn.fetchval("SELECT count(*) FROM ticket_tags WHERE tag = $1", tag) for tag in body["tags"]}  # expect: L2
    return web.json_response(counts)


@routes.get("/health")
async def health(request: web.Request) -> web.Response:
    async with request.app["pool"].acquire() as conn:
        for attempt in range(3):
            try:
                await conn.fetchval("SELECT 1")  # expect-none
                break
            except asyncpg.PostgresError:
                continue
    return web.json_response({"db": "ok"})


def make_app(config) -> web.Application:
    app = web.Application()
    app["config"] = config
    app.on_startup.append(init_pool)
    app.add_routes(routes)
    return app
