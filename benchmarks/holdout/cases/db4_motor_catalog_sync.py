"""Catalogue sync worker: Starlette endpoint, motor collections, pydantic v2 models, a generator pipeline."""
from typing import AsyncIterator

from motor.motor_asyncio import AsyncIOMotorClient
from pydantic import BaseModel
from pymongo import UpdateOne
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

client = AsyncIOMotorClient("mongodb://catalog-db:27017")  # expect-none
products = client.catalog.products
brands = client.catalog.brands


class Offer(BaseModel):
    sku: str
    price: float
    brand: str


async def _offers(payload: list[dict]) -> AsyncIterator[Offer]:
    for raw in payload:
        yield Offer.model_validate(raw)


async def _brand_id(name: str):
    doc = await brands.find_one({"name": name}, {"_id": 1})
    return doc["_id"] if doc else None


async def ingest(request: Request) -> JSONResponse:
    payload = await request.json()
    written = 0
    async for offer in _offers(payload):
        brand = await _brand_id(offer.brand)  # expect: L2
        await products.update_one(  # expect: L2
            {"sku": offer.sku}, {"$set": {"price": offer.price, "brand_id": brand}}, upsert=True
        )
        written += 1
    return JSONResponse({"written": written})


async def ingest_bulk(request: Request) -> JSONResponse:
    offers = [Offer.model_validate(raw) for raw in await request.json()]
    names = sorted({o.brand for o in offers})
    ids = {d["name"]: d["_id"] async for d in brands.find({"name": {"$in": names}}, {"name": 1})}  # expect-none
    ops = [
        UpdateOne({"sku": o.sku}, {"$set": {"price": o.price, "brand_id": ids.get(o.brand)}}, upsert=True)  # expect-none
        for o in offers
    ]
    if ops:
        await products.bulk_write(ops, ordered=False)  # expect-none
    return JSONResponse({"written": len(ops)})


async def stock(request: Request) -> JSONResponse:
    skus = request.query_params["skus"].split(",")
    docs = [await products.find_one({"sku": s}, {"stock": 1}) for s in skus]  # expect: L2
    return JSONResponse({s: (d or {}).get("stock", 0) for s, d in zip(skus, docs)})


async def stock_once(request: Request) -> JSONResponse:
    skus = request.query_params["skus"].split(",")
    found = {d["sku"]: d.get("stock", 0) async for d in products.find({"sku": {"$in": skus}})}  # expect-none
    return JSONResponse({s: found.get(s, 0) for s in skus})


async def retire(request: Request) -> JSONResponse:
    body = await request.json()
    for sku in body["skus"]:
        await products.delete_one({"sku": sku})  # expect: L2
    await products.delete_many({"sku": {"$in": body["also"]}})  # expect-none
    return JSONResponse({"ok": True})


app = Starlette(routes=[Route("/ingest", ingest, methods=["POST"]), Route("/stock", stock)])
