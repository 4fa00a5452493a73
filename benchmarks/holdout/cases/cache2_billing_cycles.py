"""Billing cycles: proration through functools.partial, and a retrying decorator."""
from __future__ import annotations

import functools
import time
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

PLANS_TOML = """
[basic]
monthly = "9.00"
[pro]
monthly = "29.00"
[team]
monthly = "99.00"
"""
PLANS = tomllib.loads(PLANS_TOML)  # expect-none


def retrying(attempts: int = 3) -> Callable:
    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            for attempt in range(attempts):
                try:
                    return fn(*args, **kwargs)
                except ConnectionError:
                    time.sleep(2 ** attempt)
            return fn(*args, **kwargs)
        return inner
    return wrap


@dataclass
class Subscription:
    plan: str
    days_used: int
    days_in_cycle: int


def prorate(sub: Subscription, rounding: str = "0.01") -> Decimal:
    plans = tomllib.loads(PLANS_TOML)  # expect: L3
    monthly = Decimal(plans[sub.plan]["monthly"])
    return (monthly * sub.days_used / sub.days_in_cycle).quantize(Decimal(rounding))


def prorate_v2(sub: Subscription, rounding: str = "0.01") -> Decimal:
    monthly = Decimal(PLANS[sub.plan]["monthly"])  # expect-none
    return (monthly * sub.days_used / sub.days_in_cycle).quantize(Decimal(rounding))


def invoice_totals(subs: list[Subscription]) -> list[Decimal]:
    to_cents = functools.partial(prorate, rounding="0.01")
    return [to_cents(s) for s in subs]


@retrying(attempts=5)
def push_to_ledger(client, subs: list[Subscription]) -> int:
    prices = {name: Decimal(p["monthly"]) for name, p in tomllib.loads(PLANS_TOML).items()}  # expect-none
    client.post_many([(s.plan, prices[s.plan]) for s in subs])
    return len(subs)
