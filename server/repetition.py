"""Why does a function run again and again? (``context.runs_repeatedly()``)

Work that is cheap once is waste when the function around it runs per
request, per event or per item. This module is the one place that knows why
a function of the module runs repeatedly; rules ask it through the traversal
context:

- ``context.runs_repeatedly(function=None) -> Optional[str]``: the reason in
  words a message can quote ("Celery task", "web route (`@app.get`)",
  "called in a loop of `main` (line 12)"), or None;
- ``context.repeat_of(function=None) -> Optional[Repeat]``: the same with its
  kind, for rules that accept only some reasons.

The reasons, each a ``Repeat.kind``:

- ``HANDLER``: the function runs per request, event, message or task: a web
  route (``@app.get("/x")``, ``@app.route``), a Flask request hook
  (``@app.before_request``, ``after_request``, ``teardown_request``), a DRF or Django view (a
  ``def f(request, ...)`` in a module that imports a web framework or lives in
  a views module, ``@api_view``, ``@login_required``, ``@csrf_exempt``...), a view decorator's
  wrapper (a nested def under ``@functools.wraps(...)`` that reads Flask's ``request``, ``g`` or
  ``session``, or takes ``request`` first in a web module), a parameter
  annotated with a framework's request type, a method of a class-based view
  (``get``/``post``/``list``... of a class whose base ends in ``View``,
  ``ViewSet`` or ``APIView``), a Django middleware's ``__call__`` or
  ``process_*``, a DRF serializer's ``SerializerMethodField`` getter (``get_<field>``,
  run per serialized object), a Celery/huey task (``@app.task``, ``@shared_task``), a
  Dramatiq actor, an RQ job (``@job``), a Django signal receiver (``@receiver(post_save)``;
  not the signals sent once per migration or process), a Django template tag or filter
  (``@register.simple_tag`` on a ``template.Library()``), a ``ModelAdmin`` method shown per
  row (named in ``list_display`` or ``@admin.display``), an AWS Lambda handler (``def handler(event, context)``) or
  a FastAPI dependency (``Depends(name)`` anywhere in the module, also inside an
  ``Annotated[...]`` parameter annotation, or a module function whose own parameters are
  injected with ``Depends(...)``: only FastAPI calls it; a dependency class's ``__init__``, for
  ``Depends(Cls)`` or ``Annotated[Cls, Depends()]``, per request); a hook a framework calls per
  instance or use: a pydantic ``field_validator``/``model_validator``/``validator``/serializer,
  a marshmallow ``validates``/``pre_load``/``post_dump``..., SQLAlchemy's ``@validates``, a
  Flask ``@app.template_filter()``; an RPC method ``(self, request, context)`` of a gRPC
  ``...Servicer`` subclass; a function handed to a message consumer as
  ``on_message_callback=`` (pika) or ``on_message=``; a DRF serializer's ``validate_<field>``,
  ``validate``, ``to_representation`` and ``to_internal_value`` (run per object); the per-request hooks of Django's generic
  views (``get_queryset``, ``get_context_data``, ``form_valid``...), a Flask-RESTful / flask-restx
  ``Resource`` verb, a Tornado ``RequestHandler``'s verbs and ``initialize``/``prepare``, a Falcon
  responder (``on_get(self, req, resp)``), a Pyramid ``@view_config`` function, method or class
  (its ``__init__`` and ``__call__``), ``run`` of a class-based Celery task (``celery.Task``,
  ``app.Task``); a GraphQL resolver (graphene's ``resolve_<field>`` on an ``...ObjectType``,
  ``@strawberry.field``, ariadne's ``@obj.field("x")`` on a module-level ``ObjectType``); a
  Google Cloud Function (``@functions_framework.http``/``cloud_event``), an Azure Functions
  trigger other than ``timer_trigger``; a route declared with a bare verb (Litestar's
  ``@get("/x")``, Bottle's ``@route("/x")``); Scrapy's
  downloader middleware's ``process_request``/``process_response`` and a spider's ``parse``/``parse_*``
  callbacks; ``open()`` of a Django email backend (``send_mail()`` builds a backend per message:
  a ``...Backend`` class named for mail or defining ``send_messages``, with ``open(self)`` and
  ``close(self)``). Classes the framework builds per request (views, handlers, resources, email backends) set
  ``Repeat.per_instance``: what they store on ``self`` lives one request;
- ``LOOP``: the module calls it inside a ``for`` loop or a comprehension
  (``f(x)``, ``self.f(x)`` in a method of the same class, ``repo.f(x)`` on a parameter
  annotated ``repo: Repo`` with ``Repo`` a class of the module, ``self.repo.f(x)`` with
  ``self.repo`` bound in ``__init__`` only (from ``repo: Repo`` or ``Repo(...)``) or given by a
  ``@cached_property``/``@property`` getter (``-> Repo`` or ``return Repo(...)``),
  ``container.f(x)`` on a module-level ``container = Container(...)``, ``Model.load()`` on a
  class of the module, a method inherited from
  a base class of the module (a mixin), ``repo[i]`` for its
  ``__getitem__``, ``self.x`` for a ``@property`` ``x``), or hands it to something that
  calls it per item (``map(f, items)``, ``sorted(items, key=f)``, ``pool.map(f, items)``,
  pandas' ``frame.apply(f, axis=1)`` / ``series.map(f)``, ``executor.submit(f, x)`` in a
  loop), not over a few
  written-out values (a literal display, a module constant bound to one,
  ``range(<literal>)``); the loop's first iterable, evaluated once, does not
  count. A call inside a lambda handed over that way runs per item too
  (``df.apply(lambda r: score(r), axis=1)``), and so does a decorated function mapped over items
  (a Prefect task's ``task.map(items)``) or a function handed to RQ's
  ``queue.enqueue(f, x)`` or ``asyncio.to_thread(f, x)`` in a loop, and so does the def a factory
  returns when the factory's call is handed over (``map(make_resolver(), rows)``). A Scrapy item pipeline's
  ``process_item(self, item, spider)`` is called by the engine once per scraped item, so it is a
  ``LOOP`` too. Called by a ``HANDLER`` or ``LOOP`` function (up to three calls
  deep), a function inherits the reason ("called by `mid` (line 4), ...");
- ``WHILE``: called inside a ``while`` loop only: an event loop runs it per
  event, but a retry loop rebuilds on purpose, so rules that build clients
  ignore it;
- ``PROPERTY``: a ``@property`` getter runs on every attribute access (``LOOP``, with
  ``dependency`` set, when the module reads it in a loop or a ``HANDLER``/``LOOP`` method
  reads ``self.x``: what it returns is its product).

A def that takes the exception being handled (``process_exception(self, request, exc)``,
``on_error(request, error)``) runs on the error path only: it is no handler. ``Palette().colour(x)``
outside loops (like ``doc = Doc(x)`` then ``doc.render()``) is a call of ``Palette.colour`` by the
def it stands in; a fresh instance per iteration is not counted.
``with Unit(...) as s:`` runs ``Unit.__enter__`` (``__aenter__``) where it stands; reached that
way it is ``per_instance`` (what it stores on the new ``self`` lives one block). ``x in
self.repo`` in a loop runs ``__contains__`` and ``self.repo[k]`` ``__getitem__`` of the class
``self.repo`` holds. A ``@contextmanager`` helper is no handler, but entered in a loop (or by
repeated code) its body runs per item, with ``dependency`` set (it lends what it yields).

Functions decorated with a cache (``lru_cache``, ``cache``,
``cached_property``, a ``memoize``...) never run repeatedly as far as their
body's cost goes (a factory builds once). Whether
test functions matter is each rule's choice (PF306 skips ``test*``; the client
rules skip test modules). Module-level functions and methods of module-level
classes get every reason; a nested def only what its own decorators,
signature and class say (a task defined inside a setup function), and a
call inside it counts as a call of the enclosing function.

The answer is computed once per module from its stdlib ``ast``
(``ModuleFacts.tree``) and kept on the facts (``ModuleFacts.repetition``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Optional

import libcst as cst

from perflint.blocks import memo_units
from perflint.models_index import ast_dotted

if TYPE_CHECKING:  # pragma: no cover
    from perflint.context import FileContext
    from perflint.facts import ModuleFacts

# Kinds of "runs repeatedly".
HANDLER = "handler"  # runs per request, event, message or task
LOOP = "loop"  # called from a ``for`` loop or comprehension of the module (possibly through other functions)
WHILE = "while"  # called from a ``while`` loop only
PROPERTY = "property"  # a property getter, run on every access

ROUTE_VERBS = frozenset({"get", "post", "put", "delete", "patch", "head", "options", "websocket", "api_route", "route"})
HANDLER_DECORATORS = {
    "rest_framework.decorators.api_view": "DRF view",
    "django.views.decorators.http.require_http_methods": "Django view",
    "django.views.decorators.http.require_GET": "Django view",
    "django.views.decorators.http.require_POST": "Django view",
    "django.views.decorators.http.require_safe": "Django view",
    "django.contrib.auth.decorators.login_required": "Django view",
    "django.contrib.auth.decorators.permission_required": "Django view",
    "django.views.decorators.csrf.csrf_exempt": "Django view",
    "pyramid.view.view_config": "Pyramid view",
}
TASK_DECORATORS = {
    "celery.shared_task": "Celery task",
    "celery.task": "Celery task",
    "dramatiq.actor": "Dramatiq actor",
    "rq.decorators.job": "RQ job",
    "rq.job": "RQ job",
    "huey.contrib.djhuey.task": "huey task",
    "huey.contrib.djhuey.db_task": "huey task",
}
# ``@receiver(signal)``: Django calls the function per signal sent (per save, per request...),
# except for the signals sent once per process or per migration run.
RECEIVER_DECORATORS = frozenset({"django.dispatch.receiver", "django.dispatch.dispatcher.receiver"})
COLD_SIGNALS = frozenset(
    {"post_migrate", "pre_migrate", "class_prepared", "setting_changed", "autoreload_started", "connection_created"}
)
# ``@register.simple_tag`` / ``filter`` / ``inclusion_tag`` of a Django template library: run
# per use in a template, so per render and per item of a template loop.
TEMPLATE_TAGS = frozenset({"simple_tag", "filter", "inclusion_tag"})
# Decorators that make a function build its result once (a client factory), or make it a value.
CACHING_DECORATORS = frozenset(
    {
        "functools.lru_cache",
        "functools.cache",
        "functools.cached_property",
        "django.utils.functional.cached_property",
        "builtins.property",
        "contextlib.contextmanager",
        "contextlib.asynccontextmanager",
    }
)
_CACHING_SUFFIXES = ("lru_cache", "cache", "cached_property", "memoize", "cached", "cache_resource")
DEPENDS = frozenset({"fastapi.Depends", "fastapi.Security", "fastapi.params.Depends", "fastapi.params.Security"})
WEB_FRAMEWORKS = ("django", "rest_framework", "flask", "starlette", "fastapi", "aiohttp", "pyramid", "sanic", "quart")
REQUEST_TYPES = frozenset(
    {
        "aiohttp.web.Request",
        "aiohttp.web_request.Request",
        "aiohttp.web.BaseRequest",
        "django.http.HttpRequest",
        "starlette.requests.Request",
        "fastapi.Request",
        "rest_framework.request.Request",
    }
)
MIDDLEWARE_METHODS = frozenset({"__call__", "__acall__", "process_request", "process_view", "process_response"})
VIEW_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "list", "create", "retrieve", "update", "partial_update", "destroy"}
)
# Django's generic views call these once per request (DRF's generic views too).
GENERIC_VIEW_HOOKS = frozenset(
    {
        "dispatch",
        "get_queryset",
        "get_object",
        "get_context_data",
        "form_valid",
        "form_invalid",
        "get_form_kwargs",
        "get_initial",
        "get_success_url",
        "perform_create",
        "perform_update",
        "perform_destroy",
        "get_serializer_context",
    }
)
RESOURCE_BASES = frozenset({"flask_restful.Resource", "flask_restx.Resource", "flask_restplus.Resource"})
TORNADO_HANDLERS = frozenset({"tornado.web.RequestHandler", "tornado.websocket.WebSocketHandler"})
# Tornado builds a handler per request and calls these on it (``on_message`` per message).
TORNADO_HOOKS = frozenset({"initialize", "prepare", "on_finish", "open", "on_message"})
FALCON_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
PYRAMID_VIEW_DECORATORS = frozenset({"pyramid.view.view_config"})
CELERY_TASK_BASES = frozenset({"celery.Task", "celery.app.task.Task"})
LAMBDA_NAMES = frozenset({"handler", "lambda_handler"})
# GraphQL resolvers run once per parent object of a result (per request for a root field).
STRAWBERRY_RESOLVERS = frozenset(
    {"strawberry.field", "strawberry.mutation", "strawberry.subscription", "strawberry_django.field", "strawberry_django.mutation"}
)
# Imports that make a ``resolve_<field>`` method of an ``...ObjectType`` subclass a graphene resolver.
GRAPHENE_ROOTS = frozenset({"graphene", "graphene_django", "graphene_sqlalchemy"})
# Calls that take a function as a field's ``resolver=`` (``strawberry.field(resolver=f)``,
# ``graphene.Field(T, resolver=f)``): it runs per parent object, like a decorated resolver.
GRAPHQL_ROOTS = GRAPHENE_ROOTS | {"strawberry", "strawberry_django"}
# Azure Functions' v1 model (``def main(req: func.HttpRequest)``): the first parameter's type
# names the trigger; each runs per request, message or event (``func.TimerRequest``: per tick).
AZURE_INPUTS = frozenset(
    {"HttpRequest", "QueueMessage", "ServiceBusMessage", "EventHubEvent", "EventGridEvent", "InputStream", "DocumentList"}
)
ARIADNE_TYPES = frozenset(
    {
        "ariadne.ObjectType",
        "ariadne.QueryType",
        "ariadne.MutationType",
        "ariadne.SubscriptionType",
        "ariadne.InterfaceType",
    }
)
# Google Cloud Functions (``@functions_framework.http``) run per request or event.
CLOUD_FUNCTIONS = frozenset({"functions_framework.http", "functions_framework.cloud_event"})
# Routes declared with a bare verb imported from the framework (Litestar's ``@get("/x")``,
# Bottle's ``@route("/x")``).
BARE_ROUTE_FRAMEWORKS = frozenset({"litestar", "starlite", "bottle"})
# Flask / Quart hooks run around every request (``@app.before_request``, a blueprint's
# ``@bp.before_app_request``); only in a module that imports a web framework.
REQUEST_HOOKS = frozenset(
    {"before_request", "after_request", "teardown_request", "before_app_request", "after_app_request", "teardown_app_request"}
)

# Context-local objects of the current request (``from flask import request``): a different value
# on every request, and a function that reads one runs inside a request.
REQUEST_STATE = ("flask.request", "flask.g", "flask.session", "quart.request", "quart.g", "quart.session",
                 "quart.websocket", "bottle.request", "bottle.response", "sanic.request")
# ``@functools.wraps(view)``: the def is a decorator's wrapper, run on every call of what it wraps.
_WRAPS = frozenset({"functools.wraps", "django.utils.functional.wraps"})

# Decorators that register a function for a framework to call per model instance or per use.
REGISTERED_DECORATORS = {
    "sqlalchemy.orm.validates": "SQLAlchemy `@validates` hook, run per attribute set",
}
PYDANTIC_HOOKS = frozenset(
    {"field_validator", "model_validator", "validator", "root_validator", "field_serializer", "model_serializer"}
)
MARSHMALLOW_HOOKS = frozenset({"validates", "validates_schema", "pre_load", "post_load", "pre_dump", "post_dump"})
# Flask's ``@app.template_filter()`` / ``template_global`` / ``template_test``: run per use in a
# rendered template (Django's template library tags are ``TEMPLATE_TAGS``).
FLASK_TEMPLATE_HOOKS = frozenset({"template_filter", "template_global", "template_test"})
# pika's ``basic_consume(queue=..., on_message_callback=f)``, paho-mqtt's and kombu's
# ``on_message``: f runs once per message.
CONSUMER_KEYWORDS = frozenset({"on_message_callback", "on_message"})
# A DRF serializer runs these once per object it validates or serializes (also ``validate_<field>``).
SERIALIZER_HOOKS = frozenset({"validate", "to_representation", "to_internal_value"})

_MAX_HOPS = 3
# ``pool.map(f, items)``: f runs once per item (executors, ``multiprocessing.Pool``).
_PER_ITEM_MAPS = frozenset({"map", "imap", "imap_unordered", "starmap", "map_async", "starmap_async"})
# ``frame.apply(f, axis=1)``, ``series.map(f)``: pandas calls f once per row, value or group
# (a frame's column-wise ``apply(f)`` once per column: still a loop).
_PER_ROW_APPLY = frozenset({"apply", "map", "applymap", "map_elements", "transform", "agg", "aggregate"})

Key = tuple[str, str]  # (the enclosing classes and functions, dotted, or ""; the function's name)


@dataclass(frozen=True)
class Repeat:
    """Why a function runs repeatedly: ``kind`` is HANDLER, LOOP, WHILE or PROPERTY, ``why``
    reads in a message ("Celery task", "called in a loop of `main` (line 12)")."""

    kind: str
    why: str
    dependency: bool = False  # a FastAPI dependency: yielding the object is its purpose
    # a method of a class the framework instantiates per request (a Tornado handler, a Pyramid
    # view class, a Django class-based view): what it stores on ``self`` lives one request
    per_instance: bool = False
    hops: int = 0  # calls between it and the loop or handler (0: called there directly)


# --- asking from a rule ------------------------------------------------------


def repeat_at(context: "FileContext", function: Optional[cst.CSTNode] = None) -> Optional[Repeat]:
    """``context.repeat_of``: why the current function (or ``function``, a def of this module)
    runs repeatedly, or None."""
    key = _function_key(context, function)
    if key is None:
        return None
    return context.facts.repetition(context.path).get(key)


def _function_key(context: "FileContext", function: Optional[cst.CSTNode]) -> Optional[Key]:
    """(enclosing classes and functions, dotted, or ""; name) for a def; None for lambdas and
    class bodies."""
    scopes = context.scopes
    if function is None:
        index = len(scopes) - 1
    else:
        index = next((i for i in range(len(scopes) - 1, -1, -1) if scopes[i].node is function), -1)
        if index < 0:
            if isinstance(function, cst.FunctionDef) and len(scopes) <= 2:
                owner = scopes[-1]
                if owner.kind == "module":
                    return ("", function.name.value)
                if owner.kind == "class" and len(scopes) == 2:
                    return (owner.name, function.name.value)
            return None
    scope = scopes[index]
    if scope.kind != "function" or not isinstance(scope.node, cst.FunctionDef):
        return None
    outer = ".".join(s.name for s in scopes[1:index] if s.kind in ("class", "function"))
    return (outer, scope.node.name.value)


# --- computing the answers, once per module ----------------------------------


def compute(facts: "ModuleFacts", path: str) -> dict[Key, Repeat]:
    """Why each def of the module runs repeatedly (those that do not are absent). ``path``
    tells a views module from others. Module-level functions and methods of module-level
    classes get every reason; nested defs only what their own decorators, signature and
    class say (a task defined inside a setup function, a view class defined in a test)."""
    tree = facts.tree
    if tree is None:
        return {}
    functions: dict[Key, list[ast.AST]] = {}
    classes: dict[str, ast.ClassDef] = {}
    for statement in _top_level(tree.body):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.setdefault(("", statement.name), []).append(statement)
        elif isinstance(statement, ast.ClassDef):
            classes[statement.name] = statement
            for member in _top_level(statement.body):
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    functions.setdefault((statement.name, member.name), []).append(member)
    if not functions:
        return {}
    scan = _scanned(tree, facts, functions)

    result: dict[Key, Repeat] = {}
    never = {key for key, nodes in functions.items() if any(_caching(node, facts) for node in nodes)}
    # ``@contextmanager`` helpers build nothing once: entered per item, their body runs per item
    # (what they yield is lent to the ``with`` block, like a FastAPI dependency's value)
    lends = {key for key in never if all(_lends(node, facts) for node in functions[key])}
    web = any(value.split(".")[0] in WEB_FRAMEWORKS for value in facts.imports.values())
    views = web or _views_module(path)
    for key, nodes in functions.items():
        if key in never:
            continue
        for node in nodes:
            why = _direct(key, node, facts, path, web)
            role = _class_role(key, classes.get(key[0]), views, facts) if why is None else None
            if why is not None or role is not None:
                result[key] = Repeat(HANDLER, why) if why is not None else Repeat(HANDLER, role[0], per_instance=role[1])
                break
    for key, nodes in functions.items():
        if key[0] and key[1] == "process_item" and key not in never and key not in result:
            if any(_pipeline_step(node, facts) for node in nodes):
                result[key] = Repeat(LOOP, "Scrapy item pipeline `process_item`, called once per scraped item")
    for name in _arq_functions(classes, facts):
        key = ("", name)
        if key in functions and key not in never and key not in result:
            result[key] = Repeat(HANDLER, "arq job (`WorkerSettings.functions`), run per queued job")
    for name in scan.dependencies:
        key = ("", name)
        if key in functions and key not in never and key not in result:
            result[key] = Repeat(HANDLER, "FastAPI dependency (`Depends(...)`), run per request", dependency=True)
    if any(value.split(".")[0] == "fastapi" for value in facts.imports.values()):
        for name, spelled in _dependency_classes(tree, set(classes), facts).items():
            key = (name, "__init__")
            if key in functions and key not in never and key not in result:
                # FastAPI builds the class per request: its ``__init__`` runs per request
                result[key] = Repeat(HANDLER, f"FastAPI dependency class (`{spelled}`), built per request", per_instance=True)
    for name in scan.consumers:
        key = ("", name)
        if key in functions and key not in never and key not in result:
            result[key] = Repeat(HANDLER, "message consumer callback, run per message")
    for name in scan.resolvers:
        key = ("", name)
        if key in functions and key not in never and key not in result:
            result[key] = Repeat(HANDLER, "GraphQL resolver (`resolver=`, `set_field`), run per parent object")
    for caller, callee, line in scan.loop_calls:
        if (callee in never and callee not in lends) or callee in result:
            continue
        where = f" of `{_shown(caller)}`" if caller[1] else ""
        result[callee] = Repeat(LOOP, f"called in a loop{where} (line {line})", dependency=callee in lends)
    for caller, factory, line in scan.factories:
        for returned in _returned_defs(functions.get(("", factory), [])):
            key = (factory, returned.name)
            if key not in result and not _caching(returned, facts):
                where = f" in `{_shown(caller)}`" if caller[1] else ""
                result[key] = Repeat(LOOP, f"called per item, returned by `{factory}` and handed over{where} (line {line})")
    frontier = {key: repeat for key, repeat in result.items() if repeat.kind in (HANDLER, LOOP)}
    for _ in range(_MAX_HOPS):
        grown: dict[Key, Repeat] = {}
        for caller, callee, line in scan.plain_calls:
            if caller not in frontier or (callee in never and callee not in lends) or callee in result or callee in grown or callee == caller:
                continue
            origin = frontier[caller]
            grown[callee] = Repeat(
                origin.kind, f"called by `{_shown(caller)}` (line {line}), {origin.why}", hops=origin.hops + 1, dependency=callee in lends
            )
        if not grown:
            break
        result.update(grown)
        frontier = grown
    for caller, callee, line in scan.while_calls:
        if callee in never or callee in result:
            continue
        where = f" of `{_shown(caller)}`" if caller[1] else ""
        result[callee] = Repeat(WHILE, f"called in a `while` loop{where} (line {line})")
    getters: list[Key] = [key for key, nodes in functions.items() if key[0] and any(_is_property(n, facts) for n in nodes)]
    for key, node, cls in _all_nested_defs(tree):
        if key in functions or key in result:
            continue
        if cls is not None and _is_property(node, facts):
            getters.append(key)
        if _caching(node, facts):
            continue
        why = _direct(key, node, facts, path, web, in_class=cls is not None, nested=True)
        if why is None and cls is None:
            why = _view_wrapper(node, facts, path, web)
        role = _class_role(key, cls, views, facts) if why is None else None
        if why is not None or role is not None:
            result[key] = Repeat(HANDLER, why) if why is not None else Repeat(HANDLER, role[0], per_instance=role[1])
    read_in_loop = {callee: (caller, line) for caller, callee, line in reversed(scan.loop_reads)}
    read_by_repeated = {
        callee: (caller, line)
        for caller, callee, line in reversed(scan.plain_reads)
        if caller in result and result[caller].kind in (HANDLER, LOOP) and callee != caller
    }
    for key in getters:
        if key in read_in_loop and key not in result:
            # Read per iteration: each read builds what the getter returns, so handing it
            # back is no reason to keep it (``dependency``: returning it is the getter's job).
            caller, line = read_in_loop[key]
            where = f" of `{_shown(caller)}`" if caller[1] else ""
            result[key] = Repeat(LOOP, f"a property read in a loop{where} (line {line})", dependency=True)
        elif key in read_by_repeated and key not in result:
            # Read by a method that runs per item or request: the getter runs as often.
            caller, line = read_by_repeated[key]
            origin = result[caller]
            result[key] = Repeat(
                LOOP, f"a property read by `{_shown(caller)}` (line {line}), {origin.why}", dependency=True, hops=origin.hops + 1
            )
        result.setdefault(key, Repeat(PROPERTY, "property (it runs on every access)"))
    for key, repeat in list(result.items()):
        if key[1] in ("__enter__", "__aenter__") and repeat.kind in (HANDLER, LOOP) and not repeat.per_instance:
            # Reached by ``with Unit():`` on a new instance: what it stores on ``self`` lives one block.
            result[key] = replace(repeat, per_instance=True)
    return result


def _returned_defs(nodes: list[ast.AST]) -> list[ast.AST]:
    """The defs nested in a factory that it returns by name (``def resolve(...): ...``, then
    ``return resolve``), read from its own statements."""
    found = []
    for node in nodes:
        body = getattr(node, "body", [])
        nested = {d.name: d for d in body if isinstance(d, (ast.FunctionDef, ast.AsyncFunctionDef))}
        for statement in body:
            if isinstance(statement, ast.Return) and isinstance(statement.value, ast.Name) and statement.value.id in nested:
                found.append(nested[statement.value.id])
    return found


def _arq_functions(classes: dict[str, ast.ClassDef], facts: "ModuleFacts") -> list[str]:
    """Module functions an arq worker runs per job: named in ``functions = [...]`` of a class
    whose name ends with ``WorkerSettings``, in a module that imports ``arq``."""
    if not any(value.split(".")[0] == "arq" for value in facts.imports.values()):
        return []
    names: list[str] = []
    for name, cls in classes.items():
        if not name.endswith("WorkerSettings"):
            continue
        for statement in cls.body:
            if (
                isinstance(statement, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "functions" for t in statement.targets)
                and isinstance(statement.value, (ast.List, ast.Tuple))
            ):
                for element in statement.value.elts:
                    if isinstance(element, ast.Call) and element.args:
                        element = element.args[0]  # ``func(job, timeout=...)``
                    if isinstance(element, ast.Name):
                        names.append(element.id)
    return names


_NESTED_MEMO = "_perflint_nested_defs"  # a statement's nested defs, kept on its node
_MEMBER = ast.ClassDef(name="", bases=[], keywords=[], body=[], decorator_list=[])  # "some class": never yielded


def _all_nested_defs(tree: ast.Module) -> list:
    """``_nested_defs(tree.body, ())``, read once per top-level statement (per member of a
    top-level class) and kept on its node: a keystroke reads the edited statement only."""
    found: list = []
    units = (
        (member, statement.name) if isinstance(statement, ast.ClassDef) else (statement, "")
        for statement in tree.body
        for member in (statement.body if isinstance(statement, ast.ClassDef) else (statement,))
    )
    for statement, cls in units:
        memo = statement.__dict__.get(_NESTED_MEMO)
        # The splice copies a class whose members it parsed again, memo and all, and gives the
        # copy a new body list: the memo holds for the body it was read from.
        body = getattr(statement, "body", None)
        if memo is None or memo[0] != cls or memo[1] is not body:
            if cls:
                # A member of a top-level class: as ``_nested_defs`` reads it from the class body
                # (the class only tells it that the member is a method, not a nested def).
                items = list(_nested_defs([statement], (cls,), _MEMBER))
            else:
                items = list(_nested_defs([statement], ()))
            memo = (cls, body, items)
            setattr(statement, _NESTED_MEMO, memo)
        found.extend(memo[2])
    return found


def _nested_defs(body: list[ast.stmt], outer: tuple[str, ...], cls: Optional[ast.ClassDef] = None):
    """(key, def, the class it is a method of) for every def below ``body`` except the
    module-level functions and the methods of module-level classes."""
    for node in body:
        for child in _statement_defs(node):
            if isinstance(child, ast.ClassDef):
                yield from _nested_defs(child.body, (*outer, child.name), child)
            else:
                if len(outer) > 1 or (len(outer) == 1 and cls is None):
                    yield (".".join(outer), child.name), child, cls
                yield from _nested_defs(child.body, (*outer, child.name))


def _statement_defs(node: ast.AST):
    """The defs and classes in a statement, not looking inside them."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node
        return
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
            yield from _statement_defs(child)


