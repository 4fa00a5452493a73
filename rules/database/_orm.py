"""What the level-2 rules share: which expression is an ORM query, of which model.

Not a rule module (no ``Rule`` subclass lives here). The questions, all
answered conservatively (None means "not provably", and the rules stay silent):

- ``OrmView.model_for``: which model does a class reference (``Book``,
  ``models.Book``) name, through the file's imports, its function-level
  imports and the project model index?
- ``django_query`` / ``sa_query``: is an expression a Django queryset chain
  (``Book.objects.filter(...).select_related("x")``) or an SQLAlchemy query
  (``session.query(Book)...``, ``session.scalars(select(Book)...)``), and
  what did it eager-load?
- ``tracked_query``: the same for a local name, through every assignment to it
  in the function (``qs = Book.objects.all()``; ``qs = qs.filter(...)``).
"""

from __future__ import annotations

import ast
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterator, Optional, Sequence

import libcst as cst
from perflint.analysis import dotted_name, iter_nodes
from perflint.context import FileContext, as_ast, names_in_target
from perflint.facts import ModuleFacts
from perflint.models_index import (
    DJANGO,
    SQLALCHEMY,
    Model,
    ModelIndex,
    import_table,
    index_for,
    resolve_relative,
)
from perflint.rules.database._receivers import SA_REEXPORTS, is_sa_holder
from perflint.rules.database._loops import (
    walks_items,
    is_small_literal_loop,
    names_in,
    per_iteration_names,
)

# Queryset methods that return a queryset of the same model's instances.
DJANGO_SAME_ROWS = frozenset(
    {
        "all", "filter", "exclude", "order_by", "distinct", "annotate", "alias", "select_related",
        "prefetch_related", "reverse", "using", "select_for_update", "none", "complex_filter", "[]",
    }
)
# Methods after which rows are not model instances, or fields are missing.
DJANGO_RESHAPE = frozenset({"values", "values_list", "only", "defer", "raw", "dates", "datetimes", "extra"})
# Terminal methods that run a query and do not return a queryset.
DJANGO_EVALUATE = frozenset(
    {
        "get", "first", "last", "count", "exists", "aggregate", "in_bulk", "earliest", "latest", "contains",
        "aget", "afirst", "alast", "acount", "aexists", "aaggregate", "ain_bulk", "aearliest", "alatest", "acontains",
    }
)
DJANGO_WRITES = frozenset(
    {
        "create", "get_or_create", "update_or_create", "update", "delete", "bulk_create", "bulk_update",
        "acreate", "aget_or_create", "aupdate_or_create", "aupdate", "adelete", "abulk_create", "abulk_update",
    }
)
DJANGO_MANAGERS_ALWAYS = frozenset({"objects", "_default_manager", "_base_manager"})
# Steps after which a queryset still yields the same rows (``iterator`` streams them).
_PASSED_STEPS = DJANGO_SAME_ROWS | {"iterator"}

SA_SELECT = frozenset(
    {
        "sqlalchemy.select", "sqlalchemy.future.select", "sqlalchemy.sql.select",
        "sqlalchemy.sql.expression.select", "sqlmodel.select", "sqlmodel.sql.expression.select",
    }
)
# Query/Select methods that keep the rows as instances of the first entity.
SA_SAME_ROWS = frozenset(
    {
        "filter", "filter_by", "where", "order_by", "limit", "offset", "options", "join", "outerjoin",
        "distinct", "yield_per", "execution_options", "all", "unique", "scalars", "params", "slice",
        "populate_existing", "with_for_update", "enable_assertions", "[]",
    }
)
SA_EVALUATE = frozenset({"all", "first", "one", "one_or_none", "scalar", "scalar_one", "scalar_one_or_none", "count", "get"})



# --- the per-file view --------------------------------------------------------------------


class OrmView:
    """The model index and module-level names of one file, built once per file."""

    def __init__(self, context: FileContext) -> None:
        tree = context.facts.tree
        self.index: ModelIndex
        self.index, self.module = index_for(context.path, tree, context.facts.mentions)
        self.is_package = os.path.basename(context.path) == "__init__.py"
        self.imports = import_table(tree, self.module, self.is_package) if tree is not None else {}
        self.classes: set[str] = set()
        self.user_models: set[str] = set()  # module-level ``User = get_user_model()``
        self.literal_names = context.facts.literal_names
        for node in tree.body if tree is not None else ():
            if isinstance(node, ast.ClassDef):
                self.classes.add(node.name)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
                value = node.value
                if isinstance(value, ast.Call) and _ast_dotted(value.func).endswith("get_user_model"):
                    self.user_models.add(name)
        self._function_imports: dict[int, tuple[cst.CSTNode, dict[str, str]]] = {}

    @property
    def package(self) -> str:
        return self.module if self.is_package else self.module.rpartition(".")[0]

    def function_imports(self, context: FileContext) -> dict[str, str]:
        """Imports inside the enclosing functions (``from .models import Book`` in a view)."""
        table: dict[str, str] = {}
        for scope in context.scopes:
            if scope.kind != "function" or scope.node is None:
                continue
            key = id(scope.node)
            entry = self._function_imports.get(key)
            if entry is None or entry[0] is not scope.node:  # ids are reused once a block's tree is freed
                entry = self._function_imports[key] = (scope.node, _cst_imports(scope.node, self.package))
            table.update(entry[1])
        return table

    def qualify(self, context: FileContext, expr: cst.BaseExpression) -> Optional[str]:
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        local_imports = self.function_imports(context)
        if head in local_imports:
            base = local_imports[head]
        elif context.is_local(head):
            return None
        elif head in self.classes:
            base = f"{self.module}.{head}"
        elif head in self.imports:
            base = self.imports[head]
        else:
            return None
        return f"{base}.{rest}" if rest else base

    def model_for(self, context: FileContext, expr: cst.BaseExpression, framework: Optional[str] = None) -> Optional[Model]:
        """The model a class reference names, or None when it is not provably a model."""
        qualified = self.qualify(context, expr)
        if qualified is None:
            if framework in (None, DJANGO) and isinstance(expr, cst.Name) and expr.value in self.user_models:
                if not context.is_local(expr.value):
                    return _opaque_django_model(expr.value, "settings.AUTH_USER_MODEL")
            if framework in (None, DJANGO) and _names_a_model_class(context, expr) and context.facts.imports_django:
                return _opaque_django_model("model", "<a model class passed in>")
            if framework in (None, DJANGO) and isinstance(expr, cst.Name) and _from_get_model(context, expr.value):
                return _opaque_django_model(expr.value, "apps.get_model")
            return None
        model = self.index.resolve(qualified, framework)
        if model is not None:
            return model
        module, _, name = qualified.rpartition(".")
        if framework in (None, DJANGO) and "models" in module.split(".") and name[:1].isupper():
            # Imported from a ``models`` module the index cannot see (django.contrib.auth.models...).
            if not self.index.resolve(qualified):
                return _opaque_django_model(name, module)
        return None

    def is_fixed_small_loop(self, context: FileContext, loop_node: cst.CSTNode) -> bool:
        """A loop over a literal collection or a constant ``range``: few, fixed iterations."""
        return is_small_literal_loop(context, loop_node, self.literal_names)


_MODEL_CLASS_NAMES = frozenset({"model", "model_class", "model_cls"})


