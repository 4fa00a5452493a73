"""The project model index: which ORM models a project defines and how they relate.

The N+1 rule needs to know that ``book.author`` is a foreign key and
``author.book_set`` a reverse relation, even when ``Book`` is defined in
another module. This module finds the project a file belongs to (the nearest
parent holding ``pyproject.toml``, ``setup.py``, ``setup.cfg``, ``manage.py``
or ``.git``), reads its Python files with the stdlib ``ast`` (skipping files
whose text mentions no model vocabulary), and keeps, per root:

- per file, the *declarations* found in it (classes, their bases, Django
  relation fields and managers, SQLAlchemy ``relationship()`` calls), with
  names already resolved through that file's imports;
- the resolved ``ModelIndex`` (inheritance applied, reverse relations added).

The cache lives in this process. It is revalidated by file and directory
mtimes at most every ``RECHECK_SECONDS`` (only changed files are re-read),
and ``invalidate()`` forces that check at once, for a language server to call
on save. The file being linted is always indexed from its in-memory tree, so
unsaved edits to its own models count.

Everything here is conservative: a relation whose kind or target is not known
is left out, and the rules stay silent about what is not in the index.
"""

from __future__ import annotations

import ast
import hashlib
import os
import stat
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Mapping, Optional

from perflint.source import parse_ast

ROOT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "manage.py", ".git")
# A file whose text contains none of these cannot declare a model or a relation.
KEYWORDS = (b"models", b"relationship", b"Field", b"__tablename__", b"Mapped")
SKIP_DIRS = frozenset(
    {
        ".bzr", ".direnv", ".eggs", ".git", ".hg", ".mypy_cache", ".nox", ".perflint_cache",
        ".pytest_cache", ".ruff_cache", ".svn", ".tox", ".venv", "__pycache__", "__pypackages__",
        "_build", "build", "buck-out", "dist", "migrations", "node_modules", "site-packages", "venv",
    }
)
MAX_FILES = 20_000  # a "project" bigger than this is probably a home directory: index what we reached
RECHECK_SECONDS = 2.0

DJANGO = "django"
SQLALCHEMY = "sqlalchemy"
TO_ONE = "to-one"
TO_MANY = "to-many"

_DJANGO_MODEL_BASES = frozenset({"django.db.models.Model", "django.db.models.base.Model"})
_DJANGO_FIELD_KINDS = {"ForeignKey": "fk", "OneToOneField": "o2o", "ManyToManyField": "m2m"}
_DJANGO_FIELD_MODULES = ("django.db.models", "django.db.models.fields.related")
_GENERIC_FK_MODULES = ("django.contrib.contenttypes.fields", "django.contrib.contenttypes.generic")
_SA_RELATIONSHIP = frozenset(
    {
        "sqlalchemy.orm.relationship",
        "sqlalchemy.orm.relation",
        "sqlalchemy.orm.relationships.relationship",
        "sqlalchemy.orm.relationships.RelationshipProperty",
        "sqlmodel.Relationship",
    }
)
_SA_LAZY_LOADS = frozenset({"select", "True"})  # reading the attribute runs a SELECT
_SA_EAGER = frozenset({"joined", "selectin", "subquery", "immediate", "False"})
_SA_COLUMN_HINTS = frozenset({"Column", "mapped_column", "Mapped", "relationship"})


# --- what the rules read --------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """An attribute of a model instance whose first read may run a query."""

    name: str
    kind: Optional[str]  # TO_ONE, TO_MANY, or None when the direction is unknown (SQLAlchemy)
    target: Optional[str]  # key of the related model, when known
    lazy: bool  # True when reading it runs a query unless the query loaded it eagerly
    generic: bool = False  # a Django GenericForeignKey: only ``prefetch_related`` loads it


@dataclass
class Model:
    key: str  # "blog.models.Book"
    name: str
    module: str
    framework: str  # DJANGO or SQLALCHEMY
    relations: dict[str, Relation] = field(default_factory=dict)
    managers: frozenset[str] = frozenset()  # Django manager attributes ("objects", ...)
    # True when ``objects`` is Django's own Manager on every class of the
    # model's ancestry, so no custom ``get_queryset`` may already prefetch.
    plain_objects: bool = False
    abstract: bool = False
    str_reads: tuple[tuple[str, ...], ...] = ()  # what ``str(row)`` reads (own or inherited ``__str__``)
    # What each ``@property``/``@cached_property`` of the class reads on ``self`` (own body only).
    property_reads: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    # Own and inherited attributes that are no relation (``ClassDecl.plain_fields``/``properties``).
    plain_fields: set[str] = field(default_factory=set)
    properties: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    # Own and inherited methods that write or reload the row on each call (``ClassDecl.row_methods``):
    # name -> (the call, the optional parameter guarding it or "", its position or -1).
    row_methods: dict[str, tuple[str, str, int]] = field(default_factory=dict)


