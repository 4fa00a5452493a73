"""PF311 method-cache-on-per-call-instance."""

from __future__ import annotations

import ast

import libcst as cst
from perflint.model import Level
from perflint.repetition import built_repeatedly
from perflint.rule import Benchmark, Invalid, Rule, Valid
from perflint.rules.caching.lru_cache_on_method import cached_instance_method, decorator_names, unbounded_cache


class MethodCacheOnPerCallInstance(Rule):
    """
    ## What it does
    Flags an unbounded `functools` cache (`@functools.cache`,
    `@lru_cache(maxsize=None)`) on an instance method of a class that the
    same module builds again and again: `Cls(...)` in a loop or
    comprehension, or in a function that runs per request, task or item (a
    route, a Celery task, a template tag, a function called in a loop...), a
    FastAPI dependency class (`Depends(Cls)`, `Annotated[Cls, Depends()]`),
    or a class whose methods the framework runs on a new instance per
    request (a class-based view, a REST resource).

    ## Why is this slow?
    The cache lives on the class's function and `self` is part of every key,
    so no entry is ever read by the next instance, and an unbounded cache
    keeps every instance it has seen (and what it holds: the request, a
    session, rows) alive for the life of the process: a memory leak that
    grows with traffic until the worker is killed or swaps. The time per
    call is not the problem: measured with `timeit` on Python 3.11.7 (a
    shared two-core box), 1,000 instances holding 50 small rows each, built
    and asked twice, took 26-30 ms with `@lru_cache(maxsize=None)` on the
    method against 21-23 ms with a dict on the instance (1.3x), but after 30
    such passes the cache held all 30,000 instances and their rows, where
    the dict version held none. At 300 requests a second that is about a
    million leaked instances an hour. In a process that keeps running, the
    kept instances also slow everything else down: once 100,000 were kept,
    building and asking 10,000 more took 0.30 s against 0.027 s without the
    cache (11x, measured 2026-12-08), because every full garbage collection
    walks them. `benchmarks/rule_speedups.py` measures the best of fresh runs
    (1.5x), under the 2x bar of a default rule, so the rule is in the opt-in
    `micro` group: `--select PF311` or `--select micro`.

    ## Example
    ```python
    class PriceBook:
        def __init__(self, settings):
            self.settings = settings

        @functools.lru_cache(maxsize=None)
        def tier(self, qty):
            return max(i for i, b in enumerate(TIER_BREAKS) if qty >= b)

    @app.post("/quote")
    def quote(cart, book: Annotated[PriceBook, Depends(PriceBook)]):
        return [book.tier(line.qty) for line in cart]
    ```

    ## Use instead
    ```python
    class PriceBook:
        def __init__(self, settings):
            self.settings = settings
            self._tiers = {}

        def tier(self, qty):
            if qty not in self._tiers:
                self._tiers[qty] = max(i for i, b in enumerate(TIER_BREAKS) if qty >= b)
            return self._tiers[qty]
    ```
    Or a module-level cached function keyed by what the method really reads
    (`qty` here), which every instance then shares; `cached_property` for a
    method that takes only `self`.

    ## Fix safety
    No fix: the rewrite decides whether the cache is per instance or shared.

    ## Known false positives
    A class built repeatedly in the module but whose instances are few in
    practice (a loop over a handful of configured backends). A bounded cache
    (`lru_cache()`, `maxsize=256`) keeps at most that many instances: it is
    left to PF302 (opt-in). The rule skips
    what PF302 skips: staticmethods and classmethods, Enum classes, classes
    that look like singletons, value objects (NamedTuple, frozen dataclass, a
    class defining `__hash__`), a `@property` over the cache (PF307's
    finding) and caches acknowledged with `# noqa: B019`. Instances built only
    at module level, in `__main__` code or in functions that run once are no
    evidence: those classes are left to PF302 (opt-in).

    Judged on 2026-12-08 on the Python 3.11.7 standard library and the sdists
    of django-tables2 3.0.1, django-filter 26.2, drf-flex-fields 1.0.2, pluggy
    1.7.0, django-cors-headers 4.9.0, django-csp 4.0, django-debug-toolbar
    8.0.0 and django-rest-knox 5.1.0, and the 17 sdists of the real-code
    caching hold-outs (authlib, django-allauth, mkdocs, pelican...): no
    finding, so its precision on real code is not yet measured.
    """

    code = "PF311"
    name = "method-cache-on-per-call-instance"
    level = Level.CACHING
    message = (
        "`lru_cache`/`cache` on a method of `{cls}`, {why}: no later instance reads the "
        "cache, and it keeps every instance alive; cache on the instance or in a module-level function"
    )
    weight = 1.5
    # Opt-in: its benchmark measures 1.5x in time, under the 2x bar of a default rule; the cost
    # it removes is memory (every instance kept alive), which the time benchmark cannot show.
    micro = True
    triggers = ("cache",)
    whole_class = True  # reads the bases and sibling members

    @classmethod
    def may_match_piece(cls, nodes: tuple, facts, path: str) -> bool:
        # Only a class with a cached method that the module builds repeatedly can be reported.
        # The decorator test comes first: which classes are built repeatedly is a walk of the
        # whole module, too dear for every piece that merely spells "cache".
        classes = [node for node in nodes if isinstance(node, ast.ClassDef) and _has_cached_method(node)]
        if not classes:
            return False
        built = built_repeatedly(facts, path)
        return any(node.name in built for node in classes)

    benchmark = Benchmark(
        setup=(
            "import functools\n"
            "class Slow:\n"
            "    def __init__(self, n): self.rows = [[n, i] for i in range(50)]\n"
            "    @functools.lru_cache(maxsize=None)\n"
            "    def tier(self, q): return len(self.rows) + q\n"
            "class Fast:\n"
            "    def __init__(self, n): self.rows = [[n, i] for i in range(50)]; self._tiers = {}\n"
            "    def tier(self, q):\n"
            "        if q not in self._tiers: self._tiers[q] = len(self.rows) + q\n"
            "        return self._tiers[q]\n"
        ),
        slow="for i in range(1000):\n    o = Slow(i)\n    o.tier(i)\n    o.tier(i)",
        fast="for i in range(1000):\n    o = Fast(i)\n    o.tier(i)\n    o.tier(i)",
        size="1,000 instances built per pass, two calls each (the cost is the memory kept, not time)",
    )

    valid = [
        # Built once at module level, or in a function that runs once.
        Valid(
            "import functools\nclass Rates:\n    @functools.cache\n    def rate(self, c):\n        return 1\n"
            "RATES = Rates()\ndef convert(rows):\n    return [RATES.rate(r) for r in rows]\n"
        ),
        Valid(
            "import functools\nclass Rates:\n    @functools.cache\n    def rate(self, c):\n        return 1\n"
            "def main():\n    rates = Rates()\n    return rates.rate('EUR')\n"
        ),
        # Built in a loop over a few written-out values.
        Valid(
            "import functools\nclass Backend:\n    def __init__(self, n):\n        self.n = n\n"
            "    @functools.cache\n    def ping(self, x):\n        return x\n"
            "def backends(xs):\n    return [Backend(n) for n in ('a', 'b')]\n"
        ),
        # Built per item, but the cache is bounded (128 or 256 entries: PF302's finding).
        Valid(
            "import functools\nclass Doc:\n    @functools.lru_cache(maxsize=256)\n    def words(self, n):\n        return n\n"
            "def g(rows):\n    return [Doc().words(r) for r in rows]\n"
        ),
        # Built per item, but a value object, a staticmethod or a property (PF307).
        Valid(
            "import functools\nfrom typing import NamedTuple\nclass P(NamedTuple):\n    x: int\n"
            "    @functools.cache\n    def f(self, y):\n        return y\ndef g(rows):\n    return [P(r).f(1) for r in rows]\n"
        ),
        Valid(
            "import functools\nclass A:\n    @staticmethod\n    @functools.cache\n    def f(y):\n        return y\n"
            "def g(rows):\n    return [A().f(r) for r in rows]\n"
        ),
        Valid(
            "import functools\nclass A:\n    @property\n    @functools.cache\n    def f(self):\n        return 1\n"
            "def g(rows):\n    return [A().f for r in rows]\n"
        ),
    ]
    invalid = [
        # Built per item of a comprehension.
        Invalid(
            """
            from functools import lru_cache

            class Ranker:
                def __init__(self, points):
                    self.points = points

                @lru_cache(maxsize=None)
                def ways(self, score):
                    return score

            def table(players, target):
                return [(p, Ranker((1, 2, 3)).ways(target)) for p in players]
            """,
            fixed=None,
        ),
        # A FastAPI dependency class: one instance per request.
        Invalid(
            """
            import functools
            from typing import Annotated
            from fastapi import Depends, FastAPI

            app = FastAPI()

            class PriceBook:
                @functools.lru_cache(maxsize=None)
                def tier(self, qty):
                    return qty // 10

            @app.post("/quote")
            def quote(qtys: list[int], book: Annotated[PriceBook, Depends(PriceBook)]):
                return [book.tier(q) for q in qtys]
            """,
            fixed=None,
        ),
        # Built in a Celery task.
        Invalid(
            """
            import functools
            from celery import shared_task

            class Scorer:
                @functools.cache
                def weight(self, kind):
                    return len(kind)

            @shared_task
            def score(kind):
                return Scorer().weight(kind)
            """,
            fixed=None,
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scopes = self.context.scopes
        if len(scopes) < 2 or scopes[-2].kind != "class" or not node.decorators:
            return
        cls = cached_instance_method(self.context, node)
        if cls is None or "builtins.property" in decorator_names(self.context, node):
            return  # not a cached instance method, or a cached property (PF307's finding)
        if len(scopes) != 3 or not unbounded_cache(self.context, node):
            return  # a class nested in a function or class, or a bounded cache
        why = built_repeatedly(self.context.facts, self.context.path).get(cls.name.value)
        if why is None:
            return
        self.report(node.name, self.message.format(cls=cls.name.value, why=why))


def _has_cached_method(node: ast.ClassDef) -> bool:
    """A method of the class body decorated with something named ``cache`` or ``lru_cache``
    (``@functools.cache``, ``@lru_cache(maxsize=None)``); the rule's visitor tells bounded ones apart."""
    for member in node.body:
        if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in member.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name in ("cache", "lru_cache"):
                    return True
    return False
