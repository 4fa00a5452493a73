from peewee import CharField, ForeignKeyField, IntegerField, Model, SqliteDatabase, prefetch

db = SqliteDatabase("fleet.db")


class Depot(Model):
    city = CharField()

    class Meta:
        database = db


class Truck(Model):
    plate = CharField(unique=True)
    depot = ForeignKeyField(Depot, backref="trucks")
    odometer = IntegerField(default=0)

    class Meta:
        database = db


class Trip(Model):
    truck = ForeignKeyField(Truck, backref="trips")
    km = IntegerField()

    class Meta:
        database = db


def plates_by_city():
    out = {}
    for truck in Truck.select().order_by(Truck.plate):
        out.setdefault(truck.depot.city, []).append(truck.plate)  # expect: L2
    return out


def plates_by_city_joined():
    out = {}
    for truck in Truck.select(Truck, Depot).join(Depot).order_by(Truck.plate):
        out.setdefault(truck.depot.city, []).append(truck.plate)  # expect-none
    return out


def log_trips(entries: list[tuple[str, int]]):
    with db.atomic():
        for plate, km in entries:
            truck = Truck.get(Truck.plate == plate)  # expect: L2
            Trip.create(truck=truck, km=km)  # expect: L2


def log_trips_bulk(entries: list[tuple[str, int]]):
    ids = {t.plate: t.id for t in Truck.select(Truck.id, Truck.plate).where(Truck.plate.in_([p for p, _ in entries]))}
    with db.atomic():
        Trip.insert_many([{"truck": ids[p], "km": km} for p, km in entries]).execute()  # expect-none


def mileage_report():
    trucks = prefetch(Truck.select(), Trip.select())
    return {t.plate: sum(trip.km for trip in t.trips) for t in trucks}  # expect-none
