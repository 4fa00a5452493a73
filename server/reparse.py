"""Re-parse only the statements an edit touched.

In an editor each keystroke changes a line or two of a file that is
otherwise what it was a moment ago. ``ast.parse`` of a 6,000-line module
takes about 30 ms; the statement being edited takes well under one. When an
edit keeps the number of lines, the statements around it keep their line
numbers, so the new tree is the old one with the touched statements replaced
by a parse of their new text: top-level statements, or members of a class
when the edit stays inside one (big classes are where big files keep their code).

The splice is used only when it must equal a full parse: the replaced
region starts and ends on statement boundaries, its new text parses on its
own (a class's members inside a stand-in ``class`` line) into as many
top-level statements, and none of them is a ``__future__`` import (legal only
at the top of a file). (No future changes how ``ast.parse`` reads the rest
of a file: it ignores ``barry_as_FLUFL``.) Anything else (a line added or removed, an unclosed
bracket, a changed indentation) falls back to ``ast.parse`` of the whole
file, which also gives syntax errors their real positions; in a long file, a
line added or removed is first tried group by group (``parse_in_chunks``), so
that no single call holds the interpreter for the whole file.
"""

from __future__ import annotations

import ast
import copy
import warnings
from dataclasses import dataclass
from itertools import compress, count
from operator import ne
from typing import Optional, Sequence

from perflint.blocks import (
    LITERAL_MEMO,
    among_members,
    is_literal_value,
    statement_end,
    statement_start,
    touched_statements,
)
from perflint.source import parse_ast


@dataclass(frozen=True)
class Parsed:
    """A file's lines and the tree they parsed to."""

    lines: list[str]
    tree: ast.Module


def changed_region(old: Sequence[str], new: Sequence[str]) -> tuple[int, int, int]:
    """``(start, old_stop, new_stop)``: the edit from ``old`` to ``new`` replaced the lines
    ``old[start:old_stop]`` by ``new[start:new_stop]``; the lines around them are equal.

    Both ends are found by C loops (``map`` and ``compress``); lines an editor did not
    touch are the same string objects, which compare at once.
    """
    shorter = min(len(old), len(new))
    start = next(compress(count(), map(ne, old, new)), shorter)
    same_tail = next(compress(count(), map(ne, reversed(old), reversed(new))), shorter)
    same_tail = min(same_tail, shorter - start)
    return start, len(old) - same_tail, len(new) - same_tail


def reparse(previous: Parsed, lines: list[str]) -> Optional[ast.Module]:
    """The tree of ``lines`` made from ``previous``'s, or None when only a full parse will do."""
    if len(previous.lines) != len(lines):
        return None
    start, stop, _ = changed_region(previous.lines, lines)
    if start == stop:
        return previous.tree
    body = _splice(previous.tree.body, lines, start + 1, stop, None)
    return None if body is None else ast.Module(body=body, type_ignores=[])


