"""Ledger export: renders journal entries to fixed-width text and CSV.

Used by the month-end close job; a ledger holds tens of thousands of
entries, each rendered to one line.
"""
from __future__ import annotations

import csv
import io
import logging
import operator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import reduce
from itertools import chain
from typing import Iterable, Iterator, Sequence

logger = logging.getLogger("ledger.export")

COLUMNS = ("date", "account", "debit", "credit", "memo")


@dataclass(frozen=True)
class Entry:
    booked: date
    account: str
    debit: int
    credit: int
    memo: str = ""

    def as_line(self) -> str:
        return f"{self.booked:%Y-%m-%d} {self.account:<10} {self.debit:>12} {self.credit:>12} {self.memo}"


class FixedWidthWriter:
    """Accumulates the report body; ``getvalue`` returns it."""

    def __init__(self, title: str) -> None:
        self.title = title
        self._text = ""
        self._depth = 0

    def write_line(self, line: str) -> None:
        self._text += "  " * self._depth + line + "\n"  # expect: L1

    @contextmanager
    def indented(self) -> Iterator[None]:
        self._depth += 1  # expect-none
        try:
            yield
        finally:
            self._depth -= 1

    def getvalue(self) -> str:
        return self.title + "\n" + self._text


class BufferedWriter:
    def __init__(self) -> None:
        self._parts: list[str] = []

    def write_line(self, line: str) -> None:
        self._parts.append(line)

    def getvalue(self) -> str:
        return "\n".join(self._parts)


def render_fixed(entries: Iterable[Entry]) -> str:
    out = FixedWidthWriter("GENERAL LEDGER")
    for entry in entries:
        with out.indented():
            out.write_line(entry.as_line())
    return out.getvalue()


def render_checksum_block(entries: Sequence[Entry]) -> bytes:
    blob = b""
    for entry in entries:
        blob = blob + entry.as_line().encode("utf-8") + b"\r\n"  # expect: L1
    return blob


def render_checksum_block_joined(entries: Sequence[Entry]) -> bytes:
    return b"\r\n".join(e.as_line().encode("utf-8") for e in entries)  # expect-none


def render_csv(entries: Iterable[Entry]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    for e in entries:
        writer.writerow([e.booked.isoformat(), e.account, e.debit, e.credit, e.memo])
    return buf.getvalue()


def header_row() -> str:
    line = ""
    for col in COLUMNS:
        line += col.upper().ljust(12)  # expect-none
    return line


def _pages(entries: Sequence[Entry], size: int) -> Iterator[list[Entry]]:
    for start in range(0, len(entries), size):
        yield list(entries[start:start + size])


def all_pages_flat(entries: Sequence[Entry]) -> list[Entry]:
    return reduce(operator.add, _pages(entries, 50), [])  # expect: L1


def all_pages_flat_chain(entries: Sequence[Entry]) -> list[Entry]:
    return list(chain.from_iterable(_pages(entries, 50)))  # expect-none


def collect_memos(batches: list[list[Entry]]) -> list[str]:
    memos: list[str] = []
    for batch in batches:
        memos = memos + [e.memo for e in batch if e.memo]  # expect: L1
    return memos


def collect_memos_extend(batches: list[list[Entry]]) -> list[str]:
    memos: list[str] = []
    for batch in batches:
        memos += [e.memo for e in batch if e.memo]  # expect-none
    return memos


def account_lists(by_account: dict[str, list[Entry]]) -> list[Entry]:
    return sum(by_account.values(), start=[])  # expect: L1


def totals(entries: Iterable[Entry]) -> tuple[int, int]:
    debit = credit = 0
    for e in entries:
        debit += e.debit  # expect-none
        credit += e.credit
    return debit, credit


if __name__ == "__main__":
    demo = [Entry(date(2026, 1, i + 1), "1000", i, 0) for i in range(3)]
    text = ""
    for e in demo:
        text += e.as_line() + "\n"  # expect-none
    print(text)