def _shown(key: Key) -> str:
    return f"{key[0]}.{key[1]}" if key[0] else key[1]


def def_headers(tree: Optional[ast.Module], lines: list[str]) -> tuple[str, ...]:
    """The header text (decorators, ``def`` line, class line with its bases) of every def and
    class at module level and in module-level classes: what makes a function a handler, a
    task or a property. The editor's cache compares it to keep a piece's findings that depend
    on why functions repeat (a caller became a Celery task) without computing the answers on
    every keystroke. A new call from a handler into a helper does not show here: such a
    helper's findings catch up when its own piece is linted again."""
    if tree is None:
        return ()
    found: list[str] = []
    for statement in _top_level(tree.body):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append(_header(statement, lines))
            if isinstance(statement, ast.ClassDef):
                found.extend(
                    _header(member, lines)
                    for member in _top_level(statement.body)
                    if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef))
                )
    return tuple(found)


def _header(node, lines: list[str]) -> str:
    first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
    last = node.body[0].lineno - 1 if node.body else node.lineno
    return "".join(lines[first - 1 : max(last, node.lineno)])


def _top_level(body: list[ast.stmt]):
    """Statements of a body, looking into ``if``/``try``/``with`` blocks (not loops or defs)."""
    for node in body:
        yield node
        if isinstance(node, ast.If):
            yield from _top_level(node.body)
            yield from _top_level(node.orelse)
        elif isinstance(node, ast.Try):
            yield from _top_level(node.body)
            for handler in node.handlers:
                yield from _top_level(handler.body)
            yield from _top_level(node.orelse)
            yield from _top_level(node.finalbody)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            yield from _top_level(node.body)


