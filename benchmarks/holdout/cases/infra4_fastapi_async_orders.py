"""Order service: FastAPI, SQLAlchemy 2.0 async ORM, pydantic v2, injected repositories."""
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Annotated, AsyncIterator

import httpx
from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel, ConfigDict
from pydantic_settings import BaseSettings
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from .models import Order


class Settings(BaseSettings):
    database_url: str = "postgresql+asyncpg://shop@db/shop"
    payments_url: str = "https://payments.internal"

@lru_cache
def get_settings() -> Settings:
    return Settings()


engine = create_async_engine(get_settings().database_url, pool_size=10)  # expect-none
SessionFactory = async_sessionmaker(engine, expire_on_commit=False)  # expect-none


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.payments = httpx.AsyncClient(base_url=get_settings().payments_url)  # expect-none
    yield
    await app.state.payments.aclose()


app = FastAPI(lifespan=lifespan)
router = APIRouter(prefix="/orders")


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionFactory() as session:  # expect-none
        yield session


async def get_reporting_session(settings: Annotated[Settings, Depends(get_settings)]) -> AsyncIterator[AsyncSession]:
    reporting = create_async_engine(settings.database_url.replace("/shop", "/reporting"))  # expect: L5
    async with AsyncSession(reporting) as session:
        yield session


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    total_cents: int
    status: str


class OrderRepository:
    def __init__(self, session: Annotated[AsyncSession, Depends(get_session)]):
        self.session = session

    async def for_customer(self, customer_id: int) -> list[Order]:
        result = await self.session.scalars(select(Order).where(Order.customer_id == customer_id))
        return list(result)


@router.get("/by-customer/{customer_id}", response_model=list[OrderOut])
async def customer_orders(customer_id: int, repo: Annotated[OrderRepository, Depends()]):
    return await repo.for_customer(customer_id)


@router.get("/summary")
async def summary(session: Annotated[AsyncSession, Depends(get_reporting_session)]):
    rows = await session.execute(select(Order.status, Order.total_cents))
    return [dict(r._mapping) for r in rows]


@router.post("/{order_id}/refund")
async def refund(order_id: int, settings: Annotated[Settings, Depends(get_settings)]):
    async with httpx.AsyncClient(base_url=settings.payments_url) as payments:  # expect: L5
        r = await payments.post("/refunds", json={"order": order_id})
    return r.json()


@router.post("/{order_id}/capture")
async def capture(order_id: int, request: Request):
    r = await request.app.state.payments.post("/captures", json={"order": order_id})  # expect-none
    return r.json()
