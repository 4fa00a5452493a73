"""Measured evidence: time each rule's slow form against its fast form with ``timeit``.

A rule declares ``benchmark = Benchmark(setup, slow, fast, size)``. Each form
is timed the way ``python -m timeit`` does it: ``Timer.autorange`` picks a
number of runs that takes at least 0.2 s, then the best of ``repeat`` such
timings is kept (the minimum is the run least disturbed by the rest of the
machine). ``setup`` runs before every timing, outside the clock. The two
forms' timings alternate (slow, fast, slow, fast...), so a burst of load on
a shared machine hits both rather than tilting the comparison.

Measurements are stored (``perflint bench --all --write docs/rules/benchmarks.json``)
with the Python version, the machine and the date, and with a digest of the
benchmark's code: the rule pages show a number only while the code it was
measured on is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import timeit
from dataclasses import asdict, dataclass
from datetime import date
from typing import Callable, Optional, TypeVar

from perflint.profiles import format_seconds
from perflint.rule import Benchmark, Rule

FORMAT_VERSION = 1
DEFAULT_REPEAT = 5

T = TypeVar("T")


class BenchError(Exception):
    """A benchmark that cannot run, or a results file that cannot be used; one line."""


@dataclass(frozen=True)
class Measurement:
    code: str
    name: str
    size: str
    slow_seconds: float  # per run of the slow form, best of ``repeat``
    fast_seconds: float
    slow_runs: int  # runs per timing, as chosen by autorange
    fast_runs: int
    repeat: int
    digest: str  # of the benchmark's code
    python: str
    machine: str
    date: str

    @property
    def speedup(self) -> float:
        return self.slow_seconds / self.fast_seconds if self.fast_seconds > 0 else float("inf")

    def to_dict(self) -> dict:
        data = asdict(self)
        data["speedup"] = round(self.speedup, 2)
        return data


def benchmark_digest(benchmark: Benchmark) -> str:
    text = "\0".join((benchmark.setup, benchmark.slow, benchmark.fast))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def environment() -> dict[str, str]:
    """What the numbers were measured on: interpreter, CPU and date."""
    cpu = _cpu_model() or platform.processor() or "unknown CPU"
    cores = os.cpu_count() or 1
    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "machine": f"{platform.system()} {platform.machine()}, {cpu}, {cores} core{'s' if cores != 1 else ''}",
        "date": date.today().isoformat(),
    }


def _cpu_model() -> Optional[str]:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    return " ".join(line.split(":", 1)[1].split())
    except OSError:
        pass
    return None


def measure(rule: type[Rule], repeat: int = DEFAULT_REPEAT) -> Measurement:
    """Time ``rule.benchmark`` on this machine; raise BenchError if it has none or it fails."""
    benchmark = rule.benchmark
    if benchmark is None:
        raise BenchError(f"{rule.code} declares no benchmark")
    slow_timer = _timer(rule.code, "slow", benchmark.slow, benchmark.setup)
    fast_timer = _timer(rule.code, "fast", benchmark.fast, benchmark.setup)
    slow_runs = _run(rule.code, "slow", lambda: slow_timer.autorange()[0])
    fast_runs = _run(rule.code, "fast", lambda: fast_timer.autorange()[0])
    slow = fast = float("inf")
    for _ in range(repeat):
        slow = min(slow, _run(rule.code, "slow", lambda: slow_timer.timeit(slow_runs)) / slow_runs)
        fast = min(fast, _run(rule.code, "fast", lambda: fast_timer.timeit(fast_runs)) / fast_runs)
    return Measurement(
        code=rule.code,
        name=rule.name,
        size=benchmark.size,
        slow_seconds=_significant(slow),
        fast_seconds=_significant(fast),
        slow_runs=slow_runs,
        fast_runs=fast_runs,
        repeat=repeat,
        digest=benchmark_digest(benchmark),
        **environment(),
    )


def _timer(code: str, form: str, statement: str, setup: str) -> timeit.Timer:
    return _run(code, form, lambda: timeit.Timer(statement, setup))


def _run(code: str, form: str, action: Callable[[], T]) -> T:
    """``action()``, with any error in the rule author's benchmark code turned into a one-line BenchError."""
    try:
        return action()
    except Exception as error:  # the benchmark is the rule author's code: report, don't crash
        reason = " ".join(str(error).split()) or "no message"
        raise BenchError(f"{code}: the {form} form failed: {type(error).__name__}: {reason}") from None


def _significant(seconds: float) -> float:
    """Four significant digits: more is noise, and the stored file stays readable."""
    return float(f"{seconds:.4g}")


# --- output ----------------------------------------------------------------


def format_speedup(speedup: float) -> str:
    if speedup < 10:
        return f"{speedup:.2f}×"
    return f"{speedup:.1f}×" if speedup < 100 else f"{speedup:,.0f}×"


def render_text(measurement: Measurement) -> str:
    return (
        f"{measurement.code} {measurement.name} ({measurement.size})\n"
        f"  slow  {format_seconds(measurement.slow_seconds)} per run\n"
        f"  fast  {format_seconds(measurement.fast_seconds)} per run\n"
        f"  speedup  {format_speedup(measurement.speedup)}\n"
    )


def render_json(measurements: list[Measurement]) -> str:
    return json.dumps([m.to_dict() for m in measurements], indent=2) + "\n"


# --- the stored results ----------------------------------------------------


def load_results(path: str) -> dict[str, dict]:
    """The stored measurements by rule code; empty when the file does not exist yet."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise BenchError(f"{path}: cannot read benchmark results: {error}") from None
    if not isinstance(document, dict) or document.get("perflint-benchmarks") != FORMAT_VERSION:
        raise BenchError(f"{path}: not a perflint benchmark results file")
    rules = document.get("rules")
    if not isinstance(rules, dict):
        raise BenchError(f"{path}: \"rules\" must be an object")
    return rules


def write_results(path: str, measurements: list[Measurement]) -> None:
    """Store ``measurements`` in ``path``, keeping the other rules' stored results."""
    rules = load_results(path)
    rules.update({m.code: m.to_dict() for m in measurements})
    document = {"perflint-benchmarks": FORMAT_VERSION, "rules": {code: rules[code] for code in sorted(rules)}}
    directory = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(directory, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    except OSError as error:
        raise BenchError(f"{path}: cannot write benchmark results: {error.strerror or error}") from None


def current_result(rule: type[Rule], results: dict[str, dict]) -> Optional[dict]:
    """The stored measurement for ``rule`` if it was taken on the rule's current benchmark code."""
    stored = results.get(rule.code)
    if rule.benchmark is None or not isinstance(stored, dict):
        return None
    return stored if stored.get("digest") == benchmark_digest(rule.benchmark) else None
