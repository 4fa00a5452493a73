"""Loop questions the level-2 and level-5 rules share (not a rule module).

- what runs once per iteration (``loop_body_nodes``, ``walk_body``),
- which names change per iteration (``per_iteration_names``),
- whether a loop runs over a small fixed literal (``is_small_literal_loop``),
- the parent of a node inside one top-level block (``ParentIndex``),
- whether a ``try`` with handlers sits inside the current loop (``TryTracker``).
"""

from __future__ import annotations

import ast
import os
from collections import Counter
from typing import Callable, Iterator, Optional

import libcst as cst
from perflint.analysis import iter_nodes
from perflint.context import FileContext, names_in_target
from perflint.models_index import project_root
from perflint.cst_walk import children

FUNCTION_LIKE = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)


def walk_body(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Nodes under ``node`` in source order, not entering nested functions, lambdas or classes."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current is not node and isinstance(current, FUNCTION_LIKE):
            continue
        stack.extend(reversed(children(current)))


def loop_iterable(loop_node: cst.CSTNode) -> Optional[cst.BaseExpression]:
    if isinstance(loop_node, cst.For):
        return loop_node.iter
    for_in = getattr(loop_node, "for_in", None)
    return for_in.iter if isinstance(for_in, cst.CompFor) else None


def loop_body_nodes(loop_node: cst.CSTNode) -> list[cst.CSTNode]:
    """What runs once per iteration: a ``for`` body, a comprehension without its first iterable,
    or the body of a lambda a call runs once per item (``callback_items``)."""
    if isinstance(loop_node, (cst.For, cst.While)):
        return [loop_node.body]
    if isinstance(loop_node, cst.Lambda):
        return [loop_node.body]
    parts: list[cst.CSTNode] = []
    for name in ("elt", "key", "value"):
        part = getattr(loop_node, name, None)
        if part is not None:
            parts.append(part)
    comp_for = getattr(loop_node, "for_in", None)
    first = True
    while isinstance(comp_for, cst.CompFor):
        if not first:
            parts.append(comp_for.iter)
        parts.extend(comp_for.ifs)
        first = False
        comp_for = comp_for.inner_for_in
    return parts


def loop_targets(loop_node: cst.CSTNode) -> set[str]:
    if isinstance(loop_node, cst.For):
        return names_in_target(loop_node.target)
    if isinstance(loop_node, cst.While):
        return set(walked_items(loop_node))
    if isinstance(loop_node, cst.Lambda):
        return {param.name.value for param in loop_node.params.params}
    names: set[str] = set()
    comp_for = getattr(loop_node, "for_in", None)
    while isinstance(comp_for, cst.CompFor):
        names |= names_in_target(comp_for.target)
        comp_for = comp_for.inner_for_in
    return names


# Builtins that call a function once per item of an iterable: where the function is (a keyword
# or a position) and where the items are.
_APPLIERS = {"sorted": ("key", 0), "min": ("key", 0), "max": ("key", 0), "map": (0, 1), "filter": (0, 1)}


def callback_items(context: FileContext, call: cst.Call) -> Optional[tuple[cst.Lambda, cst.BaseExpression]]:
    """``sorted(rows, key=lambda r: ...)``, ``min``/``max`` with ``key=``, ``map(lambda r: ..., rows)``,
    ``filter(lambda r: ..., rows)``: the one-parameter lambda the builtin calls once per item,
    and the items. ``min(a, b, key=...)`` (its arguments are the items) and ``map(f, a, b)``
    (zipped) are left out, and so is a name that shadows the builtin."""
    func = call.func
    if not isinstance(func, cst.Name) or func.value not in _APPLIERS or any(arg.star for arg in call.args):
        return None
    if context.is_local(func.value) or func.value in context.facts.imports:
        return None
    where_function, where_items = _APPLIERS[func.value]
    positional = [arg.value for arg in call.args if arg.keyword is None]
    if where_function == "key":
        if len(positional) != 1:
            return None
        function = next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == "key"), None)
        items = positional[0]
    else:
        if len(positional) != 2 or any(arg.keyword is not None for arg in call.args):
            return None
        function, items = positional
    if not isinstance(function, cst.Lambda):
        return None
    params = function.params
    if len(params.params) != 1 or params.posonly_params or params.kwonly_params or not isinstance(params.star_arg, cst.MaybeSentinel):
        return None
    if params.star_kwarg is not None:
        return None
    return function, items


