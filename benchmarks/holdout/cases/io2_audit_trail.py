import json
import sys
from pathlib import Path
from typing import Iterable

AUDIT_LOG = Path("/var/log/app/audit.log")


def record_events(events: Iterable[dict]) -> None:
    for ev in events:
        with open(AUDIT_LOG, "a", encoding="utf-8") as fh:  # expect: L4
            fh.write(f"{ev['ts']} {ev['actor']} {ev['action']}\n")


def record_events_once(events: Iterable[dict]) -> None:
    with AUDIT_LOG.open("a", encoding="utf-8") as fh:  # expect-none
        for ev in events:
            fh.write(f"{ev['ts']} {ev['actor']} {ev['action']}\n")


class AuditStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def append_rows(self, name: str, rows: list[list[str]]) -> None:
        path = self.root / name
        i = 0
        while i < len(rows):
            with open(path, mode="ab") as fh:  # expect: L4
                fh.write(",".join(rows[i]).encode() + b"\n")
            i += 1

    def snapshot_each(self, events: list[dict]) -> None:
        for ev in events:
            with open(self.root / f"{ev['id']}.json", "w") as fh:  # expect-none
                json.dump(ev, fh)

    def export(self, rows: list[tuple], out_path: Path) -> None:
        with open(out_path, "w") as out:
            for n, row in enumerate(rows, 1):
                print(n, *row, sep="\t", file=out, flush=True)  # expect: L4

    def export_buffered(self, rows: list[tuple], out_path: Path) -> None:
        with open(out_path, "w") as out:
            for n, row in enumerate(rows, 1):
                print(n, *row, sep="\t", file=out)  # expect-none

    def progress(self, rows: list[tuple]) -> None:
        for n, _row in enumerate(rows):
            if n % 1000 == 0:
                print(f"processed {n} rows", file=sys.stderr, flush=True)  # expect-none


def count_failures(path: Path) -> int:
    failures = 0
    with path.open() as fh:
        for line in fh.readlines():  # expect: L4
            if " FAILED " in line:
                failures += 1
    return failures


def count_failures_streamed(path: Path) -> int:
    with path.open() as fh:
        return sum(1 for line in fh if " FAILED " in line)  # expect-none


def login_users(path: Path) -> list[str]:
    users = []
    with open(path) as fh:
        for lineno, line in enumerate(fh.read().splitlines(), 1):  # expect: L4
            if "login" in line:
                users.append(f"{lineno}:{line.split()[2]}")
    return users


def allowed_actors(path: Path) -> frozenset[str]:
    return frozenset(path.read_text().splitlines())  # expect-none


def header_of(path: Path) -> list[str]:
    with open(path) as fh:
        return fh.readline().rstrip("\n").split(",")  # expect-none
