"""Findings as LSP diagnostics, and perflint edits as LSP text edits.

Findings count 1-based lines and code-point columns with exclusive ends; LSP
counts 0-based lines and columns in the client's position encoding. Each
diagnostic carries what a code action needs in ``data`` (``level``, ``rank``,
``impact`` and ``fix`` in the same shape as ``perflint check --format json``),
so a code action never lints again.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from lsprotocol import types

from perflint.lsp_settings import severity_for
from perflint.lsp_text import line_content, to_client_units
from perflint.model import PARSE_ERROR_CODE, Edit, Finding, Level

SOURCE = "perflint"
RULE_DOCS_URL = "https://github.com/perflint/perflint/blob/main/docs/rules/{code}.md"


def rule_docs_url(code: str) -> str:
    return RULE_DOCS_URL.format(code=code)


def to_position(lines: Sequence[str], line: int, column: int, encoding: str) -> types.Position:
    """A 1-based line and code-point column as an LSP position."""
    index = line - 1
    if index >= len(lines):
        return types.Position(line=len(lines), character=0)
    return types.Position(line=index, character=to_client_units(line_content(lines[index]), column - 1, encoding))


def to_range(lines: Sequence[str], line: int, column: int, end_line: int, end_column: int, encoding: str):
    return types.Range(
        start=to_position(lines, line, column, encoding),
        end=to_position(lines, end_line, end_column, encoding),
    )


def to_text_edit(lines: Sequence[str], edit: Edit, encoding: str) -> types.TextEdit:
    return types.TextEdit(
        range=to_range(lines, edit.line, edit.column, edit.end_line, edit.end_column, encoding),
        new_text=edit.content,
    )


def message_of(finding: Finding) -> str:
    return f"[L{finding.level} {Level(finding.level).category}] {finding.message}"


def to_diagnostic(
    finding: Finding,
    lines: Sequence[str],
    encoding: str,
    severity: Mapping[Any, types.DiagnosticSeverity],
) -> types.Diagnostic:
    end_line, end_column = finding.end_line, finding.end_column
    if finding.code == PARSE_ERROR_CODE and (end_line, end_column) == (finding.line, finding.column):
        end_column += 1  # the character at the error, so that editors have something to underline
    return types.Diagnostic(
        range=to_range(lines, finding.line, finding.column, end_line, end_column, encoding),
        message=message_of(finding),
        severity=severity_for(finding.level, severity, micro=finding.micro),
        code=finding.code,
        code_description=_code_description(finding.code),
        source=SOURCE,
        data={
            "level": finding.level,
            "rank": finding.rank,
            "impact": finding.impact,
            "fix": finding.fix.to_dict() if finding.fix is not None else None,
        },
    )


def _code_description(code: str) -> Optional[types.CodeDescription]:
    if code == PARSE_ERROR_CODE:
        return None
    return types.CodeDescription(href=rule_docs_url(code))
