"""PF112 redundant-list-cast-in-for."""

from __future__ import annotations

import libcst as cst
from perflint.analysis import (
    Binding,
    ScopeAware,
    is_list_expr,
    is_set_expr,
    is_tuple_expr,
    may_mutate,
)
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid


class RedundantListCastInFor(ScopeAware, Rule):
    """
    ## What it does
    Flags `for x in list(t):` (also in comprehensions) when `t` is a tuple,
    list or set and the loop cannot change it, so the copy buys nothing.

    ## Why is this slow?
    `list(t)` allocates a new list and copies every reference before the first
    iteration; iterating `t` directly does neither. The gain is a constant
    factor. Measured (best of 25 interleaved `timeit` runs on Python 3.11, on
    this project's shared 2-core machine): looping over a 10,000-element tuple
    took 0.114 ms through `list(t)` and 0.092 ms directly (about 1.24x).

    ## Example
    ```python
    names = ("a", "b", "c")
    for name in list(names):
        print(name)
    ```

    ## Use instead
    ```python
    names = ("a", "b", "c")
    for name in names:
        print(name)
    ```

    ## Fix safety
    The copy matters when the loop changes the collection it iterates
    (ruff's PERF101 once broke code this way, ruff#9925). The rule fires only
    when every binding of `t` in the function is a tuple, list or set display
    or comprehension, `tuple(...)`, `list(...)`, `sorted(...)`, `set(...)` or
    `frozenset(...)`, and either all of them are tuples (immutable), or the
    code is in a function where `t` is never handed on (passed to a call
    other than builtins such as `len`, stored, assigned to another name,
    mentioned by a nested function) and the loop neither rebinds it nor
    calls a mutating method, assigns an item or deletes one. Then the fix
    (`list(t)` → `t`) is safe.

    ## Known false positives
    None known: the rule stays silent whenever the loop could change `t`.
    Precision: unmeasured on real code: no finding on the Python 3.11 standard
    library, this project's installed site-packages (1,860 files) or
    Debian's /usr/lib/python3/dist-packages (1,382 files)
    (2026-11-27); the rule fires only when the loop provably cannot change
    the collection.
    """

    code = "PF112"
    name = "redundant-list-cast-in-for"
    level = Level.ALGORITHM
    message = "`list(...)` copies a collection the loop does not change; iterate it directly"
    weight = 1.0
    micro = True  # a constant-factor idiom: see the benchmark
    triggers = ("list",)
    loop_only = True
    needs = ("list-iter",)
    benchmark = Benchmark(
        setup="t = tuple(range(10_000))",
        slow="for x in list(t):\n    pass",
        fast="for x in t:\n    pass",
        size="a 10,000-element tuple",
    )

    valid = [
        # The loop mutates the list: the copy is needed (ruff#9925).
        Valid(
            """
            def f():
                items = [1, 2, 3]
                for x in list(items):
                    if x == 2:
                        items.remove(x)
            """
        ),
        # Unknown type: a generator would be consumed, a dict iterated by key...
        Valid(
            """
            def f(t):
                for x in list(t):
                    print(x)
            """
        ),
        # Handed to a call that may change it.
        Valid(
            """
            def f():
                items = [1, 2, 3]
                for x in list(items):
                    process(items, x)
            """
        ),
        # A dict: list(d) snapshots the keys, and the loop may add some.
        Valid(
            """
            def f():
                d = {"a": 1}
                for k in list(d):
                    d[k + k] = 1
            """
        ),
        # Module level: any call could change a global list.
        Valid(
            """
            items = [1, 2, 3]
            for x in list(items):
                handle(x)
            """
        ),
        # Assigned to another name, which the loop changes.
        Valid(
            """
            def f():
                items = [1, 2]
                alias = items
                for x in list(items):
                    alias.append(x)
            """
        ),
    ]
    invalid = [
        Invalid(
            """
            names = ("a", "b", "c")
            for name in list(names):
                print(name)
            """,
            fixed="""
            names = ("a", "b", "c")
            for name in names:
                print(name)
            """,
        ),
        Invalid(
            """
            def f(rows):
                seen = set(rows)
                return [x * 2 for x in list(seen) if x]
            """,
            fixed="""
            def f(rows):
                seen = set(rows)
                return [x * 2 for x in seen if x]
            """,
        ),
        Invalid(
            """
            def f(rows):
                ids = sorted(rows)
                total = 0
                for i in list(ids):
                    total += len(ids) + i
                return total
            """,
            fixed="""
            def f(rows):
                ids = sorted(rows)
                total = 0
                for i in ids:
                    total += len(ids) + i
                return total
            """,
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        self._check(node.iter, node.body)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        comprehension = self.context.comprehension_of(node)
        if comprehension is not None:
            self._check(node.iter, comprehension)

    def _check(self, iterable: cst.BaseExpression, region: cst.CSTNode) -> None:
        if not isinstance(iterable, cst.Call) or self.context.call_name(iterable) != "builtins.list":
            return
        if len(iterable.args) != 1 or iterable.args[0].keyword or iterable.args[0].star:
            return
        source = iterable.args[0].value
        if not isinstance(source, cst.Name):
            return
        index = self.scope_index()
        if index is None or not self.is_scope_read(index, source):
            return
        name = source.value
        if not index.all_bindings(name, self._is_collection):
            return
        immutable = all(b.kind != "augassign" and is_tuple_expr(self.context, b.value) for b in index.bindings[name])
        if not immutable and (self.context.scope.kind != "function" or may_mutate(index, self.context, name, region)):
            return
        direct = source.with_changes(lpar=iterable.lpar, rpar=iterable.rpar)
        self.report(iterable, fix=FixSpec("Iterate the collection directly", {iterable: direct}))

    def _is_collection(self, binding: Binding) -> bool:
        if binding.kind == "augassign":
            return True  # `+=` / `|=` keep a list, tuple or set what it was
        if binding.kind not in ("assign", "annassign"):
            return False
        context, value = self.context, binding.value
        return is_tuple_expr(context, value) or is_list_expr(context, value) or is_set_expr(context, value)
