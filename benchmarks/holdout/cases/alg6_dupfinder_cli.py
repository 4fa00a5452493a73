"""dupfinder: find duplicate and stale files under one or more roots.

This module holds the ``dupfinder`` console script. It walks each root,
groups files by size, hashes the candidates and prints a report. The
``--prune`` mode also lists files older than the retention window.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import click

__all__ = ["main", "FileEntry", "scan"]

logger = logging.getLogger("dupfinder")

DEFAULT_IGNORES = (".git", ".hg", "__pycache__", "node_modules")
CHUNK = 1 << 16


@dataclass(slots=True)
class FileEntry:
    path: Path
    size: int
    mtime: float
    digest: str | None = None


@dataclass
class ScanResult:
    entries: list[FileEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    duplicate_paths: list[Path] = field(default_factory=list)


def _digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=20)
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _walk(root: Path, ignores: Iterable[str]) -> Iterator[Path]:
    ignored = set(ignores)
    for dirpath, dirnames, filenames in os.walk(root):
        # prune in place so os.walk does not descend
        dirnames[:] = [d for d in dirnames if d not in ignored]  # expect-none
        for name in filenames:
            yield Path(dirpath, name)


def scan(roots: Iterable[Path], ignores: Iterable[str] = DEFAULT_IGNORES) -> ScanResult:
    result = ScanResult()
    for root in roots:
        for path in _walk(root, ignores):
            try:
                st = path.stat()
            except OSError as exc:
                result.errors.append(f"{path}: {exc}")  # expect-none
                continue
            result.entries.append(FileEntry(path, st.st_size, st.st_mtime))
    logger.debug("scanned %d files", len(result.entries))
    return result


def find_duplicates(result: ScanResult) -> dict[str, list[FileEntry]]:
    """Group entries by content digest, hashing only sizes seen twice."""
    sizes: dict[int, int] = {}
    for e in result.entries:
        sizes[e.size] = sizes.get(e.size, 0) + 1  # expect-none
    groups: dict[str, list[FileEntry]] = {}
    seen_digests: list[str] = []
    for e in result.entries:
        if sizes[e.size] < 2:
            continue
        e.digest = _digest(e.path)
        if e.digest in seen_digests:  # expect: L1
            result.duplicate_paths.append(e.path)
        else:
            seen_digests.append(e.digest)
        groups.setdefault(e.digest, []).append(e)
    return {d: g for d, g in groups.items() if len(g) > 1}


def stale_entries(result: ScanResult, days: int) -> list[FileEntry]:
    cutoff = time.time() - days * 86400
    return [e for e in result.entries if e.mtime < cutoff and e.path not in result.duplicate_paths]  # expect: L1


def _format_size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):  # expect-none
        if n < 1024:
            return f"{n:.0f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


def _render(groups: dict[str, list[FileEntry]], out) -> int:
    wasted = 0
    ordered: list[tuple[str, list[FileEntry]]] = []
    for digest, entries in groups.items():
        ordered.append((digest, entries))
        ordered.sort(key=lambda kv: -kv[1][0].size * len(kv[1]))  # expect: L1
    for digest, entries in ordered:
        wasted += entries[0].size * (len(entries) - 1)
        out.write(f"{digest[:12]} x{len(entries)} {_format_size(entries[0].size)}\n")
        for e in sorted(entries, key=lambda e: str(e.path)):  # expect-none
            out.write(f"    {e.path}\n")
    return wasted


def _oldest_first(entries: list[FileEntry], limit: int) -> list[FileEntry]:
    remaining = list(entries)
    picked = []
    for _ in range(min(limit, len(remaining))):
        oldest = min(remaining, key=lambda e: e.mtime)  # expect: L1
        remaining.remove(oldest)
        picked.append(oldest)
    return picked


@click.command()
@click.argument("roots", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--ignore", multiple=True, help="Directory names to skip.")
@click.option("--prune", type=int, default=0, help="Also list files older than N days.")
@click.option("--oldest", type=int, default=20)
@click.option("-v", "--verbose", is_flag=True)
def main(roots: tuple[Path, ...], ignore: tuple[str, ...], prune: int, oldest: int, verbose: bool) -> None:
    """Report duplicate files under ROOTS."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO)
    ignores = DEFAULT_IGNORES + ignore
    result = scan(roots or (Path.cwd(),), ignores)
    for err in result.errors[:20]:
        click.echo(err, err=True)
    groups = find_duplicates(result)
    wasted = _render(groups, sys.stdout)
    click.echo(f"{len(groups)} groups, {_format_size(wasted)} reclaimable")
    if prune:
        stale = stale_entries(result, prune)
        for e in _oldest_first(stale, oldest):
            click.echo(f"stale: {e.path}")
        exts: list[str] = []
        for e in stale:
            if e.path.suffix not in exts:  # expect: L1
                exts.append(e.path.suffix)
        click.echo("extensions: " + ", ".join(exts))


if __name__ == "__main__":
    main()