def _splice(
    body: list[ast.stmt], lines: list[str], first: int, last: int, cls: Optional[ast.ClassDef]
) -> Optional[list[ast.stmt]]:
    """``body`` with the statements around lines ``first``..``last`` parsed again; ``cls`` is
    the class whose members these are (None at module level)."""
    touched = touched_statements(body, first, last)
    if len(touched) == 1 and isinstance(body[touched[0]], _DISPLAY_HOLDERS):
        # An edit inside one element of a big display (a data literal of thousands of lines):
        # only that element is parsed again.
        statement = _splice_element(body[touched[0]], lines, first, last)
        if statement is not None:
            return [*body[: touched[0]], statement, *body[touched[0] + 1 :]]
    if len(touched) == 1 and isinstance(body[touched[0]], ast.ClassDef):
        inner = body[touched[0]]
        if among_members(inner, first, last):
            members = _splice(inner.body, lines, first, last, inner)
            if members is not None:
                replaced = copy.copy(inner)
                replaced.body = members
                replaced.end_lineno, replaced.end_col_offset = members[-1].end_lineno, members[-1].end_col_offset
                return [*body[: touched[0]], replaced, *body[touched[0] + 1 :]]
    # Statements on the lines next to the edit too: an edited line can join one
    # (an indented line after a function becomes part of its body).
    near = touched_statements(body, first - 1, last + 1)
    if not near:
        return None
    start, stop = near[0], near[-1]
    region_first = min(statement_start(body[start]), first)
    region_last = max(statement_end(body[stop]), last)
    if (start > 0 and statement_end(body[start - 1]) >= region_first) or (
        stop + 1 < len(body) and statement_start(body[stop + 1]) <= region_last
    ):
        return None  # statements share a line with the region (``a = 1; b = 2``)
    if cls is not None and (region_first <= cls.lineno or region_last > statement_end(cls)):
        return None  # the region would reach the class header or beyond the class
    text = "".join(lines[region_first - 1 : region_last])
    new = _parse_region(text, region_first, cls is not None)
    if new is None or any(_is_future_import(node) for node in new):
        return None
    if any(node.col_offset != body[0].col_offset for node in new):
        # Indented deeper than its siblings, the region would belong to the statement before it
        # (a commented-out ``def`` line leaves its body to the method above).
        return None
    return [*body[:start], *new, *body[stop + 1 :]]


_DISPLAY_HOLDERS = (ast.Assign, ast.AnnAssign, ast.Expr)
_DISPLAYS = (ast.Dict, ast.List, ast.Tuple, ast.Set)


def _splice_element(statement: ast.stmt, lines: list[str], first: int, last: int) -> Optional[ast.stmt]:
    """``statement`` (its value a display) with the innermost element of the display whose
    lines strictly surround lines ``first``..``last`` parsed again; None when there is none
    or the new text is not one expression of the same kind.

    The element's first and last lines are unchanged, so its text starts and ends where it
    did, between the same tokens as before; parsed on its own at its place (the same line
    numbers and columns) it gives the nodes a full parse gives it. A new kind of node is
    refused: text such as ``'a', 'b'`` or ``x := 1`` reads differently inside a display.
    """
    if not isinstance(statement.value, _DISPLAYS):
        return None
    path: list[tuple[ast.AST, str, int]] = []  # (container, field, index) from the statement down
    container = statement.value
    while isinstance(container, _DISPLAYS):
        found = _element_around(container, first, last)
        if found is None:
            break
        field, index = found
        path.append((container, field, index))
        container = getattr(container, field)[index]
    if not path:
        return None
    element = container
    new = new_element = _parse_element(element, lines)
    if new is None or type(new) is not type(element):
        return None
    for parent, field, index in reversed(path):
        replaced = copy.copy(parent)
        values = list(getattr(parent, field))
        values[index] = new
        setattr(replaced, field, values)
        new = replaced
    result = copy.copy(statement)
    result.value = new
    known = result.__dict__.pop(LITERAL_MEMO, None)  # the copy's answer may differ from the original's
    if known is not None:
        setattr(result, LITERAL_MEMO, known and is_literal_value(new_element))
    return result


def _element_around(display: ast.expr, first: int, last: int) -> Optional[tuple[str, int]]:
    """(field, index) of the element of ``display`` whose lines strictly surround ``first``..``last``."""
    fields = ("keys", "values") if isinstance(display, ast.Dict) else ("elts",)
    for field in fields:
        elements = getattr(display, field)
        # Elements are in source order: the last one starting before ``first`` is the only candidate.
        low, high = 0, len(elements)
        while low < high:
            middle = (low + high) // 2
            node = elements[middle]
            if node is not None and node.lineno < first:
                low = middle + 1
            elif node is None:
                return None  # ``**mapping`` in a dict: keep to plain elements
            else:
                high = middle
        if low:
            node = elements[low - 1]
            if node is not None and node.lineno < first and last < (node.end_lineno or node.lineno):
                return field, low - 1
    return None


