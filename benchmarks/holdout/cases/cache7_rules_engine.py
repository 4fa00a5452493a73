"""Eligibility rules for the loyalty programme.

Rules are small Python expressions maintained by the marketing team (see
``RULES``); the engine evaluates them against each customer row exported from
the warehouse.  Customer names are matched against a stop list before the
campaign e-mail is built.
"""
from __future__ import annotations

import ast
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

log = logging.getLogger("loyalty.rules")

RULES: Mapping[str, str] = {
    "gold": "spend_12m >= 5000 and visits_12m >= 24",
    "silver": "spend_12m >= 1500",
    "lapsed": "days_since_visit > 180",
}
DEFAULT_RULE = "spend_12m >= 100"
STOP_NAMES = ("test", "dummy", "n/a", "unknown", "noreply")
PROGRAMME_START = "2021-03-01"
_DEFAULT_CODE = compile(DEFAULT_RULE, "<default>", "eval")  # expect-none
_COMPILED = {name: compile(src, name, "eval") for name, src in RULES.items()}  # expect-none
_STOP = frozenset(n.casefold() for n in STOP_NAMES)  # expect-none


@dataclass
class Customer:
    id: int
    name: str
    row: dict[str, Any]
    joined: date

    @property
    def tenure_days(self) -> int:
        start = datetime.strptime(PROGRAMME_START, "%Y-%m-%d").date()  # expect: L3
        return (date.today() - max(self.joined, start)).days


class StopList:
    def __contains__(self, name: str) -> bool:
        return name.casefold() in {n.casefold() for n in STOP_NAMES}  # expect: L3


class StopListFast:
    def __contains__(self, name: str) -> bool:
        return name.casefold() in _STOP  # expect-none


def _rule_fields(source: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(source, mode="eval")) if isinstance(n, ast.Name)}


def _tier(customer: Customer) -> str:
    for name, src in RULES.items():
        if eval(compile(src, name, "eval"), {}, customer.row):  # expect: L3
            return name
    return "base"


def _tier_fast(customer: Customer) -> str:
    for name, code in _COMPILED.items():
        if eval(code, {}, customer.row):  # expect-none
            return name
    return "base"


def _eligible(row: Mapping[str, Any]) -> bool:
    tree = ast.parse(DEFAULT_RULE, mode="eval")  # expect: L3
    return bool(eval(compile(tree, "<default>", "eval"), {}, dict(row)))  # expect: L3


def _eligible_fast(row: Mapping[str, Any]) -> bool:
    return bool(eval(_DEFAULT_CODE, {}, dict(row)))  # expect-none


def _display_name(customer: Customer) -> str:
    return re.sub(r"\s+", " ", customer.name).strip().title()


def _sort_key(customer: Customer) -> tuple[str, int]:
    cleaned = re.compile(r"[^a-z]").sub("", customer.name.lower())
    return cleaned, customer.id


def eligible_customers(rows: Iterable[Customer]) -> Iterator[tuple[Customer, str]]:
    stop = StopList()
    for customer in rows:
        if customer.name in stop or not _eligible(customer.row):
            continue
        yield customer, _tier(customer)


def campaign(rows: list[Customer]) -> list[dict[str, Any]]:
    out = []
    for customer, tier in eligible_customers(sorted(rows, key=_sort_key)):
        out.append({"id": customer.id, "name": _display_name(customer), "tier": tier, "tenure": customer.tenure_days})
    log.info("campaign has %d recipients", len(out))
    return out


def campaign_fast(rows: list[Customer]) -> list[dict[str, Any]]:
    stop = StopListFast()
    return [
        {"id": c.id, "tier": _tier_fast(c)}
        for c in rows
        if c.name not in stop and _eligible_fast(c.row)
    ]


def lint_rules() -> dict[str, set[str]]:
    """Called by the admin form on save."""
    return {name: _rule_fields(src) for name, src in RULES.items()}  # expect-none


if __name__ == "__main__":
    for rule_name, rule_src in RULES.items():
        print(rule_name, sorted(_rule_fields(rule_src)))  # expect-none
