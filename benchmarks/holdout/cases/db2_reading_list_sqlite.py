"""Reading-list CLI: imports bookmarks, tags them and prints a digest."""
import argparse
import functools
import sqlite3
from pathlib import Path

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS links (id INTEGER PRIMARY KEY, url TEXT UNIQUE, title TEXT)",
    "CREATE TABLE IF NOT EXISTS tags (link_id INTEGER, tag TEXT)",
)


def with_db(fn):
    @functools.wraps(fn)
    def wrapper(path, *args, **kwargs):
        conn = sqlite3.connect(path)
        try:
            with conn:
                return fn(conn, *args, **kwargs)
        finally:
            conn.close()
    return wrapper


@with_db
def init(conn):
    for ddl in SCHEMA:
        conn.execute(ddl)  # expect-none


@with_db
def import_links(conn, lines):
    cur = conn.cursor()
    for line in lines:
        url, _, title = line.partition(" ")
        cur.execute("INSERT OR IGNORE INTO links (url, title) VALUES (?, ?)", (url, title.strip()))  # expect: L2


@with_db
def import_links_many(conn, lines):
    rows = [(u, t.strip()) for u, _, t in (line.partition(" ") for line in lines)]
    conn.executemany("INSERT OR IGNORE INTO links (url, title) VALUES (?, ?)", rows)  # expect-none


@with_db
def tag_links(conn, urls, tag):
    lookup = functools.partial(conn.execute, "SELECT id FROM links WHERE url = ?")
    for url in urls:
        row = lookup((url,)).fetchone()  # expect: L2
        if row:
            conn.execute("INSERT INTO tags (link_id, tag) VALUES (?, ?)", (row[0], tag))  # expect: L2


@with_db
def digest(conn, tags):
    out = {}
    for tag in tags:
        out[tag] = [r[0] for r in conn.execute(  # expect: L2
            "SELECT l.title FROM links l JOIN tags t ON t.link_id = l.id WHERE t.tag = ?", (tag,)
        )]
    return out


@with_db
def digest_once(conn, tags):
    marks = ",".join("?" * len(tags))
    out = {t: [] for t in tags}
    for tag, title in conn.execute(  # expect-none
        f"SELECT t.tag, l.title FROM links l JOIN tags t ON t.link_id = l.id WHERE t.tag IN ({marks})", tags
    ):
        out[tag].append(title)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    init(args.db)
    import_links_many(args.db, args.file.read_text().splitlines())


if __name__ == "__main__":
    main()