def _resolve(node: ast.AST, facts: "ModuleFacts") -> Optional[str]:
    dotted = ast_dotted(node)
    if dotted is None:
        return None
    head, _, rest = dotted.partition(".")
    qualified = facts.resolve_global(head)
    if qualified is None:
        return None
    return f"{qualified}.{rest}" if rest else qualified


_LENDING = frozenset({"contextlib.contextmanager", "contextlib.asynccontextmanager"})


def _lends(node: ast.AST, facts: "ModuleFacts") -> bool:
    """Decorated with ``contextmanager`` and no cache: the body runs on every ``with``."""
    lending = False
    for decorator in getattr(node, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        resolved = _resolve(target, facts)
        if resolved in _LENDING:
            lending = True
            continue
        dotted = ast_dotted(target)
        if resolved in CACHING_DECORATORS or (dotted is not None and dotted.rpartition(".")[2] in _CACHING_SUFFIXES):
            return False
    return lending


def _caching(node: ast.AST, facts: "ModuleFacts") -> bool:
    for decorator in getattr(node, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if _resolve(target, facts) in CACHING_DECORATORS:
            return True
        dotted = ast_dotted(target)
        if dotted is not None and dotted.rpartition(".")[2] in _CACHING_SUFFIXES:
            return True
    return False


def _is_property(node: ast.AST, facts: "ModuleFacts") -> bool:
    """``@property``, the builtin or a ``property`` class of the module (``enum`` has one), not
    ``cached_property``, which runs once per instance."""
    return "property" not in facts.imports and any(
        isinstance(decorator, ast.Name) and decorator.id == "property" for decorator in getattr(node, "decorator_list", ())
    )


def _direct(
    key: Key, node, facts: "ModuleFacts", path: str, web: bool, in_class: Optional[bool] = None, nested: bool = False
) -> Optional[str]:
    """Why a def runs per request, event or task, from its decorators and signature. A
    ``nested`` def is no view for its ``request`` parameter alone (a decorator's wrapper)."""
    celery = any(value.split(".")[0] == "celery" for value in facts.imports.values())
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualified = _resolve(target, facts)
        if qualified is not None and qualified.split(".")[0] in ("unittest", "mock"):
            continue  # ``@mock.patch("pkg.name")`` looks like ``@app.patch("/path")``
        if qualified in HANDLER_DECORATORS:
            return HANDLER_DECORATORS[qualified]
        if qualified in TASK_DECORATORS:
            return TASK_DECORATORS[qualified]
        if qualified is not None and qualified.rpartition(".")[2] == "shared_task":
            return "Celery task"  # re-exported by the project
        if qualified in RECEIVER_DECORATORS and isinstance(decorator, ast.Call) and decorator.args:
            signals = decorator.args[0].elts if isinstance(decorator.args[0], (ast.List, ast.Tuple)) else [decorator.args[0]]
            names = [(ast_dotted(signal) or "").rpartition(".")[2] for signal in signals]
            if all(name and name not in COLD_SIGNALS for name in names):
                return "Django signal receiver, run per signal sent"
        registered = _registered(decorator, qualified, facts, web)
        if registered is not None:
            return registered
        served = _served(decorator, target, qualified, facts)
        if served is not None:
            return served
        if isinstance(target, ast.Attribute):
            owner = ast_dotted(target.value)
            if owner is None:
                continue
            if target.attr in ("task", "shared_task", "db_task"):
                # @app.task, @celery.task, @huey.task: a task queue runs it per message. The app is
                # often imported from the project's own module (`from proj.celery import app`).
                return "Celery task" if celery or "celery" in owner.lower() or owner == "app" else "task-queue task"
            if target.attr == "actor":
                return "Dramatiq actor" if any(v.split(".")[0] == "dramatiq" for v in facts.imports.values()) else None
            if target.attr in TEMPLATE_TAGS and facts.imports_django and _template_library(owner, facts):
                return f"template tag (`@{owner}.{target.attr}`), run per use in a rendered template"
            if web and not isinstance(decorator, ast.Call) and target.attr in REQUEST_HOOKS:
                return f"request hook (`@{owner}.{target.attr}`), run per request"
            if isinstance(decorator, ast.Call) and target.attr in ROUTE_VERBS:
                first = decorator.args[0] if decorator.args else None
                if target.attr in ("route", "api_route") or (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    return f"web route (`@{owner}.{target.attr}`)"
    arguments = node.args
    params = [a for a in (*arguments.posonlyargs, *arguments.args)]
    if in_class is None:
        in_class = bool(key[0])
    if in_class and params and params[0].arg in ("self", "cls"):
        params = params[1:]
    names = [p.arg for p in params]
    if not in_class and len(names) == 2 and names[0] == "event" and names[1] in ("context", "_context", "ctx"):
        return "AWS Lambda handler"
    if not in_class and key[1] in LAMBDA_NAMES and len(names) == 2 and names[0] in ("event", "evt"):
        return "AWS Lambda handler"
    if any(_takes_exception(p) for p in params):
        return None  # ``process_exception(self, request, exc)``: runs on the error path only
    if params and params[0].annotation is not None and _resolve(params[0].annotation, facts) in REQUEST_TYPES:
        return "request handler"
    if not in_class and params and params[0].annotation is not None:
        annotation = _resolve(params[0].annotation, facts) or ""
        if annotation.startswith("azure.functions.") and annotation.rpartition(".")[2] in AZURE_INPUTS:
            return "Azure Function, run per request, message or event"
    if nested or not names or names[0] != "request":
        return None
    if not (web or _views_module(path)):
        return None
    if in_class and key[1] in MIDDLEWARE_METHODS and facts.imports_django:
        return "Django middleware, run per request"
    if in_class and key[1] in ("__init__", "__new__"):
        return None
    return "Django view" if facts.imports_django else "request handler"


def _view_wrapper(node, facts: "ModuleFacts", path: str, web: bool) -> Optional[str]:
    """A view decorator's wrapper: a nested def decorated with ``functools.wraps(...)`` that reads
    the current request (``flask.request``, ``g``, ``session``...) or, in a module that imports a
    web framework (or a views module), takes ``request`` first. It runs on every request of every
    view it decorates; a plain wrapper (no request) may wrap anything, and a nested def with a
    ``request`` parameter alone is no view."""
    if not any(_resolve(d.func if isinstance(d, ast.Call) else d, facts) in _WRAPS for d in node.decorator_list):
        return None
    arguments = node.args
    params = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
    if params and params[0] == "request" and (web or _views_module(path)):
        return "wrapper of a view decorator (`@wraps`), run per request of the views it decorates"
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load):
            qualified = facts.resolve_global(child.id)
            if qualified is not None and any(qualified == p or qualified.startswith(p + ".") for p in REQUEST_STATE):
                return "wrapper of a view decorator (`@wraps`, reads the request), run per request of the views it decorates"
    return None


def _takes_exception(param: ast.arg) -> bool:
    """A parameter that holds the exception being handled: named ``exc``/``exception``/
    ``error``/``err``, or annotated with an exception class (``Exception``, ``...Error``)."""
    if param.arg in ("exc", "exception", "error", "err"):
        return True
    named = _class_named(param.annotation)
    return named is not None and named.endswith(("Exception", "Error"))


def _registered(decorator: ast.AST, qualified: Optional[str], facts: "ModuleFacts", web: bool) -> Optional[str]:
    """A decorator that hands the function to a framework that calls it per model instance,
    per loaded object, per attribute set or per use in a Flask template."""
    if qualified in REGISTERED_DECORATORS:
        return REGISTERED_DECORATORS[qualified]
    if qualified is not None:
        head, _, last = qualified.rpartition(".")
        root = head.split(".")[0]
        if root == "pydantic" and last in PYDANTIC_HOOKS:
            return "pydantic validator, run per model instance"
        if root == "marshmallow" and last in MARSHMALLOW_HOOKS:
            return "marshmallow hook, run per loaded or dumped object"
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Attribute) and target.attr in FLASK_TEMPLATE_HOOKS and web:
        return f"template filter (`@{ast_dotted(target) or target.attr}`), run per use in a template"
    if (
        isinstance(target, ast.Attribute)
        and (target.attr == "event" or (target.attr in ("on", "on_event") and isinstance(decorator, ast.Call)))
        and any(value.split(".")[0] in SOCKETIO_ROOTS for value in facts.imports.values())
    ):
        return f"Socket.IO event handler (`@{ast_dotted(target) or target.attr}`), run per message"
    return None


# Libraries whose ``@sio.on("event")`` / ``@sio.event`` handlers run per message received.
SOCKETIO_ROOTS = frozenset({"flask_socketio", "socketio"})
# Django Channels consumers: one instance per connection; these methods run per message.
CHANNELS_RECEIVERS = frozenset({"receive", "receive_json", "websocket_receive"})


def _served(decorator: ast.AST, target: ast.AST, qualified: Optional[str], facts: "ModuleFacts") -> Optional[str]:
    """A decorator that registers the function as a GraphQL resolver (strawberry's
    ``@strawberry.field``, ariadne's ``@obj.field("name")`` on a module-level ``ObjectType``),
    a Google Cloud Function, an Azure Functions trigger other than a timer
    (``@app.queue_trigger(...)`` in a module importing ``azure.functions``) or a route declared
    with a bare verb (Litestar's ``@get("/x")``, Bottle's ``@route("/x")``)."""
    if qualified in STRAWBERRY_RESOLVERS:
        return f"GraphQL resolver (`@{qualified}`), run per parent object"
    if qualified in CLOUD_FUNCTIONS:
        return f"Cloud Function (`@{qualified}`), run per request or event"
    if not isinstance(decorator, ast.Call):
        return None
    if isinstance(target, ast.Name) and qualified is not None:
        head, _, last = qualified.rpartition(".")
        if head.split(".")[0] in BARE_ROUTE_FRAMEWORKS and last in ROUTE_VERBS:
            return f"web route (`@{target.id}`)"
    if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)):
        return None
    owner = target.value.id
    if target.attr == "field" and decorator.args and _bound_to(owner, facts, ARIADNE_TYPES):  # type: ignore[attr-defined]
        return f"GraphQL resolver (`@{owner}.field`), run per parent object"
    if (
        target.attr.endswith("_trigger")
        and target.attr != "timer_trigger"
        and any(value.startswith("azure.functions") for value in facts.imports.values())
    ):
        return f"Azure Functions trigger (`@{owner}.{target.attr}`), run per message or event"
    return None


