"""PF210 relation-in-row-method."""

from __future__ import annotations

import ast
import re

import libcst as cst
from perflint.facts import ModuleFacts
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid
from perflint.rules.database._orm import in_migrations, orm_view
from perflint.rules.database.orm_lazy_relation_in_loop import _may_be_relation, value_attribute

# Related-manager calls that run a query even on a row already loaded.
_MANAGER_CALLS = frozenset({"all", "filter", "exclude", "count", "exists", "first", "last", "order_by", "values_list", "aggregate"})
_LOADERS = ("select_related", "prefetch_related", "Prefetch", "joinedload", "selectinload")

class _RowClass:
    """A class of the module whose methods the framework calls once per row."""

    def __init__(self, kind: str, methods: dict[str, str], loaded: set[str], module_loads: bool = True) -> None:
        self.kind = kind  # "admin" or "serializer"
        self.methods = methods  # method name -> the column it fills
        self.loaded = loaded  # relation names some query of the module loads with the rows
        # True: any query of the module may feed the rows; False: only the views that list them do.
        self.module_loads = module_loads


def _strings(node: ast.AST) -> set[str]:
    return {sub.value for sub in ast.walk(node) if isinstance(sub, ast.Constant) and isinstance(sub.value, str)}


def _base_text(node: ast.ClassDef) -> str:
    return " ".join(ast.unparse(base) for base in node.bases)


def _row_classes(facts: ModuleFacts) -> dict[str, _RowClass]:
    """Admin classes with methods in ``list_display`` and serializers with
    ``SerializerMethodField`` methods whose rows come from a query the module shows."""
    return facts.memo("row classes", _find_row_classes)


def _find_row_classes(facts: ModuleFacts) -> dict[str, _RowClass]:
    found: dict[str, _RowClass] = {}
    tree = facts.tree
    if tree is not None:
        classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
        # Relations loaded anywhere in the module: a view's queryset may load what its serializer reads.
        loaded: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func).rpartition(".")[2]
                if name in _LOADERS:
                    loaded |= {text.split("__")[0] for text in _strings(node)}
                    loaded |= {sub.attr for sub in ast.walk(node) if isinstance(sub, ast.Attribute)}
        for node in classes:
            body = {stmt.targets[0].id: stmt.value for stmt in node.body
                    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)}
            defined = {stmt.name for stmt in node.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
            bases = _base_text(node)
            if "ModelAdmin" in bases and "list_display" in body:
                from_queryset: set[str] = set()
                if "get_queryset" in defined:
                    method = next(
                        stmt for stmt in node.body
                        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "get_queryset"
                    )
                    read = _plain_get_queryset(method)
                    if read is None:
                        continue
                    from_queryset = read
                selected = body.get("list_select_related")
                if selected is not None and not (isinstance(selected, ast.Constant) and selected.value is False):
                    if isinstance(selected, ast.Constant) and selected.value is True:
                        continue
                    extra = {text.split("__")[0] for text in _strings(selected)}
                else:
                    extra = set()
                columns = _strings(body["list_display"])
                methods = {name: name for name in columns if name in defined}
                if methods:
                    # A relation shown as a column of its own makes the change list call
                    # select_related() (every non-null foreign key): count those as loaded.
                    found[node.name] = _RowClass("admin", methods, extra | from_queryset | (columns - defined))
            elif "Sitemap" in bases and "items" in defined:
                # django.contrib.sitemaps: ``location``/``lastmod``... are called once per item of
                # ``items()``; a plain ``items()`` query says what it loads.
                method = next(stmt for stmt in node.body if isinstance(stmt, ast.FunctionDef) and stmt.name == "items")
                read = _plain_get_queryset(method)
                methods = {name: name for name in _SITEMAP_METHODS & defined}
                queried = any(isinstance(sub, ast.Attribute) and sub.attr == "objects" for sub in ast.walk(method))
                if read is not None and methods and queried:
                    found[node.name] = _RowClass("sitemap", methods, read, module_loads=False)
            elif _strawberry_type(node) and _listed_strawberry_type(tree, node.name):
                # strawberry: a ``@strawberry.field`` method of a type some field returns as a
                # ``list[...]`` is resolved once per node of the list.
                methods = {
                    stmt.name: stmt.name for stmt in node.body
                    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                        ast.unparse(d.func if isinstance(d, ast.Call) else d).endswith("strawberry.field") for d in stmt.decorator_list
                    )
                }
                if methods:
                    found[node.name] = _RowClass("node", methods, set(), module_loads=False)
            elif "DjangoObjectType" in bases:
                # graphene-django: ``resolve_<field>(parent, info)`` runs once per parent object,
                # for every item when the type is served in a list.
                methods = {name: name[len("resolve_"):] for name in defined if name.startswith("resolve_")}
                if methods and _listed_type(tree, node.name):
                    found[node.name] = _RowClass("resolver", methods, set())
            elif "Serializer" in bases:
                methods = {}
                for field, value in body.items():
                    if isinstance(value, ast.Call) and ast.unparse(value.func).rpartition(".")[2] == "SerializerMethodField":
                        named = next((k.value.value for k in value.keywords if k.arg == "method_name" and isinstance(k.value, ast.Constant)), None)
                        method = named or f"get_{field}"
                        if method in defined:
                            methods[method] = field
                if "to_representation" in defined:
                    methods["to_representation"] = "to_representation"  # called with each row as well
                if methods and _listed_by_a_view(classes, node.name):
                    own = _loaded_by_its_views(classes, node.name)
                    found[node.name] = _RowClass("serializer", methods, set(), own is None)
                    if own is not None:
                        found[node.name].loaded = own
        for row_class in found.values():
            if row_class.module_loads:
                row_class.loaded |= loaded
    return found


