"""Fix-all for the language server: computed at most once per document generation, off the lint threads.

A fix-all applies every safe fix until none is left (``autofix.fix_text``:
a lint per pass) and turns the result into edits. On a 15,000-line file that
is seconds of work, so it is never computed just because a client asked
what actions there are:

- a client with ``codeAction.resolveSupport`` gets the action without its
  edit and fills it in by ``codeAction/resolve`` when the user picks it;
- a client without it (Neovim, most others) gets the action with a command,
  ``perflint.applyFixAll``; running it computes the edits and sends them
  back with ``workspace/applyEdit``. Once computed for the current
  generation, the edits go into the action itself;
- a client with neither waits for the edits (computed once per generation).

The work runs in its own single thread, so lints are never queued behind it.
A computation belongs to the document's generation when it started; an edit,
save or settings change stops it at its next piece of the file (the block
cache's ``superseded`` check), and whoever still wants a fix-all gets one for
the new text. The edits come from a line diff of the old and fixed texts that
first trims what both share at either end (difflib's full matching took
202 s on a 15,000-line file with many repeated lines; this takes 0.2 s).
"""

from __future__ import annotations

import asyncio
import difflib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Optional

from perflint.config import Settings
from perflint.fixes import _advance, _common_prefix
from perflint.lsp_documents import Superseded, WatchfulBlockCache
from perflint.model import Edit
from perflint.source import split_lines

APPLY_FIX_ALL_COMMAND = "perflint.applyFixAll"
RETRIES = 5  # a fix-all overtaken by an edit this many times in a row gives up


@dataclass
class FixAllEdits:
    """The edits of every safe fix, for one version of a document."""

    generation: int
    version: Optional[int]
    lines: list[str]  # the text they apply to
    edits: list[Edit]


@dataclass
class FixAllJob:
    generation: int
    future: asyncio.Future  # -> FixAllEdits; raises Superseded when overtaken


class FixAllScheduler:
    """One running or finished fix-all per document; one thread for all of them."""

    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="perflint-fixall")
        self.jobs: dict[str, FixAllJob] = {}  # by document URI: the newest only
        self.computed = 0  # fix-alls that ran to the end (for tests and the stress benchmark)
        self.running: set[asyncio.Future] = set()  # forgotten documents' included

    def ready(self, uri: str, generation: int) -> Optional[FixAllEdits]:
        """The edits for this generation if they are already computed, else None (computes nothing)."""
        job = self.jobs.get(uri)
        if job is None or job.generation != generation or not job.future.done():
            return None
        if job.future.cancelled() or job.future.exception() is not None:
            return None
        return job.future.result()

    def start(
        self,
        uri: str,
        generation: int,
        version: Optional[int],
        text: str,
        lines: list[str],
        path: Optional[str],
        settings: Settings,
        stale: Callable[[], bool],
    ) -> asyncio.Future:
        """The fix-all of this generation: the one already running or done, or a new one."""
        job = self.jobs.get(uri)
        if job is not None and job.generation == generation:
            return job.future
        cache = WatchfulBlockCache()
        cache.superseded = stale  # an older job still running for this document stops at its next piece

        def compute() -> FixAllEdits:
            from perflint.autofix import fix_text

            if stale():
                raise Superseded
            fixed, _ = fix_text(text, path or "<unsaved>", settings, block_cache=cache)
            self.computed += 1
            return FixAllEdits(generation, version, lines, line_edits(text, fixed))

        future = asyncio.get_running_loop().run_in_executor(self.executor, compute)
        future.add_done_callback(_consume_exception)
        self.running.add(future)
        future.add_done_callback(self.running.discard)
        self.jobs[uri] = FixAllJob(generation, future)
        return future

    @property
    def busy(self) -> bool:
        return bool(self.running)

    def forget(self, uri: str) -> None:
        self.jobs.pop(uri, None)

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def _consume_exception(future: asyncio.Future) -> None:
    """A job nobody awaits any more must not log "exception was never retrieved"."""
    if not future.cancelled():
        future.exception()


def line_edits(old: str, new: str) -> list[Edit]:
    """Edits (1-based lines, code-point columns) turning ``old`` into ``new``, one per changed run of lines."""
    a, b = split_lines(old), split_lines(new)
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    matcher = difflib.SequenceMatcher(a=a[start:end_a], b=b[start:end_b])  # autojunk: fast on repeated lines
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before, after = "".join(a[start + i1 : start + i2]), "".join(b[start + j1 : start + j2])
        prefix = _common_prefix(before, after)
        if prefix and before[prefix - 1] == "\r":
            prefix -= 1  # never between the two characters of a "\r\n"
        suffix = _common_prefix(before[prefix:][::-1], after[prefix:][::-1])
        if suffix and before[len(before) - suffix] == "\n" and before[len(before) - suffix - 1 : len(before) - suffix] == "\r":
            suffix -= 1
        first = start + i1 + 1
        line, column = _advance(first, 1, before[:prefix])
        end_line, end_column = _advance(first, 1, before[: len(before) - suffix])
        edits.append(Edit(line, column, end_line, end_column, after[prefix : len(after) - suffix]))
    return edits