def _bound_to(owner: str, facts: "ModuleFacts", constructors: frozenset[str]) -> bool:
    """``owner`` is bound at module level to a call of one of ``constructors``."""
    tree = facts.tree
    for statement in tree.body if tree is not None else ():
        if (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == owner for t in statement.targets)
            and isinstance(statement.value, ast.Call)
            and _resolve(statement.value.func, facts) in constructors
        ):
            return True
    return False


def _template_library(owner: str, facts: "ModuleFacts") -> bool:
    """``owner`` is bound at module level to ``template.Library()`` (``register`` by convention)."""
    tree = facts.tree
    for statement in tree.body if tree is not None else ():
        if (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == owner for t in statement.targets)
            and isinstance(statement.value, ast.Call)
            and _resolve(statement.value.func, facts) in ("django.template.Library", "django.template.library.Library")
        ):
            return True
    return False


def _views_module(path: str) -> bool:
    """A module of views by its place: ``views.py``, ``api.py`` or a ``views`` package."""
    parts = path.replace("\\", "/").split("/")
    return parts[-1].endswith(("views.py", "api.py")) or "views" in parts[:-1]


def _pipeline_step(node: ast.AST, facts: "ModuleFacts") -> bool:
    """A Scrapy item pipeline's ``process_item(self, item, spider)`` (also ``(self, item)`` in a
    module that imports scrapy or itemadapter): the engine calls it once per scraped item."""
    args = node.args
    names = [a.arg for a in (*args.posonlyargs, *args.args)]
    if args.vararg or args.kwarg or args.kwonlyargs or len(names) not in (2, 3) or names[1] != "item":
        return False
    if len(names) == 3:
        return names[2] == "spider"
    return any(value.split(".")[0] in ("scrapy", "itemadapter") for value in facts.imports.values())


def _class_role(key: Key, cls: Optional[ast.ClassDef], views: bool, facts: "ModuleFacts") -> Optional[tuple[str, bool]]:
    """A method that runs per request because of its class, with whether the framework builds
    a new instance of the class per request (so what it stores on ``self`` lives one request):
    a middleware (by its name or its base's); in a module that imports a web framework or holds
    views, a class-based view's handler method or one of the per-request hooks of Django's
    generic views (``get_queryset``, ``get_context_data``, ``form_valid``...; a GUI toolkit's
    ``TreeView.update`` is not one); a Flask-RESTful / flask-restx ``Resource`` verb; a Tornado
    ``RequestHandler``'s verbs and per-request hooks; a Falcon responder (``on_get(self, req,
    resp)``); ``__call__`` / ``__init__`` of a class decorated with Pyramid's ``@view_config``;
    ``run`` of a class-based Celery task (a subclass of ``celery.Task`` or ``app.Task``)."""
    if cls is None:
        return None
    name = key[1]
    bases = [ast_dotted(base) or "" for base in cls.bases]
    qualified = [_resolve(base, facts) or "" for base in cls.bases]
    if name in MIDDLEWARE_METHODS and name != "__acall__":
        if "Middleware" in cls.name or any("Middleware" in base for base in bases):
            return "middleware", False
    if views and any(base.endswith(("View", "ViewSet", "APIView")) for base in bases):
        if name in VIEW_METHODS:
            return "class-based view", True
        if name in GENERIC_VIEW_HOOKS and facts.imports_django:
            return f"class-based view hook (`{name}`), run per request", True
    if name in VIEW_METHODS and any(q in RESOURCE_BASES for q in qualified):
        return "REST resource method, run per request", True
    if any(q in TORNADO_HANDLERS for q in qualified) and (name in TORNADO_HOOKS or name in VIEW_METHODS or name == "options"):
        return "Tornado request handler, run per request", True
    if _falcon_responder(cls, name, facts):
        return "Falcon responder, run per request", False
    if name in ("__call__", "__init__") and any(
        _resolve(d.func if isinstance(d, ast.Call) else d, facts) in PYRAMID_VIEW_DECORATORS for d in cls.decorator_list
    ):
        return "Pyramid view class (`@view_config`), run per request", True
    if name == "open" and _email_backend(cls, bases):
        return "Django email backend, built per `send_mail()`", True
    if name in ("__init__", "send_messages") and _message_backend(cls, bases):
        return f"`{name}` of a {MESSAGE_BACKEND}, built per `send_mail()`/`send_sms()`", True
    if name in CHANNELS_RECEIVERS and any(q.startswith("channels.") and q.endswith("Consumer") for q in qualified):
        return f"Channels consumer (`{name}`), run per WebSocket message", False
    if name in ("run", "check_status") and any(
        b.rsplit(".", 1)[-1].endswith(("HealthCheck", "HealthCheckBackend")) for b in bases
    ):
        return "health check, run on every probe of the health endpoint", False
    if name == "run" and _celery_task_class(cls, qualified, facts):
        return "Celery task (class-based, `run`)", False
    if (
        name.startswith("resolve_")
        and any(base.endswith("ObjectType") for base in bases)
        and any(value.split(".")[0] in GRAPHENE_ROOTS for value in facts.imports.values())
    ):
        return "GraphQL resolver (graphene), run per parent object", False
    scrapy = _scrapy_role(cls, name, qualified)
    if scrapy is not None:
        return scrapy, False
    if name in _method_fields(cls):
        return "DRF `SerializerMethodField` getter, run per serialized object", False
    if _serializer_hook(cls, name, qualified, facts):
        return f"DRF serializer hook (`{name}`), run per validated or serialized object", False
    if any(base.endswith(("ModelAdmin", "TabularInline", "StackedInline")) for base in bases) and name in _admin_columns(cls):
        return "admin `list_display` column, run per row of the change list", False
    if not name.startswith("_") and any(base.endswith("Servicer") for base in bases) and _rpc(cls, name):
        return "gRPC servicer method, run per call", False
    return None