def _strawberry_type(node: ast.ClassDef) -> bool:
    return any(ast.unparse(d.func if isinstance(d, ast.Call) else d) == "strawberry.type" for d in node.decorator_list)


def _listed_strawberry_type(tree: ast.AST, name: str) -> bool:
    """Some function or field of the module is annotated ``list[Name]`` (``List``, ``Sequence``)."""
    pattern = re.compile(rf"(?:list|List|Sequence)\[['\"]?{re.escape(name)}['\"]?\]")
    for node in ast.walk(tree):
        annotation = node.returns if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else (
            node.annotation if isinstance(node, ast.AnnAssign) else None
        )
        if annotation is not None and pattern.fullmatch(ast.unparse(annotation)):
            return True
    return False


_SITEMAP_METHODS = frozenset({"location", "lastmod", "priority", "changefreq"})
_EMPTY = cst.Module(body=[])
_LIST_FIELDS = frozenset({"List", "DjangoListField", "DjangoConnectionField", "DjangoFilterConnectionField"})


def _registered_admins(facts: ModuleFacts) -> dict[str, str]:
    """Admin classes of the module registered for a model: ``admin.site.register(Model,
    TheAdmin)`` or ``@admin.register(Model)``, by class name, with the model's source text.
    An admin that overrides ``get_queryset`` builds its own rows (they may prefetch): left out."""
    return facts.memo("registered admins", _find_registered_admins)


def _find_registered_admins(facts: ModuleFacts) -> dict[str, str]:
    found: dict[str, str] = {}
    tree = facts.tree
    if tree is None:
        return found
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and ast.unparse(node.func).rpartition(".")[2] == "register"
            and len(node.args) == 2
            and isinstance(node.args[1], ast.Name)
        ):
            found[node.args[1].id] = ast.unparse(node.args[0])
        elif isinstance(node, ast.ClassDef):
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and ast.unparse(decorator.func).rpartition(".")[2] == "register"
                    and len(decorator.args) == 1
                ):
                    found[node.name] = ast.unparse(decorator.args[0])
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
            isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "get_queryset" for stmt in node.body
        ):
            found.pop(node.name, None)
    return found


