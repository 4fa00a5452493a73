"""Order fulfilment API: FastAPI, SQLAlchemy 2.0 AsyncSession, a repository injected per request."""
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from .db import get_session
from .models import Customer, Order, OrderLine, Product

router = APIRouter(prefix="/fulfilment")
SessionDep = Annotated[AsyncSession, Depends(get_session)]


class PickLine(BaseModel):
    sku: str
    qty: int


class OrderRepository:
    def __init__(self, session: SessionDep) -> None:
        self.session = session

    async def open_orders(self) -> list[Order]:
        stmt = select(Order).where(Order.state == "open").options(selectinload(Order.lines))  # expect-none
        return list((await self.session.scalars(stmt)).all())

    async def customer_names(self, orders: list[Order]) -> dict[int, str]:
        names = {}
        for order in orders:
            result = await self.session.execute(select(Customer.name).where(Customer.id == order.customer_id))  # expect: L2
            names[order.id] = result.scalar_one()
        return names

    async def customer_names_once(self, orders: list[Order]) -> dict[int, str]:
        ids = {o.customer_id for o in orders}
        rows = await self.session.execute(select(Customer.id, Customer.name).where(Customer.id.in_(ids)))  # expect-none
        by_id = dict(rows.all())
        return {o.id: by_id[o.customer_id] for o in orders}


Repo = Annotated[OrderRepository, Depends(OrderRepository)]


@router.post("/pick/{order_id}")
async def pick(order_id: int, lines: list[PickLine], session: SessionDep):
    order = await session.get(Order, order_id)  # expect-none
    total = Decimal(0)
    for line in lines:
        product = (await session.scalars(select(Product).where(Product.sku == line.sku))).one()  # expect: L2
        total += product.price * line.qty
        session.add(OrderLine(order_id=order.id, product_id=product.id, qty=line.qty))  # expect-none
    await session.commit()  # expect-none
    return {"total": str(total)}


@router.post("/restock")
async def restock(skus: list[str], session: SessionDep):
    for sku in skus:
        await session.execute(update(Product).where(Product.sku == sku).values(stock=Product.stock + 10))  # expect: L2
        await session.commit()  # expect: L2
    return {"ok": True}


@router.post("/restock-once")
async def restock_once(skus: list[str], session: SessionDep):
    await session.execute(update(Product).where(Product.sku.in_(skus)).values(stock=Product.stock + 10))  # expect-none
    await session.commit()  # expect-none
    return {"ok": True}


@router.get("/open")
async def open_orders(repo: Repo):
    orders = await repo.open_orders()
    names = await repo.customer_names_once(orders)
    return [
        {"id": o.id, "customer": names[o.id], "lines": len(o.lines)}  # expect-none
        for o in orders
    ]


@router.get("/prices")
async def prices(ids: str, session: SessionDep):
    return {i: (await session.get(Product, int(i))).price for i in ids.split(",")}  # expect: L2
