"""PF106 sort-in-loop."""

from __future__ import annotations

from typing import Iterator, Optional

import libcst as cst
from perflint.analysis import (
    ScopeAware,
    body_statements,
    exits_after,
    iter_nodes,
    method_call,
    small_statements,
)
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

_GROW_METHODS = ("append", "insert", "extend")
# Taking items out again in the same loop keeps the list a window of bounded size.
_TRIM_METHODS = ("pop", "remove", "clear")


class SortInLoop(ScopeAware, Rule):
    """
    ## What it does
    Flags a list that a loop grows by one element (`x.append(...)` or
    `x.insert(...)`) and sorts again (`x.sort()` or `x = sorted(x)`) on every
    iteration; also `self.x` grown and sorted the same way, and a `while x:`
    worklist sorted again before every `x.pop(...)` (a priority queue kept by
    re-sorting).

    ## Why is this slow?
    Each sort looks at the whole list, so `n` iterations cost at least O(n²)
    (and O(n² log n) for unordered data) where keeping the list ordered costs
    far less: sort once after the loop when nothing reads the order in between,
    insert in order with `bisect.insort` (O(log n) comparisons per item), or use
    `heapq` when the loop only needs the smallest item. Measured (best of 25
    interleaved `timeit` runs on Python 3.11, on this project's shared 2-core
    machine): adding 2,000 random floats with `append` + `sort()` each time took
    9.4 ms, with `bisect.insort` 0.94 ms (about 10x faster; the gap grows with
    the list).

    ## Example
    ```python
    ranked = []
    for score in scores:
        ranked.append(score)
        ranked.sort()
        report(ranked[-1])
    ```

    ## Use instead
    ```python
    import bisect

    ranked = []
    for score in scores:
        bisect.insort(ranked, score)
        report(ranked[-1])
    ```

    ## Fix safety
    No fix: whether to sort once after the loop, insert in order or use a
    heap depends on what the loop reads from the list.

    ## Known false positives
    Short loops, and loops that leave right after sorting (`return`,
    `raise`, or `break` out of the only loop), sort few times; those that
    leave are not flagged. Only a sort that runs on every iteration (directly
    in the loop body, not under an `if`) and a growth directly in the same
    loop (not in a nested loop) count, and only when the list is not rebound
    to a fresh one inside the loop.
    Precision: unmeasured on real code: no finding on the Python 3.11 standard
    library, this project's installed site-packages (1,860 files) or
    Debian's /usr/lib/python3/dist-packages (1,382 files) (2026-11-27); the
    rule is narrow by construction. The worklist form (2026-12-07) added 2
    findings on 12 projects (networkx 3.4.2, ansible-core 2.17.0, superset
    4.0.1, seaborn, pvlib, pyjanitor, mlxtend, yfinance, sqlglot, datasette,
    Faker, pelican) and none on the standard library: networkx's
    `havel_hakimi` stub list, worth a heap; ansible's module_utils worklist,
    a few dozen imports per module (small by domain, where PF103 already
    reports the `pop(0)`).
    """

    code = "PF106"
    name = "sort-in-loop"
    level = Level.ALGORITHM
    message = "the loop grows a list and sorts it again on every iteration; sort once after the loop, or use `bisect.insort` / `heapq`"
    weight = 3.0
    triggers = ("sort",)
    loop_only = True
    needs = ("sort()", "sorted()")
    benchmark = Benchmark(
        setup="import bisect, random\nrandom.seed(1)\nvalues = [random.random() for _ in range(2000)]",
        slow="ranked = []\nfor v in values:\n    ranked.append(v)\n    ranked.sort()",
        fast="ranked = []\nfor v in values:\n    bisect.insort(ranked, v)",
        size="2,000 random floats",
    )

    valid = [
        # Sorted once, after the loop.
        Valid(
            """
            def f(xs):
                out = []
                for x in xs:
                    out.append(x)
                out.sort()
                return out
            """
        ),
        # A fresh list on every iteration.
        Valid(
            """
            def f(rows):
                for row in rows:
                    cells = []
                    cells.append(row.a)
                    cells.append(row.b)
                    cells.sort()
                    print(cells)
            """
        ),
        # Sorted only sometimes.
        Valid(
            """
            def f(xs):
                out = []
                for x in xs:
                    out.append(x)
                    if len(out) % 100 == 0:
                        out.sort()
            """
        ),
        # Sorts a different list.
        Valid(
            """
            def f(xs, ys):
                out = []
                for x in xs:
                    out.append(x)
                    ys.sort()
            """
        ),
        # Leaves the loop right after sorting.
        Valid(
            """
            def f(xs):
                out = []
                for x in xs:
                    out.append(x)
                    out.sort()
                    return out
            """
        ),
        # The attribute is rebound in the loop: a fresh list each time.
        Valid(
            """
            class Book:
                def replay(self, events):
                    for ev in events:
                        self.bids = list(ev.levels)
                        self.bids.append(ev.best)
                        self.bids.sort()
            """
        ),
        # A worklist popped from, but its `while` does not test it: not a drained queue.
        Valid(
            """
            def f(items, budget):
                while budget > 0:
                    items.sort()
                    items.pop()
                    budget -= 1
            """
        ),
        # A top-k window: trimmed back after every sort, so each sort is of k + 1 items.
        Valid(
            """
            def top(scores, k):
                best = []
                for s in scores:
                    best.append(s)
                    best.sort(reverse=True)
                    del best[k:]
                return best
            """
        ),
        # Grown in a nested loop: one sort per batch.
        Valid(
            """
            def f(batches):
                out = []
                for batch in batches:
                    for item in batch:
                        out.append(item)
                    out.sort()
                    print(out[0])
            """
        ),
    ]
    invalid = [
        # A priority queue kept by sorting the whole list before every pop.
        Invalid(
            """
            def cheapest_first(costs):
                frontier = list(costs)
                picked = []
                while frontier:
                    frontier = sorted(frontier, key=costs.get)
                    picked.append(frontier.pop(0))
                return picked
            """
        ),
        # An attribute of `self` grown and sorted per event.
        Invalid(
            """
            class Book:
                def __init__(self):
                    self.bids = []

                def replay(self, events):
                    for ev in events:
                        self.bids.append(ev.price)
                        self.bids.sort(reverse=True)
            """
        ),
        # Grown by a whole batch and sorted again per batch: sort once, or `heapq.merge`.
        Invalid(
            """
            def merge(streams):
                merged = []
                for stream in streams:
                    merged.extend(stream)
                    merged.sort(key=score)
                return merged
            """
        ),
        Invalid(
            """
            def f(scores):
                ranked = []
                for score in scores:
                    ranked.append(score)
                    ranked.sort()
                    report(ranked[-1])
            """
        ),
        Invalid(
            """
            def f(queue, graph):
                while queue:
                    queue = sorted(queue, key=cost)
                    node = queue.pop(0)
                    if node.ok:
                        queue.append(graph[node])
            """
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        self._check(node)

    def visit_While(self, node: cst.While) -> None:
        self._check(node)

    def _check(self, loop: cst.CSTNode) -> None:
        statements = body_statements(loop)
        for statement in statements:
            for small in small_statements(statement):
                name = _sorted_name(small, self.context)
                if name is not None and self._grows(loop, name, small):
                    index = self.scope_index()
                    if index is None or exits_after(index, small, self.context.loop_depth + 1):
                        continue
                    if "." in name:
                        if _attribute_rebound(loop, name, small):
                            continue
                    elif any(
                        index.contains(loop, b.node) and b.node is not small for b in index.bindings.get(name, [])
                    ):
                        continue
                    drained = _drained_worklist(loop, name)
                    self.report(small, _DRAIN_MESSAGE if drained else None)

    def _grows(self, loop: cst.CSTNode, name: str, sort: cst.CSTNode) -> bool:
        if _drained_worklist(loop, name):
            return True
        if _trimmed(loop, name):
            return False  # ``best.append(s); best.sort(); del best[k:]``: a top-k window
        for small in _direct_small_statements(body_statements(loop)):
            if small is sort or not isinstance(small, cst.Expr):
                continue
            call = method_call(small.value)
            if call is not None and _receiver_key(call[0]) == name and call[1] in _GROW_METHODS:
                return True
        return False


_DRAIN_MESSAGE = (
    "the loop sorts the whole list again for every item it takes out (O(n² log n)); "
    "keep the items in a heap (`heapq.heappush` / `heappop`)"
)


def _drained_worklist(loop: cst.CSTNode, name: str) -> bool:
    """``while frontier: frontier = sorted(frontier, key=cost); node = frontier.pop(0)``: a
    priority queue kept by sorting the whole list again for every item it hands out."""
    if not isinstance(loop, cst.While):
        return False
    if not any(_receiver_key(node) == name for node in iter_nodes(loop.test)):
        return False
    for node in iter_nodes(loop.body):
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        call = method_call(node) if isinstance(node, cst.Call) else None
        if call is not None and call[1] == "pop" and _receiver_key(call[0]) == name:
            return True
    return False


def _trimmed(loop: cst.CSTNode, name: str) -> bool:
    """The loop also takes items out of the list (``del x[k:]``, ``del x[0]``, ``x.pop()``,
    ``x.remove(v)``, ``x.clear()``): it keeps a window whose size the loop bounds (the top ``k``
    of a stream), not a list that grows with the input."""
    for node in iter_nodes(loop):
        if isinstance(node, cst.Del):
            targets = node.target.elements if isinstance(node.target, cst.Tuple) else [node.target]
            for target in targets:
                item = target.value if isinstance(target, cst.Element) else target
                if isinstance(item, cst.Subscript) and _receiver_key(item.value) == name:
                    return True
        elif isinstance(node, cst.Call):
            call = method_call(node)
            if call is not None and call[1] in _TRIM_METHODS and _receiver_key(call[0]) == name:
                return True
    return False


def _receiver_key(node: cst.CSTNode) -> Optional[str]:
    """``"x"`` for a name, ``"self.x"`` for an attribute of ``self``; None for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
        return f"self.{node.attr.value}"
    return None


def _sorted_name(small: cst.BaseSmallStatement, context) -> Optional[str]:
    """``x`` for ``x.sort(...)`` or ``x = sorted(x, ...)``; ``self.x`` for the same on an
    attribute of ``self``."""
    if isinstance(small, cst.Expr):
        call = method_call(small.value)
        if call is not None and call[1] == "sort":
            return _receiver_key(call[0])
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        name = _receiver_key(small.targets[0].target)
        value = small.value
        if (
            name is not None
            and isinstance(value, cst.Call)
            and context.call_name(value) == "builtins.sorted"
            and value.args
            and _receiver_key(value.args[0].value) == name
            and not value.args[0].star
        ):
            return name
    return None


def _attribute_rebound(loop: cst.CSTNode, key: str, sort: cst.CSTNode) -> bool:
    """The loop assigns ``self.x`` somewhere else than the sort itself (or rebinds ``self``)."""
    for node in iter_nodes(loop):
        if node is sort:
            continue
        if isinstance(node, cst.AssignTarget) and _receiver_key(node.target) in (key, "self"):
            if not (isinstance(sort, cst.Assign) and any(t is node for t in sort.targets)):
                return True
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign)) and _receiver_key(node.target) in (key, "self"):
            return True
        elif isinstance(node, cst.For) and _receiver_key(node.target) == "self":
            return True
    return False


def _direct_small_statements(statements: list[cst.BaseStatement]) -> Iterator[cst.BaseSmallStatement]:
    """Simple statements of a loop body, looking into ``if``/``try``/``with`` but not nested loops or defs."""
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
        elif isinstance(statement, (cst.If, cst.Try, cst.TryStar, cst.With)):
            yield from _direct_small_statements(body_statements(statement))
            orelse = getattr(statement, "orelse", None)
            while orelse is not None:
                yield from _direct_small_statements(body_statements(orelse))
                orelse = getattr(orelse, "orelse", None)
            for handler in getattr(statement, "handlers", ()):
                yield from _direct_small_statements(body_statements(handler))
            final = getattr(statement, "finalbody", None)
            if final is not None:
                yield from _direct_small_statements(body_statements(final))
