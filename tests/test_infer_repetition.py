"""Why a function runs again and again (``perflint.repetition``, ``context.runs_repeatedly()``)."""

from __future__ import annotations

import ast
import textwrap

import libcst as cst
import pytest

from perflint.context import ContextEnter, ContextExit, FileContext
from perflint.facts import ModuleFacts
from perflint.repetition import HANDLER, LOOP, PROPERTY, WHILE


def _facts(source: str) -> ModuleFacts:
    text = textwrap.dedent(source).lstrip("\n")
    return ModuleFacts.from_tree(ast.parse(text), text)


def _why(source: str, function: str, path: str = "service.py"):
    """(kind, why) for the module-level def (or Class.method) named ``function``, or None."""
    cls, _, name = function.rpartition(".")
    repeat = _facts(source).repetition(path).get((cls, name))
    return (repeat.kind, repeat.why) if repeat is not None else None


class _Recorder(cst.BatchableCSTVisitor):
    """Asks the context, as a rule would, inside every def."""

    def __init__(self, context: FileContext) -> None:
        super().__init__()
        self.context = context
        self.answers: dict[str, object] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.answers[self.context.function_name] = self.context.runs_repeatedly()


def _asked(source: str, path: str = "service.py") -> dict[str, object]:
    """``context.runs_repeatedly()`` inside each def of ``source``, by its qualified name."""
    text = textwrap.dedent(source).lstrip("\n")
    context = FileContext(_facts(text), path)
    recorder = _Recorder(context)
    cst.visit_batched(cst.parse_module(text), [ContextEnter(context), recorder, ContextExit(context)])
    return recorder.answers


# --- through the traversal context, as rules ask ---------------------------------------


def test_a_flask_route_a_celery_task_and_a_looped_helper_say_why():
    answers = _asked(
        """
        from celery import shared_task
        from flask import Flask

        app = Flask(__name__)

        @app.route("/orders")
        def orders():
            return [total(o) for o in load()]

        def total(order):
            return order

        @shared_task
        def refresh(key):
            return key

        def load():
            return []
        """
    )
    assert answers["orders"] == "web route (`@app.route`)"
    assert answers["total"] == "called in a loop of `orders` (line 8)"
    assert answers["refresh"] == "Celery task"
    # Called once per request (not in a loop): it inherits the route's reason.
    assert answers["load"] == "called by `orders` (line 8), web route (`@app.route`)"


def test_module_level_calls_and_the_main_guard_run_once():
    answers = _asked(
        """
        def setup():
            return 1

        def main():
            return setup()

        CONFIG = setup()

        if __name__ == "__main__":
            main()
        """
    )
    assert answers == {"setup": None, "main": None}


def test_a_nested_def_and_a_lambda_get_no_answer_of_their_own():
    answers = _asked(
        """
        def outer(xs):
            def inner(x):
                return x
            return [inner(x) for x in xs]
        """
    )
    assert answers == {"outer": None, "outer.inner": None}


def test_a_nested_def_is_answered_from_its_own_decorators_signature_and_class():
    answers = _asked(
        """
        from celery import Celery
        from django.http import HttpResponse

        def add_cleanup_task(app):
            @app.task(name="cleanup")
            def cleanup():
                return 1
            return cleanup

        def login_required(view):
            def wrapper(request, *args):
                return view(request, *args)
            return wrapper

        def test_views():
            class Leaky:
                @property
                def total(self):
                    return 1
        """
    )
    assert answers["add_cleanup_task.cleanup"] == "Celery task"
    assert answers["add_cleanup_task"] is None
    # A decorator's wrapper takes `request` first but is no view by that alone.
    assert answers["login_required.wrapper"] is None
    assert answers["test_views.Leaky.total"] == "property (it runs on every access)"


def test_a_view_decorators_wrapper_runs_per_request():
    source = """
        from functools import wraps
        from flask import request

        def expects_json(schema):
            def decorator(view):
                @wraps(view)
                def wrapper(*args, **kwargs):
                    check(request.get_json(), schema)
                    return view(*args, **kwargs)
                return wrapper
            return decorator

        def timed(fn):
            @wraps(fn)
            def wrapper(*args):
                return fn(*args)
            return wrapper

        def unwrapped(view):
            def inner(*args):
                return view(request.args, *args)
            return inner
    """
    answers = _facts(source).repetition("service.py")
    assert answers[("expects_json.decorator", "wrapper")].kind == HANDLER
    assert "view decorator" in answers[("expects_json.decorator", "wrapper")].why
    # No request read: a wrapper may wrap anything. No ``@wraps``: no sign of a wrapper.
    assert ("timed", "wrapper") not in answers
    assert ("unwrapped", "inner") not in answers
    django = """
        from functools import wraps
        from django.http import HttpResponseForbidden

        def staff_only(view):
            @wraps(view)
            def wrapped(request, *args, **kwargs):
                return view(request, *args, **kwargs)
            return wrapped
    """
    assert _facts(django).repetition("decorators.py")[("staff_only", "wrapped")].kind == HANDLER


def test_asking_about_another_def_of_the_module():
    source = "def one(x):\n    pass\n\ndef many(xs):\n    for x in xs:\n        one(x)\n"
    module = cst.parse_module(source)
    context = FileContext(_facts(source), "service.py")
    one = module.body[0]
    assert context.runs_repeatedly(one) == "called in a loop of `many` (line 6)"
    assert context.repeat_of(one).kind == LOOP
    assert context.runs_repeatedly(module.body[1]) is None


