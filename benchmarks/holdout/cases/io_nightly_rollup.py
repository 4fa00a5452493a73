import csv
import subprocess
from pathlib import Path


def rollup(day_files: list[Path], summary: Path) -> None:
    for day in day_files:
        total = sum(float(r["amount"]) for r in csv.DictReader(day.open()))
        with open(summary, mode="a") as out:  # expect: L4
            out.write(f"{day.stem},{total:.2f}\n")


def rollup_once(day_files: list[Path], summary: Path) -> None:
    with open(summary, mode="a") as out:  # expect-none
        for day in day_files:
            total = sum(float(r["amount"]) for r in csv.DictReader(day.open()))
            out.write(f"{day.stem},{total:.2f}\n")


def stream_rows(rows, path: Path) -> None:
    with path.open("w") as fh:
        it = iter(rows)
        row = next(it, None)
        while row is not None:
            print(*row, sep=",", file=fh, flush=True)  # expect: L4
            row = next(it, None)


def load_ids(path: Path) -> set[str]:
    return set(path.read_text().splitlines())  # expect-none


def archive(day_files: list[Path]) -> None:
    for day in day_files:
        subprocess.run(["gzip", "-9", str(day)], check=True)  # expect: L4


def publish(day_files: list[Path]) -> None:
    for day in day_files:
        subprocess.check_call(["chmod", "0644", str(day)])  # expect: L4


def snapshot(databases: list[str]) -> None:
    for db in databases:
        subprocess.run(["pg_dump", "--format=custom", f"--file=/snap/{db}.pgc", db], check=True)  # expect-none
