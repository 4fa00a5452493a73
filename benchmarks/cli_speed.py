"""Measure ``perflint check`` against the bare libcst parse of the same files, and ruff.

Corpus: this Python's standard library without its tests (test/, tests/,
idlelib/, lib2to3/, site-packages), copied into a scratch folder so every
tool sees exactly the same files. perflint runs from a wheel of this checkout
installed into a scratch virtualenv (an ordinary install, as users get it, and
immune to edits made in the checkout during the run); ``--editable`` uses the
checkout's own venv instead. Each round measures, back to back:

- floor: ``libcst.parse_module`` of every file, on the same number of processes;
- cold: ``perflint check --no-cache``;
- warm: ``perflint check`` with the cache filled and nothing changed (replayed
  from the run record), and with one file touched (its stat changed, its
  content not: the per-file cache path, without replay);
- ruff: ``ruff check --select PERF`` with its cache warm, the reference for warm;
- one changed file: a comment appended to one module, against that module's
  own lint time in this process.

Ratios are taken within a round; with ``--rounds N`` the figures are medians
over rounds. ``--scaling`` adds cold runs on 1/4, 1/2, 1x and 2x the corpus
(2x: the corpus twice, under two folder names) and ``--jobs 1`` against the
default. The last line is ``cli: cold_vs_floor=X cold_cpu_vs_floor=C warm_s=Y vs_ruff=Z``
(C: the same ratio in CPU seconds, which load on the machine moves less than wall time).
``--triggers`` only prints the share of the corpus text each rule's prefilter
lets through to libcst (the parse is the largest cost of a cold run).
``--many-findings MB`` only times two generated files of MB megabytes with a finding in every
function (comprehension idioms; a ``pop(0)`` queue whose fix adds an import), text and JSON
reports, against the bare libcst parse of each.
Usage: ``python benchmarks/cli_speed.py [--jobs N] [--rounds N] [--scaling] [--editable] [--triggers] [--many-findings MB]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SKIP = {"test", "tests", "idlelib", "lib2to3", "site-packages", "__pycache__"}
BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parent.parent
CHANGED = "json/decoder.py"  # the module edited for the one-changed-file figure
# Runs a command; prints its wall time, the largest resident set (KB) of it and every process it
# waited for, and their CPU time (user + system).
TIMED_RSS = (
    "import resource, subprocess, sys, time; start = time.perf_counter(); subprocess.run(sys.argv[1:], "
    "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); usage = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(time.perf_counter() - start, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)"
)


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


def link_subset(files: list[Path], corpus: Path, target: Path) -> None:
    """Hard-link ``files`` (under ``corpus``) into ``target`` with the same layout."""
    for source in files:
        destination = target / source.relative_to(corpus)
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, destination)


def _parse(path: str) -> int:
    import libcst

    sys.setrecursionlimit(12000)
    try:
        libcst.parse_module(Path(path).read_bytes())
    except Exception:
        return 0
    return 1


def libcst_floor(files: list[Path], jobs: int) -> tuple[float, float]:
    """Wall seconds and CPU seconds (of the worker processes, counted once they exit)."""
    before = _children_cpu()
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(_parse, [str(f) for f in files], chunksize=4))
    return time.perf_counter() - start, _children_cpu() - before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def best(command: list[str], cwd: Path, env: dict, times: int = 5) -> float:
    """The median of ``times`` runs (after one unmeasured run that settles caches)."""
    timed(command, cwd, env)
    return statistics.median(timed(command, cwd, env) for _ in range(times))


def timed_rss(command: list[str], cwd: Path, env: dict) -> tuple[float, float, float]:
    """Wall seconds, peak resident set (MB) of any process of the command, and their CPU seconds."""
    done = subprocess.run([sys.executable, "-c", TIMED_RSS, *command], cwd=cwd, env=env, capture_output=True,
                          text=True, check=True)
    seconds, kilobytes, cpu = done.stdout.split()
    return float(seconds), int(kilobytes) / 1024, float(cpu)


def snapshot_install(work: Path) -> Path:
    """A scratch venv with a wheel of this checkout; dependencies come from the current venv."""
    wheels, venv = work / "wheels", work / "venv"
    subprocess.run([str(BIN / "pip"), "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)], check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(sysconfig.get_path("purelib"))
    target = next((venv / "lib").glob("python*/site-packages"))
    (target / "perflint-deps.pth").write_text(f"{site}\n")
    wheel = next(wheels.glob("perflint-*.whl"))
    subprocess.run([str(BIN / "pip"), "--python", str(venv / "bin" / "python"), "install", "-q", "--no-deps",
                    str(wheel)], check=True, capture_output=True)
    return venv / "bin" / "perflint"


def lint_time(path: Path) -> float:
    """One module's lint in this process (imports done), best of three."""
    from perflint.engine import lint_file

    lint_file(str(path))
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        lint_file(str(path))
        runs.append(time.perf_counter() - start)
    return min(runs)


