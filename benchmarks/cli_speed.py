"""Measure ``perflint check`` against the bare libcst parse of the same files, and ruff.

Corpus: this Python's standard library without its tests (test/, tests/,
idlelib/, lib2to3/, site-packages), copied into a scratch folder so every
tool sees exactly the same files. All figures come from one run:

- floor: ``libcst.parse_module`` of every file, on the same number of processes;
- cold: ``perflint check --no-cache``;
- warm: ``perflint check`` with its cache filled and nothing changed;
- ruff: ``ruff check`` with its cache warm, as the reference for the warm run.

The last line is ``cli: cold_vs_floor=X warm_s=Y vs_ruff=Z``.
Usage: ``python benchmarks/cli_speed.py [--jobs N] [--corpus DIR]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SKIP = {"test", "tests", "idlelib", "lib2to3", "site-packages", "__pycache__"}
BIN = Path(sys.executable).parent


def stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_path("stdlib"))
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP and not d.startswith("."))
        files.extend(Path(folder) / n for n in sorted(names) if n.endswith(".py"))
    return files


def copy_corpus(files: list[Path], target: Path) -> list[Path]:
    root = Path(sysconfig.get_path("stdlib"))
    copied = []
    for source in files:
        destination = target / source.relative_to(root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        copied.append(destination)
    return copied


def _parse(path: str) -> int:
    import libcst

    sys.setrecursionlimit(12000)
    try:
        libcst.parse_module(Path(path).read_bytes())
    except Exception:
        return 0
    return 1


def libcst_floor(files: list[Path], jobs: int) -> float:
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(_parse, [str(f) for f in files], chunksize=4))
    return time.perf_counter() - start


def timed(command: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    files = stdlib_files()
    lines = sum(f.read_bytes().count(b"\n") for f in files)
    work = Path(tempfile.mkdtemp(prefix="perflint-bench-"))
    try:
        corpus = work / "corpus"
        copied = copy_corpus(files, corpus)
        env = dict(os.environ, PERFLINT_CACHE_DIR=str(work / "cache"), RUFF_CACHE_DIR=str(work / "ruff-cache"))
        perflint = [str(BIN / "perflint"), "check", "--exit-zero", "--jobs", str(args.jobs), "."]
        ruff = [str(BIN / "ruff"), "check", "--exit-zero", "--no-respect-gitignore", "--select", "PERF", "."]

        print(f"corpus: {len(copied)} files, {lines:,} lines; jobs={args.jobs}")
        floor = libcst_floor(copied, args.jobs)
        print(f"libcst.parse_module floor: {floor:.2f} s")
        cold = timed(perflint[:2] + ["--no-cache"] + perflint[2:], corpus, env)
        print(f"perflint cold (--no-cache): {cold:.2f} s  ({cold / floor:.2f}x floor)")
        timed(perflint, corpus, env)  # fill the cache
        warm = min(timed(perflint, corpus, env) for _ in range(3))
        print(f"perflint warm (cache, unchanged tree): {warm:.3f} s")
        ruff_ok = (BIN / "ruff").exists()
        ruff_warm = float("nan")
        if ruff_ok:
            timed(ruff, corpus, env)
            ruff_warm = min(timed(ruff, corpus, env) for _ in range(3))
            print(f"ruff check --select PERF warm: {ruff_warm:.3f} s")
        print(f"cli: cold_vs_floor={cold / floor:.2f} warm_s={warm:.3f} vs_ruff={warm / ruff_warm:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
