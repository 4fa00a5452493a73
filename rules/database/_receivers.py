"""Which client an expression is: a DB-API cursor, a redis client, a mongo collection...

Not a rule module. One question, ``receiver_kind(context, expr) -> str``, answered
from evidence in the file (never from the name alone, except where a rule asks
for ``conventional=True`` and the method it checks is unambiguous):

- bindings: ``conn = sqlite3.connect(...)``, ``cur = conn.cursor()``,
  ``with conn.cursor() as cur``, ``r = redis.Redis(...)``,
  ``table = boto3.resource("dynamodb").Table(...)``, ``db = MongoClient()[...]``,
  ``coll = db.users`` / ``db["users"]``, ``async with pool.acquire() as conn``;
- annotations: ``session: Session``, ``conn: asyncpg.Connection``,
  ``db: AsyncSession = Depends(get_db)``, class-level ``x: Redis``;
- ``self.x = ...`` (or an annotated ``__init__`` parameter stored there) in any
  method of the enclosing class.

Kinds: "dbapi-connection", "dbapi-cursor", "asyncpg-connection", "asyncpg-pool",
"sa-session", "sa-connection", "sa-engine", "mongo-client", "mongo-database",
"mongo-collection", "redis-client", "redis-pipeline", "dynamodb-client",
"dynamodb-resource", "dynamodb-table", "dynamodb-batch", "elasticsearch",
"other" (something known not to be a client) and "unknown".

The body is meant to be swapped for the inference layer's ``context.kind_of``
once it lands; the rules only call ``receiver_kind``. Results are memoized per
lint of a file (module and class tables once, each function's bindings once).
"""

from __future__ import annotations

import ast
from typing import Callable, Optional

import libcst as cst
from perflint.analysis import iter_nodes
from perflint.context import FileContext
from perflint.source import parse_ast

UNKNOWN = "unknown"