def _names_a_model_class(context: FileContext, expr: cst.BaseExpression) -> bool:
    """``self.model``, ``cls.model_class`` or a parameter ``model``: how Django's generic code
    (views, admin, layer mapping, serializers) names the model class it was handed. A local
    ``model`` is not one: code that loops over models binds it per iteration (one query per
    table, not per row)."""
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value in ("self", "cls"):
        return expr.attr.value in _MODEL_CLASS_NAMES
    if not (isinstance(expr, cst.Name) and expr.value in _MODEL_CLASS_NAMES):
        return False
    scope = context.facts.inference.scopes.get(context.scope_qualname)
    return scope is not None and expr.value in scope.params and expr.value not in scope.bindings


def _from_get_model(context: FileContext, name: str) -> bool:
    """A name bound only to ``apps.get_model("app", "Model")`` (data migrations and app
    utilities look models up by name): a model class. So is a class-cased name bound only to
    a model loader of the project, ``Perm = get_user_obj_perms_model()``,
    ``Notification = load_model("notifications", "Notification")`` (swappable models)."""
    scopes = context.facts.inference.scopes
    scope = scopes.get(context.scope_qualname)
    values = scope.bindings.get(name) if scope is not None else None
    if not values and not context.is_local(name) and "" in scopes:
        values = scopes[""].bindings.get(name)  # a module-level ``Model = load_model(...)``
    return bool(values) and all(
        isinstance(value, ast.Call)
        and (
            (isinstance(value.func, ast.Attribute) and value.func.attr == "get_model")
            or (
                name[:1].isupper()
                and context.facts.imports_django
                and _model_loader(_ast_dotted(value.func).rpartition(".")[2])
            )
        )
        for value in values
    )


def _model_loader(function: str) -> bool:
    """``get_model``, ``load_model``, ``get_user_obj_perms_model``: named for returning a model class."""
    return function in ("get_model", "load_model") or (
        function.startswith(("get_", "load_")) and function.endswith("_model") and function != "get_user_model"
    )


def _opaque_django_model(name: str, module: str) -> Model:
    """A Django model known only by its import: managers work, relations are unknown."""
    return Model(key=f"{module}.{name}", name=name, module=module, framework=DJANGO, managers=frozenset({"objects"}))