# --- the reasons -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "function", "kind", "words"),
    [
        ("from celery import shared_task\n@shared_task(bind=True)\ndef t(self, x):\n    pass\n", "t", HANDLER, "Celery task"),
        ("from celery import Celery\napp = Celery()\n@app.task\ndef t(x):\n    pass\n", "t", HANDLER, "Celery task"),
        ("from proj.celery import app\n@app.task(bind=True)\ndef t(self, x):\n    pass\n", "t", HANDLER, "Celery task"),
        ("from huey import RedisHuey\nhuey = RedisHuey()\n@huey.task()\ndef t(x):\n    pass\n", "t", HANDLER, "task"),
        ("def handler(event, context):\n    pass\n", "handler", HANDLER, "Lambda"),
        ("def lambda_handler(event, _context):\n    pass\n", "lambda_handler", HANDLER, "Lambda"),
        (
            "from fastapi import Depends, FastAPI\napp = FastAPI()\ndef get_db():\n    yield 1\n"
            "@app.get('/x')\ndef x(db=Depends(get_db)):\n    return db\n",
            "get_db",
            HANDLER,
            "FastAPI dependency",
        ),
        # The dependency named inside a parameter's annotation (`Annotated[T, Depends(f)]`).
        (
            "from typing import Annotated\nfrom fastapi import Depends, FastAPI\napp = FastAPI()\n"
            "def get_flags():\n    return {}\n"
            "@app.post('/x')\nasync def x(flags: Annotated[dict, Depends(get_flags)]):\n    return flags\n",
            "get_flags",
            HANDLER,
            "FastAPI dependency",
        ),
        ("from flask import Flask\napp = Flask(__name__)\n@app.route('/x')\ndef x():\n    pass\n", "x", HANDLER, "web route"),
        ("from aiohttp import web\nasync def h(req: web.Request):\n    pass\n", "h", HANDLER, "request handler"),
        ("from django.http import JsonResponse\ndef quota(request):\n    pass\n", "quota", HANDLER, "Django view"),
        (
            "from django.conf import settings\nclass M:\n    def __init__(self, get_response):\n        pass\n"
            "    def __call__(self, request):\n        pass\n",
            "M.__call__",
            HANDLER,
            "Django middleware",
        ),
        # A middleware known by its class name, a class-based view's handler method.
        ("class TimingMiddleware:\n    def __call__(self, request):\n        pass\n", "TimingMiddleware.__call__", HANDLER, "middleware"),
        ("from django.views import View\nclass Report(View):\n    def get(self, request):\n        pass\n", "Report.get", HANDLER, "Django view"),
        (
            "from django.views.generic import TemplateView\nclass Report(TemplateView):\n"
            "    def get(self, *args, **kwargs):\n        pass\n",
            "Report.get",
            HANDLER,
            "class-based view",
        ),
        (
            "from rest_framework import viewsets\nclass Orders(viewsets.ModelViewSet):\n"
            "    def list(self, *args, **kwargs):\n        pass\n",
            "Orders.list",
            HANDLER,
            "class-based view",
        ),
        # A DRF SerializerMethodField's getter runs once per serialized object (`method_name=` too).
        (
            "from rest_framework import serializers\nclass S(serializers.ModelSerializer):\n"
            "    body = serializers.SerializerMethodField()\n    def get_body(self, obj):\n        pass\n",
            "S.get_body",
            HANDLER,
            "per serialized object",
        ),
        (
            "from rest_framework import serializers\nclass S(serializers.Serializer):\n"
            "    body = serializers.SerializerMethodField(method_name='render')\n    def render(self, obj):\n        pass\n",
            "S.render",
            HANDLER,
            "SerializerMethodField",
        ),
        # A property getter runs on every attribute access.
        ("class C:\n    @property\n    def total(self):\n        return 1\n", "C.total", PROPERTY, "every access"),
        ("def one(x):\n    pass\ndef many(xs):\n    for x in xs:\n        one(x)\n", "one", LOOP, "called in a loop of `many` (line 5)"),
        ("def one(x):\n    pass\ndef many(xs):\n    return sum(one(x) for x in xs)\n", "one", LOOP, "`many`"),
        ("def one(x):\n    pass\nfor x in load():\n    one(x)\n", "one", LOOP, "called in a loop (line 4)"),
        # The name does not matter (skipping tests is the rules' choice): `doctest.testmod` is no test.
        ("def testmod(m):\n    pass\ndef run(ms):\n    for m in ms:\n        testmod(m)\n", "testmod", LOOP, "`run`"),
        # A `property` class of the module (enum has one) makes a getter too.
        ("class property:\n    pass\nclass E:\n    @property\n    def name(self):\n        return 1\n", "E.name", PROPERTY, "access"),
        # A script's main loop runs it per item, even under the `__main__` guard.
        (
            "import sys\ndef one(x):\n    pass\nif __name__ == '__main__':\n    for x in sys.argv:\n        one(x)\n",
            "one",
            LOOP,
            "called in a loop (line 6)",
        ),
        (
            "class C:\n    def one(self, x):\n        pass\n    def many(self, xs):\n        return [self.one(x) for x in xs]\n",
            "C.one",
            LOOP,
            "`C.many`",
        ),
        # Transitive: called by something that runs repeatedly.
        (
            "def leaf():\n    pass\ndef mid(x):\n    leaf()\ndef many(xs):\n    for x in xs:\n        mid(x)\n",
            "leaf",
            LOOP,
            "called by `mid` (line 4), called in a loop of `many`",
        ),
        # Handed over as a per-item callback: `map`/`filter`, a `key=`, a `partial` of it.
        ("def one(x):\n    pass\ndef many(xs):\n    return list(map(one, xs))\n", "one", LOOP, "`many` (line 4)"),
        ("def one(x):\n    pass\ndef many(xs):\n    return sorted(xs, key=one)\n", "one", LOOP, "`many` (line 4)"),
        (
            "from functools import partial\ndef one(x, k=1):\n    pass\ndef many(xs):\n"
            "    f = partial(one, k=2)\n    return [f(x) for x in xs]\n",
            "one",
            LOOP,
            "`many` (line 6)",
        ),
        ("import functools\ndef one(x):\n    pass\ndef many(xs):\n    return list(map(functools.partial(one), xs))\n",
         "one", LOOP, "`many`"),
        # A method of an instance built before the loop (or in an outer loop) and used in it.
        (
            "class B:\n    def add(self, x):\n        pass\ndef many(xs):\n    b = B()\n    for x in xs:\n        b.add(x)\n",
            "B.add",
            LOOP,
            "`many` (line 7)",
        ),
        (
            "class B:\n    def add(self, x):\n        pass\ndef many(groups):\n    for g in groups:\n"
            "        b = B(g)\n        for x in g:\n            b.add(x)\n",
            "B.add",
            LOOP,
            "`many` (line 8)",
        ),
        # An instance built at a def's top, its method called there: the method runs whenever the def does.
        (
            "class Doc:\n    def tree(self):\n        pass\ndef render(a):\n    doc = Doc(a)\n    return doc.tree()\n"
            "def many(xs):\n    return [render(x) for x in xs]\n",
            "Doc.tree",
            LOOP,
            "called by `render` (line 6), called in a loop of `many`",
        ),
        # A loop over what a module function returns, annotated `-> Iterator[Event]`: each item is an Event.
        (
            "from typing import Iterator\nclass Event:\n    def recent(self):\n        pass\n"
            "def events(xs) -> Iterator[Event]:\n    yield from ()\n"
            "def keep(xs):\n    return [e for e in events(xs) if e.recent()]\n",
            "Event.recent",
            LOOP,
            "`keep` (line 8)",
        ),
        (
            "from typing import Generator\nclass Event:\n    def recent(self):\n        pass\n"
            "def events(xs) -> Generator[Event, None, None]:\n    yield from ()\n"
            "def keep(xs):\n    for e in events(xs):\n        e.recent()\n",
            "Event.recent",
            LOOP,
            "`keep` (line 9)",
        ),
        # An instance handed to `map`: its `__call__` runs per item (also through `Annotated[...]`).
        (
            "class Norm:\n    def __call__(self, row):\n        pass\n"
            "def clean(rows, norm: Norm):\n    return list(map(norm, rows))\n",
            "Norm.__call__",
            LOOP,
            "`clean` (line 5)",
        ),
        (
            "from typing import Annotated\nfrom fastapi import Depends\nclass Norm:\n    def __call__(self, row):\n        pass\n"
            "def get_norm():\n    return Norm()\n"
            "def clean(rows, norm: Annotated[Norm, Depends(get_norm)]):\n    return list(map(norm, rows))\n",
            "Norm.__call__",
            LOOP,
            "`clean` (line 9)",
        ),
        # An event loop or a retry loop: its own kind, which client rules ignore.
        ("def one():\n    pass\ndef main():\n    while True:\n        one()\n", "one", WHILE, "`while` loop of `main` (line 5)"),
    ],
)
def test_runs_repeatedly_names_the_reason(source, function, kind, words):
    found = _why(source, function)
    assert found is not None and found[0] == kind and words in found[1], found