class ModelIndex:
    """Models by key and by name, with inheritance applied and reverse relations added."""

    def __init__(self, models: Iterable[Model], methods: Optional[dict[str, list[tuple[str, int, int]]]] = None) -> None:
        self.models: dict[str, Model] = {model.key: model for model in models}
        # method name -> (class key, least, most arguments) for every declared class defining it
        self._methods = methods or {}
        self._row_names: Optional[frozenset[str]] = None
        self._by_name: dict[str, list[Model]] = {}
        for model in self.models.values():
            self._by_name.setdefault(model.name, []).append(model)
        self._plain: Optional[frozenset[str]] = None
        self._generic: Optional[frozenset[str]] = None
        self._property_only: Optional[frozenset[str]] = None

    def resolve(self, qualified: str, framework: Optional[str] = None) -> Optional[Model]:
        """The model a qualified dotted name refers to, if it is unambiguous."""
        model = self.models.get(qualified)
        if model is not None:
            return model if framework in (None, model.framework) else None
        module, _, name = qualified.rpartition(".")
        candidates = [
            m
            for m in self._by_name.get(name, ())
            if framework in (None, m.framework) and (not module or _modules_match(module, m.module))
        ]
        return candidates[0] if len(candidates) == 1 else None

    def is_plain_attribute(self, attribute: str) -> bool:
        """True when the project's models declare ``attribute`` only as something other than a
        relation: a non-relation field, or a property that reads no relation of its model. On
        a row whose model is unknown, reading it runs no query."""
        if self._plain is None:
            plain: set[str] = set()
            related: set[str] = set()
            for model in self.models.values():
                related.update(model.relations)
                plain.update(model.plain_fields)
                for name, reads in model.properties.items():
                    touches = any(read and read[0] in model.relations for read in reads)
                    (related if touches else plain).add(name)
            self._plain = frozenset(plain - related)
        return attribute in self._plain


    def is_property_only(self, attribute: str) -> bool:
        """True when the project's models declare ``attribute`` as a ``@property`` or
        ``@cached_property`` and never as a relation: on a row whose model is unknown it is no
        relation to ``select_related`` (pretix's ``payment.payment_provider``, a registry lookup)."""
        if self._property_only is None:
            properties: set[str] = set()
            related: set[str] = set()
            for model in self.models.values():
                related.update(model.relations)
                properties.update(model.properties)
            self._property_only = frozenset(properties - related)
        return attribute in self._property_only

    @property
    def row_method_names(self) -> frozenset[str]:
        """Names of the methods of Django models that save, delete or reload their row."""
        if self._row_names is None:
            self._row_names = frozenset(
                name for model in self.models.values() if model.framework == DJANGO for name in model.row_methods
            )
        return self._row_names

    def row_method(self, method: str, passed: int) -> Optional[tuple[Model, tuple[str, str, int]]]:
        """(model, the call it makes) when exactly one class the project declares has a method
        ``method`` that takes ``passed`` arguments, and it is a Django model whose method saves,
        deletes or reloads the row (``Subscription.update(action)`` calling ``self.save()``):
        called on a row whose model is unknown, it is that model's round trip. None when another
        class could answer the call too."""
        owners = [
            key for key, least, most in self._methods.get(method, ())
            if least <= passed and (most < 0 or passed <= most)
        ]
        if len(owners) != 1:
            return None
        model = self.models.get(owners[0])
        if model is None or model.framework != DJANGO or method not in model.row_methods:
            return None
        return model, model.row_methods[method]

    def is_generic_relation(self, attribute: str) -> bool:
        """True when the project's models declare ``attribute`` as a ``GenericForeignKey`` and
        otherwise only as a to-one relation (a concrete model may swap the generic key for a
        ``ForeignKey`` of the same name): on a row whose model is unknown, reading it loads a row."""
        if self._generic is None:
            generic: set[str] = set()
            other: set[str] = set()
            for model in self.models.values():
                for name, relation in model.relations.items():
                    if relation.generic:
                        generic.add(name)
                    elif relation.kind != TO_ONE:
                        other.add(name)
                other.update(model.plain_fields)
                other.update(model.properties)
            self._generic = frozenset(generic - other)
        return attribute in self._generic


def _modules_match(imported: str, defined: str) -> bool:
    """``blog.models`` names a module defined as ``src.blog.models`` or ``blog.models.book``."""
    return (
        imported == defined
        or defined.endswith("." + imported)
        or defined.startswith(imported + ".")
        or imported.endswith("." + defined)
    )


# --- declarations: what one file says, resolved through its own imports -------------------


@dataclass(frozen=True)
class FieldDecl:
    """A Django relation field or an SQLAlchemy ``relationship()`` in a class body."""

    name: str
    kind: str  # "fk", "o2o", "m2m", "gfk" (Django GenericForeignKey) or "sa"
    target: Optional[str]  # a qualified name, or a string reference ("Author", "blog.Author", "self")
    target_is_string: bool = False
    related_name: Optional[str] = None  # Django; "+"... means no reverse accessor
    has_related_name: bool = False
    symmetrical: Optional[bool] = None
    sa_lazy: Optional[str] = None  # the ``lazy=`` literal ("select" when absent), None when not a literal
    sa_many: Optional[bool] = None  # SQLAlchemy: collection or scalar, when the code says so
    sa_backref: Optional[str] = None
    sa_backref_lazy: Optional[str] = None


@dataclass(frozen=True)
class ClassDecl:
    module: str
    name: str
    bases: tuple[str, ...]  # qualified names of the bases ("django.db.models.Model", "blog.models.Base")
    fields: tuple[FieldDecl, ...] = ()
    django_body: bool = False  # the body calls something from django.db.models (fields)
    sa_body: bool = False  # __tablename__, Column/mapped_column/relationship in the body
    # Manager attributes: (name, True if it is django.db.models.Manager() itself)
    managers: tuple[tuple[str, bool], ...] = ()
    abstract: bool = False
    # What ``__str__`` reads on ``self`` (``("author", "name")`` for ``self.author.name``);
    # None when the class defines no ``__str__``.
    str_reads: Optional[tuple[tuple[str, ...], ...]] = None
    property_reads: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()
    # Attributes that are no relation: other fields (``answer = I18nTextField()``) and every
    # ``@property``/``@cached_property`` with what it reads on ``self``.
    plain_fields: tuple[str, ...] = ()
    properties: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()
    # Every plain method the class defines, with how many arguments a call may pass it besides
    # ``self`` (name, least, most; most is -1 with ``*args``/``**kwargs``), and those that write or
    # reload the row itself on each call, with the call that does it (``("mark_read", "self.save()")``).
    methods: tuple[tuple[str, int, int], ...] = ()
    # (name, the call, the optional parameter guarding it or "", its position after ``self`` or -1)
    row_methods: tuple[tuple[str, str, str, int], ...] = ()

    @property
    def key(self) -> str:
        return f"{self.module}.{self.name}"


def module_name(path: str, root: Optional[str]) -> str:
    """The dotted module name of a file relative to its project root (``blog.models``)."""
    if root is None:
        relative = os.path.basename(path)
    else:
        relative = os.path.relpath(path, root)
    parts = relative[:-3].split(os.sep) if relative.endswith(".py") else relative.split(os.sep)
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(part for part in parts if part and part != ".") or "__main__"


