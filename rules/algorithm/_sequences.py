"""What the new level-1 rules (PF113-PF120) ask about sequences and loops.

Small, syntactic recognizers shared by those rules only. What a local name holds is
read from the current scope's bindings and parameter annotations; what an attribute
(``self.items``) holds, from the inference layer (``context.kind_of``), with the module
read for evidence that it grows (``attribute_list``). ``list_bound`` could move onto
``kind_of`` too once it says whether a local list grows with the input.
"""

from __future__ import annotations

import ast
from typing import Optional

import libcst as cst
from perflint.analysis import (
    Binding,
    small_statements,
    ScopeIndex,
    bound_names,
    dotted_name,
    is_list_expr,
    literal_elements,
    names_used,
    runs_fixed_times,
    use_of,
)
from perflint.blocks import memo_units

# Methods whose result is a new list of a text's words, lines or matches: a list that
# grows with the input. ``s.split(sep)`` with another separator usually cuts a path, a
# key or a CSV line into a few parts, so it is not taken as evidence.
_LIST_METHODS = frozenset({"splitlines", "findall", "readlines"})
_LIST_ANNOTATIONS = frozenset({"list", "List", "typing.List"})
_GROW_METHODS = frozenset({"append", "extend", "insert"})


_WORD_SEPARATORS_SPELLED = frozenset({" ", r"\n", r"\t"})


def list_annotation(annotation: cst.Annotation | None) -> bool:
    """``list``, ``list[int]``, ``List[str]``, ``typing.List[...]``."""
    if annotation is None:
        return False
    node = annotation.annotation
    if isinstance(node, cst.Subscript):
        node = node.value
    return dotted_name(node) in _LIST_ANNOTATIONS


def is_list_value(context, value: cst.BaseExpression | None) -> bool:
    """An expression that evaluates to a new list: a display, a comprehension,
    ``list(...)``, ``sorted(...)``, or ``x.split()`` / ``pattern.findall()``-like."""
    if value is None:
        return False
    if is_list_expr(context, value):
        return True
    if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)):
        return False
    method = value.func.attr.value
    if method in _LIST_METHODS:
        return True
    if method not in ("split", "rsplit"):
        return False
    if not value.args:
        return True
    first = value.args[0].value
    return (
        len(value.args) == 1
        and not value.args[0].keyword
        and isinstance(first, cst.SimpleString)
        and first.raw_value in _WORD_SEPARATORS_SPELLED
    )


def list_bound(context, index: ScopeIndex, name: str) -> bool:
    """Every binding of the plain local ``name`` makes it a list (at least one does
    more than ``+=``): a list value, a ``list``-annotated parameter or variable."""

    def accept(binding: Binding) -> bool:
        if binding.kind == "augassign":
            return True
        if binding.kind == "assign":
            return (
                is_list_value(context, binding.value)
                or _module_call_returns_list(context, binding.value)
                or self_slice(binding.value, name)  # ``lines = lines[1:]``: what the other bindings say
            )
        if binding.kind == "annassign":
            return is_list_value(context, binding.value) or list_annotation(binding.node.annotation)  # type: ignore[attr-defined]
        if binding.kind == "param":
            return list_annotation(binding.node.annotation)  # type: ignore[attr-defined]
        return False

    if not index.is_plain_local(name):
        return False
    bindings = index.bindings[name]
    copies_param = any(
        b.kind == "assign" and _copies(context, b.value, name) for b in bindings
    )  # ``items = list(items)``: the parameter is made a list first
    if not all(accept(b) or (b.kind == "param" and copies_param) for b in bindings):
        return False
    return any(binding.kind != "augassign" for binding in index.bindings[name])


