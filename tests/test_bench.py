"""``perflint bench``: a rule's declared benchmark is timed and reported (no timing assertions)."""

from __future__ import annotations

import json
import re

import pytest

from perflint.bench import BenchError, benchmark_digest, current_result, measure
from perflint.model import Level
from perflint.rule import Benchmark, Rule

TIME = r"[0-9.]+ (ns|µs|ms|s)"


def test_bench_pf404_prints_both_times_and_the_speedup(perflint):
    run = perflint("bench", "PF404", "--repeat", "1")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("PF404 readlines-iteration (")
    assert re.fullmatch(rf"  slow  {TIME} per run", lines[1])
    assert re.fullmatch(rf"  fast  {TIME} per run", lines[2])
    assert re.fullmatch(r"  speedup  [0-9.,]+×", lines[3])


def test_bench_json_and_write_store_what_was_measured(perflint, tmp_path):
    run = perflint("bench", "PF404", "--repeat", "1", "--format", "json", "--write", "results/bench.json")
    assert run.returncode == 0, run.stderr
    (printed,) = json.loads(run.stdout)
    assert printed["code"] == "PF404" and printed["slow_seconds"] > 0 and printed["fast_seconds"] > 0
    assert printed["speedup"] == round(printed["slow_seconds"] / printed["fast_seconds"], 2)
    assert printed["python"].split()[0] in ("CPython", "PyPy") and printed["date"] and printed["machine"]
    stored = json.loads((tmp_path / "results" / "bench.json").read_text())
    assert stored["rules"]["PF404"] == printed
    assert run.stderr == "Stored 1 measurement in results/bench.json.\n"


def test_bench_refuses_unknown_rules_and_missing_arguments(perflint):
    unknown = perflint("bench", "PF999")
    assert unknown.returncode == 2 and "unknown rule 'PF999'" in unknown.stderr
    nothing = perflint("bench")
    assert nothing.returncode == 2 and "give rule codes or --all" in nothing.stderr


class _Timed(Rule):
    """A rule that exists only to carry a benchmark."""

    code = "PF199"
    name = "test-only"
    level = Level.ALGORITHM
    message = "test"
    benchmark = Benchmark(setup="items = list(range(50))", slow="sum(items)", fast="len(items)", size="50 items")


def test_measure_times_both_forms_and_fingerprints_the_code():
    measurement = measure(_Timed, repeat=1)
    assert measurement.slow_seconds > 0 and measurement.fast_seconds > 0
    assert measurement.slow_runs >= 1 and measurement.fast_runs >= 1
    assert measurement.digest == benchmark_digest(_Timed.benchmark)
    stored = {"PF199": measurement.to_dict()}
    assert current_result(_Timed, stored) == stored["PF199"]

    class Edited(_Timed):
        benchmark = Benchmark(setup="items = list(range(50))", slow="sum(items)", fast="max(items)", size="50 items")

    assert current_result(Edited, stored) is None  # numbers measured on other code are not shown


def test_a_failing_benchmark_is_a_one_line_error():
    class Broken(_Timed):
        benchmark = Benchmark(setup="", slow="undefined_name", fast="pass", size="none")

    with pytest.raises(BenchError, match=r"^PF199: the slow form failed: NameError: name 'undefined_name' is not defined$"):
        measure(Broken, repeat=1)
