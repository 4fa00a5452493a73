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


PER_CALL_POSITIVES = [
    (
        """
        from celery import shared_task
        import boto3

        @shared_task
        def email(invoice_id):
            client = boto3.client("ses")
            client.send_email(Source="a")
        """,
        "PF502",
    ),
    (
        """
        import redis.asyncio as aioredis
        from fastapi import Depends, FastAPI

        app = FastAPI()

        async def get_redis():
            client = aioredis.from_url(URL)
            try:
                yield client
            finally:
                await client.aclose()

        @app.get("/c")
        async def c(r=Depends(get_redis)):
            return await r.get("c")
        """,
        "PF503",
    ),
    (
        """
        from sqlalchemy import create_engine
        from sqlalchemy.orm import sessionmaker
        from fastapi import Depends

        def get_db():
            factory = sessionmaker(bind=create_engine(URL))
            db = factory()
            yield db

        def route(db=Depends(get_db)):
            return db
        """,
        "PF503",
    ),
    (
        """
        import grpc

        def quote(sku):
            channel = grpc.insecure_channel(ADDR)
            reply = Stub(channel).Quote(sku)
            channel.close()
            return reply

        def quote_all(skus):
            return [quote(s) for s in skus]
        """,
        "PF502",
    ),
    (
        """
        import asyncpg
        from fastapi import FastAPI

        app = FastAPI()

        @app.get("/o/{oid}")
        async def order(oid: int):
            conn = await asyncpg.connect(DSN)
            try:
                return await conn.fetchrow("SELECT 1", oid)
            finally:
                await conn.close()
        """,
        "PF503",
    ),
    (
        """
        import psycopg2

        def counts(dsn, schemas):
            out = {}
            for schema in schemas:
                conn = psycopg2.connect(dsn)
                with conn, conn.cursor() as cur:
                    cur.execute("SELECT 1")
                    out[schema] = cur.fetchone()
                conn.close()
            return out
        """,
        "PF503",
    ),
    (
        """
        from concurrent.futures import ProcessPoolExecutor

        def render(batch):
            with ProcessPoolExecutor() as pool:
                return list(pool.map(work, batch))

        def render_all(batches):
            return sum(len(render(b)) for b in batches)
        """,
        "PF501",
    ),
    (
        """
        import asyncio

        def push(updates):
            for u in updates:
                loop = asyncio.new_event_loop()
                try:
                    loop.run_until_complete(send(u))
                finally:
                    loop.close()
        """,
        "PF504",
    ),
]


@pytest.mark.parametrize(("source", "code"), PER_CALL_POSITIVES)
def test_clients_built_per_call_of_repeated_code_are_found(source, code):
    assert [c for _, c in codes(source)] == [code]


PER_CALL_NEGATIVES = [
    # Module-level client; lru_cache factory; a pool given to Redis; SessionLocal from a module sessionmaker.
    "import boto3\nfrom celery import shared_task\nses = boto3.client('ses')\n@shared_task\ndef t():\n    ses.send_email()\n",
    "import functools\nfrom google.cloud import storage\n@functools.lru_cache(maxsize=1)\ndef client():\n    return storage.Client()\n"
    "def up(names):\n    for n in names:\n        client().bucket('b').blob(n)\n",
    "import redis\nfrom django.http import JsonResponse\nPOOL = redis.ConnectionPool()\ndef v(request):\n"
    "    r = redis.Redis(connection_pool=POOL)\n    return JsonResponse({'n': r.get('n')})\n",
    # A lazily created client cached on self; an AsyncClient made in the lifespan.
    "import aiohttp\nclass W:\n    async def session(self):\n        if self._s is None:\n            self._s = aiohttp.ClientSession()\n"
    "        return self._s\n    async def many(self, xs):\n        return [await self.session() for x in xs]\n",
    "import httpx\nfrom contextlib import asynccontextmanager\nfrom fastapi import FastAPI\n@asynccontextmanager\n"
    "async def lifespan(app):\n    app.state.http = httpx.AsyncClient()\n    yield\n    await app.state.http.aclose()\n"
    "app = FastAPI(lifespan=lifespan)\n",
    # One connection around the loop; one connection per tenant DSN; a client built once in main().
    "import smtplib\ndef send(msgs):\n    with smtplib.SMTP(HOST) as s:\n        for m in msgs:\n            s.send_message(m)\n",
    "import psycopg2\ndef export(tenants):\n    for t in tenants:\n        conn = psycopg2.connect(t['dsn'])\n        conn.close()\n",
    "import httpx\ndef main():\n    client = httpx.Client()\n    for u in URLS:\n        client.get(u)\nif __name__ == '__main__':\n    main()\n",
    # asyncio.run(main()) once; a helper called per item but handed its connection.
    "import asyncio\nasync def main():\n    pass\nif __name__ == '__main__':\n    asyncio.run(main())\n",
    "import psycopg2\ndef one(dsn, x):\n    conn = psycopg2.connect(dsn)\n    conn.close()\ndef many(dsn, xs):\n    for x in xs:\n        one(dsn, x)\n",
    # A cache lookup returns early: the client is built on a miss only.
    "import httpx\nCACHE = {}\nasync def view(name):\n    if name in CACHE:\n        return CACHE[name]\n"
    "    async with httpx.AsyncClient() as c:\n        CACHE[name] = (await c.get(name)).json()\n    return CACHE[name]\n"
    "async def views(names):\n    return [await view(n) for n in names]\n",
    # sqlite3 per request is SQLite's own advice: only loops count.
    "import sqlite3\nfrom flask import Flask\napp = Flask(__name__)\n@app.get('/x')\ndef x():\n"
    "    conn = sqlite3.connect(DB)\n    return conn.execute('SELECT 1').fetchone()\n",
]


@pytest.mark.parametrize("source", PER_CALL_NEGATIVES)
def test_look_alikes_of_per_call_clients_stay_silent(source):
    assert codes(source) == []


