"""Monthly statements for the billing app: a service object used by views and a task."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from billing.models import Account, Invoice, Payment


@dataclass
class StatementLine:
    number: str
    customer: str
    city: str
    total: Decimal
    notes: str = ""
    tags: list[str] = field(default_factory=list)


class StatementService:
    def __init__(self, currency: str = "EUR") -> None:
        self.currency = currency

    def lines_for(self, period: str) -> list[StatementLine]:
        invoices = Invoice.objects.filter(period=period).select_related("account")
        lines = []
        for inv in invoices:
            lines.append(
                StatementLine(
                    number=inv.number,
                    customer=inv.account.name,  # expect-none
                    city=inv.account.billing_address.city,  # expect: L2
                    total=inv.total,
                )
            )
        return lines

    def lines_joined(self, period: str) -> list[StatementLine]:
        invoices = Invoice.objects.filter(period=period).select_related("account__billing_address")
        return [
            StatementLine(inv.number, inv.account.name, inv.account.billing_address.city, inv.total)  # expect-none
            for inv in invoices
        ]

    def compact(self, period: str) -> list[tuple[str, str]]:
        rows = Invoice.objects.filter(period=period).only("id", "number")
        return [(inv.number, inv.internal_notes) for inv in rows]  # expect: L2

    def compact_ok(self, period: str) -> list[tuple[str, str]]:
        rows = Invoice.objects.filter(period=period).only("id", "number", "internal_notes")
        return [(inv.number, inv.internal_notes) for inv in rows]  # expect-none

    def tag_names(self, period: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for inv in Invoice.objects.filter(period=period):
            out[inv.number] = [t.label for t in inv.tags.all()]  # expect: L2
        return out

    def account_totals(self) -> dict[int, Decimal]:
        accounts = Account.objects.annotate(n=Count("invoices"), paid=Sum("payments__amount"))
        return {a.pk: a.paid or Decimal(0) for a in accounts if a.n}  # expect-none

    def reconcile(self, payment_ids: list[int]) -> int:
        settled = 0
        for idx, payment in enumerate(Payment.objects.filter(pk__in=payment_ids)):
            payment.refresh_from_db()  # expect: L2
            if payment.invoice_id is None:  # expect-none
                continue
            settled += 1
        return settled

    def export_csv(self, period: str) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf)
        for line in self.lines_joined(period):
            writer.writerow([line.number, line.customer, f"{line.total} {self.currency}"])  # expect-none
        return buf.getvalue()
