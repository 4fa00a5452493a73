"""Order fulfilment: repositories, a unit of work and services over SQLAlchemy sessions."""
from __future__ import annotations

import abc
import json
import re
from datetime import datetime
from typing import Generic, Iterable, Protocol, TypeVar

from jsonschema import Draft7Validator
from sqlalchemy.orm import Session

T = TypeVar("T")
ORDER_SCHEMA = {"type": "object", "required": ["sku", "qty"], "properties": {"qty": {"type": "integer"}}}
CUTOFF = "2026-12-20 18:00"
BLOCKED_REGIONS = ("XK", "KP", "IR", "SY")
VALIDATOR = Draft7Validator(ORDER_SCHEMA)  # expect-none


class Repository(Protocol[T]):
    def get(self, ident: int) -> T: ...
    def add(self, obj: T) -> None: ...


class SqlRepository(Generic[T], abc.ABC):
    model: type

    def __init__(self, session: Session) -> None:
        self.session = session
        self.region_re = re.compile("|".join(BLOCKED_REGIONS))

    def get(self, ident: int) -> T:
        return self.session.get(self.model, ident)

    def add(self, obj: T) -> None:
        self.session.add(obj)


class UnitOfWork:
    def __init__(self, session_factory) -> None:
        self.session_factory = session_factory

    def __enter__(self) -> "UnitOfWork":
        self.session = self.session_factory()
        return self

    def __exit__(self, *exc) -> None:
        self.session.close()


class OrderService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def _errors(self, payload: dict) -> list[str]:
        validator = Draft7Validator(ORDER_SCHEMA)  # expect: L3
        return [e.message for e in validator.iter_errors(payload)]

    def import_lines(self, payloads: Iterable[dict]) -> int:
        accepted = 0
        for payload in payloads:
            if self._errors(payload):
                continue
            accepted += 1
        return accepted

    def import_lines_v2(self, payloads: Iterable[dict]) -> int:
        return sum(1 for p in payloads if not list(VALIDATOR.iter_errors(p)))  # expect-none

    def late_orders(self, orders: list) -> list:
        late = []
        for order in orders:
            cutoff = datetime.strptime(CUTOFF, "%Y-%m-%d %H:%M")  # expect: L3
            if order.placed_at > cutoff:
                late.append(order)
        return late

    def late_orders_v2(self, orders: list) -> list:
        cutoff = datetime.strptime(CUTOFF, "%Y-%m-%d %H:%M")  # expect-none
        return [o for o in orders if o.placed_at > cutoff]

    def blocked(self, addresses: list[str]) -> list[str]:
        return [a for a in addresses if re.compile("|".join(BLOCKED_REGIONS)).search(a)]  # expect: L3

    def parse_options(self, rows: list[dict]) -> list[dict]:
        return [json.loads(r["options"]) for r in rows]  # expect-none


class BundleCounter:
    def __init__(self, sizes: list[int]) -> None:
        self.sizes = sizes

    def combos(self, qty: int, i: int = 0) -> int:  # expect: L3  # expect-span: 6
        if qty == 0:
            return 1
        if qty < 0 or i == len(self.sizes):
            return 0
        return self.combos(qty - self.sizes[i], i) + self.combos(qty, i + 1)

    def depth(self, node) -> int:  # expect-none  # expect-span: 2
        return 1 + max((self.depth(c) for c in node.children), default=0)