def _email_backend(cls: ast.ClassDef, bases: list[str]) -> bool:
    """A Django email backend (the ``open()``/``close()``/``send_messages()`` protocol): a
    class named ``...Backend`` (or with such a base) whose name or base names mention mail,
    or that defines ``send_messages``, and that defines ``open(self)`` and ``close(self)``
    with no other parameters. ``send_mail()`` and ``EmailMessage.send()`` build a new
    backend through ``get_connection()`` for every message, so ``open()`` runs per email and
    what it stores on ``self`` lives for one send (a storage backend's ``open(name)`` is not one)."""
    names = [cls.name, *bases]
    if not any(n.rsplit(".", 1)[-1].endswith("Backend") for n in names):
        return False
    methods = {m.name: m for m in cls.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if not ("mail" in " ".join(names).lower() or "send_messages" in methods):
        return False
    for method in ("open", "close"):
        member = methods.get(method)
        if member is None:
            return False
        args = member.args
        if len(args.posonlyargs) + len(args.args) != 1 or args.vararg or args.kwonlyargs or args.kwarg:
            return False
    return True


MESSAGE_BACKEND = "message backend (email/SMS)"


def _message_backend(cls: ast.ClassDef, bases: list[str]) -> bool:
    """A Django-style message backend: a class named ``...Backend`` whose bases include a
    ``...Backend`` (``BaseEmailBackend``, an SMS library's ``BaseSmsBackend``) and that defines
    ``send_messages(self, messages)``. ``send_mail()``/``send_sms()`` build one through
    ``get_connection()`` for every message and call ``send_messages`` once, so its
    ``__init__`` and ``send_messages`` run per message (a storage or cache backend defines
    no ``send_messages``)."""
    if not cls.name.endswith("Backend") or not any(b.rsplit(".", 1)[-1].endswith("Backend") for b in bases):
        return False
    for member in cls.body:
        if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)) and member.name == "send_messages":
            args = member.args
            return len(args.posonlyargs) + len(args.args) == 2 and not (args.vararg or args.kwonlyargs)
    return False


def _scrapy_role(cls: ast.ClassDef, name: str, qualified: list[str]) -> Optional[str]:
    """Scrapy's per-request and per-response hooks (an item pipeline's ``process_item`` is a
    ``LOOP``: ``_pipeline_step``): a downloader middleware's ``process_request(self, request, spider)``, and a
    spider's callbacks (``parse``, ``parse_<x>``) on a subclass of a ``scrapy`` spider class."""
    params = _method_params(cls, name)
    if params is None:
        return None
    if name in ("process_request", "process_response") and len(params) >= 3 and params[-1] == "spider":
        return f"Scrapy middleware (`{name}`), run per request"
    if (
        (name == "parse" or name.startswith("parse_"))
        and len(params) >= 2
        and params[1] == "response"
        and any(q.split(".")[0] == "scrapy" and q.endswith("Spider") for q in qualified)
    ):
        return "Scrapy spider callback, run per response"
    return None


def _method_params(cls: ast.ClassDef, name: str) -> Optional[list[str]]:
    for member in cls.body:
        if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)) and member.name == name:
            return [a.arg for a in (*member.args.posonlyargs, *member.args.args)]
    return None


def _falcon_responder(cls: ast.ClassDef, name: str, facts: "ModuleFacts") -> bool:
    """``on_get(self, req, resp, ...)`` (``on_post``, ``on_get_item``...) in a module that imports
    falcon: Falcon calls it per request."""
    if not name.startswith("on_") or name[3:].split("_")[0] not in FALCON_VERBS:
        return False
    if not any(value.split(".")[0] == "falcon" for value in facts.imports.values()):
        return False
    for member in cls.body:
        if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)) and member.name == name:
            params = [a.arg for a in (*member.args.posonlyargs, *member.args.args)]
            return len(params) >= 3 and params[1] in ("req", "request")
    return False


def _celery_task_class(cls: ast.ClassDef, qualified: list[str], facts: "ModuleFacts") -> bool:
    """A subclass of ``celery.Task`` (``celery.app.task.Task``) or of a Celery app's ``Task``
    (``app.Task``, the app bound at module level to ``Celery(...)``)."""
    if any(q in CELERY_TASK_BASES for q in qualified):
        return True
    tree = facts.tree
    apps = set()
    for statement in tree.body if tree is not None else ():
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            if _resolve(statement.value.func, facts) in ("celery.Celery", "celery.app.base.Celery"):
                apps.update(t.id for t in statement.targets if isinstance(t, ast.Name))
    return any(
        isinstance(base, ast.Attribute) and base.attr == "Task" and isinstance(base.value, ast.Name) and base.value.id in apps
        for base in cls.bases
    )


def _rpc(cls: ast.ClassDef, name: str) -> bool:
    """A method of a gRPC servicer shaped as an RPC: ``(self, request, context)``."""
    for member in cls.body:
        if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)) and member.name == name:
            params = [a.arg for a in (*member.args.posonlyargs, *member.args.args)]
            return len(params) == 3 and params[2] in ("context", "ctx", "_context")
    return False


