"""PF103 list-pop-front."""

from __future__ import annotations

import ast
from typing import Optional

import libcst as cst
from perflint.analysis import (
    Binding,
    built_from_command_line,
    ScopeAware,
    ScopeIndex,
    code_of,
    exits_after,
    iter_nodes,
    is_list_expr,
    literal_elements,
    runs_fixed_times,
    use_of,
)
from perflint.model import Level
from perflint.rule import Benchmark, ExpressionCode, FixSpec, Invalid, LaterFix, Rule, Valid

# How the list may be used for the deque rewrite to be exact.
_QUEUE_METHODS = frozenset({"append", "extend", "pop", "insert", "clear", "count", "remove"})
_QUEUE_BUILTINS = frozenset({"builtins.len", "builtins.bool"})


class ListPopFront(ScopeAware, Rule):
    """
    ## What it does
    Flags `q.pop(0)` and `q.insert(0, x)` inside a loop when `q` holds a list,
    as the inference layer (`perflint.infer`) tells: a list display,
    comprehension, `list(...)` or `sorted(...)`, a parameter annotated as a
    list (or used as a queue: `.pop(0)` with `.append()`, which neither a
    deque nor a dict allows), or `self.q = []` in a method of the class.

    ## Why is this slow?
    A list stores its items in one array. Removing or inserting at the front
    moves every other item, so draining a list of `n` items from the front costs
    O(n²). `collections.deque` adds and removes at both ends in O(1). Measured
    (best of 25 interleaved `timeit` runs on Python 3.11, on this project's
    shared 2-core machine): draining 10,000 items with `list.pop(0)` took 9.1
    ms, with `deque.popleft()` 0.28 ms (about 32x faster).

    ## Example
    ```python
    def bfs(start):
        queue = [start]
        while queue:
            node = queue.pop(0)
            queue.extend(node.children)
    ```

    ## Use instead
    ```python
    from collections import deque

    def bfs(start):
        queue = deque([start])
        while queue:
            node = queue.popleft()
            queue.extend(node.children)
    ```

    ## Fix safety
    The fix (binding → `deque(...)`, `pop(0)` → `popleft()`, `insert(0, x)` →
    `appendleft(x)`, plus the import) is offered only when the list cannot be
    told apart from a deque: it is bound once, by a list display or
    `list(...)`, in a function, and every other use is `append`, `extend`,
    `pop()`, `pop(0)`, `insert(0, x)`, `clear`, `count`, `remove`, `len(q)`,
    `bool(q)`, a truth test or an `in` test. Indexing, slicing, sorting,
    iterating (a deque raises if it changes during iteration), returning,
    passing it to a call, an annotation or a closure all leave the finding
    without a fix. Under these conditions the fix is safe.

    ## Known false positives
    A list that stays tiny (a handful of items) pays little for the shift.
    The rule does not fire on `deque.popleft()`, `dict.pop(0)`, or on names
    that are not provably lists (an unannotated parameter with only `pop(0)`,
    bindings that disagree); nor in loops over literal displays or
    `range(<literal>)`, on a list rebound inside the loop (re-sorting it,
    `q = sorted(q, key=cost)`, keeps the same list), when a
    `return`/`raise` follows in the same block, or in a `while` loop whose
    condition reads the list's first item (stripping leading header lines
    stops at the first line kept). Outside loops it does not fire, even on
    a class's list used as a FIFO buffer (`self.pushback.pop(0)` per call):
    on the standard library every such buffer read was a handful of items.
    Attributes count on `self` and on a parameter annotated with a class
    whose field is a list (`course.waitlist.pop(0)`, `course: Course`).
    What one command line typed is small: a loop over an option the module
    declares with `add_argument` (`for path in self.args.input_paths`), and
    `self.names.pop(0)` where every value of `self.names` is `[]` or built
    from such an option (`self.args.tables.split(",")`), are not reported
    (csvkit's `csvsql` takes one table name per input file).
    These two additions (2026-12-07) add no finding on the standard library
    or 12 PyPI projects (networkx, ansible-core, superset, seaborn, pvlib,
    pyjanitor, mlxtend, yfinance, sqlglot, datasette, Faker, pelican).
    Precision: 5 of 5 findings on the Python 3.11 standard library judged
    correct, 2026-11-27 (after narrowing: a loop over `range(4)`, a list
    rebound on every iteration and an insert followed by `return` were false
    positives); also 13 of 13 in this project's installed site-packages
    (1,860 files) and 6 of 6 in Debian's /usr/lib/python3/dist-packages
    (1,382 files).
    """

    code = "PF103"
    name = "list-pop-front"
    level = Level.ALGORITHM
    message = "`list.pop(0)` / `list.insert(0, x)` in a loop moves every item; use `collections.deque`"
    weight = 3.5
    triggers = ("pop", "insert")
    loop_only = True
    needs = ("front-list",)
    benchmark = Benchmark(
        setup="from collections import deque\nitems = list(range(10_000))",
        slow="q = list(items)\nwhile q:\n    q.pop(0)",
        fast="q = deque(items)\nwhile q:\n    q.popleft()",
        size="draining 10,000 items",
    )

    valid = [
        # ``.all()`` of a query that is not ``query(Model)``: what it returns is unknown.
        Valid(
            """
            def drain(client):
                hits = client.query("SELECT 1").all()
                while hits:
                    hits.pop(0)
            """
        ),
        # A parameter without an annotation: what its attribute holds is unknown; and a
        # parameter rebound in the function.
        Valid(
            """
            from dataclasses import dataclass, field

            @dataclass
            class Course:
                waitlist: list[int] = field(default_factory=list)

            def promote(course, other: Course, seats):
                other = pick(other)
                while seats > 0:
                    enrol(course.waitlist.pop(0), other.waitlist.pop(0))
                    seats -= 1
            """
        ),
        # A deque already.
        Valid(
            """
            from collections import deque
            def f(start):
                q = deque([start])
                while q:
                    node = q.popleft()
                    q.extend(node.children)
            """
        ),
        # A dict: pop(0) removes the key 0.
        Valid(
            """
            def f(keys):
                d = {0: "a", 1: "b"}
                for k in keys:
                    d.pop(0)
            """
        ),
        # Not provably a list (a parameter).
        Valid(
            """
            def f(q):
                while q:
                    q.pop(0)
            """
        ),
        # Not in a loop: one shift.
        Valid(
            """
            def f(args):
                args = list(args)
                first = args.pop(0)
                return first, args
            """
        ),
        # pop from the end.
        Valid(
            """
            def f():
                stack = [1]
                while stack:
                    stack.pop()
            """
        ),
        # A loop that runs a fixed number of times: the list stays small.
        Valid(
            """
            def f(x):
                data = []
                for i in range(4):
                    x, m = divmod(x, 256)
                    data.insert(0, m)
                return data
            """
        ),
        # A fresh list on every iteration: one front operation each.
        Valid(
            """
            def f(opts):
                for opt in opts:
                    libs = opt.split()
                    if opt:
                        libs.insert(0, "-L")
                    print(libs)
            """
        ),
        # Followed by `return`: runs once per call.
        Valid(
            """
            def f(path):
                tail = []
                while path:
                    if path[-1]:
                        tail.insert(0, path[-1])
                        return tail
                    path.pop()
            """
        ),
        # pop(1) and insert(1, x) are not front operations deque could take over.
        Valid(
            """
            def f(xs):
                items = list(xs)
                while len(items) > 1:
                    items.pop(1)
                    items.insert(1, 0)
            """
        ),
        # Stripping leading header lines: the loop stops at the first line that is kept.
        Valid(
            """
            def f(lines: list[str]):
                while lines and lines[0].startswith("#"):
                    lines.pop(0)
                return lines
            """
        ),
        # An attribute the class keeps as a deque.
        Valid(
            """
            from collections import deque

            class Jobs:
                def __init__(self):
                    self.pending = deque()

                def drain(self, worker):
                    while self.pending:
                        worker(self.pending.pop())
            """
        ),
        # Table names typed on the command line, one taken per input file.
        Valid(
            """
            class SqlTool:
                def add_arguments(self):
                    self.argparser.add_argument("--tables", dest="table_names")

                def main(self):
                    self.table_names = []
                    if self.args.table_names:
                        self.table_names = self.args.table_names.split(",")
                    for f in self.input_files:
                        name = self.table_names.pop(0) if self.table_names else f.name
                        self.load(f, name)
            """
        ),
        # A loop over the files the command line names.
        Valid(
            """
            import argparse

            def main():
                parser = argparse.ArgumentParser()
                parser.add_argument("paths", nargs="*")
                args = parser.parse_args()
                queue = [open_table(p) for p in args.paths]
                for path in args.paths:
                    queue.pop(0)
            """
        ),
    ]
    invalid = [
        # SQLAlchemy 1.x: ``.all()`` of ``<session>.query(Model)...`` is a list, whatever the
        # session is called (Pyramid's ``request.dbsession``).
        Invalid(
            """
            def ship(request):
                queue = request.dbsession.query(Line).filter(Line.backordered).all()
                while queue:
                    line = queue.pop(0)
                    line.ship()
            """
        ),
        # Flask-SQLAlchemy: ``Model.query...all()`` is a list too.
        Invalid(
            """
            def ship():
                queue = Line.query.filter_by(backordered=True).order_by(Line.id).all()
                while queue:
                    line = queue.pop(0)
                    line.ship()
            """
        ),
        # A list field of a parameter annotated with a dataclass of the module.
        Invalid(
            """
            from dataclasses import dataclass, field

            @dataclass
            class Course:
                waitlist: list[int] = field(default_factory=list)

            def promote(course: Course, seats):
                while seats > 0 and course.waitlist:
                    enrol(course.waitlist.pop(0))
                    seats -= 1
            """
        ),
        # Re-sorted in the loop: still the same items, drained from the front.
        Invalid(
            """
            def cheapest_first(costs):
                frontier = list(costs)
                while frontier:
                    frontier = sorted(frontier, key=costs.get)
                    use(frontier.pop(0))
            """
        ),
        # A worklist extended with `+=` in the loop is still the same list.
        Invalid(
            """
            def walk(tree, extra):
                stack = [tree]
                while stack:
                    node = stack.pop(0)
                    stack += extra.get(node, [])
            """
        ),
        # An attribute built as a list in __init__ and drained elsewhere: no fix (other methods use it).
        Invalid(
            """
            class Jobs:
                def __init__(self):
                    self.pending = []

                def drain(self, worker):
                    while self.pending:
                        worker(self.pending.pop(0))
            """
        ),
        # A parameter annotated as a list, and one used as a queue.
        Invalid(
            """
            def run(jobs: list, worker):
                while jobs:
                    worker(jobs.pop(0))

            def walk(queue):
                while queue:
                    node = queue.pop(0)
                    queue.append(node.left)
            """
        ),
        Invalid(
            """
            def bfs(start):
                queue = [start]
                while queue:
                    node = queue.pop(0)
                    queue.extend(node.children)
            """,
            fixed="""
            from collections import deque


            def bfs(start):
                queue = deque([start])
                while queue:
                    node = queue.popleft()
                    queue.extend(node.children)
            """,
        ),
        Invalid(
            """
            import collections

            def f(xs):
                out = list()
                for x in xs:
                    out.insert(0, x)
                    if len(out) > 10:
                        out.pop()
                return len(out)
            """,
            fixed="""
            import collections
            from collections import deque

            def f(xs):
                out = deque()
                for x in xs:
                    out.appendleft(x)
                    if len(out) > 10:
                        out.pop()
                return len(out)
            """,
        ),
        # Unusual spacing.
        Invalid(
            """
            def f(jobs):
                todo = list(jobs)
                while todo:
                    run(todo . pop (0))
            """,
            fixed="""
            from collections import deque


            def f(jobs):
                todo = deque(jobs)
                while todo:
                    run(todo . popleft ())
            """,
        ),
        # Indexed and returned: a deque would not do; message only.
        Invalid(
            """
            def f(xs):
                pending = sorted(xs)
                done = []
                while pending:
                    item = pending.pop(0)
                    if pending and pending[0] == item:
                        done.append(item)
                return pending
            """
        ),
        # `deque` means something else here: spelled `collections.deque`.
        Invalid(
            """
            from mylib import deque

            def f(xs):
                q = [1, 2]
                while q:
                    q.pop(0)
            """,
            fixed="""
            import collections

            from mylib import deque

            def f(xs):
                q = collections.deque([1, 2])
                while q:
                    q.popleft()
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if not _is_front_call(node) or not self.context.in_loop:
            return
        receiver = node.func.value  # type: ignore[attr-defined]
        loops = self.context.loops
        if isinstance(receiver, cst.Name):
            index = self.scope_index()
            if index is None or not self.is_scope_read(index, receiver):
                return
            inferred = self.context.kind_of(receiver)
            if inferred.kind != "list":
                return
            bindings = index.bindings.get(receiver.value, [])
            # Rebound inside the loop: each list sees one front operation per iteration
            # (``stack += more`` in the loop grows the same list: not a rebinding).
            if any(
                b.kind != "augassign" and index.contains(loops[-1].node, b.node) and not _reordered(self.context, b, receiver.value)
                for b in bindings
            ):
                return
        elif _is_self_attribute(receiver) or self._parameter_attribute(receiver):
            index = self.scope_index()
            inferred = self.context.kind_of(receiver)
            if index is None or inferred.kind != "list" or self._typed_on_command_line(receiver):
                return
        else:
            return
        if all(runs_fixed_times(loop.node, self.context.facts, self.context.is_local, self.context.is_literal_local) for loop in loops) or _strips_leading_items(loops[-1].node, receiver):
            return
        if exits_after(index, node, len(loops)):
            return
        if isinstance(receiver, cst.Name):
            local = bool(bindings) and all(self._binds_list(b) for b in bindings)
            fix = self._fix(index, receiver.value) if local else None
            message = self.message if local else f"{self.message} ({inferred.evidence})"
        else:
            fix, message = None, f"{self.message} ({inferred.evidence})"
        self.report(node, message, fix=fix)

    def _typed_on_command_line(self, receiver: cst.BaseExpression) -> bool:
        """``self.tables``, every value of which in its class is an empty list or is built from a
        command-line option (``self.args.tables.split(",")``): as long as what one command
        line typed."""
        scopes = self.context.scopes
        if not _is_self_attribute(receiver) or len(scopes) < 2 or not isinstance(scopes[-2].node, cst.ClassDef):
            return False
        facts = self.context.facts
        cls = facts.inference.classes.get(scopes[-2].node.name.value)
        values = cls.values.get(receiver.attr.value, []) if cls is not None else []  # type: ignore[attr-defined]
        built = [value for value, _ in values if not (isinstance(value, ast.List) and not value.elts)]
        return bool(built) and all(value is not None and built_from_command_line(value, facts) for value in built)

    def _parameter_attribute(self, node: cst.BaseExpression) -> bool:
        """``course.waitlist`` where ``course`` is a parameter annotated with a class (the
        inference layer knows its fields) and never rebound in the function."""
        if not (isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)):
            return False
        index = self.scope_index()
        bindings = index.bindings.get(node.value.value, []) if index is not None else []
        if len(bindings) != 1 or bindings[0].kind != "param":
            return False
        return isinstance(getattr(bindings[0].node, "annotation", None), cst.Annotation)

    def _binds_list(self, binding: Binding) -> bool:
        return binding.kind in ("assign", "annassign") and is_list_expr(self.context, binding.value)

    # --- the fix --------------------------------------------------------------

    def _fix(self, index: ScopeIndex, name: str) -> Optional[LaterFix]:
        if self.context.scope.kind != "function":
            return None
        bindings = index.bindings[name]
        if len(bindings) != 1 or bindings[0].kind != "assign":
            return None
        value = bindings[0].value
        deque_call = self._deque_callee(index)
        if deque_call is None:
            return None
        if isinstance(value, cst.List) and literal_elements(value) is not None:
            args = [cst.Arg(value)] if value.elements else []
        elif isinstance(value, cst.Call) and self.context.call_name(value) == "builtins.list":
            if len(value.args) > 1 or any(arg.keyword or arg.star for arg in value.args):
                return None
            args = list(value.args)
        else:
            return None
        fronts: list[cst.Call] = []
        for read in index.reads.get(name, []):
            use = use_of(index, self.context, read)
            if use.kind == "method" and use.detail in _QUEUE_METHODS:
                call = use.node
                if _is_front_call(call):
                    fronts.append(call)
                elif use.detail in ("pop", "insert") and not (use.detail == "pop" and not call.args):
                    return None  # pop(i) / insert(i, x) elsewhere in the list
                continue
            if use.kind in ("test", "in") or (use.kind == "pure-call" and self.context.call_name(use.node) in _QUEUE_BUILTINS):
                continue
            return None
        message = "Use a `collections.deque` with `popleft()` / `appendleft()`"
        callee, imports = deque_call

        def build() -> FixSpec:
            # Each replacement on its own (a fix makes them in one pass): one-line expressions
            # become edits straight from their positions, without rewriting the function.
            replacements: dict[cst.CSTNode, cst.CSTNode] = {value: cst.Call(func=callee, args=args)}
            replacements.update((call, _front_replacement(call)) for call in fronts)
            return FixSpec(message, replacements, imports=imports)

        def text(positions) -> Optional[FixSpec]:
            # The same replacements as their code, from the old nodes' own (no node built).
            made = _deque_text(value, "deque" if isinstance(callee, cst.Name) else "collections.deque")
            if made is None:
                return None
            replacements: dict = {value: ExpressionCode(made)}
            for call in fronts:
                front = _popleft_text(call)
                if front is None:
                    return None
                replacements[call] = ExpressionCode(lambda before, front=front: front)
            return FixSpec(message, replacements, imports=imports)

        return FixSpec.later(message, build, text=text)

    def _deque_callee(self, index: ScopeIndex) -> Optional[tuple[cst.BaseExpression, tuple[str, ...]]]:
        """How to spell ``deque`` here, and the import it needs; None if the name is taken."""
        facts = self.context.facts
        for spelling, imports in (
            ("deque", ("from collections import deque",)),
            ("collections.deque", ("import collections",)),
        ):
            head = spelling.split(".")[0]
            bound_here = head in index.bindings or head in index.closure_names or self.context.is_local(head)
            if bound_here:
                continue
            expected = "collections" if head == "collections" else "collections.deque"
            if head in facts.imports and facts.imports[head] != expected:
                continue
            if head in facts.own_names:
                continue
            node = cst.Name("deque") if head == "deque" else cst.Attribute(cst.Name("collections"), cst.Name("deque"))
            return node, imports
        return None


def _reordered(context, binding: Binding, name: str) -> bool:
    """``q = sorted(q, key=cost)``: the same items again, so the list (and its front
    operations) carries over from one iteration to the next."""
    value = binding.value
    return (
        binding.kind == "assign"
        and isinstance(value, cst.Call)
        and context.call_name(value) == "builtins.sorted"
        and bool(value.args)
        and isinstance(value.args[0].value, cst.Name)
        and value.args[0].value.value == name
        and not value.args[0].star
    )


def _is_self_attribute(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self"


def _strips_leading_items(loop: cst.CSTNode, receiver: cst.BaseExpression) -> bool:
    """``while lines and lines[0].startswith("#"): lines.pop(0)``: the loop stops at the first
    item that does not match, so it runs as often as there are leading items to strip."""
    if not isinstance(loop, cst.While):
        return False
    text = code_of(receiver)
    return any(
        isinstance(node, cst.Subscript) and code_of(node.value) == text and _first_index(node)
        for node in iter_nodes(loop.test)
    )


def _first_index(node: cst.Subscript) -> bool:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return False
    return _is_zero(node.slice[0].slice.value)


def _simple(*spaces) -> bool:
    return all(type(space) is cst.SimpleWhitespace for space in spaces)


def _deque_text(value: cst.BaseExpression, callee: str):
    """``build``'s ``deque`` call as a function of the old value's code (``ExpressionCode``):
    ``Call(func=callee, args=...)`` with libcst's default (empty) whitespace; None if not simple."""
    if getattr(value, "lpar", None):
        return None
    if type(value) is cst.List:
        if not value.elements:
            return lambda before: f"{callee}()"
        return lambda before: f"{callee}({before})"
    if type(value) is not cst.Call or type(value.func) is not cst.Name or value.func.lpar:
        return None
    after, before_args = value.whitespace_after_func, value.whitespace_before_args
    if not _simple(after, before_args) or after.value or before_args.value:
        return None
    head = value.func.value + "("
    return lambda before: callee + before[len(head) - 1 :] if before.startswith(head) else None


def _popleft_text(call: cst.Call) -> Optional[str]:
    """``_front_replacement``'s code for ``x.pop(0)``, from the old call's parts; None if not simple."""
    func = call.func
    if call.lpar or type(func) is not cst.Attribute or func.lpar or func.attr.value != "pop":
        return None
    receiver, dot = func.value, func.dot
    if type(receiver) is not cst.Name or receiver.lpar or type(dot) is not cst.Dot:
        return None
    if not _simple(dot.whitespace_before, dot.whitespace_after, call.whitespace_after_func, call.whitespace_before_args):
        return None
    return (
        f"{receiver.value}{dot.whitespace_before.value}.{dot.whitespace_after.value}popleft"
        f"{call.whitespace_after_func.value}({call.whitespace_before_args.value})"
    )


def _is_front_call(node: cst.CSTNode) -> bool:
    """``x.pop(0)`` or ``x.insert(0, y)`` with plain positional arguments."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return False
    if any(arg.keyword or arg.star for arg in node.args):
        return False
    method, args = node.func.attr.value, node.args
    if method == "pop" and len(args) == 1:
        return _is_zero(args[0].value)
    if method == "insert" and len(args) == 2:
        return _is_zero(args[0].value)
    return False


def _is_zero(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Integer) and (node.value == "0" or node.evaluated_value == 0)


def _front_replacement(call: cst.Call) -> cst.Call:
    method = "popleft" if call.func.attr.value == "pop" else "appendleft"  # type: ignore[attr-defined]
    args = [] if method == "popleft" else [call.args[1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    return call.with_changes(func=call.func.with_changes(attr=cst.Name(method)), args=args)  # type: ignore[attr-defined]
