"""PF114 keyed-scan-in-loop."""

from __future__ import annotations

import libcst as cst
from perflint.analysis import ScopeAware, code_of
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

from ._scans import filter_scan, keyed_scan
from ._sequences import SkipsTests


class KeyedScanInLoop(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags a search for one matching item inside a loop over another
    collection: `next((p for p in seq if p.k == x), None)`,
    `any(p.k == x for p in seq)`, `all(p.k != x for p in seq)`,
    `[p for p in seq if p.k == x][0]`, `next(filter(lambda p: p.k == x, seq), None)`, and the counting forms
    `sum(1 for p in seq if p.k == x)` / `len([p for p in seq if p.k == x])`,
    where `x` changes with the outer loop and `seq` does not.

    ## Why is this slow?
    Every outer iteration walks `seq` from the front: O(n·m) comparisons for
    `n` outer items and `m` items in `seq`. A dict keyed by `k` (or a set of
    the keys, or a `Counter` for counts) built once before the loop answers
    each lookup in O(1). Measured (`benchmarks/rule_speedups.py`: `timeit`, best of 5, CPython 3.11.7 on this project's shared 2-core machine, 2026-12-07): pairing 2,000 users with their manager
    by `next(...)` took 185 ms, through a dict built once 0.45 ms (411x
    faster).

    ## Example
    ```python
    for u in users:
        manager = next((m for m in users if m.id == u.manager_id), None)
    ```

    ## Use instead
    ```python
    by_id = {m.id: m for m in users}
    for u in users:
        manager = by_id.get(u.manager_id)
    ```

    ## Fix safety
    No fix: `next` returns the *first* match while a dict built by a
    comprehension keeps the *last*, keys may be unhashable, and the
    collection may change inside the loop; the right index depends on the
    code.

    ## Known false positives
    Small collections make the scan cheap. Not flagged: collections written
    as literals, `range(...)`, UPPER_CASE module constants, collections that
    depend on the outer item (`p.children`) or are rebuilt in the loop,
    comparisons with a value that does not change in the loop (a hoisting
    matter, not a join), collections computed by a call per iteration
    (`G.in_edges(n)`; `d.items()`/`.values()`/`.keys()` are scanned), loops
    over a local literal list, test modules, and scans followed by
    `return`/`raise`. A slice counts as the whole collection only when it is
    the part before or after the current item (`txns[:i]`, `xs[i + 1:]`, the
    bound moving with the outer loop); a window with two bounds or a fixed
    bound (`xs[:3]`, `xs[:limit]`) is not reported. This slice form and a fix
    for unpacked names that equal the outer item's attribute names
    (`for sku, q in stock if sku == ln.sku`, 2026-12-07) add no finding on
    the standard library or 12 PyPI projects.
    Precision (judged 2026-12-07): no finding on the Python 3.11 standard
    library; 1 of 1 on networkx 3.4.2, seaborn 0.13.2, mlxtend 0.23.4,
    pyjanitor 0.31.0, yfinance 0.2.50, pvlib 0.11.2, apache-superset 4.1.1,
    ckan 2.11.1, wagtail 6.1.3 and eight more Django/Flask packages (ckan's
    config check tests `any(s == p for p in patterns)` over a set for
    every option); superset's example loader, which loops over a local
    literal list, was a false positive before that case was excluded. Too
    few findings to measure precision well; the dev set's nine sites of
    this shape are all found without a false positive.
    """

    code = "PF114"
    name = "keyed-scan-in-loop"
    level = Level.ALGORITHM
    message = "a scan for the matching item runs on every iteration (O(n·m)); index the collection by key in a dict once"
    weight = 4.0
    triggers = ("==", "!=")
    loop_only = True
    needs = ("eq-scan",)
    benchmark = Benchmark(
        setup=(
            "from types import SimpleNamespace as R\n"
            "users = [R(id=i, manager_id=(i * 7) % 2000) for i in range(2000)]"
        ),
        slow="pairs = [(u, next((m for m in users if m.id == u.manager_id), None)) for u in users]",
        fast="by_id = {}\nfor m in users:\n    by_id.setdefault(m.id, m)\npairs = [(u, by_id.get(u.manager_id)) for u in users]",
        size="2,000 users paired with their manager",
    )

    valid = [
        # `filter` over the outer item's own parts, and a key that does not change with the loop.
        Valid(
            """
            def label(shifts, staff: list, boss_id):
                out = []
                for s in shifts:
                    out.append(next(filter(lambda p: p.kind == s.kind, s.parts), None))
                    out.append(next(filter(lambda st: st.id == boss_id, staff), None))
                return out
            """
        ),
        # A window of the last five items, or a fixed head: bounded scans.
        Valid(
            """
            def recent_dupes(xs, top, limit):
                return [
                    a for i, a in enumerate(xs)
                    if any(b.k == a.k for b in xs[i - 5:i]) or any(b.k == a.k for b in top[:limit])
                ]
            """
        ),
        # The collection belongs to the outer item: a walk of its own children.
        Valid(
            """
            def f(groups):
                for g in groups:
                    if any(m.id == g.owner_id for m in g.members):
                        print(g)
            """
        ),
        # Compared with a constant: the same scan each time (loop-invariant), not a join.
        Valid(
            """
            def f(users, rows):
                for r in rows:
                    if any(u.role == "admin" for u in users):
                        print(r)
            """
        ),
        # A literal collection.
        Valid(
            """
            def f(rows):
                for r in rows:
                    kind = next((k for k in ("a", "b") if k == r.kind), None)
            """
        ),
        # A loop over a local list written out in the code: a fixed number of scans.
        Valid(
            """
            def f(tbl):
                metrics = ["sum__a", "sum__b", "avg__c", "max__d"]
                for metric in metrics:
                    if not any(m.name == metric for m in tbl.metrics):
                        tbl.add(metric)
            """
        ),
        # A module constant.
        Valid(
            """
            def f(rows):
                for r in rows:
                    if any(c.code == r.code for c in CURRENCIES):
                        print(r)
            """
        ),
        # Not in a loop: one scan.
        Valid(
            """
            def f(users, uid):
                return next((u for u in users if u.id == uid), None)
            """
        ),
        # Returns on the first hit: runs once per call.
        Valid(
            """
            def f(users, ids):
                for uid in ids:
                    if uid:
                        return next(u for u in users if u.id == uid)
            """
        ),
        # A range: arithmetic, not a collection.
        Valid(
            """
            def f(xs, n):
                for x in xs:
                    if any(i == x.slot for i in range(n)):
                        print(x)
            """
        ),
    ]
    invalid = [
        # The lookup spelled with `filter`.
        Invalid(
            """
            def label(shifts, staff: list):
                out = []
                for s in shifts:
                    out.append(next(filter(lambda st: st.id == s.staff_id, staff), None))
                return out
            """
        ),
        Invalid(
            """
            def with_managers(users):
                pairs = []
                for u in users:
                    manager = next((m for m in users if m.id == u.manager_id), None)
                    pairs.append((u, manager))
                return pairs
            """
        ),
        # The items before the current one (`txns[:i]`): a "seen before?" scan that grows.
        Invalid(
            """
            def repeats(txns):
                i = 0
                while i < len(txns):
                    cur = txns[i]
                    if any(o.card == cur.card for o in txns[:i]):
                        yield cur
                    i += 1
            """
        ),
        # Unpacked pairs whose name is also the outer item's attribute name.
        Invalid(
            """
            def short(lines, stock):
                return [ln for ln in lines if next((q for sku, q in stock if sku == ln.sku), 0) < ln.qty]
            """
        ),
        Invalid(
            """
            def unpaid(invoices, payments):
                return [inv for inv in invoices if not any(p["ref"] == inv["ref"] for p in payments)]
            """
        ),
        Invalid(
            """
            def link(accounts, signups):
                for s in signups:
                    owner = next(k for k, v in accounts.items() if v == s["email"])
                    print(owner)
            """
        ),
        Invalid(
            """
            class Cart:
                def merge(self, other):
                    for line in other.lines:
                        existing = [l for l in self.lines if l.sku == line.sku][0]
                        existing.qty += line.qty
            """
        ),
        Invalid(
            """
            def counts(tags, posts):
                return {t.id: sum(1 for p in posts if p.tag_id == t.id) for t in tags}
            """
        ),
    ]

    def _check(self, node: cst.CSTNode) -> None:
        if not self.context.in_loop:
            return
        scan = keyed_scan(self.context, self.scope_index(), node)
        if scan is None or scan.kind not in ("lookup", "count"):
            return
        action = "count with a `Counter` of the keys" if scan.kind == "count" else "index it by key in a dict (or a set of keys)"
        self.report(
            scan.node,
            f"scans `{code_of(scan.collection)}` for `{code_of(scan.comparison)}` on every iteration (O(n·m)); "
            f"{action} once before the loop",
        )

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._check(node)

    def visit_Call(self, node: cst.Call) -> None:
        if not self.context.in_loop or not isinstance(node.func, cst.Name) or node.func.value != "next":
            return
        scan = filter_scan(self.context, self.scope_index(), node)
        if scan is not None:
            self.report(
                scan.node,
                f"scans `{code_of(scan.collection)}` for `{code_of(scan.comparison)}` on every iteration (O(n·m)); "
                "index it by key in a dict (or a set of keys) once before the loop",
            )

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._check(node)
