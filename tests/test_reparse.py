"""Splicing the touched statements into the last tree must give exactly the full parse."""

from __future__ import annotations

import ast
import random
import sysconfig
from pathlib import Path

import pytest

from perflint.engine import BlockCache, lint_source
from perflint.reparse import Parsed, reparse
from perflint.source import split_lines

STDLIB = Path(sysconfig.get_path("stdlib"))
EDITS = (" ", "x", "(", ")", ":", "#", '"', "\\", "\t", "'''")


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")


def _dump(tree: ast.AST) -> str:
    return ast.dump(tree, include_attributes=True)


@pytest.mark.parametrize("name", ["json/decoder.py", "textwrap.py", "heapq.py", "shlex.py"])
def test_every_spliced_tree_equals_the_full_parse(name):
    text = (STDLIB / name).read_text(encoding="utf-8")
    lines = split_lines(text)
    previous = Parsed(lines, ast.parse(text))
    chance = random.Random(name)
    spliced = 0
    for _ in range(150):
        number = chance.randrange(len(lines))
        line = lines[number]
        column = chance.randrange(len(line.rstrip("\n")) + 1)
        edited = lines[:number] + [line[:column] + chance.choice(EDITS) + line[column:]] + lines[number + 1 :]
        tree = reparse(previous, edited)
        if tree is None:
            continue
        spliced += 1
        assert _dump(tree) == _dump(ast.parse("".join(edited))), (name, number + 1, column)
    assert spliced >= 30  # most one-character edits take the fast path


def test_a_changed_line_count_or_a_syntax_error_falls_back_to_the_full_parse():
    text = "def f():\n    return 1\n\n\ndef g():\n    return 2\n\n\ndef h():\n    return 3\n"
    previous = Parsed(split_lines(text), ast.parse(text))
    assert reparse(previous, split_lines(text.replace("return 1\n", "return 1\n    x = 2\n"))) is None
    assert reparse(previous, split_lines(text.replace("return 1", "return (1"))) is None
    assert reparse(previous, split_lines(text)) is previous.tree
    spliced = reparse(previous, split_lines(text.replace("return 3", "return 4")))
    assert spliced is not None and spliced.body[0] is previous.tree.body[0]


def test_a_future_import_is_spliced_only_where_the_full_parse_accepts_it():
    text = '"""Doc."""\nx = 1\n\n\ndef f():\n    return "from __future__ import annotations"\n'
    previous = Parsed(split_lines(text), ast.parse(text))
    mentioned = reparse(previous, split_lines(text.replace("return ", "return  ")))
    assert mentioned is not None  # the words in a string are no import
    assert _dump(mentioned) == _dump(ast.parse(text.replace("return ", "return  ")))
    # An import of a future after other statements is a syntax error that a region parse would accept.
    imported = text.replace("x = 1", "from __future__ import annotations")
    assert reparse(Parsed(split_lines(text), ast.parse(text)), split_lines(imported)) is None


def test_the_server_path_keeps_findings_identical_while_typing():
    text = (STDLIB / "json/decoder.py").read_text(encoding="utf-8")
    text += "\n\ndef slow(path):\n    for line in open(path).readlines():\n        print(line)\n"
    cache = BlockCache()
    lint_source(text, "decoder.py", block_cache=cache)
    edits = (
        text.replace("print(line)", "print(line, 1)"),  # inside a function
        text.replace("print(line)", "print(line + "),  # a syntax error
        text.replace("        self.object_hook = object_hook", "        self.object_hook = object_hook or None"),  # a method
        text.replace("print(line)", "print(line)\n        print(path)"),  # one more line
    )
    for edited in edits:
        assert lint_source(edited, "decoder.py", block_cache=cache) == lint_source(edited, "decoder.py")
        cache.prune()


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_line_endings_splice_as_they_parse(newline):
    text = newline.join(["class A:", "    def f(self):", "        return 1", "", "def h():", "    return 3", ""])
    lines = split_lines(text)
    previous = Parsed(lines, ast.parse(text))
    for number in (3, 6):
        edited = lines[:]
        edited[number - 1] = edited[number - 1].replace("return", "return  ")
        tree = reparse(previous, edited)
        assert tree is not None and _dump(tree) == _dump(ast.parse("".join(edited)))


def test_edits_inside_a_giant_data_literal_parse_only_the_element_and_equal_the_full_parse():
    text = (STDLIB / "pydoc_data/topics.py").read_text(encoding="utf-8")
    lines = split_lines(text)
    previous = Parsed(lines, ast.parse(text))
    statement = previous.tree.body[0]
    chance = random.Random("topics")
    spliced = 0
    for _ in range(40):
        number = chance.randrange(statement.lineno, statement.end_lineno - 1)
        line = lines[number]
        column = chance.randrange(len(line.rstrip("\n")) + 1)
        edited = lines[:number] + [line[:column] + chance.choice(EDITS) + line[column:]] + lines[number + 1 :]
        tree = reparse(previous, edited)
        if tree is None:
            continue
        spliced += 1
        assert _dump(tree) == _dump(ast.parse("".join(edited))), (number + 1, column)
        assert tree.body[0] is not statement and previous.tree.body[0] is statement  # a copy: the old tree is intact
    assert spliced >= 20


