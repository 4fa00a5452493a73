"""Strawberry GraphQL over SQLModel (FastAPI). Heroes, teams and missions."""
from __future__ import annotations

from typing import Optional

import strawberry
from fastapi import Depends, FastAPI
from sqlalchemy.orm import selectinload
from sqlmodel import Field, Relationship, Session, SQLModel, create_engine, select
from strawberry.dataloader import DataLoader
from strawberry.fastapi import GraphQLRouter
from strawberry.types import Info

engine = create_engine("postgresql+psycopg://app@db/heroes", pool_pre_ping=True)


class Team(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    headquarters: str
    heroes: list["Hero"] = Relationship(back_populates="team")


class Hero(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    power: int = 0
    team_id: Optional[int] = Field(default=None, foreign_key="team.id")
    team: Optional[Team] = Relationship(back_populates="heroes")


class Mission(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    hero_id: int = Field(foreign_key="hero.id")
    title: str


def get_session():
    with Session(engine) as session:
        yield session


@strawberry.type
class HeroNode:
    id: int
    name: str
    team_name: Optional[str]


@strawberry.type
class TeamNode:
    id: int
    name: str
    hero_count: int


async def load_teams(keys: list[int]) -> list[Optional[Team]]:
    with Session(engine) as session:
        rows = session.exec(select(Team).where(Team.id.in_(keys))).all()  # expect-none
    by_id = {t.id: t for t in rows}
    return [by_id.get(k) for k in keys]


team_loader = DataLoader(load_fn=load_teams)


@strawberry.type
class Query:
    @strawberry.field
    def heroes(self, info: Info, limit: int = 100) -> list[HeroNode]:
        session: Session = info.context["session"]
        heroes = session.exec(select(Hero).limit(limit)).all()
        return [HeroNode(id=h.id, name=h.name, team_name=h.team.name if h.team else None) for h in heroes]  # expect: L2

    @strawberry.field
    def heroes_eager(self, info: Info, limit: int = 100) -> list[HeroNode]:
        session: Session = info.context["session"]
        stmt = select(Hero).options(selectinload(Hero.team)).limit(limit)
        return [HeroNode(id=h.id, name=h.name, team_name=h.team.name if h.team else None) for h in session.exec(stmt)]  # expect-none

    @strawberry.field
    def teams(self, info: Info) -> list[TeamNode]:
        session: Session = info.context["session"]
        nodes = []
        for team in session.exec(select(Team)).all():
            count = len(session.exec(select(Hero).where(Hero.team_id == team.id)).all())  # expect: L2
            nodes.append(TeamNode(id=team.id, name=team.name, hero_count=count))
        return nodes


@strawberry.type
class Mutation:
    @strawberry.mutation
    def assign_missions(self, info: Info, hero_ids: list[int], title: str) -> int:
        session: Session = info.context["session"]
        for hero_id in hero_ids:
            hero = session.get(Hero, hero_id)  # expect: L2
            if hero is None:
                continue
            session.add(Mission(hero_id=hero.id, title=title))
            session.commit()  # expect: L2
        return len(hero_ids)

    @strawberry.mutation
    def boost(self, info: Info, team_id: int, by: int) -> int:
        session: Session = info.context["session"]
        heroes = session.exec(select(Hero).where(Hero.team_id == team_id)).all()  # expect-none
        for hero in heroes:
            hero.power += by
            session.add(hero)  # expect-none
        session.commit()  # expect-none
        return len(heroes)


async def get_context(session: Session = Depends(get_session)):
    return {"session": session, "team_loader": team_loader}


schema = strawberry.Schema(query=Query, mutation=Mutation)
app = FastAPI()
app.include_router(GraphQLRouter(schema, context_getter=get_context), prefix="/graphql")


@app.get("/teams/{team_id}/roster")
def roster(team_id: int, session: Session = Depends(get_session)) -> list[dict]:
    team = session.get(Team, team_id)  # expect-none
    missions = []
    for hero in team.heroes:
        first = session.exec(select(Mission).where(Mission.hero_id == hero.id)).first()  # expect: L2
        missions.append({"hero": hero.name, "mission": first.title if first else None})
    return missions