def _admin_columns(cls: ast.ClassDef) -> set[str]:
    """The methods a ``ModelAdmin`` shows per row: named in ``list_display`` (a literal tuple or
    list of strings), or decorated ``@admin.display`` (a column or read-only field)."""
    columns: set[str] = set()
    for statement in cls.body:
        if (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "list_display" for t in statement.targets)
            and isinstance(statement.value, (ast.Tuple, ast.List))
        ):
            columns |= {e.value for e in statement.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in statement.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if (ast_dotted(target) or "").rpartition(".")[2] == "display":
                    columns.add(statement.name)
    return columns


def _serializer_hook(cls: ast.ClassDef, name: str, qualified: list[str], facts: "ModuleFacts") -> bool:
    """A method DRF calls per object: ``validate_<field>``, ``validate``,
    ``to_representation`` or ``to_internal_value`` of a serializer class (a base from
    ``rest_framework`` ending in ``Serializer``, or a base of the module's own named so in a
    module importing ``rest_framework``)."""
    if name not in SERIALIZER_HOOKS and not (name.startswith("validate_") and len(name) > len("validate_")):
        return False
    if any(q.startswith("rest_framework.") and q.endswith("Serializer") for q in qualified):
        return True
    drf = any(value.split(".")[0] == "rest_framework" for value in facts.imports.values())
    return drf and any(q.rpartition(".")[2].endswith("Serializer") for q in qualified)


def _method_fields(cls: ast.ClassDef) -> set[str]:
    """The getters a DRF serializer's ``SerializerMethodField``s call: ``get_<field>``, or the
    field's ``method_name=``."""
    getters: set[str] = set()
    for statement in cls.body:
        if not isinstance(statement, ast.Assign) or not isinstance(statement.value, ast.Call):
            continue
        call = statement.value
        if (ast_dotted(call.func) or "").rpartition(".")[2] != "SerializerMethodField":
            continue
        named = [k.value.value for k in call.keywords if k.arg == "method_name" and isinstance(k.value, ast.Constant)]
        named += [a.value for a in call.args[:1] if isinstance(a, ast.Constant)]
        if named and isinstance(named[0], str):
            getters.add(named[0])
        for target in statement.targets:
            if isinstance(target, ast.Name):
                getters.add(f"get_{target.id}")
    return getters


class _Calls:
    """Calls between the module's functions: which run in a ``for`` loop or comprehension,
    which in a ``while`` loop, which anywhere, and the functions named in ``Depends(...)``."""

    def __init__(self) -> None:
        self.loop_calls: list[tuple[Key, Key, int]] = []
        self.while_calls: list[tuple[Key, Key, int]] = []
        self.plain_calls: list[tuple[Key, Key, int]] = []
        self.dependencies: set[str] = set()
        self.consumers: set[str] = set()  # functions handed to a message queue's consumer as its callback
        self.resolvers: set[str] = set()  # functions handed to a GraphQL field as its resolver
        self.loop_reads: list[tuple[Key, Key, int]] = []  # ``self.x`` / ``repo.x`` read in a loop
        self.plain_reads: list[tuple[Key, Key, int]] = []  # ``self.x`` read outside loops
        self.factories: list[tuple[Key, str, int]] = []  # ``map(make_f(), items)``: (caller, factory, line)


_SCAN_MEMO = "_perflint_calls"  # a statement's calls, kept on its node with what they were read against


def _scanned(tree: ast.Module, facts: "ModuleFacts", functions: dict[Key, list[ast.AST]]) -> _Calls:
    """The module's calls between its functions. Each statement's calls (a class's: each
    member's) are read once and kept on its node: the language server splices an edited
    statement into the last tree and keeps the others, so a keystroke reads one statement."""
    classes = {s.name: s for s in tree.body if isinstance(s, ast.ClassDef)}
    instances = _module_instances(tree, classes)
    attributes = {name: _typed_attributes(cls, classes) for name, cls in classes.items()}
    returning = _returning(tree, classes)
    against = (
        facts.literal_names,
        tuple(sorted(facts.imports.items())),
        tuple(sorted(instances.items())),
        tuple(sorted((c, tuple(sorted(a.items()))) for c, a in attributes.items() if a)),
        tuple(sorted(returning.items())),
    )
    implementations = _implementations(classes)
    calls = _Calls()
    for statement, cls in memo_units(tree.body):
        memo = statement.__dict__.get(_SCAN_MEMO)
        if memo is None or memo[0] != against:
            scan = _CallScan(facts, instances, attributes, returning)
            scan._visit(statement, ("", ""), cls, False, False)
            memo = (
                against, scan.calls, frozenset(scan.dependencies), scan.reads, frozenset(scan.consumers),
                frozenset(scan.resolvers), scan.plain_reads, scan.factories,
            )
            setattr(statement, _SCAN_MEMO, memo)
        calls.dependencies |= memo[2]
        calls.loop_reads.extend(read for read in memo[3] if read[1] in functions)
        calls.plain_reads.extend(read for read in memo[6] if read[1] in functions)
        calls.consumers |= memo[4]
        calls.resolvers |= memo[5]
        calls.factories.extend(memo[7])
        for owner, called, line, in_loop, in_while in memo[1]:
            if called[0] and called not in functions:
                called = _inherited(called, classes, functions)
            # A method of an interface (a ``Protocol`` or an ABC of the module) runs one of the
            # module's implementations of it.
            targets = [called, *((c, called[1]) for c in implementations.get(called[0], ()))] if called[0] else [called]
            for callee in targets:
                if callee not in functions or (not callee[0] and callee[1] in facts.imports):
                    continue
                calls.plain_calls.append((owner, callee, line))
                if in_loop:
                    calls.loop_calls.append((owner, callee, line))
                elif in_while:
                    calls.while_calls.append((owner, callee, line))
    return calls


def _returning(tree: ast.Module, classes: dict[str, ast.ClassDef]) -> dict[str, str]:
    """Module functions whose return annotation names a class of the module (``def
    get_backend(name) -> Backend``): ``get_backend(x).send(y)`` runs ``Backend.send``."""
    found: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            named = _class_named(statement.returns)
            if named in classes:
                found[statement.name] = named
            returns = statement.returns
            if isinstance(returns, ast.Subscript) and (ast_dotted(returns.value) or "").rpartition(".")[2] in _ITERATORS:
                inner = returns.slice.elts[0] if isinstance(returns.slice, ast.Tuple) and returns.slice.elts else returns.slice
                element = _class_named(inner)
                if element in classes:
                    # ``def events(...) -> Iterator[Event]``: ``for e in events(x)`` binds an ``Event``
                    found[ELEMENTS + statement.name] = element
    return found


def _implementations(classes: dict[str, ast.ClassDef]) -> dict[str, tuple[str, ...]]:
    """The module's classes that implement each interface of the module: a ``Protocol`` (every
    other class of the module defining the method, it is structural) or an ABC (its subclasses,
    transitively). Only methods the implementation defines itself are reached."""
    interfaces: dict[str, bool] = {}  # name -> structural (a Protocol)
    for name, cls in classes.items():
        bases = [ast_dotted(b.value if isinstance(b, ast.Subscript) else b) or "" for b in cls.bases]
        metaclass = [ast_dotted(k.value) or "" for k in cls.keywords if k.arg == "metaclass"]
        if any(b.rpartition(".")[2] == "Protocol" for b in bases):
            interfaces[name] = True
        elif any(b.rpartition(".")[2] == "ABC" for b in bases) or any(m.rpartition(".")[2] == "ABCMeta" for m in metaclass):
            interfaces[name] = False
    found: dict[str, tuple[str, ...]] = {}
    for interface, structural in interfaces.items():
        members = []
        for name, cls in classes.items():
            if name in interfaces:
                continue
            if structural or _derives(name, interface, classes):
                members.append(name)
        if members:
            found[interface] = tuple(members)
    return found


def _derives(name: str, base: str, classes: dict[str, ast.ClassDef]) -> bool:
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen or current not in classes:
            continue
        seen.add(current)
        parents = [b.id for b in classes[current].bases if isinstance(b, ast.Name)]
        if base in parents:
            return True
        todo.extend(parents)
    return False


def _module_instances(tree: ast.Module, classes: dict[str, ast.ClassDef]) -> dict[str, str]:
    """Module-level ``container = Container(...)`` with ``Container`` a class of the module, bound
    once: a call ``container.m()`` anywhere runs ``Container.m``."""
    bound: dict[str, list[Optional[str]]] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    built = _constructed(statement.value)
                    bound.setdefault(target.id, []).append(built if built in classes else None)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.setdefault(statement.name, []).append(None)
    return {name: kinds[0] for name, kinds in bound.items() if len(kinds) == 1 and kinds[0] is not None}


def _typed_attributes(cls: ast.ClassDef, classes: dict[str, ast.ClassDef]) -> dict[str, str]:
    """``self.repo`` of a class: assigned in ``__init__`` only, from a parameter annotated with a
    class of the module (``repo: Repo``) or from ``Repo(...)``, so ``self.repo.m()`` runs
    ``Repo.m``. An attribute assigned in any other method is left out."""
    found: dict[str, str] = {}
    elsewhere: set[str] = set()
    for member in cls.body:
        if not isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        built = _property_of(member)
        if built is not None and built in classes:
            # ``@cached_property def clock(self) -> Clock`` / ``return Clock()``: ``self.clock`` holds one
            found.setdefault(member.name, built)
        for attr, named, in_init in _self_assignments(member):
            if not in_init:
                elsewhere.add(attr)
            elif named in classes and attr not in found:
                found[attr] = named
            else:
                elsewhere.add(attr)
    return {attr: named for attr, named in found.items() if attr not in elsewhere}


def _property_of(member: ast.AST) -> Optional[str]:
    """The class a ``@cached_property``/``@property`` getter gives: its return annotation, or
    ``return Cls(...)`` as its only return; None for other defs."""
    decorators = [(ast_dotted(d) or "").rpartition(".")[2] for d in member.decorator_list]  # type: ignore[attr-defined]
    if not any(d in ("cached_property", "property") for d in decorators):
        return None
    named = _class_named(member.returns)  # type: ignore[attr-defined]
    if named is not None:
        return named
    returns = [n for n in ast.walk(member) if isinstance(n, ast.Return)]
    return _constructed(returns[0].value) if len(returns) == 1 and returns[0].value is not None else None


_ASSIGNED_MEMO = "_perflint_self_assignments"


def _self_assignments(member: ast.AST) -> list[tuple[str, Optional[str], bool]]:
    """(attribute, the class name it is bound from or None, in ``__init__``) for each ``self.x =``
    of a method, in order; read once and kept on the method's node (the splice keeps the nodes of
    members a keystroke did not touch)."""
    memo = member.__dict__.get(_ASSIGNED_MEMO)
    if memo is not None:
        return memo
    in_init = member.name == "__init__"  # type: ignore[attr-defined]
    params = _instances(member) if in_init else {}
    found: list[tuple[str, Optional[str], bool]] = []
    for node in ast.walk(member):
        if not isinstance(node, (ast.Assign, ast.AnnAssign)):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"):
                continue
            if not in_init:
                found.append((target.attr, None, False))
                continue
            value = node.value
            named = params.get(value.id) if isinstance(value, ast.Name) else _constructed(value) if value is not None else None
            found.append((target.attr, named, True))
    setattr(member, _ASSIGNED_MEMO, found)
    return found


def _inherited(callee: Key, classes: dict[str, ast.ClassDef], functions: dict[Key, list[ast.AST]]) -> Key:
    """``(Service, "get")`` for a method ``Service`` inherits from a base class of the module
    (a mixin, a generic base): ``(Base, "get")``; the callee unchanged when not found."""
    seen: set[str] = set()
    todo = [callee[0]]
    while todo:
        name = todo.pop()
        if name in seen or name not in classes:
            continue
        seen.add(name)
        if (name, callee[1]) in functions:
            return (name, callee[1])
        todo.extend(reversed([base.id for base in classes[name].bases if isinstance(base, ast.Name)]))  # left first
    return callee


def _class_named(annotation: Optional[ast.AST]) -> Optional[str]:
    """``Repo``, ``"Repo"``, ``Optional[Repo]``, ``Repo | None``: the plain class name."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str) and annotation.value.isidentifier():
        return annotation.value
    if isinstance(annotation, ast.Name):
        return annotation.id
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        if isinstance(annotation.right, ast.Constant) and annotation.right.value is None:
            return _class_named(annotation.left)
    if isinstance(annotation, ast.Subscript) and (ast_dotted(annotation.value) or "").rpartition(".")[2] == "Optional":
        return _class_named(annotation.slice)
    if (
        isinstance(annotation, ast.Subscript)
        and (ast_dotted(annotation.value) or "").rpartition(".")[2] == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
        and annotation.slice.elts
    ):
        return _class_named(annotation.slice.elts[0])  # ``Annotated[Repo, Depends(get_repo)]``
    return None


ELEMENTS = "[]"  # ``_instances`` key prefix: the class of a collection parameter's elements
_ITERATORS = frozenset({"list", "List", "Sequence", "Iterable", "Iterator", "Generator", "Collection"})
_COLLECTIONS = frozenset({"list", "List", "Sequence", "MutableSequence", "Iterable", "Iterator", "Collection", "set", "Set", "frozenset", "FrozenSet", "AbstractSet"})


def _instances(function: ast.AST) -> dict[str, str]:
    """Parameters of a def annotated with a class spelled as a plain name (``repo: Repo``),
    bound before any loop of the def runs, so one instance serves every iteration. Whether the
    name is a class of the module with that method is checked against the module's functions.
    A collection of one (``items: list[Item]``, ``Sequence["Item"]``) is kept under
    ``ELEMENTS + name``: a loop over it binds an ``Item`` per iteration."""
    found: dict[str, str] = {}
    for param in _parameters(function.args):  # type: ignore[attr-defined]
        annotation = param.annotation
        named = _class_named(annotation)
        if named is not None and named[:1].isupper():
            found[param.arg] = named
        elif isinstance(annotation, ast.Subscript) and (ast_dotted(annotation.value) or "").rpartition(".")[2] in _COLLECTIONS:
            element = _class_named(annotation.slice)
            if element is not None and element[:1].isupper():
                found[ELEMENTS + param.arg] = element
    return found


def _constructed(value: ast.AST) -> Optional[str]:
    """``Builder(...)``: the class name of a call of a capitalized plain name, else None."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id[:1].isupper():
        return value.func.id
    return None
def _parameters(arguments: ast.arguments) -> list[ast.arg]:
    extra = [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, *extra]


def _is_depends(node: ast.AST, facts: "ModuleFacts") -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id.endswith("Depends") or func.id == "Security" or _resolve(func, facts) in DEPENDS
    return isinstance(func, ast.Attribute) and (func.attr == "Depends" or _resolve(func, facts) in DEPENDS)


def _injects(arguments: ast.arguments, facts: "ModuleFacts") -> bool:
    """A parameter defaults to ``Depends(...)`` (also with no argument: ``Depends()``)."""
    return any(_is_depends(d, facts) for d in (*arguments.defaults, *arguments.kw_defaults) if d is not None)


def injected_by(function: ast.AST, name: str, facts: "ModuleFacts") -> Optional[str]:
    """The function named in ``Depends(f)`` for parameter ``name`` of ``function`` (in its
    default or in an ``Annotated[...]`` annotation), or None."""
    arguments = function.args  # type: ignore[attr-defined]
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: dict[str, ast.AST] = {}
    for param, default in zip(positional[len(positional) - len(arguments.defaults):], arguments.defaults):
        defaults[param.arg] = default
    for param, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        if default is not None:
            defaults[param.arg] = default
    for param in (*positional, *arguments.kwonlyargs):
        if param.arg != name:
            continue
        places = [p for p in (defaults.get(name), param.annotation) if p is not None]
        for place in places:
            for node in ast.walk(place):
                if _is_depends(node, facts) and node.args and isinstance(node.args[0], ast.Name):  # type: ignore[attr-defined]
                    return node.args[0].id  # type: ignore[attr-defined]
    return None


def cached_function(name: str, facts: "ModuleFacts") -> bool:
    """A module-level function of that name builds its result once (``lru_cache``, ``cache``)."""
    tree = facts.tree
    if tree is None:
        return False
    return any(
        isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name == name and _caching(statement, facts)
        for statement in _top_level(tree.body)
    )


class _CallScan:
    """One statement's calls of plain names and of ``self``/``cls`` methods, with whether
    each runs in a ``for`` loop or comprehension or in a ``while`` loop."""

    def __init__(
        self,
        facts: "ModuleFacts",
        instances: Optional[dict[str, str]] = None,
        attributes: Optional[dict[str, dict[str, str]]] = None,
        returning: Optional[dict[str, str]] = None,
    ) -> None:
        self.literals = facts.literal_names
        self.facts = facts
        self.instances = instances or {}  # module-level ``name = Class(...)``
        self.returning = returning or {}  # module function -> the class of the module it returns
        self.attributes = attributes or {}  # class -> ``self.x`` -> the class of the module it holds
        self.calls: list[tuple[Key, Key, int, bool, bool]] = []
        self.dependencies: set[str] = set()
        self.consumers: set[str] = set()
        self.resolvers: set[str] = set()
        self._per_item: set[int] = set()  # lambdas handed over to run per item
        # ``map(make_resolver(), rows)``: (owner, the factory's name, line); the def it returns runs per item
        self.factories: list[tuple[Key, str, int]] = []
        self.partials: dict[tuple[Key, str], str] = {}  # ``to_cents = partial(prorate, ...)``
        self._typed: list[dict[str, str]] = []  # per def being read: local name -> class name
        self.reads: list[tuple[Key, Key, int]] = []  # attributes of the module's classes read in a loop
        self.plain_reads: list[tuple[Key, Key, int]] = []  # ``self.x`` read outside loops (properties)
        # per def being read: local name -> (class name, loop depth where ``name = Class(...)`` is)
        self._built: list[dict[str, tuple[str, int]]] = []
        self._depth = 0  # ``for`` loops and comprehensions around the node, in the def being read
        self._params: list[set[str]] = []  # per def being read: its parameters' names

    def _body(self, node: ast.AST, owner: Key, cls: str, in_loop: bool, in_while: bool) -> None:
        for child in ast.iter_child_nodes(node):
            self._visit(child, owner, cls, in_loop, in_while)
    def _visit(self, node: ast.AST, owner: Key, cls: str, in_loop: bool, in_while: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for part in (*node.decorator_list, *node.args.defaults, *node.args.kw_defaults):
                if part is not None:
                    self._visit(part, owner, cls, in_loop, in_while)
            annotations = [p.annotation for p in _parameters(node.args) if p.annotation is not None]
            for annotation in annotations:
                # ``db: Annotated[Session, Depends(get_db)]``: the dependency is named in the annotation
                self._visit(annotation, owner, cls, in_loop, in_while)
            injected = _injects(node.args, self.facts) or any(
                _is_depends(n, self.facts) for a in annotations for n in ast.walk(a)
            )
            if owner == ("", "") and not cls and injected:
                # Its own parameters are injected with ``Depends(...)``: only FastAPI calls it, per request.
                self.dependencies.add(node.name)
            if owner == ("", "") and not in_loop:
                inner = (cls, node.name)
            else:
                inner = owner  # a nested def runs when its enclosing function calls it, roughly
            self._typed.append({**(self._typed[-1] if self._typed and inner == owner else {}), **_instances(node)})
            self._params.append({p.arg for p in _parameters(node.args)})
            self._built.append({})
            depth, self._depth = self._depth, 0
            for statement in node.body:
                self._visit(statement, inner, cls, False, False)
            self._depth = depth
            self._built.pop()
            self._typed.pop()
            self._params.pop()
            return
        if isinstance(node, ast.Lambda):
            # A lambda handed over per item (``df.apply(lambda r: score(r))``) runs its calls per item.
            self._visit(node.body, owner, cls, id(node) in self._per_item, False)
            return
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                self._visit(statement, owner, node.name if owner == ("", "") else cls, in_loop, in_while)
            return
        if isinstance(node, ast.While):
            self._body(node, owner, cls, in_loop, True)
            return
        if isinstance(node, (ast.For, ast.AsyncFor)):
            self._visit(node.iter, owner, cls, in_loop, in_while)
            repeated = in_loop or not self._small(node.iter)
            self._visit(node.target, owner, cls, in_loop, in_while)
            self._depth += 1
            typed = self._element_typed(node.target, node.iter)
            for statement in node.body:
                self._visit(statement, owner, cls, repeated, in_while)
            if typed:
                self._typed.pop()
            self._depth -= 1
            for statement in node.orelse:
                self._visit(statement, owner, cls, in_loop, in_while)
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            first, *rest = node.generators
            self._visit(first.iter, owner, cls, in_loop, in_while)
            repeated = in_loop or not self._small(first.iter)
            self._depth += 1
            typed = not rest and self._element_typed(first.target, first.iter)
            for condition in first.ifs:
                self._visit(condition, owner, cls, repeated, in_while)
            for generator in rest:
                self._visit(generator.iter, owner, cls, repeated, in_while)
                for condition in generator.ifs:
                    self._visit(condition, owner, cls, repeated, in_while)
            if isinstance(node, ast.DictComp):
                self._visit(node.key, owner, cls, repeated, in_while)
                self._visit(node.value, owner, cls, repeated, in_while)
            else:
                self._visit(node.elt, owner, cls, repeated, in_while)
            if typed:
                self._typed.pop()
            self._depth -= 1
            return
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            wrapped = self._partial_of(node.value)
            key = (owner, node.targets[0].id)
            if wrapped is not None and key not in self.partials:
                self.partials[key] = wrapped
            elif wrapped is None:
                self.partials[key] = ""  # rebound to something else: no longer known
            if self._built:
                built = _constructed(node.value)
                if built is not None:
                    self._built[-1][node.targets[0].id] = (built, self._depth)
                else:
                    self._built[-1].pop(node.targets[0].id, None)
        if isinstance(node, (ast.With, ast.AsyncWith)):
            # ``with Unit() as s:`` builds an instance and runs its ``__enter__``
            enter = "__aenter__" if isinstance(node, ast.AsyncWith) else "__enter__"
            for item in node.items:
                built = item.context_expr
                if isinstance(built, ast.Call) and isinstance(built.func, ast.Name) and not self._shadowed(built.func.id):
                    self.calls.append((owner, (built.func.id, enter), getattr(node, "lineno", 0), in_loop, in_while))
        if isinstance(node, ast.Call):
            self._call(node, owner, cls, in_loop, in_while)
        elif in_loop and isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, ast.Load):
            self._implicit(node, owner, cls)
        elif in_loop and isinstance(node, ast.Compare):
            # ``sku in self.prices``: ``__contains__`` of the class ``self.prices`` holds
            for op, right in zip(node.ops, node.comparators):
                named = self._class_of(right, cls) if isinstance(op, (ast.In, ast.NotIn)) else None
                if named is not None:
                    self.calls.append((owner, (named, "__contains__"), getattr(node, "lineno", 0), True, False))
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Load)
            and cls
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            # ``self.table`` outside loops: its getter runs per call of this method (properties only)
            self.plain_reads.append((owner, (cls, node.attr), getattr(node, "lineno", 0)))
        self._body(node, owner, cls, in_loop, in_while)

    def _implicit(self, node: ast.AST, owner: Key, cls: str) -> None:
        """Code a loop runs without a call in sight: ``obj[i]`` runs ``__getitem__`` of obj's
        class (a class of the module: ``self``, or a parameter annotated with it), and
        ``self.x`` / ``obj.x`` runs ``x``'s getter if it is a ``@property`` (kept apart:
        ``compute`` reads it for properties only)."""
        value = node.value  # type: ignore[attr-defined]
        if isinstance(node, ast.Subscript) and isinstance(value, ast.Attribute):
            named: Optional[str] = self._class_of(value, cls)  # ``self.prices[sku]``
            if named is not None:
                self.calls.append((owner, (named, "__getitem__"), getattr(node, "lineno", 0), True, False))
            return
        if not isinstance(value, ast.Name):
            return
        if value.id == "self" and cls:
            named = cls
        else:
            named = self._typed[-1].get(value.id) if self._typed else None
        if named is None:
            return
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Subscript):
            self.calls.append((owner, (named, "__getitem__"), line, True, False))
        else:
            self.reads.append((owner, (named, node.attr), line))  # type: ignore[attr-defined]
    def _class_of(self, value: ast.AST, cls: str) -> Optional[str]:
        """The class of the module an operand holds: ``self`` in a method, a parameter annotated
        with a class of the module, or ``self.x`` bound in ``__init__`` only (``self.x = x`` with
        ``x: X``, or ``X(...)``); None otherwise."""
        if isinstance(value, ast.Name):
            if value.id == "self":
                return cls or None
            return self._typed[-1].get(value.id) if self._typed else None
        if (
            isinstance(value, ast.Attribute)
            and isinstance(value.value, ast.Name)
            and value.value.id == "self"
            and cls
        ):
            return self.attributes.get(cls, {}).get(value.attr)
        return None

    def _element_typed(self, target: ast.AST, iterable: ast.AST) -> bool:
        """``for item in items`` with ``items: list[Item]``: ``item`` is an ``Item`` in the body
        (pushed on ``_typed``; the caller pops it when this returns True)."""
        if not self._typed or not isinstance(target, ast.Name):
            return False
        if (
            isinstance(iterable, ast.Call)
            and isinstance(iterable.func, ast.Name)
            and not self._shadowed(iterable.func.id)
            and not (self._params and iterable.func.id in self._params[-1])
        ):
            element = self.returning.get(ELEMENTS + iterable.func.id)  # ``for e in events(x)``, ``-> Iterator[Event]``
        elif isinstance(iterable, ast.Name):
            element = self._typed[-1].get(ELEMENTS + iterable.id)
        else:
            return False
        if element is None:
            return False
        self._typed.append({**self._typed[-1], target.id: element})
        return True

    def _partial_of(self, node: ast.AST) -> Optional[str]:
        """``partial(f, ...)`` / ``functools.partial(f, ...)`` of a plain name -> ``"f"``."""
        if (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Name)
            and _resolve(node.func, self.facts) == "functools.partial"
        ):
            return node.args[0].id
        return None

    def _per_item_of(self, callback: ast.AST) -> Optional[str]:
        """The module function a per-item method runs, or None (a lambda is remembered)."""
        if isinstance(callback, ast.Lambda):
            self._per_item.add(id(callback))
            return None
        return self._callback(callback, ("", ""))

    def _per_item_callback(self, callback: ast.AST, call: ast.Call, owner: Key, in_while: bool) -> None:
        """``callback`` runs once per item of ``call``: a module function (or a ``partial`` of
        one) is called in a loop; a lambda's own calls are (see ``_visit``)."""
        if isinstance(callback, ast.Lambda):
            self._per_item.add(id(callback))
            return
        if (
            isinstance(callback, ast.Call)
            and isinstance(callback.func, ast.Name)
            and not self._shadowed(callback.func.id)
            and self._partial_of(callback) is None
        ):
            # ``map(make_resolver(), rows)``: the function the factory returns runs per item
            self.factories.append((owner, callback.func.id, getattr(call, "lineno", 0)))
            return
        if isinstance(callback, ast.Name) and self._typed and callback.id in self._typed[-1]:
            # ``map(normaliser, rows)`` with ``normaliser: Normaliser``: its ``__call__`` runs per item
            # (kept only if that class of the module defines one)
            self.calls.append((owner, (self._typed[-1][callback.id], "__call__"), getattr(call, "lineno", 0), True, in_while))
            return
        applied = self._callback(callback, owner)
        if applied:
            self.calls.append((owner, ("", applied), getattr(call, "lineno", 0), True, in_while))

    def _callback(self, node: ast.AST, owner: Key) -> Optional[str]:
        """A plain function name handed over as a callback: ``f``, ``partial(f, ...)``, or a
        local bound to ``partial(f, ...)``."""
        if isinstance(node, ast.Name):
            return self.partials.get((owner, node.id)) or node.id
        return self._partial_of(node)

    def _call(self, node: ast.Call, owner: Key, cls: str, in_loop: bool, in_while: bool) -> None:
        func = node.func
        callee: Optional[Key] = None
        if isinstance(func, ast.Name):
            if func.id.endswith("Depends") or func.id == "Security" or _resolve(func, self.facts) in DEPENDS:
                if node.args and isinstance(node.args[0], ast.Name):
                    self.dependencies.add(node.args[0].id)
            callee = ("", self.partials.get((owner, func.id)) or func.id)
            resolved = _resolve(func, self.facts)
            if resolved in ("builtins.map", "builtins.filter") and len(node.args) >= 2:
                # ``map(f, items)``: f runs once per item.
                if not all(self._small(a) for a in node.args[1:]):
                    self._per_item_callback(node.args[0], node, owner, in_while)
            elif resolved in ("builtins.sorted", "builtins.min", "builtins.max") and node.args:
                key = next((k.value for k in node.keywords if k.arg == "key"), None)
                if key is not None and not self._small(node.args[0]):
                    self._per_item_callback(key, node, owner, in_while)
        elif isinstance(func, ast.Attribute):
            applied = self._handed_over(node, in_loop)
            if applied:
                self.calls.append((owner, ("", applied), getattr(node, "lineno", 0), True, in_while))
            if (
                func.attr in ("map", "starmap")
                and isinstance(func.value, ast.Name)
                and node.args
                and not self._small(node.args[0])
                and not self._shadowed(func.value.id)
            ):
                # ``geocode.map(addresses)``: a decorated function of the module (a Prefect task)
                # mapped over items runs once per item (kept only if ``geocode`` is one)
                self.calls.append((owner, ("", func.value.id), getattr(node, "lineno", 0), True, in_while))
            if (func.attr == "Depends" or _resolve(func, self.facts) in DEPENDS) and node.args:
                if isinstance(node.args[0], ast.Name):
                    self.dependencies.add(node.args[0].id)
            if (
                func.attr == "set_field"
                and len(node.args) == 2
                and isinstance(node.args[1], ast.Name)
                and isinstance(func.value, ast.Name)
                and _bound_to(func.value.id, self.facts, ARIADNE_TYPES)
            ):
                self.resolvers.add(node.args[1].id)  # ariadne's ``query.set_field("posts", resolve_posts)``
            for keyword in node.keywords:
                if keyword.arg in CONSUMER_KEYWORDS and isinstance(keyword.value, ast.Name):
                    self.consumers.add(keyword.value.id)
                elif keyword.arg == "resolver" and isinstance(keyword.value, ast.Name):
                    if (_resolve(func, self.facts) or "").split(".")[0] in GRAPHQL_ROOTS:
                        self.resolvers.add(keyword.value.id)
            if isinstance(func.value, ast.Name) and func.value.id in ("self", "cls") and cls:
                callee = (cls, func.attr)
            elif isinstance(func.value, ast.Name) and self._typed and func.value.id in self._typed[-1]:
                # ``repo.fetch(x)`` with ``repo: Repository``: a method of a class of the module
                # (kept only if that class has the method)
                callee = (self._typed[-1][func.value.id], func.attr)
            elif isinstance(func.value, ast.Name) and self._built and func.value.id in self._built[-1]:
                # ``builder = Builder(...)`` before the loop, ``builder.add(x)`` in it: one instance's
                # method runs per item (a call at the binding's own depth is not counted)
                built, depth = self._built[-1][func.value.id]
                if in_loop and self._depth > depth:
                    callee = (built, func.attr)
                elif not in_loop and self._depth == depth == 0:
                    # ``doc = Ledger(account)`` then ``doc.render()``, neither in a loop: the method
                    # runs whenever this def does (a call of it, as ``render(x)`` would be)
                    callee = (built, func.attr)
            elif (
                isinstance(func.value, ast.Attribute)
                and isinstance(func.value.value, ast.Name)
                and func.value.value.id == "self"
                and cls
                and func.value.attr in self.attributes.get(cls, {})
            ):
                # ``self.repo.get(x)`` with ``self.repo = repo`` (``repo: Repo``) set in ``__init__``
                callee = (self.attributes[cls][func.value.attr], func.attr)
            elif isinstance(func.value, ast.Name) and func.value.id in self.instances and not self._shadowed(func.value.id):
                # ``container.mailer()`` with ``container = Container(...)`` at module level
                callee = (self.instances[func.value.id], func.attr)
            elif (
                isinstance(func.value, ast.Call)
                and isinstance(func.value.func, ast.Name)
                and func.value.func.id in self.returning
                and not self._shadowed(func.value.func.id)
            ):
                # ``get_backend(x).send(y)`` with ``def get_backend(...) -> Backend``
                callee = (self.returning[func.value.func.id], func.attr)
            elif (
                not in_loop
                and self._depth == 0
                and (built := _constructed(func.value)) is not None
                and not self._shadowed(built)
            ):
                # ``Palette().colour(x)`` outside loops: the method runs whenever this def does (a
                # fresh instance per iteration stays uncounted, as for ``doc = Doc()`` in a loop)
                callee = (built, func.attr)
            elif isinstance(func.value, ast.Name) and func.value.id[:1].isupper() and not self._shadowed(func.value.id):
                # ``RiskModel.load()``: a class- or staticmethod of a class of the module (kept only
                # if that class has the method)
                callee = (func.value.id, func.attr)
        if callee is not None:
            self.calls.append((owner, callee, getattr(node, "lineno", 0), in_loop, in_while))

    def _shadowed(self, name: str) -> bool:
        """``name`` is bound by the def being read (a local of the same name)."""
        return bool(self._built) and name in self._built[-1] or bool(self._typed) and name in self._typed[-1]

    def _handed_over(self, node: ast.Call, in_loop: bool) -> Optional[str]:
        """A module function handed to a method that calls it once per item: ``pool.map(f,
        items)`` (``imap``, ``starmap``... over items that are not a literal), pandas'
        ``frame.apply(f, axis=1)``, ``series.map(f)`` (the function alone: ``pool.apply(f, args)``
        runs it once), or ``executor.submit(f, x)`` / ``queue.enqueue(f, x)`` (RQ) /
        ``asyncio.to_thread(f, x)`` / ``loop.run_in_executor(None, f, x)`` inside a loop. The name
        is kept only if it is a function of the module. A lambda handed to a per-item method is
        remembered instead: its own calls run per item (``df.apply(lambda r: score(r), axis=1)``)."""
        attr = node.func.attr  # type: ignore[attr-defined]
        args = [a for a in node.args if not isinstance(a, ast.Starred)]
        if len(args) != len(node.args):
            return None
        if attr in _PER_ITEM_MAPS and len(args) >= 2 and not self._small(args[1]):
            return self._per_item_of(args[0])
        if attr in _PER_ROW_APPLY and len(args) == 1 and not any(k.arg == "args" for k in node.keywords):
            return self._per_item_of(args[0])
        if in_loop and attr in ("submit", "apply_async", "enqueue", "enqueue_call", "to_thread") and args:
            return self._callback(args[0], ("", ""))
        if in_loop and attr == "run_in_executor" and len(args) >= 2:
            return self._callback(args[1], ("", ""))
        return None

    def _small(self, iterable: ast.AST) -> bool:
        return _written_out(iterable, self.literals)


