"""When is a client, pool or engine built again and again? (Not a rule module.)

Two situations make a constructor call expensive:

- **per iteration**: inside a ``for`` loop or comprehension (or a ``while``
  loop that walks items, ``analysis.while_walk_names``, or a consumer's
  message loop, ``analysis.while_consume_names``), with arguments
  that do not change per iteration, and the object does not leave the
  iteration (it is used as ``obj.method()`` only, so nothing keeps it);
- **per call** of a function that runs repeatedly (``context.repeat_of()``,
  ``perflint.repetition``) because it handles requests, events or tasks
  (``HANDLER``: a web handler, a FastAPI dependency, a Lambda handler, a
  Celery task, a Django middleware) or because a ``for`` loop or a
  comprehension of the module calls it (``LOOP``, also through other
  functions), with arguments built only from module-level names; a module
  factory (``return connect(DSN)``) counts when every caller in the module
  drops what it returns (also ``conn = connect(DSN); conn.login(...); return
  conn``), and so does a factory method (``def _conn(self):
  return connect(self.dsn)``) when every ``x._conn()`` call drops it and no
  caller returns early before it (``if self.conn: return``: a lazy cache); a module
  function that its own module does not repeat counts when other modules of the project
  call it from a handler or a loop (``perflint.project_callers``; for a factory, every such
  caller must drop what it returns), and a method when it overrides a hook its base class
  in another module runs repeatedly;
- **per instance** (PF502/PF503 only): ``self.http = Session()`` in
  ``__init__`` of a module class whose every construction (``C()``, no
  arguments) is in a loop or in a function that runs repeatedly and is
  dropped after use (``instance_use``). A function called from a ``while`` loop only
  (retries rebuild on purpose) and a property getter read outside loops do
  not count; a bare ``return`` before the construction (a guard) does not
  stop it, a ``return`` of a value (a cache hit) does; nor, for connections whose cost is their
  set-up (``batch_amortizes``), a handler whose loop sends a whole batch
  through the one object it builds.

Both answers are conservative; ``None`` keeps the rules silent.
"""

from __future__ import annotations

import ast
import builtins
import re
from typing import Optional

import libcst as cst
from perflint.analysis import dotted_name, names_read, while_consume_names, while_walk_names
from perflint.context import FileContext
from perflint.models_index import imported_name
from perflint.project_callers import callers_elsewhere, inherited_repeat
from perflint.repetition import HANDLER, LOOP, MESSAGE_BACKEND, Repeat, cached_function
from perflint.rules.database._loops import (
    ParentIndex,
    is_small_literal_loop,
    is_test_module,
    names_bound_in_loop,
    names_in,
    names_outside,
    walk_body,
)

PER_ITERATION = "iteration"
PER_REQUEST = "request"  # a per-call site of a function that runs repeatedly
PER_INSTANCE = "instance"  # ``self.x = Ctor()`` in ``__init__`` of a class built per item or request, then dropped
LAMBDA = "AWS Lambda handler"  # perflint.repetition's reason for a Lambda handler


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
        # ``from twilio.rest import Client`` inside the function: an optional dependency
        # imported where it is used.
        nested = context.facts.memo("infra.nested_bindings", _nested_bindings)
        imported = _function_import(context, head) if head in nested[0] else None
        if imported is None:
            return _conditional_alias(context, head, rest, targets) if head in nested[1] else None
        qualified = f"{imported}.{rest}" if rest else imported
        return qualified if qualified in targets else None
    if (f"{imported}.{rest}" if rest else imported) not in targets:
        return None
    qualified = context.call_name(call)
    return qualified if qualified in targets else None


# An indented import (inside a function, or under ``if``/``try``) and an indented
# ``name = a.B if cond else c.D``: read from the text, so a module without them costs one search.
_INDENTED_FROM = re.compile(r"^[ \t]+from[ \t]+[\w.]+[ \t]+import[ \t]+([^\n(#]+)", re.M)
_INDENTED_IMPORT = re.compile(r"^[ \t]+import[ \t]+([^\n#]+)", re.M)
_INDENTED_IFEXP = re.compile(r"^[ \t]+(\w+)[ \t]*=[ \t]*[\w.]+[ \t]+if[ \t].+[ \t]else[ \t]+[\w.]+[ \t]*$", re.M)


def _nested_bindings(facts) -> tuple[frozenset[str], frozenset[str]]:
    """(names an indented import binds, names an indented line assigns a conditional choice
    between two dotted names to) in the module's text: ``call_to`` looks into a function's
    body only for a head name that can be one of them. A superset is fine (the body is read
    to confirm); a parenthesized multi-line import is not read (its names stay unresolved)."""
    text = facts.source or ""
    imported: set[str] = set()
    for pattern in (_INDENTED_FROM, _INDENTED_IMPORT):
        for match in pattern.finditer(text):
            for part in match.group(1).split(","):
                words = part.split()
                if words:
                    imported.add(words[-1] if len(words) >= 3 and words[-2] == "as" else words[0].split(".")[0])
    conditional = {match.group(1) for match in _INDENTED_IFEXP.finditer(text)}
    return frozenset(imported), frozenset(conditional)


