"""What a piece of code does, read from its ``ast`` before libcst parses it.

The engine's prefilter (``engine._Gate``) parses a piece with libcst only if
some rule's ``needs`` are in the piece's ``Shape``. A feature is a necessary
condition of a rule's finding, read loosely enough to be a superset: a piece
without it cannot have the finding. Tests compare every finding with and
without the prefilter, so a feature that is too strict shows as a lost finding.

Some features join two facts about one name: what a loop does with it
(``s += part``) and what the piece binds it to (``s = ""``). The walk records
both with the name (``"grow:s"``, ``"=str:s"``) and joins them at the end.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

# Loops: a node inside one of these (the loop itself included) runs once per iteration.
_LOOP_KINDS = frozenset((ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(frozen=True)
class Shape:
    """What a piece's code does, in the words rules use for ``needs``.

    Calls and operators: ``"name()"`` is a call of a function or method
    spelled ``name`` (or imported under another name from something called
    ``name``); ``"in"`` a membership test; ``"=="`` an equality test; ``"+"``
    an addition (also ``+=``), ``"x+="`` one onto a name and ``"x=x+"`` a name
    rebound to itself plus something; ``"await"``; ``"[]="`` an item
    assignment; ``"[...]"`` a list display or comprehension, ``"[]"`` an empty
    list (``[]`` or ``list()``); ``"name(str)"`` a call of ``name`` with a
    str or bytes literal among its arguments; ``"sum-of-lists"``
    ``sum(x, [])`` (or ``reduce(operator.add, x, [])``); ``"sorted-end"`` ``sorted(...)[0]`` or ``[-1]``; ``"read-split"``
    ``x.read().splitlines(...)`` or ``x.read().split(...)``; ``"eager-log"`` a call named
    like a logging level (``trace`` too, or ``log``) whose first or second argument is an f-string,
    ``literal % x``, a ``+`` or ``literal.format(...)``; ``"print(file)"`` ``print(..., file=f)``;
    ``"open(append)"`` ``open(p, "a")`` or ``path.open("ab")`` (a literal append mode).

    Loops: ``"loop"`` any loop, ``"for"`` a ``for`` loop or a comprehension,
    ``"nested-loop"`` a loop in a loop (or a comprehension with two ``for``);
    ``"join-loop"`` a ``for`` loop in a loop whose body is one ``if`` (no
    ``else``) testing ``==`` (alone or under ``and``) or starts with ``if a != b: continue``, or a comprehension with
    two ``for`` whose second has such an ``if``; ``"write-loop"`` a ``for``
    loop whose body is one ``f.write(x)`` or ``print(..., file=f)``;
    ``"items-pair"`` a loop over ``x.items()`` into two names that does not
    plainly use both (outside comprehensions, for a ``for`` loop; twice each,
    in a comprehension); ``"const-comp"`` a set, dict or list comprehension (or ``set``/``frozenset``/``dict``/
    ``list``/``tuple`` of a generator expression) over a name
    spelled as a constant (``STOPWORDS``, ``CODES.items()``, ``sorted(CODES)``).

    Names: ``"str+="`` a name grown in a loop (``s += x``, ``s = s + x``,
    ``s = x + s``) that the piece binds to a str literal or to bytes (a bytes
    literal, ``bytes(...)``); ``"attr+="`` ``obj.attr += x`` or
    ``d[k] += x`` (an attribute or element grown in place); ``"in-list"`` a test ``x in name`` in a
    loop where the piece binds the name to a list (a display, a
    comprehension, ``list()``, ``sorted()``) or adds to it with ``+=``;
    ``"in-values"`` a test ``x in d.values()``; ``"in-attr"`` a test
    ``x in name.attr`` (whatever the attribute holds);
    ``"front-list"`` ``name.pop(0)`` or ``name.insert(0, x)`` in a loop on a
    name bound to a list; ``"list-iter"`` a loop over ``list(name)`` where the
    name is bound to a list, tuple or set, or augmented; ``"fill-list"`` a
    ``for`` loop whose body is one ``name.append(x)`` (under at most one
    ``if``) where the name is bound to an empty list.

    Level-1 searches and copies: ``"in-new-list"`` an ``in`` test against a list
    built for it (``list(...)``, a list comprehension); ``"self-search"`` ``self.x.index(k)`` / ``self.x.count(k)``;
    ``"return-scan"`` a ``for`` loop whose body is one ``if x.k == k:`` (or ``x is k``) ending in ``return``;
    ``"eq-scan"`` ``next(filter(lambda p: p.k == x, seq))`` or a one-``for``
    comprehension filtering on ``==``, or a generator of ``==``/``!=`` tests, inside a
    loop that encloses it; ``"x=f(x)"`` a name (or ``self.x``) rebound to a call or subscript built
    from itself (``a = np.append(a, x)``, ``df = pd.concat([df, y])``, ``df =
    df.append(r)``, ``a = np.r_[a, x]``); ``"loc-len"`` ``x.loc[len(...)] = ...``;
    ``"del[0]"`` ``del name[0]`` (or ``del self.items[0]``); ``"del[i]"`` ``del name[i]``
    (or ``del self.items[i]``) with a name as the position; ``"head-cut"``
    ``name = name[k:]``; ``"compile(built)"`` a ``compile`` call with three arguments or
    a first argument built by an expression; ``"environ.get()"`` ``os.environ.get(...)``,
    ``"environ[]"`` ``os.environ[...]``.

    Functions: ``"self-call2"`` a function (undecorated, a staticmethod or a classmethod) that
    calls itself (by name, or as ``x.name(...)``) twice in its own body, or once
    in a loop or comprehension, each call passing a name, ``a ± b`` or a slice;
    ``"key-index"`` a call with ``key=x.index`` or a ``key=lambda`` that calls
    ``.index(...)``; ``"row-callback"`` ``sorted``/``min``/``max`` with ``key=lambda``, or
    ``map``/``filter`` of a lambda (a function run once per item); ``"callback-in"`` a ``lambda`` with an ``in`` test (or a generator with an ``==``) passed as the
    ``key=`` of a call or as the first argument of ``map``/``filter``/``apply``/``applymap``/
    ``transform``/``imap`` (or ``filterfalse``/``takewhile``/``dropwhile``); ``"in-list-param"`` a
    def that tests ``x in name`` where ``name`` is one of its parameters annotated ``list[...]``,
    ``List``, ``Sequence`` or ``MutableSequence``; ``"self-call"`` a function that calls itself (by name, or as ``x.name(...)``) at
    least once in its own body; ``"async:name()"`` a call made directly in an ``async def``; ``"async-call"``
    a call of a plain name or of ``self.name`` made directly in an ``async def`` and not
    itself awaited (``f(x)``, ``await g(self.f(x))``, not ``await f(x)`` or ``x.f()``): a
    helper of the module that may block; ``"async-method-call"`` any other method call made
    that way (``x.f()``).

    ``in_loop`` holds what occurs inside a loop, the loop included, without
    regard to function boundaries (a superset of what the rules count as "in
    a loop"). A name's binding counts wherever it is in the piece.
    """

    anywhere: frozenset[str]
    in_loop: frozenset[str]

    def has(self, need: "str | tuple[str, ...]", in_loop: bool) -> bool:
        """Whether the piece does ``need``: a feature (looked for in loops when ``in_loop``,
        anywhere when written ``"@feature"``), or a tuple of features that must all be there."""
        if isinstance(need, tuple):
            return all(self.has(part, in_loop) for part in need)
        if need.startswith("@"):
            return need[1:] in self.anywhere
        return need in (self.in_loop if in_loop else self.anywhere)


# Joined features: what a loop does with a name -> (the feature, what the piece must bind the name to).
_JOINS: dict[str, tuple[str, tuple[str, ...]]] = {
    "grow": ("str+=", ("=str", "=bytes")),  # str or bytes (PF102)
    "in": ("in-list", ("=list", "augadd")),
    "front": ("front-list", ("=list",)),
    "list-iter": ("list-iter", ("=list", "=tuple", "=set", "aug")),
    "append-loop": ("fill-list", ("=empty-list",)),
}


def shape_of(
    nodes: Iterable[ast.AST], aliases: dict[str, str], outside: Optional[Callable[[str, str], bool]] = None
) -> Shape:
    """One walk over a piece's ``ast``; ``aliases`` maps ``"local()"`` to ``"imported()"``.
    ``outside(use, name)`` answers a join the piece's own bindings do not: whether the name
    (``".attr"`` for an attribute) can hold what the join needs anywhere in the module (the
    inference layer, ``perflint.infer``: a parameter annotated ``list[str]``, ``self.x = []``
    in ``__init__``, a function returning a list)."""
    anywhere: set[str] = set()
    in_loop: set[str] = set()
    defs: list[ast.FunctionDef] = []
    stack = [(node, False) for node in nodes]
    push, pop = stack.append, stack.pop
    while stack:
        node, looping = pop()
        kind = type(node)
        features = _FEATURES.get(kind)
        found = features(node, aliases) if features is not None else ()
        outer_loop = looping
        if kind in _LOOP_KINDS:
            if looping:
                found = [*found, "nested-loop", "join-loop"] if "join-body" in found else [*found, "nested-loop"]
            looping = True
        elif kind is ast.AsyncFunctionDef:
            anywhere.update(_async_calls(node, aliases))
        elif kind is ast.FunctionDef:
            defs.append(node)
        if found:
            anywhere.update(found)
            if looping:
                # A scan is repeated only when a loop encloses the comprehension itself.
                in_loop.update(found if outer_loop or "eq-scan" not in found else [f for f in found if f != "eq-scan"])
        fields = _CHILD_FIELDS.get(kind)
        if fields is None:
            fields = _CHILD_FIELDS[kind] = tuple(name for name in kind._fields if name not in _SCALAR_FIELDS)
        for name in fields:  # ast.iter_child_nodes, without its generator and the leaf nodes
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST) and type(item) not in _LEAVES:
                        push((item, looping))
            elif isinstance(value, ast.AST) and type(value) not in _LEAVES:
                push((value, looping))
    # Only a function whose name is called somewhere in the piece can recurse.
    called = [node for node in defs if f"{node.name}()" in anywhere]
    if any(_recurses_twice(node) for node in called):
        anywhere.add("self-call2")
    if any(_calls_itself(node) for node in called):
        anywhere.add("self-call")
    if "in" in anywhere and any(_tests_list_parameter(node) for node in defs):
        anywhere.add("in-list-param")
    if "callback-name" in anywhere and "callback-in" not in anywhere:
        # ``filter(allowed, docs)`` with ``def allowed(d): return d.id not in blocked`` in the piece
        if any(f"callback-name:{node.name}" in anywhere and _returns_membership(node) for node in defs):
            anywhere.add("callback-in")
    joined = _joined(in_loop, anywhere, outside)
    return Shape(frozenset(anywhere | joined), frozenset(in_loop | joined))


_LIST_ANNOTATIONS = frozenset({"list", "List", "Sequence", "MutableSequence"})


def _tests_list_parameter(function: ast.FunctionDef) -> bool:
    """``x in names`` in the def, ``names`` a parameter annotated ``list[...]``/``List``/``Sequence``."""
    arguments = function.args
    names = set()
    for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
        annotation = arg.annotation
        if isinstance(annotation, ast.Subscript):
            annotation = annotation.value
        if isinstance(annotation, ast.Attribute):
            annotation = ast.Name(annotation.attr)
        if isinstance(annotation, ast.Name) and annotation.id in _LIST_ANNOTATIONS:
            names.add(arg.arg)
    if not names:
        return False
    return any(
        isinstance(node, ast.Compare)
        and any(
            isinstance(op, (ast.In, ast.NotIn)) and isinstance(comparator, ast.Name) and comparator.id in names
            for op, comparator in zip(node.ops, node.comparators)
        )
        for node in ast.walk(function)
    )


def _joined(in_loop: set[str], anywhere: set[str], outside: Optional[Callable[[str, str], bool]]) -> set[str]:
    """The ``_JOINS`` features: a name's use in a loop matched with its binding anywhere in
    the piece, or else with what ``outside`` knows of it."""
    joined: set[str] = set()
    for item in in_loop:
        use, colon, name = item.partition(":")
        if colon and use in _JOINS:
            feature, bindings = _JOINS[use]
            if feature in joined:
                continue
            if any(f"{binding}:{name}" in anywhere for binding in bindings):
                joined.add(feature)
            elif outside is not None and use in _OUTSIDE_JOINS and (use != "grow" or name[:1] == ".") and outside(use, name):
                joined.add(feature)
    return joined


# Joins the inference layer can answer for names the piece does not bind ("grow": only for
# attributes; a local string is bound in its own function, which is in the piece).
_OUTSIDE_JOINS = frozenset({"in", "front", "grow"})


def _index_key(value: ast.expr) -> bool:
    """``order.index`` or a lambda that calls ``<something>.index(...)``: a key function
    that searches a sequence for every item."""
    if isinstance(value, ast.Attribute):
        return value.attr == "index"
    if isinstance(value, ast.Lambda):
        return any(
            isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "index"
            for sub in ast.walk(value.body)
        )
    return False


def _calls_itself(function: ast.FunctionDef) -> bool:
    """The function calls itself (``name(...)`` or ``x.name(...)``) in its own body; nested
    functions, lambdas and classes are not its body."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind in _LATER:
            continue
        if kind is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name == function.name:
                return True
        stack.extend(ast.iter_child_nodes(node))
    return False


def _recurses_twice(function: ast.FunctionDef) -> bool:
    """A function (undecorated, a staticmethod or a classmethod) that calls itself in its own body
    (nested functions, lambdas and classes run later) by name or as ``x.name(...)``, twice,
    or once inside a loop or comprehension; each call passing some argument (positional or
    keyword) that may shrink: a name, ``a ± b`` or a slice. Its own body returns a value and neither yields,
    awaits nor declares ``global``/``nonlocal`` (PF303 leaves those alone)."""
    if any(not (isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod")) for d in function.decorator_list):
        return False
    calls = 0
    returns_value = False
    stack: list[tuple[ast.AST, bool]] = [(node, False) for node in function.body]
    while stack:
        node, looping = stack.pop()
        kind = type(node)
        if kind in _LATER:
            continue
        if kind in _NOT_A_COMPUTATION:
            return False  # a generator, a coroutine or shared state: not overlapping subproblems
        if kind is ast.Return and node.value is not None:
            returns_value = True
        elif kind is ast.Call:
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name == function.name and any(
                _may_shrink(arg) for arg in (*node.args, *(keyword.value for keyword in node.keywords))
            ):
                calls += 2 if looping else 1
        looping = looping or kind in _LOOP_KINDS
        stack.extend((child, looping) for child in ast.iter_child_nodes(node))
    return calls >= 2 and returns_value


_LATER = frozenset((ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))
_NOT_A_COMPUTATION = frozenset((ast.Yield, ast.YieldFrom, ast.Await, ast.Global, ast.Nonlocal))


def _may_shrink(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, (ast.Add, ast.Sub))
    return isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)


def _is_integer(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, int)


def _async_calls(function: ast.AsyncFunctionDef, aliases: dict[str, str]) -> set[str]:
    """``"async:name()"`` for each call made directly in the ``async def`` (nested functions,
    lambdas and classes run elsewhere)."""
    found: set[str] = set()
    awaited: set[int] = set()
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Await):
            awaited.add(id(node.value))
        elif isinstance(node, ast.Call):
            for feature in _called(node, aliases):
                found.add("async:" + feature)
            func = node.func
            if id(node) in awaited:
                pass
            elif isinstance(func, ast.Name) or (
                isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"
            ):
                found.add("async-call")
            elif isinstance(func, ast.Attribute):
                found.add("async-method-call")
        stack.extend(ast.iter_child_nodes(node))
    return found


def _called(node: ast.Call, aliases: dict[str, str]) -> list[str]:
    """``"name()"`` for the call, and ``"imported()"`` when ``name`` is an import alias."""
    func = node.func
    if isinstance(func, ast.Name):
        name = func.id + "()"
    elif isinstance(func, ast.Attribute):
        name = func.attr + "()"
    else:
        return []
    return [name, aliases[name]] if name in aliases else [name]


def _call(node: ast.Call, aliases: dict[str, str]) -> list[str]:
    found = _called(node, aliases)
    if not found:
        return found
    if "list()" in found and not node.args and not node.keywords:
        found.append("[]")
    called = node.func
    if (
        isinstance(called, ast.Attribute)
        and called.attr in ("index", "count")
        and isinstance(called.value, ast.Attribute)
        and isinstance(called.value.value, ast.Name)
        and called.value.value.id == "self"
    ):
        found.append("self-search")  # ``self.names.index(key)``
    if found[0] == "next()" and _filter_scan(node):
        found.append("eq-scan")  # ``next(filter(lambda p: p.k == x, seq), None)``
    if "sum()" in found and _sums_onto_empty_list(node):
        found.append("sum-of-lists")
    elif "reduce()" in found and _reduces_onto_empty_list(node):
        found.append("sum-of-lists")  # ``reduce(operator.add, x, [])``: the same copies
    if "compile()" in found and _compiles_built_source(node):
        found.append("compile(built)")
    if found[0] in _COLLECTORS and len(node.args) == 1 and not node.keywords:
        generator = node.args[0]
        if isinstance(generator, ast.GeneratorExp) and _over_constant(generator.generators[0].iter):
            found.append("const-comp")  # ``set(x.lower() for x in CONST)``: a comprehension spelled as a call
    if "get()" in found and _last_name(node.func.value if isinstance(node.func, ast.Attribute) else None) == "environ":
        found.append("environ.get()")
    if any(_is_string(value) for value in (*node.args, *(keyword.value for keyword in node.keywords))):
        found += [name[:-1] + "str)" for name in found if name.endswith("()")]
    func = node.func
    if isinstance(func, ast.Attribute) and _is_front_call(func.attr, node):
        receiver = func.value
        if isinstance(receiver, ast.Name):
            found.append("front:" + receiver.id)
        elif isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name):
            found.append("front:." + receiver.attr)
    if isinstance(func, ast.Attribute) and func.attr in ("splitlines", "split") and _is_read_call(func.value):
        found.append("read-split")
    if any(keyword.arg == "key" and _index_key(keyword.value) for keyword in node.keywords):
        found.append("key-index")  # ``sorted(xs, key=order.index)``
    if found[0] in _APPLIERS and _applies_lambda(node):
        found.append("row-callback")
    if _membership_callback(found[0], node):
        found.append("callback-in")  # ``filter(lambda d: d.id not in blocked, docs)``
    else:
        named = _named_callback(found[0], node)
        if named is not None:
            found += ["callback-name", "callback-name:" + named]  # ``filter(allowed, docs)``
    if "print()" in found and any(keyword.arg == "file" for keyword in node.keywords):
        found.append("print(file)")
    if "open()" in found and any(
        _append_mode(value) for value in (*node.args[:2], *(k.value for k in node.keywords if k.arg == "mode"))
    ):
        found.append("open(append)")
    if found[0] in _LOG_CALLS and any(_formatted(arg) for arg in node.args[:2]):
        found.append("eager-log")
    return found


