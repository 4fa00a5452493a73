"""The inference layer: what each name holds, and what a call does, read from the module's ast."""

from __future__ import annotations

import ast
import copy
import textwrap

import pytest

from perflint.facts import ModuleFacts
from perflint.infer import ModuleInference


def infer(source: str) -> ModuleInference:
    source = textwrap.dedent(source)
    return ModuleFacts.from_tree(ast.parse(source), source).inference


def kind(source: str, scope: str, name: str) -> str:
    return infer(source).kind_of_name(scope, name).kind


def expr_kind(source: str, scope: str, expression: str) -> str:
    return infer(source).kind_of(scope, ast.parse(expression, mode="eval").body).kind


# --- literals, displays, comprehensions, constructors ------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("[1, 2]", "list"),
        ("[x for x in y]", "list"),
        ("(1, 2)", "tuple"),
        ("{1, 2}", "set"),
        ("{x for x in y}", "set"),
        ("{}", "dict"),
        ("{k: 1 for k in y}", "dict"),
        ("'text'", "str"),
        ("f'{y}'", "str"),
        ("b'raw'", "bytes"),
        ("list(y)", "list"),
        ("sorted(y)", "list"),
        ("set(y)", "set"),
        ("frozenset(y)", "frozenset"),
        ("bytearray()", "bytearray"),
        ("deque()", "deque"),
        ("defaultdict(list)", "dict"),
        ("Counter(y)", "counter"),
        ("np.zeros(3)", "ndarray"),
        ("pd.read_csv('f.csv')", "dataframe"),
        ("y.split(',')", "list"),
        ("re.findall('a', y)", "list"),
        ("[1] + list(y)", "list"),
        ("y", "unknown"),
        ("len(y)", "int"),
    ],
)
def test_values_have_the_kind_their_expression_makes(value, expected):
    source = f"""
    import re
    import numpy as np
    import pandas as pd
    from collections import Counter, defaultdict, deque

    def f(y):
        x = {value}
    """
    assert kind(source, "f", "x") == expected


def test_a_name_bound_to_two_kinds_is_unknown():
    source = """
    def f(text):
        items = [1, 2, 3]
        if text:
            items = set(text)
        return items
    """
    assert kind(source, "f", "items") == "unknown"


def test_a_none_placeholder_does_not_hide_the_kind():
    source = """
    def f(rows):
        found = None
        if rows:
            found = [r.id for r in rows]
        return found
    """
    assert kind(source, "f", "found") == "list"


def test_a_loop_target_or_unpacking_is_unknown():
    source = """
    def f(rows):
        items = []
        for items in rows:
            pass
        a, b = [1], [2]
    """
    inference = infer(source)
    assert inference.kind_of_name("f", "items").kind == "unknown"
    assert inference.kind_of_name("f", "a").kind == "unknown"


def test_a_split_literal_and_a_literal_display_are_bounded():
    source = """
    def f(fh):
        small = "a b c".split()
        fixed = ["a", "b", "c"]
        read = fh.read().split()
        built = [x for x in fh]
    """
    inference = infer(source)
    assert inference.kind_of_name("f", "small").bounded
    assert inference.kind_of_name("f", "fixed").bounded
    assert not inference.kind_of_name("f", "read").bounded
    assert not inference.kind_of_name("f", "built").bounded


def test_a_literal_split_with_literal_arguments_is_bounded_with_its_size():
    source = """
    REGIONS = "north,south,east,west".split(",")
    HEAD = "a:b:c".split(":", 1)

    def f(sep):
        lines = "x\\ny".splitlines()
        varying = "a,b".split(sep)
    """
    inference = infer(source)
    assert inference.kind_of_name("", "REGIONS").size == 4
    assert inference.kind_of_name("", "HEAD").size == 2
    assert inference.kind_of_name("f", "lines").size == 2
    assert inference.kind_of_name("f", "varying").kind == "list"
    assert not inference.kind_of_name("f", "varying").bounded