def _conditional_alias(context: FileContext, head: str, rest: str, targets) -> Optional[str]:
    """``redis_cls = redis.StrictRedis if strict else redis.Redis`` (bound once in the enclosing
    function) then ``redis_cls.from_url(url)``: the qualified name when both branches reach a
    target; None otherwise."""
    scope = context.scope
    if scope.kind != "function" or scope.node is None:
        return None
    value: Optional[cst.BaseExpression] = None
    for node in walk_body(scope.node):
        if isinstance(node, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == head for t in node.targets):
            if value is not None or len(node.targets) != 1:
                return None
            value = node.value
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr, cst.AsName)):
            target = node.name if isinstance(node, cst.AsName) else node.target
            if head in names_in(target):
                return None
    if any(p.name.value == head for p in scope.node.params.params + scope.node.params.kwonly_params):
        return None
    if not isinstance(value, cst.IfExp):
        return None
    found: Optional[str] = None
    for branch in (value.body, value.orelse):
        base = context.qualified_name(branch) if isinstance(branch, (cst.Name, cst.Attribute)) else None
        if base is None:
            dotted = dotted_name(branch)
            inner_head, _, inner_rest = (dotted or "").partition(".")
            imported = _function_import(context, inner_head) if dotted else None
            if imported is None:
                return None
            base = f"{imported}.{inner_rest}" if inner_rest else imported
        qualified = f"{base}.{rest}" if rest else base
        if qualified not in targets:
            return None
        found = found or qualified
    return found


def _function_import(context: FileContext, head: str) -> Optional[str]:
    """What ``head`` names when an enclosing function imports it (``import boto3``, ``from
    twilio.rest import Client as C``) and binds it nowhere else; None otherwise."""
    found: Optional[str] = None
    for scope in context.scopes:
        if scope.kind != "function" or scope.node is None:
            continue
        for node in walk_body(scope.node):
            if isinstance(node, cst.Import):
                for alias in node.names:
                    name = dotted_name(alias.name)
                    if name is None:
                        continue
                    bound = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name.split(".")[0]
                    if bound == head:
                        if found is not None:
                            return None
                        found = name if alias.asname else head
            elif isinstance(node, cst.ImportFrom) and not node.relative and node.module is not None:
                module = dotted_name(node.module)
                if module is None or isinstance(node.names, cst.ImportStar):
                    continue
                for alias in node.names:
                    name = dotted_name(alias.name)
                    bound = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
                    if bound == head:
                        if found is not None and found != f"{module}.{name}":
                            return None  # ``try: from a import X`` / ``except: from b import X``
                        found = f"{module}.{name}"
    return found


# --- where is a constructor call repeated -----------------------------------


def creation_site(
    context: FileContext,
    parents: ParentIndex,
    call: cst.Call,
    handlers: bool = True,
    batch_amortizes: bool = False,
    instances: bool = False,
) -> Optional[str]:
    """PER_ITERATION, PER_REQUEST (per call of a function that runs repeatedly), or None
    when the construction is not provably repeated waste. With ``handlers=False`` only
    loops count: the loop around the call, or one that calls its function. With
    ``batch_amortizes`` (a connection whose cost is its set-up), a handler that sends a
    whole loop's items through the one object it builds is not counted either, except in a
    Lambda handler, whose module-level objects survive between warm invocations."""
    if is_test_module(context.path):
        return None  # tests build a fresh client per case on purpose
    loops = context.loops
    if loops and not _retried_factory(loops[-1], parents, call):
        loop = loops[-1]
        if loop.kind == "while" and not (while_walk_names(loop.node) or while_consume_names(loop.node)):
            return None  # retries and reconnect loops rebuild on purpose; a walk over items or messages counts
        if is_small_literal_loop(context, loop.node, context.facts.literal_names):
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
    repeat = context.repeat_of()
    if repeat is None and instances and instance_use(context, parents, call) is not None:
        return PER_INSTANCE  # ``self.http = Session()`` in ``__init__`` of a class built per item and dropped
    elsewhere = repeat is None and _elsewhere(context) is not None
    if elsewhere:
        repeat = _elsewhere(context)[0]  # a helper that other modules of the project call per request or item
    if repeat is None or repeat.kind not in (HANDLER, LOOP) or (not handlers and repeat.kind != LOOP):
        return None  # a ``while`` loop (retries rebuild on purpose) or a property getter: not counted
    local = set()
    for enclosing in context.scopes:
        if enclosing.kind in ("function", "lambda"):
            local |= enclosing.local_names
    local -= _injected_once(context, scope.node)
    varying = _target_names(parents, call, scope.node.body) & local
    if varying == {"self"} and _fixed_self_settings(context, call):
        varying = set()  # ``connect(self.dsn)`` with ``self.dsn`` set once, in ``__init__``
    message_backend = repeat.kind == HANDLER and MESSAGE_BACKEND in repeat.why
    if message_backend and scope.name == "__init__":
        varying = set()  # a backend's options come from ``get_connection(**kwargs)``: settings, the same per send
    elif varying:
        varying -= _module_derived(context, scope.node, varying, local)  # ``sid = getattr(settings, "SID")``
    if varying:
        varying -= _fixed_locals(context, scope.node, varying, local)  # ``url = REDIS_URL; from_url(url)``
    if varying:
        return None  # built from the request or the arguments: per-user credentials, a tenant's URL...
    if _returns_before(scope.node.body, call) and not (
        repeat.per_instance and _guarded_by_own_attribute(parents, call, scope.node.body)
    ):
        return None  # an early return (a cache hit, a guard) may skip the construction on most calls
    if not _stays_local(
        parents, call, [scope.node.body], scope.node, None, locals_=scope.local_names, escapes=repeat.dependency
    ) and not (
        (repeat.kind == HANDLER or repeat.per_instance) and _stored_per_request(context, parents, call, repeat.per_instance)
    ):
        handed_back = _returned(parents, call) or _set_up_and_returned(parents, call, scope.node, scope.local_names)
        if not (handed_back and repeat.why.startswith(("called ", "a property")) and _factory_used_locally(context, elsewhere)):
            return None
    if (
        batch_amortizes
        and repeat.kind == HANDLER
        and repeat.why != LAMBDA
        and not message_backend  # ``send_mail()`` hands ``send_messages`` a batch of one
        and _serves_a_loop(parents, call, scope.node.body)
    ):
        return None  # one connection per task or request, shared by every item of its batch
    return PER_REQUEST


