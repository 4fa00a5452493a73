"""The command line's result cache: one index file, read once, written atomically.

Each entry is keyed by the file's absolute path and holds its size, mtime,
content hash, the settings fingerprint it was linted with, and its findings.
A file whose size and mtime are unchanged is trusted without reading it; one
whose stat changed is hashed, and relinted only if the content changed.

The index file name carries perflint's version and a stamp of perflint's own
source files, so a new release or an edited rule never reuses old results.
Writes go to a temporary file that is renamed into place: concurrent runs
never see a torn index (the last writer wins; the loser's entries are simply
recomputed next time).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from typing import Optional

from perflint import __version__
from perflint.model import Finding

CACHE_DIR_ENV = "PERFLINT_CACHE_DIR"


def default_cache_dir() -> str:
    return os.environ.get(CACHE_DIR_ENV) or os.path.join(os.getcwd(), ".perflint_cache")


def _code_stamp() -> str:
    """Changes whenever any of perflint's own modules or rules change on disk."""
    package_dir = os.path.dirname(os.path.abspath(__file__))
    digest = hashlib.blake2b(__version__.encode(), digest_size=8)
    roots = [package_dir]
    try:
        import importlib.util

        spec = importlib.util.find_spec("perflint.rules")
        if spec and spec.submodule_search_locations:
            roots.extend(spec.submodule_search_locations)
    except ImportError:  # pragma: no cover
        pass
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    stat = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class ResultCache:
    def __init__(self, directory: Optional[str] = None) -> None:
        self.directory = directory or default_cache_dir()
        self.path = os.path.join(self.directory, f"index-{__version__}-{_code_stamp()}.marshal")
        self._entries: dict[str, tuple] = {}
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

    def lookup(self, path: str, settings_key: str) -> Optional[list[Finding]]:
        """Cached findings for ``path`` if its content and settings are unchanged."""
        key = os.path.abspath(path)
        entry = self._entries.get(key)
        if entry is None:
            return None
        size, mtime_ns, digest, cached_settings, findings = entry
        if cached_settings != settings_key:
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
            self._entries[key] = (stat.st_size, stat.st_mtime_ns, digest, settings_key, findings)
            self._dirty = True
        return [Finding.from_cache(data, path) for data in findings]

    def store_result(self, path: str, settings_key: str, result) -> None:
        """Remember a runner ``FileResult`` (its stat and content hash from when it was read)."""
        size, mtime_ns = result.stat
        self._entries[os.path.abspath(path)] = (
            size,
            mtime_ns,
            result.digest,
            settings_key,
            [finding.to_cache() for finding in result.findings],
        )
        self._dirty = True

    def save(self) -> None:
        if not self._dirty:
            return
        try:
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
