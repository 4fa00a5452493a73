"""The language server's memory, against a real LSP client (pytest-lsp): what many open
documents cost, that it comes back when they are closed, and that keystrokes leave
nothing behind. RSS is read from /proc (Linux)."""

from __future__ import annotations

import asyncio
import time

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from test_lsp_support import (
    GUARD_S,
    READLINES,
    SERVER_COMMAND,
    edit_text,
    open_document,
    start_vscode_like_session,
    wait_for_diagnostics,
)

ROOT = "file:///tmp/perflint-lsp-memory-tests"
pytestmark = pytest.mark.asyncio(loop_scope="module")
BACK_WITHIN_MB = 60  # the issue's bound: idle RSS plus the caches' stated bounds, plus this


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    await start_vscode_like_session(lsp_client, ROOT, {"debounce": 0})
    yield
    await lsp_client.shutdown_session()


def rss_mb(client: LanguageClient) -> float:
    with open(f"/proc/{client._server.pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def module(name: str, functions: int) -> str:
    """A module of ``functions`` functions, every fifth with a PF404 loop (at line 5k + 2)."""
    parts = []
    for index in range(functions):
        if index % 5 == 0:
            parts.append(READLINES.replace("def read(", f"def read_{name}_{index}("))
        else:
            parts.append(f"def {name}_{index}(values, scale):\n    total = {index}\n    for value in values:\n"
                         f"        total += value * scale + {index}\n")
    return "\n".join(parts)


def close(client: LanguageClient, uri: str) -> None:
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))


async def settled_rss(client: LanguageClient, below: float) -> float:
    """RSS once it is under ``below``, or once it has stopped moving (then the caller fails)."""
    deadline = time.monotonic() + GUARD_S
    readings = [rss_mb(client)]
    while readings[-1] > below and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        readings.append(rss_mb(client))
        if len(readings) > 20 and max(readings[-10:]) - min(readings[-10:]) < 1:
            break
    return readings[-1]


async def test_memory_comes_back_when_documents_close(client: LanguageClient):
    warm = f"{ROOT}/warm.py"
    open_document(client, warm, READLINES)
    await wait_for_diagnostics(client, warm, lambda d: len(d) == 1)
    idle = rss_mb(client)
    uris = [f"{ROOT}/many{index}.py" for index in range(60)]
    for index, uri in enumerate(uris):  # all at once, as an editor restoring a session does
        open_document(client, uri, module(f"m{index}", 400))
    for uri in uris:
        shown = await wait_for_diagnostics(client, uri, lambda d: len(d) == 80)
        assert {d.code for d in shown} == {"PF404"}
    opened = rss_mb(client)
    for uri in [*uris, warm]:
        close(client, uri)
    closed = await settled_rss(client, idle + BACK_WITHIN_MB)
    assert closed <= idle + BACK_WITHIN_MB, f"RSS idle {idle:.0f} MB, 60 open {opened:.0f} MB, closed {closed:.0f} MB"


async def test_keystrokes_leave_nothing_behind(client: LanguageClient):
    # pygls kept every didChange's future forever: about 1.8 kB a keystroke.
    uri = f"{ROOT}/typing.py"
    open_document(client, uri, "x = 1\n")
    await wait_for_diagnostics(client, uri)
    before = rss_mb(client)
    for version in range(2, 10_002):
        edit_text(client, uri, version, ((0, 4), (0, 5), str(version % 10)))
        if version % 500 == 0:
            await asyncio.sleep(0)
    open_document(client, f"{ROOT}/after-typing.py", READLINES)  # answered after every change
    await wait_for_diagnostics(client, f"{ROOT}/after-typing.py", lambda d: len(d) == 1)
    assert rss_mb(client) - before < 8


async def test_an_edit_to_a_document_idle_for_long_keeps_its_other_findings(client: LanguageClient):
    # The least recently edited documents give back their parse trees; a syntax error typed
    # into one of them still keeps the other functions' findings, from a tree parsed again.
    uri = f"{ROOT}/idle-halfway.py"
    other = READLINES.replace("def read(", "def other(")
    open_document(client, uri, READLINES + "\n\n" + other)
    await wait_for_diagnostics(client, uri, lambda d: [x.range.start.line for x in d] == [2, 8])
    newer = [f"{ROOT}/newer{index}.py" for index in range(12)]
    for index, later in enumerate(newer):
        open_document(client, later, module(f"n{index}", 10))
    for later in newer:
        await wait_for_diagnostics(client, later, lambda d: len(d) == 2)
    edit_text(client, uri, 2, ((1, 0), (1, 0), "    total = sum(\n"))
    shown = await wait_for_diagnostics(client, uri, lambda d: any(x.code == "PF000" for x in d))
    assert [(x.code, x.range.start.line) for x in shown] == [("PF000", 1), ("PF404", 9)]
    edit_text(client, uri, 3, ((1, 0), (2, 0), ""))  # and repaired
    shown = await wait_for_diagnostics(client, uri, lambda d: [x.code for x in d] == ["PF404", "PF404"])
    assert [x.range.start.line for x in shown] == [2, 8]
    for later in newer:
        close(client, later)
