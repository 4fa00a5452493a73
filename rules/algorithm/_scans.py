"""Scans for a matching item, repeated per iteration of an outer loop (PF114, PF115).

A *keyed scan* is a one-``for`` comprehension over a collection that does not
change with the outer loop, testing ``item.key == value`` where ``value``
changes with the outer loop: ``next(p for p in seq if p.k == x)``,
``any(p.k == x for p in seq)``, ``[c for c in rows if c["parent"] == p["id"]]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst
from perflint.analysis import ScopeIndex, exits_after, iter_nodes, literal_elements
from perflint.context import names_in_target

from ._sequences import loop_bound_names, repeats


@dataclass(frozen=True)
class Scan:
    kind: str  # "lookup" (any/all/next/[0]), "count" (sum(1 ...)/len([...])), "group" (a list of matches), "total" (sum/min/max of a field of the matches)
    node: cst.CSTNode  # what to report: the call, the subscript or the comprehension
    comparison: cst.Comparison
    collection: cst.BaseExpression


def keyed_scan(context, index: ScopeIndex | None, comp: cst.CSTNode) -> Scan | None:
    if index is None or not isinstance(comp, (cst.ListComp, cst.GeneratorExp, cst.SetComp)):
        return None
    for_in = comp.for_in
    if for_in.inner_for_in is not None or for_in.asynchronous is not None:
        return None
    if not repeats(context, skip=comp, index=index):
        return None
    seq = for_in.iter
    outer = [loop for loop in context.loops if loop.node is not comp]
    varying: set[str] = set()
    for loop in outer:
        varying |= loop_bound_names(loop.node)
    # ``txns[:i]``, ``xs[i + 1:]``: a prefix or suffix, cut where the outer loop is
    whole = _open_slice_of(seq, varying)
    if _bounded(context, whole) or not _stored(whole):
        return None
    inner_varying = loop_bound_names(outer[-1].node)
    if _names_read(whole) & inner_varying:
        return None  # a collection of the outer item (or rebuilt per iteration): not a join
    own = names_in_target(for_in.target)
    unpacked = not isinstance(for_in.target, cst.Name)
    kind, node = _usage(context, index, comp)
    if kind is None:
        return None
    if kind == "lookup" and isinstance(comp, cst.GeneratorExp) and not for_in.ifs:
        tests = [(comp.elt, True)]  # any(p.k == x for p in seq), all(p.k != x for p in seq)
    elif for_in.ifs:
        tests = [(comp_if.test, False) for comp_if in for_in.ifs]
    else:
        return None
    for test, predicate in tests:
        for comparison in _equalities(test, allow_not_equal=predicate):
            left, right = comparison.left, comparison.comparisons[0].comparator
            for mine, value in ((left, right), (right, left)):
                if not _is_key(mine, own, unpacked):
                    continue
                used = _names_read(value)
                if used & own or not used & varying:
                    continue
                if _leaves(context, index, comp):
                    return None
                return Scan(kind, node, comparison, seq)
    return None


def filter_parts(context, call: cst.Call) -> tuple[cst.Lambda, cst.BaseExpression] | None:
    """The lambda and the collection of ``next(filter(lambda p: ..., seq)[, default])``."""
    if context.call_name(call) != "builtins.next" or not 1 <= len(call.args) <= 2 or call.args[0].keyword or call.args[0].star:
        return None
    inner = call.args[0].value
    if not (isinstance(inner, cst.Call) and context.call_name(inner) == "builtins.filter" and len(inner.args) == 2):
        return None
    func, seq = inner.args[0].value, inner.args[1].value
    if any(arg.keyword or arg.star for arg in inner.args) or not isinstance(func, cst.Lambda):
        return None
    params = func.params
    if len(params.params) != 1 or isinstance(params.star_arg, cst.Param) or params.kwonly_params or params.posonly_params:
        return None
    return func, seq


def filter_scan(context, index: ScopeIndex | None, call: cst.Call) -> Scan | None:
    """``next(filter(lambda p: p.k == x, seq), None)`` in a loop, ``x`` changing with the loop and
    ``seq`` not: the lookup of ``next(p for p in seq if p.k == x)`` spelled with ``filter``."""
    parts = filter_parts(context, call)
    if parts is None or index is None or not repeats(context, index=index):
        return None
    func, seq = parts
    outer = list(context.loops)
    if not outer:
        return None
    varying: set[str] = set()
    for loop in outer:
        varying |= loop_bound_names(loop.node)
    if _bounded(context, seq) or not _stored(seq) or _names_read(seq) & loop_bound_names(outer[-1].node):
        return None
    own = {func.params.params[0].name.value}
    for comparison in _equalities(func.body):
        left, right = comparison.left, comparison.comparisons[0].comparator
        for mine, value in ((left, right), (right, left)):
            if not _is_key(mine, own, False):
                continue
            used = _names_read(value)
            if used & own or not used & varying:
                continue
            if _leaves(context, index, call):
                return None
            return Scan("lookup", call, comparison, seq)
    return None


def _open_slice_of(seq: cst.BaseExpression, varying: set[str]) -> cst.BaseExpression:
    """``xs`` for ``xs[:i]`` or ``xs[i:]`` (one bound, no step, the bound moving with the
    outer loop: the items before or after the current one, as many as the data has), else
    ``seq`` itself. A window with both bounds (``xs[i - 5:i]``) or a fixed bound
    (``xs[:3]``, ``xs[:limit]``) stays a slice, which is not reported."""
    if not isinstance(seq, cst.Subscript) or len(seq.slice) != 1:
        return seq
    part = seq.slice[0].slice
    if not isinstance(part, cst.Slice) or part.step is not None:
        return seq
    if (part.lower is None) == (part.upper is None):
        return seq
    bound = part.lower if part.lower is not None else part.upper
    return seq.value if _names_read(bound) & varying else seq


def _names_read(node: cst.CSTNode) -> set[str]:
    """The names an expression reads: ``names_used`` without attribute names (``sku`` in
    ``ln.sku``) and keyword names, which are not variables."""
    skip = set()
    for sub in iter_nodes(node):
        if isinstance(sub, cst.Attribute):
            skip.add(id(sub.attr))
        elif isinstance(sub, cst.Arg) and sub.keyword is not None:
            skip.add(id(sub.keyword))
    return {n.value for n in iter_nodes(node) if isinstance(n, cst.Name) and id(n) not in skip}


def _usage(context, index: ScopeIndex, comp: cst.CSTNode) -> tuple[str | None, cst.CSTNode]:
    """How the comprehension's result is used: a lookup, a count or a group."""
    parent = index.parent(comp)
    if isinstance(parent, cst.Arg) and parent.value is comp and not parent.keyword and not parent.star:
        call = index.parent(parent)
        if isinstance(call, cst.Call) and call.args and call.args[0] is parent:
            name = context.call_name(call)
            if name in ("builtins.any", "builtins.all") and len(call.args) == 1:
                return "lookup", call
            if name == "builtins.next" and isinstance(comp, cst.GeneratorExp) and len(call.args) <= 2:
                return "lookup", call
            if name == "builtins.sum" and len(call.args) == 1 and isinstance(comp, cst.GeneratorExp):
                return ("count", call) if isinstance(comp.elt, cst.Integer) else ("total", call)
            if name in ("builtins.min", "builtins.max") and isinstance(comp, cst.GeneratorExp):
                if all(arg.keyword is not None and arg.keyword.value in ("default", "key") for arg in call.args[1:]):
                    return "total", call  # max(e.ts for e in events if e.user == u.id)
            if name == "builtins.len" and len(call.args) == 1 and isinstance(comp, cst.ListComp):
                return "count", call
            if name == "builtins.list" and isinstance(comp, cst.GeneratorExp) and len(call.args) == 1:
                return "group", call
        return None, comp
    if isinstance(parent, cst.Subscript) and parent.value is comp and isinstance(comp, cst.ListComp):
        return ("lookup", parent) if _index_zero(parent) else (None, comp)
    if isinstance(comp, cst.ListComp):
        return "group", comp
    return None, comp


