import functools
from enum import Enum
from functools import cached_property, lru_cache

import httpx


class Region(Enum):
    EU = "eu"
    US = "us"

    @functools.lru_cache(maxsize=None)  # expect-none  # expect-span: 2
    def warehouses(self) -> tuple[str, ...]:
        return tuple(f"{self.value}-wh-{i}" for i in range(1, 4))


class CatalogClient:
    def __init__(self, base_url: str, client: httpx.Client):
        self.base_url = base_url
        self.client = client

    @functools.lru_cache(maxsize=512)  # expect: L3  # expect-span: 2
    def product(self, sku: str) -> dict:
        return self.client.get(f"{self.base_url}/products/{sku}").json()

    @functools.cache  # expect: L3  # expect-span: 2
    def category_tree(self) -> dict:
        return self.client.get(f"{self.base_url}/categories").json()

    @cached_property  # expect-none  # expect-span: 2
    def currency(self) -> str:
        return self.client.get(f"{self.base_url}/settings").json()["currency"]

    @staticmethod
    @lru_cache(maxsize=4096)  # expect-none  # expect-span: 2
    def normalise_sku(sku: str) -> str:
        return sku.strip().upper().replace(" ", "-")

    def prices(self, skus: list[str]) -> dict[str, float]:
        @lru_cache(maxsize=None)  # expect-none  # expect-span: 2
        def price_of(sku: str) -> float:
            return float(self.product(sku)["price"])

        return {s: price_of(s) for s in skus}


@lru_cache(maxsize=1024)  # expect-none  # expect-span: 2
def vat_rate(country: str) -> float:
    return {"DE": 0.19, "FR": 0.20, "NL": 0.21}.get(country, 0.0)
