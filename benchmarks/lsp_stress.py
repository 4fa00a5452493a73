"""`perflint server` under the load of a real editor, and worse.

One server per client kind: a client that resolves code actions
(``codeAction.resolveSupport``, as VS Code) and one that does not (as
Neovim, Emacs and most others). Each session, over stdio with a small
JSON-RPC client of its own:

- opens many documents at once: standard-library modules, plus one generated
  15,000-line module with a safely fixable finding every 50 lines (PF404, of the
  micro group, which the session's ``pyproject.toml`` selects);
- sends random incremental edits (typing a character, deleting a line,
  pasting a function with a PF404 loop, half-typed lines that do not parse),
  and between them code-action (without an ``only`` filter, with the
  diagnostics the client was sent), hover and pull-diagnostic requests, some
  fix-alls (resolved, or run as the command), documents opened and closed,
  and malformed messages (bodies that are not JSON, a header block without
  Content-Length, a position with line -5);
- then saves every document to disk and checks that the diagnostics the
  server gives equal ``perflint check`` on the saved files, that every
  request was answered, that nothing was shown to the user, that stderr has
  no traceback, and how much memory comes back when every document is closed.

    .venv/bin/python benchmarks/lsp_stress.py            # 200 documents, 10,000 edits per client
    .venv/bin/python benchmarks/lsp_stress.py --write    # and update benchmarks/RESULTS.md
    .venv/bin/python benchmarks/lsp_stress.py --documents 20 --edits 500   # a quick look

``tests/test_lsp_stress.py`` runs a small version of the same session.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import keyword
import os
import platform
import random
import re
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

from lsp_wire import read_message
from results_md import write_section

HEADING = "## LSP stress (`benchmarks/lsp_stress.py`)"
SERVER = [sys.executable, "-m", "perflint", "server"]
PERFLINT = [sys.executable, "-m", "perflint"]
ANSWER_GUARD_S = 600  # a request not answered after this long counts as unanswered

_BASE_CAPABILITIES = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"didSave": True},
        "publishDiagnostics": {"versionSupport": True, "codeDescriptionSupport": True, "dataSupport": True},
        "codeAction": {
            "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source", "source.fixAll"]}},
            "dataSupport": True,
        },
    },
    "workspace": {"configuration": True, "applyEdit": True, "workspaceEdit": {"documentChanges": True}},
}
CLIENTS = {
    "resolves code actions": {"resolveSupport": {"properties": ["edit"]}},
    "no resolve support": {},
}


def capabilities(kind: str) -> dict:
    caps = json.loads(json.dumps(_BASE_CAPABILITIES))
    caps["textDocument"]["codeAction"].update(CLIENTS[kind])
    return caps


@dataclass
class Config:
    documents: int = 200
    edits: int = 10_000
    big_lines: int = 15_000
    seed: int = 0
    settle_s: float = 15.0  # how long RSS may take to come down after the last close


# --- a minimal LSP client over stdio ----------------------------------------------


class Client:
    def __init__(self, command: list[str], caps: dict, settings: dict) -> None:
        self.command = command
        self.caps = caps
        self.settings = settings
        self.next_id = 0
        self.pending: dict[int, tuple[str, float, asyncio.Future]] = {}
        self.latencies: dict[str, list[float]] = {}
        self.published: dict[str, tuple[Optional[int], list]] = {}
        self.shown: list[str] = []
        self.applied: list[dict] = []
        self.stderr = b""
        self.arrived = asyncio.Event()

    async def start(self, root: Path) -> Any:
        self.process = await asyncio.create_subprocess_exec(
            *self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=root,
            limit=256 * 1024 * 1024,
        )
        self.readers = [asyncio.ensure_future(self._read()), asyncio.ensure_future(self._read_stderr())]
        answer = await self.request(
            "initialize",
            {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": self.caps,
             "initializationOptions": {"perflint": self.settings}},
        )
        self.notify("initialized", {})
        return answer

    async def stop(self) -> int:
        await self.request("shutdown", None)
        self.notify("exit", None)
        code = await asyncio.wait_for(self.process.wait(), 60)
        await asyncio.wait_for(asyncio.gather(*self.readers, return_exceptions=True), 60)
        return code

    def rss_mb(self) -> float:
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def send_raw(self, data: bytes) -> None:
        self.process.stdin.write(data)

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request_later(self, method: str, params: Any, label: Optional[str] = None) -> asyncio.Future:
        """Send a request; the future gets the whole answer (``result`` or ``error``)."""
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = (label or method, time.perf_counter(), future)
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return future

    async def request(self, method: str, params: Any, label: Optional[str] = None) -> Any:
        answer = await asyncio.wait_for(self.request_later(method, params, label), ANSWER_GUARD_S)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result")

    async def _read(self) -> None:
        while (message := await read_message(self.process.stdout)) is not None:
            self._dispatch(message)

    async def _read_stderr(self) -> None:
        while chunk := await self.process.stderr.read(65536):
            self.stderr += chunk

    def _dispatch(self, message: dict) -> None:
        if "method" not in message:
            entry = self.pending.pop(message.get("id"), None)
            if entry is not None:
                label, sent, future = entry
                self.latencies.setdefault(label, []).append(time.perf_counter() - sent)
                if not future.done():
                    future.set_result(message)
            return
        method, params = message["method"], message.get("params")
        if method == "textDocument/publishDiagnostics":
            self.published[params["uri"]] = (params.get("version"), params["diagnostics"])
            self.arrived.set()
        elif method == "window/showMessage":
            self.shown.append(params["message"])
        if "id" in message:  # a request from the server
            result: Any = None
            if method == "workspace/configuration":
                result = [self.settings for _ in params["items"]]
            elif method == "workspace/applyEdit":
                self.applied.append(params["edit"])
                result = {"applied": True}
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})


# --- documents and edits ---------------------------------------------------------------


def generated_module(lines: int, every: int = 50) -> str:
    """Plain functions, one with a fixable PF404 loop every ``every`` lines."""
    out: list[str] = ['"""A generated module."""', ""]
    index = 0
    while len(out) < lines:
        if len(out) // every != (len(out) + 9) // every:
            out += [f"def read_{index}(path):", "    with open(path) as handle:", "        for line in handle.readlines():"]
            out += ["            print(line)", ""]
        else:
            out += [f"def compute_{index}(values, scale):", "    total = 0", "    for value in values:"]
            out += ["        total += value * scale", "    return total", ""]
        index += 1
    return "\n".join(out) + "\n"


def write_project_config(root: Path) -> None:
    """Select the micro group too, for the server and ``perflint check`` alike: the generated
    module's PF404 loops (a safe fix each) are micro findings, off by default, and without them
    the 15,000-line document would have no fix to offer and no fix-all to compute."""
    (root / "pyproject.toml").write_text('[tool.perflint]\nselect = ["PF", "micro"]\n', encoding="utf-8")


def stdlib_documents(count: int) -> list[str]:
    """``count`` standard-library modules of 100-3,000 lines that parse, in a stable order."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    texts = []
    for path in sorted(stdlib.glob("*.py")) + sorted(stdlib.glob("*/*.py")):
        if "site-packages" in path.parts or "test" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
            compile(text, str(path), "exec", dont_inherit=True)
        except (UnicodeDecodeError, SyntaxError, ValueError):
            continue
        if "\r" in text or "\x0c" in text or not 100 <= text.count("\n") <= 3000:
            continue
        texts.append(text)
        if len(texts) == count:
            break
    return texts


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class Document:
    """The client's copy of one open document; edits are made here and sent as LSP changes."""

    def __init__(self, uri: str, text: str) -> None:
        self.uri = uri
        self.lines = text.split("\n")  # the last element is what follows the last newline
        self.version = 1

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def change(self, line: int, column: int, end_line: int, end_column: int, new: str) -> dict:
        """Replace from (line, code-point column) to (end_line, end_column); the LSP change."""
        lsp_range = {
            "start": {"line": line, "character": utf16(self.lines[line][:column])},
            "end": {"line": end_line, "character": utf16(self.lines[end_line][:end_column])},
        }
        merged = self.lines[line][:column] + new + self.lines[end_line][end_column:]
        self.lines[line : end_line + 1] = merged.split("\n")
        return {"range": lsp_range, "text": new}


