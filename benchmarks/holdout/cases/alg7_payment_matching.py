"""Bank statement reconciliation.

Matches imported bank transactions against open invoices. A statement
has a few thousand lines; the open-invoice list is loaded per run.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Sequence

import structlog

log = structlog.get_logger(__name__)
std_log = logging.getLogger(__name__)

TOLERANCE = Decimal("0.01")


@dataclass
class Invoice:
    number: str
    customer_id: int
    amount: Decimal
    paid: Decimal = Decimal("0")


@dataclass
class Txn:
    ref: str
    amount: Decimal
    customer_id: int | None = None


@dataclass
class Customer:
    id: int
    name: str
    invoices: list[Invoice] = field(default_factory=list)

    def balance(self, txns: Sequence[Txn]) -> Decimal:
        received = sum(t.amount for t in txns if t.customer_id == self.id)  # expect: L1
        return sum((i.amount for i in self.invoices), Decimal("0")) - received


@dataclass
class MatchResult:
    matched: list[tuple[Txn, Invoice]] = field(default_factory=list)
    unmatched: list[Txn] = field(default_factory=list)


class Reconciler:
    def __init__(self, invoices: list[Invoice]) -> None:
        self.invoices = invoices
        self._by_number = {inv.number: inv for inv in invoices}

    def _invoice_for(self, txn: Txn) -> Invoice | None:
        for inv in self.invoices:  # expect: L1  # expect-span: 2
            if inv.number == txn.ref:
                return inv
        return None

    def match(self, txns: Iterable[Txn]) -> MatchResult:
        result = MatchResult()
        for txn in txns:
            inv = self._invoice_for(txn)
            if inv is None:
                result.unmatched.append(txn)
            else:
                result.matched.append((txn, inv))
        return result

    def match_indexed(self, txns: Iterable[Txn]) -> MatchResult:
        result = MatchResult()
        for txn in txns:
            if (inv := self._by_number.get(txn.ref)) is not None:  # expect-none
                result.matched.append((txn, inv))
            else:
                result.unmatched.append(txn)
        return result

    def has_payment(self, txns: list[Txn]) -> list[Invoice]:
        return list(filter(lambda inv: any(t.ref == inv.number for t in txns), self.invoices))  # expect: L1

    def has_payment_indexed(self, txns: list[Txn]) -> list[Invoice]:
        refs = {t.ref for t in txns}
        return [inv for inv in self.invoices if inv.number in refs]  # expect-none


def pair_by_customer(customers: list[Customer], txns: list[Txn]) -> list[tuple[str, Txn]]:
    return [  # expect: L1  # expect-span: 5
        (c.name, t)
        for c in customers
        for t in txns
        if t.customer_id == c.id
    ]


def pair_by_customer_grouped(customers: list[Customer], txns: list[Txn]) -> list[tuple[str, Txn]]:
    by_customer: dict[int, list[Txn]] = defaultdict(list)
    for t in txns:
        by_customer[t.customer_id].append(t)  # expect-none
    return [(c.name, t) for c in customers for t in by_customer.get(c.id, ())]


def balances(customers: list[Customer], txns: list[Txn]) -> dict[int, Decimal]:
    return {c.id: c.balance(txns) for c in customers}


def apply_payments(invoices: list[Invoice], txns: list[Txn]) -> None:
    for txn in txns:
        for inv in invoices:  # expect: L1  # expect-span: 2
            if inv.customer_id != txn.customer_id:
                continue
            if abs(inv.amount - inv.paid - txn.amount) <= TOLERANCE:
                inv.paid += txn.amount
                break


def settle(invoices: list[Invoice], txns: list[Txn]) -> int:
    settled = 0
    for txn in txns:
        hits = [inv for inv in invoices if inv.number == txn.ref]  # expect: L1
        if hits:
            hits[0].paid += txn.amount
            settled += 1
    return settled


def duplicate_refs(txns: list[Txn]) -> list[str]:
    refs = [t.ref for t in txns]
    return sorted({r for r in refs if refs.count(r) > 1})  # expect: L1


def split_large(txns: list[Txn], limit: Decimal) -> tuple[list[Txn], list[Txn]]:
    large = [t for t in txns if t.amount > limit]
    small = [t for t in txns if t not in large]  # expect: L1
    return large, small


def split_large_once(txns: list[Txn], limit: Decimal) -> tuple[list[Txn], list[Txn]]:
    large, small = [], []
    for t in txns:
        (large if t.amount > limit else small).append(t)  # expect-none
    return large, small
