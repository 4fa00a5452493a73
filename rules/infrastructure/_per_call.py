"""When is a client, pool or engine built again and again? (Not a rule module.)

Two situations make a constructor call expensive:

- **per iteration**: inside a ``for`` loop or comprehension, with arguments
  that do not change per iteration, and the object does not leave the
  iteration (it is used as ``obj.method()`` only, so nothing keeps it);
- **per request**: directly in a request handler (a Flask/FastAPI route, a
  DRF ``@api_view``, a Django view in a ``views`` module taking ``request``),
  with arguments built only from module-level names.

Both answers are conservative; ``None`` keeps the rules silent.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import dotted_name
from perflint.context import FileContext
from perflint.rules.database._loops import (
    ParentIndex,
    is_small_literal_loop,
    literal_module_names,
    names_bound_in_loop,
    names_in,
    names_outside,
    walk_body,
)

ROUTE_VERBS = frozenset({"get", "post", "put", "delete", "patch", "head", "options", "websocket", "api_route", "route"})
HANDLER_DECORATORS = frozenset(
    {
        "rest_framework.decorators.api_view",
        "django.views.decorators.http.require_http_methods",
        "django.views.decorators.http.require_GET",
        "django.views.decorators.http.require_POST",
        "django.views.decorators.http.require_safe",
    }
)

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


PER_ITERATION = "iteration"
PER_REQUEST = "request"


def is_request_handler(context: FileContext, function: cst.FunctionDef) -> bool:
    """A function that is clearly run once per HTTP request."""
    for decorator in function.decorators:
        expr = decorator.decorator
        if isinstance(expr, cst.Call):
            if context.qualified_name(expr.func) in HANDLER_DECORATORS:
                return True
            func = expr.func
            if isinstance(func, cst.Attribute) and func.attr.value in ROUTE_VERBS and dotted_name(func.value):
                first = expr.args[0].value if expr.args and expr.args[0].keyword is None else None
                if func.attr.value == "route" or isinstance(first, (cst.SimpleString, cst.ConcatenatedString)):
                    return True
        elif context.qualified_name(expr) in HANDLER_DECORATORS:
            return True
    path = context.path.replace("\\", "/")
    parts = path.split("/")
    in_views = parts[-1] in ("views.py", "api.py") or "views" in parts[:-1]
    if not in_views:
        return False
    params = [p.name.value for p in function.params.params]
    if params and params[0] in ("self", "cls"):
        params = params[1:]
    return bool(params) and params[0] == "request"


def creation_site(context: FileContext, parents: ParentIndex, call: cst.Call, handlers: bool = True) -> Optional[str]:
    """PER_ITERATION, PER_REQUEST, or None when the construction is not provably repeated waste."""
    loops = context.loops
    if loops:
        loop = loops[-1]
        if loop.kind == "while":
            return None  # retries and reconnect loops rebuild on purpose
        if is_small_literal_loop(context, loop.node, literal_module_names(context.facts.tree)):
            return None
        if _argument_names(call) & names_bound_in_loop(loop.node):
            return None  # per-iteration settings (a region, a DSN, credentials)
        owner = _loop_owner(context)
        if not _stays_local(parents, call, [loop.node], owner, loop.node):
            return None
        return PER_ITERATION
    if not handlers:
        return None
    scope = context.scope
    if scope.kind != "function" or not isinstance(scope.node, cst.FunctionDef):
        return None
    if not is_request_handler(context, scope.node):
        return None
    local = set()
    for enclosing in context.scopes:
        if enclosing.kind in ("function", "lambda"):
            local |= enclosing.local_names
    if _argument_names(call) & local:
        return None  # built from the request: per-user credentials, a tenant's URL...
    if not _stays_local(parents, call, [scope.node.body], scope.node, None, locals_=scope.local_names):
        return None
    return PER_REQUEST


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


def _loop_owner(context: FileContext) -> Optional[cst.CSTNode]:
    function = context.function
    return function.node if function is not None else None


def _stays_local(
    parents: ParentIndex,
    call: cst.Call,
    region: list[cst.CSTNode],
    owner: Optional[cst.CSTNode],
    loop_node: Optional[cst.CSTNode],
    locals_: Optional[set[str]] = None,
) -> bool:
    """True when the object is only used inside ``region`` as a method receiver or a
    call argument: ``Ctor().get(...)``, ``with Ctor() as c: c.get(...)``,
    ``c = Ctor(); Session(c)``. Returned, yielded, stored in an attribute or a
    container (``pool.append(c)``) it may be kept alive on purpose."""
    parent = parents.parent(call)
    if isinstance(parent, cst.Attribute) and parent.value is call:
        return True
    name: Optional[str] = None
    if isinstance(parent, cst.WithItem) and parent.item is call and parent.asname is not None:
        target = parent.asname.name
        name = target.value if isinstance(target, cst.Name) else None
    elif isinstance(parent, cst.Assign) and parent.value is call and len(parent.targets) == 1:
        target = parent.targets[0].target
        name = target.value if isinstance(target, cst.Name) else None
    if name is None:
        return False
    if locals_ is not None and name not in locals_:
        return False  # a global or nonlocal: a cache being filled, not a per-call object
    allowed: set[int] = set()
    uses: list[cst.Name] = []
    for part in region:
        for node in walk_body(part):
            if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == name:
                allowed.add(id(node.value))
            elif isinstance(node, cst.Call) and not _stores(node):
                # Handed to a helper for the duration of the call: Session(engine), read(conn).
                allowed |= {id(a.value) for a in node.args if isinstance(a.value, cst.Name) and a.value.value == name}
            elif isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Name):
                allowed.add(id(node.target))
            elif isinstance(node, cst.AsName) and isinstance(node.name, cst.Name):
                allowed.add(id(node.name))
            elif isinstance(node, cst.Name) and node.value == name:
                uses.append(node)
    if any(id(use) not in allowed for use in uses):
        return False
    if owner is not None and loop_node is not None and name in names_outside(owner, loop_node):
        return False  # read after the loop: the last iteration's object is kept
    return True