# Constructors and factories, by qualified name.
_CALLS = {
    "sqlite3.connect": "dbapi-connection",
    "sqlite3.dbapi2.connect": "dbapi-connection",
    "psycopg2.connect": "dbapi-connection",
    "psycopg.connect": "dbapi-connection",
    "psycopg.Connection.connect": "dbapi-connection",
    "psycopg.AsyncConnection.connect": "dbapi-connection",
    "pymysql.connect": "dbapi-connection",
    "pymysql.connections.Connection": "dbapi-connection",
    "MySQLdb.connect": "dbapi-connection",
    "mysql.connector.connect": "dbapi-connection",
    "aiosqlite.connect": "dbapi-connection",
    "aiomysql.connect": "dbapi-connection",
    "asyncpg.connect": "asyncpg-connection",
    "asyncpg.create_pool": "asyncpg-pool",
    "redis.Redis": "redis-client",
    "redis.StrictRedis": "redis-client",
    "redis.from_url": "redis-client",
    "redis.Redis.from_url": "redis-client",
    "redis.client.Redis": "redis-client",
    "redis.asyncio.Redis": "redis-client",
    "redis.asyncio.from_url": "redis-client",
    "redis.asyncio.Redis.from_url": "redis-client",
    "aioredis.from_url": "redis-client",
    "aioredis.Redis": "redis-client",
    "redis.cluster.RedisCluster": "redis-client",
    "redis.RedisCluster": "redis-client",
    "pymongo.MongoClient": "mongo-client",
    "pymongo.mongo_client.MongoClient": "mongo-client",
    "motor.motor_asyncio.AsyncIOMotorClient": "mongo-client",
    "motor.MotorClient": "mongo-client",
    "pymongo.AsyncMongoClient": "mongo-client",
    "elasticsearch.Elasticsearch": "elasticsearch",
    "elasticsearch.AsyncElasticsearch": "elasticsearch",
    "opensearchpy.OpenSearch": "elasticsearch",
    "sqlalchemy.create_engine": "sa-engine",
    "sqlalchemy.ext.asyncio.create_async_engine": "sa-engine",
    "sqlalchemy.orm.Session": "sa-session",
    "sqlalchemy.orm.session.Session": "sa-session",
    "sqlalchemy.ext.asyncio.AsyncSession": "sa-session",
    "sqlmodel.Session": "sa-session",
}
# Annotations, by qualified name.
_TYPES = {
    "sqlite3.Connection": "dbapi-connection",
    "sqlite3.Cursor": "dbapi-cursor",
    "psycopg2.extensions.connection": "dbapi-connection",
    "psycopg2.extensions.cursor": "dbapi-cursor",
    "psycopg.Connection": "dbapi-connection",
    "psycopg.AsyncConnection": "dbapi-connection",
    "psycopg.Cursor": "dbapi-cursor",
    "psycopg.AsyncCursor": "dbapi-cursor",
    "pymysql.connections.Connection": "dbapi-connection",
    "pymysql.Connection": "dbapi-connection",
    "pymysql.cursors.Cursor": "dbapi-cursor",
    "pymysql.cursors.DictCursor": "dbapi-cursor",
    "aiosqlite.Connection": "dbapi-connection",
    "aiosqlite.Cursor": "dbapi-cursor",
    "asyncpg.Connection": "asyncpg-connection",
    "asyncpg.connection.Connection": "asyncpg-connection",
    "asyncpg.Pool": "asyncpg-pool",
    "asyncpg.pool.Pool": "asyncpg-pool",
    "redis.Redis": "redis-client",
    "redis.StrictRedis": "redis-client",
    "redis.client.Redis": "redis-client",
    "redis.asyncio.Redis": "redis-client",
    "redis.asyncio.client.Redis": "redis-client",
    "pymongo.collection.Collection": "mongo-collection",
    "pymongo.database.Database": "mongo-database",
    "pymongo.MongoClient": "mongo-client",
    "motor.motor_asyncio.AsyncIOMotorCollection": "mongo-collection",
    "motor.motor_asyncio.AsyncIOMotorDatabase": "mongo-database",
    "elasticsearch.Elasticsearch": "elasticsearch",
    "elasticsearch.AsyncElasticsearch": "elasticsearch",
    "sqlalchemy.orm.Session": "sa-session",
    "sqlalchemy.orm.session.Session": "sa-session",
    "sqlalchemy.orm.scoped_session": "sa-session",
    "sqlalchemy.orm.scoping.scoped_session": "sa-session",
    "sqlalchemy.ext.asyncio.AsyncSession": "sa-session",
    "sqlalchemy.ext.asyncio.async_scoped_session": "sa-session",
    "sqlmodel.Session": "sa-session",
    "sqlmodel.ext.asyncio.session.AsyncSession": "sa-session",
    "sqlalchemy.engine.Connection": "sa-connection",
    "sqlalchemy.Connection": "sa-connection",
    "sqlalchemy.engine.base.Connection": "sa-connection",
    "sqlalchemy.ext.asyncio.AsyncConnection": "sa-connection",
    "sqlalchemy.engine.Engine": "sa-engine",
    "sqlalchemy.Engine": "sa-engine",
}
_SA_FACTORIES = frozenset({"sqlalchemy.orm.sessionmaker", "sqlalchemy.ext.asyncio.async_sessionmaker", "sqlalchemy.orm.scoped_session"})

# What a method returns, by the kind of its receiver.
_METHODS = {
    ("dbapi-connection", "cursor"): "dbapi-cursor",
    ("dbapi-connection", "__enter__"): "dbapi-connection",
    ("asyncpg-pool", "acquire"): "asyncpg-connection",
    ("sa-engine", "connect"): "sa-connection",
    ("sa-engine", "begin"): "sa-connection",
    ("redis-client", "pipeline"): "redis-pipeline",
    ("mongo-client", "get_database"): "mongo-database",
    ("mongo-client", "get_default_database"): "mongo-database",
    ("mongo-database", "get_collection"): "mongo-collection",
    ("dynamodb-resource", "Table"): "dynamodb-table",
    ("dynamodb-table", "batch_writer"): "dynamodb-batch",
    ("sa-factory", "()"): "sa-session",
    ("sa-factory", "begin"): "sa-session",
}

# A name spelled this way, where the method asked about is unambiguous.
_CONVENTIONAL = {
    "session": "sa-session", "db_session": "sa-session", "dbsession": "sa-session", "sess": "sa-session",
    "cur": "dbapi-cursor", "cursor": "dbapi-cursor", "curs": "dbapi-cursor",
}

_Env = Callable[[str], str]

