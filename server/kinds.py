"""What well-known names make: the catalogues the inference layer (``perflint.infer``) reads.

Every table maps a fully qualified name (after import resolution: ``np.array``
with ``import numpy as np`` is ``numpy.array``) or a method name to a *kind*,
a short string naming what a value is. Kinds are deliberately coarse: a rule
asks "is this a list?" or "is this a database cursor?", never for a full type.

``UNKNOWN`` is the answer whenever the evidence is missing or disagrees;
rules stay silent on it.
"""

from __future__ import annotations

UNKNOWN = "unknown"

# Kinds whose ``x in value`` scans element by element.
SEQUENCE_KINDS = frozenset({"list", "tuple"})
# Kinds backed by a hash table: membership and lookups are O(1).
HASHED_KINDS = frozenset({"set", "frozenset", "dict", "dict-keys", "counter"})
STRING_KINDS = frozenset({"str", "bytes", "bytearray"})

# --- constructors and functions, by qualified name --------------------------

CALL_KINDS: dict[str, str] = {
    # builtins
    "builtins.list": "list",
    "builtins.sorted": "list",
    "builtins.tuple": "tuple",
    "builtins.set": "set",
    "builtins.frozenset": "frozenset",
    "builtins.dict": "dict",
    "builtins.str": "str",
    "builtins.repr": "str",
    "builtins.format": "str",
    "builtins.bytes": "bytes",
    "builtins.bytearray": "bytearray",
    "builtins.int": "int",
    "builtins.len": "int",
    "builtins.float": "float",
    "builtins.range": "range",
    # standard library
    "collections.deque": "deque",
    "collections.defaultdict": "dict",
    "collections.OrderedDict": "dict",
    "collections.Counter": "counter",
    "re.findall": "list",
    "re.split": "list",
    "os.listdir": "list",
    "glob.glob": "list",
    "shlex.split": "list",
    "textwrap.wrap": "list",
    "heapq.nlargest": "list",
    "heapq.nsmallest": "list",
    "copy.copy": "same",
    "copy.deepcopy": "same",
    "json.dumps": "str",
    "sqlite3.connect": "dbapi-connection",
    "psycopg2.connect": "dbapi-connection",
    "psycopg.connect": "dbapi-connection",
    "pymysql.connect": "dbapi-connection",
    "MySQLdb.connect": "dbapi-connection",
    "mysql.connector.connect": "dbapi-connection",
    "asyncpg.connect": "asyncpg-connection",
    "asyncpg.create_pool": "asyncpg-pool",
    "aiosqlite.connect": "dbapi-connection",
    # SQLAlchemy
    "sqlalchemy.create_engine": "sa-engine",
    "sqlalchemy.ext.asyncio.create_async_engine": "sa-engine",
    "sqlalchemy.orm.Session": "sa-session",
    "sqlalchemy.orm.sessionmaker": "sa-sessionmaker",
    "sqlalchemy.orm.scoped_session": "sa-session",
    "sqlalchemy.ext.asyncio.AsyncSession": "sa-session",
    "sqlalchemy.ext.asyncio.async_sessionmaker": "sa-sessionmaker",
    # HTTP
    "requests.Session": "http-session",
    "requests.session": "http-session",
    "requests.sessions.Session": "http-session",
    "httpx.Client": "http-client",
    "httpx.AsyncClient": "http-client",
    "aiohttp.ClientSession": "http-session",
    "urllib3.PoolManager": "http-client",
    # clients of services
    "boto3.client": "boto3-client",
    "boto3.resource": "boto3-resource",
    "redis.Redis": "redis-client",
    "redis.StrictRedis": "redis-client",
    "redis.from_url": "redis-client",
    "redis.Redis.from_url": "redis-client",
    "redis.asyncio.Redis": "redis-client",
    "redis.asyncio.from_url": "redis-client",
    "pymongo.MongoClient": "mongo-client",
    "motor.motor_asyncio.AsyncIOMotorClient": "mongo-client",
    "elasticsearch.Elasticsearch": "elasticsearch",
    "elasticsearch.AsyncElasticsearch": "elasticsearch",
    # numpy and pandas
    **{f"numpy.{name}": "ndarray" for name in (
        "array", "asarray", "zeros", "ones", "empty", "full", "arange", "linspace", "append",
        "concatenate", "vstack", "hstack", "stack", "zeros_like", "ones_like", "empty_like",
    )},
    **{f"pandas.{name}": "dataframe" for name in (
        "DataFrame", "read_csv", "read_json", "read_excel", "read_parquet", "read_sql",
        "read_sql_query", "read_sql_table", "read_table", "read_feather", "concat", "merge",
    )},
    "pandas.Series": "series",
}

