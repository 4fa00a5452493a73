"""PF407 open-in-loop."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import bound_names, dotted_name, iter_own_nodes, variables
from perflint.context import names_in_target
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid


class OpenInLoop(Rule):
    """
    ## What it does
    Flags a `for` loop whose body opens the same file for appending on every
    iteration: `with open(path, "a") as f:` (or `open(path, "a").write(...)`)
    directly in the loop body, with a path the loop never changes.

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
    and polling loops) and loops that sleep are not flagged.

    Judged on the Python 3.11.7 standard library (test/, tests/, idlelib/,
    lib2to3/ and site-packages excluded) and the sdists of aiohttp 3.9.5,
    httpx 0.27.0, httpie 3.2.2, discord.py 2.3.2, python-gitlab 4.4.0, pip
    24.0 (with its vendored packages), pre-commit 3.7.1 and sphinx 7.3.7
    (their tests included), reading every finding: no findings, so precision
    on real code is unmeasured; the examples above are the evidence.
    """

    code = "PF407"
    name = "open-in-loop"
    level = Level.IO
    message = "The same file is opened for appending on every iteration; open it once around the loop"
    weight = 1.5
    triggers = ("open",)
    loop_only = True
    needs = ("open()",)
    benchmark = Benchmark(
        setup="import tempfile, os\nfd, path = tempfile.mkstemp()\nos.close(fd)\nrows = [f'row {i}\\n' for i in range(1000)]",
        slow="for row in rows:\n    with open(path, 'a') as f:\n        f.write(row)",
        fast="with open(path, 'a') as f:\n    for row in rows:\n        f.write(row)",
        size="1,000 rows",
    )

    valid = [
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
        # Opened once already; opened in a rare branch.
        Valid("with open(path, 'a') as f:\n    for row in rows:\n        f.write(row)\n"),
        Valid("for row in rows:\n    if row.bad:\n        with open(path, 'a') as f:\n            f.write(row)\n"),
        # A mode that is not a literal; an encoding that changes.
        Valid("for row in rows:\n    with open(path, mode) as f:\n        f.write(row)\n"),
        Valid("for enc, row in rows:\n    with open(path, 'a', encoding=enc) as f:\n        f.write(row)\n"),
    ]
    invalid = [
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
    ]

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None or not isinstance(node.body, cst.IndentedBlock):
            return
        if any(self._is_sleep(n) for n in iter_own_nodes(node.body)):
            return
        changed = names_in_target(node.target) | bound_names(node.body)
        statements = node.body.body
        for statement in statements:
            opened = self._appending_open(statement)
            if opened is None or not self._invariant(opened, changed, node.body):
                continue
            fix = None
            if (
                len(statements) == 1
                and isinstance(statement, cst.With)
                and len(statement.items) == 1
                and node.orelse is None
            ):
                fix = self._fix(node, statement)
            self.report(opened, fix=fix)

    def _appending_open(self, statement: cst.BaseStatement) -> Optional[cst.Call]:
        """The ``open(path, "a...")`` call of ``with open(...) as f:`` or ``open(...).write(...)``."""
        candidates: list[cst.BaseExpression] = []
        if isinstance(statement, cst.With) and statement.asynchronous is None:
            candidates = [item.item for item in statement.items]
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                    func = small.value.func
                    if isinstance(func, cst.Attribute) and func.attr.value in ("write", "writelines"):
                        candidates.append(func.value)
        for candidate in candidates:
            if isinstance(candidate, cst.Call) and self.context.call_name(candidate) in ("builtins.open", "io.open"):
                if self._mode(candidate) is not None:
                    return candidate
        return None

    def _mode(self, call: cst.Call) -> Optional[str]:
        for position, arg in enumerate(call.args):
            if arg.star:
                return None
            if (arg.keyword is None and position == 1) or (arg.keyword and arg.keyword.value == "mode"):
                if isinstance(arg.value, cst.SimpleString):
                    mode = str(arg.value.evaluated_value)
                    return mode if "a" in mode else None
                return None
        return None

    def _invariant(self, call: cst.Call, changed: set[str], body: cst.CSTNode) -> bool:
        if variables(call) & changed:
            return False  # the path, encoding or another argument changes in the loop
        path = call.args[0].value if call.args and call.args[0].keyword is None else None
        if isinstance(path, (cst.SimpleString, cst.ConcatenatedString)):
            return True
        written = dotted_name(path) if path is not None else None
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
