"""Import supplier price feeds (XML) and re-publish them through an XSLT view."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator

from flask import Flask, Response
from lxml import etree

app = Flask(__name__)

FEED_XSLT = Path(__file__).with_name("feed_to_html.xsl")
ACK_TEMPLATE = "<ack><supplier/><count>0</count></ack>"
FIELD_PATHS = {"sku": "string(./sku)", "price": "number(./price)", "stock": "number(./qty)"}

_price_path = etree.XPath("//item[@active='1']/price/text()")  # expect-none
_transform = etree.XSLT(etree.parse(str(FEED_XSLT)))  # expect-none
_field_xpaths = {name: etree.XPath(expr) for name, expr in FIELD_PATHS.items()}  # expect-none


def prices(documents: list[bytes]) -> Iterator[float]:
    for raw in documents:
        doc = etree.fromstring(raw)  # expect-none
        find_prices = etree.XPath("//item[@active='1']/price/text()")  # expect: L3
        yield from (float(p) for p in find_prices(doc))


def prices_v2(documents: list[bytes]) -> Iterator[float]:
    for raw in documents:
        yield from map(float, _price_path(etree.fromstring(raw)))  # expect-none


def rows(doc: etree._Element) -> list[dict]:
    out = []
    for item in doc.iterfind("item"):
        out.append({name: xp(item) for name, xp in _field_xpaths.items()})  # expect-none
    return out


def acks(batches: dict[str, int]) -> list[bytes]:
    out = []
    for supplier, count in batches.items():
        ack = ET.fromstring(ACK_TEMPLATE)  # expect: L3
        ack.find("supplier").text = supplier
        ack.find("count").text = str(count)
        out.append(ET.tostring(ack))
    return out


@app.get("/feeds/<supplier>.html")
def feed_page(supplier: str) -> Response:
    transform = etree.XSLT(etree.parse(str(FEED_XSLT)))  # expect: L3
    doc = etree.parse(f"/srv/feeds/{supplier}.xml")
    return Response(str(transform(doc)), mimetype="text/html")


@app.get("/v2/feeds/<supplier>.html")
def feed_page_v2(supplier: str) -> Response:
    doc = etree.parse(f"/srv/feeds/{supplier}.xml")
    return Response(str(_transform(doc)), mimetype="text/html")  # expect-none


def custom_field(docs: list[bytes], expressions: list[str]) -> list[list]:
    results = []
    for expr in expressions:
        finder = etree.XPath(expr)  # expect-none
        results.append([finder(etree.fromstring(d)) for d in docs])
    return results
