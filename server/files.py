"""Finding the Python files to lint under the paths given on the command line."""

from __future__ import annotations

import errno
import os
from typing import Iterator, Optional

from perflint.config import DEFAULT_EXCLUDE, ConfigResolver


class MissingPath(Exception):
    """A path given on the command line does not exist."""


def iter_python_files(
    paths: list[str],
    resolver: Optional[ConfigResolver] = None,
    errors: Optional[list[str]] = None,
    directories: Optional[list[str]] = None,
    force_exclude: bool = False,
) -> Iterator[str]:
    """Yield ``.py`` files under ``paths`` in a stable order.

    Files named explicitly are yielded even when the config excludes them,
    unless ``force_exclude`` (pre-commit names every staged file). Directories are walked without
    following symlinked directories twice (no loops), skipping the usual
    virtualenv/build folders and the config's ``exclude`` patterns. Paths that
    do not exist or are not regular files (a FIFO would block the read) and
    directories that cannot be listed are reported through ``errors`` and
    skipped; inside a walk, entries that are neither files nor directories
    (dangling symlinks such as editor lock files, sockets) are passed over.
    Every directory listed is appended to ``directories`` (the run record's inputs).
    """
    resolver = resolver or ConfigResolver()
    errors = errors if errors is not None else []
    seen_dirs: set[str] = set()
    for path in paths:
        if os.path.isfile(path):
            if not (force_exclude and resolver.for_path(path).is_excluded(path)):
                yield path
        elif os.path.isdir(path):
            yield from _walk(os.path.normpath(path), resolver, seen_dirs, errors, directories)
        elif os.path.exists(path):
            errors.append(f"{path}: not a regular file or directory")
        else:
            errors.append(f"{path}: {_why_missing(path)}")


def _why_missing(path: str) -> str:
    """Why a path named on the command line is neither a file nor a directory nor anything:
    usually it does not exist (or is a dangling symlink), but a symlink loop or a folder
    that cannot be searched say so."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
        if error.errno not in (errno.ENOENT, None) and error.strerror:
            return error.strerror[:1].lower() + error.strerror[1:]
    return "no such file or directory"


def _walk(
    root: str, resolver: ConfigResolver, seen_dirs: set[str], errors: list[str], directories: Optional[list[str]]
) -> Iterator[str]:
    real = os.path.realpath(root)
    if real in seen_dirs:
        return
    seen_dirs.add(real)
    if directories is not None:
        directories.append(root)
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as error:
        errors.append(f"{_as_given(root)}: cannot read directory: {error.strerror or error}")
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError:
            continue
        if is_dir:
            if entry.name in DEFAULT_EXCLUDE or entry.name.endswith(".egg-info"):
                continue
            if resolver.for_path(os.path.join(entry.path, "x.py")).is_excluded(entry.path + os.sep + "x.py"):
                continue
            yield from _walk(entry.path, resolver, seen_dirs, errors, directories)
        elif is_file and entry.name.endswith(".py"):
            path = _as_given(entry.path)
            if not resolver.for_path(path).is_excluded(path):
                yield path


def _as_given(path: str) -> str:
    """``./pkg/a.py`` as ``pkg/a.py``: paths under ``.`` are reported the way users write them."""
    return path[2:] if path.startswith("." + os.sep) else path
