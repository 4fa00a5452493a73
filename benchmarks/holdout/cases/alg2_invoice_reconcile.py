"""Matches bank payments to invoices for the accounts-receivable service."""
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import attrgetter


@dataclass(frozen=True)
class Invoice:
    number: str
    customer: str
    amount_cents: int
    issued: date


@dataclass(frozen=True)
class Payment:
    reference: str
    amount_cents: int
    received: date


class Reconciler:
    def __init__(self, ledger, notifier):
        self.ledger = ledger
        self.notifier = notifier

    def match(self, invoices: list[Invoice], payments: list[Payment]) -> list[tuple[Invoice, Payment]]:
        pairs = []
        for idx, inv in enumerate(invoices):
            for pay in payments:  # expect: L1  # expect-span: 2
                if pay.reference == inv.number:
                    pairs.append((inv, pay))
                    break
        return pairs

    def unpaid(self, invoices, payments):
        return [inv for inv in invoices if not any(p.reference == inv.number for p in payments)]  # expect: L1

    def payment_for(self, invoices: list[Invoice], payments: list[Payment]) -> dict[str, Payment | None]:
        return {
            inv.number: next((p for p in payments if p.reference == inv.number), None)  # expect: L1
            for inv in invoices
        }

    def match_indexed(self, invoices: list[Invoice], payments: list[Payment]) -> list[tuple[Invoice, Payment]]:
        by_ref = {p.reference: p for p in payments}
        return [(inv, by_ref[inv.number]) for inv in invoices if inv.number in by_ref]  # expect-none

    def received_after_issue(self, invoices: list[Invoice], payments: list[Payment]):
        return [(i, p) for i in invoices for p in payments if p.received > i.issued]  # expect-none

    def post(self, invoices: list[Invoice], payments: list[Payment]) -> None:
        for inv, pay in self.match_indexed(invoices, payments):
            self.ledger.settle(inv.number, pay.amount_cents)
        if (missing := len(invoices) - len(payments)) > 0:
            self.notifier.warn(f"{missing} invoices without a payment")


def totals_by_customer(invoices: list[Invoice]) -> dict[str, int]:
    ordered = sorted(invoices, key=attrgetter("customer"))  # expect-none
    return {
        cust: sum(i.amount_cents for i in grp)  # expect-none
        for cust, grp in groupby(ordered, key=attrgetter("customer"))
    }


def short_payments(invoices: list[Invoice], payments: list[Payment]) -> list[str]:
    flagged = []
    for inv, pay in zip(invoices, payments):
        if pay.amount_cents < inv.amount_cents:  # expect-none
            flagged.append(inv.number)
    return flagged
