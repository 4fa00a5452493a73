"""FastAPI reporting service: per-tenant reports over Postgres, cached in Redis."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from datetime import date
from functools import lru_cache
from typing import Annotated, AsyncIterator

import asyncpg
import httpx
from fastapi import Depends, FastAPI, Query
from pydantic import BaseModel
from pydantic_settings import BaseSettings
from redis import asyncio as aioredis
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger("reporting")


class Settings(BaseSettings):
    database_url: str = "postgresql://reports@db/reports"
    sync_database_url: str = "postgresql+psycopg://reports@db/reports"
    redis_url: str = "redis://cache:6379/0"
    fx_url: str = "https://fx.internal"


@lru_cache
def get_settings() -> Settings:
    return Settings()


@lru_cache
def get_engine():
    return create_engine(get_settings().sync_database_url, pool_pre_ping=True)  # expect-none


class Report(BaseModel):
    tenant: str
    day: date
    total: float


class TenantRepo:
    """Built by FastAPI for each request through ``Depends(TenantRepo)``."""

    def __init__(self, settings: Annotated[Settings, Depends(get_settings)]) -> None:
        self.settings = settings

    async def totals(self, tenant: str, day: date) -> float:
        conn = await asyncpg.connect(self.settings.database_url)  # expect: L5
        try:
            return await conn.fetchval(
                "SELECT coalesce(sum(amount), 0) FROM sales WHERE tenant = $1 AND day = $2", tenant, day
            )
        finally:
            await conn.close()


def session_factory() -> sessionmaker[Session]:
    engine = create_engine(get_settings().sync_database_url)  # expect: L5
    return sessionmaker(bind=engine)


def get_db() -> Session:
    with session_factory()() as db:
        yield db


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(get_settings().database_url)  # expect-none
    app.state.fx = httpx.AsyncClient(base_url=get_settings().fx_url)  # expect-none
    yield
    await app.state.fx.aclose()
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


async def _rate(currency: str) -> float:
    async with httpx.AsyncClient(base_url=get_settings().fx_url) as fx:  # expect: L5
        return (await fx.get(f"/rates/{currency}")).json()["rate"]


@app.get("/reports/{tenant}")
async def tenant_report(
    tenant: str,
    repo: Annotated[TenantRepo, Depends()],
    day: date = Query(default_factory=date.today),
    currency: str = "EUR",
) -> Report:
    cache = aioredis.from_url(get_settings().redis_url)  # expect: L5
    key = f"report:{tenant}:{day}:{currency}"
    if (hit := await cache.get(key)) is not None:
        return Report.model_validate_json(hit)
    total = await repo.totals(tenant, day) * await _rate(currency)
    report = Report(tenant=tenant, day=day, total=total)
    await cache.set(key, report.model_dump_json(), ex=300)
    return report


@app.get("/reports/{tenant}/history")
def history(tenant: str, db: Annotated[Session, Depends(get_db)]) -> list[dict]:
    rows = db.execute(text("SELECT day, total FROM daily WHERE tenant = :t"), {"t": tenant})  # expect-none
    return [dict(r._mapping) for r in rows]


@app.get("/reports/{tenant}/pooled")
async def tenant_report_pooled(tenant: str, day: date) -> dict:
    async with app.state.pool.acquire() as conn:  # expect-none
        total = await conn.fetchval("SELECT sum(amount) FROM sales WHERE tenant = $1 AND day = $2", tenant, day)
    return {"tenant": tenant, "total": total}


@app.get("/reports/{tenant}/engine")
def tenant_engine_report(tenant: str) -> dict:
    with get_engine().connect() as conn:  # expect-none
        total = conn.execute(text("SELECT sum(amount) FROM sales WHERE tenant = :t"), {"t": tenant}).scalar()
    return {"tenant": tenant, "total": total}
