"""Entitlement lookups backed by Redis.

``Entitlements`` is consulted by the API gateway middleware on every request and by
the nightly reconciliation job, which walks every tenant (~40k).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Iterator

from redis import Redis as RedisClient
from redis import asyncio as aioredis

log = logging.getLogger(__name__)

PREFIX = "ent:"
FEATURES = ("sso", "audit_log", "api_v2")


def _key(tenant: str) -> str:
    return f"{PREFIX}{tenant}"


class TenantPlans(Mapping[str, dict]):
    """Read-only mapping view over the plan hashes."""

    def __init__(self, client: RedisClient) -> None:
        self._r = client

    def __getitem__(self, tenant: str) -> dict:
        raw = self._r.hgetall(_key(tenant))
        if not raw:
            raise KeyError(tenant)
        return {k.decode(): v.decode() for k, v in raw.items()}

    def __iter__(self) -> Iterator[str]:
        for k in self._r.scan_iter(match=f"{PREFIX}*", count=1000):  # expect-none
            yield k.decode()[len(PREFIX):]

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class Entitlements:
    client: RedisClient
    cache: dict[str, bool] = field(default_factory=dict)

    def enabled(self, tenant: str, feature: str) -> bool:
        return bool(self.client.sismember(f"{_key(tenant)}:features", feature))

    def enabled_features(self, tenant: str) -> list[str]:
        return [f for f in FEATURES if self.enabled(tenant, f)]  # expect-none

    def enabled_for_all(self, tenants: Iterable[str], feature: str) -> list[str]:
        return [t for t in tenants if self.enabled(t, feature)]  # expect: L2

    def enabled_for_all_piped(self, tenants: list[str], feature: str) -> list[str]:
        with self.client.pipeline(transaction=False) as pipe:
            for t in tenants:
                pipe.sismember(f"{_key(t)}:features", feature)  # expect-none
            flags = pipe.execute()
        return [t for t, on in zip(tenants, flags) if on]


def plan_codes(plans: TenantPlans, tenants: Iterable[str]) -> dict[str, str]:
    return {t: plans[t].get("code", "free") for t in tenants}  # expect: L2


def seat_limits(client: RedisClient, tenants: list[str]) -> dict[str, int]:
    raw = client.mget([f"{_key(t)}:seats" for t in tenants])  # expect-none
    return {t: int(v or 0) for t, v in zip(tenants, raw)}


def seat_limits_slow(client: RedisClient, tenants: list[str]) -> dict[str, int]:
    out = {}
    for t in tenants:
        out[t] = int(client.get(f"{_key(t)}:seats") or 0)  # expect: L2
    return out


def grant(client: RedisClient, tenants: Iterable[str], *features: str) -> None:
    for tenant in tenants:
        client.sadd(f"{_key(tenant)}:features", *features)  # expect: L2
        client.expire(f"{_key(tenant)}:features", 86400 * 30)  # expect: L2


def store_snapshots(client: RedisClient, snapshots: Mapping[str, dict]) -> None:
    client.mset({f"{_key(t)}:snap": json.dumps(s) for t, s in snapshots.items()})  # expect-none


async def usage_totals(r: aioredis.Redis, tenants: list[str]) -> dict[str, int]:
    totals = {}
    for tenant in tenants:
        totals[tenant] = int(await r.hget(_key(tenant), "usage") or 0)  # expect: L2
    return totals


async def bump_usage(r: aioredis.Redis, counts: Mapping[str, int]) -> None:
    async with r.pipeline(transaction=False) as pipe:
        for tenant, n in counts.items():
            pipe.hincrby(_key(tenant), "usage", n)  # expect-none
        await pipe.execute()


def reconcile(client: RedisClient) -> int:
    plans = TenantPlans(client)
    fixed = 0
    for tenant in plans:
        plan = plans[tenant]  # expect: L2
        if plan.get("code") == "legacy":
            client.hset(_key(tenant), "code", "standard")  # expect: L2
            fixed += 1
    log.info("reconciled %d tenants", fixed)
    return fixed
