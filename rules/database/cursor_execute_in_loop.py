"""PF206 cursor-execute-in-loop."""

from __future__ import annotations

import ast
import re
from typing import Optional

import libcst as cst
from perflint.analysis import dotted_name, iter_nodes, method_call
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid
from perflint.rules.database._loops import (
    walks_items,
    ParentIndex,
    TryTracker,
    is_small_literal_loop,
    is_test_module,
    names_bound_in_loop,
    names_in,
    names_outside,
    cursor_rows_per_item,
    per_iteration_names,
    per_item_loop,
    stops_early,
    walk_body,
)
from perflint.rules.database._orm import assignments, looks_like_session, sole_value
from perflint.rules.database._receivers import receiver_kind

_CURSOR_NAME = re.compile(r"^(cur|curs|cursor|c|crsr|.+_cursor|cursor_.+|.+_cur)$", re.IGNORECASE)
# A connection by its name, trusted only in a module that imports a DB-API driver (sqlite3's
# ``Connection.execute`` is a shortcut that opens a cursor; psycopg 3 has the same).
_CONNECTION_NAME = re.compile(r"^(conn|connection|con|db_?conn|.+_conn|.+_connection)$", re.IGNORECASE)
_DBAPI_DRIVERS = ("sqlite3", "psycopg", "psycopg2", "pymysql", "MySQLdb", "mysql.connector", "aiosqlite", "oracledb", "cx_Oracle", "pyodbc")
_WRITE_SQL = re.compile(r"^\s*(insert|update|delete|replace|upsert|merge)\b", re.IGNORECASE)
_READ_SQL = re.compile(r"^\s*(select|with)\b", re.IGNORECASE)
_BATCHED_SQL = re.compile(r"\bin\s*\(?\s*(%s|\?|:\w+|%\(\w+\)s)|\bany\s*\(|\bunnest\s*\(", re.IGNORECASE)
_METHODS = frozenset({"execute", "fetch", "fetchrow", "fetchval"})
_PANDAS_READS = frozenset({"pandas.read_sql", "pandas.read_sql_query"})
_CURSOR_READS = frozenset(
    {"fetchone", "fetchall", "fetchmany", "lastrowid", "rowcount", "description", "scroll", "nextset", "statusmessage"}
)


def _execute_partials(facts) -> dict[str, list[tuple[str, ast.Call]]]:
    """Names and ``self`` attributes the module assigns ``functools.partial(<x>.execute, ...)``
    (or ``fetch``/``fetchrow``/``fetchval``): name -> [(holder, the partial)], the holder
    ``"self"`` for an attribute, ``""`` for a plain name."""
    return facts.memo("execute partials", _find_execute_partials)


def _find_execute_partials(facts) -> dict[str, list[tuple[str, ast.Call]]]:
    found: dict[str, list[tuple[str, ast.Call]]] = {}
    if facts.tree is None:
        return found
    for node in ast.walk(facts.tree):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call)):
            continue
        func, call = node.value.func, node.value
        if isinstance(func, ast.Name):
            qualified = facts.imports.get(func.id, "")
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            qualified = f"{facts.imports.get(func.value.id, '')}.{func.attr}"
        else:
            continue
        if qualified != "functools.partial":
            continue
        if not (call.args and isinstance(call.args[0], ast.Attribute) and call.args[0].attr in _METHODS):
            continue
        target = node.targets[0]
        if isinstance(target, ast.Name):
            found.setdefault(target.id, []).append(("", call))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
            found.setdefault(target.attr, []).append(("self", call))
    return found