def _listed_type(tree: ast.AST, name: str) -> bool:
    """``graphene.List(BookType)`` (also ``DjangoListField``, connection fields) somewhere in the
    module: the type is resolved for many parent objects per request."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and ast.unparse(node.func).rpartition(".")[2] in _LIST_FIELDS
            and node.args
            and ast.unparse(node.args[0]).rpartition(".")[2] == name
        ):
            return True
    return False


# Calls a ModelAdmin's ``get_queryset`` may make and still be read: the parent's queryset,
# refinements, annotations and the loaders whose string arguments say what they load.
_GET_QUERYSET_CALLS = frozenset(
    {
        "super", "get_queryset", "all", "filter", "exclude", "order_by", "distinct", "annotate", "alias",
        "select_related", "prefetch_related", "Count", "Sum", "Avg", "Min", "Max", "F", "Q", "Value",
        "Exists", "OuterRef", "Subquery", "Coalesce",
    }
)


def _plain_get_queryset(method: ast.AST):
    """The relations a ``get_queryset`` override loads (``select_related``/``prefetch_related``
    string arguments) when it only refines and annotates the parent's queryset; None when it does
    anything else (a custom queryset method, ``Prefetch``, ``select_related()`` of everything)."""
    loaded: set[str] = set()
    for node in ast.walk(method):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id if isinstance(node.func, ast.Name) else None
        if name not in _GET_QUERYSET_CALLS:
            return None
        if name in ("select_related", "prefetch_related"):
            if not node.args or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args):
                return None
            loaded |= {a.value.split("__")[0] for a in node.args}
    return loaded


def _loaded_by_its_views(classes: list[ast.ClassDef], serializer: str):
    """The relations the querysets of the views listing through ``serializer`` load (their
    ``queryset = ...`` values), or None when a view builds its rows some other way
    (``get_queryset``, a queryset attribute that is not a plain ``Model.objects`` chain)."""
    loaded: set[str] = set()
    for node in classes:
        names = {stmt.targets[0].id: stmt.value for stmt in node.body
                 if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)}
        if serializer not in _view_serializers(node, names):
            continue
        defined = {stmt.name for stmt in node.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
        queryset = names.get("queryset")
        if defined & {"get_serializer", "get_serializer_class", "list"}:
            return None
        if "get_queryset" in defined:
            # a get_queryset that only refines, annotates and loads by name: what it loads
            method = next(stmt for stmt in node.body if isinstance(stmt, ast.FunctionDef) and stmt.name == "get_queryset")
            read = _plain_get_queryset(method)
            if read is None:
                return None
            loaded |= read
            if queryset is None:
                continue
        if queryset is None:
            return None
        chain = queryset
        while isinstance(chain, (ast.Call, ast.Attribute)):
            if isinstance(chain, ast.Call):
                if not isinstance(chain.func, ast.Attribute) or chain.func.attr not in _PLAIN_STEPS:
                    return None
                if chain.func.attr in _LOADERS:
                    if not chain.args or not all(
                        isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in chain.args
                    ):
                        return None  # select_related() of everything, Prefetch(...): not read here
                    loaded |= {arg.value.split("__")[0] for arg in chain.args}
                chain = chain.func.value
            elif chain.attr == "objects":
                chain = None
                break
            else:
                return None
        if chain is not None:
            return None
    return loaded


# Queryset steps of a view's ``queryset = Model.objects...`` whose effect on loading is known.
_PLAIN_STEPS = frozenset({"all", "filter", "exclude", "order_by", "distinct", "select_related", "prefetch_related", "annotate"})


def _listed_by_a_view(classes: list[ast.ClassDef], serializer: str) -> bool:
    """A view of the module lists rows through the serializer: ``serializer_class = S`` next to
    a ``queryset = ...``, or in a list view (``ModelViewSet``, ``ListAPIView``...) whose
    ``get_queryset`` builds the rows (so the serializer runs once per row)."""
    for node in classes:
        names = {stmt.targets[0].id: stmt.value for stmt in node.body
                 if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)}
        if serializer not in _view_serializers(node, names):
            continue
        if "queryset" in names:
            return True
        if any(isinstance(stmt, ast.FunctionDef) and stmt.name == "get_queryset" for stmt in node.body) and any(
            part in _base_text(node) for part in _LIST_VIEWS
        ):
            return True
    return False


# DRF views whose ``list`` serializes every row of the queryset.
_LIST_VIEWS = ("ModelViewSet", "ListAPIView", "ListCreateAPIView", "ListModelMixin")


def _view_serializers(view: ast.ClassDef, names: dict) -> set[str]:
    """The serializer classes a view uses: ``serializer_class = S``, and the names its
    ``get_serializer_class`` returns (``return ListSerializer`` for the list action)."""
    found: set[str] = set()
    value = names.get("serializer_class")
    if isinstance(value, ast.Name):
        found.add(value.id)
    for stmt in view.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "get_serializer_class":
            for node in ast.walk(stmt):
                if isinstance(node, ast.Return) and isinstance(node.value, ast.Name):
                    found.add(node.value.id)
    return found


class RelationInRowMethod(Rule):
    """
    ## What it does
    Flags a relation read on the row in a method the framework calls once per
    row of a list: a Django admin method named in `list_display`, or a Django
    REST framework `SerializerMethodField` method of a serializer that a view
    of the same module uses for a `queryset`. `obj.owner.email` loads the
    owner with one query per row listed; `obj.lines.count()` counts with one
    query per row. The admin must not load the relation
    (`list_select_related`; a `get_queryset` override that does more than
    refine, annotate and load by name keeps the whole admin silent). A
    serializer's rows are the querysets of the views that list through it
    (`serializer_class` next to a plain `queryset = Model.objects...`); when
    a view builds them any other way (`get_queryset`, `Prefetch`), no query
    of the module may load the relation.

    ## Why is this slow?
    The change list shows 100 rows per page, an API page 20 to 100: one query
    per row and column, each a round trip. With SQLite in memory (no network),
    100 rows with the related row fetched one query per row took about 450 µs
    against 73 µs for the same rows loaded with a JOIN (6x); on a networked
    database each extra query adds its latency.

    ## Example
    ```python
    class LeadAdmin(admin.ModelAdmin):
        list_display = ("name", "owner_email")

        def owner_email(self, obj):
            return obj.owner.email
    ```

    ## Use instead
    ```python
    class LeadAdmin(admin.ModelAdmin):
        list_display = ("name", "owner_email")
        list_select_related = ("owner",)

        def owner_email(self, obj):
            return obj.owner.email
    ```
    For a count, annotate the view's queryset (`annotate(n_lines=Count("lines"))`)
    and read `obj.n_lines`.

    ## Fix safety
    No automatic fix: the loading belongs to the admin's or the view's
    queryset, which may live elsewhere.

    ## Known false positives
    Django's change list calls `select_related()` (every non-null foreign
    key) when `list_display` names a foreign key field directly; the rule
    counts every plain column of `list_display` as loaded, but not the other
    foreign keys that call loads with it. The relation's name is judged by its spelling when the model is not
    known (`obj.owner.email` is a relation, `obj.created.year` is not); a
    value object stored in a field with a relation-like name would be taken
    for one. Serializers are only judged when a view of the same module
    lists rows through them, and any query of the module that loads the
    relation silences the finding. Judged on real code (2026-12-07): no
    findings on wagtail 6.1.3/6.3.1, django-cms 4.1.4, django-allauth
    65.3.0, django-import-export 4.3.3, apache-superset, ckan,
    django-celery-beat 2.7.0 (its `crontab_translation` reads a relation
    but is not in `list_display`, and `get_queryset` loads it), django-axes
    7.0.1 and django-simple-history 3.7.0, so precision on real code is not
    yet measured (n = 0); on the development set it finds the three
    labelled sites and none of their look-alikes (one unlabelled finding on
    django-helpdesk, a column method reading `obj.ticket` where `ticket` is
    itself a column, is now silent).

    The shapes added from the L2 hold-out set (2026-12-07: a serializer
    judged by its own views' querysets, an admin `get_queryset` that only
    refines, annotates and loads by name) gave no new finding on wagtail
    6.3.1, django-cms 4.1.4, apache-superset 4.1.1, ckan 2.11.1, Flask-Admin
    1.6.1, peewee 3.17.8, django-import-export 4.3.3 and django-allauth
    65.3.0 (PF201-PF210 findings compared before and after), and none on the
    Python 3.11 standard library.
    The family-wide check's one first-run finding to read (a django-cms
    `refresh_from_db()`, PF205) and what the migration signature removed
    are described on PF205's page.

    Round 2 of the hold-out set (2026-12-07): a view that picks the
    serializer in `get_serializer_class` (`return ListSerializer`) lists
    through it (what its queryset loads then counts module-wide), and a
    string method's name read without a call (`obj.desk.title`) is a field
    of the related row. No new finding on the 16 packages listed for PF202
    nor on the standard library.

    Round 6 of the hold-out set (2026-12-07): graphene-django `resolve_<field>(parent, info)`
    methods of a `DjangoObjectType` that the module serves in a `graphene.List`/`DjangoListField`/
    connection field: a relation read on the parent runs once per parent, unless some query of
    the module loads it (`prefetch_related`/`select_related`).

    Checked on real code (2026-12-07): PF201-PF210 findings identical before and after; the
    packages are listed on PF201's page (round 6).

    A registered admin whose `list_display` shows a generic foreign key (directly or through
    `__str__`) and that does not override `get_queryset` (2026-12-08): 2 findings on
    django-activity-stream 2.0.0, both labelled positives; none on the standard library or
    the other round-2 packages.
    Real-code round 3 (2026-12-08): an attribute the project's models declare only as a plain
    field (`generator_class = models.CharField(...)`, read as `obj.generator_class.rsplit(...)`)
    is no relation, whatever method follows it: one false positive on django-newsletter 1.2.1
    removed.

    Round 8 (2026-12-08): a DRF list view (`ModelViewSet`, `ReadOnlyModelViewSet`,
    `ListAPIView`...) that builds its rows in `get_queryset` lists through its serializer (a
    `get_queryset` that only refines, annotates and loads by name says what is loaded);
    `to_representation` runs per row; a function of the module handed the row that queries (call
    facts); `django.contrib.sitemaps` `location`/`lastmod`/`priority`/`changefreq` per item of a
    plain `items()` query; a `@strawberry.field` method of a type some field returns as
    `list[...]` runs its first query per node. A serializer may still serve single objects
    elsewhere; the rule judges it by the list views of its module. PF2/PF4 findings identical
    before and after on dj-stripe 2.11.0, django-oscar-api 3.3.0, django-organizations 2.7.0,
    django-push-notifications 3.3.0, strawberry-graphql-django 0.93.0 and tortoise-orm 1.1.9 (13
    findings), none on the standard library before or after: n = 0 new on real code.
    """

    code = "PF210"
    name = "relation-in-row-method"
    level = Level.DATABASE
    message = "reads a relation once per row listed; load it with the rows"
    weight = 3.0
    opt_in = False
    benchmark = Benchmark(
        setup=(
            "import sqlite3\n"
            "db = sqlite3.connect(':memory:')\n"
            "db.execute('create table owner (id integer primary key, email text)')\n"
            "db.execute('create table lead (id integer primary key, owner_id integer)')\n"
            "db.executemany('insert into owner values (?, ?)', [(i, f'o{i}@x') for i in range(100)])\n"
            "db.executemany('insert into lead values (?, ?)', [(i, i) for i in range(100)])\n"
        ),
        slow=(
            "rows = db.execute('select id, owner_id from lead').fetchall()\n"
            "emails = [db.execute('select email from owner where id = ?', (o,)).fetchone() for _, o in rows]\n"
        ),
        fast="emails = db.execute('select lead.id, owner.email from lead join owner on owner.id = lead.owner_id').fetchall()\n",
        size="100 rows (one change-list page), SQLite in memory",
    )

    valid = [
        # A plain field read through a string method in a list_display method: the project's
        # models declare ``generator_class`` only as a ``CharField``, no relation to load.
        Valid("""
            from django.contrib import admin
            from django.db import models

            class Newsletter(models.Model):
                title = models.CharField(max_length=100)
                generator_class = models.CharField(max_length=200, blank=True)

            class NewsletterAdmin(admin.ModelAdmin):
                list_display = ("title", "admin_generator")

                def admin_generator(self, obj):
                    return obj.generator_class.rsplit(".", 1)[-1] if obj.generator_class else ""

            admin.site.register(Newsletter, NewsletterAdmin)
            """),
        # The admin's own get_queryset prefetches the generic key it shows; another admin
        # shows no generic key at all.
        Valid("""
            from django.contrib import admin
            from django.contrib.contenttypes.fields import GenericForeignKey
            from django.db import models

            class Activity(models.Model):
                verb = models.CharField(max_length=40)
                target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
                target_id = models.CharField(max_length=40)
                target = GenericForeignKey("target_type", "target_id")

                def __str__(self):
                    return f"{self.verb} {self.target}"

            @admin.register(Activity)
            class ActivityAdmin(admin.ModelAdmin):
                list_display = ("__str__", "target", "verb")

                def get_queryset(self, request):
                    return super().get_queryset(request).prefetch_related("target")

            class PlainActivityAdmin(admin.ModelAdmin):
                list_display = ("verb", "target_type")

            admin.site.register(Activity, PlainActivityAdmin)
            """),
        Valid("""
            from django.contrib import admin
            from crm.models import Contact

            @admin.register(Contact)
            class ContactAdmin(admin.ModelAdmin):
                list_display = ("full_name", "company_name")
                list_select_related = ("company",)

                def company_name(self, obj):
                    return obj.company.name

                def audit(self, obj):
                    return obj.owner.email
            """),
        # The relation is a column too: the change list selects the related rows.
        Valid("""
            from django.contrib import admin

            class FollowUpAdmin(admin.ModelAdmin):
                list_display = ("ticket_slug", "title", "ticket")

                def ticket_slug(self, obj):
                    return obj.ticket.slug
            """),
        Valid("""
            from django.contrib import admin

            class LeadAdmin(admin.ModelAdmin):
                list_display = ("name", "created_year")

                def created_year(self, obj):
                    return obj.created.year

                def get_queryset(self, request):
                    return super().get_queryset(request).select_related("owner")
            """),
        Valid("""
            from rest_framework import serializers, viewsets
            from shop.models import Review

            class ReviewSerializer(serializers.ModelSerializer):
                product_title = serializers.SerializerMethodField()

                def get_product_title(self, obj):
                    return obj.product.title

            class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
                serializer_class = ReviewSerializer
                queryset = Review.objects.select_related("product")
            """),
        # A serializer no view of the module lists rows with: where its rows come from is unknown.
        Valid("""
            from rest_framework import serializers

            class OrderSerializer(serializers.ModelSerializer):
                item_count = serializers.SerializerMethodField()

                def get_item_count(self, obj):
                    return obj.lines.count()
            """),
        # The admin's get_queryset prefetches the relation; another admin's get_queryset is custom.
        Valid("""
            from django.contrib import admin
            from library.models import Book

            class BookAdmin(admin.ModelAdmin):
                list_display = ("title", "author_names")

                def get_queryset(self, request):
                    return super().get_queryset(request).prefetch_related("authors")

                def author_names(self, book):
                    return ", ".join(a.name for a in book.authors.all())

            class ShelfAdmin(admin.ModelAdmin):
                list_display = ("title", "author_names")

                def get_queryset(self, request):
                    return super().get_queryset(request).with_authors()

                def author_names(self, book):
                    return ", ".join(a.name for a in book.authors.all())
            """),
        # The serializer's own view loads the relation.
        Valid("""
            from rest_framework import serializers, viewsets
            from logistics.models import Shipment

            class ShipmentSerializer(serializers.ModelSerializer):
                carrier_name = serializers.SerializerMethodField()

                def get_carrier_name(self, shipment):
                    return shipment.carrier.name

            class ShipmentViewSet(viewsets.ReadOnlyModelViewSet):
                serializer_class = ShipmentSerializer
                queryset = Shipment.objects.select_related("carrier").order_by("-id")
            """),
        # graphene-django: the relation is prefetched with the parents; a type never listed.
        Valid("""
            import graphene
            from graphene_django import DjangoObjectType
            from catalog.models import Book, Shelf

            class BookType(DjangoObjectType):
                tags = graphene.List(graphene.String)

                class Meta:
                    model = Book

                def resolve_tags(self, info):
                    return [t.label for t in self.tags.all()]

            class ShelfType(DjangoObjectType):
                class Meta:
                    model = Shelf

                def resolve_count(self, info):
                    return self.books.count()

            class Query(graphene.ObjectType):
                books = graphene.List(BookType)
                shelf = graphene.Field(ShelfType, id=graphene.ID())

                def resolve_books(self, info):
                    return Book.objects.prefetch_related("tags")
            """),
    ]
    invalid = [
        # A generic foreign key shown as a column (and read by __str__): a query per row.
        Invalid("""
            from django.contrib import admin
            from django.contrib.contenttypes.fields import GenericForeignKey
            from django.db import models

            class Activity(models.Model):
                verb = models.CharField(max_length=40)
                target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
                target_id = models.CharField(max_length=40)
                target = GenericForeignKey("target_type", "target_id")

                def __str__(self):
                    return f"{self.verb} {self.target}"

            class ActivityAdmin(admin.ModelAdmin):
                list_display = ("__str__", "target", "verb")

            admin.site.register(Activity, ActivityAdmin)
            """),
        Invalid("""
            from django.contrib import admin
            from crm.models import Lead

            @admin.register(Lead)
            class LeadAdmin(admin.ModelAdmin):
                list_display = ("name", "owner_email")

                @admin.display(description="Owner")
                def owner_email(self, obj):
                    return obj.owner.email
            """),
        Invalid("""
            from rest_framework import serializers, viewsets
            from shop.models import Order

            class OrderSerializer(serializers.ModelSerializer):
                customer_name = serializers.SerializerMethodField()
                item_count = serializers.SerializerMethodField()

                def get_customer_name(self, obj):
                    return obj.customer.get_full_name()

                def get_item_count(self, obj):
                    return obj.lines.count()

            class OrderViewSet(viewsets.ReadOnlyModelViewSet):
                serializer_class = OrderSerializer
                queryset = Order.objects.order_by("-created")
            """),
        # Another view loads the relation, for another serializer: this one's rows do not have it.
        Invalid("""
            from rest_framework import serializers, viewsets
            from logistics.models import Shipment

            class ShipmentSerializer(serializers.ModelSerializer):
                carrier_name = serializers.SerializerMethodField()

                def get_carrier_name(self, shipment):
                    return shipment.carrier.name

            class ShipmentViewSet(viewsets.ReadOnlyModelViewSet):
                serializer_class = ShipmentSerializer
                queryset = Shipment.objects.all()

            class CompactSerializer(serializers.ModelSerializer):
                carrier = serializers.CharField(source="carrier.name")

            class CompactViewSet(viewsets.ReadOnlyModelViewSet):
                serializer_class = CompactSerializer
                queryset = Shipment.objects.select_related("carrier")
            """),
        # A get_queryset that only annotates: the M2M read is still one query per row.
        Invalid("""
            from django.contrib import admin
            from django.db.models import Count
            from library.models import Book

            class BookAdmin(admin.ModelAdmin):
                list_display = ("title", "author_names")

                def get_queryset(self, request):
                    return super().get_queryset(request).annotate(n=Count("copies"))

                def author_names(self, book):
                    return ", ".join(a.name for a in book.authors.all())
            """),
        # graphene-django: a resolver of a type served in a list reads a relation of its parent.
        Invalid("""
            import graphene
            from graphene_django import DjangoObjectType
            from catalog.models import Book

            class BookType(DjangoObjectType):
                rating = graphene.Float()

                class Meta:
                    model = Book

                def resolve_rating(self, info):
                    scores = [r.score for r in self.reviews.all()]
                    return sum(scores) / len(scores) if scores else None

            class Query(graphene.ObjectType):
                books = graphene.List(BookType)

                def resolve_books(self, info):
                    return Book.objects.all()
            """),
    ]

    @classmethod
    def may_match_file(cls, path: str, facts: ModuleFacts, config: object = None) -> bool:
        if not any(facts.mentions(word) for word in ("list_display", "SerializerMethodField", "to_representation", "DjangoObjectType", "Sitemap", "strawberry")):
            return False
        return bool(_row_classes(facts)) or (facts.mentions("list_display") and bool(_registered_admins(facts)))

    def visit_Module(self, node: cst.Module) -> None:
        self._classes: list[str] = []
        self._skip = in_migrations(self.context)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes.append(node.name.value)
        if not self._skip and len(self._classes) == 1:
            self._check_generic_columns(node)

    def _check_generic_columns(self, node: cst.ClassDef) -> None:
        """``list_display = ("__str__", "actor", ...)`` on the admin of a model whose ``actor``
        is a ``GenericForeignKey``: the change list's automatic ``select_related`` covers
        foreign keys only, so each row loads its generic object with a query of its own (and
        ``__str__`` reading one does the same)."""
        model_text = _registered_admins(self.context.facts).get(node.name.value)
        if model_text is None or "ModelAdmin" not in " ".join(
            cst.Module([]).code_for_node(base.value) for base in node.bases
        ):
            return
        display = None
        for line in node.body.body:
            if isinstance(line, cst.SimpleStatementLine):
                for statement in line.body:
                    if (
                        isinstance(statement, cst.Assign)
                        and len(statement.targets) == 1
                        and isinstance(statement.targets[0].target, cst.Name)
                        and statement.targets[0].target.value == "list_display"
                        and isinstance(statement.value, (cst.Tuple, cst.List))
                    ):
                        display = statement.value
        if display is None:
            return
        try:
            expr = cst.parse_expression(model_text)
        except Exception:
            return
        view = orm_view(self.context)
        model = view.model_for(self.context, expr, "django")
        if model is None or model.key not in view.index.models:
            return
        generic = {name for name, relation in model.relations.items() if relation.generic}
        if not generic:
            return
        first = None
        loaded: dict[str, None] = {}  # the generic keys shown, in column order
        for element in display.elements:
            value = element.value
            if not isinstance(value, cst.SimpleString):
                continue
            column = value.evaluated_value
            if column == "__str__":
                column = next((path[0] for path in model.str_reads if path and path[0] in generic), None)
            if column in generic:
                first = first or value
                loaded[column] = None
        if first is None:
            return
        shown = ", ".join(f"`{name}`" for name in loaded)
        lookups = ", ".join(f'"{name}"' for name in loaded)
        self.report(
            first,
            f"the change list shows the generic foreign key{'s' if len(loaded) > 1 else ''} {shown} of "
            f"`{model.name}` (directly or through `__str__`): one query per row each, since the admin's "
            f"automatic select_related covers foreign keys only; override `get_queryset` to return "
            f"`super().get_queryset(request).prefetch_related({lookups})`",
        )

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self._skip or not self._classes:
            return
        row_class = _row_classes(self.context.facts).get(self._classes[-1])
        if row_class is None or node.name.value not in row_class.methods:
            return
        params = node.params.params
        if len(params) < 2:
            return
        if row_class.kind == "node":
            self._check_node_queries(node)
            return
        row = params[1].name.value
        if row_class.kind == "resolver":
            if row != "info":
                return
            row = params[0].name.value  # the parent object
        seen: set[str] = set()
        index = orm_view(self.context).index
        if row_class.kind != "resolver":
            self._check_helpers(node, row, row_class.kind)
        for found in _reads(node.body, row):
            attribute, relation, following = found
            if relation in row_class.loaded or relation in seen:
                continue
            if index.is_plain_attribute(relation):
                continue  # declared by the project's models only as a plain field (``CharField``)
            seen.add(relation)
            where = {
                "admin": "row of the change list", "resolver": "parent object of the list", "sitemap": "item of the sitemap",
            }.get(row_class.kind, "serialized row")
            if row_class.kind == "resolver":
                self.report(
                    attribute,
                    f"`{row}.{relation}` runs one query per {where} (`{node.name.value}` is resolved for every "
                    f"`{self._classes[-1]}` in a list); prefetch it in the query that returns the parents "
                    f"(`prefetch_related(\"{relation}\")`/`select_related`), or batch it with a DataLoader",
                )
                continue
            if following in ("count", "exists"):
                cure = f'annotate the rows\' queryset (`annotate(n=Count("{relation}"))`) and read the annotation'
            elif following in _MANAGER_CALLS:
                cure = f'prefetch it with the rows (`prefetch_related("{relation}")`)'
            elif row_class.kind == "admin":
                cure = f'load it with the rows: `list_select_related = ("{relation}",)`'
            elif row_class.kind == "sitemap":
                cure = f'load it in `items()`: `select_related("{relation}")`'
            else:
                cure = f'load it with the view\'s rows: `select_related("{relation}")`'
            self.report(
                attribute,
                f"`{row}.{relation}` runs one query per {where} (`{node.name.value}` is called for every row); {cure}",
            )


    def _check_node_queries(self, node: cst.FunctionDef) -> None:
        """The first call in a strawberry node's field method that runs a query (call facts:
        a session, a connection, a model's manager...): one query per node of the list."""
        for sub in _calls(node.body):
            effects = self.context.call_effects(sub)
            if effects is None or "query" not in effects.kinds:
                continue
            self.report(
                sub,
                f"`{_EMPTY.code_for_node(sub.func)}(...)` runs a query once per `{self._classes[-1]}` of the list "
                f"(`{node.name.value}` is resolved for every node); batch it with a DataLoader keyed on the "
                f"node, or load it with the query that returns the list",
            )
            return

    def _check_helpers(self, node: cst.FunctionDef, row: str, kind: str) -> None:
        """``return _sold_out(obj)``: a function of the module handed the row that runs a query
        (``call_effects``), one call away from the method the framework calls per row."""
        for sub in _calls_with_row(node.body, row):
            effects = self.context.call_effects(sub)
            if effects is None or "query" not in effects.kinds:
                continue
            where = "row of the change list" if kind == "admin" else "serialized row"
            self.report(
                sub,
                f"`{sub.func.value}(...)` queries the database ({' → '.join(effects.chain)}) once per {where} "
                f"(`{node.name.value}` is called for every row); compute it for all rows in the view's queryset "
                f"(`annotate(...)`, `prefetch_related(...)`)",
            )


