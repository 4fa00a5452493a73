"""Order service in layers: repositories, a unit of work and services over them."""
import sqlite3
from abc import ABC, abstractmethod
from typing import Generic, Protocol, TypeVar

import psycopg2
import requests
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

T = TypeVar("T")
ORDERS_DSN = "dbname=orders user=svc host=pg"
ENGINE = create_engine("postgresql+psycopg2://svc@pg/orders", pool_pre_ping=True)  # expect-none
SESSION_FACTORY = sessionmaker(bind=ENGINE)  # expect-none


class AbstractRepository(ABC, Generic[T]):
    @abstractmethod
    def get(self, ident) -> T: ...


class PgOrderRepository(AbstractRepository[dict]):
    def __init__(self, dsn: str = ORDERS_DSN):
        self.dsn = dsn

    def _connection(self):
        return psycopg2.connect(self.dsn)  # expect: L5

    def get(self, ident):
        with self._connection() as conn, conn.cursor() as cur:
            cur.execute("SELECT id, total FROM orders WHERE id = %s", (ident,))
            return cur.fetchone()


class SqlAlchemyUnitOfWork:
    def __init__(self, session_factory=SESSION_FACTORY):
        self.session_factory = session_factory

    def __enter__(self):
        self.session = self.session_factory()  # expect-none
        return self

    def __exit__(self, *exc):
        self.session.rollback()
        self.session.close()

    def commit(self):
        self.session.commit()


class FxRates(Protocol):
    def rate(self, currency: str) -> float: ...


class HttpFxRates:
    def __init__(self, base_url="https://fx.internal"):
        self.base_url = base_url
        self.http = requests.Session()  # expect: L5

    def rate(self, currency):
        return self.http.get(f"{self.base_url}/rates/{currency}").json()["rate"]


class OrderService:
    def __init__(self, repo: PgOrderRepository, rates: FxRates):
        self.repo = repo
        self.rates = rates

    def totals(self, order_ids):
        return [self.repo.get(i) for i in order_ids]

    def totals_in(self, orders, currency):
        return [o["total"] * self.rates.rate(currency) for o in orders]  # expect-none


def convert_lines(lines):
    out = []
    for line in lines:
        fx = HttpFxRates()
        out.append(line["amount"] * fx.rate(line["currency"]))
    return out


def archive_orders(order_ids, path="archive.db"):
    for oid in order_ids:
        with SqlAlchemyUnitOfWork() as uow:
            uow.session.execute("UPDATE orders SET archived = 1 WHERE id = :i", {"i": oid})
            uow.commit()
    local = sqlite3.connect(path)  # expect-none
    local.executemany("INSERT INTO archived (id) VALUES (?)", [(o,) for o in order_ids])
    local.commit()
