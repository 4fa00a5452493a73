"""Findings moved to where their code is now.

Two things move findings without linting again: a cached piece of source
that now sits on other lines (``engine.BlockCache``), and, in the language
server, an edit that leaves the file unparsable. While the user is halfway
through typing a line, the rest of the file still holds what it held: the
last good lint's findings outside the statements the edit touched stay
shown, moved by the lines the edit added or removed, next to the syntax
error.
"""

from __future__ import annotations

import ast
from dataclasses import replace

from perflint.blocks import among_members, statement_end, statement_start, touched_statements
from perflint.model import Edit, Finding
from perflint.reparse import Parsed, changed_region


def untouched_findings(good: Parsed, findings: list[Finding], lines: list[str]) -> list[Finding]:
    """``findings`` of the text ``good`` that lie outside the top-level statements (or class
    members) an edit to ``lines`` touched, moved to their lines in ``lines``. A fix that
    would edit the touched statements is dropped; the finding stays."""
    start, old_stop, new_stop = changed_region(good.lines, lines)
    if start == old_stop == new_stop:
        return list(findings)
    # The old lines the edit replaced (1-based, inclusive); a pure insertion touches the lines on
    # both sides of it.
    if old_stop > start:
        first, last = _touched(good.tree.body, start + 1, old_stop)
    else:
        first, last = _touched(good.tree.body, max(start, 1), start + 1)
    shift = new_stop - old_stop
    after = len(good.lines) - last
    move = LineMove(((last + 1, after),), ((last + 1 + shift, after),))
    kept = []
    for finding in findings:
        if finding.end_line >= first and finding.line <= last:
            continue
        if finding.fix is not None and any(e.end_line >= first and e.line <= last for e in finding.fix.edits):
            finding = replace(finding, fix=None)
        kept.append(move.finding(finding))
    return kept


def _touched(body: list[ast.stmt], first: int, last: int) -> tuple[int, int]:
    """Lines ``first``..``last`` widened to the statements of ``body`` they touch; inside one
    class, to the members they touch."""
    touched = [body[index] for index in touched_statements(body, first, last)]
    if len(touched) == 1 and isinstance(touched[0], ast.ClassDef) and among_members(touched[0], first, last):
        return _touched(touched[0].body, first, last)
    if not touched:
        return first, last
    return min(first, statement_start(touched[0])), max(last, statement_end(touched[-1]))


class LineMove:
    """Where the lines of a piece went when it moved: same text, new segments."""

    def __init__(self, old: tuple[tuple[int, int], ...], new: tuple[tuple[int, int], ...]) -> None:
        self.pairs = list(zip(old, new))

    def line(self, line: int) -> int:
        for (old_start, count), (new_start, _) in self.pairs:
            if old_start <= line < old_start + count:
                return new_start + line - old_start
        return line  # outside the piece: an insertion at the module's import point

    def end(self, line: int, column: int) -> int:
        """An end position at column 1 belongs with the line before it."""
        return self.line(line - 1) + 1 if column == 1 and line > 1 else self.line(line)

    def finding(self, finding: Finding) -> Finding:
        fix = finding.fix
        if fix is not None:
            edits = tuple(
                Edit(self.line(e.line), e.column, self.end(e.end_line, e.end_column), e.end_column, e.content)
                if (e.line, e.column) != (e.end_line, e.end_column)
                else Edit(self.line(e.line), e.column, self.line(e.line), e.column, e.content)
                for e in fix.edits
            )
            fix = replace(fix, edits=edits)
        context = dict(finding.context)
        if context.get("function_line"):
            context["function_line"] = self.line(context["function_line"])
        return replace(
            finding,
            line=self.line(finding.line),
            end_line=self.end(finding.end_line, finding.end_column),
            fix=fix,
            context=context,
        )