# Builtins that run a function once per item (``"row-callback"``).
_APPLIERS = frozenset({"sorted()", "min()", "max()", "map()", "filter()"})


def _applies_lambda(node: ast.Call) -> bool:
    """``sorted(xs, key=lambda x: ...)`` (also ``min``/``max``), ``map(lambda x: ..., xs)``, ``filter(...)``."""
    if any(keyword.arg == "key" and isinstance(keyword.value, ast.Lambda) for keyword in node.keywords):
        return True
    return bool(node.args) and isinstance(node.args[0], ast.Lambda)


# Calls that run their function argument once per item (``map``, ``filter``, pandas ``apply``...).
_PER_ITEM_CALLS = frozenset(
    f"{name}()"
    for name in ("map", "filter", "filterfalse", "takewhile", "dropwhile", "apply", "applymap", "transform", "imap", "imap_unordered")
)


def _membership_callback(called: str, node: ast.Call) -> bool:
    """A lambda with an ``in`` test passed as the per-item function of ``node`` (its first
    argument, for ``map``/``filter``/``apply``...) or as its ``key=``."""
    callbacks = [keyword.value for keyword in node.keywords if keyword.arg == "key"]
    if called in _PER_ITEM_CALLS and node.args:
        callbacks.append(node.args[0])
    return any(
        isinstance(callback, ast.Lambda)
        and any(
            isinstance(sub, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in sub.ops)
            or isinstance(sub, ast.GeneratorExp) and _has_equality(sub)  # ``any(t.ref == inv.no for t in txns)``
            for sub in ast.walk(callback.body)
        )
        for callback in callbacks
    )