ROUND2_POSITIVES = [
    # A dependency named only in an ``Annotated[...]`` annotation.
    (
        """
        from typing import Annotated
        import redis
        from fastapi import Depends, FastAPI
        app = FastAPI()
        def get_cache():
            return redis.from_url("redis://cache")
        @app.get("/x")
        def x(cache: Annotated[redis.Redis, Depends(get_cache)]):
            return cache.get("x")
        """,
        "PF503",
    ),
    # A function whose own parameters are injected: only FastAPI calls it, per request.
    (
        """
        from fastapi import Depends
        import httpx
        def settings():
            return {}
        def get_client(s=Depends(settings)):
            client = httpx.Client(base_url="https://api.example.com")
            return client
        """,
        "PF502",
    ),
    # Settings injected from an lru_cache'd factory are the same object on every request.
    (
        """
        from functools import lru_cache
        from typing import Annotated
        import asyncpg
        from fastapi import Depends, FastAPI
        app = FastAPI()
        @lru_cache
        def get_settings():
            return Settings()
        @app.get("/o/{oid}")
        async def order(oid: int, settings: Annotated[Settings, Depends(get_settings)]):
            conn = await asyncpg.connect(settings.dsn)
            return await conn.fetchrow("SELECT 1")
        """,
        "PF503",
    ),
    # A method of a parameter's class, called in a comprehension, connects with settings fixed in __init__.
    (
        """
        import psycopg2
        class Repo:
            def __init__(self, dsn=DSN):
                self.dsn = dsn
            def one(self, uid):
                conn = psycopg2.connect(self.dsn)
                conn.close()
        def many(repo: Repo, uids):
            return [repo.one(u) for u in uids]
        """,
        "PF503",
    ),
    # A queue drained item by item.
    (
        """
        import asyncio
        def drain(q):
            while not q.empty():
                job = q.get()
                loop = asyncio.new_event_loop()
                try:
                    loop.run_until_complete(run(job))
                finally:
                    loop.close()
        """,
        "PF504",
    ),
]


@pytest.mark.parametrize(("source", "code"), ROUND2_POSITIVES)
def test_round2_per_call_shapes_are_found(source, code):
    assert [c for _, c in codes(source)] == [code]


ROUND2_NEGATIVES = [
    # One AMQP connection per task, its channel serving the whole batch.
    "import pika\nfrom celery import shared_task\n@shared_task\ndef fan(msgs):\n    conn = pika.BlockingConnection(P)\n"
    "    ch = conn.channel()\n    for m in msgs:\n        ch.basic_publish(exchange='e', routing_key='k', body=m)\n    conn.close()\n",
    # One SSH connection per task, its SFTP session serving the batch.
    "import paramiko\nfrom celery import shared_task\n@shared_task\ndef push(paths):\n    ssh = paramiko.SSHClient()\n"
    "    ssh.connect(HOST)\n    with ssh.open_sftp() as sftp:\n        for p in paths:\n            sftp.put(p, p)\n    ssh.close()\n",
    # Settings that a method changes after __init__ may differ per call.
    "import psycopg2\nclass Repo:\n    def __init__(self):\n        self.dsn = DSN\n    def use(self, t):\n        self.dsn = t\n"
    "    def one(self, uid):\n        conn = psycopg2.connect(self.dsn)\n        conn.close()\n"
    "def many(repo: Repo, uids):\n    return [repo.one(u) for u in uids]\n",
    # An injected parameter from a factory that is not cached varies per request.
    "from fastapi import Depends, FastAPI\nimport asyncpg\napp = FastAPI()\ndef tenant_dsn(request):\n    return request.headers['x']\n"
    "@app.get('/x')\nasync def x(dsn=Depends(tenant_dsn)):\n    conn = await asyncpg.connect(dsn)\n    return await conn.fetchval('SELECT 1')\n",
]


@pytest.mark.parametrize("source", ROUND2_NEGATIVES)
def test_round2_look_alikes_stay_silent(source):
    assert codes(source) == []


# Round 3 of the hold-out set: Flask request hooks run per request, and an object stored on
# Flask's request-scoped ``g`` is dropped with the request.
def test_flask_request_hooks_are_request_handlers():
    source = """
    import redis
    from flask import Flask, g

    app = Flask(__name__)

    @app.before_request
    def open_cache():
        g.cache = redis.Redis(host="localhost")

    @app.teardown_request
    def close(exc):
        redis.Redis(host="localhost").incr("requests")
    """
    assert codes(source, code="PF503") == [(8, "PF503"), (12, "PF503")]


@pytest.mark.parametrize(
    "source",
    [
        # A hook decorator in a module without a web framework: not known to run per request.
        """
        import redis
        from hooks import app

        @app.before_request
        def open_cache():
            return redis.Redis(host="localhost").ping()
        """,
        # A hook that borrows from a module-level pool.
        """
        import redis
        from flask import Flask, g

        app = Flask(__name__)
        POOL = redis.ConnectionPool(host="localhost")

        @app.before_request
        def open_cache():
            g.cache = redis.Redis(connection_pool=POOL)
        """,
        # Stored on a module-level object (a cache kept across requests), not on ``g``.
        """
        import redis
        from flask import Flask

        app = Flask(__name__)
        state = type("State", (), {})()

        @app.before_request
        def open_cache():
            state.cache = redis.Redis(host="localhost")
        """,
        # ``g`` outside a handler: a function nobody calls repeatedly.
        """
        import redis
        from flask import g

        def cache():
            g.cache = redis.Redis(host="localhost")
            return g.cache
        """,
    ],
)
def test_flask_hook_look_alikes_stay_silent(source):
    assert codes(source) == []