# Kinds the inference layer gives where this module can say more: a boto3 client of which
# service (``dynamodb-client``), a resource's table.
_GENERIC_KINDS = frozenset({"boto3-client", "boto3-resource"})


def receiver_kind(context: FileContext, expr: cst.BaseExpression, conventional: bool = False) -> str:
    """The kind of client ``expr`` is at the current traversal point (``UNKNOWN`` when not proven).

    With ``conventional``, an otherwise unknown name or ``self`` attribute spelled
    like a session or cursor (``session``, ``cur``) counts as one: only for
    methods whose name says what the receiver is.
    """
    kind_of = getattr(context, "kind_of", None)
    if kind_of is not None:  # the inference layer, once it lands
        try:
            inferred = kind_of(expr).kind
        except Exception:  # pragma: no cover - defensive while the API settles
            inferred = UNKNOWN
        if inferred not in (UNKNOWN, None) and inferred not in _GENERIC_KINDS:
            return inferred
    else:
        inferred = UNKNOWN
    memo = _memo(context)
    kind = _cst_kind(context, memo, expr, 0)
    if kind == UNKNOWN and inferred not in (UNKNOWN, None):
        return inferred
    if kind == UNKNOWN and conventional:
        last = _last_name(expr)
        if last is not None:
            return _CONVENTIONAL.get(last.lower(), UNKNOWN)
    return kind


# Names Flask-SQLAlchemy's ``SQLAlchemy()`` object re-exports from ``sqlalchemy``: ``db.select(...)``.
SA_REEXPORTS = frozenset({"select", "insert", "update", "delete", "text"})


def is_sa_holder(context: FileContext, expr: cst.BaseExpression) -> bool:
    """``db`` of ``db = SQLAlchemy(...)`` (Flask-SQLAlchemy), whose ``db.select`` is SQLAlchemy's."""
    return receiver_kind(context, expr) == "sa-factory-holder"


def _last_name(expr: cst.BaseExpression) -> Optional[str]:
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
        return expr.attr.value
    if isinstance(expr, cst.Attribute) and expr.attr.value == "session":
        return "session"  # Flask-SQLAlchemy's db.session
    return None


# --- memo ----------------------------------------------------------------------------------


class _Memo:
    def __init__(self, context: FileContext) -> None:
        self.facts = context.facts
        self.module_values: Optional[dict[str, list[ast.AST]]] = None
        self.module_kinds: dict[str, str] = {}
        self.class_attrs: dict[str, dict[str, list[ast.AST]]] = {}
        self.function_bindings: dict[int, tuple[cst.CSTNode, dict[str, list]]] = {}
        self.function_kinds: dict[tuple[int, str], tuple[cst.CSTNode, str]] = {}
        self.attr_kinds: dict[tuple[str, str], str] = {}


_MEMOS: dict[str, _Memo] = {}


def _memo(context: FileContext) -> _Memo:
    memo = _MEMOS.get(context.path)
    if memo is None or memo.facts is not context.facts:
        if len(_MEMOS) > 8:
            _MEMOS.clear()
        memo = _MEMOS[context.path] = _Memo(context)
    return memo


# --- qualified names -----------------------------------------------------------------------


def _resolve_head(context: FileContext, head: str, local: bool) -> Optional[str]:
    if local:
        return None
    facts = context.facts
    if head not in facts.imports:
        return None
    return facts.resolve_global(head)


