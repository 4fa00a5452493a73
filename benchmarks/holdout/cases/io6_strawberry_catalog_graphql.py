"""Catalogue GraphQL API on strawberry: async resolvers run once per parent object."""
from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Annotated

import httpx
import requests
import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

logger = logging.getLogger("catalog.graphql")
PRICING_URL = "https://pricing.internal/v2"
SWATCH_DIR = Path("/srv/swatches")
_pricing = httpx.AsyncClient(base_url=PRICING_URL, timeout=5.0)


async def fetch_tag(tag_id: int) -> dict:
    resp = await _pricing.get(f"/tags/{tag_id}")
    return resp.json()


async def load_tags(keys: list[int]) -> list[dict]:
    resp = await _pricing.post("/tags:batch", json={"ids": keys})
    by_id = {t["id"]: t for t in resp.json()}
    return [by_id.get(k) for k in keys]


@strawberry.type
class Tag:
    id: int
    label: str


@strawberry.type
class Product:
    sku: str
    tag_ids: strawberry.Private[list[int]]
    variant_skus: strawberry.Private[list[str]]

    @strawberry.field
    async def price(self) -> float:
        resp = requests.get(f"{PRICING_URL}/prices/{self.sku}", timeout=5)  # expect: L4
        return resp.json()["amount"]

    @strawberry.field
    async def price_pooled(self) -> float:
        resp = await _pricing.get(f"/prices/{self.sku}")  # expect-none
        return resp.json()["amount"]

    @strawberry.field
    async def tags(self) -> list[Tag]:
        found = []
        for tag_id in self.tag_ids:
            found.append(await fetch_tag(tag_id))  # expect: L4
        return [Tag(id=t["id"], label=t["label"]) for t in found]

    @strawberry.field
    async def tags_loaded(self, info: Info) -> list[Tag]:
        rows = await info.context["tag_loader"].load_many(self.tag_ids)  # expect-none
        return [Tag(id=t["id"], label=t["label"]) for t in rows]

    @strawberry.field
    async def variant_prices(self) -> list[float]:
        return [
            (await _pricing.get(f"/prices/{sku}")).json()["amount"]  # expect: L4
            for sku in self.variant_skus
        ]

    @strawberry.field
    async def variant_prices_gathered(self) -> list[float]:
        resps = await asyncio.gather(*(_pricing.get(f"/prices/{s}") for s in self.variant_skus))  # expect-none
        return [r.json()["amount"] for r in resps]

    @strawberry.field
    async def swatch(self) -> str | None:
        path = SWATCH_DIR / f"{self.sku}.json"
        if not path.exists():
            return None
        data = json.loads(path.read_text())  # expect: L4
        logger.debug(f"swatch for {self.sku}: {data}")  # expect: L4
        return data["hex"]

    @strawberry.field
    async def swatch_threaded(self) -> str | None:
        path = SWATCH_DIR / f"{self.sku}.json"
        raw = await asyncio.to_thread(path.read_text)  # expect-none
        logger.debug("swatch for %s: %s", self.sku, raw)  # expect-none
        return json.loads(raw)["hex"]


@strawberry.type
class Query:
    @strawberry.field
    async def products(self, skus: list[str]) -> list[Product]:
        return [Product(sku=s, tag_ids=[], variant_skus=[]) for s in skus]  # expect-none


async def get_context() -> dict:
    return {"tag_loader": DataLoader(load_fn=load_tags)}  # expect-none


schema = strawberry.Schema(query=Query)
