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
# ``def`` first, not ``\b``: the search then skips to each ``def`` (the word boundary is checked after).
_DEF = re.compile(r"def[\s\\]+(\w+)")
_CALLED = re.compile(r"\b(\w+)[\s\\]*\(")
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
    of a conditional expression or of `and`/`or`) do not count, except
    `or`/`and` between two self-calls of a yes/no search (annotated `-> bool`,
    or returning only `True`/`False`, comparisons, `not` and calls): there the
    second call runs whenever the first finds nothing (subset sum, word
    break). Tree recursion on attributes (`count(node.left) +
    count(node.right)`) and divide and conquer on computed bounds are never
    flagged. A step may be a literal, an item, an attribute or another
    parameter (`p(total - largest, largest)`, integer partitions), passed by
    position or by keyword (`self.fills(width=width - coin, coin=coin)`).
    Methods count with their receiver: `self.f(...)`, `cls.f(...)` in a
    classmethod, `Class.f(...)` in a staticmethod.

    Judged on the Python 3.11.7 standard library (test/, tests/, idlelib/,
    lib2to3/ and site-packages excluded) and the sdists of aiohttp 3.9.5,
    httpx 0.27.0, httpie 3.2.2, discord.py 2.3.2, python-gitlab 4.4.0, pip
    24.0 (with its vendored packages), pre-commit 3.7.1 and sphinx 7.3.7
    (their tests included), reading every finding: no findings (library code
    rarely recurses this way), so precision on real code is unmeasured; the
    examples above are the evidence. Judged again with the methods, nested
    functions and loop-driven self-calls on the Python 3.11.7 standard library (all of it, tests included) and the sdists of
    sympy 1.12, ansible-core 2.17.0, apache-superset 4.0.1, wagtail 6.1.3, networkx
    3.3, sqlglot 25.1.0, mkdocs 1.6.0, pelican 4.9.1, datasette 0.64.6, nbconvert
    7.16.4, cookiecutter 2.6.0 and Faker 25.2.0 (2026-12-07): 2 findings, 2 correct
    (sympy's `hermite` benchmark, two self-calls on `n - 1` and `n - 2`; and
    `bell._bell_incomplete_poly`, whose loop calls `(n - m, k - 1)` for every
    `m`, reaching the same arguments along many paths). On 2026-12-07, with
    parameter steps and yes/no `or`, again on the standard library and the
    49 sdists in the helpers' corpora (the list above plus locust, sentry-sdk,
    aiogram, discord.py, networkx 3.4.2, mlxtend, pvlib, seaborn and others):
    the same 2 findings, 2 of 2 correct. On 2026-12-08, with keyword-only
    parameters and self-calls in a loop over the same items in every
    activation (`min(p + cost(i + 1, day + n) for p, n in PASSES)`; not when
    the looped argument grows its own parameter, `prefix + (c,)`, nor when
    the items follow a parameter, `graph[node]`): the standard library and 28
    sdists of the helpers' corpora (sympy, networkx, superset, wagtail, DRF,
    celery, django-oscar, litestar, scrapy and others), and the 1,375 files
    of all the helpers' corpora that define `__contains__`, call `maketrans`
    or annotate an iterator return: the same 2 findings before and after.
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
        # A yes/no tree search: the two calls take different subtrees, nothing repeats.
        Valid("def has(node, k) -> bool:\n    return node is not None and (has(node.left, k) or has(node.right, k))\n"),
        # `or` in a function that returns values, not a yes/no answer: kept conservative.
        Valid("def first(n):\n    if n < 0:\n        return None\n    return first(n - 2) or first(n - 1)\n"),
        # A method that calls a module function of the same name, not itself.
        Valid("class A:\n    def fib(self, n):\n        return fib(n - 1) + fib(n - 2)\n"),
        # Merge sort and binary search: disjoint halves cut at a computed midpoint.
        Valid(
            "def sort(xs):\n    if len(xs) < 2:\n        return xs\n    mid = len(xs) // 2\n"
            "    return merge(sort(xs[:mid]), sort(xs[mid:]))\n"
        ),
        Valid(
            "def find(xs, x, lo, hi):\n    if lo > hi:\n        return -1\n    mid = (lo + hi) // 2\n"
            "    if xs[mid] < x:\n        return find(xs, x, mid + 1, hi)\n    return find(xs, x, lo, mid - 1)\n"
        ),
        # Tree walks: each call on a different child.
        Valid("def depth(t):\n    return 1 + max((depth(c) for c in t.children), default=0)\n"),
        # Head and tail each visited once: a walk, not overlapping subproblems.
        Valid("def flat(xs):\n    if not isinstance(xs, list) or not xs:\n        return [xs] if xs != [] else []\n"
              "    head, *tail = xs\n    return flat(head) + flat(tail)\n"),
        Valid("def total(xs):\n    if not xs:\n        return 0\n    rest = xs[1:]\n    rest = rest[::-1]\n"
              "    return total(rest) + total(rest)\n"),
        # Memoized by hand: a dict on the instance, or a memo filled first.
        Valid(
            "class G:\n    def routes(self, x, y):\n        if (x, y) in self.seen:\n            return self.seen[(x, y)]\n"
            "        self.seen[(x, y)] = r = self.routes(x + 1, y) + self.routes(x, y + 1)\n        return r\n"
        ),
        Valid(
            "def steps(n, memo=None):\n    memo = {} if memo is None else memo\n    if n in memo:\n        return memo[n]\n"
            "    memo[n] = sum(steps(n - s, memo) for s in (1, 2))\n    return memo[n]\n"
        ),
        # Enumeration: every path produces output; nothing is recomputed.
        Valid(
            "def gen(n, prefix, out):\n    if n == 0:\n        out.append(prefix)\n        return\n"
            "    gen(n - 1, prefix + '(', out)\n    gen(n - 1, prefix + ')', out)\n"
        ),
        # A loop whose variable does not feed the shrinking argument (backtracking).
        Valid(
            "def place(row, cols, n):\n    if row == n:\n        return 1\n"
            "    return sum(place(row + 1, cols | {c}, n) for c in range(n) if c not in cols)\n"
        ),
        # A traversal that threads a visited set through the calls.
        Valid(
            "def reach(node, depth=0, seen=None):\n    seen = set() if seen is None else seen\n    seen.add(node)\n"
            "    return {node} | reach(node, depth + 1, seen) | reach(node, depth + 2, seen)\n"
        ),
        # Each call takes what the previous one returned.
        Valid(
            "def refine(c, n):\n    if n <= 0:\n        return c\n    c = refine(c, n - 1)\n    return refine(c, n - 2)\n"
        ),
        # A cached method (PF302's concern) or an unknown decorator.
        Valid("import functools\nclass A:\n    @functools.cache\n    def f(self, n):\n        return self.f(n - 1) + self.f(n - 2)\n"),
        Valid("@trace\ndef fib(n):\n    return fib(n - 1) + fib(n - 2)\n"),
        # A classmethod that calls a different classmethod; a keyword-passing tree walk.
        Valid("class A:\n    @classmethod\n    def f(cls, n):\n        return cls.g(n - 1) + cls.g(n - 2)\n"),
        Valid("def size(node):\n    return 1 + size(node=node.left) + size(node=node.right)\n"),
        # A generator or coroutine cannot be cached this way.
        Valid("async def f(n):\n    return await f(n - 1) + await f(n - 2)\n"),
        # A loop over fixed items whose argument grows a parameter: every prefix is new.
        Valid(
            "ALPHABET = 'abc'\ndef words(prefix, n):\n    if n == 0:\n        return 1\n"
            "    return sum(words(prefix + (c,), n - 1) for c in ALPHABET)\n"
        ),
        # A walk over a parameter's neighbours: the loop's items change with the activation.
        Valid(
            "def paths(node, depth, graph):\n    if depth == 0:\n        return 1\n"
            "    return sum(paths(nxt, depth - 1, graph) for nxt in graph[node])\n"
        ),
    ]
    invalid = [
        # Keyword-only parameters (a bare ``*``), passed by keyword.
        Invalid(
            """
            import functools

            def routes(*, rows: int, cols: int) -> int:
                if rows == 1 or cols == 1:
                    return 1
                return routes(rows=rows - 1, cols=cols) + routes(rows=rows, cols=cols - 1)
            """,
            fixed="""
            import functools

            @functools.cache
            def routes(*, rows: int, cols: int) -> int:
                if rows == 1 or cols == 1:
                    return 1
                return routes(rows=rows - 1, cols=cols) + routes(rows=rows, cols=cols - 1)
            """,
        ),
        # A loop over the same items in every activation: one argument steps a parameter, another
        # follows the loop (the cheapest pass cover of a trip calendar).
        Invalid(
            """
            PASSES = ((2, 1), (7, 7), (25, 30))

            def cover(days, i, until):
                if i == len(days):
                    return 0
                if days[i] <= until:
                    return cover(days, i + 1, until)
                return min(price + cover(days, i + 1, days[i] + length - 1) for price, length in PASSES)
            """,
            fixed=None,
        ),
        # A classmethod calling itself through ``cls``. No fix (a cache on a method is PF302's concern).
        Invalid(
            """
            class Tilings:
                @classmethod
                def ways(cls, width):
                    if width <= 1:
                        return 1
                    return cls.ways(width - 1) + cls.ways(width - 2)
            """,
            fixed=None,
        ),
        # Steps passed by keyword.
        Invalid(
            """
            class Change:
                def fills(self, width, coin):
                    if width == 0:
                        return 1
                    if width < 0 or coin == 0:
                        return 0
                    return self.fills(width=width - coin, coin=coin) + self.fills(width=width, coin=coin - 1)
            """,
            fixed=None,
        ),
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
        # Default parameters and a sum over a loop of self-calls.
        Invalid(
            """
            def staircase(n, steps=(1, 2, 3)):
                if n == 0:
                    return 1
                if n < 0:
                    return 0
                return sum(staircase(n - s, steps) for s in steps)
            """,
            fixed=None,
        ),
        # Catalan numbers: two self-calls in a comprehension over range(n).
        Invalid(
            """
            def bracketings(n: int) -> int:
                if n <= 1:
                    return 1
                return sum(bracketings(i) * bracketings(n - 1 - i) for i in range(n))
            """,
            fixed="""
            import functools


            @functools.cache
            def bracketings(n: int) -> int:
                if n <= 1:
                    return 1
                return sum(bracketings(i) * bracketings(n - 1 - i) for i in range(n))
            """,
        ),
        # Edit distance on slices; decode ways with a call under an `if`.
        Invalid(
            """
            def edit_distance(a: str, b: str) -> int:
                if not a or not b:
                    return len(a) + len(b)
                if a[0] == b[0]:
                    return edit_distance(a[1:], b[1:])
                return 1 + min(edit_distance(a[1:], b), edit_distance(a, b[1:]), edit_distance(a[1:], b[1:]))
            """,
            fixed="""
            import functools


            @functools.cache
            def edit_distance(a: str, b: str) -> int:
                if not a or not b:
                    return len(a) + len(b)
                if a[0] == b[0]:
                    return edit_distance(a[1:], b[1:])
                return 1 + min(edit_distance(a[1:], b), edit_distance(a, b[1:]), edit_distance(a[1:], b[1:]))
            """,
        ),
        Invalid(
            """
            def decodings(code):
                if not code:
                    return 1
                total = decodings(code[1:])
                if len(code) >= 2 and int(code[:2]) <= 26:
                    total += decodings(code[2:])
                return total
            """,
            fixed=None,
        ),
        # Methods: grid paths with default arguments; knapsack with an early return between the calls.
        Invalid(
            """
            class Router:
                def routes(self, x: int = 0, y: int = 0) -> int:
                    if x >= self.width or y >= self.height:
                        return 0
                    return self.routes(x + 1, y) + self.routes(x, y + 1)
            """,
            fixed=None,
        ),
        Invalid(
            """
            class Planner:
                def best(self, i=0, remaining=None):
                    remaining = self.budget if remaining is None else remaining
                    if i == len(self.jobs):
                        return 0
                    cost, value = self.jobs[i]
                    skip = self.best(i + 1, remaining)
                    if cost > remaining:
                        return skip
                    return max(skip, value + self.best(i + 1, remaining - cost))
            """,
            fixed=None,
        ),
        # A nested function: cached per call of its parent (unsafe: it reads the parent's names).
        Invalid(
            """
            import functools

            def count(n):
                def fib(k):
                    return k if k < 2 else fib(k - 1) + fib(k - 2)
                return fib(n)
            """,
            fixed="""
            import functools

            def count(n):
                @functools.cache
                def fib(k):
                    return k if k < 2 else fib(k - 1) + fib(k - 2)
                return fib(n)
            """,
            unsafe=True,
        ),
        # An unhashable parameter: reported, no fix.
        Invalid("def f(n, xs: list):\n    return 1 if n < 2 else f(n - 1, xs) + f(n - 2, xs)\n", fixed=None),
        # A step that is another parameter: integer partitions, p(total - largest, largest).
        Invalid(
            """
            class Partitions:
                def ways(self, total: int, largest: int) -> int:
                    if total == 0:
                        return 1
                    if total < 0 or largest == 0:
                        return 0
                    return self.ways(total - largest, largest) + self.ways(total, largest - 1)
            """,
            fixed=None,
        ),
        # A yes/no search: the right of `or` runs whenever the left finds nothing (subset sum).
        Invalid(
            """
            import functools

            def fits(sizes: tuple, room: int, i: int = 0) -> bool:
                if room == 0:
                    return True
                if i == len(sizes) or room < 0:
                    return False
                return fits(sizes, room - sizes[i], i + 1) or fits(sizes, room, i + 1)
            """,
            fixed="""
            import functools

            @functools.cache
            def fits(sizes: tuple, room: int, i: int = 0) -> bool:
                if room == 0:
                    return True
                if i == len(sizes) or room < 0:
                    return False
                return fits(sizes, room - sizes[i], i + 1) or fits(sizes, room, i + 1)
            """,
            unsafe=True,
        ),
        # The sequence shrinks through a local: `first, *rest = parts`, then `tuple(rest)`.
        Invalid(
            """
            import functools

            def sums(target: int, parts: tuple) -> int:
                if target == 0:
                    return 1
                if target < 0 or not parts:
                    return 0
                first, *rest = parts
                return sums(target - first, parts) + sums(target, tuple(rest))
            """,
            fixed="""
            import functools

            @functools.cache
            def sums(target: int, parts: tuple) -> int:
                if target == 0:
                    return 1
                if target < 0 or not parts:
                    return 0
                first, *rest = parts
                return sums(target - first, parts) + sums(target, tuple(rest))
            """,
            unsafe=True,
        ),
    ]

    needs = ("self-call2",)

    @classmethod
    def may_match(cls, text: str) -> bool:
        """A function that calls itself: a name defined by ``def`` that precedes a ``(``
        at least twice, counting its ``def``."""
        names = [
            match[1]
            for match in _DEF.finditer(text)
            if not (match.start() and (text[match.start() - 1].isalnum() or text[match.start() - 1] == "_"))
            and text.count(match[1]) >= 2  # cheap: most never recur
        ]
        if not names:
            return False
        called = Counter(_CALLED.findall(text))
        return any(called[name] >= 2 for name in names)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        context = self.context
        scopes = context.scopes
        if len(scopes) < 2 or node.asynchronous is not None:
            return
        name = node.name.value
        kind = "function"
        if len(scopes) >= 3 and scopes[-2].kind == "class":
            kind = "method"
        for decorator in node.decorators:
            expr = decorator.decorator
            qualified = context.qualified_name(expr) if not isinstance(expr, cst.Call) else None
            if qualified == "builtins.staticmethod" and kind == "method":
                kind = "static"
            elif qualified == "builtins.classmethod" and kind == "method":
                pass  # ``cls.name(...)``: the first parameter is the receiver, as ``self`` is
            else:
                return  # a cache, or a wrapper whose effect is unknown
        if kind == "function" and name in context.scope.local_names:
            return  # a local of the same name shadows the function
        body = list(iter_own_nodes(node.body))
        if any(isinstance(n, (cst.Yield, cst.Global, cst.Nonlocal, cst.Await)) for n in body):
            return
        receiver = _receiver(node, kind, scopes)
        if kind == "method" and receiver is None:
            return
        calls = [n for n in body if isinstance(n, cst.Call) and _calls_itself(n, name, kind, receiver, scopes)]
        if not calls or _memoized(body):
            return
        params = _params(node)
        if params is None:
            return
        parents = _parent_map(node.body)
        order = list(params)[1:] if kind == "method" else list(params)
        if _threads_state(body, calls) or _threads_results(node, name, kind, receiver, scopes, calls):
            return  # each call takes what the previous one returned: a search, not overlapping subproblems
        divided, tails_memo = _divided_names(body), {}
        shrinking = [
            c for c in calls if _shrinks(c, order, params, parents, node, divided, tails_memo, body) and _value_used(c, parents)
        ]
        if not shrinking or not _has_value_return(body):
            return
        boolean = _boolean_valued(node, body)
        if not (_in_varying_loop(shrinking, order, params, parents, node) or _two_together(shrinking, parents, boolean)):
            return
        fix = None
        if kind == "function" and len(shrinking) == len(calls):
            fix = self._fix(node, body, calls, nested=len(scopes) > 2)
        message = self.message if kind == "function" else (
            "Recursive method recomputes the same arguments (exponential time); memoize it "
            "(a dict keyed by the arguments, or a cached inner function)"
        )
        self.report(node.name, message, fix=fix)

    def _fix(
        self, node: cst.FunctionDef, body: list[cst.CSTNode], calls: list[cst.Call], nested: bool = False
    ) -> Optional[FixSpec]:
        if not _all_hashable(node, calls):
            return None
        facts = self.context.facts
        if facts.imports.get("functools") == "functools":
            decorator, imports = "functools.cache", ()
        elif facts.imports.get("cache") == "functools.cache":
            decorator, imports = "cache", ()
        elif "functools" not in facts.all_names:
            decorator, imports = "functools.cache", ("import functools",)
        else:
            return None
        # A nested function reads its parent's variables, which may change between calls.
        safe = _only_computes(node, body, calls) and not nested
        new = node.with_changes(decorators=[cst.Decorator(decorator=cst.parse_expression(decorator))])
        return FixSpec(f"Add `@{decorator}`", {node: new}, safe=safe, imports=imports)



