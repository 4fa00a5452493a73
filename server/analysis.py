"""Small syntactic questions that several rules ask about libcst trees.

Everything here is purely syntactic and conservative: when in doubt, the
answer is the one that keeps a rule silent.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterator, Optional, Sequence

import libcst as cst

from perflint.context import function_local_names as _function_local_names, names_in_target
from perflint.cst_walk import TRIVIA_TYPES, children
from perflint.facts import ENUM_BASES, ModuleFacts, derives_from
from perflint.model import SizeEvidence
from perflint.positions import StatementCode


def iter_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node in the subtree, ``node`` included, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))  # ``.children`` rebuilds the node: much slower


def names_used(node: cst.CSTNode) -> set[str]:
    """Every bare name that occurs in the subtree (read or written)."""
    return {n.value for n in iter_nodes(node) if isinstance(n, cst.Name)}


def names_read(node: cst.CSTNode) -> set[str]:
    """Names an expression reads: not attribute names (``x.attr``), keyword names (``f(k=v)``)
    or what nested functions, lambdas and classes read."""
    skip: set[int] = set()
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Attribute):
            skip.add(id(current.attr))
        elif isinstance(current, cst.Arg) and current.keyword is not None:
            skip.add(id(current.keyword))
        elif isinstance(current, cst.Name) and id(current) not in skip:
            found.add(current.value)
        if current is node or not isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            stack.extend(children(current))
    return found


def dotted_name(node: cst.BaseExpression) -> Optional[str]:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def method_call(node: cst.CSTNode) -> Optional[tuple[cst.BaseExpression, str]]:
    """``(receiver, method)`` for ``receiver.method(...)``, else None."""
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        return node.func.value, node.func.attr.value
    return None


def is_name(node: Optional[cst.CSTNode], value: Optional[str] = None) -> bool:
    return isinstance(node, cst.Name) and (value is None or node.value == value)


def bound_names(node: cst.CSTNode) -> set[str]:
    """Names (re)bound anywhere in the subtree: assignment, augmented assignment,
    loop/with/except targets, walrus, ``del``, imports, ``def``/``class``."""
    names: set[str] = set()
    for sub in iter_nodes(node):
        if isinstance(sub, cst.AssignTarget):
            names |= names_in_target(sub.target)
        elif isinstance(sub, (cst.AnnAssign, cst.AugAssign)):
            names |= names_in_target(sub.target)
        elif isinstance(sub, (cst.For, cst.CompFor)):
            names |= names_in_target(sub.target)
        elif isinstance(sub, cst.AsName):
            names |= names_in_target(sub.name)
        elif isinstance(sub, cst.NamedExpr):
            names |= names_in_target(sub.target)
        elif isinstance(sub, cst.Del):
            names |= names_in_target(sub.target)
        elif isinstance(sub, (cst.FunctionDef, cst.ClassDef)):
            names.add(sub.name.value)
        elif isinstance(sub, cst.ImportAlias):
            target = sub.asname.name if sub.asname else sub.name
            while isinstance(target, cst.Attribute):
                target = target.value
            names |= names_in_target(target)
    return names


def mutated_names(node: cst.CSTNode) -> set[str]:
    """Names whose object may change in the subtree: rebound, called as a method
    receiver (``x.append()``), item/attribute assigned or deleted (``x[i] = ``,
    ``del x[i]``, ``x.a = ``), or passed to any call (the callee may mutate it)."""
    names = bound_names(node)
    for sub in iter_nodes(node):
        if isinstance(sub, cst.Call):
            receiver = sub.func.value if isinstance(sub.func, cst.Attribute) else None
            if isinstance(receiver, cst.Name):
                names.add(receiver.value)
            for arg in sub.args:
                names |= {n.value for n in iter_nodes(arg.value) if isinstance(n, cst.Name)}
    return names | stored_names(node)


def stored_names(node: cst.CSTNode) -> set[str]:
    """Names whose item or attribute is assigned, augmented or deleted in the subtree
    (``x[i] = ``, ``x.a += ``, ``del x[i]``)."""
    names: set[str] = set()
    for sub in iter_nodes(node):
        if not isinstance(sub, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Del)):
            continue
        for part in iter_nodes(sub.target):
            if isinstance(part, (cst.Subscript, cst.Attribute)):
                base = part.value
                while isinstance(base, (cst.Subscript, cst.Attribute)):
                    base = base.value
                if isinstance(base, cst.Name):
                    names.add(base.value)
    return names


def contains_await(node: cst.CSTNode) -> bool:
    return any(isinstance(sub, cst.Await) for sub in iter_nodes(node))


def body_statements(node: cst.CSTNode) -> list[cst.BaseStatement]:
    """The statements of a block-bearing node's ``body`` (indented or same-line)."""
    body = getattr(node, "body", None)
    if isinstance(body, cst.IndentedBlock):
        return list(body.body)
    if isinstance(body, cst.SimpleStatementSuite):
        return [cst.SimpleStatementLine(body=body.body)]
    return []


def small_statements(statement: cst.BaseStatement) -> list[cst.BaseSmallStatement]:
    if isinstance(statement, cst.SimpleStatementLine):
        return list(statement.body)
    return []


# --- scope index: parents, bindings and reads of one scope -------------------------
#
# Level-1 rules need to know what a name holds ("every binding of `q` in this
# function is a list literal"), where a node sits ("which statement list holds
# this loop, and what comes before it"), and how a name is used ("is `acc`
# ever passed to a call or stored elsewhere"). A ``ScopeIndex`` answers these
# for one function body or one module block, in one walk, built only when a
# rule has a candidate.

NESTED_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
# The same as sets of exact types: libcst's node classes are ABCs, whose isinstance is slow.
_NESTED_SCOPE_TYPES = frozenset(NESTED_SCOPES)
_SUSPENDING_CLASSES = (cst.Await, cst.Yield)
_SUSPENDING = frozenset(_SUSPENDING_CLASSES)
_COMPREHENSION_TYPES = frozenset(COMPREHENSIONS)


@dataclass(frozen=True)
class Binding:
    """One place that binds a name in a scope.

    ``kind`` is "assign" (a single-name ``name = value``), "annassign"
    (``name: T = value``), "multi" (``a = b = value``), "unpack" (a tuple
    target), "augassign", "for", "with", "except", "walrus", "del", "import",
    "def", "class", "param" or "match".
    """

    name: str
    kind: str
    node: cst.CSTNode
    value: Optional[cst.BaseExpression] = None