def one_round(number: int, perflint: Path, corpus: Path, copied: list[Path], jobs: int, env: dict) -> dict:
    check = [str(perflint), "check", "--exit-zero", "--jobs", str(jobs), "."]
    cold_command = check[:2] + ["--no-cache"] + check[2:]
    ruff = [str(BIN / "ruff"), "check", "--exit-zero", "--no-respect-gitignore", "--select", "PERF", "."]
    shutil.rmtree(env["PERFLINT_CACHE_DIR"], ignore_errors=True)
    figures = dict(zip(("floor", "floor_cpu"), libcst_floor(copied, jobs)))
    figures["cold"], figures["rss_mb"], figures["cold_cpu"] = timed_rss(cold_command, corpus, env)
    timed(check, corpus, env)  # fill the result cache
    timed(check, corpus, env)  # every file cached: writes the run record
    figures["warm"] = best(check, corpus, env)
    touched = corpus / "email" / "utils.py"
    per_file = []
    for _ in range(5):
        os.utime(touched)  # new mtime, same content: the per-file cache hashes it; too fresh to replay
        per_file.append(timed(check, corpus, env))
    figures["warm_per_file"] = statistics.median(per_file)
    figures["ruff"] = best(ruff, corpus, env) if (BIN / "ruff").exists() else float("nan")
    changed = corpus / CHANGED
    with changed.open("a") as handle:
        handle.write(f"# edited in round {number}\n")
    figures["changed"] = timed(check, corpus, env)
    print(
        f"round {number}: floor {figures['floor']:.2f} s, cold {figures['cold']:.2f} s "
        f"({figures['cold'] / figures['floor']:.2f}x; CPU {figures['cold_cpu'] / figures['floor_cpu']:.2f}x), warm {figures['warm'] * 1000:.0f} ms "
        f"(per-file path {figures['warm_per_file'] * 1000:.0f} ms), ruff warm {figures['ruff'] * 1000:.0f} ms "
        f"({figures['warm'] / figures['ruff']:.2f}x), one changed file {figures['changed']:.2f} s, "
        f"peak RSS {figures['rss_mb']:.0f} MB",
        flush=True,
    )
    return figures


def scaling(perflint: Path, corpus: Path, copied: list[Path], jobs: int, env: dict, work: Path) -> None:
    sizes = {"1/4": copied[::4], "1/2": copied[::2], "1x": copied}
    results = []
    for label, subset in sizes.items():
        folder = work / f"scale-{label.replace('/', '-')}"
        link_subset(subset, corpus, folder / "a")
        results.append((label, len(subset), folder))
    double = work / "scale-2x"
    link_subset(copied, corpus, double / "a")
    link_subset(copied, corpus, double / "b")
    results.append(("2x", 2 * len(copied), double))
    base = None
    for label, count, folder in results:
        seconds = timed([str(perflint), "check", "--exit-zero", "--no-cache", "--jobs", str(jobs), "."], folder, env)
        base = base or seconds / count
        print(f"scaling {label:>3}: {count:5d} files {seconds:7.2f} s  ({seconds / count * 1000:.1f} ms/file, "
              f"{seconds / count / base:.2f}x the 1/4 rate)", flush=True)
    one = timed([str(perflint), "check", "--exit-zero", "--no-cache", "--jobs", "1", "."], corpus, env)
    many = timed([str(perflint), "check", "--exit-zero", "--no-cache", "--jobs", str(jobs), "."], corpus, env)
    print(f"--jobs 1: {one:.2f} s, --jobs {jobs}: {many:.2f} s, speedup {one / many:.2f}x", flush=True)


