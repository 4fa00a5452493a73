import sys

DEFAULT_PLUGINS = ["auth", "cache", "metrics"]
ENABLED = [p for p in DEFAULT_PLUGINS if p != "metrics"]

for name in ("auth", "cache"):
    if name in ENABLED:  # expect-none
        print("plugin", name)


def enabled_plugins(requested: list[str], blocked: list[str]) -> list[str]:
    return [p for p in requested if p not in blocked]  # expect: L1


def enabled_small(requested: list[str]) -> list[str]:
    return [p for p in requested if p in ["auth", "cache", "metrics"]]  # expect-none


def resolve(overrides: list[dict], defaults: list[dict]) -> list[dict]:
    merged = []
    for d in defaults:
        match = [o for o in overrides if o["key"] == d["key"]]  # expect: L1
        merged.append(match[0] if match else d)
    return merged


def resolve_indexed(overrides: list[dict], defaults: list[dict]) -> list[dict]:
    by_key = {o["key"]: o for o in overrides}
    return [by_key.get(d["key"], d) for d in defaults]  # expect-none


if __name__ == "__main__":
    wanted = sys.argv[1:]
    known = list(DEFAULT_PLUGINS)
    for w in wanted:
        if w not in known:  # expect-none
            print("unknown plugin", w)