@pytest.mark.parametrize(
    "source",
    [
        # A callback over a written-out tuple, a `partial` never called in a loop, a name rebound.
        "def one(x):\n    pass\ndef many():\n    return list(map(one, (1, 2, 3)))\n",
        "from functools import partial\ndef one(x):\n    pass\ndef many(xs):\n    f = partial(one, 1)\n    return f()\n",
        "def one(x):\n    pass\ndef many(xs):\n    return sorted(xs, key=len)\n",
    ],
)
def test_callbacks_that_do_not_run_per_item(source):
    assert _why(source, "one") is None


@pytest.mark.parametrize(
    ("source", "function", "path"),
    [
        # Called once, or in loops over a few literal values, or from module level only.
        ("def one(x):\n    pass\ndef main():\n    one(1)\n", "one", "service.py"),
        ("def one(x):\n    pass\ndef main():\n    for x in ('a', 'b'):\n        one(x)\n", "one", "service.py"),
        ("KINDS = ('a', 'b')\ndef one(x):\n    pass\ndef main():\n    for x in KINDS:\n        one(x)\n", "one", "service.py"),
        ("def one(x):\n    pass\ndef main():\n    for i in range(3):\n        one(i)\n", "one", "service.py"),
        ("def one(x):\n    pass\none(3)\n", "one", "service.py"),
        # The loop's iterable runs once.
        ("def load():\n    return []\ndef main():\n    for x in load():\n        print(x)\n", "load", "service.py"),
        # A cached factory runs once whatever calls it; a cached property once per instance.
        (
            "import functools\n@functools.lru_cache(maxsize=1)\ndef client():\n    pass\n"
            "def many(xs):\n    for x in xs:\n        client()\n",
            "client",
            "service.py",
        ),
        ("from functools import cached_property\nclass C:\n    @cached_property\n    def total(self):\n        return 1\n", "C.total", "service.py"),
        # `request` first in a module that uses no web framework.
        ("def fmt(request):\n    pass\n", "fmt", "service.py"),
        # Look-alikes: `.get(key)` is no route, one `event` parameter is no Lambda handler, a `get`
        # method of a class that is no view, `__init__` of a view module's class.
        ("from flask import Flask\ncache = {}\n@cache.get(KEY)\ndef x():\n    pass\n", "x", "service.py"),
        ("def handler(event):\n    pass\n", "handler", "service.py"),
        ("from unittest import mock\n@mock.patch('pkg.client')\ndef check(client):\n    pass\n", "check", "service.py"),
        ("class Store(Base):\n    def get(self, request):\n        pass\n", "Store.get", "service.py"),
        # A GUI toolkit's view class: no web framework imported, not a views module.
        ("from PyQt5.QtWidgets import QTreeView\nclass Tree(QTreeView):\n    def update(self):\n        pass\n", "Tree.update", "widgets.py"),
        ("from django.http import HttpResponse\nclass V:\n    def __init__(self, request):\n        pass\n", "V.__init__", "views.py"),
        # A fresh instance per iteration, its method called once each; a name rebound to something else.
        ("class B:\n    def add(self, x):\n        pass\ndef many(xs):\n    for x in xs:\n        b = B()\n        b.add(x)\n", "B.add", "service.py"),
        ("class B:\n    def add(self, x):\n        pass\ndef many(xs):\n    b = B()\n    b = load()\n    for x in xs:\n        b.add(x)\n", "B.add", "service.py"),
        # Built at a def's top and called there, but the def itself runs once.
        ("class Doc:\n    def tree(self):\n        pass\ndef main(a):\n    doc = Doc(a)\n    return doc.tree()\n", "Doc.tree", "service.py"),
        # A loop over a function returning one Event (not a collection of them), or a shadowed name.
        (
            "class Event:\n    def recent(self):\n        pass\ndef first(xs) -> Event:\n    pass\n"
            "def keep(xs):\n    for e in first(xs).parts:\n        e.recent()\n",
            "Event.recent",
            "service.py",
        ),
        (
            "from typing import Iterator\nclass Event:\n    def recent(self):\n        pass\n"
            "def events(xs) -> Iterator[Event]:\n    yield from ()\n"
            "def keep(xs, events):\n    for e in events(xs):\n        e.recent()\n",
            "Event.recent",
            "service.py",
        ),
        # An instance handed to `map` over a literal tuple; a class without `__call__`.
        (
            "class Norm:\n    def __call__(self, row):\n        pass\n"
            "def clean(norm: Norm):\n    return list(map(norm, (1, 2)))\n",
            "Norm.__call__",
            "service.py",
        ),
        # A nested def is not a module function.
        ("def outer(xs):\n    def inner(x):\n        pass\n    for x in xs:\n        inner(x)\n", "inner", "service.py"),
        # A serializer's `get_x` without a SerializerMethodField named `x` is an ordinary method.
        (
            "from rest_framework import serializers\nclass S(serializers.Serializer):\n"
            "    title = serializers.CharField()\n    def get_body(self, obj):\n        pass\n",
            "S.get_body",
            "service.py",
        ),
    ],
)
def test_runs_repeatedly_stays_silent(source, function, path):
    assert _why(source, function, path) is None


