"""Know what each name holds: one inference layer for every rule and the prefilter.

A rule sees one piece of a file (a function, a method), but what a name holds
is often said elsewhere: ``self.visited = []`` in ``__init__``, a parameter
annotated ``list[str]``, a function whose ``-> list[Order]`` says what it
returns, ``conn = sqlite3.connect(...)`` at module level. ``ModuleInference``
reads the whole module's stdlib ``ast`` once (the engine has parsed it
already) and answers, for a name or an expression in a scope, **what kind of
value it holds** (``perflint.kinds``: ``"list"``, ``"set"``, ``"dbapi-cursor"``,
... or ``"unknown"``) with the evidence, and, for a function of the module,
**what one call of it does** (runs a query, makes an HTTP request, blocks,
creates a client), transitively through the module's own functions, with the
chain of calls that leads there.

Scopes are named by qualified name, the way ``FileContext.function_name``
names them: ``"Cart.total"`` for a method, ``"outer.inner"`` for a nested
function, ``""`` for the module. Names are resolved the way Python does:
the function's own bindings and parameters, then enclosing functions, then
the module. A name whose bindings disagree (a list here, a set there) is
``"unknown"``: rules stay silent on it. Binding to ``None`` is ignored (the
"not yet built" placeholder of a lazily filled attribute).

Answers are computed on demand and memoized, so a file whose rules ask
nothing pays only the collection walk (one pass over the ``ast``).

Sources of evidence, each a small function below: literals, displays and
comprehensions (``_display_kind``); constructor and well-known calls
(``_call_kind``, tables in ``perflint.kinds``); annotations, also strings and
``Optional[...]`` (``annotation_kind``); dataclass, attrs and pydantic fields
(``_field_kind``); ``self.x = ...`` in any method (``attribute_kind``);
return annotations and returned values of the module's functions
(``return_kind``); usage of a parameter (``_usage_kind``: ``.pop(0)`` with
``.append`` makes a list used as a queue).
"""

from __future__ import annotations

import ast
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

from perflint.blocks import nested_statements
from perflint.kinds import (
    ANNOTATION_KINDS,
    ATTRIBUTE_KINDS,
    BLOCK,
    CALL_EFFECTS,
    CALL_KINDS,
    METHOD_KINDS,
    QUERY,
    QUALIFIED_ANNOTATION_KINDS,
    RECEIVER_METHOD_KINDS,
    SUBSCRIPT_KINDS,
    TRANSPARENT_ANNOTATIONS,
    UNKNOWN,
    method_effects,
)
from perflint.source import parse_ast

if TYPE_CHECKING:
    from perflint.project_calls import ProjectCalls

MAX_CALL_DEPTH = 6
_GROWERS = frozenset({"append", "extend", "insert", "add", "update", "appendleft", "extendleft"})
_SYNC_DBAPI = frozenset({"sqlite3", "psycopg2", "pymysql", "MySQLdb"})
_ASYNC_DB = frozenset({"aiosqlite", "aiomysql", "aiopg", "asyncpg", "psycopg", "databases", "asyncmy"})
_ROUND_TRIPS = frozenset({"query", "http"})  # how far call facts follow the module's own functions


@dataclass(frozen=True)
class Inferred:
    """A kind and the evidence for it, in words a message can quote."""

    kind: str
    evidence: str = ""
    # the number of items when the source fixes it: a display, ``"a b c".split()``
    size: Optional[int] = None

    @property
    def known(self) -> bool:
        return self.kind != UNKNOWN

    @property
    def bounded(self) -> bool:
        return self.size is not None


NOTHING = Inferred(UNKNOWN)
_NONE = Inferred("none", "None")


@dataclass(frozen=True)
class Effects:
    """What one call of a function does (``perflint.kinds``: query, write, http, block, client)
    and the chain of calls that does it, callee first: ``("load_user()", "db.users.find_one()")``."""

    kinds: frozenset[str]
    chain: tuple[str, ...]


@dataclass
class _Scope:
    """One function (or the module, ``qualname == ""``) as the collection walk saw it."""

    qualname: str
    node: Optional[ast.AST]
    parent: Optional[str]  # enclosing function's qualname; None for the module
    owner: Optional[str] = None  # the class of a method
    params: dict[str, ast.arg] = field(default_factory=dict)
    defaults: dict[str, ast.expr] = field(default_factory=dict)
    first_param: Optional[str] = None
    bindings: dict[str, list[Optional[ast.expr]]] = field(default_factory=dict)  # None: a binding of unknown kind
    uses: dict[str, set[str]] = field(default_factory=dict)  # name -> methods called on it ("pop(0)", "append")
    returns: list[ast.expr] = field(default_factory=list)
    calls: list[tuple[ast.Call, bool]] = field(default_factory=list)  # (call, made inside a loop)
    iterated: list[tuple[ast.expr, bool]] = field(default_factory=list)  # (a ``for`` loop's iterable, inside a loop)
    generator: bool = False


@dataclass
class _Class:
    qualname: str
    node: ast.ClassDef
    bases: list[ast.expr]
    annotations: dict[str, ast.expr] = field(default_factory=dict)
    values: dict[str, list[tuple[Optional[ast.expr], str]]] = field(default_factory=dict)  # attr -> (value, scope)
    methods: set[str] = field(default_factory=set)
    grown: set[str] = field(default_factory=set)  # attributes some method adds items to


