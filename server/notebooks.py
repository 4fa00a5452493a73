"""Jupyter notebooks (``.ipynb``): lint and fix their code cells.

The code cells are joined into one Python text, each behind a separator
comment, so the rules see the notebook the way it runs (a name imported in
cell 1 is known in cell 5) and fixes that add an import or a constant find
their place. Findings are then moved back to their cells: ``cell`` is the
cell's 1-based number among all the notebook's cells (markdown ones too, as
Jupyter and ruff count them) and lines are relative to the cell.

IPython syntax is neutralized without moving anything: a cell that does not
parse as Python gets each magic line (``%time f()``, ``!pip install x``,
``x = !ls``, ``obj?``) replaced by ``pass`` and a marker on the same line, so
every other line and column stays where it is and a fix can put the original
back. A cell magic that runs Python (``%%time``, ``%%timeit``...) keeps its
body; other cell magics (``%%bash``, ``%%sql``...) are not Python and are
skipped. A cell that still does not parse is reported as PF000 in that cell
and the other cells are linted without it.

Fixes rewrite only the ``source`` of the code cells they change, in the file's
own text: the JSON layout (indentation, key order, escapes, trailing newline)
and every output stay byte for byte as they were.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterator, Optional

from perflint.model import Edit, Finding, Fix, parse_error
from perflint.source import split_lines

if TYPE_CHECKING:  # pragma: no cover
    from perflint.runner import FileResult

SUFFIX = ".ipynb"
SEPARATOR = "# perflint-notebook-cell "
_SEPARATOR_LINE = re.compile(r"# perflint-notebook-cell (\d+)\r?\n?$")
MARKER = "#__perflint_magic_{}__"
_MARKER = re.compile(r"#__perflint_magic_(\d+)__")

# Cell magics whose body is Python, run once (``%%time``) or many times (``%%timeit``).
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "profile", "memit", "snakeviz"})
_LINE_MAGIC = re.compile(r"\s*(?:[%!?]|[\w.\[\]]+\?{1,2}\s*$|[\w.\[\](), ]+?\s*=\s*[%!])")


def is_notebook(path: str) -> bool:
    return path.endswith(SUFFIX)


class NotebookError(Exception):
    """The file is not a notebook perflint can read; the message is for the user."""


@dataclass
class CodeCell:
    number: int  # 1-based, counting every cell of the notebook
    source: str  # the cell's text as stored
    code: str = ""  # the text the rules see: same lines, magics neutralized
    magics: list[str] = field(default_factory=list)  # the lines replaced by markers, in order
    error: Optional[Finding] = None  # PF000 when the cell is not Python even without magics
    skipped: bool = False  # a cell magic that is not Python (%%bash, %%sql...)

    @property
    def lines(self) -> int:
        return len(split_lines(self.code))


@dataclass
class Notebook:
    path: str
    text: str
    data: dict
    cells: list[CodeCell]
    python: bool = True  # False: the kernel is another language, nothing is linted

    @property
    def linted(self) -> list[CodeCell]:
        return [cell for cell in self.cells if cell.error is None and not cell.skipped] if self.python else []

    def joined(self) -> tuple[str, list[tuple[int, int]]]:
        """The code cells as one text, and for each of its lines (1-based; index 0 unused)
        the cell number and the line in that cell (0 for the separator before the cell)."""
        parts: list[str] = []
        where: list[tuple[int, int]] = [(0, 0)]
        for cell in self.linted:
            parts.append(f"{SEPARATOR}{cell.number}\n")
            where.append((cell.number, 0))
            lines = split_lines(cell.code)
            if lines and not lines[-1].endswith(("\n", "\r")):
                lines[-1] += "\n"
            parts.extend(lines)
            where.extend((cell.number, index) for index in range(1, len(lines) + 1))
        return "".join(parts), where


def read_notebook(data: bytes | str, path: str) -> Notebook:
    """Parse a notebook; raise ``NotebookError`` when it is not one."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise NotebookError(f"cannot decode notebook as UTF-8: invalid byte at offset {error.start}") from None
    else:
        text = data
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        reason = f"{error.msg} at line {error.lineno} column {error.colno}" if isinstance(error, json.JSONDecodeError) else "too deeply nested"
        raise NotebookError(f"not a valid notebook: malformed JSON: {reason}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise NotebookError("not a valid notebook: no 'cells' list (nbformat 4 is expected)")
    cells = []
    for index, cell in enumerate(raw["cells"], start=1):
        if not isinstance(cell, dict):
            raise NotebookError(f"not a valid notebook: cell {index} is not an object")
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(part, str) for part in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotebookError(f"not a valid notebook: the source of cell {index} is not text")
        cells.append(_prepare(CodeCell(index, source), path))
    return Notebook(path, text, raw, cells, _is_python(raw))


def _is_python(raw: dict) -> bool:
    metadata = raw.get("metadata")
    if not isinstance(metadata, dict):
        return True
    for key, name in (("kernelspec", "language"), ("language_info", "name")):
        value = metadata.get(key)
        if isinstance(value, dict) and isinstance(value.get(name), str):
            return value[name].lower() == "python"
    return True


def _parses(code: str) -> Optional[SyntaxError]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(code)
    except SyntaxError as error:
        return error
    except (ValueError, RecursionError, MemoryError) as error:
        return SyntaxError(str(error) or type(error).__name__)
    return None


def _prepare(cell: CodeCell, path: str) -> CodeCell:
    """Neutralize IPython syntax in a cell that is not plain Python; PF000 if it still is not."""
    cell.code = cell.source
    if _parses(cell.source) is None:
        return cell
    lines = split_lines(cell.source)
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        name = first[2:].split(maxsplit=1)[0] if first[2:].strip() else ""
        if name not in PYTHON_CELL_MAGICS:  # %%bash, %%sql, %%html...: not Python, not linted
            cell.skipped = True
            return cell
    out: list[str] = []
    continued = False
    for number, line in enumerate(lines):
        body = line.rstrip("\r\n")
        magic = continued or (number == 0 and first.startswith("%%")) or _LINE_MAGIC.match(body) is not None
        if magic:
            ending = line[len(body):]
            indent = body[: len(body) - len(body.lstrip())] if not continued else ""
            out.append(f"{indent}pass  {MARKER.format(len(cell.magics))}{ending}")
            cell.magics.append(line)
            continued = body.endswith("\\")
        else:
            out.append(line)
    cell.code = "".join(out)
    error = _parses(cell.code)
    if error is not None:
        cell.error = replace(
            parse_error(path, f"SyntaxError: {error.msg}", error.lineno or 1, max(error.offset or 1, 1)), cell=cell.number
        )
    return cell


# --- linting ---------------------------------------------------------------


def lint_notebook(data: bytes | str, path: str, settings=None) -> list[Finding]:
    """Findings of a notebook's code cells, with cell-relative positions."""
    from perflint.engine import lint_source

    try:
        notebook = read_notebook(data, path)
    except NotebookError as error:
        return [parse_error(path, str(error))]
    findings = [cell.error for cell in notebook.cells if cell.error is not None] if notebook.python else []
    code, where = notebook.joined()
    if not code:
        return findings
    for finding in lint_source(code, path, settings):
        moved = to_cells(finding, where, notebook)
        if moved is not None:
            findings.append(moved)
    return findings


def to_cells(finding: Finding, where: list[tuple[int, int]], notebook: Notebook) -> Optional[Finding]:
    """A finding of the joined text moved to its cell (None if it is on a separator)."""
    if not 1 <= finding.line < len(where):
        return None
    cell, line = where[finding.line]
    column = finding.column
    if line == 0:  # a separator line (only PF000 at the very end can land here)
        line, column = 1, 1
    end_cell, end_line = where[min(max(finding.end_line, 1), len(where) - 1)]
    end_column = finding.end_column
    if end_cell != cell or end_line == 0:
        end_line, end_column = line, column
    fix = _fix_to_cells(finding.fix, where, notebook) if finding.fix is not None else None
    context = dict(finding.context)
    function_line = context.get("function_line")
    if isinstance(function_line, int) and 1 <= function_line < len(where):
        function_cell, context["function_line"] = where[function_line]
        context["cell"] = function_cell
    return replace(
        finding, line=line, column=column, end_line=end_line, end_column=end_column, fix=fix, context=context, cell=cell
    )


def _fix_to_cells(fix: Fix, where: list[tuple[int, int]], notebook: Notebook) -> Optional[Fix]:
    cells = {cell.number: cell for cell in notebook.linted}
    order = [cell.number for cell in notebook.linted]
    edits = []
    for edit in fix.edits:
        start = _position(edit.line, edit.column, where, cells, order)
        end = _position(edit.end_line, edit.end_column, where, cells, order)
        if start is None or end is None or start[0] != end[0]:
            return None  # an edit across cells cannot be offered in a notebook
        content = edit.content
        if start[3] and content.endswith("\n"):  # appended to a cell whose last line has no newline
            content = "\n" + content[:-1]
        edits.append(Edit(start[1], start[2], end[1], end[2], content, cell=start[0]))
    return Fix(fix.message, fix.applicability, tuple(edits))


def _position(line: int, column: int, where, cells: dict[int, CodeCell], order: list[int]):
    """``(cell, line, column, after_unended_last_line)`` of a position in the joined text."""
    if line >= len(where):  # the end of the joined text: the end of the last cell
        return _end_of(cells[order[-1]]) if order else None
    cell, in_cell = where[line]
    if in_cell:
        return cell, in_cell, column, False
    # The start of a separator line is the end of the cell before it (the joined
    # text gave that cell a final newline), or the top of the first cell.
    position = order.index(cell)
    if position == 0:
        return cell, 1, 1, False
    return _end_of(cells[order[position - 1]])


def _end_of(cell: CodeCell) -> tuple[int, int, int, bool]:
    lines = split_lines(cell.code)
    if not lines:
        return cell.number, 1, 1, False
    last = lines[-1]
    if last.endswith(("\n", "\r")):
        return cell.number, len(lines) + 1, 1, False
    return cell.number, len(lines), len(last) + 1, True


# --- fixing ----------------------------------------------------------------


@dataclass
class NotebookFix:
    text: str  # the notebook's new file text
    applied: int
    cells: dict[int, tuple[str, str]]  # cell number -> (source before, source after), changed cells only


def fix_cells(
    notebook: Notebook, settings=None, unsafe: bool = False, keep_line_length: bool = False
) -> Optional[tuple[int, dict[int, tuple[str, str]]]]:
    """Fixes applied to the code cells: (fixes applied, cell number -> (source before, after) of changed cells);
    None when nothing changes or the result cannot be split back into the cells."""
    from perflint.autofix import fix_text

    code, _ = notebook.joined()
    if not code:
        return None
    after, applied = fix_text(code, notebook.path, settings, unsafe=unsafe, keep_line_length=keep_line_length)
    if after == code or not applied:
        return None
    sources = _split(after, notebook)
    if sources is None:
        return None
    changed = {
        cell.number: (cell.source, sources[cell.number])
        for cell in notebook.linted
        if sources[cell.number] != cell.source
    }
    return (applied, changed) if changed else None


def fix_notebook(notebook: Notebook, settings=None, unsafe: bool = False) -> Optional[NotebookFix]:
    """Apply fixes to the code cells of a notebook file; None when nothing changes."""
    result = fix_cells(notebook, settings, unsafe)
    if result is None:
        return None
    applied, changed = result
    return NotebookFix(replace_sources(notebook.text, {n: new for n, (_, new) in changed.items()}), applied, changed)


def _split(text: str, notebook: Notebook) -> Optional[dict[int, str]]:
    """The joined text back into cell sources, magics restored (None if the separators moved)."""
    cells = notebook.linted
    chunks: list[list[str]] = [[]]
    numbers: list[int] = []
    for line in split_lines(text):
        match = _SEPARATOR_LINE.match(line)
        if match:
            numbers.append(int(match.group(1)))
            chunks.append([])
        else:
            chunks[-1].append(line)
    if numbers != [cell.number for cell in cells]:
        return None
    chunks[1] = chunks[0] + chunks[1]  # anything put before the first separator goes to the first cell
    sources = {}
    for cell, lines in zip(cells, chunks[1:]):
        restored = []
        seen = 0
        for line in lines:
            match = _MARKER.search(line)
            if match:
                index = int(match.group(1))
                if index != seen or index >= len(cell.magics):
                    return None
                restored.append(cell.magics[index])
                seen += 1
            else:
                restored.append(line)
        if seen != len(cell.magics):
            return None
        source = "".join(restored)
        if not cell.source.endswith(("\n", "\r")) and source.endswith("\n"):
            source = source[:-2] if source.endswith("\r\n") else source[:-1]
        sources[cell.number] = source
    return sources


def replace_sources(text: str, sources: dict[int, str]) -> str:
    """The notebook text with the ``source`` of the given cells replaced, everything else as it was."""
    pieces = []
    last = 0
    for number, (start, end) in sorted(_source_spans(text).items()):
        if number not in sources:
            continue
        pieces.append(text[last:start])
        pieces.append(_render_source(sources[number], text[start:end]))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _render_source(source: str, original: str) -> str:
    """``source`` as JSON in the style of the ``original`` value (a list of lines or one string)."""
    ascii_only = "\\u" in original
    if not original.startswith("["):
        return json.dumps(source, ensure_ascii=ascii_only)
    items = [json.dumps(line, ensure_ascii=ascii_only) for line in split_lines(source)]
    if not items:
        return "[]"
    newline = original.find("\n")
    if newline == -1:  # an inline list
        return "[" + ", ".join(items) + "]"
    inner = original[newline + 1 :]
    item_indent = inner[: len(inner) - len(inner.lstrip(" \t"))]
    tail = original[original.rfind("\n") + 1 : -1]
    own_line = tail.strip() == ""  # the closing bracket on its own line, indented by ``tail``
    if inner.lstrip(" \t").startswith("]"):  # was an empty multi-line list: indent one step past the bracket
        item_indent = tail + " "
    eol = "\r\n" if "\r\n" in original else "\n"
    close = eol + tail if own_line else ""
    return "[" + eol + ("," + eol).join(item_indent + item for item in items) + close + "]"


def _source_spans(text: str) -> dict[int, tuple[int, int]]:
    """Offsets of each cell's ``source`` value in the notebook's text, by cell number."""
    decoder = json.JSONDecoder()
    spans = {}
    top = _skip(text, 0)
    for key, start, _ in _members(text, top, decoder):
        if key != "cells":
            continue
        for number, cell_start in enumerate(_elements(text, start, decoder), start=1):
            if text[cell_start] != "{":
                continue
            for cell_key, value_start, value_end in _members(text, cell_start, decoder):
                if cell_key == "source":
                    spans[number] = (value_start, value_end)
    return spans


_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, index: int) -> int:
    match = _WHITESPACE.match(text, index)
    return match.end() if match else index


