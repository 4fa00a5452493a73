"""PF406 read-whole-file-then-split."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import ScopeAware, iter_own_nodes, variables
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid
from perflint.rules.io._sync_io import is_path
from perflint.rules.io.file_objects import file_factory_call, is_file_object, open_mode


class ReadWholeFileThenSplit(ScopeAware, Rule):
    """
    ## What it does
    Flags `for line in f.read().splitlines():` and
    `for line in f.read().split("\\n"):` (also as a comprehension's
    iterable), which read a whole file into one
    string and split it into a list before the first iteration; also
    `lines = f.read().splitlines()` when `lines` is then only walked once
    by a loop or a comprehension. A `pathlib.Path`'s `read_text()` /
    `read_bytes()` followed by the same split counts too (message only: the
    fix is `with path.open() as f: for line in f`).

    ## Why is this slow?
    The whole file, and then a list of all its lines, sit in memory at once,
    and the loop starts only after both are built. Iterating the file object
    reads it in buffered chunks with constant memory. Measured with `timeit`
    on Python 3.11 over a 6 MB file of 100,000 lines, the loop took 52.8 ms
    with `f.read().splitlines()` and 27.9 ms iterating `f` with
    `line.rstrip("\\r\\n")`; peak memory (tracemalloc) was 17 MB against
    30 KB.

    ## Example
    ```python
    with open(path) as f:
        for line in f.read().splitlines():
            handle(line)
    ```

    ## Use instead
    ```python
    with open(path) as f:
        for line in f:
            line = line.rstrip("\\r\\n")
            handle(line)
    ```

    ## Fix safety
    Offered only for `.read().splitlines()` on a file known to come from
    `open(...)` with a literal mode (directly, or as `with open(...) as f`
    in the same function), a loop target that is a plain name, and a body
    that does not touch the file object. It is unsafe: `splitlines` also
    splits on `\\v`, `\\f`, `\\x1c`-`\\x1e`, `\\x85`, `\\u2028` and `\\u2029`
    (and, for bytes, on a lone `\\r`), which iterating a file does not; and
    the file is now read while the loop runs, so an exception in the body
    leaves it partly read. `splitlines(True)` becomes plain iteration.
    `.split("\\n")` gets no fix: it yields a final empty string when the
    file ends with a newline.

    ## Known false positives
    Small files, where the difference does not matter. Only receivers that
    are provably file objects are flagged (a call to `open()` and friends, a
    name bound only to one in the same function, `sys.stdin`), because other
    objects with a `read()` method may not iterate by line.

    Judged on the Python 3.11.7 standard library (test/, tests/, idlelib/,
    lib2to3/ and site-packages excluded) and the sdists of aiohttp 3.9.5,
    httpx 0.27.0, httpie 3.2.2, discord.py 2.3.2, python-gitlab 4.4.0, pip
    24.0 (with its vendored packages), pre-commit 3.7.1 and sphinx 7.3.7
    (their tests included), reading every finding: 2 findings, 2 correct
    (100%); both unsafe fixes applied and parsed.
    """

    code = "PF406"
    name = "read-whole-file-then-split"
    level = Level.IO
    message = "Reads the whole file and splits it before looping; iterate the file object line by line"
    weight = 1.0
    triggers = ("read",)
    # Not loop_only: `lines = f.read().splitlines()` is reported where it is assigned, before the loop.
    needs = ("@read-split",)
    benchmark = Benchmark(
        setup=(
            "import tempfile, os\nfd, path = tempfile.mkstemp()\n"
            "os.write(fd, ('x' * 60 + '\\n').encode() * 100000)\nos.close(fd)\n"
        ),
        slow="with open(path) as f:\n    for line in f.read().splitlines():\n        pass",
        fast="with open(path) as f:\n    for line in f:\n        line = line.rstrip('\\r\\n')",
        size="100,000 lines, 6 MB",
    )

    valid = [
        # The list is kept: counted, indexed or walked twice.
        Valid(
            "def f(path):\n    with open(path) as fh:\n        lines = fh.read().splitlines()\n"
            "    return len(lines), [l for l in lines if l]\n"
        ),
        Valid("def f(path):\n    with open(path) as fh:\n        lines = fh.read().splitlines()\n    return lines[-10:]\n"),
        # Not a file object known here.
        Valid("def f(resp):\n    lines = resp.read().splitlines()\n    return [l for l in lines]\n"),
        Valid("with open(p) as f:\n    data = f.read()\nfor line in data.splitlines():\n    print(line)\n"),
        Valid("for word in open(p).read().split():\n    print(word)\n"),
        Valid("for part in open(p).read().split(','):\n    print(part)\n"),
        Valid("for line in f.read(100).splitlines():\n    print(line)\n"),
        Valid("lines = open(p).read().splitlines()\n"),
        Valid("for line in text.splitlines():\n    print(line)\n"),
        # Not provably a file (an HTTP response, a custom reader).
        Valid("def f(response):\n    for line in response.read().splitlines():\n        print(line)\n"),
        # `read_text()` on something not known to be a Path, or a Path's lines kept as a list.
        Valid("def f(blob):\n    for line in blob.read_text().splitlines():\n        print(line)\n"),
        Valid(
            "from pathlib import Path\ndef f(p: Path):\n    lines = p.read_text().splitlines()\n"
            "    return [l for l in lines if l], len(lines)\n"
        ),
        Valid("from pathlib import Path\nwanted = set(Path('ids.txt').read_text().splitlines())\n"),
    ]
    invalid = [
        Invalid(
            """
            def count(path):
                n = 0
                with open(path, encoding="utf-8") as f:
                    for line in f.read().splitlines():
                        n += len(line)
                return n
            """,
            fixed="""
            def count(path):
                n = 0
                with open(path, encoding="utf-8") as f:
                    for line in f:
                        line = line.rstrip("\\r\\n")
                        n += len(line)
                return n
            """,
            unsafe=True,
        ),
        Invalid(
            """
            for record in open("data.bin", "rb").read().splitlines():
                print(record)
            """,
            fixed="""
            for record in open("data.bin", "rb"):
                record = record.rstrip(b"\\r\\n")
                print(record)
            """,
            unsafe=True,
        ),
        Invalid(
            """
            with open(p) as f:
                for line in f.read().splitlines(keepends=True):
                    print(line, end="")
            """,
            fixed="""
            with open(p) as f:
                for line in f:
                    print(line, end="")
            """,
            unsafe=True,
        ),
        # Unknown file object, a split on "\\n", or a body using the file: message only.
        Invalid("import sys\nfor line in sys.stdin.read().splitlines():\n    print(line)\n", fixed=None),
        # A comprehension walking the split: message only.
        Invalid(
            "def urls(path):\n    with open(path) as f:\n"
            "        return [u.strip() for u in f.read().splitlines() if u.strip()]\n",
            fixed=None,
        ),
        Invalid("with open(p) as f:\n    for line in f.read().split('\\n'):\n        print(line)\n", fixed=None),
        # A Path read whole, then walked once: message only.
        Invalid(
            "from pathlib import Path\nFEED = Path('/data/feed.jsonl')\ndef report():\n"
            "    rows = FEED.read_text().splitlines()\n    for row in rows:\n        print(row)\n",
            fixed=None,
        ),
        Invalid(
            "from pathlib import Path\ndef ids(p: Path):\n    return [l.strip() for l in p.read_text(encoding='utf-8').splitlines()]\n",
            fixed=None,
        ),
        Invalid(
            "with open(p, 'r+') as f:\n    for line in f.read().splitlines():\n        f.write(line)\n",
            fixed=None,
        ),
        Invalid(
            """
            def count_records(path):
                with open(path, encoding="ascii") as fh:
                    lines = fh.read().splitlines()
                return sum(1 for l in lines if l and not l.startswith(";"))
            """,
            fixed=None,
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        self._check_iterable(node.iter, node)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        """``[line.strip() for line in f.read().splitlines()]``: the same walk, message only."""
        self._check_iterable(node.iter, None)

    def _check_iterable(self, iterable: cst.BaseExpression, node: Optional[cst.For]) -> None:
        found = _split_of_read(iterable)
        if found is None:
            # ``for number, line in enumerate(f.read().splitlines(), 1):``: message only
            if (
                isinstance(iterable, cst.Call)
                and self.context.call_name(iterable) == "builtins.enumerate"
                and iterable.args
                and iterable.args[0].keyword is None
                and not any(arg.star for arg in iterable.args)
            ):
                inner = _split_of_read(iterable.args[0].value)
                if inner is not None and _readable(self.context, self.scope_index(), inner):
                    self.report(iterable.args[0].value)
            return
        split, receiver, keepends = found
        if split.startswith("path:"):
            if is_path(self.context, receiver):
                self.report(iterable, _PATH_MESSAGE)
            return
        if not is_file_object(self.context, self.scope_index(), receiver):
            return
        self.report(iterable, fix=self._fix(node, split, receiver, keepends) if node is not None else None)

    def visit_Assign(self, node: cst.Assign) -> None:
        """``lines = f.read().splitlines()`` where ``lines`` is then only walked once by a loop."""
        found = _split_of_read(node.value)
        if found is None or len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        function = self.context.function
        if function is None or not isinstance(function.node, cst.FunctionDef):
            return
        if not _readable(self.context, self.scope_index(), found):
            return
        name = node.targets[0].target.value
        iterables: set[int] = set()
        uses: list[cst.Name] = []
        for child in iter_own_nodes(function.node.body):
            if isinstance(child, cst.For) and isinstance(child.iter, cst.Name):
                iterables.add(id(child.iter))
            elif isinstance(child, cst.CompFor) and isinstance(child.iter, cst.Name):
                iterables.add(id(child.iter))
            elif isinstance(child, (cst.FunctionDef, cst.Lambda, cst.ClassDef)) and name in variables(child):
                return  # captured by code that runs later
            elif isinstance(child, cst.Name) and child.value == name:
                uses.append(child)
        uses = [use for use in uses if use is not node.targets[0].target]
        if len(uses) != 1 or id(uses[0]) not in iterables:
            return  # kept as a list: indexed, counted, iterated twice
        instead = "`path.open()` line by line" if found[0].startswith("path:") else "the file object"
        self.report(
            node.value,
            f"the whole file is read and split into a list that is only iterated once; iterate {instead} instead",
        )

    def _fix(self, node: cst.For, split: str, receiver: cst.BaseExpression, keepends: bool) -> Optional[FixSpec]:
        if split != "splitlines" or not isinstance(node.target, cst.Name):
            return None
        if not isinstance(node.body, cst.IndentedBlock) or node.asynchronous is not None:
            return None
        if variables(receiver) & variables(node.body):
            return None  # the body uses the file object: lazy reading would change what it sees
        opened = file_factory_call(self.context, self.scope_index(), receiver)
        mode = open_mode(self.context, opened) if opened is not None else None
        if mode is None or "r" not in mode or "+" in mode:
            return None
        body = list(node.body.body)
        if not keepends:
            newline = cst.SimpleString('b"\\r\\n"' if "b" in mode else '"\\r\\n"')
            strip = cst.Call(
                func=cst.Attribute(value=node.target, attr=cst.Name("rstrip")), args=[cst.Arg(value=newline)]
            )
            body.insert(0, cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(node.target)], strip)]))
        new = node.with_changes(iter=receiver, body=node.body.with_changes(body=body))
        return FixSpec("Iterate the file object", {node: new}, safe=False)


_PATH_MESSAGE = (
    "Reads the whole file with `read_text()`/`read_bytes()` and splits it before looping; "
    "iterate `path.open()` line by line"
)


def _readable(context, index, found) -> bool:
    """The receiver of ``_split_of_read``'s match is a file object (``.read()``) or a Path."""
    split, receiver, _ = found
    if split.startswith("path:"):
        return is_path(context, receiver)
    return is_file_object(context, index, receiver)