_GROWS = frozenset({"append", "extend", "insert", "appendleft", "extendleft", "add", "update", "put", "put_nowait"})
_WALKS: dict[int, tuple[cst.While, tuple[str, ...]]] = {}


def walked_items(loop: cst.While) -> tuple[str, ...]:
    """The names a ``while`` loop binds to one item of a collection it walks, or ``()``.

    Two shapes walk a collection fixed before the loop, one item per iteration, like a ``for``:
    a drain, ``while pending: item = pending.pop()`` (``popleft()``, ``pop(0)``), and an index
    walk, ``while i < len(items): ... items[i] ... i += 1``. The collection must not grow in the
    loop (a worklist fed by the loop's own results walks a tree or pages), and the loop must
    not ``break``/``return`` (a search or a retry). Anything else (``while True``, a cursor,
    a retry counter) gives ``()``: its queries page or retry, keyed on the last result."""
    known = _WALKS.get(id(loop))
    if known is not None and known[0] is loop:
        return known[1]
    found = _walked_items(loop)
    if len(_WALKS) > 64:
        _WALKS.clear()
    _WALKS[id(loop)] = (loop, found)
    return found


def _walked_items(loop: cst.While) -> tuple[str, ...]:
    test = loop.test
    collection: Optional[str] = None
    index: Optional[str] = None
    if isinstance(test, cst.Name):
        collection = test.value
    elif isinstance(test, cst.Call) and _is_len_of_name(test):
        collection = test.args[0].value.value
    elif (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.left, cst.Name)
        and isinstance(test.comparisons[0].operator, cst.LessThan)
        and isinstance(test.comparisons[0].comparator, cst.Call)
        and _is_len_of_name(test.comparisons[0].comparator)
    ):
        index = test.left.value
        collection = test.comparisons[0].comparator.args[0].value.value
    if collection is None or loop.orelse is not None:
        return ()
    items: set[str] = set()
    steps = 0
    for node in walk_body(loop.body):
        if isinstance(node, (cst.Break, cst.Return)):
            return ()
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            owner = node.func.value
            if isinstance(owner, cst.Name) and owner.value == collection and node.func.attr.value in _GROWS:
                return ()  # a worklist fed by the loop
        if isinstance(node, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            targets: set[str] = set()
            if isinstance(node, cst.Assign):
                for target in node.targets:
                    targets |= names_in_target(target.target)
            else:
                targets = names_in_target(node.target)
            if collection in targets:
                return ()
            if index is not None and index in targets:
                value = node.value
                if not (
                    isinstance(node, cst.AugAssign)
                    and isinstance(node.operator, cst.AddAssign)
                    and isinstance(value, cst.Integer)
                    and value.value == "1"
                ):
                    return ()
                steps += 1
            if index is None and isinstance(node, cst.Assign) and _pops_from(node.value, collection):
                items |= targets
    if index is not None:
        return (index,) if steps == 1 else ()
    return tuple(sorted(items))


def _is_len_of_name(call: cst.Call) -> bool:
    return (
        isinstance(call.func, cst.Name)
        and call.func.value == "len"
        and len(call.args) == 1
        and isinstance(call.args[0].value, cst.Name)
    )


def _pops_from(value: Optional[cst.BaseExpression], collection: str) -> bool:
    return (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Attribute)
        and isinstance(value.func.value, cst.Name)
        and value.func.value.value == collection
        and value.func.attr.value in ("pop", "popleft", "popitem")
    )