# Round 4 of the hold-out set: entry points Django and RQ call per event (signal receivers,
# template tags, admin columns, RQ jobs), callbacks handed to per-item methods (``pool.map``,
# pandas ``apply``), ``obj[i]`` / a property read in a loop, a guard's bare ``return``.
ROUND4_POSITIVES = [
    (
        """
        import boto3
        from django.db.models.signals import post_save
        from django.dispatch import receiver
        @receiver(post_save, sender=Review)
        def announce(sender, instance, created, **kwargs):
            if not created:
                return
            boto3.client("sns").publish(TopicArn=ARN, Message=str(instance.pk))
        """,
        "PF502",
    ),
    (
        """
        import redis
        from django import template
        register = template.Library()
        @register.simple_tag
        def stock(sku):
            return redis.Redis(host="cache").get(sku)
        """,
        "PF503",
    ),
    (
        """
        from django.contrib import admin
        from pymongo import MongoClient
        class ShipmentAdmin(admin.ModelAdmin):
            list_display = ("ref", "hits")
            def hits(self, obj):
                return MongoClient(URI).db.events.count_documents({"ref": obj.ref})
        """,
        "PF503",
    ),
    (
        """
        import psycopg2
        from rq.decorators import job
        @job("ledger", connection=conn)
        def post_entry(entry_id):
            db = psycopg2.connect(DSN)
            db.cursor().execute("SELECT 1")
        """,
        "PF503",
    ),
    (
        """
        import httpx
        def country(ip):
            with httpx.Client(base_url=GEO) as client:
                return client.get(ip).json()
        def enrich(frame):
            frame["country"] = frame["ip"].apply(country)
        """,
        "PF502",
    ),
    (
        """
        import boto3
        from concurrent.futures import ThreadPoolExecutor
        def upload(path):
            boto3.client("s3").upload_file(path, BUCKET, path)
        def upload_all(paths):
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(upload, paths))
        """,
        "PF502",
    ),
    (
        """
        import sqlite3
        class Book:
            def __getitem__(self, i):
                db = sqlite3.connect(PATH)
                return db.execute("SELECT 1").fetchone()
        def rows(book: Book, n):
            return [book[i] for i in range(n)]
        """,
        "PF503",
    ),
    (
        """
        import requests
        class Gateway:
            @property
            def http(self):
                s = requests.Session()
                return s
            def prices(self, skus):
                return [self.http.get(URL + sku).json() for sku in skus]
        """,
        "PF502",
    ),
]


@pytest.mark.parametrize(("source", "code"), ROUND4_POSITIVES)
def test_round4_per_call_shapes_are_found(source, code):
    assert [c for _, c in codes(source)] == [code]


ROUND4_NEGATIVES = [
    # A receiver of a signal sent once per migration run.
    "import redis\nfrom django.db.models.signals import post_migrate\nfrom django.dispatch import receiver\n"
    "@receiver(post_migrate)\ndef warm(sender, **kwargs):\n    redis.Redis(host='c').flushdb()\n",
    # ``filter`` of an object that is no template library.
    "import redis\nfrom django.conf import settings\nfrom mylib import register\n"
    "@register.filter\ndef stock(sku):\n    return redis.Redis(host='c').get(sku)\n",
    # An admin method that is no column (nor a view): not known to run per row.
    "from django.contrib import admin\nfrom pymongo import MongoClient\nclass A(admin.ModelAdmin):\n"
    "    list_display = ('ref',)\n    def archive_all(self, objs):\n"
    "        MongoClient(URI).db.a.insert_many([{'r': o.ref} for o in objs])\n",
    # ``pool.apply(f, args)`` runs f once; ``map`` over a literal is bounded.
    "import boto3\ndef upload(path):\n    boto3.client('s3').upload_file(path, B, path)\n"
    "def one(pool, p):\n    pool.apply(upload, (p,))\n    pool.map(upload, ['a', 'b'])\n",
    # A thread-local client stored on first use and reused by every item of ``pool.map``.
    "import threading\nimport boto3\n_local = threading.local()\ndef client():\n    c = getattr(_local, 's3', None)\n"
    "    if c is None:\n        c = _local.s3 = boto3.session.Session().client('s3')\n    return c\n"
    "def up(p):\n    client().upload_file(p, B, p)\ndef all(pool, ps):\n    list(pool.map(up, ps))\n",
    # A cached property builds once per instance; a plain property read once is no loop.
    "from functools import cached_property\nimport requests\nclass G:\n    @cached_property\n    def http(self):\n"
    "        s = requests.Session()\n        return s\n    @property\n    def raw(self):\n        s = requests.Session()\n        return s\n"
    "    def prices(self, skus):\n        h = self.raw\n        return [self.http.get(u).json() for u in skus] + [h.get(u) for u in skus]\n",
    # A guard that returns a cached value may skip the construction.
    "import redis\nfrom rq.decorators import job\n_c = {}\n@job('q')\ndef hit(k):\n    if k in _c:\n        return _c[k]\n"
    "    return redis.Redis(host='c').get(k)\n",
]


@pytest.mark.parametrize("source", ROUND4_NEGATIVES)
def test_round4_look_alikes_stay_silent(source):
    assert codes(source) == []


def test_a_factory_whose_callers_drop_the_connection_is_per_call():
    # ``get_conn()`` returns a new connection; every caller uses it and drops it, and the
    # callers run per request or per item, so each call opens a connection.
    source = """
    import psycopg2
    from flask import Flask

    app = Flask(__name__)

    def get_conn():
        return psycopg2.connect(DSN)

    @app.route("/a")
    def a():
        conn = get_conn()
        conn.cursor().execute("SELECT 1")
        conn.close()
        return "ok"

    def mark(ids):
        for i in ids:
            get_conn().cursor().execute("UPDATE t SET done = true WHERE id = %s", (i,))
    """
    assert codes(source, code="PF503") == [(7, "PF503")]


@pytest.mark.parametrize(
    "callers",
    [
        # The connections fill a pool.
        "def fill(n):\n    return [get_conn() for _ in range(n)]\n",
        # A caller hands the connection back to its own caller.
        "def pair(ids):\n    for i in ids:\n        db = get_conn()\n        keep(db.cursor())\n    return db\n"
        "def pairs(ids):\n    return [pair(ids) for _ in ids]\n",
        # Also built once at module level: a shared connection.
        "CONN = get_conn()\ndef mark(ids):\n    for i in ids:\n        get_conn().cursor().execute('SELECT 1')\n",
        # Stored on a module cache by a ``global`` statement.
        "_c = None\ndef shared():\n    global _c\n    _c = get_conn()\n    _c.cursor()\n"
        "def mark(ids):\n    return [shared() for i in ids]\n",
        # Cached by streamlit.
        "def run(ids):\n    return [cached_conn().cursor() for i in ids]\n",
    ],
)
def test_a_factory_whose_connection_is_kept_stays_silent(callers):
    source = (
        "import psycopg2\nimport streamlit as st\ndef get_conn():\n    return psycopg2.connect(DSN)\n"
        "@st.cache_resource\ndef cached_conn():\n    return psycopg2.connect(DSN)\n" + callers
    )
    assert codes(source, code="PF503") == []


