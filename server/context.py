"""Shared facts about where the traversal is, computed once per file for all rules.

The context is two batchable visitors: ``ContextEnter`` runs before every rule
on the way down and ``ContextExit`` after every rule on the way up, so inside
any rule's ``visit_X`` and ``leave_X`` the stacks describe the node itself.

Stacks, not booleans: a loop inside a function inside a loop is not "in a
loop" as far as the inner function's body is concerned, because the inner
function runs when it is called, not once per outer iteration.
"""

from __future__ import annotations

import ast
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Optional, Sequence, Union

import libcst as cst

from perflint.cst_walk import TRIVIA_TYPES, children, visitor_methods
from perflint.facts import BUILTIN_NAMES, ModuleFacts
from perflint.source import parse_ast

if TYPE_CHECKING:  # pragma: no cover
    from perflint.analysis import ScopeIndex
    from perflint.model import SizeEvidence
    from perflint.infer import Effects, Inferred
    from perflint.repetition import Repeat
    from perflint.rule import FixSpec, LaterFix, Rule

_EMPTY_MODULE = cst.Module(body=[])


def as_ast(expr: cst.BaseExpression) -> Optional[ast.expr]:
    """The stdlib ``ast`` of a libcst expression, which the inference layer reads. Wrapped in
    parentheses (on their own line, after any comment) so continued lines parse alone.
    A name or a chain of attributes of one (the common question: ``queue``, ``self.rows``) is
    built directly, as ``ast`` would parse it, without generating and parsing its code."""
    dotted = _dotted_ast(expr)
    if dotted is not None:
        return dotted
    try:
        return parse_ast("(" + _EMPTY_MODULE.code_for_node(expr) + "\n)", mode="eval").body  # type: ignore[attr-defined]
    except (SyntaxError, ValueError, RecursionError):
        return None


def _dotted_ast(expr: cst.BaseExpression) -> Optional[ast.expr]:
    """``ast.Name`` / ``ast.Attribute`` for ``a`` / ``a.b.c`` (parentheses change nothing there;
    identifiers NFKC-normalized as the parser does); None for anything else."""
    attributes: list[str] = []
    while isinstance(expr, cst.Attribute):
        attributes.append(expr.attr.value)
        expr = expr.value
    if not isinstance(expr, cst.Name) or expr.value in _CONSTANT_NAMES:
        return None
    tree: ast.expr = ast.Name(id=_identifier(expr.value), ctx=ast.Load())
    for attribute in reversed(attributes):
        tree = ast.Attribute(value=tree, attr=_identifier(attribute), ctx=ast.Load())
    return tree


_CONSTANT_NAMES = frozenset({"True", "False", "None"})  # libcst's names, ``ast``'s constants


def _identifier(name: str) -> str:
    return name if name.isascii() else unicodedata.normalize("NFKC", name)


def runs_at_most_once(loop: Union[cst.For, cst.While]) -> bool:
    """A loop whose body always ends in ``break``, ``return`` or ``raise`` and never
    ``continue``s: its body runs at most once (``for first in rows: ...; break``)."""
    body = loop.body
    if not isinstance(body, cst.IndentedBlock) or not body.body:
        return False
    last = body.body[-1]
    if not (isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], (cst.Break, cst.Return, cst.Raise))):
        return False
    return not _continues(body)