def test_the_answers_are_computed_once_per_module():
    facts = _facts("def one(x):\n    pass\ndef many(xs):\n    for x in xs:\n        one(x)\n")
    assert facts.repetition("a.py") is facts.repetition("a.py")


# --- module facts the answers use ---------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import django\n", True),
        ("from django.db import models\n", True),
        ("from rest_framework import viewsets\n", True),
        ("import djangorestframework_stubs\n", False),
        ("from flask import Flask\n", False),
        ("def django():\n    pass\n", False),
    ],
)
def test_imports_django(source, expected):
    assert _facts(source).imports_django is expected


def test_literal_names_are_module_constants_bound_to_literal_collections():
    facts = _facts("A = ('x', 'y')\nB = [1, [2, 3]]\nC = {'k': f()}\nD = (x, 1)\nE = load()\nif X:\n    F = (1,)\n")
    assert facts.literal_names == {"A", "B", "C"}


def test_a_class_based_view_of_a_views_module_needs_no_framework_import():
    source = "from .base import ReportView\nclass Sales(ReportView):\n    def get(self, *args):\n        pass\n"
    assert _why(source, "Sales.get", "shop/views.py") == (HANDLER, "class-based view")
    assert _why(source, "Sales.get", "shop/reports.py") is None


@pytest.mark.parametrize(
    ("source", "function", "kind", "words"),
    [
        # Hooks a framework calls per signal, per model instance, per template use, per row.
        (
            "from django.dispatch import receiver\nfrom django.db.models.signals import post_save\n"
            "@receiver(post_save, sender=Order)\ndef audit(sender, instance, **kw):\n    pass\n",
            "audit",
            HANDLER,
            "signal receiver",
        ),
        (
            "from pydantic import BaseModel, field_validator\nclass M(BaseModel):\n    x: str\n"
            "    @field_validator('x')\n    @classmethod\n    def check(cls, v):\n        return v\n",
            "M.check",
            HANDLER,
            "pydantic validator",
        ),
        (
            "from sqlalchemy.orm import validates\nclass U(Base):\n    @validates('email')\n"
            "    def check(self, key, value):\n        return value\n",
            "U.check",
            HANDLER,
            "`@validates`",
        ),
        (
            "from django import template\nregister = template.Library()\n@register.filter\ndef md(text):\n    return text\n",
            "md",
            HANDLER,
            "template",
        ),
        (
            "from django.contrib import admin\nclass PA(admin.ModelAdmin):\n    list_display = ['name', 'badge']\n"
            "    def badge(self, obj):\n        return obj.x\n",
            "PA.badge",
            HANDLER,
            "list_display",
        ),
        (
            "import grpc\nclass Orders(pb2_grpc.OrdersServicer):\n    def Place(self, request, context):\n        pass\n",
            "Orders.Place",
            HANDLER,
            "gRPC",
        ),
        (
            "import pika\ndef on_msg(ch, method, props, body):\n    pass\n"
            "def main(ch):\n    ch.basic_consume(queue='q', on_message_callback=on_msg)\n",
            "on_msg",
            HANDLER,
            "per message",
        ),
        # Callbacks run per row or per item, or per hand-over in a loop.
        ("import pandas as pd\ndef score(row):\n    pass\ndef f(df):\n    return df.apply(score, axis=1)\n", "score", LOOP, "loop"),
        ("import pandas as pd\ndef norm(v):\n    pass\ndef f(df):\n    return df['x'].map(norm)\n", "norm", LOOP, "loop"),
        ("def job(x):\n    pass\ndef f(queue, xs):\n    for x in xs:\n        queue.enqueue(job, x)\n", "job", LOOP, "loop"),
        # A call inside a lambda handed over per item.
        ("import pandas as pd\ndef score(r):\n    pass\ndef f(df):\n    return df.apply(lambda r: score(r), axis=1)\n", "score", LOOP, "loop"),
        ("def rank(a):\n    pass\ndef f(xs):\n    return sorted(xs, key=lambda a: (rank(a), a))\n", "rank", LOOP, "loop"),
        ("def job(x):\n    pass\ndef f(pool, xs):\n    return [pool.submit(job, x) for x in xs]\n", "job", LOOP, "loop"),
        (
            "def job(x):\n    pass\nasync def f(loop, xs):\n    for x in xs:\n        await loop.run_in_executor(None, job, x)\n",
            "job",
            LOOP,
            "loop",
        ),
        # Socket.IO event handlers run per message.
        ("from flask_socketio import SocketIO\nsio = SocketIO()\n@sio.on('chat')\ndef chat(data):\n    pass\n", "chat", HANDLER, "Socket.IO"),
        ("import socketio\nsio = socketio.AsyncServer()\n@sio.event\nasync def message(sid, data):\n    pass\n", "message", HANDLER, "Socket.IO"),
        # huey's Django tasks and an arq worker's registered functions run per queued job.
        ("from huey.contrib.djhuey import db_task\n@db_task()\ndef job(x):\n    pass\n", "job", HANDLER, "huey"),
        ("@huey.db_task()\ndef job(x):\n    pass\n", "job", HANDLER, "task"),
        ("import arq\nasync def job(ctx, x):\n    pass\nclass WorkerSettings:\n    functions = [job]\n", "job", HANDLER, "arq"),
        ("from arq import func\nasync def job(ctx):\n    pass\nclass WorkerSettings:\n    functions = (func(job, timeout=5),)\n", "job", HANDLER, "arq"),
    ],
)
def test_registered_hooks_and_handed_callbacks_run_repeatedly(source, function, kind, words):
    found = _why(source, function)
    assert found is not None and found[0] == kind and words in found[1]


