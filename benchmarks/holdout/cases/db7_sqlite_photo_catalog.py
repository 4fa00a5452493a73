"""photocat: index a photo library into a local SQLite catalog.

Usage: photocat index DIR...   |   photocat tags DIR
Libraries run to ~100k files; the indexer is run on every import from the camera.
"""
from __future__ import annotations

import argparse
import logging
import sqlite3 as sql
import sys
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from pathlib import Path

log = logging.getLogger("photocat")

SCHEMA = """
CREATE TABLE IF NOT EXISTS photos (id INTEGER PRIMARY KEY, path TEXT UNIQUE, size INTEGER, album_id INTEGER);
CREATE TABLE IF NOT EXISTS albums (id INTEGER PRIMARY KEY, name TEXT UNIQUE);
CREATE TABLE IF NOT EXISTS tags (photo_id INTEGER, tag TEXT);
"""
DEFAULT_TAGS = ("favourite", "hidden", "print")
EXTENSIONS = {".jpg", ".jpeg", ".heic", ".png"}


@dataclass
class Photo:
    path: Path
    size: int
    album: str


def open_catalog(path: str = "catalog.db") -> sql.Connection:
    conn = sql.connect(path)
    conn.executescript(SCHEMA)  # expect-none
    return conn


def walk(root: Path) -> Iterator[Photo]:
    for p in root.rglob("*"):
        if p.suffix.lower() in EXTENSIONS:
            yield Photo(p, p.stat().st_size, p.parent.name)


def album_id(conn: sql.Connection, name: str) -> int:
    row = conn.execute("SELECT id FROM albums WHERE name = ?", (name,)).fetchone()
    if row:
        return row[0]
    return conn.execute("INSERT INTO albums (name) VALUES (?)", (name,)).lastrowid


def insert_photo(conn: sql.Connection, *, photo: Photo) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO photos (path, size, album_id) VALUES (?, ?, ?)",
        (str(photo.path), photo.size, album_id(conn, photo.album)),
    )
    conn.commit()


def index(conn: sql.Connection, roots: Iterable[Path]) -> int:
    n = 0
    for root in roots:
        for photo in walk(root):
            insert_photo(conn, photo=photo)  # expect: L2
            n += 1
    return n


def index_fast(conn: sql.Connection, roots: Iterable[Path]) -> int:
    photos = [p for root in roots for p in walk(root)]
    with conn:
        conn.executemany("INSERT OR IGNORE INTO albums (name) VALUES (?)", {(p.album,) for p in photos})  # expect-none
        ids = dict(conn.execute("SELECT name, id FROM albums"))  # expect-none
        conn.executemany(  # expect-none
            "INSERT OR REPLACE INTO photos (path, size, album_id) VALUES (?, ?, ?)",
            [(str(p.path), p.size, ids[p.album]) for p in photos],
        )
    return len(photos)


def sizes(conn: sql.Connection, paths: Iterable[Path]) -> list[int]:
    lookup = partial(conn.execute, "SELECT size FROM photos WHERE path = ?")
    return [lookup((str(p),)).fetchone()[0] for p in paths]  # expect: L2


def tag_counts(conn: sql.Connection, photo_ids: Iterable[int]) -> dict[int, int]:
    with closing(conn.cursor()) as cur:
        return {
            pid: cur.execute("SELECT count(*) FROM tags WHERE photo_id = ?", (pid,)).fetchone()[0]  # expect: L2
            for pid in photo_ids
        }


def tag_counts_grouped(conn: sql.Connection) -> dict[int, int]:
    return dict(conn.execute("SELECT photo_id, count(*) FROM tags GROUP BY photo_id"))  # expect-none


def retag(conn: sql.Connection, pairs: Iterable[tuple[int, str]]) -> None:
    cur = conn.cursor()
    for pid, tag in pairs:
        cur.execute("DELETE FROM tags WHERE photo_id = ? AND tag = ?", (pid, tag))  # expect: L2
    conn.commit()


def ensure_default_tags(conn: sql.Connection, photo_id: int) -> None:
    for tag in DEFAULT_TAGS:
        conn.execute("INSERT INTO tags (photo_id, tag) VALUES (?, ?)", (photo_id, tag))  # expect-none


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="photocat")
    ap.add_argument("cmd", choices=["index", "tags"])
    ap.add_argument("dirs", nargs="+", type=Path)
    args = ap.parse_args(argv)
    with closing(open_catalog()) as conn:
        if args.cmd == "index":
            log.info("indexed %d photos", index_fast(conn, args.dirs))
        else:
            print(tag_counts_grouped(conn))
    return 0


if __name__ == "__main__":
    sys.exit(main())
