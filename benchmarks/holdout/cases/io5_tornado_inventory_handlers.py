"""Inventory gateway on Tornado: RequestHandler classes, a shared AsyncHTTPClient, an executor."""
import json
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor

import requests
import tornado.ioloop
import tornado.web
from tornado import gen
from tornado.httpclient import AsyncHTTPClient

app_log = logging.getLogger("tornado.application")
EXECUTOR = ThreadPoolExecutor(max_workers=4)
WAREHOUSE_URL = os.environ.get("WAREHOUSE_URL", "http://warehouse.internal")
SNAPSHOT_DIR = "/var/lib/inventory/snapshots"


class BaseHandler(tornado.web.RequestHandler):
    def initialize(self, http: AsyncHTTPClient):
        self.http = http

    def write_json(self, payload):
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps(payload))


class StockHandler(BaseHandler):
    async def get(self, sku):
        resp = requests.get(f"{WAREHOUSE_URL}/stock/{sku}", timeout=3)  # expect: L4
        self.write_json(resp.json())


class BulkStockHandler(BaseHandler):
    async def post(self):
        skus = json.loads(self.request.body)["skus"]
        levels = {}
        for sku in skus:
            resp = await self.http.fetch(f"{WAREHOUSE_URL}/stock/{sku}")  # expect: L4
            levels[sku] = json.loads(resp.body)["level"]
        self.write_json(levels)


class BulkStockGatherHandler(BaseHandler):
    async def post(self):
        skus = json.loads(self.request.body)["skus"]
        responses = await gen.multi([self.http.fetch(f"{WAREHOUSE_URL}/stock/{s}") for s in skus])  # expect-none
        self.write_json({s: json.loads(r.body)["level"] for s, r in zip(skus, responses)})


class SnapshotHandler(BaseHandler):
    async def get(self, name):
        with open(os.path.join(SNAPSHOT_DIR, name)) as fh:  # expect: L4
            self.write(fh.read())

    async def put(self, name):
        body = self.request.body
        path = os.path.join(SNAPSHOT_DIR, name)
        await tornado.ioloop.IOLoop.current().run_in_executor(EXECUTOR, self._save, path, body)  # expect-none

    def _save(self, path, body):
        with open(path, "wb") as fh:  # expect-none
            fh.write(body)


class ReplenishHandler(BaseHandler):
    async def post(self):
        orders = json.loads(self.request.body)["orders"]
        for attempt in range(3):
            resp = await self.http.fetch(f"{WAREHOUSE_URL}/replenish", method="POST", body=json.dumps(orders), raise_error=False)  # expect-none
            if resp.code < 500:
                break
            await gen.sleep(0.5 * attempt)  # expect-none
        app_log.debug(f"replenish sent {len(orders)} orders, status {resp.code}")  # expect: L4
        app_log.info("replenish done in %d attempts", attempt + 1)  # expect-none
        self.write_json({"status": resp.code})


class HealthHandler(BaseHandler):
    async def get(self):
        time.sleep(0.05)  # expect: L4
        self.write_json({"ok": True})


def make_app():
    http = AsyncHTTPClient(max_clients=50)
    return tornado.web.Application([
        (r"/stock/(.+)", StockHandler, {"http": http}),
        (r"/stock", BulkStockHandler, {"http": http}),
        (r"/stock-fast", BulkStockGatherHandler, {"http": http}),
        (r"/snapshots/(.+)", SnapshotHandler, {"http": http}),
        (r"/replenish", ReplenishHandler, {"http": http}),
        (r"/health", HealthHandler, {"http": http}),
    ])