def reaching_binding(index: ScopeIndex, name: str, loop: cst.CSTNode, makes, keeps) -> Optional[Binding]:
    """The last binding of the plain local ``name`` for which ``makes(binding)`` holds and
    that every path to ``loop`` runs: a plain statement of a block that holds ``loop``,
    before it, every binding that runs between the two passing ``keeps(binding)``. What the
    name held before that statement does not matter at the loop (a parameter normalised in
    place, an ``Optional`` parameter given a value under ``if x is None:``, a ``None``
    in another branch). None when there is no such binding."""
    if not index.is_plain_local(name):
        return None
    bindings = index.bindings[name]
    for position in range(len(bindings) - 1, -1, -1):
        binding = bindings[position]
        if binding.kind not in ("assign", "annassign") or not makes(binding):
            continue
        statement = index.statement_of(binding.node)
        if statement is None or binding.node not in small_statements(statement):
            continue  # a walrus or a nested expression, not a statement of its own
        place = index.siblings(statement)
        if place is None:
            continue
        statements, at = place
        holder = next((k for k in range(at + 1, len(statements)) if index.contains(statements[k], loop)), None)
        if holder is None:
            continue
        # Only what runs between it and the loop can change what the loop sees (what follows
        # the statement holding the loop runs after it); the loop's own bindings are the
        # rule's to judge (a fresh value per iteration).
        between = statements[at + 1 : holder + 1]
        if all(
            keeps(b) or index.contains(loop, b.node) or not any(index.contains(s, b.node) for s in between)
            for b in bindings[position + 1 :]
        ):
            return binding
        return None
    return None


def reaching_list_binding(context, index: ScopeIndex, name: str, loop: cst.CSTNode) -> Optional[Binding]:
    """``reaching_binding`` for a new list (``rows = [r for r in rows if ...]``,
    ``header = list()`` under ``if header is None:``, ``vals = list(vals)`` after a set),
    kept a list by every later binding (``+=``, another new list)."""

    def makes(binding: Binding) -> bool:
        return is_list_value(context, binding.value) or _module_call_returns_list(context, binding.value)

    def keeps(binding: Binding) -> bool:
        return binding.kind == "augassign" or (binding.kind in ("assign", "annassign") and is_list_value(context, binding.value))

    return reaching_binding(index, name, loop, makes, keeps)


def _module_call_returns_list(context, value: Optional[cst.BaseExpression]) -> bool:
    """``words = tokens(text)`` where ``tokens`` is a function of the module that returns a
    list (its ``-> list[str]`` annotation, or what its ``return`` statements build)."""
    return (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Name)
        and context.call_name(value) is None
        and context.kind_of(value).kind == "list"
    )


def _copies(context, value: Optional[cst.BaseExpression], name: str) -> bool:
    """``list(name)`` or ``sorted(name, ...)``."""
    return (
        isinstance(value, cst.Call)
        and context.call_name(value) in ("builtins.list", "builtins.sorted")
        and bool(value.args)
        and isinstance(value.args[0].value, cst.Name)
        and value.args[0].value.value == name
    )


def self_slice(value: Optional[cst.BaseExpression], name: str) -> bool:
    """``name[k:]`` (a tail of ``name`` itself, no upper bound)."""
    return (
        isinstance(value, cst.Subscript)
        and isinstance(value.value, cst.Name)
        and value.value.value == name
        and len(value.slice) == 1
        and isinstance(value.slice[0].slice, cst.Slice)
        and value.slice[0].slice.upper is None
    )


def bounded_literal(context, index: ScopeIndex, name: str) -> bool:
    """Every value binding is a literal display and nothing grows the list: it stays
    as small as it is written."""
    for binding in index.bindings.get(name, []):
        if binding.kind == "augassign":
            return False
        if binding.kind in ("assign", "annassign") and literal_elements(binding.value) is not None:
            continue
        return False
    loops = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
    for read in index.reads.get(name, []):
        use = use_of(index, context, read)
        if use.kind == "method" and use.detail in _GROW_METHODS:
            if use.detail == "extend" or any(isinstance(a, loops) for a in index.ancestors(read)):
                return False  # grows with the input, not by a fixed number of items
    return True


class SkipsTests:
    """Mixin: a test module is cold code (its loops run over test data, not the program's
    input), so the rule is not run there at all."""

    @classmethod
    def may_match_file(cls, path: str, facts, config) -> bool:
        from perflint.rules.database._loops import is_test_module

        return not is_test_module(path)


def grows_with_input(context, index: ScopeIndex, name: str) -> bool:
    """Evidence that the list ``name`` is as large as the program's input, not a few
    parts of something: it is a ``list``-annotated parameter; a binding builds it from
    a parameter (``list(items)``, ``sorted(rows)``), by a comprehension over data, or from a
    text's words, lines or matches; a loop around the current node grows it, or walks
    over it (``for w in set(words)``, ``while pending``)."""
    if built_from_input(context, index, name):
        return True
    for loop in context.loops:
        node = loop.node
        if isinstance(node, cst.For) and name in names_used(node.iter):
            return True
        if isinstance(node, cst.While) and name in names_used(node.test):
            return True
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)) and name in names_used(node.for_in.iter):
            return True
    for read in index.reads.get(name, []):
        use = use_of(index, context, read)
        grows = (use.kind == "method" and use.detail in _GROW_METHODS) or use.kind == "augassign"
        if grows and any(index.contains(loop.node, read) for loop in context.loops):
            return True
    return False


