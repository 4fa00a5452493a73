"""Costs that do not grow with the number of findings (issue #19): each shortcut taken on a
file full of findings gives what the general path gives."""

from __future__ import annotations

import ast
import gc
import json
import random
import subprocess
import sysconfig
import sys
import textwrap
from pathlib import Path

from collections.abc import Sequence

import libcst as cst
import pytest

from perflint.analysis import ScopeIndex
from perflint.config import Settings
from perflint.context import as_ast, function_local_names, names_in_target
from perflint.cst_walk import iter_nodes, visit
from perflint.engine import batch_heap, lint_source
from perflint.fixes import _ReplaceAll, replace_nodes
from perflint.ranking import _Nesting

SAMPLE = textwrap.dedent(
    """
    import os
    from x import (a,  # why
                   b)

    def outer(p, *args, q=(lambda r: r), **kw):
        global g
        total = 0
        for i, (j, *k) in enumerate(p):
            if (n := i) > 2:
                total += n
            with open(p) as fh, open(q) as (gh):
                pass
        try:
            import json as js, os.path
        except ValueError as error:
            del total
        def inner(z):
            nonlocal total
            return z
        class Box:
            attr = 1
        y: int
        w = [t for t in p if (u := t)]
        return lambda v: v + total  # the end
    """
)


def test_interval_lookup_agrees_with_a_scan():
    rng = random.Random(7)
    nested = 0
    for _ in range(300):
        intervals = []
        for _ in range(rng.randint(0, 12)):
            start = rng.randint(1, 40)
            intervals.append((start, start + rng.randint(0, 15)))
        index = _Nesting(intervals)
        nested += not index._scan
        for line in range(0, 60):
            expected = sorted(
                (i for i, (start, end) in enumerate(intervals) if start <= line <= end),
                key=lambda i: (intervals[i][0], -intervals[i][1], i),
            )
            found = index.containing(line)
            assert sorted(found) == sorted(expected)
            if index._scan:  # some overlap without nesting: the scan's order, the list's
                assert found == sorted(found)
            else:  # they nest, as statements' line ranges do: outermost first
                assert [intervals[i][0] for i in found] == sorted(intervals[i][0] for i in found)
    assert nested >= 30  # the bisection itself was exercised, not only the fallback


def test_cold_code_by_bisection_in_nested_functions():
    drain = "queue = list(rows)\n{0}while queue:\n{0}    queue.pop(0)\n"
    source = (
        "def main(rows):\n    def helper(rows):\n        " + drain.format("        ")
        + "    return helper\n\n\ndef work(rows):\n    " + drain.format("    ")
        + "\n\nclass Shown:\n    def __repr__(self, rows):\n        " + drain.format("        ")
    )
    findings = lint_source(source, "tool.py", Settings(cold=True))
    cold = {f.context.get("function"): f.context.get("cold") for f in findings if f.code == "PF103"}
    assert cold == {
        "main.helper": "in `main` (a command-line entry point)",  # nested in ``main``: cold with it
        "work": None,
        "Shown.__repr__": "in `__repr__` (runs for display or once per class)",
    }


