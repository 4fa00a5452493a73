"""Fixes written from the old nodes' text (``FixSpec.later(..., text=...)``) give the same
edits as the fixes built from nodes, on every rule's examples, generated look-alikes and real
modules without their comments (a piece with a comment takes the nodes' way)."""

from __future__ import annotations

import io
import sysconfig
import textwrap
import tokenize
from pathlib import Path

import pytest

from perflint import fixes
from perflint.config import Settings
from perflint.engine import lint_source
from perflint.positions import StatementCode
from perflint.rules import all_rules


def _without_comments(source: str) -> str:
    """``source`` with its comments removed (blanked on their lines: the lines stay)."""
    lines = source.splitlines(keepends=True)
    for token in reversed(list(tokenize.generate_tokens(io.StringIO(source).readline))):
        if token.type == tokenize.COMMENT:
            row, column = token.start
            line = lines[row - 1]
            lines[row - 1] = line[:column].rstrip(" \t") + line[token.end[1] :]
    return "".join(lines)


LOOKALIKES = textwrap.dedent(
    """\
    def a(rows):
        out = []
        for x, y in rows:
            out.append(x + y)
        return out


    def b(rows):
        out = []
        for x in rows: out.append(lambda: x)
        return out


    def c(rows, k):
        out = []
        n = 0
        for x in rows:
            if x > k and x:
                out.append(x if x else -x)
        return out, n


    def d(a, b):
        out = []
        for x in a, b:
            out.append(x)
        return out


    def e(rows):
        out = [];
        for x in (rows):
            out.append((x))
        return out


    def f(rows):
        out = []
        for x in rows:
            if (x):
                out.append(x)
        return out


    def g(rows):
        out = []  
        for é in rows:
            out.append("é" + é)
        return out


    def h(rows):
        out = list()
        for x, in rows:
            out.append(x)
        return out


    def i(rows):

        out = []

        for x in rows:
            out.append(await_(x) for _ in x)
        return out


    def j(rows):
        out = []
        for x in rows:
            out.append(
                x)
        return out


    def k(rows):
        out = []
        for x in rows:
            if x: out.append(x)
        return out


    def m(rows):
        out = []
        for x in rows:
            out.append(x)
        return out


    def n(rows):
        out = []
        for x in rows: out.append(x)
        return out


    def p(rows):
        out = []
        for x in sorted(rows) or rows:
            out.append(not x)
        return out


    def r(rows, y):
        queue = list(rows)
        while queue:
            y += queue.pop(0)
        other = [1, 2]
        while other:
            y += other . pop( 0 )
        empty = []
        while empty:
            y += empty.pop (0)
        spaced = list ( rows )
        while spaced:
            y += spaced.pop(0)
        inserted = list(rows)
        while inserted:
            inserted.insert(0, y)
            inserted.pop()
        called = list()
        while called:
            y += called.pop(0)
        return y


    def q(rows):
        out = []
        total = 0
        for x in {1: 2}:
            out.append([x, *rows])
        return out
    """
)


def _fixes(source: str, text: bool, monkeypatch) -> list:
    monkeypatch.setattr(fixes, "TEXT_FIXES", text)
    found = lint_source(source, "example.py", Settings(select=("PF", "micro")), fixes=True)
    return [(f.code, f.line, f.column, f.fix) for f in found]


@pytest.mark.parametrize("name", ["tarfile.py", "pydoc.py", "inspect.py", "difflib.py", "argparse.py", "typing.py"])
def test_text_fixes_equal_the_nodes_fixes_on_modules_without_comments(name, monkeypatch):
    source = _without_comments((Path(sysconfig.get_path("stdlib")) / name).read_text(encoding="utf-8"))
    assert _fixes(source, True, monkeypatch) == _fixes(source, False, monkeypatch)


def test_text_fixes_equal_the_nodes_fixes_on_examples_and_lookalikes(monkeypatch):
    written = []
    code = StatementCode.code

    def counted(self, indents, newline):
        written.append(self)
        return code(self, indents, newline)

    monkeypatch.setattr(StatementCode, "code", counted)
    sources = [_without_comments(textwrap.dedent(example.code)) for rule in all_rules() for example in rule.invalid]
    sources += [LOOKALIKES, LOOKALIKES.replace("\n", "\r\n"), "class C:\n    def f(self, xs):\n" + textwrap.indent(LOOKALIKES, "        ")]
    for source in sources:
        assert _fixes(source, True, monkeypatch) == _fixes(source, False, monkeypatch)
    assert len(written) > 30, len(written)
