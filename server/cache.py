"""The command line's result cache: one index file, read once, written atomically.

Each entry is keyed by the file's absolute path and holds its size, mtime,
content hash, the key of the settings it was linted with, and its findings.
A file whose size and mtime are unchanged is trusted without reading it; one
whose stat changed is hashed, and relinted only if the content changed. A
file modified within a second of being read is stored with no mtime, so the
next run hashes it: on a filesystem with coarse timestamps a later edit in
the same tick would otherwise go unseen.

Cross-file facts: call facts of functions imported from other modules of
the project (``perflint.project_calls``) make an entry depend on those
files; the entry keeps their stat and is stale when one changed. The ORM
rules read a model index built from the other files of the project (``perflint.models_index``), so a file's findings can
change when another file's models change. ``project_stamp`` digests the
model declarations of every file of a project; the runner adds it to the
settings key of files that such rules lint, so their entries go stale
exactly when some declaration changes. The per-file declaration digests are
kept in the index too, so a run re-reads only files whose stat changed.

The index file name carries perflint's version and a stamp of perflint's own
source files, so a new release or an edited rule never reuses old results.
Writes go to a temporary file that is renamed into place: concurrent runs
never see a torn index (the last writer wins; the loser's entries are simply
recomputed next time).

Imports are kept light (hashlib, tempfile and the model load on first use):
``perflint.run_record`` shares this module's cache directory.
"""

from __future__ import annotations

import marshal
import os
import time

from perflint import __version__
from perflint.run_record import CACHE_DIR_ENV, RACY_NS, default_cache_dir

__all__ = ["CACHE_DIR_ENV", "ResultCache", "content_hash", "default_cache_dir"]

PROJECT_PREFIX = "\0project:"  # index keys of per-project declaration digests (never a file path)


def _code_stamp() -> str:
    """Changes whenever any of perflint's own modules or rules change on disk."""
    import hashlib
    import importlib.util

    package_dir = os.path.dirname(os.path.abspath(__file__))
    digest = hashlib.blake2b(__version__.encode(), digest_size=8)
    roots = [package_dir]
    spec = importlib.util.find_spec("perflint.rules")
    if spec and spec.submodule_search_locations:
        roots.extend(spec.submodule_search_locations)
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    stat = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _unchanged(dependencies: list) -> bool:
    """Whether every other file a cached lint read still has the stat it had then (an
    mtime of -1: read too close to the run that stored it, so never trusted)."""
    for path, size, mtime_ns in dependencies:
        try:
            stat = os.stat(path)
        except OSError:
            return False
        if mtime_ns < 0 or (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns):
            return False
    return True


def content_hash(data: bytes) -> str:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).hexdigest()


class ResultCache:
    def __init__(self, directory: str | None = None) -> None:
        self.directory = directory or default_cache_dir()
        self.path = os.path.join(self.directory, f"index-{__version__}-{_code_stamp()}.marshal")
        self.started_ns = time.time_ns()
        self._entries: dict[str, tuple] = {}
        self._stamps: dict[str, str] = {}
        self._dirty = False
        self._load()

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                entries = marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError):
            return
        if isinstance(entries, dict):
            self._entries = entries

    def lookup(self, path: str, settings_key: str) -> list | None:
        """Cached findings for ``path`` if its content and settings are unchanged."""
        key = os.path.abspath(path)
        entry = self._entries.get(key)
        if entry is None:
            return None
        size, mtime_ns, digest, cached_settings, findings, dependencies = entry
        if cached_settings != settings_key or not _unchanged(dependencies):
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns):
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                return None
            if content_hash(data) != digest:
                return None
            self._entries[key] = (stat.st_size, self._trusted_mtime(stat.st_mtime_ns), digest, settings_key, findings, dependencies)
            self._dirty = True
        from perflint.model import Finding

        return [Finding.from_cache(data, path) for data in findings]

    def store_result(self, path: str, settings_key: str, result) -> None:
        """Remember a runner ``FileResult`` (its stat and content hash from when it was read)."""
        size, mtime_ns = result.stat
        self._entries[os.path.abspath(path)] = (
            size,
            self._trusted_mtime(mtime_ns),
            result.digest,
            settings_key,
            [finding.to_cache() for finding in result.findings],
            [(dep, size, self._trusted_mtime(mtime)) for dep, size, mtime in result.dependencies],
        )
        self._dirty = True

    def _trusted_mtime(self, mtime_ns: int) -> int:
        """``mtime_ns``, or -1 (hash next time) when the file changed too close to this run."""
        return -1 if mtime_ns >= self.started_ns - RACY_NS else mtime_ns

    def project_stamp(self, root: str) -> str:
        """A digest of the ORM model declarations of every Python file under ``root``."""
        stamp = self._stamps.get(root)
        if stamp is not None:
            return stamp
        import hashlib

        from perflint.models_index import _python_files, _read_decls

        known = self._entries.get(PROJECT_PREFIX + root) or {}
        current: dict[str, tuple[int, int, str]] = {}
        for path in _python_files(root):
            try:
                status = os.stat(path)
            except OSError:
                continue
            entry = known.get(path)
            if entry is not None and entry[:2] == (status.st_size, status.st_mtime_ns):
                current[path] = entry
                continue
            declared = _read_decls(path, root)
            digest = hashlib.blake2b(repr(declared).encode(), digest_size=12).hexdigest() if declared else ""
            current[path] = (status.st_size, self._trusted_mtime(status.st_mtime_ns), digest)
        if current != known:
            self._entries[PROJECT_PREFIX + root] = current
            self._dirty = True
        digest = hashlib.blake2b(digest_size=12)
        for path in sorted(current):
            if current[path][2]:
                digest.update(f"{path}\0{current[path][2]}\0".encode())
        stamp = self._stamps[root] = digest.hexdigest()
        return stamp

    def save(self) -> None:
        if not self._dirty:
            return
        try:
            import tempfile

            os.makedirs(self.directory, exist_ok=True)
            gitignore = os.path.join(self.directory, ".gitignore")
            if not os.path.exists(gitignore):
                with open(gitignore, "w") as handle:
                    handle.write("# created by perflint\n*\n")
            for name in os.listdir(self.directory):  # drop indexes of other versions
                if name.startswith("index-") and os.path.join(self.directory, name) != self.path:
                    try:
                        os.unlink(os.path.join(self.directory, name))
                    except OSError:
                        pass
            fd, temp = tempfile.mkstemp(dir=self.directory, prefix=".index-", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                marshal.dump(self._entries, handle)
            os.replace(temp, self.path)
        except OSError:
            pass  # a cache that cannot be written is only a slower next run