class _LocalNames(cst.CSTVisitor):
    """The visitor ``function_local_names`` replaced, kept here as the reference it must agree
    with: names bound directly in one function (not in nested functions or classes)."""

    def __init__(self, root: cst.CSTNode) -> None:
        self.root = root
        self.names: set[str] = set()
        self.declared_global: set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if node is self.root:
            return True
        self.names.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return node is self.root

    def visit_Param(self, node: cst.Param) -> None:
        self.names.add(node.name.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.names |= names_in_target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.names |= names_in_target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.names |= names_in_target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self.names |= names_in_target(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        pass  # comprehension targets live in their own scope

    def visit_AsName(self, node: cst.AsName) -> None:
        self.names |= names_in_target(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.names |= names_in_target(node.target)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            if alias.asname is None:
                head = alias.name
                while isinstance(head, cst.Attribute):
                    head = head.value
                if isinstance(head, cst.Name):
                    self.names.add(head.value)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, Sequence):
            for alias in node.names:
                if alias.asname is None and isinstance(alias.name, cst.Name):
                    self.names.add(alias.name.value)

    def visit_Global(self, node: cst.Global) -> None:
        self.declared_global |= {item.name.value for item in node.names}

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.declared_global |= {item.name.value for item in node.names}


def test_local_names_loop_agrees_with_the_visitor():
    module = cst.parse_module(SAMPLE)
    checked = 0
    for node in iter_nodes(module):
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            collector = _LocalNames(node)
            visit(node, collector)
            assert function_local_names(node) == collector.names - collector.declared_global
            checked += 1
    assert checked >= 4
    outer = next(n for n in module.body if isinstance(n, cst.FunctionDef))
    names = function_local_names(outer)
    assert {"p", "args", "q", "kw", "total", "i", "j", "k", "n", "fh", "gh", "js", "os", "error", "inner", "Box", "y", "w", "u"} <= names
    assert "g" not in names and "t" not in names and "z" not in names


# What a ``ScopeIndex`` binds and ``function_local_names`` does not count, and the reverse.
LOCALS_EDGES = textwrap.dedent(
    """
    @deco(d := 1)
    def f(a, b: (ann := int) = (dflt := 2), *, c=lambda lam: lam) -> (ret := None):
        global gl
        x: int
        y: list = []
        del gone
        del y
        match a:
            case [m, *rest]:
                pass
            case {"k": kv, **others}:
                pass
            case Point(px) as whole:
                pass
        try:
            pass
        except* ValueError as group:
            pass
        try:
            pass
        except (TypeError, KeyError) as plain:
            pass
        gl = 1
        def nested():
            global only_nested
            nonlocal x
        return [w for w in a if (kept := w)]
    """
)


def test_local_names_from_the_scope_index_equal_the_walk():
    """``Scope.local_names`` answers from a ``ScopeIndex`` a rule has built: exactly what
    ``function_local_names`` gives, on the samples and on a slice of the standard library."""
    checked = 0
    texts = [SAMPLE, LOCALS_EDGES]
    root = Path(sysconfig.get_path("stdlib"))
    texts += [path.read_text(encoding="utf-8", errors="replace") for path in sorted(root.glob("*.py"))[::9]]
    for text in texts:
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError:
            continue
        for node in iter_nodes(module):
            if isinstance(node, cst.FunctionDef):
                assert ScopeIndex(node).local_names() == function_local_names(node), (node.name.value, text[:60])
                checked += 1
    edges = ScopeIndex(cst.parse_module(LOCALS_EDGES).body[0]).local_names()
    assert {"d", "ann", "dflt", "ret", "x", "y", "group", "plain", "kept", "nested", "a", "b", "c"} <= edges
    assert not {"gone", "m", "rest", "kv", "others", "px", "whole", "gl", "only_nested", "w", "lam"} & edges
    assert ScopeIndex(cst.parse_module("x = 1\n")).local_names() is None
    assert checked > 1000


def test_a_scope_index_without_comments_skips_only_whitespace_and_punctuation():
    """``ScopeIndex(comment_free=True)`` (a piece without ``#``) leaves whitespace and
    punctuation unwalked: everything else it records is what the full walk records."""
    from perflint.cst_walk import TRIVIA_TYPES

    root = Path(sysconfig.get_path("stdlib"))
    checked = 0
    for path in sorted(root.glob("*.py"))[::7]:
        module = cst.parse_module(path.read_bytes())
        for node in iter_nodes(module):
            if not isinstance(node, cst.FunctionDef) or "#" in module.code_for_node(node):
                continue
            full, quick = ScopeIndex(node), ScopeIndex(node, comment_free=True)
            for field in ("bindings", "reads", "closure_names", "declared", "own_declared", "has_star_import",
                          "reads_dynamically", "suspends", "may_have_comments"):
                assert getattr(full, field) == getattr(quick, field), (path.name, node.name.value, field)
            assert quick.parents == {k: v for k, v in full.parents.items() if type(k) not in TRIVIA_TYPES}
            assert quick.local_names() == full.local_names()
            checked += 1
    assert checked > 500


def test_statements_spliced_into_the_piece_give_the_rewritten_pieces_code(monkeypatch):
    """A fix that replaces whole statements takes the piece's code with the new statements'
    code spliced in (``PiecePositions.spliced_spans``): the code generation of the whole
    rewritten piece gives the same text, and ``diff_edits`` of it the same edits as the spans'
    own (``_span_edits``), for every rule's examples and fixes on real modules."""
    from perflint import fixes
    from perflint.fixes import _ReplaceAll, _span_edits, diff_edits
    from perflint.positions import PiecePositions, code_for_node
    from perflint.rules import all_rules

    spans_of = PiecePositions.spliced_spans
    counts = {"spliced": 0, "declined": 0, "runs": 0}

    def checked(self, replacements):
        spans = spans_of(self, replacements)
        if spans is None:
            counts["declined"] += 1
            return None
        text, at = "", 0
        for begin, end, code in spans:
            text, at = text + self._text[at:begin] + code, end
        text += self._text[at:]
        module = self._module
        rewritten = replace_nodes(module, replacements) or module.visit(_ReplaceAll(replacements))
        generated = code_for_node(rewritten, rewritten)
        assert text == generated
        assert _span_edits(self._text, spans, self.line_of) == diff_edits(self._text, generated)
        counts["spliced"] += 1
        counts["runs"] += len(spans) > 1
        return spans

    monkeypatch.setattr(PiecePositions, "spliced_spans", checked)
    monkeypatch.setattr(fixes, "TEXT_FIXES", False)  # the nodes' way (the text's: ``test_fix_text.py``)
    sources = [textwrap.dedent(example.code) for rule in all_rules() for example in rule.invalid]
    sources.append("".join(
        f"def f{i}(rows):\n    # note\n    result = []\n    for row in rows:\n        if row > {i}:\n"
        f"            result.append(row * 2)\n\n    # done\n    return result\n\n\n" for i in range(20)
    ))
    root = Path(sysconfig.get_path("stdlib"))
    sources += [(root / name).read_text(encoding="utf-8") for name in ("tarfile.py", "pydoc.py", "inspect.py", "difflib.py")]
    for source in sources:
        lint_source(source, "example.py", Settings(select=("PF", "micro")), fixes=True)
    assert counts["spliced"] > 30 and counts["declined"] > 10 and counts["runs"] > 10, counts


@pytest.mark.parametrize("text", ["x", "a.b.c", "(a).b", "self.rows", "ﬁle.x", "None", "f(x)", "a[0].b", "(x  # c\n)"])
def test_names_and_attribute_chains_become_the_ast_the_parser_gives(text):
    expected = ast.parse("(" + text + "\n)", mode="eval").body
    assert ast.dump(as_ast(cst.parse_expression(text))) == ast.dump(expected)


def test_scope_index_knows_whether_a_loop_may_suspend_or_hold_a_comment():
    module = cst.parse_module(SAMPLE)
    outer = next(n for n in module.body if isinstance(n, cst.FunctionDef))
    index = ScopeIndex(outer)
    assert index.may_have_comments and not index.suspends
    plain = cst.parse_module("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    return out\n").body[0]
    quiet = ScopeIndex(plain)
    assert not quiet.may_have_comments and not quiet.suspends
    nested = cst.parse_module("async def f(xs):\n    for x in xs:\n        g = lambda: (yield)\n        await x\n").body[0]
    assert ScopeIndex(nested).suspends


def _all_replacements(module: cst.Module):
    """Some node-for-node and in-sequence replacements of every kind the fixes make."""
    statements = [n for n in iter_nodes(module) if isinstance(n, cst.BaseStatement)]
    names = [n for n in iter_nodes(module) if isinstance(n, cst.Name)]
    yield {names[3]: cst.Name("renamed")}
    yield {statements[2]: cst.RemovalSentinel.REMOVE}
    yield {statements[3]: cst.FlattenSentinel([cst.parse_statement("a = 1\n"), cst.parse_statement("b = 2\n")])}
    yield {statements[1]: cst.parse_statement("pass\n"), names[-1]: cst.Name("other")}
    yield {module.body[0]: cst.parse_statement("import sys\n")}
    # a replaced node inside a replaced node: the outer replacement wins
    outer = next(n for n in module.body if isinstance(n, cst.FunctionDef))
    yield {outer: cst.parse_statement("x = 1\n"), names[5]: cst.Name("lost")}
    yield {cst.Name("elsewhere"): cst.Name("x")}  # not in the tree: left to the transformer


def test_replacing_only_the_ancestors_gives_the_transformers_code():
    module = cst.parse_module(SAMPLE)
    for mapping in _all_replacements(module):
        expected = module.visit(_ReplaceAll(mapping)).code
        quick = replace_nodes(module, mapping)
        if quick is not None:
            assert quick.code == expected
    assert module.code == SAMPLE  # the original tree is untouched


def test_a_sentinel_where_one_node_is_required_is_left_to_the_transformer():
    module = cst.parse_module("x = f(a)\n")
    call = next(n for n in iter_nodes(module) if isinstance(n, cst.Call))
    assert replace_nodes(module, {call.func: cst.RemovalSentinel.REMOVE}) is None


def test_batch_heap_gives_the_collector_back_its_objects():
    was = gc.isenabled()
    with batch_heap():
        findings = lint_source("def f(rows):\n    q = list(rows)\n    while q:\n        q.pop(0)\n", "x.py")
        assert gc.get_freeze_count() > 0
    assert [f.code for f in findings] == ["PF103"]
    assert gc.get_freeze_count() == 0 and gc.isenabled() == was
    with pytest.raises(RuntimeError), batch_heap():
        raise RuntimeError
    assert gc.get_freeze_count() == 0 and gc.isenabled() == was


def test_batch_heap_changes_no_finding_or_fix():
    source = "import os\n" + "".join(
        f"def f{i}(rows):\n    queue = list(rows)\n    while queue:\n        print(queue.pop(0))\n\n" for i in range(30)
    )
    plain = lint_source(source, "x.py")
    with batch_heap():
        batched = lint_source(source, "x.py")
    assert plain == batched and len(plain) == 30 and all(f.fix and f.fix.edits for f in plain)


SERVICE = textwrap.dedent(
    """
    from myapp.models import Order

    def load(order_id):
        return Order.objects.get(pk=order_id)

    class Report:
        def totals(self, ids):
            seen = []
            for order_id in ids:
                order = load(order_id)
                if order.customer_id not in seen:
                    seen.append(order.customer_id)
            return seen
    """
)


def test_a_command_line_lint_leaves_no_cyclic_garbage():
    """What the inference and the call scan keep on each statement for the next keystroke
    points back at the statement; on the command line it is dropped when the file's lint
    ends, so the file's objects are freed at once instead of waiting, frozen and thawed,
    for a rare full collection (the standard library with ``--jobs 1``: 1.4 GB without it)."""
    with batch_heap():
        lint_source(SERVICE, "app/report.py")  # the imports and caches a first lint fills
    gc.collect()
    with batch_heap():
        findings = lint_source(SERVICE, "app/report.py")
    assert {f.code for f in findings} >= {"PF209", "PF101"}  # the inference was built and asked
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage if isinstance(o, (ast.AST, cst.CSTNode))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []


def test_the_command_ends_with_its_whole_output_and_status(tmp_path: Path):
    path = tmp_path / "many.py"
    path.write_text("".join(
        f"def f{i}(rows):\n    queue = list(rows)\n    while queue:\n        queue.pop(0)\n\n" for i in range(200)
    ))
    command = [sys.executable, "-m", "perflint", "check", "--no-cache", "--jobs", "1", "--format", "json", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)
    assert len(findings) == 200 and all(f["fix"]["edits"] for f in findings)
    clean = tmp_path / "clean.py"
    clean.write_text("x = 1\n")
    done = subprocess.run(command[:-1] + [str(clean)], capture_output=True, text=True, timeout=300)
    assert (done.returncode, json.loads(done.stdout)) == (0, [])


def _piece_positions(piece, module):
    from perflint.cst_walk import visit_batched
    from perflint.engine import _piece_top
    from perflint.positions import PiecePositions

    owners: dict = {}
    visit_batched(module, [], owners)
    return owners, lambda: PiecePositions(module, piece.text, owners, _piece_top(piece, module), piece.piece_line)


POSITION_MODULES = ["json/decoder.py", "argparse.py", "asyncio/base_events.py", "email/_header_value_parser.py",
                    "inspect.py", "typing.py"]


@pytest.mark.parametrize("name", POSITION_MODULES)
def test_each_statements_own_code_generation_gives_libcsts_ranges(name):
    """Every node of every piece (class members in their lent header, functions under an
    ``if``, the statements around them), its function's name line and its code, from the
    code generation of its own statement, equal what the whole piece's generation gives."""
    from perflint.blocks import split_blocks
    from perflint.positions import positions_of
    from perflint.source import split_lines

    text = (Path(sysconfig.get_path("stdlib")) / name).read_text(encoding="utf-8")
    lines = split_lines(text)
    pieces = [p for block in split_blocks(ast.parse(text), lines) for p in (block, *block.members)]
    fast = 0
    for piece in pieces:
        module = cst.parse_module(piece.text)
        everything = positions_of(module)
        owners, new = _piece_positions(piece, module)
        for node in everything:
            if id(node) not in owners:
                continue  # trivia the walk skips: asked for, they take the whole piece's ranges
            positions = new()
            assert positions[node] == everything[node], (name, piece.segments, node)
            fast += not positions._whole
            code = positions.code_of(node)
            if code is not None:
                expected = module.code_for_node(node) if not isinstance(node, cst.Annotation) else code
                assert " ".join(code.split()) == " ".join(expected.split())
                if "\n" not in code and "\r" not in code:
                    assert code == expected
            if isinstance(node, cst.FunctionDef):
                assert new().name_line(node) == everything[node.name].start.line
    assert fast > 1000  # the statements' own generation did the work


def test_a_statement_not_where_the_ast_says_takes_the_whole_pieces_ranges():
    from perflint.blocks import Block
    from perflint.positions import positions_of

    text = "def f(rows):\n    x = 1\n    y = rows.pop(0)\n"
    module = cst.parse_module(text)
    tree = ast.parse(text)
    tree.body[0].body[1].lineno = 2  # an ``ast`` that disagrees with the text
    piece = Block(text, ((1, 3),), 0, tuple(tree.body))
    owners, new = _piece_positions(piece, module)
    call = next(n for n in iter_nodes(module) if isinstance(n, cst.Call))
    positions = new()
    positions.prepare([call])
    assert positions._failed and positions._whole
    assert positions[call] == positions_of(module)[call]
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_argument_parsing_is_cold_whatever_the_line_endings(newline):
    source = newline.join([
        "import argparse",
        "def build(rows):",
        "    parser = argparse.ArgumentParser()",
        "    queue = list(rows)",
        "    while queue:",
        "        parser.add_argument(queue.pop(0))",
        "",
        "def work(rows):",
        "    queue = list(rows)",
        "    while queue:",
        "        queue.pop(0)",
        "",
    ])
    cold = {f.context["function"]: f.context.get("cold") for f in lint_source(source, "tool.py", Settings(cold=True))}
    assert cold == {"build": "in argument parsing", "work": None}


COMPLEXITY_CASES = textwrap.dedent(
    """
    import re

    @decorate(lambda v: v if v else 0)
    def f(a, b=(1 if x else 2)):
        assert a and b or c
        if a and b and c:
            return [x for x in a if x if not x] or {k: v for k, v in b}
        for i in a:
            pass
        else:
            pass
        while b:
            try:
                pass
            except* TypeError:
                pass
        try:
            pass
        except KeyError:
            pass
        else:
            pass
        match a:
            case 1 | 2:
                pass
            case [x, *rest] if x:
                pass
            case _:
                pass
        g = lambda q: (q if q else -q)

        def closure(z):
            return z if z else None

        class Local:
            def hidden(self):
                return 1 if self else 2

    class Shown:
        if DEBUG:
            def method(self):
                while True:
                    break

        def other(self):
            return [a for a in b]

        class Inner:
            def deep(self):
                return a or b

    async def g():
        async for x in y:
            async with z:
                await x
    """
)


def test_complexity_in_one_pass_is_radons():
    from perflint.ranking import _radon_complexities, _statement_complexities

    tree = ast.parse(COMPLEXITY_CASES)
    statements = list(tree.body)
    stdlib = Path(sysconfig.get_path("stdlib"))
    for name in ("json/decoder.py", "argparse.py", "inspect.py", "email/_header_value_parser.py"):
        statements.extend(ast.parse((stdlib / name).read_bytes()).body)
    blocks = 0
    for statement in statements:
        expected = _radon_complexities(statement)
        assert _statement_complexities(statement) == expected, ast.dump(statement)[:200]
        blocks += len(expected)
    assert blocks > 500
    line = {text.strip(): number for number, text in enumerate(COMPLEXITY_CASES.splitlines(), start=1)}
    cases = _statement_complexities(tree.body[1])
    assert cases[line["def f(a, b=(1 if x else 2)):"]] > 10 and line["def closure(z):"] in cases
    assert line["class Local:"] not in cases and line["def hidden(self):"] not in cases  # radon drops them
    shown = _statement_complexities(tree.body[2])
    assert {line["def method(self):"], line["def other(self):"], line["def deep(self):"]} <= set(shown)


def test_pieces_parse_without_node_checks_on_the_command_line_only():
    """``engine._parse_piece`` leaves out libcst's check of each node it builds while a command-line
    batch parses (the same tree and code), and nodes built afterwards are checked again."""
    from libcst import CSTNode, CSTValidationError

    from perflint.engine import _VALIDATE, _parse_piece

    text = "def f(rows):\n    queue = list(rows)\n    while queue:\n        queue.pop(0)  # x\n"
    with batch_heap():
        module = _parse_piece(text)
        assert CSTNode.__post_init__ is _VALIDATE
    assert module.code == text and module.deep_equals(cst.parse_module(text))
    with pytest.raises(CSTValidationError):
        cst.Name("not a name")
    with pytest.raises(cst.ParserSyntaxError):
        with batch_heap():
            _parse_piece("def f(:\n")
    assert CSTNode.__post_init__ is _VALIDATE


def test_a_call_with_another_callee_has_the_code_libcst_generates(monkeypatch):
    """A one-line fix that changes only a call's callee (``list(xs)`` -> ``deque(xs)``) takes
    the call's new code from the old one's (``fixes._callee_changed``): what libcst generates
    for the new call, on every rule's examples and fixes on real modules; and no answer for a
    call changed in any other way."""
    from perflint import fixes
    from perflint.positions import code_for_node
    from perflint.rules import all_rules

    reused = fixes._callee_changed
    counts = {"reused": 0, "declined": 0}

    def checked(module, old, new, before):
        code = reused(module, old, new, before)
        if code is None:
            counts["declined"] += 1
        else:
            assert code == code_for_node(module, new)
            counts["reused"] += 1
        return code

    monkeypatch.setattr(fixes, "_callee_changed", checked)
    monkeypatch.setattr(fixes, "TEXT_FIXES", False)  # the nodes' way (the text's: ``test_fix_text.py``)
    sources = [textwrap.dedent(example.code) for rule in all_rules() for example in rule.invalid]
    sources.append("def f(rows):\n    queue = list(rows)\n    while queue:\n        queue.pop(0)\n")
    sources.append("def f(rows):\n    queue = list (\n  rows )\n    while queue:\n        queue.pop(0)\n")
    root = Path(sysconfig.get_path("stdlib"))
    sources += [(root / name).read_text(encoding="utf-8") for name in ("tarfile.py", "pydoc.py", "inspect.py", "difflib.py")]
    for source in sources:
        lint_source(source, "example.py", Settings(select=("PF", "micro")), fixes=True)
    assert counts["reused"] >= 3 and counts["declined"] > 10, counts
    module = cst.parse_module("x = list(a)\n")
    old = module.body[0].body[0].value
    assert reused(module, old, old.with_changes(func=cst.Name("deque")), "list(a)") == "deque(a)"
    assert reused(module, old, old.with_changes(func=cst.Name("deque"), args=[]), "list(a)") is None
    spaced = old.with_changes(func=cst.Name("deque"), whitespace_before_args=cst.SimpleWhitespace(" "))
    assert reused(module, old, spaced, "list(a)") is None
    assert reused(module, old, old.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()]), "list(a)") is None


@pytest.mark.parametrize("text", ["deque", "(deque)", "collections.deque", "((d))"])
def test_a_plain_names_code_is_its_text(text):
    from perflint.fixes import _plain_code
    from perflint.positions import code_for_node

    module = cst.parse_module(f"{text}()\n")
    callee = module.body[0].body[0].value.func
    assert _plain_code(module, callee) == code_for_node(module, callee) == text


@pytest.mark.parametrize(
    ("body", "dynamic"),
    [
        ("return eval(code, {}, env)", False),  # its own globals and locals
        ("exec(src, namespace)", False),  # globals given: locals default to them
        ("return eval(code, globals=g)", False),
        ("return eval(code)", True),  # the caller's locals
        ("return eval(code, *spaces)", True),
        ("return locals()", True),
        ("return vars()", True),
    ],
)
def test_eval_and_exec_read_the_callers_locals_only_without_their_own_globals(body, dynamic):
    function = cst.parse_module(f"def f(code, src, env, namespace, g, spaces):\n    {body}\n").body[0]
    assert ScopeIndex(function).reads_dynamically is dynamic
