"""Two small APIs: a Falcon resource for catalogue imports and a Sanic app for pricing."""
import ast
import copy
import json
import os
import tomllib
import xml.etree.ElementTree as ET
from datetime import date

import falcon
from pydantic import BaseModel, TypeAdapter
from sanic import Sanic
from sanic.response import json as sanic_json

ENVELOPE = "<feed><meta source='erp' version='3'/><items/></feed>"
PRICE_RULES = """
[discounts]
bulk = 0.05
vip = 0.10
"""
SEASONS = {"winter": "2026-12-01", "spring": "2027-03-01", "summer": "2027-06-01"}


class Item(BaseModel):
    sku: str
    price: float


ITEMS = TypeAdapter(list[Item])  # expect-none
RULES = tomllib.loads(PRICE_RULES)  # expect-none
ENVELOPE_TREE = ET.fromstring(ENVELOPE)  # expect-none
app = Sanic("pricing")


class CatalogueResource:
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        items = TypeAdapter(list[Item]).validate_python(req.get_media())  # expect: L3
        feed = copy.deepcopy(ENVELOPE_TREE)  # expect-none
        for item in items:
            ET.SubElement(feed.find("items"), "item", sku=item.sku, price=str(item.price))
        resp.text = ET.tostring(feed, encoding="unicode")

    def on_put(self, req: falcon.Request, resp: falcon.Response) -> None:
        items = ITEMS.validate_python(req.get_media())  # expect-none
        resp.media = {"count": len(items)}

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        opts = ast.literal_eval(os.environ.get("CATALOGUE_OPTS", "{}"))  # expect: L3
        resp.media = {"page_size": opts.get("page_size", 50)}


@app.post("/quote")
async def quote(request):
    rules = tomllib.loads(PRICE_RULES)  # expect: L3
    lines = request.json["lines"]
    total = sum(l["qty"] * l["price"] for l in lines)
    if request.json.get("vip"):
        total *= 1 - rules["discounts"]["vip"]
    return sanic_json({"total": total})


@app.post("/quote/v2")
async def quote_v2(request):
    lines = request.json["lines"]
    total = sum(l["qty"] * l["price"] for l in lines)
    return sanic_json({"total": total * (1 - RULES["discounts"]["vip"])})  # expect-none


@app.post("/seasons")
async def seasons(request):
    out = {}
    for day in request.json["days"]:
        d = date.fromisoformat(day)  # expect-none
        starts = {name: date.fromisoformat(s) for name, s in SEASONS.items()}  # expect: L3
        out[day] = max((n for n, s in starts.items() if s <= d), key=starts.get, default=None)
    return sanic_json(out)


@app.post("/bulk")
async def bulk(request):
    payloads = [json.loads(raw) for raw in request.json["raw"]]  # expect-none
    return sanic_json({"n": len(payloads)})


@app.listener("before_server_start")
async def setup(app, loop):
    app.ctx.rules = tomllib.loads(PRICE_RULES)  # expect-none


api = falcon.App()
api.add_route("/catalogue", CatalogueResource())