def _ast_dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _cst_imports(function: cst.CSTNode, package: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for node in iter_nodes(function):
        if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            module = dotted_name(node.module) if node.module is not None else None
            base = resolve_relative(package, len(node.relative), module)
            if base is None:
                continue
            for alias in node.names:
                name = dotted_name(alias.name)
                local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
                if name and local:
                    table[local] = f"{base}.{name}"
        elif isinstance(node, cst.Import):
            for alias in node.names:
                name = dotted_name(alias.name)
                if not name:
                    continue
                if alias.asname and isinstance(alias.asname.name, cst.Name):
                    table[alias.asname.name.value] = name
                else:
                    table.setdefault(name.split(".")[0], name.split(".")[0])
    return table


def may_name_models(path: str, facts: ModuleFacts, config: object = None) -> bool:
    """Whether code in this file can name an ORM model at all (see ``OrmView.model_for``).

    A model is one of the project's (in the index), a class imported from or
    defined in a ``models`` module, or ``get_user_model()``'s result. In a
    project without models, a file that spells neither ``models`` nor
    ``get_user_model`` cannot reach any of them, so the query rules skip it.
    """
    if facts.mentions("models") or facts.mentions("get_user_model") or facts.mentions("get_model") or "models" in path:
        return True
    if facts.mentions("objects") and facts.imports_django:
        return True  # a model class handed in (``self.model.objects``): see ``_names_a_model_class``
    last = _LAST_ANSWER.get(path)
    if last is not None and last[0] is facts:  # four rules ask about the same lint
        return last[1]
    index, _ = index_for(path, facts.tree, facts.mentions)
    _LAST_ANSWER.clear()
    _LAST_ANSWER[path] = (facts, bool(index.models))
    return bool(index.models)


_LAST_ANSWER: dict[str, tuple[ModuleFacts, bool]] = {}


_VIEWS: "OrderedDict[str, tuple[object, OrmView]]" = OrderedDict()


def forget() -> None:
    """Drop the views and answers kept for the last files linted (their trees go with them)."""
    _VIEWS.clear()
    _LAST_ANSWER.clear()


def orm_view(context: FileContext) -> OrmView:
    """The file's ``OrmView``, shared by every block and rule of one lint of the file.

    One per path: in an editor the earlier lints of a document are garbage, and
    each holds the file's whole ``ast``, which every full garbage collection walks.
    """
    key = context.path
    entry = _VIEWS.get(key)
    if entry is not None and entry[0] is context.facts:
        return entry[1]
    view = OrmView(context)
    _VIEWS[key] = (context.facts, view)
    _VIEWS.move_to_end(key)
    while len(_VIEWS) > 8:
        _VIEWS.popitem(last=False)
    return view


# --- loops ---------------------------------------------------------------------------------


def depends_on_loop(context: FileContext, view: OrmView, nodes: Sequence[cst.CSTNode], cache: dict) -> bool:
    """True when ``nodes`` use a name that changes per iteration of an enclosing
    ``for`` loop or comprehension that is not a small fixed loop. ``while`` loops
    are left out (their queries usually page or walk, keyed on the last result)
    unless they walk a collection item by item (``_loops.walked_items``)."""
    used: set[str] = set()
    for node in nodes:
        used |= names_in(node)
    if not used:
        return False
    for loop in context.loops:
        if not walks_items(loop):
            continue
        key = id(loop.node)
        if key not in cache:
            cache[key] = (per_iteration_names(loop.node), view.is_fixed_small_loop(context, loop.node))
        names, fixed = cache[key]
        if not fixed and used & names:
            return True
    return False


# --- query chains -----------------------------------------------------------------------------


@dataclass
class Step:
    method: str  # a method name, or "[]" for a subscript
    node: cst.BaseExpression  # the Call (or Subscript) node of this step

    @property
    def args(self) -> Sequence[cst.Arg]:
        return self.node.args if isinstance(self.node, cst.Call) else ()


def is_index_step(step: Step) -> bool:
    """``qs[0]`` runs a query and returns one row; ``qs[:10]`` stays a queryset."""
    if step.method != "[]" or not isinstance(step.node, cst.Subscript):
        return False
    return all(isinstance(element.slice, cst.Index) for element in step.node.slice)


def unwrap_chain(expr: cst.BaseExpression) -> tuple[cst.BaseExpression, list[Step]]:
    """``a.b.f(x).g(y)[:3]`` -> (``a.b``, [f, g, []]), innermost first."""
    steps: list[Step] = []
    node = expr
    while True:
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            steps.append(Step(node.func.attr.value, node))
            node = node.func.value
        elif isinstance(node, cst.Subscript):
            steps.append(Step("[]", node))
            node = node.value
        else:
            break
    steps.reverse()
    return node, steps


def sa_chain(context: FileContext, expr: cst.BaseExpression) -> tuple[cst.BaseExpression, list[Step]]:
    """``unwrap_chain`` for SQLAlchemy statements: Flask-SQLAlchemy's ``db.select(M).where(...)``
    roots at the ``db.select(M)`` call, like ``select(M).where(...)``."""
    root, steps = unwrap_chain(expr)
    if steps and steps[0].method in SA_REEXPORTS and is_sa_holder(context, root):
        return steps[0].node, steps[1:]
    return root, steps


def sa_function_name(context: FileContext, func: cst.BaseExpression) -> Optional[str]:
    """The qualified name of a called function, Flask-SQLAlchemy's re-exports read as
    SQLAlchemy's own: ``db.select`` is ``sqlalchemy.select`` when ``db = SQLAlchemy(...)``."""
    qualified = context.qualified_name(func)
    if qualified is None and isinstance(func, cst.Attribute) and func.attr.value in SA_REEXPORTS and is_sa_holder(context, func.value):
        return "sqlalchemy." + func.attr.value
    return qualified


@dataclass
class DjangoQuery:
    """A Django queryset: its model, manager and what the chain loaded."""

    model: Model
    manager: str
    manager_node: Optional[cst.Attribute]  # ``Book.objects``: where a fix inserts calls
    steps: list[Step]
    selected: set[str] = field(default_factory=set)  # select_related lookups
    prefetched: set[str] = field(default_factory=set)  # prefetch_related lookups
    select_all: bool = False  # select_related() with no arguments, or arguments we cannot read
    prefetch_unknown: bool = False
    reshaped: bool = False  # values()/only()/defer()/raw()...: rows are not plain instances
    unknown_method: bool = False  # a custom manager or queryset method: it may prefetch or reshape
    custom_steps: bool = False  # a method that is not Django's own: may not even return a queryset
    has_iterator: bool = False
    single: bool = True  # one expression defines it (a fix may edit it)

    @property
    def terminal(self) -> Optional[str]:
        if self.steps and is_index_step(self.steps[-1]):
            return "[index]"
        return self.steps[-1].method if self.steps else None

    @property
    def rows_are_instances(self) -> bool:
        return not (self.reshaped or self.unknown_method)

    def merge(self, other: "DjangoQuery") -> None:
        self.selected |= other.selected
        self.prefetched |= other.prefetched
        self.select_all |= other.select_all
        self.prefetch_unknown |= other.prefetch_unknown
        self.reshaped |= other.reshaped
        self.unknown_method |= other.unknown_method
        self.custom_steps |= other.custom_steps
        self.has_iterator |= other.has_iterator
        self.single = False


def django_query(context: FileContext, view: OrmView, expr: cst.BaseExpression) -> Optional[DjangoQuery]:
    """``Model.<manager>.<queryset methods...>`` with a provable Django model, else None."""
    root, steps = unwrap_chain(expr)
    if not isinstance(root, cst.Attribute) or not steps:
        return None
    model = view.model_for(context, root.value, DJANGO)
    if model is None:
        return None
    manager = root.attr.value
    if manager not in model.managers and manager not in DJANGO_MANAGERS_ALWAYS:
        return None
    query = DjangoQuery(model=model, manager=manager, manager_node=root, steps=steps)
    if manager != "objects" or not model.plain_objects:
        query.unknown_method = True  # a custom manager's get_queryset may already prefetch
    _read_steps(query, steps)
    return query


def _read_steps(query: DjangoQuery, steps: Sequence[Step]) -> None:
    for step in steps:
        method = step.method
        if method == "select_related":
            if not step.args:
                query.select_all = True
            for arg in step.args:
                lookup = _string_value(arg.value)
                if lookup is None or arg.keyword is not None or arg.star:
                    query.select_all = True
                else:
                    query.selected.add(lookup)
        elif method == "prefetch_related":
            for arg in step.args:
                lookup = _prefetch_lookup(arg)
                if lookup is None:
                    query.prefetch_unknown = True
                else:
                    query.prefetched.add(lookup)
        elif method in DJANGO_RESHAPE or method in ("union", "intersection", "difference"):
            query.reshaped = True
        elif method == "iterator":
            query.has_iterator = True
        elif method not in DJANGO_SAME_ROWS and method not in DJANGO_EVALUATE and method not in DJANGO_WRITES:
            query.unknown_method = True
            query.custom_steps = True


def _prefetch_lookup(arg: cst.Arg) -> Optional[str]:
    if arg.star or arg.keyword is not None:
        return None
    value = arg.value
    text = _string_value(value)
    if text is not None:
        return text
    if isinstance(value, cst.Call) and dotted_name(value.func) in ("Prefetch", "models.Prefetch"):
        to_attr = next((a for a in value.args if a.keyword and a.keyword.value == "to_attr"), None)
        if to_attr is not None:
            return None  # rows get a list attribute, not the relation: be conservative
        if value.args and value.args[0].keyword is None:
            return _string_value(value.args[0].value)
    return None


def _string_value(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


@dataclass
class SAQuery:
    """An SQLAlchemy query whose rows are instances of one mapped class."""

    model: Model
    kind: str  # "query" (legacy Query), "select" (2.0 select executed), "get"
    steps: list[Step]
    entity_call: Optional[cst.Call]  # the session.query(...) / select(...) / session.get(...) call
    loaded: set[str] = field(default_factory=set)  # relation names named in loader options
    loaded_unknown: bool = False  # options we cannot read: anything may be loaded
    rows_are_instances: bool = True
    evaluated: bool = False  # the expression itself runs the query (execute/scalars/get/all...)

    def merge(self, other: "SAQuery") -> None:
        self.loaded |= other.loaded
        self.loaded_unknown |= other.loaded_unknown
        self.rows_are_instances &= other.rows_are_instances


def looks_like_session(expr: cst.BaseExpression) -> bool:
    dotted = dotted_name(expr)
    if dotted is None:
        return False
    last = dotted.rpartition(".")[2].lower()
    return "session" in last


def sa_query(context: FileContext, view: OrmView, expr: cst.BaseExpression) -> Optional[SAQuery]:
    """``session.query(M)...``, ``M.query...`` (Flask-SQLAlchemy), ``session.get(M, k)``,
    ``session.scalars(select(M)...)`` or ``session.execute(select(M)...).scalars()``."""
    root, steps = unwrap_chain(expr)
    if not steps:
        return None
    first = steps[0]
    query: Optional[SAQuery] = None
    rest = steps[1:]
    if first.method == "query" and looks_like_session(root) and first.args:
        model = _sa_entity(context, view, first.args[0].value)
        if model is None:
            return None
        query = SAQuery(model, "query", steps, first.node)
        query.rows_are_instances = len(first.args) == 1 and isinstance(first.args[0].value, (cst.Name, cst.Attribute)) and _is_class_ref(first.args[0].value, model)
    elif isinstance(root, cst.Attribute) and root.attr.value == "query":
        model = view.model_for(context, root.value, SQLALCHEMY)
        if model is None:
            return None
        query = SAQuery(model, "query", steps, None)
        rest = steps
    elif first.method == "get" and looks_like_session(root) and len(first.args) >= 2:
        model = _sa_entity(context, view, first.args[0].value)
        if model is None:
            return None
        query = SAQuery(model, "get", steps, first.node, evaluated=True)
    elif first.method in ("execute", "scalars", "scalar", "exec") and first.args:
        select = _sa_select(context, view, first.args[0].value)
        if select is None:
            return None
        query = select
        query.steps = steps
        query.evaluated = True
        # SQLModel's ``session.exec(select(M))`` gives the instances, like ``scalars``.
        if first.method == "execute":
            # Rows are Row tuples unless .scalars() follows.
            query.rows_are_instances = bool(rest) and rest[0].method == "scalars"
            rest = rest[1:] if rest and rest[0].method == "scalars" else rest
    if query is None:
        return None
    for step in rest:
        if step.method == "options":
            _read_options(query, step)
        elif step.method not in SA_SAME_ROWS and step.method not in SA_EVALUATE:
            query.rows_are_instances = False
        if step.method in SA_EVALUATE:
            query.evaluated = True
    return query


def _is_class_ref(expr: cst.BaseExpression, model: Model) -> bool:
    dotted = dotted_name(expr)
    return dotted is not None and dotted.rpartition(".")[2] == model.name


def _sa_entity(context: FileContext, view: OrmView, expr: cst.BaseExpression) -> Optional[Model]:
    """``Book`` or ``Book.title``: the mapped class named first in a query."""
    model = view.model_for(context, expr, SQLALCHEMY)
    if model is None and isinstance(expr, cst.Attribute):
        model = view.model_for(context, expr.value, SQLALCHEMY)
    return model


def _sa_select(context: FileContext, view: OrmView, expr: cst.BaseExpression) -> Optional[SAQuery]:
    if isinstance(expr, cst.Name):
        # ``stmt = select(M).where(...)`` bound once in the function, then ``session.scalars(stmt)``.
        function = context.function
        values = assignments(function.node, expr.value) if function is not None and function.node is not None else None
        if not values or len(values) != 1 or isinstance(values[0], cst.Name):
            return None
        expr = values[0]
    root, steps = sa_chain(context, expr)
    if not isinstance(root, cst.Call) or sa_function_name(context, root.func) not in SA_SELECT or not root.args:
        return None
    model = _sa_entity(context, view, root.args[0].value)
    if model is None:
        return None
    query = SAQuery(model, "select", steps, root)
    query.rows_are_instances = len(root.args) == 1 and _is_class_ref(root.args[0].value, model)
    for step in steps:
        if step.method == "options":
            _read_options(query, step)
        elif step.method not in SA_SAME_ROWS:
            query.rows_are_instances = False
    return query


def _read_options(query: SAQuery, step: Step) -> None:
    for arg in step.args:
        if arg.star or not isinstance(arg.value, cst.Call):
            query.loaded_unknown = True
            continue
        for node in iter_nodes(arg.value):
            if isinstance(node, cst.Attribute):
                query.loaded.add(node.attr.value)
            elif isinstance(node, cst.SimpleString):
                text = _string_value(node)
                if text is None or text == "*" or text.endswith(".*"):
                    query.loaded_unknown = True
                else:
                    query.loaded |= set(text.replace(".", " ").split())
    if not step.args:
        query.loaded_unknown = True


# --- local names bound to a query ------------------------------------------------------------


def assignments(function: cst.CSTNode, name: str) -> Optional[list[cst.BaseExpression]]:
    """Every value assigned to ``name`` in the function, in source order; None when the
    name is bound any other way (parameter, loop target, ``with``, unpacking, ``global``...)."""
    values = _bindings(function).get(name)
    return list(values) if values else None


def sole_value(context, expr: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """``expr``, or for a name the one value the enclosing function assigns to it (``rows =
    Doc.objects(...)``; ``for row in rows``); None when it is assigned more than once or
    bound another way."""
    if not isinstance(expr, cst.Name):
        return expr
    function = context.function
    values = assignments(function.node, expr.value) if function is not None and function.node is not None else None
    return values[0] if values and len(values) == 1 else None


# The bindings of the last few functions asked about: rules ask about many names of one function
# (each query site), and one walk answers them all. Keyed by id, the node kept to check identity.
_BINDINGS: dict[int, tuple[cst.CSTNode, dict[str, Optional[list[cst.BaseExpression]]]]] = {}


def _bindings(function: cst.CSTNode) -> dict[str, Optional[list[cst.BaseExpression]]]:
    """name -> the values assigned to it in ``function`` (in source order), or None when it
    is bound any other way: what ``assignments`` answers, for every name in one walk."""
    known = _BINDINGS.get(id(function))
    if known is not None and known[0] is function:
        return known[1]
    found: dict[str, Optional[list[cst.BaseExpression]]] = {}

    def other(names) -> None:
        for bound in names:
            found[bound] = None

    def value(bound: str, expression: cst.BaseExpression) -> None:
        values = found.setdefault(bound, [])
        if values is not None:
            values.append(expression)

    for node in iter_nodes(function):
        if isinstance(node, cst.Assign):
            if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
                value(node.targets[0].target.value, node.value)
            else:
                for target in node.targets:
                    other(names_in_target(target.target))
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                for bound in names_in_target(node.target):
                    value(bound, node.value)
        elif isinstance(node, (cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr, cst.Del)):
            other(names_in_target(node.target))
        elif isinstance(node, cst.AsName):
            other(names_in_target(node.name))
        elif isinstance(node, cst.Param):
            other((node.name.value,))
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            other(item.name.value for item in node.names)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)) and node is not function:
            other((node.name.value,))
        elif isinstance(node, cst.ImportAlias):
            bound = node.asname.name if node.asname else node.name
            if isinstance(bound, cst.Name):
                other((bound.value,))
    if len(_BINDINGS) >= 16:
        _BINDINGS.clear()
    _BINDINGS[id(function)] = (function, found)
    return found


def tracked_django_query(
    context: FileContext, view: OrmView, name: str, depth: int = 0, rows: bool = False
) -> Optional[DjangoQuery]:
    """A local name bound only to querysets of one model (refinements of itself allowed).
    With ``rows`` (the caller iterates the name), also bound to ``list(...)`` of one, or to
    another such local refined (``batch = list(qs.filter(pk__gt=last)[:size])``): the
    rows are that model's instances, though the name is no queryset."""
    function = context.function
    if function is None or function.node is None:
        return None
    values = assignments(function.node, name)
    if not values:
        return None
    result: Optional[DjangoQuery] = None
    for value in values:
        listed = _listed(value) if rows else None
        if listed is not None:
            value = listed
        if rows and _is_chain(value):
            # ``list(chain(UserPerm.objects.all(), GroupPerm.objects.all()))``: rows of each part
            chained = _chained_query(context, view, value)
            if chained is None:
                return None
            result = _joined(result, chained)
            if result is None:
                return None
            continue
        root, steps = unwrap_chain(value)
        if (
            rows
            and isinstance(root, cst.Name)
            and root.value != name
            and steps
            and depth < 2
            and all(step.method in _PASSED_STEPS and not is_index_step(step) for step in steps)
            and context.is_local(root.value)
        ):
            other = tracked_django_query(context, view, root.value, depth + 1, rows=True)
            if other is None:
                return None
            _refine(other, steps)
            result = _joined(result, other)
            if result is None:
                return None
            continue
        if isinstance(root, cst.Name) and root.value == name:
            if result is None or not steps:
                return None  # refined before it was defined, or plainly copied: not followed
            if steps[-1].method in DJANGO_EVALUATE or steps[-1].method in DJANGO_WRITES:
                return None  # qs = qs.first(): no longer a queryset
            _refine(result, steps)
            result.steps = steps
            continue
        query = django_query(context, view, value)
        if query is None or query.terminal in DJANGO_EVALUATE or query.terminal in DJANGO_WRITES:
            return None
        result = _joined(result, query)
        if result is None:
            return None
    return result


def _is_chain(value: cst.BaseExpression) -> bool:
    return (
        isinstance(value, cst.Call)
        and dotted_name(value.func) in ("chain", "itertools.chain")
        and len(value.args) >= 2
        and all(arg.keyword is None and not arg.star for arg in value.args)
    )


def _chained_query(context: FileContext, view: OrmView, value: cst.Call) -> Optional[DjangoQuery]:
    """The parts of ``chain(q1, q2, ...)`` as one query: one model's querysets merged; querysets
    of models the index cannot see (their relations are judged by name) stand for each other."""
    parts: list[DjangoQuery] = []
    for arg in value.args:
        query = django_query(context, view, arg.value)
        if not _lazy_queryset(query):
            return None
        parts.append(query)
    first = parts[0]
    for other in parts[1:]:
        if other.model.key != first.model.key:
            if first.model.key in view.index.models or other.model.key in view.index.models:
                return None
        first.merge(other)
    return first


def _listed(value: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """``x`` of ``list(x)``, else None."""
    if (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Name)
        and value.func.value == "list"
        and len(value.args) == 1
        and value.args[0].keyword is None
        and not value.args[0].star
    ):
        return value.args[0].value
    return None


def _refine(query: DjangoQuery, steps) -> None:
    """Add what ``steps`` (``.filter(...)``, ``.select_related(...)``...) applied after
    ``query`` load and filter to it."""
    part = DjangoQuery(query.model, query.manager, None, list(steps))
    _read_steps(part, steps)
    query.merge(part)


def _joined(result: Optional[DjangoQuery], query: DjangoQuery) -> Optional[DjangoQuery]:
    """``query`` merged into ``result`` (``query`` itself when there is no result yet); None
    when the two query different models."""
    if result is None:
        return query
    if query.model.key != result.model.key:
        return None
    result.merge(query)
    return result


def _lazy_queryset(query: Optional[DjangoQuery]) -> bool:
    """A queryset still to be iterated: not evaluated, written or indexed by its chain."""
    return query is not None and query.terminal not in DJANGO_EVALUATE and query.terminal not in DJANGO_WRITES and query.terminal != "[index]"


def _as_cst(node: ast.expr) -> Optional[cst.BaseExpression]:
    """A stdlib ``ast`` expression as libcst's (through its source), or None."""
    try:
        return cst.parse_expression(ast.unparse(node))
    except Exception:
        return None


def tracked_sa_query(context: FileContext, view: OrmView, name: str) -> Optional[SAQuery]:
    function = context.function
    if function is None or function.node is None:
        return None
    values = assignments(function.node, name)
    if not values:
        return None
    result: Optional[SAQuery] = None
    for value in values:
        root, steps = unwrap_chain(value)
        if isinstance(root, cst.Name) and root.value == name:
            if result is None or not steps:
                return None
            for step in steps:
                if step.method == "options":
                    _read_options(result, step)
                elif step.method not in SA_SAME_ROWS and step.method not in SA_EVALUATE:
                    result.rows_are_instances = False
            continue
        query = sa_query(context, view, value) or _sa_select(context, view, value)
        if query is None:
            return None
        if result is None:
            result = query
        elif query.model.key != result.model.key:
            return None
        else:
            result.merge(query)
    return result


def name_loads(function: cst.CSTNode, name: str) -> list[cst.Name]:
    """Every ``Name`` node spelling ``name`` in the function, bindings included."""
    return [node for node in iter_nodes(function) if isinstance(node, cst.Name) and node.value == name]


def refinement_bases(function: cst.CSTNode, name: str) -> set[int]:
    """ids of the ``Name`` nodes that are the base of ``name = name.filter(...)`` refinements
    or the assignment targets themselves: uses that do not evaluate the queryset."""
    ids: set[int] = set()
    for node in iter_nodes(function):
        if isinstance(node, (cst.Assign, cst.AnnAssign)):
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            if not any(isinstance(t, cst.Name) and t.value == name for t in targets):
                continue
            for target in targets:
                if isinstance(target, cst.Name):
                    ids.add(id(target))
            if node.value is None:
                continue
            root, _ = unwrap_chain(node.value)
            if isinstance(root, cst.Name) and root.value == name:
                ids.add(id(root))
    return ids


# --- loops over query results ----------------------------------------------------------------


def loop_rows(target: cst.BaseExpression, iterable: cst.BaseExpression) -> Optional[tuple[str, cst.BaseExpression]]:
    """The name each row is bound to and the expression yielding the rows:
    ``for b in rows`` -> (b, rows); ``for i, b in enumerate(rows)`` -> (b, rows);
    ``list(rows)`` is looked through."""
    if isinstance(target, cst.Name):
        row = target.value
    elif (
        isinstance(target, cst.Tuple)
        and len(target.elements) == 2
        and isinstance(target.elements[1].value, cst.Name)
        and isinstance(iterable, cst.Call)
        and isinstance(iterable.func, cst.Name)
        and iterable.func.value == "enumerate"
        and len(iterable.args) == 1
        and iterable.args[0].keyword is None
        and not iterable.args[0].star
    ):
        row = target.elements[1].value.value
        iterable = iterable.args[0].value
    else:
        return None
    if (
        isinstance(iterable, cst.Call)
        and isinstance(iterable.func, cst.Name)
        and iterable.func.value == "list"
        and len(iterable.args) == 1
        and not iterable.args[0].star
    ):
        iterable = iterable.args[0].value
    return row, iterable


def iterated_query(context: FileContext, view: OrmView, iterable: cst.BaseExpression):
    """The Django or SQLAlchemy query a loop iterates (inline or through a local name), or None."""
    if isinstance(iterable, cst.Name):
        return tracked_django_query(context, view, iterable.value, rows=True) or tracked_sa_query(context, view, iterable.value)
    root, steps = unwrap_chain(iterable)
    if isinstance(root, cst.Name) and steps and all(step.method in _PASSED_STEPS for step in steps):
        # ``for row in qs.iterator(chunk_size=...)`` / ``qs.filter(...)`` on a local queryset
        tracked = tracked_django_query(context, view, root.value)
        if tracked is not None:
            single = tracked.single
            _refine(tracked, steps)
            tracked.single = single
            return tracked
        return None
    query = django_query(context, view, iterable)
    if query is not None:
        if not _lazy_queryset(query):
            return None
        return query
    return sa_query(context, view, iterable)


def in_migrations(context: FileContext) -> bool:
    """Code that runs once per deployment, not per request: a file in a ``migrations/`` folder,
    a module that declares Django's ``class Migration(migrations.Migration)``, or a data
    migration's function (``def forwards(apps, schema_editor)``, the signature ``RunPython``
    calls) wherever it is written."""
    if "migrations" in context.path.replace("\\", "/").split("/"):
        return True
    for scope in context.scopes:
        if scope.kind == "function" and isinstance(scope.node, cst.FunctionDef):
            names = [p.name.value for p in (*scope.node.params.posonly_params, *scope.node.params.params)]
            if names[-2:] == ["apps", "schema_editor"]:
                return True
    return _declares_migration(context.facts)




def _declares_migration(facts: ModuleFacts) -> bool:
    """The module defines ``class Migration(migrations.Migration)`` at its top level."""
    return facts.memo("declares a migration", _find_migration)


def _find_migration(facts: ModuleFacts) -> bool:
    found = facts.tree is not None and any(
        isinstance(node, ast.ClassDef)
        and node.name == "Migration"
        and any(_ast_dotted(base).endswith("migrations.Migration") for base in node.bases)
        for node in facts.tree.body
    )
    return found


# --- peewee and Tortoise ---------------------------------------------------------------------

LIGHT_MODULES = ("peewee", "playhouse", "tortoise", "pony")


def light_models(context) -> frozenset[str]:
    """Classes of the module that derive (in the module) from a peewee or Tortoise ``Model``, or
    from a Pony ``db.Entity`` (``db = Database()``)."""
    return _light_models(context.facts)


def _light_models(facts: ModuleFacts) -> frozenset[str]:
    return facts.memo("peewee/Tortoise models", _find_light_models)


def _pony_databases(facts: ModuleFacts) -> set[str]:
    """Module-level names bound to Pony's ``Database(...)``: ``<db>.Entity`` is its model base."""
    names: set[str] = set()
    for node in facts.tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Call):
            callee = _ast_dotted(node.value.func)
            head, _, rest = callee.partition(".")
            qualified = facts.imports.get(head)
            if qualified is not None and (f"{qualified}.{rest}" if rest else qualified) in ("pony.orm.Database", "pony.orm.core.Database"):
                names.add(node.targets[0].id)
    return names