def _params(node: cst.FunctionDef) -> Optional[dict[str, cst.Param]]:
    params = node.params
    # A bare ``*`` only makes the parameters after it keyword-only: they are still named ones.
    if isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
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


# --- recursion shapes ---------------------------------------------------------------

_LOOPS = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_DIVIDING = (cst.FloorDivide, cst.Divide, cst.RightShift)
CACHE_WORDS = ("memo", "cache")


def _receiver(node: cst.FunctionDef, kind: str, scopes) -> Optional[str]:
    """``self`` for a method, the class name for a staticmethod."""
    if kind == "static":
        return scopes[-2].name
    if kind != "method":
        return None
    params = node.params.posonly_params or node.params.params
    return params[0].name.value if params else None


def _calls_itself(call: cst.Call, name: str, kind: str, receiver: Optional[str], scopes) -> bool:
    func = call.func
    if kind == "function":
        return isinstance(func, cst.Name) and func.value == name
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == name
        and isinstance(func.value, cst.Name)
        and func.value.value == receiver
    )


def _memoized(body: list[cst.CSTNode]) -> bool:
    """A memo consulted by hand: an item stored (``memo[k] = v``, ``self.cache[k] = v``),
    ``setdefault``, or a name that says memo or cache."""
    for sub in body:
        if isinstance(sub, cst.AssignTarget) and isinstance(sub.target, cst.Subscript):
            return True
        if isinstance(sub, cst.Call) and isinstance(sub.func, cst.Attribute) and sub.func.attr.value == "setdefault":
            return True
        if isinstance(sub, cst.Name) and any(word in sub.value.lower() for word in CACHE_WORDS):
            return True
    return False


