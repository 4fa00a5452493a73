"""The fast read-only walk fires exactly libcst's callbacks, in libcst's order,
and ``children`` returns exactly ``node.children``."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from perflint import cst_walk

STDLIB = Path(sysconfig.get_path("stdlib"))
# Varied syntax: f-strings, decorators, async, match, star-imports, comprehensions, walrus, type hints.
SAMPLES = [
    "argparse.py", "asyncio/tasks.py", "dataclasses.py", "email/_header_value_parser.py", "json/decoder.py",
    "re/_parser.py", "string.py",
]
EXTRA = '''
from os import *
from . import (a as b, c)
x = f"{a!r:>{width}} {b=}" if (y := 3) else {k: v for k, v in d.items() if v}
match p:
    case [1, *rest] | {"k": _} if rest: pass
async def f[T](a: int = 1, /, *args: T, b, **kw) -> None:
    async with g() as h, i: await h
    async for q in r: yield q
del x[1:2, ::3]; global z
try: pass
except* ValueError as e: raise e from None
'''


def _node_classes() -> list[type]:
    found, stack = [], [cst.CSTNode]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if not sub.__name__.startswith(("_", "Base")) and sub.__module__.startswith("libcst._nodes"):
                found.append(sub)
    return found


class Recorder(cst.BatchableCSTVisitor):
    """Asks for every visit/leave and attribute callback of the given node classes and logs each call."""

    def __init__(self, classes: list[type]) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []
        self.names: list[str] = []
        for cls in classes:
            self.names += [f"visit_{cls.__name__}", f"leave_{cls.__name__}"]
            for field, _ in cst_walk.plan(cls):
                self.names += [f"visit_{cls.__name__}_{field}", f"leave_{cls.__name__}_{field}"]

    def get_visitors(self):
        return {name: (lambda node, name=name: self.events.append((name, id(node)))) for name in self.names}


def _modules():
    for name in SAMPLES:
        yield name, cst.parse_module((STDLIB / name).read_bytes())
    yield "extra", cst.parse_module(EXTRA)


@pytest.mark.parametrize("wanted", ["every class", "no trivia"])
def test_walk_fires_libcsts_callbacks_in_libcsts_order(wanted):
    classes = _node_classes()
    if wanted == "no trivia":  # the walk may then skip whitespace and punctuation subtrees
        classes = [c for c in classes if c.__name__ not in cst_walk._TRIVIA_NAMES]
    for name, module in _modules():
        expected, actual = Recorder(classes), Recorder(classes)
        cst.visit_batched(module, [expected])
        cst_walk.visit_batched(module, [actual])
        assert len(expected.events) > 100, name
        assert actual.events == expected.events, name


def test_children_are_libcsts_children():
    for name, module in _modules():
        for node in cst_walk.iter_nodes(module):
            assert list(cst_walk.children(node)) == list(node.children), (name, type(node).__name__)


def test_conditional_field_hooks_follow_libcst():
    """``FormattedStringExpression.format_spec`` is visited (with its hooks) only when present."""
    assert ("format_spec", True) in cst_walk.plan(cst.FormattedStringExpression)
    assert ("names", False) in cst_walk.plan(cst.ImportFrom)


def test_visitor_methods_are_libcsts():
    from perflint.context import ContextEnter, ContextExit, FileContext
    from perflint.facts import ModuleFacts
    from perflint.rules import all_rules

    context = FileContext(ModuleFacts.from_tree(ast.parse("")), "x.py")
    visitors = [ContextEnter(context), ContextExit(context), *(rule(context, None) for rule in all_rules())]
    for visitor in visitors:
        assert cst_walk.visitor_methods(visitor) == cst.BatchableCSTVisitor.get_visitors(visitor), type(visitor)


class Bindings(cst.CSTVisitor):
    """Prunes at nested functions, as a function's local names are collected; logs what it sees."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.seen.append(f"def {node.name.value}")
        return not self.seen[:-1]  # only the outermost function's body

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.seen.append(f"end {original_node.name.value}")

    def visit_Name(self, node: cst.Name) -> None:
        self.seen.append(node.value)

    def visit_For_body(self, node: cst.For) -> None:
        self.seen.append("body")


def test_visit_prunes_like_libcst():
    module = cst.parse_module("def f(a):\n    for x in a:\n        def g(b): return b\n        y = x\n")
    expected, actual = Bindings(), Bindings()
    module.visit(expected)
    cst_walk.visit(module, actual)
    assert actual.seen == expected.seen
    assert "b" not in actual.seen and "body" in actual.seen


def test_walks_by_visitors_of_the_same_classes_share_a_table_and_call_their_own_instances():
    """The hook table kept per tuple of visitor classes (``class_methods``) serves a second
    walk with new instances: each instance gets its own calls, and an owner map is the same."""
    from perflint.context import CachedVisitors

    class Names(CachedVisitors):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def visit_Name(self, node: cst.Name) -> None:
            self.seen.append(node.value)

    class Calls(CachedVisitors):
        def __init__(self) -> None:
            super().__init__()
            self.count = 0

        def leave_Call(self, node: cst.Call) -> None:
            self.count += 1

    first, second = cst.parse_module("def f(a):\n    return g(a)\n"), cst.parse_module("x = h(y, z(w))\n")
    one = (Names(), Calls())
    cst_walk.visit_batched(first, one)
    owners: dict = {}
    two = (Names(), Calls())
    cst_walk.visit_batched(second, two, owners)
    assert (one[0].seen, one[1].count) == (["f", "a", "g", "a"], 1)
    assert (two[0].seen, two[1].count) == (["x", "h", "y", "z", "w"], 2)
    assert (Names, Calls) in cst_walk._SHARED
    statement = second.body[0]
    call = statement.body[0].value
    assert owners[id(second)] is second and owners[id(statement)] is second
    assert owners[id(call)] is statement and owners[id(call.args[1].value)] is statement


def test_the_shared_table_does_not_keep_the_first_walks_visitors_alive():
    """The table kept per tuple of visitor classes must not hold the first walk's bound
    methods: they would keep its visitors, and through their context a file's trees, alive."""
    import gc
    import weakref

    from perflint.context import CachedVisitors

    class Strings(CachedVisitors):
        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            pass

    first = Strings()
    cst_walk.visit_batched(cst.parse_module("x = 'a'\n"), [first])
    gone = weakref.ref(first)
    del first
    gc.collect()
    assert (Strings,) in cst_walk._SHARED
    assert gone() is None
