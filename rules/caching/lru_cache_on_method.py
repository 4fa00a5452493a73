"""PF302 lru-cache-on-method."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import dotted_name, iter_nodes
from perflint.context import names_in_target
from perflint.model import Level
from perflint.repetition import built_repeatedly
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid

CACHE_DECORATORS = {"functools.lru_cache", "functools.cache"}
NOT_INSTANCE_METHODS = {"builtins.staticmethod", "builtins.classmethod"}
# Class-body names that mark a class as having a single instance.
SINGLETON_ATTRIBUTES = {"_instance", "__instance", "instance", "_instances", "__instances"}


class LruCacheOnMethod(Rule):
    """
    ## What it does
    Flags `functools.lru_cache` and `functools.cache` on an instance method.

    ## Why is this slow?
    The cache lives on the function, not on the instance, and `self` is part
    of every key. So the cache keeps every instance it has seen alive (with
    `@cache` or `maxsize=None`, forever: a memory leak), and all instances
    share one `maxsize`: a loop over more instances than `maxsize` evicts
    each entry before it is reused, so every call misses and pays the cache
    bookkeeping on top of the computation. Measured with `timeit` on Python
    3.11, five passes over 1,000 instances took 4.82 ms with
    `@lru_cache()` on the method and 0.15 ms with `@cached_property` (31x).

    ## Example
    ```python
    class Report:
        @functools.lru_cache(maxsize=256)
        def total(self, currency):
            return sum(row.amount_in(currency) for row in self.rows)
    ```

    ## Use instead
    ```python
    class Report:
        def __init__(self, rows):
            self.rows = rows
            self._totals = {}

        def total(self, currency):
            if currency not in self._totals:
                self._totals[currency] = sum(row.amount_in(currency) for row in self.rows)
            return self._totals[currency]
    ```
    A method that takes only `self`: `functools.cached_property`. Otherwise a
    per-instance dict, or a module-level cached function keyed by the values
    the method really depends on.

    ## Fix safety
    No fix: every rewrite changes whether the cache is shared between
    instances and how long it lives. `@property` over a cache is PF307's
    finding (on by default, with a `cached_property` fix), not this rule's.

    ## Known false positives
    Classes with a single instance or a few long-lived ones, where keeping
    them alive costs nothing. The rule skips staticmethods and classmethods,
    Enum classes (members are singletons), and classes that look like
    singletons: a `__new__` method, a metaclass other than `ABCMeta`, a name
    or base containing "Singleton", or an `_instance`-style class attribute. A
    singleton created elsewhere (`settings = Settings()` once per process) is
    still flagged.

    Judged on the Python 3.11.7 standard library (test/, tests/, idlelib/,
    lib2to3/ and site-packages excluded) and the sdists of aiohttp 3.9.5,
    httpx 0.27.0, httpie 3.2.2, discord.py 2.3.2, python-gitlab 4.4.0, pip
    24.0 (with its vendored packages), pre-commit 3.7.1 and sphinx 7.3.7
    (their tests included), reading every finding: 12 findings, 8 correct
    (67%). The other four are classes with one instance per process in
    practice (pip's PackageFinder, pre-commit's Classifier, rich's module-
    level palettes). On 2026-12-07, the sdists of sympy 1.12, ansible-core
    2.17.0, apache-superset 4.0.1, wagtail 6.1.3, networkx 3.3, sqlglot
    25.1.0, mkdocs 1.6.0 and pelican 4.9.1 added one finding, also a class
    with one instance per configuration (mkdocs' `Hooks._load_hook`, which
    caches on purpose so that each hook module loads once): 8 of 13 (62%).
    Nothing in the code tells a class with one long-lived instance from one
    created per item, so the false positives cannot be told apart
    syntactically. Being under 90%, the rule is opt-in: select `PF302`
    explicitly. A method of a class that the module visibly builds per item
    or per request (in a loop, a route, a task, `Depends(Cls)`) under an
    unbounded cache is reported by PF311 instead, which is on by default. A property that rebuilds a catalogued constant on every
    access (no cache at all) is PF306's finding. On 2026-12-07 `@property`
    over a cache moved to PF307 (on by default, with the `cached_property`
    fix this rule had): none of the singletons above caches a property.
    """

    code = "PF302"
    name = "lru-cache-on-method"
    level = Level.CACHING
    message = (
        "`lru_cache`/`cache` on a method keeps every instance alive and shares one cache between "
        "instances; use `cached_property`, a per-instance cache or a module-level function"
    )
    weight = 1.5
    triggers = ("cache",)
    whole_class = True  # reads the bases and sibling members
    # Judged precision on real code is below 90% (see Known false positives).
    opt_in = True
    benchmark = Benchmark(
        setup=(
            "import functools\n"
            "class Slow:\n"
            "    def __init__(self, n): self.n = n\n"
            "    @functools.lru_cache()\n"
            "    def total(self): return sum(range(self.n % 100 + 100))\n"
            "class Fast:\n"
            "    def __init__(self, n): self.n = n\n"
            "    @functools.cached_property\n"
            "    def total(self): return sum(range(self.n % 100 + 100))\n"
            "slow = [Slow(i) for i in range(1000)]\n"
            "fast = [Fast(i) for i in range(1000)]\n"
        ),
        slow="for _ in range(5):\n    for o in slow:\n        o.total()",
        fast="for _ in range(5):\n    for o in fast:\n        o.total",
        size="1,000 instances, 5 passes",
    )

    valid = [
        Valid("import functools\n@functools.cache\ndef f(x):\n    return x\n"),
        Valid(
            "from functools import lru_cache\nclass A:\n    @staticmethod\n    @lru_cache\n    def f(x):\n        return x\n"
        ),
        Valid(
            "from functools import lru_cache\nclass A:\n    @classmethod\n    @lru_cache\n    def f(cls, x):\n        return x\n"
        ),
        Valid("import enum, functools\nclass Color(enum.Enum):\n    RED = 1\n    @functools.cache\n    def f(self):\n        return 1\n"),
        Valid("import functools\nclass Color(MyEnum):\n    @functools.cache\n    def f(self):\n        return 1\n"),
        Valid(
            "import functools\nclass Config:\n    _instance = None\n    @functools.cache\n    def f(self):\n        return 1\n"
        ),
        Valid(
            "import functools\nclass Config:\n    def __new__(cls):\n        return super().__new__(cls)\n"
            "    @functools.cache\n    def f(self):\n        return 1\n"
        ),
        Valid("import functools\nclass Config(metaclass=Singleton):\n    @functools.cache\n    def f(self):\n        return 1\n"),
        Valid("import functools\nclass RegistrySingleton:\n    @functools.cache\n    def f(self):\n        return 1\n"),
        Valid("import functools\nclass A:\n    @functools.cached_property\n    def f(self):\n        return 1\n"),
        # A function nested in a method is not a method.
        Valid(
            "import functools\nclass A:\n    def f(self):\n        @functools.cache\n        def g(x):\n            return x\n        return g\n"
        ),
        # Not functools.
        Valid("from mylib import cache\nclass A:\n    @cache\n    def f(self):\n        return 1\n"),
        # Value objects: equal instances share entries on purpose.
        Valid("import functools\nclass P(NamedTuple):\n    x: int\n    @functools.cache\n    def f(self):\n        return 1\n"),
        Valid(
            "import functools\nfrom typing import NamedTuple\nclass P(NamedTuple):\n    x: int\n"
            "    @functools.cache\n    def f(self):\n        return 1\n"
        ),
        Valid(
            "import dataclasses, functools\n@dataclasses.dataclass(frozen=True)\nclass P:\n    x: int\n"
            "    @functools.cache\n    def f(self):\n        return 1\n"
        ),
        Valid(
            "import functools\nclass P:\n    def __hash__(self):\n        return 1\n"
            "    @functools.cache\n    def f(self):\n        return 1\n"
        ),
        # A property over a cache: PF307's finding.
        Valid("import functools\nclass A:\n    @property\n    @functools.cache\n    def f(self):\n        return 1\n"),
        # Already acknowledged for flake8-bugbear / ruff.
        Valid("import functools\nclass A:\n    @functools.cache  # noqa: B019\n    def f(self):\n        return 1\n"),
    ]
    invalid = [
        # A method with arguments: no mechanical rewrite.
        Invalid(
            """
            from functools import lru_cache

            class Parser:
                @lru_cache(maxsize=256)
                def parse(self, text):
                    return text.split()
            """,
            fixed=None,
        ),
        # A method that takes only self, without @property; ABCMeta is not a singleton metaclass.
        Invalid(
            """
            import abc, functools

            class Shape(metaclass=abc.ABCMeta):
                @functools.cache
                def area(self):
                    return self.size ** 2
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
        if (
            len(scopes) == 3
            and unbounded_cache(self.context, node)
            and cls.name.value in built_repeatedly(self.context.facts, self.context.path)
        ):
            return  # an unbounded cache on a class built per item or request: PF311's finding (on by default)
        self.report(node.name)


