"""PF408 write-per-item."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import (
    ScopeAware,
    ScopeIndex,
    is_dict_expr,
    is_list_expr,
    is_set_expr,
    is_tuple_expr,
    iter_nodes,
)
from perflint.context import names_in_target
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid
from perflint.rules.database._loops import is_small_literal_loop
from perflint.rules.io.file_objects import file_factory_call

# Calls whose result is an in-memory sequence (or a lazy view over one).
IN_MEMORY_CALLS = {"builtins.range", "builtins.sorted", "builtins.reversed", "builtins.enumerate", "builtins.zip"}
VIEW_METHODS = {"items", "keys", "values"}


class WritePerItem(ScopeAware, Rule):
    """
    ## What it does
    Flags a `for` loop over an in-memory collection whose whole body is one
    `f.write(...)` or `print(..., file=f)` call, where `f` is a file opened in
    the same function (`open(...)`, `io.StringIO()`). Also flags
    `print(..., file=f, flush=True)` on every iteration of any `for` loop
    (over a file, a cursor, a generator): each flush is a system call.

    ## Why is this slow?
    Every `write` call goes through the text layer (encoding, newline
    translation, buffer bookkeeping) for a few bytes; `print` adds argument
    parsing and two writes per item. Joining the pieces first and writing
    once does that work once. Measured with `timeit` on Python 3.11, writing
    10,000 short lines to a text file took 0.61 ms with one `write` per line
    and 0.064 ms with `f.write("".join(lines))` (9.5x). `f.writelines(lines)`
    is no faster than the loop on a text file (0.87 ms): it still calls
    `write` once per item. With `flush=True`, 10,000 `print` calls of three
    fields to a file took 130 ms against 51 ms without it (2.5x), the
    difference being one `write` system call per row.

    ## Example
    ```python
    with open(path, "w") as f:
        for name in names:
            f.write(f"{name}\\n")
    ```

    ## Use instead
    ```python
    with open(path, "w") as f:
        f.write("".join(f"{name}\\n" for name in names))
    ```

    ## Fix safety
    No automatic fix. The joined text is built in memory before anything is
    written, and if building one piece raises, the earlier pieces are no
    longer written; both matter for some programs.

    ## Known false positives
    The loop must iterate something already in memory (a list, tuple, set
    or dict built in the function, `range`, `sorted(...)`, a dict view,
    `enumerate`/`zip` of those): joining the output of a file or a generator
    would hold it all in memory, so streaming loops are never flagged. The
    file must come from `open()` (or `io.StringIO()`, `tempfile`...) in the
    same function, so sockets and line-oriented writers are excluded. For a few
    dozen items the gain is negligible.

    Judged on the Python 3.11.7 standard library (test/, tests/, idlelib/,
    lib2to3/ and site-packages excluded) and the sdists of aiohttp 3.9.5,
    httpx 0.27.0, httpie 3.2.2, discord.py 2.3.2, python-gitlab 4.4.0, pip
    24.0 (with its vendored packages), pre-commit 3.7.1 and sphinx 7.3.7
    (their tests included), reading every finding: no findings (their write
    loops stream from parameters or files, which the rule leaves alone), so
    precision on real code is unmeasured.
    """

    code = "PF408"
    name = "write-per-item"
    level = Level.IO
    message = "One `write` per item in a loop; join the pieces and write once"
    weight = 0.5
    triggers = ("write", "print")
    loop_only = True
    needs = ("write-loop", "print(file)")
    benchmark = Benchmark(
        setup="import os\nf = open(os.devnull, 'w')\nlines = [f'row {i}\\n' for i in range(10000)]",
        slow="for line in lines:\n    f.write(line)",
        fast="f.write(''.join(lines))",
        size="10,000 lines",
    )

    valid = [
        # Streaming: the source is a file or a generator.
        Valid(
            "def copy(src, dst):\n    with open(src) as fin, open(dst, 'w') as fout:\n        for line in fin:\n"
            "            fout.write(line.upper())\n"
        ),
        Valid("def f(path, rows):\n    with open(path, 'w') as out:\n        for r in rows:\n            out.write(r)\n"),
        # Not a file opened here.
        Valid("def f(sock, items):\n    data = list(items)\n    for x in data:\n        sock.write(x)\n"),
        # More than one statement: per-item logic.
        Valid(
            "def f(path):\n    names = ['a', 'b']\n    with open(path, 'w') as out:\n        for n in names:\n"
            "            out.write(n)\n            out.flush()\n"
        ),
        # print to stdout is another matter.
        Valid("def f():\n    for i in range(10):\n        print(i)\n"),
        # Flushing the console per line (progress output), a log flushed while polling or paced.
        Valid("import sys\ndef f(rows):\n    for r in rows:\n        print(r, file=sys.stderr, flush=True)\n"),
        Valid(
            "def f(path, q):\n    with open(path, 'a') as log:\n        while True:\n"
            "            print(q.get(), file=log, flush=True)\n"
        ),
        Valid(
            "import time\ndef f(path, rows):\n    with open(path, 'w') as out:\n        for r in rows:\n"
            "            print(r, file=out, flush=True)\n            time.sleep(1)\n"
        ),
        Valid("def f(path, names):\n    with open(path, 'w') as out:\n        out.write(''.join(names))\n"),
    ]
    invalid = [
        Invalid(
            """
            def save(path, users):
                names = [u.name for u in users]
                with open(path, "w") as out:
                    for name in names:
                        out.write(f"{name}\\n")
            """
        ),
        Invalid(
            """
            import io

            def render(table):
                buffer = io.StringIO()
                for key, value in sorted(table.items()):
                    print(key, value, sep="=", file=buffer)
                return buffer.getvalue()
            """
        ),
        Invalid(
            """
            def dump(path, counts):
                f = open(path, "w")
                for i in range(len(counts)):
                    f.write("%d %d\\n" % (i, counts[i]))
                f.close()
            """
        ),
        # A flush per row: one system call per row, whatever the loop iterates.
        Invalid(
            """
            def write_tsv(rows, path):
                with open(path, "w", encoding="utf-8") as out:
                    for row in rows:
                        print(*row, sep="\\t", file=out, flush=True)
            """
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        """``print(..., file=f, flush=True)`` per row of a ``for`` loop, ``f`` a file opened here."""
        loop = self.context.innermost_loop
        if loop is None or loop.kind == "while" or self.context.call_name(node) != "builtins.print":
            return
        if not any(
            arg.keyword and arg.keyword.value == "flush" and isinstance(arg.value, cst.Name) and arg.value.value == "True"
            for arg in node.args
        ):
            return
        target = next((a.value for a in node.args if a.keyword and a.keyword.value == "file"), None)
        if not isinstance(target, cst.Name) or target.value in loop.target_names:
            return
        index = self.scope_index()
        if file_factory_call(self.context, index, target) is None:
            return
        if is_small_literal_loop(self.context, loop.node, self.context.facts.literal_names):
            return
        if any(
            isinstance(n, cst.Call) and (self.context.call_name(n) or "").endswith(".sleep")
            for n in iter_nodes(loop.node)
        ):
            return  # paced output: a progress log flushed on purpose
        self.report(
            node,
            "`print(..., flush=True)` to a file on every row makes one system call per row; "
            "drop `flush=True` (the file is flushed when closed) or flush once after the loop",
        )

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None or node.orelse is not None or self.context.scope.kind != "function":
            return
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
        if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine) or len(body[0].body) != 1:
            return
        statement = body[0].body[0]
        if not isinstance(statement, cst.Expr) or not isinstance(statement.value, cst.Call):
            return
        call = statement.value
        written = self._written_file(call)
        if written is None or written in names_in_target(node.target):
            return
        if any(isinstance(n, (cst.Await, cst.Yield)) for n in iter_nodes(call)):
            return
        index = self.scope_index()
        if file_factory_call(self.context, index, cst.Name(written)) is None:
            return
        if index is None or not self._in_memory(index, node.iter):
            return
        message = self.message
        if isinstance(call.func, cst.Name):
            message = "One `print(..., file=...)` per item in a loop; join the lines and write once"
        self.report(call, message)

    def _written_file(self, call: cst.Call) -> Optional[str]:
        """The file name of ``f.write(x)`` or ``print(..., file=f)``."""
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "write" and isinstance(func.value, cst.Name):
            if len(call.args) == 1 and not call.args[0].keyword and not call.args[0].star:
                return func.value.value
            return None
        if self.context.call_name(call) == "builtins.print":
            if any(arg.star for arg in call.args):
                return None
            for arg in call.args:
                if arg.keyword and arg.keyword.value == "file" and isinstance(arg.value, cst.Name):
                    return arg.value.value
        return None

    def _in_memory(self, index: ScopeIndex, iterable: cst.BaseExpression) -> bool:
        context = self.context
        if any(check(context, iterable) for check in (is_list_expr, is_tuple_expr, is_set_expr, is_dict_expr)):
            return True
        if isinstance(iterable, cst.Call):
            qualified = context.call_name(iterable)
            if qualified == "builtins.range" or qualified == "builtins.sorted":
                return True
            if qualified in IN_MEMORY_CALLS:
                return bool(iterable.args) and all(
                    not arg.star and not arg.keyword and self._in_memory(index, arg.value)
                    for arg in iterable.args
                    if not arg.keyword
                )
            func = iterable.func
            if isinstance(func, cst.Attribute) and func.attr.value in VIEW_METHODS and not iterable.args:
                return self._in_memory(index, func.value)
            return False
        if isinstance(iterable, cst.Name):
            name = iterable.value
            if not index.is_plain_local(name) or name in index.closure_names:
                return False
            bindings = index.bindings[name]
            return all(
                b.kind in ("assign", "annassign") and b.value is not None and self._collection(b.value) for b in bindings
            )
        return False

    def _collection(self, value: cst.BaseExpression) -> bool:
        context = self.context
        return any(check(context, value) for check in (is_list_expr, is_tuple_expr, is_set_expr, is_dict_expr))