def _find_light_models(facts: ModuleFacts) -> frozenset[str]:
    found: set[str] = set()
    if any(value.split(".")[0] in LIGHT_MODULES for value in facts.imports.values()) and facts.tree is not None:
        classes = [node for node in facts.tree.body if isinstance(node, ast.ClassDef)]
        pony = {f"{name}.Entity" for name in _pony_databases(facts)}
        changed = True
        while changed:
            changed = False
            for node in classes:
                if node.name in found:
                    continue
                for base in node.bases:
                    text = ast.unparse(base)
                    qualified = facts.imports.get(text.split(".")[0])
                    if text in found or text in pony or (
                        qualified is not None
                        and qualified.split(".")[0] in LIGHT_MODULES
                        and text.rpartition(".")[2] == "Model"
                    ):
                        found.add(node.name)
                        changed = True
                        break
    result = frozenset(found)
    return result




def peewee_foreign_keys(context) -> dict[str, dict[str, str]]:
    """peewee models of the module -> their ``ForeignKeyField`` attributes -> the target's name
    as written (``"Depot"``, or ``"self"``). Reading such an attribute on a row loads the related
    row with one query unless the rows' query joined it (peewee's ``lazy_load``)."""
    return context.facts.memo("peewee foreign keys", _find_peewee_foreign_keys)