@pytest.mark.parametrize(
    "edit",
    [
        ("    'b',\n", "    'b', 'c',\n"),  # one more element: a tuple on its own, not inside the list
        ("    'b',\n", "    x := 1,\n"),  # an expression the display does not accept
        ("    'b',\n", "    'b' 'c',\n"),  # the same element, still a string
        ("    'b',\n", "    len('b'),\n"),  # a call: no longer data
        ("    2,\n", "    -2,\n"),
        ("    [3,\n", "    [f(3),\n"),
    ],
)
def test_element_splices_equal_the_full_parse_or_fall_back(edit):
    from perflint.blocks import is_literal_statement

    text = "DATA = [\n    'a',\n    (\n    'b',\n    2,\n    [3,\n    4],\n    ),\n    'z',\n]\n"
    lines = split_lines(text)
    previous = Parsed(lines, ast.parse(text))
    assert is_literal_statement(previous.tree.body[0])
    edited_text = text.replace(*edit)
    try:
        expected = ast.parse(edited_text)
    except SyntaxError:
        expected = None
    tree = reparse(previous, split_lines(edited_text))
    if tree is not None:
        assert expected is not None and _dump(tree) == _dump(expected)
        # the literal answer carried over to the copy is the fresh one's
        assert is_literal_statement(tree.body[0]) == is_literal_statement(ast.parse(edited_text).body[0])


def test_no_rule_reports_on_data_literals():
    from perflint.config import Settings
    from perflint.rules import all_rules

    text = (
        "import re\n"
        "TABLE = {'a': [1, 2, 3], 'b': (-1.5, None, ...), 'for x in y': {'list(rows)', b'pop(0)'}}\n"
        "ROWS: list = [\n" + "".join(f"    ({i}, 'row {i}', [{i}, {i}]),\n" for i in range(50)) + "]\n"
        "('sorted', 'append', 'requests.get', 'open', 'session.query')\n"
        "class Config:\n    CHOICES = [('a', 'A'), ('b', 'B')] * 1\n    NAMES = ['x', 'y', 'z']\n"
    )
    settings = Settings(prefilter=False)
    assert [f.code for f in lint_source(text, "data.py", settings, rules=all_rules())] == []
    assert lint_source(text, "data.py", rules=all_rules()) == []


LINE_EDITS = ("\n", "    x = 1\n", 'y = """\n', "def g(:\n", "@decorate\n", "    return (\n")


@pytest.mark.parametrize("name", ["textwrap.py", "shlex.py", "json/decoder.py"])
def test_a_long_file_whose_line_count_changed_parses_in_groups_equal_to_the_full_parse(name, monkeypatch):
    """parse_in_chunks (a line added or removed in a long file, so that no single C call holds
    the language server for 100 ms): every tree it gives equals the full parse; an edit it cannot
    split safely gives None and the full parse decides."""
    from perflint import reparse as module

    monkeypatch.setattr(module, "CHUNK_LINES", 60)  # these modules are short: cut them finer
    text = (STDLIB / name).read_text(encoding="utf-8")
    lines = split_lines(text)
    previous = Parsed(lines, ast.parse(text))
    rng = random.Random(name)
    grouped = 0
    for _ in range(60):
        new = list(lines)
        at = rng.randrange(len(new))
        if rng.random() < 0.3:
            del new[at]
        else:
            new.insert(at, rng.choice(LINE_EDITS))
        tree = module.parse_in_chunks(previous, new)
        if tree is None:
            continue
        grouped += 1
        assert _dump(tree) == _dump(ast.parse("".join(new))), (at, new[at] if at < len(new) else "")
    assert grouped >= 20  # most edits are parsed in groups, not handed back


def test_the_server_keeps_findings_identical_when_lines_come_and_go_in_a_long_file(monkeypatch):
    from perflint import reparse as module

    monkeypatch.setattr(module, "CHUNK_LINES", 40)
    text = (STDLIB / "shlex.py").read_text(encoding="utf-8")
    cache = BlockCache()
    rng = random.Random(7)
    lines = split_lines(text)
    for _ in range(12):
        at = rng.randrange(len(lines))
        lines.insert(at, "\n") if rng.random() < 0.5 else lines.insert(at, "# note\n")
        edited = "".join(lines)
        assert lint_source(edited, "shlex.py", block_cache=cache) == lint_source(edited, "shlex.py")
        cache.prune()
