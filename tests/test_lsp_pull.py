"""Pull diagnostics (textDocument/diagnostic) and a non-default position encoding.

The client replays Neovim 0.10's capabilities (it pulls diagnostics) without
``codeAction/resolve`` support, and asks for UTF-32 positions, which the
server must then use everywhere.
"""

from __future__ import annotations

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from test_lsp_support import (
    READLINES,
    READLINES_FIXED,
    SERVER_COMMAND,
    PublishLog,
    apply_edits,
    code_action_params,
    edit_text,
    edits_of,
    open_document,
    replace_text,
    wait_for_diagnostics,
)

ROOT = "file:///tmp/perflint-lsp-pull"
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    lsp_client.publish_log = PublishLog(lsp_client)
    capabilities = client_capabilities("neovim@v0.10")
    # A client that cannot resolve a code action's edit: quick fixes must come with theirs.
    capabilities.text_document.code_action.resolve_support = None
    capabilities.general.position_encodings = [types.PositionEncodingKind.Utf32, types.PositionEncodingKind.Utf16]
    result = await lsp_client.initialize_session(types.InitializeParams(
            capabilities=capabilities,
            root_uri=ROOT,
            initialization_options={"perflint": {"select": ["PF", "micro"]}},
        )
    )
    lsp_client.negotiated_encoding = result.capabilities.position_encoding
    yield
    await lsp_client.shutdown_session()


async def pull(client: LanguageClient, uri: str, previous: str | None = None):
    return await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=previous)
    )


async def test_diagnostics_are_pushed_until_the_client_pulls_then_taken_back(client: LanguageClient):
    # runs first: nothing has pulled from this server yet
    uri = f"{ROOT}/pushed_first.py"
    open_document(client, uri, READLINES)
    await wait_for_diagnostics(client, uri, lambda d: [x.code for x in d] == ["PF404"])
    report = await pull(client, uri)
    assert [d.code for d in report.items] == ["PF404"]
    assert list(client.diagnostics[uri]) == []  # the pushed copy was withdrawn before the pull was answered


async def test_pull_reports_results_and_unchanged_results(client: LanguageClient):
    uri = f"{ROOT}/pulled.py"
    open_document(client, uri, READLINES)
    first = await pull(client, uri)
    assert first.kind == "full" and [d.code for d in first.items] == ["PF404"]
    assert first.items[0].data["fix"]["applicability"] == "safe"
    again = await pull(client, uri, previous=first.result_id)
    assert again.kind == "unchanged" and again.result_id == first.result_id
    pushed = len(client.publish_log.for_uri(uri))
    replace_text(client, uri, "print('fixed')\n", version=2)
    changed = await pull(client, uri, previous=first.result_id)
    assert changed.kind == "full" and list(changed.items) == [] and changed.result_id != first.result_id
    # a client that pulls is not also pushed to: nothing arrived before the answer to the pull
    assert len(client.publish_log.for_uri(uri)) == pushed


async def test_pull_for_a_document_that_is_not_open(client: LanguageClient):
    report = await pull(client, f"{ROOT}/not_open.py")
    assert report.kind == "full" and list(report.items) == []


async def test_negotiated_utf32_positions_are_used(client: LanguageClient):
    assert client.negotiated_encoding == types.PositionEncodingKind.Utf32
    uri = f"{ROOT}/emoji.py"
    text = 'for line in open("\U0001f600.txt").readlines():\n    print(line)\n'
    open_document(client, uri, text)
    [diagnostic] = (await pull(client, uri)).items
    assert diagnostic.range == types.Range(types.Position(0, 12), types.Position(0, 37))  # code points
    # an incremental edit in UTF-32 columns: delete ".readlines()" (code points 25-37)
    edit_text(client, uri, 2, ((0, 25), (0, 37), ""))
    assert list((await pull(client, uri)).items) == []


async def test_a_client_without_resolve_gets_quick_fixes_with_their_edits(client: LanguageClient):
    uri = f"{ROOT}/no_resolve.py"
    open_document(client, uri, READLINES)
    report = await pull(client, uri)
    [diagnostic] = report.items
    assert diagnostic.data["fix"]["edits"] == []  # announced only
    actions = await client.text_document_code_action_async(code_action_params(uri, [diagnostic]))
    [fix] = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.QuickFix and a.is_preferred]
    assert apply_edits(READLINES, edits_of(fix.edit, uri)) == READLINES_FIXED