def _identifier_positions(line: str) -> list[int]:
    """Columns just after a character of a name (not a keyword): typing there keeps the line parsing."""
    spots = []
    for match in re.finditer(r"[A-Za-z_][A-Za-z0-9_]*", line):
        if not keyword.iskeyword(match.group()) and not keyword.issoftkeyword(match.group()):
            spots += range(match.start() + 1, match.end() + 1)
    return spots


def random_changes(document: Document, rng: random.Random, serial: int) -> list[list[dict]]:
    """One burst of editing, as an editor would send it: a list of didChange notifications,
    each a list of changes. Most edits keep the file parsing (typing inside a name, pasting
    or removing a function); a few break it for a while, as half-typed code does."""
    lines = document.lines
    kind = rng.random()
    line = rng.randrange(len(lines))
    if kind < 0.5:  # type a character inside a name (now and then anywhere)
        spots = _identifier_positions(lines[line])
        if spots and rng.random() < 0.9:
            column = rng.choice(spots)
            return [[document.change(line, column, line, column, rng.choice("abcxyz_0"))]]
        column = rng.randrange(len(lines[line]) + 1)  # a stray character, deleted in the next notification
        return [[document.change(line, column, line, column, rng.choice(" (:.,"))],
                [document.change(line, column, line, column + 1, "")]]
    if kind < 0.65:  # delete a character inside a name
        spots = [i for i in _identifier_positions(lines[line]) if i + 1 < len(lines[line]) and lines[line][i + 1].isalnum()]
        if spots:
            column = rng.choice(spots)
            return [[document.change(line, column, line, column + 1, "")]]
        return []
    if kind < 0.8:  # paste a function with a finding before a top-level line
        tops = [i for i in range(line, min(line + 400, len(lines))) if lines[i].startswith(("def ", "class "))]
        at = tops[0] if tops else len(lines) - 1
        pasted = f"def pasted_{serial}(path):\n    for row in open(path).readlines():\n        print(row)\n\n\n"
        return [[document.change(at, 0, at, 0, pasted)]]
    if kind < 0.9:  # remove a function pasted earlier
        pasted = [i for i, text in enumerate(lines) if text.startswith("def pasted_")]
        if pasted:
            at = rng.choice(pasted)
            return [[document.change(at, 0, at + 5, 0, "")]]
        return []
    # half a line, then the rest in the next notification: the file does not parse in between
    at = rng.randrange(len(lines))
    return [[document.change(at, 0, at, 0, "total = sum(\n")], [document.change(at, 0, at + 1, 0, "")]]


