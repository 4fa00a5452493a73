"""Classes are linted member by member, inside a copy of their header.

What must hold: a finding in a method is reported at its real place, once;
its fix applies to the file; and the language server's cache moves it when
an earlier method grows.
"""

from __future__ import annotations

import ast
import textwrap
import time

import libcst as cst

from perflint.blocks import split_blocks
from perflint.config import Settings
from perflint.engine import BlockCache, lint_source
from perflint.fixes import apply_fixes
from perflint.source import split_lines

READLINES = "for line in open(path).readlines():"  # PF404, with a safe fix

CLASS = textwrap.dedent(
    f'''
    class Reader(Base):
        """Reads."""

        size = 3

        def first(self, path):
            {READLINES}
                print(line)

        limit = 10

        @staticmethod
        def second(path):
            {READLINES}
                print(line)
    '''
).lstrip()


def _pieces(source: str):
    lines = split_lines(source)
    (block,) = split_blocks(ast.parse(source), lines)
    return block, lines


def test_a_class_is_cut_into_its_other_statements_and_one_piece_per_member():
    block, _ = _pieces(CLASS)
    shell, first, second = block.members
    assert shell.text == 'class Reader(Base):\n    """Reads."""\n\n    size = 3\n    limit = 10\n'
    assert shell.segments == ((1, 1), (2, 3), (10, 1)) and shell.lent == 0
    assert first.text.startswith("class Reader(Base):\n    def first(self, path):\n")
    assert first.segments == ((1, 1), (6, 3)) and first.lent == 1
    assert second.segments == ((1, 1), (12, 4)) and second.text.splitlines()[1] == "    @staticmethod"
    assert [first.file_line(n) for n in (1, 2, 4)] == [1, 6, 8]
    for piece in block.members:
        cst.parse_module(piece.text)  # every piece is a module of its own


def test_a_class_of_methods_only_gets_a_pass_to_complete_its_header():
    block, _ = _pieces("class A:\n    def f(self):\n        return 1\n")
    shell = block.members[0]
    assert shell.text == "class A:\n    pass\n"
    cst.parse_module(shell.text)


def test_a_class_whose_body_shares_its_header_line_stays_whole():
    block, _ = _pieces("class A: x = 1\n")
    assert block.members == ()


def test_findings_in_methods_are_where_the_whole_file_lint_puts_them():
    pieces = lint_source(CLASS, "x.py")
    whole = lint_source(CLASS, "x.py", Settings(select=("PF", "micro"), prefilter=False))
    assert [(f.code, f.line, f.column, f.end_line, f.end_column) for f in pieces] == [
        ("PF404", 7, 21, 7, 43),
        ("PF404", 14, 21, 14, 43),
    ]
    assert [(f.line, f.context["function"], f.context["function_line"]) for f in pieces] == [
        (7, "Reader.first", 6),
        (14, "Reader.second", 13),
    ]
    assert pieces == whole


def test_a_fix_inside_a_method_applies_to_the_file():
    fixed, applied = apply_fixes(CLASS, [f.fix for f in lint_source(CLASS, "x.py")])
    assert applied == 2
    assert fixed == CLASS.replace(".readlines():", ":")
    assert lint_source(fixed, "x.py") == []


def test_a_finding_in_the_class_header_is_reported_once_not_once_per_member():
    source = "@register([line for line in open(path).readlines()])\nclass A:\n    def f(self):\n        pass\n\n    def g(self):\n        pass\n"
    found = lint_source(source, "x.py")
    assert [(f.code, f.line) for f in found] == [("PF404", 1)]


def test_the_cache_moves_a_later_method_when_an_earlier_one_grows():
    cache = BlockCache()
    lint_source(CLASS, "x.py", block_cache=cache)
    cache.prune()
    edited = CLASS.replace("    def first(self, path):\n", "    def first(self, path):\n        path = str(path)\n")
    hits = cache.hits
    after = lint_source(edited, "x.py", block_cache=cache)
    assert cache.hits - hits >= 2  # the class's other statements and `second` came from the cache
    assert after == lint_source(edited, "x.py")
    assert [f.line for f in after] == [8, 15]
    fixed, _ = apply_fixes(edited, [f.fix for f in after])
    assert fixed == edited.replace(".readlines():", ":")


