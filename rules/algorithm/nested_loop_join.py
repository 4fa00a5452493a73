"""PF105 nested-loop-join."""

from __future__ import annotations

from typing import Iterator, Optional

import libcst as cst
from perflint.analysis import (
    body_statements,
    bound_names,
    code_of,
    literal_elements,
    names_used,
    small_statements,
)
from perflint.context import names_in_target
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid


class NestedLoopJoin(Rule):
    """
    ## What it does
    Flags a join written as nested loops: `for a in A: for b in B: if a.k == b.k:`
    (or `a[k] == b[k]`, or the same in a comprehension), where the inner
    iterable does not depend on the outer loop and the equality compares a
    key of the outer item with a key of the inner one. The outer item may be
    a name its body binds to a key of it (`ref = o["ref"]`), and the outer
    loop a `while` that walks a collection (`order = orders[i]`,
    `job = pending.pop()`). The equality may also be a guard that skips the
    other pairs: the inner body starts with `if a.k != b.k: continue`.

    ## Why is this slow?
    Every item of `A` is compared with every item of `B`: O(n·m) comparisons.
    Indexing `B` by its key once (`by_key = {b.k: b for b in B}`, or a dict of
    lists when keys repeat) turns each inner scan into one dict lookup: O(n +
    m). Measured (best of 25 interleaved `timeit` runs on Python 3.11, on this
    project's shared 2-core machine): joining 1,000 orders with 1,000 customers
    by nested loops took 83 ms, through a dict 0.21 ms (about 400x faster).

    ## Example
    ```python
    for order in orders:
        for customer in customers:
            if order.customer_id == customer.id:
                order.customer = customer
    ```

    ## Use instead
    ```python
    by_id = {customer.id: customer for customer in customers}
    for order in orders:
        customer = by_id.get(order.customer_id)
        if customer is not None:
            order.customer = customer
    ```

    ## Fix safety
    No fix: the right index (first or last match, a dict of lists for
    repeated keys, unhashable keys) depends on what the code means.

    ## Known false positives
    Small inner collections make the scan cheap; literal displays are not
    flagged. The rule only fires when the inner loop's body is a single `if`
    without `else`, when one side of `==` is a key (attribute, or subscript
    by a constant) of the outer loop variable and the other a key of the
    inner one, and when the inner iterable uses nothing the outer loop
    binds. Keys that are unhashable cannot be indexed by a dict.
    Precision: the Python 3.11 standard library has no finding (2026-11-27); 1
    of 1 in this project's installed site-packages (1,860 files) (libcst's
    parser generator looks up DFA states by `nfa_set`) and 1 of 1 in
    Debian's /usr/lib/python3/dist-packages (1,382 files) (its own comment
    asks "why not use a dictionary again?") judged correct. Two findings are
    too few to measure precision well.
    """

    code = "PF105"
    name = "nested-loop-join"
    level = Level.ALGORITHM
    message = "nested loops compare keys for every pair (O(n·m)); index the inner items by key in a dict first"
    weight = 4.0
    triggers = ("==", "!=")
    loop_only = True
    needs = ("join-loop",)
    benchmark = Benchmark(
        setup=(
            "from types import SimpleNamespace as R\n"
            "customers = [R(id=i) for i in range(1000)]\n"
            "orders = [R(customer_id=(i * 7) % 1000) for i in range(1000)]"
        ),
        slow=(
            "pairs = []\nfor o in orders:\n    for c in customers:\n"
            "        if o.customer_id == c.id:\n            pairs.append((o, c))"
        ),
        fast=(
            "by_id = {c.id: c for c in customers}\npairs = []\nfor o in orders:\n"
            "    c = by_id.get(o.customer_id)\n    if c is not None:\n        pairs.append((o, c))"
        ),
        size="1,000 orders joined with 1,000 customers",
    )

    valid = [
        # A guard skipping the item itself (an inequality between two items of one list is no join).
        Valid(
            """
            def pairs(items, others):
                for a in items:
                    for b in others:
                        if a.id != b.owner_id:
                            print(a, b)
            """
        ),
        # The inner item indexed by a field the outer item names: no single key to index by.
        Valid(
            """
            def pick(specs, rows):
                return [r for s in specs for r in rows if r[s.field] == s.value]
            """
        ),
        # A `while` loop whose body asks for something that is not the next item of a collection.
        Valid(
            """
            def busy(iterator, workers):
                while True:
                    task = iterator.next_task()
                    if task is None:
                        break
                    same = 0
                    for w in workers:
                        if w.task_id == task.id:
                            same += 1
                    print(same)
            """
        ),
        # The inner loop walks what the outer body picked: one group per item, not a join.
        Valid(
            """
            def owners(groups):
                found = []
                i = 0
                while i < len(groups):
                    group = groups[i]
                    for member in group.members:
                        if member.id == group.owner_id:
                            found.append(member)
                    i += 1
                return found
            """
        ),
        # The inner iterable depends on the outer item: not a join of two collections.
        Valid(
            """
            for a in groups:
                for b in a.members:
                    if a.owner == b.id:
                        print(b)
            """
        ),
        # Comparing positions of two sequences (dynamic programming), not keys of items.
        Valid(
            """
            for i in range(n):
                for j in range(m):
                    if s[i] == t[j]:
                        table[i][j] = 1
            """
        ),
        # The inner body does more than filter.
        Valid(
            """
            for a in xs:
                for b in ys:
                    total += 1
                    if a.k == b.k:
                        print(a)
            """
        ),
        # An if with an else branch runs for every pair anyway.
        Valid(
            """
            for a in xs:
                for b in ys:
                    if a.k == b.k:
                        same(a, b)
                    else:
                        different(a, b)
            """
        ),
        # A literal inner collection.
        Valid(
            """
            for a in xs:
                for b in ("x", "y"):
                    if a.kind == b:
                        print(a)
            """
        ),
        # Both sides are keys of the inner item.
        Valid(
            """
            for a in xs:
                for b in ys:
                    if b.k == b.j:
                        print(a)
            """
        ),
        # The inner collection is rebuilt in the outer loop.
        Valid(
            """
            for a in xs:
                ys = load(a)
                for b in ys:
                    if a.k == b.k:
                        print(b)
            """
        ),
    ]
    invalid = [
        # The join spelled as a guard: pairs with different keys are skipped.
        Invalid(
            """
            def apply_payments(invoices, txns):
                for txn in txns:
                    for inv in invoices:
                        if inv.customer_id != txn.customer_id:
                            continue
                        inv.paid += txn.amount
            """
        ),
        # A key held in an attribute (a generic repository's ``self.key``) is still one fixed key.
        Invalid(
            """
            class Repo:
                key = "id"

                def __init__(self, rows):
                    self.rows = rows

                def get_many(self, pks):
                    return [r for pk in pks for r in self.rows if r[self.key] == pk]
            """
        ),
        # The key hoisted into a local of the outer body.
        Invalid(
            """
            def late(shipments, carriers):
                out = []
                for s in shipments:
                    code = s["carrier"]
                    for c in carriers:
                        if c["code"] == code:
                            out.append((s, c))
                return out
            """
        ),
        # A `while` loop over the outer items, the key picked in its body.
        Invalid(
            """
            def match(orders, fills):
                out = []
                i = 0
                while i < len(orders):
                    order = orders[i]
                    for fill in fills:
                        if fill["order_ref"] == order["ref"]:
                            out.append((order, fill))
                    i += 1
                return out
            """
        ),
        Invalid(
            """
            for order in orders:
                for customer in customers:
                    if order.customer_id == customer.id:
                        order.customer = customer
                        break
            """
        ),
        Invalid(
            """
            def f(rows, refs, key):
                for r in rows:
                    for ref in refs:
                        if ref["id"] == r[key] and ref["active"]:
                            yield r, ref
            """
        ),
        Invalid(
            """
            pairs = [(a, b) for a in left for b in right if a.name == b.name]
            """
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        outer = self.context.innermost_loop
        if outer is None or not isinstance(outer.node, (cst.For, cst.While)):
            return
        statements = body_statements(node)
        guard = _skip_guard(statements)  # ``if inv.customer_id != txn.customer_id: continue``
        if guard is None and (len(statements) != 1 or not isinstance(statements[0], cst.If) or statements[0].orelse is not None):
            return
        if names_used(node.iter) & bound_names(outer.node.body):
            return
        # The outer item: a ``for`` loop's target, and names its body binds to the item or a key
        # of it (``ref = o["ref"]``; ``order = orders[i]`` or ``job = queue.pop()`` in a ``while``).
        if isinstance(outer.node, cst.For):
            targets = names_in_target(outer.node.target)
            if names_used(node.iter) & targets:
                return
            outer_iter: Optional[cst.BaseExpression] = outer.node.iter
            outer_names = targets | _item_names(outer.node, targets)
        else:
            outer_iter, outer_names = None, _item_names(outer.node, set())
        self._check(outer_iter, outer_names, node.iter, names_in_target(node.target), guard or statements[0].test, guard is not None)

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._comprehension(node)

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._comprehension(node)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._comprehension(node)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._comprehension(node)

    def _comprehension(self, node: cst.CSTNode) -> None:
        outer: cst.CompFor = node.for_in  # type: ignore[attr-defined]
        inner = outer.inner_for_in
        if inner is None or inner.inner_for_in is not None or not inner.ifs:
            return
        outer_names = names_in_target(outer.target)
        if names_used(inner.iter) & outer_names:
            return
        for comp_if in inner.ifs:
            self._check(outer.iter, outer_names, inner.iter, names_in_target(inner.target), comp_if.test)

    def _check(
        self,
        outer_iter: Optional[cst.BaseExpression],
        outer_names: set[str],
        inner_iter: cst.BaseExpression,
        inner_names: set[str],
        test: cst.BaseExpression,
        guard: bool = False,
    ) -> None:
        if not outer_names or not inner_names or outer_names & inner_names:
            return
        if (outer_iter is not None and literal_elements(outer_iter) is not None) or literal_elements(inner_iter) is not None:
            return
        for comparison in _equalities(test, allow_not_equal=guard):
            left, right = comparison.left, comparison.comparisons[0].comparator
            for mine, theirs in ((left, right), (right, left)):
                outer_key = _key_of(mine, outer_names, inner_names)
                inner_key = _key_of(theirs, inner_names, outer_names)
                if outer_key is None or inner_key is None or (outer_key == "name" and inner_key == "name"):
                    continue
                message = (
                    f"nested loops compare `{code_of(comparison)}` for every pair (O(n·m)); "
                    "index the inner items by key in a dict first"
                )
                self.report(comparison, message)
                return


def _item_names(outer: cst.CSTNode, targets: set[str]) -> set[str]:
    """Names the outer loop's body binds, by a plain statement of its own, to a path into the
    current item (``ref = o["ref"]``, ``key = o.key``) or, in a ``while`` loop, to the next item
    of a collection (``order = orders[i]``, ``job = pending.pop()``). Anything else bound there
    (``task = iterator.next_task()``, a templated name) may not be a key of an item of a
    collection at all."""
    found: set[str] = set()
    for statement in body_statements(outer):
        for small in small_statements(statement):
            if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)):
                continue
            value = small.value
            base = value
            while isinstance(base, (cst.Attribute, cst.Subscript)):
                base = base.value
            if isinstance(base, cst.Name) and base is not value and base.value in targets | found:
                found.add(small.targets[0].target.value)
            elif isinstance(outer, cst.While) and _next_item(value):
                found.add(small.targets[0].target.value)
    return found


