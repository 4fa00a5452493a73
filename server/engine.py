"""Parse once, run every enabled rule in one traversal, return findings.

The cost model (see docs/design.md): ``ast.parse`` is about ten times faster
than ``libcst.parse_module``. So each file is parsed with ``ast`` first — that
finds syntax errors with CPython's own positions, the module's imports, and
the top-level blocks (each ``def``/``class``, and each run of other
statements). Only the blocks whose text contains a trigger of some enabled
rule are parsed with libcst, each on its own, and positions are shifted back
by the block's first line. Positions are computed only for blocks with
findings.
"""

from __future__ import annotations

import ast
import hashlib
import re
import sys
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from perflint.config import Settings
from perflint.context import ContextEnter, ContextExit, FileContext
from perflint.cst_walk import visit_batched
from perflint.facts import ModuleFacts
from perflint.fixes import materialize_fix
from perflint.model import Level, Finding, parse_error
from perflint.nesting import deeper_than
from perflint.ranking import Complexity, impact_of
from perflint.rule import Rule
from perflint.rules import all_rules
from perflint.source import DecodeError, decode, split_lines
from perflint.suppress import is_suppressed, suppressions

# libcst and its visitors recurse once per nesting level; the standard
# library's pydoc_data/topics.py needs about 8,000.
sys.setrecursionlimit(max(sys.getrecursionlimit(), 12000))

DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class Block:
    """A run of top-level source lines parsed on its own."""

    first_line: int  # 1-based line of the block's first line in the file
    text: str
    # the block's top-level ``ast`` statements, to check its depth before libcst parses it
    nodes: tuple[ast.stmt, ...] = field(default=(), compare=False, repr=False)


@lru_cache(maxsize=256)
def _enabled_rules(select: tuple[str, ...], levels: frozenset[int], ignored: tuple[str, ...]):
    selection = Settings(select=select, levels=levels)
    return tuple(
        rule for rule in all_rules() if selection.enables(rule.code, int(rule.level), rule.opt_in, ignored)
    )


def rules_for(path: str, settings: Settings) -> tuple[type[Rule], ...]:
    """The rules enabled for ``path``: selection, levels, ignores and per-file ignores."""
    return _enabled_rules(settings.select, settings.levels, settings.ignored_for(path))


def lint_file(path: str, settings: Optional[Settings] = None) -> list[Finding]:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return [parse_error(path, f"cannot read file: {error.strerror or error}")]
    return lint_source(data, path, settings)


def lint_source(
    source: str | bytes,
    path: str = "<stdin>",
    settings: Optional[Settings] = None,
    rules: Optional[Sequence[type[Rule]]] = None,
    block_cache: Optional["BlockCache"] = None,
) -> list[Finding]:
    """Lint one file's text; findings carry impact but not yet a run-wide rank.

    With a ``block_cache`` (the language server keeps one per document), blocks
    whose text, module facts and rules are unchanged reuse their earlier
    findings, shifted to where the block is now.
    """
    settings = settings or DEFAULT_SETTINGS
    if isinstance(source, bytes):
        try:
            source = decode(source)
        except DecodeError as error:
            return [parse_error(path, str(error))]
    if rules is None:
        rules = rules_for(path, settings)
    tree_or_error = _parse_ast(source, path)
    if isinstance(tree_or_error, Finding):
        return [tree_or_error]
    if not rules:
        return []
    lines = split_lines(source)
    facts = ModuleFacts.from_tree(tree_or_error)
    findings: list[Finding] = []
    project_stamp: Optional[str] = None
    names = _Spellings(facts)
    for block in split_blocks(tree_or_error, lines):
        active = [
            rule
            for rule in rules
            if not settings.prefilter or (rule.may_match(block.text) and names.may_reach(rule, block.text))
        ]
        if not active:
            continue
        if block_cache is not None:
            if project_stamp is None:
                project_stamp = _project_stamp(path, facts, rules)
            key = block_cache.key(block, facts, active, settings) + (project_stamp,)
            cached = block_cache.get(key, block)
            if cached is None:
                cached = _lint_block(block, active, facts, path, settings, source)
                block_cache.put(key, block, cached)
            findings.extend(cached)
        else:
            findings.extend(_lint_block(block, active, facts, path, settings, source))
    if findings:
        table = suppressions(source)
        findings = [f for f in findings if not is_suppressed(f.code, f.line, table)]
    return findings