@pytest.mark.parametrize(
    ("source", "function", "words"),
    [
        # Classes a framework builds per request or calls per task, resolved through the imports.
        ("import tornado.web\nclass H(tornado.web.RequestHandler):\n    def get(self, x):\n        pass\n", "H.get", "Tornado"),
        ("from tornado.web import RequestHandler\nclass H(RequestHandler):\n    async def prepare(self):\n        pass\n", "H.prepare", "Tornado"),
        ("from flask_restful import Resource\nclass R(Resource):\n    def post(self):\n        pass\n", "R.post", "resource"),
        ("from flask.views import MethodView\nclass R(MethodView):\n    def put(self, i):\n        pass\n", "R.put", "view"),
        ("from celery import Task\nclass T(Task):\n    def run(self, x):\n        pass\n", "T.run", "Celery"),
        # A Falcon responder: no base class, its name and signature in a falcon module.
        ("import falcon\nclass C:\n    def on_get(self, req, resp):\n        pass\n", "C.on_get", "Falcon"),
        ("import falcon\nclass C:\n    def on_post_item(self, req, resp, item_id):\n        pass\n", "C.on_post_item", "Falcon"),
        # Django generic views' hooks, run by `dispatch` per request.
        ("from django.views.generic import ListView\nclass V(ListView):\n    def get_queryset(self):\n        pass\n", "V.get_queryset", "get_queryset"),
        ("from django.views.generic import DetailView\nclass V(DetailView):\n    def get_context_data(self, **kw):\n        pass\n", "V.get_context_data", "per request"),
        # A Django email backend: send_mail() builds one per message, so open() runs per email.
        ("from django.core.mail.backends.base import BaseEmailBackend\nclass B(BaseEmailBackend):\n"
         "    def open(self):\n        pass\n    def close(self):\n        pass\n", "B.open", "send_mail"),
        ("class ApiBackend(AnymailBaseBackend):\n    def open(self):\n        pass\n"
         "    def close(self):\n        pass\n    def send_messages(self, messages):\n        pass\n", "ApiBackend.open", "email backend"),
        # A message backend (email or SMS): built per send_mail()/send_sms(), so its __init__ and
        # send_messages run per message.
        ("class SmsBackend(BaseSmsBackend):\n    def __init__(self, **kw):\n        pass\n"
         "    def send_messages(self, messages):\n        pass\n", "SmsBackend.__init__", "message backend"),
        ("class EmailBackend(BaseEmailBackend):\n    def send_messages(self, email_messages):\n        pass\n",
         "EmailBackend.send_messages", "send_mail"),
        # A Channels consumer's receive runs per WebSocket message.
        ("from channels.generic.websocket import AsyncJsonWebsocketConsumer\nclass C(AsyncJsonWebsocketConsumer):\n"
         "    async def receive_json(self, content):\n        pass\n", "C.receive_json", "WebSocket"),
        # A health check: run on every probe of the health endpoint.
        ("from health_check import HealthCheck\nclass Feed(HealthCheck):\n    async def run(self):\n        pass\n",
         "Feed.run", "health check"),
        ("class DiskCheck(BaseHealthCheckBackend):\n    def check_status(self):\n        pass\n",
         "DiskCheck.check_status", "probe"),
    ],
)
def test_framework_classes_run_their_handler_methods_per_request(source, function, words):
    found = _why(source, function)
    assert found is not None and found[0] == HANDLER and words in found[1]


