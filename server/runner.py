"""Running ``check`` over many files: the cache, worker processes, fixing.

Kept apart from argument parsing so that tests and other front ends (the
pre-commit hook, the hotspot report) share one path. Importing this module
does not import libcst; the engine is imported only when some file actually
needs linting.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Optional

from perflint.cache import ResultCache, content_hash
from perflint.config import ConfigResolver, Settings
from perflint.files import iter_python_files
from perflint.model import Finding, Level

# Below this many files to lint, worker start-up costs more than it saves.
MIN_FILES_FOR_WORKERS = 8


@dataclass
class FileResult:
    path: str
    findings: list[Finding]
    diff: str = ""
    fixes_applied: int = 0
    # For the cache: what was linted (None when the file could not be read).
    stat: Optional[tuple[int, int]] = None
    digest: str = ""
    # For the cache: other files of the project whose call facts the lint read, with their stat.
    dependencies: list[tuple[str, int, int]] = field(default_factory=list)
    # A one-line reason when the file could not be checked or fixed (exit status 2).
    error: str = ""


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    fixes_applied: int = 0
    files_checked: int = 0
    files_from_cache: int = 0
    # What the run read, for ``perflint.run_record``: the files and every directory walked.
    paths: list[str] = field(default_factory=list)
    directories: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FixMode:
    unsafe: bool = False
    write: bool = True  # False: only compute a diff (--diff)


def check_paths(
    paths: list[str],
    resolver: ConfigResolver,
    cache: Optional[ResultCache] = None,
    jobs: Optional[int] = None,
    fix: Optional[FixMode] = None,
    progress: bool = False,
    force_exclude: bool = False,
    fix_edits: bool = True,
) -> RunResult:
    """Lint ``paths``. With ``fix_edits`` False, findings only announce their fixes (the text
    report needs no edits, and computing them is most of the cost of a file full of findings)."""
    result = RunResult()
    files = list(iter_python_files(paths, resolver, result.errors, result.directories, force_exclude))
    result.files_checked = len(files)
    result.paths = files
    todo: list[tuple[str, Settings]] = []
    cache_key = _CacheKeys(cache, fix_edits) if cache is not None else None
    for path in files:
        settings = resolver.for_path(path)
        cached = cache.lookup(path, cache_key(path, settings)) if cache_key is not None and fix is None else None
        if cached is not None:
            result.findings.extend(cached)
            result.files_from_cache += 1
        else:
            todo.append((path, settings))
    for file_result in _run(todo, jobs, fix, progress, fix_edits):
        result.findings.extend(file_result.findings)
        result.fixes_applied += file_result.fixes_applied
        if file_result.error:
            result.errors.append(file_result.error)
        if file_result.diff:
            result.diffs.append(file_result.diff)
        if cache_key is not None and file_result.stat is not None:
            settings = resolver.for_path(file_result.path)
            cache.store_result(file_result.path, cache_key(file_result.path, settings), file_result)
    if cache is not None:
        cache.save()
    return result


class _CacheKeys:
    """The cache key of a file's settings: the settings' fingerprint, plus the
    project's model stamp when database rules (which read other files' models) may run.

    Memoized per settings object (the resolver hands out one per directory) and
    per directory: a fully cached run computes each only once.
    """

    def __init__(self, cache: ResultCache, fix_edits: bool = True) -> None:
        self.cache = cache
        # Findings without fix edits are cached apart from complete ones.
        self.suffix = "" if fix_edits else "|announced-fixes"
        self._fingerprints: dict[int, tuple[Settings, str]] = {}
        self._roots: dict[str, Optional[str]] = {}

    def __call__(self, path: str, settings: Settings) -> str:
        known = self._fingerprints.get(id(settings))
        if known is None:
            known = self._fingerprints[id(settings)] = (settings, settings.fingerprint() + self.suffix)
        fingerprint = known[1]
        if int(Level.DATABASE) not in settings.levels:
            return fingerprint
        directory = os.path.dirname(os.path.abspath(path))
        root = self._root(directory)
        if root is None:
            from perflint.models_index import loose_root

            root = loose_root(directory)
        return fingerprint if root is None else f"{fingerprint}|{self.cache.project_stamp(root)}"

    def _root(self, directory: str) -> Optional[str]:
        """The marked root of ``models_index.project_root``, memoized per directory along the
        way up (None for a loose file, whose root is its folder)."""
        if directory in self._roots:
            return self._roots[directory]
        from perflint.models_index import ROOT_MARKERS

        parent = os.path.dirname(directory)
        if any(os.path.exists(os.path.join(directory, marker)) for marker in ROOT_MARKERS):
            root: Optional[str] = directory
        else:
            root = None if parent == directory else self._root(parent)
        self._roots[directory] = root
        return root


def _run(
    todo: list[tuple[str, Settings]], jobs: Optional[int], fix: Optional[FixMode], progress: bool, edits: bool = True
):
    if not todo:
        return
    import perflint.engine  # noqa: F401  (import once here so forked workers inherit it)
    from perflint import models_index

    jobs = jobs or os.cpu_count() or 1
    tasks = [(path, settings, fix, edits) for path, settings in todo]
    # A progress bar only for runs long enough to want one (and only on a terminal: the caller decides).
    reporter = _Progress(len(tasks)) if progress and len(tasks) >= MIN_FILES_FOR_WORKERS else None
    if jobs <= 1 or len(tasks) < MIN_FILES_FOR_WORKERS:
        recheck = models_index.recheck(False)
        try:
            for task in tasks:
                yield _lint_task(task)
                if reporter:
                    reporter.step()
        finally:
            models_index.recheck(recheck)
    else:
        for file_result in _in_workers(tasks, jobs):
            yield file_result
            if reporter:
                reporter.step()
    if reporter:
        reporter.done()


def _in_workers(tasks: list[tuple[str, Settings, Optional[FixMode], bool]], jobs: int):
    """Lint in worker processes, yielding results as batches finish.

    A worker that dies (a crash in native code, the out-of-memory killer)
    breaks the pool: the files not yet done are reported as not checked.
    ``multiprocessing.Pool`` would instead wait for the lost batch forever.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_init)

    def crashed(batch: list) -> list[FileResult]:
        return [FileResult(path, [], error=f"{path}: not checked: a perflint worker process crashed") for path, *_ in batch]

    try:
        batches = {}
        unsent: list = []
        for batch in _batches(tasks, jobs):
            try:
                batches[pool.submit(_lint_batch, batch)] = batch
            except BrokenProcessPool:  # a worker died while batches were still being sent
                unsent.append(batch)
        for future in as_completed(batches):
            try:
                results = future.result()
            except BrokenProcessPool:
                results = crashed(batches[future])
            yield from results
        for batch in unsent:
            yield from crashed(batch)
    finally:
        pool.shutdown(cancel_futures=True)


