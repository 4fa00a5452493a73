"""Reporting jobs over Peewee, SQLModel, MongoEngine and Redis."""
from datetime import date

import redis
from mongoengine import Document, IntField, StringField
from peewee import CharField, IntegerField, Model, SqliteDatabase
from sqlmodel import Field, Session, SQLModel, select

db = SqliteDatabase("warehouse.db")


class Bin(Model):
    code = CharField()
    zone = CharField()
    capacity = IntegerField()

    class Meta:
        database = db


class Hero(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    team_id: int | None = None


class Review(Document):
    sku = StringField()
    stars = IntField()


def empty_bins(zone: str, occupied_codes: list[str]) -> list[str]:
    result = []
    for b in Bin.select().where(Bin.zone == zone):
        if b.code not in occupied_codes:  # expect: L1
            result.append(b.code)
    return result


def bins_by_zone() -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for b in Bin.select(Bin.zone, Bin.code):
        grouped.setdefault(b.zone, []).append(b.code)  # expect-none
    return grouped


def heroes_without_team(session: Session, banned: list[str]) -> list[Hero]:
    heroes = session.exec(select(Hero)).all()
    teamless = session.exec(select(Hero).where(Hero.team_id == None)).all()  # noqa: E711
    return [h for h in heroes if h in teamless and h.name not in banned]  # expect: L1


def heroes_without_team_fast(session: Session, banned: frozenset[str]) -> list[Hero]:
    stmt = select(Hero).where(Hero.team_id == None)  # noqa: E711
    return [h for h in session.exec(stmt) if h.name not in banned]  # expect-none


def review_histogram() -> dict[int, int]:
    stars = [r.stars for r in Review.objects.only("stars")]
    return {s: stars.count(s) for s in set(stars)}  # expect: L1


def review_histogram_counted() -> dict[int, int]:
    hist: dict[int, int] = {}
    for r in Review.objects.only("stars"):
        hist[r.stars] = hist.get(r.stars, 0) + 1  # expect-none
    return hist


def flagged_skus(client: redis.Redis, day: date) -> list[str]:
    flagged = client.lrange(f"flagged:{day:%Y%m%d}", 0, -1)
    out = []
    for review in Review.objects(stars__lte=2):
        if review.sku.encode() in flagged:  # expect: L1
            out.append(review.sku)
    return out


def flagged_skus_set(client: redis.Redis, day: date) -> list[str]:
    flagged = set(client.smembers(f"flagged-set:{day:%Y%m%d}"))
    return [r.sku for r in Review.objects(stars__lte=2) if r.sku.encode() in flagged]  # expect-none


def restock_plan(zone: str) -> list[tuple[str, int]]:
    bins = list(Bin.select().where(Bin.zone == zone))
    plan = []
    while bins:
        smallest = min(bins, key=lambda b: b.capacity)  # expect: L1
        bins.remove(smallest)
        plan.append((smallest.code, smallest.capacity))
    return plan


def restock_plan_sorted(zone: str) -> list[tuple[str, int]]:
    bins = Bin.select().where(Bin.zone == zone).order_by(Bin.capacity)
    return [(b.code, b.capacity) for b in bins]  # expect-none
