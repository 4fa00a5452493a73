"""Parse once, run every enabled rule in one traversal, return findings.

The cost model (see docs/design.md): ``ast.parse`` is about ten times faster
than ``libcst.parse_module``. So each file is parsed with ``ast`` first — that
finds syntax errors with CPython's own positions, the module's imports, and
the pieces to lint (``perflint.blocks``: each top-level ``def``, each member of
a top-level class, each run of other statements). A piece is parsed with
libcst only if some enabled rule can match it (``_Gate``: its triggers, the
names it spells, what its ``ast`` shows it doing), and positions map back
through the piece's segments. Positions are computed only for pieces with
findings.
"""

from __future__ import annotations

import ast
import hashlib
import re
import sys
import textwrap
import warnings
from functools import lru_cache
from typing import Mapping, Optional, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from perflint.blocks import Block, split_blocks
from perflint.config import Settings
from perflint.context import ContextEnter, ContextExit, FileContext
from perflint.cst_walk import visit_batched
from perflint.facts import Mentions, ModuleFacts
from perflint.infer import ModuleInference
from perflint.fixes import materialize_fix
from perflint.model import Edit, Finding, Level, parse_error
from perflint.moves import LineMove, untouched_findings
from perflint.nesting import MAX_CST_DEPTH, deeper_than
from perflint.ranking import Complexity, cold_reason, drops, impact_of, with_heat
from perflint.reparse import Parsed, changed_region, reparse
from perflint.rule import Rule
from perflint.rules import all_rules
from perflint.shape import Shape, shape_of
from perflint.source import DecodeError, decode, split_lines
from perflint.suppress import is_suppressed, suppressions

# libcst and its visitors recurse once per nesting level; the standard
# library's pydoc_data/topics.py needs about 8,000.
sys.setrecursionlimit(max(sys.getrecursionlimit(), 12000))

DEFAULT_SETTINGS = Settings()
_LOOP_WORD = re.compile(r"\b(?:for|while)\b")
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=256)
def _enabled_rules(select: tuple[str, ...], levels: frozenset[int], ignored: tuple[str, ...]):
    selection = Settings(select=select, levels=levels)
    return tuple(
        rule
        for rule in all_rules()
        if selection.enables(rule.code, int(rule.level), rule.opt_in, ignored, micro=rule.micro)
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
    lines: Optional[list[str]] = None,
) -> list[Finding]:
    """Lint one file's text; findings carry impact but not yet a run-wide rank.

    With a ``block_cache`` (the language server keeps one per document), the
    ``ast`` is spliced from the last one where the edit allows, and pieces whose
    text, module facts, rules and settings are unchanged reuse their earlier
    findings, moved to where the piece is now. ``lines`` are the text's lines
    (``source.split_lines``) if the caller has them already.
    """
    settings = settings or DEFAULT_SETTINGS
    if isinstance(source, bytes):
        try:
            source = decode(source)
        except DecodeError as error:
            return [parse_error(path, str(error))]
    if rules is None:
        rules = rules_for(path, settings)
    if lines is None:
        lines = split_lines(source)
    tree_or_error = _parse_ast(source, path, lines, block_cache)
    if isinstance(tree_or_error, Finding):
        if block_cache is not None and block_cache.good is not None:
            return [tree_or_error, *untouched_findings(*block_cache.good, lines)]
        return [tree_or_error]
    if not rules:
        if block_cache is not None:
            block_cache.good = Parsed(lines, tree_or_error), []
        return []
    facts = ModuleFacts.from_tree(tree_or_error, source, _mentions(source, lines, block_cache))
    findings: list[Finding] = []
    gate = _Gate(facts, path, settings)
    if block_cache is not None:
        # What a piece's findings depend on besides its text: the module's names and
        # insertion point, the rules its file admits, the project's models, the settings.
        in_file = tuple(rule.code for rule in rules if gate.file_admits(rule))
        names = (tuple(sorted(facts.imports.items())), frozenset(facts.own_names), facts.insert_line)
        # What other pieces tell this one (perflint.infer): return kinds, attribute kinds, call
        # facts. Built from the last keystroke's, which differs in the edited statement only.
        facts.inference = block_cache.inference = ModuleInference(
            tree_or_error, facts.imports, facts.own_names, previous=block_cache.inference, lines=lines
        )
        inferred = facts.inference.digest()
        stamp = block_cache.token((names, in_file, _project_stamp(path, facts, rules), settings.fingerprint(), inferred))
    for block in split_blocks(tree_or_error, lines, block_cache.blocks if block_cache is not None else None):
        for piece, candidates in _pieces(block, rules, settings.prefilter):
            if block_cache is None:
                findings.extend(_lint_piece(piece, candidates, gate, facts, path, settings, source))
                continue
            # Looked up before the prefilter runs: an unchanged piece costs one dictionary lookup.
            key = (piece.text, piece.lent, _codes(tuple(candidates)), stamp)
            cached = block_cache.get(key, piece)
            if cached is None:
                cached = _lint_piece(piece, candidates, gate, facts, path, settings, source)
                block_cache.put(key, piece, cached)
            findings.extend(cached)
    if block_cache is not None:
        block_cache.good = Parsed(lines, tree_or_error), findings
    return findings


