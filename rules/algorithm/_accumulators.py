"""Accumulators rebuilt by copying on every iteration (PF116, PF117)."""

from __future__ import annotations

import libcst as cst
from perflint.analysis import ScopeIndex

from ._sequences import repeats


def attribute_target(node: cst.CSTNode) -> bool:
    """``self.x`` (a name's attribute) as an assignment target."""
    return isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)


def grown_branch(value: cst.BaseExpression) -> cst.BaseExpression:
    """``x = part if x is None else pd.concat([x, part])``: the branch that rebuilds the
    accumulator (the one call or subscript of a conditional expression), else ``value``."""
    if isinstance(value, cst.IfExp):
        built = [branch for branch in (value.body, value.orelse) if isinstance(branch, (cst.Call, cst.Subscript))]
        if len(built) == 1:
            return built[0]
    return value


def same_ref(node: cst.CSTNode, target: "str | cst.Attribute") -> bool:
    """``node`` is the name ``target``, or the same ``self.x`` as the attribute ``target``."""
    if isinstance(target, str):
        return isinstance(node, cst.Name) and node.value == target
    return (
        attribute_target(node)
        and node.attr.value == target.attr.value  # type: ignore[attr-defined]
        and node.value.value == target.value.value  # type: ignore[attr-defined]
    )


def attribute_grown_in_loop(context, index: ScopeIndex | None, assign: cst.CSTNode, target: cst.Attribute) -> bool:
    """``assign`` (which rebinds ``self.x`` from itself) runs on every iteration of a loop that
    does not otherwise reset ``self.x``."""
    from perflint.analysis import iter_nodes

    if index is None or not context.in_loop or not repeats(context, index=index):
        return False
    for sub in iter_nodes(context.loops[-1].node):
        if isinstance(sub, cst.Assign) and sub is not assign and any(same_ref(t.target, target) for t in sub.targets):
            if not any(same_ref(n, target) for n in iter_nodes(sub.value)):
                return False  # reset in the loop: a fresh accumulator per iteration
    return True


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


def sequence_holds(node: cst.BaseExpression, name: "str | cst.Attribute") -> bool:
    """A list or tuple display with ``name`` (or the same ``self.x``) among its elements."""
    return isinstance(node, (cst.List, cst.Tuple)) and any(
        isinstance(element, cst.Element) and same_ref(element.value, name) for element in node.elements
    )
