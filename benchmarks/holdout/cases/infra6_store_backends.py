"""Store adapters: SQLModel on FastAPI, motor, Django async views, Peewee, Redis pipelines."""
from typing import Annotated, AsyncIterator, Iterator

import boto3
import redis
from django.http import JsonResponse
from fastapi import Depends, FastAPI
from motor.motor_asyncio import AsyncIOMotorClient
from peewee import PostgresqlDatabase
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import Field, Session, SQLModel, create_engine, select

DATABASE_URL = "postgresql://api@pg/api"
engine = create_engine(DATABASE_URL, pool_pre_ping=True)  # expect-none
app = FastAPI()


class Hero(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str


def get_session() -> Iterator[Session]:
    with Session(engine) as session:  # expect-none
        yield session


def get_session_fresh() -> Iterator[Session]:
    local_engine = create_engine(DATABASE_URL)  # expect: L5
    with Session(local_engine) as session:
        yield session


@app.get("/heroes")
def list_heroes(session: Annotated[Session, Depends(get_session)]):
    return session.exec(select(Hero)).all()


@app.get("/heroes/fresh")
def list_heroes_fresh(session: Annotated[Session, Depends(get_session_fresh)]):
    return session.exec(select(Hero)).all()


async def reporting_conn() -> AsyncIterator:
    report_engine = create_async_engine("postgresql+asyncpg://ro@replica/api")  # expect: L5
    async with report_engine.connect() as conn:
        yield conn


@app.get("/report")
async def report(conn=Depends(reporting_conn)):
    return {"rows": (await conn.exec_driver_sql("SELECT count(*) FROM hero")).scalar()}


@app.get("/profiles/{uid}")
async def profile(uid: str):
    mongo = AsyncIOMotorClient("mongodb://mongo:27017")  # expect: L5
    return await mongo.people.profiles.find_one({"_id": uid}, {"_id": 0})


motor_client = AsyncIOMotorClient("mongodb://mongo:27017")  # expect-none


@app.get("/profiles2/{uid}")
async def profile_shared(uid: str):
    return await motor_client.people.profiles.find_one({"_id": uid}, {"_id": 0})  # expect-none


async def badge_view(request, user_id):
    table = boto3.resource("dynamodb").Table("badges")  # expect: L5
    item = table.get_item(Key={"user_id": user_id}).get("Item", {})
    return JsonResponse({"badges": item.get("badges", [])})


def warm_counters(keys: list[str]) -> None:
    r = redis.Redis(host="cache")  # expect-none
    with r.pipeline() as pipe:  # expect-none
        for key in keys:
            pipe.setnx(f"count:{key}", 0)
        pipe.execute()


def bump_counters(keys: list[str]) -> None:
    for key in keys:
        r = redis.Redis(host="cache")  # expect: L5
        r.incr(f"count:{key}")


legacy_db = PostgresqlDatabase("legacy", host="pg", user="legacy")  # expect-none


def legacy_rows(table_names: list[str]) -> dict[str, int]:
    counts = {}
    with legacy_db.connection_context():  # expect-none
        for name in table_names:
            counts[name] = legacy_db.execute_sql(f"SELECT count(*) FROM {name}").fetchone()[0]
    return counts