# --- one session -----------------------------------------------------------------------------------


@dataclass
class SessionResult:
    client: str
    documents: int
    edits: int
    requests: int = 0
    unanswered: int = 0
    errors: dict[str, int] = field(default_factory=dict)  # error answers by label (expected: "malformed")
    latencies: dict[str, list[float]] = field(default_factory=dict)
    mismatched: list[str] = field(default_factory=list)  # documents whose final diagnostics differ from check
    unparsable: int = 0  # documents whose saved text does not parse (compared on PF000 only)
    shown: list[str] = field(default_factory=list)
    tracebacks: int = 0
    applied: int = 0
    rss_idle: float = 0.0
    rss_peak: float = 0.0
    rss_closed: float = 0.0
    seconds: float = 0.0
    exit_code: Optional[int] = None


MALFORMED = [
    b"Content-Length: 12\r\n\r\n{not json!!}",
    b"Content-Length: 4\r\n\r\n\xff\xfe\x00\x01",
    b'Content-Type: application/json\r\n\r\n{"jsonrpc": "2.0", "method": "initialized", "params": {}}',
]


async def session(kind: str, config: Config, workdir: Path) -> SessionResult:
    rng = random.Random(config.seed)
    started = time.perf_counter()
    root = workdir / kind.replace(" ", "-")
    root.mkdir(parents=True)
    write_project_config(root)
    client = Client(SERVER, capabilities(kind), {"debounce": 20})
    await client.start(root)
    result = SessionResult(kind, config.documents, config.edits)
    warm = Document((root / "warm.py").as_uri(), "def f(path):\n    for x in open(path).readlines():\n        print(x)\n")
    client.notify("textDocument/didOpen", {"textDocument": _item(warm)})
    await _published(client, warm)
    result.rss_idle = client.rss_mb()

    texts = stdlib_documents(config.documents - 1) + [generated_module(config.big_lines)]
    documents = [Document((root / f"doc{i:03d}.py").as_uri(), text) for i, text in enumerate(texts)]
    big = documents[-1]
    for document in documents:  # all at once, as an editor restoring a session does
        client.notify("textDocument/didOpen", {"textDocument": _item(document)})
    futures: list[tuple[str, asyncio.Future]] = []

    def ask(method: str, params: Any, label: str) -> None:
        futures.append((label, client.request_later(method, params, label)))

    churn: list[Document] = []
    for serial in range(config.edits):
        document = big if rng.random() < 0.2 else rng.choice(documents)
        for changes in random_changes(document, rng, serial):
            document.version += 1
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": document.uri, "version": document.version}, "contentChanges": changes},
            )
        roll = rng.random()
        if roll < 0.35:  # what an editor asks when the cursor moves: code actions, no filter
            target = big if rng.random() < 0.5 else document
            ask("textDocument/codeAction", _code_action_params(client, target, rng),
                "code action (15k-line file)" if target is big else "code action")
        elif roll < 0.5:
            line = rng.randrange(len(document.lines))
            ask("textDocument/hover", {"textDocument": {"uri": document.uri},
                                       "position": {"line": line, "character": 4}}, "hover")
        elif roll < 0.55:
            ask("textDocument/diagnostic", {"textDocument": {"uri": document.uri}}, "pull diagnostics")
        elif roll < 0.56:
            await _fix_all(client, kind, document if rng.random() < 0.9 else big, rng, ask)
        elif roll < 0.57:
            bad = rng.randrange(len(MALFORMED) + 1)
            if bad == len(MALFORMED):
                ask("textDocument/hover", {"textDocument": {"uri": document.uri},
                                           "position": {"line": -5, "character": 0}}, "malformed")
            else:
                client.send_raw(MALFORMED[bad])
        elif roll < 0.59:  # open a document, close one opened earlier
            extra = Document((root / f"extra{serial}.py").as_uri(), rng.choice(texts[:-1]))
            client.notify("textDocument/didOpen", {"textDocument": _item(extra)})
            churn.append(extra)
            if len(churn) > 3:
                gone = churn.pop(0)
                client.notify("textDocument/didClose", {"textDocument": {"uri": gone.uri}})
        if serial % 20 == 0:
            await asyncio.sleep(0.001)  # let answers in, as an editor's event loop would
            result.rss_peak = max(result.rss_peak, client.rss_mb())
    for gone in churn:
        client.notify("textDocument/didClose", {"textDocument": {"uri": gone.uri}})

    # Every request answered?
    done, waiting = await asyncio.wait([f for _, f in futures], timeout=ANSWER_GUARD_S) if futures else (set(), set())
    result.requests, result.unanswered = len(futures), len(waiting)
    for label, future in futures:
        if future.done() and "error" in future.result():
            result.errors[label] = result.errors.get(label, 0) + 1
    result.rss_peak = max(result.rss_peak, client.rss_mb())

    # Saved text: the server's diagnostics must be `perflint check`'s.
    for index, document in enumerate(documents):
        (root / f"doc{index:03d}.py").write_text(document.text, encoding="utf-8")
        client.notify("textDocument/didSave", {"textDocument": {"uri": document.uri}})
    expected = check(root, [root / f"doc{i:03d}.py" for i in range(len(documents))])
    for index, document in enumerate(documents):
        report = await client.request("textDocument/diagnostic", {"textDocument": {"uri": document.uri}})
        got = sorted(_finding_of(d, document) for d in report["items"])
        wanted = expected.get(f"doc{index:03d}.py", [])
        if any(code == "PF000" for code, _, _ in wanted):
            # A file that does not parse: the server keeps the findings of the functions the
            # syntax error is not in (by design); the error itself must be the same.
            result.unparsable += 1
            got = [finding for finding in got if finding[0] == "PF000"]
        if got != wanted:
            only_server = sorted(set(got) - set(wanted))[:3]
            only_check = sorted(set(wanted) - set(got))[:3]
            result.mismatched.append(f"doc{index:03d}.py (server only: {only_server}; check only: {only_check})")
    result.rss_peak = max(result.rss_peak, client.rss_mb())

    # Memory after closing everything.
    for document in [*documents, warm]:
        client.notify("textDocument/didClose", {"textDocument": {"uri": document.uri}})
    result.rss_closed = await _settled_rss(client, config.settle_s)
    result.latencies = {label: values for label, values in client.latencies.items()}
    result.shown = list(client.shown)
    result.applied = len(client.applied)
    result.exit_code = await client.stop()
    result.tracebacks = client.stderr.count(b"Traceback")
    if os.environ.get("PERFLINT_MEMSTATS"):
        print(client.stderr.decode(errors="replace")[-3000:], file=sys.stderr)
    result.seconds = time.perf_counter() - started
    return result


