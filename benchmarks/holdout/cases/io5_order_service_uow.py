"""Order fulfilment, enterprise style: ABC ports, repositories over a unit of work, a service layer."""
import abc
import asyncio
import logging
from dataclasses import dataclass
from typing import Generic, Iterable, Protocol, TypeVar

import httpx
import requests
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .models import Order, Shipment

T = TypeVar("T")
log = logging.getLogger("fulfilment.service")


class AbstractRepository(abc.ABC, Generic[T]):
    @abc.abstractmethod
    async def get(self, ident) -> T: ...

    @abc.abstractmethod
    async def list(self, idents) -> list[T]: ...

    @abc.abstractmethod
    def add(self, obj: T) -> None: ...


class SqlRepository(AbstractRepository[T]):
    model: type

    def __init__(self, session: AsyncSession):
        self.session = session

    async def get(self, ident) -> T:
        return await self.session.get(self.model, ident)  # expect-none

    async def list(self, idents) -> list[T]:
        result = await self.session.scalars(select(self.model).where(self.model.id.in_(idents)))  # expect-none
        return list(result)

    def add(self, obj: T) -> None:
        self.session.add(obj)


class OrderRepository(SqlRepository[Order]):
    model = Order


class UnitOfWork:
    def __init__(self, factory: async_sessionmaker):
        self.factory = factory

    async def __aenter__(self):
        self.session = self.factory()
        self.orders = OrderRepository(self.session)
        return self

    async def __aexit__(self, *exc):
        await self.session.close()

    async def commit(self):
        await self.session.commit()


class CarrierPort(Protocol):
    async def book(self, order: Order) -> Shipment: ...

    async def quote(self, order: Order) -> float: ...


class HttpCarrier:
    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def book(self, order: Order) -> Shipment:
        resp = await self.client.post("/shipments", json={"order": order.id})  # expect-none
        return Shipment(**resp.json())

    async def quote(self, order: Order) -> float:
        resp = await self.client.get("/quotes", params={"weight": order.weight})  # expect-none
        return resp.json()["price"]


class LegacyCarrier:
    def __init__(self, base_url: str):
        self.base_url = base_url

    async def book(self, order: Order) -> Shipment:
        resp = requests.post(self.base_url + "/book", data={"order": order.id}, timeout=15)  # expect: L4
        return Shipment(**resp.json())


@dataclass
class FulfilmentService:
    uow: UnitOfWork
    carrier: CarrierPort

    async def fulfil(self, order_ids: Iterable[int]) -> list[Shipment]:
        shipments = []
        async with self.uow as uow:
            for order in await uow.orders.list(list(order_ids)):
                shipments.append(await self.carrier.book(order))  # expect: L4
            await uow.commit()
        return shipments

    async def fulfil_concurrently(self, order_ids: list[int]) -> list[Shipment]:
        async with self.uow as uow:
            orders = await uow.orders.list(order_ids)  # expect-none
            limit = asyncio.Semaphore(8)

            async def book(order):
                async with limit:
                    return await self.carrier.book(order)  # expect-none

            shipments = await asyncio.gather(*(book(o) for o in orders))  # expect-none
            await uow.commit()
        log.info("booked %d shipments", len(shipments))  # expect-none
        return list(shipments)

    async def cheapest(self, orders: list[Order]) -> Order:
        prices = [await self.carrier.quote(o) for o in orders]  # expect: L4
        return orders[prices.index(min(prices))]

    async def cancel(self, order_id: int) -> None:
        async with self.uow as uow:
            order = await uow.orders.get(order_id)  # expect-none
            order.status = "cancelled"
            await uow.commit()  # expect-none
