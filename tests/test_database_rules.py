"""Level-2 rules on whole projects: the model index across modules, and the fixture
projects linted through the real command line.

Each fixture marks the lines where a finding is planted with ``# expect: PFxxx``;
the run must report exactly those (file, line, code) and nothing else from
levels 2 and 5.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import textwrap
import time
from pathlib import Path

import libcst as cst
import pytest

from perflint import models_index
from perflint.engine import lint_file, lint_source
from perflint.models_index import TO_MANY, TO_ONE
from perflint.rules import rule_by_code

FIXTURES = Path(__file__).parent / "fixtures"
DJANGO = FIXTURES / "django_project"
SQLALCHEMY = FIXTURES / "sqlalchemy_project"
EXPECT = re.compile(r"#\s*expect:\s*(PF\d{3}(?:\s*,\s*PF\d{3})*)")


@pytest.fixture(autouse=True)
def fresh_index():
    models_index.clear()
    yield
    models_index.clear()


def planted(root: Path) -> set[tuple[str, int, str]]:
    expected = set()
    for path in sorted(root.rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group(1)):
                    expected.add((path.relative_to(root).as_posix(), number, code))
    return expected


def reported(perflint, root: Path) -> set[tuple[str, int, str]]:
    run = perflint("check", "--no-cache", "--format", "json", "--select", "PF2,PF5", str(root))
    assert run.returncode in (0, 1), run.stderr
    return {
        (Path(f["path"]).resolve().relative_to(root.resolve()).as_posix(), f["line"], f["code"])
        for f in json.loads(run.stdout)
    }


@pytest.mark.parametrize("root", [DJANGO, SQLALCHEMY], ids=["django", "sqlalchemy"])
def test_fixture_project_findings_are_exactly_the_planted_ones(perflint, root):
    expected = planted(root)
    assert len(expected) >= 10
    assert reported(perflint, root) == expected


def test_a_model_iterated_in_another_module_is_found_when_linting_one_file(perflint):
    # shop/views.py iterates library's Book and reads `wishlisted_by`, a reverse
    # relation declared in shop/models.py, and OrderLine.book.author across apps.
    run = perflint("check", "--no-cache", "--format", "json", "--select", "PF202", str(DJANGO / "shop" / "views.py"))
    messages = {(f["line"], f["message"]) for f in json.loads(run.stdout)}
    assert any(line == 26 and "book.wishlisted_by" in m and 'prefetch_related("wishlisted_by")' in m for line, m in messages)
    assert any(line == 14 and 'select_related("book__author")' in m for line, m in messages)


def test_migrations_are_not_linted_for_orm_rules():
    migration = DJANGO / "library" / "migrations" / "0002_backfill_titles.py"
    codes = {f.code for f in lint_file(str(migration))}
    assert not codes & {"PF201", "PF202", "PF205"}


# --- the model index -------------------------------------------------------------------------


def test_django_index_has_forward_reverse_and_cross_app_relations():
    index, _ = models_index.project_index(str(DJANGO))
    book = index.resolve("library.models.Book")
    assert book is not None and book.plain_objects
    kinds = {name: (r.kind, r.target) for name, r in book.relations.items()}
    assert kinds["author"] == (TO_ONE, "library.models.Author")
    assert kinds["genres"] == (TO_MANY, "library.models.Genre")
    assert kinds["wishlisted_by"] == (TO_MANY, "shop.models.Customer")  # declared in the shop app
    assert kinds["orderline_set"] == (TO_MANY, "shop.models.OrderLine")  # default reverse name
    assert kinds["edition_set"] == (TO_MANY, "library.models.Edition")
    author = index.resolve("library.models.Author")
    assert author.relations["books"].kind == TO_MANY
    assert author.relations["user"].target is None  # settings.AUTH_USER_MODEL: kind known, target not
    assert index.resolve("library.models.Edition").plain_objects is False  # custom manager
    assert index.resolve("library.models.EditionManager") is None  # a manager is not a model
    assert index.resolve("library.migrations.0002_backfill_titles.Migration") is None


def test_generic_foreign_keys_are_to_one_relations_known_by_name():
    source = textwrap.dedent("""
        from django.contrib.contenttypes.fields import GenericForeignKey
        from django.db import models

        class Grant(models.Model):
            object_pk = models.CharField(max_length=40)
            content_object = GenericForeignKey(fk_field="object_pk")
            target = GenericForeignKey()

        class ProjectGrant(models.Model):
            content_object = models.ForeignKey("Grant", on_delete=models.CASCADE)

        class Note(models.Model):
            target = models.CharField(max_length=20)
    """)
    decls = models_index.declarations(ast.parse(source), "app.models")
    index = models_index.build_index(decls)
    grant = index.resolve("app.models.Grant")
    relation = grant.relations["content_object"]
    assert (relation.kind, relation.target, relation.lazy, relation.generic) == (TO_ONE, None, True, True)
    assert "object_pk" not in grant.relations
    assert index.is_generic_relation("content_object")  # a ForeignKey of the same name elsewhere is to-one too
    assert not index.is_generic_relation("target")  # a plain field elsewhere: unknown rows may hold text
    assert not index.is_generic_relation("object_pk")


def test_sqlalchemy_index_reads_lazy_settings_and_backrefs():
    index, _ = models_index.project_index(str(SQLALCHEMY))
    item = index.resolve("inventory.models.Item")
    assert item.relations["warehouse"].lazy and item.relations["warehouse"].kind == TO_ONE
    assert not item.relations["tags"].lazy  # lazy="selectin"
    assert item.relations["supplier"].lazy  # backref from Supplier.items
    assert index.resolve("inventory.models.Warehouse").relations["items"].kind == TO_MANY


def test_project_root_is_the_nearest_marker(tmp_path):
    (tmp_path / "setup.cfg").write_text("")
    (tmp_path / "pkg").mkdir()
    module = tmp_path / "pkg" / "views.py"
    module.write_text("x = 1\n")
    assert models_index.project_root(str(module)) == str(tmp_path)
    assert models_index.project_root("<stdin>") is None
    assert models_index.project_root(str(tmp_path / "missing.py")) is None


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(DJANGO, root)
    return root


VIEW = "for book in Book.objects.all():\n    print(book.author.name)\n"


def _n_plus_one(root: Path) -> list:
    return [f for f in lint_file(str(root / "library" / "views.py")) if f.code == "PF202"]


def test_index_follows_model_edits_after_invalidate(tmp_path):
    root = _project(tmp_path)
    assert any("book.author" in f.message for f in _n_plus_one(root))
    models = root / "library" / "models.py"
    # Make `author` a plain field: the relation is gone, so is the finding.
    models.write_text(models.read_text().replace(
        'author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")',
        "author = models.CharField(max_length=10)",
    ))
    models_index.invalidate(str(models))
    assert not any("book.author" in f.message for f in _n_plus_one(root))


def test_index_notices_changed_mtimes_without_invalidate(tmp_path, monkeypatch):
    root = _project(tmp_path)
    monkeypatch.setattr(models_index, "RECHECK_SECONDS", 0.0)
    assert any("genre.books" in f.message for f in _n_plus_one(root))
    models = root / "library" / "models.py"
    models.write_text(models.read_text().replace('genres = models.ManyToManyField(Genre, related_name="books")', ""))
    assert not any("genre.books" in f.message for f in _n_plus_one(root))
    # A new module declaring the relation again is picked up too.
    (root / "library" / "extra_models.py").write_text(textwrap.dedent("""
        from django.db import models
        from library.models import Genre

        class Shelf(models.Model):
            genre = models.ForeignKey(Genre, on_delete=models.CASCADE, related_name="books")
        """))
    assert any("genre.books" in f.message for f in _n_plus_one(root))


def test_the_command_line_reads_a_project_once(tmp_path, monkeypatch):
    root = _project(tmp_path)
    monkeypatch.setattr(models_index, "RECHECK_SECONDS", 0.0)
    monkeypatch.setattr(models_index, "_RECHECK", True)
    assert models_index.recheck(False) is True
    assert any("genre.books" in f.message for f in _n_plus_one(root))
    models = root / "library" / "models.py"
    models.write_text(models.read_text().replace('genres = models.ManyToManyField(Genre, related_name="books")', ""))
    assert any("genre.books" in f.message for f in _n_plus_one(root))  # the run's first reading holds


def test_the_server_rechecks_the_project_on_a_thread(tmp_path, monkeypatch):
    root = _project(tmp_path)
    monkeypatch.setattr(models_index, "RECHECK_SECONDS", 0.0)
    monkeypatch.setattr(models_index, "_BACKGROUND", True)
    project_root = models_index.project_root(str(root / "library" / "views.py"))
    first, project = models_index.project_index(project_root)  # the first lookup reads in line
    models = root / "library" / "models.py"
    models.write_text(models.read_text().replace('genres = models.ManyToManyField(Genre, related_name="books")', ""))
    # Due for a re-check: the lookup answers from the index it has and the walk runs on a thread.
    assert models_index.project_index(project_root)[0] is first
    deadline = time.monotonic() + 60
    while project.refreshing and time.monotonic() < deadline:
        time.sleep(0.01)
    assert project.index is not first
    assert not any("genre.books" in f.message for f in _n_plus_one(root))


def test_unsaved_edits_of_the_linted_file_count(tmp_path):
    root = _project(tmp_path)
    models = root / "library" / "models.py"
    text = models.read_text() + "\n\ndef titles():\n" + textwrap.indent(VIEW, "    ")
    assert [f for f in lint_source(text, str(models)) if f.code == "PF202"]
    edited = text.replace('author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")', "author = None")
    assert not [f for f in lint_source(edited, str(models)) if f.code == "PF202"]


def test_same_named_models_in_two_apps_resolve_through_imports(tmp_path):
    root = tmp_path / "site"
    for app, field in (("blog", "writer"), ("news", "editor")):
        (root / app).mkdir(parents=True)
        (root / app / "__init__.py").write_text("")
        (root / app / "models.py").write_text(textwrap.dedent(f"""
            from django.db import models

            class Person(models.Model):
                pass

            class Post(models.Model):
                {field} = models.ForeignKey(Person, on_delete=models.CASCADE)
            """))
    (root / "manage.py").write_text("")
    view = root / "blog" / "views.py"
    view.write_text(textwrap.dedent("""
        from news.models import Post

        def titles():
            for post in Post.objects.all():
                print(post.writer, post.editor)
        """))
    messages = [f.message for f in lint_file(str(view)) if f.code == "PF202"]
    assert len(messages) == 1 and "post.editor" in messages[0]


def test_function_level_relative_import_resolves_the_model(tmp_path):
    root = _project(tmp_path)
    view = root / "library" / "reports.py"
    view.write_text(textwrap.dedent("""\
        def report():
            from .models import Book

            for book in Book.objects.all():
                print(book.publisher.name)
        """))
    findings = [f for f in lint_file(str(view)) if f.code == "PF202"]
    assert [f.line for f in findings] == [5]
    assert findings[0].fix is not None


# --- rule details beyond the examples ----------------------------------------------------------


def test_n_plus_one_fix_adds_every_relation_of_the_loop_at_once():
    rule = rule_by_code("PF202")
    source = rule.invalid[1].code
    findings = [f for f in lint_source(source, "example.py", rules=[rule])]
    assert len(findings) == 2
    assert findings[0].fix == findings[1].fix  # one shared edit, applied once


def test_cursor_rule_is_driver_aware():
    rule = rule_by_code("PF206")
    plain = "def load(cur, rows):\n    for row in rows:\n        cur.execute('INSERT INTO t VALUES (?)', row)\n"
    psycopg = "import psycopg2\n\n" + plain
    (generic,) = lint_source(plain, "example.py", rules=[rule])
    (specific,) = lint_source(psycopg, "example.py", rules=[rule])
    assert "executemany" in generic.message and generic.fix is not None
    assert "execute_values" in specific.message and specific.fix is None


def test_fingerprint_changes_with_models_in_other_files_only(tmp_path):
    root = _project(tmp_path)
    view = str(root / "shop" / "views.py")
    before = models_index.fingerprint(view)
    (root / "shop" / "helpers.py").write_text("def helper():\n    return 1\n")
    models_index.invalidate()
    assert models_index.fingerprint(view) == before  # no model changed
    models = root / "library" / "models.py"
    models.write_text(models.read_text() + "\n\nclass Shelf(models.Model):\n    book = models.ForeignKey(Book, on_delete=models.CASCADE)\n")
    models_index.invalidate(str(models))
    assert models_index.fingerprint(view) != before


def test_an_imported_model_is_not_confused_with_a_same_named_project_model(tmp_path):
    root = tmp_path / "site"
    (root / "accounts").mkdir(parents=True)
    (root / "manage.py").write_text("")
    (root / "accounts" / "models.py").write_text(textwrap.dedent("""\
        from django.db import models

        class Team(models.Model):
            pass

        class User(models.Model):
            team = models.ForeignKey(Team, on_delete=models.CASCADE)
        """))
    view = root / "accounts" / "views.py"
    view.write_text(textwrap.dedent("""\
        from django.contrib.auth.models import User

        def teams():
            for user in User.objects.all():
                print(user.team)
        """))
    assert [f for f in lint_file(str(view)) if f.code == "PF202"] == []
    view.write_text(view.read_text().replace("from django.contrib.auth.models import User", "from .models import User"))
    models_index.invalidate(str(view))
    assert [f.line for f in lint_file(str(view)) if f.code == "PF202"] == [5]


def test_block_cache_refreshes_when_a_model_in_another_file_changes(tmp_path):
    """The language server's per-block cache must not keep an N+1 finding whose relation is gone."""
    from perflint.engine import BlockCache, lint_source

    root = _project(tmp_path)
    views = root / "library" / "views.py"
    cache = BlockCache()

    def n_plus_one():
        found = lint_source(views.read_text(), str(views), block_cache=cache)
        return [f for f in found if f.code == "PF202" and "book.author" in f.message]

    assert n_plus_one()
    models = root / "library" / "models.py"
    models.write_text(models.read_text().replace(
        'author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")',
        "author = models.CharField(max_length=10)",
    ))
    models_index.invalidate(str(models))
    assert not n_plus_one()