def _project_stamp(path: str, facts: ModuleFacts, rules: Sequence[type[Rule]]) -> str:
    """What findings depend on beyond the file itself: the ORM models of the
    project (level-2 rules), so an edited model elsewhere refreshes cached blocks."""
    if not any(rule.level == Level.DATABASE for rule in rules):
        return ""
    from perflint.models_index import fingerprint

    return fingerprint(path, facts.tree)


def _parse_ast(source: str, path: str) -> ast.Module | Finding:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings about escapes are not our business
            return ast.parse(source, filename=path)
    except SyntaxError as error:
        line = error.lineno or 1
        column = error.offset or 1
        return parse_error(path, f"SyntaxError: {error.msg}", line, max(column, 1))
    except (RecursionError, MemoryError):
        return parse_error(path, "too deeply nested for Python's parser")
    except ValueError as error:  # e.g. "source code string cannot contain null bytes"
        return parse_error(path, f"SyntaxError: {error}")


def spellings(qualified: Sequence[str], facts: ModuleFacts) -> frozenset[str]:
    """Every name through which code in this module can refer to one of the ``qualified`` names.

    ``asyncio.run`` is reached through ``asyncio`` (also what an import inside a
    function spells) and through whatever the module imports as ``asyncio`` or
    ``asyncio.run`` (``import asyncio as aio``: ``aio``; ``from asyncio import
    run as go``: ``go``); ``builtins.sorted`` through ``sorted``.
    """
    found: set[str] = set()
    for name in qualified:
        top, _, rest = name.partition(".")
        found.add(rest if top == "builtins" and rest else top)
        for local, target in facts.imports.items():
            if name == target or name.startswith(target + "."):
                found.add(local)
    return frozenset(found)


class _Spellings:
    """``spellings`` of each rule's ``qualified_triggers`` for one file, computed once per rule.

    A spelling is an identifier, and code that uses it writes it as a whole
    word: ``re`` is looked for as a word, not inside ``return``.
    """

    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts
        self.by_rule: dict[type[Rule], re.Pattern[str]] = {}

    def may_reach(self, rule: type[Rule], text: str) -> bool:
        if not rule.qualified_triggers:
            return True
        pattern = self.by_rule.get(rule)
        if pattern is None:
            names = sorted(spellings(rule.qualified_triggers, self.facts))
            pattern = self.by_rule[rule] = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
        return pattern.search(text) is not None


def split_blocks(tree: ast.Module, lines: list[str]) -> list[Block]:
    """Each top-level def/class is a block; each run of other statements is one block."""
    blocks: list[Block] = []
    run_start: Optional[int] = None
    run_end = 0
    run_nodes: list[ast.stmt] = []

    def close_run() -> None:
        nonlocal run_start, run_nodes
        if run_start is not None:
            blocks.append(Block(run_start, "".join(lines[run_start - 1 : run_end]), tuple(run_nodes)))
            run_start, run_nodes = None, []

    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        end = node.end_lineno or node.lineno
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            close_run()
            blocks.append(Block(start, "".join(lines[start - 1 : end]), (node,)))
        else:
            if run_start is None:
                run_start = start
            run_end = max(run_end, end)
            run_nodes.append(node)
    close_run()
    return blocks


