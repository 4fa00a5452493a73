"""ETL step that merges CRM and shop contact exports."""
import csv
from pathlib import Path
from typing import Iterable, Iterator


def read_contacts(path: Path) -> Iterator[dict]:
    with path.open(newline="") as fh:
        yield from csv.DictReader(fh)


def unique_emails(rows: Iterable[dict]) -> Iterator[dict]:
    seen = []
    for row in rows:
        email = row["email"].strip().lower()
        if email in seen:  # expect: L1
            continue
        seen.append(email)
        yield row


def unique_emails_set(rows: Iterable[dict]) -> Iterator[dict]:
    seen: set[str] = set()
    for row in rows:
        if (email := row["email"].strip().lower()) not in seen:  # expect-none
            seen.add(email)
            yield row


def merge_exports(crm: list[dict], shop: list[dict]) -> list[dict]:
    merged = []
    for c in crm:
        hits = [s for s in shop if s["phone"] == c["phone"]]  # expect: L1
        merged.append({**c, **hits[0]} if hits else c)
    return merged


def merge_exports_indexed(crm: list[dict], shop: list[dict]) -> list[dict]:
    by_phone = {s["phone"]: s for s in shop}
    return [{**c, **by_phone.get(c["phone"], {})} for c in crm]  # expect-none


def strip_preamble(lines: list[str]) -> list[str]:
    while lines and lines[0].startswith("#"):
        lines.pop(0)  # expect-none
    return lines


def drain(pending: list[dict], sink) -> None:
    while pending:
        sink.write(pending[0])
        del pending[0]  # expect: L1


def drain_in_order(pending: list[dict], sink) -> None:
    for row in pending:
        sink.write(row)  # expect-none
    pending.clear()


def write_clean(src: Path, dst: Path) -> int:
    with dst.open("w", newline="") as out:
        writer = None
        count = 0
        for count, row in enumerate(unique_emails_set(read_contacts(src)), start=1):
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)  # expect-none
    return count