def test_query_rules_skip_files_that_cannot_name_a_model(tmp_path):
    from perflint.facts import ModuleFacts
    from perflint.rules.database._orm import may_name_models

    (tmp_path / "pyproject.toml").write_text("")

    def can_name(name: str, text: str) -> bool:
        path = tmp_path / name
        path.write_text(text)
        models_index.invalidate()
        return may_name_models(str(path), ModuleFacts.from_tree(ast.parse(text), text))

    plain = "def f(rows):\n    for row in rows:\n        if row.done:\n            yield row\n"
    assert not can_name("plain.py", plain)
    assert can_name("views.py", "from shop.models import Book\n" + plain)
    assert can_name("users.py", "from django.contrib.auth import get_user_model\nUser = get_user_model()\n")
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "store.py").write_text(
        "from django.db import models\n\nclass Book(models.Model):\n    title = models.CharField(max_length=9)\n"
    )
    assert can_name("plain.py", plain)  # the project has models now: any import could reach one


# --- receiver kinds (rules/database/_receivers.py) ----------------------------------------------


def _kinds_at_calls(source: str, method: str) -> list[str]:
    """The receiver kind of every ``<receiver>.<method>(...)`` call in the source, in order."""
    import ast as _ast

    import libcst as cst

    from perflint.context import ContextEnter, ContextExit, FileContext
    from perflint.cst_walk import visit_batched
    from perflint.facts import ModuleFacts
    from perflint.rules.database._receivers import receiver_kind

    code = textwrap.dedent(source)
    context = FileContext(ModuleFacts.from_tree(_ast.parse(code), code), "receivers.py")
    found: list[str] = []

    class Probe(cst.BatchableCSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == method:
                found.append(receiver_kind(context, node.func.value))

    visit_batched(cst.parse_module(code), [ContextEnter(context), Probe(), ContextExit(context)])
    return found


def test_receiver_kinds_from_bindings_annotations_and_self():
    source = """
        import sqlite3
        import asyncpg
        import boto3
        import redis
        from pymongo import MongoClient
        from sqlalchemy.orm import Session

        r = redis.Redis()
        db = MongoClient()["crm"]
        table = boto3.resource("dynamodb").Table("t")
        s3 = boto3.client("s3")

        class Store:
            def __init__(self, pool: asyncpg.Pool, session: Session):
                self.pool = pool
                self.session = session
                self.cache = {}

            async def run(self, conn: sqlite3.Connection, other):
                cur = conn.cursor()
                async with self.pool.acquire() as pg:
                    pass
                pipe = r.pipeline()
                probe(conn.probe(), cur.probe(), pg.probe(), self.session.probe(), r.probe(), pipe.probe(),
                      db.users.probe(), db["orders"].probe(), table.probe(), s3.probe(), self.cache.probe(),
                      other.probe())
        """
    assert _kinds_at_calls(source, "probe") == [
        "dbapi-connection", "dbapi-cursor", "asyncpg-connection", "sa-session", "redis-client",
        "redis-pipeline", "mongo-collection", "mongo-collection", "dynamodb-table", "other", "dict", "unknown",
    ]


def test_a_name_rebound_to_something_else_is_not_a_client():
    source = """
        import redis

        def f(flag):
            r = redis.Redis()
            if flag:
                r = {}
            r.probe()
        """
    assert _kinds_at_calls(source, "probe") == ["unknown"]


def test_new_level2_shapes_on_a_small_service(tmp_path):
    """One file per client library, linted whole: every planted site is found, nothing else."""
    service = tmp_path / "service.py"
    service.write_text(textwrap.dedent("""\
        import asyncpg
        import redis
        from pymongo import MongoClient
        from sqlalchemy import select
        from sqlalchemy.orm import Session
        from app.db import User

        r = redis.Redis()
        users = MongoClient().app.users

        def names(session: Session, ids):
            out = []
            for uid in ids:
                out.append(session.get(User, uid))
                out.append(r.get(f"user:{uid}"))
                out.append(users.find_one({"_id": uid}))
            out.append(r.mget([f"user:{uid}" for uid in ids]))
            out.extend(session.scalars(select(User).where(User.id.in_(ids))))
            return out

        async def balances(conn: asyncpg.Connection, ids):
            return [await conn.fetchval("SELECT balance FROM a WHERE id = $1", i) for i in ids]
        """))
    found = sorted((f.line, f.code) for f in lint_file(str(service)) if f.level == 2)
    assert found == [(14, "PF208"), (15, "PF207"), (16, "PF207"), (22, "PF206")]


def _pf209(source: str, path: str = "service.py") -> list:
    return lint_source(textwrap.dedent(source), path=path, rules=[rule_by_code("PF209")])


def test_a_query_one_call_away_is_reported_at_the_call_in_the_loop_with_its_chain():
    findings = _pf209("""\
        from pymongo import MongoClient

        db = MongoClient().app

        def load_user(uid):
            return db.users.find_one({"_id": uid})

        def enrich(event):
            event["user"] = load_user(event["uid"])
            return event

        def handle(events):
            out = [enrich(event) for event in events]
            for event in events:
                enrich(event)
            return out
        """)
    assert [(f.line, f.column) for f in findings] == [(13, 12), (15, 9)]
    assert "enrich() → load_user() → db.users.find_one()" in findings[0].message


def test_helpers_that_remember_batch_or_loop_themselves_are_not_reported():
    findings = _pf209("""\
        import functools
        import sqlite3

        conn = sqlite3.connect("app.db")
        _seen = {}

        def plain(uid):
            return conn.execute("SELECT 1 FROM u WHERE id = ?", (uid,)).fetchone()

        @functools.lru_cache(maxsize=None)
        def cached(uid):
            return plain(uid)

        def filled_once(uid):
            if uid not in _seen:
                _seen[uid] = plain(uid)
            return _seen[uid]

        def batched(rows):
            conn.executemany("INSERT INTO t VALUES (?)", rows)

        def looping(user):
            for order in user.orders:
                plain(order.id)

        def run(users):
            for user in users:
                cached(user.id)
                filled_once(user.id)
                batched(user.rows)
                looping(user)
                plain(user.id)
        """)
    # The looping helper's own per-item call is reported inside it (line 24), not where it is called.
    assert [(f.line, f.message.split("`")[1]) for f in findings] == [(24, "plain(...)"), (32, "plain(...)")]


def test_an_async_helper_counts_when_awaited_per_item_not_when_gathered(tmp_path):
    source = """\
        import asyncio
        import asyncpg

        async def load(pool: asyncpg.Pool, uid):
            return await pool.fetchrow("SELECT * FROM users WHERE id = $1", uid)

        async def one_by_one(pool: asyncpg.Pool, uids):
            return [await load(pool, uid) for uid in uids]

        async def together(pool: asyncpg.Pool, uids):
            return await asyncio.gather(*[load(pool, uid) for uid in uids])
        """
    assert [f.line for f in _pf209(source)] == [8]
    assert _pf209(source, path=str(tmp_path / "tests" / "test_service.py")) == []


def test_a_query_in_another_module_of_the_project_is_followed(make_package):
    package = make_package("shop", {"repo.py": """\
        import functools
        import sqlite3

        conn = sqlite3.connect("shop.db")

        def load_user(uid):
            return conn.execute("SELECT * FROM users WHERE id = ?", (uid,)).fetchone()

        @functools.lru_cache(maxsize=None)
        def country(code):
            return load_user(code)
        """})
    views = package / "views.py"
    views.write_text(textwrap.dedent("""\
        from .repo import country, load_user

        def names(events):
            return [(load_user(e.uid), country(e.code)) for e in events]
        """))
    findings = lint_source(views.read_text(), path=str(views), rules=[rule_by_code("PF209")])
    assert [(f.line, f.column) for f in findings] == [(4, 14)]
    assert "load_user() → conn.execute()" in findings[0].message


def test_relation_reads_in_per_row_methods_follow_what_the_module_loads():
    """An admin column method and a serializer method field read relations per row; loading
    them anywhere in the module (list_select_related, a view's select_related) silences them."""
    source = textwrap.dedent("""\
        from django.contrib import admin
        from rest_framework import serializers, viewsets
        from shop.models import Order

        class OrderAdmin(admin.ModelAdmin):
            list_display = ("number", "buyer", "store")
            list_select_related = ("store",)

            def buyer(self, obj):
                return obj.customer.email

            def store(self, obj):
                return obj.store.name

        class OrderSerializer(serializers.ModelSerializer):
            lines = serializers.SerializerMethodField(method_name="line_count")
            courier = serializers.SerializerMethodField()

            def line_count(self, obj):
                return obj.lines.count()

            def get_courier(self, obj):
                return obj.courier.name

        class OrderViewSet(viewsets.ReadOnlyModelViewSet):
            serializer_class = OrderSerializer
            queryset = Order.objects.select_related("courier")
        """)
    findings = lint_source(source, path="shop/views.py", rules=[rule_by_code("PF210")])
    assert [(f.line, f.message.split("`")[1]) for f in findings] == [(10, "obj.customer"), (20, "obj.lines")]
    assert 'Count("lines")' in findings[1].message


# --- categories found by the hold-out set (benchmarks/holdout/cases/db_*) ----------------------


def _codes_by_line(source: str, *codes: str) -> dict[int, set[str]]:
    rules = [rule_by_code(code) for code in codes]
    found: dict[int, set[str]] = {}
    for finding in lint_source(textwrap.dedent(source), "service.py", rules=rules):
        found.setdefault(finding.line, set()).add(finding.code)
    return found


def _findings(source: str, *codes: str):
    rules = [rule_by_code(code) for code in codes]
    return list(lint_source(textwrap.dedent(source), "service.py", rules=rules))


def test_a_data_migration_function_is_cold_outside_a_migrations_folder():
    source = """
        from loyalty.models import Member

        def backfill(apps, schema_editor):
            Historical = apps.get_model("loyalty", "Member")
            for member in Historical.objects.filter(code=""):
                member.save(update_fields=["code"])

        def touch(ids):
            for member in Member.objects.filter(pk__in=ids):
                member.save()
        """
    assert _codes_by_line(source, "PF205") == {11: {"PF205"}}
    declared = source + """
        class Migration(migrations.Migration):
            operations = []
        """
    assert _codes_by_line("from django.db import migrations\n" + textwrap.dedent(declared), "PF205") == {}


def test_while_loops_that_walk_a_collection_count_as_per_item_loops():
    from perflint.rules.database._loops import walked_items

    def walk(code: str):
        node = cst.parse_module(textwrap.dedent(code)).body[0]
        assert isinstance(node, cst.While)
        return walked_items(node)

    assert walk("while todo:\n    job = todo.pop()\n    run(job)\n") == ("job",)
    assert walk("while i < len(xs):\n    use(xs[i])\n    i += 1\n") == ("i",)
    # Fed by the loop (a tree walk), a retry counter, a search, a paging loop: not item walks.
    assert walk("while todo:\n    job = todo.pop()\n    todo.extend(children(job))\n") == ()
    assert walk("while tries < limit:\n    call()\n    tries += 1\n") == ()
    assert walk("while todo:\n    job = todo.pop()\n    if ok(job):\n        break\n") == ()
    assert walk("while True:\n    page = fetch(last)\n    last = page[-1]\n") == ()
    assert walk("while i < len(xs):\n    use(xs[i])\n    i += 2\n") == ()

    source = """
        from venues.models import Seat

        def release(venue, seat_ids):
            pending = list(seat_ids)
            while pending:
                seat_id = pending.pop()
                Seat.objects.filter(venue=venue, pk=seat_id).update(held_by="")

        def release_all(venue, seat_ids):
            Seat.objects.filter(venue=venue, pk__in=seat_ids).update(held_by="")
        """
    assert _codes_by_line(source, "PF205") == {8: {"PF205"}}


def test_peewee_rows_read_a_foreign_key_per_row_unless_joined():
    source = """
        from peewee import CharField, ForeignKeyField, Model

        class Depot(Model):
            city = CharField()

        class Truck(Model):
            plate = CharField()
            depot = ForeignKeyField(Depot, backref="trucks")

        def by_city():
            return {t.plate: t.depot.city for t in Truck.select()}

        def by_city_joined():
            return {t.plate: t.depot.city for t in Truck.select(Truck, Depot).join(Depot)}

        def keys():
            return [t.depot_id for t in Truck.select()]

        def log(entries):
            for plate, km in entries:
                Truck.create(plate=plate, depot=km)
        """
    assert _codes_by_line(source, "PF202", "PF205") == {12: {"PF202"}, 22: {"PF205"}}


def test_text_statements_with_one_row_of_parameters_per_item():
    source = """
        from sqlalchemy import create_engine, text

        engine = create_engine("sqlite://")

        def tag(tags):
            with engine.begin() as conn:
                for name, tag in tags.items():
                    conn.execute(text("UPDATE sensors SET tag = :t WHERE name = :n"), {"t": tag, "n": name})
                conn.execute(text("UPDATE sensors SET tag = :t WHERE name = :n"), [{"t": t, "n": n} for n, t in tags.items()])
                for name in tags:
                    conn.execute(text(f"ANALYZE {name}"))
        """
    assert _codes_by_line(source, "PF208") == {9: {"PF208"}}


# --- hold-out round 2 categories ---------------------------------------------------------------


def test_match_captures_and_guards_before_the_call_keep_a_loop_per_item():
    source = """
        from pymongo.collection import Collection

        class Stock:
            def __init__(self, products: Collection) -> None:
                self.products = products

            def apply(self, events):
                for event in events:
                    match event:
                        case {"sku": sku, "qty": qty}:
                            self.products.update_one({"sku": sku}, {"$inc": {"stock": qty}})

            def until_sentinel(self, feed):
                for entry in feed:
                    if entry.get("last"):
                        break
                    self.products.update_one({"sku": entry["sku"]}, {"$set": {"price": entry["price"]}})

            def first_found(self, skus):
                for sku in skus:
                    doc = self.products.find_one({"sku": sku})
                    if doc is not None:
                        return doc

            def fixed(self, events):
                for event in events:
                    match event:
                        case {"kind": "reset"}:
                            self.products.update_one({"sku": "ALL"}, {"$set": {"stock": 0}})
        """
    # The search that returns at its first hit (line 22) and the loop-invariant write (31) stay silent.
    assert _codes_by_line(source, "PF207") == {12: {"PF207"}, 18: {"PF207"}}


def test_rows_returned_by_a_method_or_function_of_the_module_are_the_loops_query():
    source = """
        from clinic.models import Patient

        def open_patients():
            return Patient.objects.filter(active=True)

        def open_patients_loaded():
            return Patient.objects.filter(active=True).select_related("insurance_card")

        class Report:
            def _patients(self):
                return Patient.objects.filter(active=True).prefetch_related("referrals")

            def rows(self):
                return [(p.insurance_card.insurer, p.referrals.filter(closed=False)) for p in self._patients()]

            def rows_prefetched(self):
                return [len(p.referrals.all()) for p in self._patients()]

        def insurers():
            return [p.insurance_card.insurer for p in open_patients()]

        def insurers_loaded():
            return [p.insurance_card.insurer for p in open_patients_loaded()]
        """
    found = _codes_by_line(source, "PF202")
    assert found == {15: {"PF202"}, 21: {"PF202"}}
    assert len(_findings(source, "PF202")) == 3  # insurance_card and the re-filtered prefetch on line 15


def test_a_str_method_name_read_without_a_call_is_a_field_of_the_related_row():
    source = """
        from django.contrib import admin
        from newsroom.models import Article

        @admin.register(Article)
        class ArticleAdmin(admin.ModelAdmin):
            list_display = ("headline", "desk_title", "headline_title")

            @admin.display(description="Desk")
            def desk_title(self, obj):
                return obj.desk.title

            def headline_title(self, obj):
                return obj.headline.title()
        """
    assert _codes_by_line(source, "PF210") == {11: {"PF210"}}


def test_a_serializer_chosen_by_get_serializer_class_is_listed_by_its_view():
    source = """
        from rest_framework import serializers, viewsets
        from academy.models import Course

        class CourseListSerializer(serializers.ModelSerializer):
            teacher = serializers.SerializerMethodField()

            def get_teacher(self, course):
                return course.teacher.display_name

        class CourseDetailSerializer(serializers.ModelSerializer):
            pass

        class CourseViewSet(viewsets.ReadOnlyModelViewSet):
            queryset = Course.objects.all()

            def get_serializer_class(self):
                if self.action == "list":
                    return CourseListSerializer
                return CourseDetailSerializer
        """
    assert _codes_by_line(source, "PF210") == {9: {"PF210"}}
    loaded = source.replace("Course.objects.all()", 'Course.objects.select_related("teacher")')
    assert _codes_by_line(loaded, "PF210") == {}


def test_a_connection_by_name_counts_only_in_a_module_that_imports_a_driver():
    source = """
        import sqlite3

        def tag_links(conn, urls, tag):
            for url in urls:
                conn.execute("INSERT INTO tags (url, tag) VALUES (?, ?)", (url, tag))
        """
    assert _codes_by_line(source, "PF206") == {6: {"PF206"}}
    assert _codes_by_line(source.replace("import sqlite3", "import json"), "PF206") == {}


def test_peewee_statements_and_tortoise_links_per_item():
    source = """
        from peewee import IntegerField, Model

        class Player(Model):
            rating = IntegerField(default=1000)

        def adjust(results):
            for player_id, delta in results:
                Player.update(rating=Player.rating + delta).where(Player.id == player_id).execute()

        def reset(player_ids):
            for batch in [player_ids]:
                Player.update(rating=1000).where(Player.id.in_(batch)).execute()

        def retire(player_ids):
            for pid in player_ids:
                Player.delete().where(Player.id == pid).execute()
        """
    assert _codes_by_line(source, "PF205") == {9: {"PF205"}, 17: {"PF205"}}
    tortoise = """
        from tortoise import fields
        from tortoise.models import Model

        class Submission(Model):
            id = fields.IntField(pk=True)
            reviewers = fields.ManyToManyField("models.Author", related_name="reviewing")

        async def assign(submission_ids, reviewer):
            for sid in submission_ids:
                sub = await Submission.get(id=sid)
                await sub.reviewers.add(reviewer)

        async def assign_one(submission_id, reviewers):
            sub = await Submission.get(id=submission_id)
            for r in reviewers:
                print(r)
            await sub.reviewers.add(*reviewers)
        """
    assert _codes_by_line(tortoise, "PF205") == {12: {"PF205"}}


def test_sqlalchemy_rows_of_a_statement_bound_once_and_commits_after_collection_changes():
    source = """
        from sqlalchemy import ForeignKey, select
        from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, selectinload

        class Base(DeclarativeBase):
            pass

        class Carrier(Base):
            __tablename__ = "carriers"
            id: Mapped[int] = mapped_column(primary_key=True)
            name: Mapped[str]

        class Shipment(Base):
            __tablename__ = "shipments"
            id: Mapped[int] = mapped_column(primary_key=True)
            carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"))
            carrier: Mapped[Carrier] = relationship()

        def labels(session: Session):
            stmt = select(Shipment).where(Shipment.id > 0)
            return [s.carrier.name for s in session.scalars(stmt)]

        def labels_loaded(session: Session):
            stmt = select(Shipment).options(selectinload(Shipment.carrier))
            return [s.carrier.name for s in session.scalars(stmt)]
        """
    assert _codes_by_line(source, "PF202") == {21: {"PF202"}}


def test_a_model_property_that_reads_a_relation_runs_its_query_per_row(tmp_path):
    (tmp_path / "manage.py").write_text("")
    app = tmp_path / "wiki"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(textwrap.dedent("""
        from django.db import models

        class Space(models.Model):
            owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)

        class Page(models.Model):
            space = models.ForeignKey(Space, on_delete=models.CASCADE)

            @property
            def owner_name(self):
                return self.space.owner.username

            @property
            def space_key(self):
                return self.space_id

            @property
            def summary(self):
                data = {"id": self.pk}
                data["owners"] = [self.space.owner.username]
                return data
        """))
    views = app / "views.py"
    views.write_text(textwrap.dedent("""
        from wiki.models import Page

        def owners():
            return {p.owner_name for p in Page.objects.all()}

        def keys():
            return {p.space_key for p in Page.objects.all()}

        def owners_loaded():
            return {p.owner_name for p in Page.objects.select_related("space__owner")}

        def summaries():
            return [p.summary for p in Page.objects.all()]
        """))
    findings = [f for f in lint_file(str(views)) if f.code == "PF202"]
    # Only one-``return`` properties are followed: ``summary`` does other work per call.
    assert [(f.line, "owner_name" in f.message) for f in findings] == [(5, True)]


# --- hold-out round 3 categories -----------------------------------------------------------------


def test_a_connection_returned_by_a_getter_of_the_module_is_a_connection():
    # The Flask tutorial's ``get_db()``: ``g.db = sqlite3.connect(...)``, ``return g.db``.
    source = textwrap.dedent("""
        import sqlite3
        from flask import g

        def get_db():
            if "db" not in g:
                g.db = sqlite3.connect("app.sqlite")
            return g.db

        def get_thing(name):
            return name

        def tag(ids, tag):
            db = get_db()
            for entry_id in ids:
                db.execute("INSERT INTO entry_tag VALUES (?, ?)", (entry_id, tag))

        def tag_many(ids, tag):
            db = get_db()
            db.executemany("INSERT INTO entry_tag VALUES (?, ?)", [(i, tag) for i in ids])

        def other(ids):
            thing = get_thing("x")
            for i in ids:
                thing.execute(i)
        """)
    findings = [f for f in lint_source(source, "example.py") if f.code == "PF206"]
    assert [f.line for f in findings] == [16]


def test_rows_handed_to_a_method_by_self_calls_are_the_callers_queryset():
    source = textwrap.dedent("""
        from django.core.management.base import BaseCommand
        from accounts.models import Account

        class Command(BaseCommand):
            def handle(self, *args, **options):
                dormant = Account.objects.filter(last_login__isnull=True)
                self.archive(dormant)
                self.names(Account.objects.select_related("profile"))
                self.plain([1, 2, 3])

            def archive(self, accounts):
                for acc in accounts:
                    if acc.order_set.exists():
                        continue
                    acc.delete()

            def names(self, accounts):
                return [acc.profile.display_name for acc in accounts]

            def plain(self, accounts):
                for acc in accounts:
                    acc.delete()
        """)
    findings = sorted((f.line, f.code) for f in lint_source(source, "example.py") if f.code.startswith("PF2"))
    assert findings == [(14, "PF202"), (16, "PF205")]
    # A method also called on another receiver is not followed: its callers are not all seen.
    other = source + "\ndef run(cmd, rows):\n    cmd.archive(rows)\n"
    assert not [f for f in lint_source(other, "example.py") if f.code.startswith("PF2") and f.line in (14, 16)]


def _l2(source: str) -> list[tuple[int, str]]:
    return sorted((f.line, f.code) for f in lint_source(textwrap.dedent(source), "example.py") if f.code.startswith("PF2"))


def test_rows_read_in_a_lambda_a_builtin_runs_per_row():
    # sorted/min/max(key=lambda), map/filter(lambda, rows): the lambda is the loop body.
    source = """
        from forum.models import Member, Post

        def ranked(board):
            posts = Post.objects.filter(board=board)
            return sorted(posts, key=lambda p: p.author.reputation)

        def emails(team):
            return list(map(lambda m: m.profile.contact_email, Member.objects.filter(team=team)))

        def ranked_joined(board):
            posts = Post.objects.filter(board=board).select_related("author")
            return sorted(posts, key=lambda p: p.author.reputation)

        def newest(board):
            return max(Post.objects.filter(board=board), key=lambda p: p.created_at)

        def pairs(a, b):
            return min(a, b, key=lambda p: p.author.reputation)
        """
    assert _l2(source) == [(6, "PF202"), (9, "PF202")]


def test_the_groups_of_itertools_groupby_are_rows_of_its_queryset():
    source = """
        from itertools import groupby
        from operator import attrgetter
        from forum.models import Answer

        def by_thread(board):
            answers = Answer.objects.filter(board=board).order_by("post_id")
            out = {}
            for post_id, group in groupby(answers, key=attrgetter("post_id")):
                out[post_id] = [a.author.username for a in group]
            return out

        def by_thread_joined(board):
            answers = Answer.objects.filter(board=board).select_related("author").order_by("post_id")
            return {k: [a.author.username for a in g] for k, g in groupby(answers, key=attrgetter("post_id"))}
        """
    assert _l2(source) == [(10, "PF202")]


def test_flask_sqlalchemy_db_select_is_sqlalchemy_select():
    source = """
        from flask_sqlalchemy import SQLAlchemy
        from sqlalchemy.orm import joinedload

        db = SQLAlchemy()

        class Team(db.Model):
            id = db.Column(db.Integer, primary_key=True)

        class Volunteer(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            team_id = db.Column(db.ForeignKey("team.id"))
            team = db.relationship("Team")

        def lookup(ids):
            return [db.session.execute(db.select(Volunteer).filter_by(id=i)).scalar_one() for i in ids]

        def teams():
            return [v.team for v in db.session.scalars(db.select(Volunteer))]

        def teams_joined():
            return [v.team for v in db.session.scalars(db.select(Volunteer).options(joinedload(Volunteer.team)))]

        def lookup_once(ids):
            return db.session.scalars(db.select(Volunteer).where(Volunteer.id.in_(ids))).all()
        """
    assert [line for line, _ in _l2(source)] == [16, 19]


def test_a_pool_of_unknown_origin_in_an_asyncpg_module_hands_out_asyncpg_connections():
    source = """
        import asyncpg

        async def assign(request, ids, agent):
            async with request.app["pool"].acquire() as conn:
                for tid in ids:
                    await conn.execute("UPDATE tickets SET assignee = $1 WHERE id = $2", agent, tid)
        """
    assert _l2(source) == [(7, "PF206")]
    # Another library with pools in the module: the pool may be one of its.
    assert _l2(source.replace("import asyncpg", "import asyncpg\n        import aiomysql")) == []


def test_a_cursor_read_after_another_execute_does_not_hide_the_write():
    source = """
        import sqlite3

        def load(conn: sqlite3.Connection, rows):
            cur = conn.cursor()
            for sku, amount in rows:
                cur.execute("SELECT 1 FROM products WHERE sku = ?", (sku,))
                if cur.fetchone() is None:
                    continue
                cur.execute("INSERT INTO prices (sku, amount) VALUES (?, ?)", (sku, amount))

        def returning(conn: sqlite3.Connection, rows):
            cur = conn.cursor()
            for sku, amount in rows:
                cur.execute("INSERT INTO prices (sku, amount) VALUES (?, ?) RETURNING id", (sku, amount))
                print(cur.fetchone())
        """
    assert _l2(source) == [(7, "PF206"), (10, "PF206")]


def test_a_related_manager_get_with_key_lookups_per_item():
    source = """
        from stock.models import Warehouse

        def reconcile(code, counts, cache):
            warehouse = Warehouse.objects.get(code=code)
            for count in counts:
                bin_ = warehouse.bins.get(pk=count.bin_id)
                entry = cache.entries.get(count.key)
                other = cache.session.get(key=count.key)
        """
    assert _l2(source) == [(7, "PF201")]


def test_a_get_or_create_the_loop_never_changes_runs_the_same_query_each_time():
    source = """
        from accounts.models import Subscription, Tag

        def tag_trials(ids, label):
            for sub in Subscription.objects.filter(pk__in=ids):
                tag, _ = Tag.objects.get_or_create(name="trial")
                other, _ = Tag.objects.get_or_create(name=label)
                per_row, _ = Tag.objects.get_or_create(name=sub.plan_code)
                stamped, _ = Tag.objects.get_or_create(name=make_label())

        def once(ids):
            tag, _ = Tag.objects.get_or_create(name="trial")
            for name in ("a", "b"):
                Tag.objects.get_or_create(name="trial")

        def renamed(ids):
            for sub in ids:
                label = sub.upper()
                Tag.objects.get_or_create(name=label)
        """
    found = _l2(source)
    assert (6, "PF205") in found and (7, "PF205") in found
    assert not [f for f in found if f[0] in (9, 12, 14)]


def test_a_dbapi_commit_per_written_row():
    source = """
        import psycopg2

        def purge(conn, rows):
            with conn.cursor() as cur:
                for sku, region in rows:
                    cur.execute("DELETE FROM prices WHERE sku = %s AND region = %s", (sku, region))
                    conn.commit()

        def purge_once(conn, rows):
            with conn.cursor() as cur:
                for sku, region in rows:
                    cur.execute("DELETE FROM prices WHERE sku = %s AND region = %s", (sku, region))
                conn.commit()

        def guarded(conn, rows):
            with conn.cursor() as cur:
                for sku, region in rows:
                    try:
                        cur.execute("DELETE FROM prices WHERE sku = %s", (sku,))
                        conn.commit()
                    except psycopg2.Error:
                        conn.rollback()

        def chunks(conn, rows):
            with conn.cursor() as cur:
                for start in range(0, len(rows), 500):
                    cur.execute("DELETE FROM prices WHERE sku = ANY(%s)", ([r[0] for r in rows[start:start + 500]],))
                    conn.commit()

        def reads(conn, skus):
            with conn.cursor() as cur:
                for sku in skus:
                    cur.execute("SELECT 1 FROM prices WHERE sku = %s", (sku,))
                    conn.commit()
        """
    found = [f for f in _l2(source) if f[0] in (8, 14, 21, 29, 35)]  # the commits
    assert found == [(8, "PF206")]


def test_pandas_read_sql_of_one_statement_per_item():
    source = """
        import pandas as pd
        from sqlalchemy import text

        def daily(engine, days):
            frames = []
            for day in days:
                frames.append(pd.read_sql(text("SELECT * FROM t WHERE day = :d"), engine, params={"d": day}))
            return pd.concat(frames)

        def per_table(engine, tables):
            return [pd.read_sql(f"SELECT count(*) FROM {t}", engine) for t in tables]

        def once(engine, days):
            return pd.read_sql(text("SELECT * FROM t WHERE day = ANY(:d)"), engine, params={"d": days})

        def fixed(engine):
            return [pd.read_sql("SELECT * FROM t WHERE day = %s", engine, params=(d,)) for d in ("a", "b")]
        """
    assert _l2(source) == [(8, "PF206")]


def test_pf209_leaves_out_loops_over_languages_and_tables():
    source = """
        from collections import OrderedDict
        from django.conf import settings
        from cms.models import PageUrl

        def refresh(page, code):
            return PageUrl.objects.get(page=page, language=code)

        def refresh_all(page):
            for code in OrderedDict(settings.LANGUAGES):
                refresh(page, code)

        def refresh_posts(posts):
            for post in posts:
                refresh(post, "en")
        """
    assert _l2(source) == [(15, "PF209")]


def test_a_related_manager_write_per_row_is_reported_as_a_write_not_a_load():
    source = textwrap.dedent(
        """
        from crm.models import Contact

        def tag_all(tag):
            for contact in Contact.objects.filter(active=True):
                contact.labels.add(tag)
                contact.notes.create(text="tagged")
        """
    )
    messages = [f.message for f in lint_source(source, "views.py") if f.code == "PF202"]
    assert len(messages) == 2
    assert all("writes with one query per row" in m and "loads" not in m for m in messages)


def test_a_loop_over_zip_with_a_literal_is_bounded():
    """``zip`` stops at its shortest argument: a literal among them fixes the iterations."""
    source = textwrap.dedent('''
        import pandas as pd

        def plot(axes, engine):
            for ax, year in zip(axes, (2021, 2022, 2023)):
                ax.plot(pd.read_sql("SELECT * FROM cohorts WHERE year = %s", engine, params=(year,)))

        def load(ids, engine):
            for cid in ids:
                pd.read_sql("SELECT * FROM orders WHERE customer = %s", engine, params=(cid,))
    ''')
    found = [(f.code, f.line) for f in lint_source(source, "etl.py", rules=[rule_by_code("PF206")])]
    assert found == [("PF206", 10)]


def test_mongoengine_queries_references_and_saves_per_document():
    """MongoEngine documents of the module: ``Doc.objects(...).first()`` per item (PF201), a
    ``ReferenceField`` or ``ListField(ReferenceField)`` read per document (PF202) unless the
    query ``select_related()``s, and ``save()`` per document of a query (PF205)."""
    source = """
        import mongoengine as me

        class Seller(me.Document):
            handle = me.StringField()

        class Category(me.Document):
            slug = me.StringField()

        class Listing(me.Document):
            title = me.StringField()
            seller = me.ReferenceField(Seller)
            owner = me.LazyReferenceField(Seller)
            categories = me.ListField(me.ReferenceField(Category))

        def lookups(slugs):
            return [Category.objects(slug=slug).first() for slug in slugs]

        def report():
            rows = [(l.title, l.seller.handle) for l in Listing.objects(title__ne="")]
            cats = {c.slug for l in Listing.objects.filter(title__ne="") for c in l.categories}
            lazy = [l.owner.pk for l in Listing.objects()]
            eager = [l.seller.handle for l in Listing.objects().select_related()]
            return rows, cats, lazy, eager

        def fix_sellers():
            for seller in Seller.objects(handle__startswith=" "):
                seller.handle = seller.handle.strip()
                seller.save()
        """
    assert _l2(source) == [(17, "PF201"), (20, "PF202"), (21, "PF202"), (29, "PF205")]


def test_a_row_fetched_per_item_then_saved_and_sqlmodel_exec():
    source = """
        from peewee import DateField, IntegerField, Model
        from sqlmodel import Field, Session, SQLModel, select

        class Loan(Model):
            copy_id = IntegerField()
            returned = DateField(null=True)

        class Mission(SQLModel, table=True):
            id: int = Field(primary_key=True)
            hero_id: int

        def close(copy_ids, today):
            for copy_id in copy_ids:
                loan = Loan.get_or_none(Loan.copy_id == copy_id)
                loan.returned = today
                loan.save()

        def first_missions(session: Session, hero_ids):
            return [session.exec(select(Mission).where(Mission.hero_id == h)).first() for h in hero_ids]

        def all_missions(session: Session, hero_ids):
            return session.exec(select(Mission).where(Mission.hero_id.in_(hero_ids))).all()
        """
    assert _l2(source) == [(15, "PF201"), (17, "PF205"), (20, "PF208")]


def test_rows_read_back_from_a_per_item_cursor_and_dynamodb_update_item():
    source = """
        import boto3
        import psycopg2

        ddb = boto3.client("dynamodb")

        def load(conn, ids):
            with conn.cursor() as cur:
                for product_id in ids:
                    cur.execute("SELECT id FROM products WHERE id = %s", (product_id,))
                    (pid,) = cur.fetchone()
                    cur.execute("SELECT label FROM tags WHERE product_id = %s", (pid,))
                    print(cur.fetchall())

        def walk(conn, start, steps):
            with conn.cursor() as cur:
                node = start
                for _ in steps:
                    cur.execute("SELECT parent FROM nodes WHERE id = %s", (node,))
                    (node,) = cur.fetchone()

        def reprice(items):
            for item in items:
                ddb.update_item(TableName="t", Key={"id": item["id"]}, UpdateExpression="SET p = :p")
        """
    assert _l2(source) == [(10, "PF206"), (12, "PF206"), (24, "PF207")]


def test_graphene_resolvers_run_once_per_parent_object():
    """A ``resolve_*`` method of a ``DjangoObjectType`` served in a ``graphene.List`` reads a
    relation of its parent once per parent (PF210) unless some query of the module prefetches
    it; the related rows it walks read their own relations per row (PF202)."""
    source = """
        import graphene
        from graphene_django import DjangoObjectType
        from catalog.models import Book, Shelf

        class BookType(DjangoObjectType):
            class Meta:
                model = Book

            def resolve_rating(self, info):
                return [r.score for r in self.reviews.all()]

            def resolve_tags(self, info):
                return list(self.tags.all())

        class ShelfType(DjangoObjectType):
            class Meta:
                model = Shelf

            def resolve_labels(self, info):
                return [entry.book.title for entry in self.entries.select_related("book")]

            def resolve_size(self, info):
                return self.books.count()

        class Query(graphene.ObjectType):
            books = graphene.List(BookType)
            shelf = graphene.Field(ShelfType)

            def resolve_books(self, info):
                return Book.objects.prefetch_related("tags")
        """
    assert _l2(source) == [(11, "PF210")]


def test_pony_entities_of_the_module_are_models():
    source = """
        from pony import orm

        db = orm.Database()

        class Branch(db.Entity):
            code = orm.PrimaryKey(str)

        class Registry:
            def get(self, code):
                return code

        @orm.db_session
        def load(rows, registry: Registry):
            return [(Branch.get(code=row["b"]), Registry.get(registry, row["b"])) for row in rows]

        @orm.db_session
        def load_once(codes):
            return {b.code: b for b in orm.select(b for b in Branch if b.code in codes)}
        """
    assert _l2(source) == [(15, "PF201")]


def test_a_helper_handed_the_cursor_queries_once_per_item():
    """A module function that runs ``execute`` on a parameter and reads rows back with
    ``fetchone()`` is a query per call when the module imports a synchronous DB-API driver;
    its argument read back from a per-item query is per item too."""
    source = """
        import psycopg2

        def brand_name(cur, brand_id):
            cur.execute("SELECT name FROM brands WHERE id = %s", (brand_id,))
            row = cur.fetchone()
            return row[0] if row else None

        def load(conn, ids):
            with conn.cursor() as cur:
                for product_id in ids:
                    cur.execute("SELECT brand_id FROM products WHERE id = %s", (product_id,))
                    (brand_id,) = cur.fetchone()
                    print(brand_name(cur, brand_id))

        def one(conn, brand_id):
            with conn.cursor() as cur:
                return brand_name(cur, brand_id)
        """
    assert _l2(source) == [(12, "PF206"), (14, "PF209")]


def test_round7_repository_dunders_and_callbacks_query_once_per_item():
    """A method of the class an attribute or a local holds (``self.items.by_sku``), a class whose
    ``__getitem__``/``__contains__`` queries, used per item, and a querying function handed to
    ``map``/``sorted(key=)``: one round trip per item (PF209). The memoised helper, a loop over a
    constant tuple, and a ``__getitem__`` answered from memory stay silent."""
    source = """
        from functools import lru_cache

        import redis
        from django.db import models

        FEATURES = ("sso", "audit")


        class Plan(models.Model):
            cents = models.IntegerField()


        def plan_price(account):
            return Plan.objects.get(pk=account.plan_id).cents


        @lru_cache(maxsize=64)
        def plan_price_cached(plan_id):
            return Plan.objects.get(pk=plan_id).cents


        class Plans:
            def __init__(self, client: redis.Redis):
                self._r = client

            def __getitem__(self, key):
                return self._r.hgetall(key)

            def __contains__(self, key):
                return bool(self._r.exists(key))

            def by_code(self, code):
                return self._r.hget("plans", code)


        class Local:
            def __init__(self):
                self._d = {}

            def __getitem__(self, key):
                return self._d[key]


        class Service:
            def __init__(self, client: redis.Redis):
                self.plans = Plans(client)

            def codes(self, keys):
                return [self.plans.by_code(k) for k in keys]

            def known(self, keys):
                return [k for k in keys if k in self.plans]

            def revenue(self, accounts):
                return sum(map(plan_price, accounts))

            def revenue_cached(self, accounts):
                return sum(map(plan_price_cached, [a.plan_id for a in accounts]))

            def by_feature(self):
                return sorted(FEATURES, key=plan_price)


        def fetch(client: redis.Redis, keys):
            plans = Plans(client)
            local = Local()
            return [(plans[k], local[k]) for k in keys]
        """
    assert _l2(source) == [(50, "PF209"), (53, "PF209"), (56, "PF209"), (68, "PF209")]


def test_round7_walrus_rows_asyncpg_pairs_and_choices():
    """A row bound by a walrus per item and then saved (PF205) or read through its relation
    (PF202); an asyncpg ``execute`` next to a ``fetchval`` on the same connection (PF206), the
    connection entered from an ``@asynccontextmanager`` method; ``delete_many`` per item (PF207);
    a loop over a Django ``TextChoices``' ``values`` is bounded."""
    source = """
        from contextlib import asynccontextmanager

        import asyncpg
        from django.db import models
        from pymongo import MongoClient


        class Account(models.Model):
            email = models.EmailField()


        class Invoice(models.Model):
            class Status(models.TextChoices):
                OPEN = "open"
                PAID = "paid"

            account = models.ForeignKey(Account, on_delete=models.CASCADE)
            status = models.CharField(max_length=8)


        def owners(ids):
            out = []
            for pk in ids:
                if (inv := Invoice.objects.filter(pk=pk).first()) is not None:
                    out.append(inv.account.email)
                    inv.save()
            return out


        def per_status():
            return {s: Invoice.objects.filter(status=s).count() for s in Invoice.Status.values}


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


        def purge(ids):
            coll = MongoClient().db.entries
            for i in ids:
                coll.delete_many({"actor": i})
        """
    found = _l2(source)
    assert (25, "PF201") in found and (26, "PF202") in found and (27, "PF205") in found
    assert not [line for line, _ in found if line == 32]
    assert (47, "PF206") in found and (48, "PF206") in found
    assert (54, "PF207") in found


def test_round7_rows_of_a_repository_method_and_a_querying_property():
    """Rows returned by a repository method the service holds (``self.items.all()``) lazy-load
    their relation per row (PF202); a property that queries, read per instance of a loop over
    ``list[Entry]`` (PF209); a ``cached_property`` is left alone."""
    source = """
        from functools import cached_property
        from typing import Sequence

        from pymongo.collection import Collection
        from sqlalchemy import ForeignKey, select
        from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


        class Base(DeclarativeBase):
            pass


        class Supplier(Base):
            __tablename__ = "suppliers"
            id: Mapped[int] = mapped_column(primary_key=True)
            name: Mapped[str]


        class Item(Base):
            __tablename__ = "items"
            id: Mapped[int] = mapped_column(primary_key=True)
            supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
            supplier: Mapped[Supplier] = relationship()


        class Items:
            def __init__(self, session: Session):
                self._s = session

            def all(self) -> Sequence[Item]:
                return self._s.scalars(select(Item)).all()


        class Service:
            def __init__(self, session: Session):
                self.items = Items(session)

            def names(self):
                return [i.supplier.name for i in self.items.all()]


        class Entry:
            def __init__(self, coll: Collection, actor_id):
                self.coll = coll
                self.actor_id = actor_id

            @property
            def actor(self):
                return self.coll.find_one({"_id": self.actor_id})

            @cached_property
            def actor_once(self):
                return self.coll.find_one({"_id": self.actor_id})


        def load(coll: Collection) -> list[Entry]:
            return [Entry(coll, d["actor"]) for d in coll.find()]


        def export(coll):
            return [(e.actor, e.actor_once) for e in load(coll)]
        """
    found = _l2(source)
    assert (40, "PF202") in found
    assert [line for line, code in found if code == "PF209"] == [62]


def test_a_property_of_the_projects_models_is_no_relation_to_select(make_package):
    """On rows whose model the rule cannot see, a name the project's models declare only as a
    ``@cached_property`` is not a related row: ``select_related("provider")`` would raise."""
    package = make_package("shop", {"models.py": """\
        from django.db import models
        from django.utils.functional import cached_property

        class Customer(models.Model):
            name = models.CharField(max_length=80)

        class Payment(models.Model):
            order = models.ForeignKey("Order", on_delete=models.CASCADE, related_name="payments")
            payer = models.ForeignKey(Customer, on_delete=models.CASCADE)
            provider_name = models.CharField(max_length=20)

            @cached_property
            def provider(self):
                return self.order.event.providers().get(self.provider_name)
        """})
    services = package / "services.py"
    services.write_text(textwrap.dedent("""\
        def cancel_pending(order):
            for p in order.payments.filter(state="pending"):
                p.provider.cancel(p)
                notify(p.payer.name)
        """))
    findings = lint_source(services.read_text(), path=str(services), rules=[rule_by_code("PF202")])
    assert [(f.line, f.message.split("`")[1]) for f in findings] == [(4, "p.payer")]


def _marked(source: str) -> list[tuple[int, str]]:
    """(line, code) of each ``# expect: PFxxx`` marker in the (dedented) source."""
    found = []
    for number, line in enumerate(textwrap.dedent(source).splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            found.extend((number, code) for code in re.split(r"\s*,\s*", match.group(1)))
    return sorted(found)


def test_round8_related_managers_queried_per_row_tortoise_and_async_django():
    """A Tortoise relation manager (``related_name``, ``ManyToManyField``) queried per row like a
    ``lazy="dynamic"`` relationship (PF201); Django's async terminals on a filtered related
    manager; a helper querying a related manager of a parameter annotated with a model of the
    module, called per row (PF209). Look-alikes: an annotated count, prefetched rows iterated
    without a query, a loop over a constant tuple, an unannotated helper parameter."""
    source = """
        from django.db import models
        from tortoise import fields
        from tortoise.functions import Count
        from tortoise.models import Model

        SEASONS = ("spring", "summer")


        class Variety(Model):
            id = fields.IntField(pk=True)
            season = fields.CharField(max_length=10)
            growers = fields.ManyToManyField("models.Grower", related_name="grown")


        class Packet(Model):
            id = fields.IntField(pk=True)
            variety = fields.ForeignKeyField("models.Variety", related_name="packets")


        class Hall(models.Model):
            name = models.CharField(max_length=40)


        class Seat(models.Model):
            hall = models.ForeignKey(Hall, related_name="seats", on_delete=models.CASCADE)
            taken = models.BooleanField(default=False)


        async def stock():
            out = []
            for v in await Variety.all():
                out.append(await v.packets.all().count())  # expect: PF201
                out.append(await v.growers.all())  # expect: PF201
            rows = await Variety.all().annotate(n=Count("packets"))
            out.extend(v.n for v in rows)
            for v in await Variety.all().prefetch_related("packets"):
                out.extend(p.id for p in v.packets)
            return out


        async def per_season():
            return {s: await Variety.filter(season=s).count() for s in SEASONS}


        async def free_seats(ids):
            out = []
            for pk in ids:
                hall = await Hall.objects.aget(pk=pk)  # expect: PF201
                out.append(await hall.seats.filter(taken=False).acount())  # expect: PF201
            return out


        def _free(hall: Hall) -> int:
            return hall.seats.filter(taken=False).count()


        def _free_untyped(hall) -> int:
            return hall.seats.filter(taken=False).count()


        def board():
            return [(_free(h), _free_untyped(h)) for h in Hall.objects.all()]  # expect: PF209
        """
    assert _l2(source) == _marked(source)


def test_round8_rows_of_one_instance_held_on_self_and_its_row_members():
    """Rows of a related manager of a model instance held on ``self`` (bound to a parameter
    annotated with the model) read a relation per row (PF202), also through a ``@property`` of
    the related model; a chain that ``select_related``s names what is loaded, so only the second
    level is reported; a model method that queries its row, called per row (PF202). Look-alikes:
    the loaded relation, a ``cached_property`` list, a plain attribute of an unknown holder."""
    source = """
        from functools import cached_property

        from django.db import models


        class Family(models.Model):
            slug = models.SlugField()


        class Collector(models.Model):
            name = models.CharField(max_length=80)
            institute = models.ForeignKey("Institute", on_delete=models.PROTECT)


        class Institute(models.Model):
            name = models.CharField(max_length=80)


        class Specimen(models.Model):
            family = models.ForeignKey(Family, related_name="specimens", on_delete=models.PROTECT)
            collector = models.ForeignKey(Collector, related_name="specimens", on_delete=models.PROTECT)

            @property
            def label(self):
                return self.collector.name

            def scan_count(self):
                return self.scans.count()


        class Scan(models.Model):
            specimen = models.ForeignKey(Specimen, related_name="scans", on_delete=models.CASCADE)


        class FamilyPage:
            def __init__(self, family: Family, other):
                self.family = family
                self.other = other

            def __iter__(self):
                for spec in self.family.specimens.all():
                    yield spec.label, spec.scans.count()  # expect: PF202, PF202

            def loaded(self):
                return [s.collector.institute.name for s in self.family.specimens.select_related("collector")]  # expect: PF202

            def unknown_holder(self):
                return [s.collector.name for s in self.other.specimens.all()]

            @cached_property
            def first_names(self):
                return [s.collector.name for s in self.family.specimens.select_related("collector")]


        def region_rows(region):
            rows = Specimen.objects.filter(family__slug=region).select_related("collector")
            return [(s.label, s.scan_count()) for s in rows]  # expect: PF202


        def region_rows_prefetched(region):
            rows = Specimen.objects.filter(family__slug=region).select_related("collector").prefetch_related("scans")
            return [(s.label, s.scan_count()) for s in rows]
        """
    found = _l2(source)
    assert found == _marked(source)


def test_round8_drf_list_views_sitemaps_and_row_helpers():
    """PF210: a list viewset that builds its rows in a plain ``get_queryset`` lists through its
    serializer; ``to_representation`` runs per row; a function of the module handed the row that
    queries; a sitemap's ``location`` per item of a plain ``items()`` query. Look-alikes: what the
    get_queryset loads, a value method on a plain field, a sitemap reading the row's own field,
    an ``items()`` that is a list of names."""
    source = """
        from django.contrib.sitemaps import Sitemap
        from django.db import models
        from django.urls import reverse
        from rest_framework import serializers, viewsets


        class Venue(models.Model):
            name = models.CharField(max_length=80)
            seats = models.IntegerField()


        class Screening(models.Model):
            venue = models.ForeignKey(Venue, on_delete=models.PROTECT)
            film = models.ForeignKey("Film", on_delete=models.PROTECT)
            slug = models.SlugField()


        class Ticket(models.Model):
            screening = models.ForeignKey(Screening, related_name="tickets", on_delete=models.CASCADE)


        def _sold(screening: Screening) -> int:
            return screening.tickets.count()


        class ScreeningSerializer(serializers.ModelSerializer):
            hall = serializers.SerializerMethodField()
            sold = serializers.SerializerMethodField()

            def get_hall(self, obj):
                return obj.venue.name

            def get_sold(self, obj):
                return _sold(obj)  # expect: PF210

            def to_representation(self, instance):
                data = super().to_representation(instance)
                data["film"] = instance.film.title  # expect: PF210
                data["slug"] = instance.slug.upper()
                return data


        class ScreeningViewSet(viewsets.ReadOnlyModelViewSet):
            serializer_class = ScreeningSerializer

            def get_queryset(self):
                return Screening.objects.select_related("venue").order_by("slug")


        class ScreeningSitemap(Sitemap):
            def items(self):
                return Screening.objects.all()

            def location(self, item):
                return reverse("screening", args=[item.venue.name, item.slug])  # expect: PF210


        class PlainSitemap(Sitemap):
            def items(self):
                return Screening.objects.order_by("slug")

            def location(self, item):
                return reverse("screening", args=[item.slug])


        class StaticSitemap(Sitemap):
            def items(self):
                return ["home", "about"]

            def location(self, item):
                return reverse(item.owner.name)
        """
    assert _l2(source) == _marked(source)


def test_round8_partial_of_execute_and_one_named_group():
    """``functools.partial(conn.execute, SQL)`` bound to a local or a ``self`` attribute and
    called per item runs one statement per item (PF206); a loop over one group named ``batch``
    walks its items, so a querying helper per item is reported (PF209), while a loop over
    ``batches`` calls a batched helper per group. Look-alikes: the partial over a constant
    tuple, ``executemany``."""
    source = """
        import functools
        import sqlite3

        from pymongo import MongoClient

        BANDS = ("20m", "40m")
        animals = MongoClient().survey.animals


        def load(conn: sqlite3.Connection, rows):
            insert = functools.partial(conn.execute, "INSERT INTO qso (call) VALUES (?)")
            for r in rows:
                insert((r,))  # expect: PF206
            conn.commit()


        def totals(conn: sqlite3.Connection):
            count = functools.partial(conn.execute, "SELECT count(*) FROM qso WHERE band = ?")
            return {b: count((b,)).fetchone()[0] for b in BANDS}


        def load_many(conn: sqlite3.Connection, rows):
            conn.executemany("INSERT INTO qso (call) VALUES (?)", [(r,) for r in rows])


        class Log:
            def __init__(self, path):
                self.conn = sqlite3.connect(path)
                self.rst_of = functools.partial(self.conn.execute, "SELECT rst FROM qso WHERE id = ?")

            def reports(self, ids):
                return [self.rst_of((i,)).fetchone()[0] for i in ids]  # expect: PF206


        def _animal(collar):
            return animals.find_one({"collar": collar})


        def _owners(collars):
            return list(animals.find({"collar": {"$in": collars}}))


        def tag(batch):
            return [_animal(p["collar"]) for p in batch]  # expect: PF209


        def tag_all(batches):
            return [_owners(b) for b in batches]
        """
    assert _l2(source) == _marked(source)


def test_round8_signal_receiver_rows_and_strawberry_nodes():
    """A receiver's ``instance`` is one row of its ``sender``: the related row of each of its
    related rows, handed on whole, loads per row (PF202). A ``@strawberry.field`` of a type some
    field returns as a list runs its query once per node (PF210). Look-alikes: the relation
    loaded by the chain, a receiver for a ``through`` model, a DataLoader, a type never listed."""
    source = """
        import strawberry
        from django.db import models
        from django.db.models.signals import post_save
        from django.dispatch import receiver
        from sqlalchemy import select
        from sqlalchemy.orm import Session


        class Lot(models.Model):
            code = models.CharField(max_length=20)


        class Batch(models.Model):
            style = models.CharField(max_length=20)


        class Usage(models.Model):
            batch = models.ForeignKey(Batch, related_name="usages", on_delete=models.CASCADE)
            lot = models.ForeignKey(Lot, on_delete=models.PROTECT)


        def _price(lot):
            return 2 if lot.code.startswith("A") else 3


        @receiver(post_save, sender=Batch)
        def costed(sender, instance, **kwargs):
            return sum(_price(u.lot) for u in instance.usages.all())  # expect: PF202


        @receiver(post_save, sender=Batch)
        def costed_loaded(sender, instance, **kwargs):
            return sum(_price(u.lot) for u in instance.usages.select_related("lot"))


        @strawberry.type
        class SailingType:
            id: int

            @strawberry.field
            def seats(self, info) -> int:
                session: Session = info.context["session"]
                return session.scalar(select(Lot.code).where(Lot.id == self.id))  # expect: PF210

            @strawberry.field
            async def busiest(self, info) -> int:
                return await info.context["loader"].load(self.id)


        @strawberry.type
        class PortType:
            id: int

            @strawberry.field
            def name(self, info) -> str:
                session: Session = info.context["session"]
                return session.scalar(select(Lot.code).where(Lot.id == self.id))


        @strawberry.type
        class Query:
            @strawberry.field
            def sailings(self, info) -> list[SailingType]:
                return [SailingType(id=i) for i in range(3)]

            @strawberry.field
            def port(self, info) -> PortType:
                return PortType(id=1)
        """
    assert _l2(source) == _marked(source)