def _find_peewee_foreign_keys(facts: ModuleFacts) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    models = _light_models(facts)
    if models and facts.tree is not None:
        for node in facts.tree.body:
            if not isinstance(node, ast.ClassDef) or node.name not in models:
                continue
            for attribute, call in _field_calls(node):
                if _imported_name(facts, call.func, ("peewee", "playhouse")) != "ForeignKeyField":
                    continue
                lazy = next((k.value for k in call.keywords if k.arg == "lazy_load"), None)
                if isinstance(lazy, ast.Constant) and lazy.value is False:
                    continue
                target = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "model"), None)
                name = _ast_dotted(target) if target is not None else ""
                if isinstance(target, ast.Constant) and isinstance(target.value, str):
                    name = target.value
                found.setdefault(node.name, {})[attribute] = name or "?"
    return found


def tortoise_relation_managers(context) -> frozenset[str]:
    """Attribute names that hold a Tortoise relation manager on a model of the module: the
    ``related_name`` of a ``ForeignKeyField``/``ManyToManyField`` (the reverse side) and a
    ``ManyToManyField`` itself. Like a SQLAlchemy ``lazy="dynamic"`` relationship, every awaited
    ``all()``/``count()``/``first()`` on one runs a query; Tortoise loads none with the rows."""
    return context.facts.memo("tortoise relation managers", _find_tortoise_relation_managers)


