"""A read-only libcst traversal, several times faster than libcst's own.

libcst walks a tree by rebuilding it: every ``node.visit(visitor)`` runs the
node's ``_visit_and_replace_children``, which visits each child and then
constructs (and validates) a new copy of the node, even for a visitor that
changes nothing. ``node.children`` is implemented the same way. Measured on
the standard library, that rebuilding is most of the cost of a lint.

This module walks the same children in the same order without rebuilding
anything. The order comes from libcst itself: each node class's
``_visit_and_replace_children`` is a single constructor call whose keyword
arguments visit the fields in source order (``visit_required(self, "name",
...)``, ``visit_sequence(self, "body", ...)``); the field names are read from
that method's source once per class. ``tests/test_cst_walk.py`` checks that
every visit, leave and attribute hook fires in exactly libcst's order.

Only for visitors that do not replace nodes; as in a libcst batch, return
values of ``visit_*`` methods are ignored.
"""

from __future__ import annotations

import ast
import inspect
import linecache
import textwrap
from typing import Callable, Iterable

import libcst as cst
from libcst import CSTNode

# A class's visited fields in order: (field name, hooks fire only when the value is not None).
Plan = tuple[tuple[str, bool], ...]

_PLANS: dict[type, Plan] = {}
_FIELDS: dict[type, tuple[str, ...]] = {}  # the field names of each plan, for ``children``
_VISIT_HELPERS = ("visit_required", "visit_optional", "visit_sentinel", "visit_sequence", "visit_iterable",
                  "visit_body_sequence", "visit_body_iterable")

# Nodes whose subtrees hold nothing but whitespace, comments and punctuation.
_TRIVIA: tuple[type, ...] = (
    cst.SimpleWhitespace, cst.ParenthesizedWhitespace, cst.TrailingWhitespace, cst.EmptyLine, cst.Newline,
    cst.Comment, cst.Comma, cst.Dot, cst.Colon, cst.Semicolon, cst.AssignEqual, cst.LeftParen, cst.RightParen,
    cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace, cst.RightCurlyBrace, cst.Asynchronous,
    cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp,
)


def plan(cls: type) -> Plan:
    """The fields libcst visits on nodes of ``cls``, in libcst's order."""
    found = _PLANS.get(cls)
    if found is None:
        found = _PLANS[cls] = _read_plan(cls)
    return found


def _read_plan(cls: type) -> Plan:
    method = getattr(cls, "_visit_and_replace_children")
    try:
        tree = ast.parse(textwrap.dedent(_method_source(method)))
    except SyntaxError:  # pragma: no cover - a method our indentation reading cannot delimit
        tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    fields: list[tuple[str, bool]] = []

    def collect(node: ast.AST, conditional: bool) -> None:
        if isinstance(node, ast.IfExp):
            # ``visit_x(...) if value is not None else None``: the hooks fire only for a value.
            # Both branches naming the same field (ImportFrom.names) is an ordinary field.
            body, orelse = _visited(node.body), _visited(node.orelse)
            collect(node.test, conditional)
            collect(node.body, conditional or body != orelse)
            collect(node.orelse, conditional or body != orelse)
            return
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _VISIT_HELPERS
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
        ):
            name = node.args[1].value
            if not fields or fields[-1][0] != name:
                fields.append((name, conditional))
            return
        for child in ast.iter_child_nodes(node):
            collect(child, conditional)

    collect(tree, False)
    return tuple(fields)


def _method_source(method: Callable) -> str:
    """A method's source: from its first line to the last line any of its instructions
    spans. ``inspect.getsource`` finds the same lines with the tokenizer, which costs about
    a millisecond per class and 35 ms to set up: paid in every worker process."""
    code = method.__code__
    positions = getattr(code, "co_positions", None)  # Python 3.11+
    if positions is None:  # pragma: no cover
        return inspect.getsource(method)
    last = max((end for _, end, _, _ in positions() if end is not None), default=code.co_firstlineno)
    return "".join(linecache.getlines(code.co_filename)[code.co_firstlineno - 1 : last])


def _visited(node: ast.AST) -> set[str]:
    return {
        n.args[1].value
        for n in ast.walk(node)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in _VISIT_HELPERS
        and len(n.args) >= 2 and isinstance(n.args[1], ast.Constant)
    }


def children(node: CSTNode) -> list[CSTNode]:
    """``node.children`` (the same nodes in the same order), without rebuilding ``node``."""
    fields = _FIELDS.get(type(node))
    if fields is None:
        fields = _FIELDS[type(node)] = tuple(name for name, _ in plan(type(node)))
    result: list[CSTNode] = []
    for name in fields:
        value = getattr(node, name)
        kind = _KINDS.get(type(value))
        if kind is None:
            kind = _kind(value)
        if kind == _NODE:
            result.append(value)
        elif kind == _SEQUENCE:
            result.extend(value)
    return result


