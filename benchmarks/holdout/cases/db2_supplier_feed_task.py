import logging
from decimal import Decimal

from celery import shared_task
from django.db import transaction

from inventory.models import Category, PriceChange, Product, Supplier

logger = logging.getLogger(__name__)


def _parse(line: str) -> dict:
    sku, name, price, category = line.rstrip("\n").split(";")
    return {"sku": sku, "name": name, "price": Decimal(price), "category": category}


@shared_task
def ingest_feed(supplier_id: int, lines: list[str]) -> int:
    supplier = Supplier.objects.get(pk=supplier_id)  # expect-none
    touched = 0
    for rec in map(_parse, lines):
        category, _ = Category.objects.get_or_create(slug=rec["category"])  # expect: L2
        if Product.objects.filter(sku=rec["sku"], supplier=supplier).exists():  # expect: L2
            Product.objects.filter(sku=rec["sku"]).update(price=rec["price"], category=category)  # expect: L2
        else:
            Product.objects.create(sku=rec["sku"], name=rec["name"], price=rec["price"],  # expect: L2
                                   supplier=supplier, category=category)
        touched += 1
    return touched


@shared_task
def ingest_feed_bulk(supplier_id: int, lines: list[str]) -> int:
    records = [_parse(line) for line in lines]
    slugs = {r["category"] for r in records}
    Category.objects.bulk_create([Category(slug=s) for s in slugs], ignore_conflicts=True)  # expect-none
    categories = {c.slug: c for c in Category.objects.filter(slug__in=slugs)}  # expect-none
    existing = Product.objects.filter(supplier_id=supplier_id).in_bulk(  # expect-none
        [r["sku"] for r in records], field_name="sku"
    )
    new, changed = [], []
    for r in records:
        if (product := existing.get(r["sku"])) is not None:  # expect-none
            product.price, product.category = r["price"], categories[r["category"]]
            changed.append(product)
        else:
            new.append(Product(sku=r["sku"], name=r["name"], price=r["price"],  # expect-none
                               supplier_id=supplier_id, category=categories[r["category"]]))
    with transaction.atomic():
        Product.objects.bulk_create(new, batch_size=500)
        Product.objects.bulk_update(changed, ["price", "category"], batch_size=500)
    return len(records)


@shared_task
def log_price_changes(product_ids: list[int]) -> None:
    for pid in product_ids:
        last = PriceChange.objects.filter(product_id=pid).order_by("-at").first()  # expect: L2
        if last is not None:
            logger.info("product %s last changed %s", pid, last.at)
