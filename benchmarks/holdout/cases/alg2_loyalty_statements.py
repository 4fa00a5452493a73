"""Monthly loyalty statements: rendering and export of point entries."""
from decimal import Decimal

from pydantic import BaseModel


class Entry(BaseModel):
    member_id: int
    points: int
    reason: str


class Member(BaseModel):
    id: int
    name: str
    email: str


class StatementWriter:
    def __init__(self, sink, currency: str = "EUR"):
        self.sink = sink
        self.currency = currency
        self.body = ""
        self.total = Decimal("0")

    def render(self, entries: list[Entry]) -> str:
        for e in entries:
            self.body += f"{e.member_id:>8} {e.points:>6}  {e.reason}\n"  # expect: L1
            self.total += Decimal(e.points) / 100  # expect-none
        return self.body

    def render_joined(self, entries: list[Entry]) -> str:
        lines = [f"{e.member_id:>8} {e.points:>6}  {e.reason}" for e in entries]
        return "\n".join(lines) + "\n"  # expect-none

    def flush(self) -> None:
        self.sink.write(self.body)
        self.body = ""


def encode_batch(entries: list[Entry]) -> bytes:
    payload = b""
    for e in entries:
        payload += e.model_dump_json().encode() + b"\n"  # expect: L1
    return payload


def encode_batch_buffered(entries: list[Entry]) -> bytes:
    buf = bytearray()
    for e in entries:
        buf += e.model_dump_json().encode()  # expect-none
        buf += b"\n"  # expect-none
    return bytes(buf)


def members_with_activity(members: list[Member], entries: list[Entry]) -> list[Member]:
    active_ids = [e.member_id for e in entries]
    return [m for m in members if m.id in active_ids]  # expect: L1


def members_with_activity_set(members: list[Member], entries: list[Entry]) -> list[Member]:
    active_ids = {e.member_id for e in entries}
    return [m for m in members if m.id in active_ids]  # expect-none


def points_total(entries: list[Entry]) -> int:
    total = 0
    for e in entries:
        total += e.points  # expect-none
    return total