class ScopeIndex:
    """Parents, bindings and reads of one scope: a function body or a module block.

    Comprehensions belong to the scope (their bodies are walked, and their own
    targets are not counted as reads of the scope's names). Nested functions,
    lambdas and classes are not walked; every name they mention is in
    ``closure_names``, and their ``global``/``nonlocal`` names in ``declared``.
    """

    def __init__(self, root: cst.CSTNode, comment_free: bool = False) -> None:
        """``comment_free``: the caller knows no comment is under ``root`` (its text has no
        ``#``), so whitespace and punctuation, which hold nothing else, are not walked."""
        self.root = root
        self._comment_free = comment_free
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.bindings: dict[str, list[Binding]] = {}
        self.reads: dict[str, list[cst.Name]] = {}
        self.closure_names: set[str] = set()
        self.declared: set[str] = set()
        self.own_declared: set[str] = set()  # ``global``/``nonlocal`` of the scope itself (not nested ones)
        # names the bindings leave out that ``context.function_local_names`` counts as local
        # (``x: int`` without a value, ``except* E as e``): for ``local_names``
        self._bare_locals: set[str] = set()
        self.has_star_import = False
        # locals(), vars(), eval() or exec() can read any name
        self.reads_dynamically = False
        # an ``await`` or ``yield`` anywhere under the root, nested scopes included
        self.suspends = False
        # a comment may be under the root (True also where the walk skipped a node that can hold one)
        self.may_have_comments = False
        self._stores: set[cst.CSTNode] = set()
        self._comprehension_names: list[cst.Name] = []
        self._build()

    # --- building ----------------------------------------------------------

    def _build(self) -> None:
        root = self.root
        if isinstance(root, cst.FunctionDef):
            for param in _all_params(root.params):
                self._bind(param.name.value, "param", param)
            self.parents[root.body] = root
            stack: list[tuple[cst.CSTNode, bool]] = [(root.body, False)]
        else:
            stack = [(root, False)]
        parents = self.parents
        # Without comments, the nodes a walk can skip: nothing in them binds, reads or suspends.
        skipped = TRIVIA_TYPES if self._comment_free else _NO_TYPES
        pop, push, visit = stack.pop, stack.append, self._visit
        while stack:
            node, in_comprehension = pop()
            kind = type(node)
            if kind in _SUSPENDING:
                self.suspends = True
            elif kind is cst.Comment:
                self.may_have_comments = True
            if kind in _NESTED_SCOPE_TYPES:
                self._nested(node)
                continue
            if kind in _INDEXED_TYPES and not visit(node, in_comprehension):
                continue  # (``_visit`` records nothing for other types and walks their children)
            if kind in _COMPREHENSION_TYPES:
                in_comprehension = True
            for child in reversed(children(node)):
                if type(child) not in skipped:
                    parents[child] = node
                    push((child, in_comprehension))
        for name_node in self._comprehension_names:
            if not _bound_by_comprehension(self, name_node):
                self.reads.setdefault(name_node.value, []).append(name_node)
        self._comprehension_names = []

    def _bind(self, name: str, kind: str, node: cst.CSTNode, value: Optional[cst.BaseExpression] = None) -> None:
        self.bindings.setdefault(name, []).append(Binding(name, kind, node, value))

    def _store(self, target: cst.CSTNode, kind: str, node: cst.CSTNode) -> None:
        for name_node in target_name_nodes(target):
            self._stores.add(name_node)
            self._bind(name_node.value, kind, node)

    def _nested(self, node: cst.CSTNode) -> None:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            self._bind(node.name.value, "def" if isinstance(node, cst.FunctionDef) else "class", node)
        for sub in iter_nodes(node):
            if isinstance(sub, cst.Name):
                self.closure_names.add(sub.value)
            elif isinstance(sub, _SUSPENDING_CLASSES):
                self.suspends = True
            elif isinstance(sub, cst.Comment):
                self.may_have_comments = True
            elif isinstance(sub, (cst.Global, cst.Nonlocal)):
                self.declared |= {item.name.value for item in sub.names}

    def _visit(self, node: cst.CSTNode, in_comprehension: bool) -> bool:
        """Record what ``node`` binds; False when its children need no walk."""
        if type(node) not in _INDEXED_TYPES:
            return True
        if type(node) is cst.Name:
            parent = self.parents.get(node)
            if node.value in _DYNAMIC_READERS and isinstance(parent, cst.Call) and parent.func is node:
                if not _own_namespace(parent):
                    self.reads_dynamically = True
            if node not in self._stores and _is_variable(node, parent):
                if in_comprehension:
                    self._comprehension_names.append(node)
                else:
                    self.reads.setdefault(node.value, []).append(node)
            return False
        if isinstance(node, cst.Assign):
            if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
                target = node.targets[0].target
                self._stores.add(target)
                self._bind(target.value, "assign", node, node.value)
            else:
                kind = "multi" if len(node.targets) > 1 else "unpack"
                for assign_target in node.targets:
                    self._store(assign_target.target, kind, node)
        elif isinstance(node, cst.AnnAssign):
            if isinstance(node.target, cst.Name):
                self._stores.add(node.target)
                if node.value is not None:
                    self._bind(node.target.value, "annassign", node, node.value)
                else:
                    self._bare_locals.add(node.target.value)
        elif isinstance(node, cst.AugAssign):
            if isinstance(node.target, cst.Name):
                self._bind(node.target.value, "augassign", node)  # also a read: left in reads
        elif isinstance(node, cst.For):
            self._store(node.target, "for", node)
        elif isinstance(node, cst.CompFor):
            for name_node in target_name_nodes(node.target):
                self._stores.add(name_node)  # comprehension-local
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            self._store(node.asname.name, "with", node)
        elif isinstance(node, cst.ExceptHandler) and node.name is not None:
            self._store(node.name.name, "except", node)
        elif isinstance(node, cst.NamedExpr):
            self._store(node.target, "walrus", node)
        elif isinstance(node, cst.Del):
            self._store(node.target, "del", node)
        elif isinstance(node, (cst.Import, cst.ImportFrom)):
            self.may_have_comments = True  # its children are not walked: a comment may be there
            if isinstance(node, cst.ImportFrom) and isinstance(node.names, cst.ImportStar):
                self.has_star_import = True
                return False
            for alias in node.names:  # type: ignore[union-attr]
                target = alias.asname.name if alias.asname else alias.name
                while isinstance(target, cst.Attribute):
                    target = target.value
                if isinstance(target, cst.Name):
                    self._bind(target.value, "import", node)
            return False
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            names = {item.name.value for item in node.names}
            self.declared |= names
            self.own_declared |= names
            return False
        elif _EXCEPT_STAR is not None and isinstance(node, _EXCEPT_STAR) and node.name is not None:
            self._bare_locals |= names_in_target(node.name.name)
        elif isinstance(node, (cst.MatchAs, cst.MatchStar)) and node.name is not None:
            self._store(node.name, "match", node)
        elif isinstance(node, cst.MatchMapping) and node.rest is not None:
            self._store(node.rest, "match", node)
        return True

    def local_names(self) -> Optional[set[str]]:
        """For a function's index, ``context.function_local_names`` of the function without its
        own walk: the names its bindings hold (less ``del`` and ``match`` ones, which that
        function does not count), the ones it counts that bind nothing here, and those its
        decorators, parameters and return annotation bind (a walrus there), less its own
        ``global``/``nonlocal`` names. None for a module's index."""
        root = self.root
        if not isinstance(root, cst.FunctionDef):
            return None
        names = {name for name, bindings in self.bindings.items() if any(b.kind not in _NOT_LOCAL for b in bindings)}
        names |= self._bare_locals
        for part in (*root.decorators, root.params, root.returns):
            if part is not None:
                names |= _function_local_names(part)
        return names - self.own_declared

    def _ancestors_fast(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        parent = self.parents.get(node)
        while parent is not None:
            yield parent
            parent = self.parents.get(parent)

    # --- questions ---------------------------------------------------------

    def parent(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        return self.parents.get(node)

    def ancestors(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        """Enclosing nodes of ``node`` within the scope, innermost first."""
        return list(self._ancestors_fast(node))

    def contains(self, outer: cst.CSTNode, node: cst.CSTNode) -> bool:
        """True if ``node`` is ``outer`` or lies inside it."""
        return node is outer or any(a is outer for a in self._ancestors_fast(node))

    def statement_of(self, node: cst.CSTNode) -> Optional[cst.BaseStatement]:
        """The innermost statement (line or compound) holding ``node``."""
        current: Optional[cst.CSTNode] = node
        while current is not None and not isinstance(current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            current = self.parents.get(current)
        return current  # type: ignore[return-value]

    def siblings(self, statement: cst.CSTNode) -> Optional[tuple[Sequence[cst.BaseStatement], int]]:
        """The statement list holding ``statement`` and its index there."""
        holder = self.parents.get(statement)
        if isinstance(holder, (cst.IndentedBlock, cst.Module)):
            for index, sibling in enumerate(holder.body):
                if sibling is statement:
                    return holder.body, index
        return None

    def is_plain_local(self, name: str) -> bool:
        """Bound here and nowhere declared global/nonlocal; no ``import *`` can rebind it."""
        return name in self.bindings and name not in self.declared and not self.has_star_import

    def all_bindings(self, name: str, accept) -> bool:
        """True if ``name`` is a plain local and ``accept(binding)`` holds for every binding."""
        return self.is_plain_local(name) and all(accept(b) for b in self.bindings[name])

    def reads_inside(self, name: str, region: cst.CSTNode) -> list[cst.Name]:
        return [n for n in self.reads.get(name, []) if self.contains(region, n)]

    def read_outside(self, name: str, region: cst.CSTNode) -> bool:
        """True if ``name`` may be read outside ``region``: a read elsewhere in the
        scope that is not inside another ``for`` loop rebinding the name first,
        a ``del name``, any mention from a nested function, or ``locals()``-like calls."""
        if name in self.closure_names or name in self.declared or self.reads_dynamically:
            return True
        if any(b.kind == "del" and not self.contains(region, b.node) for b in self.bindings.get(name, [])):
            return True  # `del name` after the loop needs the name bound
        for read in self.reads.get(name, []):
            if self.contains(region, read):
                continue
            if any(isinstance(a, cst.For) and a is not region and name in names_in_target(a.target)
                   and self.contains(a.body, read) for a in self._ancestors_fast(read)):
                continue
            return True
        return False


_DYNAMIC_READERS = frozenset({"locals", "vars", "eval", "exec"})
# Binding kinds ``context.function_local_names`` does not count.
_NOT_LOCAL = frozenset({"del", "match"})
_EXCEPT_STAR = getattr(cst, "ExceptStarHandler", None)
# The node types ScopeIndex._visit records something for.
_NO_TYPES: frozenset[type] = frozenset()
_INDEXED_TYPES = frozenset(
    {
        cst.Name, cst.Assign, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.WithItem,
        cst.ExceptHandler, cst.NamedExpr, cst.Del, cst.Import, cst.ImportFrom, cst.Global,
        cst.Nonlocal, cst.MatchAs, cst.MatchStar, cst.MatchMapping,
        *((cst.ExceptStarHandler,) if hasattr(cst, "ExceptStarHandler") else ()),
    }
)


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    found = list(params.posonly_params) + list(params.params) + list(params.kwonly_params)
    for extra in (params.star_arg, params.star_kwarg):
        if isinstance(extra, cst.Param):
            found.append(extra)
    return found


def target_name_nodes(target: cst.CSTNode) -> list[cst.Name]:
    """The Name nodes a target binds: ``a``, ``a, (b, *c)``; not ``a.x`` or ``a[i]``."""
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        found: list[cst.Name] = []
        for element in target.elements:
            found.extend(target_name_nodes(element.value))
        return found
    if isinstance(target, cst.StarredElement):
        return target_name_nodes(target.value)
    return []


def _own_namespace(call: cst.Call) -> bool:
    """``eval(code, {}, env)`` / ``exec(src, namespace)``: given its globals, eval and exec run
    in that namespace and never see the caller's locals (``locals()``/``vars()`` always do)."""
    name = call.func.value if isinstance(call.func, cst.Name) else ""
    if name not in ("eval", "exec"):
        return False
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return len(positional) >= 2 or any(a.keyword is not None and a.keyword.value == "globals" for a in call.args)


def _is_variable(node: cst.Name, parent: Optional[cst.CSTNode]) -> bool:
    """False for names that are not variables: ``x.attr``'s attr, ``f(key=...)``'s key."""
    kind = type(parent)  # exact types (final classes): ``isinstance`` against libcst's ABCs is slow
    if kind is cst.Attribute and parent.attr is node:  # type: ignore[union-attr]
        return False
    if kind is cst.Arg and parent.keyword is node:  # type: ignore[union-attr]
        return False
    if kind is cst.MatchKeywordElement and parent.key is node:  # type: ignore[union-attr]
        return False
    return True


def _bound_by_comprehension(index: ScopeIndex, name_node: cst.Name) -> bool:
    """True if an enclosing comprehension's own targets bind this name here."""
    path = [name_node, *index._ancestors_fast(name_node)]
    on_path = set(path)
    for ancestor in path:
        if isinstance(ancestor, COMPREHENSIONS):
            bound: set[str] = set()
            comp_for: Optional[cst.CompFor] = ancestor.for_in
            while comp_for is not None:
                bound |= names_in_target(comp_for.target)
                comp_for = comp_for.inner_for_in
            if name_node.value in bound and ancestor.for_in.iter not in on_path:
                return True
    return False


def scope_root(context, module: Optional[cst.Module]) -> Optional[cst.CSTNode]:
    """The node a ``ScopeIndex`` should cover for the current position: the
    enclosing ``def``, or the module block; None in class bodies and lambdas."""
    scope = context.scope
    if scope.kind == "function":
        return scope.node
    if scope.kind == "module":
        return module
    return None


def piece_scope_indexes(context) -> "ScopeIndexes":
    """The piece's ``ScopeIndexes``, kept on its context: one cache per piece, shared by its
    rules and helpers (an index depends on its root only)."""
    cache = context.__dict__.get("scope_indexes")
    if cache is None:
        cache = context.__dict__["scope_indexes"] = ScopeIndexes(getattr(context, "comment_free", False))
    return cache


class ScopeIndexes:
    """A piece's cache of ``ScopeIndex`` per scope root, shared by its rules (roots are kept
    alive, so ids stay unique)."""

    def __init__(self, comment_free: bool = False) -> None:
        self._by_root: dict[cst.CSTNode, ScopeIndex] = {}
        self._comment_free = comment_free  # no comment in the piece (``ScopeIndex(comment_free=)``)

    def get(self, root: Optional[cst.CSTNode]) -> Optional[ScopeIndex]:
        if root is None:
            return None
        index = self._by_root.get(root)
        if index is None:
            index = self._by_root[root] = ScopeIndex(root, self._comment_free)
        return index


# --- what an expression is ----------------------------------------------------------


def is_str_literal(node: cst.CSTNode) -> bool:
    """A str (not bytes) literal: plain, implicitly concatenated, or an f-string."""
    if isinstance(node, cst.SimpleString):
        return "b" not in node.prefix.lower()
    if isinstance(node, cst.FormattedString):
        return "b" not in node.prefix.lower()
    if isinstance(node, cst.ConcatenatedString):
        return is_str_literal(node.left) and is_str_literal(node.right)
    return False


def is_hashable_literal(node: cst.CSTNode) -> bool:
    """A literal whose value is certainly hashable: str, bytes, int, float,
    ``True``/``False``/``None``, a negated number, or a tuple of those."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.Name):
        return node.value in ("True", "False", "None")
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        return isinstance(node.expression, (cst.Integer, cst.Float))
    if isinstance(node, cst.Tuple):
        return all(isinstance(e, cst.Element) and is_hashable_literal(e.value) for e in node.elements)
    return False


def literal_elements(node: cst.CSTNode) -> Optional[list[cst.BaseExpression]]:
    """The elements of a list/tuple/set display without ``*unpacking``, else None."""
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        if all(isinstance(e, cst.Element) for e in node.elements):
            return [e.value for e in node.elements]
    return None


def is_call_to(context, node: cst.CSTNode, *qualified: str) -> bool:
    return isinstance(node, cst.Call) and context.call_name(node) in qualified


def is_list_expr(context, node: cst.CSTNode) -> bool:
    """An expression that always evaluates to a new ``list``."""
    return isinstance(node, (cst.List, cst.ListComp)) or is_call_to(context, node, "builtins.list", "builtins.sorted")


def is_dict_expr(context, node: cst.CSTNode) -> bool:
    """An expression that always evaluates to a new ``dict`` (or a stdlib dict subclass)."""
    return isinstance(node, (cst.Dict, cst.DictComp)) or is_call_to(
        context,
        node,
        "builtins.dict",
        "collections.defaultdict",
        "collections.OrderedDict",
        "collections.Counter",
    )


def is_tuple_expr(context, node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Tuple) or is_call_to(context, node, "builtins.tuple")


def is_set_expr(context, node: cst.CSTNode) -> bool:
    return isinstance(node, (cst.Set, cst.SetComp)) or is_call_to(context, node, "builtins.set", "builtins.frozenset")


# --- how a name is used ---------------------------------------------------------------

# Methods that only read their receiver, for list, tuple, set and dict.
READ_ONLY_METHODS = frozenset(
    {
        "count", "index", "copy", "get", "keys", "values", "items",
        "difference", "intersection", "union", "symmetric_difference",
        "issubset", "issuperset", "isdisjoint",
    }
)
# Builtins that read their argument and neither mutate nor keep it.
PURE_BUILTINS = frozenset(
    "builtins." + name
    for name in (
        "len", "list", "tuple", "set", "frozenset", "sorted", "min", "max", "sum", "any", "all",
        "bool", "repr", "str", "id", "hash", "isinstance", "dict",
    )
)


@dataclass(frozen=True)
class Use:
    """How one read of a name is used.

    ``kind``: "method" (``x.m(...)``, ``detail`` = method name), "attribute",
    "subscript", "subscript-store" (``x[i] = ...`` / ``del x[i]``), "augassign",
    "pure-call" (an argument of a builtin in ``PURE_BUILTINS``), "call" (an
    argument of any other call), "iterate" (a loop's iterable), "in" (right of
    ``in``/``not in``), "compare", "binop", "test" (an ``if``/``while``/``not``
    condition), "return", or "alias" (anything that can keep the object:
    assignment, container, yield, boolean operator, ...).
    """

    kind: str
    node: cst.CSTNode  # the node that uses it (call, subscript, comparison, ...)
    detail: str = ""


def use_of(index: ScopeIndex, context, name: cst.Name) -> Use:
    parent = index.parent(name)
    grand = index.parent(parent) if parent is not None else None
    if isinstance(parent, cst.Attribute) and parent.value is name:
        if isinstance(grand, cst.Call) and grand.func is parent:
            return Use("method", grand, parent.attr.value)
        return Use("attribute", parent)
    if isinstance(parent, cst.Subscript) and parent.value is name:
        if _is_store_target(index, parent):
            return Use("subscript-store", parent)
        return Use("subscript", parent)
    if isinstance(parent, cst.AugAssign) and parent.target is name:
        return Use("augassign", parent)
    if isinstance(parent, cst.Arg) and parent.value is name and isinstance(grand, cst.Call):
        if parent.star == "" and context.call_name(grand) in PURE_BUILTINS:
            return Use("pure-call", grand)
        return Use("call", grand)
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is name:
        return Use("iterate", parent)
    if isinstance(parent, cst.ComparisonTarget) and parent.comparator is name:
        if isinstance(parent.operator, (cst.In, cst.NotIn)):
            return Use("in", grand or parent)
        return Use("compare", grand or parent)
    if isinstance(parent, cst.Comparison) and parent.left is name:
        return Use("compare", parent)
    if isinstance(parent, cst.BinaryOperation):
        return Use("binop", parent)
    if isinstance(parent, (cst.If, cst.While, cst.IfExp)) and parent.test is name:
        return Use("test", parent)
    if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
        return Use("test", parent)
    if isinstance(parent, cst.Return):
        return Use("return", parent)
    return Use("alias", parent or name)


def _is_store_target(index: ScopeIndex, node: cst.CSTNode) -> bool:
    """True if ``node`` (a subscript or attribute) is assigned, augmented or deleted."""
    child, parent = node, index.parent(node)
    while isinstance(parent, (cst.Tuple, cst.List, cst.Element, cst.StarredElement)):
        child, parent = parent, index.parent(parent)
    if isinstance(parent, cst.AssignTarget) and parent.target is child:
        return True
    if isinstance(parent, (cst.AnnAssign, cst.AugAssign)) and parent.target is child:
        return True
    if isinstance(parent, (cst.For, cst.CompFor)) and parent.target is child:
        return True
    return isinstance(parent, (cst.Del, cst.WithItem, cst.AsName))


ALIASING_USES = frozenset({"call", "alias"})


def may_be_aliased(index: ScopeIndex, context, name: str) -> bool:
    """True if the object ``name`` holds may also be reachable another way: the
    name is mentioned by a nested function, declared global/nonlocal, bound by
    anything but a single-name assignment, or some read hands the object on
    (passed to a call that is not a pure builtin, stored, yielded, ...)."""
    if name in index.closure_names or name in index.declared or index.has_star_import:
        return True
    if any(b.kind not in ("assign", "annassign", "augassign") for b in index.bindings.get(name, [])):
        return True
    return any(use_of(index, context, read).kind in ALIASING_USES for read in index.reads.get(name, []))


def may_mutate(index: ScopeIndex, context, name: str, region: cst.CSTNode) -> bool:
    """True if the object ``name`` holds may change (or ``name`` be rebound)
    while ``region`` runs. Conservative: any aliasing anywhere in the scope counts."""
    if may_be_aliased(index, context, name):
        return True
    if name in bound_names(region):
        return True
    for read in index.reads_inside(name, region):
        use = use_of(index, context, read)
        if use.kind in ("subscript-store", "augassign"):
            return True
        if use.kind == "method" and use.detail not in READ_ONLY_METHODS:
            return True
    return False


def inside_try_body(index: ScopeIndex, node: cst.CSTNode, catching: Optional[frozenset[str]] = None) -> bool:
    """True if ``node`` runs inside the body of a ``try`` in this scope (or its
    ``else``/handlers when they themselves are nested in another try), or
    inside a ``with`` body: a context manager may swallow the exception too
    (``contextlib.suppress``), and code after it then sees the state the
    exception left (more-itertools' ``sample`` relies on exactly that).

    With ``catching``, only ``try`` statements with a handler that may catch one
    of these exception names count (a bare ``except``, or an unresolvable
    handler type, always counts); a ``with`` always counts.
    """
    child = node
    for ancestor in index._ancestors_fast(node):
        kind = type(ancestor)  # exact types: ``isinstance`` against libcst's ABCs is slow
        if kind in _TRY_TYPES and child is ancestor.body:  # type: ignore[attr-defined]
            if catching is None or any(_handler_may_catch(h, catching) for h in ancestor.handlers):  # type: ignore[attr-defined]
                return True
        if kind is cst.With and child is ancestor.body:  # type: ignore[attr-defined]
            return True
        child = ancestor
    return False


_TRY_TYPES = frozenset({cst.Try, cst.TryStar})


def _handler_may_catch(handler: cst.CSTNode, names: frozenset[str]) -> bool:
    kind = getattr(handler, "type", None)
    if kind is None:
        return True
    parts = [e.value for e in kind.elements] if isinstance(kind, cst.Tuple) else [kind]
    for part in parts:
        dotted = dotted_name(part)
        if dotted is None or dotted.split(".")[-1] in names:
            return True
    return False


# --- building fixes ---------------------------------------------------------------------


def parenthesize(node: cst.BaseExpression) -> cst.BaseExpression:
    """``node`` wrapped in parentheses unless it already has them."""
    if getattr(node, "lpar", None):
        return node
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


# Expressions that can stand unparenthesized as a comprehension's element,
# condition or iterable (a ``disjunction`` in the grammar).
_ATOMS = (
    cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.BaseNumber, cst.BaseString,
    cst.List, cst.Set, cst.Dict, cst.ListComp, cst.SetComp, cst.DictComp,
    cst.BinaryOperation, cst.UnaryOperation, cst.Comparison, cst.BooleanOperation, cst.Await,
    cst.Ellipsis,
)


def as_disjunction(node: cst.BaseExpression) -> cst.BaseExpression:
    """``node`` made safe for a comprehension's ``if`` or ``in`` position."""
    if isinstance(node, _ATOMS) or getattr(node, "lpar", None):
        return node
    return parenthesize(node)


def as_element(node: cst.BaseExpression) -> cst.BaseExpression:
    """``node`` made safe as a comprehension's element (``x if c else y`` and
    lambdas are fine there; a bare generator, walrus or tuple is not)."""
    if isinstance(node, (cst.IfExp, cst.Lambda)):
        return node
    return as_disjunction(node)


def disjunction_text(node: cst.BaseExpression, text: str) -> str:
    """``as_disjunction``'s code for ``node`` (without parentheses of its own) whose code is ``text``."""
    kind = type(node)
    atom = _ATOM_TYPES.get(kind)
    if atom is None:
        atom = _ATOM_TYPES[kind] = issubclass(kind, _ATOMS)  # (``isinstance`` against libcst's ABCs is slow)
    return text if atom else f"({text})"


_ATOM_TYPES: dict[type, bool] = {}


def element_text(node: cst.BaseExpression, text: str) -> str:
    """``as_element``'s code for ``node`` (without parentheses of its own) whose code is ``text``."""
    return text if type(node) in (cst.IfExp, cst.Lambda) else disjunction_text(node, text)


def source_text(positions, node: cst.BaseExpression, tree) -> Optional[str]:
    """The code of the old expression ``node`` read from the piece's text at its ``ast``
    counterpart ``tree`` (``PiecePositions.expression_text``): None when it has parentheses of
    its own (the ``ast``'s range is inside them), is a generator expression, ends in a comma (a tuple's: libcst's may own the
    whitespace after it) or does not stand on one line."""
    if getattr(node, "lpar", None) or getattr(node, "rpar", None) or type(node) is cst.GeneratorExp:
        return None  # (a call's only argument, a generator's ``ast`` range takes the call's parentheses)
    if type(node) is cst.Tuple and (not node.elements or not isinstance(node.elements[-1].comma, cst.MaybeSentinel)):
        return None
    text = positions.expression_text(tree)
    if text is None or (type(node) is cst.Name and text != node.value):
        return None
    return text


class _ReplaceMany(cst.CSTTransformer):
    def __init__(self, mapping: dict) -> None:
        super().__init__()
        self.mapping = mapping

    def on_leave(self, original_node, updated_node):
        return self.mapping.get(original_node, updated_node)


def replace_within(node: cst.CSTNode, mapping: dict):
    """``node`` with every node in ``mapping`` (by identity) replaced, in one pass."""
    return node.visit(_ReplaceMany(mapping))


_EMPTY_MODULE = cst.Module(body=[])


def code_of(node: cst.CSTNode) -> str:
    """The source text of a node, on one line."""
    if type(node) is cst.Name and not node.lpar:
        return node.value  # the common case, without a code generation
    return " ".join(_EMPTY_MODULE.code_for_node(node).split())


def combined_replacement(index: ScopeIndex, mapping: dict) -> tuple[dict, bool]:
    """Fold several node replacements into one, on their nearest common ancestor.

    A ``FixSpec`` applies its replacements one after another, and each
    replacement rebuilds the nodes around it, so replacements that share a
    parent must be made in one pass. Returns the single replacement and
    whether the replacements lose a comment (fewer comments in the new nodes
    than in the old ones; a fix that loses one is unsafe).
    """
    loses_comment = sum(map(_comment_count, mapping.values())) < sum(map(_comment_count, mapping))
    olds = list(mapping)
    if len(olds) == 1:
        return dict(mapping), loses_comment
    paths = [[old, *index._ancestors_fast(old)] for old in olds]
    common = set(paths[0])
    for path in paths[1:]:
        common &= set(path)
    anchor = next(node for node in paths[0] if node in common)
    while anchor in mapping or not isinstance(anchor, (cst.BaseStatement, cst.BaseSuite, cst.Module)):
        anchor = index.parent(anchor)
    return {anchor: replace_within(anchor, mapping)}, loses_comment


def _comment_count(node) -> int:
    if not isinstance(node, cst.CSTNode):
        if isinstance(node, cst.FlattenSentinel):
            return sum(_comment_count(n) for n in node.nodes)
        return 0
    return sum(1 for sub in iter_nodes(node) if isinstance(sub, cst.Comment))


def free_name(index: ScopeIndex, base: str, taken: frozenset[str] | set[str] = frozenset()) -> str:
    """``base`` or ``base_2``...: a name this scope neither binds nor reads, and not in ``taken``."""
    candidate, number = base, 1
    while (
        candidate in index.bindings
        or candidate in index.reads
        or candidate in index.closure_names
        or candidate in taken
    ):
        number += 1
        candidate = f"{base}_{number}"
    return candidate


class ScopeAware:
    """Mixin for rules that ask a ``ScopeIndex`` about the current scope.

    Remembers the block's module (the root for module-level code) and caches
    one index per scope; ``scope_index()`` is None in class bodies and lambdas.
    """

    def visit_Module(self, node: cst.Module) -> None:
        self._module = node

    def scope_index(self) -> Optional[ScopeIndex]:
        context = self.context  # type: ignore[attr-defined]
        root = scope_root(context, getattr(self, "_module", None))
        index = piece_scope_indexes(context).get(root)
        if index is not None and root is context.scope.node:
            context.scope.index = index  # its local names come from the index (``Scope.local_names``)
        return index

    def is_scope_read(self, index: ScopeIndex, node: cst.Name) -> bool:
        """True if ``node`` reads the scope's variable (not a comprehension's own)."""
        return any(read is node for read in index.reads.get(node.value, []))


def is_simple_target(target: cst.CSTNode) -> bool:
    """A loop target made only of names: ``x`` or ``a, (b, c)`` (no ``*rest``, attributes or items)."""
    if isinstance(target, cst.Name):
        return True
    if isinstance(target, (cst.Tuple, cst.List)):
        return all(isinstance(e, cst.Element) and is_simple_target(e.value) for e in target.elements)
    return False


def runs_fixed_times(
    loop: cst.CSTNode,
    facts: Optional[ModuleFacts] = None,
    is_local: Optional[Callable[[str], bool]] = None,
    literal_local: Optional[Callable[[str], bool]] = None,
) -> bool:
    """A ``for`` loop (or comprehension) over bounded iterables only: it runs a number of times
    written in the source, so work inside it does not grow with the input.

    Bounded: literal displays, ``range(<int literals>)``, ``sys.argv``, and with the
    module's ``facts`` an option it declares with ``add_argument`` read from the parsed
    namespace (``args.paths``, ``self.args.paths``: what one command line typed), its
    constants (``facts.bounded_names``: module-level names bound
    once to a display of literals, and enum classes), their ``.items()``/``.keys()``/
    ``.values()``, and ``enumerate``/``reversed``/``sorted``/``zip``/``tuple``/``list``
    of bounded iterables. ``is_local(name)`` tells whether the enclosing function binds
    a name itself (shadowing the module's; ``FileContext.is_local``); ``literal_local(name)``
    whether it binds it once to a display of constants and never changes it
    (``FileContext.is_literal_local``), which bounds a loop over it too. The one place every rule asks "is this loop bounded?"
    (``Rule.report`` asks it for every ``loop_only`` rule).
    """
    iterables: list[cst.BaseExpression] = []
    kind = type(loop)  # exact types: ``isinstance`` against libcst's ABCs is slow (a while loop tried both)
    if kind is cst.For:
        iterables = [loop.iter]  # type: ignore[attr-defined]
    elif kind in _COMPREHENSION_TYPES:
        comp_for: Optional[cst.CompFor] = loop.for_in
        while comp_for is not None:
            iterables.append(comp_for.iter)
            comp_for = comp_for.inner_for_in
    local = is_local or (lambda name: False)
    literal = literal_local or (lambda name: False)
    return bool(iterables) and all(_fixed_iterable(iterable, facts, local, literal) for iterable in iterables)


_BOUNDED_WRAPPERS = frozenset({"enumerate", "reversed", "sorted", "zip", "tuple", "list", "set", "frozenset", "iter"})


def _fixed_iterable(
    node: cst.BaseExpression,
    facts: Optional[ModuleFacts],
    shadowed: Callable[[str], bool],
    literal: Callable[[str], bool] = lambda name: False,
) -> bool:
    if literal_elements(node) is not None:
        return True
    if isinstance(node, cst.Dict) and all(isinstance(e, cst.DictElement) for e in node.elements):
        return True
    if isinstance(node, cst.Attribute) and dotted_name(node) == "sys.argv" and not shadowed("sys"):
        return True
    if isinstance(node, cst.Attribute) and facts is not None and command_line_value(node, facts):
        return True
    if isinstance(node, cst.Name):
        if literal(node.value):
            return True
        return facts is not None and node.value in facts.bounded_names and not shadowed(node.value)
    if isinstance(node, cst.Attribute) and facts is not None and _choices_members(node, facts, shadowed):
        return True
    if not isinstance(node, cst.Call) or not node.args or any(arg.keyword or arg.star for arg in node.args):
        if (
            isinstance(node, cst.Call)
            and not node.args
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in ("items", "keys", "values")
        ):
            return _fixed_iterable(node.func.value, facts, shadowed, literal)
        return False
    func = node.func
    if isinstance(func, cst.Name) and func.value == "range" and not shadowed("range"):
        return all(isinstance(arg.value, cst.Integer) for arg in node.args)
    if isinstance(func, cst.Name) and func.value in _BOUNDED_WRAPPERS and not shadowed(func.value):
        return all(_fixed_iterable(arg.value, facts, shadowed, literal) for arg in node.args)
    return False


# Names that hold what ``argparse`` parsed: ``args.paths``, ``self.args.paths``, ``options.x``.
_NAMESPACES = frozenset({"args", "options", "opts", "arguments", "parsed_args"})


def command_line_value(node: cst.BaseExpression, facts: ModuleFacts) -> bool:
    """``args.input_paths`` / ``self.args.input_paths``: an option the module declares with
    ``add_argument`` (its ``dest``, or its first long flag or positional name), read from a
    namespace. It holds what one command line typed: a few values, like ``sys.argv``."""
    if not isinstance(node, cst.Attribute) or not facts.mentions("add_argument"):
        return False
    receiver = node.value
    holder = receiver.attr.value if isinstance(receiver, cst.Attribute) else receiver.value if isinstance(receiver, cst.Name) else None
    if holder not in _NAMESPACES:
        return False
    return node.attr.value in facts.memo("command-line options", _command_line_options)


def built_from_command_line(value: ast.expr, facts: ModuleFacts) -> bool:
    """The ``ast`` expression reads a command-line option (``command_line_value``):
    ``self.args.tables.split(",")``."""
    if not facts.mentions("add_argument"):
        return False
    options = facts.memo("command-line options", _command_line_options)
    for node in ast.walk(value):
        if isinstance(node, ast.Attribute) and node.attr in options:
            receiver = node.value
            holder = receiver.attr if isinstance(receiver, ast.Attribute) else receiver.id if isinstance(receiver, ast.Name) else None
            if holder in _NAMESPACES:
                return True
    return False


def _command_line_options(facts: ModuleFacts) -> frozenset[str]:
    """The ``dest`` of every ``add_argument(...)`` call of the module."""
    found: set[str] = set()
    for node in ast.walk(facts.tree) if facts.tree is not None else ():
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_argument"):
            continue
        dest = next((k.value for k in node.keywords if k.arg == "dest"), None)
        if isinstance(dest, ast.Constant) and isinstance(dest.value, str):
            found.add(dest.value)
            continue
        flags = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        named = next((f[2:] for f in flags if f.startswith("--")), None) or next((f for f in flags if not f.startswith("-")), None)
        if named:
            found.add(named.replace("-", "_"))
    return frozenset(found)


# Members of an enumeration class that list its members (Django's ``TextChoices.values``,
# ``.labels``, ``.choices``, ``.names``) and the bases that make a class one.
_CHOICES_MEMBERS = frozenset({"values", "labels", "choices", "names"})
_CHOICES_BASES = ENUM_BASES | {"TextChoices", "IntegerChoices", "Choices"}


def _choices_members(node: cst.Attribute, facts: ModuleFacts, shadowed: Callable[[str], bool]) -> bool:
    """``Invoice.Status.values`` / ``Status.choices`` / ``Invoice.Status``: the members of an
    enumeration class of the module (nested in a model too, as Django writes its choices),
    a handful fixed by the source."""
    base: cst.BaseExpression = node.value if node.attr.value in _CHOICES_MEMBERS else node
    if isinstance(base, cst.Name):
        if shadowed(base.value):
            return False
        name = base.value
    elif isinstance(base, cst.Attribute):
        name = base.attr.value
    else:
        return False
    if not (facts.mentions("Enum") or facts.mentions("Choices")):
        return False
    return name in facts.memo("enumeration classes", _enumeration_classes)


def _enumeration_classes(facts: ModuleFacts) -> frozenset[str]:
    """Names of the classes of the module (nested ones too) deriving from ``Enum`` or Django's
    ``*Choices``, defined once under that name."""
    tree = facts.tree
    if tree is None:
        return frozenset()
    classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    names = Counter(node.name for node in classes)
    return frozenset(
        node.name
        for node in classes
        if names[node.name] == 1 and derives_from(node, _CHOICES_BASES)
    )


# --- how big the data of a loop is -----------------------------------------------------

_QUERY_METHODS = frozenset({
    "all", "filter", "exclude", "values", "values_list", "iterator", "select_related", "prefetch_related",
    "order_by", "fetchall", "fetchmany", "scalars", "execute", "query", "find", "scan", "paginate",
})
# ``text.splitlines()`` is a file's lines only when the text was read from one; a string handed
# in (one header, one command line) has a few.
_READ_METHODS = frozenset({"read", "read_text", "read_bytes", "decode", "getvalue"})
_BODY_ATTRIBUTES = frozenset({"text", "content"})
_DISK_METHODS = frozenset({"walk", "listdir", "scandir", "iterdir", "glob", "rglob", "iglob"})
# A body read piece by piece: an upload's ``chunks()``, a response's ``iter_content()``.
_STREAM_METHODS = frozenset({
    "chunks", "iter_content", "iter_lines", "iter_bytes", "iter_text", "iter_raw",
    "aiter_bytes", "aiter_lines", "aiter_text", "aiter_raw",
})


ONE_OBJECTS_ROWS = "the rows related to one object"


def unbounded_evidence(context) -> Optional[SizeEvidence]:
    """What says the enclosing loops' data may be big, or None when nothing does: the loops
    iterate over a query result, file lines, a response body, a stream read in chunks or files
    on disk (sure), or over a parameter of the function (a caller's data). Sure evidence from
    any enclosing loop wins over a parameter of a nearer one."""
    function = context.function
    params: set[str] = set()
    if function is not None and isinstance(function.node, cst.FunctionDef):
        params = {p.name.value for p in _named_params_of(function.node.params)} - {"self", "cls"}

    def values(name: str) -> list[cst.BaseExpression]:
        """What the function assigns to ``name`` (``rows = query(...)``), from the piece's index."""
        if function is None or not isinstance(function.node, cst.FunctionDef):
            return []
        index = piece_scope_indexes(context).get(function.node)
        return [binding.value for binding in index.bindings.get(name, ()) if binding.kind == "assign"]

    found: Optional[SizeEvidence] = None
    for loop in reversed(context.loops):
        iterables: list[cst.BaseExpression] = []
        if isinstance(loop.node, cst.For):
            iterables = [loop.node.iter]
        elif isinstance(loop.node, COMPREHENSIONS):
            comp_for: Optional[cst.CompFor] = loop.node.for_in
            while comp_for is not None:
                iterables.append(comp_for.iter)
                comp_for = comp_for.inner_for_in
        for iterable in iterables:
            reason = _unbounded(iterable, params, values)
            if reason is None:
                continue
            evidence = SizeEvidence(
                f"in a loop over {reason}", sure=not (reason.startswith("the parameter") or reason == ONE_OBJECTS_ROWS)
            )
            if evidence.sure:
                return evidence
            found = found or evidence
    return found


def _named_params_of(params: cst.Parameters) -> list[cst.Param]:
    """The parameters a caller passes one value to: ``*args`` holds the arguments written at
    the call site, as many as the caller's source names, so it is not evidence of size."""
    return [*params.posonly_params, *params.params, *params.kwonly_params]


# A queryset's methods that keep its rows: ``order.positions.filter(...).order_by(...)``.
_ROW_KEEPING = frozenset({
    "all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "values", "values_list",
    "iterator", "only", "defer", "distinct",
})
# Receivers that hold a whole table's rows or a connection, not one object's related rows.
_NOT_ONE_OBJECT = frozenset({"objects", "session", "db", "query", "queryset", "qs", "conn", "connection", "cursor", "client"})


def _one_objects_rows(call: cst.Call) -> bool:
    """``order.positions.all()``: a related manager's rows, the children of one object (one
    order's lines, one event's questions): bounded by that object's fan-out, unlike a
    table's rows (``Order.objects.filter(...)``, ``session.query(Order)``)."""
    receiver: cst.BaseExpression = call
    while isinstance(receiver, cst.Call) and isinstance(receiver.func, cst.Attribute):
        if receiver.func.attr.value not in _ROW_KEEPING:
            return False
        receiver = receiver.func.value
    parts = (dotted_name(receiver) or "").split(".")
    return len(parts) >= 2 and parts[0][:1].islower() and not _NOT_ONE_OBJECT.intersection(parts)


def _unbounded(
    node: cst.BaseExpression,
    params: set[str],
    values: Optional[Callable[[str], list[cst.BaseExpression]]] = None,
) -> Optional[str]:
    if isinstance(node, cst.Name):
        if node.value in params:
            return f"the parameter `{node.value}`"
        if values is None:
            return None
        # A local bound to a query, a file's lines, ...: what it was bound to, when every
        # assignment says the same (``qs = Order.objects.filter(...)``, ``qs = qs.filter(...)``).
        reasons = {_unbounded(value, params) for value in values(node.value)}
        return reasons.pop() if len(reasons) == 1 else None
    if isinstance(node, cst.Attribute):
        name = dotted_name(node) or ""
        if name == "sys.stdin":
            return "standard input lines"
        if ".objects" in name or name.endswith("objects"):
            return "a query result"
        return None
    if not isinstance(node, cst.Call):
        return None
    func = node.func
    if isinstance(func, cst.Name):
        if func.value in _BOUNDED_WRAPPERS and node.args:
            for arg in node.args:
                reason = _unbounded(arg.value, params)
                if reason is not None:
                    return reason
        if func.value == "open":
            return "file lines"
        return None
    if not isinstance(func, cst.Attribute):
        return None
    method = func.attr.value
    chain = dotted_name(func.value) or ""
    if method in _QUERY_METHODS or ".objects" in chain or chain.endswith("objects"):
        return ONE_OBJECTS_ROWS if _one_objects_rows(node) else "a query result"
    if method == "readlines":
        return "file lines"
    if method == "splitlines":
        return _lines_of(func.value, params)
    if method == "json":
        return "a response body"
    if method in _DISK_METHODS:
        return "files on disk"
    if method in _STREAM_METHODS:
        return "a stream read in chunks"
    if method in ("items", "keys", "values") and isinstance(func.value, cst.Name) and func.value.value in params:
        return f"the parameter `{func.value.value}`"
    return None


def _lines_of(text: cst.BaseExpression, params: set[str]) -> Optional[str]:
    """What ``text.splitlines()`` iterates over: a file's or a response's lines when the text
    was just read, a parameter's lines, or nothing known."""
    if isinstance(text, cst.Call) and isinstance(text.func, cst.Attribute) and text.func.attr.value in _READ_METHODS:
        return "file lines"
    if isinstance(text, cst.Attribute) and text.attr.value in _BODY_ATTRIBUTES:
        return "a response body"
    if isinstance(text, cst.Name) and text.value in params:
        return f"the parameter `{text.value}`"
    return None


def exits_after(index: ScopeIndex, node: cst.CSTNode, loop_depth: int) -> bool:
    """True if the statement holding ``node`` is followed, in its own block, by a
    ``return`` or ``raise`` (or a ``break`` when only one loop encloses it): the
    code then runs at most once per call, not once per iteration."""
    exits: tuple[type, ...] = (cst.Return, cst.Raise, cst.Break) if loop_depth == 1 else (cst.Return, cst.Raise)
    holder = index.parent(node)
    if isinstance(holder, cst.SimpleStatementSuite):  # `for x in xs: a; b` -- the suite is the block
        own = list(holder.body)
        return node in own and any(isinstance(s, exits) for s in own[own.index(node) + 1 :])
    statement = index.statement_of(node)
    place = index.siblings(statement) if statement is not None else None
    if place is None:
        return False
    statements, position = place
    own = small_statements(statement) if statement is not None else []
    after_in_line = own[own.index(node) + 1 :] if node in own else []
    later = [s for later_statement in statements[position + 1 :] for s in small_statements(later_statement)]
    return any(isinstance(s, exits) for s in after_in_line + later)


# --- loops that only fill a fresh collection (comprehension rules) ------------------------


@dataclass(frozen=True)
class CollectLoop:
    """``name = <fresh>`` then ``for target in iterable: [if condition:] <add to name>``."""

    loop: cst.For
    name: str
    init: cst.SimpleStatementLine
    adjacent: bool  # the binding is the statement right before the loop
    condition: Optional[cst.BaseExpression]
    action: cst.BaseSmallStatement


def collect_loop(
    index: ScopeIndex,
    loop: cst.For,
    receiver_of,
    is_fresh,
    shape: Optional[tuple[str, Optional[cst.BaseExpression], cst.BaseSmallStatement]] = None,
) -> Optional[CollectLoop]:
    """Match a loop whose whole body adds to one freshly bound collection.

    ``receiver_of(small_statement)`` gives the collection's name when the
    statement is the adding action; ``is_fresh(expr)`` says whether an
    expression builds a new empty collection. The guards are the ones ruff
    learned for PERF401/PERF403: a plain ``for`` (no ``async``, no ``else``,
    no ``await``/``yield``), the collection bound by a single-name assignment
    (not annotated) in the same block before the loop and not read between,
    not read by the loop's iterable, condition or added value, the loop
    variable not read after the loop, and not global/nonlocal. ``shape`` is the loop's
    ``collect_loop_shape(loop, receiver_of, suspends=False)`` when the caller has it.
    """
    if shape is None:
        shape = collect_loop_shape(loop, receiver_of, suspends=False)
        if shape is None:
            return None
    if index.suspends and _suspends(loop):
        return None
    name, condition, action = shape
    if not index.is_plain_local(name):
        return None
    place = index.siblings(loop)
    if place is None:
        return None
    siblings, position = place
    init_position = None
    for earlier in range(position - 1, -1, -1):
        if name in names_used(siblings[earlier]):
            init_position = earlier
            break
    if init_position is None:
        return None
    init = siblings[init_position]
    smalls = small_statements(init)
    if (
        len(smalls) != 1
        or not isinstance(smalls[0], cst.Assign)
        or len(smalls[0].targets) != 1
        or not is_name(smalls[0].targets[0].target, name)
        or not is_fresh(smalls[0].value)
    ):
        return None
    reads_in_loop = index.reads_inside(name, loop)
    if len(reads_in_loop) != 1 or not index.contains(action, reads_in_loop[0]):
        return None  # read by the iterable, the condition or the added value
    if any(index.read_outside(target, loop) for target in names_in_target(loop.target)):
        return None
    return CollectLoop(loop, name, init, init_position == position - 1, condition, action)


def only_statement(loop: cst.CSTNode) -> Optional[tuple[Optional[cst.BaseExpression], list[cst.BaseSmallStatement]]]:
    """``(condition, small statements)`` of a loop whose body is one statement line,
    directly or under one ``if`` without ``else`` (whose test is the condition)."""
    statements = body_statements(loop)
    condition: Optional[cst.BaseExpression] = None
    if len(statements) == 1 and isinstance(statements[0], cst.If) and statements[0].orelse is None:
        condition = statements[0].test
        statements = body_statements(statements[0])
    if len(statements) != 1:
        return None
    return condition, small_statements(statements[0])


def collect_loop_shape(
    loop: cst.For, receiver_of, suspends: bool = True
) -> Optional[tuple[str, Optional[cst.BaseExpression], cst.BaseSmallStatement]]:
    """The purely syntactic part of ``collect_loop``, cheap enough to run on every loop:
    ``(collection name, condition, adding statement)`` or None. ``suspends`` False leaves out
    the walk for an ``await`` or ``yield`` in the loop (``collect_loop`` asks its scope
    index first, which knows whether the scope has any)."""
    if loop.asynchronous is not None or loop.orelse is not None or not is_simple_target(loop.target):
        return None
    only = only_statement(loop)
    if only is None or len(only[1]) != 1:
        return None
    condition, (action,) = only
    name = receiver_of(action)
    if name is None or (suspends and _suspends(loop)):
        return None
    return name, condition, action


def _suspends(node: cst.CSTNode) -> bool:
    """An ``await`` or ``yield`` anywhere in the subtree."""
    return any(isinstance(sub, _SUSPENDING_CLASSES) for sub in iter_nodes(node))


def collect_loop_comprehension_for(found: CollectLoop) -> cst.CompFor:
    """The ``for target in iterable [if condition]`` part of the replacement comprehension."""
    condition = found.condition
    return cst.CompFor(
        target=found.loop.target,
        iter=as_disjunction(found.loop.iter),
        ifs=[cst.CompIf(test=as_disjunction(condition))] if condition is not None else [],
    )


def collect_loop_fix_may_be_safe(index: ScopeIndex, found: CollectLoop) -> bool:
    """What ``collect_loop_fix`` will say of its safety, read without building its nodes: no
    handler or other code can see the half-built collection, and no comment can be lost (only
    the loop's leading lines, and the binding's when it stays, hold any: those are kept)."""
    if inside_try_body(index, found.loop) or found.name in index.closure_names:
        return False
    if not isinstance(index.root, cst.FunctionDef):
        return False
    if not index.may_have_comments:
        return True
    loop_own = _comment_count(found.loop) - sum(1 for line in found.loop.leading_lines if line.comment)
    init_kept = sum(1 for line in found.init.leading_lines if line.comment) if found.adjacent else 0
    return loop_own == 0 and _comment_count(found.init) == init_kept


def collect_loop_fix(
    index: ScopeIndex, found: CollectLoop, value: cst.BaseExpression, combine: bool = True
) -> tuple[dict, bool]:
    """Replacements turning the binding and the loop into ``name = value``; and
    whether they are safe (no comment lost, no handler that could see a
    half-built collection, nothing else that can see it while it fills).
    ``combine`` False leaves the two replacements apart: a ``FixSpec`` makes its
    replacements in one pass, so siblings need not be folded into their parent."""
    assign = cst.Assign(targets=[cst.AssignTarget(cst.Name(found.name))], value=value)
    loop = found.loop
    if found.adjacent:
        new_statement = found.init.with_changes(
            body=[assign], leading_lines=[*found.init.leading_lines, *loop.leading_lines]
        )
        mapping = {found.init: new_statement, loop: cst.RemovalSentinel.REMOVE}
    else:
        new_statement = cst.SimpleStatementLine(body=[assign], leading_lines=loop.leading_lines)
        mapping = {found.init: cst.RemovalSentinel.REMOVE, loop: new_statement}
    if combine:
        combined, loses_comment = combined_replacement(index, mapping)
    else:
        combined = mapping
        # without a comment under the scope's root, the replaced nodes hold none to lose
        loses_comment = index.may_have_comments and (
            sum(map(_comment_count, mapping.values())) < sum(map(_comment_count, mapping))
        )
    safe = not loses_comment
    safe = safe and not inside_try_body(index, loop) and found.name not in index.closure_names
    safe = safe and isinstance(index.root, cst.FunctionDef)
    return combined, safe


def collect_loop_asts(positions, found: CollectLoop):
    """The ``ast`` counterparts of ``found``'s loop, condition (or None) and adding statement,
    for a fix written from the old nodes' text; None when not known or not of the same shape."""
    loop = positions.statement_ast(found.loop)
    if type(loop) is not ast.For or loop.orelse or len(loop.body) != 1:
        return None
    inner = loop.body[0]
    condition = None
    if found.condition is not None:
        if type(inner) is not ast.If or inner.orelse or len(inner.body) != 1:
            return None
        condition = inner.test
        inner = inner.body[0]
    return loop, condition, inner


def collect_loop_fix_text(found: CollectLoop, value: str) -> dict:
    """``collect_loop_fix``'s replacements (``combine`` False) as ``StatementCode``: the binding
    and the loop become ``name = value`` (``value``'s code given)."""
    text = f"{found.name} = {value}"
    loop = found.loop
    if found.adjacent:
        new = StatementCode([*found.init.leading_lines, *loop.leading_lines], text, found.init.trailing_whitespace)
        return {found.init: new, loop: cst.RemovalSentinel.REMOVE}
    return {found.init: cst.RemovalSentinel.REMOVE, loop: StatementCode(loop.leading_lines, text)}


def variables(node: cst.CSTNode) -> set[str]:
    """Names used as variables in the subtree: not the ``attr`` of ``x.attr``
    nor the keyword of ``f(key=...)`` (unlike ``names_used``)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif isinstance(current, cst.Attribute):
            stack.append(current.value)
        elif isinstance(current, cst.Arg):
            stack.append(current.value)
        else:
            stack.extend(children(current))
    return found


def iter_own_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node in the subtree that runs when ``node`` runs: nested defs,
    lambdas and classes are yielded but not entered (their bodies run later)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        stack.extend(reversed(children(current)))


# --- what a loop does to a collection -------------------------------------------------------

_GROWING_METHODS = frozenset({"append", "extend", "insert"})
_SHRINKING_METHODS = frozenset({"remove", "pop"})
_READING_METHODS = frozenset({"count", "index", "copy"})
_CHANGING_USES = frozenset({"subscript-store", "call", "alias"})


def change_in_loop(index: ScopeIndex, context, name: str, loop: cst.CSTNode) -> str:
    """What ``loop`` does to the collection ``name`` holds: "grows" (it only adds: ``append``,
    ``extend``, ``insert``, ``+=``), "shrinks" (it only takes: ``remove``, ``pop``),
    "unchanged", or "changed" (it rebinds the name, both adds and takes, which may keep it a
    bounded window, or hands it to code that might change it)."""
    if name in bound_names(loop) or name in index.closure_names:
        return "changed"
    changes: set[str] = set()
    for read in index.reads_inside(name, loop):
        use = use_of(index, context, read)
        if use.kind == "augassign" or (use.kind == "method" and use.detail in _GROWING_METHODS):
            changes.add("grows")
        elif use.kind == "method" and use.detail in _SHRINKING_METHODS:
            changes.add("shrinks")
        elif use.kind in _CHANGING_USES or (use.kind == "method" and use.detail not in _READING_METHODS):
            return "changed"
    return _one_change(changes)


def attribute_change_in_loop(attribute: str, loop: cst.CSTNode, receiver: str = "self") -> str:
    """``change_in_loop`` for ``self.<attribute>`` (or ``<receiver>.<attribute>``); "changed"
    when the loop rebinds ``receiver`` itself."""
    if receiver != "self" and receiver in bound_names(loop):
        return "changed"
    changes: set[str] = set()
    for node in iter_nodes(loop):
        if isinstance(node, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign)) and _is_self_attribute(node.target, attribute, receiver):
            if isinstance(node, cst.AugAssign) and isinstance(node.operator, cst.AddAssign):
                changes.add("grows")
            else:
                return "changed"
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            if _is_self_attribute(node.func.value, attribute, receiver):
                method = node.func.attr.value
                if method in _GROWING_METHODS:
                    changes.add("grows")
                elif method in _SHRINKING_METHODS:
                    changes.add("shrinks")
                elif method not in _READING_METHODS:
                    return "changed"
        elif isinstance(node, cst.Arg) and _is_self_attribute(node.value, attribute, receiver):
            return "changed"
    return _one_change(changes)


def _is_self_attribute(node: cst.CSTNode, attribute: str, receiver: str = "self") -> bool:
    return (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value == receiver
        and node.attr.value == attribute
    )


def _one_change(changes: set[str]) -> str:
    if len(changes) > 1:
        return "changed"
    return changes.pop() if changes else "unchanged"


# --- a ``while`` loop that walks a collection ------------------------------------------------

_TAKING_METHODS = frozenset({"pop", "popleft"})


def while_walk_names(node: cst.While) -> Optional[set[str]]:
    """The names that hold the current item when a ``while`` loop walks a collection the way
    a ``for`` loop would, or None. Two shapes count:

    - draining: ``while queue:`` (or ``len(queue)``, ``len(queue) > 0``) whose first statement
      is ``item = queue.pop()`` (``pop(0)``, ``popleft()``), or ``while not q.empty():`` whose
      first statement is ``item = q.get()`` (``get_nowait()``), with the queue named nowhere
      else in the body (a worklist the body adds to feeds results back: not a plain walk), or
      whose one statement takes the item inline (``while paths: stage(paths.pop())``: the
      queue's name stands for the item);
    - indexing: ``while i < len(items):`` (or ``i < n``, ``<=``) whose last statement is
      ``i += 1``, the body binding ``i`` nowhere else.

    Retries, polls and pagination are none of these; a body with ``break``, ``return``,
    ``continue`` or an ``else`` clause is not counted either, nor an index walk with a ``try``."""
    if node.orelse is not None or not isinstance(node.body, cst.IndentedBlock) or not node.body.body:
        return None
    statements = list(node.body.body)
    guarded = False
    for inner in iter_own_nodes(node.body):
        if isinstance(inner, (cst.Break, cst.Return, cst.Continue)):
            return None
        guarded = guarded or isinstance(inner, (cst.Try, cst.TryStar))
    drained = _drained_name(node.test)
    taking = _TAKING_METHODS
    if drained is None:
        drained = _emptied_queue(node.test)
        taking = _QUEUE_TAKING
    if drained is not None:
        # A ``try`` in a drain is per-item clean-up or error handling: a retry would have to put
        # the item back, naming the queue a second time.
        first = _single_assign(statements[0])
        if first is None:
            return _inline_take(statements, drained, taking)
        targets, value = first
        if not (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and isinstance(value.func.value, cst.Name)
            and value.func.value.value == drained
            and value.func.attr.value in taking
            and (not value.args or (len(value.args) == 1 and _is_zero(value.args[0].value)))
        ):
            return None
        mentions = sum(1 for n in iter_own_nodes(node.body) if isinstance(n, cst.Name) and n.value == drained)
        return set(targets) if mentions == 1 and targets else None
    counter = _counter_name(node.test)
    if counter is None or guarded:
        return None
    last = statements[-1]
    if not (
        isinstance(last, cst.SimpleStatementLine)
        and len(last.body) == 1
        and isinstance(last.body[0], cst.AugAssign)
        and isinstance(last.body[0].operator, cst.AddAssign)
        and isinstance(last.body[0].target, cst.Name)
        and last.body[0].target.value == counter
        and isinstance(last.body[0].value, cst.Integer)
        and last.body[0].value.value == "1"
    ):
        return None
    if any(counter in bound_names(statement) for statement in statements[:-1]):
        return None
    return {counter}


_QUEUE_TAKING = frozenset({"get", "get_nowait"})

# Methods that hand out the next message of a queue, a broker's consumer, a Redis list or
# stream, or a socket.
_RECEIVING = frozenset(
    {
        "get",
        "get_nowait",
        "basic_get",
        "poll",
        "receive",
        "recv",
        "receive_messages",
        "get_message",
        "getone",
        "getmany",
        "consume",
        "blpop",
        "brpop",
        "brpoplpush",
        "blmove",
        "xread",
        "xreadgroup",
        "receive_json",
        "receive_text",
        "receive_bytes",
        "recv_json",
        "recv_string",
        "recv_multipart",
    }
)


def while_consume_names(node: cst.While) -> Optional[set[str]]:
    """The names that hold the current message when a ``while`` loop is a consumer's event
    loop, or None. Two shapes count:

    - ``while True:`` (``while 1:``, ``while running:``, ``while self.running:``, ``while not
      stop.is_set():``) whose first statement takes the next message from a queue, a broker's
      consumer or a socket: ``msg = consumer.poll(1.0)``, ``job = await queue.get()``,
      ``data = await ws.receive_json()``;
    - ``while (item := source.next_batch()) is not None:`` or ``while chunk := f.read(n):``:
      the test itself takes the next item.

    Every iteration handles a new message, so work done per iteration is done per message.
    ``continue`` (a message skipped) is fine; a ``break`` or ``return`` only inside an ``if``
    that tests the message (the end of the stream): a retry or reconnect loop that leaves after
    its first success is none of these."""
    if node.orelse is not None or not isinstance(node.body, cst.IndentedBlock) or not node.body.body:
        return None
    taken = _walrus_taken(node.test)
    if taken is None:
        if not _forever(node.test):
            return None
        first = _single_assign(node.body.body[0])
        if first is None:
            return None
        targets, value = first
        if isinstance(value, cst.Await):
            value = value.expression
        if not (
            targets
            and isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and value.func.attr.value in _RECEIVING
        ):
            return None
        taken = set(targets)
    leaving = [n for n in iter_own_nodes(node.body) if isinstance(n, (cst.Break, cst.Return))]
    if leaving:
        allowed: set[int] = set()
        for inner in iter_own_nodes(node.body):
            if isinstance(inner, cst.If) and names_used(inner.test) & taken:
                allowed |= {id(n) for n in iter_own_nodes(inner.body)}
        if any(id(n) not in allowed for n in leaving):
            return None
    return taken


def _walrus_taken(test: cst.BaseExpression) -> Optional[set[str]]:
    """``(item := call(...)) is not None`` or a bare ``item := call(...)`` -> ``{"item"}``."""
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if not (isinstance(target.operator, cst.IsNot) and isinstance(target.comparator, cst.Name) and target.comparator.value == "None"):
            return None
        test = test.left
    if isinstance(test, cst.NamedExpr) and isinstance(test.target, cst.Name):
        value = test.value.expression if isinstance(test.value, cst.Await) else test.value
        if isinstance(value, cst.Call):
            return {test.target.value}
    return None


def _forever(test: cst.BaseExpression) -> bool:
    """``True``, ``1``, a flag (``running``, ``self.running``) or ``not stop.is_set()``."""
    if isinstance(test, cst.Name):
        return test.value not in ("False", "None")
    if isinstance(test, cst.Integer):
        return test.value == "1"
    if isinstance(test, cst.Attribute):
        return isinstance(test.value, cst.Name)
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = test.expression
        return (
            isinstance(inner, cst.Call)
            and not inner.args
            and isinstance(inner.func, cst.Attribute)
            and inner.func.attr.value == "is_set"
        )
    return False


def _inline_take(statements: list[cst.BaseStatement], drained: str, taking: frozenset[str]) -> Optional[set[str]]:
    """``while paths: stage(paths.pop())``: a one-statement drain that takes the item inside the
    call it hands it to. The queue's name, read once there, stands for the current item."""
    if len(statements) != 1 or not isinstance(statements[0], cst.SimpleStatementLine):
        return None
    mentions = [n for n in iter_own_nodes(statements[0]) if isinstance(n, cst.Name) and n.value == drained]
    takes = [
        n
        for n in iter_own_nodes(statements[0])
        if isinstance(n, cst.Call)
        and isinstance(n.func, cst.Attribute)
        and isinstance(n.func.value, cst.Name)
        and n.func.value.value == drained
        and n.func.attr.value in taking
        and (not n.args or (len(n.args) == 1 and _is_zero(n.args[0].value)))
    ]
    return {drained} if len(mentions) == 1 and len(takes) == 1 else None


def _emptied_queue(test: cst.BaseExpression) -> Optional[str]:
    """``while not q.empty():``: a ``queue.Queue`` drained item by item."""
    if not (isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not)):
        return None
    inner = test.expression
    if (
        isinstance(inner, cst.Call)
        and not inner.args
        and isinstance(inner.func, cst.Attribute)
        and inner.func.attr.value == "empty"
        and isinstance(inner.func.value, cst.Name)
    ):
        return inner.func.value.value
    return None


def _drained_name(test: cst.BaseExpression) -> Optional[str]:
    if isinstance(test, cst.Name):
        return test.value
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if isinstance(target.operator, cst.GreaterThan) and _is_zero(target.comparator):
            test = test.left
    if (
        isinstance(test, cst.Call)
        and isinstance(test.func, cst.Name)
        and test.func.value == "len"
        and len(test.args) == 1
        and isinstance(test.args[0].value, cst.Name)
    ):
        return test.args[0].value.value
    return None


def _counter_name(test: cst.BaseExpression) -> Optional[str]:
    if not (isinstance(test, cst.Comparison) and isinstance(test.left, cst.Name) and len(test.comparisons) == 1):
        return None
    target = test.comparisons[0]
    if not isinstance(target.operator, (cst.LessThan, cst.LessThanEqual)):
        return None
    name = test.left.value
    return None if name in names_used(target.comparator) else name


def _single_assign(statement: cst.BaseStatement) -> Optional[tuple[list[str], cst.BaseExpression]]:
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return None
    small = statement.body[0]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target = small.targets[0].target
    if isinstance(target, cst.Name):
        return [target.value], small.value
    if isinstance(target, cst.Tuple) and all(isinstance(e.value, cst.Name) for e in target.elements):
        return [e.value.value for e in target.elements], small.value  # type: ignore[attr-defined]
    return None


def _is_zero(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Integer) and node.value == "0"
