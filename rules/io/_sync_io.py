"""What blocks when called from a coroutine: sync clients, sync database
connections and the module's own sync helpers. (Not a rule module.)

A small, family-specific recognizer for PF401 until the inference layer
(``perflint.infer``: ``kind_of`` and ``call_effects``) can answer the same
questions for every rule. Facts that need the whole module (module-level
clients, ``self.x = ...`` in any method, the helpers' bodies) are read from
``facts.tree`` once per file and kept on the facts object.
"""

from __future__ import annotations

import ast
from typing import Optional

import libcst as cst
from perflint.context import FileContext
from perflint.facts import ModuleFacts
from perflint.rules.database._loops import walk_body

_HTTP_VERBS = ("get", "post", "put", "delete", "patch", "head", "options", "request")

# Functions that block the calling thread -> what to use instead inside a coroutine.
BLOCKING_CALLS = {
    "time.sleep": "`await asyncio.sleep(...)`",
    **{f"requests.{verb}": "an async HTTP client (httpx.AsyncClient, aiohttp) or `asyncio.to_thread`" for verb in _HTTP_VERBS},
    **{f"httpx.{verb}": "`httpx.AsyncClient`" for verb in (*_HTTP_VERBS, "stream")},
    "urllib.request.urlopen": "an async HTTP client or `asyncio.to_thread`",
    "urllib.request.urlretrieve": "an async HTTP client or `asyncio.to_thread`",
    "builtins.open": "`asyncio.to_thread` (or aiofiles/anyio for file I/O)",
    "io.open": "`asyncio.to_thread` (or aiofiles/anyio for file I/O)",
    **{
        f"subprocess.{name}": "`asyncio.create_subprocess_exec` or `asyncio.to_thread`"
        for name in ("run", "call", "check_call", "check_output", "getoutput", "getstatusoutput")
    },
    "os.system": "`asyncio.create_subprocess_shell`",
    "os.wait": "`asyncio.to_thread`",
    "os.waitpid": "`asyncio.to_thread`",
    **{
        f"socket.{name}": "the event loop's methods (`loop.getaddrinfo`, `asyncio.open_connection`)"
        for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getfqdn")
    },
    "builtins.input": "`asyncio.to_thread(input, ...)`",
    # Sync mail and file-transfer clients: built to talk to a server over a blocking socket.
    **{
        f"smtplib.{name}": "an async client (aiosmtplib) or `asyncio.to_thread`"
        for name in ("SMTP", "SMTP_SSL", "LMTP")
    },
    **{
        name: "an async client or `asyncio.to_thread`"
        for name in ("ftplib.FTP", "ftplib.FTP_TLS", "poplib.POP3", "poplib.POP3_SSL", "imaplib.IMAP4", "imaplib.IMAP4_SSL")
    },
    # Network database connects (sqlite3.connect opens a local file: its queries are flagged instead).
    **{
        name: "an async driver (asyncpg, psycopg's AsyncConnection, aiomysql) or `asyncio.to_thread`"
        for name in ("psycopg2.connect", "psycopg.connect", "pymysql.connect", "MySQLdb.connect", "mysql.connector.connect")
    },
}