# Methods whose result kind does not depend on the receiver.
METHOD_KINDS: dict[str, str] = {
    "split": "list",
    "rsplit": "list",
    "splitlines": "list",
    "readlines": "list",
    "fetchall": "list",
    "fetchmany": "list",
    "tolist": "list",  # numpy arrays, pandas Series/Index, array.array, memoryview
    "to_list": "list",  # polars Series, pandas Series/Index (an alias of ``tolist``)
    "encode": "bytes",
    "decode": "str",
    "hexdigest": "str",
}

# Methods whose result kind depends on the receiver's kind: (receiver kind, method) -> kind.
RECEIVER_METHOD_KINDS: dict[tuple[str, str], str] = {
    **{(kind, name): kind for kind in ("str", "bytes") for name in (
        "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "title", "replace",
        "format", "join", "ljust", "rjust", "center", "zfill", "removeprefix", "removesuffix",
    )},
    **{(kind, "copy"): kind for kind in ("list", "set", "dict", "deque", "counter")},
    ("dict", "keys"): "dict-keys",
    ("dict", "values"): "dict-values",
    ("dict", "items"): "dict-items",
    ("counter", "keys"): "dict-keys",
    ("counter", "values"): "dict-values",
    ("counter", "most_common"): "list",
    **{(kind, name): "list" for kind in ("ndarray", "series", "dataframe") for name in ("tolist", "to_list")},
    ("dbapi-connection", "cursor"): "dbapi-cursor",
    ("dbapi-connection", "execute"): "dbapi-cursor",
    ("sa-engine", "connect"): "sa-connection",
    ("sa-engine", "begin"): "sa-connection",
    ("sa-sessionmaker", "__call__"): "sa-session",
    ("sa-session", "query"): "sa-query",
    ("sa-query", "filter"): "sa-query",
    ("sa-query", "filter_by"): "sa-query",
    ("sa-query", "order_by"): "sa-query",
    ("sa-query", "join"): "sa-query",
    ("sa-query", "options"): "sa-query",
    ("sa-query", "all"): "list",
    ("boto3-resource", "Table"): "dynamodb-table",
    ("redis-client", "pipeline"): "redis-pipeline",
    # redis-py replies: list commands answer a Python list, set commands a Python set
    **{("redis-client", name): "list" for name in (
        "lrange", "keys", "mget", "hkeys", "hvals", "hmget", "zrange", "zrevrange", "zrangebyscore",
    )},
    **{("redis-client", name): "set" for name in ("smembers", "sunion", "sinter", "sdiff")},
    ("asyncpg-pool", "acquire"): "asyncpg-connection",
    ("dataframe", "copy"): "dataframe",
    ("ndarray", "copy"): "ndarray",
    ("mongo-client", "get_database"): "mongo-database",
    ("mongo-database", "get_collection"): "mongo-collection",
    **{("django-manager", name): "django-queryset" for name in (
        "all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate",
        "values", "values_list", "distinct", "only", "defer", "using", "none", "reverse",
    )},
    **{("django-queryset", name): "django-queryset" for name in (
        "all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate",
        "values", "values_list", "distinct", "only", "defer", "using", "none", "reverse",
    )},
    **{(kind, name): "django-instance" for kind in ("django-manager", "django-queryset") for name in (
        "get", "first", "last", "create", "earliest", "latest",
        "aget", "afirst", "alast", "acreate", "aearliest", "alatest",  # the async ORM's, awaited
    )},
}

