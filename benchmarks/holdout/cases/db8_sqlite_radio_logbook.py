"""Amateur radio contact log (sqlite3), written as small composable steps.

``import_adif`` loads a contest export (~2,500 contacts a weekend); ``award_check``
walks the whole log (tens of thousands of contacts) against the DXCC tables.
"""
import functools
import sqlite3
from dataclasses import dataclass
from typing import Iterable, Iterator

BANDS = ("160m", "80m", "40m", "20m", "15m", "10m")

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS qso (id INTEGER PRIMARY KEY, call TEXT, band TEXT, ts TEXT, rst TEXT)",
    "CREATE TABLE IF NOT EXISTS entity (prefix TEXT PRIMARY KEY, name TEXT, continent TEXT)",
    "CREATE TABLE IF NOT EXISTS confirmed (qso_id INTEGER PRIMARY KEY, via TEXT)",
)

INSERT_QSO = "INSERT INTO qso (call, band, ts, rst) VALUES (?, ?, ?, ?)"
ENTITY_OF = "SELECT name, continent FROM entity WHERE ? LIKE prefix || '%' ORDER BY length(prefix) DESC LIMIT 1"


@dataclass(frozen=True)
class Contact:
    call: str
    band: str
    ts: str
    rst: str = "59"


def open_log(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    for ddl in SCHEMA:
        conn.execute(ddl)  # expect-none
    return conn


def import_adif(conn: sqlite3.Connection, contacts: Iterable[Contact]) -> None:
    insert = functools.partial(conn.execute, INSERT_QSO)
    for c in contacts:
        insert((c.call, c.band, c.ts, c.rst))  # expect: L2
    conn.commit()


def import_adif_batched(conn: sqlite3.Connection, contacts: Iterable[Contact]) -> None:
    conn.executemany(INSERT_QSO, ((c.call, c.band, c.ts, c.rst) for c in contacts))  # expect-none
    conn.commit()


def confirm_all(conn: sqlite3.Connection, qso_ids: list[int], via: str) -> None:
    confirm = functools.partial(conn.execute, "INSERT OR IGNORE INTO confirmed (qso_id, via) VALUES (?, ?)")
    list(map(lambda qid: confirm((qid, via)), qso_ids))  # expect: L2
    conn.commit()


def _entity(conn: sqlite3.Connection, call: str) -> tuple[str, str] | None:
    return conn.execute(ENTITY_OF, (call,)).fetchone()


def with_entities(conn: sqlite3.Connection, rows: Iterable[tuple]) -> Iterator[tuple]:
    for qid, call, band in rows:
        yield qid, call, band, _entity(conn, call)  # expect: L2


def worked_entities(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT id, call, band FROM qso")
    return {e[0] for *_, e in with_entities(conn, rows) if e}


def worked_entities_joined(conn: sqlite3.Connection) -> set[str]:
    cur = conn.execute(  # expect-none
        "SELECT DISTINCT e.name FROM qso q JOIN entity e ON q.call LIKE e.prefix || '%'"
    )
    return {name for (name,) in cur}


def band_totals(conn: sqlite3.Connection) -> dict[str, int]:
    count = functools.partial(conn.execute, "SELECT count(*) FROM qso WHERE band = ?")
    return {b: count((b,)).fetchone()[0] for b in BANDS}  # expect-none


def award_check(conn: sqlite3.Connection, calls: list[str]) -> dict[str, bool]:
    cur = conn.cursor()
    result = {}
    for call in calls:
        cur.execute(  # expect: L2  # expect-span: 3
            "SELECT 1 FROM qso q JOIN confirmed c ON c.qso_id = q.id WHERE q.call = ? LIMIT 1", (call,)
        )
        result[call] = cur.fetchone() is not None
    return result


def award_check_once(conn: sqlite3.Connection, calls: list[str]) -> dict[str, bool]:
    marks = ",".join("?" * len(calls))
    cur = conn.execute(  # expect-none
        f"SELECT DISTINCT q.call FROM qso q JOIN confirmed c ON c.qso_id = q.id WHERE q.call IN ({marks})", calls
    )
    done = {row[0] for row in cur}
    return {call: call in done for call in calls}


class Logbook:
    def __init__(self, path: str):
        self.conn = open_log(path)
        self.rst_of = functools.partial(self.conn.execute, "SELECT rst FROM qso WHERE id = ?")

    def signal_reports(self, qso_ids: list[int]) -> list[str]:
        return [self.rst_of((qid,)).fetchone()[0] for qid in qso_ids]  # expect: L2

    def delete_calls(self, calls: Iterable[str]) -> None:
        with self.conn:
            for call in calls:
                self.conn.execute("DELETE FROM qso WHERE call = ?", (call,))  # expect: L2

    def delete_calls_once(self, calls: Iterable[str]) -> None:
        with self.conn:
            self.conn.executemany("DELETE FROM qso WHERE call = ?", [(c,) for c in calls])  # expect-none

    def page(self, after_id: int, size: int = 500) -> Iterator[tuple]:
        while True:
            rows = self.conn.execute(  # expect-none  # expect-span: 3
                "SELECT id, call FROM qso WHERE id > ? ORDER BY id LIMIT ?", (after_id, size)
            ).fetchall()
            if not rows:
                return
            yield from rows
            after_id = rows[-1][0]
