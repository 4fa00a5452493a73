"""Editor latency of `perflint server`, with `ruff server` on the same files and edits as the reference.

For each server, over stdio, with a small JSON-RPC client of its own (so both
servers are driven identically):

- open -> diagnostics: ``didOpen`` sent until ``publishDiagnostics`` for it;
  each file is opened three times, as three documents (a full lint each), and
  its open figure is their median;
- change -> diagnostics: a one-character ``didChange`` (a space appended to
  a statement line inside a function body) until ``publishDiagnostics`` for
  that version; 30 edits per file, each on a different line, applied in turn;
- code action -> response: after each change, ``textDocument/codeAction`` on
  the diagnostic nearest the edited line (or on the edited line when the file
  has none) until its answer.

Files: the 5 largest modules of this Python's standard library that have
function bodies to edit (test suites and site-packages excluded), and 5 of
300-800 lines spread over that range. perflint runs with debounce 0. Each
server first opens a small warm-up file, not measured (it imports its rules).
For the "open" target each file's bare ``libcst.parse_module`` time is
measured in this process (best of 3).

    .venv/bin/python benchmarks/lsp_latency.py            # print the results
    .venv/bin/python benchmarks/lsp_latency.py --write    # and update benchmarks/RESULTS.md
    .venv/bin/python benchmarks/lsp_latency.py --giant    # only edits inside pydoc_data/topics.py's literal
    .venv/bin/python benchmarks/lsp_latency.py --many-findings 2   # a 2 MB file with a finding per function
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from datetime import date
from pathlib import Path
from typing import Any, Optional

from lsp_wire import read_message
from results_md import write_section

EDITS_PER_FILE = 30
OPENS = 3  # per file; the file's open figure is their median
LARGEST = 5
MEDIUM = 5
MEDIUM_LINES = (300, 800)
HEADING = "## LSP latency (`benchmarks/lsp_latency.py`)"
ANALYSIS = "### Where the time goes"  # written by hand below the measured part; --write keeps it
CAPABILITIES = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"didSave": True},
        "publishDiagnostics": {"versionSupport": True, "codeDescriptionSupport": True, "dataSupport": True},
        "codeAction": {
            "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source", "source.fixAll"]}},
            "dataSupport": True,
            "resolveSupport": {"properties": ["edit"]},
        },
    },
    "workspace": {"configuration": True, "workspaceEdit": {"documentChanges": True}},
}


# --- a minimal LSP client over stdio ----------------------------------------------


class Client:
    def __init__(self, command: list[str], settings: dict) -> None:
        self.command = command
        self.settings = settings
        self.process: Optional[asyncio.subprocess.Process] = None
        self.next_id = 0
        self.pending: dict[int, asyncio.Future] = {}
        self.published: dict[str, list[tuple[Optional[int], list, float]]] = {}
        self.arrived = asyncio.Event()

    async def start(self, root: str) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            limit=64 * 1024 * 1024,
        )
        self.reader = asyncio.ensure_future(self._read())
        await self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": Path(root).as_uri(),
                "capabilities": CAPABILITIES,
                "initializationOptions": self.settings,
            },
        )
        self.notify("initialized", {})

    async def stop(self) -> None:
        await self.request("shutdown", None)
        self.notify("exit", None)
        await asyncio.wait_for(self.process.wait(), 30)
        self.reader.cancel()

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return await asyncio.wait_for(future, 600)

    async def _read(self) -> None:
        while (message := await read_message(self.process.stdout)) is not None:
            self._dispatch(message)

    def _dispatch(self, message: dict) -> None:
        if "method" not in message:  # a response to one of our requests
            future = self.pending.pop(message["id"], None)
            if future is not None and not future.done():
                future.set_result(message.get("result"))
            return
        if message["method"] == "textDocument/publishDiagnostics":
            params = message["params"]
            entries = self.published.setdefault(params["uri"], [])
            entries.append((params.get("version"), params["diagnostics"], time.perf_counter()))
            self.arrived.set()
        elif "id" in message:  # a request from the server
            result = None
            if message["method"] == "workspace/configuration":
                result = [self.settings.get("perflint") for _ in message["params"]["items"]]
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    async def diagnostics_after(self, uri: str, count: int, version: Optional[int]) -> tuple[list, float]:
        """The first publish for ``uri`` beyond the first ``count``, for ``version`` when the server says."""
        while True:
            for published_version, diagnostics, received in self.published.get(uri, [])[count:]:
                if version is None or published_version is None or published_version >= version:
                    return diagnostics, received
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), 600)


# --- files and edits ----------------------------------------------------------------


def stdlib_files() -> list[Path]:
    """The benchmark's files: the largest stdlib modules with functions, and medium ones."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    candidates = []
    for path in stdlib.rglob("*.py"):
        parts = set(path.relative_to(stdlib).parts)
        if parts & {"site-packages", "test", "tests", "idle_test"}:
            continue
        candidates.append(path)
    by_size = sorted(candidates, key=lambda p: (-p.stat().st_size, str(p)))
    editable = [p for p in by_size if len(edit_lines(p.read_text(encoding="utf-8"))) >= EDITS_PER_FILE]
    largest = editable[:LARGEST]
    low, high = MEDIUM_LINES
    medium = [p for p in editable if low <= count_lines(p) <= high]
    step = max(len(medium) // MEDIUM, 1)
    return largest + medium[::step][:MEDIUM]


def label(path: Path) -> str:
    """The file's path inside the standard library (``tkinter/__init__.py``)."""
    return path.relative_to(sysconfig.get_paths()["stdlib"]).as_posix()


def count_lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def edit_lines(text: str) -> list[int]:
    """0-based lines where a statement inside a function body starts (and no backslash ends the line)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    lines = text.split("\n")
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for statement in ast.walk(node):
                if isinstance(statement, ast.stmt) and statement is not node:
                    line = statement.lineno - 1
                    if not lines[line].rstrip().endswith("\\"):
                        found.add(line)
    return sorted(found)


def chosen_edits(text: str) -> list[int]:
    lines = edit_lines(text)
    step = len(lines) / EDITS_PER_FILE
    return [lines[int(i * step)] for i in range(EDITS_PER_FILE)]


def libcst_parse_seconds(text: str) -> float:
    import libcst

    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        libcst.parse_module(text)
        best = min(best, time.perf_counter() - started)
    return best


# --- one server over all files ----------------------------------------------------------


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def document(uri: str, text: str) -> dict:
    return {"uri": uri, "languageId": "python", "version": 1, "text": text}


def span(line: int, start: int, end: int) -> dict:
    return {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}


async def measure(command: list[str], settings: dict, files: list[Path], workdir: Path) -> dict:
    client = Client(command, settings)
    await client.start(str(workdir))
    warmup = (workdir / "warmup.py").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": document(warmup, "def f(x):\n    return x\n")})
    await client.diagnostics_after(warmup, 0, None)
    samples: dict[str, list[float]] = {"open": [], "change": [], "code_action": []}
    opens: dict[str, float] = {}
    changes: dict[str, list[float]] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        uri = (workdir / label(path)).as_uri()
        # Each open is a new document (its own URI): a full lint. The last one is edited.
        uris = [(workdir / f"open{attempt}" / label(path)).as_uri() for attempt in range(1, OPENS)] + [uri]
        times = []
        for opened in uris:
            started = time.perf_counter()
            client.notify("textDocument/didOpen", {"textDocument": document(opened, text)})
            diagnostics, received = await client.diagnostics_after(opened, 0, None)
            times.append(received - started)
            if opened != uri:
                client.notify("textDocument/didClose", {"textDocument": {"uri": opened}})
        samples["open"].extend(times)
        opens[label(path)] = statistics.median(times)
        for version, line in enumerate(chosen_edits(text), start=2):
            column = utf16_length(lines[line])
            lines[line] += " "
            count = len(client.published.get(uri, []))
            started = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": span(line, column, column), "text": " "}],
                },
            )
            diagnostics, received = await client.diagnostics_after(uri, count, version)
            samples["change"].append(received - started)
            changes.setdefault(label(path), []).append(received - started)
            near = sorted(diagnostics, key=lambda d: abs(d["range"]["start"]["line"] - line))[:1]
            target = near[0]["range"] if near else span(line, 0, column)
            started = time.perf_counter()
            await client.request(
                "textDocument/codeAction",
                {"textDocument": {"uri": uri}, "range": target, "context": {"diagnostics": near}},
            )
            samples["code_action"].append(time.perf_counter() - started)
        client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    await client.stop()
    return {"samples": samples, "opens": opens, "changes": changes}


GIANT = "pydoc_data/topics.py"  # one 15,711-line dict literal (issue 19)


def giant_edits(text: str) -> list[tuple[int, int]]:
    """(0-based line, column): a character typed before the closing quote of a string on
    lines strictly inside the file's largest statement, spread over it."""
    tree = ast.parse(text)
    statement = max(tree.body, key=lambda node: node.end_lineno - node.lineno)
    lines = text.split("\n")
    inside = [
        number
        for number in range(statement.lineno, statement.end_lineno - 1)
        if lines[number].rstrip().endswith("'") and lines[number].count("'") >= 2
    ]
    step = len(inside) / EDITS_PER_FILE
    chosen = [inside[int(i * step)] for i in range(EDITS_PER_FILE)]
    return [(line, utf16_length(lines[line][: lines[line].rstrip().rindex("'")])) for line in chosen]


async def measure_giant(command: list[str], settings: dict, workdir: Path) -> list[float]:
    """change -> diagnostics for one-character edits inside ``GIANT``'s data literal."""
    path = Path(sysconfig.get_paths()["stdlib"]) / GIANT
    text = path.read_text(encoding="utf-8")
    client = Client(command, settings)
    await client.start(str(workdir))
    uri = (workdir / GIANT).as_uri()
    client.notify("textDocument/didOpen", {"textDocument": document(uri, text)})
    await client.diagnostics_after(uri, 0, None)
    times = []
    for version, (line, column) in enumerate(giant_edits(text), start=2):
        count = len(client.published.get(uri, []))
        started = time.perf_counter()
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": span(line, column, column), "text": "x"}],
            },
        )
        await client.diagnostics_after(uri, count, version)
        times.append(time.perf_counter() - started)
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    await client.stop()
    return times