def _stored(seq: cst.BaseExpression) -> bool:
    """A collection kept somewhere (``rows``, ``self.lines``, ``d.items()``), not a call
    that may compute a different one each time (``G.in_edges(n)``)."""
    if isinstance(seq, cst.Call):
        func = seq.func
        if seq.args or not (isinstance(func, cst.Attribute) and func.attr.value in ("items", "values", "keys")):
            return False
        seq = func.value
    while isinstance(seq, cst.Attribute):
        seq = seq.value
    return isinstance(seq, cst.Name)


def _index_zero(node: cst.Subscript) -> bool:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return False
    value = node.slice[0].slice.value
    return isinstance(value, cst.Integer) and value.evaluated_value == 0


def _bounded(context, seq: cst.BaseExpression) -> bool:
    """A literal display, ``range(...)``, or an UPPER_CASE module name (a constant)."""
    if literal_elements(seq) is not None or isinstance(seq, (cst.SimpleString, cst.ConcatenatedString)):
        return True
    if isinstance(seq, cst.Call) and context.call_name(seq) == "builtins.range":
        return True
    head = seq
    while isinstance(head, (cst.Attribute, cst.Call, cst.Subscript)):
        head = head.func if isinstance(head, cst.Call) else head.value
    if isinstance(head, cst.Name) and head.value.isupper() and not context.is_local(head.value):
        return True
    return False


def _equalities(test: cst.BaseExpression, allow_not_equal: bool = False) -> Iterator[cst.Comparison]:
    """``a == b`` comparisons that decide the test: the test itself or an operand of ``and``."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        yield from _equalities(test.left)
        yield from _equalities(test.right)
    elif isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        operator = test.comparisons[0].operator
        if isinstance(operator, cst.Equal) or (allow_not_equal and isinstance(operator, cst.NotEqual)):
            yield test


def _is_key(node: cst.BaseExpression, own: set[str], unpacked: bool) -> bool:
    """``item.k``, ``item["k"]``, ``item.a.b`` of the comprehension's item, or one of
    its unpacked names (``v`` in ``for k, v in d.items()``), or the item itself."""
    if isinstance(node, cst.Name):
        return node.value in own
    base = node
    while isinstance(base, (cst.Attribute, cst.Subscript)):
        if isinstance(base, cst.Subscript):
            if len(base.slice) != 1 or not isinstance(base.slice[0].slice, cst.Index):
                return False
            key = base.slice[0].slice.value
            if not isinstance(key, (cst.SimpleString, cst.Integer, cst.Name)):
                return False
            if isinstance(key, cst.Name) and key.value in own:
                return False
        base = base.value
    return isinstance(base, cst.Name) and base.value in own and base is not node


def _leaves(context, index: ScopeIndex, comp: cst.CSTNode) -> bool:
    """The statement holding the scan returns, raises, or is followed by a way out."""
    statement = index.statement_of(comp)
    if statement is None:
        return False
    if isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, (cst.Return, cst.Raise)) for small in statement.body
    ):
        outer = [loop.node for loop in context.loops if loop.node is not comp]
        return not any(index.contains(statement, loop) for loop in outer)
    return exits_after(index, statement, len([loop for loop in context.loops if loop.node is not comp]))
