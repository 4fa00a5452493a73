"""Operator CLI for the booking service: reindex, export and self-check."""
import argparse
import sys

COMMANDS = ["reindex", "export", "check"]
FORMATS = ["csv", "json", "parquet", "ndjson"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bookings-admin")
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("--format", default="csv")
    return parser


def validate(args: argparse.Namespace) -> list[str]:
    problems = []
    for opt in ("format",):
        if getattr(args, opt) not in FORMATS:  # expect-none
            problems.append(f"unsupported {opt}: {getattr(args, opt)}")
    return problems


class Booking:
    def __init__(self, ref: str, guests: list[str]):
        self.ref = ref
        self.guests = guests

    def __repr__(self) -> str:
        text = f"Booking({self.ref}"
        for g in self.guests:
            text = text + ", " + g  # expect-none
        return text + ")"


def reconcile(bookings: list[Booking], cancelled_refs: list[str]) -> list[Booking]:
    return [b for b in bookings if b.ref not in cancelled_refs]  # expect: L1


def test_reconcile_drops_cancelled():
    rows = [Booking("A1", []), Booking("B2", []), Booking("C3", [])]
    kept = reconcile(rows, ["B2"])
    assert [b.ref for b in kept] == ["A1", "C3"]
    pending = [b.ref for b in rows]
    while pending:
        pending.pop(0)  # expect-none


if __name__ == "__main__":
    args = build_parser().parse_args()
    queue = sys.argv[2:]
    while queue:
        item = queue.pop(0)  # expect-none
        print(f"processing {item}")