def _parent_map(root: cst.CSTNode) -> dict[int, cst.CSTNode]:
    parents: dict[int, cst.CSTNode] = {}
    for node in iter_own_nodes(root):
        for child in children(node):
            parents[id(child)] = node
    return parents


def _chain(node: cst.CSTNode, parents: dict[int, cst.CSTNode]) -> list[cst.CSTNode]:
    """``node`` and its ancestors inside the function, innermost first."""
    chain = [node]
    while id(chain[-1]) in parents:
        chain.append(parents[id(chain[-1])])
    return chain


def _loop_names(call: cst.Call, parents, function: cst.FunctionDef) -> dict[str, cst.BaseExpression]:
    """Names bound by the loops and comprehensions around the call -> their iterable."""
    from perflint.context import names_in_target

    found: dict[str, cst.BaseExpression] = {}
    for ancestor in _chain(call, parents)[1:]:
        comp_for = None
        if isinstance(ancestor, cst.For):
            for name in names_in_target(ancestor.target):
                found.setdefault(name, ancestor.iter)
        elif isinstance(ancestor, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
            comp_for = ancestor.for_in
        while comp_for is not None:
            for name in names_in_target(comp_for.target):
                found.setdefault(name, comp_for.iter)
            comp_for = comp_for.inner_for_in
    return found


def _divided_names(own: list[cst.CSTNode]) -> set[str]:
    """Local names bound to something computed with ``//``, ``/``, ``>>`` or ``len()``: midpoints
    (``own``: the function's own nodes, ``iter_own_nodes`` of its body)."""
    names: set[str] = set()
    for sub in own:
        if isinstance(sub, cst.Assign):
            value = sub.value
            if any(
                (isinstance(n, cst.BinaryOperation) and isinstance(n.operator, _DIVIDING))
                or (isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value == "len")
                for n in iter_nodes(value)
            ):
                for target in sub.targets:
                    names |= {n.value for n in iter_nodes(target.target) if isinstance(n, cst.Name)}
    return names


def _positions(call: cst.Call, order: list[str]) -> list[tuple[cst.Arg, Optional[str]]]:
    """Each argument with the parameter it binds (None when unknown)."""
    pairs: list[tuple[cst.Arg, Optional[str]]] = []
    position = 0
    named = frozenset(order)
    for arg in call.args:
        if arg.star:
            pairs.append((arg, None))
        elif arg.keyword is not None:
            pairs.append((arg, arg.keyword.value if arg.keyword.value in named else None))
        else:
            pairs.append((arg, order[position] if position < len(order) else None))
            position += 1
    return pairs


def _shrinks(call: cst.Call, order: list[str], params: dict, parents, function: cst.FunctionDef, divided: set[str],
             tails_memo: dict, own: list[cst.CSTNode]) -> bool:
    """Does some argument shrink the parameter it is passed for by a step (``n - 1``,
    ``n - coins[0]``, ``code[2:]``, ``i`` over ``range(n)``), rather than cut it at a
    computed midpoint (``divided``: the function's ``_divided_names``)? The function's tails
    are read from its ``own`` nodes only when no argument shrinks its parameter directly,
    once per set of loops around the calls (``tails_memo``)."""
    loops = _loop_names(call, parents, function)
    pairs = [(arg, param) for arg, param in _positions(call, order) if param is not None]
    if any(_shrunk(arg.value, param, params, loops, divided) for arg, param in pairs):
        return True
    key = tuple(sorted((name, id(node)) for name, node in loops.items()))
    tails = tails_memo.get(key)
    if tails is None:
        tails = tails_memo[key] = _tails(own, params, loops, divided)
    return any(_tail_of(arg.value, param, tails) for arg, param in pairs)


def _tails(own: list[cst.CSTNode], params: dict, loops: dict, divided: set[str]) -> dict[str, str]:
    """Locals bound once to a parameter minus its head: ``first, *rest = coins`` or
    ``rest = coins[1:]`` -> ``{"rest": "coins"}``."""
    from perflint.context import names_in_target

    found: dict[str, str] = {}
    bound: dict[str, int] = {}
    for sub in own:
        targets: list[cst.BaseExpression] = []
        if isinstance(sub, cst.Assign):
            targets = [t.target for t in sub.targets]
        elif isinstance(sub, (cst.AugAssign, cst.AnnAssign, cst.For, cst.WithItem, cst.NamedExpr)):
            targets = [getattr(sub, "target", None) or getattr(sub, "asname", None)]
        for target in targets:
            if target is None:
                continue
            for name in names_in_target(target.name if isinstance(target, cst.AsName) else target):
                bound[name] = bound.get(name, 0) + 1
        if not isinstance(sub, cst.Assign) or len(sub.targets) != 1:
            continue
        target, value = sub.targets[0].target, sub.value
        if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, cst.Name) and value.value in params:
            stars = [e for e in target.elements if isinstance(e, cst.StarredElement)]
            heads = [e for e in target.elements if not isinstance(e, cst.StarredElement)]
            if len(stars) == 1 and heads and isinstance(stars[0].value, cst.Name) and target.elements[-1] is stars[0]:
                found[stars[0].value.value] = value.value
        elif isinstance(target, cst.Name):
            for base in params:
                if _shrunk(value, base, params, loops, divided):
                    found[target.value] = base
                    break
    return {name: base for name, base in found.items() if bound.get(name) == 1}


