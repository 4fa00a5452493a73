"""Insurance claims triage: class-level schema and patterns, a management command, pandas."""
from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar

import pandas as pd
from django.core.management.base import BaseCommand
from jsonschema import Draft7Validator

from claims.models import Claim

POLICY_START = "2025-04-01"


class ClaimValidator:
    SCHEMA: ClassVar[dict] = {"type": "object", "required": ["policy", "amount"]}
    REFERENCE: ClassVar[str] = r"^CLM-(\d{4})-(\d{6})$"

    def __init__(self) -> None:
        self.validator = Draft7Validator(self.SCHEMA)  # expect-none

    def errors(self, claims: list[dict]) -> dict[str, list[str]]:
        out = {}
        for claim in claims:
            v = Draft7Validator(self.SCHEMA)  # expect: L3
            out[claim.get("ref", "?")] = [e.message for e in v.iter_errors(claim)]
        return out

    def errors_v2(self, claims: list[dict]) -> dict[str, list[str]]:
        return {c.get("ref", "?"): [e.message for e in self.validator.iter_errors(c)] for c in claims}  # expect-none


def in_policy_window(df: pd.DataFrame) -> pd.Series:
    return df["filed"].map(lambda s: datetime.strptime(s, "%Y-%m-%d") >= datetime.strptime(POLICY_START, "%Y-%m-%d"))  # expect: L3


def in_policy_window_v2(df: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(df["filed"]) >= pd.Timestamp(POLICY_START)  # expect-none


def by_recency(claims: list[dict]) -> list[dict]:
    return sorted(claims, key=lambda c: datetime.strptime(c["filed"], "%Y-%m-%d"), reverse=True)  # expect-none


class Command(BaseCommand):
    help = "Flag claims filed before the policy started."

    def handle(self, *args, **options):
        start = datetime.strptime(POLICY_START, "%Y-%m-%d").date()  # expect-none
        late = 0
        for claim in Claim.objects.filter(status="open").iterator():
            if claim.filed_on < start:
                late += 1
        for claim in Claim.objects.filter(status="review").iterator():
            cutoff = datetime.strptime(POLICY_START, "%Y-%m-%d").date()  # expect: L3
            if claim.filed_on < cutoff:
                late += 1
        self.stdout.write(f"{late} claims before {start}")
