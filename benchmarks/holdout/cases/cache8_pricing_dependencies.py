"""FastAPI dependencies and the pricing library behind ``/quote``.

Routes stay one-liners: everything they need arrives through ``Depends``.
The quote endpoint serves the storefront (about 300 requests a second at
peak); each request prices a cart of up to a few hundred lines.
"""
from __future__ import annotations

import json
import os
from contextlib import asynccontextmanager
from decimal import Decimal
from functools import lru_cache
from typing import Annotated

import numpy as np
from fastapi import Depends, FastAPI, Request
from jinja2 import Template
from pydantic import BaseModel, TypeAdapter

COVARIANCE = [[4.0, 1.2, 0.3], [1.2, 2.5, 0.4], [0.3, 0.4, 1.8]]
DISCOUNT_RULES_JSON = '[{"sku_prefix": "BK-", "percent": 10}, {"sku_prefix": "EL-", "percent": 5}]'
RECEIPT_TEMPLATE = "{% for l in lines %}{{ l.sku }} x{{ l.qty }} = {{ l.total }}\n{% endfor %}"
TIER_BREAKS = (1, 10, 50, 200)


class Settings(BaseModel):
    currency: str = "EUR"
    vat: Decimal = Decimal("0.19")


class DiscountRule(BaseModel):
    sku_prefix: str
    percent: int


class CartLine(BaseModel):
    sku: str
    qty: int
    unit: Decimal
    features: list[float]


_RULES_ADAPTER = TypeAdapter(list[DiscountRule])  # expect-none
_RECEIPT = Template(RECEIPT_TEMPLATE)  # expect-none
_PRECISION = np.linalg.inv(np.array(COVARIANCE))  # expect-none


def get_settings() -> Settings:
    return Settings(**json.loads(os.environ.get("PRICING_SETTINGS", "{}")))  # expect: L3


@lru_cache(maxsize=1)
def get_settings_cached() -> Settings:
    return Settings(**json.loads(os.environ.get("PRICING_SETTINGS", "{}")))  # expect-none


async def get_discount_rules() -> list[DiscountRule]:
    return TypeAdapter(list[DiscountRule]).validate_json(DISCOUNT_RULES_JSON)  # expect: L3


class AnomalyScorer:
    """Mahalanobis distance of a line's features; FastAPI builds one per request."""

    def __init__(self) -> None:
        self.precision = np.linalg.inv(np.array(COVARIANCE))  # expect: L3

    def score(self, features: list[float]) -> float:
        v = np.asarray(features)
        return float(v @ self.precision @ v)


class AnomalyScorerShared:
    def score(self, features: list[float]) -> float:
        v = np.asarray(features)
        return float(v @ _PRECISION @ v)  # expect-none


class PriceBook:
    def __init__(self, settings: Annotated[Settings, Depends(get_settings)]) -> None:
        self.settings = settings

    @lru_cache(maxsize=None)  # expect: L3  # expect-span: 2
    def tier(self, qty: int) -> int:
        return max(i for i, b in enumerate(TIER_BREAKS) if qty >= b)

    def gross(self, net: Decimal) -> Decimal:
        return (net * (1 + self.settings.vat)).quantize(Decimal("0.01"))


def render_receipt(lines: list[dict]) -> str:
    return Template(RECEIPT_TEMPLATE).render(lines=lines)  # expect: L3


def render_receipt_fast(lines: list[dict]) -> str:
    return _RECEIPT.render(lines=lines)  # expect-none


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.rules = _RULES_ADAPTER.validate_json(DISCOUNT_RULES_JSON)  # expect-none
    yield


app = FastAPI(lifespan=lifespan)


@app.post("/quote")
async def quote(
    cart: list[CartLine],
    book: Annotated[PriceBook, Depends(PriceBook)],
    rules: Annotated[list[DiscountRule], Depends(get_discount_rules)],
    scorer: Annotated[AnomalyScorer, Depends()],
) -> dict:
    lines = []
    for line in cart:
        pct = next((r.percent for r in rules if line.sku.startswith(r.sku_prefix)), 0)
        net = line.unit * line.qty * (100 - pct) / 100
        lines.append({"sku": line.sku, "qty": line.qty, "total": book.gross(net),
                      "tier": book.tier(line.qty), "risk": scorer.score(line.features)})
    return {"lines": lines, "receipt": render_receipt(lines)}


@app.post("/quote/v2")
async def quote_v2(request: Request, cart: list[CartLine],
                   settings: Annotated[Settings, Depends(get_settings_cached)]) -> dict:
    scorer = AnomalyScorerShared()
    totals = [line.unit * line.qty * (1 + settings.vat) for line in cart]
    risks = [scorer.score(line.features) for line in cart]
    return {"totals": totals, "risks": risks, "receipt": render_receipt_fast([])}