def _lint_block(
    block: Block,
    rules: Sequence[type[Rule]],
    facts: ModuleFacts,
    path: str,
    settings: Settings,
    source: str,
) -> list[Finding]:
    if deeper_than(block.nodes):
        # libcst would take minutes or crash the process on this block (see perflint.nesting).
        return [parse_error(path, "too deeply nested for libcst's parser; this block was not checked", block.first_line)]
    try:
        module = cst.parse_module(block.text)
    except (cst.ParserSyntaxError, RecursionError, MemoryError):
        # ast accepted this code, so it is valid Python that libcst cannot parse.
        return [parse_error(path, "too deeply nested for libcst's parser; this block was not checked", block.first_line)]
    context = FileContext(facts, path)
    visitors: list[cst.BatchableCSTVisitor] = [ContextEnter(context)]
    visitors.extend(rule(context, settings.rule_options.get(rule.code)) for rule in rules)
    visitors.append(ContextExit(context))
    try:
        visit_batched(module, visitors)  # libcst's own rebuilds every node: 7x slower
    except RecursionError:
        return [parse_error(path, "too deeply nested to analyse; this block was not checked", block.first_line)]
    if not context.reports:
        return []
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    offset = block.first_line - 1
    complexity = Complexity(block.text, block.first_line)
    findings = []
    seen: set[tuple[str, int]] = set()
    for report in context.reports:
        key = (report.rule.code, id(report.node))
        if key in seen:  # one finding per node and rule, however it was reached
            continue
        seen.add(key)
        where = positions[report.node]
        function_line = positions[report.function].start.line + offset if report.function is not None else None
        if isinstance(report.function, cst.FunctionDef):
            function_line = positions[report.function.name].start.line + offset
        fix = None
        if report.fix is not None:
            fix = materialize_fix(report.fix, module, block.first_line, facts, source)
        node_code = module.code_for_node(report.node)
        findings.append(
            Finding(
                path=path,
                line=where.start.line + offset,
                column=where.start.column + 1,
                end_line=where.end.line + offset,
                end_column=where.end.column + 1,
                code=report.rule.code,
                rule=report.rule.name,
                level=int(report.rule.level),
                message=report.message,
                impact=impact_of(report.rule.weight, report.loop_depth, complexity.of(function_line)),
                fix=fix,
                fingerprint=_fingerprint(report.rule.code, report.function_name, node_code),
                context={
                    "function": report.function_name,
                    "function_line": function_line,
                    "loop_depth": report.loop_depth,
                    "complexity": complexity.of(function_line),
                },
            )
        )
    return findings


def _fingerprint(code: str, function: str, node_code: str) -> str:
    normalized = " ".join(node_code.split())
    return hashlib.blake2b(f"{code}|{function}|{normalized}".encode(), digest_size=8).hexdigest()


class BlockCache:
    """Findings per block, keyed by the block's text and everything else they depend on.

    Entries are stored with the line the block started on; a hit elsewhere is
    shifted. Edits before the block (insertions at the module's import point)
    stay where they are: that point is part of the key, so it cannot have moved.
    Entries not used by the latest lint are dropped, so memory follows the document.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple, tuple[int, list[Finding]]] = {}
        self._used: set[tuple] = set()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(block: Block, facts: ModuleFacts, rules: Sequence[type[Rule]], settings: Settings) -> tuple:
        facts_key = (
            tuple(sorted(facts.imports.items())),
            frozenset(facts.own_names),
            facts.insert_line,
        )
        return (block.text, facts_key, tuple(rule.code for rule in rules), settings.fingerprint())

    def get(self, key: tuple, block: Block) -> Optional[list[Finding]]:
        entry = self._entries.get(key)
        self._used.add(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        first_line, findings = entry
        delta = block.first_line - first_line
        if delta == 0:
            return list(findings)
        return [_shift(finding, delta, first_line) for finding in findings]

    def put(self, key: tuple, block: Block, findings: list[Finding]) -> None:
        self._entries[key] = (block.first_line, findings)
        self._used.add(key)

    def prune(self) -> None:
        """Forget blocks that the last lint did not use."""
        self._entries = {k: v for k, v in self._entries.items() if k in self._used}
        self._used = set()


def _shift(finding: Finding, delta: int, block_start: int) -> Finding:
    from dataclasses import replace

    from perflint.model import Edit, Fix

    fix = finding.fix
    if fix is not None:
        edits = tuple(
            edit
            if edit.line < block_start
            else Edit(edit.line + delta, edit.column, edit.end_line + delta, edit.end_column, edit.content)
            for edit in fix.edits
        )
        fix = Fix(fix.message, fix.applicability, edits)
    context = dict(finding.context)
    if context.get("function_line"):
        context["function_line"] += delta
    return replace(
        finding,
        line=finding.line + delta,
        end_line=finding.end_line + delta,
        fix=fix,
        context=context,
    )
