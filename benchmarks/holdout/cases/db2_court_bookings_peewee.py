import datetime as dt

from peewee import (
    CharField, DateTimeField, ForeignKeyField, IntegerField, Model, SqliteDatabase, fn, prefetch,
)

database = SqliteDatabase("club.db")


class BaseModel(Model):
    class Meta:
        database = database


class Court(BaseModel):
    name = CharField()
    surface = CharField()


class Player(BaseModel):
    name = CharField()
    rating = IntegerField(default=1000)


class Booking(BaseModel):
    court = ForeignKeyField(Court, backref="bookings")
    player = ForeignKeyField(Player, backref="bookings")
    starts = DateTimeField()


def day_sheet(day: dt.date) -> list[str]:
    start = dt.datetime.combine(day, dt.time.min)
    rows = Booking.select().where(Booking.starts.between(start, start + dt.timedelta(days=1)))
    return [f"{b.starts:%H:%M} {b.court.name} {b.player.name}" for b in rows]  # expect: L2


def day_sheet_joined(day: dt.date) -> list[str]:
    start = dt.datetime.combine(day, dt.time.min)
    rows = (
        Booking.select(Booking, Court, Player)
        .join(Court).switch(Booking).join(Player)
        .where(Booking.starts.between(start, start + dt.timedelta(days=1)))
    )
    return [f"{b.starts:%H:%M} {b.court.name} {b.player.name}" for b in rows]  # expect-none


def court_loads() -> dict[str, int]:
    courts = prefetch(Court.select(), Booking.select())
    return {c.name: len(c.bookings) for c in courts}  # expect-none


def book_series(player_id: int, court_ids: list[int], when: dt.datetime) -> int:
    made = 0
    for court_id in court_ids:
        court = Court.get_by_id(court_id)  # expect: L2
        if court.surface == "clay" and when.month in (12, 1, 2):
            continue
        Booking.create(court=court, player=player_id, starts=when)  # expect: L2
        made += 1
    return made


def book_series_batched(player_id: int, court_ids: list[int], when: dt.datetime) -> int:
    open_ids = [c.id for c in Court.select(Court.id).where(Court.id.in_(court_ids))]  # expect-none
    rows = [{"court": cid, "player": player_id, "starts": when} for cid in open_ids]  # expect-none
    with database.atomic():
        Booking.insert_many(rows).execute()
    return len(rows)


def adjust_ratings(results: list[tuple[int, int]]) -> None:
    with database.atomic():
        for player_id, delta in results:
            Player.update(rating=Player.rating + delta).where(Player.id == player_id).execute()  # expect: L2


def busiest(limit: int = 5):
    return (Player.select(Player.name, fn.COUNT(Booking.id).alias("n"))  # expect-none
            .join(Booking).group_by(Player).order_by(fn.COUNT(Booking.id).desc()).limit(limit))


if __name__ == "__main__":
    database.create_tables([Court, Player, Booking])
    for name in ("Centre", "North", "South"):
        Court.create(name=name, surface="hard")  # expect-none
