from functools import cache, lru_cache
from typing import Any


class TenantSettings:
    def __init__(self, repo, tenant_id: int):
        self.repo = repo
        self.tenant_id = tenant_id

    @property
    @lru_cache(maxsize=None)  # expect: L3  # expect-span: 2
    def branding(self) -> dict[str, Any]:
        return self.repo.load_branding(self.tenant_id)

    @property
    @cache  # expect: L3  # expect-span: 2
    def locale(self) -> str:
        return self.repo.load_locale(self.tenant_id) or "en"

    @lru_cache  # expect: L3  # expect-span: 2
    def feature(self, name: str) -> bool:
        return self.repo.feature_enabled(self.tenant_id, name)

    @classmethod
    @lru_cache(maxsize=64)  # expect-none  # expect-span: 2
    def defaults(cls) -> dict[str, Any]:
        return {"locale": "en", "theme": "light"}

    def feature_v2(self, name: str) -> bool:
        cache_key = (self.tenant_id, name)  # expect-none
        if cache_key not in _FEATURE_CACHE:
            _FEATURE_CACHE[cache_key] = self.repo.feature_enabled(self.tenant_id, name)
        return _FEATURE_CACHE[cache_key]


_FEATURE_CACHE: dict[tuple[int, str], bool] = {}