def _parse_element(element: ast.expr, lines: list[str]) -> Optional[ast.expr]:
    """The expression on ``element``'s lines and columns of ``lines``, parsed at its place."""
    if element.col_offset < 1:
        return None  # at the start of its line: no room for the "(" in front
    first_line = lines[element.lineno - 1].encode("utf-8")
    last_line = lines[element.end_lineno - 1].encode("utf-8")
    try:
        head = first_line[element.col_offset :].decode("utf-8")
        tail = last_line[: element.end_col_offset].decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = head + "".join(lines[element.lineno : element.end_lineno - 1]) + tail
    # "(" then spaces put the element's first character at its column (in UTF-8 bytes, as ast counts).
    source = "\n" * (element.lineno - 1) + "(" + " " * (element.col_offset - 1) + text + "\n)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = parse_ast(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if len(module.body) != 1 or not isinstance(module.body[0], ast.Expr):
        return None
    return module.body[0].value


def _parse_region(text: str, first_line: int, members: bool) -> Optional[list[ast.stmt]]:
    # Blank lines in front give the nodes their line numbers in the file (the tokenizer skips
    # them at almost no cost); a class's members parse inside a stand-in class line.
    source = "\n" * (first_line - 2) + "class _:\n" + text if members else "\n" * (first_line - 1) + text
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = parse_ast(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not members:
        return module.body
    if len(module.body) != 1 or not isinstance(module.body[0], ast.ClassDef):
        return None  # a line of the region left the class's indentation
    return module.body[0].body


# A whole-file ``ast.parse`` runs in C and holds the GIL: about 100 ms for 15,000 lines, during
# which the language server answers nothing. A long file whose line count changed is parsed in
# groups of whole top-level statements of about this many lines instead: the same tree, in
# calls of a few milliseconds each.
CHUNK_LINES = 800


def parse_in_chunks(previous: Parsed, lines: list[str]) -> Optional[ast.Module]:
    """The tree of ``lines``, parsed group by group, cut where the last tree's top-level
    statements start (outside the edit and the statements next to it); None for a short
    file, or when a group does not parse on its own (the whole-file parse then decides).

    Equal to the whole-file parse whenever every group parses: the first group starts where
    the file does, and a group that parses to its end leaves the tokenizer outside any
    bracket, string or continuation line, at the left margin, exactly where the next group
    starts (a line of the old tree's statements, unchanged, beginning in column 1)."""
    if len(lines) <= 2 * CHUNK_LINES:
        return None
    start, old_stop, new_stop = changed_region(previous.lines, lines)
    delta = new_stop - old_stop
    first, last = start + 1, max(old_stop, start + 1)  # the edit, in the old file's 1-based lines
    cuts: list[int] = []
    for node in previous.tree.body:
        begin = statement_start(node)
        if statement_end(node) >= first - 1 and begin <= last + 1:
            continue  # the edited statements and their neighbours stay in one group
        line = begin + delta if begin > last else begin
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        if text[:1].strip() and line > 1:
            cuts.append(line)
    body: list[ast.stmt] = []
    group_start = 1
    for end in [*_group_ends(cuts), len(lines) + 1]:
        if end <= group_start:
            continue
        source = "\n" * (group_start - 1) + "".join(lines[group_start - 1 : end - 1])
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                body.extend(parse_ast(source).body)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        group_start = end
    return ast.Module(body=body, type_ignores=[])


def _group_ends(cuts: list[int]) -> list[int]:
    """Of the possible cut lines, those that end groups of about ``CHUNK_LINES`` lines."""
    ends, group_start = [], 1
    for cut in cuts:
        if cut - group_start >= CHUNK_LINES:
            ends.append(cut)
            group_start = cut
    return ends


def _is_future_import(node: ast.stmt) -> bool:
    return isinstance(node, ast.ImportFrom) and node.module == "__future__"