# Constructors of sync handles -> kind.
SYNC_CONNECTORS = {
    "sqlite3.connect": "db",
    "psycopg2.connect": "db",
    "psycopg.connect": "db",
    "psycopg.Connection.connect": "db",
    "pymysql.connect": "db",
    "MySQLdb.connect": "db",
    "mysql.connector.connect": "db",
    "requests.Session": "http",
    "requests.session": "http",
    "requests.sessions.Session": "http",
    "httpx.Client": "http",
    "urllib3.PoolManager": "http",
    "boto3.client": "boto3",
    "boto3.resource": "boto3",
    # redis-py's sync client (``redis.asyncio.Redis`` resolves to another name and is not one)
    "redis.Redis": "redis",
    "redis.StrictRedis": "redis",
    "redis.client.Redis": "redis",
    "redis.from_url": "redis",
    "redis.Redis.from_url": "redis",
}
SYNC_ANNOTATIONS = {
    "requests.Session": "http",
    "requests.sessions.Session": "http",
    "httpx.Client": "http",
    "sqlite3.Connection": "db",
    "sqlite3.Cursor": "db",
    "psycopg2.extensions.connection": "db",
    "psycopg.Connection": "db",
    "pymysql.connections.Connection": "db",
}
BOTO3_SESSIONS = frozenset({"boto3.Session", "boto3.session.Session"})
DB_METHODS = frozenset({"execute", "executemany", "executescript", "commit", "callproc", "copy_expert", "copy_from", "copy_to"})
HTTP_METHODS = frozenset({*_HTTP_VERBS, "send", "stream", "urlopen"})
# boto3 client methods that do no I/O.
BOTO3_LOCAL = frozenset(
    {"meta", "exceptions", "get_paginator", "can_paginate", "get_waiter", "generate_presigned_url", "generate_presigned_post", "close"}
)
# Commands of a sync redis client that make a round trip (``pipeline()``, ``lock()`` build locally).
REDIS_COMMANDS = frozenset(
    {
        "get", "set", "setex", "setnx", "getset", "mget", "mset", "delete", "exists", "expire", "ttl", "incr",
        "incrby", "decr", "hget", "hset", "hmget", "hgetall", "hdel", "hincrby", "lpush", "rpush", "lpop", "rpop",
        "lrange", "blpop", "brpop", "sadd", "srem", "smembers", "sismember", "zadd", "zrem", "zrange",
        "zrangebyscore", "zincrby", "zscore", "publish", "keys", "scan", "xadd", "xread", "ping",
    }
)
PATH_IO = frozenset({"read_text", "read_bytes", "write_text", "write_bytes"})
# Path methods that block but are spelled like other objects' methods: only on a known Path.
PATH_OPENERS = frozenset({"open", "iterdir", "rglob", "unlink", "rename", "touch", "mkdir", "rmdir"})
PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath"})
ADVICE = {
    "db": "run the query with `asyncio.to_thread` or use an async driver (aiosqlite, asyncpg, psycopg's AsyncConnection)",
    "http": "use an async client (`httpx.AsyncClient`, aiohttp) or `asyncio.to_thread`",
    "boto3": "use `asyncio.to_thread` (or aioboto3)",
    "redis": "use `redis.asyncio` (an awaitable client) or `asyncio.to_thread`",
    "path": "use `asyncio.to_thread` (or aiofiles/anyio for file I/O)",
    "helper": "run it with `asyncio.to_thread` or make the helper async",
}
_MAX_HOPS = 3
# Call facts (``perflint.kinds``) that make a helper block: a round trip.
ROUND_TRIPS = frozenset({"query", "write", "http"})


# Kinds of ``perflint.infer`` a module function's call may return, as handle kinds. Not the
# HTTP kinds: they do not tell a sync client from an async one.
RETURNED_HANDLES = {
    "boto3-client": "boto3",
    "boto3-resource": "boto3",
    "dynamodb-table": "boto3",
    "dbapi-connection": "db",
    "dbapi-cursor": "db",
}


def handle_kind(context: FileContext, receiver: cst.BaseExpression) -> Optional[str]:
    """"db", "http", "boto3" or "redis" when ``receiver`` is a sync connection, cursor or client:
    a local or module-level name bound to one, a parameter annotated as one, or
    ``self.x`` bound to one in any method of the class."""
    index = _index(context.facts)
    if isinstance(receiver, cst.Call):
        kind = _constructed(context, receiver, {})
        if kind is not None:
            return kind  # requests.Session().get(...), boto3.client("s3").get_object(...)
        func = receiver.func
        if isinstance(func, cst.Attribute) and func.attr.value[:1].isupper() and handle_kind(context, func.value) == "boto3":
            return "boto3"  # a boto3 sub-resource: dynamodb.Table("t"), s3.Bucket("b")
        if isinstance(func, cst.Name) and not context.is_local(func.value) and func.value not in context.facts.imports:
            # ``s3_client().put_object(...)``: a factory of the module (often ``lru_cache``d)
            # that returns a boto3 client or a DB-API connection, as the inference layer reads it
            return RETURNED_HANDLES.get(context.kind_of(receiver).kind)
        return None
    if isinstance(receiver, cst.Name):
        name = receiver.value
        local = _local_handles(context)
        if name in local:
            return local[name]
        if context.is_local(name):
            return None
        return index.module_handles.get(name)
    if (
        isinstance(receiver, cst.Attribute)
        and isinstance(receiver.value, cst.Name)
        and receiver.value.value == "self"
        and len(context.scopes) >= 3
        and context.scopes[1].kind == "class"
    ):
        return index.attribute_handles.get((context.scopes[1].name, receiver.attr.value))
    return None