# Two generated files of about 1 MB with a finding in every small function (issue 19): legacy or
# generated code before its first cleanup. The first's findings are comprehension idioms (PF109,
# a fix rewritten from nodes); the second's a ``pop(0)`` queue (PF103, a fix that adds an import).
# PF109 is in the opt-in ``micro`` group: its file is linted with the default rules and PF109
# named (``--select PF,PF109``), or it would measure no finding at all.
MANY_FINDINGS_SELECT = {"comprehension": ["--select", "PF,PF109"], "pop-front": []}
MANY_FINDINGS = {
    "comprehension": (
        "def f{i}(rows):\n    result = []\n    for row in rows:\n        if row > {i}:\n"
        "            result.append(row * 2)\n    return result\n\n\n"
    ),
    "pop-front": (
        "def f{i}(rows):\n    queue = list(rows)\n    total = {i}\n    while queue:\n"
        "        total += queue.pop(0)\n    return total\n\n\n"
    ),
}


def _parse_seconds(path: str) -> tuple[float, float]:
    """Wall and CPU seconds of ``libcst.parse_module`` of the file (libcst already imported)."""
    import libcst

    started, cpu = time.perf_counter(), time.process_time()
    libcst.parse_module(Path(path).read_bytes())
    return time.perf_counter() - started, time.process_time() - cpu


def timed_cpu(command: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, of the command and every process it waited for):
    on a loaded machine the CPU time is what the ratios can trust."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(command, cwd, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


MANY_FINDINGS_RUNS = 3


def many_findings(perflint: Path, work: Path, env: dict, size: int) -> None:
    """Each many-findings file: perflint check on one core (text, then JSON with every fix's
    edits) against the bare libcst parse of the same file in a fresh process, interleaved;
    wall and CPU seconds, and their ratios to the parse's. Each side is the best of
    ``MANY_FINDINGS_RUNS`` runs: one parse of a 1 MB file moved from 2.6 to 3.3 s between two
    runs on a quiet machine, more than perflint's own times did."""
    folder = work / "many"
    folder.mkdir(exist_ok=True)
    for name, template in MANY_FINDINGS.items():
        parts, length, i = [], 0, 0
        while length < size:
            parts.append(template.format(i=i))
            length += len(parts[-1])
            i += 1
        path = folder / f"{name}.py"
        path.write_text("".join(parts), encoding="utf-8")
        command = [str(perflint), "check", "--exit-zero", "--no-cache", "--jobs", "1", *MANY_FINDINGS_SELECT[name], str(path)]
        json_command = command[:2] + ["--format", "json"] + command[2:]
        parses, texts, jsons = [], [], []
        with ProcessPoolExecutor(max_workers=1) as pool:
            pool.submit(_parse_seconds, str(path)).result()  # libcst's first parse in the process
            for _ in range(MANY_FINDINGS_RUNS):
                parses.append(pool.submit(_parse_seconds, str(path)).result())
                texts.append(timed_cpu(command, folder, env))
                jsons.append(timed_cpu(json_command, folder, env))
        floor, floor_cpu = min(wall for wall, _ in parses), min(cpu for _, cpu in parses)
        text, text_cpu = min(wall for wall, _ in texts), min(cpu for _, cpu in texts)
        as_json, json_cpu = min(wall for wall, _ in jsons), min(cpu for _, cpu in jsons)
        report = subprocess.run(json_command, cwd=folder, env=env, capture_output=True, text=True).stdout
        found = report.count('"code": ')
        print(f"many findings, {name}: {i:,} functions, {length / 1e6:.2f} MB, {found:,} findings; "
              f"libcst parse {floor:.2f} s wall, {floor_cpu:.2f} s CPU; "
              f"perflint text {text:.2f} s ({text / floor:.2f}x) / CPU {text_cpu:.2f} s ({text_cpu / floor_cpu:.2f}x); "
              f"json with fixes {as_json:.2f} s ({as_json / floor:.2f}x) / CPU {json_cpu:.2f} s "
              f"({json_cpu / floor_cpu:.2f}x)", flush=True)