def decorator_names(context, node: cst.FunctionDef) -> list[Optional[str]]:
    """The qualified names of a def's decorators (a call's function for ``@lru_cache(...)``)."""
    names = []
    for decorator in node.decorators:
        expr = decorator.decorator
        if isinstance(expr, cst.Call):
            expr = expr.func
        names.append(context.qualified_name(expr))
    return names


def cached_instance_method(context, node: cst.FunctionDef) -> Optional[cst.ClassDef]:
    """The class, when ``node`` is an instance method with a ``functools`` cache, in a class
    whose instances the cache may pile up: not an Enum, a singleton or a value object, and
    not acknowledged with ``# noqa: B019``."""
    scopes = context.scopes
    if len(scopes) < 2 or scopes[-2].kind != "class" or not node.decorators:
        return None
    names = decorator_names(context, node)
    if not any(name in CACHE_DECORATORS for name in names) or any(name in NOT_INSTANCE_METHODS for name in names):
        return None
    if not node.params.params and not node.params.posonly_params:
        return None  # no `self`: not callable as an instance method anyway
    cls = scopes[-2].node
    if not isinstance(cls, cst.ClassDef) or _is_enum(context, cls) or _looks_like_singleton(cls, context):
        return None
    if _is_value_object(context, cls) or _acknowledged(node):
        return None
    return cls