ROUND5_POSITIVES = [
    # Django generic views: ``get_queryset`` / ``get_context_data`` / ``form_valid`` run per request.
    (
        """
        from django.views.generic import ListView
        from elasticsearch import Elasticsearch
        class Search(ListView):
            def get_queryset(self):
                return Elasticsearch(URL).search(index="t", q=self.request.GET["q"])
        """,
        "PF503",
    ),
    # A Flask-RESTful resource's verb.
    (
        """
        import boto3
        from flask_restful import Resource
        class Receipt(Resource):
            def get(self, rid):
                return boto3.client("s3").head_object(Bucket=B, Key=rid)
        """,
        "PF502",
    ),
    # Tornado builds a handler per request: ``prepare`` storing on ``self`` is per request.
    (
        """
        import tornado.web
        from pymongo import MongoClient
        class Reviews(tornado.web.RequestHandler):
            def prepare(self):
                self.mongo = MongoClient(URI)
            def get(self, sku):
                self.write(self.mongo.db.r.find_one({"sku": sku}))
        """,
        "PF503",
    ),
    # A Falcon responder.
    (
        """
        import falcon
        import psycopg2
        class Ledger:
            def on_get(self, req, resp, account):
                conn = psycopg2.connect(DSN)
                resp.media = conn.cursor().execute("SELECT 1")
        """,
        "PF503",
    ),
    # A Pyramid view class: ``__call__`` runs per request.
    (
        """
        from elasticsearch import Elasticsearch
        from pyramid.view import view_config
        @view_config(route_name="search", renderer="json")
        class SearchView:
            def __init__(self, request):
                self.request = request
            def __call__(self):
                return Elasticsearch(URL).search(index="p", q=self.request.params["q"])
        """,
        "PF503",
    ),
    # Class-based Celery tasks: ``run`` of a ``Task`` subclass or of ``app.Task``.
    (
        """
        from celery import Task
        from kafka import KafkaProducer
        class Transcode(Task):
            def run(self, asset_id):
                KafkaProducer(bootstrap_servers=BROKERS).send("t", str(asset_id).encode())
        """,
        "PF502",
    ),
    (
        """
        import grpc
        from celery import Celery
        app = Celery("media")
        class Probe(app.Task):
            def run(self, url):
                channel = grpc.insecure_channel("probe:50051")
                return channel.unary_unary("/p/Check")(url.encode())
        """,
        "PF502",
    ),
]


@pytest.mark.parametrize(("source", "code"), ROUND5_POSITIVES)
def test_round5_class_based_handlers_are_found(source, code):
    assert [c for _, c in codes(source)] == [code]


ROUND5_NEGATIVES = [
    # ``get_queryset`` of a class that is no view; a generic view reading a module client.
    "from django.conf import settings\nfrom elasticsearch import Elasticsearch\nclass Finder:\n"
    "    def get_queryset(self):\n        return Elasticsearch(URL).search(index='t')\n",
    # A Tornado handler handed a shared client in ``initialize``.
    "import tornado.web\nclass H(tornado.web.RequestHandler):\n    def initialize(self, http):\n        self.http = http\n"
    "    async def get(self, s):\n        self.write((await self.http.get(s)).json())\n",
    # ``run`` of a class that is no Celery task; a task's lazily cached client.
    "import boto3\nfrom celery import Task\nclass Job:\n    def run(self, k):\n        boto3.client('s3').head_object(Bucket=B, Key=k)\n"
    "class Thumb(Task):\n    _s3 = None\n    @property\n    def s3(self):\n        if self._s3 is None:\n"
    "            self._s3 = boto3.client('s3')\n        return self._s3\n    def run(self, k):\n        self.s3.head_object(Bucket=B, Key=k)\n",
    # ``on_get`` outside a falcon module (a GUI callback); a Falcon resource using its pool.
    "import psycopg2\nclass Panel:\n    def on_get(self, req, resp):\n        psycopg2.connect(DSN).close()\n",
    # ``__call__`` of a class without ``@view_config``.
    "from elasticsearch import Elasticsearch\nfrom pyramid.view import view_config\nclass Search:\n"
    "    def __call__(self):\n        return Elasticsearch(URL).search(index='p')\n",
]


@pytest.mark.parametrize("source", ROUND5_NEGATIVES)
def test_round5_look_alikes_stay_silent(source):
    assert codes(source) == []


ROUND5_LAYERED_POSITIVES = [
    # A factory method of a module-level container, its product used once per item.
    (
    """
    import smtplib
    class Container:
        def mailer(self):
            return smtplib.SMTP(HOST)
    container = Container()
    def digest(users):
        for user in users:
            container.mailer().send_message(build(user))
    """,
    "PF502",
    ),
    (
    # ``self.repo.get(i)`` with ``self.repo`` an annotated ``__init__`` parameter; the repository
    # opens a connection in a factory method used in a ``with``.
    """
    import psycopg2
    class Repo:
        def __init__(self, dsn):
            self.dsn = dsn
        def _connection(self):
            return psycopg2.connect(self.dsn)
        def get(self, ident):
            with self._connection() as conn:
                return conn.cursor().execute("SELECT 1")
    class Service:
        def __init__(self, repo: Repo):
            self.repo = repo
        def totals(self, ids):
            return [self.repo.get(i) for i in ids]
    """, "PF503"),
    (
    # A method inherited from a mixin of the module, called per item.
    """
    from pymongo import MongoClient
    class CRUDMixin:
        def get(self, ident):
            client = MongoClient(URI)
            return client.db.items.find_one({"_id": ident})
    class Items(CRUDMixin):
        def load(self, ids):
            return [self.get(i) for i in ids]
    """, "PF503"),
]


@pytest.mark.parametrize(("source", "code"), ROUND5_LAYERED_POSITIVES)
def test_round5_layered_factories_are_found(source, code):
    assert [c for _, c in codes(source)] == [code]


