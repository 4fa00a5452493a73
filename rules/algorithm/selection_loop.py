"""PF119 selection-loop."""

from __future__ import annotations

import libcst as cst
from perflint.analysis import ScopeAware, ScopeIndex, iter_nodes, names_used
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

from ._sequences import SkipsTests, attribute_list, attribute_rebound_in_loop, loop_bound_names, rebound_in_loop, repeats

_TAKE = frozenset({"remove", "discard"})
_SHRINK = frozenset({"pop", "popleft", "remove"})


class SelectionLoop(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags selection done by scanning on every step of a loop:
    `m = min(pending, key=...)` (or `max`) followed in the same loop by
    `pending.remove(m)` / `pending.discard(m)` (also on `self.pending`, a
    list the module grows), and a sliding window sorted
    anew on every step: `sorted(window)` in a loop that both appends to
    `window` and drops from it (`pop`, `popleft`, `remove`, `del window[0]`).

    ## Why is this slow?
    `min`/`max` walk the whole collection and `remove` walks it again, so
    draining `n` items costs O(n²); a heap (`heapq.heappush`/`heappop`)
    does each step in O(log n). Sorting a window of `k` items on every one of
    `n` steps costs O(n·k log k); keeping the window sorted with
    `bisect.insort` and `bisect` removal (or two heaps for a running median)
    costs O(n·k) element moves at C speed, or O(n log k). Measured (`benchmarks/rule_speedups.py`: `timeit`, best of 5, CPython 3.11.7 on this project's shared 2-core machine, 2026-12-07):
    draining 3,000 items in order with `min` + `remove` took 266 ms, with
    `heapq` 2.6 ms (104x faster).

    ## Example
    ```python
    while frontier:
        node = min(frontier, key=lambda n: dist[n])
        frontier.remove(node)
    ```

    ## Use instead
    ```python
    import heapq

    heap = [(dist[n], n) for n in frontier]
    heapq.heapify(heap)
    while heap:
        _, node = heapq.heappop(heap)
    ```

    ## Fix safety
    No fix: priorities that change while items wait (Dijkstra's relaxations)
    need lazy deletion or re-pushing, which depends on the algorithm.

    ## Known false positives
    Small collections cost little. Not flagged: one `min`/`max` or
    `sorted(...)[:k]` outside a loop, `min` without a matching `remove` of
    its result, collections rebound inside the loop, windows that only grow
    (PF106's case), keys that read a name the loop rebinds (a nearest
    neighbour: the order changes every step), loops over literal displays
    or `range(<literal>)`, test modules.
    Precision (judged 2026-12-07): no finding on the Python 3.11 standard
    library; 2 of 2 on networkx 3.4.2 and the other corpora named in
    PF113 (networkx's broadcasting and chordal completion pick the
    minimum/maximum-weight node and remove it on every step); networkx's
    greedy TSP, whose key depends on the current node, was a false positive
    before such keys were excluded. Too few findings to measure precision
    well.
    """

    code = "PF119"
    name = "selection-loop"
    level = Level.ALGORITHM
    message = "selection by scanning on every step (O(n²)); use a heap (`heapq`) or a sorted structure (`bisect`)"
    weight = 3.5
    triggers = ("min", "max", "sorted")
    loop_only = True
    needs = (
        ("min()", "remove()"), ("max()", "remove()"), ("min()", "discard()"), ("max()", "discard()"),
        ("sorted()", "append()"),
    )
    benchmark = Benchmark(
        setup=(
            "import heapq, random\nrandom.seed(3)\n"
            "prio = {i: random.random() for i in range(3000)}"
        ),
        slow=(
            "pending = list(prio)\norder = []\nwhile pending:\n"
            "    m = min(pending, key=prio.__getitem__)\n    pending.remove(m)\n    order.append(m)"
        ),
        fast=(
            "heap = [(p, i) for i, p in prio.items()]\nheapq.heapify(heap)\norder = []\nwhile heap:\n"
            "    order.append(heapq.heappop(heap)[1])"
        ),
        size="3,000 items drained in priority order",
    )

    valid = [
        # An attribute list drained with a heap; `min` of an attribute without a removal.
        Valid(
            """
            import heapq

            class Scheduler:
                def __init__(self):
                    self.ready = []

                def submit(self, job):
                    self.ready.append(job)

                def drain(self, run):
                    while self.ready:
                        run(heapq.heappop(self.ready))

                def lowest(self, rounds):
                    for _ in rounds:
                        yield min(self.ready, key=lambda j: j.priority)
            """
        ),
        # One min, no removal: a single pass per step over what may be a growing list is not selection.
        Valid(
            """
            def nearest(depots, points):
                return [min(depots, key=lambda d: abs(d - p)) for p in points]
            """
        ),
        # A heap already.
        Valid(
            """
            import heapq
            def f(items):
                heap = list(items)
                heapq.heapify(heap)
                while heap:
                    yield heapq.heappop(heap)
            """
        ),
        # Removes something else than the selected item.
        Valid(
            """
            def f(pending, done):
                while pending:
                    m = min(pending)
                    pending.remove(done.pop())
                    print(m)
            """
        ),
        # Nearest neighbour: the key depends on the current node, so the order changes
        # on every step and a heap cannot keep it.
        Valid(
            """
            def tour(graph, start):
                left = set(graph) - {start}
                node = start
                while left:
                    near = graph[node]
                    node = min(left, key=lambda n: near[n])
                    left.remove(node)
            """
        ),
        # Sorted once after the loop.
        Valid(
            """
            def f(values):
                window = []
                for v in values:
                    window.append(v)
                return sorted(window)
            """
        ),
        # A window that only grows is PF106's business; top-k once.
        Valid(
            """
            def f(values, k):
                seen = []
                for v in values:
                    seen.append(v)
                    print(sorted(seen)[:k])
            """
        ),
    ]
    invalid = [
        # An attribute list the class grows, drained by priority.
        Invalid(
            """
            class Scheduler:
                def __init__(self):
                    self.ready = []

                def submit(self, job):
                    self.ready.append(job)

                def drain(self, run):
                    while self.ready:
                        job = min(self.ready, key=lambda j: j.priority)
                        self.ready.remove(job)
                        run(job)
            """
        ),
        Invalid(
            """
            def shortest_paths(graph, dist, source):
                frontier = list(graph)
                while frontier:
                    node = min(frontier, key=lambda n: dist[n])
                    frontier.remove(node)
                    for nb in graph[node]:
                        dist[nb] = min(dist[nb], dist[node] + 1)
            """
        ),
        Invalid(
            """
            def schedule(jobs):
                pending = set(jobs)
                order = []
                while pending:
                    job = max(pending, key=lambda j: j.priority)
                    pending.discard(job)
                    order.append(job)
                return order
            """
        ),
        Invalid(
            """
            def running_median(values, k):
                window = []
                out = []
                for v in values:
                    window.append(v)
                    if len(window) > k:
                        window.pop(0)
                    out.append(sorted(window)[len(window) // 2])
                return out
            """
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        name = self.context.call_name(node)
        if name not in ("builtins.min", "builtins.max", "builtins.sorted"):
            return
        if not node.args or node.args[0].keyword or node.args[0].star:
            return
        if any(arg.keyword is None for arg in node.args[1:]) or not self.context.in_loop:
            return
        if isinstance(node.args[0].value, cst.Attribute) and name != "builtins.sorted":
            self._check_attribute(node, node.args[0].value, name)
            return
        if not isinstance(node.args[0].value, cst.Name):
            return
        collection = node.args[0].value.value
        index = self.scope_index()
        if index is None or not repeats(self.context, index=index) or not index.is_plain_local(collection) or rebound_in_loop(self.context, index, collection):
            return
        loop = self.context.loops[-1].node
        if name == "builtins.sorted":
            if self._slides(index, loop, collection) and not self._rebinds_itself(index, node, collection):
                self.report(node, f"`sorted({collection})` sorts the whole window on every step; keep it sorted "
                            "with `bisect.insort` and bisect removal, or use two heaps for a running median")
            return
        selected = self._selected_name(index, node)
        if selected is None or self._key_changes(node, loop):
            return
        for sub in iter_nodes(loop):
            if (
                isinstance(sub, cst.Call)
                and isinstance(sub.func, cst.Attribute)
                and sub.func.attr.value in _TAKE
                and isinstance(sub.func.value, cst.Name)
                and sub.func.value.value == collection
                and len(sub.args) == 1
                and isinstance(sub.args[0].value, cst.Name)
                and sub.args[0].value.value == selected
            ):
                function = name.split(".")[1]
                self.report(node, f"`{function}({collection}, ...)` + `{collection}.{sub.func.attr.value}(...)` "
                            "scan the collection on every step (O(n²)); use a heap (`heapq`)")
                return

    def _check_attribute(self, node: cst.Call, target: cst.Attribute, name: str) -> None:
        """``job = min(self.ready, key=...)`` + ``self.ready.remove(job)``: an attribute the
        inference layer knows to hold a list the module grows."""
        index = self.scope_index()
        if index is None or not repeats(self.context, index=index):
            return
        text = attribute_list(self.context, target)
        if text is None or attribute_rebound_in_loop(self.context, target):
            return
        loop = self.context.loops[-1].node
        selected = self._selected_name(index, node)
        if selected is None or self._key_changes(node, loop):
            return
        for sub in iter_nodes(loop):
            if (
                isinstance(sub, cst.Call)
                and isinstance(sub.func, cst.Attribute)
                and sub.func.attr.value in _TAKE
                and sub.func.value.deep_equals(target)
                and len(sub.args) == 1
                and isinstance(sub.args[0].value, cst.Name)
                and sub.args[0].value.value == selected
            ):
                function = name.split(".")[1]
                self.report(node, f"`{function}({text}, ...)` + `{text}.{sub.func.attr.value}(...)` "
                            "scan the collection on every step (O(n²)); use a heap (`heapq`)")
                return

    @staticmethod
    def _key_changes(node: cst.Call, loop: cst.CSTNode) -> bool:
        """The ``key=`` reads a name the loop rebinds (nearest neighbour of the current
        node): the order changes on every step, so no heap can keep it."""
        key = next((arg.value for arg in node.args if arg.keyword is not None and arg.keyword.value == "key"), None)
        if key is None:
            return False
        own = set()
        if isinstance(key, cst.Lambda):
            own = {param.name.value for param in key.params.params}
        return bool((names_used(key) - own) & loop_bound_names(loop))

    @staticmethod
    def _selected_name(index: ScopeIndex, node: cst.Call) -> str | None:
        parent = index.parent(node)
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
            return parent.targets[0].target.value
        return None

    @staticmethod
    def _rebinds_itself(index: ScopeIndex, node: cst.Call, collection: str) -> bool:
        """``window = sorted(window)``: PF106 reports a list sorted again per iteration."""
        parent = index.parent(node)
        return (
            isinstance(parent, cst.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0].target, cst.Name)
            and parent.targets[0].target.value == collection
        )

    @staticmethod
    def _slides(index: ScopeIndex, loop: cst.CSTNode, collection: str) -> bool:
        """The loop appends to the collection and also drops items from it."""
        grows = shrinks = False
        for sub in iter_nodes(loop):
            if isinstance(sub, cst.Call) and isinstance(sub.func, cst.Attribute) and isinstance(sub.func.value, cst.Name):
                if sub.func.value.value != collection:
                    continue
                method = sub.func.attr.value
                grows = grows or method == "append"
                shrinks = shrinks or method in _SHRINK
            elif isinstance(sub, cst.Del):
                target = sub.target
                if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name) and target.value.value == collection:
                    shrinks = True
        return grows and shrinks