def _is_enum(context, cls: cst.ClassDef) -> bool:
    for base in cls.bases:
        if base.keyword is not None:
            continue
        qualified = context.qualified_name(base.value) or ""
        last = base.value.attr.value if isinstance(base.value, cst.Attribute) else getattr(base.value, "value", "")
        if qualified.startswith("enum.") or str(last).endswith(("Enum", "Flag")):
            return True
    return False


def _is_value_object(context, cls: cst.ClassDef) -> bool:
    """Instances equal by value share cache entries by design: a NamedTuple,
    a frozen dataclass, or a class defining ``__hash__``."""
    if _defines(cls, "__hash__"):
        return True
    for base in cls.bases:
        qualified = context.qualified_name(base.value) or dotted_name(base.value) or ""
        if qualified.split(".")[-1] == "NamedTuple" or qualified == "builtins.tuple" or (
            isinstance(base.value, cst.Call) and (context.call_name(base.value) or "").endswith("namedtuple")
        ):
            return True
    for decorator in cls.decorators:
        expr = decorator.decorator
        if isinstance(expr, cst.Call) and (context.call_name(expr) or "").endswith(("dataclass", "attrs", "define", "frozen")):
            for arg in expr.args:
                if arg.keyword and arg.keyword.value == "frozen" and getattr(arg.value, "value", None) == "True":
                    return True
        if (context.qualified_name(expr) or "").endswith(("attr.frozen", "attrs.frozen")):
            return True
    return False


