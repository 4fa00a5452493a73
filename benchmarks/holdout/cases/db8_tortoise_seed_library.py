"""Community seed library (Sanic + Tortoise ORM).

Members borrow seed packets and return seeds from their harvest. The catalogue
page lists every variety (~800); a member's shelf holds up to ~40 packets.
"""
from sanic import Blueprint, Request
from sanic.response import json
from tortoise import fields
from tortoise.functions import Count
from tortoise.models import Model
from tortoise.transactions import in_transaction

bp = Blueprint("seeds", url_prefix="/seeds")

SEASONS = ("spring", "summer", "autumn")


class Variety(Model):
    id = fields.IntField(pk=True)
    name = fields.CharField(max_length=100)
    season = fields.CharField(max_length=10)
    steward = fields.ForeignKeyField("models.Member", related_name="stewarded", null=True)


class Member(Model):
    id = fields.IntField(pk=True)
    name = fields.CharField(max_length=100)
    email = fields.CharField(max_length=200)


class Packet(Model):
    id = fields.IntField(pk=True)
    variety = fields.ForeignKeyField("models.Variety", related_name="packets")
    grams = fields.IntField()
    harvest_year = fields.IntField()


class Loan(Model):
    id = fields.IntField(pk=True)
    packet = fields.ForeignKeyField("models.Packet", related_name="loans")
    member = fields.ForeignKeyField("models.Member", related_name="loans")
    returned = fields.BooleanField(default=False)


@bp.get("/catalogue")
async def catalogue(request: Request):
    out = []
    for v in await Variety.all().order_by("name"):
        stock = await v.packets.all().count()  # expect: L2
        out.append({"id": v.id, "name": v.name, "packets": stock})
    return json(out)


@bp.get("/catalogue-counted")
async def catalogue_counted(request: Request):
    rows = await Variety.all().annotate(stock=Count("packets")).order_by("name")  # expect-none
    return json([{"id": v.id, "name": v.name, "packets": v.stock} for v in rows])  # expect-none


@bp.get("/stewards")
async def stewards(request: Request):
    varieties = await Variety.filter(steward_id__not_isnull=True)
    names = []
    for v in varieties:
        await v.fetch_related("steward")  # expect: L2
        names.append((v.name, v.steward.name))
    return json(names)


@bp.get("/stewards-joined")
async def stewards_joined(request: Request):
    varieties = await Variety.filter(steward_id__not_isnull=True).prefetch_related("steward")
    return json([(v.name, v.steward.name) for v in varieties])  # expect-none


async def _on_loan(packet: Packet) -> int:
    return await packet.loans.filter(returned=False).count()


@bp.get("/shelf/<member_id:int>")
async def shelf(request: Request, member_id: int):
    loans = await Loan.filter(member_id=member_id, returned=False).prefetch_related("packet__variety")
    return json([{"packet": l.packet.id, "variety": l.packet.variety.name} for l in loans])  # expect-none


@bp.get("/availability")
async def availability(request: Request):
    packets = await Packet.filter(harvest_year__gte=2023)
    free = []
    for p in packets:
        if await _on_loan(p) == 0:  # expect: L2
            free.append(p.id)
    return json(free)


@bp.post("/return")
async def return_packets(request: Request):
    ids = request.json["loan_ids"]
    async with in_transaction():
        for loan_id in ids:
            loan = await Loan.get(id=loan_id)  # expect: L2
            loan.returned = True
            await loan.save(update_fields=["returned"])  # expect: L2
    return json({"returned": len(ids)})


@bp.post("/return-batched")
async def return_batched(request: Request):
    ids = request.json["loan_ids"]
    updated = await Loan.filter(id__in=ids).update(returned=True)  # expect-none
    return json({"returned": updated})


@bp.post("/donate")
async def donate(request: Request):
    body = request.json
    for entry in body["packets"]:
        await Packet.create(variety_id=entry["variety"], grams=entry["grams"], harvest_year=body["year"])  # expect: L2
    return json({"ok": True})


@bp.post("/donate-bulk")
async def donate_bulk(request: Request):
    body = request.json
    packets = [Packet(variety_id=e["variety"], grams=e["grams"], harvest_year=body["year"]) for e in body["packets"]]  # expect-none
    await Packet.bulk_create(packets)  # expect-none
    return json({"ok": True})


@bp.get("/seasons")
async def seasons(request: Request):
    return json({s: await Variety.filter(season=s).count() for s in SEASONS})  # expect-none


@bp.get("/borrowers/<variety_id:int>")
async def borrowers(request: Request, variety_id: int):
    packets = await Packet.filter(variety_id=variety_id)
    emails = set()
    for p in packets:
        for loan in await p.loans.all():  # expect: L2
            emails.add(loan.member_id)
    members = await Member.filter(id__in=list(emails)).values_list("email", flat=True)  # expect-none
    return json(sorted(members))