def instance_use(context: FileContext, parents: ParentIndex, call: cst.Call) -> Optional[str]:
    """Where the class is built per item or request, when ``call`` is ``self.x = Ctor(...)`` in
    ``__init__`` of a module class whose every construction in the module (``C()``, no
    arguments, so no per-call settings reach the constructor) sits in a ``for`` loop or
    comprehension or in a function that runs per request or per item, and each new instance
    is used there and dropped (a receiver, a ``with``, a local used only so): every instance
    then builds its own client. The reason in words ("built in a loop of `f` (line 12)"), or None."""
    scopes = context.scopes
    if len(scopes) != 3 or scopes[0].kind != "module" or scopes[1].kind != "class" or scopes[2].name != "__init__":
        return None
    parent = parents.parent(call)
    if not (isinstance(parent, cst.Assign) and parent.value is call and len(parent.targets) == 1):
        return None
    target = parent.targets[0].target
    if not (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self"):
        return None
    repeats = context.facts.repetition(context.path)  # asked: the answer depends on the other defs
    return context.facts.memo(f"infra.instance_use.{scopes[1].name}", lambda facts: _built_per_use(facts, scopes[1].name, repeats))


def _built_per_use(facts, name: str, repeats) -> Optional[str]:
    tree = facts.tree
    if tree is None:
        return None
    reason: Optional[str] = None
    owners: list[tuple[tuple[str, str], ast.AST]] = []
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            owners.append((("", statement.name), statement))
        elif isinstance(statement, ast.ClassDef):
            owners.extend(
                ((statement.name, m.name), m) for m in statement.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
            )
        elif any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name for n in ast.walk(statement)):
            return None  # also built at module level: a shared instance
    for key, function in owners:
        parents: dict[int, ast.AST] = {}
        for node in ast.walk(function):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
        for node in ast.walk(function):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name):
                continue
            if node.args or node.keywords or not _used_locally(node, function, parents):
                return None
            looped = _in_for_loop(node, function, parents)
            repeat = repeats.get(key)
            if looped:
                reason = reason or f"`{name}` is built in a loop of `{function.name}` (line {node.lineno})"
            elif repeat is not None and repeat.kind in (HANDLER, LOOP):
                reason = reason or f"`{name}` is built per call of `{function.name}` ({repeat.why})"
            else:
                return None
    return reason


def _in_for_loop(node: ast.AST, function: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """``node`` runs per iteration of a ``for`` loop or comprehension of ``function`` (not in
    the loop's own iterable, not over a literal display)."""
    child = node
    up = parents.get(id(node))
    while up is not None and up is not function:
        if isinstance(up, (ast.For, ast.AsyncFor)) and child is not up.iter and child not in up.orelse:
            if not isinstance(up.iter, (ast.List, ast.Tuple, ast.Set, ast.Constant)):
                return True
        if isinstance(up, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)) and child is not up.generators[0]:
            if not isinstance(up.generators[0].iter, (ast.List, ast.Tuple, ast.Set, ast.Constant)):
                return True
        child, up = up, parents.get(id(up))
    return False


def _returned(parents: ParentIndex, call: cst.Call) -> bool:
    """``return Ctor(...)`` / ``return await connect(...)``."""
    parent = parents.parent(call)
    if isinstance(parent, cst.Await):
        parent = parents.parent(parent)
    return isinstance(parent, cst.Return)


def _set_up_and_returned(parents: ParentIndex, call: cst.Call, function: cst.FunctionDef, locals_: set[str]) -> bool:
    """``conn = Ctor(...)``, set up as a receiver only (``conn.starttls()``, ``conn.login(...)``),
    then ``return conn``: a factory that configures what it hands back (not a generator)."""
    parent = parents.parent(call)
    if isinstance(parent, cst.Await):
        parent = parents.parent(parent)
    if not (isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name)):
        return False
    name = parent.targets[0].target.value
    nodes = list(walk_body(function.body))
    if any(isinstance(n, cst.Yield) for n in nodes):
        return False
    if not any(isinstance(n, cst.Return) and isinstance(n.value, cst.Name) and n.value.value == name for n in nodes):
        return False
    return _stays_local(parents, call, [function.body], function, None, locals_=locals_, escapes=True)


def why_repeated(context: FileContext) -> Optional[str]:
    """Why the current function runs repeatedly, for a message: its module's reason
    (``context.runs_repeatedly()``) or a caller's in another module of the project."""
    why = context.runs_repeatedly()
    if why is None and _elsewhere(context) is not None:
        why = _elsewhere(context)[0].why
    return why