def walks_items(loop) -> bool:
    """A ``for`` loop or comprehension, or a ``while`` loop that walks a collection (``walked_items``)."""
    return loop.kind != "while" or bool(walked_items(loop.node))


def names_in(node: cst.CSTNode) -> set[str]:
    return {n.value for n in iter_nodes(node) if isinstance(n, cst.Name)}


def _binding_flows(loop_node: cst.CSTNode) -> list[tuple[set[str], set[str]]]:
    """(names bound, names read to compute them) for every binding in the loop body."""
    flows: list[tuple[set[str], set[str]]] = []
    for part in loop_body_nodes(loop_node):
        for node in walk_body(part):
            targets: set[str] = set()
            source: Optional[cst.CSTNode] = None
            if isinstance(node, cst.Assign):
                for target in node.targets:
                    targets |= names_in_target(target.target)
                source = node.value
            elif isinstance(node, (cst.AnnAssign, cst.AugAssign)):
                targets, source = names_in_target(node.target), node.value
            elif isinstance(node, cst.NamedExpr):
                targets, source = names_in_target(node.target), node.value
            elif isinstance(node, (cst.For, cst.CompFor)):
                targets, source = names_in_target(node.target), node.iter
            elif isinstance(node, cst.WithItem) and node.asname is not None:
                targets, source = names_in_target(node.asname.name), node.item
            elif isinstance(node, cst.ExceptHandler) and node.name is not None:
                targets, source = names_in_target(node.name.name), None
            elif isinstance(node, cst.Match):
                # ``match event: case {"sku": sku}:`` binds its capture names from the subject.
                targets, source = _pattern_names(node), node.subject
            if targets:
                flows.append((targets, names_in(source) if source is not None else set()))
    return flows


def _pattern_names(match: cst.Match) -> set[str]:
    """The names the case patterns of a ``match`` capture (``case {"k": v}``, ``case [a, *rest]``,
    ``case Point(x=px) as p``)."""
    names: set[str] = set()
    stack: list[cst.CSTNode] = [case.pattern for case in match.cases]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.MatchAs, cst.MatchStar)) and node.name is not None:
            names.add(node.name.value)
        elif isinstance(node, cst.MatchMapping) and node.rest is not None:
            names.add(node.rest.value)
        if isinstance(node, cst.MatchValue):
            continue  # a value pattern reads names, it binds none
        stack.extend(node.children)
    return names


def per_iteration_names(loop_node: cst.CSTNode, seeds: frozenset[str] = frozenset()) -> set[str]:
    """The loop's targets plus every name the body derives from them (a fixpoint).

    A name computed from something else, say the previous iteration's result,
    is left out: a query keyed on it walks a chain, it is not a per-row lookup.
    ``seeds`` are more names that change per item (a cursor that just ran a query
    keyed on the item: what ``fetchone()`` reads from it is the item's row).
    """
    derived = set(loop_targets(loop_node)) | seeds
    flows = _binding_flows(loop_node)
    changed = True
    while changed:
        changed = False
        for targets, sources in flows:
            if sources & derived and not targets <= derived:
                derived |= targets
                changed = True
    return derived


def names_bound_in_loop(loop_node: cst.CSTNode) -> set[str]:
    """Every name the loop binds: targets and anything assigned in its body."""
    names = set(loop_targets(loop_node))
    for targets, _ in _binding_flows(loop_node):
        names |= targets
    return names


