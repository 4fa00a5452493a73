"""GraphQL API for the parts catalogue: graphene types, a strawberry schema, ariadne resolvers."""
from __future__ import annotations

import logging
from typing import Optional

import boto3
import graphene
import httpx
import redis
import strawberry
from ariadne import ObjectType, QueryType
from strawberry.dataloader import DataLoader

log = logging.getLogger(__name__)
REDIS_URL = "redis://cache:6379/2"
PRICING_URL = "https://pricing.internal/api/v2"
stock_cache = redis.Redis.from_url(REDIS_URL)  # expect-none
media = boto3.client("s3", region_name="eu-west-1")  # expect-none


class Supplier(graphene.ObjectType):
    id = graphene.ID()
    name = graphene.String()
    rating = graphene.Float()

    def resolve_rating(parent, info):
        cache = redis.Redis.from_url(REDIS_URL)  # expect: L5
        raw = cache.get(f"rating:{parent.id}")
        return float(raw) if raw else None


class Part(graphene.ObjectType):
    sku = graphene.ID()
    stock = graphene.Int()
    photo_url = graphene.String()

    def resolve_stock(parent, info):
        value = stock_cache.get(f"stock:{parent.sku}")  # expect-none
        return int(value or 0)

    def resolve_photo_url(parent, info):
        s3 = info.context["s3"]  # expect-none
        return s3.generate_presigned_url("get_object", Params={"Bucket": "parts", "Key": parent.sku})


class CatalogQuery(graphene.ObjectType):
    parts = graphene.List(Part, category=graphene.String())

    def resolve_parts(root, info, category):
        client = boto3.client("dynamodb", region_name="eu-west-1")  # expect: L5
        rows = client.query(TableName="parts", KeyConditionExpression="category = :c",
                            ExpressionAttributeValues={":c": {"S": category}})
        return [Part(sku=r["sku"]["S"]) for r in rows["Items"]]


async def load_prices(skus: list[str]) -> list[Optional[float]]:
    async with httpx.AsyncClient(base_url=PRICING_URL) as client:  # expect-none
        resp = await client.post("/prices", json={"skus": skus})
    table = resp.json()
    return [table.get(s) for s in skus]


price_loader = DataLoader(load_fn=load_prices)


@strawberry.type
class Listing:
    sku: str
    seller_id: int

    @strawberry.field
    async def price(self) -> Optional[float]:
        return await price_loader.load(self.sku)  # expect-none

    @strawberry.field
    async def seller_badge(self) -> str:
        async with httpx.AsyncClient(base_url=PRICING_URL) as client:  # expect: L5
            resp = await client.get(f"/sellers/{self.seller_id}/badge")
        return resp.json()["badge"]


query = QueryType()
warehouse = ObjectType("Warehouse")


@query.field("warehouses")
def resolve_warehouses(_, info):
    return info.context["db"].warehouses.find({})  # expect-none


@warehouse.field("floorPlan")
def resolve_floor_plan(obj, info):
    s3 = boto3.client("s3", region_name="eu-west-1")  # expect: L5
    return s3.generate_presigned_url("get_object", Params={"Bucket": "plans", "Key": obj["plan"]})


@warehouse.field("thumbnail")
def resolve_thumbnail(obj, info):
    return media.generate_presigned_url("get_object", Params={"Bucket": "thumbs", "Key": obj["id"]})  # expect-none