def _elsewhere(context: FileContext) -> Optional[tuple[Repeat, tuple]]:
    """For a module-level function that nothing in its own module repeats: why it runs
    repeatedly because another module of the project calls it from a handler or a loop
    (``perflint.project_callers``), with every call site there; None otherwise."""
    scopes = context.scopes
    if context.facts.tree is None or scopes[-1].kind != "function":
        return None
    if len(scopes) == 2:
        name = scopes[1].name
        return context.facts.memo(f"infra.elsewhere.{context.path}.{name}", lambda facts: _called_elsewhere(facts, name))
    if len(scopes) == 3 and scopes[1].kind == "class":
        cls, name = scopes[1].name, scopes[2].name
        return context.facts.memo(f"infra.inherited.{context.path}.{cls}.{name}", lambda facts: _inherited(facts, cls, name))
    return None


def _inherited(facts, cls: str, name: str) -> Optional[tuple[Repeat, tuple]]:
    """A method overriding a hook that its base class (in another module) runs repeatedly."""
    project = facts.inference.project
    found = inherited_repeat(project, facts, cls, name) if project is not None else None
    if found is None:
        return None
    repeat, where = found
    return Repeat(repeat.kind, f"it overrides a method of a base class in {where} that is {repeat.why}", hops=repeat.hops + 1), ()


def _called_elsewhere(facts, name: str) -> Optional[tuple[Repeat, tuple]]:
    project = facts.inference.project
    if project is None or cached_function(name, facts):
        return None
    sites = callers_elsewhere(project, name)
    repeated = [site for site in sites or () if site.repeat is not None]
    if not repeated:
        return None
    site = repeated[0]
    if site.repeat.why == "its loop":
        why = f"called in a loop of {site.where}"
    else:
        why = f"called by {site.where}, {site.repeat.why}"
    return Repeat(site.repeat.kind, why, hops=site.repeat.hops + 1), tuple(sites)


def _retried_factory(loop, parents: ParentIndex, call: cst.Call) -> bool:
    """``while True: try: return connect(...)``: a factory that retries its construction
    (the ``while`` walks no items) builds once per call of the factory, like any other."""
    return loop.kind == "while" and not (while_walk_names(loop.node) or while_consume_names(loop.node)) and _returned(parents, call)


def _factory_used_locally(context: FileContext, elsewhere: bool = False) -> bool:
    """The current function is a module-level factory (``def get_conn(): return
    connect(DSN)``) and every call of it in the module uses the new object inside the
    caller only: as a receiver (``get_conn().cursor()``), in ``with get_conn() as c``, or
    bound to a local name that is itself only used so. Then each call builds an object
    that is dropped after one use, not a pool being filled or a cache. With ``elsewhere``
    (other modules of the project call it repeatedly), their calls must be such uses too,
    and the module itself need not call it."""
    scopes = context.scopes
    if scopes[0].kind != "module":
        return False
    if len(scopes) == 2:
        method = False
    elif len(scopes) == 3 and scopes[1].kind == "class":
        method = True  # a factory method (``def _conn(self): return connect(self.dsn)``): every ``x._conn()``
    else:
        return False
    name = scopes[-1].name
    tree = context.facts.tree
    if tree is None:
        return False

    def calls_it(node: ast.AST) -> bool:
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        if method:
            return isinstance(func, ast.Attribute) and func.attr == name
        return isinstance(func, ast.Name) and func.id == name

    owners: dict[int, str] = {}
    if method:
        for statement in tree.body:
            if isinstance(statement, ast.ClassDef):
                for member in statement.body:
                    owners[id(member)] = statement.name
    repeats = context.facts.repetition(context.path) if method else {}
    sites = 0
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        parents: dict[int, ast.AST] = {}
        for node in ast.walk(function):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
        for node in ast.walk(function):
            if not calls_it(node):
                continue
            sites += 1
            caller = repeats.get((owners.get(id(function), ""), function.name))
            if caller is not None and caller.per_instance and _kept_for_one_request(node, function, parents):
                continue  # ``self.session = self.create_session()`` on an object built per request
            if not _used_locally(node, function, parents):
                return False
            if method and any(isinstance(r, ast.Return) and r.lineno < node.lineno for r in ast.walk(function)):
                return False  # ``if self.connection: return``: a caller that may skip the factory (a lazy cache)
    module_calls = sum(
        1
        for statement in tree.body
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for node in ast.walk(statement)
        if calls_it(node)
    )
    if elsewhere:
        for site in _elsewhere(context)[1]:
            site_parents: dict[int, ast.AST] = {}
            for node in ast.walk(site.function):
                for child in ast.iter_child_nodes(node):
                    site_parents[id(child)] = node
            if not _used_locally(site.call, site.function, site_parents):
                return False
    return (sites > 0 or elsewhere) and module_calls == 0