ROUND5_LAYERED_NEGATIVES = [
    # The factory method's product is kept by a caller (a pool being filled).
    "import psycopg2\nclass Repo:\n    def _connection(self):\n        return psycopg2.connect(DSN)\n"
    "    def fill(self, n):\n        self.conns = [self._connection() for _ in range(n)]\n"
    "    def get(self, i):\n        with self._connection() as c:\n            return c.cursor()\n"
    "def load(repo: Repo, ids):\n    return [repo.get(i) for i in ids]\n",
    # ``container`` rebound: not one instance of the class.
    "import smtplib\nclass Container:\n    def mailer(self):\n        return smtplib.SMTP(HOST)\n"
    "container = Container()\ncontainer = make()\ndef digest(users):\n    for u in users:\n        container.mailer().send_message(u)\n",
    # ``self.repo`` reassigned outside ``__init__``: its class is not known.
    "import psycopg2\nclass Repo:\n    def get(self, i):\n        with psycopg2.connect(DSN) as c:\n            return c.cursor()\n"
    "class Service:\n    def __init__(self, repo: Repo):\n        self.repo = repo\n    def swap(self, other):\n        self.repo = other\n"
    "    def totals(self, ids):\n        return [self.repo.get(i) for i in ids]\n",
    # A caller that returns early when a connection is already open: a lazy cache.
    "import boto3\nclass Backend:\n    def session(self):\n        return boto3.Session(profile_name=P)\n"
    "    def open(self):\n        if self.conn:\n            return False\n        self.conn = self.session().client('ses')\n"
    "    def send_all(self, msgs):\n        for m in msgs:\n            self.open()\n",
    # The mixin's method called once, outside a loop.
    "from pymongo import MongoClient\nclass CRUDMixin:\n    def get(self, ident):\n        client = MongoClient(URI)\n"
    "        return client.db.items.find_one({'_id': ident})\nclass Items(CRUDMixin):\n    def first(self, ids):\n        return self.get(ids[0])\n",
]


@pytest.mark.parametrize("source", ROUND5_LAYERED_NEGATIVES)
def test_round5_layered_look_alikes_stay_silent(source):
    assert codes(source) == []


def test_a_client_built_in_init_of_a_class_made_per_item_is_found():
    source = """
    import requests
    class Rates:
        def __init__(self):
            self.http = requests.Session()
        def rate(self, c):
            return self.http.get(URL + c).json()
    def convert(lines):
        out = []
        for line in lines:
            fx = Rates()
            out.append(fx.rate(line))
        return out
    """
    found = lint_source(textwrap.dedent(source).lstrip("\n"), "example.py", rules=[rule_by_code("PF502")])
    assert [(f.line, f.code) for f in found] == [(4, "PF502")]
    assert "built in a loop of `convert` (line 10)" in found[0].message


@pytest.mark.parametrize(
    "use",
    [
        # Built once, outside any loop.
        "def convert(lines):\n    fx = Rates()\n    return [fx.rate(l) for l in lines]\n",
        # Kept: appended to a list (a pool of workers).
        "def workers(n_list):\n    out = []\n    for n in n_list:\n        out.append(Rates())\n    return out\n",
        # Built with per-item settings.
        "def convert(lines):\n    return [Rates(l.host).rate(l) for l in lines]\n",
        # Also built at module level.
        "RATES = Rates()\ndef convert(lines):\n    return [Rates().rate(l) for l in lines]\n",
        # Over a literal tuple.
        "def convert():\n    return [Rates().rate(c) for c in ('EUR', 'USD')]\n",
    ],
)
def test_a_client_built_in_init_of_a_class_kept_or_made_once_stays_silent(use):
    source = (
        "import requests\nclass Rates:\n    def __init__(self, host=None):\n        self.http = requests.Session()\n"
        "    def rate(self, c):\n        return self.http.get(URL + c).json()\n" + use
    )
    assert codes(source, code="PF502") == []


ROUND6_POSITIVES = [
    # A graphene resolver runs per parent object.
    (
        """
        import graphene
        import redis
        class Supplier(graphene.ObjectType):
            rating = graphene.Float()
            def resolve_rating(parent, info):
                return redis.Redis.from_url(URL).get(parent.id)
        """,
        "PF503",
    ),
    # A strawberry field on a type.
    (
        """
        import httpx
        import strawberry
        @strawberry.type
        class Listing:
            sku: str
            @strawberry.field
            async def badge(self) -> str:
                async with httpx.AsyncClient() as client:
                    return (await client.get(URL + self.sku)).text
        """,
        "PF502",
    ),
    # An ariadne resolver on a module-level ``ObjectType``.
    (
        """
        import boto3
        from ariadne import ObjectType
        warehouse = ObjectType("Warehouse")
        @warehouse.field("plan")
        def resolve_plan(obj, info):
            return boto3.client("s3").generate_presigned_url("get_object", Params={"Key": obj["k"]})
        """,
        "PF502",
    ),
    # A Google Cloud Function and an Azure Functions queue trigger.
    (
        """
        import functions_framework
        from google.cloud import storage
        @functions_framework.http
        def export(request):
            return storage.Client().bucket("r").blob(request.args["n"]).download_as_text()
        """,
        "PF502",
    ),
    (
        """
        import azure.functions as func
        import requests
        app = func.FunctionApp()
        @app.queue_trigger(arg_name="msg", queue_name="hooks", connection="C")
        def forward(msg):
            with requests.Session() as http:
                http.post(URL, data=msg.get_body())
        """,
        "PF502",
    ),
    # A Litestar route declared with a bare verb.
    (
        """
        import httpx
        from litestar import get
        @get("/convert")
        async def convert() -> dict:
            async with httpx.AsyncClient() as client:
                return (await client.get(URL)).json()
        """,
        "PF502",
    ),
    # A Scrapy item pipeline and a spider callback.
    (
        """
        from pymongo import MongoClient
        class MongoPipeline:
            def process_item(self, item, spider):
                MongoClient(URL).crawl.items.insert_one(dict(item))
                return item
        """,
        "PF503",
    ),
    (
        """
        import boto3
        import scrapy
        class Catalog(scrapy.Spider):
            name = "c"
            def parse_product(self, response):
                boto3.client("s3").put_object(Bucket="p", Key=response.url, Body=response.body)
        """,
        "PF502",
    ),
    # A Prefect task mapped over items.
    (
        """
        import requests
        from prefect import flow, task
        @task
        def geocode(address):
            return requests.Session().get(URL, params={"q": address}).json()
        @flow
        def geocode_all(addresses):
            return geocode.map(addresses).result()
        """,
        "PF502",
    ),
    # SQLModel's ``create_engine`` in a FastAPI dependency.
    (
        """
        from fastapi import Depends
        from sqlmodel import Session, create_engine
        def get_session():
            engine = create_engine(URL)
            with Session(engine) as session:
                yield session
        def route(session=Depends(get_session)):
            return session
        """,
        "PF503",
    ),
    # A consumer's message loop: one connection per message.
    (
        """
        import psycopg2
        def run(consumer):
            while True:
                msg = consumer.poll(1.0)
                if msg is None:
                    continue
                conn = psycopg2.connect(DSN)
                conn.cursor().execute("INSERT INTO t VALUES (%s)", (msg.value(),))
        """,
        "PF503",
    ),
    (
        """
        import aiohttp
        async def worker(queue):
            while True:
                job = await queue.get()
                try:
                    async with aiohttp.ClientSession() as s:
                        await s.post(job.url)
                finally:
                    queue.task_done()
        """,
        "PF502",
    ),
    (
        """
        import redis
        def drain(source):
            while (batch := source.next_batch()) is not None:
                redis.Redis(host="cache").rpush("seen", len(batch))
        """,
        "PF503",
    ),
]


