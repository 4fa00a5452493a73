"""Fraud screening: velocity checks and device matching for card payments."""
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class Txn:
    id: str
    card: str
    device: str
    amount: float


@dataclass
class Screen:
    flagged_devices: list[str] = field(default_factory=list)
    hits: list[str] = field(default_factory=list)

    def load(self, devices) -> None:
        self.flagged_devices.extend(devices)

    def screen(self, txns: list[Txn]) -> list[str]:
        for t in txns:
            if t.device in self.flagged_devices:  # expect: L1
                self.hits.append(t.id)
        return self.hits


def repeat_cards(txns: list[Txn]) -> Iterator[Txn]:
    i = 0
    while i < len(txns):
        cur = txns[i]
        if any(o.card == cur.card for o in txns[:i]):  # expect: L1
            yield cur
        i += 1


def repeat_cards_fast(txns: list[Txn]) -> Iterator[Txn]:
    seen: set[str] = set()
    for t in txns:
        if t.card in seen:  # expect-none
            yield t
        seen.add(t.card)


def card_counts(txns: list[Txn]) -> dict[str, int]:
    cards = [t.card for t in txns]
    return {c: cards.count(c) for c in cards}  # expect: L1


def pairs_same_device(txns: list[Txn], chargebacks: list[Txn]) -> Iterator[tuple[Txn, Txn]]:
    for t in txns:
        for cb in chargebacks:  # expect: L1  # expect-span: 2
            if cb.device == t.device:
                yield t, cb


def pairs_same_device_indexed(txns: list[Txn], chargebacks: list[Txn]) -> Iterator[tuple[Txn, Txn]]:
    by_device = defaultdict(list)
    for cb in chargebacks:
        by_device[cb.device].append(cb)
    for t in txns:
        yield from ((t, cb) for cb in by_device.get(t.device, ()))  # expect-none


def largest(txns: list[Txn]) -> Txn:
    return sorted(txns, key=lambda t: t.amount, reverse=True)[0]  # expect: L1


def largest_direct(txns: list[Txn]) -> Txn:
    return max(txns, key=lambda t: t.amount)  # expect-none