def _has_equality(node: ast.AST) -> bool:
    return any(isinstance(sub, ast.Compare) and any(isinstance(op, ast.Eq) for op in sub.ops) for sub in ast.walk(node))


def _named_callback(called: str, node: ast.Call) -> Optional[str]:
    """The name passed as the per-item function of ``node`` (``filter(allowed, docs)``,
    ``key=rank``), or None."""
    callbacks = [keyword.value for keyword in node.keywords if keyword.arg == "key"]
    if called in _PER_ITEM_CALLS and node.args:
        callbacks.append(node.args[0])
    for callback in callbacks:
        if isinstance(callback, ast.Name):
            return callback.id
    return None


def _returns_membership(function: ast.FunctionDef) -> bool:
    """A one-statement def, ``return <expression with an in test>``."""
    body = function.body
    return (
        len(body) == 1
        and isinstance(body[0], ast.Return)
        and body[0].value is not None
        and any(
            isinstance(sub, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in sub.ops)
            for sub in ast.walk(body[0].value)
        )
    )


def _append_mode(node: ast.AST) -> bool:
    """A literal file mode that appends: ``"a"``, ``"ab"``, ``"at"``, ``"a+"``."""
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and "a" in node.value
        and set(node.value) <= set("abt+")
    )


# Logging calls by level name (``logger.debug(...)``, ``logging.log(level, ...)``).
_LOG_CALLS = frozenset(
    f"{name}()" for name in ("log", "trace", "debug", "info", "warning", "warn", "error", "exception", "critical", "fatal")
)


