"""PF104 list-concat-in-loop."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import (
    ALIASING_USES,
    Binding,
    ScopeAware,
    ScopeIndex,
    combined_replacement,
    exits_after,
    is_list_expr,
    literal_elements,
    may_be_aliased,
    names_used,
    use_of,
)
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid


class ListConcatInLoop(ScopeAware, Rule):
    """
    ## What it does
    Flags `acc = acc + [x]` and `acc = acc + other` inside a loop when `acc`
    is a list: every binding of `acc` in the function is a list display, a
    list comprehension, `list(...)`, `sorted(...)` or such a concatenation.

    ## Why is this slow?
    `acc + [x]` builds a new list and copies every element of `acc` into it, so
    growing a list to `n` items this way costs O(n²). `acc.append(x)` and
    `acc.extend(other)` grow the list in place in amortized O(1) per item.
    Measured (best of 25 interleaved `timeit` runs on Python 3.11, on this
    project's shared 2-core machine): growing a list to 5,000 items with `acc =
    acc + [x]` took 21 ms, with `acc.append(x)` 0.09 ms (about 230x faster).

    ## Example
    ```python
    def evens(xs):
        acc = []
        for x in xs:
            if x % 2 == 0:
                acc = acc + [x]
        return acc
    ```

    ## Use instead
    ```python
    def evens(xs):
        acc = []
        for x in xs:
            if x % 2 == 0:
                acc.append(x)
        return acc
    ```

    ## Fix safety
    Growing in place is only the same as building a new list when no one
    else holds the old one. The fix (`acc.append(x)` for `acc + [x]`,
    `acc.extend(...)` otherwise) is offered only in a function where `acc`
    is never passed to a call (other than builtins such as `len`), stored,
    yielded, assigned to another name, mentioned by a nested function, or
    iterated by a loop that contains the concatenation (growing a list while
    iterating over it never ends). It is safe when the right operand is a
    list display or a name that is provably a list; with any other operand
    it is unsafe, because `extend` accepts any iterable where `+` raised
    `TypeError` (or let a `__radd__` such as numpy's take over).

    ## Known false positives
    Building a new list on purpose, to keep snapshots of earlier states: the
    rule does not fire when the list is handed on (passed, stored, yielded)
    inside the loop, nor when a `return`/`raise` follows in the same block
    (it then runs once). Short loops gain little.
    Precision: 4 of 4 findings on the Python 3.11 standard library judged
    correct, 2026-11-27; also 1 of 1 in this project's installed site-
    packages (1,860 files).
    """

    code = "PF104"
    name = "list-concat-in-loop"
    level = Level.ALGORITHM
    message = "`acc = acc + ...` copies the whole list on every iteration; grow it in place with `append`/`extend`"
    weight = 3.5
    triggers = ("+",)
    loop_only = True
    needs = ("x=x+",)
    benchmark = Benchmark(
        setup="items = list(range(5_000))",
        slow="acc = []\nfor x in items:\n    acc = acc + [x]",
        fast="acc = []\nfor x in items:\n    acc.append(x)",
        size="growing a list to 5,000 items",
    )

    valid = [
        # Tuples: immutable, no in-place alternative.
        Valid(
            """
            def f(xs):
                acc = ()
                for x in xs:
                    acc = acc + (x,)
                return acc
            """
        ),
        # Strings are PF102's business.
        Valid(
            """
            def f(xs):
                acc = ""
                for x in xs:
                    acc = acc + x
                return acc
            """
        ),
        # Unknown type.
        Valid(
            """
            def f(acc, xs):
                for x in xs:
                    acc = acc + [x]
                return acc
            """
        ),
        # Snapshots: each new list is kept, so the copy is the point.
        Valid(
            """
            def f(xs):
                path = []
                paths = []
                for x in xs:
                    path = path + [x]
                    paths.append(path)
                return paths
            """
        ),
        # Not in a loop.
        Valid(
            """
            def f(x):
                acc = [1]
                acc = acc + [x]
                return acc
            """
        ),
        # Prepending is a different pattern (and `insert(0, x)` is no better).
        Valid(
            """
            def f(xs):
                acc = []
                for x in xs:
                    acc = [x] + acc
                return acc
            """
        ),
    ]
    invalid = [
        Invalid(
            """
            def evens(xs):
                acc = []
                for x in xs:
                    if x % 2 == 0:
                        acc = acc + [x]
                return acc
            """,
            fixed="""
            def evens(xs):
                acc = []
                for x in xs:
                    if x % 2 == 0:
                        acc.append(x)
                return acc
            """,
        ),
        Invalid(
            """
            def f(groups):
                flat = list()
                for group in groups:
                    flat += [g.name for g in group]
                    flat = flat + [group.a, group.b]
                return len(flat)
            """,
            fixed="""
            def f(groups):
                flat = list()
                for group in groups:
                    flat += [g.name for g in group]
                    flat.extend([group.a, group.b])
                return len(flat)
            """,
        ),
        # Unknown right operand: unsafe.
        Invalid(
            """
            def f(groups):
                out = []
                for g in groups:
                    out = out + g.items
                return out
            """,
            fixed="""
            def f(groups):
                out = []
                for g in groups:
                    out.extend(g.items)
                return out
            """,
            unsafe=True,
        ),
        # Passed to a call outside the loop: a fix could change what the callee holds.
        Invalid(
            """
            def f(xs):
                acc = []
                register(acc)
                for x in xs:
                    acc = acc + [x]
                return acc
            """
        ),
        # Growing the list it iterates over: the fix would never end.
        Invalid(
            """
            def f():
                acc = [1, 2]
                for x in acc:
                    if x < 100:
                        acc = acc + [x * 2]
                return acc
            """
        ),
    ]

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        name = node.targets[0].target.value
        if not _is_self_concat(node.value, name):
            return
        loop = self.context.innermost_loop
        if loop is None or loop.kind == "comprehension":
            return
        index = self.scope_index()
        if index is None or not index.all_bindings(name, lambda b: self._keeps_list(b, name)):
            return
        if self._handed_on_in_loop(index, name, node):
            return
        if exits_after(index, node, self.context.loop_depth):
            return  # runs at most once per call
        self.report(node, fix=self._fix(index, node, name))

    def _keeps_list(self, binding: Binding, name: str) -> bool:
        if binding.kind == "augassign":
            return isinstance(binding.node, cst.AugAssign) and isinstance(binding.node.operator, cst.AddAssign)
        if binding.kind in ("assign", "annassign"):
            return is_list_expr(self.context, binding.value) or _is_self_concat(binding.value, name)
        return False

    def _handed_on_in_loop(self, index: ScopeIndex, name: str, node: cst.CSTNode) -> bool:
        """Some loop around ``node`` also hands the list on: snapshots, on purpose."""
        if name in index.closure_names:
            return True
        loops = [loop.node for loop in self.context.loops]
        for read in index.reads.get(name, []):
            if use_of(index, self.context, read).kind in ALIASING_USES and any(
                index.contains(loop, read) for loop in loops
            ):
                return True
        return False

    # --- the fix --------------------------------------------------------------

    def _fix(self, index: ScopeIndex, node: cst.Assign, name: str) -> Optional[FixSpec]:
        if self.context.scope.kind != "function" or may_be_aliased(index, self.context, name):
            return None
        for ancestor in index.ancestors(node):
            if isinstance(ancestor, cst.For) and name in names_used(ancestor.iter):
                return None
        if not isinstance(node.value.left, cst.Name):  # type: ignore[attr-defined]
            return None  # acc + a + b
        operand = node.value.right  # type: ignore[attr-defined]
        elements = literal_elements(operand) if isinstance(operand, cst.List) else None
        if elements is not None and len(elements) == 1:
            method, argument, safe = "append", elements[0], True
        else:
            method, argument = "extend", operand
            safe = isinstance(operand, cst.List) or (
                isinstance(operand, cst.Name)
                and index.all_bindings(operand.value, lambda b: b.kind == "assign" and is_list_expr(self.context, b.value))
            )
        call = cst.Expr(
            cst.Call(
                func=cst.Attribute(value=cst.Name(name), attr=cst.Name(method)),
                args=[cst.Arg(argument)],
            )
        )
        mapping, loses_comment = combined_replacement(index, {node: call})
        return FixSpec(f"Grow the list in place with `{name}.{method}(...)`", mapping, safe=safe and not loses_comment)


def _is_self_concat(value: Optional[cst.BaseExpression], name: str) -> bool:
    """``name + ...`` (also ``name + a + b``)."""
    if not (isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add)):
        return False
    left = value.left
    while isinstance(left, cst.BinaryOperation) and isinstance(left.operator, cst.Add):
        left = left.left
    return isinstance(left, cst.Name) and left.value == name