def _members(text: str, index: int, decoder: json.JSONDecoder) -> Iterator[tuple[str, int, int]]:
    """``(key, value start, value end)`` of the object starting at ``index``."""
    from json.decoder import scanstring

    index = _skip(text, index + 1)
    if text[index] == "}":
        return
    while True:
        key, index = scanstring(text, index + 1)
        index = _skip(text, index)
        index = _skip(text, index + 1)  # the colon
        _, end = decoder.raw_decode(text, index)
        yield key, index, end
        index = _skip(text, end)
        if text[index] != ",":
            return
        index = _skip(text, index + 1)


def _elements(text: str, index: int, decoder: json.JSONDecoder) -> Iterator[int]:
    """The start of each element of the array starting at ``index``."""
    index = _skip(text, index + 1)
    if text[index] == "]":
        return
    while True:
        _, end = decoder.raw_decode(text, index)
        yield index
        index = _skip(text, end)
        if text[index] != ",":
            return
        index = _skip(text, index + 1)


# --- the command line's file task ------------------------------------------


def lint_task(path: str, settings, fix) -> "FileResult":
    """``runner._lint_task`` for a notebook: lint, and with ``fix`` rewrite or diff its code cells."""
    from perflint.cache import content_hash
    from perflint.runner import FileResult, one_line, read_input

    read = read_input(path)
    if isinstance(read, FileResult):
        return read
    stat, data = read
    try:
        findings = lint_notebook(data, path, settings)
        result = FileResult(path, findings, stat=stat, digest=content_hash(data))
        if fix is not None and any(f.fix is not None and (fix.unsafe or f.fix.is_safe) for f in findings):
            _apply(result, data, settings, fix)
    except Exception as error:  # a bug in perflint or a rule: name the file, go on with the others
        return FileResult(path, [], error=f"{path}: internal error: {one_line(error)}")
    return result