def _next_item(value: cst.BaseExpression) -> bool:
    """``items[i]`` (a name indexed by a name or a number) or ``items.pop(...)``/``popleft()``."""
    if isinstance(value, cst.Subscript):
        if not isinstance(value.value, cst.Name) or len(value.slice) != 1:
            return False
        index = value.slice[0].slice
        return isinstance(index, cst.Index) and isinstance(index.value, (cst.Name, cst.Integer))
    return (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Attribute)
        and value.func.attr.value in ("pop", "popleft")
        and isinstance(value.func.value, cst.Name)
    )


def _equalities(test: cst.BaseExpression, allow_not_equal: bool = False) -> Iterator[cst.Comparison]:
    """``a == b`` comparisons that decide the test: the test itself or an operand of ``and``
    (``allow_not_equal``: the test is a lone ``a != b`` that skips the rest of the body)."""
    if allow_not_equal:
        yield test  # type: ignore[misc]
        return
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And) and not test.lpar:
        yield from _equalities(test.left)
        yield from _equalities(test.right)
    elif (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.Equal)
    ):
        yield test


def _is_not_equal(test: cst.BaseExpression) -> bool:
    return isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(test.comparisons[0].operator, cst.NotEqual)


def _skip_guard(statements) -> Optional[cst.Comparison]:
    """The ``a != b`` of a first statement ``if a != b: continue`` (no ``else``) followed by the
    rest of the body: the body runs only for the pairs with equal keys, a join like ``if a == b:``."""
    if len(statements) < 2 or not isinstance(statements[0], cst.If) or statements[0].orelse is not None:
        return None
    first = statements[0]
    if not _is_not_equal(first.test):
        return None
    inner = body_statements(first)
    if len(inner) != 1 or not isinstance(inner[0], cst.SimpleStatementLine) or len(inner[0].body) != 1:
        return None
    if not isinstance(inner[0].body[0], cst.Continue):
        return None
    return first.test  # type: ignore[return-value]


def _key_of(node: cst.BaseExpression, own: set[str], other: set[str]) -> Optional[str]:
    """"name" for the loop variable itself, "key" for ``x.a.b`` or ``x["k"]`` / ``x[k]`` /
    ``x[self.k]`` (``k``, ``self`` not loop variables), None for anything else."""
    if isinstance(node, cst.Name):
        return "name" if node.value in own else None
    base = node
    while isinstance(base, (cst.Attribute, cst.Subscript)):
        if isinstance(base, cst.Subscript):
            if len(base.slice) != 1 or not isinstance(base.slice[0].slice, cst.Index):
                return None
            index = base.slice[0].slice.value
            root = index
            while isinstance(root, cst.Attribute):  # ``r[self.key]``, ``r[cls.KEY]``: a fixed key
                root = root.value
            if not isinstance(root, (cst.SimpleString, cst.Integer, cst.Name)) or (root is not index and not isinstance(root, cst.Name)):
                return None
            if isinstance(root, cst.Name) and root.value in own | other:
                return None
        base = base.value
    if isinstance(base, cst.Name) and base.value in own:
        return "key"
    return None