def test_a_name_rebound_to_itself_plus_more_keeps_its_kind_but_not_its_size():
    source = """
    def f(rows):
        names = []
        total = ""
        for r in rows:
            names = names + [r.name]
            total = total + r.name + ","
        only = only + [1]
    """
    inference = infer(source)
    names = inference.kind_of_name("f", "names")
    assert names.kind == "list" and not names.bounded
    assert inference.kind_of_name("f", "total").kind == "str"
    assert inference.kind_of_name("f", "only").kind == "unknown"


# --- annotations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "annotation, expected",
    [
        ("list[str]", "list"),
        ("List[int]", "list"),
        ("Sequence[str]", "list"),
        ("Optional[List[int]]", "list"),
        ("list[str] | None", "list"),
        ("'list[str]'", "list"),
        ("set[int]", "set"),
        ("Dict[str, int]", "dict"),
        ("Mapping[str, int]", "dict"),
        ("Iterable[str]", "unknown"),
        ("Union[list, set]", "unknown"),
        ("Session", "sa-session"),
        ("sqlite3.Connection", "dbapi-connection"),
        ("asyncpg.Connection", "asyncpg-connection"),
        ("np.ndarray", "ndarray"),
    ],
)
def test_parameter_annotations_give_the_kind(annotation, expected):
    source = f"""
    import sqlite3
    import asyncpg
    import numpy as np
    from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Union
    from sqlalchemy.orm import Session

    def f(x: {annotation}):
        return x
    """
    assert kind(source, "f", "x") == expected


def test_an_ambiguous_annotation_needs_its_import():
    source = """
    from requests import Session

    def f(s: Session):
        return s
    """
    assert kind(source, "f", "s") == "http-session"


def test_a_return_annotation_gives_the_kind_of_a_call():
    source = """
    def load(rows) -> list[int]:
        return fetch(rows)

    def f(rows):
        ids = load(rows)
    """
    assert kind(source, "f", "ids") == "list"


def test_returned_values_give_the_kind_when_there_is_no_annotation():
    source = """
    def load(rows):
        if not rows:
            return []
        return [r.id for r in rows]

    def f(rows):
        ids = load(rows)
    """
    assert kind(source, "f", "ids") == "list"


def test_a_generator_function_returns_no_list():
    source = """
    def load(rows):
        yield 1
        return []

    def f(rows):
        ids = load(rows)
    """
    assert kind(source, "f", "ids") == "unknown"


# --- classes ----------------------------------------------------------------------------


def test_self_attributes_from_init_and_other_methods():
    source = """
    import requests

    class Crawler:
        def __init__(self, seeds):
            self.visited = []
            self.queue = list(seeds)
            self.session = None

        def start(self):
            self.session = requests.Session()

        def run(self):
            return self.visited
    """
    inference = infer(source)
    assert inference.attribute_kind("Crawler", "visited").kind == "list"
    assert inference.attribute_kind("Crawler", "queue").kind == "list"
    assert inference.attribute_kind("Crawler", "session").kind == "http-session"
    assert inference.kind_of("Crawler.run", ast.parse("self.visited", mode="eval").body).kind == "list"


def test_dataclass_fields_and_class_annotations():
    source = """
    from dataclasses import dataclass, field

    @dataclass
    class Cart:
        lines: list = field(default_factory=list)
        skus: "set[str]" = field(default_factory=set)
        coupons: list[str] = field(default_factory=lambda: ["a"])
        owner: str = ""
    """
    inference = infer(source)
    assert inference.attribute_kind("Cart", "lines").kind == "list"
    assert inference.attribute_kind("Cart", "skus").kind == "set"
    assert inference.attribute_kind("Cart", "coupons").kind == "list"
    assert inference.attribute_kind("Cart", "owner").kind == "str"


def test_an_attribute_rebound_to_another_kind_is_unknown():
    source = """
    class Box:
        def __init__(self):
            self.items = []

        def freeze(self):
            self.items = tuple(self.items)
    """
    assert infer(source).attribute_kind("Box", "items").kind == "unknown"


def test_attributes_are_inherited_from_classes_of_the_module():
    source = """
    class Base:
        def __init__(self):
            self.pending = []

    class Child(Base):
        def run(self):
            return self.pending
    """
    assert infer(source).attribute_kind("Child", "pending").kind == "list"