def helper_chain(context: FileContext, call: cst.Call) -> Optional[tuple[str, ...]]:
    """For a call of a sync function (or ``self.method``) of this module that blocks,
    directly or through further such calls: the chain, ``("fetch()", "requests.get")``.

    Two sources: this module's own catalogue (blocking stdlib calls, Path I/O, the sync
    handles above), then the inference layer's call facts for the round trips it knows
    and this file does not (redis, pymongo, the Django ORM, SQLAlchemy sessions). Only a
    query, a write or an HTTP request counts from the second: building a client there is
    "block" too, yet `httpx.Client()` does no I/O."""
    index = _index(context.facts)
    func = call.func
    target: Optional[ast.expr] = None
    if isinstance(func, cst.Name):
        name = func.value
        if context.is_local(name) or name in context.facts.imports:
            return None
        chain = index.chains.get(("", name))
        target = ast.Name(id=name, ctx=ast.Load())
    elif (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value == "self"
        and len(context.scopes) >= 3
        and context.scopes[1].kind == "class"
    ):
        chain = index.chains.get((context.scopes[1].name, func.attr.value))
        target = ast.Attribute(value=ast.Name(id="self", ctx=ast.Load()), attr=func.attr.value, ctx=ast.Load())
    else:
        return None
    return chain if chain is not None else _round_trip_chain(context, call, target)


def _round_trip_chain(context: FileContext, call: cst.Call, func: ast.expr) -> Optional[tuple[str, ...]]:
    inference = context.facts.inference
    callee = inference.callee(context.scope_qualname, func)
    scope = inference.scopes.get(callee) if callee is not None else None
    if scope is None or not isinstance(scope.node, ast.FunctionDef) or _made_awaitable(scope.node):
        return None  # not a function of the module, or one whose calls make awaitables
    effects = context.call_effects(call)
    if effects is None or not effects.kinds & ROUND_TRIPS:
        return None
    return effects.chain


def blocking_method(context: FileContext, call: cst.Call) -> Optional[tuple[str, str]]:
    """(what, kind) for ``conn.execute(...)``, ``session.get(...)``, ``s3.get_object(...)``
    on a sync handle, and ``path.read_text()`` and friends on anything."""
    func = call.func
    if not isinstance(func, cst.Attribute):
        return None
    method = func.attr.value
    if method in PATH_IO:
        return (f"{method}()", "path")
    if method in PATH_OPENERS and is_path(context, func.value):
        return (f"{_spelled(func.value)}.{method}()", "path")
    kind = handle_kind(context, func.value)
    if kind is None:
        return None
    if kind == "db" and method in DB_METHODS or kind == "http" and method in HTTP_METHODS or (
        kind == "redis" and method in REDIS_COMMANDS
    ):
        return (f"{_spelled(func.value)}.{method}()", kind)
    if kind == "boto3" and method not in BOTO3_LOCAL and not method.startswith("_") and not method[:1].isupper():
        return (f"{_spelled(func.value)}.{method}()", kind)  # Capitalized: a sub-resource, built locally
    return None


