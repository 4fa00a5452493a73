"""Energy tariff engine: TOML tariff defaults, bank holidays and half-hourly pricing."""
from __future__ import annotations

import tomllib
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise

DEFAULT_TARIFF = """
[peak]
start = "16:00"
end = "19:00"
rate = "0.42"

[offpeak]
rate = "0.19"
"""
BANK_HOLIDAYS = ("2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
                 "2026-08-31", "2026-12-25", "2026-12-28")
STANDING = {"domestic": "0.53", "business": "0.91"}
DATE_FORMATS = ("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M")

TARIFF = tomllib.loads(DEFAULT_TARIFF)  # expect-none
HOLIDAYS = frozenset(date.fromisoformat(d) for d in BANK_HOLIDAYS)  # expect-none


def peak_window(day: date) -> tuple[datetime, datetime]:
    tariff = tomllib.loads(DEFAULT_TARIFF)  # expect: L3
    start = datetime.combine(day, datetime.strptime(tariff["peak"]["start"], "%H:%M").time())
    end = datetime.combine(day, datetime.strptime(tariff["peak"]["end"], "%H:%M").time())
    return start, end


def parse_reading_time(raw: str) -> datetime:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt)  # expect-none
        except ValueError:
            continue
    raise ValueError(f"unrecognised timestamp {raw!r}")


def bill(readings: list[tuple[str, float]], account_type: str) -> Decimal:
    total = Decimal(0)
    for (t0, kwh), (t1, _) in pairwise(readings):
        when = parse_reading_time(t0)
        holidays = {date.fromisoformat(d) for d in BANK_HOLIDAYS}  # expect: L3
        start, end = peak_window(when.date())
        peak = start <= when < end and when.date() not in holidays
        rate = Decimal(TARIFF["peak"]["rate"] if peak else TARIFF["offpeak"]["rate"])
        total += rate * Decimal(str(kwh))
    return total + Decimal(STANDING[account_type])


def standing_charges(accounts: list[dict]) -> list[Decimal]:
    charges = []
    for account in accounts:
        table = {kind: Decimal(v) for kind, v in STANDING.items()}  # expect: L3
        charges.append(table[account["type"]] * account["days"])
    return charges


def standing_charges_v2(accounts: list[dict]) -> list[Decimal]:
    table = {kind: Decimal(v) for kind, v in STANDING.items()}  # expect-none
    return [table[a["type"]] * a["days"] for a in accounts]


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in HOLIDAYS  # expect-none


def day_rates() -> dict[str, Decimal]:
    return {name: Decimal(section["rate"]) for name, section in TARIFF.items()}  # expect-none
