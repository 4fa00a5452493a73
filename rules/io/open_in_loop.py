"""PF407 open-in-loop."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import bound_names, dotted_name, iter_own_nodes, runs_fixed_times, variables, while_walk_names
from perflint.cst_walk import children
from perflint.rules.database._loops import is_small_literal_loop
from perflint.context import names_in_target
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid
from perflint.rules.io._per_item import PerItem


_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


class OpenInLoop(Rule):
    """
    ## What it does
    Flags a `for` loop whose body opens the same file for appending on every
    iteration: `with open(path, "a") as f:`, `open(path, "a").write(...)`,
    `csv.writer(open(path, "a"))`, `path.open("a")` (pathlib), anywhere in
    the loop body (a branch included, not a nested loop), with a path the
    loop never changes.

    ## Why is this slow?
    Each `open` is a system call that looks the path up, creates a buffer
    and a text wrapper, and each close flushes and closes the descriptor:
    the loop pays all of that for every few bytes it writes. Opened once,
    the writes go to one buffer and reach the disk in large blocks.
    Measured with `timeit` on Python 3.11, appending 1,000 short rows to a
    temporary file took 33.4 ms with an `open` per row and 0.036 ms with one
    `open` around the loop.

    ## Example
    ```python
    for row in rows:
        with open(path, "a") as f:
            f.write(row)
    ```

    ## Use instead
    ```python
    with open(path, "a") as f:
        for row in rows:
            f.write(row)
    ```

    ## Fix safety
    When the `with` statement is the whole loop body, the fix moves it
    around the loop. It is unsafe: the file is created even when the loop
    does not run, the rows reach the disk when the file is closed rather
    than after each row (another reader sees them later, a crash in the
    middle loses what was buffered), and the file stays open between
    iterations (log rotation, other writers). Other shapes get no fix.

    ## Known false positives
    Loops that append on purpose one row at a time so that each row is on
    disk before the next step (progress or checkpoint files in long jobs).
    Only append modes are flagged: opening with `"w"` in a loop truncates
    the file each time, which is a different intent. `while` loops (event
    and polling loops) and loops that sleep are not flagged, except a
    `while` loop that walks a list (`while rows: row = rows.pop()`, or an
    index walk ending in `i += 1`), which is judged like a `for` loop.

    Judged on the Python 3.11.7 standard library (test/, tests/, idlelib/,
    lib2to3/ and site-packages excluded) and the sdists of aiohttp 3.9.5,
    httpx 0.27.0, httpie 3.2.2, discord.py 2.3.2, python-gitlab 4.4.0, pip
    24.0 (with its vendored packages), pre-commit 3.7.1 and sphinx 7.3.7
    (their tests included), reading every finding: no findings, so precision
    on real code is unmeasured; the examples above are the evidence.

    Also flagged (2026-12-07): an append-mode `open` of a fixed path in a
    function of the module that a loop calls directly (`note(msg)` writing
    to a log file, called per item). On the stdlib 3.11.7 and the sdists of
    fastapi-users 13.0.0, pip-audit 2.7.3, cookiecutter 2.6.0, twine 5.1.1,
    gallery-dl 1.27.7, streamlink 6.11.0, wikipedia 1.4.0, newspaper3k
    0.2.8, pre-commit 3.8.0 and the sdists of prefect 2.20.0, litestar
    2.12.1, locust 2.32.0, discord.py 2.4.0, yfinance 0.2.50, pvlib 0.11.2
    and ansible-core 2.17.0: no new finding.
    """

    code = "PF407"
    name = "open-in-loop"
    level = Level.IO
    message = "The same file is opened for appending on every iteration; open it once around the loop"
    weight = 1.5
    triggers = ("open",)
    # Every finding is an `open` with a literal append mode, in a loop or in a helper a loop of
    # the module calls once per item (which has no loop of its own).
    needs = ("open(append)",)
    benchmark = Benchmark(
        setup="import tempfile, os\nfd, path = tempfile.mkstemp()\nos.close(fd)\nrows = [f'row {i}\\n' for i in range(1000)]",
        slow="for row in rows:\n    with open(path, 'a') as f:\n        f.write(row)",
        fast="with open(path, 'a') as f:\n    for row in rows:\n        f.write(row)",
        size="1,000 rows",
    )

    valid = [
        # The pipeline opens its file once, in `open_spider`.
        Valid(
            "import json\nclass Feed:\n    def open_spider(self, spider):\n        self.fh = open('feed.jsonl', 'a')\n"
            "    def process_item(self, item, spider):\n        self.fh.write(json.dumps(item))\n        return item\n"
        ),
        # Helpers: the file is the caller's (a parameter), the helper runs per request, or once.
        Valid("def note(path, msg):\n    with open(path, 'a') as fh:\n        fh.write(msg)\ndef f(items, p):\n    for i in items:\n        note(p + i, i)\n"),
        Valid("def note(msg):\n    with open('audit.log', 'a') as fh:\n        fh.write(msg)\ndef f(items):\n    note(str(len(items)))\n"),
        Valid("def note(msg):\n    with open('a.log', 'a') as fh:\n        fh.write(msg)\ndef f():\n    for level in ('x', 'y'):\n        note(level)\n"),
        # The path changes per iteration.
        Valid("for name in names:\n    with open(name, 'a') as f:\n        f.write('x')\n"),
        Valid("for row in rows:\n    path = row.path\n    with open(path, 'a') as f:\n        f.write(row.text)\n"),
        # Write mode truncates each time: a different intent.
        Valid("for state in states:\n    with open(path, 'w') as f:\n        f.write(state)\n"),
        # Reading.
        Valid("for key in keys:\n    with open(path) as f:\n        print(key in f.read())\n"),
        # Event loops and paced loops.
        Valid("while True:\n    event = queue.get()\n    with open(path, 'a') as f:\n        f.write(event)\n"),
        Valid("import time\nfor row in rows:\n    with open(path, 'a') as f:\n        f.write(row)\n    time.sleep(1)\n"),
        # Opened once already; opened once before leaving the loop.
        Valid("with open(path, 'a') as f:\n    for row in rows:\n        f.write(row)\n"),
        Valid("for row in rows:\n    if row.bad:\n        with open(path, 'a') as f:\n            f.write(row)\n        break\n"),
        # A loop over a literal list: three reports, three opens.
        Valid(
            "for name, count in [('a', 1), ('b', 2), ('c', 3)]:\n    if count:\n"
            "        with open(REPORT, 'a') as f:\n            print(name, file=f)\n"
        ),
        # Path.open for reading; a zip member opened by name; a path that changes.
        Valid("for key in keys:\n    with CONFIG.open() as f:\n        print(key in f.read())\n"),
        Valid("for name in names:\n    with archive.open(name) as f:\n        f.read()\n"),
        Valid("for row in rows:\n    with (OUT / row.day).open('a') as f:\n        f.write(row.text)\n"),
        # A mode that is not a literal; an encoding that changes.
        Valid("for row in rows:\n    with open(path, mode) as f:\n        f.write(row)\n"),
        Valid("for enc, row in rows:\n    with open(path, 'a', encoding=enc) as f:\n        f.write(row)\n"),
    ]
    invalid = [
        # A Scrapy pipeline step appends to the feed once per scraped item.
        Invalid(
            "import json\nclass Feed:\n    def process_item(self, item, spider):\n"
            "        with open('feed.jsonl', 'a') as fh:\n            fh.write(json.dumps(item))\n        return item\n",
            fixed=None,
        ),
        # A helper that a loop of the module calls once per item: one call away.
        Invalid(
            "LOG = '/var/log/sync.log'\ndef note(msg):\n    fh = open(LOG, 'a')\n    fh.write(msg)\n    fh.close()\n"
            "def sync(names):\n    for name in names:\n        note(name)\n",
            fixed=None,
        ),
        # An index walk written as a `while` loop: message only.
        Invalid(
            """
            def append_rows(path, rows):
                i = 0
                while i < len(rows):
                    with open(path, mode="ab") as fh:
                        fh.write(rows[i])
                    i += 1
            """,
            fixed=None,
        ),
        Invalid(
            """
            def save(rows, path):
                # one line per row
                for row in rows:
                    with open(path, "a", encoding="utf-8") as f:
                        f.write(row.to_csv())
                        f.write("\\n")
            """,
            fixed="""
            def save(rows, path):
                # one line per row
                with open(path, "a", encoding="utf-8") as f:
                    for row in rows:
                        f.write(row.to_csv())
                        f.write("\\n")
            """,
            unsafe=True,
        ),
        # More in the body than the with statement: message only.
        Invalid(
            """
            for i, row in enumerate(rows):
                line = format_row(row)
                with open(LOG, mode="ab") as f:
                    f.write(line)
            """,
            fixed=None,
        ),
        Invalid(
            """
            for row in rows:
                open(self.path, "a").write(row)
            """,
            fixed=None,
        ),
        # pathlib, in a reject branch of the loop.
        Invalid(
            """
            import csv
            from pathlib import Path

            REJECTS = Path("/data/rejects.csv")

            def merge(rows, blocked):
                for row in rows:
                    if row["domain"] in blocked:
                        with REJECTS.open("a", newline="") as rej:
                            csv.writer(rej).writerow([row["email"], "blocked"])
                        continue
                    yield row
            """,
            fixed=None,
        ),
        Invalid(
            """
            import csv

            def log_rows(rows, path):
                for row in rows:
                    csv.writer(open(path, "a", newline="")).writerow(row)
            """,
            fixed=None,
        ),
    ]

    def __init__(self, context, options=None) -> None:
        super().__init__(context, options)
        self._per_item = PerItem(context)

    def report(self, node, message=None, *, fix=None) -> None:
        context = self.context
        loops = context.loops
        if loops and all(runs_fixed_times(loop.node, context.facts, context.is_local, context.is_literal_local) for loop in loops):
            return  # a few written-out items (what ``Rule.report`` does for ``loop_only`` rules)
        super().report(node, message, fix=fix)

    def visit_Call(self, node: cst.Call) -> None:
        """``def note(msg): open(LOG, "a").write(msg)`` with ``note`` called per item by a loop
        of the module: the same file opened once per item, one call away."""
        context = self.context
        scope = context.scope
        if context.in_loop or scope.kind != "function" or not isinstance(scope.node.body, cst.IndentedBlock):
            return
        for opened, path in self._appending_opens([node]):
            why = self._per_item.per_item_helper()
            if why is None:
                return
            own = list(self._own_statement_nodes(scope.node.body))
            if any(self._is_sleep(n) for n in own):
                return
            params = scope.node.params
            changed = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
            changed |= {p.name.value for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)}
            if self._invariant(opened, path, changed | bound_names(scope.node.body), scope.node.body):
                self.report(
                    opened,
                    f"The same file is opened for appending on every call of `{context.function_name}`, which runs "
                    f"once per item ({why}); open it once around the loop and pass the file in",
                )

    def visit_While(self, node: cst.While) -> None:
        """``while rows: row = rows.pop()`` / ``while i < len(rows): ... i += 1``: a walk over
        items, judged like a ``for`` loop (event and polling loops are not walks)."""
        walked = while_walk_names(node)
        if not walked or not isinstance(node.body, cst.IndentedBlock):
            return
        own = list(self._own_statement_nodes(node.body))
        if any(self._is_sleep(n) for n in own):
            return
        changed = walked | bound_names(node.body)
        for opened, path in self._appending_opens(own):
            if self._invariant(opened, path, changed, node.body):
                self.report(opened)

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None or not isinstance(node.body, cst.IndentedBlock):
            return
        own = list(self._own_statement_nodes(node.body))
        if any(self._is_sleep(n) for n in own):
            return
        if any(isinstance(n, (cst.Break, cst.Return)) for n in own):
            return  # written at most once before leaving the loop
        if is_small_literal_loop(self.context, node, self.context.facts.literal_names):
            return  # a few iterations fixed in the code
        changed = names_in_target(node.target) | bound_names(node.body)
        statements = node.body.body
        for opened, path in self._appending_opens(own):
            if not self._invariant(opened, path, changed, node.body):
                continue
            fix = None
            statement = statements[0]
            if (
                len(statements) == 1
                and isinstance(statement, cst.With)
                and len(statement.items) == 1
                and statement.items[0].item is opened
                and node.orelse is None
            ):
                fix = self._fix(node, statement)
            self.report(opened, fix=fix)

    def _own_statement_nodes(self, body: cst.CSTNode):
        """Nodes of the loop body that run once per iteration of this loop: not in nested
        loops (their own visit judges them), functions, lambdas or classes."""
        stack = list(reversed(children(body)))
        while stack:
            node = stack.pop()
            yield node
            if isinstance(node, (cst.For, cst.While, cst.FunctionDef, cst.Lambda, cst.ClassDef, *_COMPREHENSIONS)):
                continue
            stack.extend(reversed(children(node)))

    def _appending_opens(self, nodes):
        """``open(path, "a...")`` (with, assigned, chained, inside ``csv.writer(...)``) and
        ``path.open("a...")``, with the expression naming the file."""
        for node in nodes:
            if not isinstance(node, cst.Call):
                continue
            if self.context.call_name(node) in ("builtins.open", "io.open"):
                if self._mode(node, 1) is not None and node.args and node.args[0].keyword is None:
                    yield node, node.args[0].value
            elif isinstance(node.func, cst.Attribute) and node.func.attr.value == "open":
                mode = self._mode(node, 0)
                if mode is not None and set(mode) <= set("abt+"):
                    yield node, node.func.value

    def _mode(self, call: cst.Call, position_of_mode: int) -> Optional[str]:
        for position, arg in enumerate(call.args):
            if arg.star:
                return None
            if (arg.keyword is None and position == position_of_mode) or (arg.keyword and arg.keyword.value == "mode"):
                if isinstance(arg.value, cst.SimpleString):
                    mode = str(arg.value.evaluated_value)
                    return mode if "a" in mode else None
                return None
        return None

    def _invariant(self, call: cst.Call, path: cst.BaseExpression, changed: set[str], body: cst.CSTNode) -> bool:
        if variables(call) & changed:
            return False  # the path, encoding or another argument changes in the loop
        if isinstance(path, (cst.SimpleString, cst.ConcatenatedString)):
            return True
        if isinstance(path, cst.BinaryOperation) and isinstance(path.operator, cst.Divide):
            # base / "name": a pathlib join of unchanged parts
            return all(self._plain_part(part, changed, body) for part in (path.left, path.right))
        return self._plain_part(path, changed, body)

    def _plain_part(self, path: cst.BaseExpression, changed: set[str], body: cst.CSTNode) -> bool:
        if isinstance(path, (cst.SimpleString, cst.ConcatenatedString)):
            return True
        written = dotted_name(path)
        if written is None or written.split(".")[0] in changed:
            return False
        if "." in written:  # an attribute: not assigned anywhere in the loop
            for node in iter_own_nodes(body):
                if isinstance(node, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign)):
                    if dotted_name(node.target) == written:
                        return False
        return True

    def _is_sleep(self, node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Call) and (self.context.call_name(node) or "").endswith(".sleep")

    def _fix(self, loop: cst.For, with_statement: cst.With) -> FixSpec:
        inner = loop.with_changes(body=with_statement.body, leading_lines=[])
        outer = with_statement.with_changes(body=cst.IndentedBlock(body=[inner]), leading_lines=loop.leading_lines)
        return FixSpec("Open the file once, around the loop", {loop: outer}, safe=False)
