"""Plugin registry of the record-enrichment library (``enrichkit``).

Applications register plugins with ``@plugins.register("name")`` and feed
records through ``Pipeline(...).run(records)``; the importer streams a few
hundred thousand records per nightly file.  Plugins are plain callables or
small classes; helpers shared by several plugins sit next to them.
"""
from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import yaml

Record = dict[str, Any]
Plugin = Callable[[Record], Record]

SCORE_RULES = {
    "large": "amount > 10_000",
    "foreign": "currency != 'EUR'",
    "weekend": "weekday >= 5",
}
ALIASES_YAML = """
acme inc: ACME
acme incorporated: ACME
globex corp: GLOBEX
"""
COUNTRIES_YAML = "- {code: DE}\n- {code: FR}\n- {code: NL}\n- {code: AT}\n"
THRESHOLDS_TOML = 'review = 5000\nblock = 50000\n'
FISCAL_START = "2027-04-01"

_RULE_CODE = {n: compile(src, n, "eval") for n, src in SCORE_RULES.items()}  # expect-none
_THRESHOLDS = tomllib.loads(THRESHOLDS_TOML)  # expect-none


class Registry:
    def __init__(self) -> None:
        self._plugins: dict[str, Plugin] = {}

    def register(self, name: str) -> Callable[[Plugin], Plugin]:
        def add(fn: Plugin) -> Plugin:
            self._plugins[name] = fn
            return fn
        return add

    def get(self, names: Iterable[str]) -> list[Plugin]:
        return [self._plugins[n] for n in names]


plugins = Registry()


class Thresholds:
    def __getitem__(self, key: str) -> int:
        return tomllib.loads(THRESHOLDS_TOML)[key]  # expect: L3


class ThresholdsFast:
    def __getitem__(self, key: str) -> int:
        return _THRESHOLDS[key]  # expect-none


class Countries:
    def __iter__(self) -> Iterator[str]:
        for entry in yaml.safe_load(COUNTRIES_YAML):  # expect: L3
            yield entry["code"]


@plugins.register("score")
def score(rec: Record) -> Record:
    env = {"amount": rec["amount"], "currency": rec["currency"], "weekday": rec["weekday"]}
    for name, src in SCORE_RULES.items():
        if eval(compile(src, name, "eval"), {}, env):  # expect: L3
            rec.setdefault("flags", []).append(name)
    return rec


@plugins.register("score_fast")
def score_fast(rec: Record) -> Record:
    for name, code in _RULE_CODE.items():
        if eval(code, {}, rec):  # expect-none
            rec.setdefault("flags", []).append(name)
    return rec


@plugins.register("review")
def review(rec: Record, limits: Thresholds = Thresholds()) -> Record:
    rec["needs_review"] = rec["amount"] >= limits["review"]
    rec["eu"] = rec["country"] in set(Countries())
    return rec


@plugins.register("fiscal")
def fiscal(rec: Record) -> Record:
    match rec["kind"]:
        case "invoice":
            start = datetime.strptime(FISCAL_START, "%Y-%m-%d")  # expect: L3
            rec["fiscal_year"] = rec["issued"].year + (rec["issued"] >= start)
        case "credit_note":
            issued = datetime.strptime(rec["issued_raw"], "%d.%m.%Y")  # expect-none
            rec["fiscal_year"] = issued.year
    return rec


def make_alias_resolver() -> Plugin:
    def resolve(rec: Record) -> Record:
        aliases = yaml.safe_load(ALIASES_YAML)  # expect: L3
        rec["vendor"] = aliases.get(rec["vendor"].lower(), rec["vendor"])
        return rec
    return resolve


def make_alias_resolver_fast() -> Plugin:
    aliases = yaml.safe_load(ALIASES_YAML)  # expect-none

    def resolve(rec: Record) -> Record:
        rec["vendor"] = aliases.get(rec["vendor"].lower(), rec["vendor"])
        return rec
    return resolve


@dataclass
class Pipeline:
    names: list[str]
    steps: list[Plugin] = field(init=False)

    def __post_init__(self) -> None:
        self.steps = plugins.get(self.names)

    def run(self, records: Iterable[Record]) -> Iterator[Record]:
        for rec in map(make_alias_resolver(), records):
            for step in self.steps:
                rec = step(rec)
            yield rec

    def run_fast(self, records: Iterable[Record]) -> Iterator[Record]:
        for rec in map(make_alias_resolver_fast(), records):
            yield rec
