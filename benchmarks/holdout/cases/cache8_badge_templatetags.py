"""Template tags of the ``badges`` app (``{% load badges %}``).

Public API: the filters ``badge_label``, ``due_in``, ``plain_title`` and the
tags ``badge_list`` / ``award_summary``.  Templates call them once per row of
the leaderboard and per award on the profile page; the heavy lifting lives in
the small helper classes below so that the management command can reuse it.
"""
from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from django import template
from django.utils.html import format_html

register = template.Library()

TIER_COLOURS_JSON = '{"bronze": "#cd7f32", "silver": "#c0c0c0", "gold": "#ffd700"}'
SEASON_END = "2027-06-30"
MUTED_WORDS = ("beta", "internal", "legacy", "deprecated", "test")
STRIP_CHARS = string.punctuation.replace("-", "")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

_TIER_COLOURS = json.loads(TIER_COLOURS_JSON)  # expect-none
_SEASON_END = datetime.strptime(SEASON_END, "%Y-%m-%d").date()  # expect-none
_MUTED_RE = re.compile(r"\b(?:%s)\b" % "|".join(MUTED_WORDS), re.I)  # expect-none
_STRIP_TABLE = str.maketrans("", "", STRIP_CHARS)  # expect-none


@dataclass
class BadgeView:
    slug: str
    tier: str
    title: str
    awarded: date | None = None


class Palette:
    """Resolves a tier to its colour; one instance per call site."""

    def colour(self, tier: str) -> str:
        table = json.loads(TIER_COLOURS_JSON)  # expect: L3
        return table.get(tier, "#999999")

    def colour_fast(self, tier: str) -> str:
        return _TIER_COLOURS.get(tier, "#999999")  # expect-none


class TitleCleaner:
    def clean(self, title: str) -> str:
        pattern = re.compile(r"\b(?:%s)\b" % "|".join(MUTED_WORDS), re.I)  # expect: L3
        table = str.maketrans("", "", STRIP_CHARS)  # expect: L3
        return pattern.sub("", title).translate(table).strip()

    def clean_fast(self, title: str) -> str:
        return _MUTED_RE.sub("", title).translate(_STRIP_TABLE).strip()  # expect-none


def _season_days_left(today: date) -> int:
    end = datetime.strptime(SEASON_END, "%Y-%m-%d").date()  # expect: L3
    return max((end - today).days, 0)


def _parse_awarded(raw: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()  # expect-none
        except ValueError:
            continue
    return None


@register.filter
def badge_label(badge: BadgeView) -> str:
    colour = Palette().colour(badge.tier)
    return format_html('<span style="color:{}">{}</span>', colour, badge.title)


@register.filter
def plain_title(badge: BadgeView) -> str:
    return TitleCleaner().clean(badge.title)


@register.filter
def due_in(badge: BadgeView) -> str:
    return f"{_season_days_left(date.today())} days"


@register.filter
def due_in_fast(badge: BadgeView) -> str:
    return f"{max((_SEASON_END - date.today()).days, 0)} days"  # expect-none


@register.simple_tag
def award_summary(raw_dates: list[str]) -> str:
    parsed = [_parse_awarded(r) for r in raw_dates]
    return ", ".join(d.isoformat() for d in parsed if d)


class RankCalculator:
    """Counts the ways a player can reach a score with 1/2/3-point badges."""

    def __init__(self, points: tuple[int, ...] = (1, 2, 3)) -> None:
        self.points = points

    @lru_cache(maxsize=None)  # expect: L3  # expect-span: 2
    def ways(self, score: int) -> int:
        if score == 0:
            return 1
        return sum(self.ways(score - p) for p in self.points if p <= score)


@lru_cache(maxsize=512)  # expect-none  # expect-span: 2
def ways_to_reach(score: int, points: tuple[int, ...] = (1, 2, 3)) -> int:
    if score == 0:
        return 1
    return sum(ways_to_reach(score - p, points) for p in points if p <= score)


@register.inclusion_tag("badges/list.html")
def badge_list(badges: list[BadgeView], target: int) -> dict:
    return {
        "rows": [(b, RankCalculator().ways(target)) for b in badges],
        "paths": ways_to_reach(target),
    }

