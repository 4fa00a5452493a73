"""The fast read-only walk fires exactly libcst's callbacks, in libcst's order,
and ``children`` returns exactly ``node.children``."""

from __future__ import annotations

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