def test_self_in_a_nested_function_is_the_methods_self():
    source = """
    class Box:
        def __init__(self):
            self.items = []

        def each(self):
            def inner():
                return self.items
            return inner
    """
    assert expr_kind(source, "Box.each.inner", "self.items") == "list"


# --- usage and clients ------------------------------------------------------------------


def test_a_parameter_used_as_a_queue_is_a_list():
    source = """
    def drain(queue, other):
        while queue:
            item = queue.pop(0)
            queue.append(item)
        other.pop(0)
    """
    inference = infer(source)
    assert inference.kind_of_name("drain", "queue").kind == "list"
    assert inference.kind_of_name("drain", "other").kind == "unknown"


def test_a_parameter_that_executes_and_fetches_is_a_cursor_next_to_a_sync_driver_only():
    source = """
    import psycopg2

    def brand(cur, key):
        cur.execute("SELECT name FROM brands WHERE id = %s", (key,))
        return cur.fetchone()

    def run(cur, sql):
        cur.execute(sql)
    """
    inference = infer(source)
    assert inference.kind_of_name("brand", "cur").kind == "dbapi-cursor"
    assert inference.kind_of_name("run", "cur").kind == "unknown"  # no rows read: any object with execute()
    mixed = infer("import psycopg2\nimport aiosqlite\n" + textwrap.dedent(source).split("\n", 2)[2])
    assert mixed.kind_of_name("brand", "cur").kind == "unknown"  # an async cursor looks the same


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("sqlite3.connect('db').cursor()", "dbapi-cursor"),
        ("redis.Redis()", "redis-client"),
        ("boto3.resource('dynamodb').Table('t')", "dynamodb-table"),
        ("MongoClient()['shop']['orders']", "mongo-collection"),
        ("MongoClient().shop.orders", "mongo-collection"),
        ("requests.Session()", "http-session"),
        ("httpx.AsyncClient()", "http-client"),
        ("create_engine('url')", "sa-engine"),
        ("Book.objects.filter(x=1)", "django-queryset"),
        ("Book.objects.get(pk=1)", "django-instance"),
    ],
)
def test_clients_and_their_products(expression, expected):
    source = """
    import sqlite3, redis, boto3, requests, httpx
    from pymongo import MongoClient
    from sqlalchemy import create_engine
    from shop.models import Book
    """
    assert expr_kind(source, "", expression) == expected


def test_a_sessionmaker_makes_sessions():
    source = """
    from sqlalchemy.orm import sessionmaker
    SessionLocal = sessionmaker()

    def f():
        db = SessionLocal()
    """
    assert kind(source, "f", "db") == "sa-session"


def test_a_django_model_of_the_module():
    source = """
    from django.db import models

    class Book(models.Model):
        title = models.CharField()

    def f():
        return Book.objects.all()
    """
    inference = infer(source)
    assert inference.class_kind("Book") == "django-model"
    assert inference.kind_of("f", ast.parse("Book.objects.all()", mode="eval").body).kind == "django-queryset"


# --- call facts ---------------------------------------------------------------------------


def test_call_facts_follow_the_modules_functions_and_name_the_chain():
    source = """
    import requests
    from pymongo import MongoClient

    db = MongoClient().app

    def load_user(uid):
        return db.users.find_one({"_id": uid})

    def enrich(event):
        return load_user(event["uid"])

    def notify(url):
        return requests.post(url)

    def pure(x):
        return x + 1
    """
    inference = infer(source)
    effects = inference.function_effects("enrich")
    assert effects is not None and "query" in effects.kinds
    assert effects.chain == ("load_user()", "db.users.find_one()")
    assert "http" in inference.function_effects("notify").kinds
    assert inference.function_effects("pure") is None


def test_call_facts_through_methods_and_recursion_end():
    source = """
    import time

    class Worker:
        def run(self, items):
            for item in items:
                self.step(item)

        def step(self, item):
            self.wait()
            return self.step(item)

        def wait(self):
            time.sleep(1)
    """
    inference = infer(source)
    assert inference.function_effects("Worker.run").kinds == {"block"}


