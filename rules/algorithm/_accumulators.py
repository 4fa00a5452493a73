"""Accumulators rebuilt by copying on every iteration (PF116, PF117)."""

from __future__ import annotations

import libcst as cst
from perflint.analysis import ScopeIndex

from ._sequences import repeats


def grown_in_loop(context, index: ScopeIndex | None, assign: cst.CSTNode, name: str) -> bool:
    """``assign`` (which rebinds ``name`` from itself) runs on every iteration of a loop
    that does not reset ``name``: the accumulator outlives the iteration."""
    if index is None or not context.in_loop or not repeats(context, index=index):
        return False
    if not index.is_plain_local(name) or name in index.closure_names:
        return False
    loop = context.loops[-1].node
    inside = [b for b in index.bindings[name] if index.contains(loop, b.node)]
    if any(b.node is not assign and b.kind != "augassign" and not _rebinds_from_itself(b.node, name) for b in inside):
        return False  # reset in the loop: a fresh accumulator per iteration
    return any(not index.contains(loop, b.node) for b in index.bindings[name])


def _rebinds_from_itself(node: cst.CSTNode, name: str) -> bool:
    """Another growth step of the same accumulator (``arr = np.append(arr, y)`` twice)."""
    if not isinstance(node, cst.Assign):
        return False
    from perflint.analysis import names_used

    return name in names_used(node.value)


def sequence_holds(node: cst.BaseExpression, name: str) -> bool:
    """A list or tuple display with ``name`` among its elements."""
    return isinstance(node, (cst.List, cst.Tuple)) and any(
        isinstance(element, cst.Element) and isinstance(element.value, cst.Name) and element.value.value == name
        for element in node.elements
    )
