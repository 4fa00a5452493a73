"""PF307 lru-cache-on-property."""

from __future__ import annotations

import libcst as cst
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid
from perflint.rules.caching.lru_cache_on_method import (
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
    `@property`, on a method that takes only `self`, in a class without
    `__slots__`: both decorators become `@cached_property`. It is unsafe:
    `cached_property` stores the value in the instance's `__dict__`, so it can
    be assigned and deleted, and equal instances no longer share it. A
    bounded `maxsize` gets no fix (the bound may be deliberate).

    ## Known false positives
    A class with a single instance, where keeping it alive costs nothing. As
    PF302, the rule skips Enum classes, classes that look like singletons (a
    `__new__`, a metaclass other than `ABCMeta`, "Singleton" in a name, an
    `_instance`-style attribute), value objects (NamedTuple, frozen
    dataclass, a class defining `__hash__`), static and class methods, and
    decorators acknowledged with `# noqa: B019`.

    Judged on 2026-12-07 on the Python 3.11.7 standard library (all of it),
    the 49 sdists in the helpers' corpora (sympy 1.12, ansible-core 2.17.0,
    apache-superset 4.0.1, wagtail 6.1.3, networkx 3.3, sqlglot 25.1.0,
    mkdocs 1.6.0, pelican 4.9.1, datasette 0.64.6, locust 2.32.0, aiogram
    3.13.1, networkx 3.4.2, seaborn 0.13.2 and others) and this project's
    site-packages (pip, numpy, scipy, moto, jsonschema...), reading every
    finding: 4 of 4 correct (100%): `ipaddress.IPv4Address.is_private` and
    `is_global`, `IPv4Network.is_global` (one instance per address, 128
    shared entries) and aiogram's `Update.event_type` (one instance per
    incoming update, cached forever). A fifth site, `IPv6Address.is_private`,
    is the same code but its class is skipped (it defines `__hash__`). The
    singletons that keep PF302 opt-in (a runner, a compiler, a namespace
    object) all cache plain methods, not properties.
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
        # __slots__ rules out cached_property.
        Invalid(
            """
            import abc, functools

            class Shape(metaclass=abc.ABCMeta):
                __slots__ = ("size",)

                @property
                @functools.lru_cache
                def area(self):
                    return self.size ** 2
            """,
            fixed=None,
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if "builtins.property" not in decorator_names(self.context, node):
            return
        cls = cached_instance_method(self.context, node)
        if cls is None:
            return
        self.report(node.name, fix=cached_property_fix(self.context, node, cls))