def _formatted(node: ast.AST) -> bool:
    """A string built where it is written: an f-string, ``literal % x``, ``+`` or ``literal.format(...)``
    (the literal may be wrapped in a gettext call: ``_("...") % x``)."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, ast.Add) or (isinstance(node.op, ast.Mod) and _message_literal(node.left))
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and _message_literal(node.func.value)
    )


# gettext functions whose result is a translated message (``_`` is the conventional alias).
GETTEXT_NAMES = frozenset(
    {"_", "gettext", "gettext_lazy", "ugettext", "ugettext_lazy", "pgettext", "pgettext_lazy", "lazy_gettext", "_l"}
)


def _message_literal(node: ast.AST) -> bool:
    """A string literal, or a gettext call of one: ``"..."``, ``_("...")``, ``gettext_lazy("...")``."""
    if isinstance(node, ast.Constant):
        return True
    if not (isinstance(node, ast.Call) and node.args and not node.keywords):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return name in GETTEXT_NAMES and isinstance(node.args[-1], ast.Constant) and isinstance(node.args[-1].value, str)


def _is_read_call(node: ast.AST) -> bool:
    """``x.read()`` without arguments, or ``x.read_text()`` / ``x.read_bytes()`` (keywords only)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args):
        return False
    if node.func.attr == "read":
        return not node.keywords
    return node.func.attr in ("read_text", "read_bytes")