_TORTOISE_RELATIONS = frozenset({"ForeignKeyField", "ManyToManyField"})


def _find_tortoise_relation_managers(facts: ModuleFacts) -> frozenset[str]:
    found: set[str] = set()
    models = _light_models(facts)
    if models and facts.tree is not None:
        for node in facts.tree.body:
            if not isinstance(node, ast.ClassDef) or node.name not in models:
                continue
            for attribute, call in _field_calls(node):
                field = _imported_name(facts, call.func, ("tortoise",))
                if field not in _TORTOISE_RELATIONS:
                    continue
                if field.startswith("ManyToMany"):
                    found.add(attribute)
                for keyword in call.keywords:
                    if keyword.arg == "related_name" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                        found.add(keyword.value.value)
    return frozenset(found)


def _field_calls(cls: ast.ClassDef) -> Iterator[tuple[str, ast.Call]]:
    """(attribute, call) for each ``attribute = Field(...)`` of a class body."""
    for statement in cls.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, ast.Call)
        ):
            yield statement.targets[0].id, statement.value


def _imported_name(facts: ModuleFacts, expr: ast.AST, packages: tuple[str, ...]) -> str:
    """The last part of the name ``expr`` spells through the module's imports when it comes from
    one of ``packages`` (``me.ReferenceField`` -> ``"ReferenceField"``), else ``""``."""
    head, _, rest = _ast_dotted(expr).partition(".")
    qualified = facts.imports.get(head)
    if qualified is None or qualified.split(".")[0] not in packages:
        return ""
    return (f"{qualified}.{rest}" if rest else qualified).rpartition(".")[2]


def graphene_resolver(context) -> bool:
    """The current function is a ``resolve_<field>(self, info, ...)`` method of a graphene-django
    ``DjangoObjectType``: ``self`` is one model instance, the parent object the field is
    resolved for (once per parent when the type is served in a list)."""
    scopes = context.scopes
    if len(scopes) < 3 or scopes[-1].kind != "function" or scopes[-2].kind != "class":
        return False
    function, klass = scopes[-1].node, scopes[-2].node
    if not isinstance(function, cst.FunctionDef) or not function.name.value.startswith("resolve_"):
        return False
    if not isinstance(klass, cst.ClassDef):
        return False
    return any(
        base.keyword is None and (dotted_name(base.value) or "").rpartition(".")[2] == "DjangoObjectType"
        for base in klass.bases
    )


# --- MongoEngine ------------------------------------------------------------------------------

_MONGOENGINE_BASES = ("Document", "DynamicDocument")


def mongoengine_documents(context) -> dict[str, dict[str, str]]:
    """MongoEngine ``Document`` classes of the module (deriving from ``mongoengine.Document``/
    ``DynamicDocument``, directly or through a class of the module) -> their reference fields ->
    ``"one"`` for a ``ReferenceField`` (reading it on a document fetches the referenced document:
    one query per document) or ``"list"`` for a ``ListField(ReferenceField(...))`` (one ``$in``
    query per document). ``LazyReferenceField``/``CachedReferenceField`` do not fetch on access."""
    return context.facts.memo("mongoengine documents", _find_mongoengine_documents)


def _find_mongoengine_documents(facts: ModuleFacts) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    if facts.tree is None or not any(v.split(".")[0] == "mongoengine" for v in facts.imports.values()):
        return found

    def mongoengine_name(expr: ast.AST) -> str:
        return _imported_name(facts, expr, ("mongoengine",))

    classes = [node for node in facts.tree.body if isinstance(node, ast.ClassDef)]
    changed = True
    while changed:
        changed = False
        for node in classes:
            if node.name not in found and any(
                _ast_dotted(base) in found or mongoengine_name(base) in _MONGOENGINE_BASES for base in node.bases
            ):
                found[node.name] = {}
                changed = True
    for node in classes:
        if node.name not in found:
            continue
        for attribute, call in _field_calls(node):
            field_kind = mongoengine_name(call.func)
            inner = call.args[0] if call.args else None
            if field_kind == "ReferenceField":
                found[node.name][attribute] = "one"
            elif field_kind == "ListField" and isinstance(inner, ast.Call) and mongoengine_name(inner.func) == "ReferenceField":
                found[node.name][attribute] = "list"
    return found


