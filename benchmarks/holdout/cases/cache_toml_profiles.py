import tomllib
from pathlib import Path

BASE_PROFILE = """
[editor]
tab_width = 4
theme = "light"

[sync]
interval = 300
"""
BASE = tomllib.loads(BASE_PROFILE)


def merged_profiles(user_docs: dict[str, str]) -> dict[str, dict]:
    merged = {}
    for user, doc in user_docs.items():
        base = tomllib.loads(BASE_PROFILE)  # expect: L3
        custom = tomllib.loads(doc)  # expect-none
        for section, values in custom.items():
            base.setdefault(section, {}).update(values)
        merged[user] = base
    return merged


def merged_profiles_v2(user_docs: dict[str, str]) -> dict[str, dict]:
    merged = {}
    for user, doc in user_docs.items():
        custom = tomllib.loads(doc)
        merged[user] = {s: {**BASE.get(s, {}), **custom.get(s, {})} for s in BASE.keys() | custom.keys()}  # expect-none
    return merged


def read_profile_dir(folder: Path) -> list[dict]:
    return [tomllib.loads(p.read_text()) for p in sorted(folder.glob("*.toml"))]  # expect-none
