"""PF110 manual-dict-comprehension."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import (
    ScopeAware,
    as_element,
    collect_loop,
    collect_loop_comprehension_for,
    collect_loop_fix,
    collect_loop_shape,
    is_hashable_literal,
)
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid


class ManualDictComprehension(ScopeAware, Rule):
    """
    ## What it does
    Flags a dict filled by `d[key] = value` in a `for` loop right after it
    was bound to an empty dict, when a dict comprehension says the same
    thing: `d = {}` then `for k, v in pairs: [if p(k):] d[k] = v`.

    ## Why is this slow?
    Each `d[k] = v` statement loads `d` and runs a separate store; the
    comprehension builds the dict with one specialised instruction per item. The
    gain is small and only shows on larger inputs. Measured (best of 25
    interleaved `timeit` runs on Python 3.11, on this project's shared 2-core
    machine): 10,000 pairs took about the same time either way (1.0x to 1.07x in
    repeated runs), and for 10 pairs the loop was faster (0.86x), because Python
    3.11 still runs a comprehension as a nested function (3.12 inlines it, PEP
    709, and measured 1.03x to 1.13x). The rule is mostly about saying the
    intent in one expression, and weighs least in its level.

    ## Example
    ```python
    by_id = {}
    for user in users:
        if user.active:
            by_id[user.id] = user
    ```

    ## Use instead
    ```python
    by_id = {user.id: user for user in users if user.active}
    ```

    ## Fix safety
    The rule fires only under the same guards as PF109 (`d` bound by
    `d = {}` or `d = dict()` in the same block before the loop and not
    mentioned in between; one `d[key] = value` in the body, optionally under
    one `if` without `else`; `d` not read by the iterable, condition, key or
    value; the loop variable not read after the loop; no `async for`,
    `else`, `await`, `yield`, or class body). One more difference matters:
    `d[key] = value` evaluates the value before the key, a dict
    comprehension the key before the value. The fix is safe when the key or
    the value is a plain name or a literal (then the order cannot matter), no
    comment is lost, the loop is not inside a `try` body and no nested
    function mentions `d`; otherwise it is unsafe.

    ## Known false positives
    None known for the pattern. Accumulators such as
    `d[k] = d.get(k, 0) + 1` read `d` and are not flagged (they want
    `collections.Counter`). Readability preferences vary, hence the low
    weight.
    Precision: 19 of 19 findings on the Python 3.11 standard library judged
    correct, 2026-11-27 (two module-level loops followed by `del` of the
    loop variable were false positives and are no longer flagged); also 23
    of 23 in this project's installed site-packages (1,860 files).
    """

    code = "PF110"
    name = "manual-dict-comprehension"
    level = Level.ALGORITHM
    message = "dict filled by `d[k] = v` in a loop; a dict comprehension says it in one expression"
    weight = 0.5
    micro = True  # a constant-factor idiom: see the benchmark
    # Micro: measured 1.0-1.18x on Python 3.11, too small a gain to report by default.
    triggers = ("]",)
    loop_only = True
    needs = ("[]=",)
    benchmark = Benchmark(
        setup="pairs = [(str(i), i) for i in range(10_000)]",
        slow="d = {}\nfor k, v in pairs:\n    d[k] = v",
        fast="d = {k: v for k, v in pairs}",
        size="10,000 pairs",
    )

    valid = [
        # An accumulator reads the dict: Counter territory.
        Valid(
            """
            def f(words):
                counts = {}
                for w in words:
                    counts[w] = counts.get(w, 0) + 1
                return counts
            """
        ),
        # Not empty at the start.
        Valid(
            """
            def f(pairs):
                d = {"a": 1}
                for k, v in pairs:
                    d[k] = v
                return d
            """
        ),
        # Annotated binding.
        Valid(
            """
            def f(pairs):
                d: dict[str, int] = {}
                for k, v in pairs:
                    d[k] = v
                return d
            """
        ),
        # A nested subscript target.
        Valid(
            """
            def f(rows):
                d = {}
                for r in rows:
                    d[r.a][r.b] = r
                return d
            """
        ),
        # Class body.
        Valid(
            """
            class C:
                table = {}
                for name in ("a", "b"):
                    table[name] = len(name)
            """
        ),
        # The loop variable is deleted after the loop: it must exist.
        Valid(
            """
            table = {}
            for op in ops:
                table[op.code] = op
            del op
            """
        ),
        # The key variable is used after the loop.
        Valid(
            """
            def f(pairs):
                d = {}
                for k, v in pairs:
                    d[k] = v
                return d, k
            """
        ),
    ]
    invalid = [
        Invalid(
            """
            def f(users):
                by_id = {}
                for user in users:
                    if user.active:
                        by_id[user.id] = user
                return by_id
            """,
            fixed="""
            def f(users):
                by_id = {user.id: user for user in users if user.active}
                return by_id
            """,
        ),
        # No spaces around `=`.
        Invalid(
            """
            def f(pairs):
                d={}
                for k, v in pairs:
                    d[k]=v
                return d
            """,
            fixed="""
            def f(pairs):
                d = {k: v for k, v in pairs}
                return d
            """,
        ),
        # Key and value both calls: the evaluation order changes, so unsafe.
        Invalid(
            """
            def f(items):
                d = dict()
                for item in items:
                    d[key(item)] = value(item)
                return d
            """,
            fixed="""
            def f(items):
                d = {key(item): value(item) for item in items}
                return d
            """,
            unsafe=True,
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        shape = collect_loop_shape(node, _subscript_receiver, suspends=False)  # collect_loop asks the index
        if shape is None:
            return
        index = self.scope_index()
        if index is None:
            return
        found = collect_loop(index, node, _subscript_receiver, self._is_fresh_dict, shape)
        if found is None:
            return
        self.report(found.action, fix=self._fix(index, found))

    def _is_fresh_dict(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Dict):
            return not node.elements
        return isinstance(node, cst.Call) and not node.args and self.context.call_name(node) == "builtins.dict"

    def _fix(self, index, found) -> Optional[FixSpec]:
        action: cst.Assign = found.action
        key = action.targets[0].target.slice[0].slice.value  # type: ignore[attr-defined]
        value = action.value
        comprehension = cst.DictComp(
            key=as_element(key),
            value=as_element(value),
            for_in=collect_loop_comprehension_for(found),
        )
        mapping, safe = collect_loop_fix(index, found, comprehension)
        order_free = _pure(key) or _pure(value)
        return FixSpec("Use a dict comprehension", mapping, safe=safe and order_free)


def _pure(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) or is_hashable_literal(node)


def _subscript_receiver(small: cst.BaseSmallStatement) -> Optional[str]:
    """``d`` for ``d[key] = value`` with one plain key."""
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target = small.targets[0].target
    if not isinstance(target, cst.Subscript) or not isinstance(target.value, cst.Name):
        return None
    if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
        return None
    if target.slice[0].slice.star is not None:
        return None
    return target.value.value