def package_of(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def resolve_relative(package: str, level: int, target: Optional[str]) -> Optional[str]:
    """``from ..x import y`` seen in ``package``: the absolute module name, if it stays in the tree."""
    if level == 0:
        return target
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    if target:
        base = base + target.split(".")
    return ".".join(base) or None


def import_table(tree: ast.Module, module: str, is_package: bool) -> dict[str, str]:
    """Module-level imports: local name -> qualified name (relative imports resolved)."""
    table: dict[str, str] = {}
    package = package_of(module, is_package)
    for node in _top_level(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    table[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    table.setdefault(head, head)
        elif isinstance(node, ast.ImportFrom):
            base = resolve_relative(package, node.level, node.module)
            if base is None:
                continue
            for alias in node.names:
                if alias.name != "*":
                    table[alias.asname or alias.name] = f"{base}.{alias.name}"
    return table


def _top_level(body: list[ast.stmt]):
    for node in body:
        yield node
        if isinstance(node, (ast.If, ast.Try)):
            for block in ("body", "orelse", "finalbody"):
                yield from _top_level(getattr(node, block, []) or [])
            for handler in getattr(node, "handlers", []) or []:
                yield from _top_level(handler.body)


def ast_dotted(node: ast.AST) -> Optional[str]:
    """``a.b.c`` for a name or an attribute chain on a name (stdlib ``ast``), else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def imported_name(node: ast.AST, imports: dict[str, str]) -> Optional[str]:
    """The qualified name a dotted ``ast`` expression spells through the module's ``imports``
    (``b3.client`` with ``import boto3 as b3``: ``boto3.client``), or None."""
    dotted = ast_dotted(node)
    if dotted is None:
        return None
    head, _, rest = dotted.partition(".")
    imported = imports.get(head)
    if imported is None:
        return None
    return f"{imported}.{rest}" if rest else imported


class _Resolver:
    """Qualified names inside one file: its imports, then its own top-level classes."""

    def __init__(self, tree: ast.Module, module: str, is_package: bool) -> None:
        self.module = module
        self.imports = import_table(tree, module, is_package)
        self.classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}

    def qualify(self, node: ast.AST) -> Optional[str]:
        dotted = ast_dotted(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head in self.classes:
            base = f"{self.module}.{head}"
        elif head in self.imports:
            base = self.imports[head]
        else:
            return None
        return f"{base}.{rest}" if rest else base


def declarations(tree: ast.Module, module: str, is_package: bool = False, row_trips: bool = True) -> tuple[ClassDecl, ...]:
    """Every top-level class of a file that may be an ORM model or a model mixin. Which methods
    make a row round trip (``ClassDecl.row_methods``, a walk of every method) is read only with
    ``row_trips``: the caller's text mentions Django, whose models are the only ones asked."""
    resolver = _Resolver(tree, module, is_package)
    found = [_class_decl(node, resolver, row_trips) for node in tree.body if isinstance(node, ast.ClassDef)]
    return tuple(found)


def _class_decl(node: ast.ClassDef, resolver: _Resolver, row_trips: bool = True) -> ClassDecl:
    bases = tuple(q for q in (resolver.qualify(base) for base in node.bases) if q is not None)
    unresolved_bases = sum(1 for base in node.bases if resolver.qualify(base) is None)
    if unresolved_bases:
        bases = bases + ("?",) * unresolved_bases  # a base we cannot see: managers unknown
    fields: list[FieldDecl] = []
    managers: list[tuple[str, bool]] = []
    django_body = sa_body = abstract = False
    str_reads: Optional[tuple[tuple[str, ...], ...]] = None
    property_reads: list[tuple[str, tuple[tuple[str, ...], ...]]] = []
    plain_fields: list[str] = []
    properties: list[tuple[str, tuple[tuple[str, ...], ...]]] = []
    methods: list[tuple[str, int, int]] = []
    row_methods: list[tuple[str, str, str, int]] = []
    for statement in node.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and not _is_property(statement):
            methods.append((statement.name, *_arity(statement.args)))
            written = _row_round_trip(statement) if row_trips else None
            if written is not None:
                row_methods.append((statement.name, *written))
        if isinstance(statement, ast.FunctionDef) and statement.name == "__str__":
            str_reads = _self_reads(statement)
        elif isinstance(statement, ast.FunctionDef) and _accessor_property(statement):
            property_reads.append((statement.name, _self_reads(statement)))
        if isinstance(statement, ast.FunctionDef) and _is_property(statement):
            properties.append((statement.name, _self_reads(statement)))
        target, value, annotation = _assignment(statement)
        if isinstance(statement, ast.ClassDef) and statement.name == "Meta":
            abstract = abstract or _meta_is_abstract(statement)
        if target is None:
            continue
        if target == "__tablename__":
            sa_body = True
        if annotation is not None and _mentions(annotation, "Mapped"):
            sa_body = True
        if not isinstance(value, ast.Call):
            continue
        callee = resolver.qualify(value.func) or ""
        short = callee.rpartition(".")[2] or (ast_dotted(value.func) or "").rpartition(".")[2]
        if callee.startswith("django.db.models."):
            django_body = True
        if short in _SA_COLUMN_HINTS and _is_sqlalchemy_call(value, callee, resolver):
            sa_body = True
        field_decl = _django_field(target, value, callee, resolver) or _sa_relationship(target, value, callee, annotation, resolver)
        if field_decl is not None:
            fields.append(field_decl)
            if field_decl.kind == "sa":
                sa_body = True
            else:
                django_body = True
            continue
        manager = _manager(value, callee)
        if manager is not None:
            managers.append((target, manager))
        else:
            plain_fields.append(target)
    return ClassDecl(
        module=resolver.module,
        name=node.name,
        bases=bases,
        fields=tuple(fields),
        django_body=django_body,
        sa_body=sa_body,
        managers=tuple(managers),
        abstract=abstract,
        str_reads=str_reads,
        property_reads=tuple(property_reads),
        plain_fields=tuple(plain_fields),
        properties=tuple(properties),
        methods=tuple(methods),
        row_methods=tuple(row_methods),
    )


def _arity(arguments: ast.arguments) -> tuple[int, int]:
    """(least, most) arguments a call through an instance passes (``self`` left out); most is -1
    when the method takes ``*args`` or ``**kwargs``."""
    positional = [*arguments.posonlyargs, *arguments.args][1:]
    least = len(positional) - len(arguments.defaults)
    least += sum(1 for default in arguments.kw_defaults if default is None)
    if arguments.vararg is not None or arguments.kwarg is not None:
        return max(least, 0), -1
    return max(least, 0), len(positional) + len(arguments.kwonlyargs)


# Calls on ``self`` (or on a row ``self`` holds: ``self.request.save()``) that cost a round trip.
_ROW_ROUND_TRIPS = frozenset({"save", "delete", "refresh_from_db"})


def _row_round_trip(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Optional[tuple[str, str, int]]:
    """``self.save()``, ``self.delete()``, ``self.refresh_from_db()`` or ``self.<relation>.save()``
    run by a method outside any loop of its own: (the call as ``"self.save()"``, the parameter
    whose truth it waits for or ``""``, that parameter's position after ``self`` or -1).
    None for the methods that are these calls (``save``, ``delete``: overriding them is not calling
    them per row), private helpers and dunders, and a method whose loop hands each item to
    another method of its class (``for s in subscribers: self.send_message(s)``): it does a
    group's work per call, and its own write is bookkeeping around the group; likewise a method
    that hands the work to another class (``self.event = Event.process(self.json_body)``)."""
    if function.name in _ROW_ROUND_TRIPS or function.name.startswith("_"):
        return None
    for node in ast.walk(function):
        if _hands_to_other_class(node):
            return None
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)) and any(
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Attribute)
            and isinstance(inner.func.value, ast.Name)
            and inner.func.value.id == "self"
            for part in node.body
            for inner in ast.walk(part)
        ):
            return None
    params = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)][1:]
    optional = set(params[len(params) - len(function.args.defaults):]) if function.args.defaults else set()
    stack: list[tuple[ast.AST, str]] = [(statement, "") for statement in function.body]
    while stack:
        node, guard = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.For, ast.AsyncFor, ast.While, ast.comprehension)):
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _ROW_ROUND_TRIPS:
            holder = node.func.value
            if isinstance(holder, ast.Attribute) and isinstance(holder.value, ast.Name):
                holder = holder.value  # ``self.request.save()``: a row ``self`` holds
            if isinstance(holder, ast.Name) and holder.id == "self":
                return f"{ast.unparse(node.func)}()", guard, params.index(guard) if guard else -1
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id in optional:
            # ``if clear_prefetch: self.refresh_from_db()``: a caller passing False skips it
            stack.extend((child, node.test.id) for child in node.body)
            stack.extend((child, guard) for child in node.orelse)
            continue
        stack.extend((child, guard) for child in ast.iter_child_nodes(node))
    return None