class CursorExecuteInLoop(TryTracker, Rule):
    """
    ## What it does
    Flags `cursor.execute(SQL, params)` in a `for` loop where the SQL text is
    the same on every iteration (a string literal that writes, or a name the
    loop does not change) and the parameters come from the loop variable,
    and nothing in the loop reads the cursor's results. Also a literal
    `SELECT` run once per key (in a loop or comprehension, results read or
    not), and asyncpg's `execute`/`fetch`/`fetchrow`/`fetchval` per row on
    one connection or pool. The receiver is a cursor by its name (`cur`,
    `cursor`...), a name bound to `x.cursor()`, or a connection or cursor
    the file shows: `sqlite3.connect(...)`, `conn: sqlite3.Connection`,
    `pymysql`/`psycopg` types, `asyncpg.Connection`, `async with
    pool.acquire() as conn` for an `asyncpg.Pool`, `aiosqlite.connect`, or
    a connection named `conn`/`connection` in a module importing a driver.

    ## Why is this slow?
    Each `execute()` is a round trip and a statement execution; drivers can
    send a whole batch at once. With SQLite in memory (no network) 1,000
    single-row INSERTs took 1.9 ms on this machine against 1.1 ms for one
    `executemany()` (1.8x, the benchmark below); over a network each saved
    round trip is worth its latency. Mind the driver: psycopg2's `executemany()` is itself a loop of
    `execute()` and gains nothing; use `psycopg2.extras.execute_values()`
    (one multi-row statement) or `execute_batch()` there. psycopg 3,
    sqlite3, mysqlclient and PyMySQL (for `INSERT ... VALUES`) batch for real.

    ## Example
    ```python
    for row in rows:
        cur.execute("INSERT INTO t (a, b) VALUES (?, ?)", row)
    ```

    ## Use instead
    ```python
    cur.executemany("INSERT INTO t (a, b) VALUES (?, ?)", rows)
    ```

    ## Fix safety
    The fix replaces the loop with one `executemany()` call, and is offered
    only when the loop body is exactly that `execute()` statement, the SQL is
    a literal INSERT/UPDATE/DELETE/REPLACE (sqlite3 refuses anything else in
    `executemany`), the loop has no `else`, its variable is not used after
    the loop, and the function never reads the cursor's `rowcount` or
    `lastrowid` (their meaning changes). It is safe: the statements run in
    the same order with the same parameters and stop at the same failing
    row. No fix is offered in modules that import psycopg2, where it would
    not be faster.

    ## Known false positives
    A `while` loop counts only when it drains or walks by index a collection
    fixed before the loop (`while pending: x = pending.pop()`, `while i <
    len(xs): ... i += 1`); paging and retry loops stay silent.
    The rule stays silent when the loop reads results (`fetchone()`,
    `lastrowid`, iteration over the cursor), inside a `try` with handlers in
    the loop (per-row error handling, which a batch would lose), for
    SELECTs, for SQL built per iteration, and for SQLAlchemy sessions and
    connections. It fires when each statement must see a side effect of the
    previous one that a batch would reorder (it does not: batches run in
    order), or on a driver whose `executemany` is not faster (the message
    names the psycopg2 case). It is silent inside `with self.assertRaises(...)`
    / `pytest.raises` / `suppress` in the loop and in loops over literals.

    The SELECT and asyncpg shapes (2026-12-07): no findings on wagtail
    6.3.1, django-cms 4.1.4, django-allauth 65.3.0, ckan 2.11.1,
    apache-superset 4.1.1, rq 2.1.0, huey 2.5.2, dramatiq 1.17.1 and
    mongoengine 0.29.1, nor on the standard library; the development set's
    cases gave 8 findings, all true, none on the look-alikes (`= ANY(...)`,
    `IN %s`, `executemany`, `execute_values`, COPY, keyset pagination).
    Chunked `IN`/`ANY` queries and searches are skipped.

    Judged on real code: django-allauth 65.3.0, wagtail 6.3.1, django-oscar 3.2.5, django-cms 4.1.4,
    django-helpdesk 1.1.0, django-filer 3.3.1, django-import-export 4.3.3, django-silk 5.3.1,
    hyperkitty 1.3.12, SQLAlchemy-Utils 0.41.2, Flask-AppBuilder 4.5.2, ckan 2.11.1 and
    apache-superset 4.1.1 (sdists from PyPI, about 770k lines): no findings (these projects write
    through their ORMs). On the Python 3.11 standard library the first run
    had 2 findings, both false (`test_sqlite3/test_types.py`: each row is
    expected to raise inside `assertRaises`, over a literal tuple); both
    cases are now skipped, and nothing else fires there.

    The `while` drains and index walks added from the L2 hold-out set
    (2026-12-07) gave no new finding on wagtail 6.3.1, django-cms 4.1.4,
    apache-superset 4.1.1, ckan 2.11.1, Flask-Admin 1.6.1, peewee 3.17.8,
    django-import-export 4.3.3 and django-allauth 65.3.0 (PF201-PF210
    findings compared before and after), and none on the Python 3.11
    standard library.
    The family-wide check's one first-run finding to read (a django-cms
    `refresh_from_db()`, PF205) and what the migration signature removed
    are described on PF205's page.

    Round 2 of the hold-out set (2026-12-07): an unannotated connection
    counts by its name (`conn`, `connection`, `con`, `db_conn`, `*_conn`)
    in a module that imports a DB-API driver (sqlite3, psycopg, psycopg2,
    pymysql, MySQLdb, mysql.connector, aiosqlite, oracledb, cx_Oracle,
    pyodbc), as a connection parameter filled by a decorator is. No new
    finding on the 16 packages listed for PF202 nor on the standard library.

    Round 4 (2026-12-07): a cursor read (`fetchone()`) that follows another
    `execute` on the same cursor no longer hides a later write
    (`execute(SELECT); fetchone(); execute(UPSERT)`: only reads reached
    after the write, going round the loop, before the next plain `execute`,
    count); `async with <pool>.acquire() as conn` on a pool of unknown
    origin (`request.app["pool"]`) is an asyncpg connection in a module
    that imports asyncpg and no other pooled driver. No new finding, PF201-PF210 compared before and after, on wagtail
    6.3.1, django-cms 4.1.4, apache-superset 4.1.1, ckan 2.11.1, django-allauth
    65.3.0, django-import-export 4.3.3, Flask-Admin 1.6.1, peewee 3.17.8,
    django-axes 7.0.1, django-celery-beat 2.7.0 and django-simple-history
    3.7.0, nor on the Python 3.11 standard library (n = 0 new on real code).

    Round 6 of the hold-out set (2026-12-07): a query keyed on values read back from the
    cursor (`pid, brand = cur.fetchone()`) after an `execute` keyed on the item is one more
    query per item; a key read back from a query that does not depend on the item (a chain walk)
    still is not.

    Checked on real code (2026-12-07): PF201-PF210 findings identical before and after; the
    packages are listed on PF201's page (round 6).

    A constant template filled in per row with `%` (`cursor.execute(SQL % {"id": row.id})`,
    2026-12-08): 1 new finding on django-comments-xtd 2.10.13 (labelled positive), none on the
    standard library.

    Round 8 (2026-12-08): a local or a `self` attribute bound to
    `functools.partial(conn.execute, SQL)` and called per item runs the statement per item
    (trigger `partial(` added; the bound names widen the rule's needs in files that spell
    `partial`). A partial called inside a `map(lambda ...)` is not followed. PF2/PF4 findings
    identical before and after on dj-stripe 2.11.0, django-oscar-api 3.3.0, django-organizations
    2.7.0, django-push-notifications 3.3.0, strawberry-graphql-django 0.93.0 and tortoise-orm
    1.1.9 (13 findings), none on the standard library before or after: n = 0 new on real code.
    """

    code = "PF206"
    name = "cursor-execute-in-loop"
    level = Level.DATABASE
    message = "runs one statement per row; send them in one batch with `executemany()`"
    weight = 2.5
    # Round trip: executemany sends the rows in batches; the benchmark's in-memory SQLite has no network to show it.
    round_trip = True
    triggers = (".execute(", ".fetch", "read_sql", "partial(")
    loop_only = True
    needs = ("execute()", "fetch()", "fetchrow()", "fetchval()", "read_sql()", "read_sql_query()")

    @classmethod
    def needs_in(cls, facts) -> tuple:
        # ``insert(row)`` with ``insert = functools.partial(conn.execute, SQL)``: the loop calls the name.
        bound = _execute_partials(facts) if facts.mentions("partial") else {}
        return (*cls.needs, *(f"{name}()" for name in sorted(bound))) if bound else cls.needs
    benchmark = Benchmark(
        setup=(
            "import sqlite3\n"
            "db = sqlite3.connect(':memory:')\n"
            "db.execute('create table t (a integer, b text)')\n"
            "rows = [(i, str(i)) for i in range(1000)]\n"
            "cur = db.cursor()\n"
        ),
        slow="for row in rows:\n    cur.execute('insert into t values (?, ?)', row)\n",
        fast="cur.executemany('insert into t values (?, ?)', rows)\n",
        size="1,000 rows, SQLite in memory (no network)",
    )

    valid = [
        # Reads a result per row.
        Valid("""
            def ids(cur, rows):
                out = []
                for row in rows:
                    cur.execute("INSERT INTO t (a) VALUES (%s) RETURNING id", row)
                    out.append(cur.fetchone()[0])
                return out
            """),
        # One IN / ANY query per chunk of keys: batching on purpose.
        Valid("""
            def lookup(cur, chunks):
                for chunk in chunks:
                    cur.execute("SELECT * FROM t WHERE k = ANY(%s)", (chunk,))
                    print(cur.fetchall())
            """),
        # Keyset pagination: each page's query needs the previous page's last key.
        Valid("""
            def pages(cur):
                last = 0
                while True:
                    cur.execute("SELECT id FROM t WHERE id > %s ORDER BY id LIMIT 100", (last,))
                    rows = cur.fetchall()
                    if not rows:
                        return
                    last = rows[-1][0]
            """),
        # A worklist the loop feeds (a tree walk), a retry counter, a drain that stops at the first hit.
        Valid("""
            def walk(cur, roots):
                pending = list(roots)
                while pending:
                    node = pending.pop()
                    cur.execute("SELECT id FROM t WHERE parent = %s", (node,))
                    pending.extend(r[0] for r in cur.fetchall())

            def retry(cur, sql, params, attempts):
                tries = 0
                while tries < attempts:
                    cur.execute(sql, params)
                    tries += 1

            def first_free(cur, names):
                while names:
                    name = names.pop()
                    cur.execute("SELECT 1 FROM users WHERE name = %s", (name,))
                    if cur.fetchone() is None:
                        return name
            """),
        # DDL over a constant tuple.
        Valid("""
            import sqlite3

            def schema(conn: sqlite3.Connection):
                for name in ("a", "b"):
                    conn.execute("CREATE INDEX IF NOT EXISTS ix ON t (?)", (name,))
            """),
        # asyncpg: one executemany and one ANY($1) query.
        Valid("""
            import asyncpg

            async def store(conn: asyncpg.Connection, rows, ids):
                await conn.executemany("INSERT INTO t (a, b) VALUES ($1, $2)", rows)
                return await conn.fetch("SELECT * FROM t WHERE id = ANY($1::int[])", ids)
            """),
        # An unknown `db` object with an execute method proves nothing.
        Valid("""
            def run(db, jobs):
                for job in jobs:
                    db.execute("SELECT run(?)", (job,))
            """),
        # SQL built per iteration.
        Valid("""
            def drop(cur, tables):
                for table in tables:
                    cur.execute(f"DELETE FROM {table} WHERE old = ?", (1,))
            """),
        # Per-row error handling.
        Valid("""
            import sqlite3

            def load(cur, rows):
                for row in rows:
                    try:
                        cur.execute("INSERT INTO t VALUES (?, ?)", row)
                    except sqlite3.IntegrityError:
                        pass
            """),
        # Each row is expected to fail: per-row error handling in a test.
        Valid("""
            def test_overflow(self, values):
                for value in values:
                    with self.assertRaises(OverflowError):
                        self.cur.execute("insert into test(i) values (?)", (value,))
            """),
        # An SQLAlchemy session, not a DB-API cursor.
        Valid("""
            def load(session, rows, stmt):
                for row in rows:
                    session.execute(stmt, row)
            """),
        # No parameters: nothing to batch.
        Valid("""
            def vacuum(cur, names):
                for name in names:
                    cur.execute("VACUUM")
            """),
    ]
    invalid = [
        # asyncpg: a read and a write on one connection per item (the read does not hide the write),
        # the connection entered from an @asynccontextmanager method that yields a pooled one.
        Invalid("""
            from contextlib import asynccontextmanager
            import asyncpg

            class Repo:
                def __init__(self, pool: asyncpg.Pool):
                    self.pool = pool

                @asynccontextmanager
                async def _conn(self):
                    async with self.pool.acquire() as conn:
                        yield conn

                async def refresh(self, rows):
                    async with self._conn() as conn:
                        for row in rows:
                            eta = await conn.fetchval("SELECT max(eta) FROM e WHERE t = $1", row.no)
                            await conn.execute("UPDATE s SET eta = $1 WHERE id = $2", eta, row.id)
            """, fixed=None),
        # A constant template filled in with each row's values by `%`: still one statement per row.
        Invalid("""
            def copy_ids(cursor, comments):
                for comment in comments:
                    sql = "INSERT INTO copy (id, thread_id) VALUES (%(id)d, %(id)d)"
                    cursor.execute(sql % {"id": comment.id})
            """),
        # while loops that walk a collection item by item, like a for loop: a drain and an index walk.
        Invalid("""
            import sqlite3

            def drain(conn: sqlite3.Connection, ids: list[int]):
                cur = conn.cursor()
                pending = list(ids)
                while pending:
                    item = pending.pop()
                    cur.execute("DELETE FROM t WHERE id = ?", (item,))
                i = 0
                while i < len(ids):
                    cur.execute("SELECT name FROM t WHERE id = ?", (ids[i],))
                    i += 1
            """, fixed=None),
        Invalid(
            """
            def load(conn, rows):
                cur = conn.cursor()
                for row in rows:
                    cur.execute("INSERT INTO t (a, b) VALUES (?, ?)", row)
                conn.commit()
            """,
            fixed="""
            def load(conn, rows):
                cur = conn.cursor()
                cur.executemany("INSERT INTO t (a, b) VALUES (?, ?)", rows)
                conn.commit()
            """,
        ),
        Invalid(
            """
            def load(conn, people):
                with conn.cursor() as c:
                    for person in people:
                        c.execute("UPDATE person SET age = %s WHERE id = %s", (person.age, person.id))
            """,
            fixed="""
            def load(conn, people):
                with conn.cursor() as c:
                    c.executemany("UPDATE person SET age = %s WHERE id = %s", [(person.age, person.id) for person in people])
            """,
        ),
        # A SELECT per key on a pymysql cursor: no fix, the batched query depends on what is read.
        Invalid(
            """
            import pymysql

            def prices(conn: pymysql.connections.Connection, skus):
                out = {}
                with conn.cursor() as cur:
                    for sku in skus:
                        cur.execute("SELECT price FROM price WHERE sku = %s", (sku,))
                        out[sku] = cur.fetchone()
                return out
            """,
            fixed=None,
        ),
        # A sqlite3 connection known from its annotation.
        Invalid(
            """
            import sqlite3

            def load(conn: sqlite3.Connection, rows):
                for row in rows:
                    conn.execute("INSERT INTO t (a, b) VALUES (?, ?)", (row["a"], row["b"]))
                conn.commit()
            """,
            fixed="""
            import sqlite3

            def load(conn: sqlite3.Connection, rows):
                conn.executemany("INSERT INTO t (a, b) VALUES (?, ?)", [(row["a"], row["b"]) for row in rows])
                conn.commit()
            """,
        ),
        # asyncpg on a connection from a pool stored in self.
        Invalid(
            """
            import asyncpg

            class Accounts:
                def __init__(self, pool: asyncpg.Pool):
                    self.pool = pool

                async def balances(self, ids):
                    async with self.pool.acquire() as conn:
                        return [await conn.fetchrow("SELECT balance FROM a WHERE id = $1", i) for i in ids]

                async def post(self, entries):
                    async with self.pool.acquire() as conn:
                        for account, delta in entries:
                            await conn.execute("INSERT INTO ledger VALUES ($1, $2)", account, delta)
            """,
            fixed=None,
        ),
        # psycopg2: the message names execute_values; no fix (executemany is a loop there).
        Invalid(
            """
            import psycopg2

            INSERT = "INSERT INTO t (a) VALUES (%s)"

            def load(dsn, values):
                conn = psycopg2.connect(dsn)
                cursor = conn.cursor()
                for value in values:
                    cursor.execute(INSERT, (value,))
                conn.commit()
            """,
            fixed=None,
        ),
        # The second query is keyed on the row the first one fetched for the item.
        Invalid("""
            import psycopg2

            def load(conn, ids):
                with conn.cursor() as cur:
                    for product_id in ids:
                        cur.execute("SELECT id, brand_id FROM products WHERE id = %s", (product_id,))
                        pid, brand_id = cur.fetchone()
                        cur.execute("SELECT label FROM product_tags WHERE product_id = %s", (pid,))
                        print(brand_id, cur.fetchall())
            """),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        self._parents = ParentIndex(node)
        self._skip = is_test_module(self.context.path)
        self._pandas_loops: dict = {}

    def visit_Call(self, node: cst.Call) -> None:
        call = method_call(node)
        if call is not None and call[1] == "commit" and not node.args:
            self._commit(node, call[0])
            return
        if isinstance(node.func, (cst.Attribute, cst.Name)) and self.context.qualified_name(node.func) in _PANDAS_READS:
            self._pandas_read(node)
            return
        through = None
        if call is None or call[1] not in _METHODS:
            through = self._partial_execute(node)  # ``insert(row)`` with ``insert = partial(conn.execute, SQL)``
            call = method_call(through) if through is not None else None
        if call is None or call[1] not in _METHODS or not (through or node).args:
            return
        loop = self.context.innermost_loop
        if loop is None or not walks_items(loop):
            return
        if self._skip or is_small_literal_loop(self.context, loop.node, self.context.facts.literal_names):
            return
        receiver, method = call
        kind = receiver_kind(self.context, receiver)
        asyncpg = kind in ("asyncpg-connection", "asyncpg-pool")
        if method != "execute" and not asyncpg:
            return
        if not asyncpg and not self._is_cursor(receiver, kind):
            return
        sql, params = _asyncpg_sql_and_params(through or node) if asyncpg else _sql_and_params(through or node)
        template = None
        if not asyncpg and sql is not None and params is None:
            # ``cur.execute(SQL % {"id": row.id})``: a constant template filled in per row
            template, params = self._interpolated(sql)
            if template is not None:
                sql = template
        if sql is None or params is None:
            return
        loop_node = loop.node
        if template is None and (names_in(sql) & names_bound_in_loop(loop_node) or isinstance(sql, cst.FormattedString)):
            return
        literal = _literal_text(sql)
        if literal is None and not isinstance(sql, (cst.Name, cst.Attribute)):
            return
        if not names_in(params) & per_iteration_names(loop_node) and not names_in(params) & cursor_rows_per_item(loop_node):
            return
        if literal is not None and _READ_SQL.match(literal):
            if _BATCHED_SQL.search(literal) or self._parents.off_the_item_path(node):
                return  # one IN / ANY query per chunk: batching on purpose
            self.report(node, self._read_message(receiver, method, asyncpg))
            return
        if literal is not None and not _WRITE_SQL.match(literal):
            return
        if self.in_try_inside_loop():
            return
        statement = self._statement(node)
        if statement is None:
            return  # the result is used
        # An asyncpg connection has no cursor state: each call returns its own result, so a
        # ``fetchval`` next to the ``execute`` (or the connection handed to a helper) reads nothing of it.
        if not asyncpg and _reads_cursor(loop_node, receiver, node):
            return
        if asyncpg:
            self.report(node, self._asyncpg_message(receiver, method))
            return
        psycopg2 = self.context.module_uses("psycopg2")
        message = self._message(receiver, psycopg2)
        fix = None
        if literal is not None and not psycopg2 and method == "execute" and not self._awaited(node) and through is None:
            fix = self._fix(loop_node, statement, receiver, sql, params)
        self.report(node, message, fix=fix)

    def _partial_execute(self, node: cst.Call) -> Optional[cst.Call]:
        """``run(args)`` where ``run`` (a name assigned once in the function, or ``self.run``
        assigned once in the class) is ``functools.partial(<receiver>.execute, SQL)``: the call
        it makes, ``<receiver>.execute(SQL, args)``, or None."""
        func = node.func
        if not self.context.facts.mentions("partial"):
            return None
        if isinstance(func, cst.Name):
            value = sole_value(self.context, func)
        elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            value = self._class_value(func.attr.value)
        else:
            return None
        if not (isinstance(value, cst.Call) and self.context.qualified_name(value.func) == "functools.partial"):
            return None
        if not value.args or any(arg.keyword is not None or arg.star for arg in (*value.args, *node.args)):
            return None
        method = value.args[0].value
        if not (isinstance(method, cst.Attribute) and method.attr.value in _METHODS):
            return None
        return cst.Call(func=method, args=[*value.args[1:], *node.args])

    def _class_value(self, attribute: str) -> Optional[cst.BaseExpression]:
        """The partial of an execute that ``self.<attribute>`` holds: the module assigns that
        attribute once, to such a partial (a method's piece does not see ``__init__``)."""
        values = _execute_partials(self.context.facts).get(attribute)
        if values is None or len(values) != 1 or values[0][0] != "self":
            return None
        return cst.parse_expression(ast.unparse(values[0][1]))

    def _pandas_read(self, node: cst.Call) -> None:
        """``pd.read_sql(SQL, conn, params={...})`` per item: one SELECT per item, the statement
        fixed and only its parameters changing (a query per table, spelled into the SQL, is not
        batchable and not reported)."""
        loop = self.context.innermost_loop
        if self._skip or loop is None or not walks_items(loop) or self._parents.off_the_item_path(node):
            return
        if is_small_literal_loop(self.context, loop.node, self.context.facts.literal_names):
            return
        positional = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
        keywords = {arg.keyword.value: arg.value for arg in node.args if arg.keyword is not None}
        sql = positional[0] if positional else keywords.get("sql")
        params = keywords.get("params") or (positional[3] if len(positional) > 3 else None)
        if sql is None or params is None or isinstance(sql, cst.FormattedString):
            return
        if any(isinstance(sub, cst.FormattedString) for sub in iter_nodes(sql)):
            return
        bound: set[str] = set()
        for outer in self.context.loops:
            bound |= names_bound_in_loop(outer.node)
        if names_in(sql) & bound:
            return
        if per_item_loop(self.context, [params], self._pandas_loops) is None or stops_early(loop.node, node):
            return
        self.report(
            node,
            "`read_sql(...)` runs the same SELECT once per item, a round trip each; read every item's rows with "
            "one query before the loop (`WHERE key IN (...)`/`= ANY(...)`, or an expanding `bindparam`) and split "
            "the frame with `groupby`",
        )

    def _commit(self, node: cst.Call, receiver: cst.BaseExpression) -> None:
        """``conn.commit()`` on every iteration of a loop over items that writes through the
        connection or a cursor (``cur.execute(DELETE ...)``): a transaction, and its round trip
        and disk flush, per row. A DB-API connection by kind, or by name in a module that
        imports a driver; not in a ``try`` of the loop (per-row error handling), not in a loop
        over chunks."""
        loop = self.context.innermost_loop
        if self._skip or loop is None or not isinstance(loop.node, cst.For) or not walks_items(loop):
            return
        if self.in_try_inside_loop() or is_small_literal_loop(self.context, loop.node, self.context.facts.literal_names):
            return
        if not isinstance(self._parents.expression_parent(node), cst.Expr):
            return
        kind = receiver_kind(self.context, receiver)
        if kind != "dbapi-connection":
            last = (dotted_name(receiver) or "").rpartition(".")[2]
            if kind != "unknown" or not _CONNECTION_NAME.match(last) or not any(self.context.module_uses(m) for m in _DBAPI_DRIVERS):
                return
        iterable = loop.node.iter
        if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name) and iterable.func.value == "range" and len(iterable.args) == 3:
            return  # a commit per chunk of rows
        if not self._writes_in(loop.node, node):
            return
        name = dotted_name(receiver) or "conn"
        self.report(
            node,
            f"`{name}.commit()` ends a transaction on every iteration: a round trip and a flush to disk per row; "
            f"run the loop's statements in one transaction and commit once after it",
        )

    def _writes_in(self, loop: cst.For, commit: cst.Call) -> bool:
        """The loop sends a write (``INSERT``/``UPDATE``/``DELETE``...) with ``execute`` before the commit."""
        for sub in walk_body(loop.body):
            if sub is commit:
                return False
            call = method_call(sub) if isinstance(sub, cst.Call) else None
            if call is None or call[1] != "execute":
                continue
            sql, _ = _sql_and_params(sub)
            literal = _literal_text(sql) if sql is not None else None
            if literal is not None and _WRITE_SQL.match(literal):
                return True
        return False

    def _awaited(self, node: cst.Call) -> bool:
        return isinstance(self._parents.parent(node), cst.Await)

    @staticmethod
    def _read_message(receiver: cst.BaseExpression, method: str, asyncpg: bool) -> str:
        name = f"{dotted_name(receiver) or 'connection'}.{method}()"
        batched = "`WHERE id = ANY($1)` with the list of ids" if asyncpg else (
            "`WHERE id IN (...)` (`= ANY(%s)` with psycopg) with every key"
        )
        return (
            f"`{name}` runs one SELECT per item, a round trip each; fetch the rows for all items with one query "
            f"before the loop, {batched}, and look them up in a dict"
        )

    @staticmethod
    def _asyncpg_message(receiver: cst.BaseExpression, method: str) -> str:
        name = dotted_name(receiver) or "the connection"
        return (
            f"`{name}.{method}()` runs one statement per row, a round trip each (one connection runs them one at a "
            f"time); send the rows at once with `{name}.executemany(sql, rows)` or `copy_records_to_table(...)`"
        )

    def _interpolated(self, sql: cst.BaseExpression):
        """``TEMPLATE % values`` where the template is a string literal, or a name the function
        binds only to string literals: (the literal, the values), else (None, None)."""
        if not (isinstance(sql, cst.BinaryOperation) and isinstance(sql.operator, cst.Modulo)):
            return None, None
        left = sql.left
        if isinstance(left, cst.Name):
            function = self.context.function
            values = assignments(function.node, left.value) if function is not None and function.node is not None else None
            if not values or any(_literal_text(value) is None for value in values):
                return None, None
            if len({_literal_text(value) for value in values}) != 1:
                return None, None
            left = values[0]
        if _literal_text(left) is None:
            return None, None
        return left, sql.right

    def _is_cursor(self, receiver: cst.BaseExpression, kind: str) -> bool:
        if kind in ("dbapi-connection", "dbapi-cursor"):
            return True
        if kind != "unknown" or looks_like_session(receiver):
            return False
        dotted = dotted_name(receiver)
        if dotted is None:
            return False
        last = dotted.rpartition(".")[2]
        if _CURSOR_NAME.match(last):
            return True
        if _CONNECTION_NAME.match(last) and any(self.context.module_uses(m) for m in _DBAPI_DRIVERS):
            return True  # ``conn.execute(...)`` in a module that imports a DB-API driver
        function = self.context.function
        if function is None or function.node is None or not isinstance(receiver, cst.Name):
            return False
        return receiver.value in _cursor_bindings(function.node, self.context)

    def _statement(self, node: cst.Call) -> Optional[cst.SimpleStatementLine]:
        """The statement line when the call (or ``await`` of it) is a whole expression statement."""
        parent = self._parents.parent(node)
        if isinstance(parent, cst.Await):
            parent = self._parents.parent(parent)
        if not isinstance(parent, cst.Expr):
            return None
        line = self._parents.parent(parent)
        return line if isinstance(line, cst.SimpleStatementLine) else None

    @staticmethod
    def _message(receiver: cst.BaseExpression, psycopg2: bool) -> str:
        name = dotted_name(receiver)
        if psycopg2:
            return (
                f"`{name}.execute()` runs once per row; psycopg2's `executemany()` is itself such a loop, "
                "so send the rows in one statement with `psycopg2.extras.execute_values()` "
                "(or `execute_batch()`)"
            )
        return (
            f"`{name}.execute()` runs once per row; send the rows in one batch with `{name}.executemany(sql, rows)` "
            "(with psycopg2, whose executemany is a loop, use `psycopg2.extras.execute_values()`)"
        )

    def _fix(self, loop_node: cst.For, statement, receiver, sql, params) -> Optional[FixSpec]:
        if not isinstance(loop_node, cst.For) or loop_node.asynchronous is not None:
            return None  # a comprehension, or a while loop walking a collection
        body = loop_node.body
        if not isinstance(body, cst.IndentedBlock) or len(body.body) != 1 or body.body[0] is not statement:
            return None
        if len(statement.body) != 1 or loop_node.orelse is not None:
            return None
        function = self.context.function
        if function is None or function.node is None:
            return None
        targets = names_in(loop_node.target)
        outside = names_outside(function.node, loop_node)
        if targets & outside or _reads_counters(function.node, receiver):
            return None
        module = cst.Module([])
        iterable = loop_node.iter
        if isinstance(params, cst.Name) and isinstance(loop_node.target, cst.Name) and params.value == loop_node.target.value:
            rows = module.code_for_node(iterable)
        else:
            source = module.code_for_node(iterable)
            if isinstance(iterable, cst.Tuple) and not iterable.lpar:
                source = f"({source})"
            rows = f"[{module.code_for_node(params)} for {module.code_for_node(loop_node.target)} in {source}]"
        call = f"{module.code_for_node(receiver)}.executemany({module.code_for_node(sql)}, {rows})"
        replacement = cst.SimpleStatementLine(
            body=[cst.Expr(cst.parse_expression(call))],
            leading_lines=loop_node.leading_lines,
        )
        return FixSpec("Replace the loop with one executemany() call", {loop_node: replacement})


