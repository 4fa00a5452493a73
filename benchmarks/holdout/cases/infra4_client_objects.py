"""Price sync spread over small classes: properties, __getitem__, key callbacks, helpers."""
import sqlite3
from functools import cached_property

import redis
import requests

PRICE_API = "https://prices.partner.example"


class PartnerGateway:
    def __init__(self, token):
        self.token = token

    @property
    def http(self):
        s = requests.Session()  # expect: L5
        s.headers["Authorization"] = f"Bearer {self.token}"
        return s

    def fetch_prices(self, skus):
        return {sku: self.http.get(f"{PRICE_API}/prices/{sku}").json() for sku in skus}


class CachedGateway:
    def __init__(self, token):
        self.token = token

    @cached_property
    def http(self):
        s = requests.Session()  # expect-none
        s.headers["Authorization"] = f"Bearer {self.token}"
        return s

    def fetch_prices(self, skus):
        return {sku: self.http.get(f"{PRICE_API}/prices/{sku}").json() for sku in skus}


class PriceBook:
    def __init__(self, path):
        self.path = path

    def __len__(self):
        with sqlite3.connect(self.path) as db:  # expect-none
            return db.execute("SELECT COUNT(*) FROM prices").fetchone()[0]

    def __getitem__(self, i):
        db = sqlite3.connect(self.path)  # expect: L5
        try:
            return db.execute("SELECT sku, cents FROM prices WHERE rowid = ?", (i + 1,)).fetchone()
        finally:
            db.close()

    def __iter__(self):
        db = sqlite3.connect(self.path)  # expect-none
        try:
            yield from db.execute("SELECT sku, cents FROM prices ORDER BY rowid")
        finally:
            db.close()


def changed_prices(book: PriceBook, current: dict):
    return [book[i] for i in range(len(book)) if book[i][1] != current.get(book[i][0])]


def popularity(sku):
    r = redis.Redis(host="cache", port=6379, db=2)  # expect: L5
    return float(r.zscore("popular", sku) or 0.0)


def ranked(skus):
    return sorted(skus, key=popularity, reverse=True)


def ranked_shared(skus, r: redis.Redis):
    scores = dict(zip(skus, r.zmscore("popular", skus)))  # expect-none
    return sorted(skus, key=lambda s: scores[s] or 0.0, reverse=True)


def _post(sku, cents):
    with requests.Session() as s:  # expect: L5
        s.post(f"{PRICE_API}/prices/{sku}", json={"cents": cents}, timeout=5)


def _push_row(row):
    _post(row[0], row[1])

def push_changes(book: PriceBook):
    for row in book:
        _push_row(row)