def test_a_local_name_shadows_a_module_function():
    source = """
    import requests

    def fetch(url):
        return requests.get(url)

    def f(urls, fetch):
        for url in urls:
            fetch(url)
    """
    inference = infer(source)
    call = ast.parse("fetch(url)", mode="eval").body
    assert inference.call_effects("f", call) is None


# --- the language server's digest ------------------------------------------------------------


def test_the_digest_changes_only_with_what_other_pieces_can_see():
    base = """
    def load(rows):
        return [r for r in rows]

    def use(rows):
        total = 0
        return load(rows)
    """
    same = base.replace("total = 0", "total = 1")
    changed = base.replace("return [r for r in rows]", "return {r for r in rows}")
    assert infer(base).digest() == infer(same).digest()
    assert infer(base).digest() != infer(changed).digest()


def test_collected_facts_are_reused_for_unchanged_statements():
    source = textwrap.dedent(
        """
        class Box:
            def __init__(self):
                self.items = []

            def get(self):
                return self.items
        """
    )
    tree = ast.parse(source)
    before = ModuleFacts.from_tree(tree, source).inference.digest()
    edited = ast.parse(source.replace("self.items = []", "self.items = set()"))
    # the language server splices the re-parsed member into the old tree
    tree.body[0].body[0] = edited.body[0].body[0]
    second = ModuleFacts.from_tree(tree, source).inference
    assert second.attribute_kind("Box", "items").kind == "set"
    assert second.digest() != before


def test_a_patched_inference_answers_as_a_fresh_one():
    """The language server patches the last keystroke's inference with the edited statement."""
    source = textwrap.dedent(
        """
        import requests

        class Box:
            def __init__(self):
                self.items = []

            def get(self):
                return self.items

        def fetch(url):
            return url

        def use(urls):
            for url in urls:
                fetch(url)
        """
    )
    tree = ast.parse(source)
    previous = ModuleFacts.from_tree(tree, source).inference
    previous.digest()
    edited = ast.parse(source.replace("self.items = []", "self.items = set()").replace("return url", "return requests.get(url)"))
    spliced = ast.Module(body=list(tree.body), type_ignores=[])
    box = copy.copy(tree.body[1])
    box.body = [edited.body[1].body[0], tree.body[1].body[1]]
    spliced.body[1] = box
    spliced.body[2] = edited.body[2]
    facts = ModuleFacts.from_tree(spliced, source)
    patched = ModuleInference(spliced, facts.imports, facts.own_names, previous=previous)
    fresh = ModuleInference(ast.parse(ast.unparse(spliced)), facts.imports, facts.own_names)
    assert patched._parts is not None  # the patch was taken
    assert patched.attribute_kind("Box", "items").kind == fresh.attribute_kind("Box", "items").kind == "set"
    assert patched.function_effects("use").kinds == fresh.function_effects("use").kinds == {"http", "block"}
    assert patched.digest() != previous.digest()


def test_an_attribute_display_filled_by_a_method_is_not_bounded():
    inference = infer(
        """
        class Guard:
            def __init__(self):
                self.offenders = []
                self.methods = ["GET", "HEAD"]

            def punish(self, ip):
                self.offenders.append(ip)
        """
    )
    assert inference.attribute_kind("Guard", "offenders").kind == "list"
    assert not inference.attribute_kind("Guard", "offenders").bounded
    assert inference.attribute_kind("Guard", "methods").size == 2


# --- attributes of parameters annotated with a class of the module ------------------

COURSE = """
from dataclasses import dataclass, field

@dataclass
class Course:
    waitlist: list[int] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)

class Model(models.Model):
    tags = []

def admit(course: Course, quoted: "Course", other, model: Model, applicants):
    course = course
    return quoted

def plain(course: Course):
    return course
"""


def test_an_attribute_of_a_parameter_annotated_with_a_class_of_the_module():
    assert expr_kind(COURSE, "plain", "course.waitlist") == "list"
    assert expr_kind(COURSE, "plain", "course.codes") == "set"
    assert expr_kind(COURSE, "admit", "quoted.waitlist") == "list"  # a string annotation
    assert expr_kind(COURSE, "admit", "other.waitlist") == "unknown"  # not annotated
    assert expr_kind(COURSE, "admit", "course.waitlist") == "unknown"  # rebound in the function
    assert expr_kind(COURSE.replace("import dataclass, field", "import dataclass, field\nfrom django.db import models"), "admit", "model.tags") == "unknown"  # a Django model


