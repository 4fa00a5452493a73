"""A thin object model over a remote catalog API (iterators, properties, callbacks)."""
import logging
from dataclasses import dataclass
from typing import Iterator

import requests

log = logging.getLogger(__name__)
API = "https://catalog.example.com/api"
SIZES = ("S", "M", "L", "XL")


@dataclass
class Item:
    sku: str

    def stock(self) -> int:
        return requests.get(f"{API}/stock/{self.sku}", timeout=3).json()["qty"]  # expect: L4


class RemoteCatalog:
    def __init__(self, skus: list[str]):
        self.skus = skus

    def __iter__(self) -> Iterator[dict]:
        for sku in self.skus:
            yield requests.get(f"{API}/items/{sku}", timeout=3).json()  # expect: L4

    def pages(self) -> Iterator[dict]:
        url = f"{API}/items?limit=500"
        while url:
            page = requests.get(url, timeout=10).json()  # expect-none
            yield from page["results"]
            url = page.get("next")


class PooledCatalog:
    def __init__(self, skus: list[str]):
        self.skus = skus
        self.http = requests.Session()

    def __iter__(self) -> Iterator[dict]:
        for sku in self.skus:
            yield self.http.get(f"{API}/items/{sku}", timeout=3).json()  # expect-none


def most_popular(skus: list[str]) -> list[str]:
    return sorted(skus, key=lambda s: requests.get(f"{API}/popularity/{s}").json()["rank"])  # expect: L4


def size_chart(sku: str) -> dict:
    return {size: requests.get(f"{API}/items/{sku}/sizes/{size}").json() for size in SIZES}  # expect-none


def titles(catalog: RemoteCatalog) -> list[str]:
    return [item["title"] for item in catalog]  # expect-none


def restock_report(items: list[Item]) -> list[str]:
    low = []
    for item in items:
        qty = item.stock()
        if qty < 5:
            low.append(item.sku)
        log.debug(f"{item.sku}: {qty} left")  # expect: L4
    return low


def describe(items: list[Item]) -> None:
    for item in items:
        log.debug("checking %s", item.sku)  # expect-none