def _tail_of(expr: cst.BaseExpression, base: str, tails: dict[str, str]) -> bool:
    """``rest``, ``tuple(rest)`` or ``list(rest)`` for a tail of ``base``."""
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value in ("tuple", "list"):
        if len(expr.args) != 1 or expr.args[0].star or expr.args[0].keyword is not None:
            return False
        expr = expr.args[0].value
    return isinstance(expr, cst.Name) and tails.get(expr.value) == base


def _threads_results(function, name, kind, receiver, scopes, calls) -> bool:
    """Does a self-call take a name that another self-call's result was assigned to?"""
    from perflint.context import names_in_target

    results: set[str] = set()
    for sub in iter_own_nodes(function.body):
        if isinstance(sub, cst.Assign) and any(
            isinstance(n, cst.Call) and _calls_itself(n, name, kind, receiver, scopes) for n in iter_nodes(sub.value)
        ):
            for target in sub.targets:
                results |= names_in_target(target.target)
    if not results:
        return False
    return any(
        isinstance(n, cst.Name) and n.value in results for call in calls for arg in call.args for n in iter_nodes(arg.value)
    )


def _step(expr: cst.BaseExpression, params: dict, loops: dict, divided: set[str], base: str = "") -> bool:
    """A step size: a literal, a name that is not a midpoint, an item or attribute, or another
    parameter (``p(total - largest, largest)``: the partition count's part size)."""
    if isinstance(expr, cst.Integer):
        return True
    if isinstance(expr, cst.Name):
        return expr.value not in divided and expr.value != base
    if isinstance(expr, (cst.Subscript, cst.Attribute)):
        return not any(isinstance(n, cst.Name) and n.value in divided for n in iter_nodes(expr))
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Subtract)):
        return _step(expr.left, params, loops, divided, base) and _step(expr.right, params, loops, divided, base)
    return False


