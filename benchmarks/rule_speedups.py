"""Time every rule's benchmark and check that each slow form is slower than its fast form.

Each rule declaring ``benchmark = Benchmark(...)`` is timed with ``timeit`` on
this machine (``perflint.bench.measure``: autorange, best of ``--repeat``).
The script then

- stores the numbers in docs/rules/benchmarks.json (the rule pages read
  them: run ``python scripts/generate_docs.py`` afterwards),
- rewrites its own section of benchmarks/RESULTS.md ("## Rule speedups"),
  leaving the other sections alone (the file is created with a heading per
  benchmark script if it does not exist),
- exits 1 if any slow form was not measured slower than its fast form, or if
  a benchmark failed to run.

The last line is ``rule_speedups: measured=N slower_than_fast=M failed=K``.
Usage: ``python benchmarks/rule_speedups.py [--repeat N] [CODE ...]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
STORE = ROOT / "docs" / "rules" / "benchmarks.json"
HEADING = "## Rule speedups"


def section(measurements, failures: list[str]) -> str:
    from perflint.bench import environment, format_speedup
    from perflint.profiles import format_seconds

    env = environment()
    lines = [
        f"{HEADING} (`benchmarks/rule_speedups.py`)",
        "",
        f"Each rule's own before/after benchmark, timed with `timeit` (best of {measurements[0].repeat if measurements else '-'})"
        f" on {env['python']}, {env['machine']}, on {env['date']}. The check: every slow form is measured"
        " slower than its fast form.",
        "",
        "| rule | input | slow | fast | speedup | check |",
        "|---|---|---|---|---|---|",
    ]
    for m in measurements:
        check = "ok" if m.speedup > 1 else "**FAILED: not slower**"
        lines.append(
            f"| {m.code} `{m.name}` | {m.size} | {format_seconds(m.slow_seconds)} | {format_seconds(m.fast_seconds)}"
            f" | {format_speedup(m.speedup)} | {check} |"
        )
    for failure in failures:
        lines.append(f"| {failure.split(':')[0]} | | | | | **FAILED: {failure.split(': ', 1)[1]}** |")
    return "\n".join(lines) + "\n"


def replace_section(text: str, new_section: str) -> str:
    """Swap the ``## Rule speedups`` section (up to the next ``## `` heading) for ``new_section``."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith(HEADING)), None)
    if start is None:
        return text.rstrip("\n") + "\n\n" + new_section
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + new_section + ("\n" + tail if tail else "")


def skeleton() -> str:
    """A new RESULTS.md: a heading per benchmark script, to be filled by each script."""
    lines = ["# Benchmark results", "", "Each section is written by the script it names.", ""]
    for script in sorted((ROOT / "benchmarks").glob("*.py")):
        if script.name == Path(__file__).name:
            continue
        words = script.stem.split("_")  # cli_speed -> "CLI speed"
        title = " ".join([words[0].upper() if len(words[0]) <= 3 else words[0].capitalize(), *words[1:]])
        lines += [f"## {title} (`benchmarks/{script.name}`)", "", "Not run yet.", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("codes", nargs="*", metavar="CODE", help="only these rules (default: every rule with a benchmark)")
    parser.add_argument("--repeat", type=int, default=5, help="timings per form; the best is kept (default 5)")
    args = parser.parse_args()

    from perflint.bench import BenchError, measure, render_text, write_results
    from perflint.rules import all_rules

    wanted = {code.upper() for code in args.codes}
    rules = [r for r in all_rules() if r.benchmark is not None and (not wanted or r.code in wanted)]
    measurements, failures = [], []
    for rule in rules:
        try:
            measurement = measure(rule, args.repeat)
        except BenchError as error:
            failures.append(str(error))
            print(f"FAILED {error}", flush=True)
            continue
        measurements.append(measurement)
        print(render_text(measurement), end="", flush=True)

    if measurements:
        write_results(str(STORE), measurements)
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else skeleton()
    RESULTS.write_text(replace_section(current, section(measurements, failures)), encoding="utf-8")

    not_slower = [m.code for m in measurements if m.speedup <= 1]
    for code in not_slower:
        print(f"FAILED {code}: the slow form was not measured slower than the fast form", file=sys.stderr)
    print(
        f"rule_speedups: measured={len(measurements)} slower_than_fast={len(measurements) - len(not_slower)}"
        f" failed={len(failures) + len(not_slower)}"
    )
    return 1 if failures or not_slower else 0


if __name__ == "__main__":
    sys.exit(main())
