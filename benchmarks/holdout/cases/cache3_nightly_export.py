"""Nightly export job: SQLAlchemy ORM rows to an XML feed (script with main())."""
import datetime
import json
import xml.etree.ElementTree as ET

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from shop.models import Product

ENGINE = create_engine("postgresql://localhost/shop")
Session = sessionmaker(bind=ENGINE)

DEFAULTS = '{"currency": "EUR", "vat": 0.2, "stock": 0}'
ITEM_XML = "<item><id/><title/><price/><currency/></item>"
FEED_START = "2015-01-01"
COLUMNS = ("id", "title", "price")

DEFAULT_ATTRS = json.loads(DEFAULTS)  # expect-none
FEED_EPOCH = datetime.datetime.strptime(FEED_START, "%Y-%m-%d")  # expect-none


def build_items(rows):
    out = []
    for row in rows:
        attrs = json.loads(DEFAULTS)  # expect: L3
        attrs.update(json.loads(row.extra or "{}"))  # expect-none
        item = ET.fromstring(ITEM_XML)  # expect: L3
        item.find("id").text = str(row.id)
        item.find("title").text = row.title
        item.find("price").text = "%.2f" % row.price
        item.find("currency").text = attrs["currency"]
        out.append(item)
    return out


def build_items_v2(rows):
    out = []
    for row in rows:
        attrs = dict(DEFAULT_ATTRS)
        attrs.update(json.loads(row.extra or "{}"))  # expect-none
        item = ET.Element("item")
        for col in COLUMNS:
            ET.SubElement(item, col).text = str(getattr(row, col))
        out.append(item)
    return out


def fresh(rows):
    keep = []
    i = 0
    while i < len(rows):
        since = datetime.datetime.strptime(FEED_START, "%Y-%m-%d")  # expect: L3
        if rows[i].updated_at >= since:
            keep.append(rows[i])
        i += 1
    return keep


def fresh_v2(rows):
    return [r for r in rows if r.updated_at >= FEED_EPOCH]  # expect-none


def main():
    session = Session()
    rows = session.query(Product).filter(Product.active.is_(True)).all()
    root = ET.Element("feed")
    root.extend(build_items(fresh(rows)))
    ET.ElementTree(root).write("feed.xml")
    started = datetime.datetime.strptime(FEED_START, "%Y-%m-%d")  # expect-none
    print("exported %d items since %s" % (len(rows), started))


if __name__ == "__main__":
    main()
