"""PF124 scan-per-item-call."""

from __future__ import annotations

import ast
from typing import Optional

import libcst as cst
from perflint.analysis import ScopeAware, body_statements, code_of, iter_nodes, names_read, names_used
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

from ._scans import filter_parts
from ._sequences import SkipsTests, attribute_list

# Calls that consume a generator of matches: a search for one item (or a count) per call.
_SCANS = frozenset({"builtins.next", "builtins.any", "builtins.all", "builtins.sum"})


class ScanPerItemCall(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags linear work on state that outlives the call, in a function that
    runs once per item of some data, one call away from the loop that makes
    it quadratic:
    - `x in names`, a parameter annotated as a list (and `x in self.known`
      where `self.known` holds a list, in a `__contains__` or a DRF getter),
    - `next((c for c in self.coaches if c.pk == obj.coach_id), None)` (also
      `any`/`all`/`sum` of such a generator) over `self.x` or a list
      parameter, keyed on an argument of the call (by `==`, or by identity
      with `is`),
    - `self.text += part` on a `str` or `bytes` attribute (CPython copies it
      every time),

    in a function that the module calls inside a `for` loop or a
    comprehension (`self.add(row)` in a method of the class, `repo.find(x)`
    on a parameter `repo: Repo`, `helper(x)`; see `perflint.repetition`), a
    Django REST Framework `SerializerMethodField` getter (run once per
    serialized object), a GraphQL resolver of a type other than the root
    ones (a `@strawberry.field` method of a `@strawberry.type` class, a graphene
    `resolve_<field>` method; run once per parent object) scanning a list it
    reads from `info.context`, a Scrapy item pipeline's `process_item(self, item,
    spider)` testing a list the class grows (a dedupe list as long as the
    crawl), or a `__contains__` over a list the class grows.
    Also, in such a function: `next(filter(lambda s: s.id == key, self.staff), None)`,
    the `next(...)` search written as a loop
    (`for inv in self.invoices: if inv.number == txn.ref: return inv`, also
    over `enumerate(self.x)` returning the position), a
    scan of a list parameter keyed on `self.x` in a method called per object
    (`sum(t.amount for t in txns if t.customer_id == self.id)`), and
    `self.names.index(key)` (or `count`) in a `__getitem__`/`__contains__`
    over a list a method of the class appends to.
    The same shapes directly in a loop are PF101, PF114 and PF102.

    ## Why is this slow?
    Each call costs O(m) for the list it scans (or the string it copies),
    and the loop around the call makes `n` calls: O(n·m) for work that a
    set, a dict built once (in `__init__`, or before the loop) or a list of
    parts joined at the end does in O(n + m). The rule's benchmark
    (`perflint bench PF124`, CPython 3.11.7 on this project's shared 2-core
    machine, 2026-12-07): 2,000 calls of a method that looks the coach of an
    object up in a 2,000-item list with `next(...)` took 124 ms, with a dict
    built once 0.22 ms (566x faster; single runs vary by up to 2x on this
    machine).

    ## Example
    ```python
    class MembershipSerializer(serializers.ModelSerializer):
        coach = serializers.SerializerMethodField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.coaches = list(User.objects.filter(is_staff=True))

        def get_coach(self, obj):
            return next((c.name for c in self.coaches if c.pk == obj.coach_id), "")
    ```

    ## Use instead
    ```python
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.coach_names = {c.pk: c.name for c in User.objects.filter(is_staff=True)}

        def get_coach(self, obj):
            return self.coach_names.get(obj.coach_id, "")
    ```

    ## Fix safety
    No fix: the index has to be built where the state is made (`__init__`,
    or before the caller's loop), which may be far from the scan.

    ## Known false positives
    A short list, or a loop that makes a few calls, keeps the total small.
    Not flagged: a function that is not known to run per item (called
    once, or only from a `while` loop, a retry; a web route runs per
    request, which makes one scan per request), a scan inside a loop of the
    function itself (the loop rules report it), lists written out in the
    source, names whose kind is unknown, a string attribute the function
    resets first, test modules. `x in self.items` in a method that the module
    calls in a loop is not reported either: a first version found 8 such
    tests on the Python 3.11 standard library tree and 8 PyPI projects, of
    which 1 was worth acting on (turtle's `clearstamp`, O(n²) to clear n
    stamps); the others scan lists small by domain (turtle's bound keys,
    the sequences of one mailbox message, strawberry's generated types, a
    debug-only list in modulefinder).
    Precision (2026-12-07): with that limit, 0 findings on the Python 3.11
    standard library tree (with its site-packages: werkzeug, networkx,
    moto...), dramatiq 1.17.0, petl 1.7.15, rq 1.16.2, tablib 3.7.0,
    networkx 3.4.2, pyjanitor 0.31.0, fastapi-users 13.0.0 and
    strawberry-graphql 0.243.1; the shapes are found by the hold-out cases
    (`benchmarks/holdout/`). Too few findings to measure precision on real
    code. The Scrapy `process_item` and GraphQL resolver forms (2026-12-07):
    0 findings on scrapy-redis 0.9.1, spidermon 1.27.0, scrapy-poet 0.27.2,
    graphene-django 3.2.3 and strawberry-graphql 0.243.1 (libraries, whose
    pipelines and resolvers hold no shared lists); found by the round-6
    hold-out cases. The round-7 forms (the loop search, a parameter keyed on
    `self.x`, `next(filter(...))`, `__getitem__` searches), 2026-12-08: first
    versions found email's `Message.get` (two calls from a loop over one
    header's parameters) and tablib's `Dataset.__getitem__` (a header lookup
    followed by a column copy), both not worth acting on; with the limits
    above (a direct call in a loop; a list the class appends to and no other
    walk in the call) 0 findings on the Python 3.11 standard library tree and
    twelve PyPI projects (networkx, seaborn, pvlib, mlxtend, dramatiq, petl,
    rq, tablib, FlaskBB, great_tables, djangorestframework,
    django-import-export).
    """

    code = "PF124"
    name = "scan-per-item-call"
    level = Level.ALGORITHM
    message = "linear work on state kept across calls, in a function that runs once per item (O(n·m) over the calls)"
    weight = 3.0
    triggers = ("self", "in", "==", "+=")
    needs = ("@in-attr", "@in-list-param", "@attr+=", "@eq-scan", "@return-scan", "@self-search")
    benchmark = Benchmark(
        setup=(
            "from types import SimpleNamespace as R\n"
            "class Names:\n"
            "    def __init__(self, coaches):\n"
            "        self.coaches = list(coaches)\n"
            "        self.by_id = {c.pk: c for c in self.coaches}\n"
            "    def slow(self, obj):\n"
            "        return next((c for c in self.coaches if c.pk == obj.coach_id), None)\n"
            "    def fast(self, obj):\n"
            "        return self.by_id.get(obj.coach_id)\n"
            "names = Names(R(pk=i) for i in range(2000))\n"
            "objs = [R(coach_id=(i * 7) % 2000) for i in range(2000)]"
        ),
        slow="found = [names.slow(o) for o in objs]",
        fast="found = [names.fast(o) for o in objs]",
        size="2,000 calls, each looking up one of 2,000 items",
    )

    valid = [
        # A loop that does more than search, a `__getitem__` over a dict, and a loop not called per item.
        Valid(
            """
            class Reconciler:
                def __init__(self, invoices: list):
                    self.invoices = invoices
                    self.positions = {inv.number: i for i, inv in enumerate(invoices)}

                def _total_for(self, txn):
                    total = 0
                    for inv in self.invoices:
                        total += inv.amount
                    return total

                def __getitem__(self, number):
                    return self.positions[number]

                def find(self, txn):
                    for inv in self.invoices:
                        if inv.number == txn.ref:
                            return inv

                def match(self, txns):
                    return [self._total_for(t) for t in txns]
            """
        ),
        # A walk over `enumerate` that tests a constant, not the call's argument.
        Valid(
            """
            class Library:
                def __init__(self):
                    self._blocks = []

                def add(self, block):
                    self._blocks.append(block)

                def _first_gap(self, block):
                    for i, b in enumerate(self._blocks):
                        if b is None:
                            return i

                def fill(self, blocks):
                    return [self._first_gap(b) for b in blocks]
            """
        ),
        # A dict built once, and a set.
        Valid(
            """
            class Names:
                def __init__(self, coaches):
                    self.by_id = {c.pk: c for c in coaches}
                    self.known = set()

                def name(self, obj):
                    return self.by_id.get(obj.coach_id)

                def seen(self, x):
                    return x in self.known

                def run(self, objs):
                    return [(self.name(o), self.seen(o)) for o in objs]
            """
        ),
        # Not called in a loop: one scan.
        Valid(
            """
            class Names:
                def __init__(self, coaches):
                    self.coaches = list(coaches)

                def name(self, obj):
                    return next((c for c in self.coaches if c.pk == obj.coach_id), None)

                def first(self, obj):
                    return self.name(obj)
            """
        ),
        # Called only from a `while` loop, and a string reset by the call itself.
        Valid(
            """
            class Conn:
                def __init__(self):
                    self.buf = ""
                    self.names = []

                def feed(self, part):
                    self.buf = ""
                    self.buf += part
                    return part in self.names

                def pump(self, sock, parts):
                    while sock.ok:
                        self.feed(sock.recv())
                    for p in parts:
                        self.feed(p)
            """
        ),
        # A short written-out list.
        Valid(
            """
            def kind(x):
                allowed = ["a", "b", "c"]
                return x in allowed

            def kinds(xs):
                return [kind(x) for x in xs]
            """
        ),
        # A root resolver runs once per request; a resolver reading a dict by key is no scan.
        Valid(
            """
            import strawberry

            @strawberry.type
            class Query:
                @strawberry.field
                def author(self, info, author_id: int) -> str:
                    users = info.context["users"]
                    return next((u.name for u in users if u.id == author_id), "")

            @strawberry.type
            class Post:
                author_id: strawberry.Private[int]

                @strawberry.field
                def author(self, info) -> str:
                    return info.context["users_by_id"][self.author_id].name
            """
        ),
        # A Scrapy pipeline testing a fixed list from its settings: small by domain.
        Valid(
            """
            class TypeFilterPipeline:
                def open_spider(self, spider):
                    self.allowed = list(spider.settings.getlist("ALLOWED_TYPES"))

                def process_item(self, item, spider):
                    if item["type"] not in self.allowed:
                        raise DropItem(item["type"])
                    return item
            """
        ),
    ]
    invalid = [
        # The search written as a loop, in a method called per transaction.
        Invalid(
            """
            class Reconciler:
                def __init__(self, invoices: list):
                    self.invoices = invoices

                def _invoice_for(self, txn):
                    for inv in self.invoices:
                        if inv.number == txn.ref:
                            return inv
                    return None

                def match(self, txns):
                    return [self._invoice_for(t) for t in txns]
            """
        ),
        # A dataclass method scanning the list it is handed for its own key, once per object.
        Invalid(
            """
            from dataclasses import dataclass

            @dataclass
            class Customer:
                id: int

                def received(self, txns: list):
                    return sum(t.amount for t in txns if t.customer_id == self.id)

            def balances(customers: list[Customer], txns: list):
                return {c.id: c.received(txns) for c in customers}
            """
        ),
        # The position searched by identity over `enumerate`, once per block removed.
        Invalid(
            """
            class Library:
                def __init__(self):
                    self._blocks = []

                def add(self, block):
                    self._blocks.append(block)

                def _position(self, block):
                    for i, b in enumerate(self._blocks):
                        if b is block:
                            return i
                    raise ValueError(block)

                def remove(self, blocks):
                    positions = [self._position(b) for b in blocks]
                    return positions
            """
        ),
        # The lookup spelled with `filter`, in a method called per id.
        Invalid(
            """
            class Store:
                def __init__(self, staff: list):
                    self.staff = staff

                def member(self, staff_id):
                    return next(filter(lambda s: s.id == staff_id, self.staff), None)

                def run(self, ids):
                    return [self.member(i) for i in ids]
            """
        ),
        # A `__getitem__` searching the list the class grows.
        Invalid(
            """
            class OrderedTags:
                def __init__(self):
                    self._names: list[str] = []

                def add(self, name):
                    self._names.append(name)

                def __getitem__(self, name):
                    return self._names.index(name)
            """
        ),
        # A DRF getter: one scan per serialized object.
        Invalid(
            """
            from rest_framework import serializers

            class MembershipSerializer(serializers.ModelSerializer):
                coach = serializers.SerializerMethodField()

                def __init__(self, *args, **kwargs):
                    super().__init__(*args, **kwargs)
                    self.coaches = list(User.objects.filter(is_staff=True))

                def get_coach(self, obj):
                    return next((c.name for c in self.coaches if c.pk == obj.coach_id), "")
            """
        ),
        # A helper called per item, searching a list parameter.
        Invalid(
            """
            def is_blocked(email, blocked: list[str]) -> bool:
                return email in blocked

            def visible(users, blocked: list[str]):
                return [u for u in users if not is_blocked(u.email, blocked)]
            """
        ),
        # A builder whose method grows a string attribute, called per row.
        Invalid(
            """
            class Report:
                def __init__(self):
                    self.text = ""

                def add(self, row):
                    self.text += f"{row.name}: {row.total}\\n"

                def render(self, rows):
                    for row in rows:
                        self.add(row)
                    return self.text
            """
        ),
        # A GraphQL resolver of a non-root type runs once per parent object: a scan of the
        # context's shared list per parent (strawberry; graphene's `resolve_<field>` likewise).
        Invalid(
            """
            import strawberry

            @strawberry.type
            class Post:
                author_id: strawberry.Private[int]

                @strawberry.field
                def author(self, info) -> str:
                    users = info.context["users"]
                    return next((u.name for u in users if u.id == self.author_id), "")
            """
        ),
        Invalid(
            """
            import graphene

            class PostType(graphene.ObjectType):
                def resolve_author(parent, info):
                    users = info.context.get("users")
                    return next((u.name for u in users if u.id == parent.author_id), "")
            """
        ),
        # A Scrapy pipeline's `process_item` (run per scraped item) over a list it grows.
        Invalid(
            """
            class DuplicatesPipeline:
                def open_spider(self, spider):
                    self.seen = []

                def process_item(self, item, spider):
                    if item["url"] in self.seen:
                        raise DropItem(item["url"])
                    self.seen.append(item["url"])
                    return item
            """
        ),
        # A `__contains__` over a list the class grows.
        Invalid(
            """
            class Registry:
                def __init__(self):
                    self._known: list[str] = []

                def register(self, sku: str) -> None:
                    self._known.append(sku)

                def __contains__(self, sku: str) -> bool:
                    return sku in self._known
            """
        ),
    ]

    @classmethod
    def may_match_piece(cls, nodes: tuple, facts, path: str) -> bool:
        """Only a piece with a def that runs per item (or a ``__contains__``) can match."""
        names = {
            node.name
            for top in nodes
            for node in ast.walk(top)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        if "__contains__" in names or "__getitem__" in names or "process_item" in names:
            return True
        if any(name.startswith("resolve_") for name in names) or (facts.mentions is None or facts.mentions("strawberry")):
            if any(q.partition(".")[0] in _GRAPHQL for q in facts.imports.values()):
                return True
        from perflint.repetition import HANDLER, LOOP

        return any(
            key[1] in names and (repeat.kind == LOOP or (repeat.kind == HANDLER and key[1].startswith("get_")))
            for key, repeat in facts.repetition(path).items()
        )

    # --- where ----------------------------------------------------------------

    def _per_item(self) -> Optional[str]:
        """Why the current function runs once per item, or None (memoised per def)."""
        function = self.context.function
        if function is None or self.context.scope is not function or self.context.in_loop:
            return None
        memo = self.__dict__.setdefault("_reasons", {})
        key = id(function.node)
        if key in memo and memo[key][0] is function.node:
            return memo[key][1]
        why = self._why(function.node)
        memo[key] = (function.node, why)
        return why

    def _why(self, node: cst.CSTNode) -> Optional[str]:
        from perflint.repetition import HANDLER, LOOP

        if not isinstance(node, cst.FunctionDef):
            return None
        if node.name.value == "__contains__" and self._is_method():
            return "`__contains__`: every `in` test on the object"
        if node.name.value == "__getitem__" and self._is_method():
            return _GETITEM
        if node.name.value == "process_item" and self._is_method() and _scrapy_signature(node):
            return _SCRAPY
        resolver = self._resolver_of(node)
        if resolver is not None:
            return resolver
        repeat = self.context.repeat_of()
        if repeat is None:
            return None
        if repeat.kind == LOOP:
            return repeat.why
        if repeat.kind == HANDLER and node.name.value.startswith("get_") and self._serializer_method():
            return repeat.why
        return None

    @staticmethod
    def _object_per_item(why: str) -> bool:
        """The reason is the object's own protocol or framework role (``__contains__``, a DRF
        getter), not a call in a loop of the module."""
        return why.startswith("`__contains__`") or why == _GETITEM or "SerializerMethodField" in why or why == _SCRAPY or _GRAPHQL_WHY in why

    def _resolver_of(self, node: cst.FunctionDef) -> Optional[str]:
        """A GraphQL resolver of an object type other than the root ones: a ``@strawberry.field``
        method of a ``@strawberry.type`` class, or a graphene ``resolve_<field>`` method of an
        ``ObjectType``. It runs once per parent object of a list the query returns."""
        scopes = self.context.scopes
        if len(scopes) < 2 or scopes[-2].kind != "class" or not isinstance(scopes[-2].node, cst.ClassDef):
            return None
        cls = scopes[-2].node
        if cls.name.value.endswith(_ROOT_TYPES):
            return None  # ``Query``, ``UserQuery``, ``Mutations``: the root runs once per request
        names = lambda decorators: {self.context.qualified_name(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator) for d in decorators}  # noqa: E731
        if "strawberry.type" in names(cls.decorators) and "strawberry.field" in names(node.decorators):
            return f"{_GRAPHQL_WHY} `{cls.name.value}`, run once per parent object"
        if node.name.value.startswith("resolve_") and any(
            (self.context.qualified_name(base.value) or "").startswith("graphene.") and code_of(base.value).endswith("ObjectType")
            for base in cls.bases
        ):
            return f"{_GRAPHQL_WHY} `{cls.name.value}`, run once per parent object"
        return None

    def _context_list(self, node: cst.BaseExpression) -> Optional[str]:
        """In a GraphQL resolver, a local bound once from ``info.context`` (``info.context["users"]``,
        ``.get(...)``, an attribute): data shared by every call of the resolver."""
        if not isinstance(node, cst.Name):
            return None
        index = self.scope_index()
        bindings = index.bindings.get(node.value, []) if index is not None else []
        if len(bindings) != 1 or bindings[0].kind not in ("assign", "annassign") or bindings[0].value is None:
            return None
        value = bindings[0].value
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "get":
            value = value.func.value
        elif isinstance(value, (cst.Subscript, cst.Attribute)):
            value = value.value
        else:
            return None
        if code_of(value) != "info.context":
            return None
        return f"`{node.value}` comes from `info.context`, shared by every call"

    def _grown_by_class(self, node: cst.BaseExpression) -> bool:
        """``self.x`` that a method of the enclosing class grows (``self.x.append(...)``,
        ``extend``, ``insert``, ``self.x += ...``): a list as long as the items seen so far."""
        scopes = self.context.scopes
        if not _self_attribute(node) or len(scopes) < 2:
            return False
        attribute = node.attr.value  # type: ignore[attr-defined]
        for sub in iter_nodes(scopes[-2].node):
            if (
                isinstance(sub, cst.Call)
                and isinstance(sub.func, cst.Attribute)
                and sub.func.attr.value in ("append", "extend", "insert")
                and _self_attribute(sub.func.value)
                and sub.func.value.attr.value == attribute  # type: ignore[attr-defined]
            ):
                return True
            if isinstance(sub, cst.AugAssign) and _self_attribute(sub.target) and sub.target.attr.value == attribute:  # type: ignore[attr-defined]
                return True
        return False

    def _appended_in_class(self, node: cst.BaseExpression) -> bool:
        """``self.x`` that a method of the enclosing class (read from the module's whole tree: the
        traversal may see one method of it) grows with ``append``/``extend``/``insert``: a list as
        long as the items added so far. A list filled once from the caller (tablib's headers,
        searched once per column lookup that then copies a column) does not count."""
        scopes = self.context.scopes
        tree = self.context.facts.inference.tree
        if not _self_attribute(node) or len(scopes) < 2 or not isinstance(scopes[-2].node, cst.ClassDef) or tree is None:
            return False
        if attribute_list(self.context, node) is None:
            return False
        function = self.context.function
        if function is not None and any(
            isinstance(sub, (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp))
            for sub in iter_nodes(function.node)
        ):
            return False  # the call walks something anyway (tablib copies a column per header lookup)
        name, attribute = scopes[-2].node.name.value, node.attr.value  # type: ignore[attr-defined]
        for cls in ast.walk(tree):
            if not (isinstance(cls, ast.ClassDef) and cls.name == name):
                continue
            for sub in ast.walk(cls):
                if (
                    isinstance(sub, ast.Call)
                    and isinstance(sub.func, ast.Attribute)
                    and sub.func.attr in ("append", "extend", "insert")
                    and isinstance(sub.func.value, ast.Attribute)
                    and sub.func.value.attr == attribute
                    and isinstance(sub.func.value.value, ast.Name)
                    and sub.func.value.value.id == "self"
                ):
                    return True
        return False

    def _is_method(self) -> bool:
        scopes = self.context.scopes
        return len(scopes) >= 2 and scopes[-2].kind == "class"

    def _serializer_method(self) -> bool:
        scopes = self.context.scopes
        if len(scopes) < 2 or scopes[-2].kind != "class":
            return False
        cls = scopes[-2].node
        return isinstance(cls, cst.ClassDef) and any(
            code_of(base.value).endswith("Serializer") for base in cls.bases
        )

    def _params(self) -> dict[str, cst.Param]:
        function = self.context.function
        node = function.node if function is not None else None
        if not isinstance(node, cst.FunctionDef):
            return {}
        params = [*node.params.posonly_params, *node.params.params, *node.params.kwonly_params]
        return {param.name.value: param for param in params}

    def _held_list(self, node: cst.BaseExpression) -> Optional[str]:
        """The evidence that ``node`` (``self.x`` or a list-annotated parameter never rebound)
        holds a list that is not written out; None otherwise."""
        if isinstance(node, cst.Attribute):
            if not (isinstance(node.value, cst.Name) and node.value.value == "self" and self._is_method()):
                return None
        elif isinstance(node, cst.Name):
            param = self._params().get(node.value)
            if param is None or param.annotation is None:
                return None
            index = self.scope_index()
            bindings = index.bindings.get(node.value, []) if index is not None else []
            if len(bindings) != 1:
                return None
        else:
            return None
        inferred = self.context.kind_of(node)
        if inferred.kind != "list" or inferred.bounded:
            return None
        return inferred.evidence or "a list"

    # --- membership -----------------------------------------------------------

    def visit_Comparison(self, node: cst.Comparison) -> None:
        why = self._per_item()
        if why is None:
            return
        for target in node.comparisons:
            if not isinstance(target.operator, (cst.In, cst.NotIn)):
                continue
            evidence = self._held_list(target.comparator)
            if evidence is None:
                continue
            if why.startswith("`__contains__`") and not isinstance(target.comparator, cst.Attribute):
                continue
            if isinstance(target.comparator, cst.Attribute) and not self._object_per_item(why):
                # ``if key in self.keys: return`` in a method called in a loop: on real code (turtle's
                # key bindings, mailbox's sequences of one message) a list small by domain
                continue
            if why == _SCRAPY and not self._grown_by_class(target.comparator):
                continue  # a pipeline's fixed setting (``self.allowed_types``) is small by domain
            if why == _GETITEM and not self._appended_in_class(target.comparator):
                continue  # a pipeline's fixed setting (``self.allowed_types``) is small by domain
            left = code_of(node.left)
            left = left if len(left) <= 30 else "x"
            op = "not in" if isinstance(target.operator, cst.NotIn) else "in"
            self.report(
                node,
                f"`{left} {op} {code_of(target.comparator)}` scans a list on every call, and this function runs "
                f"once per item ({why}): O(n·m) over the calls; keep a set ({evidence})",
            )
            return

    # --- keyed scans ----------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("index", "count") and len(node.args) == 1:
            self._search(node, func)
            return
        if self.context.call_name(node) not in _SCANS or len(node.args) < 1:
            return
        parts = filter_parts(self.context, node)
        if parts is not None:
            self._filter_lookup(node, *parts)
            return
        generator = node.args[0].value
        if not isinstance(generator, cst.GeneratorExp):
            return
        why = self._per_item()
        if why is None or self.context.scope is not self.context.function:
            return
        comp = generator.for_in
        if comp.inner_for_in is not None or comp.asynchronous is not None:
            return
        evidence = self._held_list(comp.iter)
        graphql = _GRAPHQL_WHY in why
        if evidence is None and graphql:
            evidence = self._context_list(comp.iter)
        if evidence is None:
            return
        own = names_used(comp.target)
        params = set(self._params()) - ({"cls"} if graphql else {"self", "cls"})  # a resolver's ``self`` is the parent
        if isinstance(comp.iter, cst.Name) and self._is_method():
            params.add("self")  # ``txns`` handed in, keyed on ``self.id``: one object per call
        tests = [comp_if.test for comp_if in comp.ifs] or [generator.elt]
        self._report_keyed_scan(node, tests, own, params, comp.iter, why, evidence)

    def _filter_lookup(self, node: cst.Call, func: cst.Lambda, seq: cst.BaseExpression) -> None:
        """``next(filter(lambda s: s.id == staff_id, self.staff), None)``: the ``next(...)``
        search spelled with ``filter``."""
        why = self._per_item()
        if why is None or self.context.scope is not self.context.function or _GRAPHQL_WHY in why:
            return
        evidence = self._held_list(seq)
        if evidence is None:
            return
        own = {func.params.params[0].name.value}
        params = set(self._params()) - {"self", "cls"}
        self._report_keyed_scan(node, [func.body], own, params, seq, why, evidence)

    def _report_keyed_scan(self, node: cst.CSTNode, tests: list, own: set[str], params: set[str],
                           seq: cst.BaseExpression, why: str, evidence: str) -> None:
        """Report the first ``item.key == value`` among ``tests`` that compares the scan's own
        item (``own``) with a value read only from the function's ``params``: a keyed search."""
        for test in tests:
            for sub in _equalities(test):
                left, right = sub.left, sub.comparisons[0].comparator
                for mine, value in ((left, right), (right, left)):
                    if not (names_read(mine) & own) or names_read(value) & own:
                        continue
                    if not names_read(value) or not names_read(value) <= params:
                        continue
                    self.report(
                        node,
                        f"scans `{code_of(seq)}` for `{code_of(sub)}` on every call, and this function runs "
                        f"once per item ({why}): O(n·m) over the calls; index it by key in a dict once ({evidence})",
                    )
                    return

    def _search(self, node: cst.Call, func: cst.Attribute) -> None:
        """``self._names.index(name)`` in a ``__getitem__`` (or ``__contains__``) over a list the
        class grows: every subscript of the object searches the list."""
        why = self._per_item()
        if why not in (_GETITEM,) and not (why or "").startswith("`__contains__`"):
            return
        if self.context.scope is not self.context.function or not self._appended_in_class(func.value):
            return
        evidence = self._held_list(func.value)
        if evidence is None:
            return
        self.report(
            node,
            f"`{code_of(func.value)}.{func.attr.value}()` searches a list on every call, and this function runs "
            f"once per item ({why}): O(n·m) over the calls; keep a dict of positions ({evidence})",
        )

    def visit_For(self, node: cst.For) -> None:
        """``for inv in self.invoices: if inv.number == txn.ref: return inv``: the search of
        ``next(...)`` written as a loop, as the whole of the loop's body."""
        if node.orelse is not None or node.asynchronous is not None:
            return
        statements = body_statements(node)
        if len(statements) != 1 or not isinstance(statements[0], cst.If) or statements[0].orelse is not None:
            return
        branch = body_statements(statements[0])
        if not branch or not isinstance(branch[-1], cst.SimpleStatementLine) or not isinstance(branch[-1].body[-1], cst.Return):
            return
        why = self._per_item()
        if why is None or self.context.scope is not self.context.function or _GRAPHQL_WHY in why:
            return
        if why.startswith("called by"):
            # one call further from the loop: on the standard library, email's header lookup per
            # parameter of one header (a list small by domain); only a direct call in a loop counts
            return
        walked = _enumerated(node.iter)
        evidence = self._held_list(walked)
        if evidence is None:
            return
        own = names_used(node.target)
        params = set(self._params()) - {"self", "cls"}
        if isinstance(walked, cst.Name) and self._is_method():
            params.add("self")
        self._report_keyed_scan(node, [statements[0].test], own, params, walked, why, evidence)

    # --- string growth --------------------------------------------------------

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if not isinstance(node.operator, cst.AddAssign) or not _self_attribute(node.target):
            return
        self._check_growth(node, node.target)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or not _self_attribute(node.targets[0].target):
            return
        target = node.targets[0].target
        value = node.value
        if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add) and value.left.deep_equals(target):
            self._check_growth(node, target)

    def _check_growth(self, node: cst.CSTNode, target: cst.Attribute) -> None:
        why = self._per_item()
        if why is None or why.startswith("`__contains__`") or why == _GETITEM or not self._is_method():
            return
        inferred = self.context.kind_of(target)
        if inferred.kind not in ("str", "bytes"):
            return
        function = self.context.function
        if function is not None and _resets(function.node, target.attr.value, node):
            return
        self.report(
            node,
            f"`{code_of(target)}` is copied whole on every call, and this function runs once per item ({why}): "
            f"quadratic over the calls; append the parts to a list and join them once",
        )


_GETITEM = "`__getitem__`: every subscript of the object"
_SCRAPY = "Scrapy item pipeline `process_item`, run per scraped item"
_GRAPHQL_WHY = "GraphQL resolver of"
_GRAPHQL = ("strawberry", "graphene")
_ROOT_TYPES = ("Query", "Queries", "Mutation", "Mutations", "Subscription")


def _scrapy_signature(node: cst.FunctionDef) -> bool:
    """``def process_item(self, item, spider)``: Scrapy's item-pipeline hook."""
    params = node.params.params
    return len(params) == 3 and params[2].name.value == "spider"


def _self_attribute(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self"


def _resets(function: cst.CSTNode, attribute: str, growth: cst.CSTNode) -> bool:
    """The function assigns ``self.attribute`` somewhere else than ``growth``: a fresh value per call."""
    stack = [function]
    while stack:
        node = stack.pop()
        if node is growth:
            continue
        if isinstance(node, cst.AssignTarget) and _self_attribute(node.target) and node.target.attr.value == attribute:
            return True
        stack.extend(node.children)
    return False


def _enumerated(iterable: cst.BaseExpression) -> cst.BaseExpression:
    """The sequence ``enumerate(seq)`` walks (a search that returns the position), else
    ``iterable`` itself."""
    if (
        isinstance(iterable, cst.Call)
        and isinstance(iterable.func, cst.Name)
        and iterable.func.value == "enumerate"
        and len(iterable.args) == 1
        and not iterable.args[0].keyword
        and not iterable.args[0].star
    ):
        return iterable.args[0].value
    return iterable


def _equalities(test: cst.BaseExpression):
    """``a == b`` (or ``a is b``, a search by identity) comparisons in a test, alone or
    under ``and``."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        yield from _equalities(test.left)
        yield from _equalities(test.right)
    elif isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(test.comparisons[0].operator, (cst.Equal, cst.Is)):
        yield test
