from __future__ import annotations

from datetime import datetime
from typing import Iterable, Iterator

from sqlalchemy import ForeignKey, String, func, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, selectinload


class Base(DeclarativeBase):
    pass


class Carrier(Base):
    __tablename__ = "carriers"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str]


class Shipment(Base):
    __tablename__ = "shipments"
    id: Mapped[int] = mapped_column(primary_key=True)
    tracking: Mapped[str]
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"))
    carrier: Mapped[Carrier] = relationship()
    delivered_at: Mapped[datetime | None]


class ShipmentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _carrier(self, code: str) -> Carrier:
        return self.session.execute(select(Carrier).where(Carrier.code == code)).scalar_one()

    def register(self, rows: Iterable[tuple[str, str]]) -> list[Shipment]:
        made = []
        for tracking, code in rows:
            carrier = self._carrier(code)  # expect: L2
            made.append(Shipment(tracking=tracking, carrier=carrier))
        self.session.add_all(made)
        self.session.commit()  # expect-none
        return made

    def register_batched(self, rows: list[tuple[str, str]]) -> list[Shipment]:
        codes = {code for _, code in rows}
        carriers = {c.code: c for c in self.session.scalars(select(Carrier).where(Carrier.code.in_(codes)))}  # expect-none
        made = [Shipment(tracking=t, carrier=carriers[c]) for t, c in rows]  # expect-none
        self.session.add_all(made)
        self.session.commit()
        return made

    def labels(self, since: datetime) -> Iterator[str]:
        stmt = select(Shipment).where(Shipment.delivered_at >= since)
        for shipment in self.session.scalars(stmt):
            yield f"{shipment.tracking} via {shipment.carrier.name}"  # expect: L2

    def labels_eager(self, since: datetime) -> Iterator[str]:
        stmt = select(Shipment).where(Shipment.delivered_at >= since).options(selectinload(Shipment.carrier))
        for shipment in self.session.scalars(stmt):
            yield f"{shipment.tracking} via {shipment.carrier.name}"  # expect-none

    def mark_delivered(self, tracking_numbers: list[str], when: datetime) -> None:
        pending = list(tracking_numbers)
        while pending:
            number = pending.pop()
            self.session.execute(  # expect: L2
                update(Shipment).where(Shipment.tracking == number).values(delivered_at=when)
            )
            self.session.commit()  # expect: L2

    def mark_delivered_once(self, tracking_numbers: list[str], when: datetime) -> None:
        self.session.execute(
            update(Shipment).where(Shipment.tracking.in_(tracking_numbers)).values(delivered_at=when)  # expect-none
        )
        self.session.commit()

    def per_carrier(self) -> dict[str, int]:
        stmt = select(Carrier.code, func.count(Shipment.id)).join(Shipment).group_by(Carrier.code)
        return {code: n for code, n in self.session.execute(stmt)}  # expect-none
