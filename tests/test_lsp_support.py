"""Helpers shared by the language-server tests (this module holds no tests).

Every wait is "until the state I expect", driven by the server's own
notifications; the only clock is a generous guard that turns a hang into a
failure.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from concurrent.futures import Future
from typing import Callable, Optional

from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

SERVER_COMMAND = [sys.executable, "-m", "perflint", "server"]
GUARD_S = 120  # a hang becomes a failure after this long; never reached by a passing test

READLINES = "def read(path):\n    with open(path) as f:\n        for line in f.readlines():\n            print(line)\n"
READLINES_FIXED = "def read(path):\n    with open(path) as f:\n        for line in f:\n            print(line)\n"


class PublishLog:
    """Every publishDiagnostics the client received, in order (pytest-lsp keeps only the latest)."""

    def __init__(self, client: LanguageClient) -> None:
        self.entries: list[types.PublishDiagnosticsParams] = []
        features = client.protocol.fm.features
        original = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

        def record(params: types.PublishDiagnosticsParams) -> None:
            self.entries.append(params)
            original(params)

        features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record

    def for_uri(self, uri: str) -> list[types.PublishDiagnosticsParams]:
        return [entry for entry in self.entries if entry.uri == uri]


async def start_vscode_like_session(
    client: LanguageClient, root_uri: str, settings: dict, notebooks: bool = False, micro: bool = True
) -> None:
    """Initialize with VS Code's capabilities and ``settings`` as initializationOptions,
    recording published diagnostics and accepting dynamic registrations. ``notebooks``:
    declare notebook sync as vscode-languageclient 9 does (pytest-lsp's record predates it)."""
    client.publish_log = PublishLog(client)
    client.registrations = accept_registrations(client)
    # The LSP tests are written against PF404, a micro rule (issue #20): select it unless a test selects.
    if micro:  # ``micro=False``: the selection is left to the configuration files
        settings = {"select": ["PF", "micro"], **settings}

    @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def code_lens_refresh(params) -> None:  # VS Code answers it (and asks for lenses again)
        return None

    capabilities = client_capabilities("visual-studio-code")
    if notebooks:
        capabilities.notebook_document = types.NotebookDocumentClientCapabilities(
            synchronization=types.NotebookDocumentSyncClientCapabilities(
                dynamic_registration=True, execution_summary_support=True
            )
        )
    client.initialize_result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=root_uri,
            initialization_options={"perflint": settings},
        )
    )


def accept_registrations(client: LanguageClient) -> list[types.Registration]:
    """Answer client/registerCapability (pytest-lsp does not) and keep what was registered."""
    registrations: list[types.Registration] = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    return registrations


async def wait_until(
    client: LanguageClient,
    condition: Callable[[], bool],
    method: str = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
    guard: float = GUARD_S,
):
    """Wait for notifications of ``method`` until ``condition()`` holds (at most ``guard`` seconds)."""

    async def loop() -> None:
        while not condition():
            await client.wait_for_notification(method)

    try:
        await asyncio.wait_for(loop(), guard)
    except asyncio.TimeoutError:
        said = [m.message for m in client.messages] + [m.message for m in client.log_messages[-5:]]
        raise AssertionError(f"gave up waiting after {guard:.1f} s; the server said: {said}") from None


async def wait_for_diagnostics(
    client: LanguageClient,
    uri: str,
    condition: Callable[[list[types.Diagnostic]], bool] = lambda d: True,
    guard: float = GUARD_S,
) -> list[types.Diagnostic]:
    """The diagnostics published for ``uri`` once they satisfy ``condition`` (within ``guard`` seconds)."""
    await wait_until(
        client, lambda: uri in client.diagnostics and condition(list(client.diagnostics[uri])), guard=guard
    )
    return list(client.diagnostics[uri])


def open_document(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)
        )
    )


def edit_text(client: LanguageClient, uri: str, version: int, *edits: tuple[tuple[int, int], tuple[int, int], str]) -> None:
    """An incremental ``didChange``: each edit replaces the text from a (line, column) start
    to a (line, column) end, both 0-based, with its text; applied in order."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(types.Position(*start), types.Position(*end)), text=text
                )
                for start, end, text in edits
            ],
        )
    )


def replace_text(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def code_action_params(uri: str, diagnostics, only: Optional[list[str]] = None) -> types.CodeActionParams:
    return types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=diagnostics[0].range if diagnostics else types.Range(types.Position(0, 0), types.Position(0, 0)),
        context=types.CodeActionContext(diagnostics=list(diagnostics), only=only),
    )


async def with_edits(client: LanguageClient, actions: list[types.CodeAction]) -> list[types.CodeAction]:
    """The actions as the client applies them: one announced without its edit is resolved first."""
    return [await client.code_action_resolve_async(a) if a.edit is None else a for a in actions]


def edits_of(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    if edit.document_changes:
        return [e for change in edit.document_changes if change.text_document.uri == uri for e in change.edits]
    return list((edit.changes or {}).get(uri, []))


def apply_edits(text: str, edits: list[types.TextEdit], encoding: str = "utf-16") -> str:
    """Apply LSP text edits the way an editor does (positions in ``encoding`` code units)."""
    lines = text.splitlines(keepends=True) if "\x0c" not in text else None
    assert lines is not None, "this helper splits with str.splitlines; keep form feeds out of test texts"

    def offset(position: types.Position) -> int:
        before = sum(len(line) for line in lines[: position.line])
        if position.line >= len(lines):
            return before
        content = lines[position.line].rstrip("\r\n")
        if encoding == "utf-32":
            return before + min(position.character, len(content))
        units = content.encode("utf-16-le")[: 2 * position.character].decode("utf-16-le")
        return before + len(units)

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


async def raw_request(client: LanguageClient, message: dict, jsonrpc: Optional[str] = "2.0"):
    """Send a hand-written request (to test malformed ones) and await its answer."""
    message_id = str(uuid.uuid4())
    future: Future = Future()
    client.protocol._request_futures[message_id] = future
    envelope = {"jsonrpc": jsonrpc} if jsonrpc is not None else {}
    client.protocol._send_data({**envelope, "id": message_id, **message})
    return await asyncio.wait_for(asyncio.wrap_future(future), GUARD_S)
