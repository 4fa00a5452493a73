import json
from pathlib import Path


def export_entries(entries: list[dict], out_dir: Path) -> None:
    for entry in entries:
        with open(out_dir / "ledger.jsonl", "a", encoding="utf-8") as fh:  # expect: L4
            fh.write(json.dumps(entry) + "\n")


def export_entries_once(entries: list[dict], out_dir: Path) -> None:
    with open(out_dir / "ledger.jsonl", "a", encoding="utf-8") as fh:  # expect-none
        for entry in entries:
            fh.write(json.dumps(entry) + "\n")


def export_per_account(entries: list[dict], out_dir: Path) -> None:
    for entry in entries:
        with open(out_dir / f"{entry['account']}-{entry['id']}.json", "w") as fh:  # expect-none
            json.dump(entry, fh)


def record_errors(events, log_path: Path) -> int:
    n = 0
    for ev in events:
        if ev["level"] == "error":
            with log_path.open("a") as fh:  # expect: L4
                fh.write(ev["message"] + "\n")
            n += 1
    return n


def write_statement(rows, path: str) -> None:
    with open(path, "w") as out:
        for row in rows:
            print(row.date, row.memo, row.amount, sep="\t", file=out, flush=True)  # expect: L4


def write_statement_buffered(rows, path: str) -> None:
    with open(path, "w") as out:
        for row in rows:
            print(row.date, row.memo, row.amount, sep="\t", file=out)  # expect-none


def show_statement(rows) -> None:
    for row in rows:
        print(f"{row.date}  {row.memo:<40} {row.amount:>10.2f}")  # expect-none