def _kept_for_one_request(call: ast.AST, function: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """In a method of an object the framework builds per request (``Repeat.per_instance``):
    ``self.x = call``, and every value ``return`` before
    it sits under an ``if`` that tests ``self.x`` (``if self.session: return False``, a
    guard against a second ``open()`` on the same short-lived instance)."""
    up = parents.get(id(call))
    if not (isinstance(up, ast.Assign) and up.value is call and len(up.targets) == 1):
        return False  # ``self.x = factory().client(...)``: that ``.client(...)`` is the site (``session_factory``)
    target = up.targets[0]
    if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"):
        return False
    for ret in ast.walk(function):
        if not (isinstance(ret, ast.Return) and ret.value is not None and ret.lineno < call.lineno):
            continue
        guard = parents.get(id(ret))
        while guard is not None and guard is not function and not isinstance(guard, ast.If):
            guard = parents.get(id(guard))
        if not (
            isinstance(guard, ast.If)
            and any(
                isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self" and n.attr == target.attr
                for n in ast.walk(guard.test)
            )
        ):
            return False
    return True


def _used_locally(call: ast.AST, function: ast.AST, parents: dict[int, ast.AST]) -> bool:
    parent = parents.get(id(call))
    if isinstance(parent, ast.Await):
        call, parent = parent, parents.get(id(parent))
    if isinstance(parent, ast.Attribute):
        return True
    if isinstance(parent, ast.withitem):
        return True
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
        return False
    if any(isinstance(n, (ast.Global, ast.Nonlocal)) for n in ast.walk(function)):
        return False  # ``global _conn``: a lazily filled module cache
    bound = parent.targets[0].id
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and node.id == bound) or node is parent.targets[0]:
            continue
        up = parents.get(id(node))
        if isinstance(up, ast.Attribute) and up.value is node:
            continue
        if isinstance(up, ast.withitem) and up.context_expr is node:
            continue
        if isinstance(up, ast.Call) and node in up.args and not (
            isinstance(up.func, ast.Attribute) and up.func.attr in _STORING_METHODS
        ):
            continue  # handed to a helper for the call: read(conn)
        return False
    return True


def _fixed_self_settings(context: FileContext, call: cst.Call) -> bool:
    """The constructor reads ``self`` only as ``self.x`` and every such ``x`` is assigned in
    ``__init__`` of the enclosing class and in no other method: settings fixed per instance
    (a DSN, an address), the same on every call of the method."""
    scopes = context.scopes
    if len(scopes) < 3 or scopes[1].kind != "class" or not isinstance(scopes[1].node, cst.ClassDef):
        return False
    attributes: set[str] = set()
    for arg in call.args:
        for node in walk_body(arg.value):
            if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
                attributes.add(node.attr.value)
        selfs = sum(1 for n in walk_body(arg.value) if isinstance(n, cst.Name) and n.value == "self")
        reads = sum(
            1
            for n in walk_body(arg.value)
            if isinstance(n, cst.Attribute) and isinstance(n.value, cst.Name) and n.value.value == "self"
        )
        if selfs != reads:
            return False  # ``self`` itself handed over
    if not attributes:
        return False
    # Read from the module's ``ast``: the libcst tree a rule sees may hold only some methods.
    tree = context.facts.tree
    classes = [
        n for n in (tree.body if tree is not None else []) if isinstance(n, ast.ClassDef) and n.name == scopes[1].name
    ]
    if len(classes) != 1:
        return False
    in_init: set[str] = set()
    for member in classes[0].body:
        if not isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(member):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            # ``self.a, self.b = settings(...)``: each element is a target
            targets = [e for t in targets for e in (t.elts if isinstance(t, (ast.Tuple, ast.List)) else [t])]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "self"
                    and target.attr in attributes
                ):
                    if member.name != "__init__":
                        return False
                    in_init.add(target.attr)
    return in_init == attributes


# Module-level names that hold the current request, not a setting.
_REQUEST_PROXIES = frozenset(
    {"flask.request", "flask.session", "flask.g", "quart.request", "quart.session", "quart.g", "quart.websocket",
     "bottle.request", "sanic.request"}
)


def _fixed_locals(context: FileContext, function: cst.FunctionDef, names: set[str], local: set[str]) -> set[str]:
    """Those of ``names`` that hold the same value on every call: bound once, by a plain
    statement of the function's own body (not in a loop or a branch), to a value without calls
    read only from module-level names and literals (``url = settings.REDIS_URL``, ``opts =
    {"processes": WORKERS}``; not Flask's ``request``), and otherwise only handed to calls as
    arguments (``from_url(url)``, ``Pool(**opts)``): never rebound, subscripted or mutated
    through a method."""
    if not isinstance(function.body, cst.IndentedBlock):
        return set()
    bound: dict[str, cst.Assign] = {}
    for line in function.body.body:
        if not isinstance(line, cst.SimpleStatementLine):
            continue
        for statement in line.body:
            if (
                isinstance(statement, cst.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0].target, cst.Name)
                and statement.targets[0].target.value in names
            ):
                bound.setdefault(statement.targets[0].target.value, statement)
    if not bound:
        return set()
    allowed: set[int] = {id(statement.targets[0].target) for statement in bound.values()}
    uses: dict[str, list[int]] = {}
    for node in walk_body(function.body):
        if isinstance(node, cst.Arg) and isinstance(node.value, cst.Name):
            allowed.add(id(node.value))
        elif isinstance(node, cst.Name) and node.value in bound:
            uses.setdefault(node.value, []).append(id(node))
    fixed: set[str] = set()
    for name, statement in bound.items():
        if any(use not in allowed for use in uses.get(name, ())):
            continue
        read = names_read(statement.value)
        if read & (local - fixed) or any(context.facts.imports.get(n) in _REQUEST_PROXIES for n in read):
            continue
        if any(isinstance(node, (cst.Call, cst.Await, cst.Yield, cst.NamedExpr)) for node in walk_body(statement.value)):
            continue  # ``token = fetch_token()``: may differ per call
        fixed.add(name)
    return fixed


