"""Batch records of the brewery (Django 4.2): models, signal receivers, import job.

Receivers run inside the request or job that saved the row. A brew batch uses
~15 ingredient lots; the nightly sync imports ~3,000 lot movements from the ERP.
"""
import csv
import logging
from decimal import Decimal

from django.db import models, transaction
from django.db.models import F, Sum
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

log = logging.getLogger("brewery")

STYLES = ("ipa", "stout", "pils", "saison")


class Supplier(models.Model):
    name = models.CharField(max_length=120)
    country = models.CharField(max_length=2)


class Lot(models.Model):
    supplier = models.ForeignKey(Supplier, related_name="lots", on_delete=models.PROTECT)
    code = models.CharField(max_length=30, unique=True)
    ingredient = models.CharField(max_length=60)
    kilos_left = models.DecimalField(max_digits=9, decimal_places=2)


class Batch(models.Model):
    style = models.CharField(max_length=20)
    brewed_on = models.DateField()
    lots = models.ManyToManyField(Lot, related_name="batches", through="BatchLot")
    cost = models.DecimalField(max_digits=10, decimal_places=2, default=0)


class BatchLot(models.Model):
    batch = models.ForeignKey(Batch, related_name="usages", on_delete=models.CASCADE)
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT)
    kilos = models.DecimalField(max_digits=7, decimal_places=2)


class Tasting(models.Model):
    batch = models.ForeignKey(Batch, related_name="tastings", on_delete=models.CASCADE)
    panelist = models.CharField(max_length=60)
    score = models.PositiveSmallIntegerField()


@receiver(m2m_changed, sender=Batch.lots.through)
def lots_attached(sender, instance, action, pk_set, **kwargs):
    if action != "post_add":
        return
    for pk in pk_set:
        lot = Lot.objects.get(pk=pk)  # expect: L2
        log.info("batch %s uses lot %s", instance.pk, lot.code)


@receiver(m2m_changed, sender=Batch.lots.through)
def lots_audited(sender, instance, action, pk_set, **kwargs):
    if action == "post_add":
        lots = Lot.objects.in_bulk(pk_set)  # expect-none
        log.info("batch %s uses %s", instance.pk, ", ".join(l.code for l in lots.values()))


@receiver(post_save, sender=Batch)
def batch_costed(sender, instance, created, **kwargs):
    total = Decimal(0)
    for usage in instance.usages.all():
        total += usage.kilos * _price_per_kilo(usage.lot)  # expect: L2
    Batch.objects.filter(pk=instance.pk).update(cost=total)


def _price_per_kilo(lot: Lot) -> Decimal:
    return Decimal("2.40") if lot.supplier.country == "DE" else Decimal("3.10")


@receiver(post_save, sender=Tasting)
def tasting_recorded(sender, instance, created, **kwargs):
    if created:
        avg = instance.batch.tastings.aggregate(s=Sum("score"))["s"]  # expect-none
        log.info("batch %s now scores %s", instance.batch_id, avg)


@receiver(post_delete, sender=Batch)
def batch_removed(sender, instance, **kwargs):
    for usage in instance.usages.select_related("lot"):
        log.info("release %s kg of %s", usage.kilos, usage.lot.code)  # expect-none


def import_movements(path: str) -> int:
    moved = 0
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            lot = Lot.objects.get(code=row["lot"])  # expect: L2
            lot.kilos_left -= Decimal(row["kilos"])
            lot.save(update_fields=["kilos_left"])  # expect: L2
            moved += 1
    return moved


def import_movements_batched(path: str) -> int:
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_code = Lot.objects.in_bulk([r["lot"] for r in rows], field_name="code")  # expect-none
    for r in rows:
        by_code[r["lot"]].kilos_left -= Decimal(r["kilos"])
    Lot.objects.bulk_update(by_code.values(), ["kilos_left"])  # expect-none
    return len(rows)


def restock(codes: list[str], kilos: Decimal) -> None:
    with transaction.atomic():
        for code in codes:
            Lot.objects.filter(code=code).update(kilos_left=F("kilos_left") + kilos)  # expect: L2


def restock_once(codes: list[str], kilos: Decimal) -> None:
    Lot.objects.filter(code__in=codes).update(kilos_left=F("kilos_left") + kilos)  # expect-none


def style_report() -> dict[str, int]:
    return {s: Batch.objects.filter(style=s).count() for s in STYLES}  # expect-none


def supplier_sheet(batch: Batch) -> list[tuple[str, str]]:
    return [(u.lot.code, u.lot.supplier.name) for u in batch.usages.select_related("lot")]  # expect: L2
