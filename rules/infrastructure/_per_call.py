"""When is a client, pool or engine built again and again? (Not a rule module.)

Two situations make a constructor call expensive:

- **per iteration**: inside a ``for`` loop or comprehension, with arguments
  that do not change per iteration, and the object does not leave the
  iteration (it is used as ``obj.method()`` only, so nothing keeps it);
- **per call** of a function that runs repeatedly (``runs_repeatedly``): a
  web handler, a FastAPI dependency, a Lambda handler, a Celery task, a
  Django middleware, or a function of the module called from a loop (or
  called by any of those), with arguments built only from module-level names.

Both answers are conservative; ``None`` keeps the rules silent.

``runs_repeatedly`` reads the whole module's ``ast`` (``facts.tree``) once per
file and caches the answer for every function: it is the one place that knows
why a function runs per request, per event or per item.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional

import libcst as cst
from perflint.analysis import dotted_name
from perflint.context import FileContext
from perflint.facts import ModuleFacts
from perflint.rules.database._loops import (
    ParentIndex,
    is_small_literal_loop,
    is_test_module,
    literal_module_names,
    names_bound_in_loop,
    names_in,
    names_outside,
    walk_body,
)

ROUTE_VERBS = frozenset({"get", "post", "put", "delete", "patch", "head", "options", "websocket", "api_route", "route"})
HANDLER_DECORATORS = {
    "rest_framework.decorators.api_view": "DRF view",
    "django.views.decorators.http.require_http_methods": "Django view",
    "django.views.decorators.http.require_GET": "Django view",
    "django.views.decorators.http.require_POST": "Django view",
    "django.views.decorators.http.require_safe": "Django view",
    "django.contrib.auth.decorators.login_required": "Django view",
    "django.contrib.auth.decorators.permission_required": "Django view",
}
TASK_DECORATORS = {
    "celery.shared_task": "Celery task",
    "celery.task": "Celery task",
    "dramatiq.actor": "Dramatiq actor",
}
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
LAMBDA_NAMES = frozenset({"handler", "lambda_handler"})

# Kinds of "runs repeatedly".
LOOP = "loop"  # called from a loop of the module (possibly through other functions)
HANDLER = "handler"  # runs per request, event, message or task

PER_ITERATION = "iteration"
PER_REQUEST = "request"  # kept for callers: a per-call site of a function that runs repeatedly
PER_CALL = PER_REQUEST

_MAX_HOPS = 3


@dataclass(frozen=True)
class Repeat:
    """Why a function runs repeatedly: ``kind`` is LOOP or HANDLER, ``why`` reads in a message."""

    kind: str
    why: str
    dependency: bool = False  # a FastAPI dependency: yielding the object is its purpose


def call_to(context: FileContext, call: cst.Call, targets) -> Optional[str]:
    """The qualified name of the callee when it is one of ``targets``, else None.

    A cheap syntactic check through the module's imports comes first, so the
    full resolution (which computes the function's local names) only runs for
    calls that can match.
    """
    dotted = dotted_name(call.func)
    if dotted is None:
        return None
    head, _, rest = dotted.partition(".")
    imported = context.facts.imports.get(head)
    if imported is None:
        return None
    if (f"{imported}.{rest}" if rest else imported) not in targets:
        return None
    qualified = context.call_name(call)
    return qualified if qualified in targets else None


# --- runs repeatedly ---------------------------------------------------------


def runs_repeatedly(context: FileContext, function: Optional[cst.CSTNode] = None) -> Optional[str]:
    """Why the current function (or ``function``, a def of this module) runs per
    request, event or item, in words for a message; None when it is not known to."""
    repeat = repeat_of(context, function)
    return repeat.why if repeat is not None else None


def repeat_of(context: FileContext, function: Optional[cst.CSTNode] = None) -> Optional[Repeat]:
    """``runs_repeatedly`` with its kind: LOOP (called from a loop) or HANDLER."""
    key = _function_key(context, function)
    if key is None:
        return None
    return _index(context.facts, context.path).get(key)


def is_request_handler(context: FileContext, function: cst.FunctionDef) -> bool:
    """A function that is clearly run once per request, event or task."""
    repeat = repeat_of(context, function)
    return repeat is not None and repeat.kind == HANDLER


def _function_key(context: FileContext, function: Optional[cst.CSTNode]) -> Optional[tuple[str, str]]:
    """(class name or "", function name) for a module-level function or a method of a
    module-level class; None for nested functions and lambdas."""
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
    outer = scopes[:index]
    if len(outer) == 1:
        return ("", scope.node.name.value)
    if len(outer) == 2 and outer[1].kind == "class":
        return (outer[1].name, scope.node.name.value)
    return None


def _index(facts: ModuleFacts, path: str) -> dict[tuple[str, str], Repeat]:
    """Computed once per file: kept on the facts object, which lives as long as the file's lint."""
    cached = facts.__dict__.get("_runs_repeatedly")
    if cached is not None and cached[0] == path:
        return cached[1]
    result = _compute(facts, path) if facts.tree is not None and not is_test_module(path) else {}
    facts.__dict__["_runs_repeatedly"] = (path, result)
    return result


@dataclass
class _Function:
    key: tuple[str, str]
    node: ast.AST
    calls: list[tuple[tuple[str, str], int, bool]] = field(default_factory=list)  # callee, line, in a loop


def _compute(facts: ModuleFacts, path: str) -> dict[tuple[str, str], Repeat]:
    tree = facts.tree
    assert tree is not None
    functions: dict[tuple[str, str], list[ast.AST]] = {}
    for statement in _top_level(tree.body):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.setdefault(("", statement.name), []).append(statement)
        elif isinstance(statement, ast.ClassDef):
            for member in _top_level(statement.body):
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    functions.setdefault((statement.name, member.name), []).append(member)
    if not functions:
        return {}
    literals = literal_module_names(tree)
    scan = _CallScan(functions, literals, facts)
    scan.scan(tree)

    never = {key for key, nodes in functions.items() if any(_caching(node, facts) for node in nodes)}
    result: dict[tuple[str, str], Repeat] = {}
    web = any(value.split(".")[0] in WEB_FRAMEWORKS for value in facts.imports.values())
    for key, nodes in functions.items():
        if key in never:
            continue
        for node in nodes:
            why = _direct(key, node, facts, path, web)
            if why is not None:
                result[key] = Repeat(HANDLER, why)
                break
    for name in scan.dependencies:
        key = ("", name)
        if key in functions and key not in never and key not in result:
            result[key] = Repeat(HANDLER, "FastAPI dependency (`Depends(...)`), run per request", dependency=True)
    for caller, callee, line in scan.loop_calls:
        if callee in never or callee in result:
            continue
        where = f" of `{_shown(caller)}`" if caller[1] else ""
        result[callee] = Repeat(LOOP, f"called in a loop{where} (line {line})")
    frontier = dict(result)
    for _ in range(_MAX_HOPS):
        grown: dict[tuple[str, str], Repeat] = {}
        for caller, callee, line in scan.plain_calls:
            if caller not in frontier or callee in never or callee in result or callee in grown or callee == caller:
                continue
            origin = frontier[caller]
            grown[callee] = Repeat(origin.kind, f"called by `{_shown(caller)}` (line {line}), {_short(origin)}")
        if not grown:
            break
        result.update(grown)
        frontier = grown
    return result


def _shown(key: tuple[str, str]) -> str:
    return f"{key[0]}.{key[1]}" if key[0] else key[1]


def _short(repeat: Repeat) -> str:
    return repeat.why


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


def _ast_dotted(node: ast.AST) -> Optional[str]:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _resolve(node: ast.AST, facts: ModuleFacts) -> Optional[str]:
    dotted = _ast_dotted(node)
    if dotted is None:
        return None
    head, _, rest = dotted.partition(".")
    qualified = facts.resolve_global(head)
    if qualified is None:
        return None
    return f"{qualified}.{rest}" if rest else qualified


def _caching(node: ast.AST, facts: ModuleFacts) -> bool:
    for decorator in getattr(node, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if _resolve(target, facts) in CACHING_DECORATORS:
            return True
        dotted = _ast_dotted(target)
        if dotted is not None and dotted.rpartition(".")[2] in ("lru_cache", "cache", "cached_property", "memoize", "cached"):
            return True
    return False


def _direct(key: tuple[str, str], node, facts: ModuleFacts, path: str, web: bool) -> Optional[str]:
    """Why a def runs per request, event or task, from its decorators and signature."""
    celery = any(value.split(".")[0] == "celery" for value in facts.imports.values())
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualified = _resolve(target, facts)
        if qualified in HANDLER_DECORATORS:
            return HANDLER_DECORATORS[qualified]
        if qualified in TASK_DECORATORS:
            return TASK_DECORATORS[qualified]
        if qualified is not None and qualified.rpartition(".")[2] == "shared_task":
            return "Celery task"  # re-exported by the project
        if isinstance(target, ast.Attribute):
            owner = _ast_dotted(target.value)
            if owner is None:
                continue
            if target.attr in ("task", "shared_task"):
                # @app.task, @celery.task, @huey.task: a task queue runs it per message. The app is
                # often imported from the project's own module (`from proj.celery import app`).
                return "Celery task" if celery or "celery" in owner.lower() or owner == "app" else "task-queue task"
            if target.attr == "actor":
                return "Dramatiq actor" if any(v.split(".")[0] == "dramatiq" for v in facts.imports.values()) else None
            if isinstance(decorator, ast.Call) and target.attr in ROUTE_VERBS:
                first = decorator.args[0] if decorator.args else None
                if target.attr in ("route", "api_route") or (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    return f"web route (`@{owner}.{target.attr}`)"
    arguments = node.args
    params = [a for a in (*arguments.posonlyargs, *arguments.args)]
    in_class = bool(key[0])
    if in_class and params and params[0].arg in ("self", "cls"):
        params = params[1:]
    names = [p.arg for p in params]
    if not in_class and len(names) == 2 and names[0] == "event" and names[1] in ("context", "_context", "ctx"):
        return "AWS Lambda handler"
    if not in_class and key[1] in LAMBDA_NAMES and len(names) == 2 and names[0] in ("event", "evt"):
        return "AWS Lambda handler"
    if params and params[0].annotation is not None and _resolve(params[0].annotation, facts) in REQUEST_TYPES:
        return "request handler"
    if not names or names[0] != "request":
        return None
    parts = path.replace("\\", "/").split("/")
    in_views = parts[-1].endswith(("views.py", "api.py")) or "views" in parts[:-1]
    if not (in_views or web):
        return None
    django = any(value.split(".")[0] in ("django", "rest_framework") for value in facts.imports.values())
    if in_class and key[1] in MIDDLEWARE_METHODS and django:
        return "Django middleware, run per request"
    if in_class and key[1] in ("__init__", "__new__"):
        return None
    return "Django view" if django else "request handler"


class _CallScan:
    """Calls between the module's functions: which run in a loop, which anywhere, and
    the functions named in ``Depends(...)``."""

    def __init__(self, functions, literals: set[str], facts: ModuleFacts) -> None:
        self.functions = functions
        self.literals = literals
        self.facts = facts
        self.loop_calls: list[tuple[tuple[str, str], tuple[str, str], int]] = []
        self.plain_calls: list[tuple[tuple[str, str], tuple[str, str], int]] = []
        self.dependencies: set[str] = set()

    def scan(self, tree: ast.Module) -> None:
        self._body(tree, ("", ""), "", False)

    def _body(self, node: ast.AST, owner: tuple[str, str], cls: str, in_loop: bool) -> None:
        for child in ast.iter_child_nodes(node):
            self._visit(child, owner, cls, in_loop)

    def _visit(self, node: ast.AST, owner: tuple[str, str], cls: str, in_loop: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for part in (*node.decorator_list, *node.args.defaults, *node.args.kw_defaults):
                if part is not None:
                    self._visit(part, owner, cls, in_loop)
            if owner == ("", "") and not in_loop:
                inner = (cls, node.name)
            else:
                inner = owner  # a nested def runs when its enclosing function calls it, roughly
            for statement in node.body:
                self._visit(statement, inner, cls, False)
            return
        if isinstance(node, ast.Lambda):
            self._visit(node.body, owner, cls, False)
            return
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                self._visit(statement, owner, node.name if owner == ("", "") else cls, in_loop)
            return
        if isinstance(node, (ast.For, ast.AsyncFor)):
            self._visit(node.iter, owner, cls, in_loop)
            repeated = in_loop or not self._small(node.iter)
            self._visit(node.target, owner, cls, in_loop)
            for statement in node.body:
                self._visit(statement, owner, cls, repeated)
            for statement in node.orelse:
                self._visit(statement, owner, cls, in_loop)
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            first, *rest = node.generators
            self._visit(first.iter, owner, cls, in_loop)
            repeated = in_loop or not self._small(first.iter)
            for condition in first.ifs:
                self._visit(condition, owner, cls, repeated)
            for generator in rest:
                self._visit(generator.iter, owner, cls, repeated)
                for condition in generator.ifs:
                    self._visit(condition, owner, cls, repeated)
            if isinstance(node, ast.DictComp):
                self._visit(node.key, owner, cls, repeated)
                self._visit(node.value, owner, cls, repeated)
            else:
                self._visit(node.elt, owner, cls, repeated)
            return
        if isinstance(node, ast.Call):
            self._call(node, owner, cls, in_loop)
        self._body(node, owner, cls, in_loop)

    def _call(self, node: ast.Call, owner: tuple[str, str], cls: str, in_loop: bool) -> None:
        func = node.func
        callee: Optional[tuple[str, str]] = None
        if isinstance(func, ast.Name):
            if func.id in ("Depends", "Security") or _resolve(func, self.facts) in DEPENDS:
                if node.args and isinstance(node.args[0], ast.Name):
                    self.dependencies.add(node.args[0].id)
            if ("", func.id) in self.functions and func.id not in self.facts.imports:
                callee = ("", func.id)
        elif isinstance(func, ast.Attribute):
            if _resolve(func, self.facts) in DEPENDS and node.args and isinstance(node.args[0], ast.Name):
                self.dependencies.add(node.args[0].id)
            if isinstance(func.value, ast.Name) and func.value.id in ("self", "cls") and cls:
                if (cls, func.attr) in self.functions:
                    callee = (cls, func.attr)
        if callee is None:
            return
        line = getattr(node, "lineno", 0)
        (self.loop_calls if in_loop else self.plain_calls).append((owner, callee, line))
        if in_loop:
            self.plain_calls.append((owner, callee, line))

    def _small(self, iterable: ast.AST) -> bool:
        """A loop over a literal collection, a module constant bound to one, or a constant range."""
        if isinstance(iterable, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Constant)):
            return True
        if isinstance(iterable, ast.Name):
            return iterable.id in self.literals
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name):
            if iterable.func.id == "range":
                return all(isinstance(a, ast.Constant) for a in iterable.args)
            if iterable.func.id in ("enumerate", "reversed", "sorted") and iterable.args:
                return self._small(iterable.args[0])
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute):
            if iterable.func.attr in ("items", "keys", "values") and not iterable.args:
                return self._small(iterable.func.value)
        return False


# --- where is a constructor call repeated -----------------------------------


def creation_site(context: FileContext, parents: ParentIndex, call: cst.Call, handlers: bool = True) -> Optional[str]:
    """PER_ITERATION, PER_REQUEST (per call of a function that runs repeatedly), or None
    when the construction is not provably repeated waste. With ``handlers=False`` only
    loops count: the loop around the call, or one that calls its function."""
    if is_test_module(context.path):
        return None  # tests build a fresh client per case on purpose
    loops = context.loops
    if loops:
        loop = loops[-1]
        if loop.kind == "while":
            return None  # retries and reconnect loops rebuild on purpose
        if is_small_literal_loop(context, loop.node, literal_module_names(context.facts.tree)):
            return None
        if _target_names(parents, call, loop.node) & names_bound_in_loop(loop.node):
            return None  # per-iteration settings (a region, a DSN, credentials, a host to connect to)
        owner = _loop_owner(context)
        if not _stays_local(parents, call, [loop.node], owner, loop.node):
            return None
        return PER_ITERATION
    scope = context.scope
    if scope.kind != "function" or not isinstance(scope.node, cst.FunctionDef):
        return None
    repeat = repeat_of(context)
    if repeat is None or (not handlers and repeat.kind != LOOP):
        return None
    local = set()
    for enclosing in context.scopes:
        if enclosing.kind in ("function", "lambda"):
            local |= enclosing.local_names
    if _target_names(parents, call, scope.node.body) & local:
        return None  # built from the request or the arguments: per-user credentials, a tenant's URL...
    if _returns_before(scope.node.body, call):
        return None  # an early return (a cache hit, a guard) may skip the construction on most calls
    if not _stays_local(
        parents, call, [scope.node.body], scope.node, None, locals_=scope.local_names, escapes=repeat.dependency
    ):
        return None
    return PER_REQUEST


def _returns_before(body: cst.CSTNode, call: cst.CSTNode) -> bool:
    """A ``return`` earlier in the function than ``call`` (source order)."""
    for node in walk_body(body):
        if node is call:
            return False
        if isinstance(node, cst.Return):
            return True
    return False


_STORING_METHODS = frozenset(
    {"append", "appendleft", "add", "extend", "insert", "put", "put_nowait", "setdefault", "update", "register", "set"}
)


def _stores(call: cst.Call) -> bool:
    """``pool.append(x)``, ``cache.set(k, x)``...: the argument outlives the call."""
    return isinstance(call.func, cst.Attribute) and call.func.attr.value in _STORING_METHODS


def _argument_names(call: cst.Call) -> set[str]:
    names: set[str] = set()
    for arg in call.args:
        names |= names_in(arg.value)
    return names


# Methods that say where a client built without arguments connects: ``ssh.connect(host)``,
# ``smtp.connect(host)``, ``ftp.login(user)``.
_CONNECTING_METHODS = frozenset({"connect", "login", "open"})


def _target_names(parents: ParentIndex, call: cst.Call, region: cst.CSTNode) -> set[str]:
    """The names the object's settings are built from: the constructor's arguments, and
    those of ``obj.connect(...)`` / ``obj.login(...)`` on the name it is bound to in ``region``
    (a new SSH client per host is no waste: a connection to one host serves no other)."""
    names = _argument_names(call)
    parent = parents.parent(call)
    if isinstance(parent, cst.Await):
        parent = parents.parent(parent)
    bound: Optional[str] = None
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
        bound = parent.targets[0].target.value
    elif isinstance(parent, cst.WithItem) and parent.asname is not None and isinstance(parent.asname.name, cst.Name):
        bound = parent.asname.name.value
    if bound is None:
        return names
    for node in walk_body(region):
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in _CONNECTING_METHODS
            and isinstance(node.func.value, cst.Name)
            and node.func.value.value == bound
        ):
            names |= _argument_names(node)
    return names