class ModuleInference:
    """What the names of one module hold and what its functions do per call."""

    def __init__(
        self,
        tree: ast.Module,
        imports: dict[str, str],
        own_names: Iterable[str] = (),
        previous: Optional["ModuleInference"] = None,
        lines: Optional[list[str]] = None,
        project: Optional["ProjectCalls"] = None,
    ) -> None:
        self.imports = imports
        self.project = project  # the other modules of the project (``perflint.project_calls``)
        self.own_names = set(own_names)
        self.tree = tree
        self.scopes: dict[str, _Scope] = {}
        self.classes: dict[str, _Class] = {}
        self._names: dict[tuple[str, str], Inferred] = {}
        self._attributes: dict[tuple[str, str], Inferred] = {}
        self._returns: dict[str, Inferred] = {}
        self._effects: dict[str, Optional[Effects]] = {}
        # What each ``_effects`` entry was computed from: the module functions whose scopes it
        # read (transitively, those still being computed included; "<project>" for another
        # module's). The next keystroke keeps the entries whose functions did not change.
        self._effect_deps: dict[str, frozenset[str]] = {}
        self._deps_stack: list[set[str]] = []
        # Per function: its calls made in a loop that reach a function of the project (kept
        # across keystrokes like ``_effects``).
        self._looped: dict[str, tuple[ast.Call, ...]] = {}
        # Per function: the functions of the project it hands to a builtin that calls them once
        # per item (kept like ``_looped``).
        self._handed: dict[str, tuple[ast.expr, ...]] = {}
        self._units = _units(tree, lines)
        self._parts: Optional[list[str]] = None
        if previous is None or previous.imports != imports or not self._patch(previous):
            self._merge()

    def _merge(self) -> None:
        """Put together what each top-level statement (each member, for a class) holds.

        What one statement holds is collected once and kept on its ``ast`` node, so when
        the language server splices a re-parsed statement into the last tree, only that
        statement is walked again (``perflint.reparse`` keeps the others' nodes).
        """
        module = self.scopes[""] = _Scope("", self.tree, None)
        for node, class_name, collected in self._units:
            if class_name == _HEADER:
                self.classes[node.name] = _Class(node.name, node, list(node.bases))
                module.bindings.setdefault(node.name, []).append(None)
                collected.add_to(self, module, None)  # decorators and bases
            else:
                collected.add_to(self, module, self.classes.get(class_name) if class_name else None)

    def _patch(self, previous: "ModuleInference") -> bool:
        """Start from ``previous`` (the last keystroke's) when the tree differs from its tree
        in one or two functions or methods that bind nothing new at module level: their
        scopes are swapped, their class rebuilt if they assign ``self`` attributes. Saves
        merging every statement of a big file on each keystroke. False: merge instead."""
        old_units = previous._units
        if len(old_units) != len(self._units):
            return False
        changed = [i for i, (new, old) in enumerate(zip(self._units, old_units)) if new[2] is not old[2]]
        if len(changed) > 2:
            return False
        for i in changed:
            (_, name, new), (_, old_name, old) = self._units[i], old_units[i]
            if name != old_name or name == _HEADER or not (_plain_module_part(new) and _plain_module_part(old)):
                return False
            if sorted(new.module.bindings) != sorted(old.module.bindings):
                return False
        self.scopes = dict(previous.scopes)
        self.classes = dict(previous.classes)
        rebuild: set[str] = set()
        for i in changed:
            (_, name, new), (_, _, old) = self._units[i], old_units[i]
            for qualname in old.scopes:
                self.scopes.pop(qualname, None)
            for qualname in old.classes:
                self.classes.pop(qualname, None)
            self.scopes.update(new.scopes)
            self.classes.update(new.classes)
            if name is not None:
                rebuild.add(name)
        for class_name in rebuild:
            header = previous.classes[class_name]
            cls = self.classes[class_name] = _Class(class_name, header.node, header.bases)
            module = _Scope("", None, None)  # members' module parts are plain: nothing to keep
            for _, name, collected in self._units:
                if name == class_name:
                    collected.add_to(self, module, cls)
        if previous._parts is not None:
            self._keep_effects(previous, changed)
            self._parts = list(previous._parts)
            for i in changed:
                node, name, _ = self._units[i]
                self._parts[i] = self._part(node, name)
            if self._parts != previous._parts and self._effects:
                # An answer about the edited functions changed (a return kind, an attribute's
                # kind, what a call does): what was kept may have read it. Start afresh.
                for i in changed:
                    self._units[i][2].part = None
                self._effects, self._effect_deps, self._looped, self._handed = {}, {}, {}, {}
                for i in changed:
                    node, name, _ = self._units[i]
                    self._parts[i] = self._part(node, name)
        return True

    def _keep_effects(self, previous: "ModuleInference", changed: list[int]) -> None:
        """Keep the last keystroke's call facts of functions that read none of the edited
        ones (nor another module's). Sound while every answer about the edited statements that
        other functions can read is what it was: ``_patch`` checks that through their digest
        parts and drops what it kept otherwise. Answers that read another module's are kept
        while the files read are as they were."""
        if previous._deps_stack or (previous.project is not self.project):
            return
        project_unchanged = self.project is None or self.project.unchanged()
        edited = set() if project_unchanged else {_PROJECT}
        for i in changed:
            edited.update(previous._units[i][2].scopes)
            edited.update(self._units[i][2].scopes)
        if project_unchanged:
            self._looped = {qualname: calls for qualname, calls in previous._looped.items() if qualname not in edited}
            self._handed = {qualname: handed for qualname, handed in previous._handed.items() if qualname not in edited}
        deps = previous._effect_deps
        for qualname, effects in previous._effects.items():
            read = deps.get(qualname)
            if read is not None and read.isdisjoint(edited):
                self._effects[qualname] = effects
                self._effect_deps[qualname] = read

    # --- kinds ------------------------------------------------------------------

    def kind_of_name(self, scope: str, name: str) -> Inferred:
        """What ``name`` holds when read in the function ``scope`` (``""``: the module)."""
        owner = self._resolve_scope(scope, name)
        if owner is None:
            return self._global_kind(name)
        key = (owner.qualname, name)
        known = self._names.get(key)
        if known is None:
            self._names[key] = NOTHING  # a cycle through this name answers "unknown"
            known = self._names[key] = self._binding_kind(owner, name)
        return known

    def kind_of(self, scope: str, expr: ast.expr) -> Inferred:
        """What the expression evaluates to, read in the function ``scope``."""
        return self._expr(scope, expr)

    def attribute_kind(self, class_name: str, attribute: str) -> Inferred:
        """What ``self.attribute`` holds in the class (its body, its fields, its methods, its
        bases defined in this module)."""
        key = (class_name, attribute)
        known = self._attributes.get(key)
        if known is None:
            self._attributes[key] = NOTHING
            known = self._attributes[key] = self._attribute_kind(class_name, attribute, 0)
        return known

    def return_kind(self, qualname: str) -> Inferred:
        """What a call of the module's function (or method, ``"Class.method"``) returns."""
        known = self._returns.get(qualname)
        if known is None:
            self._returns[qualname] = NOTHING
            known = self._returns[qualname] = self._return_kind(qualname)
        return known

    def name_somewhere(self, name: str, kinds: frozenset[str]) -> bool:
        """Whether ``name`` holds one of ``kinds`` in some function of the module (or at
        module level): a superset of every answer ``kind_of_name`` can give about it."""
        if self._global_kind(name).kind in kinds:
            return True
        return any(
            self.kind_of_name(qualname, name).kind in kinds
            for qualname, scope in self.scopes.items()
            if qualname and (name in scope.bindings or name in scope.params)
        )

    def attribute_somewhere(self, attribute: str, kinds: frozenset[str]) -> bool:
        """Whether ``self.attribute`` holds one of ``kinds`` in some class of the module."""
        return any(self.attribute_kind(name, attribute).kind in kinds for name in self.classes)

    def class_kind(self, qualname: str) -> str:
        """``"django-model"`` for a Django model class of the module, else ``"class"``."""
        cls = self.classes.get(qualname)
        if cls is None:
            return UNKNOWN
        for base in cls.bases:
            dotted = self.qualify(base)
            if dotted in ("django.db.models.Model", "django.db.models.base.Model"):
                return "django-model"
            if isinstance(base, ast.Name) and base.id in self.classes and self.class_kind(base.id) == "django-model":
                return "django-model"
        return "class"

    # --- call facts -------------------------------------------------------------

    def function_effects(self, qualname: str, depth: int = 0) -> Optional[Effects]:
        """What one call of the function does, through the functions it calls (``depth``:
        calls already followed to get here)."""
        return self._effects_of(qualname, depth)

    def _effects_of(self, qualname: str, depth: int) -> Optional[Effects]:
        """``function_effects`` kept per function, with what each answer was computed from."""
        stack = self._deps_stack
        if qualname in self._effects:
            if stack:
                read = self._effect_deps.get(qualname)
                if read is None:  # still being computed: it stands for itself
                    stack[-1].add(qualname)
                else:
                    stack[-1] |= read
            return self._effects[qualname]
        self._effects[qualname] = None  # recursion: the cycle adds nothing
        stack.append({qualname})
        try:
            found = self._effects[qualname] = self._function_effects(qualname, depth)
        finally:
            deps = stack.pop()
        self._effect_deps[qualname] = frozenset(deps)
        if stack:
            stack[-1] |= deps
        return found

    def function_called(self, scope: str, func: ast.expr) -> Optional[tuple["ModuleInference", str]]:
        """The project function a call in ``scope`` reaches, with the inference of the module
        that defines it: this module's own (``callee``) or, through its imports, another
        module of the project (``perflint.project_calls``). None for anything else."""
        target = self.callee(scope, func)
        if target is not None:
            return self, target
        if self.project is None:
            return None
        qualified = self._qualify_in(scope, func)
        return self.project.function(qualified) if qualified is not None else None

    def looped_calls(self) -> Iterator[tuple[str, ast.Call]]:
        """(function, call) for every call made in a loop of a function of the module that
        reaches a function of the project (``function_called``)."""
        looped = self._looped
        for qualname, scope in list(self.scopes.items()):
            calls = looped.get(qualname)
            if calls is None:
                calls = looped[qualname] = tuple(
                    call for call, in_loop in scope.calls if in_loop and self.function_called(qualname, call.func) is not None
                )
            for call in calls:
                yield qualname, call

    def per_item_callbacks(self) -> Iterator[tuple[str, ast.expr]]:
        """(function, callback) for every function of the project that a function of the
        module hands to ``map``/``filter`` (first argument) or to ``sorted``/``min``/``max``
        (``key=``): the builtin calls it once per item."""
        handed = self._handed
        for qualname, scope in list(self.scopes.items()):
            callbacks = handed.get(qualname)
            if callbacks is None:
                callbacks = handed[qualname] = tuple(
                    callback
                    for call, _ in scope.calls
                    for callback in _handed_callbacks(call)
                    if self.function_called(qualname, callback) is not None
                )
            for callback in callbacks:
                yield qualname, callback

    def callee(self, scope: str, func: ast.expr) -> Optional[str]:
        """The qualified name of the module's function a call in ``scope`` reaches, if any:
        ``helper(...)``, ``self.method(...)``, ``Class.method(...)``, a nested ``inner(...)``."""
        if isinstance(func, ast.Name):
            here = self._resolve_scope(scope, func.id)
            if here is not None:
                nested = f"{here.qualname}.{func.id}" if here.qualname else func.id
                bound = here.bindings.get(func.id)
                return nested if nested in self.scopes and bound == [None] else None
            return func.id if func.id in self.scopes else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            head = func.value.id
            current = self.scopes.get(scope)
            if current is not None and current.owner and head == current.first_param:
                method = self._method(current.owner, func.attr)
                if method is not None:
                    return method
            if head in self.classes and self._resolve_scope(scope, head) is None:
                return self._method(head, func.attr)
        if isinstance(func, ast.Attribute) and isinstance(func.value, (ast.Attribute, ast.Name)):
            # ``self.items.by_sku(...)`` / ``uow.orders.get(...)`` / ``repo.get(...)``: a method of
            # the class the value holds an instance of (annotated, or made by the class's constructor)
            cls = self._instance_class(scope, func.value)
            if cls is not None:
                return self._method(cls, func.attr)
        return None

    # --- the language server's cache stamp ---------------------------------------

    def digest(self) -> str:
        """A digest of every answer one piece can get about another: return kinds, call
        facts, attribute kinds, module names, functions called in loops. Pieces whose text and
        digest are unchanged keep their findings.

        Each statement's part is kept on its node, so a keystroke computes only the edited
        statement's part. That is enough: a part depends on other statements only through
        their parts, so when every new statement's part is what it was, nothing changed.
        """
        if self._parts is None:
            self._parts = [self._part(node, name) for node, name, _ in self._units]
        return hashlib.blake2b("\n".join(self._parts).encode(), digest_size=12).hexdigest()

    def _part(self, node: ast.stmt, class_name: Optional[str]) -> str:
        collected = _collected(node, None if class_name == _HEADER else class_name)
        if collected.part is not None:
            return collected.part
        if class_name == _HEADER:
            collected.part = f"class {node.name}({', '.join(map(ast.unparse, node.bases))})"  # type: ignore[attr-defined]
            return collected.part
        found: list[str] = []
        for qualname, scope in collected.scopes.items():
            effects = self.function_effects(qualname)
            # The chain too: callers' messages quote it (``enrich() → load_user() → db.users.find_one()``).
            found.append(f"{qualname}>{self.return_kind(qualname).kind}>{sorted(effects.kinds) if effects else ''}>{effects.chain if effects else ''}")
            found.extend(f"{qualname}@{self.callee(qualname, call.func)}" for call, in_loop in scope.calls if in_loop)
        for name, values in collected.module.bindings.items():
            found.append(f"={name}:" + ",".join(_signature(self._expr("", value)) if value is not None else "?" for value in values))
        found.extend(f"@{self.callee('', call.func)}" for call, in_loop in collected.module.calls if in_loop)
        owner = collected.owner
        if owner is not None:
            for attribute, values in owner.values.items():
                found.append(f".{attribute}:" + ",".join(
                    _signature(self._expr(scope, value)) if value is not None else "?" for value, scope in values
                ))
            found.extend(f".{attribute}:{ast.unparse(annotation)}" for attribute, annotation in owner.annotations.items())
            found.extend(f"+{attribute}" for attribute in sorted(owner.grown))
        collected.part = "\n".join(found)
        return collected.part

    # --- resolution ---------------------------------------------------------------

    def qualify(self, expr: ast.expr) -> Optional[str]:
        """The dotted name an expression spells through the module's imports (module-level view)."""
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        head = self.imports.get(expr.id)
        if head is None:
            if expr.id in self.own_names or expr.id in self.scopes[""].bindings:
                return None
            head = f"builtins.{expr.id}" if not parts else None
            if head is None:
                return None
        return ".".join([head, *reversed(parts)])

    def _qualify_in(self, scope: str, expr: ast.expr) -> Optional[str]:
        head = expr
        while isinstance(head, ast.Attribute):
            head = head.value
        if isinstance(head, ast.Name) and self._resolve_scope(scope, head.id) is not None:
            return None  # a local name shadows the import
        return self.qualify(expr)

    def _resolve_scope(self, scope: str, name: str) -> Optional[_Scope]:
        """The function whose binding of ``name`` a read in ``scope`` sees; None: the module's."""
        current = self.scopes.get(scope)
        while current is not None and current.qualname:
            if name in current.bindings or name in current.params:
                return current
            current = self.scopes.get(current.parent) if current.parent is not None else None
        return None

    def _global_kind(self, name: str) -> Inferred:
        module = self.scopes[""]
        if name in self.classes:
            kind = self.class_kind(name)
            return Inferred(kind, f"class {name}")
        if name in module.bindings:
            key = ("", name)
            known = self._names.get(key)
            if known is None:
                self._names[key] = NOTHING
                known = self._names[key] = self._binding_kind(module, name)
            return known
        return NOTHING

    def _sync_dbapi(self) -> bool:
        """The module imports a synchronous DB-API driver and no asynchronous database driver."""
        roots = {value.split(".")[0] for value in self.imports.values()}
        return bool(roots & _SYNC_DBAPI) and not roots & _ASYNC_DB

    def _binding_kind(self, scope: _Scope, name: str) -> Inferred:
        found: list[Inferred] = []
        param = scope.params.get(name)
        if param is not None:
            if param.annotation is not None:
                found.append(self._annotation(param.annotation, f"parameter `{name}`"))
            else:
                usage = _usage_kind(scope.uses.get(name, ()), self._sync_dbapi())
                default = scope.defaults.get(name)
                if usage.known:
                    found.append(Inferred(usage.kind, f"`{name}` {usage.evidence}"))
                elif default is not None and not _is_none(default):
                    found.append(self._expr(scope.qualname, default))
                else:
                    return NOTHING
        extended = False
        for value in scope.bindings.get(name, ()):
            if value is None:
                return NOTHING
            if _extends_name(value, name):
                extended = True  # ``names = names + [x]``: the kind the other bindings give
                continue
            found.append(self._expr(scope.qualname, value))
        if extended:
            if not found:
                return NOTHING
            agreed = _agree(found)
            return Inferred(agreed.kind, agreed.evidence) if agreed.bounded else agreed
        agreed = _agree(found)
        if param is None and not agreed.known and found:
            # ``session = get_session(self.session)``: what the function does with it
            usage = _usage_kind(scope.uses.get(name, ()))
            if usage.kind == "sa-session":
                return Inferred(usage.kind, f"`{name}` {usage.evidence}")
        return agreed

    def _attribute_kind(self, class_name: str, attribute: str, depth: int) -> Inferred:
        cls = self.classes.get(class_name)
        if cls is None or depth > 4:
            return NOTHING
        found: list[Inferred] = []
        getter = next((_property_getter(v) for v, scope in cls.values.get(attribute, ()) if v is not None and not scope), None)
        if getter is not None and getter in cls.methods:
            # ``headers = property(_get_headers, _set_headers)``: reading it calls the getter, and
            # ``self.headers = x`` goes through the setter, so only the getter tells the kind
            returned = self.return_kind(f"{class_name}.{getter}")
            if returned.known:
                return Inferred(returned.kind, f"property `{attribute}`: {returned.evidence or returned.kind}", returned.size)
            return NOTHING
        annotation = cls.annotations.get(attribute)
        if annotation is not None:
            found.append(self._annotation(annotation, f"`self.{attribute}`"))
        extended = False
        for value, scope in cls.values.get(attribute, ()):
            if value is None:
                return NOTHING
            if _extends_attribute(value, attribute):
                extended = True  # ``self.log = self.log + part``: the kind the other values give
                continue
            kind = _field_kind(self, value) or self._expr(scope, value)
            if kind.known and scope != cls.qualname:
                kind = Inferred(kind.kind, f"`self.{attribute}` is {kind.evidence or kind.kind} in {scope or class_name}", kind.size)
            found.append(kind)
        if found:
            agreed = _agree(found)
            if agreed.bounded and (extended or attribute in cls.grown):  # ``self.seen = []`` filled by a method
                return Inferred(agreed.kind, agreed.evidence)
            return agreed
        if attribute in cls.methods:
            method = self.scopes.get(f"{class_name}.{attribute}")
            if method is not None and _is_property(method.node):
                # ``@property def skus(self) -> list[str]``: reading the attribute calls it
                returned = self.return_kind(f"{class_name}.{attribute}")
                if returned.known:
                    return Inferred(returned.kind, f"property `{attribute}`: {returned.evidence or returned.kind}", returned.size)
            return NOTHING
        for base in cls.bases:
            if isinstance(base, ast.Name) and base.id in self.classes:
                inherited = self._attribute_kind(base.id, attribute, depth + 1)
                if inherited.known:
                    return inherited
        return NOTHING

    def _return_kind(self, qualname: str) -> Inferred:
        scope = self.scopes.get(qualname)
        if scope is None or not isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return NOTHING
        if _is_context_manager(scope.node):
            return self._yielded_kind(qualname, scope.node)
        if scope.node.returns is not None:
            return self._annotation(scope.node.returns, f"`{qualname}()` returns")
        if scope.generator or not scope.returns:
            return NOTHING
        return _agree([self._expr(qualname, value) for value in scope.returns])

    def _yielded_kind(self, qualname: str, function: ast.AST) -> Inferred:
        """What ``with f() as x`` binds for a ``@contextmanager`` (or ``@asynccontextmanager``)
        generator ``f``: the ``X`` of its ``Iterator[X]``/``Generator[X, ...]`` annotation, else
        what its one ``yield`` yields (``async with pool.acquire() as conn: yield conn``)."""
        annotation = function.returns  # type: ignore[attr-defined]
        if isinstance(annotation, ast.Subscript) and _last_part(annotation.value) in _YIELD_ANNOTATIONS:
            inner = annotation.slice
            if isinstance(inner, ast.Tuple) and inner.elts:
                inner = inner.elts[0]
            found = self._annotation(inner, f"`{qualname}()` yields")
            if found.known:
                return found
        yields = [node.value for node in ast.walk(function) if isinstance(node, ast.Yield)]
        if len(yields) != 1 or yields[0] is None:
            return NOTHING
        return self._expr(qualname, yields[0])

    def _method(self, class_name: str, method: str, depth: int = 0) -> Optional[str]:
        cls = self.classes.get(class_name)
        if cls is None or depth > 4:
            return None
        if method in cls.methods:
            return f"{class_name}.{method}"
        for base in cls.bases:
            if isinstance(base, ast.Name) and base.id in self.classes:
                found = self._method(base.id, method, depth + 1)
                if found is not None:
                    return found
        return None

    # --- expressions ----------------------------------------------------------------

    def _expr(self, scope: str, expr: ast.expr) -> Inferred:
        kind = type(expr)
        if kind is _Annotated:
            if expr.value is not None and annotation_kind(expr.annotation, self.qualify, self.classes) == UNKNOWN:
                return self._expr(scope, expr.value)
            return self._annotation(expr.annotation, "a variable")
        display = _display_kind(expr)
        if display is not None:
            return display
        if kind is ast.Name:
            return self.kind_of_name(scope, expr.id)
        if kind is ast.Attribute:
            return self._attribute_expr(scope, expr)
        if kind is ast.Call:
            return self._call_kind(scope, expr)
        if kind is ast.Await:
            return self._expr(scope, expr.value)
        if kind is ast.BinOp:
            left = self._expr(scope, expr.left)
            if isinstance(expr.op, ast.Add) and left.kind in ("list", "str", "bytes", "tuple"):
                return left
            if isinstance(expr.op, ast.Mod) and left.kind in ("str", "bytes"):
                return left
            return NOTHING
        if kind is ast.Subscript:
            value = self._expr(scope, expr.value)
            if isinstance(expr.slice, ast.Slice) and value.kind in ("list", "str", "bytes", "tuple", "ndarray"):
                return value
            sub = SUBSCRIPT_KINDS.get(value.kind)
            return Inferred(sub, f"an item of {value.evidence}") if sub else NOTHING
        if kind is ast.IfExp:
            return _agree([self._expr(scope, expr.body), self._expr(scope, expr.orelse)])
        if kind is ast.NamedExpr:
            return self._expr(scope, expr.value)
        return NOTHING

    def _attribute_expr(self, scope: str, expr: ast.Attribute) -> Inferred:
        value = expr.value
        current = self.scopes.get(scope)
        if isinstance(value, ast.Name):
            # ``self.x`` in a method, or in a function nested in one
            holder = current
            while holder is not None and holder.qualname and holder.owner is None:
                holder = self.scopes.get(holder.parent) if holder.parent is not None else None
            if holder is not None and holder.owner and value.id == holder.first_param:
                if self._resolve_scope(scope, value.id) is holder:
                    return self.attribute_kind(holder.owner, expr.attr)
            # ``course.waitlist`` with ``course: Course``, a plain class of the module
            cls = self._annotated_instance(scope, value.id)
            if cls is not None:
                held = self.attribute_kind(cls, expr.attr)
                if held.known:
                    where = f"parameter `{value.id}: {cls}`; {held.evidence or held.kind}"
                    return Inferred(held.kind, where, held.size)
        receiver = self._expr(scope, value)
        if receiver.kind == "django-model" and expr.attr in ("objects", "_default_manager", "_base_manager"):
            return Inferred("django-manager", f"`{_text(value)}.{expr.attr}`")
        if receiver.kind == "class" and expr.attr == "objects":
            return Inferred("django-manager", f"`{_text(value)}.objects`")
        if isinstance(value, ast.Name) and expr.attr == "objects" and _looks_like_class(value.id) and receiver.kind == UNKNOWN:
            if value.id in self.imports:
                return Inferred("django-manager", f"`{value.id}.objects`")
        sub = ATTRIBUTE_KINDS.get(receiver.kind)
        if sub is not None and receiver.kind != "django-model":
            return Inferred(sub, f"`{_text(expr)}`")
        return NOTHING

    def instance_method(self, scope: str, expr: ast.expr, method: str) -> Optional[str]:
        """The qualified name of ``method`` (``"__getitem__"``, ``"__contains__"``...) of the
        module's class that ``expr`` holds an instance of (``_instance_class``), if it has one."""
        cls = self._instance_class(scope, expr)
        if cls is None and isinstance(expr, ast.Name):
            current = self.scopes.get(scope)
            if current is not None and current.owner and expr.id == current.first_param:
                cls = current.owner  # ``self[i]`` in a method of the class
        return self._method(cls, method) if cls is not None else None

    def element_class(self, scope: str, iterable: ast.expr) -> Optional[str]:
        """The plain class of the module whose instances ``for x in iterable`` yields: a call of
        a function of the module annotated ``-> list[C]`` (``Sequence``, ``Iterable``,
        ``Iterator``...), or a parameter annotated so."""
        annotation: Optional[ast.expr] = None
        if isinstance(iterable, ast.Call):
            target = self.callee(scope, iterable.func)
            function = self.scopes[target].node if target is not None and target in self.scopes else None
            annotation = getattr(function, "returns", None)
        elif isinstance(iterable, ast.Name):
            owner = self._resolve_scope(scope, iterable.id)
            if owner is not None and iterable.id not in owner.bindings and iterable.id in owner.params:
                annotation = owner.params[iterable.id].annotation
        if not (isinstance(annotation, ast.Subscript) and _last_part(annotation.value) in _ELEMENT_CONTAINERS):
            return None
        inner = annotation.slice
        if isinstance(inner, ast.Tuple):
            if _last_part(annotation.value) not in ("tuple", "Tuple") or len(inner.elts) != 2 or not (
                isinstance(inner.elts[1], ast.Constant) and inner.elts[1].value is Ellipsis
            ):
                return None
            inner = inner.elts[0]
        return self._class_of_annotation(inner)

    def property_getter(self, class_name: str, attribute: str) -> Optional[str]:
        """The qualified name of the ``@property`` (or cached one) ``attribute`` of the class, if it is one."""
        method = self._method(class_name, attribute)
        scope = self.scopes.get(method) if method is not None else None
        return method if scope is not None and _is_property(scope.node) else None

    def _annotated_instance(self, scope: str, name: str) -> Optional[str]:
        """The class of the module (not a Django model) that the parameter ``name`` is
        annotated with (``course: Course``, ``"Course"``), when that is its only binding."""
        owner = self._resolve_scope(scope, name)
        if owner is None:
            return None
        if name in owner.bindings:
            # ``plans = TenantPlans(client)``, its only binding: an instance of the class
            values = owner.bindings[name]
            value = values[0] if len(values) == 1 and name not in owner.params else None
            return self._constructed_class(scope, value)
        param = owner.params.get(name)
        annotation = param.annotation if param is not None else None
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            annotation = ast.Name(annotation.value.strip())
        if (
            isinstance(annotation, ast.Subscript)
            and _last_part(annotation.value) == "Annotated"
            and isinstance(annotation.slice, ast.Tuple)
            and annotation.slice.elts
        ):
            annotation = annotation.slice.elts[0]  # ``repo: Annotated[Repo, Depends(get_repo)]``
        annotation = _generic_base(annotation, self.classes)
        if not isinstance(annotation, ast.Name) or annotation.id not in self.classes:
            return None
        return annotation.id if self.class_kind(annotation.id) == "class" else None

    def _instance_class(self, scope: str, expr: ast.expr, depth: int = 0) -> Optional[str]:
        """The plain class of the module that ``expr`` holds an instance of: a parameter
        annotated with it (``repo: Repo``), or an attribute of such an instance or of ``self``
        that the class annotates (``customers: Repo``) or sets only from a parameter annotated
        with it (``self.repo = repo`` in ``__init__(self, repo: Repo)``)."""
        if depth > 3:
            return None
        if isinstance(expr, ast.Name):
            return self._annotated_instance(scope, expr.id)
        if not isinstance(expr, ast.Attribute):
            return None
        value = expr.value
        owner: Optional[str] = None
        if isinstance(value, ast.Name):
            holder = self.scopes.get(scope)
            while holder is not None and holder.qualname and holder.owner is None:
                holder = self.scopes.get(holder.parent) if holder.parent is not None else None
            if (
                holder is not None and holder.owner and value.id == holder.first_param
                and self._resolve_scope(scope, value.id) is holder
            ):
                owner = holder.owner
        if owner is None:
            owner = self._instance_class(scope, value, depth + 1)
        return self._attribute_class(owner, expr.attr) if owner is not None else None

    def _constructed_class(self, scope: str, value: Optional[ast.expr]) -> Optional[str]:
        """The plain class of the module that ``value`` builds, ``ItemRepository(session)``
        (not shadowed in ``scope``), or None."""
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)):
            return None
        name = value.func.id
        if name in self.classes and self._resolve_scope(scope, name) is None and self.class_kind(name) == "class":
            return name
        return None

    def _list_class_call(self, scope: str, call: ast.Call, qualified: Optional[str]) -> Optional[Inferred]:
        """``Fields(...)``, or ``typing.cast(Fields, x)``, where ``Fields`` is a class of the module
        or of the project that derives from ``list`` and keeps list's searches (pypdf's
        ``ArrayObject``): it holds a list. ``cast(list[str], x)`` holds one too."""
        named: ast.expr = call.func
        if qualified == "typing.cast":
            if not call.args:
                return None
            named = call.args[0].value if isinstance(call.args[0], ast.Subscript) else call.args[0]
            if self._qualify_in(scope, named) in _LIST_CLASSES:
                return Inferred("list", "`cast(list, ...)`")
        if isinstance(named, ast.Name) and named.id in self.classes and self._resolve_scope(scope, named.id) is None:
            found = _derives_from_list(self, self.classes[named.id].node, 0)
        else:
            dotted = self._qualify_in(scope, named)
            found = dotted is not None and dotted not in _LIST_CLASSES and _project_list_class(self, dotted, 0)
        if not found:
            return None
        return Inferred("list", f"`{ast.unparse(named)}` derives from `list`")

    def _attribute_class(self, class_name: str, attribute: str, depth: int = 0) -> Optional[str]:
        cls = self.classes.get(class_name)
        if cls is None or depth > 4:
            return None
        found: set[Optional[str]] = set()
        annotation = cls.annotations.get(attribute)
        if annotation is not None:
            found.add(self._class_of_annotation(annotation))
        for value, where in cls.values.get(attribute, ()):
            if isinstance(value, ast.Name) and where:
                found.add(self._annotated_instance(where, value.id))
            elif where and (built := self._constructed_class(where, value)) is not None:
                found.add(built)  # ``self.items = ItemRepository(session)``
            else:
                found.add(None)
        if found:
            return found.pop() if len(found) == 1 else None
        for base in cls.bases:
            if isinstance(base, ast.Name) and base.id in self.classes:
                inherited = self._attribute_class(base.id, attribute, depth + 1)
                if inherited is not None:
                    return inherited
        return None

    def _class_of_annotation(self, annotation: ast.expr) -> Optional[str]:
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            annotation = ast.Name(annotation.value.strip())
        annotation = _generic_base(annotation, self.classes)
        if isinstance(annotation, ast.Name) and annotation.id in self.classes and self.class_kind(annotation.id) == "class":
            return annotation.id
        return None

    def _call_kind(self, scope: str, call: ast.Call) -> Inferred:
        func = call.func
        qualified = self._qualify_in(scope, func)
        if qualified is not None:
            made = CALL_KINDS.get(qualified)
            if made == "same":
                return self._expr(scope, call.args[0]) if call.args else NOTHING
            if made is not None:
                source = self._expr(scope, call.args[0]) if len(call.args) == 1 and made in ("list", "tuple", "set") else NOTHING
                return Inferred(made, f"`{_short(qualified)}(...)`", source.size)
        listed = self._list_class_call(scope, call, qualified)
        if listed is not None:
            return listed
        target = self.callee(scope, func)
        if target is None and isinstance(func, ast.Attribute):
            # ``repo.active_codes()`` with ``repo: SkuRepository``, a class of the module; also
            # ``self.repo.emails()`` / ``self.uow.customers.emails()`` (a service's injected layers)
            cls = self._instance_class(scope, func.value)
            target = self._method(cls, func.attr) if cls is not None else None
        if target is not None:
            returned = self.return_kind(target)
            return returned
        if qualified is not None and self.project is not None:
            returned = self.project.return_kind(qualified)
            if returned is not None:
                return returned
            if isinstance(func, ast.Name) and _looks_like_class(func.id):
                # ``Subscription(...)`` with the model imported from another module of the project
                found = self.project.class_def(qualified)
                if found is not None and found[0].class_kind(found[1].name) == "django-model":
                    return Inferred("django-instance", f"`{func.id}(...)`")
        if isinstance(func, ast.Name):
            if func.id in self.classes and self._resolve_scope(scope, func.id) is None:
                if self.class_kind(func.id) == "django-model":
                    return Inferred("django-instance", f"`{func.id}(...)`")
                return NOTHING
            called = self.kind_of_name(scope, func.id)
            if called.kind == "sa-sessionmaker":
                return Inferred("sa-session", f"a session from {called.evidence}")
            return NOTHING
        if isinstance(func, ast.Attribute):
            receiver = self._expr(scope, func.value)
            if receiver.kind == UNKNOWN and _keyword_manager_call(call):
                receiver = Inferred("django-manager", f"`{_text(func.value)}`")
            made = RECEIVER_METHOD_KINDS.get((receiver.kind, func.attr))
            if made is not None:
                return Inferred(made, f"`.{func.attr}()` of {receiver.evidence or receiver.kind}")
            if receiver.kind == "django-model" and func.attr in ("objects",):
                return NOTHING
            if receiver.kind == UNKNOWN and func.attr == "all" and not call.args and _classic_query(func.value):
                # ``request.dbsession.query(Order).filter(...).all()``: SQLAlchemy 1.x returns a list
                return Inferred("list", "`.all()` of a SQLAlchemy `.query(Model)`")
            made = METHOD_KINDS.get(func.attr) if qualified is None else None  # not ``os.path.split``
            if made is not None and receiver.kind not in ("django-manager", "django-queryset", "dataframe", "series", "ndarray"):
                literal = func.value if isinstance(func.value, ast.Constant) and isinstance(func.value.value, str) else None
                size = _literal_split_size(literal, func.attr, call) if literal is not None else None
                if size is not None:  # ``"a b c".split()``, ``"a,b,c".split(",")``
                    return Inferred(made, f"`.{func.attr}()` of a literal", size)
                return Inferred(made, f"`.{func.attr}()`")
        return NOTHING

    def _annotation(self, annotation: ast.expr, where: str) -> Inferred:
        kind = annotation_kind(annotation, self.qualify, self.classes)
        return Inferred(kind, f"{where} annotated `{_text(annotation)}`") if kind != UNKNOWN else NOTHING

    # --- call facts -------------------------------------------------------------------

    def _function_effects(self, qualname: str, depth: int) -> Optional[Effects]:
        scope = self.scopes.get(qualname)
        if scope is None:
            return None
        kinds: set[str] = set()
        chain: tuple[str, ...] = ()
        for call, _in_loop in scope.calls:
            found = self.call_effects(qualname, call, depth)
            if found is None:
                continue
            # The chain shown is the first one to a round trip (a query or a request), else the first.
            if not chain or (not kinds & _ROUND_TRIPS and found.kinds & _ROUND_TRIPS):
                chain = found.chain
            kinds |= found.kinds
        iterated = self.iterated_queries(qualname)
        if iterated:
            if not kinds & _ROUND_TRIPS:
                chain = (f"for ... in {_text(iterated[0])}",)
            kinds |= {QUERY, BLOCK}
        return Effects(frozenset(kinds), chain) if kinds else None

    def iterated_queries(self, qualname: str) -> list[ast.expr]:
        """The Django querysets the function iterates with ``for`` outside any loop of its own
        (``attachments = Attachment.objects.filter(message_id=m.id)`` ... ``for a in attachments``):
        each is a query per call, though no call runs it."""
        scope = self.scopes.get(qualname)
        if scope is None:
            return []
        return [
            iterable for iterable, in_loop in scope.iterated
            if not in_loop and self.kind_of(qualname, iterable).kind == "django-queryset"
        ]

    def call_effects(self, scope: str, call: ast.Call, depth: int = 0) -> Optional[Effects]:
        """What the call (made in ``scope``) does: a known library call, a method of a value
        of known kind, or a function of the module, followed ``MAX_CALL_DEPTH`` calls deep."""
        func = call.func
        qualified = self._qualify_in(scope, func)
        kinds = CALL_EFFECTS.get(qualified) if qualified is not None else None
        if kinds:
            return Effects(kinds, (f"{_text(func)}()",))
        target = self.callee(scope, func)
        if target is not None:
            if depth >= MAX_CALL_DEPTH:
                return None
            inner = self._effects_of(target, depth + 1)
            if inner is None:
                return None
            return Effects(inner.kinds, (f"{_text(func)}()", *inner.chain))
        if qualified is not None and self.project is not None and depth < MAX_CALL_DEPTH:
            if self._deps_stack:
                self._deps_stack[-1].add(_PROJECT)
            inner = self.project.effects(qualified, depth + 1)
            if inner is not None:
                return Effects(inner.kinds, (f"{_text(func)}()", *inner.chain))
        if isinstance(func, ast.Attribute):
            receiver = self._expr(scope, func.value)
            kinds = method_effects(receiver.kind, func.attr)
            if kinds:
                return Effects(kinds, (f"{_text(func)}()",))
            if receiver.kind == UNKNOWN and _keyword_manager_call(call):
                # ``model_class.objects.get(geoname_id=gid)``: a manager whose model is not known
                return Effects(method_effects("django-manager", func.attr), (f"{_text(func)}()",))
            if receiver.kind == "unknown" and _lookup_shaped_query(call):
                # A query, but not known to block: async ORMs (Tortoise) spell the same and are awaited.
                return Effects(frozenset({QUERY}), (f"{_text(func)}()",))
            if receiver.kind == "unknown" and self._instance_relation_query(scope, call):
                # ``screening.tickets.filter(scanned=False).count()`` with ``screening: Screening``
                return Effects(frozenset({QUERY}), (f"{_text(func)}()",))
            if func.attr in _LIGHT_MODEL_QUERIES and self._light_model_ref(scope, func.value):
                # ``Coach.get(id=...)``, ``await Booking.create(...)``: a peewee or Tortoise model of the module
                return Effects(frozenset({QUERY}), (f"{_text(func)}()",))
        return None

    def _instance_relation_query(self, scope: str, call: ast.Call) -> bool:
        """A terminal call (``count``, ``exists``, ``first``, ``aggregate``, a key ``get``... or
        its async spelling) on queryset steps of a related manager of one model instance
        (``model_instance_class``): ``<instance>.<manager>...``, ``<manager>`` a relation's
        reverse name (``related_name=``, ``<model>_set``) or a many-to-many field of the
        module's models."""
        func = call.func
        if not isinstance(func, ast.Attribute):
            return False
        terminal = func.attr[1:] if func.attr.startswith("a") and func.attr[1:] in _RELATION_TERMINALS else func.attr
        if terminal not in _RELATION_TERMINALS:
            return False
        if terminal == "get" and not (call.keywords and all(key_lookup(k.arg) for k in call.keywords)):
            return False  # as PF201 reads a related manager's ``get``: by key only (``dict.get`` takes none)
        current = func.value
        while isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute):
            if current.func.attr not in _LOOKUP_STEPS:
                return False
            current = current.func.value
        if not (isinstance(current, ast.Attribute) and isinstance(current.value, ast.Name)):
            return False
        if not (current.attr.endswith("_set") or current.attr in self._relation_managers()):
            return False
        return self.model_instance_class(scope, current.value) is not None

    def model_instance_class(self, scope: str, expr: ast.expr) -> Optional[str]:
        """The model class of the module (Django, peewee or Tortoise) of which ``expr`` holds one
        instance: a parameter annotated with the class (``screening: Screening``), ``self`` in a
        method of the class, the ``instance`` of a signal receiver for the class
        (``@receiver(post_save, sender=Batch)``), or ``self.<attr>`` whose only value in its class
        is one of those (``self.family = family`` in ``__init__(self, family: Family)``)."""
        if isinstance(expr, ast.Name):
            owner = self._resolve_scope(scope, expr.id)
            if owner is None or expr.id in owner.bindings or expr.id not in owner.params:
                return None
            if owner.owner and expr.id == owner.first_param and not any(
                _last_part(decorator) in ("staticmethod", "classmethod") for decorator in getattr(owner.node, "decorator_list", ())
            ):
                # ``self`` in a method of a model class: the one row the method runs on
                name = owner.owner
                return name if self.class_kind(name) == "django-model" or self._light_model(name, 0) else None
            annotation = owner.params[expr.id].annotation
            if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
                annotation = ast.Name(annotation.value.strip())
            if annotation is None and expr.id == "instance":
                annotation = _receiver_sender(owner.node)  # ``@receiver(post_save, sender=Batch)``
            if not (isinstance(annotation, ast.Name) and annotation.id in self.classes):
                return None
            name = annotation.id
            return name if self.class_kind(name) == "django-model" or self._light_model(name, 0) else None
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            current = self.scopes.get(scope)
            if current is None or not current.owner or expr.value.id != current.first_param:
                return None
            values = self.classes[current.owner].values.get(expr.attr, []) if current.owner in self.classes else []
            if len(values) != 1 or values[0][0] is None or not values[0][1]:
                return None
            return self.model_instance_class(values[0][1], values[0][0])
        return None

    def _relation_managers(self) -> frozenset[str]:
        """Names of related managers on the module's model classes: every ``related_name="..."``
        of a field and every ``ManyToManyField`` attribute (Django, peewee, Tortoise spell them alike)."""
        known = self.__dict__.get("_managers")
        if known is None:
            found: set[str] = set()
            for cls in self.classes.values():
                for statement in getattr(cls.node, "body", ()):
                    if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)):
                        continue
                    if _last_part(statement.value.func) == "ManyToManyField":
                        found.update(t.id for t in statement.targets if isinstance(t, ast.Name))
                    for keyword in statement.value.keywords:
                        if keyword.arg in ("related_name", "backref") and isinstance(keyword.value, ast.Constant):
                            if isinstance(keyword.value.value, str) and keyword.value.value.isidentifier():
                                found.add(keyword.value.value)
            known = self.__dict__["_managers"] = frozenset(found)
        return known

    def _light_model_ref(self, scope: str, expr: ast.expr) -> bool:
        """``Coach`` naming a class of the module derived from a peewee or Tortoise ``Model``."""
        return (
            isinstance(expr, ast.Name)
            and expr.id in self.classes
            and self._resolve_scope(scope, expr.id) is None
            and self._light_model(expr.id, 0)
        )

    def _light_model(self, name: str, depth: int) -> bool:
        cls = self.classes.get(name)
        if cls is None or depth > 4:
            return False
        for base in cls.bases:
            if self.qualify(base) in _LIGHT_MODEL_BASES:
                return True
            if isinstance(base, ast.Name) and base.id != name and self._light_model(base.id, depth + 1):
                return True
        return False