def is_path(context: FileContext, expr: cst.BaseExpression, depth: int = 0) -> bool:
    """A ``pathlib.Path``: ``Path(...)``, ``base / "x"`` with ``base`` a Path, a parameter
    annotated ``Path``, a local bound only to a Path, a module-level name bound to one."""
    if depth > 4:
        return False
    if isinstance(expr, cst.Call):
        return context.call_name(expr) in PATH_TYPES
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
        return is_path(context, expr.left, depth + 1)
    if not isinstance(expr, cst.Name):
        return False
    name = expr.value
    if not context.is_local(name):
        return name in _index(context.facts).module_paths
    scope = context.function
    if scope is None or not isinstance(scope.node, cst.FunctionDef):
        return False
    params = scope.node.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == name:
            annotation = param.annotation.annotation if param.annotation is not None else None
            return annotation is not None and context.qualified_name(annotation) in PATH_TYPES
    values = [
        node.value
        for node in walk_body(scope.node.body)
        if isinstance(node, cst.Assign)
        and any(isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets)
    ]
    return bool(values) and all(is_path(context, value, depth + 1) for value in values)


def _spelled(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_spelled(node.value)}.{node.attr.value}"
    if isinstance(node, cst.Call) and isinstance(node.func, (cst.Name, cst.Attribute)):
        return f"{_spelled(node.func)}()"
    return "..."


# --- the current function's own handles (libcst) ------------------------------


def _local_handles(context: FileContext) -> dict[str, str]:
    scope = context.function
    if scope is None or not isinstance(scope.node, cst.FunctionDef):
        return {}
    cached = scope.__dict__.get("_sync_handles")
    if cached is not None:
        return cached
    found: dict[str, str] = {}
    params = scope.node.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.annotation is not None:
            kind = SYNC_ANNOTATIONS.get(context.qualified_name(param.annotation.annotation) or "")
            if kind is not None:
                found[param.name.value] = kind
    for node in walk_body(scope.node.body):
        value: Optional[cst.BaseExpression] = None
        target: Optional[cst.BaseExpression] = None
        if isinstance(node, cst.Assign) and len(node.targets) == 1:
            value, target = node.value, node.targets[0].target
        elif isinstance(node, cst.AnnAssign) and node.value is not None:
            value, target = node.value, node.target
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            value, target = node.item, node.asname.name
        if not isinstance(target, cst.Name) or not isinstance(value, cst.Call):
            continue
        kind = _constructed(context, value, found)
        if kind is not None:
            found[target.value] = kind
    scope.__dict__["_sync_handles"] = found
    return found


def _constructed(context: FileContext, call: cst.Call, known: dict[str, str]) -> Optional[str]:
    kind = SYNC_CONNECTORS.get(context.call_name(call) or "")
    if kind is not None:
        return kind
    func = call.func
    if isinstance(func, cst.Attribute):
        if func.attr.value == "cursor" and isinstance(func.value, cst.Name):
            if known.get(func.value.value) == "db" or (
                not context.is_local(func.value.value) and _index(context.facts).module_handles.get(func.value.value) == "db"
            ):
                return "db"
        if func.attr.value in ("client", "resource") and isinstance(func.value, cst.Call):
            if context.call_name(func.value) in BOTO3_SESSIONS:
                return "boto3"
        if func.attr.value[:1].isupper() and isinstance(func.value, cst.Name):
            owner = known.get(func.value.value)
            if owner is None and not context.is_local(func.value.value):
                owner = _index(context.facts).module_handles.get(func.value.value)
            if owner == "boto3":
                return "boto3"  # table = dynamodb.Table("orders")
    return None


# --- the module's facts (ast) --------------------------------------------------


class _Index:
    def __init__(self) -> None:
        self.module_handles: dict[str, str] = {}
        self.attribute_handles: dict[tuple[str, str], str] = {}
        self.chains: dict[tuple[str, str], tuple[str, ...]] = {}
        self.module_paths: set[str] = set()


def _index(facts: ModuleFacts) -> _Index:
    cached = facts.__dict__.get("_sync_io")
    if cached is None:
        cached = facts.__dict__["_sync_io"] = _build(facts)
    return cached