def _shrunk(expr: cst.BaseExpression, base: str, params: dict, loops: dict, divided: set[str]) -> bool:
    """Is ``expr`` the parameter ``base`` made smaller by a step?"""
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Subtract)):
        left, right = expr.left, expr.right
        if isinstance(left, cst.Name) and left.value == base:
            return _step(right, params, loops, divided, base)
        if _shrunk(left, base, params, loops, divided):
            return _step(right, params, loops, divided, base)
        if isinstance(expr.operator, cst.Add) and isinstance(right, cst.Name) and right.value == base:
            return isinstance(left, cst.Integer)
        return False
    if isinstance(expr, cst.Name) and expr.value in loops:
        iterable = loops[expr.value]
        # ``i`` over ``range(n)``/``range(1, n + 1)``, passed for ``n``: smaller than it.
        return (
            isinstance(iterable, cst.Call)
            and isinstance(iterable.func, cst.Name)
            and iterable.func.value == "range"
            and any(isinstance(n, cst.Name) and n.value == base for a in iterable.args for n in iter_nodes(a.value))
        )
    if isinstance(expr, cst.Subscript) and isinstance(expr.value, cst.Name) and expr.value.value == base:
        if len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Slice):
            return False
        cut = expr.slice[0].slice
        if cut.step is not None:
            return False
        if cut.lower is not None and cut.upper is None:
            return _step(cut.lower, params, loops, divided) and not _is_zero(cut.lower)
        if cut.lower is None and cut.upper is not None:
            upper = cut.upper
            return isinstance(upper, cst.UnaryOperation) and isinstance(upper.expression, cst.Integer)
    return False


