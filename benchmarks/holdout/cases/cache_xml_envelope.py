import xml.etree.ElementTree as ET

from lxml import etree

DEFAULTS_XML = """<defaults><currency>EUR</currency><vat>0.19</vat><terms>30</terms></defaults>"""
DEFAULTS = ET.fromstring(DEFAULTS_XML)
LINE_TOTALS = etree.XPath("sum(//line/@amount)")


def normalise_orders(orders: list[dict]) -> list[dict]:
    result = []
    for order in orders:
        defaults = ET.fromstring(DEFAULTS_XML)  # expect: L3
        result.append({
            "currency": order.get("currency") or defaults.findtext("currency"),
            "vat": float(order.get("vat") or defaults.findtext("vat")),
        })
    return result


def normalise_orders_v2(orders: list[dict]) -> list[dict]:
    fallback_currency = DEFAULTS.findtext("currency")
    return [{**o, "currency": o.get("currency") or fallback_currency} for o in orders]  # expect-none


def totals(documents: list[bytes]) -> list[float]:
    sums = []
    for raw in documents:
        doc = etree.fromstring(raw)  # expect-none
        total = etree.XPath("sum(//line/@amount)")  # expect: L3
        sums.append(total(doc))
    return sums


def totals_v2(documents: list[bytes]) -> list[float]:
    return [LINE_TOTALS(etree.fromstring(raw)) for raw in documents]  # expect-none


def field_values(doc, field_names):
    # one expression per requested field: the path differs each time
    return {name: etree.XPath(f"string(//{name})")(doc) for name in field_names}  # expect-none