def _hands_to_other_class(node: ast.AST) -> bool:
    """``Event.process(data)``: a call of a method of a class named in place (not a constructor,
    not ``self``/``super()``): the work done per call is that class's."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id[:1].isupper()
    )


def _is_property(function: ast.FunctionDef) -> bool:
    return any((ast_dotted(d) or "").rpartition(".")[2] in ("property", "cached_property") for d in function.decorator_list)


def _accessor_property(function: ast.FunctionDef) -> bool:
    """A ``@property``/``@cached_property`` whose body is one ``return`` (after a docstring): a
    computed column such as ``return self.space.owner.username``. Longer properties do other work
    per call that dwarfs or hides the relation read, so they are not followed."""
    if not _is_property(function):
        return False
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        body = body[1:]
    return len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None


def _self_reads(function: ast.FunctionDef) -> tuple[tuple[str, ...], ...]:
    """The attribute chains read on ``self`` in a method's own body, longest form of each
    (``self.author.name`` gives ``("author", "name")``, not also ``("author",)``)."""
    chains: set[tuple[str, ...]] = set()
    inner: set[int] = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Attribute) or id(node) in inner:
            continue
        path: list[str] = []
        current: ast.AST = node
        while isinstance(current, ast.Attribute):
            path.append(current.attr)
            inner.add(id(current.value))
            current = current.value
        if isinstance(current, ast.Name) and current.id == "self":
            chains.add(tuple(reversed(path)))
    return tuple(sorted(chains))


def _assignment(statement: ast.stmt) -> tuple[Optional[str], Optional[ast.AST], Optional[ast.AST]]:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id, statement.value, None
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id, statement.value, statement.annotation
    return None, None, None


def _mentions(node: ast.AST, name: str) -> bool:
    return any(
        (isinstance(sub, ast.Name) and sub.id == name) or (isinstance(sub, ast.Attribute) and sub.attr == name)
        for sub in ast.walk(node)
    )


def _meta_is_abstract(meta: ast.ClassDef) -> bool:
    for statement in meta.body:
        target, value, _ = _assignment(statement)
        if target == "abstract" and isinstance(value, ast.Constant) and value.value is True:
            return True
    return False


def _keyword(call: ast.Call, name: str) -> Optional[ast.AST]:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _string(node: Optional[ast.AST]) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _django_field(name: str, call: ast.Call, callee: str, resolver: _Resolver) -> Optional[FieldDecl]:
    module, _, short = callee.rpartition(".")
    if short == "GenericForeignKey" and module in _GENERIC_FK_MODULES:
        # A to-one relation to a row of any model: reading it runs a query (the content type
        # itself comes from ContentType's cache) unless ``prefetch_related`` loaded it.
        return FieldDecl(name=name, kind="gfk", target=None)
    if short not in _DJANGO_FIELD_KINDS or module not in _DJANGO_FIELD_MODULES:
        return None
    target_node = call.args[0] if call.args else _keyword(call, "to")
    target, is_string = None, False
    if _string(target_node) is not None:
        target, is_string = _string(target_node), True
    elif target_node is not None:
        target = resolver.qualify(target_node)
    related = _keyword(call, "related_name")
    symmetrical = _keyword(call, "symmetrical")
    return FieldDecl(
        name=name,
        kind=_DJANGO_FIELD_KINDS[short],
        target=target,
        target_is_string=is_string,
        related_name=_string(related),
        has_related_name=related is not None,
        symmetrical=symmetrical.value if isinstance(symmetrical, ast.Constant) and isinstance(symmetrical.value, bool) else None,
    )


def _is_sqlalchemy_call(call: ast.Call, callee: str, resolver: _Resolver) -> bool:
    """``sqlalchemy.*`` / ``sqlmodel.*``, or an attribute of a Flask-SQLAlchemy ``db`` object."""
    if callee.startswith(("sqlalchemy.", "sqlmodel.", "flask_sqlalchemy.")):
        return True
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        owner = resolver.qualify(func.value)
        return (owner is None and func.value.id == "db") or (owner or "").endswith(".db")
    return False


def _sa_relationship(
    name: str, call: ast.Call, callee: str, annotation: Optional[ast.AST], resolver: _Resolver
) -> Optional[FieldDecl]:
    short = callee.rpartition(".")[2] if callee else (ast_dotted(call.func) or "").rpartition(".")[2]
    if callee not in _SA_RELATIONSHIP and not (short == "relationship" and _is_sqlalchemy_call(call, callee, resolver)):
        return None
    target, is_string = None, False
    first = call.args[0] if call.args else _keyword(call, "argument")
    if _string(first) is not None:
        target, is_string = _string(first), True
    elif isinstance(first, (ast.Name, ast.Attribute)):
        target = resolver.qualify(first) or ast_dotted(first)
    many = None
    uselist = _keyword(call, "uselist")
    if isinstance(uselist, ast.Constant) and isinstance(uselist.value, bool):
        many = uselist.value
    if annotation is not None:
        mapped_target, mapped_many = _mapped_annotation(annotation)
        if target is None and mapped_target is not None:
            target, is_string = mapped_target, True
        if many is None:
            many = mapped_many
    lazy_node = _keyword(call, "lazy")
    lazy = "select" if lazy_node is None else _literal_text(lazy_node)
    backref_name = backref_lazy = None
    backref = _keyword(call, "backref")
    if _string(backref) is not None:
        backref_name, backref_lazy = _string(backref), "select"
    elif isinstance(backref, ast.Call) and backref.args and _string(backref.args[0]) is not None:
        backref_name = _string(backref.args[0])
        inner = _keyword(backref, "lazy")
        backref_lazy = "select" if inner is None else _literal_text(inner)
    return FieldDecl(
        name=name,
        kind="sa",
        target=target,
        target_is_string=is_string,
        sa_lazy=lazy,
        sa_many=many,
        sa_backref=backref_name,
        sa_backref_lazy=backref_lazy,
    )


def _literal_text(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bool)):
        return str(node.value)
    return None


def _mapped_annotation(annotation: ast.AST) -> tuple[Optional[str], Optional[bool]]:
    """``Mapped["Author"]`` -> ("Author", False); ``Mapped[List["Book"]]`` -> ("Book", True)."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = parse_ast(annotation.value, mode="eval").body
        except SyntaxError:
            return None, None
    if not (isinstance(annotation, ast.Subscript) and (ast_dotted(annotation.value) or "").endswith("Mapped")):
        return None, None
    inner = annotation.slice
    many = False
    if isinstance(inner, ast.Subscript):
        outer = (ast_dotted(inner.value) or "").rpartition(".")[2]
        if outer in ("List", "list", "Set", "set", "Sequence", "Collection"):
            many, inner = True, inner.slice
        elif outer == "Optional":
            inner = inner.slice
        else:
            return None, None
    if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
        return inner.value, many
    if isinstance(inner, ast.Name):
        return inner.id, many
    return None, many