def warm_up() -> None:
    """Lint each rule's first invalid example once.

    A long-running process (the language server) then pays the one-time costs
    (libcst's parser, each node class's walk plan, each rule's lazy tables,
    radon's import) at start-up instead of in the first file the user opens.
    """
    for rule in all_rules():
        if rule.invalid:
            lint_source(textwrap.dedent(rule.invalid[0].code), "<warm-up>.py", rules=[rule])


def _mentions(source: str, lines: list[str], block_cache: Optional["BlockCache"]) -> Mentions:
    """The words of ``source``, with the answers for the document's last text carried over."""
    if block_cache is None or block_cache.mentions is None:
        mentions = Mentions(source)
    else:
        old_lines, old = block_cache.mentions
        start, old_stop, new_stop = changed_region(old_lines, lines)
        mentions = Mentions(source, old, "".join(old_lines[start:old_stop]), "".join(lines[start:new_stop]))
    if block_cache is not None:
        block_cache.mentions = (lines, mentions)
    return mentions


def _lint_piece(
    piece: Block,
    candidates: Sequence[type[Rule]],
    gate: "_Gate",
    facts: ModuleFacts,
    path: str,
    settings: Settings,
    source: str,
) -> list[Finding]:
    active = [rule for rule in candidates if gate.admits(rule, piece)] if settings.prefilter else candidates
    return _lint_block(piece, active, facts, path, settings, source) if active else []


def _project_stamp(path: str, facts: ModuleFacts, rules: Sequence[type[Rule]]) -> str:
    """What findings depend on beyond the file itself: the ORM models of the
    project (level-2 rules), so an edited model elsewhere refreshes cached blocks."""
    if not any(rule.level == Level.DATABASE for rule in rules):
        return ""
    from perflint.models_index import fingerprint

    return fingerprint(path, facts.tree, facts.mentions)


def _parse_ast(source: str, path: str, lines: list[str], block_cache: Optional["BlockCache"]) -> ast.Module | Finding:
    """The file's ``ast``; with a ``block_cache``, spliced from the last one where the edit allows."""
    if block_cache is not None and block_cache.parsed is not None:
        tree = reparse(block_cache.parsed, lines)
        if tree is not None:
            block_cache.parsed = Parsed(lines, tree)
            return tree
    tree = _full_parse(source, path)
    if block_cache is not None and isinstance(tree, ast.Module):
        block_cache.parsed = Parsed(lines, tree)
    return tree


def _full_parse(source: str, path: str) -> ast.Module | Finding:
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
    return _spellings(tuple(qualified), tuple(facts.imports.items()))


