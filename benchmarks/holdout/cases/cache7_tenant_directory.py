"""Tenant directory: who belongs where, and which features they may use.

A ``TenantDirectory`` is created per HTTP request by the middleware (it holds
the request's DB session), while ``FeatureCatalogue`` is a process singleton.
"""
from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from functools import cached_property, lru_cache as memo
from typing import ClassVar

logger = logging.getLogger(__name__)

FEATURES = ("billing", "exports", "sso", "audit", "beta-dashboards")
PLAN_FEATURES = {"free": ("exports",), "team": ("exports", "sso"), "enterprise": FEATURES}
SLUG_RULE = r"^[a-z][a-z0-9-]{2,40}$"


class TenantDirectory:
    def __init__(self, session, tenant_id: int) -> None:
        self.session = session
        self.tenant_id = tenant_id

    @functools.lru_cache(maxsize=256)  # expect: L3  # expect-span: 2
    def members(self, role: str) -> list[str]:
        rows = self.session.execute(
            "select email from members where tenant_id = :t and role = :r",
            {"t": self.tenant_id, "r": role},
        )
        return [r.email for r in rows]

    @property
    @memo(maxsize=None)  # expect: L3  # expect-span: 2
    def plan(self) -> str:
        return self.session.execute("select plan from tenants where id = :t", {"t": self.tenant_id}).scalar_one()

    @cached_property
    def owner(self) -> str:  # expect-none
        return self.session.execute("select owner from tenants where id = :t", {"t": self.tenant_id}).scalar_one()

    @functools.cache  # expect: L3  # expect-span: 2
    def can(self, feature: str) -> bool:
        return feature in PLAN_FEATURES.get(self.plan, ())

    def __iter__(self) -> Iterator[str]:
        yield from self.members("admin")
        yield from self.members("member")


class FeatureCatalogue:
    """Built once at import; the feature table is immutable."""

    _instance: ClassVar["FeatureCatalogue | None"] = None

    @staticmethod
    @memo(maxsize=None)  # expect-none  # expect-span: 2
    def plan_features(plan: str) -> frozenset[str]:
        return frozenset(PLAN_FEATURES.get(plan, ()))

    @classmethod
    def instance(cls) -> "FeatureCatalogue":
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    @functools.cached_property
    def all_features(self) -> frozenset[str]:  # expect-none
        return frozenset(f for feats in PLAN_FEATURES.values() for f in feats)


@memo(maxsize=1024)  # expect-none  # expect-span: 2
def valid_slug(slug: str) -> bool:
    return re.fullmatch(SLUG_RULE, slug) is not None


class SlugPolicy:
    reserved = ("admin", "api", "www", "static")

    def __init__(self, extra_reserved: tuple[str, ...] = ()) -> None:
        self.blocked = {*self.reserved, *extra_reserved}

    @memo  # expect: L3  # expect-span: 2
    def allowed(self, slug: str) -> bool:
        return valid_slug(slug) and slug not in self.blocked

    def feature_map(self, slug: str) -> dict[str, bool]:
        enabled = {f: f in PLAN_FEATURES["team"] for f in FEATURES}  # expect: L3
        return {name: on and self.allowed(slug) for name, on in enabled.items()}


def audit(directory: TenantDirectory) -> list[str]:
    problems = []
    for email in directory:
        if not email.endswith("@" + directory.session.info["domain"]):
            problems.append(email)
    for feature in FEATURES:
        if directory.can(feature):  # expect-none
            logger.debug("%s enabled", feature)
    return problems


def check_slugs(slugs: list[str], policy: SlugPolicy) -> dict[str, dict[str, bool]]:
    return {s: policy.feature_map(s) for s in slugs}
