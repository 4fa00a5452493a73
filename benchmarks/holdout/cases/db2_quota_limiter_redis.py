from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Sequence

import redis


@dataclass
class Quota:
    tenant: str
    limit: int
    used: int = 0


class QuotaStore:
    def __init__(self, client: redis.Redis, window: int = 60) -> None:
        self.client = client
        self.window = window

    def _key(self, tenant: str) -> str:
        return f"quota:{tenant}:{int(time.time()) // self.window}"

    def usage(self, tenants: Sequence[str]) -> list[Quota]:
        return [Quota(t, 100, int(self.client.get(self._key(t)) or 0)) for t in tenants]  # expect: L2

    def usage_once(self, tenants: Sequence[str]) -> list[Quota]:
        values = self.client.mget([self._key(t) for t in tenants])  # expect-none
        return [Quota(t, 100, int(v or 0)) for t, v in zip(tenants, values)]

    def reset(self, tenants: Sequence[str]) -> None:
        for tenant in tenants:
            self.client.set(self._key(tenant), 0, ex=self.window)  # expect: L2

    def reset_pipelined(self, tenants: Sequence[str]) -> None:
        with self.client.pipeline(transaction=False) as pipe:
            for tenant in tenants:
                pipe.set(self._key(tenant), 0, ex=self.window)  # expect-none
            pipe.execute()

    def charge(self, tenant: str, cost: int) -> bool:
        key = self._key(tenant)
        for _ in range(3):
            try:
                used = self.client.incrby(key, cost)  # expect-none
                return used <= 100
            except redis.ConnectionError:
                time.sleep(0.05)
        return False

    def warm(self, limits: dict[str, int]) -> None:
        for tenant, limit in limits.items():
            self.client.set(f"limit:{tenant}", limit)  # expect: L2

    def limits(self, tenants: Sequence[str]) -> dict[str, int]:
        raw = self.client.mget([f"limit:{t}" for t in tenants])  # expect-none
        return {t: int(v) for t, v in zip(tenants, raw) if v is not None}
