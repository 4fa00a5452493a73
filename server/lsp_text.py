"""Open documents' text, with lines and columns counted the way LSP counts them.

pygls keeps documents with ``str.splitlines``, which also breaks lines at form
feeds, ``\\x1c``-``\\x1e`` and ``\\u2028``; LSP (and Python's tokenizer) break
only at ``\\n``, ``\\r\\n`` and ``\\r``. Standard-library files contain form
feeds, so pygls applies incremental edits to the wrong line there. The server
therefore keeps its own copy of each document's text, as a list of lines that
is patched in place: an edit costs the lines it touches, not the whole file.

Columns: perflint counts Unicode code points; LSP counts code units of the
negotiated position encoding (UTF-16 unless the client offers another). The
conversions in both directions live here and nowhere else.
"""

from __future__ import annotations

from typing import Optional

from lsprotocol import types

from perflint.source import split_lines

UTF8 = types.PositionEncodingKind.Utf8
UTF16 = types.PositionEncodingKind.Utf16
UTF32 = types.PositionEncodingKind.Utf32
_LINE_ENDINGS = ("\r\n", "\n", "\r")


def line_content(line: str) -> str:
    """The line without its line ending."""
    for ending in _LINE_ENDINGS:
        if line.endswith(ending):
            return line[: -len(ending)]
    return line


def to_client_units(content: str, column: int, encoding: str) -> int:
    """A 0-based code-point column on ``content`` as a column in the client's code units."""
    column = min(column, len(content))
    if encoding == UTF32 or content.isascii():
        return column
    prefix = content[:column]
    if encoding == UTF8:
        return len(prefix.encode("utf-8"))
    return len(prefix) + sum(1 for char in prefix if ord(char) > 0xFFFF)


def from_client_units(content: str, character: int, encoding: str) -> int:
    """A column in the client's code units on ``content`` as a 0-based code-point column.

    A column past the end of the line means the end of the line (LSP says so);
    a column inside a character means that character's start.
    """
    if encoding == UTF32 or content.isascii():
        return min(character, len(content))
    units = 0
    for index, char in enumerate(content):
        if encoding == UTF8:
            units += len(char.encode("utf-8"))
        else:
            units += 2 if ord(char) > 0xFFFF else 1
        if units > character:
            return index
    return len(content)


class DocumentText:
    """One open document: its version and its lines (each with its line ending)."""

    def __init__(self, text: str, version: Optional[int]) -> None:
        self.lines: list[str] = split_lines(text)
        self.version = version
        self._text: Optional[str] = text

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self.lines)
        return self._text

    def content(self, line: int) -> str:
        """Line ``line`` (0-based) without its ending; "" past the end."""
        return line_content(self.lines[line]) if 0 <= line < len(self.lines) else ""

    def offset(self, position: types.Position, encoding: str) -> tuple[int, int]:
        """A client position as (0-based line, code-point column), clamped into the document."""
        if position.line >= len(self.lines):
            if self.lines and not self.lines[-1].endswith(_LINE_ENDINGS):
                return len(self.lines) - 1, len(self.lines[-1])
            return len(self.lines), 0
        return position.line, from_client_units(self.content(position.line), position.character, encoding)

    def apply(self, change: types.TextDocumentContentChangeEvent, encoding: str) -> None:
        """Apply one change from ``textDocument/didChange``."""
        self._text = None
        if not isinstance(change, types.TextDocumentContentChangePartial):
            self.lines = split_lines(change.text)
            self._text = change.text
            return
        start_line, start_column = self.offset(change.range.start, encoding)
        end_line, end_column = self.offset(change.range.end, encoding)
        if (end_line, end_column) < (start_line, start_column):
            start_line, start_column, end_line, end_column = end_line, end_column, start_line, start_column
        first = self.lines[start_line] if start_line < len(self.lines) else ""
        last = self.lines[end_line] if end_line < len(self.lines) else ""
        segment = first[:start_column] + change.text + last[end_column:]
        # A "\r" at one side of the patch and a "\n" at the other make one line break:
        # re-split the neighbouring line with the patch.
        if start_line > 0 and self.lines[start_line - 1].endswith("\r") and segment.startswith("\n"):
            start_line -= 1
            segment = self.lines[start_line] + segment
        if segment.endswith("\r") and end_line + 1 < len(self.lines) and self.lines[end_line + 1].startswith("\n"):
            end_line += 1
            segment += self.lines[end_line]
        self.lines[start_line : end_line + 1] = split_lines(segment)
