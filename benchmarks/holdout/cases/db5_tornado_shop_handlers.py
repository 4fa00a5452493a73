"""Tornado handlers: a motor database in the application settings, an asyncpg pool on the app."""
import json

import asyncpg
import motor.motor_tornado
import tornado.web


class BaseHandler(tornado.web.RequestHandler):
    @property
    def db(self):
        return self.settings["db"]

    @property
    def pool(self):
        return self.application.pool


class BasketHandler(BaseHandler):
    async def get(self, basket_id):
        basket = await self.db.baskets.find_one({"_id": basket_id})  # expect-none
        items = []
        for line in basket["lines"]:
            product = await self.db.products.find_one({"_id": line["sku"]})  # expect: L2
            items.append({"sku": line["sku"], "name": product["name"], "qty": line["qty"]})
        self.write({"items": items})


class BasketFastHandler(BaseHandler):
    async def get(self, basket_id):
        basket = await self.db.baskets.find_one({"_id": basket_id})  # expect-none
        skus = [line["sku"] for line in basket["lines"]]
        products = {p["_id"]: p async for p in self.db.products.find({"_id": {"$in": skus}})}  # expect-none
        self.write({"items": [{"sku": s, "name": products[s]["name"]} for s in skus]})


class StockImportHandler(BaseHandler):
    async def post(self):
        rows = json.loads(self.request.body)
        async with self.pool.acquire() as conn:
            for row in rows:
                await conn.execute("UPDATE stock SET qty = $1 WHERE sku = $2", row["qty"], row["sku"])  # expect: L2
        self.set_status(204)


class StockImportFastHandler(BaseHandler):
    async def post(self):
        rows = json.loads(self.request.body)
        async with self.pool.acquire() as conn:
            await conn.executemany("UPDATE stock SET qty = $1 WHERE sku = $2", [(r["qty"], r["sku"]) for r in rows])  # expect-none
        self.set_status(204)


class PriceHandler(BaseHandler):
    async def get(self):
        skus = self.get_arguments("sku")
        async with self.pool.acquire() as conn:
            prices = {sku: await conn.fetchval("SELECT price FROM prices WHERE sku = $1", sku) for sku in skus}  # expect: L2
        self.write(prices)


class PriceFastHandler(BaseHandler):
    async def get(self):
        skus = self.get_arguments("sku")
        async with self.pool.acquire() as conn:
            rows = await conn.fetch("SELECT sku, price FROM prices WHERE sku = ANY($1)", skus)  # expect-none
        self.write({r["sku"]: r["price"] for r in rows})


class AuditHandler(BaseHandler):
    async def post(self):
        events = json.loads(self.request.body)
        for event in events:
            await self.db.audit.insert_one(event)  # expect: L2
        self.set_status(201)


class AuditFastHandler(BaseHandler):
    async def post(self):
        events = json.loads(self.request.body)
        if events:
            await self.db.audit.insert_many(events, ordered=False)  # expect-none
        self.set_status(201)


class HealthHandler(BaseHandler):
    async def get(self):
        for name in ("products", "baskets", "audit"):
            await self.db[name].estimated_document_count()  # expect-none
        self.write("ok")


async def make_app():
    client = motor.motor_tornado.MotorClient()
    app = tornado.web.Application([(r"/basket/(.*)", BasketHandler)], db=client.shop)
    app.pool = await asyncpg.create_pool("postgresql://shop@db/shop")
    return app
