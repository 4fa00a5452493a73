"""
stock.service
~~~~~~~~~~~~~

Stock service for the warehouse API (SQLAlchemy 2.0, one session per request).

The repository hides the session; the service composes it. Reports built here are
shown on the ops dashboard and are asked for every few seconds.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from sqlalchemy import ForeignKey, bindparam, func, select, update as sa_update
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload
from sqlalchemy.orm import Session as DbSession

logger = logging.getLogger("stock.service")

LOW_WATERMARK = 5


class Base(DeclarativeBase):
    pass


class Zone(str, Enum):
    COLD = "cold"
    DRY = "dry"
    BULK = "bulk"


class Supplier(Base):
    __tablename__ = "suppliers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str]
    zone: Mapped[str]
    on_hand: Mapped[int]
    unit_cost: Mapped[Decimal]
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    supplier: Mapped[Supplier] = relationship()
    movements: Mapped[list["Movement"]] = relationship(back_populates="item")

    @property
    def supplier_label(self) -> str:
        return f"{self.sku} ({self.supplier.name})"


class Movement(Base):
    __tablename__ = "movements"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    qty: Mapped[int]
    item: Mapped[Item] = relationship(back_populates="movements")


@dataclass(frozen=True)
class StockLine:
    sku: str
    on_hand: int
    value: Decimal


class ItemRepository:
    """Thin wrapper around the session; one instance per request."""

    def __init__(self, session: DbSession) -> None:
        self._s = session

    def by_sku(self, sku: str) -> Item | None:
        return self._s.scalars(select(Item).where(Item.sku == sku)).one_or_none()

    def many_by_sku(self, skus: Sequence[str]) -> dict[str, Item]:
        rows = self._s.scalars(select(Item).where(Item.sku.in_(skus)))  # expect-none
        return {i.sku: i for i in rows}

    def all(self) -> Sequence[Item]:
        return self._s.scalars(select(Item).order_by(Item.sku)).all()

    def __contains__(self, sku: str) -> bool:
        return self._s.scalar(select(func.count()).select_from(Item).where(Item.sku == sku)) > 0

    def __iter__(self) -> Iterator[Item]:
        for item_id in self._s.scalars(select(Item.id)):
            yield self._s.get(Item, item_id)  # expect: L2


class StockService:
    def __init__(self, session: DbSession) -> None:
        self.session = session
        self.items = ItemRepository(session)

    def lines_for(self, skus: Iterable[str]) -> list[StockLine]:
        out = []
        for sku in skus:
            item = self.items.by_sku(sku)  # expect: L2
            if item is not None:
                out.append(StockLine(item.sku, item.on_hand, item.on_hand * item.unit_cost))
        return out

    def lines_for_batched(self, skus: Sequence[str]) -> list[StockLine]:
        found = self.items.many_by_sku(skus)  # expect-none
        return [StockLine(s, found[s].on_hand, found[s].on_hand * found[s].unit_cost) for s in skus if s in found]

    def unknown(self, skus: Iterable[str]) -> list[str]:
        return [s for s in skus if s not in self.items]  # expect: L2

    def labels(self) -> list[str]:
        return sorted(self.items.all(), key=lambda i: i.supplier.name)  # expect: L2

    def labels_loaded(self) -> list[str]:
        stmt = select(Item).options(selectinload(Item.supplier))  # expect-none
        return [i.supplier_label for i in self.session.scalars(stmt)]  # expect-none

    def supplier_labels(self) -> list[str]:
        return [i.supplier_label for i in self.items.all()]  # expect: L2

    def net_movement(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for item in self.items.all():
            totals[item.sku] = sum(m.qty for m in item.movements)  # expect: L2
        return totals

    def per_zone(self) -> dict[str, int]:
        counts = {}
        for zone in Zone:
            counts[zone.value] = self.session.scalar(select(func.count()).select_from(Item).where(Item.zone == zone.value))  # expect-none
        return counts

    def restock(self, deliveries: dict[str, int]) -> None:
        for sku, qty in deliveries.items():
            self.session.execute(sa_update(Item).where(Item.sku == sku).values(on_hand=Item.on_hand + qty))  # expect: L2
            self.session.commit()  # expect: L2

    def restock_batched(self, deliveries: dict[str, int]) -> None:
        rows = [{"sku": s, "qty": q} for s, q in deliveries.items()]
        self.session.connection().execute(  # expect-none
            sa_update(Item).where(Item.sku == bindparam("sku")).values(on_hand=Item.on_hand + bindparam("qty")),
            rows,
        )
        self.session.commit()  # expect-none

    def low_stock(self) -> list[str]:
        low = self.session.scalars(select(Item).where(Item.on_hand < LOW_WATERMARK)).all()
        if low:
            logger.warning("%d items below watermark", len(low))
        return [i.sku for i in low]  # expect-none
