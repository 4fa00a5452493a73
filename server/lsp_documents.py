"""Per-document state and the lint that runs off the event loop.

A lint runs in a worker thread on a snapshot of the document (its text, its
lines, the settings). Every reason to lint again (an edit, a save, new
settings) bumps the document's ``generation``; a lint belongs to the
generation it started in, stops between two blocks once a newer generation
exists, and its result is kept or published only if it is still the newest.
So a result for version 7 is never published after version 8 arrived.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Callable, Optional

from lsprotocol import types

from perflint.config import Settings
from perflint.engine import BlockCache, lint_source
from perflint.lsp_diagnostics import to_diagnostic
from perflint.lsp_giveway import LOOP
from perflint.lsp_settings import ClientSettings
from perflint.lsp_text import DocumentText
from perflint.model import PARSE_ERROR_CODE, Finding
from perflint.profiles import Profile, apply_profile
from perflint.ranking import rank
from perflint.reparse import Parsed
from perflint.source import parse_ast


class Superseded(Exception):
    """A newer lint of the same document was asked for; this one stops."""


class WatchfulBlockCache(BlockCache):
    """A BlockCache that stops the lint using it once ``superseded()`` turns true,
    and that can give back the memory of a document nobody is editing.

    ``engine.lint_source`` asks the cache once per piece of the file, so a
    stale lint of a large file ends at the next piece instead of running to
    the end.

    ``compact()`` drops the last text's ``ast`` and what was derived from it
    (the spliced tree, the block split, the words, the inference): about 1 MB per 1,000
    lines, and only a speed-up for the next lint, which then parses the whole
    file as a first lint does. The last good lint's findings stay; the tree
    they were found in (needed only when an edit breaks the syntax, to keep
    the other statements' findings) is parsed again from its lines if that
    happens.
    """

    def __init__(self) -> None:
        self._good: Optional[tuple[Parsed, list[Finding]]] = None
        self._compacted_good: Optional[tuple[list[str], list[Finding]]] = None
        super().__init__()
        self.superseded: Callable[[], bool] = lambda: False

    def get(self, key: tuple, block, headers: Callable[[], object]) -> Optional[list[Finding]]:
        LOOP.give_way()  # the client's messages first (lsp_giveway)
        if self.superseded():
            raise Superseded
        return super().get(key, block, headers)

    @property
    def good(self) -> Optional[tuple[Parsed, list[Finding]]]:
        if self._good is None and self._compacted_good is not None:
            lines, findings = self._compacted_good
            self._compacted_good = None
            try:
                self._good = Parsed(lines, parse_ast("".join(lines))), findings
            except (SyntaxError, ValueError, RecursionError, MemoryError):  # it parsed before; be safe
                self._good = None
        return self._good

    @good.setter
    def good(self, value: Optional[tuple[Parsed, list[Finding]]]) -> None:
        self._good, self._compacted_good = value, None

    @property
    def compacted(self) -> bool:
        return self.parsed is None and self._good is None

    def compact(self) -> None:
        """Forget the trees (see the class); call only while no lint uses this cache."""
        if self._good is not None:
            self._compacted_good = (self._good[0].lines, self._good[1])
            self._good = None
        self.parsed = None
        self.blocks = {}
        self.mentions = None
        self.inference = None  # the next lint infers from scratch, as a first lint does


@dataclass
class LintJob:
    """Everything one lint reads, captured on the event loop."""

    path: Optional[str]
    version: Optional[int]
    generation: int
    text: str
    lines: list[str]
    settings: Settings
    client: ClientSettings
    profile: Optional[Profile]
    encoding: str
    fixes: bool = False  # compute fix edits now (a notebook: its quick fixes are mapped to cells)


@dataclass
class LintResult:
    version: Optional[int]
    generation: int
    lines: list[str]
    findings: list[Finding]
    diagnostics: list[types.Diagnostic]


@dataclass
class DocumentState:
    uri: str
    path: Optional[str]  # None for documents that are not files (unsaved buffers)
    text: DocumentText
    cache: WatchfulBlockCache = field(default_factory=WatchfulBlockCache)
    generation: int = 0
    linting: Optional[int] = None  # the generation whose lint is running, if any
    result: Optional[LintResult] = None
    result_id: int = 0  # bumped for every new result, for pull clients' previousResultId
    waiters: list[asyncio.Future] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    closed: bool = False
    task: Optional[asyncio.Task] = None  # the newest scheduled lint, kept so it is not collected
    touched: int = 0  # when the user last opened or edited it (a counter): the least recent are compacted

    @property
    def fresh(self) -> bool:
        """The last result describes the current text and settings."""
        return self.result is not None and self.result.generation == self.generation

    def deliver(self, result: Optional[LintResult]) -> None:
        """Hand a result (None: there will be none) to everyone waiting for one."""
        waiters, self.waiters = self.waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(result)


def run_lint(job: LintJob, cache: WatchfulBlockCache) -> LintResult:
    """Lint one snapshot (runs in a worker thread); raises Superseded when overtaken."""
    LOOP.give_way()  # before the parse, which holds the GIL throughout
    if cache.superseded():
        raise Superseded
    if job.path is not None and (job.settings.is_excluded(job.path) or job.client.excludes(job.path)):
        findings: list[Finding] = []
    else:
        # Fixes are announced, not computed: a code action computes its own (``engine.fix_of``).
        findings = lint_source(
            job.text, job.path or "<unsaved>", job.settings, block_cache=cache, lines=job.lines, fixes=job.fixes
        )
        cache.prune()
    if not job.client.show_syntax_errors:  # another extension (Pylance) reports them already
        findings = [finding for finding in findings if finding.code != PARSE_ERROR_CODE]
    if job.profile is not None:  # the editor's perflint.profile: rank by measured time
        findings = apply_profile(findings, job.profile)
    ranked = rank(findings)
    diagnostics = [to_diagnostic(f, job.lines, job.encoding, job.client.severity) for f in ranked]
    return LintResult(job.version, job.generation, job.lines, ranked, diagnostics)