def _calls(body: cst.CSTNode):
    """Calls in the body, outside nested functions, in source order."""
    stack: list[cst.CSTNode] = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        if isinstance(node, cst.Call):
            yield node
        stack.extend(reversed(_children(node)))


def _calls_with_row(body: cst.CSTNode, row: str):
    """Calls of a plain name that pass ``row`` itself as an argument, outside nested functions."""
    for node in _calls(body):
        if isinstance(node.func, cst.Name) and any(isinstance(arg.value, cst.Name) and arg.value.value == row for arg in node.args):
            yield node


def _reads(body: cst.CSTNode, row: str):
    """``row.<relation>.<something>`` reads in the method, outermost attribute first."""
    stack: list[cst.CSTNode] = [body]
    called: set[int] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        if isinstance(node, cst.Call):
            called.add(id(node.func))
        if (
            isinstance(node, cst.Attribute)
            and isinstance(node.value, cst.Attribute)
            and isinstance(node.value.value, cst.Name)
            and node.value.value.value == row
        ):
            relation = node.value.attr.value
            following = node.attr.value
            if _may_be_relation(relation) and not value_attribute(following, id(node) in called) and not following.startswith("_"):
                yield node.value, relation, following
        stack.extend(reversed(_children(node)))


def _children(node: cst.CSTNode) -> list[cst.CSTNode]:
    return list(node.children)
