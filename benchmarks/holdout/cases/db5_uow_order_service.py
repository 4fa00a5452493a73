"""Ordering service: generic CRUD repository, unit of work, services over a SQLAlchemy session."""
from __future__ import annotations

from typing import Generic, Iterable, Protocol, TypeVar

from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, selectinload, sessionmaker

T = TypeVar("T")


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str]


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    customer: Mapped[Customer] = relationship()
    status: Mapped[str] = mapped_column(default="new")


class CrudRepository(Generic[T]):
    model: type

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, pk: int):
        return self.session.get(self.model, pk)  # expect-none

    def add(self, obj) -> None:
        self.session.add(obj)

    def list(self):
        return self.session.scalars(select(self.model)).all()


class OrderRepository(CrudRepository[Order]):
    model = Order

    def with_customers(self, ids):
        stmt = select(Order).where(Order.id.in_(ids)).options(selectinload(Order.customer))
        return self.session.scalars(stmt).all()


class UnitOfWork:
    def __init__(self, factory: sessionmaker) -> None:
        self.factory = factory

    def __enter__(self):
        self.session = self.factory()
        self.orders = OrderRepository(self.session)
        return self

    def __exit__(self, *exc):
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


class OrderService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def cancel_all(self, ids: list[int]) -> None:
        with self.uow as uow:
            for order_id in ids:
                order = uow.orders.get(order_id)  # expect: L2
                order.status = "cancelled"
                uow.commit()  # expect: L2

    def cancel_all_batched(self, ids: list[int]) -> None:
        with self.uow as uow:
            for order in uow.orders.with_customers(ids):  # expect-none
                order.status = "cancelled"
            uow.commit()  # expect-none

    def notify_batch(self, ids: list[int]) -> list[str]:
        with self.uow as uow:
            return [o.customer.email for o in uow.orders.with_customers(ids)]  # expect-none

    def notify_everyone(self) -> list[str]:
        with self.uow as uow:
            return [o.customer.email for o in uow.orders.list()]  # expect: L2


class CustomerLookup(Protocol):
    def by_id(self, pk: int) -> Customer: ...


class SqlCustomerLookup:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_id(self, pk: int) -> Customer:
        return self.session.get(Customer, pk)  # expect-none

    def by_ids(self, pks: list[int]) -> dict[int, Customer]:
        return {c.id: c for c in self.session.scalars(select(Customer).where(Customer.id.in_(pks)))}  # expect-none


def mailing_list(lookup: SqlCustomerLookup, orders: Iterable[Order]) -> list[str]:
    return [lookup.by_id(o.customer_id).email for o in orders]  # expect: L2


def mailing_list_batched(lookup: SqlCustomerLookup, orders: Iterable[Order]) -> list[str]:
    orders = list(orders)
    found = lookup.by_ids([o.customer_id for o in orders])  # expect-none
    return [found[o.customer_id].email for o in orders]  # expect-none