def test_grouping_module_level_statements_costs_less_than_parsing_them():
    # 60,000 plain statements form one piece. Growing that piece by rebuilding its list
    # per statement was quadratic (22 of 29 s for 80,000); linear, it costs a fraction of
    # the parse it follows, whatever the machine's load (both are timed here, back to back).
    text = "".join(f"value_{i} = {i}\n" for i in range(60_000))
    lines = split_lines(text)
    start = time.perf_counter()
    tree = ast.parse(text)
    parse = time.perf_counter() - start
    start = time.perf_counter()
    [block] = split_blocks(tree, lines)
    split = time.perf_counter() - start
    assert len(block.nodes) == 60_000 and block.segments == ((1, 60_000),)
    assert split < parse, (split, parse)


CONDITIONAL = textwrap.dedent(
    f'''
    import sys

    if sys.platform == "win32":
        def load(path):
            {READLINES}
                print(line)
    else:
        LIMIT = 3

        def load(path):
            return path


    class Reader:
        try:
            import fcntl
        except ImportError:
            fcntl = None
        else:
            def lock(self, path):
                {READLINES}
                    print(line)
    '''
).lstrip()


def test_functions_under_an_if_or_a_try_are_pieces_of_their_own():
    """An edit in one of them then re-lints that function, not the whole ``if`` (a class
    such as ``subprocess.Popen`` defines its methods under ``if _mswindows:``)."""
    lines = split_lines(CONDITIONAL)
    module, first, second, reader = split_blocks(ast.parse(CONDITIONAL), lines)
    assert module.text == 'import sys\n\nif sys.platform == "win32":\n    pass\nelse:\n    LIMIT = 3\n\n    pass\n'
    assert first.text.startswith("if True:\n    def load(path):\n") and first.lent == 1
    assert [first.file_line(n) for n in (2, 3)] == [4, 5]
    assert second.segments == ((0, 1), (10, 2))
    shell, lock = reader.members
    assert "pass" in shell.text and "def lock" not in shell.text
    assert lock.text.startswith("class Reader:\n        def lock(self, path):\n") and lock.lent == 1
    for piece in (module, first, second, shell, lock):
        cst.parse_module(piece.text)


def test_findings_and_fixes_under_an_if_are_where_the_file_has_them():
    found = lint_source(CONDITIONAL, "x.py")
    assert [(f.code, f.line, f.column, f.context["function"]) for f in found] == [
        ("PF404", 5, 21, "load"),
        ("PF404", 21, 25, "Reader.lock"),
    ]
    fixed, applied = apply_fixes(CONDITIONAL, [f.fix for f in found])
    assert applied == 2 and fixed == CONDITIONAL.replace(".readlines():", ":")
    cache = BlockCache()
    lint_source(CONDITIONAL, "x.py", block_cache=cache)
    cache.prune()
    edited = CONDITIONAL.replace("            return path\n", "            return str(path)\n")
    hits = cache.hits
    assert lint_source(edited, "x.py", block_cache=cache) == lint_source(edited, "x.py")
    assert cache.hits - hits >= 3  # the first `load`, the module's other lines and the class's pieces


def test_an_edit_in_one_method_keeps_the_other_members_pieces():
    from perflint.reparse import Parsed, reparse

    lines = split_lines(CLASS)
    first_tree = ast.parse(CLASS)
    memo: dict = {}
    (before,) = split_blocks(first_tree, lines, memo)
    edited = split_lines(CLASS.replace("print(line)", "print(line )", 1))
    tree = reparse(Parsed(lines, first_tree), edited)
    assert tree is not None  # the member was spliced: the class node is a copy, `second`'s node is kept
    (after,) = split_blocks(tree, edited, memo)
    assert after.members[2] is before.members[2]  # `second`: its node and the header are unchanged
    assert after.members[1] is not before.members[1] and "line )" in after.members[1].text