def _split_of_read(expr: cst.BaseExpression):
    """``(split method, file expression, keepends)`` for ``X.read().splitlines()`` / ``X.read().split("\\n")``;
    for ``X.read_text().splitlines()`` / ``X.read_bytes()...`` the method is prefixed ``path:``."""
    if not (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute)):
        return None
    read = expr.func.value
    if not (isinstance(read, cst.Call) and isinstance(read.func, cst.Attribute)):
        return None
    reader = read.func.attr.value
    if reader in ("read_text", "read_bytes"):
        if any(arg.star or arg.keyword is None for arg in read.args):
            return None  # only `encoding=` / `errors=` keywords
        found = _split_of_read(expr.with_changes(func=expr.func.with_changes(value=read.with_changes(
            func=read.func.with_changes(attr=cst.Name("read")), args=()))))
        if found is None:
            return None
        return "path:" + found[0], read.func.value, found[2]
    if reader != "read" or read.args:
        return None
    method = expr.func.attr.value
    if method == "splitlines":
        if not expr.args:
            return method, read.func.value, False
        if len(expr.args) == 1 and not expr.args[0].star:
            value = expr.args[0].value
            if isinstance(value, cst.Name) and value.value == "True":
                return method, read.func.value, True
        return None
    if method == "split" and len(expr.args) == 1 and not expr.args[0].keyword and not expr.args[0].star:
        value = expr.args[0].value
        if isinstance(value, cst.SimpleString) and value.evaluated_value in ("\n", b"\n"):
            return method, read.func.value, False
    return None