def _batches(tasks: list[tuple[str, Settings, Optional[FixMode], bool]], jobs: int) -> list[list]:
    """Largest files first, in batches of about 1/48 of a worker's share of the bytes.

    Big files go out early and alone, small ones later and grouped, so no
    worker is left with a big file while the others are done (lint time
    grows with file size).
    """
    sizes = {}
    for path, *_ in tasks:
        try:
            sizes[path] = os.stat(path).st_size
        except OSError:
            sizes[path] = 0
    budget = max(1, sum(sizes.values()) // (jobs * 48))
    batches: list[list] = []
    current: list = []
    current_bytes = 0
    for task in sorted(tasks, key=lambda task: -sizes[task[0]]):
        current.append(task)
        current_bytes += sizes[task[0]]
        if current_bytes >= budget:
            batches.append(current)
            current, current_bytes = [], 0
    if current:
        batches.append(current)
    return batches


def _lint_batch(tasks: list[tuple[str, Settings, Optional[FixMode], bool]]) -> list[FileResult]:
    return [_lint_task(task) for task in tasks]


def _worker_init() -> None:
    # A worker is interrupted together with the parent; let the parent report it.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from perflint import models_index

    models_index.recheck(False)  # a worker lints one run's files


def _lint_task(task: tuple[str, Settings, Optional[FixMode], bool]) -> FileResult:
    from perflint.engine import batch_heap, lint_source

    path, settings, fix, edits = task
    if path.endswith(".ipynb"):  # a Jupyter notebook: its code cells (perflint.notebooks)
        from perflint.notebooks import lint_task

        return lint_task(path, settings, fix)
    read = read_input(path)
    if isinstance(read, FileResult):
        return read
    stat, data = read
    try:
        dependencies: list[tuple[str, int, int]] = []
        with batch_heap():
            findings = lint_source(data, path, settings, fixes=edits, dependencies=dependencies)
        result = FileResult(path, findings, stat=stat, digest=content_hash(data))
        result.dependencies = dependencies
        if fix is not None and any(f.fix is not None and (fix.unsafe or f.fix.is_safe) for f in findings):
            _apply(result, data, settings, fix, edits)
    except Exception as error:  # a bug in perflint or a rule: name the file, go on with the others
        return FileResult(path, [], error=f"{path}: internal error: {one_line(error)}")
    return result


def read_input(path: str) -> "tuple[tuple[int, int], bytes] | FileResult":
    """A file's (size, mtime) and bytes, or its result: a one-line "cannot read" PF000."""
    from perflint.model import parse_error

    try:
        stat = os.stat(path)
        with open(path, "rb") as handle:
            return (stat.st_size, stat.st_mtime_ns), handle.read()
    except OSError as error:
        return FileResult(path, [parse_error(path, f"cannot read file: {error.strerror or error}")])


def one_line(error: BaseException) -> str:
    """An exception as ``Type: first line of its message``."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def _apply(result: FileResult, data: bytes, settings: Settings, fix: FixMode, edits: bool = True) -> None:
    from perflint.autofix import fix_text
    from perflint.engine import lint_source
    from perflint.fixes import unified_diff
    from perflint.source import decode

    before = decode(data)
    after, applied = fix_text(before, result.path, settings, unsafe=fix.unsafe)
    if after == before:
        return
    if not fix.write:
        result.fixes_applied = applied
        result.diff = unified_diff(result.path, before, after)
        return
    encoded = _encode_like(after, data)
    try:
        with open(result.path, "wb") as handle:
            handle.write(encoded)
    except OSError as error:
        result.error = f"{result.path}: cannot write the fixes: {error.strerror or error}"
        return
    result.fixes_applied = applied
    stat = os.stat(result.path)
    result.findings = lint_source(after, result.path, settings, fixes=edits)
    result.stat = (stat.st_size, stat.st_mtime_ns)
    result.digest = content_hash(encoded)


def _encode_like(text: str, original: bytes) -> bytes:
    """Encode fixed text the way the original file was encoded (cookie and BOM kept)."""
    import io
    import tokenize

    encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(encoding)


class _Progress:
    """A one-line progress counter on a terminal's stderr."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self._draw()  # at once: the largest files go first, so the first results can take a while

    def step(self) -> None:
        self.count += 1
        if self.count % 10 == 0 or self.count == self.total:
            self._draw()

    def _draw(self) -> None:
        width = 30
        filled = width * self.count // self.total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.count}/{self.total} files")
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\r" + " " * 60 + "\r")
        sys.stderr.flush()


def lint_stdin(data: bytes, path: str, settings: Settings) -> list[Finding]:
    from perflint.engine import lint_source

    return lint_source(data, path, settings)