# peewee and Tortoise model classes: the class methods that run one query per call.
_LIGHT_MODEL_BASES = frozenset({"peewee.Model", "tortoise.models.Model", "tortoise.Model"})
_LIGHT_MODEL_QUERIES = frozenset({"get", "get_or_none", "get_by_id", "get_or_create", "create", "exists"})


# What only a Django-style query spells, whatever the receiver: a queryset step with a
# ``field__lookup=`` keyword, run by a terminal call; or a model's own manager.
_LOOKUP_TERMINALS = frozenset({"first", "last", "exists", "count", "get", "delete", "update"})
# Calls that run a related manager's query (``row.lines.aggregate(...)``): the lookup terminals and
# the aggregates; ``all()``/``filter()`` alone only build a queryset (Django) or are awaited (Tortoise).
_RELATION_TERMINALS = _LOOKUP_TERMINALS | {"aggregate", "earliest", "latest"}
_LOOKUP_STEPS = frozenset(
    {"filter", "exclude", "order_by", "only", "defer", "values", "values_list", "distinct", "all", "using", "db_manager"}
)


def _lookup_shaped_query(call: ast.Call) -> bool:
    """``o_qs.filter(history_date__lte=stop).first()``, ``m._default_manager.filter(pk=k).delete()``:
    a terminal call on a chain of queryset steps, with a ``filter``/``exclude`` keyword that names
    a lookup (``field__lookup``) or rooted at ``_default_manager``/``_base_manager``."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in _LOOKUP_TERMINALS:
        return False
    current = func.value
    lookup = False
    while isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute):
        step = current.func.attr
        if step not in _LOOKUP_STEPS:
            return False
        if step in ("filter", "exclude"):
            lookup = lookup or any(
                keyword.arg is not None and "__" in keyword.arg.strip("_") for keyword in current.keywords
            )
        current = current.func.value
    if isinstance(current, ast.Attribute) and current.attr in ("_default_manager", "_base_manager"):
        return True
    return lookup


_MANAGER_NAMES = frozenset({"objects", "_default_manager", "_base_manager"})


def _keyword_manager_call(call: ast.Call) -> bool:
    """``model_class.objects.get(geoname_id=gid)``, ``Doc.objects.create(name=n)``: a query or
    write method of a model's manager (Django's, or MongoEngine's spelled the same) called with
    keyword lookups, whatever holds the model. A dictionary or list kept as ``.objects`` takes no
    keyword arguments to ``get``/``create``/``filter``, so the keywords tell the manager apart."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Attribute)
        and func.value.attr in _MANAGER_NAMES
        and bool(method_effects("django-manager", func.attr))
        and any(keyword.arg is not None for keyword in call.keywords)
    )