def _ended(text: str) -> str:
    """A cell's text with a final newline, so that one cell's diff does not run into the next."""
    return text if not text or text.endswith(("\n", "\r")) else text + "\n"


def _apply(result, data: bytes, settings, fix) -> None:
    import os

    from perflint.cache import content_hash
    from perflint.fixes import unified_diff

    notebook = read_notebook(data, result.path)
    fixed = fix_notebook(notebook, settings, unsafe=fix.unsafe)
    if fixed is None:
        return
    if not fix.write:
        result.fixes_applied = fixed.applied
        result.diff = "".join(
            unified_diff(f"{result.path}:cell {number}", _ended(before), _ended(after))
            for number, (before, after) in sorted(fixed.cells.items())
        )
        return
    encoded = fixed.text.encode("utf-8")
    if data.startswith(b"\xef\xbb\xbf"):
        encoded = b"\xef\xbb\xbf" + encoded
    try:
        with open(result.path, "wb") as handle:
            handle.write(encoded)
    except OSError as error:
        result.error = f"{result.path}: cannot write the fixes: {error.strerror or error}"
        return
    result.fixes_applied = fixed.applied
    stat = os.stat(result.path)
    result.findings = lint_notebook(encoded, result.path, settings)
    result.stat = (stat.st_size, stat.st_mtime_ns)
    result.digest = content_hash(encoded)


def stdin_notebook(data: bytes, path: str, settings, fix: bool, diff: bool, unsafe: bool) -> tuple[str, list[Finding], bool]:
    """A notebook read from stdin: (what to print: the fixed notebook or the diff, findings, changed)."""
    from perflint.fixes import unified_diff

    findings = lint_notebook(data, path, settings)
    if not (fix or diff) or any(f.code == "PF000" and f.cell is None for f in findings):
        return (data.decode("utf-8", "replace") if fix else ""), findings, False
    notebook = read_notebook(data, path)
    fixed = fix_notebook(notebook, settings, unsafe=unsafe)
    if fixed is None:
        return ("" if diff else notebook.text), findings, False
    if diff:
        text = "".join(
            unified_diff(f"{path}:cell {number}", _ended(before), _ended(after))
            for number, (before, after) in sorted(fixed.cells.items())
        )
        return text, findings, True
    return fixed.text, lint_notebook(fixed.text, path, settings), True
