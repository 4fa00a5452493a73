"""In-process keystroke cost: the edits of `lsp_latency.py`, linted through one `BlockCache`
per file as the language server does, timed by the linting thread's CPU time (steadier than
the wall clock on a shared machine), optionally under cProfile.

    .venv/bin/python benchmarks/keystroke_profile.py                 # the benchmark's 10 files
    .venv/bin/python benchmarks/keystroke_profile.py inspect.py --profile
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lsp_latency  # noqa: E402
from perflint import models_index  # noqa: E402
from perflint.engine import BlockCache, lint_source  # noqa: E402
from perflint.source import split_lines  # noqa: E402

STDLIB = Path(lsp_latency.sysconfig.get_paths()["stdlib"])


def keystrokes(name: str, profile: cProfile.Profile | None = None) -> list[float]:
    """Open ``name`` (not timed), then type a space at the end of each chosen line in turn."""
    path = STDLIB / name
    text = path.read_text(encoding="utf-8")
    cache = BlockCache()
    lines = split_lines(text)
    lint_source(text, str(path), block_cache=cache, lines=lines)
    times = []
    for line in lsp_latency.chosen_edits(text):
        lines = list(lines)
        ending = "\n" if lines[line].endswith("\n") else ""
        lines[line] = lines[line][: len(lines[line]) - len(ending)] + " " + ending
        source = "".join(lines)
        started = time.thread_time()
        if profile is not None:
            profile.enable()
        lint_source(source, str(path), block_cache=cache, lines=lines)
        if profile is not None:
            profile.disable()
        times.append(time.thread_time() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="standard-library paths (default: lsp_latency's files)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="cProfile the keystrokes, by cumulative time")
    args = parser.parse_args()
    models_index.refresh_in_background()  # as the server does
    files = args.files or [lsp_latency.label(path) for path in lsp_latency.stdlib_files()]
    keystrokes(files[0])  # warm-up: imports, walk plans
    profile = cProfile.Profile() if args.profile else None
    every: list[float] = []
    for name in files:
        times = [t for _ in range(args.rounds) for t in keystrokes(name, profile)]
        every.extend(times)
        print(f"{name:36} p50 {statistics.median(times) * 1e3:6.2f} ms  max {max(times) * 1e3:7.2f} ms")
    every.sort()
    p95 = every[int(len(every) * 0.95)]
    print(f"all {len(every)} keystrokes: p50 {statistics.median(every) * 1e3:.2f} ms, p95 {p95 * 1e3:.2f} ms")
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