def _is_zero(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Integer) and expr.evaluated_value == 0


def _value_used(call: cst.Call, parents) -> bool:
    """The call's result is used: not a statement of its own (enumeration, side effects)."""
    parent = parents.get(id(call))
    return not isinstance(parent, cst.Expr)


def _has_value_return(body: list[cst.CSTNode]) -> bool:
    return any(isinstance(n, cst.Return) and n.value is not None for n in body)


def _in_varying_loop(calls: list[cst.Call], order: list[str], params: dict, parents, function: cst.FunctionDef) -> bool:
    """A self-call in a loop (or comprehension) whose shrinking argument follows the loop's
    variable: ``sum(f(n - s) for s in steps)``, ``f(i) * f(n - 1 - i) for i in range(n)``."""
    own = list(iter_own_nodes(function.body))
    divided = _divided_names(own)
    fixed: Optional[set[str]] = None  # names an iterable may read and stay the same in every activation
    for call in calls:
        loops = _loop_names(call, parents, function)
        if not loops:
            continue
        pairs = _positions(call, order)
        for arg, param in pairs:
            mentioned = {n.value for n in iter_nodes(arg.value) if isinstance(n, cst.Name)}
            if param is not None and mentioned & loops.keys() and _shrunk(arg.value, param, params, loops, divided):
                return True
        # ``min(price + cost(i + 1, day + length) for price, length in zip(PRICES, LENGTHS))``: one
        # argument steps a parameter, another follows the loop, and the loop runs over the same
        # items in every activation (it reads no parameter and no local), so activations share
        # their subproblems. A walk over a parameter's children (``for c in node.children``) does not.
        if not any(param is not None and _shrunk(arg.value, param, params, loops, divided) for arg, param in pairs):
            continue
        # The argument that follows the loop replaces its parameter (``day + length`` for
        # ``covered_until``), it does not grow it (``prefix + (x,)`` for ``prefix``: all distinct).
        following = [
            (arg, param) for arg, param in pairs
            if any(isinstance(n, cst.Name) and n.value in loops for n in iter_nodes(arg.value))
        ]
        if not following or any(
            param is None or any(isinstance(n, cst.Name) and n.value == param for n in iter_nodes(arg.value))
            for arg, param in following
        ):
            continue
        if fixed is None:
            fixed = _unbound_here(function, own)
        iterables = {id(it): it for it in loops.values()}.values()
        if all(
            all(n.value in fixed for n in iter_nodes(it) if isinstance(n, cst.Name)) for it in iterables
        ):
            return True
    return False


