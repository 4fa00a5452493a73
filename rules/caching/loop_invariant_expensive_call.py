"""PF304 loop-invariant-expensive-call."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import (
    ScopeAware,
    ScopeIndex,
    _is_store_target,
    bound_names,
    iter_nodes,
)
from perflint.context import names_in_target
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

# Parsers of an in-memory value: each call builds a new (mutable) object.
PARSERS = {
    "json.loads", "yaml.safe_load", "yaml.load", "yaml.full_load", "tomllib.loads", "tomli.loads", "toml.loads",
    "ast.parse",
}
# Parsers of an open file, used as ``with open(p) as f: x = json.load(f)``.
FILE_PARSERS = {"json.load", "yaml.safe_load", "yaml.load", "yaml.full_load", "tomllib.load", "tomli.load", "toml.load"}
READ_MODES = {"r", "rb", "rt", "br", "tr"}
# Calls in a loop that may change a file on disk between iterations.
FILE_CHANGING_CALLS = {
    "os.remove", "os.unlink", "os.rename", "os.replace", "os.truncate", "os.write", "os.system",
    "shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.move", "shutil.rmtree",
}
FILE_CHANGING_METHODS = {"write", "writelines", "write_text", "write_bytes", "truncate", "unlink", "rename", "touch"}
# Methods whose result is a new string, list of strings or number: nothing the parse result owns.
SCALAR_METHODS = {
    "lower", "upper", "strip", "lstrip", "rstrip", "split", "startswith", "endswith", "format",
    "encode", "decode", "count", "index", "find", "isdigit", "casefold", "title",
}
# Methods that only look an element up; their result is checked like the receiver.
LOOKUP_METHODS = {"get"}
# Builtins that turn their argument into a new scalar and keep no reference to it.
SCALAR_BUILTINS = {
    "builtins." + name
    for name in ("len", "str", "int", "float", "bool", "repr", "isinstance", "hash", "print", "format", "abs", "round")
}


class LoopInvariantExpensiveCall(ScopeAware, Rule):
    """
    ## What it does
    Flags a whole statement in a loop body that recomputes the same expensive
    value on every iteration:

    - `x = open(path).read()`, `x = Path(p).read_text()`, and
      `with open(path) as f: x = f.read()` / `x = json.load(f)`, reading a
      file whose path never changes;
    - `x = re.compile(pattern)` with an unchanging, non-literal pattern
      (literal patterns are PF301).

    Parsers of an in-memory value (`json.loads`, `yaml.safe_load`...) and
    the rest of the catalogue of pure, costly calls are PF305's.

    ## Why is this slow?
    The file read (an `open`, a system call or two, a decode) costs the
    same on every iteration and gives the same result. Measured with
    `timeit` on Python 3.11.7, 1,000 iterations that each read the same
    1 KB file took 36.6 ms; with the file read once before the loop, 0.15 ms
    (`perflint bench PF304`).

    ## Example
    ```python
    def render(rows, template_path):
        for row in rows:
            template = open(template_path).read()
            print(template.format(**row))
    ```

    ## Use instead
    ```python
    def render(rows, template_path):
        template = open(template_path).read()
        for row in rows:
            print(template.format(**row))
    ```

    ## Fix safety
    No automatic fix. Hoisting moves the call (and any exception it raises)
    before the loop, where it runs even when the loop body never does.

    ## Known false positives
    The analysis is strict, so that the value is provably the same each time:
    the statement is a direct child of the loop body (not in a branch); its
    inputs are local variables or literals that nothing in the loop rebinds
    (assignment, tuple targets, nested loop targets, augmented assignment,
    walrus, `del`, `with`/`except` targets), calls a method on, or passes
    to a call; the target is assigned only there and not read before it in
    the loop. A parse result is a fresh object each time, so it is flagged
    only when every use in the loop just reads scalars out of it (compares,
    formats, `len()`, item lookups, passing a looked-up value to a call);
    stored, passed on whole, iterated or mutated, each iteration may need
    its own copy. A callee that mutates a looked-up value it was given is
    the remaining gap. File reads are flagged only in `for` loops
    that do not sleep, write, rename or delete files, or call `open` again:
    a file can change between iterations when another process writes it.

    Judged on the Python 3.11.7 standard library (test/, tests/, idlelib/,
    lib2to3/ and site-packages excluded) and the sdists of aiohttp 3.9.5,
    httpx 0.27.0, httpie 3.2.2, discord.py 2.3.2, python-gitlab 4.4.0, pip
    24.0 (with its vendored packages), pre-commit 3.7.1 and sphinx 7.3.7
    (their tests included), reading every finding: no findings: the strict
    shape did not occur, so precision on real code is unmeasured; the
    examples above are the evidence.
    """

    code = "PF304"
    name = "loop-invariant-expensive-call"
    level = Level.CACHING
    message = "This expensive call gives the same result on every iteration; compute it once before the loop"
    weight = 2.0
    triggers = ("load", "parse", "read", "compile")
    loop_only = True
    needs = tuple(
        sorted({f"{name.rpartition('.')[2]}()" for name in PARSERS | FILE_PARSERS} | {"compile()", "read()", "read_text()", "read_bytes()"})
    )
    benchmark = Benchmark(
        setup=(
            "import tempfile\n"
            "path = tempfile.mkstemp(suffix='.txt')[1]\n"
            "open(path, 'w').write('x' * 1024)\n"
            "items = list(range(1000))\n"
        ),
        slow="total = 0\nfor i in items:\n    text = open(path).read()\n    total += len(text) * i\n",
        fast="total = 0\ntext = open(path).read()\nfor i in items:\n    total += len(text) * i\n",
        size="1,000 iterations, a 1 KB file",
    )

    valid = [
        # The input changes per iteration.
        Valid("import json\ndef f(lines):\n    for line in lines:\n        row = json.loads(line)\n        print(row['a'])\n"),
        Valid(
            "import json\ndef f(raw, n):\n    for i in range(n):\n        data = json.loads(raw)\n        print(data['a'])\n"
            "        raw = fetch()\n"
        ),
        # Tuple targets, augmented assignment, walrus and del count as changes.
        Valid(
            "import json\ndef f(pairs, raw):\n    for a, raw in pairs:\n        d = json.loads(raw)\n        print(d['x'])\n"
        ),
        Valid("import json\ndef f(xs, raw):\n    for x in xs:\n        d = json.loads(raw)\n        raw += x\n        print(d['k'])\n"),
        Valid(
            "import json\ndef f(xs, raw):\n    for x in xs:\n        d = json.loads(raw)\n        print(d['k'])\n"
            "        if (raw := x):\n            pass\n"
        ),
        # A nested loop rebinds the input.
        Valid(
            "import json\ndef f(xs, raw):\n    for x in xs:\n        d = json.loads(raw)\n        print(d['k'])\n"
            "        for raw in x:\n            pass\n"
        ),
        # An attribute input can change through any call.
        Valid("import json\ndef f(self, xs):\n    for x in xs:\n        d = json.loads(self.raw)\n        print(d['k'])\n"),
        # Passed to a call that may change it.
        Valid("import json\ndef f(xs, buf):\n    for x in xs:\n        d = json.loads(buf)\n        print(d['k'])\n        fill(buf, x)\n"),
        # The result is mutated or kept: each iteration needs a fresh object.
        Valid(
            "import json\ndef f(xs, raw):\n    out = []\n    for x in xs:\n        d = json.loads(raw)\n        d['id'] = x\n"
            "        out.append(d)\n    return out\n"
        ),
        Valid("import json\ndef f(xs, raw):\n    for x in xs:\n        d = json.loads(raw)\n        d['items'].append(x)\n"),
        Valid("import json\ndef f(xs, raw):\n    for x in xs:\n        d = json.loads(raw)\n        send(d, x)\n"),
        Valid("import json\ndef f(xs, raw):\n    for x in xs:\n        d = json.loads(raw)\n        for k in d['keys']:\n            k.append(x)\n"),
        # The target is read before it is assigned (the first iteration sees the old value).
        Valid("import json\ndef f(xs, raw, d):\n    for x in xs:\n        print(d['k'])\n        d = json.loads(raw)\n"),
        # In a branch: hoisting would run it when the branch never does.
        Valid("import json\ndef f(xs, raw):\n    for x in xs:\n        if x:\n            d = json.loads(raw)\n            print(d['k'])\n"),
        # Polling a file in a while loop, or a loop that writes files.
        Valid("def f(path):\n    while True:\n        state = open(path).read()\n        if state == 'done':\n            break\n"),
        Valid(
            "def f(path, xs):\n    for x in xs:\n        text = open(path).read()\n        out.write(text)\n"
        ),
        Valid(
            "import time\ndef f(path, xs):\n    for x in xs:\n        text = open(path).read()\n        time.sleep(1)\n        print(text)\n"
        ),
        # A global input: any call may rebind it.
        Valid("import json\ndef f(xs):\n    for x in xs:\n        d = json.loads(RAW)\n        print(d['k'])\n"),
        # json.load reads from the current position: not the same each time.
        Valid("import json\ndef f(xs, fh):\n    for x in xs:\n        d = json.load(fh)\n        print(d['k'])\n"),
        # A local function named like the parser.
        Valid("def loads(s):\n    return s\ndef f(xs, raw):\n    for x in xs:\n        d = loads(raw)\n        print(d)\n"),
    ]
    invalid = [
        Invalid(
            """
            def render(rows, template_path):
                for row in rows:
                    template = open(template_path).read()
                    print(template.format(**row))
            """
        ),
        Invalid(
            """
            import json

            def check(items, path):
                for item in items:
                    with open(path) as f:
                        limits = json.load(f)
                    if item > limits["max"]:
                        print(f"{item} over {limits['max']}")
            """
        ),
        Invalid(
            """
            import re
            from pathlib import Path

            def scan(paths, pattern, root):
                for p in paths:
                    rx = re.compile(pattern)
                    ignore = Path(root).read_text()
                    if rx.search(p) and p not in ignore:
                        yield p
            """
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        self._check_loop(node)

    def visit_While(self, node: cst.While) -> None:
        self._check_loop(node)

    def _check_loop(self, loop) -> None:
        if self.context.scope.kind != "function" or not isinstance(loop.body, cst.IndentedBlock):
            return
        index: Optional[ScopeIndex] = None
        for position, statement in enumerate(loop.body.body):
            found = self._candidate(statement)
            if found is None:
                continue
            index = index or self.scope_index()
            if index is None:
                return
            call, target, inputs, kind = found
            if self._invariant(index, loop, statement, position, target, inputs, kind):
                self.report(call)

    def _candidate(self, statement: cst.BaseStatement):
        """``(call, target, input expressions, kind)`` for a candidate statement, else None.

        ``kind`` is "parse" (a fresh mutable result), "file" (a file's
        contents) or "file-parse" (a file parsed into a fresh object).
        """
        if isinstance(statement, cst.With):
            return self._with_candidate(statement)
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return None
        assign = statement.body[0]
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
            return None
        target, call = assign.targets[0].target, assign.value
        if not isinstance(target, cst.Name) or not isinstance(call, cst.Call):
            return None
        qualified = self.context.call_name(call)
        if qualified in PARSERS:
            return None  # the catalogue of PF305 (invariant-call-in-loop) reports these
        if qualified == "re.compile" and call.args and isinstance(call.args[0].value, cst.Name):
            return call, target.value, [a.value for a in call.args], "value"
        if not (isinstance(call.func, cst.Attribute) and not call.args):
            return None
        receiver, method = call.func.value, call.func.attr.value
        if method == "read":
            opened = self._opened_path(receiver)
            if opened is not None:
                return call, target.value, opened, "file"
        if method in ("read_text", "read_bytes"):
            if isinstance(receiver, cst.Call) and self.context.call_name(receiver) == "pathlib.Path":
                if len(receiver.args) == 1 and not receiver.args[0].keyword and not receiver.args[0].star:
                    return call, target.value, [receiver.args[0].value], "file"
            elif isinstance(receiver, cst.Name):
                return call, target.value, [receiver], "file"
        return None

    def _with_candidate(self, statement: cst.With):
        """``with open(p) as f: x = f.read()`` (or ``x = json.load(f)``) as its only statement."""
        if len(statement.items) != 1 or statement.asynchronous is not None:
            return None
        item = statement.items[0]
        handle = item.asname.name if item.asname else None
        opened = self._opened_path(item.item)
        if opened is None or not isinstance(handle, cst.Name):
            return None
        body = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else []
        if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine) or len(body[0].body) != 1:
            return None
        assign = body[0].body[0]
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
            return None
        target, call = assign.targets[0].target, assign.value
        if not isinstance(target, cst.Name) or not isinstance(call, cst.Call):
            return None
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "read" and not call.args:
            if isinstance(func.value, cst.Name) and func.value.value == handle.value:
                return call, target.value, opened, "file"
            return None
        if len(call.args) != 1 or self.context.call_name(call) not in FILE_PARSERS:
            return None
        arg = call.args[0]
        if arg.keyword or arg.star or not (isinstance(arg.value, cst.Name) and arg.value.value == handle.value):
            return None
        return call, target.value, opened, "file-parse"

    def _opened_path(self, node: cst.BaseExpression) -> Optional[list[cst.BaseExpression]]:
        """The path of ``open(path)`` / ``open(path, "r")`` (read modes only), else None."""
        if not (isinstance(node, cst.Call) and self.context.call_name(node) in ("builtins.open", "io.open")):
            return None
        path: Optional[cst.BaseExpression] = None
        for position, arg in enumerate(node.args):
            keyword = arg.keyword.value if arg.keyword else None
            if arg.star:
                return None
            if (keyword is None and position == 0) or keyword == "file":
                path = arg.value
            elif (keyword is None and position == 1) or keyword == "mode":
                if not (isinstance(arg.value, cst.SimpleString) and arg.value.evaluated_value in READ_MODES):
                    return None
            elif keyword != "encoding" or not isinstance(arg.value, cst.SimpleString):
                return None
        return [path] if path is not None else None

    def _invariant(self, index, loop, statement, position, target, inputs, kind) -> bool:
        context = self.context
        others = [s for i, s in enumerate(loop.body.body) if i != position]
        rebound = names_in_target(loop.target) if isinstance(loop, cst.For) else bound_names(loop.test)
        for node in others:
            rebound |= bound_names(node)
        # Inputs: literals, or plain locals the loop neither rebinds nor hands to anything.
        for expr in inputs:
            if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.Integer)):
                continue
            if isinstance(expr, cst.Attribute) and context.qualified_name(expr) is not None:
                continue  # a module constant such as `re.IGNORECASE` or `yaml.SafeLoader`
            if not isinstance(expr, cst.Name):
                return False
            name = expr.value
            if not index.is_plain_local(name) or name in index.closure_names or name in rebound:
                return False
            for read in index.reads_inside(name, loop):
                if index.contains(statement, read):
                    continue
                if not _read_only(index, context, read, scalar_only=False):
                    return False
        # The target: bound only by this statement in the loop, never read before it.
        if target in rebound or target in index.closure_names or target in index.declared:
            return False
        later = others[position:]
        for read in index.reads_inside(target, loop):
            if not any(index.contains(s, read) for s in later):
                return False
            if kind in ("parse", "file-parse") and not _read_only(index, context, read, scalar_only=True):
                return False
        if kind.startswith("file"):
            return isinstance(loop, cst.For) and not self._may_change_files(loop, statement)
        return True

    def _may_change_files(self, loop: cst.For, statement: cst.BaseStatement) -> bool:
        skip = {id(n) for n in iter_nodes(statement)}
        for node in iter_nodes(loop.body):
            if id(node) in skip or not isinstance(node, cst.Call):
                continue
            qualified = self.context.call_name(node) or ""
            if qualified in FILE_CHANGING_CALLS or qualified.endswith("sleep") or qualified in ("builtins.open", "io.open"):
                return True
            if qualified.startswith("subprocess."):
                return True
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in FILE_CHANGING_METHODS:
                return True
        return False


def _read_only(index: ScopeIndex, context, name: cst.Name, scalar_only: bool) -> bool:
    """Does this read of a name leave its object alone?

    With ``scalar_only``, also require that nothing reachable from the object
    escapes: the read ends in a comparison, a test, a format, an item key, an
    arithmetic operand or a scalar builtin, possibly after item, attribute and
    ``.get()`` lookups. Without it, only passing the object itself to a call
    or calling a method on it counts as a change.
    """
    current: cst.CSTNode = name
    looked_up = False  # has the read gone into an item or attribute of the object?
    while True:
        parent = index.parent(current)
        if isinstance(parent, cst.Subscript) and parent.value is current:
            if _is_store_target(index, parent):
                return False
            if not scalar_only:
                return True
            current, looked_up = parent, True
            continue
        if isinstance(parent, cst.Attribute) and parent.value is current:
            grand = index.parent(parent)
            if isinstance(grand, cst.Call) and grand.func is parent:
                method = parent.attr.value
                if method in SCALAR_METHODS:
                    return True
                if method in LOOKUP_METHODS and scalar_only:
                    current, looked_up = grand, True
                    continue
                return False
            if _is_store_target(index, parent):
                return False
            if not scalar_only:
                return True
            current, looked_up = parent, True
            continue
        if isinstance(parent, (cst.Index, cst.Comparison, cst.ComparisonTarget, cst.FormattedStringExpression)):
            return True
        if isinstance(parent, (cst.If, cst.While, cst.IfExp)) and parent.test is current:
            return True
        if isinstance(parent, (cst.BinaryOperation, cst.UnaryOperation)):
            return True
        if isinstance(parent, cst.BooleanOperation):
            current = parent
            continue
        if isinstance(parent, cst.Arg) and not parent.star:
            call = index.parent(parent)
            if scalar_only and looked_up:
                return True  # a value read out of the parse result, handed on (see the docs)
            return isinstance(call, cst.Call) and context.call_name(call) in SCALAR_BUILTINS
        return not scalar_only and isinstance(parent, (cst.Expr,))
