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


def _generate_docs_module(monkeypatch, tmp_path):
    """scripts/generate_docs.py, pointed at a scratch tree; timing is made impossible."""
    import importlib.util
    import timeit
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "scripts" / "generate_docs.py"
    spec = importlib.util.spec_from_file_location("generate_docs_under_test", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "README.md").write_text(f"# x\n\n{module.START}\n{module.END}\n")
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "README", tmp_path / "README.md")
    monkeypatch.setattr(module, "RULE_DOCS", tmp_path / "docs" / "rules")
    monkeypatch.setattr(module, "BENCHMARKS", tmp_path / "docs" / "rules" / "benchmarks.json")
    monkeypatch.setattr(timeit, "Timer", None)  # generating docs must never run a benchmark
    return module


def _run_generator(module, monkeypatch, *args: str) -> int:
    monkeypatch.setattr("sys.argv", ["generate_docs.py", *args])
    return module.main()


def test_rule_pages_show_stored_numbers_and_check_catches_staleness(monkeypatch, tmp_path, capsys):
    from perflint.rules import rule_by_code

    module = _generate_docs_module(monkeypatch, tmp_path)
    pf404 = rule_by_code("PF404")
    store = tmp_path / "docs" / "rules" / "benchmarks.json"
    store.parent.mkdir(parents=True)
    record = {"code": "PF404", "name": pf404.name, "size": pf404.benchmark.size, "slow_seconds": 0.02,
              "fast_seconds": 0.008, "slow_runs": 10, "fast_runs": 20, "repeat": 5,
              "digest": benchmark_digest(pf404.benchmark), "python": "CPython 3.11.0", "machine": "test box",
              "date": "2025-01-02", "speedup": 2.5}
    store.write_text(json.dumps({"perflint-benchmarks": 1, "rules": {"PF404": record}}))

    assert _run_generator(module, monkeypatch, "--check") == 1  # nothing generated yet
    assert _run_generator(module, monkeypatch) == 0
    assert _run_generator(module, monkeypatch, "--check") == 0
    page = (tmp_path / "docs" / "rules" / "PF404.md").read_text()
    assert "| slow | 20 ms |" in page and "| fast | 8 ms |" in page
    assert "**2.50× faster** on CPython 3.11.0, test box, on 2025-01-02" in page
    assert "## Why is this slow?" in page and "for line in handle.readlines():" in page
    index = (tmp_path / "docs" / "rules" / "README.md").read_text()
    assert "| PF404 | [`readlines-iteration`](PF404.md) | 4 io | yes | 2.50× |" in index
    capsys.readouterr()

    record["digest"] = "measured-on-other-code"
    store.write_text(json.dumps({"perflint-benchmarks": 1, "rules": {"PF404": record}}))
    assert _run_generator(module, monkeypatch, "--check") == 1
    assert "docs/rules/PF404.md is stale" in capsys.readouterr().err
    assert _run_generator(module, monkeypatch) == 0
    assert "Not measured on the current benchmark code yet" in (tmp_path / "docs" / "rules" / "PF404.md").read_text()

    (tmp_path / "docs" / "rules" / "PF999.md").write_text("old rule\n")
    assert _run_generator(module, monkeypatch, "--check") == 1
    assert "PF999.md documents a rule that no longer exists" in capsys.readouterr().err
    assert _run_generator(module, monkeypatch) == 0
    assert not (tmp_path / "docs" / "rules" / "PF999.md").exists()
