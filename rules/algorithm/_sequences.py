"""What the new level-1 rules (PF113-PF120) ask about sequences and loops.

Small, syntactic recognizers shared by those rules only. What a name holds is
read from the current scope's bindings and parameter annotations; once the
inference layer (``context.kind_of``) is available, ``list_bound`` and
``frame_bound`` should ask it instead (attributes, returns, dataclass fields).
"""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import (
    Binding,
    ScopeIndex,
    bound_names,
    dotted_name,
    is_list_expr,
    literal_elements,
    runs_fixed_times,
    use_of,
)

# Methods whose result is always a new list when the receiver is a str, bytes or a
# compiled pattern (``re.findall``): the receivers that spell them in practice.
_LIST_METHODS = frozenset({"split", "rsplit", "splitlines", "findall", "readlines"})
_LIST_ANNOTATIONS = frozenset({"list", "List", "typing.List"})
_GROW_METHODS = frozenset({"append", "extend", "insert"})


def list_annotation(annotation: Optional[cst.Annotation]) -> bool:
    """``list``, ``list[int]``, ``List[str]``, ``typing.List[...]``."""
    if annotation is None:
        return False
    node = annotation.annotation
    if isinstance(node, cst.Subscript):
        node = node.value
    return dotted_name(node) in _LIST_ANNOTATIONS


def is_list_value(context, value: Optional[cst.BaseExpression]) -> bool:
    """An expression that evaluates to a new list: a display, a comprehension,
    ``list(...)``, ``sorted(...)``, or ``x.split()`` / ``pattern.findall()``-like."""
    if value is None:
        return False
    if is_list_expr(context, value):
        return True
    return (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Attribute)
        and value.func.attr.value in _LIST_METHODS
    )


def list_bound(context, index: ScopeIndex, name: str) -> bool:
    """Every binding of the plain local ``name`` makes it a list (at least one does
    more than ``+=``): a list value, a ``list``-annotated parameter or variable."""

    def accept(binding: Binding) -> bool:
        if binding.kind == "augassign":
            return True
        if binding.kind == "assign":
            return is_list_value(context, binding.value)
        if binding.kind == "annassign":
            return is_list_value(context, binding.value) or list_annotation(binding.node.annotation)  # type: ignore[attr-defined]
        if binding.kind == "param":
            return list_annotation(binding.node.annotation)  # type: ignore[attr-defined]
        return False

    if not index.all_bindings(name, accept):
        return False
    return any(binding.kind != "augassign" for binding in index.bindings[name])


def bounded_literal(context, index: ScopeIndex, name: str) -> bool:
    """Every value binding is a literal display and nothing grows the list: it stays
    as small as it is written."""
    for binding in index.bindings.get(name, []):
        if binding.kind == "augassign":
            return False
        if binding.kind in ("assign", "annassign") and literal_elements(binding.value) is not None:
            continue
        return False
    for read in index.reads.get(name, []):
        use = use_of(index, context, read)
        if use.kind == "method" and use.detail in _GROW_METHODS:
            return False
    return True


def repeats(context, skip: Optional[cst.CSTNode] = None) -> bool:
    """The current node runs once per iteration of a loop of this function whose
    size is not written in the source (``skip``: a comprehension being visited, not
    counted as its own loop)."""
    loops = [loop for loop in context.loops if loop.node is not skip]
    return bool(loops) and not all(runs_fixed_times(loop.node) for loop in loops)


def rebound_in_loop(context, index: ScopeIndex, name: str, skip: Optional[cst.CSTNode] = None) -> bool:
    """``name`` is bound inside the innermost loop: a fresh object per iteration."""
    loops = [loop for loop in context.loops if loop.node is not skip]
    if not loops:
        return False
    body = loops[-1].node
    return any(index.contains(body, binding.node) for binding in index.bindings.get(name, []) if binding.kind != "augassign")


def loop_bound_names(loop_node: cst.CSTNode) -> set[str]:
    """Names that change per iteration of a loop: its targets and what its body binds."""
    from perflint.context import names_in_target

    if isinstance(loop_node, cst.For):
        return names_in_target(loop_node.target) | bound_names(loop_node.body)
    if isinstance(loop_node, cst.While):
        return bound_names(loop_node.body)
    names: set[str] = set()
    comp_for = getattr(loop_node, "for_in", None)
    while comp_for is not None:
        names |= names_in_target(comp_for.target)
        comp_for = comp_for.inner_for_in
    return names