async def measure_many_findings(command: list[str], settings: dict, workdir: Path, megabytes: float) -> dict:
    """Issue 19: the generated file with a ``pop(0)`` queue in every function (a finding and an
    import-adding fix each), opened in the server: open -> first diagnostics, against
    ``perflint check --no-cache --jobs 1`` of the same file in the same run; and a hover on a
    small document sent right after the open, which must be answered at once."""
    from cli_speed import MANY_FINDINGS

    template = MANY_FINDINGS["pop-front"]
    parts, length, i = [], 0, 0
    while length < megabytes * 1e6:
        parts.append(template.format(i=i))
        length += len(parts[-1])
        i += 1
    text = "".join(parts)
    path = workdir / "many_findings.py"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "perflint", "check", "--no-cache", "--jobs", "1", "--exit-zero", str(path)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    cli = time.perf_counter() - started
    client = Client(command, settings)
    await client.start(str(workdir))
    small_uri = (workdir / "small.py").as_uri()
    small = "def f(rows):\n    for r in rows:\n        print(r)\n"
    client.notify("textDocument/didOpen", {"textDocument": document(small_uri, small)})
    await client.diagnostics_after(small_uri, 0, None)
    uri = path.as_uri()
    started = time.perf_counter()
    client.notify("textDocument/didOpen", {"textDocument": document(uri, text)})
    await client.request("textDocument/hover", {"textDocument": {"uri": small_uri}, "position": {"line": 1, "character": 8}})
    hover = time.perf_counter() - started
    diagnostics, received = await client.diagnostics_after(uri, 0, None)
    opened = received - started
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    await client.stop()
    return {"functions": i, "findings": len(diagnostics), "cli": cli, "open": opened, "hover": hover,
            "bytes": len(text.encode())}