# --- evidence ------------------------------------------------------------------------


def _display_kind(expr: ast.expr) -> Optional[Inferred]:
    """Literals, displays and comprehensions."""
    kind = type(expr)
    if kind is ast.ListComp:
        return Inferred("list", "a list comprehension")
    if kind is ast.List:
        return Inferred("list", "a list display", _display_size(expr))
    if kind is ast.Tuple:
        return Inferred("tuple", "a tuple display", _display_size(expr))
    if kind is ast.Set or kind is ast.SetComp:
        return Inferred("set", "a set display")
    if kind is ast.Dict or kind is ast.DictComp:
        return Inferred("dict", "a dict display")
    if kind is ast.JoinedStr:
        return Inferred("str", "an f-string")
    if kind is ast.Constant:
        value = expr.value
        if value is None:
            return _NONE
        if isinstance(value, bool):
            return Inferred("bool", "a bool")
        name = {str: "str", bytes: "bytes", int: "int", float: "float"}.get(type(value))
        return Inferred(name, f"a {name} literal") if name else NOTHING
    return None


def _signature(inferred: Inferred) -> str:
    """What the digest keeps of an answer: the kind, and the size when it is bounded."""
    return inferred.kind if inferred.size is None else f"{inferred.kind}/{inferred.size}"


