"""PF107 quadratic-list-sum."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import literal_elements
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid


class QuadraticListSum(Rule):
    """
    ## What it does
    Flags `sum(lists, [])`: flattening a collection of lists with `sum` and
    an empty list as the start value, and the same fold spelled
    `functools.reduce(operator.add, lists, [])` (or `lambda a, b: a + b`).

    ## Why is this slow?
    `sum` adds one list at a time with `+`, and every `+` copies the whole
    result built so far: flattening `n` lists costs O(n²) element copies.
    `itertools.chain.from_iterable` visits each element once. Measured (best of
    25 interleaved `timeit` runs on Python 3.11, on this project's shared 2-core
    machine): flattening 1,000 two-element lists took 1.7 ms with `sum(lists,
    [])` and 0.059 ms with `list(itertools.chain.from_iterable(lists))` (about
    30x).

    ## Example
    ```python
    rows = sum(pages, [])
    ```

    ## Use instead
    ```python
    import itertools

    rows = list(itertools.chain.from_iterable(pages))
    ```

    ## Fix safety
    Always **unsafe**: `sum(x, [])` raises `TypeError` when an item is not a
    list (a tuple, a generator), while `chain.from_iterable` accepts any
    iterable, so code that relied on the error changes behaviour; and an item
    type with its own `__radd__` (numpy arrays) would be summed differently.
    No fix when `itertools` or `list` means something else in the module.

    ## Known false positives
    Very few items make the copying cheap; a literal display of lists
    (`sum([a, b, c], [])`) adds a fixed number of lists and is not flagged.
    The rule only matches the literal empty list as start value, so `sum(xs, start)` and numeric sums are never
    flagged, nor a `sum` that is not the builtin.
    Precision: 2 of 2 findings on the Python 3.11 standard library judged
    correct, 2026-11-27 (a third, `sum` over a display of three lists, led
    to the display exemption); also 2 of 2 in this project's installed site-
    packages (1,860 files).
    """

    code = "PF107"
    name = "quadratic-list-sum"
    level = Level.ALGORITHM
    message = "`sum(..., [])` copies the growing list for every item (quadratic); use `itertools.chain.from_iterable`"
    weight = 3.0
    triggers = ("sum", "reduce")
    needs = ("sum-of-lists",)
    benchmark = Benchmark(
        setup="import itertools\nlists = [[i, i + 1] for i in range(1000)]",
        slow="flat = sum(lists, [])",
        fast="flat = list(itertools.chain.from_iterable(lists))",
        size="1,000 two-element lists",
    )

    valid = [
        # `operator.iadd` extends the first list in place: linear.
        Valid(
            """
            import operator
            from functools import reduce

            def flatten(pages):
                return reduce(operator.iadd, pages, [])
            """
        ),
        Valid("total = sum(values)\n"),
        Valid("total = sum(values, 0)\n"),
        Valid("total = sum(values, start)\n"),
        # A non-empty start list is another shape; not flagged.
        Valid("flat = sum(lists, [0])\n"),
        # A fixed number of lists.
        Valid("parts = sum([head, body, tail], [])\n"),
        # Not the builtin.
        Valid(
            """
            def sum(a, b):
                return a
            flat = sum(lists, [])
            """
        ),
    ]
    invalid = [
        # The same copies spelled with `functools.reduce`.
        Invalid(
            """
            import operator
            from functools import reduce

            def flatten(pages):
                return reduce(operator.add, pages, [])
            """
        ),
        Invalid(
            """
            rows = sum(pages, [])
            """,
            fixed="""
            import itertools

            rows = list(itertools.chain.from_iterable(pages))
            """,
            unsafe=True,
        ),
        Invalid(
            """
            import itertools

            def f(groups):
                return sum((g.items for g in groups), start=[])
            """,
            fixed="""
            import itertools

            def f(groups):
                return list(itertools.chain.from_iterable(g.items for g in groups))
            """,
            unsafe=True,
        ),
        # `itertools` is something else here: message only.
        Invalid(
            """
            from mylib import helpers as itertools
            rows = sum(pages, [])
            """
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        name = self.context.call_name(node)
        if name == "functools.reduce":
            iterable = _reduced(self.context, node)
            if iterable is not None and literal_elements(iterable) is None:
                self.report(
                    node,
                    "`reduce(add, ..., [])` copies the growing list for every item (quadratic); "
                    "use `list(itertools.chain.from_iterable(...))`",
                )
            return
        if name != "builtins.sum":
            return
        iterable = _flattened(node)
        # A display of a few lists is a fixed number of additions, not a growing one.
        if iterable is not None and literal_elements(iterable) is None:
            self.report(node, fix=self._fix(node, iterable))

    def _fix(self, node: cst.Call, iterable: cst.BaseExpression) -> Optional[FixSpec]:
        context = self.context
        if context.qualified_name(cst.Name("list")) != "builtins.list":
            return None
        facts = context.facts
        if context.is_local("itertools") or facts.imports.get("itertools", "itertools") != "itertools":
            return None
        if "itertools" in facts.own_names:
            return None
        if isinstance(iterable, cst.GeneratorExp):
            iterable = iterable.with_changes(lpar=[], rpar=[])  # the sole argument's parentheses suffice
        chain = cst.Call(
            func=cst.Attribute(
                value=cst.Attribute(value=cst.Name("itertools"), attr=cst.Name("chain")),
                attr=cst.Name("from_iterable"),
            ),
            args=[cst.Arg(iterable)],
        )
        replacement = cst.Call(func=cst.Name("list"), args=[cst.Arg(chain)], lpar=node.lpar, rpar=node.rpar)
        return FixSpec(
            "Flatten with `list(itertools.chain.from_iterable(...))`",
            {node: replacement},
            safe=False,
            imports=("import itertools",),
        )


def _flattened(node: cst.Call) -> Optional[cst.BaseExpression]:
    """The iterable of ``sum(iterable, [])`` / ``sum(iterable, start=[])``, else None."""
    args = node.args
    if len(args) != 2 or args[0].keyword is not None or args[0].star:
        return None
    start = args[1]
    if start.star or (start.keyword is not None and start.keyword.value != "start"):
        return None
    if isinstance(start.value, cst.List) and not start.value.elements:
        return args[0].value
    return None


def _reduced(context, node: cst.Call) -> Optional[cst.BaseExpression]:
    """The iterable of ``functools.reduce(operator.add, iterable, [])`` (also ``operator.concat``
    or ``lambda a, b: a + b``), else None. ``operator.iadd`` extends in place: linear."""
    args = node.args
    if len(args) != 3 or any(arg.keyword is not None or arg.star for arg in args):
        return None
    if not (isinstance(args[2].value, cst.List) and not args[2].value.elements):
        return None
    func = args[0].value
    if isinstance(func, cst.Lambda):
        params = func.params.params
        body = func.body
        if not (
            len(params) == 2
            and isinstance(body, cst.BinaryOperation)
            and isinstance(body.operator, cst.Add)
            and isinstance(body.left, cst.Name)
            and body.left.value == params[0].name.value
        ):
            return None
    elif context.qualified_name(func) not in ("operator.add", "operator.concat", "operator.__add__"):
        return None
    return args[1].value
