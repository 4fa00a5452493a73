"""PF123 list-membership-in-callback."""

from __future__ import annotations

from typing import Iterator, Optional

import libcst as cst
from perflint.analysis import ScopeAware, code_of, literal_elements, names_used
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Option, Rule, Valid

from ._scans import _names_read
from ._sequences import SkipsTests

# Functions that call their function argument once per item of an iterable argument.
_PER_ITEM_FUNCTIONS = frozenset({"builtins.map", "builtins.filter", "itertools.filterfalse", "itertools.takewhile", "itertools.dropwhile"})
# Methods that call their function argument once per element (pandas ``Series.apply``/``map``,
# ``DataFrame.applymap``/``map``, an executor's or a pool's ``map``).
_PER_ITEM_METHODS = frozenset({"apply", "map", "applymap", "transform", "imap", "imap_unordered"})
# Calls whose ``key=`` function runs once per item.
_KEYED = frozenset({"builtins.sorted", "builtins.min", "builtins.max", "heapq.nsmallest", "heapq.nlargest", "itertools.groupby"})


class ListMembershipInCallback(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags `x in items` (and `not in`) inside a `lambda` that another call
    runs once per item: `map(lambda d: d.id in picks, docs)`,
    `filter(lambda d: d.id not in blocked, docs)`,
    `frame["sku"].apply(lambda s: s in discontinued)` (also `.map`,
    `.applymap`, `.transform`, an executor's `.map`), and `key=` functions of
    `sorted`/`min`/`max`/`.sort`, where `items` holds a list that is not
    written out in the source: a parameter annotated as a list, a list the
    function builds, `self.items` kept as a list, a list returned by a
    function of the module (the kinds `list-membership-in-loop`, PF101,
    reads). A one-statement def nested in the function and passed by name
    (`def allowed(d): return d.id not in blocked_ids`, then
    `filter(allowed, docs)`) is read like a lambda. A callback is a loop the function does not spell out, so PF101,
    which looks at `for` loops and comprehensions, does not see it. The
    keyed form of the same test is flagged too:
    `filter(lambda inv: any(t.ref == inv.number for t in txns), invoices)`
    (also `next`/`all`/`sum`), a scan of a stored list keyed on the
    callback's parameter (PF114 in a loop).

    ## Why is this slow?
    The callback runs once per item, and `in` on a list compares with its
    elements one by one: `n` items tested against a list of `m` cost O(n·m)
    comparisons, where a set built once answers each test with one hash
    lookup. The rule's benchmark (`perflint bench PF123`, CPython 3.11.7 on
    this project's shared 2-core machine, 2026-12-07): filtering 2,000 items
    against a 2,000-item list with `filter(lambda d: d not in blocked, docs)`
    took 40.9 ms, against `set(blocked)` built once 0.23 ms (176x faster).

    ## Example
    ```python
    def visible(docs, blocked_ids: list[str]):
        return list(filter(lambda d: d["id"] not in blocked_ids, docs))
    ```

    ## Use instead
    ```python
    def visible(docs, blocked_ids: list[str]):
        blocked = set(blocked_ids)
        return list(filter(lambda d: d["id"] not in blocked, docs))
    ```
    (for pandas, `frame["sku"].isin(discontinued)` is the vectorised form).

    ## Fix safety
    No fix: the tested values must be hashable for a set, which perflint
    cannot prove, and the set must be built outside the lambda.

    ## Known false positives
    A short list makes each test cheap. Not flagged: lists written out in
    the source with fewer than `min-literal-size` elements (a display,
    `"a b c".split()`), tuples, sets, dicts and strings, names whose kind is
    unknown (an unannotated parameter), a name the lambda binds itself
    (its parameter, a comprehension variable inside it), calls over a
    written-out iterable, module-level code and test modules.
    Precision (2026-12-07): no finding on the Python 3.11 standard library
    or on dramatiq 1.17.0, petl 1.7.15, rq 1.16.2, tablib 3.7.0,
    networkx 3.4.2 and pyjanitor 0.31.0; the shape is rare in library code
    and found by the hold-out cases (`benchmarks/holdout/`). Too few
    findings to measure precision on real code.

    ## Options
    `min-literal-size` (default 8): list displays with fewer elements are
    not flagged.
    """

    code = "PF123"
    name = "list-membership-in-callback"
    level = Level.ALGORITHM
    message = "`x in items` in a callback that runs once per item scans a list each time; build a set once before the call"
    weight = 3.5
    # A lambda, or a nested def passed by name to one of the per-item calls.
    triggers = ("lambda", "filter(", "map(", "apply(", "transform(", "while(", "key=")
    needs = ("callback-in",)
    options = {
        "min-literal-size": Option(8, int, "list displays with fewer elements are not flagged"),
    }
    benchmark = Benchmark(
        setup=(
            "blocked = [f'id{i}' for i in range(0, 4000, 2)]\n"
            "docs = [f'id{i}' for i in range(2000)]"
        ),
        slow="kept = list(filter(lambda d: d not in blocked, docs))",
        fast="blocked_set = set(blocked)\nkept = list(filter(lambda d: d not in blocked_set, docs))",
        size="2,000 items filtered against a 2,000-item list",
    )

    valid = [
        # A keyed scan of the item's own few lines, and one through a dict built once.
        Valid(
            """
            def paid(invoices, txns: list):
                refs = {t.ref for t in txns}
                a = list(filter(lambda inv: any(l.sku == inv.sku for l in inv.lines), invoices))
                return a, list(filter(lambda inv: inv.number in refs, invoices))
            """
        ),
        # A nested def with more than one statement, or testing a set: not read (or no scan).
        Valid(
            """
            def f(docs, blocked_ids: list[str]):
                blocked = set(blocked_ids)

                def allowed(d):
                    return d.id not in blocked

                def logged(d):
                    log(d)
                    return d.id not in blocked_ids

                return list(filter(allowed, docs)), list(filter(logged, docs))
            """
        ),
        # A set built once, a tuple, and a short written-out list.
        Valid(
            """
            def f(docs, blocked_ids: list[str]):
                blocked = set(blocked_ids)
                kinds = ["a", "b", "c"]
                a = list(filter(lambda d: d.id not in blocked, docs))
                b = list(map(lambda d: d.kind in ("x", "y"), docs))
                return a, b, list(filter(lambda d: d.kind in kinds, docs))
            """
        ),
        # Unknown kind (an unannotated parameter), and the item's own list.
        Valid(
            """
            def f(docs, picks):
                a = list(map(lambda d: d.id in picks, docs))
                return a, list(filter(lambda d: "x" in d.tags, docs))
            """
        ),
        # Over a written-out iterable: a few calls.
        Valid(
            """
            def f(picks: list[str]):
                return list(map(lambda s: s in picks, ["a", "b", "c"]))
            """
        ),
        # A name the lambda binds itself.
        Valid(
            """
            def f(rows, ids: list[int]):
                return list(map(lambda ids: 3 in ids, rows))
            """
        ),
        # Module level: runs once.
        Valid(
            """
            picks: list[str] = load()
            FLAGS = list(map(lambda d: d in picks, docs()))
            """
        ),
        # A lambda that is not called per item (a default factory).
        Valid(
            """
            def f(picks: list[str]):
                return make(default=lambda d: d in picks)
            """
        ),
    ]
    invalid = [
        # A keyed scan of a stored list in the per-item callback.
        Invalid(
            """
            def paid(invoices, txns: list):
                return list(filter(lambda inv: any(t.ref == inv.number for t in txns), invoices))
            """
        ),
        # A nested one-line def passed by name.
        Invalid(
            """
            def visible(docs, blocked_ids: list[str]):
                def allowed(d):
                    return d.id not in blocked_ids

                return list(filter(allowed, docs))
            """
        ),
        Invalid(
            """
            def visible(docs, blocked_ids: list[str]):
                return list(filter(lambda d: d["id"] not in blocked_ids, docs))
            """
        ),
        Invalid(
            """
            def flags(docs, users):
                picks = [u.doc_id for u in users]
                return list(map(lambda d: d.id in picks, docs))
            """
        ),
        Invalid(
            """
            import pandas as pd

            def mark(frame: pd.DataFrame, gone: list[str]):
                frame["gone"] = frame["sku"].apply(lambda s: s in gone)
                return frame
            """
        ),
        Invalid(
            """
            class Feed:
                def __init__(self, pinned):
                    self.pinned = list(pinned)

                def ordered(self, docs):
                    return sorted(docs, key=lambda d: (d.id not in self.pinned, d.ts))
            """
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.function is None:
            return
        for callback in self._per_item_callbacks(node):
            resolved = self._resolve(callback)
            if resolved is None:
                continue
            parameters, body = resolved
            params = {param.name.value for param in _all_params(parameters)}
            for comparison, comparator in _membership_tests(body):
                if names_used(comparator) & (params | _bound_inside(body)):
                    continue
                inferred = self.context.kind_of(comparator)
                if inferred.kind != "list":
                    continue
                if inferred.bounded and inferred.size < self.config["min-literal-size"]:
                    continue
                self._report(comparison, comparator, inferred.evidence)
            for scan, collection, comparison in _keyed_scans(body, params):
                inferred = self.context.kind_of(collection)
                if inferred.kind != "list" or inferred.bounded:
                    continue
                text = code_of(collection)
                self.report(
                    scan,
                    f"scans `{text}` for `{code_of(comparison)}` once per item in this callback (O(n·m)); "
                    f"index `{text}` by key in a dict (or a set of keys) once before the call",
                )

    def _report(self, comparison: cst.Comparison, comparator: cst.BaseExpression, evidence: str) -> None:
        left = code_of(comparison.left)
        if len(left) > 30:
            left = "x"
        negated = any(isinstance(target.operator, cst.NotIn) for target in comparison.comparisons)
        text = code_of(comparator)
        message = (
            f"`{left} {'not in' if negated else 'in'} {text}` runs once per item in this callback and scans a list "
            f"each time; build `set({text})` once before the call"
        )
        self.report(comparison, f"{message} ({evidence})" if evidence else message)

    def _resolve(self, callback: cst.BaseExpression) -> Optional[tuple[cst.Parameters, cst.BaseExpression]]:
        """A lambda's parameters and body; for a name, those of a one-statement def nested in the
        current function (``def allowed(d): return d.id not in blocked``), defined once there."""
        if isinstance(callback, cst.Lambda):
            return callback.params, callback.body
        function = self.context.function
        if not isinstance(callback, cst.Name) or function is None or not isinstance(function.node, cst.FunctionDef):
            return None
        body = function.node.body
        statements = body.body if isinstance(body, cst.IndentedBlock) else ()
        found = [s for s in statements if isinstance(s, cst.FunctionDef) and s.name.value == callback.value]
        index = self.scope_index()
        if len(found) != 1 or index is None or len(index.bindings.get(callback.value, [])) != 1:
            return None
        nested = found[0]
        if nested.decorators or not isinstance(nested.body, cst.IndentedBlock) or len(nested.body.body) != 1:
            return None
        line = nested.body.body[0]
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            return None
        returned = line.body[0]
        if not isinstance(returned, cst.Return) or returned.value is None:
            return None
        return nested.params, returned.value

    def _per_item_callbacks(self, node: cst.Call) -> Iterator[cst.BaseExpression]:
        """The lambdas (or names of nested one-line defs) among ``node``'s arguments that it
        calls once per item."""
        func = node.func
        positional = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
        name = self.context.call_name(node)
        if name in _PER_ITEM_FUNCTIONS:
            if len(positional) >= 2 and isinstance(positional[0], (cst.Lambda, cst.Name)):
                if all(literal_elements(items) is None for items in positional[1:]):
                    yield positional[0]
            return
        if isinstance(func, cst.Attribute) and func.attr.value in _PER_ITEM_METHODS and name is None:
            if positional and isinstance(positional[0], (cst.Lambda, cst.Name)) and literal_elements(func.value) is None:
                yield positional[0]
            return
        key = next((arg.value for arg in node.args if arg.keyword is not None and arg.keyword.value == "key"), None)
        if not isinstance(key, (cst.Lambda, cst.Name)):
            return
        if isinstance(func, cst.Attribute) and func.attr.value == "sort" and name is None:
            if literal_elements(func.value) is None:
                yield key
            return
        if name in _KEYED and positional:
            items = positional[1] if name.startswith("heapq.") and len(positional) > 1 else positional[0]
            if literal_elements(items) is None:
                yield key


def _all_params(params: cst.Parameters) -> Iterator[cst.Param]:
    yield from params.posonly_params
    yield from params.params
    yield from params.kwonly_params
    if isinstance(params.star_arg, cst.Param):
        yield params.star_arg
    if params.star_kwarg is not None:
        yield params.star_kwarg


def _membership_tests(body: cst.BaseExpression) -> Iterator[tuple[cst.Comparison, cst.BaseExpression]]:
    """``x in name`` / ``x in self.name`` tests in a lambda body (not in nested lambdas)."""
    for sub in _walk(body):
        if not isinstance(sub, cst.Comparison):
            continue
        for target in sub.comparisons:
            if not isinstance(target.operator, (cst.In, cst.NotIn)):
                continue
            comparator = target.comparator
            if isinstance(comparator, cst.Name) or (
                isinstance(comparator, cst.Attribute)
                and isinstance(comparator.value, cst.Name)
                and comparator.value.value == "self"
            ):
                yield sub, comparator
                break


_SCANS = ("any", "all", "next", "sum")


def _keyed_scans(body: cst.BaseExpression, params: set[str]) -> Iterator[tuple[cst.Call, cst.BaseExpression, cst.Comparison]]:
    """``any(t.ref == inv.number for t in txns)`` (also ``next``/``all``/``sum``) in a lambda body:
    a generator over a name (or ``self.x``) the callback does not bind, tested with ``==``
    between the generator's item and the callback's parameters."""
    for sub in _walk(body):
        if not (isinstance(sub, cst.Call) and isinstance(sub.func, cst.Name) and sub.func.value in _SCANS and sub.args):
            continue
        generator = sub.args[0].value
        if not isinstance(generator, cst.GeneratorExp):
            continue
        comp = generator.for_in
        if comp.inner_for_in is not None or comp.asynchronous is not None:
            continue
        collection = comp.iter
        if not (
            isinstance(collection, cst.Name)
            or isinstance(collection, cst.Attribute) and isinstance(collection.value, cst.Name) and collection.value.value == "self"
        ) or names_used(collection) & params:
            continue
        own = names_used(comp.target)
        tests = [comp_if.test for comp_if in comp.ifs] or [generator.elt]
        for test in tests:
            found = next((c for c in _equalities(test) if _keyed(c, own, params)), None)
            if found is not None:
                yield sub, collection, found
                break


def _equalities(test: cst.BaseExpression) -> Iterator[cst.Comparison]:
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        yield from _equalities(test.left)
        yield from _equalities(test.right)
    elif isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(test.comparisons[0].operator, cst.Equal):
        yield test


def _keyed(comparison: cst.Comparison, own: set[str], params: set[str]) -> bool:
    """One side reads only the generator's item, the other only the callback's parameters."""
    left, right = _names_read(comparison.left), _names_read(comparison.comparisons[0].comparator)
    return any(a and a <= own and b and b <= params for a, b in ((left, right), (right, left)))


def _bound_inside(body: cst.BaseExpression) -> set[str]:
    """Names a comprehension or a walrus inside the lambda binds."""
    bound: set[str] = set()
    for sub in _walk(body):
        if isinstance(sub, cst.CompFor):
            bound |= names_used(sub.target)
        elif isinstance(sub, cst.NamedExpr):
            bound |= names_used(sub.target)
    return bound


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(child for child in current.children if not isinstance(child, cst.Lambda))
