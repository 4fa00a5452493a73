"""PF207 store-call-in-loop."""

from __future__ import annotations


import libcst as cst
from perflint.analysis import dotted_name, method_call
from perflint.facts import ModuleFacts
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid
from perflint.rules.database._loops import ParentIndex, TryTracker, is_test_module, per_item_loop, stops_early
from perflint.rules.database._orm import in_migrations
from perflint.rules.database._receivers import receiver_kind

# method -> (what it does, the batched form), per receiver kind.
_MONGO_READ = "one `find({\"_id\": {\"$in\": ids}})` before the loop, looked up in a dict"
_MONGO_WRITE = "collect the operations and send them with one `bulk_write([...])` (or `insert_many(docs)`)"
_REDIS_READ = "read all keys with one `mget(keys)` (or queue the reads on a `pipeline()`)"
_REDIS_WRITE = "queue the commands on `pipe = client.pipeline()` and send them with one `pipe.execute()` (or `mset`)"
_DYNAMO_READ = "read up to 100 keys per request with `batch_get_item`"
_DYNAMO_WRITE = "write through `table.batch_writer()` (25 items per request) or `batch_write_item`"
_DYNAMO_UPDATE = (
    "send the updates 25 per request with `batch_execute_statement` (PartiQL `UPDATE ... SET ...`), or 100 per "
    "request with `transact_write_items` when they must apply together"
)
_ES_WRITE = "send the documents with one `elasticsearch.helpers.bulk(client, actions)`"
_ES_READ = "fetch them with one `mget(ids=...)`"

_CALLS = {
    "mongo-collection": {
        **{m: ("query", _MONGO_READ) for m in ("find_one", "count_documents", "find_one_and_update", "find_one_and_delete", "find_one_and_replace")},
        **{m: ("write", _MONGO_WRITE) for m in ("insert_one", "update_one", "delete_one", "replace_one", "update_many", "delete_many")},
    },
    "redis-client": {
        **{m: ("query", _REDIS_READ) for m in ("get", "hget", "hgetall", "hmget", "smembers", "sismember", "exists", "ttl", "zscore", "lrange", "scard", "llen", "hlen")},
        **{
            m: ("write", _REDIS_WRITE)
            for m in (
                "set", "setex", "setnx", "hset", "hmset", "hdel", "hincrby", "incr", "incrby", "decr", "decrby", "sadd",
                "srem", "zadd", "zrem", "zincrby", "lpush", "rpush", "expire", "delete", "getdel", "unlink",
            )
        },
    },
    "dynamodb-table": {
        "get_item": ("query", _DYNAMO_READ),
        "put_item": ("write", _DYNAMO_WRITE),
        "delete_item": ("write", _DYNAMO_WRITE),
        "update_item": ("write", _DYNAMO_UPDATE),
    },
    "dynamodb-client": {
        "get_item": ("query", _DYNAMO_READ),
        "put_item": ("write", _DYNAMO_WRITE),
        "delete_item": ("write", _DYNAMO_WRITE),
        "update_item": ("write", _DYNAMO_UPDATE),
    },
    "elasticsearch": {
        "index": ("write", _ES_WRITE),
        "create": ("write", _ES_WRITE),
        "update": ("write", _ES_WRITE),
        "delete": ("write", _ES_WRITE),
        "get": ("query", _ES_READ),
    },
}
_METHODS = frozenset(m for table in _CALLS.values() for m in table)
_CLIENT_MODULES = ("redis", "aioredis", "pymongo", "motor", "boto3", "elasticsearch", "opensearchpy", "MongoClient")

_KIND_NAMES = {
    "mongo-collection": "MongoDB collection",
    "redis-client": "Redis client",
    "dynamodb-table": "DynamoDB table",
    "dynamodb-client": "DynamoDB client",
    "elasticsearch": "Elasticsearch client",
}