def _sums_onto_empty_list(node: ast.Call) -> bool:
    """``sum(x, [])`` or ``sum(x, start=[])``."""
    args, keywords = node.args, node.keywords
    if len(args) + len(keywords) != 2 or not args or isinstance(args[0], ast.Starred):
        return False
    start = args[1] if len(args) == 2 else keywords[0].value if keywords[0].arg == "start" else None
    return isinstance(start, ast.List) and not start.elts


def _reduces_onto_empty_list(node: ast.Call) -> bool:
    """``reduce(add, x, [])`` / ``reduce(lambda a, b: a + b, x, [])`` (``add`` any name ending so)."""
    args = node.args
    if len(args) != 3 or node.keywords or not (isinstance(args[2], ast.List) and not args[2].elts):
        return False
    func = args[0]
    if isinstance(func, ast.Lambda):
        return isinstance(func.body, ast.BinOp) and isinstance(func.body.op, ast.Add)
    return _last_name(func) in ("add", "concat")


def _is_string(node: ast.AST) -> bool:
    """A str or bytes literal (implicitly concatenated ones are one constant)."""
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))


def _is_front_call(method: str, node: ast.Call) -> bool:
    """``pop(0)`` or ``insert(0, x)`` with plain positional arguments."""
    args = node.args
    wanted = 1 if method == "pop" else 2 if method == "insert" else None
    if wanted is None or len(args) != wanted or node.keywords or any(isinstance(arg, ast.Starred) for arg in args):
        return False
    return _is_integer(args[0]) and args[0].value == 0


def _compare(node: ast.Compare, aliases: dict[str, str]) -> list[str]:
    found = []
    for op, comparator in zip(node.ops, node.comparators):
        if isinstance(op, (ast.In, ast.NotIn)):
            found.append("in")
            if isinstance(comparator, ast.Name):
                found.append("in:" + comparator.id)
            elif isinstance(comparator, ast.Attribute) and isinstance(comparator.value, ast.Name):
                found.append("in:." + comparator.attr)
                found.append("in-attr")
            elif _is_view_call(comparator):
                found.append("in-values")
            elif isinstance(comparator, ast.ListComp) or (
                isinstance(comparator, ast.Call) and "list()" in _called(comparator, aliases)
            ):
                found.append("in-new-list")
        elif isinstance(op, ast.Eq):
            found.append("==")
    return found


def _is_view_call(node: ast.expr) -> bool:
    """``x.values()``: what ``in`` scans item by item on a dict (``in d.items()`` looks the
    key up, like ``in d``)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "values"
        and not node.args
        and not node.keywords
    )


def _binop(node: ast.BinOp, aliases: dict[str, str]) -> list[str]:
    return ["+"] if isinstance(node.op, ast.Add) else []


def _augassign(node: ast.AugAssign, aliases: dict[str, str]) -> list[str]:
    target = node.target
    if not isinstance(target, ast.Name):
        return ["+", "attr+="] if isinstance(node.op, ast.Add) else []
    if isinstance(node.op, ast.Add):
        return ["+", "x+=", "grow:" + target.id, "augadd:" + target.id, "aug:" + target.id]
    return ["aug:" + target.id]


def _assign(node: ast.Assign, aliases: dict[str, str]) -> list[str]:
    if len(node.targets) == 1 and _is_name_attribute(node.targets[0]):
        attribute = "." + node.targets[0].attr  # type: ignore[attr-defined]
        found = [kind for kind in _bound_to(attribute, node.value, aliases) if kind.startswith(("=str:", "=bytes:"))]
        if _is_self_addition(node) or _fstring_extends(node.targets[0], node.value):
            found.append("grow:" + attribute)
        if _rebuilds(node.targets[0], node.value):  # type: ignore[arg-type]
            found.append("x=f(x)")  # ``self.df = pd.concat([self.df, part])``
        return found
    if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
        return []
    name = node.targets[0].id
    found = _bound_to(name, node.value, aliases)
    if _rebuilds(name, node.value):
        found.append("x=f(x)")
    if _is_head_cut(name, node.value):
        found.append("head-cut")
    if _is_self_addition(node):
        found += ["x=x+", "grow:" + name]
    elif _fstring_extends(node.targets[0], node.value):
        found.append("grow:" + name)  # ``s = f"{s}{part}"``
    return found


def _last_name(node: Optional[ast.AST]) -> Optional[str]:
    """``environ`` for ``os.environ`` or ``environ``."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def _compiles_built_source(node: ast.Call) -> bool:
    """``compile(source, filename, mode)`` (the builtin's three arguments), or a ``compile``
    whose first argument is built by an expression (``re.compile("|".join(words))``): a
    literal or a name is a pattern ``re``'s own cache absorbs."""
    if len(node.args) >= 3:
        return True
    return bool(node.args) and not isinstance(node.args[0], (ast.Name, ast.Attribute, ast.Constant, ast.Starred))


