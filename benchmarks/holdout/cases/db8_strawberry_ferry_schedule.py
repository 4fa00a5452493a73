"""GraphQL API of the island ferry timetable (strawberry + SQLAlchemy 2.0).

The ``routes`` query returns every route (~90) with its sailings for the week
(~40 each); the booking desk calls ``reserve`` with a basket of sailing ids.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

import strawberry
from sqlalchemy import ForeignKey, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, selectinload
from strawberry.dataloader import DataLoader
from strawberry.types import Info

engine = create_engine("postgresql+psycopg://ferry@db/ferry", pool_pre_ping=True)


class Base(DeclarativeBase):
    pass


class Port(Base):
    __tablename__ = "port"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class Route(Base):
    __tablename__ = "route"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str]
    origin_id: Mapped[int] = mapped_column(ForeignKey("port.id"))
    origin: Mapped[Port] = relationship(foreign_keys=[origin_id])
    sailings: Mapped[list["Sailing"]] = relationship(back_populates="route")


class Sailing(Base):
    __tablename__ = "sailing"
    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("route.id"))
    route: Mapped[Route] = relationship(back_populates="sailings")
    day: Mapped[date]
    capacity: Mapped[int]
    booked: Mapped[int] = mapped_column(default=0)


@strawberry.type
class SailingType:
    id: int
    day: date
    seats_left: int


@strawberry.type
class RouteType:
    id: int
    code: str
    origin_id: strawberry.Private[int]

    @strawberry.field
    def origin(self, info: Info) -> str:
        session: Session = info.context["session"]
        return session.scalar(select(Port.name).where(Port.id == self.origin_id))  # expect: L2

    @strawberry.field
    def sailings(self, info: Info, week_of: date) -> list[SailingType]:
        session: Session = info.context["session"]
        stmt = select(Sailing).where(Sailing.route_id == self.id, Sailing.day >= week_of)
        rows = session.scalars(stmt).all()  # expect: L2
        return [SailingType(id=s.id, day=s.day, seats_left=s.capacity - s.booked) for s in rows]

    @strawberry.field
    async def busiest(self, info: Info) -> Optional[int]:
        loader: DataLoader = info.context["busiest_loader"]
        return await loader.load(self.id)  # expect-none


def _load_busiest(session: Session):
    async def batch(route_ids: list[int]) -> list[Optional[int]]:
        stmt = (
            select(Sailing.route_id, func.max(Sailing.booked))
            .where(Sailing.route_id.in_(route_ids))
            .group_by(Sailing.route_id)
        )
        found = dict(session.execute(stmt).all())  # expect-none
        return [found.get(rid) for rid in route_ids]

    return batch


def _port_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Port.id, Port.name)).all())


@strawberry.type
class Query:
    @strawberry.field
    def routes(self, info: Info) -> list[RouteType]:
        session: Session = info.context["session"]
        return [RouteType(id=r.id, code=r.code, origin_id=r.origin_id) for r in session.scalars(select(Route))]

    @strawberry.field
    def route_labels(self, info: Info) -> list[str]:
        session: Session = info.context["session"]
        routes = session.scalars(select(Route).order_by(Route.code)).all()
        return [f"{r.code} from {r.origin.name}" for r in routes]  # expect: L2

    @strawberry.field
    def route_labels_loaded(self, info: Info) -> list[str]:
        session: Session = info.context["session"]
        routes = session.scalars(select(Route).options(selectinload(Route.origin))).all()
        return [f"{r.code} from {r.origin.name}" for r in routes]  # expect-none

    @strawberry.field
    def port_board(self, info: Info) -> list[str]:
        session: Session = info.context["session"]
        names = _port_names(session)
        return [f"{r.code}: {names[r.origin_id]}" for r in session.scalars(select(Route))]  # expect-none


@strawberry.type
class Mutation:
    @strawberry.mutation
    def reserve(self, info: Info, sailing_ids: list[int]) -> int:
        session: Session = info.context["session"]
        reserved = 0
        for sid in sailing_ids:
            sailing = session.get(Sailing, sid)  # expect: L2
            if sailing.booked < sailing.capacity:
                sailing.booked += 1
                reserved += 1
            session.commit()  # expect: L2
        return reserved

    @strawberry.mutation
    def reserve_batched(self, info: Info, sailing_ids: list[int]) -> int:
        session: Session = info.context["session"]
        rows = session.scalars(select(Sailing).where(Sailing.id.in_(sailing_ids))).all()  # expect-none
        for sailing in rows:
            sailing.booked += 1
        session.commit()  # expect-none
        return len(rows)


schema = strawberry.Schema(query=Query, mutation=Mutation)
