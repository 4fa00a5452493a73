"""Shopping cart domain objects and the promotion engine that reads them."""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator


@dataclass
class Line:
    sku: str
    qty: int
    price: Decimal


@dataclass
class Promotion:
    code: str
    sku: str
    percent: int


class Cart:
    def __init__(self) -> None:
        self._lines: list[Line] = []
        self._coupon_codes: set[str] = set()

    def add(self, line: Line) -> None:
        self._lines.append(line)

    @property
    def skus(self) -> list[str]:
        return [ln.sku for ln in self._lines]

    @property
    def sku_set(self) -> frozenset[str]:
        return frozenset(ln.sku for ln in self._lines)

    def __iter__(self) -> Iterator[Line]:
        return iter(self._lines)

    def has_coupon(self, code: str) -> bool:
        return code in self._coupon_codes  # expect-none


class SkuIndex:
    """Registry of known SKUs, filled from the catalogue feed."""

    def __init__(self) -> None:
        self._known: list[str] = []

    def register(self, sku: str) -> None:
        self._known.append(sku)

    def __contains__(self, sku: str) -> bool:
        return sku in self._known  # expect: L1


def applicable(cart: Cart, promos: list[Promotion]) -> list[Promotion]:
    return [p for p in promos if p.sku in cart.skus]  # expect: L1


def applicable_fast(cart: Cart, promos: list[Promotion]) -> list[Promotion]:
    in_cart = cart.sku_set
    return [p for p in promos if p.sku in in_cart]  # expect-none


def discounts(cart: Cart, promos: list[Promotion]) -> Decimal:
    total = Decimal(0)
    for line in cart:
        promo = next((p for p in promos if p.sku == line.sku), None)  # expect: L1
        if promo:
            total += line.price * line.qty * promo.percent / 100  # expect-none
    return total


def discounts_indexed(cart: Cart, promos: list[Promotion]) -> Decimal:
    by_sku = {p.sku: p for p in promos}
    total = Decimal(0)
    for line in cart:
        promo = by_sku.get(line.sku)  # expect-none
        if promo:
            total += line.price * line.qty * promo.percent / 100
    return total


def summary(cart: Cart) -> str:
    text = ""
    for line in cart:
        text = text + f"{line.sku} x{line.qty} @ {line.price}\n"
    return text