@pytest.mark.parametrize(
    ("source", "function"),
    [
        # A helper of a handler class, a Task's other method, an `on_get` outside a falcon module,
        # a class named like a handler without the framework's base, a view hook outside web code.
        ("from tornado.web import RequestHandler\nclass H(RequestHandler):\n    def render_rows(self, rows):\n        pass\n", "H.render_rows"),
        ("from celery import Task\nclass T(Task):\n    def on_success(self, retval, task_id, args, kwargs):\n        pass\n", "T.on_success"),
        ("class Widget:\n    def on_get(self, req, resp):\n        pass\n", "Widget.on_get"),
        ("import falcon\nclass C:\n    def on_get(self):\n        pass\n", "C.on_get"),
        ("class Resource:\n    pass\nclass R(Resource):\n    def get(self):\n        pass\n", "R.get"),
        ("class V(TreeView):\n    def get_queryset(self):\n        pass\n", "V.get_queryset"),
        # Not an email backend: a storage backend's open(name), a backend without close(),
        # a cache backend (no mail in its names, no send_messages).
        ("class MailStorageBackend:\n    def open(self, name):\n        pass\n    def close(self):\n        pass\n", "MailStorageBackend.open"),
        ("class B(BaseEmailBackend):\n    def open(self):\n        pass\n", "B.open"),
        ("class RedisBackend(BaseCacheBackend):\n    def open(self):\n        pass\n    def close(self):\n        pass\n", "RedisBackend.open"),
        # Not a message backend: no send_messages (a storage backend), no ...Backend base, or a
        # send_messages without the batch parameter; a health check's helper that is not run().
        ("class S3Backend(BaseStorageBackend):\n    def __init__(self):\n        pass\n", "S3Backend.__init__"),
        ("class SmsBackend:\n    def __init__(self):\n        pass\n    def send_messages(self, m):\n        pass\n", "SmsBackend.__init__"),
        ("class SmsBackend(BaseSmsBackend):\n    def __init__(self):\n        pass\n    def send_messages(self):\n        pass\n", "SmsBackend.__init__"),
        ("class Feed(HealthCheck):\n    def describe(self):\n        pass\n", "Feed.describe"),
        ("class Runner(Check):\n    def run(self):\n        pass\n", "Runner.run"),
        # ``receive`` of a class that is no Channels consumer; ``@bus.on(...)`` without Socket.IO.
        ("class Inbox(Mailbox):\n    def receive(self, msg):\n        pass\n", "Inbox.receive"),
        ("bus = Bus()\n@bus.on('x')\ndef f(data):\n    pass\n", "f"),
        # ``functions = [...]`` without arq, or in a class that is no worker's settings.
        ("def job(ctx):\n    pass\nclass WorkerSettings:\n    functions = [job]\n", "job"),
        ("import arq\ndef job(ctx):\n    pass\nclass Menu:\n    functions = [job]\n", "job"),
    ],
)
def test_framework_look_alikes_do_not_run_per_request(source, function):
    assert _why(source, function) is None


@pytest.mark.parametrize(
    ("source", "function"),
    [
        # A migration-time signal; an admin method not listed; a tag compiled once per template.
        (
            "from django.dispatch import receiver\nfrom django.db.models.signals import post_migrate\n"
            "@receiver(post_migrate)\ndef seed(sender, **kw):\n    pass\n",
            "seed",
        ),
        (
            "from django.contrib import admin\nclass PA(admin.ModelAdmin):\n    list_display = ['name']\n"
            "    def badge(self, obj):\n        return obj.x\n",
            "PA.badge",
        ),
        ("from django import template\nregister = template.Library()\n@register.tag\ndef node(parser, token):\n    pass\n", "node"),
        # A `filter` attribute decorator outside web code; Pool.apply runs once.
        ("import logging\n@log.filter\ndef keep(record):\n    pass\n", "keep"),
        ("def job(x):\n    pass\ndef f(pool):\n    return pool.apply(job, (1,))\n", "job"),
        # A servicer's helper that is no RPC.
        ("class Orders(pb2_grpc.OrdersServicer):\n    def load(self, path):\n        pass\n", "Orders.load"),
        # A lambda called once, or a sort over a few written-out values.
        ("def one(x):\n    pass\ndef f(x):\n    g = lambda: one(x)\n    return g()\n", "one"),
        ("def one(x):\n    pass\ndef f():\n    return sorted(('a', 'b'), key=lambda k: one(k))\n", "one"),
        # Handed over once, outside a loop.
        ("def job(x):\n    pass\ndef f(queue, x):\n    queue.enqueue(job, x)\n", "job"),
    ],
)
def test_hooks_and_callbacks_that_do_not_repeat(source, function):
    assert _why(source, function) is None


@pytest.mark.parametrize(
    ("source", "function"),
    [
        # A column's `.map` / `.apply`, a row-wise `apply`, an executor's `map`.
        ("def geo(ip):\n    pass\ndef f(frame):\n    frame['c'] = frame['ip'].map(geo)\n", "geo"),
        ("def geo(ip):\n    pass\ndef f(frame):\n    frame['c'] = frame['ip'].apply(geo)\n", "geo"),
        ("def row(r):\n    pass\ndef f(frame):\n    return frame.apply(row, axis=1)\n", "row"),
        # A frame's column-wise `apply` runs f once per column: a loop too.
        ("def col(c):\n    pass\ndef f(frame):\n    return frame.apply(col)\n", "col"),
        ("def fetch(u):\n    pass\ndef f(pool, urls):\n    return list(pool.map(fetch, urls))\n", "fetch"),
        # A method of the elements of a `list[Item]` parameter, in a loop and a comprehension.
        ("class Item:\n    def stock(self):\n        pass\ndef f(items: list[Item]):\n    for i in items:\n        i.stock()\n", "Item.stock"),
        ("from typing import Sequence\nclass Item:\n    def stock(self):\n        pass\ndef f(items: Sequence['Item']):\n    return [i.stock() for i in items]\n", "Item.stock"),
    ],
)
def test_callbacks_and_element_methods_run_per_item(source, function):
    found = _why(source, function)
    assert found is not None and found[0] == LOOP, found


