"""PF303 recursive-recomputation."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator, Optional

import libcst as cst
from perflint.analysis import iter_nodes, iter_own_nodes
from perflint.cst_walk import children
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid

# Annotations (every name in them) under which a parameter is hashable.
HASHABLE_ANNOTATIONS = {
    "int", "float", "bool", "str", "bytes", "complex", "tuple", "Tuple", "frozenset", "FrozenSet",
    "Optional", "Literal", "None", "typing",
}
# Builtins a cached function may call without the cache changing what happens.
PURE_BUILTINS = {
    "abs", "min", "max", "len", "sum", "range", "int", "float", "bool", "round", "divmod", "pow", "tuple",
    "str", "ord", "chr", "frozenset", "isinstance", "all", "any",
}
# Return values whose object identity does not matter to a caller (numbers, strings, tuples).
# A function definition, and any name written before an opening parenthesis.
_DEF = re.compile(r"\bdef[\s\\]+(\w+)")
_CALLED = re.compile(r"(\w+)[\s\\]*\(")
IMMUTABLE_RESULTS = (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString, cst.Tuple)
TERMINATORS = (cst.Return, cst.Raise, cst.Break, cst.Continue)


class RecursiveRecomputation(Rule):
    """
    ## What it does
    Flags a module-level function that calls itself at least twice in one
    activation, with arguments that shrink by constants (`f(n - 1) + f(n - 2)`),
    and has no cache. That is the shape of overlapping subproblems: the same
    arguments are computed again and again.

    ## Why is this slow?
    Without a cache the number of calls grows exponentially with the input
    (about 1.6^n for Fibonacci); with one, each distinct argument is computed
    once. Measured with `timeit` on Python 3.11, `fib(20)` took 1.49 ms
    without a cache and 0.003 ms with `@functools.cache` (cache cleared
    before each run): about 470x, and the gap doubles every few steps of n.

    ## Example
    ```python
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)
    ```

    ## Use instead
    ```python
    import functools

    @functools.cache
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)
    ```

    ## Fix safety
    The fix adds `@functools.cache`. It is safe when the function only
    computes: no calls other than itself and pure builtins (`min`, `len`...),
    no global, nonlocal, attribute or item writes, and every `return` gives a
    number, string, tuple or arithmetic on such values (a cached list would
    be shared by every caller). Otherwise it is unsafe: a cached function
    skips the side effects of repeated calls. The rule fires only when every
    parameter is hashable, by annotation (`int`, `str`, `tuple`...) or by
    use (it is shifted by an integer in a self-call); a parameter passed
    through unchanged without such an annotation (a memo dict, a grid list)
    keeps it silent. The cache is unbounded and lives as long as the module.

    ## Known false positives
    A function that is re-bound after its definition (`fib = memoize(fib)`)
    is already cached through that name; the rule cannot see the other
    statement. Calls in exclusive branches (`if`/`else` arms, the two sides
    of a conditional expression or of `and`/`or`) do not count; tree
    recursion on attributes (`count(node.left) + count(node.right)`) and
    divide and conquer on computed bounds are never flagged.

    Judged on the Python 3.11.7 standard library (test/, tests/, idlelib/,
    lib2to3/ and site-packages excluded) and the sdists of aiohttp 3.9.5,
    httpx 0.27.0, httpie 3.2.2, discord.py 2.3.2, python-gitlab 4.4.0, pip
    24.0 (with its vendored packages), pre-commit 3.7.1 and sphinx 7.3.7
    (their tests included), reading every finding: no findings (library code
    rarely recurses this way), so precision on real code is unmeasured; the
    examples above are the evidence.
    """

    code = "PF303"
    name = "recursive-recomputation"
    level = Level.CACHING
    message = "Recursive function recomputes the same arguments (exponential time); add `@functools.cache`"
    weight = 3.0
    benchmark = Benchmark(
        setup=(
            "import functools\n"
            "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
            "@functools.cache\n"
            "def fib_cached(n):\n    return n if n < 2 else fib_cached(n - 1) + fib_cached(n - 2)\n"
        ),
        slow="fib(20)",
        fast="fib_cached.cache_clear()\nfib_cached(20)",
        size="n = 20",
    )

    valid = [
        # One self-call per activation: linear recursion.
        Valid("def fact(n):\n    return 1 if n < 2 else n * fact(n - 1)\n"),
        # Tree recursion: different nodes, no overlap.
        Valid("def size(node):\n    return 1 + size(node.left) + size(node.right)\n"),
        # Divide and conquer on computed bounds.
        Valid("def total(xs, lo, hi):\n    mid = (lo + hi) // 2\n    return total(xs, lo, mid) + total(xs, mid, hi)\n"),
        # Already cached, or memoized by hand through a passed-through dict.
        Valid("import functools\n@functools.cache\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"),
        Valid(
            "def fib(n, memo):\n    if n in memo:\n        return memo[n]\n"
            "    memo[n] = fib(n - 1, memo) + fib(n - 2, memo)\n    return memo[n]\n"
        ),
        # Exclusive branches: one call per activation.
        Valid("def f(n):\n    if n % 2:\n        return f(n - 1)\n    else:\n        return f(n - 2)\n"),
        Valid("def f(n):\n    return f(n - 1) if n % 2 else f(n - 2)\n"),
        Valid("def f(n):\n    if n % 2:\n        return f(n - 1)\n    return f(n - 3)\n"),
        Valid("def f(n):\n    a = f(n - 1)\n    return a or f(n - 2)\n"),
        # A method: see PF302.
        Valid("class A:\n    def fib(self, n):\n        return fib(n - 1) + fib(n - 2)\n"),
        # A nested function is re-created per call of its parent.
        Valid("def outer():\n    def fib(n):\n        return fib(n - 1) + fib(n - 2)\n    return fib\n"),
        # Unhashable parameter by annotation.
        Valid("def f(n, xs: list):\n    return f(n - 1, xs) + f(n - 2, xs)\n"),
        # A generator or coroutine cannot be cached this way.
        Valid("async def f(n):\n    return await f(n - 1) + await f(n - 2)\n"),
    ]
    invalid = [
        Invalid(
            """
            import functools

            def fib(n):
                if n < 2:
                    return n
                return fib(n - 1) + fib(n - 2)
            """,
            fixed="""
            import functools

            @functools.cache
            def fib(n):
                if n < 2:
                    return n
                return fib(n - 1) + fib(n - 2)
            """,
        ),
        # Sequential statements in one block; an annotated pass-through parameter.
        Invalid(
            """
            def paths(rows: int, cols: int, wall: tuple[int, int]) -> int:
                if rows == 0 or cols == 0:
                    return 1
                down = paths(rows - 1, cols, wall)
                right = paths(rows, cols - 1, wall)
                return down + right
            """,
            fixed="""
            import functools
            @functools.cache
            def paths(rows: int, cols: int, wall: tuple[int, int]) -> int:
                if rows == 0 or cols == 0:
                    return 1
                down = paths(rows - 1, cols, wall)
                right = paths(rows, cols - 1, wall)
                return down + right
            """,
        ),
        # Side effects (print) and a list result: the fix is unsafe.
        Invalid(
            """
            from functools import cache

            def words(n):
                print(n)
                if n < 2:
                    return ["a"]
                return words(n - 1) + words(n - 2)
            """,
            fixed="""
            from functools import cache

            @cache
            def words(n):
                print(n)
                if n < 2:
                    return ["a"]
                return words(n - 1) + words(n - 2)
            """,
            unsafe=True,
        ),
    ]

    needs = ("self-call2",)

    @classmethod
    def may_match(cls, text: str) -> bool:
        """Only an undecorated module-level function that calls itself by name at
        least twice: its name precedes a ``(`` three times, counting its ``def``.
        A piece that starts with a decorator, ``async`` or a class header holds none;
        one that starts with ``def`` holds one, the first."""
        if text.startswith(("@", "async", "class")):
            return False
        defined = _DEF.findall(text, 0, text.index("\n") if text.startswith("def") and "\n" in text else len(text))
        defined = [name for name in defined if text.count(name) >= 3]
        if not defined:
            return False
        called = Counter(_CALLED.findall(text))
        return any(called[name] >= 3 for name in defined)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if len(self.context.scopes) != 2 or node.decorators or node.asynchronous is not None:
            return
        name = node.name.value
        if name in self.context.scope.local_names:
            return  # a local of the same name shadows the function
        body = list(iter_own_nodes(node.body))
        if any(isinstance(n, (cst.Yield, cst.Global, cst.Nonlocal)) for n in body):
            return
        calls = [n for n in body if isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value == name]
        hashable = _hashable_params(node, calls)
        if hashable is None or not _two_per_activation(node.body, calls):
            return
        self.report(node.name, fix=self._fix(node, body, calls))

    def _fix(self, node: cst.FunctionDef, body: list[cst.CSTNode], calls: list[cst.Call]) -> Optional[FixSpec]:
        facts = self.context.facts
        if facts.imports.get("functools") == "functools":
            decorator, imports = "functools.cache", ()
        elif facts.imports.get("cache") == "functools.cache":
            decorator, imports = "cache", ()
        elif "functools" not in facts.all_names:
            decorator, imports = "functools.cache", ("import functools",)
        else:
            return None
        safe = _only_computes(node, body, calls)
        new = node.with_changes(decorators=[cst.Decorator(decorator=cst.parse_expression(decorator))])
        return FixSpec(f"Add `@{decorator}`", {node: new}, safe=safe, imports=imports)



def _params(node: cst.FunctionDef) -> Optional[dict[str, cst.Param]]:
    params = node.params
    if isinstance(params.star_arg, (cst.Param, cst.ParamStar)) or params.star_kwarg is not None:
        return None
    return {p.name.value: p for p in (*params.posonly_params, *params.params, *params.kwonly_params)}


def _shifted_param(expr: cst.BaseExpression, params: dict) -> Optional[str]:
    """``p - 1``, ``p + 2``, ``2 + p`` -> ``"p"``."""
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Subtract)):
        left, right = expr.left, expr.right
        if isinstance(left, cst.Name) and left.value in params and isinstance(right, cst.Integer):
            return left.value
        if isinstance(expr.operator, cst.Add) and isinstance(left, cst.Integer) and isinstance(right, cst.Name):
            return right.value if right.value in params else None
    return None


def _hashable_params(node: cst.FunctionDef, calls: list[cst.Call]) -> Optional[set[str]]:
    """The parameters, if every self-call shifts or passes them and each is provably hashable."""
    params = _params(node)
    if not params or len(calls) < 2:
        return None
    shifted: set[str] = set()
    for call in calls:
        for arg in call.args:
            if arg.star:
                return None
            value = arg.value
            name = _shifted_param(value, params)
            if name is not None:
                shifted.add(name)
            elif not (isinstance(value, cst.Name) and value.value in params) and not isinstance(value, cst.Integer):
                return None
    if not shifted:
        return None
    for name, param in params.items():
        if name in shifted and param.annotation is None:
            continue
        if param.annotation is None or not _hashable_annotation(param.annotation.annotation):
            return None
    return set(params)


def _hashable_annotation(annotation: cst.BaseExpression) -> bool:
    names = [n.value for n in iter_nodes(annotation) if isinstance(n, cst.Name)]
    return bool(names) and all(name in HASHABLE_ANNOTATIONS for name in names)


def _two_per_activation(body: cst.CSTNode, calls: list[cst.Call]) -> bool:
    """Do two self-calls run in the same activation, outside exclusive branches?"""
    wanted = {id(call) for call in calls}
    for block in (n for n in iter_own_nodes(body) if isinstance(n, cst.IndentedBlock)):
        run = 0
        for statement in block.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                run = 0
                continue
            for small in statement.body:
                run += sum(1 for n in _unconditional(small) if id(n) in wanted)
                if run >= 2:
                    return True
                if isinstance(small, TERMINATORS):
                    run = 0
    return False


def _unconditional(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Nodes evaluated whenever ``node`` is: not the arms of ``x if c else y`` or right of ``and``/``or``."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.ListComp, cst.SetComp,
                                cst.DictComp, cst.GeneratorExp)):
            continue
        if isinstance(current, cst.IfExp):
            stack.append(current.test)
        elif isinstance(current, cst.BooleanOperation):
            stack.append(current.left)
        else:
            stack.extend(children(current))


def _only_computes(node: cst.FunctionDef, body: list[cst.CSTNode], calls: list[cst.Call]) -> bool:
    """No side effects and no mutable results: caching cannot change what callers observe."""
    self_calls = {id(call) for call in calls}
    for sub in body:
        if isinstance(sub, cst.Call) and id(sub) not in self_calls:
            if not (isinstance(sub.func, cst.Name) and sub.func.value in PURE_BUILTINS):
                return False
        if isinstance(sub, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Del)):
            target = sub.target
            if any(isinstance(n, (cst.Attribute, cst.Subscript)) for n in iter_nodes(target)):
                return False
    assigned: dict[str, list[cst.BaseExpression]] = {}
    for sub in body:
        if isinstance(sub, cst.Assign):
            for target in sub.targets:
                if isinstance(target.target, cst.Name):
                    assigned.setdefault(target.target.value, []).append(sub.value)
                else:
                    return False  # unpacking: the values are not traced
        elif isinstance(sub, (cst.AugAssign, cst.AnnAssign, cst.For, cst.With, cst.NamedExpr)):
            return False  # other bindings are not traced either
    params = set(_params(node) or ())
    returns = [sub.value for sub in body if isinstance(sub, cst.Return) and sub.value is not None]
    return all(_immutable_result(value, params, assigned, set()) for value in returns)


def _immutable_result(expr: cst.BaseExpression, params: set[str], assigned: dict, seen: set[str]) -> bool:
    """Is ``expr`` a number, string or tuple whatever the inputs (parameters are hashable)?"""
    if isinstance(expr, IMMUTABLE_RESULTS):
        return True
    if isinstance(expr, cst.Name):
        if expr.value in params or expr.value in ("True", "False", "None"):
            return True
        if expr.value in seen or expr.value not in assigned:
            return False
        values = assigned[expr.value]
        return all(_immutable_result(v, params, assigned, seen | {expr.value}) for v in values)
    if isinstance(expr, cst.BinaryOperation):
        return _immutable_result(expr.left, params, assigned, seen) and _immutable_result(
            expr.right, params, assigned, seen
        )
    if isinstance(expr, cst.UnaryOperation):
        return _immutable_result(expr.expression, params, assigned, seen)
    if isinstance(expr, cst.IfExp):
        return _immutable_result(expr.body, params, assigned, seen) and _immutable_result(
            expr.orelse, params, assigned, seen
        )
    # A self-call (its own returns are checked) or a pure builtin (other calls already failed).
    return isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name)