def built_from_input(context, index: ScopeIndex, name: str) -> bool:
    """A binding makes the list ``name`` from the input: it is a parameter, or it is built
    from a parameter (``list(items)``, ``sorted(rows)``), by a comprehension over data, or
    from a text's words, lines or matches."""
    params = {b.name for bindings in index.bindings.values() for b in bindings if b.kind == "param"}
    for binding in index.bindings.get(name, []):
        if binding.kind == "param":
            return True
        value = binding.value
        if binding.kind in ("assign", "annassign") and value is not None:
            if is_list_value(context, value) and not is_list_expr(context, value):
                return True  # split() / splitlines() / findall() / readlines()
            if isinstance(value, cst.ListComp):
                if _over_data(context, index, value.for_in.iter, name):
                    return True  # one item per item of some data
            elif names_used(value) & params:
                return True
    return False


def _over_data(context, index: ScopeIndex, iterable: cst.BaseExpression, name: str) -> bool:
    """An iterable that is not written out: not a literal display, and mentioning a name
    other than the list itself, an UPPER_CASE constant or a local literal list."""
    if literal_elements(iterable) is not None:
        return False
    for other in names_used(iterable) - {name}:
        if other.isupper() or (index.is_plain_local(other) and bounded_literal(context, index, other)):
            continue
        if other in BUILTIN_FUNCTIONS:
            continue
        return True
    return False


BUILTIN_FUNCTIONS = frozenset({"range", "enumerate", "zip", "sorted", "reversed", "list", "tuple", "set"})


def repeats(context, skip: cst.CSTNode | None = None, index: ScopeIndex | None = None) -> bool:
    """The current node runs once per iteration of a loop of this function whose
    size is not written in the source (``skip``: a comprehension being visited, not
    counted as its own loop). With ``index``, a loop over a name that the scope binds
    only to a literal display it never grows counts as written in the source too."""
    loops = [loop for loop in context.loops if loop.node is not skip]
    return bool(loops) and not all(
        runs_fixed_times(loop.node) or (index is not None and _over_literal_name(context, index, loop.node))
        for loop in loops
    )


def _over_literal_name(context, index: ScopeIndex, loop: cst.CSTNode) -> bool:
    """A loop over a local literal list it never grows, or over a name the inference layer
    says holds a tuple (a record of fixed shape: ``pair = _pair(...)`` returning
    ``tuple[str, str]``; tuples of input data are rare next to lists)."""
    if isinstance(loop, cst.For):
        iterable = loop.iter
    else:
        comp_for = getattr(loop, "for_in", None)
        iterable = comp_for.iter if isinstance(comp_for, cst.CompFor) else None
    if not isinstance(iterable, cst.Name):
        return False
    if context.kind_of(iterable).kind == "tuple":
        return True
    if not index.is_plain_local(iterable.value):
        return False
    return isinstance(loop, cst.For) and bounded_literal(context, index, iterable.value)


def rebound_in_loop(context, index: ScopeIndex, name: str, skip: cst.CSTNode | None = None) -> bool:
    """``name`` is bound inside the innermost loop: a fresh object per iteration."""
    loops = [loop for loop in context.loops if loop.node is not skip]
    if not loops:
        return False
    body = loops[-1].node
    return any(index.contains(body, binding.node) for binding in index.bindings.get(name, []) if binding.kind != "augassign")


def loop_bound_names(loop_node: cst.CSTNode) -> set[str]:
    """Names that change per iteration of a loop: its targets and what its body binds."""
    from perflint.context import names_in_target

    if isinstance(loop_node, cst.For):
        return names_in_target(loop_node.target) | bound_names(loop_node.body)
    if isinstance(loop_node, cst.While):
        return bound_names(loop_node.body)
    names: set[str] = set()
    comp_for = getattr(loop_node, "for_in", None)
    while comp_for is not None:
        names |= names_in_target(comp_for.target)
        comp_for = comp_for.inner_for_in
    return names