def _display_size(expr: ast.List | ast.Tuple) -> Optional[int]:
    """A display holds as many items as it spells, unless one is starred (``[*rows]``)."""
    if any(isinstance(element, ast.Starred) for element in expr.elts):
        return None
    return len(expr.elts)


def annotation_kind(annotation: ast.expr, qualify, classes: dict[str, _Class] | None = None) -> str:
    """The kind an annotation names: ``list[str]``, ``List[int]``, ``Sequence[...]`` (a list, as
    far as ``in`` goes), ``Optional[X]``, ``X | None``, ``"list[str]"``, ``np.ndarray``..."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = parse_ast(annotation.value, mode="eval").body
        except SyntaxError:
            return UNKNOWN
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        sides = [annotation_kind(side, qualify, classes) for side in (annotation.left, annotation.right)]
        sides = [side for side in sides if side != "none"]
        return sides[0] if len(set(sides)) == 1 else UNKNOWN
    if isinstance(annotation, ast.Constant) and annotation.value is None:
        return "none"
    if isinstance(annotation, ast.Subscript):
        outer = _last_part(annotation.value)
        if outer in TRANSPARENT_ANNOTATIONS:
            inner = annotation.slice
            if outer == "Annotated" and isinstance(inner, ast.Tuple) and inner.elts:
                inner = inner.elts[0]
            return annotation_kind(inner, qualify, classes)
        if outer == "Union" and isinstance(annotation.slice, ast.Tuple):
            sides = [annotation_kind(side, qualify, classes) for side in annotation.slice.elts]
            sides = [side for side in sides if side != "none"]
            return sides[0] if len(set(sides)) == 1 else UNKNOWN
        annotation = annotation.value
    qualified = qualify(annotation)
    if qualified is not None:
        if qualified in QUALIFIED_ANNOTATION_KINDS:
            return QUALIFIED_ANNOTATION_KINDS[qualified]
        made = CALL_KINDS.get(qualified)
        if made is not None and qualified.rpartition(".")[2][:1].isupper():  # a class, such as requests.Session
            return made
    last = _last_part(annotation)
    if last in ANNOTATION_KINDS:
        return ANNOTATION_KINDS[last]
    if classes is not None and isinstance(annotation, ast.Name) and annotation.id in classes:
        return "instance"
    return UNKNOWN


def _field_kind(inference: ModuleInference, value: ast.expr) -> Optional[Inferred]:
    """``field(default_factory=list)`` (dataclasses), ``attr.ib(factory=list)``, pydantic
    ``Field(default_factory=list)``: the kind the factory makes."""
    if not isinstance(value, ast.Call) or _last_part(value.func) not in ("field", "ib", "attrib", "Field"):
        return None
    # A field whose factory says nothing leaves the annotation to decide (``_NONE`` is no evidence).
    for keyword in value.keywords:
        if keyword.arg in ("default_factory", "factory"):
            factory = keyword.value
            if isinstance(factory, ast.Lambda):
                return _display_kind(factory.body) or _NONE
            kind = CALL_KINDS.get(inference.qualify(factory) or "")
            if kind and kind != "same":
                return Inferred(kind, f"a field made by `{_text(factory)}`")
            return _NONE
    for keyword in value.keywords:
        if keyword.arg == "default":
            return _display_kind(keyword.value) or _NONE
    return _NONE


# What only an ORM session does between its commit and rollback (a DB-API connection has
# neither ``add`` nor ``flush``; ``query``/``merge``/``delete`` with both is SQLAlchemy's API).
_SESSION_WORK = frozenset({"add()", "add_all()", "flush()", "delete()", "query()", "merge()"})


# Builtins that call a function they are handed once per item of an iterable.
CALLBACK_RUNNERS = frozenset({"map", "filter", "sorted", "min", "max"})


def _handed_callbacks(call: ast.Call) -> list[ast.expr]:
    """The names a builtin call runs per item: ``map(f, ...)``/``filter(f, ...)``'s first
    argument, ``sorted``/``min``/``max``'s ``key=``."""
    if not (isinstance(call.func, ast.Name) and call.func.id in CALLBACK_RUNNERS):
        return []
    candidates = [call.args[0]] if call.func.id in ("map", "filter") and call.args else []
    candidates += [keyword.value for keyword in call.keywords if keyword.arg == "key"]
    return [callback for callback in candidates if isinstance(callback, (ast.Name, ast.Attribute))]