def _resolve(
    node: ast.AST, facts: ModuleFacts, local: frozenset[str] = frozenset(), imported: Optional[dict[str, str]] = None
) -> Optional[str]:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    if imported is not None and node.id in imported:
        head: Optional[str] = imported[node.id]  # ``import os`` inside the function
    elif node.id in local:
        return None
    else:
        head = facts.resolve_global(node.id)
    if head is None:
        return None
    return ".".join([head, *reversed(parts)])


def _ast_constructed(value: ast.AST, facts: ModuleFacts, local: frozenset[str] = frozenset()) -> Optional[str]:
    if not isinstance(value, ast.Call):
        return None
    kind = SYNC_CONNECTORS.get(_resolve(value.func, facts, local) or "")
    if kind is not None:
        return kind
    func = value.func
    if isinstance(func, ast.Attribute) and func.attr in ("client", "resource") and isinstance(func.value, ast.Call):
        if _resolve(func.value.func, facts, local) in BOTO3_SESSIONS:
            return "boto3"
    if isinstance(func, ast.Attribute) and func.attr[:1].isupper() and isinstance(func.value, ast.Call):
        if _ast_constructed(func.value, facts, local) == "boto3":
            return "boto3"  # boto3.resource("dynamodb").Table("orders")
    return None


def _build(facts: ModuleFacts) -> _Index:
    index = _Index()
    tree = facts.tree
    if tree is None:
        return index
    functions: dict[tuple[str, str], list[ast.AST]] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
            kind = _ast_constructed(statement.value, facts)
            if kind is not None:
                index.module_handles[statement.targets[0].id] = kind
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value is not None:
            kind = _ast_constructed(statement.value, facts)
            if kind is not None:
                index.module_handles[statement.target.id] = kind
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.setdefault(("", statement.name), []).append(statement)
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
            if _ast_path(statement.value, facts, index.module_paths):
                index.module_paths.add(statement.targets[0].id)
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Attribute)
            and statement.value.func.attr[:1].isupper()
            and isinstance(statement.value.func.value, ast.Name)
            and index.module_handles.get(statement.value.func.value.id) == "boto3"
        ):
            index.module_handles[statement.targets[0].id] = "boto3"
        elif isinstance(statement, ast.ClassDef):
            for member in statement.body:
                if isinstance(member, ast.AnnAssign) and isinstance(member.target, ast.Name):
                    # a class-level annotation: a dataclass, attrs or pydantic field
                    kind = _ast_annotated(member.annotation, facts)
                    if kind is not None:
                        index.attribute_handles[(statement.name, member.target.id)] = kind
                if not isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                functions.setdefault((statement.name, member.name), []).append(member)
                annotated = {
                    a.arg: kind
                    for a in (*member.args.posonlyargs, *member.args.args, *member.args.kwonlyargs)
                    if (kind := _ast_annotated(a.annotation, facts)) is not None
                }
                for node in ast.walk(member):
                    if isinstance(node, ast.Assign) and len(node.targets) == 1:
                        target = node.targets[0]
                        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
                            kind = _ast_constructed(node.value, facts, _ast_locals(member))
                            if kind is None and isinstance(node.value, ast.Name):
                                kind = annotated.get(node.value.id)  # ``self.conn = conn`` with ``conn: sqlite3.Connection``
                            if kind is not None:
                                index.attribute_handles[(statement.name, target.attr)] = kind
                    elif (
                        isinstance(node, ast.AnnAssign)
                        and isinstance(node.target, ast.Attribute)
                        and isinstance(node.target.value, ast.Name)
                        and node.target.value.id == "self"
                    ):
                        kind = _ast_annotated(node.annotation, facts)
                        if kind is not None:
                            index.attribute_handles[(statement.name, node.target.attr)] = kind
    _chains(index, functions, facts)
    return index


def _ast_annotated(annotation: Optional[ast.AST], facts: ModuleFacts) -> Optional[str]:
    """The handle kind an annotation names: ``httpx.Client``, ``Optional[sqlite3.Connection]``,
    ``requests.Session | None`` (a string annotation is not read)."""
    if annotation is None:
        return None
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        if isinstance(annotation.right, ast.Constant) and annotation.right.value is None:
            return _ast_annotated(annotation.left, facts)
        return None
    if isinstance(annotation, ast.Subscript) and (_resolve(annotation.value, facts) or "") == "typing.Optional":
        return _ast_annotated(annotation.slice, facts)
    return SYNC_ANNOTATIONS.get(_resolve(annotation, facts) or "")