def _manager(call: ast.Call, callee: str) -> Optional[bool]:
    """True for ``models.Manager()``, False for another manager, None if not a manager."""
    if callee in ("django.db.models.Manager", "django.db.models.manager.Manager") and not call.args:
        return True
    func = call.func
    if isinstance(func, ast.Call):  # Manager.from_queryset(QS)()
        return False
    dotted = ast_dotted(func) or ""
    if dotted.endswith("Manager") or dotted.endswith(".as_manager"):
        return False
    return None


# --- resolution: declarations -> models -----------------------------------------------------


def _framework_of(
    key: str,
    classes: dict[str, ClassDecl],
    lookup: "_ClassLookup",
    framework: dict[str, Optional[str]],
    seen: frozenset = frozenset(),
) -> Optional[str]:
    """The ORM the class ``key`` is a model of, from its bases or its body; ``framework``
    keeps the answers. (A module function, not a closure: a recursive closure is a cycle.)"""
    if key in framework:
        return framework[key]
    decl = classes[key]
    result: Optional[str] = None
    for base in decl.bases:
        if base in _DJANGO_MODEL_BASES or (base.startswith("django.contrib.") and base.endswith("Model")):
            result = DJANGO
            break
        base_key = lookup.find(base)
        if base_key is not None and base_key not in seen and base_key != key:
            inherited = _framework_of(base_key, classes, lookup, framework, seen | {key})
            if inherited is not None:
                result = inherited
                break
    if result is None:
        if decl.django_body:
            result = DJANGO
        elif decl.sa_body:
            result = SQLALCHEMY
    framework[key] = result
    return result