@pytest.mark.parametrize(
    ("source", "function"),
    [
        # `Pool.apply` runs once.
        ("def job(a):\n    pass\ndef f(pool):\n    return pool.apply(job, (1,))\n", "job"),
        # One `Item`, not a collection of them, called once.
        ("class Item:\n    def stock(self):\n        pass\ndef f(item: Item, xs):\n    item.stock()\n", "Item.stock"),
    ],
)
def test_calls_that_run_once_or_per_column(source, function):
    assert _why(source, function) is None


def test_a_loop_two_calls_away_counts_its_hops():
    source = "def leaf(x):\n    pass\ndef mid(x):\n    leaf(x)\ndef main(xs):\n    for x in xs:\n        mid(x)\n"
    facts = _facts(source)
    answers = facts.repetition("service.py")
    assert answers[("", "mid")].hops == 0 and answers[("", "leaf")].hops == 1


@pytest.mark.parametrize(
    "source, expected",
    [
        ("class P:\n    def process_item(self, item, spider):\n        return item\n", LOOP),
        ("from itemadapter import ItemAdapter\nclass P:\n    def process_item(self, item):\n        return item\n", LOOP),
        # Without scrapy's signature or imports, a `process_item` is an ordinary method.
        ("class P:\n    def process_item(self, item):\n        return item\n", None),
        ("class P:\n    def process_item(self, item, queue):\n        return item\n", None),
        ("def process_item(item, spider):\n    return item\n", None),
    ],
)
def test_a_scrapy_pipeline_step_runs_per_scraped_item(source, expected):
    cls = "P" if source.lstrip().startswith(("class", "from")) else ""
    found = _why(source, f"{cls}.process_item" if cls else "process_item")
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(
    ("source", "function", "words"),
    [
        # strawberry-django's field decorator; graphene resolvers in a graphene-django module.
        (
            "import strawberry_django\n@strawberry_django.type(M)\nclass B:\n    @strawberry_django.field\n    def blurb(self) -> str:\n        pass\n",
            "B.blurb",
            "GraphQL",
        ),
        ("from graphene_django import DjangoObjectType\nclass C(DjangoObjectType):\n    def resolve_x(self, info):\n        pass\n", "C.resolve_x", "graphene"),
        # A module function handed to a GraphQL field as its resolver, or bound with ariadne's set_field.
        (
            "import strawberry\ndef get_posts() -> list:\n    pass\n@strawberry.type\nclass Query:\n"
            "    posts: list = strawberry.field(resolver=get_posts)\n",
            "get_posts",
            "GraphQL",
        ),
        ("import graphene\ndef rx(root, info):\n    pass\nclass Q(graphene.ObjectType):\n    x = graphene.String(resolver=rx)\n", "rx", "GraphQL"),
        (
            "from ariadne import QueryType\nquery = QueryType()\ndef rp(_, info):\n    pass\n"
            "query.set_field('posts', rp)\n",
            "rp",
            "GraphQL",
        ),
        # Azure Functions' v1 model: the trigger named by the first parameter's annotation.
        ("import azure.functions as func\ndef main(req: func.HttpRequest) -> func.HttpResponse:\n    pass\n", "main", "Azure"),
        ("import azure.functions as func\ndef main(msg: func.QueueMessage) -> None:\n    pass\n", "main", "Azure"),
    ],
)
def test_resolver_callbacks_and_azure_v1_functions_run_repeatedly(source, function, words):
    found = _why(source, function)
    assert found is not None and found[0] == HANDLER and words in found[1]


@pytest.mark.parametrize(
    ("source", "function"),
    [
        # An Azure timer (per schedule tick); `set_field` / `resolver=` of something that is no
        # GraphQL type (a form, a DNS client); a `resolve_` method outside graphene.
        ("import azure.functions as func\ndef main(timer: func.TimerRequest) -> None:\n    pass\n", "main"),
        ("def rp(_, info):\n    pass\nform = Form()\nform.set_field('posts', rp)\n", "rp"),
        ("import dns.resolver\ndef pick():\n    pass\nclient = dns.Client(resolver=pick)\n", "pick"),
        ("from dataclasses import field\nclass C(ObjectType):\n    def resolve_x(self, info):\n        pass\n", "C.resolve_x"),
    ],
)
def test_resolver_and_azure_look_alikes(source, function):
    assert _why(source, function) is None


@pytest.mark.parametrize(
    ("source", "function", "words"),
    [
        # A method of a fresh instance, ``Palette().colour(x)``, runs whenever the caller does.
        (
            "from django import template\nregister = template.Library()\nclass Palette:\n"
            "    def colour(self, t):\n        pass\n@register.filter\ndef label(b):\n    return Palette().colour(b)\n",
            "Palette.colour",
            "template tag",
        ),
        # A class- or staticmethod called on the class, in a task and in a loop.
        (
            "from celery import shared_task\nclass Model:\n    @classmethod\n    def load(cls):\n        pass\n"
            "@shared_task\ndef score(xs):\n    m = Model.load()\n",
            "Model.load",
            "Celery task",
        ),
        (
            "class Risk:\n    @staticmethod\n    def flags():\n        pass\ndef f(rows):\n    for r in rows:\n        Risk.flags()\n",
            "Risk.flags",
            "loop",
        ),
        # DRF calls a serializer's validate_<field>, validate and to_representation per object.
        (
            "from rest_framework import serializers\nclass S(serializers.Serializer):\n"
            "    def validate_manifest(self, value):\n        pass\n",
            "S.validate_manifest",
            "DRF serializer hook",
        ),
        (
            "from rest_framework.serializers import ModelSerializer\nclass S(ModelSerializer):\n"
            "    def to_representation(self, obj):\n        pass\n",
            "S.to_representation",
            "DRF serializer hook",
        ),
    ],
)
def test_fresh_instances_class_calls_and_serializer_hooks_repeat(source, function, words):
    found = _why(source, function)
    assert found is not None and words in found[1], found