def test_an_attribute_extended_from_itself_keeps_the_kind_of_its_other_values():
    source = """
class Run:
    def __init__(self):
        self.log = ""

    def trail(self, items):
        for item in items:
            self.log = self.log + item.number
"""
    inference = infer(source)
    assert inference.attribute_kind("Run", "log").kind == "str"
    assert not inference.attribute_kind("Run", "log").bounded  # grown: no size to trust
    assert infer(source.replace('self.log = ""', "self.log = None")).attribute_kind("Run", "log").kind == "unknown"


def test_a_method_of_an_annotated_parameter_gives_its_return_kind():
    source = """
    from typing import Annotated
    from fastapi import Depends

    class Repo:
        async def codes(self) -> list[str]:
            return []

        def names(self):
            return {"a"}

    async def f(repo: Repo, injected: Annotated[Repo, Depends(get_repo)], other):
        a = await repo.codes()
        b = repo.names()
        c = await injected.codes()
        d = await other.codes()
    """
    assert kind(source, "f", "a") == "list"
    assert kind(source, "f", "b") == "set"
    assert kind(source, "f", "c") == "list"
    assert kind(source, "f", "d") == "unknown"  # an unannotated parameter


def test_a_method_of_an_injected_layer_gives_its_return_kind():
    source = """
    import abc

    class Repo(abc.ABC):
        @abc.abstractmethod
        def emails(self) -> list[str]: ...

    class UnitOfWork:
        customers: Repo

    class Service:
        def __init__(self, repo: Repo, uow: UnitOfWork, other):
            self.repo = repo
            self.uow = uow
            self.other = other
            self.mixed = repo

        def reset(self, fresh):
            self.mixed = fresh

        def f(self):
            a = self.repo.emails()
            b = self.uow.customers.emails()
            c = self.other.emails()
            d = self.mixed.emails()

    def g(uow: UnitOfWork, svc: Service):
        e = uow.customers.emails()
        h = svc.repo.emails()
    """
    assert kind(source, "Service.f", "a") == "list"  # ``self.repo = repo`` with ``repo: Repo``
    assert kind(source, "Service.f", "b") == "list"  # the class annotates ``customers: Repo``
    assert kind(source, "Service.f", "c") == "unknown"  # set from an unannotated parameter
    assert kind(source, "Service.f", "d") == "unknown"  # also set from something else
    assert kind(source, "g", "e") == "list"
    assert kind(source, "g", "h") == "list"


def test_a_property_reads_as_what_its_getter_returns():
    source = """
    class Cart:
        def __init__(self):
            self._lines = []

        @property
        def skus(self) -> list[str]:
            return [ln.sku for ln in self._lines]

        def plain(self) -> list[str]:
            return []

    def f(cart: Cart):
        return cart.skus
    """
    inference = infer(source)
    assert inference.attribute_kind("Cart", "skus").kind == "list"
    assert inference.attribute_kind("Cart", "plain").kind == "unknown"  # a bound method, not a list
    assert expr_kind(source, "f", "cart.skus") == "list"


def test_a_lazy_property_decorator_of_the_library_reads_as_what_it_returns():
    source = """
    from .util import lazyproperty, reify, Lazy

    class Package:
        @lazyproperty
        def parts(self) -> list:
            return []

        @reify
        def names(self):
            return [p.name for p in self.parts]

        @Lazy
        def other(self):
            return []
    """
    inference = infer(source)
    assert inference.attribute_kind("Package", "parts").kind == "list"
    assert inference.attribute_kind("Package", "names").kind == "list"
    assert inference.attribute_kind("Package", "other").kind == "unknown"  # not named like a property


