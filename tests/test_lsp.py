"""The language server against a real LSP client (pytest-lsp), with VS Code's capabilities.

One server serves the whole module (starting one costs seconds); each test
uses its own document URIs. Tests are written against PF404
(`for line in f.readlines():`) and PF000 (parse errors) only.
"""

from __future__ import annotations

import time

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import (
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcMethodNotFound,
)
from pytest_lsp import ClientServerConfig, LanguageClient

from perflint.engine import lint_source
from test_lsp_support import (
    READLINES,
    READLINES_FIXED,
    SERVER_COMMAND,
    apply_edits,
    code_action_params,
    edit_text,
    edits_of,
    open_document,
    raw_request,
    replace_text,
    start_vscode_like_session,
    wait_for_diagnostics,
    with_edits,
)

ROOT = "file:///tmp/perflint-lsp-tests"
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    await start_vscode_like_session(lsp_client, ROOT, {"debounce": 0})
    yield
    await lsp_client.shutdown_session()


def uri_for(name: str) -> str:
    return f"{ROOT}/{name}.py"


async def test_open_publishes_the_contract_fields(client: LanguageClient):
    uri = uri_for("contract")
    open_document(client, uri, READLINES)
    [diagnostic] = await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    assert diagnostic.code == "PF404"
    assert diagnostic.source == "perflint"
    assert diagnostic.code_description.href == "https://github.com/perflint/perflint/blob/main/docs/rules/PF404.md"
    assert diagnostic.message.startswith("[L4 io] ")
    assert diagnostic.severity == types.DiagnosticSeverity.Information  # level 4
    assert diagnostic.range == types.Range(types.Position(2, 20), types.Position(2, 33))
    assert set(diagnostic.data) == {"level", "rank", "impact", "fix"}
    assert diagnostic.data["level"] == 4 and diagnostic.data["rank"] == 1 and diagnostic.data["impact"] > 0
    # The fix is announced (`perflint check --format json`'s shape, without its edits: they are
    # computed for the code action that applies them).
    assert diagnostic.data["fix"] == {
        "message": diagnostic.data["fix"]["message"], "applicability": "safe", "edits": [], "complete": False
    }
    assert diagnostic.data["fix"]["message"]
    assert client.publish_log.for_uri(uri)[-1].version == 1


async def test_positions_are_utf16_code_units(client: LanguageClient):
    uri = uri_for("emoji")
    text = 'for line in open("\U0001f600.txt").readlines():\n    print(line)\n'
    open_document(client, uri, text)
    [diagnostic] = await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    # the finding spans 25 code points from column 12; the emoji is two UTF-16 code units
    assert diagnostic.range == types.Range(types.Position(0, 12), types.Position(0, 38))
    actions = await client.text_document_code_action_async(code_action_params(uri, [diagnostic]))
    [fix] = await with_edits(client, [a for a in actions if a.is_preferred])
    assert apply_edits(text, edits_of(fix.edit, uri)) == 'for line in open("\U0001f600.txt"):\n    print(line)\n'


async def test_quickfix_edit_gives_the_fixed_text(client: LanguageClient):
    uri = uri_for("quickfix")
    open_document(client, uri, READLINES)
    diagnostics = await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    actions = await client.text_document_code_action_async(code_action_params(uri, diagnostics))
    quickfixes = [a for a in actions if a.kind == types.CodeActionKind.QuickFix and a.is_preferred]
    assert len(quickfixes) == 1
    # VS Code resolves edits: the action comes without its edit, computed when resolved
    assert quickfixes[0].edit is None
    quickfixes = await with_edits(client, quickfixes)
    [document_edit] = quickfixes[0].edit.document_changes
    assert document_edit.text_document.version == 1  # a client whose text moved on rejects the edit
    assert apply_edits(READLINES, document_edit.edits) == READLINES_FIXED
    assert "unsafe" not in quickfixes[0].title


async def test_unsafe_fix_is_labelled_and_not_preferred_nor_in_fix_all(client: LanguageClient):
    uri = uri_for("unsafe")
    text = READLINES.replace("print(line)", "f.seek(0)")  # the body uses the file: iterating it directly differs
    open_document(client, uri, text)
    diagnostics = await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    assert diagnostics[0].data["fix"]["applicability"] == "unsafe"
    actions = await client.text_document_code_action_async(code_action_params(uri, diagnostics))
    [fix] = [a for a in actions if not a.title.startswith("Suppress")]
    assert fix.title.endswith("unsafe)") and not fix.is_preferred
    assert all(a.kind != "source.fixAll.perflint" for a in actions)


async def test_suppress_action_adds_a_comment_that_silences_the_finding(client: LanguageClient):
    uri = uri_for("suppress")
    open_document(client, uri, READLINES)
    diagnostics = await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    actions = await client.text_document_code_action_async(code_action_params(uri, diagnostics))
    [action] = [a for a in actions if a.title.startswith("Suppress")]
    suppressed = apply_edits(READLINES, edits_of(action.edit, uri))
    assert suppressed.splitlines()[2] == "        for line in f.readlines():  # perflint: ignore[PF404]"
    replace_text(client, uri, suppressed, version=2)
    assert await wait_for_diagnostics(client, uri, lambda d: d == []) == []