@lru_cache(maxsize=1024)
def _spellings(qualified: tuple[str, ...], imports: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """``spellings`` for a module with these ``imports``: asked for by every lint, kept."""
    found: set[str] = set()
    for name in qualified:
        top, _, rest = name.partition(".")
        found.add(rest if top == "builtins" and rest else top)
        for local, target in imports:
            if name == target or name.startswith(target + "."):
                found.add(local)
    return frozenset(found)


def _pieces(block: Block, rules: Sequence[type[Rule]], split: bool):
    """(piece, candidate rules) to lint: a class's members on their own, each with the rules
    that do not need to see the whole class; the whole class for those that do."""
    if not (split and block.members):
        yield block, rules
        return
    whole, per_member = _by_class_need(tuple(rules))
    if whole:
        yield block, whole
    for member in block.members:
        yield member, per_member


@lru_cache(maxsize=64)
def _by_class_need(rules: tuple[type[Rule], ...]) -> tuple[tuple[type[Rule], ...], tuple[type[Rule], ...]]:
    return tuple(r for r in rules if r.whole_class), tuple(r for r in rules if not r.whole_class)


@lru_cache(maxsize=256)
def _codes(rules: tuple[type[Rule], ...]) -> tuple[str, ...]:
    return tuple(rule.code for rule in rules)


_LIST_KINDS = frozenset({"list"})


class _Gate:
    """Which rules a piece of source can possibly interest, judged before libcst parses it.

    A rule needs, cheapest test first: its file to pass ``may_match_file``; for
    a ``loop_only`` rule, ``for`` or ``while`` in the piece; one of its
    ``triggers`` in the piece's text; with ``qualified_triggers``, a spelling
    of one of those names among the piece's words (a spelling is an
    identifier: ``re`` is looked for as a word, not inside ``return``); with
    ``needs``, one of them in the piece's ``Shape`` (in its loops for a
    ``loop_only`` rule, which also needs a loop there). Each test
    is computed once per piece (or per rule and file) and only when a rule
    asks for it.
    """

    def __init__(self, facts: ModuleFacts, path: str, settings: Settings = DEFAULT_SETTINGS) -> None:
        self.settings = settings
        self.facts = facts
        self.path = path
        self.by_rule: dict[type[Rule], frozenset[str]] = {}
        self._words: dict[int, frozenset[str]] = {}
        self._shapes: dict[int, Shape] = {}
        self._has_loop: dict[int, bool] = {}
        self._file: dict[type[Rule], bool] = {}
        self._aliases: Optional[dict[str, str]] = None
        self._imports: Optional[tuple[tuple[str, str], ...]] = None

    def file_admits(self, rule: type[Rule]) -> bool:
        in_file = self._file.get(rule)
        if in_file is None:
            config = rule.configuration(self.settings.rule_options.get(rule.code))
            in_file = self._file[rule] = rule.may_match_file(self.path, self.facts, config)
        return in_file

    def admits(self, rule: type[Rule], piece: Block) -> bool:
        if not self.file_admits(rule) or (rule.loop_only and not self.has_loop(piece)):
            return False
        if not rule.may_match(piece.text) or not self.may_reach(rule, piece):
            return False
        if rule.needs or rule.loop_only:
            shape = self.shape(piece)
            if rule.loop_only and "loop" not in shape.anywhere:
                return False
            if rule.needs:
                return any(shape.has(need, rule.loop_only) for need in rule.needs)
        return True

    def has_loop(self, piece: Block) -> bool:
        """Whether the piece spells ``for`` or ``while``, which every loop does (cheaper than its shape)."""
        found = self._has_loop.get(id(piece))
        if found is None:
            found = self._has_loop[id(piece)] = _LOOP_WORD.search(piece.text) is not None
        return found

    def shape(self, piece: Block) -> Shape:
        shape = self._shapes.get(id(piece))
        if shape is None:
            if self._aliases is None:
                # ``from re import sub as replace``: a call of ``replace()`` is a call of ``sub()``.
                self._aliases = {
                    local + "()": target.rpartition(".")[2] + "()"
                    for local, target in self.facts.imports.items()
                    if local != target.rpartition(".")[2]
                }
            shape = self._shapes[id(piece)] = shape_of(piece.nodes, self._aliases, self._outside)
        return shape

    def _outside(self, use: str, name: str) -> bool:
        """Whether a name the piece does not bind to a list can be one (``perflint.infer``):
        for ``x in name`` and ``name.pop(0)`` joins, any binding of it in the module counts."""
        inference = self.facts.inference
        if name.startswith("."):
            return inference.attribute_somewhere(name[1:], _LIST_KINDS)
        return inference.name_somewhere(name, _LIST_KINDS)

    def may_reach(self, rule: type[Rule], piece: Block) -> bool:
        if not rule.qualified_triggers:
            return True
        names = self.by_rule.get(rule)
        if names is None:
            if self._imports is None:
                self._imports = tuple(self.facts.imports.items())
            names = self.by_rule[rule] = _spellings(rule.qualified_triggers, self._imports)
        words = self._words.get(id(piece))
        if words is None:
            words = self._words[id(piece)] = frozenset(_WORD.findall(piece.text))
        return not names.isdisjoint(words)


def _lint_block(
    block: Block,
    rules: Sequence[type[Rule]],
    facts: ModuleFacts,
    path: str,
    settings: Settings,
    source: str,
) -> list[Finding]:
    # Every level of nesting takes at least one character, so only long pieces need the depth walk.
    if len(block.text) > MAX_CST_DEPTH // 2 and deeper_than(block.nodes):
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
    positions = positions_of(module)
    complexity = Complexity(block.text)  # keyed by the block's own lines
    # A piece is whole statements, so its comments are the file's comments on those lines.
    suppressed = suppressions(block.text)
    findings = []
    seen: set[tuple[str, int]] = set()
    for report in context.reports:
        key = (report.rule.code, id(report.node))
        where = positions[report.node]
        if key in seen or where.start.line <= block.lent:
            continue  # one finding per node and rule; the lent class header is reported by its owner
        seen.add(key)
        if is_suppressed(report.rule.code, where.start.line, suppressed):
            continue
        # Size and heat (perflint.ranking.with_heat): evidence that the data is big, or that the code runs rarely.
        line = block.file_line(where.start.line)
        cold = cold_reason(facts, path, line)
        if drops(cold) and not settings.cold:
            continue  # tests, module level, __repr__, exception handlers...: not worth acting on (issue #20)
        function_line = None  # in the block's lines
        if isinstance(report.function, cst.FunctionDef):
            function_line = positions[report.function.name].start.line
        elif report.function is not None:
            function_line = positions[report.function].start.line
        fix = None
        if report.fix is not None:
            fix = materialize_fix(report.fix, module, lambda edit: _edit_in_file(edit, block), facts, source, positions)
        end_line, end_column = block.file_end(where.end.line, where.end.column + 1)
        impact = impact_of(report.rule.weight, report.loop_depth, complexity.of(function_line))
        impact = with_heat(impact, report.evidence, cold)
        findings.append(
            Finding(
                path=path,
                line=line,
                column=where.start.column + 1,
                end_line=end_line,
                end_column=end_column,
                code=report.rule.code,
                rule=report.rule.name,
                level=int(report.rule.level),
                message=report.message,
                impact=impact,
                fix=fix,
                fingerprint=_fingerprint(report.rule.code, report.function_name, module.code_for_node(report.node)),
                context={
                    "function": report.function_name,
                    "function_line": block.file_line(function_line) if function_line is not None else None,
                    "loop_depth": report.loop_depth,
                    "complexity": complexity.of(function_line),
                    # a micro rule's finding ranks after every level (perflint.ranking)
                    **({"micro": True} if report.rule.micro else {}),
                    **({"evidence": report.evidence} if report.evidence else {}),
                    **({"cold": cold} if cold else {}),
                },
            )
        )
    context.reports.clear()  # reports point at their rules, which point at the context: free them now
    return findings


def positions_of(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """libcst's ``PositionProvider`` ranges of every node of ``module``.

    ``MetadataWrapper.resolve`` also runs a rebuilding traversal for batchable
    providers, which doubles the cost; the provider's own code generation
    (internal to libcst, hence the fallback) is all positions need.
    """
    provider = PositionProvider()
    try:
        provider._gen_impl(module)  # noqa: SLF001 - see the docstring
        return provider._computed  # noqa: SLF001
    except AttributeError:  # pragma: no cover - a libcst without these internals
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


def _edit_in_file(edit: Edit, block: Block) -> Optional[Edit]:
    """An edit of the block's text as an edit of the file; None if it would touch the lent
    header or span lines that are not next to each other in the file."""
    if edit.line <= block.lent:
        return None
    if (edit.line, edit.column) == (edit.end_line, edit.end_column):
        line = block.file_line(edit.line)
        return Edit(line, edit.column, line, edit.column, edit.content)
    last = edit.end_line - 1 if edit.end_column == 1 else edit.end_line
    if last >= edit.line and not block.same_segment(edit.line, last):
        return None
    end_line, end_column = block.file_end(edit.end_line, edit.end_column)
    return Edit(block.file_line(edit.line), edit.column, end_line, end_column, edit.content)


def _fingerprint(code: str, function: str, node_code: str) -> str:
    normalized = " ".join(node_code.split())
    return hashlib.blake2b(f"{code}|{function}|{normalized}".encode(), digest_size=8).hexdigest()


class BlockCache:
    """Findings per piece of source, keyed by its text and everything else they depend on.

    Entries keep the file lines the piece occupied when it was linted; a hit
    where the piece now sits elsewhere is mapped segment by segment. Edits
    before the piece (insertions at the module's import point) stay where they
    are: that point is part of the key, so it cannot have moved. Entries not
    used by the latest lint are dropped, so memory follows the document.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple, tuple[tuple[tuple[int, int], ...], list[Finding]]] = {}
        self._used: dict[tuple, tuple[tuple[tuple[int, int], ...], list[Finding]]] = {}  # by the latest lint
        self._tokens: dict[tuple, int] = {}
        self._token: Optional[int] = None  # the latest lint's
        self._next_token = 0
        self.hits = 0
        self.misses = 0
        self.parsed: Optional[Parsed] = None  # the last text that parsed, and its tree
        self.blocks: dict = {}  # split_blocks' memo: the last tree's blocks by their node
        self.mentions: Optional[tuple[list[str], Mentions]] = None  # the last text's lines and words
        self.good: Optional[tuple[Parsed, list[Finding]]] = None  # the last lint of a text that parsed
        self.inference: Optional[ModuleInference] = None  # the last lint's, patched by the next one

    def token(self, stamp: tuple) -> int:
        """A small number that stands for ``stamp`` in keys: hashed and compared once per lint,
        not once per piece. Equal stamps get equal numbers; no number is given out twice."""
        found = self._tokens.get(stamp)
        if found is None:
            found = self._tokens[stamp] = self._next_token
            self._next_token += 1
        self._token = found
        return found

    def get(self, key: tuple, block: Block) -> Optional[list[Finding]]:
        entry = self._entries.get(key) or self._used.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._used[key] = entry
        self.hits += 1
        segments, findings = entry
        if segments == block.segments:
            return list(findings)
        move = LineMove(segments, block.segments)
        return [move.finding(finding) for finding in findings]

    def put(self, key: tuple, block: Block, findings: list[Finding]) -> None:
        self._used[key] = (block.segments, findings)

    def prune(self) -> None:
        """Forget the blocks, and the stamps, that the last lint did not use. A lint that used
        none (its text did not parse) keeps them all for when the text parses again."""
        if not self._used:
            return
        self._entries, self._used = self._used, {}
        if len(self._tokens) > 1:
            self._tokens = {stamp: token for stamp, token in self._tokens.items() if token == self._token}
