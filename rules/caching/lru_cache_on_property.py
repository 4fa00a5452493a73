"""PF307 lru-cache-on-property."""

from __future__ import annotations

import libcst as cst
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid
from perflint.rules.caching.lru_cache_on_method import (
    _defines,
    cached_instance_method,
    cached_property_fix,
    decorator_names,
)


class LruCacheOnProperty(Rule):
    """
    ## What it does
    Flags `@property` stacked over `functools.lru_cache` or `functools.cache`
    on an instance method: a per-instance value cached in a cache that lives
    on the class.

    ## Why is this slow?
    The cache is keyed by `self`, so it keeps every instance it has seen
    alive (with `@cache` or `maxsize=None`, forever: a memory leak), and all
    instances share one `maxsize` (128 by default): a pass over more instances
    than that evicts each entry before it is read again, so every access
    misses, recomputes and pays the cache bookkeeping too. Measured with
    `perflint bench PF307` on Python 3.11.7 (a shared two-core box), five
    passes over 1,000 instances reading a `@property` over `@lru_cache()`
    took 9.9 ms; with `@cached_property`, 0.21 ms (48x). Even when every
    access hits, a hit costs 43 ns against 17 ns for `cached_property`,
    which leaves a plain attribute behind.

    ## Example
    ```python
    class Tenant:
        @property
        @functools.lru_cache(maxsize=None)
        def branding(self):
            return self.repo.load_branding(self.id)
    ```

    ## Use instead
    ```python
    class Tenant:
        @functools.cached_property
        def branding(self):
            return self.repo.load_branding(self.id)
    ```

    ## Fix safety
    A fix is offered when the cache is `@cache`, `@lru_cache`,
    `@lru_cache()` or `@lru_cache(maxsize=None)`, directly under
    `@property`, on a method that takes only `self`: both decorators become
    `@cached_property`. It is unsafe: `cached_property` stores the value in
    the instance's `__dict__`, so it can be assigned and deleted, and equal
    instances no longer share it. A bounded `maxsize` gets no fix (the bound
    may be deliberate).

    ## Known false positives
    A class with a single instance, where keeping it alive costs nothing. As
    PF302, the rule skips Enum classes, classes that look like singletons (a
    `__new__`, a metaclass other than `ABCMeta`, "Singleton" in a name, an
    `_instance`-style attribute), value objects (NamedTuple, frozen
    dataclass, a class defining `__hash__`), static and class methods, and
    decorators acknowledged with `# noqa: B019`. It also skips classes with
    `__slots__`: they have no `__dict__` for `cached_property`, and there the
    cache is usually a small bounded one on a value type (`ipaddress`'s
    `IPv4Address.is_private`, measured: 9% slower than no cache on a scan of
    1,000 addresses, not worth a finding).

    Judged on 2026-12-07 on the Python 3.11.7 standard library (all of it),
    the 49 sdists in the helpers' corpora (among them sympy 1.12,
    ansible-core 2.17.0, apache-superset 4.0.1, wagtail 6.1.3, networkx 3.3,
    sqlglot 25.1.0, mkdocs 1.6.0, pelican 4.9.1, datasette 0.64.6, locust
    2.32.0, aiogram 3.13.1, discord.py 2.4.0, seaborn 0.13.2) and this
    project's virtualenv (pip, pygments, pygls, pre-commit...), reading every
    finding: 1 of 1 correct: `ipaddress.IPv4Network.is_global` (no
    `__slots__`; five passes over 1,000 networks took 50.6 ms through the
    shared 128-entry cache and 0.10 ms with `cached_property`). An AST scan of
    the same code plus a site-packages of about 80 distributions (numpy,
    scipy, moto, jsonschema...) found four more `@property` over a cache, none
    this rule's case: three on `ipaddress`'s slotted address classes, one on
    aiogram's `Update`, which defines `__hash__` and uses its own
    `lru_cache`. The singletons that keep PF302 opt-in (a runner, a
    compiler, a namespace object, pip's finder) all cache plain methods.
    """

    code = "PF307"
    name = "lru-cache-on-property"
    level = Level.CACHING
    message = (
        "`@property` over `lru_cache`/`cache` keeps every instance alive and shares one cache "
        "between instances; use `functools.cached_property`"
    )
    weight = 1.5
    triggers = ("cache",)
    qualified_triggers = ("functools.lru_cache", "functools.cache")
    whole_class = True  # reads the bases and sibling members
    benchmark = Benchmark(
        setup=(
            "import functools\n"
            "class Slow:\n"
            "    def __init__(self, n): self.n = n\n"
            "    @property\n"
            "    @functools.lru_cache()\n"
            "    def total(self): return sum(range(self.n % 100 + 100))\n"
            "class Fast:\n"
            "    def __init__(self, n): self.n = n\n"
            "    @functools.cached_property\n"
            "    def total(self): return sum(range(self.n % 100 + 100))\n"
            "slow = [Slow(i) for i in range(1000)]\n"
            "fast = [Fast(i) for i in range(1000)]\n"
        ),
        slow="for _ in range(5):\n    for o in slow:\n        o.total",
        fast="for _ in range(5):\n    for o in fast:\n        o.total",
        size="1,000 instances, 5 passes",
    )

    valid = [
        # Already a cached_property; a plain cached method (PF302's, opt-in).
        Valid("import functools\nclass A:\n    @functools.cached_property\n    def f(self):\n        return 1\n"),
        Valid("import functools\nclass A:\n    @functools.cache\n    def f(self):\n        return 1\n"),
        # A property without a cache; a cache over a module function.
        Valid("class A:\n    @property\n    def f(self):\n        return 1\n"),
        Valid("import functools\n@functools.cache\ndef f():\n    return 1\n"),
        # Enum members, singletons and value objects.
        Valid(
            "import enum, functools\nclass Color(enum.Enum):\n    RED = 1\n"
            "    @property\n    @functools.cache\n    def f(self):\n        return 1\n"
        ),
        Valid(
            "import functools\nclass Config:\n    _instance = None\n"
            "    @property\n    @functools.cache\n    def f(self):\n        return 1\n"
        ),
        Valid(
            "import functools\nfrom typing import NamedTuple\nclass P(NamedTuple):\n    x: int\n"
            "    @property\n    @functools.cache\n    def f(self):\n        return 1\n"
        ),
        # Not functools' cache.
        Valid("from mylib import cache\nclass A:\n    @property\n    @cache\n    def f(self):\n        return 1\n"),
        # A class with __slots__ has no cached_property to move to (ipaddress.IPv4Address): the
        # bounded cache costs little there (9% on a scan of 1,000 addresses).
        Valid(
            "import functools\nclass Addr:\n    __slots__ = ('_ip',)\n"
            "    @property\n    @functools.lru_cache()\n    def is_private(self):\n        return 1\n"
        ),
        # Acknowledged for flake8-bugbear / ruff.
        Valid("import functools\nclass A:\n    @property\n    @functools.cache  # noqa: B019\n    def f(self):\n        return 1\n"),
    ]
    invalid = [
        Invalid(
            """
            import functools

            class Report:
                @property
                @functools.cache
                def total(self):
                    return sum(self.rows)
            """,
            fixed="""
            import functools

            class Report:
                @functools.cached_property
                def total(self):
                    return sum(self.rows)
            """,
            unsafe=True,
        ),
        Invalid(
            """
            from functools import lru_cache

            class Report:
                @property
                @lru_cache(maxsize=None)
                def total(self):
                    return sum(self.rows)
            """,
            fixed="""
            from functools import lru_cache, cached_property

            class Report:
                @cached_property
                def total(self):
                    return sum(self.rows)
            """,
            unsafe=True,
        ),
        # A bounded cache: the bound may be deliberate, no fix.
        Invalid(
            """
            import functools

            class Report:
                @property
                @functools.lru_cache(maxsize=8)
                def total(self):
                    return sum(self.rows)
            """,
            fixed=None,
        ),
        # ABCMeta is no singleton metaclass.
        Invalid(
            """
            import abc, functools

            class Shape(metaclass=abc.ABCMeta):
                @property
                @functools.lru_cache
                def area(self):
                    return self.size ** 2
            """,
            fixed="""
            import abc, functools

            class Shape(metaclass=abc.ABCMeta):
                @functools.cached_property
                def area(self):
                    return self.size ** 2
            """,
            unsafe=True,
        ),
    ]

    @classmethod
    def may_match(cls, text: str) -> bool:
        return "cache" in text and "property" in text

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if "builtins.property" not in decorator_names(self.context, node):
            return
        cls = cached_instance_method(self.context, node)
        if cls is None or _defines(cls, "__slots__"):
            return  # with __slots__ there is no cached_property to use instead
        self.report(node.name, fix=cached_property_fix(self.context, node, cls))
