"""SPEC's JSON array of findings."""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii

from perflint.model import Finding


def render(findings: list[Finding]) -> str:
    """``json.dumps([f.to_dict() for f in findings], indent=2)`` and a newline, the same text:
    each finding written straight from its fields (no dictionary built per finding and edit,
    the strings a report repeats, paths, codes, messages, encoded once). A finding whose
    fields are not the plain types this writes (or a notebook's, with cells) is written from
    its ``to_dict`` by ``dumps_indented``'s encoder."""
    if not findings:
        return "[]\n"
    parts: list[str] = []
    strings: dict[str, str] = {}
    try:
        for index, finding in enumerate(findings):
            parts.append("[\n  " if not index else ",\n  ")
            if not _write_finding(finding, parts, strings):
                _encode(finding.to_dict(), "\n  ", parts)
    except _Unusual:
        return json.dumps([f.to_dict() for f in findings], indent=2) + "\n"
    parts.append("\n]\n")
    return "".join(parts)


def _string(value: str, strings: dict[str, str]) -> str:
    encoded = strings.get(value)
    if encoded is None:
        encoded = strings[value] = encode_basestring_ascii(value)
    return encoded


def _write_finding(finding: Finding, parts: list[str], strings: dict[str, str]) -> bool:
    """``finding.to_dict()``'s text at the report's first level (``_encode``'s, indent 2), or
    False (nothing written) when a field is not of the plain type written here."""
    fix = finding.fix
    impact = finding.impact
    if (
        type(finding.path) is not str or type(finding.code) is not str or type(finding.rule) is not str
        or type(finding.message) is not str or type(finding.line) is not int or type(finding.column) is not int
        or type(finding.end_line) is not int or type(finding.end_column) is not int
        or type(finding.level) is not int or type(finding.rank) is not int or type(impact) is not float
        or finding.cell is not None
    ):
        return False
    category = finding.category
    if type(category) is not str:
        return False
    if fix is not None:
        edits = fix.edits
        if type(fix.message) is not str or type(fix.applicability) is not str or type(fix.complete) is not bool:
            return False
        for edit in edits:
            if (
                type(edit.line) is not int or type(edit.column) is not int or type(edit.end_line) is not int
                or type(edit.end_column) is not int or type(edit.content) is not str or edit.cell is not None
            ):
                return False
    parts.append(
        '{\n    "path": ' + _string(finding.path, strings)
        + ',\n    "line": ' + int.__repr__(finding.line)
        + ',\n    "column": ' + int.__repr__(finding.column)
        + ',\n    "end_line": ' + int.__repr__(finding.end_line)
        + ',\n    "end_column": ' + int.__repr__(finding.end_column)
        + ',\n    "code": ' + _string(finding.code, strings)
        + ',\n    "rule": ' + _string(finding.rule, strings)
        + ',\n    "level": ' + int.__repr__(finding.level)
        + ',\n    "category": ' + _string(category, strings)
        + ',\n    "message": ' + _string(finding.message, strings)
        + ',\n    "rank": ' + int.__repr__(finding.rank)
        + ',\n    "impact": ' + _float(impact)
        + ',\n    "fix": '
    )
    if fix is None:  # (``to_dict`` writes None for any false fix; a ``Fix`` is never false)
        parts.append("null\n  }")
        return True
    parts.append(
        '{\n      "message": ' + _string(fix.message, strings)
        + ',\n      "applicability": ' + _string(fix.applicability, strings)
        + ',\n      "edits": '
    )
    if not edits:
        parts.append("[]")
    else:
        first = True
        for edit in edits:
            parts.append(
                ('[\n        {\n          "line": ' if first else ',\n        {\n          "line": ')
                + int.__repr__(edit.line)
                + ',\n          "column": ' + int.__repr__(edit.column)
                + ',\n          "end_line": ' + int.__repr__(edit.end_line)
                + ',\n          "end_column": ' + int.__repr__(edit.end_column)
                + ',\n          "content": ' + encode_basestring_ascii(edit.content)
                + "\n        }"
            )
            first = False
        parts.append("\n      ]")
    parts.append("\n    }\n  }" if fix.complete else ',\n      "complete": false\n    }\n  }')
    return True


def dumps_indented(value: object) -> str:
    """``json.dumps(value, indent=2)``, the same text: with an indent, ``json`` encodes in
    Python, one generator per container and a chunk per token (a tenth of a JSON report of
    thousands of findings with fixes); here each container is joined at once. Strings,
    numbers and constants are written as ``json`` writes them; anything else (or a cycle,
    or a key that is not a string) goes to ``json.dumps`` itself."""
    try:
        parts: list[str] = []
        _encode(value, "\n", parts)
        return "".join(parts)
    except _Unusual:
        return json.dumps(value, indent=2)


class _Unusual(Exception):
    """A value this encoder leaves to ``json``."""


_CONSTANTS = {True: "true", False: "false"}


def _encode(value: object, newline: str, parts: list[str]) -> None:
    kind = type(value)
    if kind is str:
        parts.append(encode_basestring_ascii(value))
    elif kind is int:
        parts.append(int.__repr__(value))  # type: ignore[arg-type]
    elif kind is bool:
        parts.append(_CONSTANTS[value])  # type: ignore[index]
    elif value is None:
        parts.append("null")
    elif kind is float:
        parts.append(_float(value))  # type: ignore[arg-type]
    elif kind is dict:
        if not value:
            parts.append("{}")
            return
        inner = newline + "  "
        first = True
        for key, item in value.items():  # type: ignore[attr-defined]
            if type(key) is not str:
                raise _Unusual
            parts.append(("{" if first else ",") + inner + encode_basestring_ascii(key) + ": ")
            first = False
            _encode(item, inner, parts)
        parts.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        first = True
        for item in value:  # type: ignore[attr-defined]
            parts.append(("[" if first else ",") + inner)
            first = False
            _encode(item, inner, parts)
        parts.append(newline + "]")
    else:
        raise _Unusual


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)