# Subscripting: ``client["db"]`` is a database, ``db["users"]`` a collection.
SUBSCRIPT_KINDS: dict[str, str] = {
    "mongo-client": "mongo-database",
    "mongo-database": "mongo-collection",
    "dataframe": "series",
}
# Attribute access: ``db.users`` is a collection.
ATTRIBUTE_KINDS: dict[str, str] = {
    "mongo-client": "mongo-database",
    "mongo-database": "mongo-collection",
    "django-model": "django-manager",  # ``Book.objects`` (any manager attribute, checked by the index)
}

# --- annotations --------------------------------------------------------------

# Annotation names (the last part of the dotted name) -> kind. Abstract sequences count as
# lists: their ``in`` scans just the same.
ANNOTATION_KINDS: dict[str, str] = {
    "list": "list",
    "List": "list",
    "Sequence": "list",
    "MutableSequence": "list",
    "tuple": "tuple",
    "Tuple": "tuple",
    "set": "set",
    "Set": "set",
    "MutableSet": "set",
    "AbstractSet": "set",
    "frozenset": "frozenset",
    "FrozenSet": "frozenset",
    "dict": "dict",
    "Dict": "dict",
    "Mapping": "dict",
    "MutableMapping": "dict",
    "DefaultDict": "dict",
    "OrderedDict": "dict",
    "defaultdict": "dict",
    "Counter": "counter",
    "str": "str",
    "bytes": "bytes",
    "bytearray": "bytearray",
    "int": "int",
    "float": "float",
    "deque": "deque",
    "Deque": "deque",
    "ndarray": "ndarray",
    "NDArray": "ndarray",
    "DataFrame": "dataframe",
    "Series": "series",
    "QuerySet": "django-queryset",
    "AsyncSession": "sa-session",
    "scoped_session": "sa-session",
    "Engine": "sa-engine",
    "AsyncEngine": "sa-engine",
    "Redis": "redis-client",
    "StrictRedis": "redis-client",
    "MongoClient": "mongo-client",
    "AsyncIOMotorCollection": "mongo-collection",
    "Elasticsearch": "elasticsearch",
    "AsyncClient": "http-client",
    "ClientSession": "http-session",
}
# Qualified annotations that would be ambiguous by their last part alone (classes named in
# ``CALL_KINDS``, such as ``requests.Session``, count as annotations too).
QUALIFIED_ANNOTATION_KINDS: dict[str, str] = {
    "sqlite3.Connection": "dbapi-connection",
    "sqlite3.Cursor": "dbapi-cursor",
    "psycopg2.extensions.connection": "dbapi-connection",
    "psycopg2.extensions.cursor": "dbapi-cursor",
    "psycopg.Connection": "dbapi-connection",
    "psycopg.Cursor": "dbapi-cursor",
    "pymysql.connections.Connection": "dbapi-connection",
    "asyncpg.Connection": "asyncpg-connection",
    "asyncpg.connection.Connection": "asyncpg-connection",
    "asyncpg.Pool": "asyncpg-pool",
    "asyncpg.pool.Pool": "asyncpg-pool",
    "sqlalchemy.engine.Connection": "sa-connection",
    "sqlalchemy.Connection": "sa-connection",
    "pymongo.database.Database": "mongo-database",
    "pymongo.collection.Collection": "mongo-collection",
}
# Annotation names that only ever wrap their argument.
TRANSPARENT_ANNOTATIONS = frozenset({"Optional", "Final", "Annotated", "ClassVar", "Required", "NotRequired"})

# --- what a call does per call (call facts) -----------------------------------

QUERY = "query"
WRITE = "write"
HTTP = "http"
BLOCK = "block"
CLIENT = "client"