@pytest.mark.parametrize(("source", "code"), ROUND6_POSITIVES)
def test_round6_handlers_and_message_loops_are_found(source, code):
    assert [c for _, c in codes(source)] == [code]


ROUND6_NEGATIVES = [
    # ``resolve_x`` of a class that is no ObjectType; graphene's resolver reading the context.
    "import graphene\nimport redis\nclass Helper:\n    def resolve_rating(self, x):\n        return redis.Redis().get(x)\n"
    "class Part(graphene.ObjectType):\n    def resolve_stock(parent, info):\n        return info.context['r'].get(parent.sku)\n",
    # ``@x.field`` on something that is no ariadne type.
    "import boto3\nfrom ariadne import ObjectType\nschema = make()\n@schema.field('plan')\ndef plan(obj, info):\n"
    "    return boto3.client('s3').get_object(Key=obj)\n",
    # An Azure timer trigger runs on a schedule.
    "import azure.functions as func\nimport requests\napp = func.FunctionApp()\n"
    "@app.timer_trigger(schedule='0 */5 * * * *', arg_name='t')\ndef tick(t):\n    requests.Session().get(URL)\n",
    # A Scrapy pipeline's ``open_spider`` runs once; ``process_item`` uses what it built.
    "from pymongo import MongoClient\nclass Pipe:\n    def open_spider(self, spider):\n        self.client = MongoClient(URL)\n"
    "    def process_item(self, item, spider):\n        self.client.db.items.insert_one(item)\n",
    # A ``parse`` method of a class that is no spider.
    "import boto3\nclass Reader:\n    def parse(self, response):\n        boto3.client('s3').put_object(Body=response)\n",
    # ``.map`` over a literal; a mapped function that is no function of the module.
    "import requests\nfrom prefect import task\n@task\ndef fetch(u):\n    return requests.Session().get(u)\n"
    "def run():\n    return fetch.map(['a', 'b']).result()\n",
    # Retry and reconnect loops: ``while True`` that leaves after its first success, a take
    # that is not first, a walrus loop waiting for a value (``is None``).
    "import psycopg2\ndef connect():\n    while True:\n        job = q.get()\n        conn = psycopg2.connect(DSN)\n"
    "        conn.cursor().execute('SELECT 1')\n        break\n",
    "import psycopg2\ndef connect(q):\n    while True:\n        conn = psycopg2.connect(DSN)\n        job = q.get()\n"
    "        conn.cursor().execute(job)\n",
    "import redis\ndef wait():\n    while (value := probe()) is None:\n        redis.Redis().ping()\n",
    # The consumer's connection built once, around the loop.
    "import psycopg2\ndef run(consumer):\n    conn = psycopg2.connect(DSN)\n    while True:\n        msg = consumer.poll(1.0)\n"
    "        conn.cursor().execute('INSERT', (msg,))\n",
]


@pytest.mark.parametrize("source", ROUND6_NEGATIVES)
def test_round6_look_alikes_stay_silent(source):
    assert codes(source) == []


@pytest.mark.parametrize(
    ("loop", "names"),
    [
        ("while True:\n    msg = consumer.poll(1.0)\n    if msg is None:\n        break\n    use(msg)\n", {"msg"}),
        ("while running:\n    data = await ws.receive_json()\n    use(data)\n", {"data"}),
        ("while chunk := f.read(4096):\n    use(chunk)\n", {"chunk"}),
        ("while True:\n    conn = connect()\n    if conn:\n        break\n", None),
        ("while True:\n    msg = consumer.poll(1.0)\n    use(msg)\n    return\n", None),
        ("while (x := probe()) is None:\n    sleep(1)\n", None),
        ("while False:\n    msg = q.get()\n", None),
    ],
)
def test_while_consume_names_knows_a_message_loop_from_retries(loop, names):
    import libcst as cst

    from perflint.analysis import while_consume_names

    node = cst.parse_module(loop).body[0]
    assert while_consume_names(node) == names


ROUND6_LAYERED_POSITIVES = [
    # A Protocol's method reached through a function annotated to return it: every class of the
    # module defining the method may run per item.
    (
        """
        from typing import Protocol
        import requests
        class Sender(Protocol):
            def send(self, x): ...
        class HttpSender:
            def send(self, x):
                requests.Session().post(URL, json=x)
        def pick(kind) -> Sender:
            return REGISTRY[kind]
        def run(items):
            for x in items:
                pick(x.kind).send(x)
        """,
        "PF502",
    ),
    # An ABC's method called on a parameter annotated with it: its subclasses' methods.
    (
        """
        from abc import ABC, abstractmethod
        from pymongo import MongoClient
        class Store(ABC):
            @abstractmethod
            def put(self, doc): ...
        class MongoStore(Store):
            def put(self, doc):
                MongoClient(URL).db.docs.insert_one(doc)
        def save_all(store: Store, docs):
            for d in docs:
                store.put(d)
        """,
        "PF503",
    ),
    # A factory method that sets the connection up before returning it; the caller drops it.
    (
        """
        import smtplib
        class Mailer:
            def __init__(self, host):
                self.host = host
            def _open(self):
                conn = smtplib.SMTP(self.host)
                conn.starttls()
                return conn
            def send(self, msg):
                conn = self._open()
                conn.send_message(msg)
                conn.quit()
        def run(mailer: Mailer, msgs):
            for m in msgs:
                mailer.send(m)
        """,
        "PF502",
    ),
]