# --- attributes (``self.items``), through the inference layer ---------------------------

_GROW_CALLS = frozenset({"append", "extend", "insert"})


def attribute_list(context, node: cst.BaseExpression) -> Optional[str]:
    """``self.items`` (a name's attribute) that the inference layer says holds a list and that
    grows with the input: something in the module appends to it, extends it or adds to it with
    ``+=``, or a method assigns it a value built from its parameters (``self.banned =
    list(banned_ips)``). Returns ``"self.items"``, or None."""
    if not (isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)):
        return None
    if context.kind_of(node).kind != "list":
        return None
    attribute = node.attr.value
    if attribute not in _grown_attributes(context.facts.inference.tree):
        return None
    return f"{node.value.value}.{attribute}"


_GROWN_CACHE: "dict[int, tuple[ast.Module, frozenset[str]]]" = {}
_GROWN_MEMO = "_perflint_grown"  # a top-level statement's answer, kept on its node


def _grown_attributes(tree: "ast.Module | None") -> frozenset[str]:
    """Attributes (of any name) the module grows or fills from a function's parameters.

    Each statement's share is kept on its node: the language server splices an edited
    statement into the last tree and keeps the others, so a keystroke reads one."""
    if tree is None:
        return frozenset()
    cached = _GROWN_CACHE.get(id(tree))
    if cached is not None and cached[0] is tree:
        return cached[1]
    grown: set[str] = set()
    for statement, _ in memo_units(tree.body):
        found = getattr(statement, _GROWN_MEMO, None)
        if found is None:
            found = _grown_in(statement)
            setattr(statement, _GROWN_MEMO, found)
        grown |= found
    result = frozenset(grown)
    if len(_GROWN_CACHE) > 64:
        _GROWN_CACHE.clear()
    _GROWN_CACHE[id(tree)] = (tree, result)
    return result


def _grown_in(statement: ast.stmt) -> frozenset[str]:
    grown: set[str] = set()
    # A class member (``memo_units`` yields a class's members) that is a dataclass-style field
    # made by a list factory, filled by the caller of the generated ``__init__``:
    # ``free_seats: list[str] = field(default_factory=list)``.
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and _list_factory(statement.value):
        grown.add(statement.target.id)
    for function in ast.walk(statement):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        args = function.args
        params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
        params |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
        params.discard("self")
        params.discard("cls")
        for sub in ast.walk(function):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in _GROW_CALLS:
                owner = sub.func.value
                if isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name):
                    grown.add(owner.attr)
            elif isinstance(sub, ast.AugAssign) and isinstance(sub.op, ast.Add):
                if isinstance(sub.target, ast.Attribute) and isinstance(sub.target.value, ast.Name):
                    grown.add(sub.target.attr)
            elif isinstance(sub, (ast.Assign, ast.AnnAssign)) and sub.value is not None:
                targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                used = {n.id for n in ast.walk(sub.value) if isinstance(n, ast.Name)}
                if used & params:
                    for target in targets:
                        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                            grown.add(target.attr)
    return frozenset(grown)


def _list_factory(value: Optional[ast.expr]) -> bool:
    """``field(default_factory=list)`` (dataclasses, pydantic ``Field``), ``attr.ib(factory=list)``."""
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name not in ("field", "Field", "ib", "attrib"):
        return False
    return any(
        keyword.arg in ("default_factory", "factory") and isinstance(keyword.value, ast.Name) and keyword.value.id == "list"
        for keyword in value.keywords
    )


def attribute_rebound_in_loop(context, node: cst.Attribute, skip: cst.CSTNode | None = None) -> bool:
    """``self.items = ...`` inside the innermost loop: a fresh object per iteration."""
    from perflint.analysis import iter_nodes

    loops = [loop for loop in context.loops if loop.node is not skip]
    if not loops:
        return False
    receiver, attribute = node.value.value, node.attr.value  # type: ignore[attr-defined]
    for sub in iter_nodes(loops[-1].node):
        targets = []
        if isinstance(sub, cst.Assign):
            targets = [t.target for t in sub.targets]
        elif isinstance(sub, cst.AnnAssign):
            targets = [sub.target]
        for target in targets:
            if (
                isinstance(target, cst.Attribute)
                and isinstance(target.value, cst.Name)
                and target.value.value == receiver
                and target.attr.value == attribute
            ):
                return True
    return False
