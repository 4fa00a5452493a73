"""SPEC's JSON array of findings."""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii

from perflint.model import Finding


def render(findings: list[Finding]) -> str:
    return dumps_indented([f.to_dict() for f in findings]) + "\n"


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