def _injected_once(context: FileContext, function: cst.FunctionDef) -> set[str]:
    """Parameters FastAPI fills from a dependency that builds its value once:
    ``settings: Annotated[Settings, Depends(get_settings)]`` with ``get_settings`` under
    ``lru_cache`` (FastAPI's settings idiom). They are the same object on every request, not
    per-request data, so a client built from them per request is repeated waste."""
    names: set[str] = set()
    params = function.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        places = [param.default, param.annotation.annotation if param.annotation is not None else None]
        for place in places:
            if place is None:
                continue
            for node in walk_body(place):
                if (
                    isinstance(node, cst.Call)
                    and (dotted_name(node.func) or "").rpartition(".")[2] in ("Depends", "Security")
                    and node.args
                    and isinstance(node.args[0].value, cst.Name)
                    and cached_function(node.args[0].value.value, context.facts)
                ):
                    names.add(param.name.value)
    return names


_LOOPS = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _bound_name(parents: ParentIndex, call: cst.Call) -> Optional[str]:
    """The name ``call``'s object is bound to: ``x = call``, ``x = await call`` or
    ``with call as x``; None otherwise."""
    parent = parents.parent(call)
    if isinstance(parent, cst.Await):
        parent = parents.parent(parent)
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
        return parent.targets[0].target.value
    if isinstance(parent, cst.WithItem) and parent.asname is not None and isinstance(parent.asname.name, cst.Name):
        return parent.asname.name.value
    if isinstance(parent, cst.NamedExpr) and isinstance(parent.target, cst.Name):
        return parent.target.value
    return None


def _serves_a_loop(parents: ParentIndex, call: cst.Call, body: cst.CSTNode) -> bool:
    """The object built by ``call`` (bound by ``=`` or ``with ... as``) is used inside a loop
    of ``body``: a task or request that opens one SMTP, SFTP or AMQP connection (or one HTTP
    session) and sends a whole batch through it pays the set-up once per batch, not per item."""
    name = _bound_name(parents, call)
    if name is None:
        return False
    names = {name}
    for node in walk_body(body):
        # What the connection hands out serves the batch too: ``ch = conn.channel()``,
        # ``with ssh.open_sftp() as sftp``.
        derived: Optional[cst.BaseExpression] = None
        value: Optional[cst.BaseExpression] = None
        if isinstance(node, cst.Assign) and len(node.targets) == 1:
            derived, value = node.targets[0].target, node.value
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            derived, value = node.asname.name, node.item
        if (
            isinstance(derived, cst.Name)
            and isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and isinstance(value.func.value, cst.Name)
            and value.func.value.value in names
        ):
            names.add(derived.value)
    for node in walk_body(body):
        if not isinstance(node, _LOOPS):
            continue
        if isinstance(node, (cst.For, cst.While)):
            parts: list[cst.CSTNode] = [node.body]
        else:
            # what runs per item: the element and the conditions, not the first iterable
            parts = [getattr(node, attr) for attr in ("elt", "key", "value") if getattr(node, attr, None) is not None]
            parts.extend(node.for_in.ifs)
            if node.for_in.inner_for_in is not None:
                parts.append(node.for_in.inner_for_in)
        if any(names & names_in(part) for part in parts):
            return True
    return False


def _guarded_by_own_attribute(parents: ParentIndex, call: cst.Call, body: cst.CSTNode) -> bool:
    """On an object the framework builds per request (``Repeat.per_instance``): ``call``'s
    object is stored in ``self.x`` and every value ``return`` before it sits under an ``if``
    that tests ``self.x`` (``if self.client: return False``). That guard only skips a second
    ``open()`` on the same short-lived instance; every new instance builds the client again."""
    value: cst.CSTNode = call
    parent = parents.parent(call)
    while (isinstance(parent, cst.Attribute) and parent.value is value) or (isinstance(parent, cst.Call) and parent.func is value):
        value, parent = parent, parents.parent(parent)
    if not (isinstance(parent, cst.Assign) and parent.value is value and len(parent.targets) == 1):
        return False
    target = parent.targets[0].target
    if not (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self"):
        return False
    attribute = target.attr.value

    def tests_it(node: cst.If) -> bool:
        return any(
            isinstance(n, cst.Attribute) and isinstance(n.value, cst.Name) and n.value.value == "self" and n.attr.value == attribute
            for n in walk_body(node.test)
        )

    guards = [n for n in walk_body(body) if isinstance(n, cst.If) and tests_it(n)]
    for node in walk_body(body):
        if node is call:
            return True
        if isinstance(node, cst.Return) and node.value is not None:
            if not any(any(inner is node for inner in walk_body(guard.body)) for guard in guards):
                return False
    return True


def _returns_before(body: cst.CSTNode, call: cst.CSTNode) -> bool:
    """A ``return`` of a value earlier in the function than ``call`` (source order): a
    cache hit may skip the construction on most calls. The ``return`` that holds the call
    itself (``return Client(...)``) is not one, nor a bare ``return`` (``return None``): a
    guard that filters the events (``if not created: return``), after which every event
    that passes builds the object again."""
    for node in walk_body(body):
        if node is call:
            return False
        if isinstance(node, cst.Return):
            if node.value is None or (isinstance(node.value, cst.Name) and node.value.value == "None"):
                continue
            return not any(inner is call for inner in walk_body(node))
    return False


_STORING_METHODS = frozenset(
    {"append", "appendleft", "add", "extend", "insert", "put", "put_nowait", "setdefault", "update", "register", "set"}
)


def _stores(call: cst.Call) -> bool:
    """``pool.append(x)``, ``cache.set(k, x)``...: the argument outlives the call."""
    return isinstance(call.func, cst.Attribute) and call.func.attr.value in _STORING_METHODS


# Where settings that are the same on every call come from: imported configuration objects.
_CONFIG_SOURCES = frozenset({"django.conf.settings", "os", "os.environ", "os.getenv", "os.environ.get", "decouple.config"})


def _fixed_source(context: FileContext, name: str) -> bool:
    """``name`` (read in a function) is configuration: a builtin, a name the module binds
    itself, or an imported settings object (``django.conf.settings``, ``os.environ``). An
    imported request proxy (``flask.request``, ``flask.g``) is not one."""
    imported = context.facts.imports.get(name)
    if imported is not None:
        return imported in _CONFIG_SOURCES
    if name in context.facts.own_names:
        # A module constant, not a module function (which may read the request's context).
        return name in context.facts.memo("infra.module_assigned", _module_assigned)
    return hasattr(builtins, name)


def _module_assigned(facts) -> frozenset[str]:
    """Names the module binds by plain assignments at its top level (constants, settings)."""
    tree = facts.tree
    names: set[str] = set()
    for statement in tree.body if tree is not None else []:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target] if isinstance(statement, ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Name):
                names.add(target.id)
    return frozenset(names)