def mongoengine_chain(context, expr: cst.BaseExpression) -> Optional[tuple[str, list[Step]]]:
    """``Doc.objects(...)...`` or ``Doc.objects.filter(...)...`` on a MongoEngine document class
    of the module: the class name and the steps after ``objects``; or None."""
    root, steps = unwrap_chain(expr)
    if isinstance(root, cst.Attribute) and root.attr.value == "objects" and isinstance(root.value, cst.Name):
        owner = root.value.value
    elif isinstance(root, cst.Name) and steps and steps[0].method == "objects":
        owner, steps = root.value, steps[1:]
    else:
        return None
    if owner not in mongoengine_documents(context) or context.is_local(owner):
        return None
    return owner, steps


def dynamic_relationships(context) -> frozenset[str]:
    """Attribute names the module declares as SQLAlchemy relationships with ``lazy="dynamic"``
    (``relationship(...)``, Flask-SQLAlchemy's ``db.relationship(...)``, and a
    ``backref("name", lazy="dynamic")``): reading one gives a query, and every
    ``count()``/``all()``/``first()`` on it runs one."""
    facts = context.facts
    known = facts.__dict__.get("_dynamic_relationships")
    if known is not None:
        return known
    found: set[str] = set()
    if facts.tree is not None and may_declare_dynamic(facts):
        for node in ast.walk(facts.tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for statement in node.body:
                if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                    target, value = statement.targets[0], statement.value
                elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                    target, value = statement.target, statement.value
                else:
                    continue
                if not (isinstance(target, ast.Name) and isinstance(value, ast.Call)):
                    continue
                if _ast_dotted(value.func).rpartition(".")[2] != "relationship":
                    continue
                if _lazy_dynamic(value):
                    found.add(target.id)
                for keyword in value.keywords:
                    backref = keyword.value
                    if (
                        keyword.arg == "backref"
                        and isinstance(backref, ast.Call)
                        and _ast_dotted(backref.func).rpartition(".")[2] == "backref"
                        and backref.args
                        and isinstance(backref.args[0], ast.Constant)
                        and isinstance(backref.args[0].value, str)
                        and _lazy_dynamic(backref)
                    ):
                        found.add(backref.args[0].value)
    result = facts.__dict__["_dynamic_relationships"] = frozenset(found)
    return result


def may_declare_dynamic(facts) -> bool:
    """The module's text has both words of ``lazy="dynamic"`` (a word index lookup each)."""
    return facts.mentions("lazy") and facts.mentions("dynamic")


def _lazy_dynamic(call: ast.Call) -> bool:
    return any(
        k.arg == "lazy" and isinstance(k.value, ast.Constant) and k.value.value == "dynamic" for k in call.keywords
    )


# --- rows handed to a helper -----------------------------------------------------------------



def _calls_by_name(facts) -> dict[str, list[tuple[ast.Call, Optional[ast.AST]]]]:
    """Calls of plain names in the module -> [(call, the innermost function around it)]."""
    return facts.memo("calls by name", _find_calls_by_name)


def _find_calls_by_name(facts) -> dict[str, list[tuple[ast.Call, Optional[ast.AST]]]]:
    found: dict[str, list[tuple[ast.Call, Optional[ast.AST]]]] = {}
    if facts.tree is not None:
        owner: dict[int, ast.AST] = {}
        for node in ast.walk(facts.tree):  # outer functions come first: inner ones overwrite
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Call):
                        owner[id(sub)] = node
        for node in ast.walk(facts.tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                found.setdefault(node.func.id, []).append((node, owner.get(id(node))))
    return found


def _ast_single_value(function: Optional[ast.AST], name: str) -> Optional[ast.expr]:
    """The one value ``name`` is assigned in ``function`` when that is its only binding."""
    if function is None:
        return None
    values = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name and len(node.targets) == 1:
                    values.append(node.value)
                elif any(isinstance(t, ast.Name) and t.id == name for t in ast.walk(target)):
                    return None
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.NamedExpr)):
            if any(isinstance(t, ast.Name) and t.id == name for t in ast.walk(node.target)):
                return None
        elif isinstance(node, ast.arg) and node.arg == name:
            return None
    return values[0] if len(values) == 1 else None



def passed_query(context: FileContext, view: OrmView, iterable: cst.BaseExpression) -> Optional[DjangoQuery]:
    """``for line in lines`` (or ``lines.iterator(...)``, or a local bound once to such a chain)
    in a module-level function whose parameter ``lines`` every call of the module fills with a
    Django queryset (inline, or a name its caller binds once to one): the rows of that queryset,
    with what the caller and the helper loaded. Not editable here (no fix)."""
    function = context.function
    if function is None or not isinstance(function.node, cst.FunctionDef):
        return None
    outer = [scope for scope in context.scopes if scope.kind in ("function", "class")]
    method = len(outer) >= 2 and outer[-1] is function and outer[-2].kind == "class"
    if method:
        # A method: trusted when the module calls it only as ``self.name(...)`` from methods
        # of its own class (``self.archive(dormant)`` in a command's ``handle``).
        calls = _self_calls(context.facts, outer[-2].name, function.node.name.value)
        if calls is None:
            return None
    elif outer[:1] != [function]:
        # A nested function is called by its name in the function around it; trusted when no
        # other function of the module has its name.
        if any(scope.kind == "class" for scope in outer) or len(_function_defs(context.facts, function.node.name.value)) != 1:
            return None
    root, steps = unwrap_chain(iterable)
    if isinstance(root, cst.Name) and not steps:
        values = assignments(function.node, root.value)
        if values and len(values) == 1:
            root, steps = unwrap_chain(values[0])
    if not isinstance(root, cst.Name) or any(step.method not in _PASSED_STEPS for step in steps):
        return None
    params = [p.name.value for p in (*function.node.params.posonly_params, *function.node.params.params)]
    if root.value not in params or _bindings(function.node).get(root.value, None) is not None:
        return None
    index = params.index(root.value)
    if method:
        if not params or index == 0 or function.node.decorators:
            return None
        index -= 1  # ``self`` is not passed
    else:
        calls = _calls_by_name(context.facts).get(function.node.name.value, [])
    if not calls:
        return None
    result: Optional[DjangoQuery] = None
    for call, caller in calls:
        if any(isinstance(arg, ast.Starred) for arg in call.args) or any(k.arg is None for k in call.keywords):
            return None
        keyword = next((k.value for k in call.keywords if k.arg == root.value), None)
        arg = call.args[index] if index < len(call.args) else keyword
        if arg is None:
            return None
        if isinstance(arg, ast.Name):
            arg = _ast_single_value(caller, arg.id)
            if arg is None:
                return None
        expr = _as_cst(arg)
        query = django_query(context, view, expr) if expr is not None else None
        if not _lazy_queryset(query):
            return None
        result = _joined(result, query)
        if result is None:
            return None
    if result is None:
        return None
    _refine(result, steps)
    result.single = False
    result.manager_node = None
    return result


