"""Small syntactic questions that several rules ask about libcst trees.

Everything here is purely syntactic and conservative: when in doubt, the
answer is the one that keeps a rule silent.
"""

from __future__ import annotations

from typing import Iterator, Optional

import libcst as cst

from perflint.context import names_in_target


def iter_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node in the subtree, ``node`` included, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def names_used(node: cst.CSTNode) -> set[str]:
    """Every bare name that occurs in the subtree (read or written)."""
    return {n.value for n in iter_nodes(node) if isinstance(n, cst.Name)}


def dotted_name(node: cst.BaseExpression) -> Optional[str]:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def method_call(node: cst.CSTNode) -> Optional[tuple[cst.BaseExpression, str]]:
    """``(receiver, method)`` for ``receiver.method(...)``, else None."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        return node.func.value, node.func.attr.value
    return None


def is_name(node: Optional[cst.CSTNode], value: Optional[str] = None) -> bool:
    return isinstance(node, cst.Name) and (value is None or node.value == value)


def bound_names(node: cst.CSTNode) -> set[str]:
    """Names (re)bound anywhere in the subtree: assignment, augmented assignment,
    loop/with/except targets, walrus, ``del``, imports, ``def``/``class``."""
    names: set[str] = set()
    for sub in iter_nodes(node):
        if isinstance(sub, cst.AssignTarget):
            names |= names_in_target(sub.target)
        elif isinstance(sub, (cst.AnnAssign, cst.AugAssign)):
            names |= names_in_target(sub.target)
        elif isinstance(sub, (cst.For, cst.CompFor)):
            names |= names_in_target(sub.target)
        elif isinstance(sub, cst.AsName):
            names |= names_in_target(sub.name)
        elif isinstance(sub, cst.NamedExpr):
            names |= names_in_target(sub.target)
        elif isinstance(sub, cst.Del):
            names |= names_in_target(sub.target)
        elif isinstance(sub, (cst.FunctionDef, cst.ClassDef)):
            names.add(sub.name.value)
        elif isinstance(sub, cst.ImportAlias):
            target = sub.asname.name if sub.asname else sub.name
            while isinstance(target, cst.Attribute):
                target = target.value
            names |= names_in_target(target)
    return names


def mutated_names(node: cst.CSTNode) -> set[str]:
    """Names whose object may change in the subtree: rebound, called as a method
    receiver (``x.append()``), item/attribute assigned or deleted (``x[i] = ``,
    ``del x[i]``, ``x.a = ``), or passed to any call (the callee may mutate it)."""
    names = bound_names(node)
    for sub in iter_nodes(node):
        if isinstance(sub, cst.Call):
            receiver = sub.func.value if isinstance(sub.func, cst.Attribute) else None
            if isinstance(receiver, cst.Name):
                names.add(receiver.value)
            for arg in sub.args:
                names |= {n.value for n in iter_nodes(arg.value) if isinstance(n, cst.Name)}
        targets: list[cst.CSTNode] = []
        if isinstance(sub, cst.AssignTarget):
            targets = [sub.target]
        elif isinstance(sub, (cst.AugAssign, cst.AnnAssign)):
            targets = [sub.target]
        elif isinstance(sub, cst.Del):
            targets = [sub.target]
        for target in targets:
            for part in iter_nodes(target):
                if isinstance(part, (cst.Subscript, cst.Attribute)):
                    base = part.value
                    while isinstance(base, (cst.Subscript, cst.Attribute)):
                        base = base.value
                    if isinstance(base, cst.Name):
                        names.add(base.value)
    return names


def contains_await(node: cst.CSTNode) -> bool:
    return any(isinstance(sub, cst.Await) for sub in iter_nodes(node))


def body_statements(node: cst.CSTNode) -> list[cst.BaseStatement]:
    """The statements of a block-bearing node's ``body`` (indented or same-line)."""
    body = getattr(node, "body", None)
    if isinstance(body, cst.IndentedBlock):
        return list(body.body)
    if isinstance(body, cst.SimpleStatementSuite):
        return [cst.SimpleStatementLine(body=body.body)]
    return []


def small_statements(statement: cst.BaseStatement) -> list[cst.BaseSmallStatement]:
    if isinstance(statement, cst.SimpleStatementLine):
        return list(statement.body)
    return []
