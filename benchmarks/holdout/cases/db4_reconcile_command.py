"""Management command reconciling warehouse bins; related managers and refreshed rows."""
from django.core.management.base import BaseCommand
from django.db import transaction

from stock.models import Bin, BinCount, Warehouse


class Command(BaseCommand):
    help = "Reconcile bin counts against the latest cycle count"

    def add_arguments(self, parser):
        parser.add_argument("warehouse")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        warehouse = Warehouse.objects.get(code=options["warehouse"])  # expect-none
        counted = BinCount.objects.filter(bin__warehouse=warehouse, applied=False)
        for count in counted:
            bin_ = warehouse.bins.get(pk=count.bin_id)  # expect: L2
            if bin_.quantity != count.quantity:
                self._apply(bin_, count, options["dry_run"])  # expect: L2

    def _apply(self, bin_, count, dry_run):
        if dry_run:
            self.stdout.write(f"{bin_.label}: {bin_.quantity} -> {count.quantity}")
            return
        bin_.quantity = count.quantity
        bin_.save(update_fields=["quantity"])
        count.applied = True
        count.save(update_fields=["applied"])

    def reconcile_fast(self, warehouse):
        counted = list(BinCount.objects.filter(bin__warehouse=warehouse, applied=False))
        bins = warehouse.bins.in_bulk([c.bin_id for c in counted])  # expect-none
        changed = []
        for count in counted:
            bin_ = bins[count.bin_id]  # expect-none
            if bin_.quantity != count.quantity:
                bin_.quantity = count.quantity
                changed.append(bin_)
        with transaction.atomic():
            Bin.objects.bulk_update(changed, ["quantity"])  # expect-none
            BinCount.objects.filter(pk__in=[c.pk for c in counted]).update(applied=True)  # expect-none

    def recheck(self, bins):
        stale = []
        for bin_ in bins:
            bin_.refresh_from_db(fields=["quantity"])  # expect: L2
            if bin_.quantity < 0:
                stale.append(bin_.label)
        return stale

    def labels(self, warehouse):
        return [b.zone.name + "/" + b.label for b in warehouse.bins.all()]  # expect: L2