def build_index(decls: Iterable[ClassDecl]) -> ModelIndex:
    classes: dict[str, ClassDecl] = {}
    for decl in decls:
        classes[decl.key] = decl
    lookup = _ClassLookup(classes)
    framework: dict[str, Optional[str]] = {}

    models: dict[str, Model] = {}
    for key in classes:
        kind = _framework_of(key, classes, lookup, framework)
        if kind is None:
            continue
        decl = classes[key]
        models[key] = Model(key=key, name=decl.name, module=decl.module, framework=kind, abstract=decl.abstract)
        defining = next((classes[k] for k in _ancestry(key, classes, lookup) if classes[k].str_reads is not None), None)
        if defining is not None:
            models[key].str_reads = defining.str_reads or ()
        for ancestor in reversed(list(_ancestry(key, classes, lookup))):
            models[key].property_reads.update(classes[ancestor].property_reads)
            models[key].plain_fields.update(classes[ancestor].plain_fields)
            models[key].properties.update(classes[ancestor].properties)
            models[key].row_methods.update((name, tuple(rest)) for name, *rest in classes[ancestor].row_methods)

    # Managers, and whether ``objects`` can be trusted to be Django's plain Manager.
    for key, model in models.items():
        if model.framework != DJANGO:
            continue
        names, plain = _managers(key, classes, lookup)
        model.managers = frozenset(names)
        model.plain_objects = plain

    # Forward relations, own and inherited (bases first, so a subclass's own field wins).
    for key, model in models.items():
        for decl_key in reversed(_ancestry(key, classes, lookup)):
            owner = classes[decl_key]
            for decl_field in owner.fields:
                relation = _forward_relation(decl_field, owner, model, models, lookup)
                if relation is not None:
                    model.relations[decl_field.name] = relation

    # Reverse relations: Django accessors and SQLAlchemy backrefs, onto the target model.
    for key, model in list(models.items()):
        if model.abstract:
            continue
        for decl_key in _ancestry(key, classes, lookup):
            owner = classes[decl_key]
            for decl_field in owner.fields:
                _add_reverse(decl_field, owner, model, models, lookup)
    methods: dict[str, list[tuple[str, int, int]]] = {}
    for key, decl in classes.items():
        for method, least, most in decl.methods:
            methods.setdefault(method, []).append((key, least, most))
    return ModelIndex(models.values(), methods)


class _ClassLookup:
    """Qualified or string references -> declared class keys."""

    def __init__(self, classes: Mapping[str, ClassDecl]) -> None:
        self.classes = classes
        self.by_name: dict[str, list[str]] = {}
        for key, decl in classes.items():
            self.by_name.setdefault(decl.name, []).append(key)

    def find(self, qualified: str) -> Optional[str]:
        if qualified in self.classes:
            return qualified
        module, _, name = qualified.rpartition(".")
        candidates = self.by_name.get(name, [])
        if module:
            candidates = [k for k in candidates if _modules_match(module, self.classes[k].module)]
        return candidates[0] if len(candidates) == 1 else None


def _ancestry(key: str, classes: Mapping[str, ClassDecl], lookup: _ClassLookup) -> list[str]:
    """The class and its known ancestors, nearest first (each once)."""
    order: dict[str, None] = {}  # insertion-ordered set
    stack = deque([key])
    while stack:
        current = stack.popleft()
        if current in order:
            continue
        order[current] = None
        for base in classes[current].bases:
            base_key = lookup.find(base) if base != "?" else None
            if base_key is not None and base_key not in order:
                stack.append(base_key)
    return list(order)


def _declared_managers(key, classes, lookup, seen) -> tuple[set[str], Optional[bool], bool]:
    """Managers declared in a class and its ancestry: (names, is ``objects`` plain
    (None when not declared), is the whole ancestry visible)."""
    decl = classes[key]
    own = dict(decl.managers)
    names = set(own)
    objects_plain = own.get("objects")
    known = True
    for base in decl.bases:
        if base in _DJANGO_MODEL_BASES:
            continue
        base_key = lookup.find(base) if base != "?" else None
        if base_key is None or base_key in seen:
            known = False  # a base we cannot see may declare a custom manager
            continue
        base_names, base_plain, base_known = _declared_managers(base_key, classes, lookup, seen | {key})
        names |= base_names
        if objects_plain is None:
            objects_plain = base_plain
        known = known and base_known
    return names, objects_plain, known


def _managers(key, classes, lookup) -> tuple[set[str], bool]:
    """Manager names of a Django model, and whether ``objects`` is known to be Django's plain Manager."""
    names, objects_plain, known = _declared_managers(key, classes, lookup, frozenset({key}))
    if objects_plain is not None:
        return names, objects_plain
    # Django adds a plain ``objects`` only when no manager is declared in the ancestry.
    return (names or {"objects"}), known and not names


def _forward_relation(decl_field, owner, model, models, lookup) -> Optional[Relation]:
    target_key = _target_key(decl_field, owner, model, lookup)
    if decl_field.kind == "sa":
        if model.framework != SQLALCHEMY:
            return None
        if decl_field.sa_lazy in _SA_LAZY_LOADS:
            lazy = True
        elif decl_field.sa_lazy in _SA_EAGER:
            lazy = False
        else:
            return None  # dynamic, write_only, raise, noload, or not a literal: leave it out
        kind = None if decl_field.sa_many is None else (TO_MANY if decl_field.sa_many else TO_ONE)
        return Relation(decl_field.name, kind, target_key if target_key in models else None, lazy)
    if model.framework != DJANGO:
        return None
    if decl_field.kind == "gfk":
        return Relation(decl_field.name, TO_ONE, None, True, generic=True)
    kind = TO_MANY if decl_field.kind == "m2m" else TO_ONE
    return Relation(decl_field.name, kind, target_key if target_key in models else None, True)


def _target_key(decl_field: FieldDecl, owner: ClassDecl, model: Model, lookup: _ClassLookup) -> Optional[str]:
    target = decl_field.target
    if target is None:
        return None
    if decl_field.kind == "sa":
        if decl_field.target_is_string:
            return lookup.find(target) if "." in target else _unique(lookup, target)
        return lookup.find(target)
    if not decl_field.target_is_string:
        return lookup.find(target)  # a class reference, qualified through the owner's imports
    if target == "self":
        return model.key
    if "." in target:  # "app_label.Model"
        app, _, name = target.rpartition(".")
        candidates = [k for k in lookup.by_name.get(name, []) if app in lookup.classes[k].module.split(".")]
        if len(candidates) == 1:
            return candidates[0]
        return _unique(lookup, name)
    same_module = f"{owner.module}.{target}"
    if same_module in lookup.classes:
        return same_module
    app = _app_label(owner.module)
    candidates = [k for k in lookup.by_name.get(target, []) if _app_label(lookup.classes[k].module) == app]
    if len(candidates) == 1:
        return candidates[0]
    return _unique(lookup, target)


