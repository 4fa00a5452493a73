"""PF115 comprehension-join."""

from __future__ import annotations

import libcst as cst
from perflint.analysis import ScopeAware, code_of
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

from ._scans import keyed_scan
from ._sequences import SkipsTests


class ComprehensionJoin(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags a join written as a filtering comprehension inside a loop:
    `[c for c in rows if c["parent"] == p["id"]]` (or the attribute form,
    or `list(c for c in ...)`) evaluated once per `p` of an outer loop or
    comprehension, where `rows` does not depend on `p`; also an aggregate of
    the matches (`sum(f.qty for f in fills if f.ref == o.ref)`, `min`/`max`).

    ## Why is this slow?
    Each outer item walks all of `rows` to collect its matches: O(n·m) for `n`
    parents and `m` rows. Grouping the rows by key once
    (`collections.defaultdict(list)`) makes each lookup O(1), O(n + m) in all.
    Measured (`benchmarks/rule_speedups.py`: `timeit`, best of 5, CPython 3.11.7 on this project's shared 2-core machine, 2026-12-07): attaching 5,000 child rows to 1,000 parents by
    comprehension took 253 ms, grouping first 0.64 ms (394x faster).

    ## Example
    ```python
    tree = [{**p, "children": [c for c in rows if c["parent"] == p["id"]]} for p in parents]
    ```

    ## Use instead
    ```python
    from collections import defaultdict

    by_parent = defaultdict(list)
    for c in rows:
        by_parent[c["parent"]].append(c)
    tree = [{**p, "children": by_parent.get(p["id"], [])} for p in parents]
    ```

    ## Fix safety
    No fix: keys may be unhashable, `rows` may change inside the loop, and
    the grouped lists are shared rather than fresh per parent unless copied.

    ## Known false positives
    Small collections make the scan cheap. Not flagged: literal
    collections, `range(...)`, UPPER_CASE module constants, collections
    that depend on the outer item or are rebuilt in the loop, collections
    computed by a call per iteration, test modules, and comparisons with a
    value that does not change in the loop.
    Precision (judged 2026-12-07): no finding on the Python 3.11 standard
    library; on networkx 3.4.2, seaborn 0.13.2, mlxtend 0.23.4, pyjanitor
    0.31.0, yfinance 0.2.50, pvlib 0.11.2, apache-superset 4.1.1, ckan
    2.11.1, wagtail 6.1.3 and eight more Django/Flask packages, 4 of 5
    worth acting on (ckan's multilingual plugin matches every facet item
    against all term translations); the fifth, seaborn's subplots per
    shared axis, is correct in shape but a plot has few subplots. A
    networkx filter of a node's in-edges by their minimum weight was a false
    positive before calls were excluded. Too few findings to measure
    precision well; kept on by default for its dev-set sites, none of them
    a false positive.
    """

    code = "PF115"
    name = "comprehension-join"
    level = Level.ALGORITHM
    message = "a comprehension collects the matching rows on every iteration (O(n·m)); group the rows by key once"
    weight = 4.0
    triggers = ("==",)
    loop_only = True
    needs = ("eq-scan",)
    benchmark = Benchmark(
        setup=(
            "from collections import defaultdict\n"
            "parents = [{'id': i} for i in range(1000)]\n"
            "rows = [{'parent': (i * 13) % 1000, 'n': i} for i in range(5000)]"
        ),
        slow="tree = [[c for c in rows if c['parent'] == p['id']] for p in parents]",
        fast=(
            "by_parent = defaultdict(list)\nfor c in rows:\n    by_parent[c['parent']].append(c)\n"
            "tree = [by_parent.get(p['id'], []) for p in parents]"
        ),
        size="1,000 parents, 5,000 child rows",
    )

    valid = [
        # A total over the outer item's own lines: no second collection.
        Valid(
            """
            def totals(orders):
                return {o.id: sum(l.qty for l in o.lines if l.sku == o.sku) for o in orders}
            """
        ),
        # The rows of the outer item itself.
        Valid(
            """
            def f(orders):
                return [[l for l in o.lines if l.order_id == o.id] for o in orders]
            """
        ),
        # Filter by a constant: loop-invariant, not a join.
        Valid(
            """
            def f(rows, days):
                for d in days:
                    print(d, [r for r in rows if r["status"] == "open"])
            """
        ),
        # A call's result, different per item: a filter, not a join.
        Valid(
            """
            def f(graph, nodes, weights):
                for n in nodes:
                    low = weights[n]
                    print([e for e in graph.in_edges(n) if e.w == low])
            """
        ),
        # Grouped once already.
        Valid(
            """
            from collections import defaultdict
            def f(parents, rows):
                by_parent = defaultdict(list)
                for c in rows:
                    by_parent[c["parent"]].append(c)
                return [by_parent[p["id"]] for p in parents]
            """
        ),
        # Not in a loop.
        Valid(
            """
            def f(rows, p):
                return [c for c in rows if c["parent"] == p["id"]]
            """
        ),
        # A literal collection.
        Valid(
            """
            def f(items):
                for it in items:
                    print([k for k in ("a", "b", "c") if k == it.kind])
            """
        ),
    ]
    invalid = [
        # A total of a field of the matches, per outer item.
        Invalid(
            """
            def filled(orders, fills):
                ratios = {}
                for o in orders:
                    ratios[o.ref] = sum(f.qty for f in fills if f.order_ref == o.ref) / o.qty
                return ratios
            """
        ),
        # The latest match per outer item.
        Invalid(
            """
            def last_seen(users, events):
                return {u.id: max((e.ts for e in events if e.user_id == u.id), default=None) for u in users}
            """
        ),
        Invalid(
            """
            def attach_tracking(shipments, scans):
                return [
                    {**s, "events": [e for e in scans if e["tracking_no"] == s["tracking_no"]]}
                    for s in shipments
                ]
            """
        ),
        Invalid(
            """
            def build(categories, products):
                for cat in categories:
                    cat.items = [p for p in products if p.category_id == cat.id and p.active]
            """
        ),
        Invalid(
            """
            def tree(nodes):
                for n in nodes:
                    n.children = list(c for c in nodes if c.parent == n.id)
            """
        ),
    ]

    def _check(self, node: cst.CSTNode) -> None:
        if not self.context.in_loop:
            return
        scan = keyed_scan(self.context, self.scope_index(), node)
        if scan is None or scan.kind not in ("group", "total"):
            return
        if scan.kind == "total":
            self.report(
                scan.node,
                f"aggregates the items of `{code_of(scan.collection)}` with `{code_of(scan.comparison)}` on every "
                "iteration (O(n·m)); total them by key in a dict once before the loop",
            )
            return
        self.report(
            scan.node,
            f"collects the items of `{code_of(scan.collection)}` with `{code_of(scan.comparison)}` on every "
            "iteration (O(n·m)); group them by key once (`defaultdict(list)`) before the loop",
        )

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._check(node)

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._check(node)