def _item(document: Document) -> dict:
    return {"uri": document.uri, "languageId": "python", "version": document.version, "text": document.text}


async def _published(client: Client, document: Document) -> None:
    while client.published.get(document.uri, (None,))[0] != document.version:
        client.arrived.clear()
        await asyncio.wait_for(client.arrived.wait(), ANSWER_GUARD_S)


def _code_action_params(client: Client, document: Document, rng: random.Random) -> dict:
    diagnostics = client.published.get(document.uri, (None, []))[1]
    if diagnostics:
        near = [rng.choice(diagnostics)]
        where = near[0]["range"]
    else:
        line = rng.randrange(len(document.lines))
        near, where = [], {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}
    return {"textDocument": {"uri": document.uri}, "range": where, "context": {"diagnostics": near}}


async def _fix_all(client: Client, kind: str, document: Document, rng: random.Random, ask) -> None:
    """Pick "fix all" the way this client would: resolve it, or run its command."""
    only = {"only": ["source.fixAll"], "diagnostics": []}
    params = {"textDocument": {"uri": document.uri}, "range": _code_action_params(client, document, rng)["range"],
              "context": only}
    answer = await asyncio.wait_for(client.request_later("textDocument/codeAction", params, "code action"), ANSWER_GUARD_S)
    for action in answer.get("result") or []:
        if "command" in action and isinstance(action["command"], dict):
            command = action["command"]
            ask("workspace/executeCommand", {"command": command["command"], "arguments": command.get("arguments")},
                "fix all")
        elif "edit" not in action and "data" in action:
            ask("codeAction/resolve", action, "fix all")