def _module_derived(context: FileContext, function: cst.FunctionDef, names: set[str], local: set[str]) -> set[str]:
    """Those of ``names`` that are locals bound only by plain assignments (``x = v``,
    ``x: T = v``) whose values read configuration alone (``_fixed_source``: ``sid =
    getattr(settings, "TWILIO_SID")``, ``os.environ.get("HOST")``, a module constant): the
    same on every call. A parameter, a loop or ``with`` target, or any other binding keeps a
    name varying, and so does a value that reads a request proxy or an unknown import."""
    params = {p.name.value for p in function.params.params + function.params.kwonly_params + function.params.posonly_params}
    for star in (function.params.star_arg, function.params.star_kwarg):
        if isinstance(star, cst.Param):
            params.add(star.name.value)
    values: dict[str, list[cst.BaseExpression]] = {}
    other: set[str] = set(params)
    for node in walk_body(function.body):
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    values.setdefault(target.target.value, []).append(node.value)
                else:
                    other |= names_in(target.target)
        elif isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name) and node.value is not None:
            values.setdefault(node.target.value, []).append(node.value)
        elif isinstance(node, (cst.AugAssign, cst.For, cst.CompFor, cst.AsName, cst.NamedExpr, cst.Global, cst.Nonlocal)):
            other |= names_in(node.target) if isinstance(node, (cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr)) else set()
            if isinstance(node, cst.AsName):
                other |= names_in(node.name)
            if isinstance(node, (cst.Global, cst.Nonlocal)):
                other |= {n.name.value for n in node.names}
    fixed: set[str] = set()
    for name in names:
        if name in other or name not in values:
            continue
        if all(_config_value(context, value, local) for value in values[name]):
            fixed.add(name)
    return fixed


def _config_value(context: FileContext, value: cst.BaseExpression, local: set[str]) -> bool:
    """Every name ``value`` reads (attribute names aside) is configuration (``_fixed_source``),
    or the function of a setting looked up by its name (``_setting_lookup``)."""
    lookups = {id(node) for call in walk_body(value) if _setting_lookup(call) for node in walk_body(call.func)}
    for node in walk_body(value):
        if isinstance(node, cst.Attribute) or id(node) in lookups:
            continue
        if isinstance(node, cst.Name) and not _is_attribute_name(node, value):
            if node.value in local or not _fixed_source(context, node.value):
                return False
    return True


_SETTING_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def _setting_lookup(node: cst.CSTNode) -> bool:
    """``setting("AWS_S3_REGION_NAME", None)``, ``get_setting("MAX_RETRIES", 3)``: a call of a
    plain or dotted name with literal arguments only, the first a setting's UPPER_SNAKE name.
    It answers the same on every call (django-storages' ``setting``, ``decouple``'s ``config``)."""
    if not (isinstance(node, cst.Call) and node.args and dotted_name(node.func) is not None):
        return False
    first = node.args[0]
    if first.keyword is not None or not isinstance(first.value, cst.SimpleString):
        return False
    if not _SETTING_NAME.fullmatch(first.value.evaluated_value or ""):
        return False
    return all(
        arg.star == "" and isinstance(arg.value, (cst.SimpleString, cst.Integer, cst.Float))
        or (isinstance(arg.value, cst.Name) and arg.value.value in ("None", "True", "False"))
        for arg in node.args[1:]
    )


def _is_attribute_name(name: cst.Name, root: cst.BaseExpression) -> bool:
    """``name`` is the ``.attr`` part of an attribute (``settings.SID``'s ``SID``) or a keyword."""
    for node in walk_body(root):
        if isinstance(node, cst.Attribute) and node.attr is name:
            return True
        if isinstance(node, cst.Arg) and node.keyword is name:
            return True
    return False


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
    bound = _bound_name(parents, call)
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


REQUEST_GLOBALS = frozenset({"flask.g", "quart.g"})


