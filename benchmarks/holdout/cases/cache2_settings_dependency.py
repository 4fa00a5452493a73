"""FastAPI service: per-request settings, feature flags and payload adapters."""
import json
import os
from functools import lru_cache
from typing import Annotated

import yaml
from fastapi import APIRouter, Depends
from pydantic import BaseModel, TypeAdapter

router = APIRouter(prefix="/orders")

DEFAULT_LIMITS_YAML = """
max_lines: 200
max_quantity: 999
blocked_regions: [XX, ZZ]
"""


class OrderLine(BaseModel):
    sku: str
    quantity: int


class Flags(BaseModel):
    bulk_import: bool = False
    strict_limits: bool = True


def get_flags() -> Flags:
    raw = os.environ.get("ORDER_FLAGS", "{}")
    return Flags(**json.loads(raw))  # expect: L3


@lru_cache(maxsize=1)
def get_flags_cached() -> Flags:
    return Flags(**json.loads(os.environ.get("ORDER_FLAGS", "{}")))  # expect-none


_LINES = TypeAdapter(list[OrderLine])  # expect-none
_LIMITS = yaml.safe_load(DEFAULT_LIMITS_YAML)  # expect-none


@router.post("/import")
async def import_lines(body: bytes, flags: Annotated[Flags, Depends(get_flags)]):
    adapter = TypeAdapter(list[OrderLine])  # expect: L3
    lines = adapter.validate_json(body)
    limits = yaml.safe_load(DEFAULT_LIMITS_YAML)  # expect: L3
    if flags.strict_limits and len(lines) > limits["max_lines"]:
        return {"error": "too many lines"}
    return {"accepted": len(lines)}


@router.post("/v2/import")
async def import_lines_v2(body: bytes, flags: Annotated[Flags, Depends(get_flags_cached)]):
    lines = _LINES.validate_json(body)  # expect-none
    if flags.strict_limits and len(lines) > _LIMITS["max_lines"]:
        return {"error": "too many lines"}
    return {"accepted": len(lines)}


@router.post("/preview")
def preview(body: dict):
    payload = json.loads(body["lines"])  # expect-none
    return {"count": len(payload)}


def main() -> None:
    limits = yaml.safe_load(DEFAULT_LIMITS_YAML)  # expect-none
    flags = Flags(**json.loads(os.environ.get("ORDER_FLAGS", "{}")))  # expect-none
    print(limits, flags)


if __name__ == "__main__":
    main()