def _written_out(iterable: ast.AST, literals: frozenset[str]) -> bool:
    """A loop over a literal collection, a module constant bound to one, or a constant range."""
    if isinstance(iterable, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Constant)):
        return True
    if isinstance(iterable, ast.Name):
        return iterable.id in literals
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name):
        if iterable.func.id == "range":
            return all(isinstance(a, ast.Constant) for a in iterable.args)
        if iterable.func.id in ("enumerate", "reversed", "sorted") and iterable.args:
            return _written_out(iterable.args[0], literals)
    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute):
        if iterable.func.attr in ("items", "keys", "values") and not iterable.args:
            return _written_out(iterable.func.value, literals)
    return False


def built_repeatedly(facts: "ModuleFacts", path: str) -> dict[str, str]:
    """Classes of the module whose instances are built per item or per request, each with the
    reason in words: ``Cls(...)`` in a loop or comprehension of a def (not over a few written-out
    values), or in a def that runs per request, task or item (``HANDLER``/``LOOP``); a FastAPI
    dependency class (``Depends(Cls)``, ``Annotated[Cls, Depends()]``); a class whose methods
    the framework runs on a new instance per request (``Repeat.per_instance``). Module-level code
    is cold and not counted. Asks ``repetition`` on every call (the editor's ``BlockCache``
    learns that the answer depends on the other pieces), computed once per module."""
    repeats = facts.repetition(path)
    return facts.memo(f"built repeatedly {path}", lambda f: _built_repeatedly(f, repeats))


