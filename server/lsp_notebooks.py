"""Notebook documents in the language server (LSP 3.17 notebook sync).

The client opens a notebook with its cells as text documents
(``vscode-notebook-cell:...#cell-id``). The server lints the notebook's Python
code cells together, as the command line does (``perflint.notebooks``): their
joined text is one ``DocumentState`` keyed by the notebook's URI, linted by the
same debounced pipeline as a file. Each result is then split back into the
cells: diagnostics are published (or pulled) per cell URI with cell-relative
positions, and quick fixes, suppressions and hover work on a cell the way they
do on a file. A fix that adds an import edits the cell that gets it.

pygls' workspace keeps the notebook's structure and the cells' text (its
built-in notebook handlers run before ours).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import unquote

from lsprotocol import types

from perflint.lsp_diagnostics import to_diagnostic, to_text_edit
from perflint.lsp_text import DocumentText
from perflint.model import Edit, Finding
from perflint.notebooks import CodeCell, Notebook, _prepare, to_cells
from perflint.source import split_lines

# Python cells of any notebook type ("*": vscode-languageclient matches every type; Jupyter's is
# "jupyter-notebook"). The notebook is named: a selector without it fails to decode in lsprotocol.
SYNC_OPTIONS = types.NotebookDocumentSyncOptions(
    notebook_selector=[
        types.NotebookDocumentFilterWithNotebook(notebook="*", cells=[types.NotebookCellLanguage(language="python")])
    ]
)


@dataclass
class CellView:
    uri: str
    number: int  # 1-based, counting every cell of the notebook (as the command line does)
    version: Optional[int]
    lines: list[str]
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[types.Diagnostic] = field(default_factory=list)


@dataclass
class NotebookView:
    """A notebook as the rules see it: its code cells joined, and the way back to each cell."""

    uri: str
    notebook: Notebook
    where: list[tuple[int, int]]
    cells: dict[int, CellView]  # by cell number
    text: str

    def cell(self, uri: str) -> Optional[CellView]:
        return next((cell for cell in self.cells.values() if cell.uri == uri), None)


def build_view(workspace, notebook_uri: str, path: Optional[str]) -> Optional[NotebookView]:
    """The notebook's current code cells from pygls' workspace, or None if it is not open."""
    document = workspace.get_notebook_document(notebook_uri=notebook_uri)
    if document is None:
        return None
    cells: dict[int, CellView] = {}
    code_cells: list[CodeCell] = []
    for number, cell in enumerate(document.cells, start=1):
        if cell.kind != types.NotebookCellKind.Code:
            continue
        # pygls keys its documents by the unquoted URI (VS Code's cell URIs carry %3D escapes)
        text_document = workspace.text_documents.get(unquote(cell.document))
        if text_document is None or text_document.language_id not in (None, "python"):
            continue
        source = text_document.source
        cells[number] = CellView(cell.document, number, text_document.version, split_lines(source))
        code_cells.append(_prepare(CodeCell(number, source), path or "<notebook>"))
    notebook = Notebook(path or notebook_uri, "", {}, code_cells)
    text, where = notebook.joined()
    return NotebookView(notebook_uri, notebook, where, cells, text)


def document_text(view: NotebookView, version: Optional[int]) -> DocumentText:
    return DocumentText(view.text, version)


def split_result(view: NotebookView, findings: list[Finding], encoding: str, client) -> None:
    """Spread a lint of the joined text over the cells (findings and diagnostics per cell);
    ``client``: the editor's settings (severity, showSyntaxErrors)."""
    from perflint.model import PARSE_ERROR_CODE

    severity = client.severity
    for cell in view.cells.values():
        cell.findings, cell.diagnostics = [], []
    moved = [cell.error for cell in view.notebook.cells if cell.error is not None]
    moved += [m for f in findings if (m := to_cells(f, view.where, view.notebook)) is not None]
    if not client.show_syntax_errors:
        moved = [finding for finding in moved if finding.code != PARSE_ERROR_CODE]
    for finding in moved:
        cell = view.cells.get(finding.cell or 0)
        if cell is None:
            continue
        cell.findings.append(finding)
        cell.diagnostics.append(to_diagnostic(finding, cell.lines, encoding, severity))


def fix_edit(view: NotebookView, edits: list[Edit], encoding: str, home: CellView) -> types.WorkspaceEdit:
    """Edits of a notebook fix (each naming its cell; none: ``home``) as one workspace edit over the cells."""
    by_cell: dict[int, list[types.TextEdit]] = {}
    for edit in edits:
        number = edit.cell if edit.cell is not None else home.number
        cell = view.cells.get(number)
        if cell is None:
            continue
        by_cell.setdefault(number, []).append(to_text_edit(cell.lines, edit, encoding))
    return types.WorkspaceEdit(changes={view.cells[number].uri: text_edits for number, text_edits in by_cell.items()})


def fix_all_edit(view: NotebookView, settings, encoding: str) -> Optional[types.WorkspaceEdit]:
    """Every safe fix of the notebook, as edits of the cells they change (None: nothing to fix)."""
    from perflint.fixes import diff_edits
    from perflint.notebooks import fix_cells

    fixed = fix_cells(view.notebook, settings, keep_line_length=True)
    if fixed is None:
        return None
    changes = {}
    for number, (before, after) in fixed[1].items():
        cell = view.cells.get(number)
        if cell is not None:
            changes[cell.uri] = [to_text_edit(cell.lines, edit, encoding) for edit in diff_edits(before, after)]
    return types.WorkspaceEdit(changes=changes) if changes else None