async def test_suppress_action_merges_with_an_existing_perflint_comment(client: LanguageClient):
    uri = uri_for("suppress_merge")
    text = READLINES.replace("f.readlines():", "f.readlines():  # perflint: ignore[PF101]")
    open_document(client, uri, text)
    diagnostics = await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    actions = await client.text_document_code_action_async(code_action_params(uri, diagnostics))
    [action] = [a for a in actions if a.title.startswith("Suppress")]
    merged = apply_edits(text, edits_of(action.edit, uri))
    assert merged.splitlines()[2] == "        for line in f.readlines():  # perflint: ignore[PF101, PF404]"


async def test_fix_all_applies_every_safe_fix(client: LanguageClient):
    uri = uri_for("fix_all")
    text = READLINES + "\n\nfor row in open('data').readlines():\n    print(row)\n"
    open_document(client, uri, text)
    diagnostics = await wait_for_diagnostics(client, uri, lambda d: len(d) == 2)
    actions = await client.text_document_code_action_async(
        code_action_params(uri, diagnostics, only=[types.CodeActionKind.SourceFixAll])
    )
    [action] = actions
    assert action.kind == "source.fixAll.perflint"
    resolved = await client.code_action_resolve_async(action)
    fixed = apply_edits(text, edits_of(resolved.edit, uri))
    assert fixed == READLINES_FIXED + "\n\nfor row in open('data'):\n    print(row)\n"


async def test_hover_on_a_diagnostic_is_a_short_summary(client: LanguageClient):
    uri = uri_for("hover")
    open_document(client, uri, READLINES)
    await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(2, 25))
    )
    assert hover.contents.kind == types.MarkupKind.Markdown
    value = hover.contents.value
    assert value.splitlines()[0] == "**PF404** `readlines-iteration` — level 4 (io)"
    assert "**Why:** `readlines()` holds every line in memory" in value and "(2.6x," in value  # the measured figure
    assert "**Fix (safe):** Iterate the file object directly" in value
    assert value.endswith("[Full rule documentation](https://github.com/perflint/perflint/blob/main/docs/rules/PF404.md)")
    # not the whole page, and not the message again (the editor shows it above the hover)
    assert "## " not in value and "```" not in value and "reads the whole file first" not in value
    assert len(value) < 700
    outside = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 2))
    )
    assert outside is None


async def test_syntax_error_then_repair(client: LanguageClient):
    uri = uri_for("syntax")
    open_document(client, uri, "def f(:\n    pass\n")
    [error] = await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    assert error.code == "PF000" and error.severity == types.DiagnosticSeverity.Error
    assert error.message.startswith("[L0 error] SyntaxError")
    assert error.range.start.line == 0  # CPython's position, not libcst's line 2
    replace_text(client, uri, READLINES, version=2)
    [fixed] = await wait_for_diagnostics(client, uri, lambda d: [x.code for x in d] == ["PF404"])
    assert fixed.range.start.line == 2


async def test_a_syntax_error_keeps_the_other_functions_findings_in_place(client: LanguageClient):
    uri = uri_for("halfway")
    other = READLINES.replace("def read(", "def other(")
    open_document(client, uri, READLINES + "\n\n" + other)
    await wait_for_diagnostics(client, uri, lambda d: [x.range.start.line for x in d] == [2, 8])
    # Halfway through typing a new line in the first function: the file does not parse.
    edit_text(client, uri, 2, ((1, 0), (1, 0), "    total = sum(\n"))
    shown = await wait_for_diagnostics(client, uri, lambda d: any(x.code == "PF000" for x in d))
    assert [(x.code, x.range.start.line) for x in shown] == [("PF000", 1), ("PF404", 9)]
    kept = shown[1]
    assert kept.data["fix"] is not None  # its fix edits the other function only: still offered
    actions = await client.text_document_code_action_async(code_action_params(uri, [kept]))
    quick_fixes = await with_edits(client, [a for a in actions if a.kind == types.CodeActionKind.QuickFix])
    assert len(quick_fixes) == 2  # the fix and "suppress on this line", both on the moved line
    assert [edit.range.start.line for a in quick_fixes for edit in edits_of(a.edit, uri)] == [9, 9]


async def test_incremental_change_updates_diagnostics(client: LanguageClient):
    uri = uri_for("incremental")
    open_document(client, uri, READLINES)
    [diagnostic] = await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    edit_text(client, uri, 2, ((2, 21), (2, 33), ""))  # ".readlines()"
    assert await wait_for_diagnostics(client, uri, lambda d: d == []) == []
    assert client.publish_log.for_uri(uri)[-1].version == 2
    # and back: type it again, one character at a time after a form feed line pygls would miscount
    edit_text(client, uri, 3, ((0, 0), (0, 0), "\x0c\n"), ((3, 21), (3, 21), ".readlines()"))
    [again] = await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    assert again.range == types.Range(types.Position(3, 20), types.Position(3, 33))


