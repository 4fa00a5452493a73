import csv

from django.core.management.base import BaseCommand
from django.db import transaction

from procurement.models import Supplier, SupplierTag


class Command(BaseCommand):
    help = "Import suppliers from a CSV export of the ERP"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--replace", action="store_true")

    def handle(self, *args, path, replace=False, **opts):
        with open(path, newline="") as fh:
            rows = list(csv.DictReader(fh))
        if replace:
            self._upsert_each(rows)
        else:
            self._bulk_insert(rows)

    def _upsert_each(self, rows):
        for row in rows:
            supplier, _ = Supplier.objects.update_or_create(  # expect: L2  # expect-span: 4
                erp_code=row["code"],
                defaults={"name": row["name"], "country": row["country"]},
            )
            tag, _ = SupplierTag.objects.get_or_create(label=row["category"])  # expect: L2
            supplier.tags.add(tag)  # expect: L2

    @transaction.atomic
    def _bulk_insert(self, rows):
        suppliers = [Supplier(erp_code=r["code"], name=r["name"], country=r["country"]) for r in rows]  # expect-none
        Supplier.objects.bulk_create(suppliers, batch_size=500)  # expect-none
        for label in ("preferred", "on-hold", "new"):
            SupplierTag.objects.get_or_create(label=label)  # expect-none
