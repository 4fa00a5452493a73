"""Supplier feed enrichment worker (Celery).

Each supplier sends an XML product feed; the worker extracts the items,
maps supplier categories to ours (``category_map.yaml``) and publishes
enriched records.  ``enrich_feed`` runs once per uploaded feed; a feed holds
thousands of items.
"""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial

from celery import shared_task
from lxml import etree
from yaml import safe_load as yload

logger = logging.getLogger("feeds.enrich")

CATEGORY_MAP_YAML = """
Electronics/Phones: phones
Electronics/Laptops: computers
Home/Kitchen: kitchen
"""
PRICE_XPATH = "./offer/price[@currency='EUR']/text()"
DATE_FMT = "%d.%m.%Y"
UNIT_ALIASES = '{"pcs": "piece", "stk": "piece", "kg": "kilogram", "g": "gram"}'
_PRICE = etree.XPath(PRICE_XPATH)  # expect-none
_UNITS: dict[str, str] = json.loads(UNIT_ALIASES)  # expect-none


class Channel(StrEnum):
    WEB = "web"
    MARKETPLACE = "marketplace"
    PRINT = "print"


@dataclass(slots=True)
class Item:
    sku: str
    category: str
    price: float | None
    unit: str
    available_from: datetime | None


class CategoryMap:
    """``cmap[supplier_category]`` -> our category."""

    def __init__(self, source: str = CATEGORY_MAP_YAML) -> None:
        self.source = source
        self._table: dict[str, str] = yload(source)  # expect-none

    def __getitem__(self, key: str) -> str:
        return self._table.get(key, "uncategorised")


class LazyCategoryMap(CategoryMap):
    def __getitem__(self, key: str) -> str:
        table = yload(self.source)  # expect: L3
        return table.get(key, "uncategorised")


def _price(node: etree._Element) -> float | None:
    values = etree.XPath(PRICE_XPATH)(node)  # expect: L3
    return float(values[0]) if values else None


def _unit(node: etree._Element) -> str:
    raw = node.findtext("unit", "pcs").strip().lower()
    return json.loads(UNIT_ALIASES).get(raw, raw)  # expect: L3


def _available(node: etree._Element) -> datetime | None:
    match node.findtext("available"):
        case None | "":
            return None
        case "now":
            return datetime.strptime("01.01.1970", DATE_FMT)  # expect: L3
        case text:
            return datetime.strptime(text, DATE_FMT)  # expect-none


def _items(root: etree._Element, cmap: CategoryMap) -> Iterator[Item]:
    for node in root.iterfind("item"):
        yield Item(
            sku=node.get("sku"),
            category=cmap[node.findtext("category", "")],
            price=_price(node),
            unit=_unit(node),
            available_from=_available(node),
        )


def _make_cleaner(banned: Iterable[str]) -> Callable[[str], str]:
    words = list(banned)

    def clean(text: str) -> str:
        rx = re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, words)), re.I)  # expect: L3
        return rx.sub("", text)

    return clean


def _make_cleaner_compiled(banned: Iterable[str]) -> Callable[[str], str]:
    rx = re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, banned)), re.I)  # expect-none
    return partial(rx.sub, "")


def _sku_ok(sku: str, *, pattern: str = r"^[A-Z0-9]{4,12}$") -> bool:
    return re.fullmatch(pattern, sku) is not None


@shared_task(bind=True, max_retries=3)
def enrich_feed(self, feed_xml: bytes, banned: list[str]) -> int:
    root = etree.fromstring(feed_xml)
    clean = _make_cleaner(banned)
    items = list(_items(root, LazyCategoryMap()))
    titles = list(map(clean, (n.findtext("title", "") for n in root.iterfind("item"))))
    published = 0
    for item, title in zip(items, titles):
        if not _sku_ok(item.sku):
            logger.warning("bad sku %r", item.sku)
            continue
        for channel in Channel:
            rules = yload(CATEGORY_MAP_YAML)  # expect: L3
            logger.debug("%s %s %s %s", channel, item.sku, title, rules.get(item.category))
        published += 1
    return published


@shared_task
def enrich_feed_fast(feed_xml: bytes, banned: list[str]) -> int:
    root = etree.fromstring(feed_xml)  # expect-none
    clean = _make_cleaner_compiled(banned)
    cmap = CategoryMap()
    count = 0
    for node in root.iterfind("item"):
        prices = _PRICE(node)  # expect-none
        unit = _UNITS.get(node.findtext("unit", "pcs"), "piece")  # expect-none
        count += bool(prices and clean(node.findtext("title", "")) and cmap[node.findtext("category", "")] and unit)
    for channel in Channel:
        logger.info("published %d items to %s", count, channel.value)  # expect-none
    return count
