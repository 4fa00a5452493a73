"""PF122 index-sort-key."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import ScopeAware, code_of, literal_elements, names_used
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

from ._sequences import SkipsTests

# Calls whose ``key=`` function runs once per item of their first argument.
_KEYED = frozenset({"builtins.sorted", "builtins.min", "builtins.max", "heapq.nsmallest", "heapq.nlargest"})


class IndexSortKey(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags a key function that searches a list for every item it is given:
    `sorted(stops, key=route.index)`, `stops.sort(key=lambda s: route.index(s.id))`,
    `min(xs, key=lambda x: order.index(x.code))` (also `max`,
    `heapq.nsmallest`/`nlargest`), where `route` holds a list that is not
    written out in the source: a parameter annotated as a list, a list the
    function builds, `self.route` kept as a list, a list returned by a
    function of the module.

    ## Why is this slow?
    The key function runs once per item, and `list.index` walks the list
    from the front each time: `n` items ordered by a list of `m` cost
    O(n·m) comparisons, a loop in disguise. A dict from item to position,
    built once in O(m), answers each key in O(1). The rule's benchmark
    (`benchmarks/rule_speedups.py`: `timeit`, CPython 3.11.7 on this
    project's shared 2-core machine, 2026-12-07): ordering 2,000 stops by a
    2,000-item route with `key=route.index` took 26.6 ms, with
    `key=pos.__getitem__` over `pos = {v: i for i, v in enumerate(route)}`
    0.35 ms (77x faster).

    ## Example
    ```python
    def route_order(route: list[int], stops):
        return sorted(stops, key=lambda s: route.index(s.id))
    ```

    ## Use instead
    ```python
    def route_order(route: list[int], stops):
        position = {stop_id: i for i, stop_id in enumerate(route)}
        return sorted(stops, key=lambda s: position[s.id])
    ```

    ## Fix safety
    No fix: an item missing from the list raises `ValueError` from
    `list.index` but `KeyError` from the dict, and with repeated items
    `list.index` answers the first position, which the dict comprehension
    must keep explicitly (`setdefault`, or building it from the reversed
    list).

    ## Known false positives
    A short list makes the search cheap. Not flagged: a list written out in
    the source (a display, `"a b c".split()`, a module constant bound to one:
    the usual `sorted(xs, key=ORDER.index)` over a handful of names), tuples
    and strings, names whose kind is unknown (an unannotated parameter), a
    key that searches a list belonging to the item itself
    (`lambda row: row.columns.index("id")`), a call over a written-out
    iterable, module-level code and test modules.
    Precision (2026-12-07): no finding on the Python 3.11 standard library
    or on 12 PyPI projects (networkx 3.4.2, seaborn 0.13.2, pvlib 0.11.2,
    pyjanitor 0.31.0, mlxtend 0.23.4, yfinance 0.2.50, ansible-core 2.17.0,
    apache-superset 4.0.1, sqlglot 25.1.0, datasette 0.64.6, Faker 25.2.0,
    pelican 4.9.1) but one: superset's database list orders the configured
    `PREFERRED_DATABASES` (a `list[str]` read from the app config) with
    `key=lambda p: preferred_databases.index(p["name"])`; not wrong, but a
    handful of names by domain (negligible). Elsewhere the shape searches a
    written-out constant, which is not reported. Too few findings to measure
    precision on real code. A list rebuilt inside the key
    (`key=lambda a: list(self.notes.keys()).index(a)`: copied, then searched,
    for every item) is reported when what it copies is a local, a parameter
    or `self.x`, not a module constant (2026-12-08: markdown2's footnote
    ordering, a labelled positive; standard library +0).
    """

    code = "PF122"
    name = "index-sort-key"
    level = Level.ALGORITHM
    message = "the key function searches a list for every item (O(n·m)); map each item to its position in a dict once"
    weight = 3.5
    triggers = ("index",)
    needs = ("key-index",)
    benchmark = Benchmark(
        setup=(
            "import random\nrandom.seed(3)\nroute = list(range(2000))\nrandom.shuffle(route)\n"
            "stops = list(range(2000))\nrandom.shuffle(stops)"
        ),
        slow="ordered = sorted(stops, key=route.index)",
        fast="pos = {v: i for i, v in enumerate(route)}\nordered = sorted(stops, key=pos.__getitem__)",
        size="2,000 items ordered by a 2,000-item list",
    )

    valid = [
        # A constant order written out in the source: a few names.
        Valid(
            """
            ORDER = ["low", "normal", "high", "urgent"]
            LEVELS = "debug info warning error".split()

            def by_priority(tickets):
                tickets.sort(key=lambda t: ORDER.index(t.priority))
                return sorted(tickets, key=lambda t: LEVELS.index(t.level))
            """
        ),
        # A tuple, a string, and a parameter whose kind is unknown.
        Valid(
            """
            def f(rows, names, order):
                columns = ("id", "name", "email")
                letters = "abcdefghijklmnopqrstuvwxyz"
                a = sorted(rows, key=lambda r: columns.index(r.col))
                b = sorted(names, key=lambda n: letters.index(n[0]))
                return a, b, sorted(rows, key=order.index)
            """
        ),
        # The searched list belongs to the item itself.
        Valid(
            """
            def f(tables: list):
                return sorted(tables, key=lambda t: t.columns.index("id"))
            """
        ),
        # Module level: runs once.
        Valid(
            """
            route: list[int] = load()
            STOPS = sorted(stops(), key=route.index)
            """
        ),
        # A list rebuilt in the key from a written-out order, or from the item itself.
        Valid(
            """
            ORDER = {"low": 0, "normal": 1, "high": 2}

            def by_level(tickets, names):
                levels = ("debug", "info", "warning")
                a = sorted(tickets, key=lambda t: list(ORDER.keys()).index(t.priority))
                b = sorted(tickets, key=lambda t: list(levels).index(t.level))
                return a, b, sorted(names, key=lambda row: list(row.keys()).index("id"))
            """
        ),
        # Over a written-out iterable: a few items.
        Valid(
            """
            def f(route: list[str]):
                return sorted(["b", "a", "c"], key=route.index)
            """
        ),
    ]
    invalid = [
        Invalid(
            """
            def route_order(route: list[int], stops):
                return sorted(stops, key=lambda s: route.index(s.id))
            """
        ),
        Invalid(
            """
            def rank(events, users):
                order = [u.id for u in users]
                events.sort(key=lambda e: (order.index(e.user_id), e.ts))
                return min(events, key=lambda e: order.index(e.user_id))
            """
        ),
        # The list is copied from a dict for every item, then searched.
        Invalid(
            """
            class Notes:
                def __init__(self):
                    self.notes = {}

                def ordered(self, ids):
                    ids.sort(key=lambda a: list(self.notes.keys()).index(a))
                    return ids
            """
        ),
        Invalid(
            """
            class Playlist:
                def __init__(self, tracks):
                    self.tracks = list(tracks)

                def ordered(self, picks):
                    return sorted(picks, key=self.tracks.index)
            """
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        key = next((arg.value for arg in node.args if arg.keyword is not None and arg.keyword.value == "key"), None)
        if key is None or self.context.function is None:
            return
        if not self._keyed_call(node):
            return
        searched = self._searched(key)
        if searched is None:
            return
        if isinstance(searched, cst.Call):  # ``list(names)`` rebuilt in the key: judge what it copies
            copied = searched.args[0].value
            if isinstance(copied, cst.Call):
                copied = copied.func.value  # ``list(d.keys())``: the dict
            if self.context.kind_of(copied).bounded:
                return
            if isinstance(copied, cst.Name) and not (self._local(copied) and self._grows_or_unknown(copied)):
                return  # a module constant or a written-out order
        inferred = self.context.kind_of(searched)
        if inferred.kind != "list" or inferred.bounded:
            return
        if isinstance(searched, cst.Name) and not self._grows_or_unknown(searched):
            return
        text = code_of(searched)
        self.report(
            node,
            f"the key function searches `{text}` with `.index` for every item (O(n·m)); "
            f"build `{{item: i for i, item in enumerate({text})}}` once and look positions up in it",
        )

    def _keyed_call(self, node: cst.Call) -> bool:
        """``sorted``/``min``/``max``/``heapq.nsmallest``/``nlargest`` over an iterable that is
        not written out, or ``xs.sort(key=...)``."""
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "sort":
            return True
        name = self.context.call_name(node)
        if name not in _KEYED:
            return False
        positional = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
        if not positional:
            return False
        items = positional[1] if name.startswith("heapq.") and len(positional) > 1 else positional[0]
        return literal_elements(items) is None

    def _searched(self, key: cst.BaseExpression) -> Optional[cst.BaseExpression]:
        """``route`` for ``key=route.index`` or ``key=lambda s: ... route.index(...) ...``,
        when ``route`` is a name or ``self.x`` that does not depend on the lambda's item."""
        if isinstance(key, cst.Attribute) and key.attr.value == "index":
            receiver = key.value
            return receiver if _plain(receiver) else None
        if not isinstance(key, cst.Lambda):
            return None
        params = {param.name.value for param in key.params.params}
        for sub in _walk(key.body):
            if (
                isinstance(sub, cst.Call)
                and isinstance(sub.func, cst.Attribute)
                and sub.func.attr.value == "index"
                and (_plain(sub.func.value) or _rebuilt_list(sub.func.value))
                and not names_used(sub.func.value) & params
            ):
                return sub.func.value
        return None

    def _local(self, name: cst.Name) -> bool:
        """Bound in the function (a parameter or a local), not a module-level name."""
        index = self.scope_index()
        return index is not None and bool(index.bindings.get(name.value))

    def _grows_or_unknown(self, name: cst.Name) -> bool:
        """A local name: never bound to a display of literals (a written-out order)."""
        index = self.scope_index()
        if index is None:
            return True
        for binding in index.bindings.get(name.value, []):
            value = binding.value
            if value is not None and literal_elements(value) is not None:
                return False
        return True


def _plain(node: cst.BaseExpression) -> bool:
    """A name, or an attribute of ``self``."""
    if isinstance(node, cst.Name):
        return True
    return isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self"


def _rebuilt_list(node: cst.BaseExpression) -> bool:
    """``list(d.keys())`` or ``sorted(names)`` written inside the key: a list copied (and
    then searched) for every item; what it copies is a name or ``self.x``, or a method
    call on one (``d.keys()``), never a written-out iterable."""
    if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Name)):
        return False
    if node.func.value not in ("list", "sorted") or len(node.args) != 1 or node.args[0].keyword is not None:
        return False
    source = node.args[0].value
    if isinstance(source, cst.Call) and isinstance(source.func, cst.Attribute) and not source.args:
        source = source.func.value
    return _plain(source)


def _walk(node: cst.CSTNode):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)
