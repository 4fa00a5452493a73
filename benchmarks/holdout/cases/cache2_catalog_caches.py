"""Product catalogue service with a few memoised lookups."""
from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache


class Currency(enum.Enum):
    EUR = "EUR"
    GBP = "GBP"
    USD = "USD"

    @functools.cache  # expect-none  # expect-span: 2
    def symbol(self) -> str:
        return {"EUR": "€", "GBP": "£", "USD": "$"}[self.value]


@dataclass
class Product:
    sku: str
    name: str
    price: Decimal
    category_id: int


class CatalogService:
    def __init__(self, repo, fx_client, tax_rules) -> None:
        self.repo = repo
        self.fx = fx_client
        self.tax_rules = tax_rules

    @lru_cache(maxsize=4096)  # expect: L3  # expect-span: 2
    def product(self, sku: str) -> Product:
        return self.repo.fetch_product(sku)

    @functools.lru_cache  # expect: L3  # expect-span: 2
    def rate(self, currency: Currency) -> Decimal:
        return self.fx.latest(currency.value)

    @property
    @functools.cache  # expect: L3  # expect-span: 2
    def categories(self) -> dict[int, str]:
        return {c.id: c.name for c in self.repo.categories()}

    @cached_property  # expect-none  # expect-span: 2
    def default_tax(self) -> Decimal:
        return self.tax_rules.rate_for("default")

    @staticmethod
    @lru_cache(maxsize=1024)  # expect-none  # expect-span: 2
    def normalise_sku(raw: str) -> str:
        return raw.strip().upper().replace(" ", "-")

    @classmethod
    @functools.cache  # expect-none  # expect-span: 2
    def from_settings(cls, dsn: str) -> "CatalogService":
        raise NotImplementedError(dsn)

    def price_in(self, sku: str, currency: Currency) -> str:
        product = self.product(self.normalise_sku(sku))
        amount = product.price * self.rate(currency) * (1 + self.default_tax)
        return f"{currency.symbol()}{amount:.2f}"

    def label(self, sku: str) -> str:
        @lru_cache(maxsize=None)  # expect-none  # expect-span: 2
        def category_name(cid: int) -> str:
            return self.categories.get(cid, "misc")

        product = self.product(sku)
        return f"{product.name} ({category_name(product.category_id)})"


@lru_cache(maxsize=256)  # expect-none  # expect-span: 2
def vat_band(country: str) -> Decimal:
    return Decimal("0.20") if country in {"GB", "FR", "AT"} else Decimal("0.19")


class ShippingZones:
    def __init__(self, zones: dict[str, str]) -> None:
        self.zones = zones

    @functools.lru_cache(maxsize=128)  # expect: L3  # expect-span: 2
    def zone_for(self, postcode: str) -> str:
        return next((z for prefix, z in self.zones.items() if postcode.startswith(prefix)), "default")
