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
import bisect
import contextlib
import gc
import hashlib
import itertools
import re
import sys
import textwrap
import warnings
from dataclasses import replace
from functools import lru_cache
from typing import Callable, Mapping, Optional, Sequence

import libcst as cst
from libcst import CSTNode
from libcst.metadata import CodeRange

from perflint.blocks import ALONE, BLOCK_FIELDS, Block, is_literal_statement, release_memos, split_blocks, statement_start
from perflint.config import Settings
from perflint.context import ContextEnter, ContextExit, FileContext
from perflint.cst_walk import visit_batched
from perflint.facts import Mentions, ModuleFacts
from perflint.fixes import FileFixes, announced_fix, materialize_fix
from perflint.infer import ModuleInference
from perflint.model import Edit, Finding, Fix, Level, parse_error
from perflint.moves import LineMove, untouched_findings
from perflint.nesting import MAX_CST_DEPTH, deeper_than
from perflint.repetition import def_headers
from perflint.positions import PiecePositions, code_for_node, positions_of as _positions_of
from perflint.project_calls import ProjectCalls
from perflint.ranking import PieceComplexity, cold_for, cold_reason, drops, impact_of, with_heat
from perflint.reparse import Parsed, changed_region, parse_in_chunks, reparse
from perflint.rule import Rule
from perflint.rules import all_rules
from perflint.shape import Shape, shape_of
from perflint.source import DecodeError, decode, parse_ast, split_lines
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
    fixes: bool = True,
    dependencies: Optional[list[tuple[str, int, int]]] = None,
) -> list[Finding]:
    """Lint one file's text; findings carry impact but not yet a run-wide rank.

    With ``fixes`` False, a finding's fix is only announced (message and applicability,
    ``Fix.complete`` False): no rule builds its rewrite and no edit is computed. The text
    report and the language server's diagnostics need no more; ``fix_of`` computes one
    finding's edits when they are asked for.

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
    settle = _BATCH.active and block_cache is None  # see ``batch_heap``
    if settle:
        gc.disable()  # what follows builds the file's ast and facts, which live until the end
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
    facts.path = path
    findings: list[Finding] = []
    gate = _Gate(facts, path, settings)
    shared = FileFixes(facts, source, lines) if fixes else None
    if block_cache is not None:
        # What other pieces tell this one (perflint.infer): return kinds, attribute kinds, call
        # facts. Built from the last keystroke's, which differs in the edited statement only;
        # before the file gates below, some of which ask it (PF209).
        previous = block_cache.inference
        project = previous.project if previous is not None else ProjectCalls.for_file(path)
        imports = project.imports(tree_or_error, facts.imports) if project is not None else facts.imports
        facts.inference = block_cache.inference = ModuleInference(
            tree_or_error, imports, facts.own_names, previous=previous, lines=lines, project=project
        )
        # What a piece's findings depend on besides its text: the module's names and
        # insertion point, the rules its file admits, the project's models, the settings.
        in_file = tuple(rule.code for rule in rules if gate.file_admits(rule))
        names = (tuple(sorted(facts.imports.items())), frozenset(facts.own_names), facts.insert_line)
        inferred = (facts.inference.digest(), project.stamp() if project is not None else "")
        project_stamp = _project_stamp(path, facts, rules)
        stamp = block_cache.token((names, in_file, project_stamp, settings.fingerprint(), inferred, fixes))
    # What the file itself rules out (its imports, its path) is asked once, not once per piece.
    in_this_file = tuple(rule for rule in rules if gate.file_admits(rule)) if settings.prefilter else tuple(rules)
    if settle:
        gc.freeze()  # the file's ast and facts
        if _BATCH.collecting:
            gc.enable()
    headers = _Once(lambda: def_headers(tree_or_error, lines))
    for block in split_blocks(tree_or_error, lines, block_cache.blocks if block_cache is not None else None):
        for piece, candidates in _pieces(block, in_this_file, settings.prefilter):
            if block_cache is None:
                findings.extend(_lint_piece(piece, candidates, gate, facts, path, settings, source, shared))
                if settle and facts._inference is not None:
                    gc.freeze()  # the inference, built by the first piece that asked
                    settle = False
                continue
            # Looked up before the prefilter runs: an unchanged piece costs one dictionary lookup.
            key = (piece.text, piece.lent, _codes(tuple(candidates)), stamp)
            cached = block_cache.get(key, piece, headers)
            if cached is None:
                asks = facts.repetition_asks
                cached = _lint_piece(piece, candidates, gate, facts, path, settings, source, shared)
                # Findings that depend on why a function repeats (PF306, PF5xx) hold while the
                # module's def headers (decorators, signatures, class bases) stay the same.
                block_cache.put(key, piece, cached, headers() if facts.repetition_asks > asks else None)
            findings.extend(cached)
    if block_cache is not None:
        block_cache.good = Parsed(lines, tree_or_error), findings
        block_cache.facts = lines, facts
    if dependencies is not None:
        dependencies.extend(facts.dependencies())
    if _BATCH.active and block_cache is None:
        release_memos(tree_or_error)
    return findings


class _Once:
    """A value computed on the first call and kept for the lint."""

    def __init__(self, compute: Callable[[], object]) -> None:
        self._compute: Optional[Callable[[], object]] = compute
        self._value: object = None

    def __call__(self) -> object:
        if self._compute is not None:
            self._value, self._compute = self._compute(), None
        return self._value


class _Batch:
    active = False
    collecting = True  # whether the garbage collector was enabled when the batch began


_BATCH = _Batch()


@contextlib.contextmanager
def batch_heap():
    """Lint files one after another, as the command line does: what one file's lint keeps
    until its end (its ``ast``, facts and inference: hundreds of thousands of objects for a
    large file) is moved out of the cyclic garbage collector's reach once built
    (``gc.freeze``), and given back when the lint ends. Every full collection during the lint
    would otherwise walk all of it again, and while the ``ast`` is built no collection runs
    (it makes no garbage, and each full collection would walk what it has built so far):
    together 0.9 s of a 1 MB file's 7.6 s. Not for the language server (its lints overlap,
    and a document's facts outlive its lint)."""
    _BATCH.active, _BATCH.collecting = True, gc.isenabled()
    thresholds = gc.get_threshold()
    # Each piece's parse and walk allocate a tree and drop it. With the default threshold (a
    # young collection per 700 more live containers) a 1 MB file of small functions runs 400
    # young collections and the older ones they lead to (0.06-0.1 s); at 20,000, a dozen,
    # and most of that garbage is freed by reference counting before any collection sees it.
    gc.set_threshold(max(thresholds[0], _YOUNG_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        _BATCH.active = False
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        if _BATCH.collecting:
            gc.enable()


_YOUNG_THRESHOLD = 20_000


def fix_of(
    source: str,
    path: str,
    finding: Finding,
    settings: Optional[Settings] = None,
    block_cache: Optional["BlockCache"] = None,
    lines: Optional[list[str]] = None,
) -> Optional[Fix]:
    """``finding``'s fix with its edits, for a finding of ``source`` linted without them
    (``lint_source(fixes=False)``): the piece the finding lies in is linted again, for the
    finding's rule alone, with fixes. None when that lint no longer finds it or offers no fix.

    With the ``block_cache`` of the lint that found it (and its ``lines``), the file's ``ast``
    and facts are reused: the cost is one piece's libcst parse, not the file's.
    """
    from perflint.rules import rule_by_code

    settings = settings or DEFAULT_SETTINGS
    rule = rule_by_code(finding.code)
    if rule is None or finding.fix is None:
        return None
    if lines is None:
        lines = split_lines(source)
    known = block_cache.facts if block_cache is not None else None
    if known is not None and known[0] is lines:
        facts = known[1]
    else:
        tree = _full_parse(source, path)
        if not isinstance(tree, ast.Module):
            good = block_cache.good if block_cache is not None else None
            return _fix_from_good(good[0].lines, lines, path, finding, settings) if good is not None else None
        facts = ModuleFacts.from_tree(tree, source, Mentions(source))
    shared = FileFixes(facts, source, lines)
    where = (finding.code, finding.line, finding.column, finding.end_line, finding.end_column)
    for block in _blocks_at(facts.tree, lines, finding.line):
        for piece, candidates in _pieces(block, (rule,), settings.prefilter):
            if rule not in candidates or not _owns(piece, finding.line):
                continue
            for found in _lint_block(piece, (rule,), facts, path, settings, source, shared):
                if (found.code, found.line, found.column, found.end_line, found.end_column) == where:
                    return found.fix
    return None


def _fix_from_good(
    good: list[str], lines: list[str], path: str, finding: Finding, settings: Settings
) -> Optional[Fix]:
    """The fix of a finding kept from the last text that parsed (``moves.untouched_findings``)
    while the current one does not: computed on that text, then moved past the edit as the
    finding was; None when the fix would touch the edited lines."""
    start, old_stop, new_stop = changed_region(good, lines)
    shift = new_stop - old_stop
    if finding.line <= start < finding.end_line or start < finding.line <= new_stop:
        return None
    back = 0 if finding.line <= start else shift
    earlier = replace(finding, line=finding.line - back, end_line=finding.end_line - back)
    fix = fix_of("".join(good), path, earlier, settings, None, good)
    if fix is None:
        return None
    edits = []
    for edit in fix.edits:
        if edit.end_line <= start or (edit.end_line == start + 1 and edit.end_column == 1):
            edits.append(edit)
        elif edit.line > old_stop:
            edits.append(replace(edit, line=edit.line + shift, end_line=edit.end_line + shift))
        else:
            return None
    return replace(fix, edits=tuple(edits))


def _blocks_at(tree: ast.Module, lines: list[str], line: int) -> list[Block]:
    """The block of ``split_blocks`` that holds file line ``line`` (cut from the statements
    around it only: a def or class is a block alone; a run of other statements is found whole)."""
    body = tree.body
    index = bisect.bisect_right([statement_start(node) for node in body], line) - 1
    if index < 0:
        return []
    if not isinstance(body[index], ALONE):
        first = last = index
        while first > 0 and not isinstance(body[first - 1], ALONE):
            first -= 1
        while last + 1 < len(body) and not isinstance(body[last + 1], ALONE):
            last += 1
        body = body[first : last + 1]
    else:
        body = [body[index]]
    return [b for b in split_blocks(ast.Module(body=body, type_ignores=[]), lines) if _covers(b, line, 0)]


def _owns(piece: Block, line: int) -> bool:
    """Whether ``line`` is one of the piece's own lines (not of its lent header)."""
    return _covers(piece, line, piece.lent)


def _covers(piece: Block, line: int, skip: int) -> bool:
    for start, count in piece.segments:
        if start == 0:  # a line of the piece's own (``blocks._Parts.synthetic``), lent or not
            skip -= min(skip, count)
            continue
        taken = min(skip, count)
        skip -= taken
        if start + taken <= line < start + count:
            return True
    return False


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
    shared: Optional[FileFixes],
) -> list[Finding]:
    if settings.prefilter and piece.nodes and all(is_literal_statement(node) for node in piece.nodes):
        return []  # data only: no rule reports on it, however many lines it has
    if not settings.prefilter:
        return _lint_block(piece, candidates, facts, path, settings, source, shared)
    # A piece that spells neither ``for`` nor ``while`` skips every loop-only rule at once.
    pool = candidates if gate.has_loop(piece) else _not_loop_only(tuple(candidates))
    active = [rule for rule in pool if gate.admits(rule, piece)]
    return _lint_block(piece, active, facts, path, settings, source, shared) if active else []


def _project_stamp(path: str, facts: ModuleFacts, rules: Sequence[type[Rule]]) -> str:
    """What findings depend on beyond the file itself: the ORM models of the
    project (level-2 rules), so an edited model elsewhere refreshes cached blocks."""
    if not any(rule.level == Level.DATABASE for rule in rules):
        return ""
    from perflint.models_index import fingerprint

    return fingerprint(path, facts.tree, facts.mentions)


def _parse_ast(source: str, path: str, lines: list[str], block_cache: Optional["BlockCache"]) -> ast.Module | Finding:
    """The file's ``ast``; with a ``block_cache``, spliced from the last one where the edit allows."""
    tree: "ast.Module | Finding | None" = None
    if block_cache is not None and block_cache.parsed is not None:
        tree = reparse(block_cache.parsed, lines)
        if tree is not None:
            block_cache.parsed = Parsed(lines, tree)
            return tree
        tree = parse_in_chunks(block_cache.parsed, lines)  # a line added or removed in a long file
    if tree is None:
        tree = _full_parse(source, path)
    if isinstance(tree, ast.Module) and len(source) > COMPILE_DEPTH:
        too_deep = _too_deep_to_compile(tree, lines)
        if too_deep is not None:
            return parse_error(
                path, "too deeply nested for CPython to compile (RecursionError when the module is imported)", too_deep
            )
    if block_cache is not None and isinstance(tree, ast.Module):
        block_cache.parsed = Parsed(lines, tree)
    return tree


# CPython 3.11 with its default recursion limit refuses to compile an expression nested about
# 3,000 levels deep (a sum of 2,991 terms fails, 2,990 compiles); perflint raises the limit, so
# its own parse succeeds and the depth is checked here. A little over the limit: never a
# false PF000.
COMPILE_DEPTH = 3000


def _too_deep_to_compile(tree: ast.Module, lines: list[str]) -> Optional[int]:
    """The line of a simple statement nested deeper than CPython compiles, if any. Every level
    takes at least one character, so only statements longer than ``COMPILE_DEPTH`` are walked."""
    starts = [0, *itertools.accumulate(map(len, lines))]  # where each line starts in the text
    stack: list[ast.AST] = list(reversed(tree.body))  # ``nested_statements``' order, in one loop
    while stack:
        node = stack.pop()
        compound = False
        for field in _BLOCK_FIELDS_BACKWARDS:
            children = getattr(node, field, None)
            if children:
                stack.extend(reversed(children))
                compound = True
        if compound:
            continue  # its statements come next
        end = getattr(node, "end_lineno", None) or node.lineno
        if starts[end] - starts[node.lineno - 1] > COMPILE_DEPTH and deeper_than([node], COMPILE_DEPTH):
            return node.lineno
    return None


_BLOCK_FIELDS_BACKWARDS = tuple(reversed(BLOCK_FIELDS))


def _full_parse(source: str, path: str) -> ast.Module | Finding:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings about escapes are not our business
            return parse_ast(source, filename=path)
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


@lru_cache(maxsize=64)
def _not_loop_only(rules: tuple[type[Rule], ...]) -> tuple[type[Rule], ...]:
    return tuple(rule for rule in rules if not rule.loop_only)


@lru_cache(maxsize=256)
def _codes(rules: tuple[type[Rule], ...]) -> tuple[str, ...]:
    return tuple(rule.code for rule in rules)


_LIST_KINDS = frozenset({"list"})
_TEXT_KINDS = frozenset({"str", "bytes"})


class _Gate:
    """Which rules a piece of source can possibly interest, judged before libcst parses it.

    A rule needs, cheapest test first: its file to pass ``may_match_file``; for
    a ``loop_only`` rule, ``for`` or ``while`` in the piece; one of its
    ``triggers`` in the piece's text; with ``qualified_triggers``, a spelling
    of one of those names among the piece's words (a spelling is an
    identifier: ``re`` is looked for as a word, not inside ``return``); with
    ``needs`` (``needs_in`` the file), one of them in the piece's ``Shape`` (in its loops for a
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
        self._needs: dict[type[Rule], tuple] = {}
        self._aliases: Optional[dict[str, str]] = None
        self._shape_aliases: Optional[dict[str, str]] = None
        self._imports: Optional[tuple[tuple[str, str], ...]] = None

    def file_admits(self, rule: type[Rule]) -> bool:
        in_file = self._file.get(rule)
        if in_file is None:
            config = rule.configuration(self.settings.rule_options.get(rule.code))
            in_file = self._file[rule] = rule.may_match_file(self.path, self.facts, config)
        return in_file

    def admits(self, rule: type[Rule], piece: Block) -> bool:
        """Whether ``piece`` can interest ``rule``, a rule its file admits (``file_admits``)."""
        if rule.loop_only and not self.has_loop(piece):
            return False
        if not (rule.may_match(piece.text) or self._may_match_aliased(rule, piece)) or not self.may_reach(rule, piece):
            return False
        if rule.needs or rule.loop_only:
            shape = self.shape(piece)
            if rule.loop_only and "loop" not in shape.anywhere:
                return False
            if rule.needs:
                needs = self._needs.get(rule)
                if needs is None:
                    needs = self._needs[rule] = rule.needs_in(self.facts)
                if not any(shape.has(need, rule.loop_only) for need in needs):
                    return False
        return rule.may_match_piece(piece.nodes, self.facts, self.path)

    def _may_match_aliased(self, rule: type[Rule], piece: Block) -> bool:
        """``rule.may_match`` on the piece's text with each imported alias it calls spelled as
        the name it stands for (``from yaml import safe_load as yload``: ``yload(`` reads as
        ``safe_load(``), as the piece's shape already counts them: a text prefilter must not
        drop what the rule resolves through the imports."""
        text = piece.text
        spelled = [name + "(" for local, name in self._call_aliases().items() if local + "(" in text]
        return bool(spelled) and rule.may_match(text + "\n" + " ".join(spelled))

    def _call_aliases(self) -> dict[str, str]:
        """Each name the file imports under another name, with the name it stands for:
        ``from re import sub as replace`` gives ``{"replace": "sub"}``."""
        if self._aliases is None:
            self._aliases = {
                local: target.rpartition(".")[2]
                for local, target in self.facts.imports.items()
                if local != target.rpartition(".")[2]
            }
        return self._aliases

    def has_loop(self, piece: Block) -> bool:
        """Whether the piece spells ``for`` or ``while``, which every loop does (cheaper than its shape)."""
        found = self._has_loop.get(id(piece))
        if found is None:
            found = self._has_loop[id(piece)] = _LOOP_WORD.search(piece.text) is not None
        return found

    def shape(self, piece: Block) -> Shape:
        shape = self._shapes.get(id(piece))
        if shape is None:
            if self._shape_aliases is None:  # ``replace()`` is a call of ``sub()`` too
                self._shape_aliases = {local + "()": name + "()" for local, name in self._call_aliases().items()}
            shape = self._shapes[id(piece)] = shape_of(piece.nodes, self._shape_aliases, self._outside)
        return shape

    def _outside(self, use: str, name: str) -> bool:
        """Whether a name the piece does not bind to a list can be one (``perflint.infer``):
        for ``x in name`` and ``name.pop(0)`` joins, any binding of it in the module counts;
        for ``name += x`` (``"grow"``), whether it can hold a str or bytes."""
        if not self.facts.inference_built and not _may_be_bound(self.facts.source or "", name.lstrip(".")):
            return False  # nothing in the file can give it a kind: no need to build the inference
        inference = self.facts.inference
        kinds = _TEXT_KINDS if use == "grow" else _LIST_KINDS
        if name.startswith("."):
            return inference.attribute_somewhere(name[1:], kinds)
        return inference.name_somewhere(name, kinds)

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
            text = piece.text
            # A word is in the text only if its letters are: most pieces spell none of a rule's
            # few names, and a substring search is much cheaper than splitting a whole class
            # (``whole_class`` rules see each class in one piece) into words.
            if not any(name in text for name in names):
                return False
            words = self._words[id(piece)] = frozenset(_WORD.findall(text))
        return not names.isdisjoint(words)


# What ``name = <value>`` may bind without giving the inference layer a kind: a whole value
# that is ``{}``, ``None``, a number, a one-line string literal or ``()``.
_KINDLESS_VALUE = r"(?![ \t]*(?:\{\}|None|True|False|-?\d[\d.]*|'[^'\\\n]*'|\"[^\"\\\n]*\"|\(\)|set\(\))[ \t]*(?:#[^\n]*)?$)"


@lru_cache(maxsize=512)
def _binding_pattern(name: str) -> "re.Pattern[str]":
    """``name:`` not ending its line (``for x in name:`` binds nothing), ``name =`` with a
    value that may have a kind, ``name +=``, or the usage the inference reads."""
    word = rf"\b{re.escape(name)}"
    return re.compile(
        rf"{word}[ \t]*(?::(?![ \t]*(?:#[^\n]*)?$)|=(?!=){_KINDLESS_VALUE}|\+=)|{word}\.(?:sort|pop|insert)\(",
        re.MULTILINE,
    )


def _may_be_bound(source: str, name: str) -> bool:
    """Whether the text has any evidence the inference layer reads for ``name``: an
    assignment or annotation (``name =``, ``name: list[str]``, ``self.name =``, a parameter's
    annotation or default, a dataclass field), ``name +=``, or the usage it reads
    (``name.sort()``, ``name.pop(0)``, ``name.insert(0, x)``). Without any, its kind is unknown."""
    return _binding_pattern(name).search(source) is not None


def _lint_block(
    block: Block,
    rules: Sequence[type[Rule]],
    facts: ModuleFacts,
    path: str,
    settings: Settings,
    source: str,
    shared: Optional[FileFixes] = None,
) -> list[Finding]:
    """The findings of one piece; ``shared`` (the file's ``FileFixes``) when fix edits are wanted."""
    # Every level of nesting takes at least one character, so only long pieces need the depth walk.
    if len(block.text) > MAX_CST_DEPTH // 2 and deeper_than(block.nodes):
        # libcst would take minutes or crash the process on this block (see perflint.nesting).
        return [parse_error(path, "too deeply nested for libcst's parser; this block was not checked", block.first_line)]
    try:
        module = _parse_piece(block.text)
    except (cst.ParserSyntaxError, RecursionError, MemoryError):
        # ast accepted this code, so it is valid Python that libcst cannot parse.
        return [parse_error(path, "too deeply nested for libcst's parser; this block was not checked", block.first_line)]
    context = FileContext(facts, path)
    context.comment_free = "#" not in block.text  # a comment's text starts with one
    visitors: list[cst.BatchableCSTVisitor] = [ContextEnter(context)]
    visitors.extend(rule(context, settings.rule_options.get(rule.code)) for rule in rules)
    visitors.append(ContextExit(context))
    owners: dict[int, cst.CSTNode] = {}  # the statement around each node, for the positions
    try:
        visit_batched(module, visitors, owners)  # libcst's own rebuilds every node: 7x slower
    except RecursionError:
        return [parse_error(path, "too deeply nested to analyse; this block was not checked", block.first_line)]
    if not context.reports:
        return []
    # Only the reported nodes and their functions' names need a range, each from the code
    # generation of its own statement (``PiecePositions``); a fix asks for more as it needs them.
    wanted = [report.node for report in context.reports]
    for report in context.reports:
        if report.function is not None and not isinstance(report.function, cst.FunctionDef):
            wanted.append(report.function)  # a function's name: only its line (``name_line``)
    positions = PiecePositions(module, block.text, owners, _piece_top(block, module), block.piece_line)
    positions.prepare(wanted)
    fix_positions = positions if shared is not None else None
    complexity = PieceComplexity(block.nodes)  # keyed by file lines
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
        cold = cold_for(report.rule, cold_reason(facts, path, line))
        if drops(cold) and not settings.cold:
            continue  # tests, module level, __repr__, exception handlers...: not worth acting on (issue #20)
        function_line = None  # in the file's lines
        if isinstance(report.function, cst.FunctionDef):
            function_line = block.file_line(positions.name_line(report.function))
        elif report.function is not None:
            function_line = block.file_line(positions[report.function].start.line)
        function_complexity = complexity.of(function_line)
        fix = None
        if report.fix is None:
            pass
        elif shared is None:
            fix = announced_fix(report.fix)
        else:
            fix = materialize_fix(
                report.fix,
                module,
                lambda edit: _edit_in_file(edit, block),
                facts,
                source,
                fix_positions,
                shared,
                block.text,  # what the piece was parsed from: its code, without generating it
            )
        end_line, end_column = block.file_end(where.end.line, where.end.column + 1)
        impact = impact_of(report.rule.weight, report.loop_depth, function_complexity)
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
                fingerprint=_fingerprint(report.rule.code, report.function_name, _code_of(report.node, positions, module)),
                context={
                    "function": report.function_name,
                    "function_line": function_line,
                    "loop_depth": report.loop_depth,
                    "complexity": function_complexity,
                    # a micro rule's finding ranks after every level (perflint.ranking)
                    **({"micro": True} if report.rule.micro else {}),
                    **({"evidence": report.evidence.reason} if report.evidence else {}),
                    **({"cold": cold} if cold else {}),
                },
            )
        )
    context.reports.clear()  # reports point at their rules, which point at the context: free them now
    return findings


_VALIDATE = CSTNode.__post_init__  # libcst's: every node built checks its own fields (``_validate``)


def _no_validation(self: CSTNode) -> None:
    return None


def _parse_piece(text: str) -> cst.Module:
    """``libcst.parse_module(text)``. On the command line (``batch_heap``), without libcst's
    check of each node as it is built (``CSTNode._validate``, run from ``__post_init__``: about
    a tenth of the parse). The parser builds nodes only from text that parsed, which already
    holds what those checks look for (required whitespace, matching parentheses); libcst's own
    comment there says the check could be left out of parsing. The check is back as soon as
    the parse returns, so the nodes a fix builds are checked as ever. Not in the language
    server, whose lints run beside code actions that build nodes."""
    if not _BATCH.active:
        return cst.parse_module(text)
    CSTNode.__post_init__ = _no_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        CSTNode.__post_init__ = _VALIDATE  # type: ignore[method-assign]


def _piece_top(block: Block, module: cst.Module) -> Optional[tuple]:
    """The statements a piece owns, as (libcst's, the ``ast``'s, the lent statement whose body
    they are or None), for ``PiecePositions``; None if the piece's text has no such body."""
    statements = [node for node in block.nodes if isinstance(node, ast.stmt)]
    if not block.lent:
        return module.body, statements, None
    if len(module.body) != 1 or not isinstance(getattr(module.body[0], "body", None), cst.IndentedBlock):
        return None
    lent = module.body[0]
    return lent.body.body, statements, lent


def _code_of(node: cst.CSTNode, positions: PiecePositions, module: cst.Module) -> str:
    """The node's code for its fingerprint: as generated for its range when it was (which
    differs from ``code_for_node`` in indentation only, and the fingerprint ignores spacing)."""
    code = positions.code_of(node)
    return code_for_node(module, node) if code is None else code


def positions_of(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """libcst's ``PositionProvider`` ranges of every node of ``module`` (``perflint.positions``:
    the same ranges from libcst's own code generation, with lighter bookkeeping)."""
    return _positions_of(module)


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
        # key -> (the file lines the piece occupied, its findings, the def headers they depend on
        # or None)
        self._entries: dict[tuple, tuple[tuple[tuple[int, int], ...], list[Finding], object]] = {}
        self._used: dict[tuple, tuple[tuple[tuple[int, int], ...], list[Finding], object]] = {}  # by the latest lint
        self._tokens: dict[tuple, int] = {}
        self._token: Optional[int] = None  # the latest lint's
        self._next_token = 0
        self.hits = 0
        self.misses = 0
        self.parsed: Optional[Parsed] = None  # the last text that parsed, and its tree
        self.blocks: dict = {}  # split_blocks' memo: the last tree's blocks by their node
        self.mentions: Optional[tuple[list[str], Mentions]] = None  # the last text's lines and words
        self.good: Optional[tuple[Parsed, list[Finding]]] = None  # the last lint of a text that parsed
        self.facts: Optional[tuple[list[str], ModuleFacts]] = None  # that lint's lines and module facts
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

    def get(self, key: tuple, block: Block, headers: Callable[[], object]) -> Optional[list[Finding]]:
        """The piece's findings if nothing they depend on changed: its key, and for a piece
        whose rules asked why functions repeat, the module's def headers (``headers()``,
        ``repetition.def_headers``)."""
        entry = self._entries.get(key) or self._used.get(key)
        if entry is None or (entry[2] is not None and entry[2] != headers()):
            self.misses += 1
            return None
        self._used[key] = entry
        self.hits += 1
        segments, findings, _ = entry
        if segments == block.segments:
            return list(findings)
        move = LineMove(segments, block.segments)
        return [move.finding(finding) for finding in findings]

    def put(self, key: tuple, block: Block, findings: list[Finding], headers: object = None) -> None:
        self._used[key] = (block.segments, findings, headers)

    def prune(self) -> None:
        """Forget the blocks, and the stamps, that the last lint did not use. A lint that used
        none (its text did not parse) keeps them all for when the text parses again."""
        if not self._used:
            return
        self._entries, self._used = self._used, {}
        if len(self._tokens) > 1:
            self._tokens = {stamp: token for stamp, token in self._tokens.items() if token == self._token}