def _finding_of(diagnostic: dict, document: Document) -> tuple:
    start = diagnostic["range"]["start"]
    line_text = document.lines[start["line"]] if start["line"] < len(document.lines) else ""
    column = len(line_text.encode("utf-16-le")[: 2 * start["character"]].decode("utf-16-le", "ignore"))
    return diagnostic["code"], start["line"] + 1, column + 1


def check(root: Path, paths: list[Path]) -> dict[str, list[tuple]]:
    """``perflint check --format json`` on the saved files: (code, line, column) per file name."""
    done = subprocess.run(
        [*PERFLINT, "check", "--format", "json", "--no-cache", "--exit-zero", *[p.name for p in paths]],
        cwd=root, capture_output=True, text=True, timeout=ANSWER_GUARD_S,
    )
    found: dict[str, list[tuple]] = {}
    for finding in json.loads(done.stdout or "[]"):
        found.setdefault(finding["path"], []).append((finding["code"], finding["line"], finding["column"]))
    return {path: sorted(items) for path, items in found.items()}


async def _settled_rss(client: Client, settle_s: float) -> float:
    """RSS once it has not moved for two seconds, read no sooner than 5 s after the last
    close (the server collects 2 s after it, later if a lint is still running), or after
    ``settle_s``."""
    deadline = time.monotonic() + settle_s
    readings = [client.rss_mb()]
    while time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        readings.append(client.rss_mb())
        if len(readings) >= 11 and max(readings[-5:]) - min(readings[-5:]) < 1:
            break
    return readings[-1]