def _unbound_here(function: cst.FunctionDef, own: list[cst.CSTNode]) -> set[str]:
    """Names read in ``function`` that it binds neither as parameters nor as locals (the loop
    targets of its comprehensions excluded: they are checked apart)."""
    from perflint.context import names_in_target

    bound = {p.name.value for p in (*function.params.posonly_params, *function.params.params,
                                     *function.params.kwonly_params)}
    if isinstance(function.params.star_arg, cst.Param):
        bound.add(function.params.star_arg.name.value)
    if function.params.star_kwarg is not None:
        bound.add(function.params.star_kwarg.name.value)
    for sub in own:
        if isinstance(sub, cst.Assign):
            for target in sub.targets:
                bound |= names_in_target(target.target)
        elif isinstance(sub, (cst.AugAssign, cst.AnnAssign, cst.For)):
            bound |= names_in_target(sub.target)
        elif isinstance(sub, cst.NamedExpr):
            bound |= names_in_target(sub.target)
        elif isinstance(sub, cst.WithItem) and sub.asname is not None:
            bound |= names_in_target(sub.asname.name)
    read = {n.value for n in own if isinstance(n, cst.Name)}
    return read - bound


def _two_together(calls: list[cst.Call], parents, boolean: bool = False) -> bool:
    """Can two of the self-calls run in the same activation?"""
    for i, first in enumerate(calls):
        for second in calls[i + 1 :]:
            if _together(first, second, parents, boolean):
                return True
    return False