def under_match_test(parents: "ParentIndex", loop_node: cst.CSTNode, node: cst.CSTNode) -> bool:
    """``node`` runs only for the items that equal a value fixed outside the loop: it sits in
    the body of an ``if`` (within the loop) testing ``<per-item> == <fixed>`` or ``is``
    (``if self.id == id_: target = field.model.objects.get(...)``): a search for the few
    matching items, not work per item."""
    bound = names_bound_in_loop(loop_node)
    child, current = node, parents.parent(node)
    while current is not None and current is not loop_node:
        if isinstance(current, cst.If) and child is not current.test:
            test = current.test
            if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
                operator = test.comparisons[0].operator
                if isinstance(operator, (cst.Equal, cst.Is)):
                    left, right = names_in(test.left), names_in(test.comparisons[0].comparator)
                    if left and right and bool(left & bound) != bool(right & bound):
                        return True
        child, current = current, parents.parent(current)
    return False


def is_small_literal_loop(context: FileContext, loop_node: cst.CSTNode, literal_names: set[str]) -> bool:
    """A loop over a literal collection, a name bound only to one (module constant or
    local variable), a constant ``range``, or a ``zip`` with one of those among its
    arguments: a few iterations fixed in the code."""
    iterable = loop_iterable(loop_node)
    if iterable is None:
        return False
    function = context.function

    def is_literal_name(name: str) -> bool:
        if not context.is_local(name):
            return name in literal_names
        return function is not None and function.node is not None and _bound_once_to_literal(function.node, name)

    if _small_literal(iterable, is_literal_name):
        return True
    return _class_setting(context, iterable)


def _class_setting(context: FileContext, iterable: cst.BaseExpression) -> bool:
    """``for entry in self.content_types`` in a method whose class body declares
    ``content_types = None`` (or a literal display) and whose methods never rebind or grow
    ``self.content_types``: a declarative setting of the class (a subclass overrides it with
    a few literal entries), bounded by the code like a module constant."""
    if not (
        isinstance(iterable, cst.Attribute)
        and isinstance(iterable.value, cst.Name)
        and iterable.value.value in ("self", "cls")
    ):
        return False
    scopes = context.scopes
    positions = [i for i, scope in enumerate(scopes) if scope.kind == "function"]
    if not positions or positions[-1] == 0 or scopes[positions[-1] - 1].kind != "class":
        return False
    class_node = scopes[positions[-1] - 1].node
    if not isinstance(class_node, cst.ClassDef):
        return False
    settings = context.facts.memo("class settings", _class_settings)
    return iterable.attr.value in settings.get(class_node.name.value, ())


_GROWERS = frozenset({"append", "extend", "add", "update", "insert", "setdefault"})


def _class_settings(facts) -> dict[str, frozenset[str]]:
    """Per class name (unique in the module): attributes its body binds once to ``None`` or a
    literal display and that no code of the class rebinds or grows through an attribute."""
    tree = facts.tree
    found: dict[str, frozenset[str]] = {}
    if tree is None:
        return found
    classes = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    names = Counter(node.name for node in classes)
    for node in classes:
        if names[node.name] != 1:
            continue
        declared: dict[str, int] = {}
        for statement in node.body:
            if isinstance(statement, ast.Assign):
                targets, value = statement.targets, statement.value
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                targets, value = [statement.target], statement.value
            else:
                continue
            for target in targets:
                if isinstance(target, ast.Name):
                    literal = len(targets) == 1 and (
                        isinstance(value, (ast.List, ast.Tuple, ast.Set, ast.Dict))
                        or (isinstance(value, ast.Constant) and value.value is None)
                    )
                    declared[target.id] = declared.get(target.id, 0) + (1 if literal else 2)
        settings = {name for name, count in declared.items() if count == 1}
        for sub in ast.walk(node):
            if isinstance(sub, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
                targets = sub.targets if isinstance(sub, (ast.Assign, ast.Delete)) else [sub.target]
                for target in targets:
                    for part in ast.walk(target):
                        if isinstance(part, ast.Attribute):
                            settings.discard(part.attr)
            elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in _GROWERS:
                if isinstance(sub.func.value, ast.Attribute):
                    settings.discard(sub.func.value.attr)
            elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id == "setattr":
                settings.clear()  # an attribute set by name: any of them may change
        if settings:
            found[node.name] = frozenset(settings)
    return found


def _bound_once_to_literal(function: cst.CSTNode, name: str) -> bool:
    """``name`` is assigned exactly once in the function, to a literal display, and bound no other way."""
    literal = False
    for node in iter_nodes(function):
        if isinstance(node, cst.Assign) and any(name in names_in_target(t.target) for t in node.targets):
            if literal or len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
                return False
            if not isinstance(node.value, (cst.List, cst.Tuple, cst.Set, cst.Dict)):
                return False
            literal = True
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign)) and name in names_in_target(node.target):
            return False
        elif isinstance(node, (cst.For, cst.CompFor)) and name in names_in_target(node.target):
            return False
        elif isinstance(node, cst.AsName) and name in names_in_target(node.name):
            return False
        elif isinstance(node, cst.NamedExpr) and name in names_in_target(node.target):
            return False
        elif isinstance(node, cst.Param) and node.name.value == name:
            return False
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name):
            if node.func.value.value == name and node.func.attr.value in ("append", "extend", "add", "update", "insert"):
                return False  # grown at run time
    return literal


