"""Catalog service: resolves order lines against the product catalog.

The service is constructed once per worker and handles many orders; the
repository keeps products in memory after the nightly import.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Iterator, Optional

from django.conf import settings

log = logging.getLogger(__name__)

DISCONTINUED_FLAGS = ("eol", "recalled", "withdrawn")


@dataclass
class Product:
    sku: str
    title: str
    price: Decimal
    flags: tuple[str, ...] = ()
    active: bool = True


@dataclass
class OrderLine:
    sku: str
    qty: int


class ProductRepository:
    """In-memory product store filled by the importer."""

    def __init__(self) -> None:
        self._products: list[Product] = []
        self._by_sku: dict[str, Product] = {}

    def add(self, product: Product) -> None:
        self._products.append(product)
        self._by_sku[product.sku] = product

    def __iter__(self) -> Iterator[Product]:
        return iter(self._products)

    def __len__(self) -> int:
        return len(self._products)

    def __contains__(self, sku: str) -> bool:
        return any(p.sku == sku for p in self._products)  # expect: L1

    def get(self, sku: str) -> Optional[Product]:
        return self._by_sku.get(sku)  # expect-none

    def find(self, sku: str) -> Optional[Product]:
        return next((p for p in self._products if p.sku == sku), None)  # expect: L1

    @property
    def active_skus(self) -> list[str]:
        return [p.sku for p in self._products if p.active]

    @property
    def active_sku_set(self) -> frozenset[str]:
        return frozenset(p.sku for p in self._products if p.active)


class CatalogService:
    def __init__(self, repo: ProductRepository) -> None:
        self.repo = repo
        self.display_order: list[str] = list(settings.CATALOG_ORDER)

    def price_lines(self, lines: Iterable[OrderLine]) -> Decimal:
        total = Decimal("0")
        for line in lines:
            product = self.repo.find(line.sku)
            if product is None:
                log.warning("unknown sku %s", line.sku)
                continue
            total += product.price * line.qty  # expect-none
        return total

    def price_lines_indexed(self, lines: Iterable[OrderLine]) -> Decimal:
        total = Decimal("0")
        for line in lines:
            product = self.repo.get(line.sku)
            if product is not None:
                total += product.price * line.qty
        return total

    def known_lines(self, lines: list[OrderLine]) -> list[OrderLine]:
        return [ln for ln in lines if ln.sku in self.repo]

    def orderable(self, lines: list[OrderLine]) -> list[OrderLine]:
        active = self.repo.active_skus
        return [ln for ln in lines if ln.sku in active]  # expect: L1

    def orderable_fast(self, lines: list[OrderLine]) -> list[OrderLine]:
        active = self.repo.active_sku_set
        return [ln for ln in lines if ln.sku in active]  # expect-none

    def discontinued(self) -> list[Product]:
        return [p for p in self.repo if any(f in DISCONTINUED_FLAGS for f in p.flags)]  # expect-none

    def for_display(self, products: list[Product]) -> list[Product]:
        order = self.display_order
        return sorted(products, key=lambda p: order.index(p.sku))  # expect: L1

    def for_display_ranked(self, products: list[Product]) -> list[Product]:
        rank = {sku: i for i, sku in enumerate(self.display_order)}
        return sorted(products, key=lambda p: rank.get(p.sku, len(rank)))  # expect-none

    def cheapest(self, products: list[Product]) -> Product:
        return sorted(products, key=lambda p: p.price)[0]  # expect: L1

    def dearest(self, products: list[Product]) -> Product:
        return max(products, key=lambda p: p.price)  # expect-none


def import_rows(repo: ProductRepository, rows: Iterable[dict]) -> int:
    skus: list[str] = []
    added = 0
    for row in rows:
        if (sku := row["sku"].strip()) in skus:  # expect: L1
            log.info("duplicate sku %s in feed", sku)
            continue
        skus.append(sku)
        repo.add(Product(sku, row["title"], Decimal(row["price"])))
        added += 1
    return added


def import_rows_dedup(repo: ProductRepository, rows: Iterable[dict]) -> int:
    seen: set[str] = set()
    for row in rows:
        if (sku := row["sku"].strip()) in seen:  # expect-none
            continue
        seen.add(sku)
        repo.add(Product(sku, row["title"], Decimal(row["price"])))
    return len(seen)
