"""Quote service: FastAPI router over an async SQLAlchemy 2.0 session."""
import json
import os
from datetime import datetime
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Depends
from jsonschema import Draft202012Validator
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import get_session
from .models import Quote

router = APIRouter(prefix="/quotes")
QUOTE_SCHEMA = {"type": "object", "required": ["sku", "qty"]}
PROMO_END = "2026-12-31"
PROMO_END_AT = datetime.strptime(PROMO_END, "%Y-%m-%d")  # expect-none
QUOTE_VALIDATOR = Draft202012Validator(QUOTE_SCHEMA)  # expect-none


class QuoteOut(BaseModel):
    sku: str
    qty: int
    price: float


QUOTES_OUT = TypeAdapter(list[QuoteOut])  # expect-none


@lru_cache
def surcharges() -> dict:
    return json.loads(os.environ.get("SURCHARGES", "{}"))  # expect-none


async def pricing_flags() -> dict:
    return json.loads(os.environ.get("PRICING_FLAGS", "{}"))  # expect: L3


@router.post("/check")
async def check_quote(body: dict):
    validator = Draft202012Validator(QUOTE_SCHEMA)  # expect: L3
    errors = [e.message for e in validator.iter_errors(body)]
    return {"ok": not errors, "errors": errors}


@router.post("/check/v2")
async def check_quote_v2(body: dict):
    errors = [e.message for e in QUOTE_VALIDATOR.iter_errors(body)]  # expect-none
    return {"ok": not errors, "errors": errors}


@router.get("/open")
async def open_quotes(
    session: Annotated[AsyncSession, Depends(get_session)],
    flags: Annotated[dict, Depends(pricing_flags)],
):
    rows = await session.scalars(select(Quote).where(Quote.status == "open"))
    live = []
    for quote in rows:
        if quote.created_at < datetime.strptime(PROMO_END, "%Y-%m-%d"):  # expect: L3
            quote.price *= 0.9
        live.append(quote)
    return TypeAdapter(list[QuoteOut]).dump_python(live)  # expect: L3


@router.get("/open/v2")
async def open_quotes_v2(session: Annotated[AsyncSession, Depends(get_session)]):
    result = await session.execute(select(Quote).where(Quote.status == "open"))
    promo_end = PROMO_END_AT  # expect-none
    extra = surcharges()
    live = []
    for quote in result.scalars():
        stamped = datetime.strptime(quote.stamp, "%Y-%m-%d")  # expect-none
        if stamped < promo_end:
            quote.price *= 0.9
        quote.price += extra.get(quote.sku, 0)
        live.append(quote)
    return QUOTES_OUT.dump_python(live)  # expect-none