def _small_literal(node: cst.BaseExpression, is_literal_name: Callable[[str], bool]) -> bool:
    if isinstance(node, (cst.List, cst.Tuple, cst.Set, cst.Dict)):
        return True
    if isinstance(node, cst.Name):
        return is_literal_name(node.value)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
        if node.func.value == "range":
            return bool(node.args) and all(_integer(a.value) for a in node.args)
        if node.func.value in ("enumerate", "reversed", "sorted") and node.args:
            return _small_literal(node.args[0].value, is_literal_name)
        if node.func.value == "zip":
            # zip stops at its shortest argument: one literal bounds the loop
            return any(a.keyword is None and a.star == "" and _small_literal(a.value, is_literal_name) for a in node.args)
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value in ("items", "keys", "values")
        and not node.args
    ):
        return _small_literal(node.func.value, is_literal_name)
    return False


def names_outside(root: cst.CSTNode, excluded: cst.CSTNode) -> set[str]:
    """Every name spelled under ``root`` except inside ``excluded`` (say, a function minus one loop)."""
    names: set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node is excluded:
            continue
        if isinstance(node, cst.Name):
            names.add(node.value)
        stack.extend(children(node))
    return names


def _integer(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        node = node.expression
    return isinstance(node, cst.Integer)


# The parent maps of the last few roots: several rules index the same piece (keyed by id, the
# root kept to check identity).
_PARENTS: dict[int, tuple[cst.CSTNode, dict[int, cst.CSTNode]]] = {}


def _parents_of(root: cst.CSTNode) -> dict[int, cst.CSTNode]:
    known = _PARENTS.get(id(root))
    if known is not None and known[0] is root:
        return known[1]
    parents: dict[int, cst.CSTNode] = {}
    stack = [root]
    while stack:
        current = stack.pop()
        below = children(current)  # once per node (a walk and a second ``children`` call cost twice)
        for child in below:
            parents[id(child)] = current
        stack.extend(below)
    if len(_PARENTS) >= 8:
        _PARENTS.clear()
    _PARENTS[id(root)] = (root, parents)
    return parents


def _opens_transaction(expr: cst.BaseExpression) -> bool:
    call = expr.func if isinstance(expr, cst.Call) else expr
    name = call.attr.value if isinstance(call, cst.Attribute) else call.value if isinstance(call, cst.Name) else ""
    return name in ("atomic", "begin", "begin_nested", "transaction")


class ParentIndex:
    """Parents of the nodes of one top-level block, built on first use."""

    def __init__(self, root: cst.CSTNode) -> None:
        self.root = root
        self._parents: Optional[dict[int, cst.CSTNode]] = None

    def parent(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        if self._parents is None:
            self._parents = _parents_of(self.root)
        return self._parents.get(id(node))

    def in_assertion(self, node: cst.CSTNode) -> bool:
        """True inside an ``assert`` statement or the arguments of ``self.assertX(...)``/``assert_x(...)``:
        test verification, not a code path anyone runs for its speed."""
        current = self.parent(node)
        while current is not None and not isinstance(current, (cst.BaseCompoundStatement, cst.SimpleStatementLine)):
            if isinstance(current, cst.Assert):
                return True
            if isinstance(current, cst.Call):
                func = current.func
                name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
                if name.startswith("assert") and node is not current:
                    return True
            current = self.parent(current)
        return False

    def _up_to_loop(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        """The ancestors of ``node`` inside its innermost loop body, or function, innermost first."""
        current = self.parent(node)
        while current is not None and not isinstance(current, (cst.For, cst.While, cst.FunctionDef, cst.Lambda)):
            yield current
            current = self.parent(current)

    def in_raise(self, node: cst.CSTNode) -> bool:
        """True inside a ``raise`` statement that no ``try`` of the enclosing loop catches: the
        exception's arguments are built once, when the loop ends (``raise OrderError(iao.category)``)."""
        raised = False
        for ancestor in self._up_to_loop(node):
            if isinstance(ancestor, cst.Raise):
                raised = True
            elif raised and isinstance(ancestor, (cst.Try, cst.TryStar)):
                return False
        return raised

    def in_own_transaction(self, node: cst.CSTNode) -> bool:
        """True inside a ``with transaction.atomic():`` (or ``session.begin()``) block opened
        inside the enclosing loop: each item is its own transaction by design."""
        return any(
            isinstance(ancestor, cst.With) and any(_opens_transaction(item.item) for item in ancestor.items)
            for ancestor in self._up_to_loop(node)
        )

    def off_the_item_path(self, node: cst.CSTNode) -> bool:
        """Runs at most once however many items the loop has: test verification or a raise's message."""
        return self.in_assertion(node) or self.in_raise(node)

    def expression_parent(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        """The nearest parent that is not an ``Arg`` or parentheses wrapper."""
        parent = self.parent(node)
        while isinstance(parent, cst.Arg):
            parent = self.parent(parent)
        return parent


# Context managers that catch exceptions: ``with self.assertRaises(...)``, ``pytest.raises``, ``suppress``.
_CATCHING = ("assertRaises", "assertRaisesRegex", "assertWarns", "raises", "suppress", "catch_warnings")


def _catches(node: cst.With) -> bool:
    for item in node.items:
        call = item.item
        func = call.func if isinstance(call, cst.Call) else call
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        if name in _CATCHING:
            return True
    return False


def is_test_module(path: str) -> bool:
    """A test file by the usual conventions, judged below the project root: under
    ``test``/``tests``, ``test_*.py``, ``*_test.py``, ``conftest.py``. The root (a file-system
    lookup) is found only for a path with such a folder somewhere: every gate of a keystroke asks."""
    name = os.path.basename(path)
    if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return True
    if not _TEST_FOLDERS & set(os.path.abspath(path).replace("\\", "/").split("/")[:-1]):
        return False  # the path below the root has no such folder either
    root = project_root(path)
    if root is not None:
        path = os.path.relpath(os.path.abspath(path), root)
    return bool(_TEST_FOLDERS & set(path.replace("\\", "/").split("/")[:-1]))


_TEST_FOLDERS = frozenset({"test", "tests"})


class TryTracker:
    """Mixin for rules: knows whether a ``try`` with handlers (or a ``with`` that
    catches, like ``assertRaises``) encloses the current node inside the innermost
    loop: per-row error handling, which a batch would lose."""

    def _try_stack(self) -> list:
        stack = self.__dict__.get("_tries")
        if stack is None:
            stack = self.__dict__["_tries"] = []
        return stack

    def visit_Try(self, node: cst.Try) -> None:
        loop = self.context.innermost_loop
        self._try_stack().append((bool(node.handlers), id(loop.node) if loop else None))

    def leave_Try(self, original_node: cst.Try) -> None:
        self._try_stack().pop()

    def visit_TryStar(self, node: cst.TryStar) -> None:
        loop = self.context.innermost_loop
        self._try_stack().append((True, id(loop.node) if loop else None))

    def leave_TryStar(self, original_node: cst.TryStar) -> None:
        self._try_stack().pop()

    def visit_With(self, node: cst.With) -> None:
        loop = self.context.innermost_loop
        self._try_stack().append((_catches(node), id(loop.node) if loop else None))

    def leave_With(self, original_node: cst.With) -> None:
        self._try_stack().pop()

    def in_try_inside_loop(self) -> bool:
        loop = self.context.innermost_loop
        if loop is None:
            return False
        return any(handled and owner == id(loop.node) for handled, owner in self._try_stack())


def cursor_rows_per_item(loop_node: cst.CSTNode) -> set[str]:
    """Names the loop body reads from a cursor after an ``execute`` on it keyed on the item
    (``cur.execute("... WHERE id = %s", (item,)); pid, brand = cur.fetchone()``): they are the
    item's row, so a query keyed on them is one more query per item, not a walk of a chain."""
    derived = per_iteration_names(loop_node)
    cursors: set[str] = set()
    for node in walk_body(getattr(loop_node, "body", loop_node)):
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "execute"
            and isinstance(node.func.value, cst.Name)
            and len(node.args) >= 2
            and names_in(node.args[1].value) & derived
        ):
            cursors.add(node.func.value.value)
    if not cursors:
        return set()
    return per_iteration_names(loop_node, frozenset(cursors)) - cursors


def per_item_loop(context: FileContext, nodes, cache: dict) -> Optional[cst.CSTNode]:
    """The innermost enclosing ``for`` loop or comprehension (not ``while``, not a small
    literal loop) whose per-iteration names ``nodes`` use, or None: the call runs once per item."""
    used: set[str] = set()
    for node in nodes:
        used |= names_in(node)
    if not used:
        return None
    for loop in reversed(context.loops):
        if not walks_items(loop):
            continue
        key = id(loop.node)
        if key not in cache:
            cache[key] = (
                per_iteration_names(loop.node) | cursor_rows_per_item(loop.node),
                is_small_literal_loop(context, loop.node, context.facts.literal_names),
            )
        names, fixed = cache[key]
        if not fixed and used & names:
            return loop.node
    return None


def stops_early(loop_node: cst.CSTNode, call: Optional[cst.CSTNode] = None) -> bool:
    """A ``for`` loop whose body can ``break`` or ``return``: a search that stops at the first
    hit (try each candidate key until one is found), not a walk over every item.

    With ``call``, only a ``break``/``return`` after the call (in source order) counts: a guard
    before it (``if entry.get("last"): break``, then one write per entry) ends a walk over the
    items, it does not search with the call's result."""
    if not isinstance(loop_node, cst.For):
        return False
    return _stops_after(loop_node.body, False, call, [call is None])


def _stops_after(node: cst.CSTNode, nested: bool, call: Optional[cst.CSTNode], passed: list[bool]) -> bool:
    """``stops_early``'s walk; ``passed[0]`` turns True once ``call`` is behind it. (A module
    function, not a closure: a recursive closure is a cycle the collector must free.)"""
    if node is call:
        passed[0] = True
        return False
    if isinstance(node, cst.Return) or (isinstance(node, cst.Break) and not nested):
        if passed[0]:
            return True
    if isinstance(node, FUNCTION_LIKE):
        return False
    inner = nested or isinstance(node, (cst.For, cst.While))
    return any(_stops_after(child, inner, call, passed) for child in children(node))
