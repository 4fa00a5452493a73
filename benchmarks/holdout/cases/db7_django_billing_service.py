"""Billing service layer for the customer portal (Django 4.2).

Views stay thin; everything below is called from views, DRF serializers and the
nightly ``close_period`` command. Invoices per account: a few hundred at most,
accounts per run: tens of thousands.
"""
import logging
from functools import lru_cache
from typing import Iterable, Iterator

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Prefetch, Sum

logger = logging.getLogger(__name__)

GRACE_DAYS = getattr(settings, "BILLING_GRACE_DAYS", 14)


class Plan(models.Model):
    code = models.SlugField(unique=True)
    monthly_cents = models.PositiveIntegerField()


class Account(models.Model):
    name = models.CharField(max_length=120)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT)
    owner_email = models.EmailField()
    suspended = models.BooleanField(default=False)


class Invoice(models.Model):
    class Status(models.TextChoices):
        OPEN = "open"
        PAID = "paid"
        VOID = "void"

    account = models.ForeignKey(Account, related_name="invoices", on_delete=models.CASCADE)
    status = models.CharField(max_length=8, choices=Status.choices)
    total_cents = models.PositiveIntegerField()

    def __str__(self):
        return f"#{self.pk} {self.account.name}"


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, related_name="payments", on_delete=models.CASCADE)
    amount_cents = models.PositiveIntegerField()


def _plan_price(account: Account) -> int:
    return Plan.objects.get(pk=account.plan_id).monthly_cents


@lru_cache(maxsize=64)
def _plan_price_cached(plan_id: int) -> int:
    return Plan.objects.get(pk=plan_id).monthly_cents  # expect-none


def _has_open(account: Account) -> bool:
    return account.invoices.filter(status=Invoice.Status.OPEN).exists()


class StatementRows:
    """Iterable of CSV rows for an account statement export."""

    def __init__(self, account: Account):
        self.account = account

    def __iter__(self) -> Iterator[list]:
        for inv in self.account.invoices.all():
            paid = inv.payments.aggregate(s=Sum("amount_cents"))["s"] or 0  # expect: L2
            yield [inv.pk, inv.status, inv.total_cents, paid]


class BillingService:
    def projected_revenue(self, accounts: Iterable[Account]) -> int:
        return sum(map(_plan_price, accounts))  # expect: L2

    def projected_revenue_cached(self, accounts: Iterable[Account]) -> int:
        return sum(_plan_price_cached(a.plan_id) for a in accounts)  # expect-none

    def accounts_with_open_invoices(self) -> list[Account]:
        return list(filter(_has_open, Account.objects.all()))  # expect: L2

    def accounts_with_open_invoices_annotated(self) -> list[Account]:
        qs = Account.objects.annotate(open_n=Count("invoices", filter=models.Q(invoices__status="open")))  # expect-none
        return [a for a in qs if a.open_n]

    def invoice_titles(self, status: str) -> list[str]:
        return [str(inv) for inv in Invoice.objects.filter(status=status)]  # expect: L2

    def invoice_titles_joined(self, status: str) -> list[str]:
        return [str(inv) for inv in Invoice.objects.select_related("account").filter(status=status)]  # expect-none

    def owners(self, invoice_ids: list[int]) -> list[str]:
        emails = []
        for pk in invoice_ids:
            if (inv := Invoice.objects.filter(pk=pk).first()) is not None:  # expect: L2
                emails.append(inv.account.owner_email)  # expect: L2
        return emails

    def owners_bulk(self, invoice_ids: list[int]) -> list[str]:
        found = Invoice.objects.select_related("account").in_bulk(invoice_ids)  # expect-none
        return [found[pk].account.owner_email for pk in invoice_ids if pk in found]

    def apply_events(self, events: list[dict]) -> None:
        for event in events:
            match event:
                case {"type": "payment", "invoice": pk, "amount": amount}:
                    Payment.objects.create(invoice_id=pk, amount_cents=amount)  # expect: L2
                case {"type": "void", "invoice": pk}:
                    Invoice.objects.filter(pk=pk).update(status=Invoice.Status.VOID)  # expect: L2
                case _:
                    logger.info("ignored %s", event.get("type"))

    def apply_payments_bulk(self, events: list[dict]) -> None:
        Payment.objects.bulk_create(  # expect-none
            [Payment(invoice_id=e["invoice"], amount_cents=e["amount"]) for e in events if e["type"] == "payment"]
        )

    def totals_by_status(self) -> dict[str, int]:
        return {s: Invoice.objects.filter(status=s).count() for s in Invoice.Status.values}  # expect-none

    def suspend(self, accounts: Iterable[Account]) -> int:
        n = 0
        for account in accounts:
            with transaction.atomic():
                account.suspended = True
                account.save(update_fields=["suspended"])  # expect: L2
            n += 1
        return n

    def statement_accounts(self) -> list[Account]:
        invoices = Prefetch("invoices", queryset=Invoice.objects.prefetch_related("payments"))
        accounts = list(Account.objects.prefetch_related(invoices))  # expect-none
        for account in accounts:
            account.invoice_count = len(account.invoices.all())  # expect-none
        return accounts