def _boolean_valued(function: cst.FunctionDef, body: list[cst.CSTNode]) -> bool:
    """A yes/no search (``-> bool``, or every ``return`` gives ``True``/``False``, a comparison,
    ``not``, ``and``/``or`` or a call): in ``f(a) or f(b)`` the second call runs whenever the
    first finds nothing, which is most of the time in a search (subset sum, word break)."""
    returns = function.returns
    if returns is not None:
        return isinstance(returns.annotation, cst.Name) and returns.annotation.value == "bool"
    values = [n.value for n in body if isinstance(n, cst.Return)]
    if not values or not any(isinstance(v, cst.Name) and v.value in ("True", "False") for v in values):
        return False
    return all(
        isinstance(v, (cst.Comparison, cst.BooleanOperation, cst.Call))
        or (isinstance(v, cst.Name) and v.value in ("True", "False"))
        or (isinstance(v, cst.UnaryOperation) and isinstance(v.operator, cst.Not))
        for v in values
    )


def _together(a: cst.Call, b: cst.Call, parents, boolean: bool = False) -> bool:
    chain_a, chain_b = _chain(a, parents), _chain(b, parents)
    ids_b = {id(n): position for position, n in enumerate(chain_b)}
    for position, ancestor in enumerate(chain_a):
        if id(ancestor) in ids_b:
            break
    else:
        return False
    lca = ancestor
    under_a = chain_a[position - 1] if position > 0 else None
    under_b = chain_b[ids_b[id(lca)] - 1] if ids_b[id(lca)] > 0 else None
    if isinstance(lca, cst.If) and under_a is not under_b:
        return False  # the `if` body and its `else`
    if isinstance(lca, cst.IfExp) and (under_a is not lca.test and under_b is not lca.test):
        return False  # the two arms
    if boolean and isinstance(lca, cst.BooleanOperation):
        return True  # a search: `f(t - w, i + 1) or f(t, i + 1)` tries both branches when nothing is found
    if _right_of_or_and(chain_a, lca) or _right_of_or_and(chain_b, lca):
        return False  # the right side of `and`/`or` runs only on the left's result (kept conservative)
    if isinstance(lca, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        statements = list(lca.body)
        first, second = statements.index(under_a), statements.index(under_b)
        if first > second:
            first, second = second, first
            a, chain_a = b, chain_b
        # Code between the two that always leaves the function keeps the second from running.
        if _leaves_after(a, chain_a, lca):
            return False
        for statement in statements[first + 1 : second]:
            if isinstance(statement, cst.SimpleStatementLine) and any(isinstance(s, TERMINATORS) for s in statement.body):
                return False
    # Inside one simple statement: exclusive parts were handled above.
    return True


def _leaves_after(call: cst.Call, chain: list[cst.CSTNode], stop: cst.CSTNode) -> bool:
    """Does the function leave right after ``call`` (its statement returns or raises, or a
    later statement of an enclosing block does), before control reaches ``stop``'s next statement?"""
    for position, node in enumerate(chain):
        if node is stop:
            return False
        if isinstance(node, cst.SimpleStatementLine) and any(isinstance(s, TERMINATORS) for s in node.body):
            return True
        parent = chain[position + 1] if position + 1 < len(chain) else None
        if isinstance(parent, cst.IndentedBlock) and parent is not stop:
            statements = list(parent.body)
            for later in statements[statements.index(node) + 1 :]:
                if isinstance(later, cst.SimpleStatementLine) and any(isinstance(s, TERMINATORS) for s in later.body):
                    return True
    return False


def _right_of_or_and(chain: list[cst.CSTNode], stop: cst.CSTNode) -> bool:
    for position, node in enumerate(chain[:-1]):
        if node is stop:
            return False
        parent = chain[position + 1]
        if isinstance(parent, cst.BooleanOperation) and parent.right is node:
            return True
    return False


def _all_hashable(node: cst.FunctionDef, calls: list[cst.Call]) -> bool:
    """Every parameter is hashable: by annotation (``int``, ``str``, ``tuple``...), or, without
    one, because some self-call shifts it by an integer (so it is a number)."""
    params = _params(node)
    if not params:
        return False
    shifted = {
        name
        for call in calls
        for arg in call.args
        if not arg.star and (name := _shifted_param(arg.value, params)) is not None
    }
    for name, param in params.items():
        if param.annotation is not None:
            if not _hashable_annotation(param.annotation.annotation):
                return False
        elif name not in shifted:
            return False
    return True


_MUTATING = frozenset({"add", "append", "extend", "update", "discard", "remove", "pop", "insert", "clear", "setdefault"})


def _threads_state(body: list[cst.CSTNode], calls: list[cst.Call]) -> bool:
    """A self-call hands on a collection that the function changes (a ``seen`` set, a path
    list): a traversal with state, where each call sees different contents."""
    passed = {arg.value.value for call in calls for arg in call.args if isinstance(arg.value, cst.Name)}
    for sub in body:
        if isinstance(sub, cst.Call) and isinstance(sub.func, cst.Attribute) and sub.func.attr.value in _MUTATING:
            if isinstance(sub.func.value, cst.Name) and sub.func.value.value in passed:
                return True
    return False
