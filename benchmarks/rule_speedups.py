"""Time every rule's benchmark and check that each slow form is slower than its fast form.

Each rule declaring ``benchmark = Benchmark(...)`` is timed with ``timeit`` on
this machine (``perflint.bench.measure``: autorange, best of ``--repeat``).
The script then

- stores the numbers in docs/rules/benchmarks.json (the rule pages read
  them: run ``python scripts/generate_docs.py`` afterwards),
- rewrites its own section of benchmarks/RESULTS.md ("## Rule speedups")
  from every rule's stored measurement (a run on some rules updates their
  rows and keeps the others'), leaving the other sections alone (the file is created with a heading per
  benchmark script if it does not exist),
- exits 1 if any slow form was not measured slower than its fast form, if
  a benchmark failed to run, or if a default rule falls under the bar of
  SPEC.md "The `micro` group": a rule that is not ``micro`` must measure at
  least ``THRESHOLD`` (2x) on its own benchmark, unless it declares
  ``round_trip = True`` (what it removes is a query, request, process or
  connection start that an in-process benchmark cannot show). A default
  rule with neither a benchmark nor ``round_trip`` fails too. Run on every
  rule (no CODE arguments), the bar is checked on every rule; with CODEs,
  on those.

The last line is ``rule_speedups: measured=N slower_than_fast=M under_bar=U failed=K``.
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
THRESHOLD = 2.0  # SPEC.md "The `micro` group": below this, a rule that removes no round trip is micro


def bar_failures(rules, measurements) -> list[str]:
    """Why each default (not micro) rule misses the 2x bar, one line per rule; [] when all pass."""
    by_code = {m.code: m for m in measurements}
    failures = []
    for rule in rules:
        if rule.micro or rule.round_trip:
            continue
        measured = by_code.get(rule.code)
        if rule.benchmark is None:
            failures.append(f"{rule.code}: a default rule needs a benchmark of at least {THRESHOLD:g}x or round_trip = True")
        elif measured is not None and measured.speedup < THRESHOLD:
            failures.append(
                f"{rule.code}: measured {measured.speedup:.2f}x, under the {THRESHOLD:g}x bar of a default rule;"
                " make it micro = True, or round_trip = True if it removes a round trip"
            )
    return failures


def stored_measurements() -> list:
    """Every rule's stored measurement taken on its current benchmark code, in code order: a
    run on some rules updates their rows of the table and keeps the others'."""
    from perflint.bench import Measurement, current_result, load_results
    from perflint.rules import all_rules

    results = load_results(str(STORE))
    fields = set(Measurement.__dataclass_fields__)
    stored = (current_result(rule, results) for rule in all_rules())
    return sorted(
        (Measurement(**{k: v for k, v in found.items() if k in fields}) for found in stored if found is not None),
        key=lambda m: m.code,
    )


def section(measurements, failures: list[str]) -> str:
    from perflint.bench import environment, format_speedup
    from perflint.profiles import format_seconds

    env = environment()
    lines = [
        f"{HEADING} (`benchmarks/rule_speedups.py`)",
        "",
        f"Each rule's own before/after benchmark, timed with `timeit` (best of {measurements[0].repeat if measurements else '-'})"
        f" on {env['python']}, {env['machine']}; each row as last measured (`docs/rules/benchmarks.json`, dates"
        f" there), this run on {env['date']}. The check: every slow form is measured slower than its fast form.",
        "",
        f"A default rule must measure at least {THRESHOLD:g}x or remove a round trip (`round_trip`);"
        " micro rules (opt-in constant-factor idioms) are listed for the record.",
        "",
        "| rule | input | slow | fast | speedup | check |",
        "|---|---|---|---|---|---|",
    ]
    from perflint.rules import rule_by_code

    for m in measurements:
        rule = rule_by_code(m.code)
        check = "ok" if m.speedup > 1 else "**FAILED: not slower**"
        if rule is not None and rule.micro:
            check += " (micro)"
        elif rule is not None and rule.round_trip:
            check += " (round trip)"
        elif m.speedup > 1 and m.speedup < THRESHOLD:
            check = f"**FAILED: under {THRESHOLD:g}x**"
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
    chosen = [r for r in all_rules() if not wanted or r.code in wanted]
    rules = [r for r in chosen if r.benchmark is not None]
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
    RESULTS.write_text(replace_section(current, section(stored_measurements(), failures)), encoding="utf-8")

    not_slower = [m.code for m in measurements if m.speedup <= 1]
    for code in not_slower:
        print(f"FAILED {code}: the slow form was not measured slower than the fast form", file=sys.stderr)
    under_bar = bar_failures(chosen, measurements)
    for failure in under_bar:
        print(f"FAILED {failure}", file=sys.stderr)
    print(
        f"rule_speedups: measured={len(measurements)} slower_than_fast={len(measurements) - len(not_slower)}"
        f" under_bar={len(under_bar)} failed={len(failures) + len(not_slower) + len(under_bar)}"
    )
    return 1 if failures or not_slower or under_bar else 0


if __name__ == "__main__":
    sys.exit(main())
