"""Notebook documents in the language server (LSP 3.17 notebook sync), against pytest-lsp.

The cells of a notebook are linted together: a name imported in one cell is
known in the next, diagnostics land in their cells with cell-relative
positions, fixes edit the cells they change, and closing clears everything.
"""

from __future__ import annotations

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from test_lsp_support import (
    READLINES,
    SERVER_COMMAND,
    apply_edits,
    code_action_params,
    start_vscode_like_session,
    wait_for_diagnostics,
    wait_until,
)

ROOT = "file:///tmp/perflint-lsp-notebooks"
pytestmark = pytest.mark.asyncio(loop_scope="module")

BFS = "def bfs(start):\n    queue = [start]\n    while queue:\n        node = queue.pop(0)\n        queue.extend(node.children)\n"


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    await start_vscode_like_session(lsp_client, ROOT, {"debounce": 0}, notebooks=True)
    yield
    await lsp_client.shutdown_session()


def cell_uri(name: str, index: int) -> str:
    # As VS Code writes them: a base64 fragment, percent-escaped
    return f"vscode-notebook-cell:/tmp/perflint-lsp-notebooks/{name}.ipynb#W{index}sZmlsZQ%3D%3D"


def open_notebook(client: LanguageClient, name: str, cells: list[tuple[str, str]]) -> list[str]:
    """Open ``cells`` ((kind, text) with kind "code" or "markdown"); the code cells' URIs, in order."""
    uris, notebook_cells, documents = [], [], []
    for index, (kind, text) in enumerate(cells):
        uri = cell_uri(name, index)
        code = kind == "code"
        notebook_cells.append(
            types.NotebookCell(kind=types.NotebookCellKind.Code if code else types.NotebookCellKind.Markup, document=uri)
        )
        documents.append(
            types.TextDocumentItem(uri=uri, language_id="python" if code else "markdown", version=1, text=text)
        )
        if code:
            uris.append(uri)
    for uri in uris:
        client.diagnostics.pop(uri, None)
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=f"{ROOT}/{name}.ipynb", notebook_type="jupyter-notebook", version=1, cells=notebook_cells
            ),
            cell_text_documents=documents,
        )
    )
    return uris


async def test_the_server_declares_notebook_sync_for_python_cells(client: LanguageClient):
    sync = client.initialize_result.capabilities.notebook_document_sync
    [selector] = sync.notebook_selector
    assert [cell.language for cell in selector.cells] == ["python"]


async def test_cells_are_linted_together_and_diagnostics_land_in_their_cells(client: LanguageClient):
    first, second = open_notebook(
        client, "together", [("markdown", "# title"), ("code", "import os\n"), ("code", READLINES)]
    )
    [diagnostic] = await wait_for_diagnostics(client, second, lambda d: len(d) == 1)
    assert diagnostic.code == "PF404"
    assert diagnostic.range == types.Range(types.Position(2, 20), types.Position(2, 33))  # relative to the cell
    assert list(client.diagnostics[first]) == []
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=second), position=types.Position(2, 25))
    )
    assert hover is not None and "PF404" in hover.contents.value
    actions = await client.text_document_code_action_async(code_action_params(second, [diagnostic]))
    [fix] = [a for a in actions if a.is_preferred]
    assert list(fix.edit.changes) == [second]
    assert apply_edits(READLINES, fix.edit.changes[second]) == READLINES.replace("f.readlines()", "f")


async def test_a_fix_that_adds_an_import_edits_the_first_code_cell(client: LanguageClient):
    first, second = open_notebook(client, "imports", [("code", "import os"), ("code", BFS)])
    [diagnostic] = await wait_for_diagnostics(client, second, lambda d: [x.code for x in d] == ["PF103"])
    assert diagnostic.range.start.line == 3
    actions = await client.text_document_code_action_async(code_action_params(second, [diagnostic]))
    [fix] = [a for a in actions if a.title.endswith("(PF103)")]
    assert fix.title.startswith("Use a collections.deque") and "`" not in fix.title  # plain text, no Markdown
    assert set(fix.edit.changes) == {first, second}
    assert apply_edits("import os", fix.edit.changes[first]).startswith("import os\nfrom collections import deque")
    assert "queue.popleft()" in apply_edits(BFS, fix.edit.changes[second])


async def test_magics_do_not_hide_findings_and_a_broken_cell_is_pf000_in_that_cell(client: LanguageClient):
    broken, magic = open_notebook(
        client, "magics", [("code", "def f(:\n    pass\n"), ("code", "%matplotlib inline\n!ls\n" + READLINES)]
    )
    [error] = await wait_for_diagnostics(client, broken, lambda d: len(d) == 1)
    assert error.code == "PF000" and error.range.start.line == 0
    [finding] = await wait_for_diagnostics(client, magic, lambda d: len(d) == 1)
    assert finding.code == "PF404" and finding.range.start.line == 4


async def test_an_edit_in_a_cell_relints_and_close_clears_the_cells(client: LanguageClient):
    [cell] = open_notebook(client, "edits", [("code", READLINES)])
    [diagnostic] = await wait_for_diagnostics(client, cell, lambda d: len(d) == 1)
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(version=2, uri=f"{ROOT}/edits.ipynb"),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            document=types.VersionedTextDocumentIdentifier(uri=cell, version=2),
                            changes=[types.TextDocumentContentChangePartial(range=diagnostic.range, text="f")],
                        )
                    ]
                )
            ),
        )
    )
    await wait_for_diagnostics(client, cell, lambda d: len(d) == 0)
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(version=3, uri=f"{ROOT}/edits.ipynb"),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            document=types.VersionedTextDocumentIdentifier(uri=cell, version=3),
                            changes=[types.TextDocumentContentChangeWholeDocument(text=READLINES)],
                        )
                    ]
                )
            ),
        )
    )
    await wait_for_diagnostics(client, cell, lambda d: len(d) == 1)
    client.notebook_document_did_close(
        types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=f"{ROOT}/edits.ipynb"),
            cell_text_documents=[types.TextDocumentIdentifier(uri=cell)],
        )
    )
    await wait_until(client, lambda: list(client.diagnostics[cell]) == [])


async def test_cells_are_pushed_to_a_client_that_pulls_files(client: LanguageClient):
    """VS Code pulls diagnostics for files but never for notebook cells: those stay pushed."""
    from test_lsp_support import open_document

    file_uri = f"{ROOT}/plain.py"
    open_document(client, file_uri, READLINES)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=file_uri))
    )
    assert [d.code for d in report.items] == ["PF404"]  # the server now serves files by pull only
    [cell] = open_notebook(client, "pulled", [("code", READLINES)])
    [diagnostic] = await wait_for_diagnostics(client, cell, lambda d: len(d) == 1)
    assert diagnostic.code == "PF404"