@pytest.mark.parametrize(("source", "code"), ROUND6_LAYERED_POSITIVES)
def test_round6_interfaces_and_set_up_factories_are_found(source, code):
    assert [c for _, c in codes(source)] == [code]


ROUND6_LAYERED_NEGATIVES = [
    # The Protocol's implementation is called once, not in a loop.
    "from typing import Protocol\nimport requests\nclass Sender(Protocol):\n    def send(self, x): ...\n"
    "class HttpSender:\n    def send(self, x):\n        requests.Session().post(URL, json=x)\n"
    "def pick(kind) -> Sender:\n    return REGISTRY[kind]\ndef run(x):\n    pick(x.kind).send(x)\n",
    # A class that does not derive from the ABC is not one of its implementations.
    "from abc import ABC, abstractmethod\nfrom pymongo import MongoClient\nclass Store(ABC):\n    @abstractmethod\n"
    "    def put(self, doc): ...\nclass Other:\n    def put(self, doc):\n        MongoClient(URL).db.d.insert_one(doc)\n"
    "def save_all(store: Store, docs):\n    for d in docs:\n        store.put(d)\n",
    # The set-up connection is kept by the caller (a lazily opened, reused connection).
    "import smtplib\nclass Mailer:\n    def __init__(self, host):\n        self.host = host\n        self.conn = None\n"
    "    def _open(self):\n        conn = smtplib.SMTP(self.host)\n        conn.starttls()\n        return conn\n"
    "    def send(self, msg):\n        if self.conn is None:\n            self.conn = self._open()\n        self.conn.send_message(msg)\n"
    "def run(mailer: Mailer, msgs):\n    for m in msgs:\n        mailer.send(m)\n",
]


@pytest.mark.parametrize("source", ROUND6_LAYERED_NEGATIVES)
def test_round6_interface_look_alikes_stay_silent(source):
    assert codes(source) == []


# Round 7: the construction one step away from the loop (a property, a dunder, ``__enter__``, a
# ``@contextmanager`` helper), and spellings the rules did not follow (walrus, settings locals).
ROUND7_POSITIVES = [
    # A property read by a method that runs per item.
    (
        "import boto3\nclass Items:\n    @property\n    def table(self):\n"
        "        return boto3.resource('dynamodb').Table('t')\n"
        "    def put(self, item):\n        self.table.put_item(Item=item)\n"
        "def load(items: Items, rows):\n    for row in rows:\n        items.put(row)\n",
        "PF502",
    ),
    # ``self.prices[sku]`` and ``sku in self.prices``: __getitem__ / __contains__ per item.
    (
        "from redis import Redis\nclass Prices:\n    def __getitem__(self, sku):\n"
        "        return Redis.from_url(URL).hget('p', sku)\n"
        "class Service:\n    def __init__(self, prices: Prices):\n        self.prices = prices\n"
        "    def total(self, skus):\n        return sum(self.prices[s] for s in skus)\n",
        "PF503",
    ),
    (
        "from redis import Redis\nclass Prices:\n    def __contains__(self, sku):\n"
        "        return Redis.from_url(URL).hexists('p', sku)\n"
        "class Service:\n    def __init__(self, prices: Prices):\n        self.prices = prices\n"
        "    def known(self, skus):\n        return [s for s in skus if s in self.prices]\n",
        "PF503",
    ),
    # ``with Unit() as s:`` per item: __enter__ builds an engine stored on the fresh instance.
    (
        "from sqlalchemy import create_engine\nclass Unit:\n    def __enter__(self):\n"
        "        self.engine = create_engine(URL)\n        return self.engine.connect()\n"
        "    def __exit__(self, *exc):\n        self.engine.dispose()\n"
        "def apply(entries):\n    for e in entries:\n        with Unit() as conn:\n            conn.execute(e)\n",
        "PF503",
    ),
    # A @contextmanager helper entered per item: its body runs on every ``with``.
    (
        "from contextlib import contextmanager\nimport psycopg2\n@contextmanager\ndef cursor():\n"
        "    conn = psycopg2.connect(DSN)\n    try:\n        yield conn.cursor()\n    finally:\n        conn.close()\n"
        "def totals(days):\n    for day in days:\n        with cursor() as cur:\n            cur.execute(SQL, (day,))\n",
        "PF503",
    ),
    # A client bound by a walrus.
    (
        "import redis\ndef drop(*keys):\n    if (r := redis.StrictRedis(host='cache')).ping():\n        r.delete(*keys)\n"
        "def run(groups):\n    for g in groups:\n        drop(*g)\n",
        "PF503",
    ),
    # Settings read into a local once: the same value on every call.
    (
        "import multiprocessing as mp\ndef norm(path):\n    opts = {'processes': WORKERS}\n"
        "    with mp.Pool(**opts) as pool:\n        return pool.map(float, path.split())\n"
        "def tree(paths):\n    return [norm(p) for p in paths]\n",
        "PF501",
    ),
    # asyncio.run per message of a consumer's loop.
    (
        "import asyncio\ndef consume(channel):\n    while True:\n"
        "        method, props, body = channel.basic_get('q')\n        if method is None:\n            continue\n"
        "        asyncio.run(handle(body))\n",
        "PF504",
    ),
]


@pytest.mark.parametrize(("source", "code"), ROUND7_POSITIVES)
def test_round7_one_step_away_is_found(source, code):
    assert [c for _, c in codes(source)] == [code]