@pytest.mark.parametrize(
    ("source", "function"),
    [
        # A fresh instance per iteration: its method runs once per instance (left uncounted).
        ("class Doc:\n    def tree(self):\n        pass\ndef f(rows):\n    for r in rows:\n        Doc().tree()\n", "Doc.tree"),
        # ``validate_x`` of a class that is no serializer; a serializer's helper.
        ("import rest_framework\nclass Form:\n    def validate_email(self, v):\n        pass\n", "Form.validate_email"),
        ("from rest_framework import serializers\nclass S(serializers.Serializer):\n    def validate_(self, v):\n        pass\n", "S.validate_"),
        # Error handlers take a request but run only when something failed.
        (
            "from django.http import HttpRequest\nclass TenantMiddleware:\n"
            "    def process_exception(self, request: HttpRequest, exc: Exception):\n        pass\n",
            "TenantMiddleware.process_exception",
        ),
        ("import django\ndef on_error(request, error):\n    pass\n", "on_error"),
    ],
)
def test_fresh_instance_loops_non_serializers_and_error_hooks_do_not_repeat(source, function):
    assert _why(source, function, path="views.py") is None


@pytest.mark.parametrize(
    ("source", "cls", "words"),
    [
        ("class R:\n    pass\ndef table(ps):\n    return [R() for p in ps]\n", "R", "in a loop of `table`"),
        ("from celery import shared_task\nclass S:\n    pass\n@shared_task\ndef score(k):\n    return S()\n", "S", "Celery task"),
        ("from fastapi import Depends\nclass B:\n    pass\ndef quote(b: B = Depends(B)):\n    pass\n", "B", "FastAPI dependency"),
        (
            "from typing import Annotated\nfrom fastapi import Depends\nclass B:\n    pass\n"
            "def quote(b: Annotated[B, Depends()]):\n    pass\n",
            "B",
            "FastAPI dependency",
        ),
        (
            "from flask_restful import Resource\nclass Items(Resource):\n    def get(self):\n        pass\n",
            "Items",
            "by the framework",
        ),
    ],
)
def test_classes_built_per_item_or_request(source, cls, words):
    from perflint.repetition import built_repeatedly

    found = built_repeatedly(_facts(source), "service.py")
    assert cls in found and words in found[cls], found


@pytest.mark.parametrize(
    "source",
    [
        "class R:\n    pass\nR_ONE = R()\n",  # module level: once
        "class R:\n    pass\ndef main():\n    return R()\n",  # a def that runs once
        "class R:\n    pass\ndef f():\n    return [R() for k in ('a', 'b')]\n",  # a few written-out values
        "class R:\n    pass\nfor k in range(3):\n    R()\n",  # a module-level loop
    ],
)
def test_classes_built_once_or_a_few_times(source):
    from perflint.repetition import built_repeatedly

    assert "R" not in built_repeatedly(_facts(source), "service.py")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from fastapi import Depends\nclass S:\n    def __init__(self):\n        pass\ndef r(s: S = Depends(S)):\n    pass\n", True),
        (
            "from typing import Annotated\nfrom fastapi import Depends\nclass S:\n    def __init__(self):\n        pass\n"
            "def r(s: Annotated[S, Depends()]):\n    pass\n",
            True,
        ),
        # Not a FastAPI module; a class named only as an annotation.
        ("from di import Depends\nclass S:\n    def __init__(self):\n        pass\ndef r(s: S = Depends(S)):\n    pass\n", False),
        ("import fastapi\nclass S:\n    def __init__(self):\n        pass\ndef r(s: S):\n    pass\n", False),
    ],
)
def test_a_fastapi_dependency_class_is_built_per_request(source, expected):
    found = _why(source, "S.__init__")
    assert (found is not None and "FastAPI dependency class" in found[1]) is expected, found


def test_the_def_a_factory_returns_runs_per_item_when_the_factory_call_is_handed_over():
    source = (
        "def make():\n    def resolve(r):\n        pass\n    return resolve\n"
        "def run(rows):\n    return list(map(make(), rows))\n"
    )
    found = _why(source, "make.resolve")
    assert found is not None and found[0] == LOOP and "returned by `make`" in found[1], found
    # Called once, not handed over; or a factory returning something else.
    assert _why("def make():\n    def resolve(r):\n        pass\n    return resolve\ndef run(r):\n    return make()(r)\n", "make.resolve") is None
    assert _why(
        "def make():\n    def resolve(r):\n        pass\n    return len\ndef run(rows):\n    return list(map(make(), rows))\n",
        "make.resolve",
    ) is None


@pytest.mark.parametrize(
    ("getter", "expected"),
    [
        ("    @cached_property\n    def clock(self) -> Clock:\n        return make()\n", True),
        ("    @cached_property\n    def clock(self):\n        return Clock()\n", True),
        ("    @property\n    def clock(self):\n        return Clock()\n", True),
        # A plain method, or a getter that gives something else.
        ("    def clock(self):\n        return Clock()\n", False),
        ("    @cached_property\n    def clock(self):\n        return make()\n", False),
    ],
)
def test_a_property_giving_a_module_class_types_self_attribute(getter, expected):
    source = (
        "from functools import cached_property\nclass Clock:\n    def days(self):\n        pass\n"
        "class Ser:\n" + getter + "    def get_eta(self, rows):\n        for r in rows:\n            self.clock.days()\n"
    )
    found = _why(source, "Clock.days")
    assert (found is not None and found[0] == LOOP) is expected, found
