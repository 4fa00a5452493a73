"""Tag registry for the content API.

Articles carry free-form tags; editors maintain block lists and aliases.
The registry is rebuilt from the database at startup and then queried for
every article the API serialises.
"""
from __future__ import annotations

import logging
import typing as t
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

logger = logging.getLogger(__name__)

RESERVED = frozenset({"draft", "internal", "embargoed"})


class Section(str, Enum):
    NEWS = "news"
    SPORT = "sport"
    CULTURE = "culture"


@dataclass(slots=True)
class Article:
    id: int
    title: str
    tags: list[str] = field(default_factory=list)
    section: Section = Section.NEWS


class OrderedTags:
    """Tags in insertion order, addressable by name."""

    def __init__(self, names: t.Iterable[str] = ()) -> None:
        self._names: t.List[str] = []
        for n in names:
            self.add(n)

    def add(self, name: str) -> None:
        if name not in self._names:  # expect: L1
            self._names.append(name)

    def __getitem__(self, name: str) -> int:
        return self._names.index(name)  # expect: L1

    def __iter__(self) -> t.Iterator[str]:
        return iter(self._names)


class TagRegistry:
    def __init__(self, blocked: t.Sequence[str], aliases: dict[str, str]) -> None:
        self.blocked: list[str] = [b.lower() for b in blocked]
        self.blocked_set = frozenset(self.blocked)
        self.aliases = aliases
        self.order = OrderedTags()

    def canonical(self, tag: str) -> str:
        return self.aliases.get(tag, tag)  # expect-none

    def visible_tags(self, article: Article) -> list[str]:
        return [tg for tg in map(self.canonical, article.tags) if tg not in self.blocked]  # expect: L1

    def visible_tags_fast(self, article: Article) -> list[str]:
        return [tg for tg in map(self.canonical, article.tags) if tg not in self.blocked_set]  # expect-none

    def positions(self, article: Article) -> list[int]:
        return [self.order[tg] for tg in article.tags]

    def serialise(self, articles: t.Iterable[Article]) -> list[dict]:
        return [
            {"id": a.id, "tags": self.visible_tags(a), "pos": self.positions(a)}
            for a in articles
        ]


def strip_tags(articles: list[Article], *, exclude: list[str]) -> None:
    for art in articles:
        art.tags = [tg for tg in art.tags if tg not in exclude]  # expect: L1


def strip_reserved(articles: list[Article]) -> None:
    for art in articles:
        art.tags = [tg for tg in art.tags if tg not in RESERVED]  # expect-none


def by_section(articles: list[Article]) -> dict[str, int]:
    counts = {}
    for s in Section:
        counts[s.value] = sum(1 for a in articles if a.section is s)  # expect-none
    return counts


def route_events(events: t.Iterable[dict]) -> list[int]:
    accepted: list[int] = []
    for ev in events:
        match ev:
            case {"type": "publish", "id": int(aid)} if aid not in accepted:  # expect: L1
                accepted.append(aid)
            case {"type": "retract", "id": int(aid)}:
                if aid in accepted:  # expect: L1
                    accepted.remove(aid)  # expect: L1
            case _:
                logger.debug("ignored %r", ev)
    return accepted


def route_events_set(events: t.Iterable[dict]) -> set[int]:
    accepted: set[int] = set()
    for ev in events:
        match ev:
            case {"type": "publish", "id": int(aid)} if aid not in accepted:  # expect-none
                accepted.add(aid)
            case {"type": "retract", "id": int(aid)}:
                accepted.discard(aid)
    return accepted


def tag_frequencies(articles: list[Article]) -> dict[str, int]:
    words = [tg for a in articles for tg in a.tags]
    return {w: words.count(w) for w in set(words)}  # expect: L1


def tag_frequencies_counter(articles: list[Article]) -> dict[str, int]:
    return dict(Counter(tg for a in articles for tg in a.tags))  # expect-none


def is_known_section(name: str) -> bool:
    return name in [s.value for s in Section]  # expect-none


def popular(articles: list[Article], top: int = 10) -> list[str]:
    freq = Counter(tg for a in articles for tg in a.tags)
    return [w for w, _ in sorted(freq.items(), key=lambda kv: kv[1], reverse=True)[:top]]  # expect-none