class StoreCallInLoop(TryTracker, Rule):
    """
    ## What it does
    Flags one request to a document store or cache per item of a loop: a
    MongoDB `find_one`/`insert_one`/`update_one`/`delete_one`/`replace_one`
    (pymongo or motor), a Redis `get`/`set`/`hget`/`hset`/`incr`/`sadd`...,
    a DynamoDB `get_item`/`put_item`/`delete_item`/`update_item` (on a `Table` resource or
    a client), an Elasticsearch `index`/`create`/`update`/`delete`/`get`,
    when the call's arguments change with the loop variable. The receiver
    must be provably such a client: bound in the file to its constructor
    (`redis.Redis(...)`, `MongoClient(...)["db"].coll`,
    `boto3.resource("dynamodb").Table(...)`, `Elasticsearch(...)`), or
    annotated with its type, or stored in `self` by the class.

    ## Why is this slow?
    Each call is a network round trip, and the server does almost nothing
    per key: the latency is the whole cost. The batched forms (`mget`, a
    pipeline, `$in`, `insert_many`/`bulk_write`, `batch_get_item`,
    `batch_writer`, `helpers.bulk`) pay it once per batch. The benchmark
    simulates a 100 µs round trip (a fast LAN; a managed cloud service is
    usually 0.5-2 ms): 200 keys one by one took about 23 ms against 0.2 ms
    batched, roughly 100x.

    ## Example
    ```python
    for pid in ids:
        raw = r.get(f"product:{pid}")
    ```

    ## Use instead
    ```python
    raws = r.mget([f"product:{pid}" for pid in ids])
    ```

    ## Fix safety
    No automatic fix: a batch changes error handling (one failed write in
    `bulk_write(ordered=False)` or a pipeline does not stop the rest) and
    the code around the call has to change to use the batched results.

    ## Known false positives
    Silent for a pipeline or a `batch_writer` (they buffer), for `while`
    loops (paging, retries; a drain or an index walk of a collection fixed
    before the loop counts as a loop over items), loops over a literal collection or constant
    `range`, calls whose arguments do not change per iteration, writes
    inside a `try` with handlers in the loop (per-item error handling), in
    tests and migrations, and for receivers that are not provably a client
    (a dict's `get`, a `requests.Session`). It fires when each call must see
    the previous one's effect in the same loop (a counter read back at
    once), which a pipeline still allows but `mget` does not.

    Judged on real code (2026-12-07, sdists from PyPI, every finding read):
    wagtail 6.3.1, django-cms 4.1.4, django-allauth 65.3.0, django-import-export 4.3.3, ckan 2.11.1, apache-superset 4.1.1, Flask-Admin 1.6.1, rq 2.1.0, huey 2.5.2, dramatiq 1.17.1, django-redis 5.4.0 and mongoengine 0.29.1: no findings. These are libraries whose clients arrive as
    unannotated parameters, which the rule does not guess at; the level-2
    cases of the development set (services: Lambda handlers, Flask views,
    ETL jobs) gave 12 findings, all true, and none on their 11 look-alikes
    (pipelines, `batch_writer`, `mget`, `insert_many`/`bulk_write`,
    `helpers.bulk`). Judged precision on real code is therefore not yet
    measured (n = 0); nothing fires on the Python 3.11 standard library.

    Round 2 of the hold-out set (2026-12-07): names captured by a `match`
    statement's patterns change per item, and a `break` before the call (a
    guard that ends the walk) no longer makes the loop a search; a `break`
    or `return` after it still does. No new finding on the 16 packages
    listed for PF202 nor on the standard library.

    Round 6 of the hold-out set (2026-12-07): DynamoDB `update_item` per item (batched 25 per
    request by `batch_execute_statement`). Left on purpose: a `put_item` in a `try` that records
    each failed message (an SQS `batchItemFailures` handler) stays silent, as any per-item
    error handling does.

    Checked on real code (2026-12-07): PF201-PF210 findings identical before and after; the
    packages are listed on PF201's page (round 6).
    """

    code = "PF207"
    name = "store-call-in-loop"
    level = Level.DATABASE
    message = "one request to the store per item; batch the requests"
    weight = 3.5
    triggers = tuple(f".{m}(" for m in sorted(_METHODS))
    loop_only = True
    needs = tuple(f"{m}()" for m in sorted(_METHODS))
    benchmark = Benchmark(
        setup=(
            "import time\n"
            "class Store:\n"
            "    def __init__(self):\n"
            "        self.data = {f'k{i}': i for i in range(200)}\n"
            "    def get(self, key):\n"
            "        time.sleep(0.0001)\n"
            "        return self.data.get(key)\n"
            "    def mget(self, keys):\n"
            "        time.sleep(0.0001)\n"
            "        return [self.data.get(k) for k in keys]\n"
            "r = Store()\n"
            "keys = [f'k{i}' for i in range(200)]\n"
        ),
        slow="values = [r.get(k) for k in keys]\n",
        fast="values = r.mget(keys)\n",
        size="200 keys, a simulated 100 µs round trip per request",
    )

    valid = [
        # A pipeline buffers the commands: one round trip at execute().
        Valid("""
            import redis

            cache = redis.Redis()

            def warm(items):
                pipe = cache.pipeline()
                for item in items:
                    pipe.set(item.key, item.value)
                pipe.execute()
            """),
        Valid("""
            import redis

            cache = redis.Redis()

            def warm(items):
                with cache.pipeline(transaction=False) as pipe:
                    for item in items:
                        pipe.set(item.key, item.value)
                    pipe.execute()
            """),
        # The same shape in a module that imports no MongoDB driver: an unknown store's API.
        Valid("""
            import tornado.web

            class Basket(tornado.web.RequestHandler):
                async def get(self, basket):
                    for line in basket["lines"]:
                        await self.settings["store"].products.find_one({"_id": line["sku"]})
            """),
        # One mget for every key.
        Valid("""
            import redis

            cache = redis.Redis()

            def lookup(ids):
                return cache.mget([f"user:{i}" for i in ids])
            """),
        # The batch writer buffers put_item calls into BatchWriteItem requests.
        Valid("""
            import boto3

            table = boto3.resource("dynamodb").Table("events")

            def store(events):
                with table.batch_writer() as batch:
                    for event in events:
                        batch.put_item(Item=event)
            """),
        # One batched request per chunk of keys.
        Valid("""
            import boto3

            client = boto3.client("dynamodb")

            def load(keys):
                for start in range(0, len(keys), 100):
                    client.batch_get_item(RequestItems={"t": {"Keys": keys[start:start + 100]}})
            """),
        # insert_many and bulk_write: one request.
        Valid("""
            from pymongo import MongoClient, UpdateOne

            db = MongoClient()["shop"]

            def record(logins):
                db.logins.insert_many([{"user": l["user"]} for l in logins])
                db.users.bulk_write([UpdateOne({"_id": l["user"]}, {"$set": {"seen": 1}}) for l in logins])
                return list(db.users.find({"_id": {"$in": [l["user"] for l in logins]}}))
            """),
        # A dict's get is not a request, and an unknown `client` proves nothing.
        Valid("""
            def lookup(client, cache, ids):
                out = []
                for i in ids:
                    out.append(cache.get(i))
                    out.append(client.get(i))
                return out
            """),
        # A retry loop around one request.
        Valid("""
            import redis

            r = redis.Redis()

            def acquire(key):
                while not r.set(key, 1, nx=True, ex=10):
                    pass
            """),
        # A loop over a small literal: three fixed keys.
        Valid("""
            import redis

            r = redis.Redis()

            def reset():
                for key in ("hits", "misses", "errors"):
                    r.set(key, 0)
            """),
        # Per-item error handling around a write: a batch would report failures differently.
        Valid("""
            from pymongo import MongoClient
            from pymongo.errors import DuplicateKeyError

            users = MongoClient().app.users

            def register(docs):
                for doc in docs:
                    try:
                        users.insert_one(doc)
                    except DuplicateKeyError:
                        pass
            """),
        # The same key each time: loop-invariant, not per item.
        Valid("""
            import redis

            r = redis.Redis()

            def render(rows):
                for row in rows:
                    banner = r.get("banner")
                    print(banner, row)
            """),
    ]
    invalid = [
        Invalid("""
            import redis

            r = redis.Redis(host="cache")

            def cached(ids):
                out = []
                for pid in ids:
                    out.append(r.get(f"product:{pid}"))
                return out
            """),
        Invalid("""
            from pymongo import MongoClient

            client = MongoClient("mongodb://db")
            db = client["crm"]

            def enrich(events):
                return [db.profiles.find_one({"_id": ev["user"]}) for ev in events]
            """),
        Invalid("""
            from motor.motor_asyncio import AsyncIOMotorClient

            notes = AsyncIOMotorClient().app.notifications

            async def queue(user_ids, text):
                for uid in user_ids:
                    await notes.insert_one({"user": uid, "text": text})
            """),
        Invalid("""
            import boto3

            TABLE = boto3.resource("dynamodb").Table("orders")

            def handler(event, context):
                for record in event["Records"]:
                    TABLE.put_item(Item={"pk": record["id"]})
            """),
        Invalid("""
            import boto3

            class Store:
                def __init__(self):
                    self.ddb = boto3.client("dynamodb")

                def load(self, ids):
                    return [self.ddb.get_item(TableName="t", Key={"id": {"S": i}}) for i in ids]
            """),
        Invalid("""
            from elasticsearch import Elasticsearch

            es = Elasticsearch("http://search:9200")

            def index_all(articles):
                for art in articles:
                    es.index(index="articles", id=art["id"], document=art)
            """),
        # A collection of unknown origin reached from a database (a handler property over the
        # framework's settings), in a module that imports motor: the collection API's own names.
        Invalid("""
            import motor.motor_tornado
            import tornado.web

            class Basket(tornado.web.RequestHandler):
                @property
                def db(self):
                    return self.settings["db"]

                async def get(self, basket):
                    for line in basket["lines"]:
                        await self.db.products.find_one({"_id": line["sku"]})
            """),
        Invalid("""
            from redis import Redis

            def bump(r: Redis, names):
                for name in names:
                    r.incr(f"hits:{name}")
            """),
        # One UpdateItem per key: PartiQL batches take 25 updates per request.
        Invalid("""
            import boto3

            ddb = boto3.client("dynamodb")

            def reprice(items, price):
                for item in items:
                    ddb.update_item(
                        TableName="orders",
                        Key={"order_id": item["order_id"]},
                        UpdateExpression="SET price = :p",
                        ExpressionAttributeValues={":p": {"N": price}},
                    )
            """),
    ]

    @classmethod
    def may_match_file(cls, path: str, facts: ModuleFacts, config: object = None) -> bool:
        return any(facts.mentions(word) for word in _CLIENT_MODULES)

    def visit_Module(self, node: cst.Module) -> None:
        self._parents = ParentIndex(node)
        self._loops: dict = {}
        self._skip = is_test_module(self.context.path) or in_migrations(self.context)

    def visit_Call(self, node: cst.Call) -> None:
        call = method_call(node)
        if call is None or call[1] not in _METHODS or self._skip or not self.context.loops:
            return
        receiver, method = call
        kind = receiver_kind(self.context, receiver)
        if kind == "unknown" and method in _CALLS["mongo-collection"] and _mongo_collection_shape(self.context, receiver):
            kind = "mongo-collection"
        what = _CALLS.get(kind, {}).get(method)
        if what is None:
            return
        effect, batched = what
        if effect == "write" and self.in_try_inside_loop():
            return
        if self._parents.off_the_item_path(node):
            return
        arguments = [arg.value for arg in node.args]
        loop = per_item_loop(self.context, arguments, self._loops)
        if loop is None or stops_early(loop, node):
            return
        name = dotted_name(receiver) or _KIND_NAMES[kind]
        verb = "reads" if effect == "query" else "writes"
        self.report(
            node,
            f"`{name}.{method}()` {verb} one item per iteration, a round trip to the "
            f"{_KIND_NAMES[kind]} each; {batched}",
        )


def _mongo_collection_shape(context, receiver: cst.BaseExpression) -> bool:
    """A collection of unknown origin reached from a database, ``<db>.orders`` or
    ``<db>["orders"]`` (``self.db.orders`` with ``db`` a property over a framework's settings,
    a database imported from another module), in a module that imports pymongo or motor:
    ``find_one``/``insert_one``/``update_one``... are the collection API's own names there."""
    if not (context.module_uses("pymongo") or context.module_uses("motor")):
        return False
    if isinstance(receiver, cst.Subscript):
        return len(receiver.slice) == 1 and isinstance(getattr(receiver.slice[0], "slice", None), cst.Index) and isinstance(
            receiver.slice[0].slice.value, cst.SimpleString
        )
    return isinstance(receiver, cst.Attribute) and isinstance(receiver.value, (cst.Attribute, cst.Name, cst.Subscript))