# Qualified functions -> effects of one call.
CALL_EFFECTS: dict[str, frozenset[str]] = {
    **{f"requests.{name}": frozenset({HTTP, BLOCK}) for name in (
        "get", "post", "put", "patch", "delete", "head", "options", "request")},
    **{f"httpx.{name}": frozenset({HTTP, BLOCK}) for name in (
        "get", "post", "put", "patch", "delete", "head", "options", "request", "stream")},
    "urllib.request.urlopen": frozenset({HTTP, BLOCK}),
    "urllib3.request": frozenset({HTTP, BLOCK}),
    "time.sleep": frozenset({BLOCK}),
    "builtins.open": frozenset({BLOCK}),
    "os.system": frozenset({BLOCK}),
    **{f"subprocess.{name}": frozenset({BLOCK}) for name in (
        "run", "call", "check_call", "check_output", "Popen", "getoutput", "getstatusoutput")},
    "socket.gethostbyname": frozenset({BLOCK}),
    "socket.getaddrinfo": frozenset({BLOCK}),
    "socket.create_connection": frozenset({BLOCK}),
    **{name: frozenset({CLIENT, BLOCK}) for name, kind in CALL_KINDS.items() if kind in (
        "dbapi-connection", "asyncpg-connection", "asyncpg-pool", "sa-engine", "http-session",
        "http-client", "boto3-client", "boto3-resource", "redis-client", "mongo-client", "elasticsearch",
    )},
}

_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream"})
_QUERY_METHODS = {
    "sa-session": frozenset({"query", "execute", "get", "scalar", "scalars", "merge", "refresh", "flush", "commit"}),
    "sa-connection": frozenset({"execute", "scalar", "scalars", "exec_driver_sql", "commit"}),
    "sa-engine": frozenset({"execute"}),
    "dbapi-connection": frozenset({"execute", "executemany", "executescript", "commit"}),
    "dbapi-cursor": frozenset({"execute", "executemany", "callproc"}),
    "asyncpg-connection": frozenset({"fetch", "fetchrow", "fetchval", "execute", "executemany", "copy_records_to_table"}),
    "asyncpg-pool": frozenset({"fetch", "fetchrow", "fetchval", "execute", "executemany"}),
    "mongo-collection": frozenset({
        "find", "find_one", "insert_one", "insert_many", "update_one", "update_many", "delete_one",
        "delete_many", "replace_one", "count_documents", "aggregate", "bulk_write", "find_one_and_update",
    }),
    "dynamodb-table": frozenset({"get_item", "put_item", "update_item", "delete_item", "query", "scan", "batch_writer"}),
    "elasticsearch": frozenset({"index", "search", "get", "create", "update", "delete", "bulk", "count"}),
    "django-manager": frozenset({
        "get", "first", "last", "count", "exists", "create", "get_or_create", "update_or_create",
        "update", "delete", "bulk_create", "bulk_update", "aggregate", "in_bulk", "earliest", "latest",
    }),
    "django-instance": frozenset({"save", "delete", "refresh_from_db"}),
}

_QUERY_METHODS["django-queryset"] = _QUERY_METHODS["django-manager"]
_WRITE_METHODS = frozenset({
    "insert_one", "insert_many", "update_one", "update_many", "delete_one", "delete_many", "replace_one",
    "put_item", "update_item", "delete_item", "index", "create", "get_or_create", "update_or_create",
    "update", "delete", "save", "bulk_create", "bulk_update", "commit", "executemany",
})


def method_effects(receiver_kind: str, method: str) -> frozenset[str]:
    """What calling ``method`` on a value of ``receiver_kind`` does, per call."""
    if receiver_kind in ("http-session", "http-client") and method in _HTTP_VERBS:
        return frozenset({HTTP, BLOCK})
    if receiver_kind == "boto3-client" and not method.startswith(("get_paginator", "get_waiter", "can_paginate")):
        return frozenset({HTTP, BLOCK})
    if receiver_kind == "redis-client" and method not in ("pipeline", "close"):
        return frozenset({QUERY, BLOCK})
    methods = _QUERY_METHODS.get(receiver_kind)
    if methods is not None and receiver_kind.startswith("django-") and method.startswith("a") and method[1:] in methods:
        # Django's async ORM (4.1+): ``aget``, ``acount``, ``asave``... run the query of their
        # sync name, awaited (so they do not block the event loop).
        return frozenset({QUERY, WRITE} if method[1:] in _WRITE_METHODS else {QUERY})
    if methods is not None and method in methods:
        found = {QUERY, BLOCK}
        if method in _WRITE_METHODS:
            found.add(WRITE)
        return frozenset(found)
    return frozenset()