def _unique(lookup: _ClassLookup, name: str) -> Optional[str]:
    candidates = lookup.by_name.get(name, [])
    return candidates[0] if len(candidates) == 1 else None


def _app_label(module: str) -> str:
    """Django's default app label: the package holding ``models`` (``blog.models.post`` -> ``blog``)."""
    parts = module.split(".")
    if "models" in parts:
        index = parts.index("models")
        return parts[index - 1] if index > 0 else ""
    return parts[-2] if len(parts) > 1 else parts[0]


def _add_reverse(decl_field, owner, model, models, lookup) -> None:
    target_key = _target_key(decl_field, owner, model, lookup)
    target = models.get(target_key) if target_key else None
    if target is None:
        return
    if decl_field.kind == "sa":
        if decl_field.sa_backref is None or target.framework != SQLALCHEMY:
            return
        lazy = decl_field.sa_backref_lazy
        if lazy in _SA_LAZY_LOADS:
            is_lazy = True
        elif lazy in _SA_EAGER:
            is_lazy = False
        else:
            return
        kind = None if decl_field.sa_many is None else (TO_ONE if decl_field.sa_many else TO_MANY)
        target.relations.setdefault(decl_field.sa_backref, Relation(decl_field.sa_backref, kind, model.key, is_lazy))
        return
    if target.framework != DJANGO:
        return
    if decl_field.kind == "m2m" and decl_field.target == "self" and decl_field.symmetrical is not False:
        return  # a symmetrical self-relation has no reverse accessor
    if decl_field.has_related_name:
        name = decl_field.related_name
        if name is None:
            return  # not a literal: unknown accessor
        name = name.replace("%(class)s", model.name.lower()).replace("%(app_label)s", _app_label(model.module))
        if name.endswith("+") or "%(" in name:
            return
    elif decl_field.kind == "o2o":
        name = model.name.lower()
    else:
        name = f"{model.name.lower()}_set"
    kind = TO_ONE if decl_field.kind == "o2o" else TO_MANY
    target.relations.setdefault(name, Relation(name, kind, model.key, True))


# --- the project cache -------------------------------------------------------------------


def project_root(path: str) -> Optional[str]:
    """The nearest parent directory of an existing file that marks a project; for a loose
    file (no marker up to ``/``), its own folder, so a script next to its ``models.py`` is
    understood (``loose_root``), or None."""
    if not path or path.startswith("<") or not os.path.isfile(path):
        return None
    directory = os.path.dirname(os.path.abspath(path))
    return _root_of(directory) or loose_root(directory)


LOOSE_MAX_FILES = 50


@lru_cache(maxsize=1024)
def loose_root(directory: str) -> Optional[str]:
    """A folder without a project marker is a project of its own files, not of its
    subfolders: indexing everything below ``/usr/lib/python3`` for one script would cost
    seconds. A folder with more than ``LOOSE_MAX_FILES`` Python files is no project: None."""
    try:
        count = sum(1 for name in os.listdir(directory) if name.endswith(".py"))
    except OSError:
        return None
    return directory if count <= LOOSE_MAX_FILES else None


def is_loose(root: str) -> bool:
    """A root that no marker makes: its project is its own files (``loose_root``)."""
    return not any(os.path.exists(os.path.join(root, marker)) for marker in ROOT_MARKERS)


@lru_cache(maxsize=1024)
def _root_of(directory: str) -> Optional[str]:
    if any(os.path.exists(os.path.join(directory, marker)) for marker in ROOT_MARKERS):
        return directory
    parent = os.path.dirname(directory)
    return None if parent == directory else _root_of(parent)


@dataclass
class _FileEntry:
    stamp: tuple[int, int]  # (mtime_ns, size)
    decls: tuple[ClassDecl, ...]


@dataclass
class _Project:
    root: str
    files: dict[str, _FileEntry] = field(default_factory=dict)
    checked_at: float = float("-inf")
    generation: int = 0
    index: ModelIndex = field(default_factory=lambda: ModelIndex(()))
    digest: str = ""  # content hash of every declaration, stable across processes
    refreshing: bool = False  # a background re-check is running (``refresh_in_background``)
    scanned_at: float = float("-inf")  # when the scan behind ``files`` started; an older one is dropped


_LOCK = threading.RLock()
_PROJECTS: dict[str, _Project] = {}
_MERGED: "OrderedDict[tuple, ModelIndex]" = OrderedDict()
_MERGED_SIZE = 16


def invalidate(path: Optional[str] = None) -> None:
    """Forget what may be stale: everything, or what a changed file contributed.

    With ``path``, that file is re-read on the next lookup; in every case the
    next lookup re-checks mtimes at once instead of waiting ``RECHECK_SECONDS``.
    """
    _root_of.cache_clear()
    loose_root.cache_clear()
    with _LOCK:
        for project in _PROJECTS.values():
            project.checked_at = float("-inf")
            project.scanned_at = time.monotonic()  # a background scan already running is stale
            if path is not None:
                project.files.pop(os.path.abspath(path), None)
        _MERGED.clear()


def clear() -> None:
    """Drop every cached project (tests use this)."""
    _root_of.cache_clear()
    loose_root.cache_clear()
    with _LOCK:
        _PROJECTS.clear()
        _MERGED.clear()


def _python_files(root: str) -> list[str]:
    found: list[str] = []
    if is_loose(root):
        return sorted(os.path.join(root, name) for name in os.listdir(root) if name.endswith(".py"))
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                found.append(os.path.join(directory, name))
                if len(found) >= MAX_FILES:
                    return found
    return found


