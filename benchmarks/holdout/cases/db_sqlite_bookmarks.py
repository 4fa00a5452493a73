import sqlite3
from pathlib import Path

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS bookmarks (url TEXT PRIMARY KEY, title TEXT, added REAL)",
    "CREATE TABLE IF NOT EXISTS tags (url TEXT, tag TEXT)",
)


def open_db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    for ddl in SCHEMA:
        conn.execute(ddl)  # expect-none
    return conn


def import_bookmarks(conn: sqlite3.Connection, items: list[dict]) -> None:
    cur = conn.cursor()
    for item in items:
        cur.execute(  # expect: L2  # expect-span: 3
            "INSERT OR REPLACE INTO bookmarks (url, title, added) VALUES (?, ?, ?)", (item["url"], item["title"], item["ts"])
        )
        for tag in item.get("tags", []):
            cur.execute("INSERT INTO tags (url, tag) VALUES (?, ?)", (item["url"], tag))  # expect: L2
    conn.commit()


def import_bookmarks_many(conn: sqlite3.Connection, items: list[dict]) -> None:
    with conn:
        conn.executemany(  # expect-none  # expect-span: 3
            "INSERT OR REPLACE INTO bookmarks (url, title, added) VALUES (?, ?, ?)", [(i["url"], i["title"], i["ts"]) for i in items]
        )
        conn.executemany("INSERT INTO tags (url, tag) VALUES (?, ?)", [(i["url"], t) for i in items for t in i.get("tags", [])])  # expect-none


def titles_for(conn: sqlite3.Connection, urls: list[str]) -> dict[str, str]:
    titles = {}
    for url in urls:
        row = conn.execute("SELECT title FROM bookmarks WHERE url = ?", (url,)).fetchone()  # expect: L2
        if row:
            titles[url] = row[0]
    return titles