def _cst_dotted(expr: cst.BaseExpression) -> Optional[list[str]]:
    parts: list[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if not isinstance(expr, cst.Name):
        return None
    parts.append(expr.value)
    return parts[::-1]


def _ast_dotted(expr: ast.AST) -> Optional[list[str]]:
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return parts[::-1]


def _qualify(context: FileContext, parts: Optional[list[str]], local: bool) -> Optional[str]:
    if not parts:
        return None
    base = _resolve_head(context, parts[0], local)
    if base is None:
        return None
    return ".".join([base, *parts[1:]])


def _type_kind(qualified: Optional[str]) -> str:
    if qualified is None:
        return UNKNOWN
    return _TYPES.get(qualified, UNKNOWN)


# --- the kind of a cst expression (function-level) ---------------------------------------------


def _cst_kind(context: FileContext, memo: _Memo, expr: cst.BaseExpression, depth: int) -> str:
    if depth > 6:
        return UNKNOWN
    if isinstance(expr, cst.Await):
        return _cst_kind(context, memo, expr.expression, depth + 1)
    if isinstance(expr, cst.Name):
        return _name_kind(context, memo, expr.value, depth)
    if isinstance(expr, cst.Attribute):
        if isinstance(expr.value, cst.Name) and expr.value.value == "self":
            return _self_attr_kind(context, memo, expr.attr.value, depth)
        qualified = context.qualified_name(expr)
        if qualified is not None and qualified in _TYPES:
            return UNKNOWN
        base = _cst_kind(context, memo, expr.value, depth + 1)
        return _attr_of(base, expr.attr.value)
    if isinstance(expr, cst.Subscript):
        base = _cst_kind(context, memo, expr.value, depth + 1)
        if base in ("mongo-client", "mongo-database") and len(expr.slice) == 1:
            return _attr_of(base, "[]")
        return UNKNOWN
    if isinstance(expr, cst.Call):
        qualified = context.qualified_name(expr.func)
        first = _cst_first_string(expr)
        called = _call_kind(qualified, first)
        if called != UNKNOWN:
            return called
        if isinstance(expr.func, cst.Attribute):
            base = _cst_kind(context, memo, expr.func.value, depth + 1)
            if base == UNKNOWN and expr.func.attr.value == "acquire" and not expr.args and _asyncpg_only(context):
                return "asyncpg-connection"  # ``async with request.app["pool"].acquire() as conn``
            return _method_of(base, expr.func.attr.value, first)
        if isinstance(expr.func, cst.Name):
            base = _name_kind(context, memo, expr.func.value, depth)
            kind = _METHODS.get((base, "()"), UNKNOWN)
            if kind == UNKNOWN and base == UNKNOWN and not context.is_local(expr.func.value):
                kind = _getter_kind(context, memo, expr.func.value, depth)
            return kind
    return UNKNOWN


# Other libraries whose pools hand out connections with ``acquire()``.
_OTHER_POOLS = ("aiopg", "aiomysql", "asyncmy", "psycopg_pool", "databases", "aioodbc", "sqlalchemy")


def _asyncpg_only(context: FileContext) -> bool:
    """The module imports asyncpg and no other library whose pool has ``acquire()``: a pool of
    unknown origin there (``request.app["pool"]``, ``app.state.db``) is an asyncpg pool."""
    return context.module_uses("asyncpg") and not any(context.module_uses(name) for name in _OTHER_POOLS)


def _cst_first_string(call: cst.Call) -> Optional[str]:
    for arg in call.args:
        if arg.keyword is None or arg.keyword.value == "service_name":
            value = arg.value
            if isinstance(value, cst.SimpleString):
                text = value.evaluated_value
                return text if isinstance(text, str) else None
            return None
    return None


def _call_kind(qualified: Optional[str], first: Optional[str]) -> str:
    if qualified is None:
        return UNKNOWN
    if qualified in _CALLS:
        return _CALLS[qualified]
    if qualified in _SA_FACTORIES:
        return "sa-factory"
    if qualified in ("boto3.client", "boto3.session.Session.client"):
        return "dynamodb-client" if first == "dynamodb" else "other"
    if qualified in ("boto3.resource", "boto3.session.Session.resource"):
        return "dynamodb-resource" if first == "dynamodb" else "other"
    return UNKNOWN


def _method_of(base: str, method: str, first: Optional[str]) -> str:
    if base == UNKNOWN:
        if method in ("client", "resource") and first == "dynamodb":  # session.client("dynamodb")
            return "dynamodb-client" if method == "client" else "dynamodb-resource"
        return UNKNOWN
    return _METHODS.get((base, method), UNKNOWN)


def _attr_of(base: str, attr: str) -> str:
    if base == "mongo-client" and not attr.startswith("_"):
        return "mongo-database"
    if base == "mongo-database" and not attr.startswith("_") and attr not in ("client", "name"):
        return "mongo-collection"
    if base == "sa-factory-holder" and attr == "session":
        return "sa-session"
    return UNKNOWN


def _function_node(context: FileContext) -> Optional[cst.CSTNode]:
    function = context.function
    return function.node if function is not None else None


def _name_kind(context: FileContext, memo: _Memo, name: str, depth: int) -> str:
    function = _function_node(context)
    if function is not None and context.is_local(name):
        key = (id(function), name)
        entry = memo.function_kinds.get(key)
        if entry is not None and entry[0] is function:
            return entry[1]
        memo.function_kinds[key] = (function, UNKNOWN)  # cycles
        kind = _local_kind(context, memo, function, name, depth)
        memo.function_kinds[key] = (function, kind)
        return kind
    return _module_kind(context, memo, name, depth)


def _bindings(memo: _Memo, function: cst.CSTNode) -> dict[str, list]:
    """name -> [("value", expr) | ("annotation", expr) | ("other", None)] for one function."""
    entry = memo.function_bindings.get(id(function))
    if entry is not None and entry[0] is function:  # ids are reused once a block's tree is freed
        return entry[1]
    table: dict[str, list] = {}

    def add(target: cst.BaseExpression, what: tuple) -> None:
        if isinstance(target, cst.Name):
            table.setdefault(target.value, []).append(what)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                add(element.value, ("other", None))

    for node in iter_nodes(function):
        if isinstance(node, cst.Param):
            if node.annotation is not None:
                table.setdefault(node.name.value, []).append(("annotation", node.annotation.annotation))
            else:
                table.setdefault(node.name.value, []).append(("other", None))
        elif isinstance(node, cst.Assign):
            for target in node.targets:
                add(target.target, ("value", node.value) if isinstance(target.target, cst.Name) else ("other", None))
        elif isinstance(node, cst.AnnAssign):
            add(node.target, ("annotation", node.annotation.annotation))
            if node.value is not None:
                add(node.target, ("value", node.value))
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            add(node.asname.name, ("value", node.item))
        elif isinstance(node, (cst.For, cst.CompFor)):
            add(node.target, ("other", None))
        elif isinstance(node, cst.NamedExpr):
            add(node.target, ("value", node.value))
        elif isinstance(node, cst.AugAssign):
            add(node.target, ("other", None))
    memo.function_bindings[id(function)] = (function, table)
    return table


def _local_kind(context: FileContext, memo: _Memo, function: cst.CSTNode, name: str, depth: int) -> str:
    found = _bindings(memo, function).get(name)
    if not found:
        return UNKNOWN
    kinds = set()
    for what, expr in found:
        if what == "annotation":
            kind = _annotation_kind(context, expr)
        elif what == "value":
            kind = _cst_kind(context, memo, expr, depth + 1)
        else:
            kind = UNKNOWN
        kinds.add(kind)
    known = kinds - {UNKNOWN}
    if len(known) == 1 and (UNKNOWN not in kinds or any(w == "annotation" for w, _ in found)):
        return known.pop()
    return UNKNOWN


def _annotation_kind(context: FileContext, annotation: cst.BaseExpression) -> str:
    if isinstance(annotation, cst.SimpleString):
        text = annotation.evaluated_value
        if isinstance(text, str):
            try:
                annotation = cst.parse_expression(text)
            except Exception:
                return UNKNOWN
    if isinstance(annotation, cst.Subscript):  # Optional[Session], Annotated[Session, Depends(...)]
        head = context.qualified_name(annotation.value) or ""
        if head.rpartition(".")[2] in ("Optional", "Annotated") and annotation.slice:
            inner = annotation.slice[0].slice
            if isinstance(inner, cst.Index):
                return _annotation_kind(context, inner.value)
        return UNKNOWN
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        left = _annotation_kind(context, annotation.left)
        return left if left != UNKNOWN else _annotation_kind(context, annotation.right)
    return _type_kind(_qualify(context, _cst_dotted(annotation), False))


# --- module and class level (ast) -------------------------------------------------------------


def _module_values(context: FileContext, memo: _Memo) -> dict[str, list[ast.AST]]:
    if memo.module_values is None:
        values: dict[str, list[ast.AST]] = {}
        tree = context.facts.tree
        for node in tree.body if tree is not None else ():
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        values.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                values.setdefault(node.target.id, []).append(ast.Expr(node.annotation))  # marks an annotation
                if node.value is not None:
                    values.setdefault(node.target.id, []).append(node.value)
        memo.module_values = values
    return memo.module_values


def _module_kind(context: FileContext, memo: _Memo, name: str, depth: int) -> str:
    if name in memo.module_kinds:
        return memo.module_kinds[name]
    memo.module_kinds[name] = UNKNOWN
    values = _module_values(context, memo).get(name, [])
    kinds = {_ast_value_kind(context, memo, value, depth + 1, {}) for value in values}
    known = kinds - {UNKNOWN}
    kind = known.pop() if len(known) == 1 else UNKNOWN
    memo.module_kinds[name] = kind
    return kind


def _ast_value_kind(context: FileContext, memo: _Memo, value: ast.AST, depth: int, params: dict[str, ast.AST]) -> str:
    """The kind of a module-level or class-level value (``ast``); ``params`` maps the
    enclosing method's annotated parameters (``self.x = x`` in ``__init__``)."""
    if depth > 8:
        return UNKNOWN
    if isinstance(value, ast.Expr):  # an annotation
        return _ast_annotation_kind(context, value.value)
    if isinstance(value, ast.Await):
        return _ast_value_kind(context, memo, value.value, depth + 1, params)
    if isinstance(value, ast.Name):
        if value.id in params:
            return _ast_annotation_kind(context, params[value.id])
        return _module_kind(context, memo, value.id, depth)
    if isinstance(value, ast.Attribute):
        if _qualify(context, _ast_dotted(value), False) in _TYPES:
            return UNKNOWN
        base = _ast_value_kind(context, memo, value.value, depth + 1, params)
        return _attr_of(base, value.attr)
    if isinstance(value, ast.Subscript):
        base = _ast_value_kind(context, memo, value.value, depth + 1, params)
        if base in ("mongo-client", "mongo-database"):
            return _attr_of(base, "[]")
        return UNKNOWN
    if isinstance(value, ast.Call):
        first = None
        if value.args and isinstance(value.args[0], ast.Constant) and isinstance(value.args[0].value, str):
            first = value.args[0].value
        elif not value.args:
            for keyword in value.keywords:
                if keyword.arg == "service_name" and isinstance(keyword.value, ast.Constant):
                    first = keyword.value.value if isinstance(keyword.value.value, str) else None
        called = _call_kind(_qualify(context, _ast_dotted(value.func), False), first)
        if called != UNKNOWN:
            return called
        if isinstance(value.func, ast.Attribute):
            base = _ast_value_kind(context, memo, value.func.value, depth + 1, params)
            return _method_of(base, value.func.attr, first)
        if isinstance(value.func, ast.Name):
            base = _module_kind(context, memo, value.func.id, depth)
            if base == UNKNOWN and _qualify(context, [value.func.id], False) == "flask_sqlalchemy.SQLAlchemy":
                return "sa-factory-holder"
            kind = _METHODS.get((base, "()"), UNKNOWN)
            if kind == UNKNOWN and base == UNKNOWN and value.func.id not in params:
                kind = _getter_kind(context, memo, value.func.id, depth)
            return kind
    return UNKNOWN


def _ast_annotation_kind(context: FileContext, annotation: ast.AST) -> str:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = parse_ast(annotation.value, mode="eval").body
        except SyntaxError:
            return UNKNOWN
    if isinstance(annotation, ast.Subscript):
        head = _qualify(context, _ast_dotted(annotation.value), False) or ""
        if head.rpartition(".")[2] in ("Optional", "Annotated"):
            inner = annotation.slice
            if isinstance(inner, ast.Tuple) and inner.elts:
                inner = inner.elts[0]
            return _ast_annotation_kind(context, inner)
        return UNKNOWN
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        left = _ast_annotation_kind(context, annotation.left)
        return left if left != UNKNOWN else _ast_annotation_kind(context, annotation.right)
    return _type_kind(_qualify(context, _ast_dotted(annotation), False))


def _class_name(context: FileContext) -> Optional[str]:
    for scope in reversed(context.scopes):
        if scope.kind == "class" and isinstance(scope.node, cst.ClassDef):
            return scope.node.name.value
    return None


def _class_attrs(context: FileContext, memo: _Memo, class_name: str) -> dict[str, list[ast.AST]]:
    """attribute -> values assigned to ``self.attr`` in the class's methods, with
    annotated ``__init__`` parameters resolved (wrapped as annotations)."""
    table = memo.class_attrs.get(class_name)
    if table is not None:
        return table
    table = {}
    tree = context.facts.tree
    for node in ast.walk(tree) if tree is not None else ():
        if not isinstance(node, ast.ClassDef) or node.name != class_name:
            continue
        for item in node.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                table.setdefault(item.target.id, []).append(ast.Expr(item.annotation))
            if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            params = {a.arg: a.annotation for a in item.args.args + item.args.kwonlyargs if a.annotation is not None}
            for sub in ast.walk(item):
                targets: list = []
                value = None
                if isinstance(sub, ast.Assign):
                    targets, value = sub.targets, sub.value
                elif isinstance(sub, ast.AnnAssign):
                    targets, value = [sub.target], sub.value
                    if _is_self_attr(sub.target):
                        table.setdefault(sub.target.attr, []).append(ast.Expr(sub.annotation))
                for target in targets:
                    if _is_self_attr(target) and value is not None:
                        if isinstance(value, ast.Name) and value.id in params:
                            table.setdefault(target.attr, []).append(ast.Expr(params[value.id]))
                        else:
                            table.setdefault(target.attr, []).append(value)
    memo.class_attrs[class_name] = table
    return table


def _is_self_attr(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"


def _self_attr_kind(context: FileContext, memo: _Memo, attr: str, depth: int) -> str:
    class_name = _class_name(context)
    if class_name is None:
        return UNKNOWN
    key = (class_name, attr)
    if key in memo.attr_kinds:
        return memo.attr_kinds[key]
    memo.attr_kinds[key] = UNKNOWN
    values = _class_attrs(context, memo, class_name).get(attr, [])
    kinds = {_ast_value_kind(context, memo, value, depth + 1, {}) for value in values}
    known = kinds - {UNKNOWN}
    kind = known.pop() if len(known) == 1 else UNKNOWN
    memo.attr_kinds[key] = kind
    return kind


# --- getter functions of the module -----------------------------------------------------------


def _getter_kind(context: FileContext, memo: _Memo, name: str, depth: int) -> str:
    """``db = get_db()``: the kind a plain module-level function returns when it is defined once,
    is not a generator, and every ``return`` gives the same known kind: a module value, a
    client built in the return itself, or a name or attribute (``g.db``) the function assigns
    (the Flask tutorial's ``get_db()`` returning ``g.db = sqlite3.connect(...)``)."""
    key = name + "()"
    if key in memo.module_kinds:
        return memo.module_kinds[key]
    memo.module_kinds[key] = UNKNOWN
    tree = context.facts.tree
    if tree is None or depth > 6 or name in _module_values(context, memo):
        return UNKNOWN
    defs = [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.name == name]
    if len(defs) != 1 or not isinstance(defs[0], ast.FunctionDef):
        return UNKNOWN
    function = defs[0]
    params = {a.arg for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)}
    assigned: dict[str, list[ast.AST]] = {}
    returns: list[ast.Return] = []
    for node in ast.walk(function):
        if node is not function and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return UNKNOWN
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return UNKNOWN
        if isinstance(node, ast.Return):
            returns.append(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                dotted = _ast_dotted(target)
                if dotted is not None and node.value is not None:
                    assigned.setdefault(".".join(dotted), []).append(node.value)
        elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.NamedExpr)):
            for sub in ast.walk(node.target if hasattr(node, "target") else node):
                if isinstance(sub, ast.Name) and isinstance(getattr(sub, "ctx", None), ast.Store):
                    assigned.setdefault(sub.id, []).append(ast.Constant(None))
    if not returns:
        return UNKNOWN
    kinds = set()
    for ret in returns:
        value = ret.value
        if value is None:
            return UNKNOWN
        dotted = _ast_dotted(value)
        if dotted is not None and ".".join(dotted) in assigned:
            values = assigned[".".join(dotted)]
        elif dotted is not None and (dotted[0] in params or dotted[0] in assigned):
            return UNKNOWN
        else:
            values = [value]
        for item in values:
            kinds.add(_ast_value_kind(context, memo, item, depth + 1, {}))
    known = kinds - {UNKNOWN}
    kind = known.pop() if len(known) == 1 and UNKNOWN not in kinds else UNKNOWN
    memo.module_kinds[key] = kind
    return kind