def _is_head_cut(name: str, value: ast.expr) -> bool:
    """``name = name[k:]``: a slice with a start and nothing else."""
    if not (isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name) and value.value.id == name):
        return False
    cut = value.slice
    return isinstance(cut, ast.Slice) and cut.lower is not None and cut.upper is None and cut.step is None


def _annassign(node: ast.AnnAssign, aliases: dict[str, str]) -> list[str]:
    if node.value is None or not isinstance(node.target, ast.Name):
        return []
    return _bound_to(node.target.id, node.value, aliases)


def _bound_to(name: str, value: ast.expr, aliases: dict[str, str]) -> list[str]:
    """``"=kind:name"`` for what a single-name assignment binds: a str literal, a list
    (empty or not), a tuple or a set."""
    kind = type(value)
    if kind is ast.Constant:
        if isinstance(value.value, bytes):
            return ["=bytes:" + name]
        return ["=str:" + name] if isinstance(value.value, str) else []
    if kind is ast.JoinedStr:
        return ["=str:" + name]
    if kind is ast.List:
        return ["=list:" + name] if value.elts else ["=list:" + name, "=empty-list:" + name]
    if kind is ast.ListComp:
        return ["=list:" + name]
    if kind is ast.Tuple:
        return ["=tuple:" + name]
    if kind is ast.Set or kind is ast.SetComp:
        return ["=set:" + name]
    if kind is not ast.Call:
        return []
    found = []
    called = _called(value, aliases)
    if "list()" in called or "sorted()" in called:
        found.append("=list:" + name)
        if "list()" in called and not value.args and not value.keywords:
            found.append("=empty-list:" + name)
    if "tuple()" in called:
        found.append("=tuple:" + name)
    if "bytes()" in called:
        found.append("=bytes:" + name)
    if "set()" in called or "frozenset()" in called:
        found.append("=set:" + name)
    return found


def _rebuilds(name: "str | ast.Attribute", value: ast.expr) -> bool:
    """``x = f(x, ...)``, ``x = f([x, y])``, ``x = x.m(...)``, ``x = g[x, y]``: a name (or
    ``self.x``) rebound to a new object built from itself (an accumulator copied on every step);
    either branch of ``x = y if x is None else f([x, y])``."""
    if isinstance(value, ast.IfExp):
        return _rebuilds(name, value.body) or _rebuilds(name, value.orelse)
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Attribute) and _is_ref(func.value, name):
            return True
        candidates = value.args
    elif isinstance(value, ast.Subscript):
        candidates = value.slice.elts if isinstance(value.slice, ast.Tuple) else [value.slice]
    else:
        return False
    for arg in candidates:
        if _is_ref(arg, name):
            return True
        if isinstance(arg, (ast.List, ast.Tuple)) and any(_is_ref(element, name) for element in arg.elts):
            return True
    return False


def _is_ref(node: ast.expr, name: "str | ast.Attribute") -> bool:
    """``node`` is the name ``name``, or the same ``self.x`` as the attribute ``name``."""
    if isinstance(name, str):
        return isinstance(node, ast.Name) and node.id == name
    return (
        _is_name_attribute(node)
        and node.attr == name.attr  # type: ignore[attr-defined]
        and node.value.id == name.value.id  # type: ignore[attr-defined]
    )


def _subscript(node: ast.Subscript, aliases: dict[str, str]) -> list[str]:
    if isinstance(node.ctx, ast.Store):
        value = node.value
        if isinstance(value, ast.Attribute) and value.attr == "loc" and isinstance(node.slice, ast.Call):
            if "len()" in _called(node.slice, aliases):
                return ["[]=", "loc-len"]
        return ["[]="]
    value, index = node.value, node.slice
    if _last_name(value) == "environ":
        return ["environ[]"]
    if isinstance(value, ast.Call) and "sorted()" in _called(value, aliases):
        if _is_integer(index) and index.value == 0:
            return ["sorted-end"]
        if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub) and _is_integer(index.operand):
            return ["sorted-end"] if index.operand.value == 1 else []
    return []


def _list(node: ast.List | ast.ListComp, aliases: dict[str, str]) -> list[str]:
    return ["[...]", "[]"] if isinstance(node, ast.List) and not node.elts else ["[...]"]