def iter_nodes(node: CSTNode) -> Iterable[CSTNode]:
    """Every node of the subtree, ``node`` first, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


# --- batched traversal -------------------------------------------------------------


Hooks = tuple[Callable[[CSTNode], object], ...]

# What a field's value is, by its exact type (``isinstance`` against libcst's
# abstract classes is slow): a node, a sequence of nodes, or neither.
_NODE, _SEQUENCE, _OTHER = 1, 2, 0
_KINDS: dict[type, int] = {tuple: _SEQUENCE, list: _SEQUENCE, type(None): _OTHER}
_TRIVIA_NAMES: frozenset[str] = frozenset(c.__name__ for t in _TRIVIA for c in (t, *_subclasses(t)))
# The trivia classes themselves (whitespace, comments, punctuation, operators): no name in them.
TRIVIA_TYPES: frozenset[type] = frozenset(c for t in _TRIVIA for c in (t, *_subclasses(t)))
# Per node class, the callback names libcst would look up for it and its fields.
_NAMES: dict[type, tuple[str, str, tuple[tuple[str, str, str, bool], ...]]] = {}


def _kind(value: object) -> int:
    kind = _KINDS.get(type(value))
    if kind is None:
        kind = _KINDS[type(value)] = _NODE if isinstance(value, CSTNode) else _OTHER
    return kind


def _names(cls: type) -> tuple[str, str, tuple[tuple[str, str, str, bool], ...]]:
    found = _NAMES.get(cls)
    if found is None:
        name = cls.__name__
        fields = tuple((f, f"visit_{name}_{f}", f"leave_{name}_{f}", conditional) for f, conditional in plan(cls))
        found = _NAMES[cls] = (f"visit_{name}", f"leave_{name}", fields)
    return found


# The nodes that are statements of a body: a simple statement line, or a compound statement.
STATEMENT_TYPES: frozenset[type] = frozenset(
    (cst.SimpleStatementLine, *_subclasses(cst.BaseCompoundStatement))
)


# Per tuple of visitor classes whose methods are their classes' (``class_methods``): the
# functions to call per hook name, and the walk's table built from them, kept across walks.
_SHARED: dict[tuple[type, ...], tuple[dict[str, list], dict[type, tuple], bool]] = {}


def visit_batched(
    node: CSTNode, visitors: Iterable[cst.BatchableCSTVisitor], owners: "dict[int, CSTNode] | None" = None
) -> None:
    """Run every visitor's ``visit_*``/``leave_*`` callbacks in one walk, as ``libcst.visit_batched`` does.

    With ``owners``, also record for each node walked (by ``id``) the innermost statement
    (``STATEMENT_TYPES``) that holds it, a statement's being the one around it, and ``node``
    where there is none: ``perflint.positions.PiecePositions`` generates only that statement's code.

    Visitors whose class says ``class_methods = True`` (their callbacks are their class's
    methods, as ``perflint.context.CachedVisitors``') share the walk's table with every
    other walk by visitors of the same classes: an engine walks one piece at a time, each
    with new visitors of the same few classes."""
    visitors = list(visitors)
    key = tuple(type(visitor) for visitor in visitors)
    shared = _SHARED.get(key) if all(getattr(cls, "class_methods", False) for cls in key) else None
    if shared is None:
        methods: dict[str, list] = {}
        for index, visitor in enumerate(visitors):
            for name, fn in visitor.get_visitors().items():
                methods.setdefault(name, []).append((getattr(fn, "__func__", None), index, fn))
        # Skipping trivia subtrees is exact only when no visitor looks at any trivia class.
        skip_trivia = not any(name.split("_")[1] in _TRIVIA_NAMES for name in methods)
        shared = (methods, {}, skip_trivia)
        if all(getattr(cls, "class_methods", False) for cls in key) and all(
            f is not None for hooks in methods.values() for f, _, _ in hooks
        ):
            if len(_SHARED) > 256:
                _SHARED.clear()
            # Without the bound methods: they would keep the first walk's visitors alive, and
            # with them its file's trees and facts (71 files' worth over the standard library).
            unbound = {name: [(f, index, None) for f, index, _ in hooks] for name, hooks in methods.items()}
            shared = (unbound, {}, skip_trivia)
            _SHARED[key] = shared
        else:
            # bound callables of these very visitors: (``lambda`` of the callable, index) pairs
            methods = {name: [(_unbound(fn), index, fn) for _, index, fn in hooks] for name, hooks in methods.items()}
            shared = (methods, {}, skip_trivia)
    methods, table, skip_trivia = shared
    kinds = _KINDS
    empty: Hooks = ()

    def hooks(name: str) -> tuple:
        return tuple((fn, index) for fn, index, _ in methods.get(name, empty))

    def entry(cls: type) -> tuple[tuple, tuple, tuple]:
        visit_name, leave_name, field_names = _names(cls)
        fields = tuple(
            (field, hooks(before), hooks(after), conditional) for field, before, after, conditional in field_names
        )
        found = table[cls] = (hooks(visit_name), hooks(leave_name), fields)
        return found

    statements = STATEMENT_TYPES

    def walk(current: CSTNode, owner: CSTNode) -> None:
        cls = type(current)
        if skip_trivia and cls.__name__ in _TRIVIA_NAMES:
            return
        if owners is not None:
            owners[id(current)] = owner
            if cls in statements:
                owner = current
        visits, leaves, fields = table.get(cls) or entry(cls)
        for fn, index in visits:
            fn(visitors[index], current)
        for field, before, after, conditional in fields:
            value = getattr(current, field)
            if conditional and value is None:
                continue
            for fn, index in before:
                fn(visitors[index], current)
            kind = kinds.get(type(value))
            if kind is None:
                kind = _kind(value)
            if kind == _NODE:
                walk(value, owner)
            elif kind == _SEQUENCE:
                for child in value:
                    walk(child, owner)
            for fn, index in after:
                fn(visitors[index], current)
        for fn, index in leaves:
            fn(visitors[index], current)

    try:
        walk(node, node)
    finally:
        # ``walk`` refers to itself through its closure: without this, the cycle keeps the
        # visitors, and through them the whole tree, alive until a garbage collection.
        walk = None  # noqa: F841


def _unbound(fn: Callable) -> Callable:
    """A callable taking (visitor, node) that calls ``fn(node)``: for callbacks that are not
    plain methods (the visitor is then ignored: ``fn`` is already its)."""
    return lambda _visitor, node: fn(node)


# --- one visitor, with pruning -------------------------------------------------------


# Per visitor class: each node class's (visit, leave, fields with their attribute hooks).
_PLANS: dict[type, dict[type, tuple]] = {}


def visit(node: CSTNode, visitor: cst.CSTVisitor) -> None:
    """``node.visit(visitor)`` for a ``CSTVisitor`` that only reads.

    As in libcst, a ``visit_X`` returning False skips X's children (and their
    attribute callbacks) but not ``leave_X``. libcst's empty stubs are skipped.
    """
    # The plan of each node class is kept per visitor class (unbound functions), not rebuilt
    # per call: rules call this once per scope, and the lookups cost more than small walks.
    table = _PLANS.get(type(visitor))
    if table is None:
        table = _PLANS[type(visitor)] = {}
    owner = type(visitor)

    def method(name: str):
        found = getattr(owner, name, None)
        return None if found is None or getattr(found, "_is_no_op", False) else found

    def entry(cls: type) -> tuple:
        visit_name, leave_name, field_names = _names(cls)
        fields = tuple((field, method(before), method(after), conditional)
                       for field, before, after, conditional in field_names)
        found = table[cls] = (method(visit_name), method(leave_name), fields)
        return found

    kinds = _KINDS

    def walk(current: CSTNode) -> None:
        cls = type(current)
        on_visit, on_leave, fields = table.get(cls) or entry(cls)
        if on_visit is None or on_visit(visitor, current) is not False:
            for field, before, after, conditional in fields:
                value = getattr(current, field)
                if conditional and value is None:
                    continue
                if before is not None:
                    before(visitor, current)
                kind = kinds.get(type(value))
                if kind is None:
                    kind = _kind(value)
                if kind == _NODE:
                    walk(value)
                elif kind == _SEQUENCE:
                    for child in value:
                        walk(child)
                if after is not None:
                    after(visitor, current)
        if on_leave is not None:
            on_leave(visitor, current)

    try:
        walk(node)
    finally:
        # ``walk`` refers to itself through its closure: without this, the cycle keeps the
        # visitors, and through them the whole tree, alive until a garbage collection.
        walk = None  # noqa: F841


def visitor_methods(visitor: cst.BatchableCSTVisitor) -> dict[str, Callable]:
    """``visitor.get_visitors()`` without ``inspect.getmembers`` over libcst's ~1,000 stubs.

    The same filter as libcst's: bound methods whose function is named
    ``visit_*``/``leave_*`` and is not one of libcst's empty stubs. Only
    attributes named that way are ever dispatched to, and libcst's own classes
    define nothing else under those names, so only the visitor's own classes
    are searched (``tests/test_cst_walk.py`` checks this against libcst).
    """
    names: set[str] = set()
    for klass in type(visitor).__mro__:
        if not klass.__module__.startswith("libcst"):
            names.update(name for name in vars(klass) if name.startswith(("visit_", "leave_")))
    found = {}
    for name in sorted(names):
        member = getattr(visitor, name)
        if (
            inspect.ismethod(member)
            and member.__name__.startswith(("visit_", "leave_"))
            and not getattr(member, "_is_no_op", False)
        ):
            found[name] = member
    return found