def _stored_per_request(context: FileContext, parents: ParentIndex, call: cst.Call, per_instance: bool = False) -> bool:
    """``g.redis = Redis(...)`` in a handler: Flask's ``g`` lives for one request, so the
    object is dropped with it (not a cache kept across requests). With ``per_instance`` (a
    method of a class the framework builds per request: a Tornado handler's ``prepare``, a
    Pyramid view class), ``self.redis = Redis(...)`` lives one request as well."""
    value: cst.CSTNode = call
    parent = parents.parent(call)
    if per_instance:
        # ``self.ses = Session(...).client("ses")``: the end of the chain is what is stored
        while (isinstance(parent, cst.Attribute) and parent.value is value) or (
            isinstance(parent, cst.Call) and parent.func is value
        ):
            value, parent = parent, parents.parent(parent)
    if not (isinstance(parent, cst.Assign) and parent.value is value and len(parent.targets) == 1):
        return False
    target = parent.targets[0].target
    if per_instance and isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self":
        return True
    return (
        isinstance(target, cst.Attribute)
        and isinstance(target.value, cst.Name)
        and context.facts.imports.get(target.value.value) in REQUEST_GLOBALS
        and not context.is_local(target.value.value)
    )


def _loop_owner(context: FileContext) -> Optional[cst.CSTNode]:
    function = context.function
    return function.node if function is not None else None


def _chain_kept(parents: ParentIndex, node: cst.CSTNode, locals_: Optional[set[str]]) -> bool:
    """The end of a method chain on the new object (``Session().client("s3")``,
    ``Connection(...).channel()``) is stored past the call: assigned to an attribute, a
    subscript or a global (``_local.s3 = Session().client("s3")``), so what it hands out is
    kept on purpose."""
    while True:
        parent = parents.parent(node)
        if isinstance(parent, cst.Call) and parent.func is node:
            node = parent
        elif isinstance(parent, cst.Attribute) and parent.value is node:
            node = parent
        elif isinstance(parent, cst.Await):
            node = parent
        else:
            break
    if not (isinstance(parent, cst.Assign) and parent.value is node):
        return False
    for target in parent.targets:
        if not isinstance(target.target, cst.Name):
            return True
        if locals_ is not None and target.target.value not in locals_:
            return True
    return False


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
        return not _chain_kept(parents, parent, locals_)
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
    elif isinstance(parent, cst.NamedExpr) and parent.value is call and isinstance(parent.target, cst.Name):
        name = parent.target.value  # ``if (r := Redis(...)).ping():``: the walrus binds it
    elif escapes and isinstance(parent, (cst.Return, cst.Yield)):
        return True
    if name is None:
        return False
    if isinstance(parent, cst.NamedExpr) and not _stays_local(parents, parent, region, owner, loop_node, locals_, escapes):
        return False  # the walrus expression itself is used like the object: ``(r := Redis()).ping()``
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
            elif isinstance(node, cst.NamedExpr) and isinstance(node.target, cst.Name):
                allowed.add(id(node.target))
            elif escapes and isinstance(node, (cst.Yield, cst.Return)) and isinstance(node.value, cst.Name):
                allowed.add(id(node.value))
            if isinstance(node, cst.Name) and node.value == name:
                uses.append(node)
    if any(id(use) not in allowed for use in uses):
        return False
    if owner is not None and loop_node is not None and name in names_outside(owner, loop_node):
        return False  # read after the loop: the last iteration's object is kept
    return True


_SESSION_FACTORIES = frozenset({"boto3.Session", "boto3.session.Session"})


def session_factory(context: FileContext, call: cst.Call) -> bool:
    """``<factory>().client("s3")`` / ``.resource(...)``: the receiver calls a function of
    the module (``make_session()``) or a method of the current class (``self.create_session()``)
    whose every ``return`` hands back a new ``boto3.Session(...)``. The client is built at this
    call, from a fresh session each time (django-ses's ``create_session().client("ses")``)."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value in ("client", "resource")):
        return False
    inner = func.value
    if not (isinstance(inner, cst.Call) and not inner.args):
        return False
    if isinstance(inner.func, cst.Name):
        owner, name = "", inner.func.value
    elif (
        isinstance(inner.func, cst.Attribute)
        and isinstance(inner.func.value, cst.Name)
        and inner.func.value.value == "self"
        and len(context.scopes) >= 3
        and context.scopes[1].kind == "class"
    ):
        owner, name = context.scopes[1].name, inner.func.attr.value
    else:
        return False
    return context.facts.memo(f"infra.session_factory.{owner}.{name}", lambda facts: _returns_sessions(facts, owner, name))


def _returns_sessions(facts, owner: str, name: str) -> bool:
    tree = facts.tree
    if tree is None:
        return False
    body = tree.body
    if owner:
        classes = [n for n in body if isinstance(n, ast.ClassDef) and n.name == owner]
        if len(classes) != 1:
            return False
        body = classes[0].body
    defs = [n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name]
    if len(defs) != 1 or defs[0].decorator_list:
        return False  # a cached or property factory, or more than one definition
    returns = [n for n in ast.walk(defs[0]) if isinstance(n, ast.Return)]
    if not returns:
        return False
    for ret in returns:
        value = ret.value
        if not isinstance(value, ast.Call):
            return False
        if imported_name(value.func, facts.imports) not in _SESSION_FACTORIES:
            return False
    return True