def trigger_coverage(corpus: Path) -> None:
    """The share of the corpus text each default rule's prefilter lets through to libcst."""
    import ast

    from perflint.blocks import split_blocks
    from perflint.config import Settings
    from perflint.engine import _Gate, _pieces, rules_for
    from perflint.facts import ModuleFacts
    from perflint.source import decode, split_lines

    rules = list(rules_for("x.py", Settings()))  # what a default run enables (no opt-in, no micro)
    total, passed, union = 0, dict.fromkeys(rules, 0), 0
    for path in sorted(corpus.rglob("*.py")):
        text = decode(path.read_bytes())
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            continue
        lines = split_lines(text)
        gate = _Gate(ModuleFacts.from_tree(tree, text), str(path))
        total += len(text)
        for block in split_blocks(tree, lines):
            for piece, candidates in _pieces(block, rules, split=True):
                size = len(piece.text)
                through = [rule for rule in candidates if gate.admits(rule, piece)]
                for rule in through:
                    passed[rule] += size
                union += size if through else 0
    print(f"text parsed by libcst (class headers count once per member): {union / total:.1%} of {total:,} characters")
    for rule in rules:
        print(f"  {rule.code} {rule.name:36s} {passed[rule] / total:6.1%}  triggers={rule.triggers}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=1, help="repeat the measurements; report medians")
    parser.add_argument("--scaling", action="store_true", help="also time 1/4, 1/2, 1x, 2x the corpus and --jobs 1")
    parser.add_argument("--editable", action="store_true", help="run the checkout's venv instead of a wheel install")
    parser.add_argument("--many-findings", type=float, metavar="MB", default=0,
                        help="only time the generated files with a finding in every function, of MB megabytes")
    parser.add_argument("--triggers", action="store_true", help="only print what each rule's prefilter lets by")
    args = parser.parse_args()
    files = stdlib_files()
    lines = sum(f.read_bytes().count(b"\n") for f in files)
    work = Path(tempfile.mkdtemp(prefix="perflint-bench-"))
    try:
        corpus = work / "corpus"
        copied = [] if args.many_findings else copy_corpus(files, corpus)
        if args.triggers:
            trigger_coverage(corpus)
            return
        perflint = BIN / "perflint" if args.editable else snapshot_install(work)
        if args.editable:
            # A wheel install has its bytecode compiled by pip; the checkout's modules are compiled
            # here, or with PYTHONDONTWRITEBYTECODE set every run would compile its ~100 modules
            # again (0.15 s of CPU per run, which no installed perflint pays).
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "server"), str(REPO / "rules")],
                           check=True, env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
        env = dict(os.environ, PERFLINT_CACHE_DIR=str(work / "cache"), RUFF_CACHE_DIR=str(work / "ruff-cache"))
        if args.many_findings:
            many_findings(perflint, work, env, int(args.many_findings * 1e6))
            return
        print(f"corpus: {len(copied)} files, {lines:,} lines; jobs={args.jobs}; perflint: {perflint}; "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        rounds = [one_round(n + 1, perflint, corpus, copied, args.jobs, env) for n in range(args.rounds)]

        def median(key: str) -> float:
            return statistics.median(r[key] for r in rounds)

        def ratio(top: str, bottom: str) -> float:
            return statistics.median(r[top] / r[bottom] for r in rounds)

        edited = lint_time(corpus / CHANGED)
        print(f"libcst.parse_module floor: {median('floor'):.2f} s")
        print(f"perflint cold (--no-cache): {median('cold'):.2f} s  ({ratio('cold', 'floor'):.2f}x floor; "
              f"CPU time {ratio('cold_cpu', 'floor_cpu'):.2f}x the floor's, which a busy machine moves less)")
        print(f"perflint warm (cache, unchanged tree, replayed): {median('warm') * 1000:.1f} ms")
        print(f"perflint warm, one file touched (per-file cache, no replay): {median('warm_per_file') * 1000:.1f} ms")
        print(f"ruff check --select PERF warm: {median('ruff') * 1000:.1f} ms")
        print(f"one changed file ({CHANGED}): {median('changed'):.2f} s; its lint alone {edited:.2f} s; "
              f"overhead {median('changed') - edited:.2f} s")
        print(f"peak RSS of any perflint process, cold run: {max(r['rss_mb'] for r in rounds):.0f} MB")
        if args.scaling:
            scaling(perflint, corpus, copied, args.jobs, env, work)
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
        print(f"cli: cold_vs_floor={ratio('cold', 'floor'):.2f} cold_cpu_vs_floor={ratio('cold_cpu', 'floor_cpu'):.2f} warm_s={median('warm'):.3f} "
              f"vs_ruff={ratio('warm', 'ruff'):.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