async def run(config: Config) -> list[SessionResult]:
    with tempfile.TemporaryDirectory(prefix="perflint-stress-") as workdir:
        return [await session(kind, config, Path(workdir)) for kind in CLIENTS]


# --- reporting ------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(round(fraction * (len(ordered) - 1))), len(ordered) - 1)]


def milliseconds(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


def report(results: list[SessionResult], config: Config) -> str:
    first = results[0]
    lines = [
        HEADING,
        "",
        f"Run on {date.today().isoformat()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end. Per client: {first.documents} documents open at once "
        f"({first.documents - 1} standard-library modules and a generated {config.big_lines:,}-line module), "
        f"{first.edits:,} random incremental edits with requests in between, debounce 20 ms.",
        "",
        "| client | requests | unanswered | final diagnostics = `perflint check` | shown to the user "
        "| tracebacks | RSS idle / peak / all closed | wall time |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        equal = f"{r.documents - len(r.mismatched)} of {r.documents} ({r.unparsable} not parsing)"
        lines.append(
            f"| {r.client} | {r.requests:,} | {r.unanswered} | {equal} | {len(r.shown)} | {r.tracebacks} "
            f"| {r.rss_idle:.0f} / {r.rss_peak:.0f} / {r.rss_closed:.0f} MB | {r.seconds:.0f} s |"
        )
    lines += ["", "| client | request | count | p50 / p95 / max |", "|---|---|---|---|"]
    for r in results:
        for label in sorted(r.latencies):
            if label in ("initialize", "shutdown"):
                continue
            values = r.latencies[label]
            summary = " / ".join(milliseconds(v) for v in (percentile(values, 0.5), percentile(values, 0.95), max(values)))
            lines.append(f"| {r.client} | {label} | {len(values):,} | {summary} |")
    return "\n".join(lines) + "\n"


NOTES = "### Notes on earlier runs"  # written by hand below the measured part; --write keeps it


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=Config.documents)
    parser.add_argument("--edits", type=int, default=Config.edits)
    parser.add_argument("--big-lines", type=int, default=Config.big_lines)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    config = Config(args.documents, args.edits, args.big_lines, args.seed)
    results = asyncio.run(run(config))
    text = report(results, config)
    print(text)
    for r in results:
        if r.mismatched:
            print(f"{r.client}: diagnostics differ from `perflint check` in {', '.join(r.mismatched)}")
        if r.shown:
            print(f"{r.client}: shown to the user: {r.shown[:5]}")
    if args.write:
        write_section(text, keep=NOTES)
    failed = any(r.unanswered or r.mismatched or r.shown or r.tracebacks for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