async def test_an_import_change_reaches_blocks_that_did_not_change(client: LanguageClient):
    uri = uri_for("imports")
    text = 'def read():\n    for line in open("x").readlines():\n        print(line)\n'
    open_document(client, uri, text)
    await wait_for_diagnostics(client, uri, lambda d: [(x.code, x.range.start.line) for x in d] == [("PF404", 1)])
    # `open` is no longer the builtin: the function's block is unchanged, its finding must go
    shadowing = "from mylib import open\n\n\n"
    edit_text(client, uri, 2, ((0, 0), (0, 0), shadowing))
    assert await wait_for_diagnostics(client, uri, lambda d: d == []) == []
    edit_text(client, uri, 3, ((0, 0), (3, 0), ""))
    await wait_for_diagnostics(client, uri, lambda d: [(x.code, x.range.start.line) for x in d] == [("PF404", 1)])


async def test_save_publishes_again(client: LanguageClient):
    uri = uri_for("save")
    open_document(client, uri, READLINES)
    await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    before = len(client.publish_log.for_uri(uri))
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    await wait_for_diagnostics(client, uri, lambda d: len(client.publish_log.for_uri(uri)) > before)
    assert [d.code for d in client.diagnostics[uri]] == ["PF404"]


async def test_close_clears_diagnostics_and_state(client: LanguageClient):
    uri = uri_for("close")
    open_document(client, uri, READLINES)
    diagnostics = await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    assert await wait_for_diagnostics(client, uri, lambda d: d == []) == []
    assert list(await client.text_document_code_action_async(code_action_params(uri, diagnostics))) == []


async def test_change_to_a_document_that_was_never_opened(client: LanguageClient):
    uri = uri_for("never_opened")
    shown = len(client.messages)
    replace_text(client, uri, READLINES, version=2)
    # the server answers the next request normally and told the user nothing
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 0))
    )
    assert hover is None
    assert len(client.messages) == shown
    assert any("not open" in m.message for m in client.log_messages)
    assert uri not in client.diagnostics


async def test_unknown_method_without_params_gets_method_not_found(client: LanguageClient):
    with pytest.raises(JsonRpcMethodNotFound):
        await raw_request(client, {"method": "perflint/noSuchMethod"})
    with pytest.raises(JsonRpcMethodNotFound):
        await raw_request(client, {"method": "perflint/noSuchMethod", "params": {"x": 1}})


async def test_request_with_invalid_params_gets_an_error_answer(client: LanguageClient):
    with pytest.raises(JsonRpcInvalidParams):
        await raw_request(client, {"method": "textDocument/hover", "params": {"textDocument": 5}})
    # still serving
    uri = uri_for("after_invalid")
    open_document(client, uri, READLINES)
    assert len(await wait_for_diagnostics(client, uri, lambda d: len(d) == 1)) == 1


async def test_a_message_that_is_not_json_rpc_gets_invalid_request(client: LanguageClient):
    shown = len(client.messages)
    hover = {"textDocument": {"uri": uri_for("x")}, "position": {"line": 0, "character": 0}}
    with pytest.raises(JsonRpcInvalidRequest):
        await raw_request(client, {"method": "textDocument/hover", "params": hover}, jsonrpc=None)
    assert len(client.messages) == shown  # and nothing was shown to the user


async def test_two_megabyte_document_is_linted_off_the_event_loop(client: LanguageClient):
    small = uri_for("small_next_to_big")
    open_document(client, small, READLINES)
    await wait_for_diagnostics(client, small, lambda d: len(d) == 1)
    # plain assignments: no rule can match them, so the size alone is what is tested
    body = "".join(f"value_{i} = {i}\n" for i in range(150_000))
    big_text = body + READLINES
    assert len(big_text.encode()) > 2_000_000
    # The yardstick, measured here and now so that machine load scales both sides: the
    # same text linted in this process (the server lints it in a thread, as the CLI does).
    start = time.perf_counter()
    assert len(lint_source(big_text, "big.py")) == 1
    baseline = time.perf_counter() - start
    big = uri_for("big")
    start = time.perf_counter()
    open_document(client, big, big_text)
    # answered while the big document is still being linted
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=small), position=types.Position(2, 25))
    )
    answered = time.perf_counter() - start
    assert "readlines-iteration" in hover.contents.value
    assert big not in client.diagnostics
    # Generous (4x plus the 2 MB message's transfer), yet a per-statement cost that grows with
    # the file (the quadratic grouping of statements this once had: 39 s here) fails it.
    [diagnostic] = await wait_for_diagnostics(client, big, lambda d: len(d) == 1, guard=4 * baseline + 5)
    assert answered < baseline / 2, (answered, baseline)
    assert diagnostic.range.start.line == big_text.count("\n") - 2