def _self_calls(facts, class_name: str, name: str) -> Optional[list[tuple[ast.Call, Optional[ast.AST]]]]:
    """The ``self.name(...)`` calls in the methods of class ``class_name`` with the method
    around each; None when the class is defined more than once, defines ``name`` more than
    once, or the module calls or refers to ``.name`` any other way."""
    if facts.tree is None:
        return None
    classes = [node for node in ast.walk(facts.tree) if isinstance(node, ast.ClassDef) and node.name == class_name]
    if len(classes) != 1:
        return None
    owner = classes[0]
    defs = [stmt for stmt in owner.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name]
    if len(defs) != 1 or isinstance(defs[0], ast.AsyncFunctionDef):
        return None
    found: list[tuple[ast.Call, Optional[ast.AST]]] = []
    seen: set[int] = set()
    for stmt in owner.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(stmt):
            if (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "self"
            ):
                found.append((node, stmt))
                seen.add(id(node.func))
    for node in ast.walk(facts.tree):
        if isinstance(node, ast.Attribute) and node.attr == name and id(node) not in seen:
            return None  # ``other.name(...)``, ``self.name`` passed around, a subclass's call...
    return found


def _function_defs(facts, name: str) -> list[ast.AST]:
    if facts.tree is None:
        return []
    return [
        node for node in ast.walk(facts.tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name
    ]


def _only_return(function: ast.AST) -> Optional[ast.expr]:
    """The value of the one ``return`` of a plain function (no ``yield``, no other return),
    followed once through a local bound once (``qs = ...; return qs``)."""
    returns = []
    for node in ast.walk(function):
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return None
        if isinstance(node, ast.Return):
            returns.append(node)
        if node is not function and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return None
    if len(returns) != 1 or returns[0].value is None:
        return None
    value = returns[0].value
    if isinstance(value, ast.Name):
        value = _ast_single_value(function, value.id)
    return value


def steps_name(call: cst.Call) -> str:
    return call.func.attr.value if isinstance(call.func, cst.Attribute) else ""


def returned_query(context: FileContext, view: OrmView, iterable: cst.BaseExpression):
    """``for row in self.rows()`` / ``for row in open_orders()`` (optionally followed by
    ``.filter(...)``/``.iterator()``...): a method of the enclosing class, or a function of the
    module defined once, whose one ``return`` is a Django or SQLAlchemy query chain. The rows
    of that query, with what it loaded. Not editable here (no fix)."""
    root, steps = unwrap_chain(iterable)
    functions: list[ast.AST] = []
    if isinstance(root, cst.Name) and root.value == "self" and steps and steps[0].method != "[]":
        call, steps = steps[0].node, steps[1:]
        classes = [scope for scope in context.scopes if scope.kind == "class"]
        if not classes or context.facts.tree is None:
            return None
        owner = classes[-1].name
        for node in ast.walk(context.facts.tree):
            if isinstance(node, ast.ClassDef) and node.name == owner:
                functions += [
                    stmt for stmt in node.body
                    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == steps_name(call)
                ]
    elif isinstance(root, cst.Call) and isinstance(root.func, cst.Name) and not context.is_local(root.func.value):
        call = root
        functions = _function_defs(context.facts, root.func.value)
        if context.facts.tree is None or not all(node in context.facts.tree.body for node in functions):
            return None
    elif isinstance(root, (cst.Name, cst.Attribute)) and steps and steps[0].method != "[]" and isinstance(steps[0].node, cst.Call):
        # ``self.items.all()`` / ``repo.all()``: a method of the class of the module the value
        # holds an instance of (a repository built in ``__init__`` or annotated)
        holder = as_ast(root)
        inference = context.facts.inference
        target = inference.instance_method(context.scope_qualname, holder, steps[0].method) if holder is not None else None
        scope = inference.scopes.get(target) if target is not None else None
        if scope is None or scope.node is None:
            return None
        call, steps = steps[0].node, steps[1:]
        functions = [scope.node]
    else:
        return None
    if any(step.method not in _PASSED_STEPS for step in steps) or any(arg.star for arg in call.args):
        return None
    if len(functions) != 1 or isinstance(functions[0], ast.AsyncFunctionDef):
        return None
    value = _only_return(functions[0])
    if value is None or isinstance(value, ast.Name):
        return None
    expr = _as_cst(value)
    if expr is None:
        return None
    query = django_query(context, view, expr)
    if query is not None:
        if not _lazy_queryset(query):
            return None
        _refine(query, steps)
        query.single = False
        query.manager_node = None
        return query
    if steps:
        return None
    return sa_query(context, view, expr)


# --- a model's manager reached without naming the model -----------------------------------------

# Django's model API gives every model class these two managers, whatever the class is called:
# ``model._default_manager``, ``self.through._base_manager``. Code that is generic over models
# (a tagging library, a revision store) reaches its queries this way, so the model itself cannot
# be resolved, but the chain is surely a Django query.
OPAQUE_MANAGERS = frozenset({"_default_manager", "_base_manager"})
# Steps that pick the database and keep the manager a manager.
_MANAGER_ROUTING = frozenset({"using", "db_manager"})


def _lookup_manager(context: FileContext, steps: list) -> bool:
    """``model_class.objects.get(geoname_id=gid)`` in a module that imports Django, the model
    unresolved (a loop over model classes, a class from a run-time loader): Django's default
    manager name, queried with keyword lookups. A dictionary or list held as ``.objects`` takes no
    keyword arguments, so the keywords tell the manager from a container."""
    if not steps or not context.facts.imports_django:
        return False
    return any(arg.keyword is not None for step in steps for arg in step.args)


@dataclass
class OpaqueQuery:
    manager: str  # ``_default_manager`` or ``_base_manager``
    shown: str  # the receiver as shown in a message (``model._default_manager``)
    steps: list  # the query steps after the manager and its routing, innermost first


def opaque_manager_query(context: FileContext, expr: cst.BaseExpression) -> Optional[OpaqueQuery]:
    """``<anything>._default_manager[.using(db)].<steps>`` (also ``_base_manager``, a local
    name the function binds once to such a manager: ``manager = M._default_manager.using(db)``,
    and ``<anything>.objects`` queried with keyword lookups in a Django module), or None. The routing steps are left out of ``steps``: they pick a database, not rows."""
    root, steps = unwrap_chain(expr)
    while steps and steps[0].method in _MANAGER_ROUTING:
        steps = steps[1:]
    if isinstance(root, cst.Name):
        function = context.function
        values = assignments(function.node, root.value) if function is not None and function.node is not None else None
        if not values or len(values) != 1:
            return None
        bound_root, bound_steps = unwrap_chain(values[0])
        if any(step.method not in _MANAGER_ROUTING for step in bound_steps):
            return None  # a queryset, not the manager: other rules track those
        manager_node, shown = bound_root, root.value
    else:
        manager_node = root
        shown = None
    if not isinstance(manager_node, cst.Attribute):
        return None
    if manager_node.attr.value == "objects":
        if not _lookup_manager(context, steps):
            return None
    elif manager_node.attr.value not in OPAQUE_MANAGERS:
        return None
    if shown is None:
        owner = manager_node.value
        owner_name = cst.Module(body=[]).code_for_node(owner)
        if len(owner_name) > 30:
            owner_name = "..."
        shown = f"{owner_name}.{manager_node.attr.value}"
    return OpaqueQuery(manager=manager_node.attr.value, shown=shown, steps=steps)