def _usage_kind(uses: Iterable[str], sync_dbapi: bool = False) -> Inferred:
    """A parameter's kind from what is done with it: ``.pop(0)`` or ``.insert(0, x)`` (a
    ``deque`` has neither with those arguments and a dict has no ``append``) together with
    ``append``/``extend`` make a list used as a queue; ``.sort()`` makes a list. In a module
    that imports a synchronous DB-API driver and no asynchronous one (``sync_dbapi``),
    ``.execute()`` with ``.fetchone()``/``.fetchall()``/``.fetchmany()`` make a DB-API cursor."""
    uses = set(uses)
    if {"commit()", "rollback()"} <= uses and uses & _SESSION_WORK:
        return Inferred("sa-session", "is committed and rolled back, with rows added, flushed, deleted or queried on it")
    if sync_dbapi and "execute()" in uses and uses & {"fetchone()", "fetchall()", "fetchmany()"}:
        return Inferred("dbapi-cursor", "runs `.execute()` and reads its rows with `.fetch...()`")
    if "sort()" in uses:
        return Inferred("list", "is sorted in place with `.sort()`")
    if uses & {"pop(0)", "insert(0)"} and uses & {"append()", "extend()"}:
        return Inferred("list", "is used as a queue (`.pop(0)` and `.append()`)")
    return NOTHING


def _agree(found: list[Inferred]) -> Inferred:
    """The one kind every piece of evidence gives (bindings to ``None`` aside), else unknown."""
    kinds = [item for item in found if item.kind != "none"]
    if not kinds or any(not item.known for item in kinds):
        return NOTHING
    first = kinds[0]
    return first if all(item.kind == first.kind for item in kinds) else NOTHING


def _extends_attribute(value: ast.expr, attribute: str) -> bool:
    """``x.attribute + ...``: the attribute's old value with more added to its end."""
    if not (isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add)):
        return False
    while isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        value = value.left
    return isinstance(value, ast.Attribute) and value.attr == attribute and isinstance(value.value, ast.Name)


def _extends_name(value: ast.expr, name: str) -> bool:
    """``name + ...``: the name's old value with more added to its end."""
    if not (isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add)):
        return False
    while isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        value = value.left
    return isinstance(value, ast.Name) and value.id == name


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def _last_part(expr: ast.expr) -> str:
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Name):
        return expr.id
    return ""


def _looks_like_class(name: str) -> bool:
    return name[:1].isupper()


_QUERY_REFINERS = frozenset({
    "filter", "filter_by", "order_by", "join", "outerjoin", "options", "distinct", "limit", "offset",
    "group_by", "having", "with_entities", "execution_options", "where",
})


def _classic_query(expr: ast.expr) -> bool:
    """``<session>.query(Model, ...)`` (a capitalised class or one of its columns), or
    Flask-SQLAlchemy's ``Model.query``, then any of ``filter``/``order_by``/``join``/...: a
    SQLAlchemy 1.x ``Query`` whatever the session's name."""
    while isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in _QUERY_REFINERS:
        expr = expr.func.value
    if isinstance(expr, ast.Attribute) and expr.attr == "query":
        # Flask-SQLAlchemy's ``Order.query.filter_by(...)``: the model's own query property
        return isinstance(expr.value, ast.Name) and _looks_like_class(expr.value.id)
    if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "query"):
        return False
    if not expr.args or isinstance(expr.args[0], ast.Starred):
        return False
    first = expr.args[0]
    while isinstance(first, ast.Attribute):
        first = first.value
    return isinstance(first, ast.Name) and first.id[:1].isupper()


def _short(qualified: str) -> str:
    return qualified[len("builtins."):] if qualified.startswith("builtins.") else qualified


def _literal_split_size(literal: ast.Constant, method: str, call: ast.Call) -> Optional[int]:
    """How many items ``"a,b,c".split(",")`` (or ``.splitlines()``, ``.split(None, 1)``) makes
    when the string and every argument are literals; None otherwise."""
    if method not in ("split", "rsplit", "splitlines"):
        return None
    args: list[object] = []
    for arg in call.args:
        if not isinstance(arg, ast.Constant) or not isinstance(arg.value, (str, int, type(None))):
            return None
        args.append(arg.value)
    keywords: dict[str, object] = {}
    for keyword in call.keywords:
        if keyword.arg is None or not isinstance(keyword.value, ast.Constant):
            return None
        keywords[keyword.arg] = keyword.value.value
    try:
        return len(getattr(literal.value, method)(*args, **keywords))
    except (TypeError, ValueError):
        return None


def _text(expr: ast.AST) -> str:
    text = ast.unparse(expr)
    return text if len(text) <= 40 else text[:37] + "..."


# --- the collection walk ----------------------------------------------------------------

_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass
class _Collected:
    """What one top-level statement, or one member of a top-level class, holds."""

    module: _Scope  # its module-level bindings, uses and calls
    scopes: dict[str, _Scope]  # the functions it defines
    classes: dict[str, _Class]  # the classes it defines
    owner: Optional[_Class]  # a member's contributions to its class (attributes, methods)
    part: Optional[str] = None  # its part of ``ModuleInference.digest``, once computed

    def add_to(self, inference: ModuleInference, module: _Scope, cls: Optional[_Class]) -> None:
        for name, values in self.module.bindings.items():
            module.bindings.setdefault(name, []).extend(values)
        for name, uses in self.module.uses.items():
            module.uses.setdefault(name, set()).update(uses)
        module.calls.extend(self.module.calls)
        module.iterated.extend(self.module.iterated)
        inference.scopes.update(self.scopes)
        inference.classes.update(self.classes)
        if cls is not None and self.owner is not None:
            for attribute, values in self.owner.values.items():
                cls.values.setdefault(attribute, []).extend(values)
            for attribute, annotation in self.owner.annotations.items():
                cls.annotations.setdefault(attribute, annotation)
            cls.methods |= self.owner.methods
            cls.grown |= self.owner.grown


