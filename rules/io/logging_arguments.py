"""Turning an eagerly formatted logging message into a format string and arguments.

Used by PF405. Each function takes the message expression and returns
``(new_message, arguments, exact)`` or None when it cannot rewrite it;
``exact`` says the rewrite gives the same text for every value (only the
f-string case with plain names or attributes can promise that).
"""

from __future__ import annotations

import string
from typing import Optional

import libcst as cst
from perflint.analysis import dotted_name, replace_within

Rewrite = tuple[cst.BaseExpression, list[cst.BaseExpression], bool]


def _escape_percent(text: str) -> str:
    return text.replace("%", "%%")


def _string_parts(node: cst.BaseExpression) -> Optional[list[cst.BaseExpression]]:
    """The leaves of an implicitly concatenated string, else None."""
    if isinstance(node, (cst.SimpleString, cst.FormattedString)):
        return [node]
    if isinstance(node, cst.ConcatenatedString):
        left, right = _string_parts(node.left), _string_parts(node.right)
        return None if left is None or right is None else left + right
    return None


def has_fields(node: cst.BaseExpression) -> bool:
    """An f-string (possibly concatenated) with at least one ``{expression}``."""
    parts = _string_parts(node) or []
    return any(
        isinstance(p, cst.FormattedString) and any(isinstance(q, cst.FormattedStringExpression) for q in p.parts)
        for p in parts
    )


def from_fstring(node: cst.BaseExpression) -> Optional[Rewrite]:
    """``f"a {x} {y!r}"`` -> ``"a %s %r"``, ``[x, y]``."""
    leaves = _string_parts(node)
    if leaves is None or any(isinstance(p, cst.SimpleString) and "b" in p.prefix.lower() for p in leaves):
        return None
    mapping: dict[cst.CSTNode, cst.CSTNode] = {}
    arguments: list[cst.BaseExpression] = []
    exact = True
    for leaf in leaves:
        if isinstance(leaf, cst.SimpleString):
            inner = leaf.value[len(leaf.prefix) + len(leaf.quote) : -len(leaf.quote)]
            mapping[leaf] = leaf.with_changes(value=leaf.prefix + leaf.quote + _escape_percent(inner) + leaf.quote)
            continue
        pieces: list[str] = []
        for part in leaf.parts:
            if isinstance(part, cst.FormattedStringText):
                pieces.append(_escape_percent(part.value.replace("{{", "{").replace("}}", "}")))
                continue
            if part.format_spec or part.equal is not None or part.conversion not in (None, "s", "r"):
                return None  # a spec or `=` has no %-format equivalent we can prove
            if dotted_name(part.expression) is None:
                exact = False  # any other expression: evaluated later, maybe formatted differently
            pieces.append("%r" if part.conversion == "r" else "%s")
            arguments.append(part.expression)
        text = "".join(pieces)
        prefix = leaf.start[:-len(leaf.end)].replace("f", "").replace("F", "")
        if "\\N{" in text and "r" not in prefix.lower():
            return None  # a named escape: its braces were not fields
        mapping[leaf] = cst.SimpleString(prefix + leaf.end + text + leaf.end)
    return replace_within(node, mapping), arguments, exact


def from_percent(node: cst.BinaryOperation) -> Optional[Rewrite]:
    """``"a %s %s" % (x, y)`` -> ``"a %s %s"``, ``[x, y]``; a non-tuple right side is one argument."""
    if _string_parts(node.left) is None or has_fields(node.left):
        return None
    right = node.right
    if isinstance(right, cst.Tuple):
        if not all(isinstance(e, cst.Element) for e in right.elements):
            return None
        arguments = [e.value for e in right.elements]
    else:
        arguments = [right]
    return node.left, arguments, False


def from_format(node: cst.Call) -> Optional[Rewrite]:
    """``"a {} {}".format(x, y)`` -> ``"a %s %s"``, ``[x, y]`` (only bare ``{}`` fields)."""
    literal = node.func.value  # type: ignore[attr-defined]
    if not isinstance(literal, cst.SimpleString) or "b" in literal.prefix.lower():
        return None
    if any(arg.keyword or arg.star for arg in node.args):
        return None
    inner = literal.value[len(literal.prefix) + len(literal.quote) : -len(literal.quote)]
    if "\\N{" in inner:
        return None
    try:
        pieces = list(string.Formatter().parse(inner))
    except ValueError:
        return None
    converted: list[str] = []
    fields = 0
    for literal_text, field, spec, conversion in pieces:
        converted.append(_escape_percent(literal_text))
        if field is None:
            continue
        if field != "" or spec or conversion:
            return None
        converted.append("%s")
        fields += 1
    if fields != len(node.args):
        return None
    new = literal.with_changes(value=literal.prefix + literal.quote + "".join(converted) + literal.quote)
    return new, [arg.value for arg in node.args], False


def from_concatenation(node: cst.BinaryOperation) -> Optional[Rewrite]:
    """``"a " + x + " b"`` -> ``"a %s b"``, ``[x]``; ``str(x)`` passes ``x``."""
    operands: list[cst.BaseExpression] = []

    def flatten(expr: cst.BaseExpression) -> None:
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add) and not expr.lpar:
            flatten(expr.left)
            flatten(expr.right)
        else:
            operands.append(expr)

    flatten(node)
    literals = [o for o in operands if isinstance(o, cst.SimpleString)]
    if not literals or len({(o.prefix.lower(), o.quote) for o in literals}) != 1 or "b" in literals[0].prefix.lower():
        return None
    first = literals[0]
    pieces: list[str] = []
    arguments: list[cst.BaseExpression] = []
    for operand in operands:
        if isinstance(operand, cst.SimpleString):
            pieces.append(_escape_percent(operand.value[len(operand.prefix) + len(operand.quote) : -len(operand.quote)]))
        elif isinstance(operand, (cst.FormattedString, cst.ConcatenatedString)):
            return None
        else:
            if (
                isinstance(operand, cst.Call)
                and isinstance(operand.func, cst.Name)
                and operand.func.value == "str"
                and len(operand.args) == 1
                and not operand.args[0].keyword
                and not operand.args[0].star
            ):
                operand = operand.args[0].value
            pieces.append("%s")
            arguments.append(operand)
    if not arguments:
        return None
    return cst.SimpleString(first.prefix + first.quote + "".join(pieces) + first.quote), arguments, False
