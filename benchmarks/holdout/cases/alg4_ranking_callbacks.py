"""Search result ranking: boosts, blocks and ordering passed around as callbacks."""
import heapq
from functools import partial
from typing import Callable, Iterable

import pandas as pd

SORT_ORDER = ("pinned", "sponsored", "organic")


def is_blocked(doc: dict, blocked_ids: list[str]) -> bool:
    return doc["id"] in blocked_ids


def visible(docs: Iterable[dict], blocked_ids: list[str]) -> list[dict]:
    return list(filter(lambda d: d["id"] not in blocked_ids, docs))  # expect: L1


def visible_set(docs: Iterable[dict], blocked_ids: list[str]) -> list[dict]:
    blocked = frozenset(blocked_ids)
    return [d for d in docs if d["id"] not in blocked]  # expect-none


def boost_flags(docs: list[dict], editors_picks: list[str]) -> list[bool]:
    return list(map(lambda d: d["id"] in editors_picks, docs))  # expect: L1


def order_by_feed(docs: list[dict], feed_order: list[str]) -> list[dict]:
    return sorted(docs, key=lambda d: feed_order.index(d["id"]))  # expect: L1


def order_by_feed_rank(docs: list[dict], feed_order: list[str]) -> list[dict]:
    rank = {doc_id: i for i, doc_id in enumerate(feed_order)}
    return sorted(docs, key=lambda d: rank[d["id"]])  # expect-none


def order_by_kind(docs: list[dict]) -> list[dict]:
    return sorted(docs, key=lambda d: SORT_ORDER.index(d["kind"]))  # expect-none


def mark_discontinued(frame: pd.DataFrame, discontinued: list[str]) -> pd.DataFrame:
    frame["gone"] = frame["sku"].apply(lambda s: s in discontinued)  # expect: L1
    frame["gone_fast"] = frame["sku"].isin(discontinued)  # expect-none
    return frame


def merge_streams(streams: list[list[dict]]) -> list[dict]:
    merged = []
    for stream in streams:
        merged.extend(stream)
        merged.sort(key=lambda d: d["score"], reverse=True)  # expect: L1
    return merged


def merge_streams_heap(streams: list[list[dict]]) -> list[dict]:
    return list(heapq.merge(*streams, key=lambda d: -d["score"]))  # expect-none


def top_window(scores: Iterable[float]) -> list[float]:
    best: list[float] = []
    for s in scores:
        best.append(s)
        best.sort(reverse=True)  # expect-none
        del best[5:]
    return best


def filtered(docs: list[dict], pred: Callable[[dict], bool]) -> list[dict]:
    return [d for d in docs if pred(d)]


def apply_blocklist(docs: list[dict], blocked_ids: list[str]) -> list[dict]:
    return filtered(docs, partial(is_blocked, blocked_ids=blocked_ids))
