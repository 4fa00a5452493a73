"""Partner order ingestion API (FastAPI).

Partners POST batches of orders; each order is validated against the partner
contract, normalised and queued.  Settings come from the environment and from
``partner_defaults.toml`` bundled with the service.
"""
from __future__ import annotations

import json
import logging
import os
import tomllib
from functools import cache
from typing import Annotated, Any, Callable

import jsonschema
import yaml
from fastapi import APIRouter, Depends, FastAPI
from jsonschema import Draft202012Validator as ContractValidator
from pydantic import BaseModel, TypeAdapter

logger = logging.getLogger("ingest.api")
router = APIRouter(prefix="/partners")

ORDER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["sku", "qty", "currency"],
    "properties": {
        "sku": {"type": "string", "pattern": "^[A-Z]{3}-\\d{4}$"},
        "qty": {"type": "integer", "minimum": 1},
        "currency": {"enum": ["EUR", "USD", "GBP"]},
    },
}
DEFAULTS_TOML = """
[limits]
max_batch = 500
max_qty = 10000
[routing]
queue = "orders.in"
"""
CURRENCY_ALIASES_YAML = "eur: EUR\nusd: USD\ngbp: GBP\neuro: EUR\n"


class Order(BaseModel):
    sku: str
    qty: int
    currency: str


_ORDER_LIST = TypeAdapter(list[Order])  # expect-none
_VALIDATOR = ContractValidator(ORDER_SCHEMA)  # expect-none
DEFAULTS = tomllib.loads(DEFAULTS_TOML)  # expect-none


@cache
def currency_aliases() -> dict[str, str]:
    return yaml.safe_load(CURRENCY_ALIASES_YAML)  # expect-none


class OrderNormaliser:
    """Normalises one raw order dict; instances are shared across requests."""

    def __init__(self, on_error: Callable[[str], None]) -> None:
        self.on_error = on_error

    def _max_qty(self) -> int:
        return int(os.environ.get("PARTNER_MAX_QTY", DEFAULTS["limits"]["max_qty"]))  # expect: L3

    def _aliases(self) -> dict[str, str]:
        return yaml.safe_load(CURRENCY_ALIASES_YAML)  # expect: L3

    def __call__(self, raw: dict[str, Any]) -> dict[str, Any] | None:
        for error in ContractValidator(ORDER_SCHEMA).iter_errors(raw):  # expect: L3
            self.on_error(error.message)
            return None
        raw["currency"] = self._aliases().get(raw["currency"].lower(), raw["currency"])
        raw["qty"] = min(raw["qty"], self._max_qty())
        return raw


def _queue_name() -> str:
    routing = tomllib.loads(DEFAULTS_TOML)["routing"]  # expect: L3
    return os.getenv("PARTNER_QUEUE", routing["queue"])


def get_normaliser() -> OrderNormaliser:
    return OrderNormaliser(on_error=logger.warning)


@router.post("/{partner}/orders")
async def ingest(
    partner: str,
    payload: dict[str, Any],
    normaliser: Annotated[OrderNormaliser, Depends(get_normaliser)],
) -> dict[str, Any]:
    cleaned = [o for o in map(normaliser, payload.get("orders", [])) if o is not None]
    orders = TypeAdapter(list[Order]).validate_python(cleaned)  # expect: L3
    batch_limit = json.loads(os.environ.get("PARTNER_BATCH_LIMITS", "{}")).get(partner, 500)  # expect: L3
    if len(orders) > batch_limit:
        return {"accepted": 0, "error": "batch too large"}
    for order in orders:
        logger.debug("queue %s <- %s", _queue_name(), order.sku)
    return {"accepted": len(orders)}


@router.post("/{partner}/orders:validate")
async def validate_only(partner: str, payload: dict[str, Any]) -> dict[str, Any]:
    errors = [e.message for o in payload.get("orders", []) for e in _VALIDATOR.iter_errors(o)]  # expect-none
    parsed = _ORDER_LIST.validate_python(payload.get("orders", []))  # expect-none
    return {"errors": errors, "count": len(parsed)}


@router.post("/{partner}/orders:check")
async def check_one(partner: str, payload: dict[str, Any]) -> dict[str, Any]:
    try:
        jsonschema.validate(payload, schema=ORDER_SCHEMA)  # expect: L3
    except jsonschema.ValidationError as exc:
        return {"ok": False, "error": exc.message}
    return {"ok": True}


def create_app() -> FastAPI:
    app = FastAPI(title="partner-ingest")
    app.include_router(router)
    settings = tomllib.loads(DEFAULTS_TOML)  # expect-none
    app.state.max_batch = int(os.environ.get("PARTNER_MAX_BATCH", settings["limits"]["max_batch"]))  # expect-none
    return app


def selftest() -> None:
    """Run from the deploy pipeline once."""
    sample = {"sku": "ABC-1234", "qty": 1, "currency": "EUR"}
    jsonschema.validate(sample, ORDER_SCHEMA)  # expect-none
    TypeAdapter(Order).validate_python(sample)  # expect-none
