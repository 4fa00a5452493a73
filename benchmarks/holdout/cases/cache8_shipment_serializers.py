"""Serializers of the public shipments API (``/api/v2/shipments/``).

The list endpoint serializes pages of 200 shipments with ``many=True``;
partners upload manifests through ``ShipmentWriteSerializer``.  Business rules
are kept in the small policy classes at the bottom half of the module so that
the warehouse importer can share them.
"""
from __future__ import annotations

import os
from datetime import date, timedelta
from functools import cached_property, lru_cache

from jsonschema import Draft202012Validator
from pydantic import BaseModel, TypeAdapter
from rest_framework import serializers

from .models import Shipment

HOLIDAYS = ("2027-01-01", "2027-04-02", "2027-05-01", "2027-12-25", "2027-12-26")
MANIFEST_SCHEMA = {
    "type": "object",
    "required": ["parcels"],
    "properties": {"parcels": {"type": "array", "items": {"type": "object"}}},
}
DEFAULTS = {"limits": {"parcels": 40, "weight_kg": 1200}}
SERVICE_LEVELS = ("economy", "standard", "express")

_HOLIDAYS = frozenset(date.fromisoformat(d) for d in HOLIDAYS)  # expect-none
_MANIFEST = Draft202012Validator(MANIFEST_SCHEMA)  # expect-none


class Dimension(BaseModel):
    length_cm: float
    width_cm: float
    height_cm: float


@lru_cache(maxsize=1)
def _dimensions_adapter() -> TypeAdapter:
    return TypeAdapter(list[Dimension])  # expect-none


class TransitClock:
    def business_days(self, start: date, days: int) -> date:
        closed = {date.fromisoformat(d) for d in HOLIDAYS}  # expect: L3
        current = start
        while days:
            current += timedelta(days=1)
            if current.weekday() < 5 and current not in closed:
                days -= 1
        return current

    def business_days_fast(self, start: date, days: int) -> date:
        current = start
        while days:
            current += timedelta(days=1)
            if current.weekday() < 5 and current not in _HOLIDAYS:  # expect-none
                days -= 1
        return current


class ManifestPolicy:
    def errors(self, manifest: dict) -> list[str]:
        checker = Draft202012Validator(MANIFEST_SCHEMA)  # expect: L3
        return [e.message for e in checker.iter_errors(manifest)]

    def errors_fast(self, manifest: dict) -> list[str]:
        return [e.message for e in _MANIFEST.iter_errors(manifest)]  # expect-none

    def parcel_limit(self) -> int:
        return int(os.environ.get("SHIP_MAX_PARCELS", DEFAULTS["limits"]["parcels"]))  # expect: L3


def split_ways(parcels: int, vans: int) -> int:  # expect: L3  # expect-span: 7
    """Ways to load ``parcels`` identical parcels into ``vans`` vans."""
    if parcels == 0 or vans == 1:
        return 1
    if vans > parcels:
        return split_ways(parcels, parcels)
    return split_ways(parcels, vans - 1) + split_ways(parcels - vans, vans)


@lru_cache(maxsize=4096)  # expect-none  # expect-span: 2
def split_ways_cached(parcels: int, vans: int) -> int:
    if parcels == 0 or vans == 1:
        return 1
    if vans > parcels:
        return split_ways_cached(parcels, parcels)
    return split_ways_cached(parcels, vans - 1) + split_ways_cached(parcels - vans, vans)


class ShipmentSerializer(serializers.ModelSerializer):
    eta = serializers.SerializerMethodField()
    load_plans = serializers.SerializerMethodField()
    dimensions = serializers.SerializerMethodField()

    class Meta:
        model = Shipment
        fields = ("id", "reference", "service_level", "eta", "load_plans", "dimensions")
        read_only_fields = tuple(f for f in fields if f != "reference")  # expect-none

    @cached_property
    def clock(self) -> TransitClock:
        return TransitClock()

    def get_eta(self, obj: Shipment) -> str:
        days = SERVICE_LEVELS.index(obj.service_level) + 1
        return self.clock.business_days(obj.picked_up, days).isoformat()

    def get_load_plans(self, obj: Shipment) -> int:
        return split_ways(obj.parcel_count, obj.van_count)

    def get_dimensions(self, obj: Shipment) -> list[dict]:
        adapter = TypeAdapter(list[Dimension])  # expect: L3
        return adapter.dump_python(adapter.validate_python(obj.dimensions))

    def get_dimensions_fast(self, obj: Shipment) -> list[dict]:
        adapter = _dimensions_adapter()  # expect-none
        return adapter.dump_python(adapter.validate_python(obj.dimensions))


class ShipmentWriteSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=32)
    manifest = serializers.JSONField()

    def validate_manifest(self, value: dict) -> dict:
        policy = ManifestPolicy()
        problems = policy.errors(value)
        if len(value.get("parcels", ())) > policy.parcel_limit():
            problems.append("too many parcels")
        if problems:
            raise serializers.ValidationError(problems)
        return value
