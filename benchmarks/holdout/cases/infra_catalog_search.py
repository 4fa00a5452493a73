from contextlib import asynccontextmanager

import httpx
from elasticsearch import Elasticsearch
from fastapi import Depends, FastAPI, Request

ES_URL = "http://search:9200"
es_shared = Elasticsearch(ES_URL, request_timeout=5)  # expect-none


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.geo = httpx.AsyncClient(base_url="http://geo:8080", timeout=3)  # expect-none
    yield
    await app.state.geo.aclose()


app = FastAPI(lifespan=lifespan)


def get_search() -> Elasticsearch:
    return Elasticsearch(ES_URL, request_timeout=5)  # expect: L5


def get_shared_search() -> Elasticsearch:
    return es_shared


@app.get("/products")
def products(q: str, es: Elasticsearch = Depends(get_search)):
    hits = es.search(index="products", query={"match": {"title": q}}, size=20)
    return [h["_source"] for h in hits["hits"]["hits"]]


@app.get("/v2/products")
def products_v2(q: str, es: Elasticsearch = Depends(get_shared_search)):
    return es.search(index="products", query={"match": {"title": q}}, size=20)["hits"]["hits"]


@app.get("/stores/near")
async def stores_near(lat: float, lon: float):
    async with httpx.AsyncClient(base_url="http://geo:8080", timeout=3) as geo:  # expect: L5
        r = await geo.get("/nearest", params={"lat": lat, "lon": lon})
    return r.json()


@app.get("/v2/stores/near")
async def stores_near_v2(lat: float, lon: float, request: Request):
    r = await request.app.state.geo.get("/nearest", params={"lat": lat, "lon": lon})  # expect-none
    return r.json()
