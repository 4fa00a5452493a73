"""Catalog price service: FastAPI, SQLAlchemy 2.0 AsyncSession, httpx.AsyncClient, Pydantic v2."""
import asyncio
import json
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from .models import Product

engine = create_async_engine("postgresql+asyncpg://catalog@db/catalog")
SessionMaker = async_sessionmaker(engine, expire_on_commit=False)
PRICING_URL = "https://pricing.internal/v2"


class PriceOut(BaseModel):
    sku: str
    cents: int


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.flags = json.loads(Path("flags.json").read_text())  # expect-none
    app.state.http = httpx.AsyncClient(base_url=PRICING_URL, timeout=5.0)
    yield
    await app.state.http.aclose()


app = FastAPI(lifespan=lifespan)


async def get_session():
    async with SessionMaker() as session:
        yield session


async def get_overrides() -> dict:
    with open("/etc/catalog/overrides.json") as fh:  # expect: L4
        return json.load(fh)


def get_http() -> httpx.AsyncClient:
    return app.state.http


@app.get("/categories/{cat}/prices", response_model=list[PriceOut])
async def category_prices(
    cat: int,
    session: Annotated[AsyncSession, Depends(get_session)],
    http: Annotated[httpx.AsyncClient, Depends(get_http)],
):
    products = (await session.scalars(select(Product).where(Product.category_id == cat))).all()
    out = []
    for product in products:
        resp = await http.get(f"/prices/{product.sku}")  # expect: L4
        out.append(PriceOut(sku=product.sku, cents=resp.json()["cents"]))
    return out


@app.get("/categories/{cat}/prices-fast", response_model=list[PriceOut])
async def category_prices_fast(
    cat: int,
    session: Annotated[AsyncSession, Depends(get_session)],
    http: Annotated[httpx.AsyncClient, Depends(get_http)],
):
    products = (await session.scalars(select(Product).where(Product.category_id == cat))).all()
    resps = await asyncio.gather(*(http.get(f"/prices/{p.sku}") for p in products))  # expect-none
    return [PriceOut(sku=p.sku, cents=r.json()["cents"]) for p, r in zip(products, resps)]


@app.post("/products/{sku}/reprice")
async def reprice(sku: str, session: Annotated[AsyncSession, Depends(get_session)]):
    quote = httpx.post(f"{PRICING_URL}/quote", json={"sku": sku}).json()  # expect: L4
    product = await session.scalar(select(Product).where(Product.sku == sku))
    product.cents = quote["cents"]
    await session.commit()  # expect-none
    return {"sku": sku, "cents": product.cents}


@app.get("/products/{sku}")
def product_detail(sku: str):
    return httpx.get(f"{PRICING_URL}/prices/{sku}").json()  # expect-none