_KEY = "_perflint_collected"
_HEADER = "<class>"  # the unit of a class statement itself: its decorators and bases
_PROJECT = "<project>"  # an ``_effect_deps`` entry: another module's call facts were read

# Bases that make a class a list, and the methods whose override may make its searches hashed.
_LIST_CLASSES = frozenset({"builtins.list", "typing.List", "collections.UserList"})
_SEARCHES = frozenset({"__contains__", "index", "count", "remove"})
_MAX_BASE_DEPTH = 4


def _derives_from_list(inference: "ModuleInference", node: ast.ClassDef, depth: int) -> bool:
    """``class Fields(list[Any], Base)`` (through classes of its module or of the project, a
    few bases deep) that overrides none of list's searches."""
    if depth > _MAX_BASE_DEPTH:
        return False
    if any(isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)) and member.name in _SEARCHES for member in node.body):
        return False
    for base in node.bases:
        spelled = base.value if isinstance(base, ast.Subscript) else base
        dotted = inference.qualify(spelled)
        if dotted in _LIST_CLASSES:
            return True
        if isinstance(spelled, ast.Name) and spelled.id in inference.classes:
            if _derives_from_list(inference, inference.classes[spelled.id].node, depth + 1):
                return True
        elif dotted is not None and _project_list_class(inference, dotted, depth + 1):
            return True
    return False


def _project_list_class(inference: "ModuleInference", dotted: str, depth: int) -> bool:
    """The project's class ``a.b.Name`` derives from ``list`` (``_derives_from_list``)."""
    if inference.project is None or depth > _MAX_BASE_DEPTH or dotted.startswith("builtins."):
        return False
    found = inference.project.class_def(dotted)
    return found is not None and _derives_from_list(found[0], found[1], depth)


def _units(tree: ast.Module, lines: Optional[list[str]] = None) -> list[tuple[ast.stmt, Optional[str], "_Collected"]]:
    """The module's statements as the collection sees them: each top-level statement, and
    for a class its header and each member, with what each holds. With the file's ``lines``
    (the language server), what a statement holds is also found by its text, so a full
    re-parse of the file after an edit the splice could not take walks only what changed."""
    units: list[tuple[ast.stmt, Optional[str], _Collected]] = []
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef):
            units.append((statement, _HEADER, _collected(statement, None, lines)))
            units.extend((member, statement.name, _collected(member, statement.name, lines)) for member in statement.body)
        else:
            units.append((statement, None, _collected(statement, None, lines)))
    return units


def _plain_module_part(collected: "_Collected") -> bool:
    """The unit binds names at module level only by ``def``/``class`` and calls nothing there
    in a loop: swapping it leaves the module scope as it was."""
    module = collected.module
    return all(value is None for values in module.bindings.values() for value in values) and not any(
        in_loop for _, in_loop in module.calls
    )


_BY_TEXT: "OrderedDict[tuple, _Collected]" = OrderedDict()
_BY_TEXT_SIZE = 4096  # statements: a few large files' worth


def forget() -> None:
    """Drop the collected facts kept by statement text (a language server calls this when
    its documents are closed; they are collected again on demand)."""
    _BY_TEXT.clear()


def _collected(node: ast.stmt, class_name: Optional[str], lines: Optional[list[str]] = None) -> _Collected:
    """What ``node`` holds, collected on first use and kept on the node (and, given the
    file's ``lines``, by the statement's text). A class statement itself contributes only its
    decorators and bases; its members are collected one by one."""
    cached = getattr(node, _KEY, None)
    if cached is not None and cached[0] == class_name:
        return cached[1]
    key = None
    if lines is not None and not (class_name is None and isinstance(node, ast.ClassDef)):  # not a header
        key = _text_key(node, class_name, lines)
        found = _BY_TEXT.get(key)
        if found is not None:
            _BY_TEXT.move_to_end(key)
            setattr(node, _KEY, (class_name, found))
            return found
    found = _collect(node, class_name)
    setattr(node, _KEY, (class_name, found))
    if key is not None:
        _BY_TEXT[key] = found
        if len(_BY_TEXT) > _BY_TEXT_SIZE:
            _BY_TEXT.popitem(last=False)
    return found


def _text_key(node: ast.stmt, class_name: Optional[str], lines: list[str]) -> tuple:
    first = min([node.lineno, *(decorator.lineno for decorator in getattr(node, "decorator_list", ()))])
    text = "".join(lines[first - 1 : node.end_lineno])
    return (class_name, node.col_offset, node.end_col_offset, text)


def _collect(node: ast.stmt, class_name: Optional[str]) -> _Collected:
    collector = _Collector()
    owner = _Class(class_name, node, []) if class_name is not None else None  # type: ignore[arg-type]
    if owner is not None:
        collector._class_statement(node, collector.module, owner)
    elif isinstance(node, ast.ClassDef):
        for expr in (*node.decorator_list, *node.bases, *(keyword.value for keyword in node.keywords)):
            collector._expr(expr, collector.module, False)
    else:
        collector._statement(node, collector.module, None, False)
    return _Collected(collector.module, collector.scopes, collector.classes, owner)


