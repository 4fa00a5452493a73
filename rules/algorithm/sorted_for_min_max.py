"""PF108 sorted-for-min-max."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import ScopeAware, inside_try_body
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid

_CATCHES_INDEX_ERROR = frozenset({"IndexError", "LookupError", "Exception", "BaseException"})


class SortedForMinMax(ScopeAware, Rule):
    """
    ## What it does
    Flags `sorted(x)[0]` and `sorted(x)[-1]` (with or without `key=` and
    `reverse=`), which sort a whole collection to take its smallest or
    largest item.

    ## Why is this slow?
    Sorting costs O(n log n) and builds a new list; `min` and `max` make one
    pass, O(n), with no copy. Measured (best of 25 interleaved `timeit` runs on
    Python 3.11, on this project's shared 2-core machine): `sorted(x)[0]` on
    10,000 random floats took 1.8 ms, `min(x)` 0.18 ms (about 10x faster).

    ## Example
    ```python
    cheapest = sorted(offers, key=price)[0]
    newest = sorted(dates)[-1]
    ```

    ## Use instead
    ```python
    cheapest = min(offers, key=price)
    newest = max(dates)
    ```

    ## Fix safety
    `sorted` is stable, and `min`/`max` return the *first* of several equal
    extremes. So `sorted(x, ...)[0]` (the first item after a stable sort)
    and `min`/`max` pick the very same object, with or without `key=`, and
    with `reverse=True`: that fix is **safe**. `sorted(x)[-1]` returns the
    *last* of several equal extremes, which `max` would not (`sorted([1,
    True])[-1]` is `True`, `max([1, True])` is `1`), so that fix is
    **unsafe**. On an empty collection `sorted(x)[0]` raises `IndexError`
    and `min(x)` raises `ValueError`, so inside a `try` whose handler may
    catch `IndexError` every fix is unsafe. No fix when `reverse=` is not a
    literal, or when `min`/`max` are shadowed.

    ## Known false positives
    None known for the pattern itself; on tiny collections the gain is
    small (constant factor, not complexity class).
    Precision: 1 of 1 finding on the Python 3.11 standard library judged
    correct, 2026-11-27; also 3 of 3 in this project's installed site-
    packages (1,860 files).
    """

    code = "PF108"
    name = "sorted-for-min-max"
    level = Level.ALGORITHM
    message = "`sorted(x)[0]` / `sorted(x)[-1]` sorts everything to take one item; use `min(x)` / `max(x)`"
    weight = 1.5
    triggers = ("sorted",)
    needs = ("sorted-end",)
    benchmark = Benchmark(
        setup="import random\nrandom.seed(1)\nvalues = [random.random() for _ in range(10_000)]",
        slow="smallest = sorted(values)[0]",
        fast="smallest = min(values)",
        size="10,000 random floats",
    )

    valid = [
        Valid("second = sorted(xs)[1]\n"),
        Valid("top = sorted(xs)[:3]\n"),
        Valid("first = list(xs)[0]\n"),
        Valid("first = sorted(*groups)[0]\n"),
        Valid(
            """
            def sorted(x):
                return x
            first = sorted(xs)[0]
            """
        ),
    ]
    invalid = [
        Invalid(
            """
            cheapest = sorted(offers, key=price)[0]
            """,
            fixed="""
            cheapest = min(offers, key=price)
            """,
        ),
        Invalid(
            """
            biggest = sorted(xs, reverse=True)[0]
            """,
            fixed="""
            biggest = max(xs)
            """,
        ),
        # The last of equal items: unsafe.
        Invalid(
            """
            newest = sorted(dates)[-1]
            """,
            fixed="""
            newest = max(dates)
            """,
            unsafe=True,
        ),
        # Inside try/except IndexError: min() raises ValueError instead.
        Invalid(
            """
            def f(xs):
                try:
                    return sorted(xs)[0]
                except IndexError:
                    return None
            """,
            fixed="""
            def f(xs):
                try:
                    return min(xs)
                except IndexError:
                    return None
            """,
            unsafe=True,
        ),
        # reverse is not a literal: no fix.
        Invalid(
            """
            def f(xs, desc):
                return sorted(xs, reverse=desc)[0]
            """
        ),
    ]

    def visit_Subscript(self, node: cst.Subscript) -> None:
        call = node.value
        if not isinstance(call, cst.Call) or self.context.call_name(call) != "builtins.sorted":
            return
        position = _position(node)
        if position is None or not call.args or call.args[0].keyword or call.args[0].star:
            return
        keywords = call.args[1:]
        if any(arg.keyword is None or arg.keyword.value not in ("key", "reverse") for arg in keywords):
            return
        self.report(node, fix=self._fix(node, call, position))

    def _fix(self, node: cst.Subscript, call: cst.Call, position: int) -> Optional[FixSpec]:
        reverse = next((arg.value for arg in call.args[1:] if arg.keyword.value == "reverse"), None)  # type: ignore[union-attr]
        if reverse is None:
            descending = False
        elif isinstance(reverse, cst.Name) and reverse.value in ("True", "False"):
            descending = reverse.value == "True"
        else:
            return None
        function = "min" if (position == 0) != descending else "max"
        if self.context.qualified_name(cst.Name(function)) != f"builtins.{function}":
            return None
        index = self.scope_index()
        safe = position == 0 and index is not None and not inside_try_body(index, node, _CATCHES_INDEX_ERROR)
        args = [call.args[0]] + [arg for arg in call.args[1:] if arg.keyword.value == "key"]  # type: ignore[union-attr]
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        replacement = cst.Call(func=cst.Name(function), args=args, lpar=node.lpar, rpar=node.rpar)
        return FixSpec(f"Use `{function}(...)`", {node: replacement}, safe=safe)


def _position(node: cst.Subscript) -> Optional[int]:
    """0 for ``[0]``, -1 for ``[-1]``, None for any other subscript."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    value = node.slice[0].slice.value
    if isinstance(value, cst.Integer) and value.evaluated_value == 0:
        return 0
    if (
        isinstance(value, cst.UnaryOperation)
        and isinstance(value.operator, cst.Minus)
        and isinstance(value.expression, cst.Integer)
        and value.expression.evaluated_value == 1
    ):
        return -1
    return None
