"""PF404 readlines-iteration."""

import libcst as cst

from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid


class ReadlinesIteration(Rule):
    """
    ## What it does
    Flags `for line in f.readlines():`, which reads the whole file into a list
    before the loop starts.

    ## Why is this slow?
    `readlines()` holds every line in memory at once and delays the first
    iteration until the whole file is read. A file object is already an
    iterator over its lines, buffered, with constant memory.

    ## Example
    ```python
    with open(path) as f:
        for line in f.readlines():
            handle(line)
    ```

    ## Use instead
    ```python
    with open(path) as f:
        for line in f:
            handle(line)
    ```

    ## Fix safety
    Safe: iterating a file object yields the same lines, newlines included.
    Only the bare call with no size hint is rewritten; a comment inside the
    call makes the fix unsafe.

    ## Known false positives
    An object that is not a file but has a `readlines()` method returning
    something other than its own iteration (rare). The rule never fires on
    `readlines(hint)` or when the list is stored for reuse.
    """

    code = "PF404"
    name = "readlines-iteration"
    level = Level.IO
    message = "`for ... in f.readlines()` reads the whole file first; iterate the file object directly"
    weight = 1.0
    triggers = (".readlines(",)
    benchmark = Benchmark(
        setup="import tempfile\nhandle = tempfile.TemporaryFile('w+')\nhandle.write('a line of text\\n' * 100_000)",
        slow="handle.seek(0)\nfor line in handle.readlines():\n    pass",
        fast="handle.seek(0)\nfor line in handle:\n    pass",
        size="a 100,000-line text file",
    )

    valid = [
        Valid("lines = f.readlines()\nfor line in lines:\n    print(line)\n"),
        Valid("for line in f.readlines(1024):\n    print(line)\n"),
        Valid("for line in f:\n    print(line)\n"),
        Valid("for line in sorted(f.readlines()):\n    print(line)\n"),
    ]
    invalid = [
        Invalid(
            """
            with open("x") as f:
                for line in f.readlines():
                    print(line)
            """,
            fixed="""
            with open("x") as f:
                for line in f:
                    print(line)
            """,
        ),
        Invalid(
            """
            for line in open("x").readlines():
                print(line)
            """,
            fixed="""
            for line in open("x"):
                print(line)
            """,
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        call = node.iter
        if (
            isinstance(call, cst.Call)
            and not call.args
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "readlines"
        ):
            self.report(
                call,
                fix=FixSpec("Iterate the file object directly", {call: call.func.value}),
            )
