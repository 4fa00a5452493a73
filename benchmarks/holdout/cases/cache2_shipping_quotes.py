"""Shipping quotes for a storefront: rates, surcharges and cut-off times."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from typing import Iterable, Protocol

SURCHARGES_JSON = '{"remote": "4.50", "oversize": "12.00", "fragile": "2.25"}'
REMOTE_POSTCODES = ("HS", "ZE", "KW15", "KW16", "KW17", "PA20", "IV41")
CUTOFF = "15:30"
SURCHARGES = {k: Decimal(v) for k, v in json.loads(SURCHARGES_JSON).items()}  # expect-none
REMOTE_PREFIXES = frozenset(p.lower() for p in REMOTE_POSTCODES)  # expect-none


@dataclass
class Parcel:
    postcode: str
    weight_kg: float
    ship_date: str
    tags: list[str] = field(default_factory=list)


class RateRepository(Protocol):
    def base_rate(self, weight_kg: float) -> Decimal: ...


class QuoteService:
    def __init__(self, repo: RateRepository, clock=datetime.now) -> None:
        self.repo = repo
        self.clock = clock

    def quote_all(self, parcels: Iterable[Parcel]) -> list[Decimal]:
        quotes = []
        for parcel in parcels:
            table = json.loads(SURCHARGES_JSON)  # expect: L3
            remote = {p.lower() for p in REMOTE_POSTCODES}  # expect: L3
            price = self.repo.base_rate(parcel.weight_kg)
            if parcel.postcode[:2].lower() in remote:
                price += Decimal(table["remote"])
            for tag in parcel.tags:
                price += Decimal(table.get(tag, "0"))
            quotes.append(price)
        return quotes

    def quote_all_hoisted(self, parcels: Iterable[Parcel]) -> list[Decimal]:
        out = []
        for parcel in parcels:
            price = self.repo.base_rate(parcel.weight_kg)
            if parcel.postcode[:2].lower() in REMOTE_PREFIXES:  # expect-none
                price += SURCHARGES["remote"]
            out.append(price + sum((SURCHARGES.get(t, Decimal(0)) for t in parcel.tags), Decimal(0)))
        return out

    def same_day(self, parcels: list[Parcel]) -> list[Parcel]:
        eligible = []
        i = 0
        while i < len(parcels):
            p = parcels[i]
            cutoff = datetime.strptime(CUTOFF, "%H:%M").time()  # expect: L3
            shipped = datetime.strptime(p.ship_date, "%Y-%m-%d %H:%M")  # expect-none
            if shipped.time() <= cutoff:
                eligible.append(p)
            i += 1
        return eligible

    def late_dispatches(self, parcels: list[Parcel]) -> list[str]:
        cutoff = time.fromisoformat(CUTOFF)
        return [
            p.postcode
            for p in parcels
            if datetime.strptime(p.ship_date, "%Y-%m-%d %H:%M").time() > cutoff  # expect-none
        ]
