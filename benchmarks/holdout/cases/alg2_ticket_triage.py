"""Applies support-desk events to the open-ticket index and builds tag stats."""
from collections import Counter
from enum import Enum

ESCALATION_TAGS = ("outage", "security", "data-loss")


class Priority(Enum):
    LOW = 1
    NORMAL = 2
    HIGH = 3


class TriageService:
    def __init__(self, store, pager):
        self.store = store
        self.pager = pager
        self.open_ids: list[int] = []

    def load(self) -> None:
        for ticket in self.store.open_tickets():
            self.open_ids.append(ticket["id"])

    def apply_events(self, events: list[dict]) -> int:
        handled = 0
        for event in events:
            match event:
                case {"type": "closed", "ticket": tid}:
                    if tid in self.open_ids:  # expect: L1
                        self.open_ids.remove(tid)  # expect: L1
                        handled += 1
                case {"type": "reopened", "ticket": tid}:
                    self.open_ids.append(tid)
                case {"type": "tagged", "tags": tags} if any(t in ESCALATION_TAGS for t in tags):  # expect-none
                    self.pager.page(event)
        return handled

    def priority_of(self, ticket: dict) -> Priority:
        if (label := ticket.get("label", "")) in [p.name.lower() for p in Priority]:  # expect-none
            return Priority[label.upper()]
        return Priority.NORMAL


class IndexedTriage:
    def __init__(self, store):
        self.store = store
        self.open_ids: set[int] = {t["id"] for t in store.open_tickets()}

    def close_all(self, ids: list[int]) -> int:
        before = len(self.open_ids)
        for tid in ids:
            self.open_ids.discard(tid)  # expect-none
        return before - len(self.open_ids)


def tag_histogram(tickets: list[dict]) -> dict[str, int]:
    all_tags = [tag for t in tickets for tag in t["tags"]]
    return {tag: all_tags.count(tag) for tag in set(all_tags)}  # expect: L1


def tag_histogram_counter(tickets: list[dict]) -> dict[str, int]:
    return dict(Counter(tag for t in tickets for tag in t["tags"]))  # expect-none


def queue_positions(queue: list[int], watched: list[int]) -> dict[int, int]:
    return {tid: queue.index(tid) for tid in watched if tid in queue}  # expect: L1


def queue_positions_indexed(queue: list[int], watched: list[int]) -> dict[int, int]:
    pos = {tid: i for i, tid in enumerate(queue)}  # expect-none
    return {tid: pos[tid] for tid in watched if tid in pos}  # expect-none
