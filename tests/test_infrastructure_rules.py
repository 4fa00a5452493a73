"""Level-5 rules (and the executemany fix) beyond their own examples: which
functions count as request handlers, how names resolve through imports, and
fixes that are run before and after to show they keep behaviour."""

from __future__ import annotations

import sqlite3
import textwrap

import pytest

from perflint.autofix import fix_text
from perflint.engine import lint_source
from perflint.rules import rule_by_code


def codes(source: str, path: str = "example.py", code: str | None = None) -> list[tuple[int, str]]:
    rules = [rule_by_code(code)] if code else [rule_by_code(c) for c in ("PF501", "PF502", "PF503", "PF504")]
    return [(f.line, f.code) for f in lint_source(textwrap.dedent(source).lstrip("\n"), path, rules=rules)]


HANDLER_BODY = """
    session = requests.Session()
    return session.get("https://example.org").text
"""


@pytest.mark.parametrize(
    "header",
    [
        '@app.route("/x")\ndef view():',
        '@app.get("/x")\nasync def view():',
        '@router.post("/items/{item_id}")\ndef view(item_id: int):',
        '@bp.route("/x", methods=["POST"])\ndef view():',
        '@api_view(["GET"])\ndef view(request):',
    ],
)
def test_route_decorators_make_a_request_handler(header):
    source = "import requests\nfrom rest_framework.decorators import api_view\n\n" + header + HANDLER_BODY
    assert codes(source, code="PF502") == [(len(header.splitlines()) + 4, "PF502")]


def test_django_views_are_handlers_only_in_views_modules():
    source = "import requests\n\ndef view(request):" + HANDLER_BODY
    assert codes(source, "shop/views.py", "PF502") == [(4, "PF502")]
    assert codes(source, "shop/views/orders.py", "PF502") == [(4, "PF502")]
    assert codes(source, "shop/helpers.py", "PF502") == []
    method = "import requests\n\nclass Orders(View):\n    def get(self, request):\n        session = requests.Session()\n        return session.get('u')\n"
    assert codes(method, "shop/views.py", "PF502") == [(5, "PF502")]


def test_a_decorator_that_is_not_a_route_does_not_make_a_handler():
    source = "import requests\n\n@functools.cache\ndef client():\n    session = requests.Session()\n    return session.get('u')\n"
    assert codes(source, code="PF502") == []


def test_aliases_resolve_and_shadowing_names_do_not():
    aliased = """
        import concurrent.futures as cf
        import httpx as h
        from redis import Redis as R

        def run(items, batches):
            for item in items:
                R(host="cache").incr(item)
                h.Client().get(item)
            for batch in batches:
                with cf.ProcessPoolExecutor() as pool:
                    list(pool.map(abs, batch))
        """
    assert codes(aliased) == [(7, "PF503"), (8, "PF502"), (10, "PF501")]
    shadowed = """
        import httpx

        def run(items, httpx):
            for item in items:
                httpx.Client().get(item)
        """
    assert codes(shadowed) == []


def test_a_client_kept_after_the_loop_is_not_flagged():
    source = """
        import requests

        def last(urls):
            for url in urls:
                session = requests.Session()
                session.get(url)
            return session
        """
    assert codes(source) == []


def test_a_connection_handed_to_a_helper_is_still_per_iteration_but_one_stored_is_not():
    handed = """
        import psycopg2

        def load(items, dsn):
            for item in items:
                conn = psycopg2.connect(dsn)
                write(conn, item)
        """
    stored = """
        import psycopg2

        def open_all(items, dsn, pool):
            for item in items:
                conn = psycopg2.connect(dsn)
                pool.append(conn)
        """
    assert codes(handed) == [(5, "PF503")]
    assert codes(stored) == []


# --- fixes, run before and after -------------------------------------------------------------


def _run(source: str, entry: str, *args):
    namespace: dict = {}
    exec(compile(source, "example.py", "exec"), namespace)
    return namespace[entry](*args)


def test_executor_hoist_keeps_results():
    source = textwrap.dedent("""
        from concurrent.futures import ThreadPoolExecutor

        def run(batches):
            done = []
            for batch in batches:
                with ThreadPoolExecutor(max_workers=2) as pool:
                    squares = list(pool.map(lambda x: x * x, batch))
                done.append(sum(squares))
            return done
        """)
    fixed, applied = fix_text(source, "example.py", rules=[rule_by_code("PF501")])
    assert applied == 1 and fixed != source
    assert "    with ThreadPoolExecutor(max_workers=2) as pool:\n        for batch in batches:" in fixed
    batches = [[1, 2], [3], [], [4, 5, 6]]
    assert _run(fixed, "run", batches) == _run(source, "run", batches) == [5, 9, 0, 77]


def test_asyncio_run_fix_awaits_in_the_same_order():
    source = textwrap.dedent("""
        import asyncio

        def crawl(items, seen):
            for item in items:
                asyncio.run(visit(item, seen))
            return seen

        async def visit(item, seen):
            await asyncio.sleep(0)
            seen.append(item)
        """)
    fixed, applied = fix_text(source, "example.py", unsafe=True, rules=[rule_by_code("PF504")])
    assert applied == 1 and "asyncio.run(_run_all())" in fixed
    assert _run(fixed, "crawl", [3, 1, 2], []) == _run(source, "crawl", [3, 1, 2], []) == [3, 1, 2]
    # Without --unsafe-fixes nothing changes.
    assert fix_text(source, "example.py", rules=[rule_by_code("PF504")]) == (source, 0)


def test_executemany_fix_writes_the_same_rows():
    source = textwrap.dedent("""
        def load(conn, people):
            cur = conn.cursor()
            for person in people:
                cur.execute("INSERT INTO person (name, age) VALUES (?, ?)", (person["name"], person["age"] + 1))
            conn.commit()
        """)
    fixed, applied = fix_text(source, "example.py", rules=[rule_by_code("PF206")])
    assert applied == 1 and "executemany" in fixed and "for person in people:" not in fixed.split("cur.executemany")[0]
    people = [{"name": "ada", "age": 36}, {"name": "alan", "age": 41}]

    def rows(code):
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE TABLE person (name TEXT, age INTEGER)")
        _run(code, "load", conn, people)
        return conn.execute("SELECT name, age FROM person ORDER BY rowid").fetchall()

    assert rows(fixed) == rows(source) == [("ada", 37), ("alan", 42)]


def test_asyncio_run_in_a_test_module_is_left_alone():
    source = "import asyncio\n\ndef check(cases):\n    for case in cases:\n        asyncio.run(case())\n"
    assert codes(source, "pkg/runner.py", "PF504") == [(5, "PF504")]
    assert codes(source, "tests/test_runner.py", "PF504") == []
    assert codes(source, "pkg/runner_test.py", "PF504") == []