def _for(node: ast.For | ast.AsyncFor | ast.comprehension, aliases: dict[str, str]) -> list[str]:
    found = ["loop", "for"] if not isinstance(node, ast.comprehension) else []
    iterable = node.iter
    if isinstance(iterable, ast.Call) and "list()" in _called(iterable, aliases):
        args = iterable.args
        if len(args) == 1 and not iterable.keywords and isinstance(args[0], ast.Name):
            found.append("list-iter:" + args[0].id)
    if isinstance(node, ast.comprehension):
        return found
    body = node.body
    if len(body) == 1 and isinstance(body[0], ast.If) and not body[0].orelse and _tests_equality(body[0].test):
        found.append("join-body")
        if isinstance(body[0].body[-1], ast.Return):
            found.append("return-scan")  # ``for x in xs: if x.k == k: return x``
    elif (
        len(body) == 1
        and isinstance(body[0], ast.If)
        and not body[0].orelse
        and isinstance(body[0].body[-1], ast.Return)
        and _tests_equality(body[0].test, identity=True)
    ):
        found.append("return-scan")  # ``for i, b in enumerate(bs): if b is block: return i``
    elif len(body) > 1 and _skips_unequal(body[0]):
        found.append("join-body")  # ``if a != b: continue`` then the pair's work
    if isinstance(node, ast.For) and not node.orelse:
        receiver = _appended_to(node.body)
        if receiver is not None:
            found += ["append-loop", "append-loop:" + receiver]
        if _writes_one_item(node.body, aliases):
            found.append("write-loop")
    pair = _items_pair(node)
    if pair is not None and not _reads_both(node, pair):
        found.append("items-pair")
    return found


def _appended_to(body: list[ast.stmt]) -> str | None:
    """``out`` for a loop body that is one ``out.append(x)`` (under at most one ``if``)."""
    if len(body) == 1 and isinstance(body[0], ast.If) and not body[0].orelse:
        body = body[0].body
    if len(body) != 1 or not isinstance(body[0], ast.Expr) or not isinstance(body[0].value, ast.Call):
        return None
    call = body[0].value
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "append" and isinstance(func.value, ast.Name)):
        return None
    if len(call.args) != 1 or call.keywords or isinstance(call.args[0], ast.Starred):
        return None
    return func.value.id


def _writes_one_item(body: list[ast.stmt], aliases: dict[str, str]) -> bool:
    """A loop body that is one ``f.write(x)`` or one ``print(..., file=f)``."""
    if len(body) != 1 or not isinstance(body[0], ast.Expr) or not isinstance(body[0].value, ast.Call):
        return False
    call = body[0].value
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "write" and isinstance(func.value, ast.Name):
        if len(call.args) == 1 and not call.keywords and not isinstance(call.args[0], ast.Starred):
            return True
    return "print()" in _called(call, aliases) and any(
        keyword.arg == "file" and isinstance(keyword.value, ast.Name) for keyword in call.keywords
    )


def _tests_equality(test: ast.expr, identity: bool = False) -> bool:
    """``a == b`` (with ``identity``, also ``a is b``), alone or as an operand of ``and``."""
    if isinstance(test, ast.BoolOp):
        return isinstance(test.op, ast.And) and any(_tests_equality(value, identity) for value in test.values)
    operators = (ast.Eq, ast.Is) if identity else (ast.Eq,)
    return isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], operators)


def _filter_scan(node: ast.Call) -> bool:
    """``next(filter(lambda p: p.k == x, seq), ...)``."""
    inner = node.args[0] if node.args else None
    return (
        isinstance(inner, ast.Call)
        and isinstance(inner.func, ast.Name)
        and inner.func.id == "filter"
        and len(inner.args) == 2
        and isinstance(inner.args[0], ast.Lambda)
        and _tests_equality(inner.args[0].body, identity=True)
    )


def _scans_for_equality(node: ast.ListComp | ast.SetComp | ast.GeneratorExp) -> bool:
    """A one-``for`` comprehension filtering on ``==`` or ``is`` (alone or under ``and``), or a
    generator whose item is an ``==`` / ``!=`` test (``any(p.k == x for p in seq)``)."""
    if any(_tests_equality(test, identity=True) for test in node.generators[0].ifs):
        return True
    elt = node.elt
    return (
        isinstance(node, ast.GeneratorExp)
        and isinstance(elt, ast.Compare)
        and len(elt.ops) == 1
        and isinstance(elt.ops[0], (ast.Eq, ast.NotEq))
    )


def _items_pair(node: ast.For | ast.AsyncFor | ast.comprehension) -> tuple[str, str] | None:
    """The two names of ``for a, b in x.items()``."""
    iterable, target = node.iter, node.target
    if not (
        isinstance(iterable, ast.Call)
        and not iterable.args
        and not iterable.keywords
        and isinstance(iterable.func, ast.Attribute)
        and iterable.func.attr == "items"
        and isinstance(target, ast.Tuple)
        and len(target.elts) == 2
        and all(isinstance(element, ast.Name) for element in target.elts)
    ):
        return None
    first, second = target.elts[0].id, target.elts[1].id  # type: ignore[attr-defined]
    return (first, second) if first != second else None


def _reads_both(loop: ast.For | ast.AsyncFor, pair: tuple[str, str]) -> bool:
    """Whether the loop reads both names outside comprehensions (which may bind them anew)."""
    unread = set(pair)
    stack: list[ast.AST] = [loop.iter, *loop.body, *loop.orelse]
    while stack and unread:
        node = stack.pop()
        if isinstance(node, _COMPREHENSIONS):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            unread.discard(node.id)
        stack.extend(ast.iter_child_nodes(node))
    return not unread


def _skips_unequal(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.If)
        and not statement.orelse
        and isinstance(statement.test, ast.Compare)
        and len(statement.test.ops) == 1
        and isinstance(statement.test.ops[0], ast.NotEq)
        and len(statement.body) == 1
        and isinstance(statement.body[0], ast.Continue)
    )