def _sql_and_params(node: cst.Call):
    positional = [a for a in node.args if a.keyword is None and not a.star]
    keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
    if any(a.star for a in node.args):
        return None, None
    sql = positional[0].value if positional else keywords.get("sql") or keywords.get("query") or keywords.get("operation")
    params = positional[1].value if len(positional) > 1 else (
        keywords.get("params") or keywords.get("parameters") or keywords.get("args") or keywords.get("vars")
    )
    return sql, params


def _asyncpg_sql_and_params(node: cst.Call):
    """asyncpg passes the query's arguments positionally: ``conn.fetchrow(sql, a, b)``."""
    if any(a.star for a in node.args):
        return None, None
    positional = [a.value for a in node.args if a.keyword is None]
    if len(positional) < 2:
        return None, None
    return positional[0], cst.Tuple([cst.Element(value) for value in positional[1:]])


def _literal_text(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = _literal_text(node.left), _literal_text(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _reads_cursor(loop_node: cst.For, receiver: cst.BaseExpression, call: Optional[cst.Call] = None) -> bool:
    """True when the loop body uses the cursor for anything but ``execute``.

    With ``call``, only a use that can read ``call``'s result counts: one reached after it,
    going round the loop, before an ``execute`` on the same cursor written as a plain
    statement of the loop body (``cur.execute(SELECT); cur.fetchone(); cur.execute(UPSERT)``:
    the fetch reads the SELECT, the UPSERT's result is never read)."""
    wanted = dotted_name(receiver)
    body = loop_node.body
    plain: set[int] = set()  # nodes of the body's own simple statements (run on every iteration)
    for statement in getattr(body, "body", ()):
        if isinstance(statement, cst.SimpleStatementLine):
            plain.update(id(node) for node in walk_body(statement))
    events: list[tuple[str, cst.CSTNode]] = []
    for node in walk_body(body):
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "execute":
            if dotted_name(node.func.value) == wanted:
                events.append(("execute", node))
                continue
        if isinstance(node, cst.Attribute) and dotted_name(node.value) == wanted and node.attr.value != "execute":
            events.append(("read", node))
        elif isinstance(node, (cst.For, cst.CompFor)) and dotted_name(node.iter) == wanted:
            events.append(("read", node))
        elif isinstance(node, cst.Arg) and dotted_name(node.value) == wanted:
            events.append(("read", node))  # handed to a function that may read it
    reads = [node for what, node in events if what == "read"]
    if call is None or not reads:
        return bool(reads)
    position = next((i for i, (_, node) in enumerate(events) if node is call), None)
    if position is None:
        return True
    for step in range(1, len(events)):
        what, node = events[(position + step) % len(events)]
        if what == "read":
            return True
        if id(node) in plain:
            return False  # another execute on the cursor comes first: the reads are its own
    return False


def _reads_counters(function: cst.CSTNode, receiver: cst.BaseExpression) -> bool:
    wanted = dotted_name(receiver)
    return any(
        isinstance(node, cst.Attribute) and node.attr.value in ("rowcount", "lastrowid") and dotted_name(node.value) == wanted
        for node in iter_nodes(function)
    )


def _cursor_bindings(function: cst.CSTNode, context) -> set[str]:
    """Names bound to ``x.cursor()`` or ``sqlite3.connect(...)`` in the function (``with ... as`` too)."""
    names: set[str] = set()
    for node in iter_nodes(function):
        value = target = None
        if isinstance(node, cst.Assign) and len(node.targets) == 1:
            value, target = node.value, node.targets[0].target
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            value, target = node.item, node.asname.name
        if not isinstance(target, cst.Name) or not isinstance(value, cst.Call):
            continue
        call = method_call(value)
        if (call is not None and call[1] == "cursor") or context.call_name(value) == "sqlite3.connect":
            names.add(target.value)
    return names