def _loop_owner(context: FileContext) -> Optional[cst.CSTNode]:
    function = context.function
    return function.node if function is not None else None


def _stays_local(
    parents: ParentIndex,
    call: cst.CSTNode,
    region: list[cst.CSTNode],
    owner: Optional[cst.CSTNode],
    loop_node: Optional[cst.CSTNode],
    locals_: Optional[set[str]] = None,
    escapes: bool = False,
) -> bool:
    """True when the object is only used inside ``region`` as a method receiver, a
    callee or a call argument: ``Ctor().get(...)``, ``with Ctor() as c: c.get(...)``,
    ``with c:``, ``c = Ctor(); Session(c)``, ``factory = sessionmaker(bind=Ctor())``,
    ``c = await connect()``. Returned, yielded, stored in an attribute or a
    container (``pool.append(c)``) it may be kept alive on purpose; with
    ``escapes`` (a FastAPI dependency) returning or yielding it is allowed."""
    parent = parents.parent(call)
    if isinstance(parent, cst.Await) and parent.expression is call:
        call, parent = parent, parents.parent(parent)
    if isinstance(parent, cst.Attribute) and parent.value is call:
        return True
    if isinstance(parent, cst.Arg) and parent.value is call:
        outer = parents.parent(parent)
        if isinstance(outer, cst.Call) and not _stores(outer):
            return _stays_local(parents, outer, region, owner, loop_node, locals_, escapes)
        return False
    name: Optional[str] = None
    if isinstance(parent, cst.WithItem) and parent.item is call and parent.asname is not None:
        target = parent.asname.name
        name = target.value if isinstance(target, cst.Name) else None
    elif isinstance(parent, cst.Assign) and parent.value is call and len(parent.targets) == 1:
        target = parent.targets[0].target
        name = target.value if isinstance(target, cst.Name) else None
    elif isinstance(parent, cst.AnnAssign) and parent.value is call:
        name = parent.target.value if isinstance(parent.target, cst.Name) else None
    elif escapes and isinstance(parent, (cst.Return, cst.Yield)):
        return True
    if name is None:
        return False
    if locals_ is not None and name not in locals_:
        return False  # a global or nonlocal: a cache being filled, not a per-call object
    allowed: set[int] = set()
    uses: list[cst.Name] = []
    for part in region:
        for node in walk_body(part):
            if isinstance(node, cst.Attribute):
                allowed.add(id(node.attr))  # boto3.client: an attribute spelled like the name
                if isinstance(node.value, cst.Name) and node.value.value == name:
                    allowed.add(id(node.value))
            elif isinstance(node, cst.Arg) and node.keyword is not None:
                allowed.add(id(node.keyword))
            elif isinstance(node, cst.Call):
                if isinstance(node.func, cst.Name) and node.func.value == name:
                    allowed.add(id(node.func))  # a factory called: sessionmaker(...)()
                if not _stores(node):
                    # Handed to a helper for the duration of the call: Session(engine), read(conn).
                    allowed |= {id(a.value) for a in node.args if isinstance(a.value, cst.Name) and a.value.value == name}
            elif isinstance(node, cst.WithItem) and isinstance(node.item, cst.Name) and node.item.value == name:
                allowed.add(id(node.item))  # with conn: ...
            elif isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Name):
                allowed.add(id(node.target))
            elif isinstance(node, cst.AsName) and isinstance(node.name, cst.Name):
                allowed.add(id(node.name))
            elif escapes and isinstance(node, (cst.Yield, cst.Return)) and isinstance(node.value, cst.Name):
                allowed.add(id(node.value))
            if isinstance(node, cst.Name) and node.value == name:
                uses.append(node)
    if any(id(use) not in allowed for use in uses):
        return False
    if owner is not None and loop_node is not None and name in names_outside(owner, loop_node):
        return False  # read after the loop: the last iteration's object is kept
    return True