def _built_repeatedly(facts: "ModuleFacts", repeats: dict[Key, Repeat]) -> dict[str, str]:
    tree = facts.tree
    if tree is None:
        return {}
    classes = {s.name for s in _top_level(tree.body) if isinstance(s, ast.ClassDef)}
    found: dict[str, str] = {}
    for (owner, name), repeat in repeats.items():
        if owner in classes and repeat.per_instance and owner not in found:
            found[owner] = f"built per request by the framework (`{name}`: {repeat.why})"
    for name, spelled in _dependency_classes(tree, classes, facts).items():
        found.setdefault(name, f"built per request as a FastAPI dependency (`{spelled}`)")
    for statement in _top_level(tree.body):
        members = [(statement.name, m) for m in _top_level(statement.body)] if isinstance(statement, ast.ClassDef) else [("", statement)]
        for owner, member in members:
            if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                _builds_in(member, (owner, member.name), classes, repeats, facts.literal_names, found)
    return found


def _dependency_classes(tree: ast.Module, classes: set[str], facts: "ModuleFacts") -> dict[str, str]:
    """Classes of the module FastAPI builds per request, with how they are named:
    ``Depends(Cls)``, or ``Annotated[Cls, Depends()]`` (an argument-free ``Depends``)."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_depends(node, facts) and node.args and isinstance(node.args[0], ast.Name):
            if node.args[0].id in classes:
                found.setdefault(node.args[0].id, "Depends(...)")
        elif isinstance(node, ast.Subscript) and (ast_dotted(node.value) or "").rpartition(".")[2] == "Annotated":
            parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else []
            if len(parts) >= 2 and isinstance(parts[0], ast.Name) and parts[0].id in classes:
                if any(_is_depends(p, facts) and not p.args for p in parts[1:]):  # type: ignore[attr-defined]
                    found.setdefault(parts[0].id, "Annotated[..., Depends()]")
    return found


def _builds_in(
    function: ast.AST, key: Key, classes: set[str], repeats: dict[Key, Repeat], literals: frozenset[str], found: dict[str, str]
) -> None:
    """Record the classes ``function`` builds in a loop of its own, or at all if it runs repeatedly."""
    repeat = repeats.get(key)
    repeated = repeat is not None and repeat.kind in (HANDLER, LOOP)

    def visit(node: ast.AST, looped: bool) -> None:
        if isinstance(node, (ast.For, ast.AsyncFor)):
            visit(node.iter, looped)
            inner = looped or not _written_out(node.iter, literals)
            for child in (*node.body, *node.orelse):
                visit(child, inner)
            return
        if isinstance(node, ast.While):
            for child in ast.iter_child_nodes(node):
                visit(child, True)
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            first = node.generators[0]
            visit(first.iter, looped)
            inner = looped or not _written_out(first.iter, literals)
            for child in ast.iter_child_nodes(node):
                if child is not first:
                    visit(child, inner)
            for child in ast.iter_child_nodes(first):
                if child is not first.iter:
                    visit(child, inner)
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in classes:
            name, line = node.func.id, getattr(node, "lineno", 0)
            if looped and name not in found:
                found[name] = f"built in a loop of `{_shown(key)}` (line {line})"
            elif repeated and name not in found:
                found[name] = f"built by `{_shown(key)}` (line {line}), {repeat.why}"  # type: ignore[union-attr]
        for child in ast.iter_child_nodes(node):
            visit(child, looped)

    for statement in function.body:  # type: ignore[attr-defined]
        visit(statement, False)