def _ast_path(value: ast.AST, facts: ModuleFacts, known: set[str]) -> bool:
    if isinstance(value, ast.Call):
        return _resolve(value.func, facts) in PATH_TYPES
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Div):
        return _ast_path(value.left, facts, known)
    return isinstance(value, ast.Name) and value.id in known


def _ast_locals(function: ast.AST) -> frozenset[str]:
    names = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)} if hasattr(function, "args") else set()
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return frozenset(names)


def _function_imports(function: ast.AST) -> dict[str, str]:
    """Names bound by ``import``/``from ... import`` statements in the function's own body."""
    found: dict[str, str] = {}
    for node in _own_nodes(function):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    found[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    found[head] = head
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def _own_nodes(function: ast.AST):
    stack = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _chains(index: _Index, functions: dict[tuple[str, str], list[ast.AST]], facts: ModuleFacts) -> None:
    """Sync functions of the module that block, directly or through each other."""
    sync = {
        key: nodes[0]
        for key, nodes in functions.items()
        if all(isinstance(n, ast.FunctionDef) and not _made_awaitable(n) for n in nodes)
    }
    direct: dict[tuple[str, str], str] = {}
    edges: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key, function in sync.items():
        local = _ast_locals(function)
        imported = _function_imports(function)
        for node in _own_nodes(function):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            qualified = _resolve(func, facts, local, imported)
            if qualified in BLOCKING_CALLS:
                direct.setdefault(key, qualified.removeprefix("builtins."))
                continue
            if isinstance(func, ast.Attribute):
                if func.attr in PATH_IO:
                    direct.setdefault(key, f"{func.attr}()")
                    continue
                receiver = func.value
                kind = None
                if isinstance(receiver, ast.Name) and receiver.id not in local:
                    kind = index.module_handles.get(receiver.id)
                elif (
                    isinstance(receiver, ast.Attribute)
                    and isinstance(receiver.value, ast.Name)
                    and receiver.value.id == "self"
                    and key[0]
                ):
                    kind = index.attribute_handles.get((key[0], receiver.attr))
                if kind == "db" and func.attr in DB_METHODS or kind == "http" and func.attr in HTTP_METHODS or (
                    kind == "boto3" and func.attr not in BOTO3_LOCAL and not func.attr[:1].isupper()
                ) or (kind == "redis" and func.attr in REDIS_COMMANDS):
                    direct.setdefault(key, f"{ast.unparse(receiver)}.{func.attr}")
                    continue
                if isinstance(receiver, ast.Name) and receiver.id == "self" and key[0] and (key[0], func.attr) in sync:
                    edges.setdefault(key, []).append((key[0], func.attr))
            elif isinstance(func, ast.Name) and func.id not in local and ("", func.id) in sync:
                edges.setdefault(key, []).append(("", func.id))
    chains = {key: (f"{_shown(key)}()", end) for key, end in direct.items()}
    for _ in range(_MAX_HOPS):
        grown = {}
        for key, callees in edges.items():
            if key in chains:
                continue
            for callee in callees:
                if callee in chains and callee != key:
                    grown[key] = (f"{_shown(key)}()", *chains[callee])
                    break
        if not grown:
            break
        chains.update(grown)
    index.chains = chains


def _made_awaitable(function: ast.FunctionDef) -> bool:
    """``@sync_to_async``, ``@database_sync_to_async``, ``@run_in_executor``, ``@asyncify``,
    ``@to_thread``...: calling the function hands its body to a thread and returns an awaitable."""
    for decorator in function.decorator_list:
        node = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
        if any(word in name.lower() for word in ("async", "thread", "executor")):
            return True
    return False


def _shown(key: tuple[str, str]) -> str:
    return f"self.{key[1]}" if key[0] else key[1]