ROUND7_NEGATIVES = [
    # A cached_property: once per instance.
    "import boto3\nfrom functools import cached_property\nclass Items:\n    @cached_property\n    def table(self):\n"
    "        return boto3.resource('dynamodb').Table('t')\n"
    "    def put(self, item):\n        self.table.put_item(Item=item)\n"
    "def load(items: Items, rows):\n    for row in rows:\n        items.put(row)\n",
    # The property read by a method called once.
    "import boto3\nclass Items:\n    @property\n    def table(self):\n"
    "        return boto3.resource('dynamodb').Table('t')\n"
    "    def put(self, item):\n        self.table.put_item(Item=item)\n"
    "def load(items: Items, row):\n    items.put(row)\n",
    # One ``with`` around the loop.
    "from contextlib import contextmanager\nimport psycopg2\n@contextmanager\ndef cursor():\n"
    "    conn = psycopg2.connect(DSN)\n    try:\n        yield conn.cursor()\n    finally:\n        conn.close()\n"
    "def totals(days):\n    with cursor() as cur:\n        for day in days:\n            cur.execute(SQL, (day,))\n",
    # The unit of work is built once; only its session is per item.
    "from sqlalchemy import create_engine\nclass Unit:\n    def __enter__(self):\n"
    "        self.engine = create_engine(URL)\n        return self.engine.connect()\n"
    "    def __exit__(self, *exc):\n        self.engine.dispose()\n"
    "def apply(entries):\n    with Unit() as conn:\n        for e in entries:\n            conn.execute(e)\n",
    # The local depends on the argument: per-call settings.
    "import multiprocessing as mp\ndef norm(path, n):\n    opts = {'processes': n}\n"
    "    with mp.Pool(**opts) as pool:\n        return pool.map(float, path.split())\n"
    "def tree(paths):\n    return [norm(p, len(p)) for p in paths]\n",
    # The local is changed before use.
    "import redis\ndef drop(key, db):\n    opts = {'host': HOST}\n    opts['db'] = db\n"
    "    redis.Redis(**opts).delete(key)\n"
    "def run(keys):\n    for k in keys:\n        drop(k, k.db)\n",
    # A local computed by a call may differ per call.
    "import redis\ndef drop(key):\n    url = current_url()\n    redis.from_url(url).delete(key)\n"
    "def run(keys):\n    for k in keys:\n        drop(k)\n",
    # A REPL's while loop.
    "import asyncio\ndef repl():\n    while True:\n        line = input()\n        asyncio.run(handle(line))\n",
]


@pytest.mark.parametrize("source", ROUND7_NEGATIVES)
def test_round7_look_alikes_stay_silent(source):
    assert codes(source) == []


# --- real-code hold-out, round 2 ----------------------------------------------------------

VIEW = "from django.conf import settings\nfrom django.http import JsonResponse\nimport os\n\n"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        # A client class imported inside the view (an optional dependency).
        ("def v(request):\n    from twilio.rest import Client\n    c = Client(settings.SID, settings.TOKEN)\n"
         "    c.messages.create(to='1', body='x')\n    return JsonResponse({})\n", "PF502"),
        ("def v(request):\n    import boto3\n    boto3.client('s3').put_object(Bucket='b', Key='k')\n    return JsonResponse({})\n", "PF502"),
        # Locals read from settings and the environment only: the same on every request.
        ("def v(request):\n    import redis\n    host = os.environ.get('REDIS_HOST', 'localhost')\n"
         "    port: int = getattr(settings, 'REDIS_PORT', 6379)\n    r = redis.Redis(host=host, port=port)\n"
         "    return JsonResponse({'n': r.llen('q')})\n", "PF503"),
        # The class chosen by a condition, both branches known.
        ("def v(request):\n    import redis\n    cls = redis.StrictRedis if settings.STRICT else redis.Redis\n"
         "    return JsonResponse({'n': cls(host='h').llen('q')})\n", "PF503"),
    ],
)
def test_round2_resolution_of_locals_and_local_imports(body, code):
    found = codes(VIEW + body)
    assert [c for _, c in found] == [code]


@pytest.mark.parametrize(
    "body",
    [
        # A local read from the request (also through Flask's request proxy) stays a per-call setting.
        "def v(request):\n    from twilio.rest import Client\n    sid = request.user.sid\n    c = Client(sid, 'tok')\n"
        "    c.messages.create(to='1', body='x')\n    return JsonResponse({})\n",
        "from flask import request as rq\n\ndef v(request):\n    import boto3\n    key = rq.headers['X-Key']\n"
        "    boto3.client('s3', aws_access_key_id=key).put_object(Bucket='b', Key='k')\n    return JsonResponse({})\n",
        # A local bound twice, once from a parameter.
        "def v(request, region=None):\n    import boto3\n    r = settings.REGION\n    if region:\n        r = region\n"
        "    boto3.client('s3', region_name=r).put_object(Bucket='b', Key='k')\n    return JsonResponse({})\n",
        # Two different imports of the name under try/except: unresolved, silent.
        "def v(request):\n    try:\n        from twilio.rest import Client\n    except ImportError:\n        from mylib import Client\n"
        "    Client('a', 'b').messages.create(to='1', body='x')\n    return JsonResponse({})\n",
        # One branch of the alias is unknown.
        "def v(request):\n    import redis\n    cls = FakeRedis if settings.TESTING else redis.Redis\n"
        "    return JsonResponse({'n': cls(host='h').llen('q')})\n",
    ],
)
def test_round2_look_alikes_stay_silent(body):
    assert codes(VIEW + body) == []


def test_message_backend_init_is_per_message_but_a_storage_backend_is_not():
    sms = """
        from django.conf import settings
        from twilio.rest import Client

        class SmsBackend(BaseSmsBackend):
            def __init__(self, fail_silently=False, account=None, **kwargs):
                super().__init__(fail_silently=fail_silently)
                sid = account or settings.TWILIO_SID
                self.client = Client(sid, settings.TWILIO_TOKEN)

            def send_messages(self, messages):
                for m in messages:
                    self.client.messages.create(to=m.to, body=m.body)
        """
    assert codes(sms, code="PF502") == [(8, "PF502")]
    storage = sms.replace("BaseSmsBackend", "BaseStorageBackend").replace("send_messages", "save")
    assert codes(storage, code="PF502") == []


def test_a_local_from_a_module_function_stays_a_per_call_setting():
    # The helper may read the current tenant from the request's context: one client per tenant.
    source = VIEW + (
        "def tenant_url():\n    return CURRENT.get()\n\n"
        "def v(request):\n    import redis\n    url = tenant_url()\n    return JsonResponse({'n': redis.from_url(url).llen('q')})\n"
    )
    assert codes(source) == []
    constant = VIEW + "URL = 'redis://cache'\n\ndef v(request):\n    import redis\n    url = URL\n    return JsonResponse({'n': redis.from_url(url).llen('q')})\n"
    assert [c for _, c in codes(constant)] == ["PF503"]
