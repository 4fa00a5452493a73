from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Annotated, AsyncIterator

import asyncpg
import httpx
import redis
from elasticsearch import Elasticsearch
from fastapi import Depends, FastAPI, Request
from pydantic_settings import BaseSettings
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker


class Settings(BaseSettings):
    database_url: str = "postgresql+psycopg://app@db/orders"
    pg_dsn: str = "postgresql://app@db/orders"
    redis_url: str = "redis://cache:6379/0"
    search_url: str = "http://search:9200"


@lru_cache
def get_settings() -> Settings:
    return Settings()


ENGINE = create_engine(get_settings().database_url, pool_pre_ping=True)  # expect-none
SessionLocal = sessionmaker(bind=ENGINE, expire_on_commit=False)  # expect-none


def get_session():
    with SessionLocal() as session:  # expect-none
        yield session


def get_report_session(settings: Annotated[Settings, Depends(get_settings)]):
    factory = sessionmaker(bind=ENGINE.execution_options(isolation_level="AUTOCOMMIT"))  # expect-none
    with factory() as session:
        yield session


def get_cache(settings: Annotated[Settings, Depends(get_settings)]) -> redis.Redis:
    return redis.from_url(settings.redis_url, decode_responses=True)  # expect: L5


@lru_cache(maxsize=1)
def get_search() -> Elasticsearch:
    return Elasticsearch(get_settings().search_url)  # expect-none


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.http = httpx.AsyncClient(timeout=5)  # expect-none
    app.state.pool = await asyncpg.create_pool(get_settings().pg_dsn)  # expect-none
    yield
    await app.state.http.aclose()
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/orders/{order_id}")
async def order_detail(order_id: int, settings: Annotated[Settings, Depends(get_settings)]):
    conn = await asyncpg.connect(settings.pg_dsn)  # expect: L5
    try:
        row = await conn.fetchrow("SELECT * FROM orders WHERE id = $1", order_id)
    finally:
        await conn.close()
    return dict(row)


@app.get("/orders/{order_id}/lines")
async def order_lines(order_id: int, request: Request):
    async with request.app.state.pool.acquire() as conn:  # expect-none
        rows = await conn.fetch("SELECT * FROM lines WHERE order_id = $1", order_id)
    return [dict(r) for r in rows]


@app.get("/orders/{order_id}/tracking")
async def tracking(order_id: int):
    async with httpx.AsyncClient(base_url="https://track.example.com") as client:  # expect: L5
        r = await client.get(f"/orders/{order_id}")
    return r.json()


@app.get("/search")
def search(q: str, es: Annotated[Elasticsearch, Depends(get_search)], cache: Annotated[redis.Redis, Depends(get_cache)]):
    hit = cache.get(f"q:{q}")
    return hit or es.search(index="orders", q=q)["hits"]["hits"]


@app.get("/orders")
def list_orders(session: Annotated[Session, Depends(get_session)]):
    return session.execute("SELECT id FROM orders LIMIT 50").all()