class _Collector:
    """One walk over a statement: scopes, their bindings, parameters, uses, returns and calls;
    classes, their attributes and methods."""

    def __init__(self) -> None:
        self.module = _Scope("", None, None)
        self.scopes: dict[str, _Scope] = {}
        self.classes: dict[str, _Class] = {}

    def _new_scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: _Scope, cls: Optional[_Class]) -> _Scope:
        prefix = cls.qualname if cls is not None else scope.qualname
        qualname = f"{prefix}.{node.name}" if prefix else node.name
        existing = self.scopes.get(qualname)
        # A class body is not a scope for its methods: their enclosing scope is the class's.
        function = existing or _Scope(qualname, node, scope.qualname)
        if existing is None:
            self.scopes[qualname] = function
        function.node = node
        if cls is not None:
            function.owner = cls.qualname
            cls.methods.add(node.name)
        arguments = node.args
        positional = [*arguments.posonlyargs, *arguments.args]
        if positional:
            function.first_param = positional[0].arg
        for arg in (*positional, *arguments.kwonlyargs):
            function.params[arg.arg] = arg
        for arg, default in zip(reversed(positional), reversed(arguments.defaults)):
            function.defaults[arg.arg] = default
        for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
            if default is not None:
                function.defaults[arg.arg] = default
        for arg in (arguments.vararg, arguments.kwarg):
            if arg is not None:
                function.bindings.setdefault(arg.arg, []).append(None)
        return function

    def _statement(self, node: ast.stmt, scope: _Scope, cls: Optional[_Class], in_loop: bool) -> None:
        kind = type(node)
        if kind in _FUNCTIONS:
            for expr in (*node.decorator_list, *node.args.defaults, *[d for d in node.args.kw_defaults if d]):
                self._expr(expr, scope, in_loop)
            if cls is None:
                scope.bindings.setdefault(node.name, []).append(None)
            function = self._new_scope(node, scope, cls)
            for statement in node.body:
                self._statement(statement, function, None, False)
            return
        if kind is ast.ClassDef:
            if cls is None:
                scope.bindings.setdefault(node.name, []).append(None)
            for expr in (*node.decorator_list, *node.bases):
                self._expr(expr, scope, in_loop)
            prefix = cls.qualname if cls is not None else scope.qualname
            qualname = f"{prefix}.{node.name}" if prefix else node.name
            inner = _Class(qualname, node, list(node.bases))
            inner = self.classes.setdefault(qualname, inner)
            for statement in node.body:
                self._class_statement(statement, scope, inner)
            return
        if kind is ast.Assign:
            for target in node.targets:
                self._target(target, node.value if len(node.targets) == 1 else None, scope)
            self._expr(node.value, scope, in_loop)
            return
        if kind is ast.AnnAssign:
            if isinstance(node.target, ast.Name):
                scope.bindings.setdefault(node.target.id, []).append(_Annotated(node.annotation, node.value))
            else:
                self._target(node.target, node.value, scope)
            if node.value is not None:
                self._expr(node.value, scope, in_loop)
            return
        if kind is ast.AugAssign:
            target = node.target
            if isinstance(target, ast.Name):
                if not isinstance(node.op, ast.Add):
                    scope.bindings.setdefault(target.id, []).append(None)
            else:
                self._expr(target, scope, in_loop)
            self._expr(node.value, scope, in_loop)
            return
        if kind in (ast.For, ast.AsyncFor):
            self._target(node.target, None, scope)
            self._expr(node.iter, scope, in_loop)
            scope.iterated.append((node.iter, in_loop))
            for statement in (*node.body, *node.orelse):
                self._statement(statement, scope, cls, True)
            return
        if kind is ast.While:
            self._expr(node.test, scope, True)
            for statement in (*node.body, *node.orelse):
                self._statement(statement, scope, cls, True)
            return
        if kind is ast.Return:
            if node.value is not None:
                scope.returns.append(node.value)
                self._expr(node.value, scope, in_loop)
            return
        if kind in (ast.Import, ast.ImportFrom):
            if scope.qualname:
                for alias in node.names:
                    scope.bindings.setdefault((alias.asname or alias.name).split(".")[0], []).append(None)
            return
        if kind in (ast.Global, ast.Nonlocal):
            for name in node.names:
                scope.bindings.setdefault(name, []).append(None)
            return
        if kind in (ast.With, ast.AsyncWith):
            for item in node.items:
                self._expr(item.context_expr, scope, in_loop)
                if item.optional_vars is not None:
                    self._target(item.optional_vars, _entered(item.context_expr), scope)
            for statement in node.body:
                self._statement(statement, scope, cls, in_loop)
            return
        if kind is ast.Delete:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    scope.bindings.setdefault(target.id, []).append(None)
                else:
                    self._expr(target, scope, in_loop)
            return
        if kind is ast.If:
            guarded = _isinstance_guard(node)
            if guarded is not None and scope.bindings.get(guarded[0]):
                # ``if not isinstance(arr, Fields): arr = Fields()``: past the guard every path holds
                # what it builds, whatever the bindings before it made
                earlier = scope.bindings[guarded[0]]
                earlier[:] = [guarded[1]] * len(earlier)
        for child_name in node._fields:
            child = getattr(node, child_name)
            for item in child if isinstance(child, list) else [child]:
                if isinstance(item, ast.stmt):
                    self._statement(item, scope, cls, in_loop)
                elif isinstance(item, ast.excepthandler):
                    if item.name:
                        scope.bindings.setdefault(item.name, []).append(None)
                    if item.type is not None:
                        self._expr(item.type, scope, in_loop)
                    for statement in item.body:
                        self._statement(statement, scope, cls, in_loop)
                elif isinstance(item, ast.match_case):
                    for sub in ast.walk(item.pattern):
                        for attr in ("name", "rest"):
                            bound = getattr(sub, attr, None)
                            if isinstance(bound, str):
                                scope.bindings.setdefault(bound, []).append(None)
                    if item.guard is not None:
                        self._expr(item.guard, scope, in_loop)
                    for statement in item.body:
                        self._statement(statement, scope, cls, in_loop)
                elif isinstance(item, ast.expr):
                    self._expr(item, scope, in_loop)

    def _class_statement(self, node: ast.stmt, scope: _Scope, cls: _Class) -> None:
        if isinstance(node, _FUNCTIONS):
            self._statement(node, scope, cls, False)
            self._self_assignments(self.scopes[f"{cls.qualname}.{node.name}"], cls)
            return
        if isinstance(node, ast.ClassDef):
            self._statement(node, scope, cls, False)
            return
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            cls.annotations[node.target.id] = node.annotation
            if node.value is not None:
                cls.values.setdefault(node.target.id, []).append((node.value, ""))
                self._expr(node.value, scope, False)
            return
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    cls.values.setdefault(target.id, []).append((node.value if len(node.targets) == 1 else None, ""))
            self._expr(node.value, scope, False)
            return
        self._statement(node, scope, None, False)  # other statements in a class body run at definition

    def _self_assignments(self, method: _Scope, cls: _Class) -> None:
        """``self.x = value`` (and ``self.x: T = value``) anywhere in the method's own body."""
        me = method.first_param
        if me is None or isinstance(method.node, ast.AST) and _is_static(method.node):
            return
        for node in nested_statements(method.node.body, into_scopes=False):  # type: ignore[union-attr]
            if type(node) is ast.Expr:
                node = node.value  # ``self.items.append(x)``: a call made as a statement
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if _is_self_attribute(target, me):
                        cls.values.setdefault(target.attr, []).append(
                            (node.value if len(node.targets) == 1 else None, method.qualname)
                        )
                    elif isinstance(target, (ast.Tuple, ast.List)):
                        for element in ast.walk(target):
                            if _is_self_attribute(element, me):
                                cls.values.setdefault(element.attr, []).append((None, method.qualname))
            elif isinstance(node, ast.AnnAssign) and _is_self_attribute(node.target, me):
                cls.annotations.setdefault(node.target.attr, node.annotation)
                if node.value is not None:
                    cls.values.setdefault(node.target.attr, []).append((node.value, method.qualname))
            elif isinstance(node, ast.AugAssign) and _is_self_attribute(node.target, me):
                if not isinstance(node.op, ast.Add):
                    cls.values.setdefault(node.target.attr, []).append((None, method.qualname))
                else:
                    cls.grown.add(node.target.attr)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _GROWERS:
                if _is_self_attribute(node.func.value, me):
                    cls.grown.add(node.func.value.attr)  # type: ignore[attr-defined]

    def _target(self, target: ast.expr, value: Optional[ast.expr], scope: _Scope) -> None:
        if isinstance(target, ast.Name):
            scope.bindings.setdefault(target.id, []).append(value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target(element.value if isinstance(element, ast.Starred) else element, None, scope)
        elif isinstance(target, ast.Starred):
            self._target(target.value, None, scope)
        else:
            self._expr(target, scope, False)

    def _expr(self, expr: ast.expr, scope: _Scope, in_loop: bool) -> None:
        """Calls, uses of names, walrus bindings and yields inside an expression; lambdas and
        comprehensions are walked as part of the enclosing function (their own names aside)."""
        stack: list[tuple[ast.AST, bool]] = [(expr, in_loop)]
        while stack:
            node, looping = stack.pop()
            kind = type(node)
            if kind is ast.Call:
                scope.calls.append((node, looping))
                func = node.func
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    scope.uses.setdefault(func.value.id, set()).add(_use(func.attr, node))
            elif kind is ast.NamedExpr and isinstance(node.target, ast.Name):
                scope.bindings.setdefault(node.target.id, []).append(node.value)
            elif kind in (ast.Yield, ast.YieldFrom):
                scope.generator = True
            elif kind is ast.Lambda:
                continue
            if kind in _LOOPS and kind not in (ast.For, ast.AsyncFor, ast.While):
                generators = node.generators  # type: ignore[attr-defined]
                stack.append((generators[0].iter, looping))
                for index, generator in enumerate(generators):
                    if index:
                        stack.append((generator.iter, True))
                    stack.extend((test, True) for test in generator.ifs)
                for part in ("elt", "key", "value"):
                    child = getattr(node, part, None)
                    if child is not None:
                        stack.append((child, True))
                continue
            stack.extend((child, looping) for child in _children(node))


def _generic_base(annotation: Optional[ast.expr], classes) -> Optional[ast.expr]:
    """``Registry`` for ``Registry[Plugin]``, a generic class of the module parametrised
    (the parameters do not change which methods it has); anything else unchanged."""
    if (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id in classes
    ):
        return annotation.value
    return annotation


class _Annotated(ast.expr):
    """A binding whose annotation decides its kind: ``x: list[str] = load()``."""

    _fields = ("annotation", "value")

    def __init__(self, annotation: ast.expr, value: Optional[ast.expr]) -> None:
        super().__init__()
        self.annotation = annotation
        self.value = value


_ELEMENT_CONTAINERS = frozenset({
    "list", "List", "Sequence", "Iterable", "Iterator", "Collection", "tuple", "Tuple", "set", "Set", "frozenset",
    "AbstractSet", "MutableSequence", "Generator",
})
_YIELD_ANNOTATIONS = frozenset({"Iterator", "Generator", "AsyncIterator", "AsyncGenerator", "Iterable", "AsyncIterable"})


def _is_context_manager(function: ast.AST) -> bool:
    """Decorated with ``contextlib.contextmanager`` or ``asynccontextmanager``."""
    return any(
        _last_part(decorator) in ("contextmanager", "asynccontextmanager")
        for decorator in getattr(function, "decorator_list", ())
    )


def _isinstance_guard(node: ast.If) -> Optional[tuple[str, ast.expr]]:
    """``if not isinstance(name, C): name = C(...)`` (no ``else``): the name and the value the
    guard gives it, an instance of the very class it tests."""
    test = node.test
    if node.orelse or len(node.body) != 1 or not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)):
        return None
    check, assign = test.operand, node.body[0]
    if not (
        isinstance(check, ast.Call)
        and isinstance(check.func, ast.Name)
        and check.func.id == "isinstance"
        and len(check.args) == 2
        and isinstance(check.args[0], ast.Name)
        and isinstance(assign, ast.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0], ast.Name)
        and assign.targets[0].id == check.args[0].id
        and isinstance(assign.value, ast.Call)
        and ast.dump(assign.value.func) == ast.dump(check.args[1])
    ):
        return None
    return check.args[0].id, assign.value


def _entered(context: ast.expr) -> Optional[ast.expr]:
    """What ``with X as y`` binds when ``X``'s ``__enter__`` returns itself (sessions,
    clients, connections made by a known constructor): ``X`` itself; otherwise unknown."""
    if isinstance(context, ast.Call):
        return context
    return None


def _use(method: str, call: ast.Call) -> str:
    if method in ("pop", "insert") and call.args and isinstance(call.args[0], ast.Constant) and call.args[0].value == 0:
        return f"{method}(0)"
    return f"{method}()"


def _is_self_attribute(node: ast.AST, me: str) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == me


def _property_getter(value: ast.expr) -> Optional[str]:
    """``property(_get_x, _set_x)`` or ``property(fget=_get_x)`` in a class body: the getter's name."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "property"):
        return None
    getter = value.args[0] if value.args else next((k.value for k in value.keywords if k.arg == "fget"), None)
    return getter.id if isinstance(getter, ast.Name) else None


def _is_property(node: ast.AST) -> bool:
    """``@property``, ``@cached_property`` and the lazy variants libraries define for themselves
    (``@lazyproperty``, ``@memoized_property``, pyramid's ``@reify``): reading the attribute
    gives what the method returns."""
    return any(_property_decorator(_last_part(decorator)) for decorator in getattr(node, "decorator_list", ()))


def _property_decorator(name: str) -> bool:
    return name in ("property", "cached_property", "reify") or (name.endswith("property") and name.islower())


def key_lookup(name: Optional[str]) -> bool:
    """A Django lookup keyword that names a key: ``pk``, ``id``, ``line_id``, ``code__iexact``
    (how a related manager's ``get`` differs from ``dict.get``, which takes no keywords)."""
    return name is not None and (name in ("pk", "id") or name.endswith("_id") or "__" in name.strip("_"))


def _receiver_sender(function: Optional[ast.AST]) -> Optional[ast.expr]:
    """``Batch`` of a Django signal receiver decorated ``@receiver(<signal>, sender=Batch)``: the
    class of the ``instance`` it is sent (one row, the one saved or deleted)."""
    for decorator in getattr(function, "decorator_list", ()):
        if isinstance(decorator, ast.Call) and _last_part(decorator.func) == "receiver":
            sender = next((k.value for k in decorator.keywords if k.arg == "sender"), None)
            if isinstance(sender, ast.Name):
                return sender
    return None


def _is_static(node: ast.AST) -> bool:
    return any(_last_part(decorator) == "staticmethod" for decorator in getattr(node, "decorator_list", ()))


_NESTED_SCOPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda})
# Nodes ``ast.iter_child_nodes`` yields that no walk here wants: contexts and operators, and
# names and constants (nothing under them is a call, a binding or a yield).
_LEAVES = frozenset(
    {ast.Load, ast.Store, ast.Del, ast.And, ast.Or, ast.Name, ast.Constant, *ast.operator.__subclasses__(),
     *ast.unaryop.__subclasses__(), *ast.cmpop.__subclasses__()}
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _children(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes`` without its generator, and without ``_LEAVES``."""
    kind = type(node)
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(kind._fields)
    found: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            found.extend(item for item in value if isinstance(item, ast.AST) and type(item) not in _LEAVES)
        elif isinstance(value, ast.AST) and type(value) not in _LEAVES:
            found.append(value)
    return found