def cached_property_fix(context, node: cst.FunctionDef, cls: cst.ClassDef) -> Optional[FixSpec]:
    """``@property`` over an unbounded cache on a ``self``-only method -> ``@cached_property``."""
    names = decorator_names(context, node)
    params = node.params
    if len(params.params) != 1 or params.posonly_params or params.kwonly_params:
        return None
    if isinstance(params.star_arg, (cst.Param, cst.ParamStar)) or params.star_kwarg is not None:
        return None
    if len(names) != 2 or names[0] != "builtins.property" or names[1] not in CACHE_DECORATORS:
        return None
    cache = node.decorators[1].decorator
    if isinstance(cache, cst.Call) and not _unbounded(cache):
        return None
    if _defines(cls, "__slots__"):
        return None
    cache_func = cache.func if isinstance(cache, cst.Call) else cache
    imports: tuple[str, ...] = ()
    if isinstance(cache_func, cst.Attribute):
        new: cst.BaseExpression = cache_func.with_changes(attr=cst.Name("cached_property"))
    else:
        facts = context.facts
        bound = facts.imports.get("cached_property")
        if bound is None and "cached_property" in facts.all_names:
            return None
        if bound not in (None, "functools.cached_property") or context.is_local("cached_property"):
            return None
        new = cst.Name("cached_property")
        imports = () if bound else ("from functools import cached_property",)
    # One replacement of the whole def: each replacement rebuilds the tree,
    # so a second replacement would no longer find its node.
    decorator = node.decorators[0].with_changes(decorator=new)
    return FixSpec(
        "Use `cached_property` (stored on the instance)",
        {node: node.with_changes(decorators=[decorator])},
        safe=False,
        imports=imports,
    )


def _acknowledged(node: cst.FunctionDef) -> bool:
    """A ``# noqa: B019`` on a cache decorator: flake8-bugbear's code for this very rule."""
    for decorator in node.decorators:
        comment = decorator.trailing_whitespace.comment
        if comment is not None and "B019" in comment.value:
            return True
    return False


def _unbounded(call: cst.Call) -> bool:
    """``lru_cache()`` or ``lru_cache(maxsize=None)`` / ``lru_cache(None)``."""
    if not call.args:
        return True
    if len(call.args) != 1:
        return False
    arg = call.args[0]
    keyword = arg.keyword.value if arg.keyword else "maxsize"
    return keyword == "maxsize" and isinstance(arg.value, cst.Name) and arg.value.value == "None"


def _defines(cls: cst.ClassDef, name: str) -> bool:
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else []
    for statement in body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and statement.name.value == name:
            return True
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                targets = []
                if isinstance(small, cst.Assign):
                    targets = [t.target for t in small.targets]
                elif isinstance(small, cst.AnnAssign):
                    targets = [small.target]
                if any(name in names_in_target(t) for t in targets):
                    return True
    return False


def _looks_like_singleton(cls: cst.ClassDef, context) -> bool:
    if "singleton" in cls.name.value.lower() or _defines(cls, "__new__"):
        return True
    if any(_defines(cls, attribute) for attribute in SINGLETON_ATTRIBUTES):
        return True
    for keyword in cls.keywords:
        if keyword.keyword.value == "metaclass" and context.qualified_name(keyword.value) != "abc.ABCMeta":
            return True
    return any(
        isinstance(n, cst.Name) and "singleton" in n.value.lower() for base in cls.bases for n in iter_nodes(base)
    )


def unbounded_cache(context, node: cst.FunctionDef) -> bool:
    """``@functools.cache``, ``@lru_cache(maxsize=None)`` or ``@lru_cache(None)`` (a bare
    ``@lru_cache`` / ``lru_cache()`` keeps 128 entries)."""
    for decorator in node.decorators:
        expr = decorator.decorator
        func = expr.func if isinstance(expr, cst.Call) else expr
        name = context.qualified_name(func)
        if name == "functools.cache":
            return True
        if name == "functools.lru_cache" and isinstance(expr, cst.Call) and len(expr.args) >= 1:
            first = expr.args[0]
            if first.keyword is None or first.keyword.value == "maxsize":
                if isinstance(first.value, cst.Name) and first.value.value == "None":
                    return True
    return False