def _continues(node: cst.CSTNode) -> bool:
    """A ``continue`` of the loop whose body is ``node`` (not of a nested loop or function)."""
    for child in node.children:
        if isinstance(child, cst.Continue):
            return True
        if isinstance(child, (cst.For, cst.While)):  # its body's continues are its own
            if child.orelse is not None and _continues(child.orelse):
                return True
            continue
        if isinstance(child, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        if _continues(child):
            return True
    return False


@dataclass
class Loop:
    """A loop whose body is being visited: a ``for``/``while`` statement or a comprehension."""

    node: cst.CSTNode
    kind: str  # "for", "while" or "comprehension"
    active: bool = True  # False while visiting a comprehension's first iterable (evaluated once)

    @property
    def target_names(self) -> set[str]:
        if isinstance(self.node, cst.For):
            return names_in_target(self.node.target)
        if isinstance(self.node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            names: set[str] = set()
            comp_for: Optional[cst.CompFor] = self.node.for_in
            while comp_for is not None:
                names |= names_in_target(comp_for.target)
                comp_for = comp_for.inner_for_in
            return names
        return set()


@dataclass
class Scope:
    """The module, a class body, a function or a lambda."""

    kind: str  # "module", "class", "function" or "lambda"
    node: Optional[cst.CSTNode]
    is_async: bool = False
    loops: list[Loop] = field(default_factory=list)
    _locals: Optional[set[str]] = None
    _literals: Optional[frozenset[str]] = None
    # the function's ``analysis.ScopeIndex`` once a rule has built one (``ScopeAware.scope_index``)
    index: Optional["ScopeIndex"] = None

    @property
    def local_names(self) -> set[str]:
        """Names bound in this function (parameters, assignments, imports...), computed on demand:
        from the function's ``ScopeIndex`` when a rule has built one, without a walk of its own."""
        if self._locals is None:
            if self.kind not in ("function", "lambda"):
                self._locals = set()
            else:
                found = self.index.local_names() if self.index is not None else None
                self._locals = function_local_names(self.node) if found is None else found
        return self._locals

    @property
    def literal_locals(self) -> frozenset[str]:
        """Locals of this function bound only to displays of constants and never changed or
        handed on (``auths = ["CRAM-MD5", "PLAIN", "LOGIN"]``, then only read and iterated):
        a loop over one runs a number of times written in the source. Computed on demand."""
        if self._literals is None:
            self._literals = _literal_locals(self.node) if self.kind == "function" else frozenset()
        return self._literals

    @property
    def name(self) -> str:
        if isinstance(self.node, (cst.FunctionDef, cst.ClassDef)):
            return self.node.name.value
        return "<lambda>" if self.kind == "lambda" else "<module>"


@dataclass
class Report:
    """What a rule reported, before positions and fixes are turned into text."""

    rule: "Rule"
    node: cst.CSTNode
    message: str
    fix: Optional[Union["FixSpec", "LaterFix"]]
    loop_depth: int
    function: Optional[cst.CSTNode]  # innermost enclosing def, for complexity and profiles
    function_name: str
    # why the data of the enclosing loops may be big (``perflint.analysis.SizeEvidence``), for the impact
    evidence: Optional["SizeEvidence"] = None


class FileContext:
    """Where the traversal is right now, plus the module's facts."""

    def __init__(self, facts: ModuleFacts, path: str = "<stdin>") -> None:
        self.facts = facts
        self.path = path
        self.scopes: list[Scope] = [Scope("module", None)]
        self.reports: list[Report] = []
        self.comment_free = False  # the piece's text has no ``#``: no comment in it (set by the engine)

    # --- where are we -------------------------------------------------------

    @property
    def scope(self) -> Scope:
        return self.scopes[-1]

    @property
    def loops(self) -> list[Loop]:
        """Active loops of the current function (or module/class body), outermost first."""
        return [loop for loop in self.scope.loops if loop.active]

    @property
    def loop_depth(self) -> int:
        return len(self.loops)

    @property
    def in_loop(self) -> bool:
        return any(loop.active for loop in self.scope.loops)

    @property
    def innermost_loop(self) -> Optional[Loop]:
        loops = self.loops
        return loops[-1] if loops else None

    def comprehension_of(self, comp_for: cst.CompFor) -> Optional[cst.CSTNode]:
        """The comprehension (of the current scope) whose ``for`` clauses include ``comp_for``."""
        for loop in reversed(self.scope.loops):
            if loop.kind == "comprehension":
                current: Optional[cst.CompFor] = loop.node.for_in  # type: ignore[attr-defined]
                while current is not None:
                    if current is comp_for:
                        return loop.node
                    current = current.inner_for_in
        return None

    @property
    def function(self) -> Optional[Scope]:
        """The innermost enclosing ``def`` (lambdas skipped), if any."""
        for scope in reversed(self.scopes):
            if scope.kind == "function":
                return scope
        return None

    @property
    def in_async_function(self) -> bool:
        """True directly inside an ``async def`` body (not in a nested sync def or lambda)."""
        return self.scope.kind == "function" and self.scope.is_async

    @property
    def in_class_body(self) -> bool:
        return self.scope.kind == "class"

    @property
    def function_name(self) -> str:
        parts = [s.name for s in self.scopes[1:] if s.kind in ("class", "function")]
        return ".".join(parts) or "<module>"

    # --- names --------------------------------------------------------------

    def is_local(self, name: str) -> bool:
        """True if ``name`` is bound in an enclosing function rather than at module level."""
        for scope in reversed(self.scopes):
            if scope.kind in ("function", "lambda") and name in scope.local_names:
                return True
        return False

    def is_literal_local(self, name: str) -> bool:
        """True if the innermost function binds ``name`` once, to a display of constants, and
        never changes it (``Scope.literal_locals``)."""
        function = self.function
        return function is not None and name in function.literal_locals

    def qualified_name(self, node: cst.BaseExpression) -> Optional[str]:
        """The dotted name an expression refers to through the module's imports.

        ``r.get`` with ``import requests as r`` gives ``"requests.get"``; ``len``
        gives ``"builtins.len"``; a name bound locally or by the module itself
        gives ``None``. Cheap: the function's local names are only computed
        when the head name is an import or a builtin.
        """
        parts: list[str] = []
        while isinstance(node, cst.Attribute):
            parts.append(node.attr.value)
            node = node.value
        if not isinstance(node, cst.Name):
            return None
        head = node.value
        if head not in self.facts.imports and (head in self.facts.own_names or head not in BUILTIN_NAMES):
            return None
        if self.is_local(head):
            return None
        base = self.facts.resolve_global(head)
        if base is None:
            return None
        return ".".join([base, *reversed(parts)])

    def call_name(self, node: cst.CSTNode) -> Optional[str]:
        """``qualified_name`` of a call's callee, or None when ``node`` is not a call."""
        if isinstance(node, cst.Call):
            return self.qualified_name(node.func)
        return None

    # --- what values are (perflint.infer) -----------------------------------

    @property
    def scope_qualname(self) -> str:
        """The current function's qualified name as the inference layer names scopes (``""``: module)."""
        name = self.function_name
        return "" if name == "<module>" or self.function is None else name

    def kind_of(self, expr: cst.BaseExpression) -> "Inferred":
        """What kind of value ``expr`` holds here (``perflint.infer``): a list, a set, a DB-API
        cursor, ... or ``"unknown"``, with the evidence (``Inferred.evidence``)."""
        from perflint.infer import NOTHING

        tree = as_ast(expr)
        return NOTHING if tree is None else self.facts.inference.kind_of(self.scope_qualname, tree)

    def call_effects(self, call: cst.Call) -> "Optional[Effects]":
        """What one call does, through the module's own functions (``Effects.kinds``: query,
        write, http, block, client; ``Effects.chain`` the calls that lead there)."""
        tree = as_ast(call)
        if not isinstance(tree, ast.Call):
            return None
        return self.facts.inference.call_effects(self.scope_qualname, tree)

    def runs_repeatedly(self, function: Optional[cst.CSTNode] = None) -> Optional[str]:
        """Why the current function (or ``function``, a def of this module) runs per request,
        event or item, in words a message can quote ("Celery task", "web route (`@app.get`)",
        "called in a loop of `main` (line 12)"); None when it is not known to
        (``perflint.repetition``)."""
        repeat = self.repeat_of(function)
        return repeat.why if repeat is not None else None

    def repeat_of(self, function: Optional[cst.CSTNode] = None) -> "Optional[Repeat]":
        """``runs_repeatedly`` with its kind (``Repeat.kind``: ``repetition.HANDLER``, ``LOOP``,
        ``WHILE`` or ``PROPERTY``), for rules that accept only some reasons."""
        from perflint.repetition import repeat_at

        return repeat_at(self, function)

    def module_uses(self, module: str) -> bool:
        """True if the file imports ``module`` (or something from it)."""
        prefix = module + "."
        return any(q == module or q.startswith(prefix) for q in self.facts.imports.values())


# --- the two visitors that maintain the context -----------------------------


class CachedVisitors(cst.BatchableCSTVisitor):
    """A batchable visitor whose visitor methods are looked up once per class.

    libcst's ``get_visitors`` runs ``inspect.getmembers`` on every instance,
    and the engine makes new instances for every block: measured at about
    6 ms per visitor per block, 26 ms for a three-line function with 22 rules.
    Which methods a visitor has depends only on its class; even once per class
    ``inspect.getmembers`` cost 1-2 ms a visitor, so ``cst_walk.visitor_methods``
    finds the same methods without it.
    """

    _visitor_names: ClassVar[dict[type, tuple[str, ...]]] = {}
    # Its callbacks are its class's methods: ``cst_walk.visit_batched`` keeps its table per class.
    class_methods: ClassVar[bool] = True

    def get_visitors(self):
        names = self._visitor_names.get(type(self))
        if names is None:
            names = self._visitor_names[type(self)] = tuple(visitor_methods(self))
        return {name: getattr(self, name) for name in names}


class ContextEnter(CachedVisitors):
    """Pushes scopes and loops; runs before every rule's ``visit_*``."""

    def __init__(self, context: FileContext) -> None:
        super().__init__()
        self.ctx = context

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.ctx.scopes.append(Scope("function", node, is_async=node.asynchronous is not None))

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.ctx.scopes.append(Scope("lambda", node))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.ctx.scopes.append(Scope("class", node))

    def visit_For_body(self, node: cst.For) -> None:
        self.ctx.scope.loops.append(Loop(node, "for", active=not runs_at_most_once(node)))

    def visit_While(self, node: cst.While) -> None:
        self.ctx.scope.loops.append(Loop(node, "while", active=not runs_at_most_once(node)))

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self.ctx.scope.loops.append(Loop(node, "comprehension"))

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self.ctx.scope.loops.append(Loop(node, "comprehension"))

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self.ctx.scope.loops.append(Loop(node, "comprehension"))

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self.ctx.scope.loops.append(Loop(node, "comprehension"))

    def visit_CompFor_iter(self, node: cst.CompFor) -> None:
        # The first iterable of a comprehension is evaluated once, outside its loop.
        loops = self.ctx.scope.loops
        if loops and loops[-1].kind == "comprehension" and getattr(loops[-1].node, "for_in", None) is node:
            loops[-1].active = False


class ContextExit(CachedVisitors):
    """Pops scopes and loops; runs after every rule's ``leave_*``."""

    def __init__(self, context: FileContext) -> None:
        super().__init__()
        self.ctx = context

    # libcst finds visitor methods by their __name__, so each needs its own def.

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.ctx.scopes.pop()

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.ctx.scopes.pop()

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.ctx.scopes.pop()

    def leave_For_body(self, node: cst.For) -> None:
        self.ctx.scope.loops.pop()

    def leave_While_body(self, node: cst.While) -> None:
        self.ctx.scope.loops.pop()

    def leave_ListComp(self, original_node: cst.ListComp) -> None:
        self.ctx.scope.loops.pop()

    def leave_SetComp(self, original_node: cst.SetComp) -> None:
        self.ctx.scope.loops.pop()

    def leave_DictComp(self, original_node: cst.DictComp) -> None:
        self.ctx.scope.loops.pop()

    def leave_GeneratorExp(self, original_node: cst.GeneratorExp) -> None:
        self.ctx.scope.loops.pop()

    def leave_CompFor_iter(self, node: cst.CompFor) -> None:
        loops = self.ctx.scope.loops
        if loops and loops[-1].kind == "comprehension" and getattr(loops[-1].node, "for_in", None) is node:
            loops[-1].active = True


# --- small helpers rules share -----------------------------------------------


def names_in_target(target: cst.CSTNode) -> set[str]:
    """Names bound by an assignment or loop target: ``a``, ``a, (b, *c)``; not ``a.x`` or ``a[i]``."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        names: set[str] = set()
        for element in target.elements:
            names |= names_in_target(element.value)
        return names
    if isinstance(target, cst.StarredElement):
        return names_in_target(target.value)
    return set()


def _literal_locals(function: Optional[cst.CSTNode]) -> frozenset[str]:
    from perflint.analysis import iter_own_nodes, literal_elements

    if not isinstance(function, cst.FunctionDef):
        return frozenset()
    params = function.params
    params = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    literal: set[str] = set()
    bound: dict[str, int] = {}
    changed: set[str] = set()
    for node in iter_own_nodes(function.body):
        if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            elements = literal_elements(node.value)
            if elements is not None and all(isinstance(e, (cst.SimpleString, cst.Integer, cst.Float)) for e in elements):
                literal.add(node.targets[0].target.value)
        target = _bound_target(node)
        if target is not None:
            for name in names_in_target(target):
                bound[name] = bound.get(name, 0) + 1
            if isinstance(node, (cst.AugAssign, cst.Del)) and isinstance(target, cst.Name):
                changed.add(target.value)
            if isinstance(target, (cst.Subscript, cst.Attribute)) and isinstance(target.value, cst.Name):
                changed.add(target.value.value)  # ``auths[0] = ...``
        elif isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
                changed.add(func.value.value)  # ``auths.append(...)``
            changed.update(arg.value.value for arg in node.args if isinstance(arg.value, cst.Name))  # handed on
    return frozenset(name for name in literal if bound.get(name) == 1 and name not in changed and name not in params)


def _bound_target(node: cst.CSTNode) -> Optional[cst.CSTNode]:
    """What a binding statement or clause binds to (``x = ``, ``x +=``, ``for x``, ``as x``, ``del x``, ``x :=``)."""
    if isinstance(node, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.Del, cst.NamedExpr)):
        return node.target
    if isinstance(node, cst.WithItem) and node.asname is not None:
        return node.asname.name
    return None


def function_local_names(node: Optional[cst.CSTNode]) -> set[str]:
    """Names bound directly in one function (not in nested functions or classes), less
    those it declares ``global``/``nonlocal``; one loop over the subtree instead of a
    visitor's dispatch per node (whitespace and punctuation, which bind nothing, are not
    entered)."""
    if node is None:
        return set()
    names: set[str] = set()
    declared: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind in TRIVIA_TYPES:
            continue
        if kind is cst.FunctionDef:
            if current is not node:
                names.add(current.name.value)
                continue
        elif kind is cst.ClassDef:
            names.add(current.name.value)
            continue
        elif kind is cst.Lambda:
            if current is not node:
                continue
        elif kind is cst.Param:
            names.add(current.name.value)
        elif kind is cst.AssignTarget or kind is cst.AnnAssign or kind is cst.AugAssign:
            names |= names_in_target(current.target)
        elif kind is cst.For:
            names |= names_in_target(current.target)
        elif kind is cst.AsName:
            names |= names_in_target(current.name)
        elif kind is cst.NamedExpr:
            names |= names_in_target(current.target)
        elif kind is cst.Import:
            for alias in current.names:
                if alias.asname is None:
                    head = alias.name
                    while isinstance(head, cst.Attribute):
                        head = head.value
                    if isinstance(head, cst.Name):
                        names.add(head.value)
        elif kind is cst.ImportFrom:
            if isinstance(current.names, Sequence):
                for alias in current.names:
                    if alias.asname is None and isinstance(alias.name, cst.Name):
                        names.add(alias.name.value)
        elif kind is cst.Global or kind is cst.Nonlocal:
            declared |= {item.name.value for item in current.names}
        stack.extend(children(current))
    return names - declared

