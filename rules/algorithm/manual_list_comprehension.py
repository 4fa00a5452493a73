"""PF109 manual-list-comprehension."""

from __future__ import annotations

import ast
from typing import Optional

import libcst as cst
from perflint.analysis import (
    ScopeAware,
    as_element,
    collect_loop,
    collect_loop_asts,
    collect_loop_comprehension_for,
    collect_loop_fix,
    collect_loop_fix_may_be_safe,
    collect_loop_fix_text,
    collect_loop_shape,
    disjunction_text,
    element_text,
    is_name,
    method_call,
    source_text,
)
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid


class ManualListComprehension(ScopeAware, Rule):
    """
    ## What it does
    Flags a list built by `append` in a `for` loop right after it was bound
    to an empty list, when a list comprehension says the same thing:
    `out = []` then `for x in xs: [if p(x):] out.append(f(x))`.

    ## Why is this slow?
    Each `out.append(...)` looks up the method and calls it; a comprehension
    appends with one bytecode instruction. The gain is a constant factor, not a
    complexity class, and small. Measured (best of 25 interleaved `timeit` runs
    on Python 3.11, on this project's shared 2-core machine): 10,000 items took
    0.62 ms with the loop and 0.56 ms with the comprehension (about 1.1x; 1.1x
    to 1.3x for 1,000 items); for 10 items the loop was faster (0.86x), because
    Python 3.11 still runs a comprehension as a nested function (3.12 inlines
    it, PEP 709).

    ## Example
    ```python
    out = []
    for x in xs:
        if x > 0:
            out.append(x * 2)
    ```

    ## Use instead
    ```python
    out = [x * 2 for x in xs if x > 0]
    ```

    ## Fix safety
    The rule fires only where the rewrite keeps the meaning: `out` is bound
    by `out = []` or `out = list()` (not annotated, not `a = b = []`) in the
    same block before the loop and not mentioned in between; the loop body
    is one `out.append(value)` (optionally under one `if` without `else`);
    `out` is not read by the iterable, the condition or the value; the loop
    variable is not read after the loop; there is no `async for`, `else`,
    `await` or `yield`; and the code is not in a class body (a comprehension
    there cannot see the class's names). The fix is safe in a function when
    no comment is lost, the loop is not inside a `try` body or a `with` block
    (a handler, or a context manager such as `contextlib.suppress`, could let
    the half-built list be used) and no nested function mentions `out`;
    otherwise it is unsafe. A plain copy (`out.append(x)` for each `x`)
    becomes `list(xs)`.

    ## Known false positives
    None known for the pattern; some readers prefer the explicit loop for
    long bodies (pyca/cryptography PR #12988 reverted such a change), which
    is why the rule weighs little. It does not fire on `d[k].append(...)`
    or `d.setdefault(k, []).append(...)` (ruff#5500, perflint#58), on
    annotated bindings (ruff PR #14369), or on lists that were not empty.
    Precision: a random sample of 30 of the 67 findings on the Python 3.11
    standard library judged correct (30 of 30), 2026-11-27; also a sample of
    30 of 30 in this project's installed site-packages (1,860 files). At
    module level the loop variable may be read by functions in other blocks,
    which the rule cannot see.
    """

    code = "PF109"
    name = "manual-list-comprehension"
    level = Level.ALGORITHM
    message = "list built by `append` in a loop; a list comprehension says it in one expression (and is slightly faster on large inputs)"
    weight = 0.5
    micro = True  # a constant-factor idiom: see the benchmark
    triggers = ("append",)
    loop_only = True
    needs = ("fill-list",)
    benchmark = Benchmark(
        setup="xs = list(range(10_000))",
        slow="out = []\nfor x in xs:\n    if x % 3:\n        out.append(x * 2)",
        fast="out = [x * 2 for x in xs if x % 3]",
        size="10,000 items, two thirds kept",
    )

    valid = [
        # A defaultdict's list, not a fresh local one (ruff#5500).
        Valid(
            """
            def f(pairs):
                groups = defaultdict(list)
                for k, v in pairs:
                    groups[k].append(v)
            """
        ),
        # setdefault(...).append (perflint#58).
        Valid(
            """
            def f(pairs):
                groups = {}
                for k, v in pairs:
                    groups.setdefault(k, []).append(v)
            """
        ),
        # Annotated binding (ruff PR #14369).
        Valid(
            """
            def f(xs):
                out: list[int] = []
                for x in xs:
                    out.append(x)
                return out
            """
        ),
        # In a class body a comprehension cannot see the class's names.
        Valid(
            """
            class C:
                scale = 2
                values = []
                for x in range(10):
                    values.append(x * scale)
            """
        ),
        # The list is read inside the loop.
        Valid(
            """
            def f(xs):
                out = []
                for x in xs:
                    if x not in out:
                        out.append(x)
                return out
            """
        ),
        # The loop variable is used after the loop.
        Valid(
            """
            def f(xs):
                out = []
                for x in xs:
                    out.append(x)
                return out, x
            """
        ),
        # Not empty at the start.
        Valid(
            """
            def f(xs):
                out = [0]
                for x in xs:
                    out.append(x)
                return out
            """
        ),
        # More than one statement in the body.
        Valid(
            """
            def f(xs):
                out = []
                for x in xs:
                    print(x)
                    out.append(x)
                return out
            """
        ),
        # await in the loop.
        Valid(
            """
            async def f(xs):
                out = []
                for x in xs:
                    out.append(await x)
                return out
            """
        ),
        # Used between the binding and the loop.
        Valid(
            """
            def f(xs):
                out = []
                register(out)
                for x in xs:
                    out.append(x)
                return out
            """
        ),
        # An else clause on the loop.
        Valid(
            """
            def f(xs):
                out = []
                for x in xs:
                    out.append(x)
                else:
                    print("done")
                return out
            """
        ),
    ]
    invalid = [
        Invalid(
            """
            def f(xs):
                out = []
                for x in xs:
                    if x > 0:
                        out.append(x * 2)
                return out
            """,
            fixed="""
            def f(xs):
                out = [x * 2 for x in xs if x > 0]
                return out
            """,
        ),
        # A copy becomes list(...); statements in between move the binding down.
        Invalid(
            """
            def f(a, b):
                names = list()
                total = 0
                # copy them
                for name in a, b:
                    names.append(name)
                return names, total
            """,
            fixed="""
            def f(a, b):
                total = 0
                # copy them
                names = list((a, b))
                return names, total
            """,
        ),
        # Parentheses where the comprehension needs them.
        Invalid(
            """
            def f(rows, default):
                out = []
                for key, value in rows if rows else default:
                    if (m := value.match(key)):
                        out.append(v for v in m)
                return out
            """,
            fixed="""
            def f(rows, default):
                out = [(v for v in m) for key, value in (rows if rows else default) if (m := value.match(key))]
                return out
            """,
        ),
        # Inside a try body: a handler could see the half-built list, so unsafe.
        Invalid(
            """
            def f(xs):
                try:
                    out = []
                    for x in xs:
                        out.append(int(x))
                except ValueError:
                    return out
                return out
            """,
            fixed="""
            def f(xs):
                try:
                    out = [int(x) for x in xs]
                except ValueError:
                    return out
                return out
            """,
            unsafe=True,
        ),
        # Inside a `with` body: `suppress` (or any context manager) may swallow the
        # exception and leave the half-built list in use (more-itertools' `sample`).
        Invalid(
            """
            from contextlib import suppress

            def f(feed, k):
                with suppress(StopIteration):
                    out = []
                    for _ in range(k):
                        out.append(next(feed))
                return out
            """,
            fixed="""
            from contextlib import suppress

            def f(feed, k):
                with suppress(StopIteration):
                    out = [next(feed) for _ in range(k)]
                return out
            """,
            unsafe=True,
        ),
        # A comment in the loop would be lost: unsafe.
        Invalid(
            """
            def f(xs):
                out = []
                for x in xs:
                    # keep the doubled value
                    out.append(2 * x)
                return out
            """,
            fixed="""
            def f(xs):
                out = [2 * x for x in xs]
                return out
            """,
            unsafe=True,
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        shape = collect_loop_shape(node, _append_receiver, suspends=False)  # collect_loop asks the index
        if shape is None:
            return
        index = self.scope_index()
        if index is None:
            return
        found = collect_loop(index, node, _append_receiver, self._is_fresh_list, shape)
        if found is None:
            return
        value = found.action.value.args[0].value
        loop = found.loop
        copy = found.condition is None and isinstance(loop.target, cst.Name) and is_name(value, loop.target.value)
        if copy and self.context.qualified_name(cst.Name("list")) != "builtins.list":
            self.report(found.action)  # ``list`` is shadowed: no copy with it
            return
        # The rewrite is built only if its edits are asked for (detection rebuilds no node).
        message = "Copy with `list(...)`" if copy else "Use a list comprehension"
        safe = collect_loop_fix_may_be_safe(index, found)
        self.report(
            found.action,
            fix=FixSpec.later(
                message,
                lambda: _fix(index, found, copy, message),
                safe=safe,
                text=lambda positions: _fix_text(positions, found, copy, message, safe),
            ),
        )

    def _is_fresh_list(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.List):
            return not node.elements
        return isinstance(node, cst.Call) and not node.args and self.context.call_name(node) == "builtins.list"


def _fix(index, found, copy: bool, message: str) -> FixSpec:
    """The rewrite: ``out = list(xs)`` for a copy, else ``out = [... for ... in ...]``."""
    value = found.action.value.args[0].value
    if copy:
        iterable = found.loop.iter
        if isinstance(iterable, cst.Tuple) and not iterable.lpar:
            iterable = iterable.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        new_value: cst.BaseExpression = cst.Call(func=cst.Name("list"), args=[cst.Arg(iterable)])
    else:
        new_value = cst.ListComp(elt=as_element(value), for_in=collect_loop_comprehension_for(found))
    mapping, safe = collect_loop_fix(index, found, new_value, combine=False)
    return FixSpec(message, mapping, safe=safe)


def _fix_text(positions, found, copy: bool, message: str, safe: bool) -> Optional[FixSpec]:
    """``_fix``'s rewrite written from the old expressions' text (no node built), for a piece
    without a comment (where ``_fix``'s safety is ``safe``); None when a text is not known."""
    trees = collect_loop_asts(positions, found)
    if trees is None:
        return None
    loop_tree, condition_tree, action_tree = trees
    loop = found.loop
    iterable = source_text(positions, loop.iter, loop_tree.iter)
    if iterable is None:
        return None
    if copy:
        value = f"list(({iterable}))" if type(loop.iter) is cst.Tuple else f"list({iterable})"
    else:
        call = action_tree.value if type(action_tree) is ast.Expr else None
        if type(call) is not ast.Call or len(call.args) != 1 or call.keywords:
            return None
        element = found.action.value.args[0].value
        element_code = source_text(positions, element, call.args[0])
        target = source_text(positions, loop.target, loop_tree.target)
        if element_code is None or target is None:
            return None
        condition = ""
        if found.condition is not None:
            test = source_text(positions, found.condition, condition_tree)
            if test is None:
                return None
            condition = f" if {disjunction_text(found.condition, test)}"
        value = f"[{element_text(element, element_code)} for {target} in {disjunction_text(loop.iter, iterable)}{condition}]"
    return FixSpec(message, collect_loop_fix_text(found, value), safe=safe)


def _append_receiver(small: cst.BaseSmallStatement) -> Optional[str]:
    """``out`` for ``out.append(value)`` with one plain argument."""
    if not isinstance(small, cst.Expr):
        return None
    call = method_call(small.value)
    if call is None or call[1] != "append" or not isinstance(call[0], cst.Name):
        return None
    args = small.value.args  # type: ignore[attr-defined]
    if len(args) != 1 or args[0].keyword is not None or args[0].star:
        return None
    return call[0].value