def test_a_property_call_in_the_class_body_reads_as_what_its_getter_returns():
    source = """
    class Dataset:
        def __init__(self):
            self.__headers = None

        def _get_headers(self):
            return self.__headers

        def _set_headers(self, names):
            self.__headers = list(names) if names else None

        def _get_title(self):
            return self._title

        def load(self, **kwargs):
            self.headers = kwargs.get("headers")  # through the setter

        headers = property(_get_headers, _set_headers)
        title = property(fget=_get_title)
        other = property(lambda self: [])
    """
    inference = infer(source)
    assert inference.attribute_kind("Dataset", "headers").kind == "list"
    assert inference.attribute_kind("Dataset", "title").kind == "unknown"  # the getter's value is unknown
    assert inference.attribute_kind("Dataset", "other").kind == "unknown"  # not a method of the class


def test_a_method_of_a_parametrised_generic_class_gives_its_return_kind():
    source = """
    from typing import Generic, TypeVar
    T = TypeVar("T")

    class Registry(Generic[T]):
        def names(self) -> list[str]:
            return []

    class Holder:
        registry: Registry[int]

    def f(registry: Registry[str], holder: Holder, other: list[Registry]):
        a = registry.names()
        b = holder.registry.names()
        c = other.names()
    """
    assert kind(source, "f", "a") == "list"
    assert kind(source, "f", "b") == "list"
    assert kind(source, "f", "c") == "unknown"  # ``list[...]`` is not a class of the module


def test_to_list_and_redis_list_replies_are_lists():
    source = """
    import polars as pl
    import redis

    def f(frame: pl.DataFrame, client: redis.Redis, thing):
        a = frame["id"].to_list()
        b = thing.to_list()
        c = client.lrange("k", 0, -1)
        d = client.smembers("s")
        e = client.get("k")
    """
    assert kind(source, "f", "a") == "list"
    assert kind(source, "f", "b") == "list"
    assert kind(source, "f", "c") == "list"
    assert kind(source, "f", "d") == "set"
    assert kind(source, "f", "e") == "unknown"


def test_all_of_a_flask_sqlalchemy_model_query_is_a_list():
    source = """
    def f(search):
        a = Order.query.filter_by(open=True).order_by(Order.id).all()
        b = Order.query.all()
        c = search.query.filter_by(open=True).all()
        d = Order.query.filter_by(open=True)
    """
    assert kind(source, "f", "a") == "list"
    assert kind(source, "f", "b") == "list"
    assert kind(source, "f", "c") == "unknown"  # not a model class
    assert kind(source, "f", "d") != "list"


def test_a_lookup_shaped_query_on_an_unknown_receiver_is_a_query_but_not_blocking():
    source = """
    def last_before(history, stop):
        return history.all().filter(history_date__lte=stop).first()

    def by_pk(model, pk):
        return model._default_manager.using("default").get(pk=pk)

    def plain(rows, stop):
        return rows.filter(name=stop).first()

    def not_a_query(d, key):
        return d.get(key)
    """
    inference = infer(source)
    effects = inference.function_effects("last_before")
    assert effects is not None and effects.kinds == {"query"}
    assert "query" in inference.function_effects("by_pk").kinds
    assert inference.function_effects("plain") is None  # no ``field__lookup``: could be anything
    assert inference.function_effects("not_a_query") is None


def test_a_local_committed_and_rolled_back_around_its_changes_is_an_orm_session():
    source = """
        def delete_model(self, model):
            session = get_session(self.session)
            try:
                session.delete(model)
                session.commit()
            except Exception:
                session.rollback()

        def finish(self):
            conn = get_connection()
            try:
                conn.commit()
            except Exception:
                conn.rollback()
    """
    assert kind(source, "delete_model", "session") == "sa-session"
    assert kind(source, "finish", "conn") == "unknown"  # no change staged on it: could be anything
    inference = infer(source)
    assert "query" in inference.function_effects("delete_model").kinds