# --- reporting ---------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(int(round(fraction * (len(ordered) - 1))), len(ordered) - 1)
    return ordered[index]


def milliseconds(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def report(results: dict, files: list[Path], parse_times: dict[str, float]) -> str:
    lines = [
        HEADING,
        "",
        f"Run on {date.today().isoformat()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the start. {len(files)} standard-library files, "
        f"{EDITS_PER_FILE} one-character edits in function bodies each; perflint with debounce 0.",
        "",
        "| server | open → diagnostics p50 / p95 / max | change → diagnostics p50 / p95 / max "
        "| code action → response p50 / p95 / max |",
        "|---|---|---|---|",
    ]
    for name, result in results.items():
        cells = []
        for metric in ("open", "change", "code_action"):
            values = result["samples"][metric]
            summary = (percentile(values, 0.5), percentile(values, 0.95), max(values))
            cells.append(" / ".join(milliseconds(v) for v in summary))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    ruff = "ruff server" in results
    lines += ["", *targets(results, files, parse_times)]
    lines += [
        "",
        "Per file. *open* is the median of three opens; *ratio* is perflint's open over the bare "
        "`libcst.parse_module` of the file "
        "(best of 3, in the benchmark process); *change* is change → diagnostics p50 / max over the file's 30 edits.",
        "",
        "| file | lines | libcst parse | perflint open | ratio | perflint change |"
        + (" ruff open | ruff change |" if ruff else ""),
        "|---|---|---|---|---|---|" + ("---|---|" if ruff else ""),
    ]
    for path in files:
        name, parse = label(path), parse_times[label(path)]
        ours = results["perflint server"]
        row = (
            f"| {name} | {count_lines(path):,} | {milliseconds(parse)} | {milliseconds(ours['opens'][name])} "
            f"| {ours['opens'][name] / parse:.2f}× | {_p50_max(ours['changes'][name])} |"
        )
        if ruff:
            theirs = results["ruff server"]
            row += f" {milliseconds(theirs['opens'][name])} | {_p50_max(theirs['changes'][name])} |"
        lines.append(row)
    return "\n".join(lines) + "\n"


def targets(results: dict, files: list[Path], parse_times: dict[str, float]) -> list[str]:
    """The issue's targets, each marked met or not from this run's numbers."""
    ours = results["perflint server"]["samples"]
    ours_opens = results["perflint server"]["opens"]
    rows = ["| target | this run | met |", "|---|---|---|"]
    if "ruff server" in results:
        reference = percentile(results["ruff server"]["samples"]["change"], 0.95)
        value = percentile(ours["change"], 0.95)
        rows.append(
            f"| change → diagnostics p95 ≤ ruff server's ({milliseconds(reference)}) | {milliseconds(value)} "
            f"| {'yes' if value <= reference else 'no'} |"
        )
    value = percentile(ours["code_action"], 0.95)
    rows.append(f"| code action → response p95 ≤ 5 ms | {milliseconds(value)} | {'yes' if value <= 0.005 else 'no'} |")
    within = [path for path in files if ours_opens[label(path)] <= 1.2 * parse_times[label(path)]]
    rows.append(
        f"| open → diagnostics ≤ 1.2× the file's bare libcst parse | {len(within)} of {len(files)} files "
        f"| {'yes' if len(within) == len(files) else 'no'} |"
    )
    return ["Targets from the issue:", "", *rows]


def _p50_max(values: list[float]) -> str:
    return f"{milliseconds(percentile(values, 0.5))} / {milliseconds(max(values))}"


async def main_async(args) -> int:
    files = [] if args.giant or args.many_findings else stdlib_files()
    parse_times = {label(path): libcst_parse_seconds(path.read_text(encoding="utf-8")) for path in files}
    workdir = Path(args.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    servers = {"perflint server": ([sys.executable, "-m", "perflint", "server"], {"perflint": {"debounce": 0}})}
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff and not args.no_ruff:
        servers["ruff server"] = ([ruff, "server"], {})
    if args.many_findings:
        command, settings = servers["perflint server"]
        found = await measure_many_findings(command, settings, workdir, args.many_findings)
        print(
            f"perflint server: {found['bytes'] / 1e6:.1f} MB, {found['functions']:,} functions with a pop(0) queue, "
            f"{found['findings']:,} diagnostics; open → diagnostics {found['open']:.1f} s against "
            f"`perflint check --jobs 1` {found['cli']:.1f} s ({found['open'] / found['cli']:.2f}×, target < 2×); "
            f"a hover sent after the open answered in {milliseconds(found['hover'])}"
        )
        return 0
    if args.giant:
        for name, (command, settings) in servers.items():
            times = await measure_giant(command, settings, workdir)
            print(
                f"{name}: {GIANT}, {len(times)} edits inside its data literal, change → diagnostics p50 / p95 / max "
                f"{milliseconds(percentile(times, 0.5))} / {milliseconds(percentile(times, 0.95))} / "
                f"{milliseconds(max(times))}"
            )
        return 0
    results = {}
    for name, (command, settings) in servers.items():
        print(f"{name}: {len(files)} files ...", file=sys.stderr)
        results[name] = await measure(command, settings, files, workdir)
    section = report(results, files, parse_times)
    print(section)
    if args.write:
        write_section(section, keep=ANALYSIS)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update the LSP section of benchmarks/RESULTS.md")
    parser.add_argument("--giant", action="store_true", help=f"only time edits inside {GIANT}'s data literal")
    parser.add_argument("--no-ruff", action="store_true", help="skip the ruff server reference run")
    parser.add_argument("--many-findings", type=float, metavar="MB",
                        help="only open a generated MB-sized file with a finding in every function (issue 19)")
    parser.add_argument("--workdir", default="/tmp/perflint-lsp-bench", help="folder the documents pretend to live in")
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