def _comprehension(node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp, aliases) -> list[str]:
    generators = node.generators
    found = ["loop", "for", "nested-loop"] if len(generators) > 1 else ["loop", "for"]
    if len(generators) == 2 and any(_tests_equality(test) for test in generators[1].ifs):
        found.append("join-loop")
    elif len(generators) == 1 and not isinstance(node, ast.DictComp) and _scans_for_equality(node):
        found.append("eq-scan")
    for generator in generators:
        pair = _items_pair(generator)
        if pair is not None:
            mentions = [sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name) and sub.id in pair]
            if min(mentions.count(pair[0]), mentions.count(pair[1])) < 2:
                found.append("items-pair")
    if not isinstance(node, ast.GeneratorExp) and _over_constant(generators[0].iter):
        found.append("const-comp")
    return [*found, *_list(node, aliases)] if isinstance(node, ast.ListComp) else found


_COLLECTORS = frozenset({"set()", "frozenset()", "dict()", "list()", "tuple()"})


def _over_constant(iterable: ast.AST) -> bool:
    """``CONST``, ``CONST.items()`` (keys, values) or ``sorted(CONST)`` / ``enumerate(CONST)``:
    a name spelled as a module constant."""
    if isinstance(iterable, ast.Call) and not iterable.keywords:
        func = iterable.func
        if isinstance(func, ast.Attribute) and func.attr in ("items", "keys", "values") and not iterable.args:
            iterable = func.value
        elif isinstance(func, ast.Name) and func.id in ("sorted", "enumerate") and len(iterable.args) == 1:
            iterable = iterable.args[0]
    if not isinstance(iterable, ast.Name):
        return False
    stripped = iterable.id.lstrip("_")
    return bool(stripped) and stripped.upper() == stripped and any(c.isalpha() for c in stripped)


def _delete(node: ast.Delete, aliases: dict[str, str]) -> list[str]:
    """``"del[0]"`` for ``del name[0]`` and ``del name.attribute[0]``; ``"del[i]"`` for
    ``del name[i]`` and ``del name.attribute[i]`` (a computed position)."""
    found: list[str] = []
    for target in node.targets:
        if isinstance(target, ast.Subscript) and (
            isinstance(target.value, ast.Name) or _is_name_attribute(target.value)
        ):
            if _is_integer(target.slice) and target.slice.value == 0:
                found.append("del[0]")
            elif isinstance(target.slice, ast.Name):
                found.append("del[i]")
    return found


_FEATURES = {
    ast.Delete: _delete,
    ast.Call: _call,
    ast.Compare: _compare,
    ast.BinOp: _binop,
    ast.AugAssign: _augassign,
    ast.Assign: _assign,
    ast.AnnAssign: _annassign,
    ast.Await: lambda node, aliases: ["await"],
    ast.Subscript: _subscript,
    ast.List: _list,
    ast.While: lambda node, aliases: ["loop"],
    ast.For: _for,
    ast.AsyncFor: _for,
    ast.comprehension: _for,
    **{kind: _comprehension for kind in _COMPREHENSIONS},
}
# Fields that never hold a node (names, flags, contexts and operators), and per node
# class the fields left to walk.
_SCALAR_FIELDS = frozenset(
    {"id", "attr", "name", "arg", "ctx", "op", "ops", "kind", "type_comment", "level", "module",
     "is_async", "conversion", "simple", "names", "lineno", "col_offset", "end_lineno", "end_col_offset"}
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}
# Nodes with nothing under them that any feature reads: contexts and operators, names and
# constants (features read them from their parents).
_LEAVES = frozenset(
    {
        *(kind for base in (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
          for kind in base.__subclasses__()),
        ast.Name,
        ast.Constant,
    }
)


def _is_self_addition(node: ast.Assign) -> bool:
    """``x = x + ...`` (also ``x = x + a + b``), or ``x = ... + x`` (prepending): one name
    target, added to on the left or as the last right operand; ``self.x = self.x + ...``
    for an attribute target."""
    if len(node.targets) != 1:
        return False
    target = node.targets[0]
    value = node.value
    if not (isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add)):
        return False
    if _is_name_attribute(target):
        while isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
            value = value.left
        return (
            _is_name_attribute(value)
            and value.attr == target.attr  # type: ignore[attr-defined]
            and value.value.id == target.value.id  # type: ignore[attr-defined]
        )
    if not isinstance(target, ast.Name):
        return False
    name = target.id
    if isinstance(value.right, ast.Name) and value.right.id == name:
        return True
    while isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        value = value.left
    return isinstance(value, ast.Name) and value.id == name


def _fstring_extends(target: ast.expr, value: ast.expr) -> bool:
    """``x = f"{x}..."`` (or ``self.x = f"{self.x}..."``): an f-string that starts with the
    target's old value, plain (no conversion, no format spec)."""
    if not isinstance(value, ast.JoinedStr) or len(value.values) < 2:
        return False
    first = value.values[0]
    if not isinstance(first, ast.FormattedValue) or first.conversion != -1 or first.format_spec is not None:
        return False
    old = first.value
    if isinstance(target, ast.Name):
        return isinstance(old, ast.Name) and old.id == target.id
    return (
        _is_name_attribute(target)
        and _is_name_attribute(old)
        and old.attr == target.attr  # type: ignore[attr-defined]
        and old.value.id == target.value.id  # type: ignore[attr-defined]
    )


def _is_number(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex)) and not isinstance(node.value, bool)


def _is_name_attribute(node: ast.expr) -> bool:
    """``name.attribute`` (``self.body``)."""
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