def test_a_context_manager_function_binds_what_it_yields():
    """``with f() as x`` for a ``@contextmanager`` generator binds the ``X`` of its
    ``Iterator[X]`` annotation, else what its one ``yield`` yields."""
    source = """
    from contextlib import contextmanager, asynccontextmanager
    from typing import Iterator
    import sqlite3
    import asyncpg

    @contextmanager
    def opened(path) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(path)
        yield conn

    class Repo:
        def __init__(self, pool: asyncpg.Pool):
            self.pool = pool

        @asynccontextmanager
        async def _conn(self):
            async with self.pool.acquire() as conn:
                yield conn

        async def run(self):
            async with self._conn() as conn:
                pass

    def f(path):
        with opened(path) as conn:
            pass
    """
    assert kind(source, "f", "conn") == "dbapi-connection"
    assert kind(source, "Repo.run", "conn") == "asyncpg-connection"


def test_methods_of_an_attribute_or_a_local_made_by_a_class_constructor():
    source = """
    class Items:
        def by_sku(self, sku):
            return sku

        def __getitem__(self, key):
            return key

    class Service:
        def __init__(self, session):
            self.items = Items(session)

        def one(self, sku):
            return self.items.by_sku(sku)

    def g(keys):
        items = Items()
        return items.by_sku(keys)
    """
    inference = infer(source)
    call = ast.parse("self.items.by_sku(sku)", mode="eval").body
    assert inference.callee("Service.one", call.func) == "Items.by_sku"
    local = ast.parse("items.by_sku(keys)", mode="eval").body
    assert inference.callee("g", local.func) == "Items.by_sku"
    assert inference.instance_method("g", ast.Name("items"), "__getitem__") == "Items.__getitem__"
    assert inference.instance_method("Service.one", ast.parse("self.items", mode="eval").body, "__contains__") is None


def test_peewee_and_tortoise_model_class_calls_are_queries():
    source = """
    from tortoise import fields
    from tortoise.models import Model

    class Coach(Model):
        name = fields.CharField(max_length=80)

    class Plain:
        @classmethod
        def get(cls, **kw):
            return kw

    async def coach_name(session):
        coach = await Coach.get(id=session.coach_id)
        return coach.name

    def plain(x):
        return Plain.get(id=x)
    """
    inference = infer(source)
    effects = inference.function_effects("coach_name")
    assert effects is not None and "query" in effects.kinds and effects.chain == ("Coach.get()",)
    assert inference.function_effects("plain") is None


def test_a_class_of_the_module_that_derives_from_list_holds_a_list():
    source = """
    import typing
    from collections import UserList

    class Fields(list):
        pass

    class Rows(UserList):
        pass

    class Keyed(list):
        def index(self, item):
            return self._positions[item]

    def build(form):
        fields = typing.cast(Fields, form.get("fields"))
        made = Fields()
        rows = Rows()
        keyed = Keyed()
        plain = typing.cast(list[str], form)
        other = typing.cast(dict, form)
        return fields, made, rows, keyed, plain, other
    """
    assert kind(source, "build", "fields") == "list"
    assert kind(source, "build", "made") == "list"
    assert kind(source, "build", "rows") == "list"
    assert kind(source, "build", "keyed") != "list"  # its own search
    assert kind(source, "build", "plain") == "list"
    assert kind(source, "build", "other") != "list"


def test_an_isinstance_guard_that_builds_the_class_decides_what_the_name_holds():
    source = """
    class Fields(list):
        pass

    def merged(form, other):
        arr = form.get("fields")
        if not isinstance(arr, Fields):
            arr = Fields()
        tags = other.get("tags")
        if not isinstance(tags, Fields):
            tags = [tags]
        return arr, tags
    """
    assert kind(source, "merged", "arr") == "list"
    assert kind(source, "merged", "tags") != "list"  # the guard builds something else than it tests


def test_django_async_orm_calls_query_without_blocking():
    """``aget``/``acount``/``asave`` run the query of their sync name, awaited: a query (and a
    write for ``asave``), never a blocking call."""
    inference = infer(
        """
        from django.db import models

        class Seat(models.Model):
            taken = models.BooleanField()

        async def mark(pk):
            seat = await Seat.objects.aget(pk=pk)
            seat.taken = True
            await seat.asave()

        async def free():
            return await Seat.objects.filter(taken=False).acount()
        """
    )
    assert inference.function_effects("mark").kinds == {"query", "write"}
    assert inference.function_effects("free").kinds == {"query"}
