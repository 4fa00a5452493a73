"""Reconciles the supplier feed with the warehouse catalogue."""
from pathlib import Path

WAREHOUSES = "north,south,east,west".split(",")


class StockSync:
    def __init__(self, repo, feed, clock):
        self.repo = repo
        self.feed = feed
        self.clock = clock
        self.catalog = {}
        self.locations = {}

    def refresh(self):
        self.catalog = {item["sku"]: item for item in self.repo.all_items()}
        self.locations = {item["sku"]: item["bin"] for item in self.repo.all_items()}

    def unknown_skus(self, rows):
        known = list(self.catalog.keys())
        return [r["sku"] for r in rows if r["sku"] not in known]  # expect: L1

    def unknown_skus_fast(self, rows):
        return [r["sku"] for r in rows if r["sku"] not in self.catalog]  # expect-none

    def unknown_skus_keys(self, rows):
        known = self.catalog.keys()
        return [r["sku"] for r in rows if r["sku"] not in known]  # expect-none

    def free_bins(self, candidates):
        free = []
        for bin_code in candidates:
            if bin_code in self.locations.values():  # expect: L1
                continue
            free.append(bin_code)
        return free

    def free_bins_fast(self, candidates):
        used = set(self.locations.values())
        return [b for b in candidates if b not in used]  # expect-none

    def valid_rows(self, rows):
        return [r for r in rows if r["warehouse"] in WAREHOUSES]  # expect-none

    def stamp(self, rows):
        now = self.clock.now()
        for r in rows:
            r["synced_at"] = f"{now:%Y-%m-%dT%H:%M:%S}"  # expect-none
        return rows


def apply_blocklist(rows: list[dict], blocklist_path: Path) -> list[dict]:
    blocked = blocklist_path.read_text().split()
    return [r for r in rows if r["supplier"] not in blocked]  # expect: L1


def apply_blocklist_set(rows: list[dict], blocklist_path: Path) -> list[dict]:
    blocked = set(blocklist_path.read_text().split())
    return [r for r in rows if r["supplier"] not in blocked]  # expect-none


def in_range(rows: list[dict], low: int, high: int) -> list[dict]:
    return [r for r in rows if r["qty"] in range(low, high)]  # expect-none