def _read_decls(path: str, root: str) -> tuple[ClassDecl, ...]:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return ()  # a FIFO named *.py would block the read forever
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return ()
    if not any(keyword in data for keyword in KEYWORDS):
        return ()
    try:
        tree = parse_ast(data, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    return declarations(tree, module_name(path, root), os.path.basename(path) == "__init__.py", b"django" in data)


_RECHECK = True


def recheck(enabled: bool) -> bool:
    """Whether a project is re-checked every ``RECHECK_SECONDS`` (the editor's default) or read
    once (the command line's choice: the files do not change while one run lints them, its
    fixes change no model declaration, and each re-check stats every file of the project: the
    standard library as a project, 15,000 files, about 2 % of a run's time). Returns the
    previous setting."""
    global _RECHECK
    was, _RECHECK = _RECHECK, enabled
    return was


def _refresh(project: _Project) -> None:
    """Re-read what changed on disk since the last check (at most every ``RECHECK_SECONDS``)."""
    if time.monotonic() - project.checked_at < RECHECK_SECONDS or (not _RECHECK and project.generation):
        return
    _apply(project, *_scan(project))


def _scan(project: _Project) -> tuple[dict[str, _FileEntry], bool, float]:
    """The project's files as they are now, whether any declaration changed, and when the
    scan started. Reads ``project`` but changes nothing, so it can run on its own thread."""
    started = time.monotonic()
    known = dict(project.files)
    files: dict[str, _FileEntry] = {}
    changed = False
    for path in _python_files(project.root):
        try:
            status = os.stat(path)
        except OSError:
            continue
        stamp = (status.st_mtime_ns, status.st_size)
        entry = known.get(path)
        if entry is None or entry.stamp != stamp:
            decls = _read_decls(path, project.root)
            changed = changed or entry is None or entry.decls != decls
            entry = _FileEntry(stamp, decls)
        files[path] = entry
    changed = changed or any(known[gone].decls for gone in known.keys() - files.keys())
    return files, changed, started


def _apply(project: _Project, files: dict[str, _FileEntry], changed: bool, started: float) -> None:
    with _LOCK:
        if started < project.scanned_at:
            return  # a newer scan (or an ``invalidate``) came first
        project.scanned_at = started
        project.files = files
        if changed or project.generation == 0:
            project.index = build_index(d for entry in files.values() for d in entry.decls)
            project.digest = _digest(d for entry in files.values() for d in entry.decls)
            project.generation += 1
        project.checked_at = max(project.checked_at, started)


_BACKGROUND = False


def refresh_in_background(enabled: bool = True) -> None:
    """The language server's choice: the periodic re-check walks the project on a thread of
    its own while lookups answer from the index they have, so no keystroke pays for a walk
    of the whole project. A first lookup, and one after ``invalidate``, still reads in line."""
    global _BACKGROUND
    _BACKGROUND = enabled


def _refresh_soon(project: _Project) -> None:
    if project.refreshing or time.monotonic() - project.checked_at < RECHECK_SECONDS or not _RECHECK:
        return
    project.refreshing = True

    def run() -> None:
        try:
            _apply(project, *_scan(project))
        finally:
            project.refreshing = False

    threading.Thread(target=run, name="perflint-models-index", daemon=True).start()


def project_index(root: str) -> tuple[ModelIndex, _Project]:
    with _LOCK:
        project = _PROJECTS.get(root)
        if project is None:
            project = _PROJECTS[root] = _Project(root)
        if _BACKGROUND and project.generation and project.checked_at != float("-inf"):
            _refresh_soon(project)
        else:
            _refresh(project)
        return project.index, project


def _own_declarations(
    path: str, tree: Optional[ast.Module], mentions: Optional[Callable[[str], bool]], module: str
) -> tuple[ClassDecl, ...]:
    """The declarations of the file being linted, read from its current ``tree``. A text
    without model vocabulary (``mentions``: ``ModuleFacts.mentions``) declares nothing,
    exactly as ``_read_decls`` treats it on disk."""
    if tree is None or (mentions is not None and not any(mentions(keyword.decode()) for keyword in KEYWORDS)):
        return ()
    row_trips = mentions is None or mentions("django")
    return declarations(tree, module, os.path.basename(path) == "__init__.py", row_trips)


def index_for(
    path: str, tree: Optional[ast.Module], mentions: Optional[Callable[[str], bool]] = None
) -> tuple[ModelIndex, str]:
    """The model index for linting ``path`` whose current text parsed to ``tree`` (``mentions``
    answers whether that text contains a word), and the file's dotted module name."""
    root = project_root(path)
    module = module_name(os.path.abspath(path), root) if root else module_name(path, None)
    own = _own_declarations(path, tree, mentions, module)
    if root is None:
        return build_index(own), module
    with _LOCK:
        index, project = project_index(root)
        absolute = os.path.abspath(path)
        entry = project.files.get(absolute)
        if (entry.decls if entry is not None else ()) == own:
            return index, module
        key = (root, project.generation, absolute, own)
        merged = _MERGED.get(key)
        if merged is None:
            others = (d for p, e in project.files.items() if p != absolute for d in e.decls)
            merged = build_index([*others, *own])
            _MERGED[key] = merged
            while len(_MERGED) > _MERGED_SIZE:
                _MERGED.popitem(last=False)
        else:
            _MERGED.move_to_end(key)
        return merged, module


def _digest(decls: Iterable[ClassDecl]) -> str:
    return hashlib.blake2b(repr(sorted(decls, key=lambda d: d.key)).encode(), digest_size=12).hexdigest()


def fingerprint(
    path: str, tree: Optional[ast.Module] = None, mentions: Optional[Callable[[str], bool]] = None
) -> str:
    """A hash of the model declarations that linting ``path`` depends on.

    Findings of the ORM rules change when a model changes in *another* file;
    a cache keyed by the file's own text should add this to its key.
    """
    root = project_root(path)
    module = module_name(os.path.abspath(path), root) if root else module_name(path, None)
    own = _own_declarations(path, tree, mentions, module)
    if root is None:
        return _digest(own)
    with _LOCK:
        _, project = project_index(root)
        return hashlib.blake2b(f"{project.digest}|{_digest(own)}".encode(), digest_size=12).hexdigest()
