"""The catalogue of pure, costly calls that PF305 and PF306 look for (not a rule module).

Each entry is a qualified name (as ``FileContext.qualified_name`` resolves it
through the imports) with the cost of one call, measured with ``timeit`` on
the reference machine (Python 3.11.7, two cores; best of five runs of an
autoranged loop, the inputs described in ``what``). The script is
``benchmarks/invariant_call_costs.py``; the figures below are its output.

``fresh``: the call returns a new mutable object each time (a dict, an element
tree, an array). Code that mutates or keeps that object needs its own copy per
iteration or per call, so a fix that shares one object is offered only when
the result is provably only read.

``reads_file``: the call reads a file; the file may change between iterations
(a model retrained, a template edited), so in a loop it is reported only in a
``for`` loop or comprehension (a ``while`` loop may be polling on purpose).

``stdlib``: a call that can be run on literal arguments at lint time to
prove that a module constant built from them cannot raise at import.

The helpers at the bottom decide whether an argument expression is the same
on every iteration of a loop (``invariant_in_loop``) or on every call of a
function (``constant_expr``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Optional

import libcst as cst
from perflint.analysis import ScopeIndex, bound_names, iter_nodes, mutated_names, stored_names  # noqa: F401
from perflint.repetition import REQUEST_STATE
from perflint.source import parse_ast


@dataclass(frozen=True)
class Entry:
    cost_us: float  # measured per-call cost in microseconds
    what: str  # the measured input
    fresh: bool = False
    reads_file: bool = False
    stdlib: bool = False
    # The arguments that decide the costly part (positions and keyword names), when the others
    # may vary: ``jsonschema.validate(instance, schema)`` rebuilds a validator for ``schema``.
    # Such a call gets no fix (its result is not the part that could be kept).
    key_args: tuple = ()
    label: str = ""  # how a message names it, instead of ``name(...)``


def _entries(names, **kwargs):
    return {name: Entry(**kwargs) for name in names}


CATALOGUE: dict[str, Entry] = {
    # Parsers of an in-memory document: a fresh object each time.
    "json.loads": Entry(5.29, "a 400-byte JSON document", fresh=True, stdlib=True),
    **_entries(("yaml.safe_load", "yaml.load", "yaml.full_load"), cost_us=1187.68, what="a 400-byte YAML document", fresh=True),
    "tomllib.loads": Entry(48.79, "a six-line TOML document", fresh=True, stdlib=True),
    **_entries(("tomli.loads", "toml.loads"), cost_us=48.79, what="as tomllib.loads", fresh=True),
    "ast.parse": Entry(28.37, "a 60-character expression", fresh=True, stdlib=True),
    # Parses the string and walks the tree on every call (8.24 us on a shared box for a three-entry
    # dict literal; the lookup it replaces costs about 0.05 us).
    "ast.literal_eval": Entry(8.24, "a three-entry dict literal (shared box)", fresh=True, stdlib=True),
    "builtins.compile": Entry(24.34, "a 60-character expression", stdlib=True),
    **_entries(
        ("xml.etree.ElementTree.fromstring", "xml.etree.ElementTree.XML"),
        cost_us=16.91, what="a 15-element document", fresh=True, stdlib=True,
    ),
    **_entries(("lxml.etree.fromstring", "lxml.etree.XML"), cost_us=13.54, what="a 15-element document", fresh=True),
    "lxml.etree.XPath": Entry(3.13, "a 4-step path"),
    "lxml.etree.XSLT": Entry(9.60, "a one-template stylesheet, already parsed"),
    "lxml.etree.parse": Entry(13.54, "a 15-element file", fresh=True, reads_file=True),
    "jinja2.Template": Entry(927.09, "a three-line template with a loop"),
    "jinja2.Environment": Entry(2.72, "no arguments (templates loaded through it cost more)"),
    **_entries(("datetime.datetime.strptime", "time.strptime"), cost_us=7.26, what="an ISO date", stdlib=True),
    "builtins.str.maketrans": Entry(0.25, "a six-entry mapping", stdlib=True),
    "builtins.bytes.maketrans": Entry(0.25, "as str.maketrans", stdlib=True),
    "hashlib.pbkdf2_hmac": Entry(1829.92, "SHA-256, 10,000 iterations"),
    "hashlib.scrypt": Entry(50404.20, "n=2**14, r=8, p=1"),
    "numpy.linalg.inv": Entry(74.85, "a 50x50 matrix", fresh=True),
    "numpy.linalg.pinv": Entry(112042.27, "a 50x50 matrix", fresh=True),
    "numpy.linalg.det": Entry(21.46, "a 50x50 matrix"),
    "scipy.linalg.inv": Entry(74.85, "as numpy.linalg.inv", fresh=True),
    **_entries(
        tuple(
            f"jsonschema.{name}"
            for name in (
                "Draft202012Validator", "Draft201909Validator", "Draft7Validator", "Draft6Validator",
                "Draft4Validator", "Draft3Validator",
            )
        ),
        cost_us=4.33, what="a three-property schema (validating with it costs more)",
    ),
    # Checks the schema against its metaschema and builds a validator on every call.
    "jsonschema.validate": Entry(
        3430.6, "a three-property schema; the same check with a prebuilt validator took 104 (shared box)",
        key_args=(1, "schema"), label="The validator `jsonschema.validate(...)` builds (checking the schema first)",
    ),
    "pydantic.TypeAdapter": Entry(49.67, "TypeAdapter(list[Model]) for a two-field model"),
    "markdown.Markdown": Entry(147.20, "four extensions"),
    "joblib.load": Entry(274.48, "a small scikit-learn model", fresh=True, reads_file=True),
    "pickle.load": Entry(48.58, "a 1,000-int dict from a file", fresh=True, reads_file=True),
    # A settings file opened and parsed again (``json.load(open(CONFIG_PATH))``): 49 us for a
    # 364-byte file on the shared box, against 0.09 us to read a key of the loaded dict.
    "json.load": Entry(49.0, "a 364-byte JSON file (shared box)", fresh=True, reads_file=True),
    "tomllib.load": Entry(608.0, "a 59-line pyproject.toml (shared box)", fresh=True, reads_file=True),
    # Private key material parsed again: cryptography 48 checks an RSA key's consistency on every
    # load (38,047 us for an RSA-2048 PKCS#8 PEM key, 13.2 us for an EC P-256 one, on the shared box).
    **_entries(
        tuple(
            f"cryptography.hazmat.primitives.serialization.load_{form}_private_key"
            for form in ("pem", "der", "ssh")
        ),
        cost_us=38046.8, what="an RSA-2048 PKCS#8 key (an EC P-256 key: 13.2; shared box)",
    ),
    "re.compile": Entry(30.31, "a pattern joined from 50 escaped words (a literal pattern is 0.23: re's cache)"),
}
# ``int(os.environ.get(...))``: the environment read and parsed again.
ENVIRON_PARSE = Entry(0.28, "int(os.environ.get('X', '2'))")
ENVIRON_PARSERS = {"builtins.int", "builtins.float", "builtins.bool"}
ENVIRON_READS = {"os.environ.get", "os.getenv"}
# A set/dict/list comprehension over a module constant.
COMPREHENSION = Entry(11.17, "a set comprehension over 120 module-level strings", fresh=True)
# The last component of every catalogued name: a call must spell it (aliases such as
# ``from json import loads as parse`` are left alone, so these stay a superset of matches).
SPELLINGS = frozenset(name.rpartition(".")[2] for name in CATALOGUE) | {"int", "float", "bool"}
_CALLS = tuple(f"{name}(" for name in sorted(SPELLINGS - {"int", "float", "bool"})) + ("environ", "getenv(")
# ``in SORTED_CODES``, ``in sorted(_RULES)``: what a comprehension over a module constant spells.
_OVER_CONSTANT = re.compile(r"in[ \t]+(?:sorted\(|enumerate\()?_*[A-Z][A-Z0-9_]*\b(?!\()")


def may_spell_catalogued(text: str) -> bool:
    """The text prefilter of PF305 and PF306: a catalogued call spelled ``name(`` (``int()`` and
    friends only count with the environment read they parse), or a comprehension over a name
    written as a constant. Checked before the piece's ``ast`` shape, which says the same
    precisely: most functions spell none of them, and skipping the shape walk is the point."""
    return any(call in text for call in _CALLS) or ("for" in text and _OVER_CONSTANT.search(text) is not None)


def call_needs(prefix: str = "") -> tuple:
    """The prefilter's ``needs`` for a catalogued call (``prefix`` ``"@"``: anywhere in the
    piece, not only in a loop). ``int()``, ``float()`` and ``bool()`` count only together with
    the environment read they parse (``environ.get()``/``getenv()``): alone they are everywhere; a
    ``compile()`` only with the arguments ``catalogued`` accepts."""
    parsers = ("int", "float", "bool")
    calls = [f"{prefix}{name}()" for name in sorted(SPELLINGS) if name not in (*parsers, "compile")]
    calls.append(f"{prefix}compile(built)")  # see ``catalogued``: a literal pattern is not one
    reads = ("environ.get()", "getenv()", "environ[]")
    environ = [(f"{prefix}{parse}()", f"{prefix}{read}") for parse in parsers for read in reads]
    return (*calls, *environ)

# Calls that may appear inside the arguments of a catalogued call without making them vary.
PURE_HELPERS = {
    "os.environ.get", "os.getenv", "re.escape", "builtins.str", "builtins.int", "builtins.float", "builtins.len",
    "builtins.tuple", "builtins.sorted", "builtins.frozenset", "builtins.map", "builtins.list", "builtins.dict",
    "builtins.open", "numpy.linalg.cholesky", "numpy.transpose", "numpy.asarray", "numpy.array",
    "pathlib.Path", "os.path.join",
}
# Methods of a string literal that build a new string: ``"|".join(...)``.
STRING_METHODS = {"join", "format", "strip", "lower", "upper", "replace", "encode"}
# Argument-free conversions of a str/bytes value (no mutating method of a builtin has these names).
TEXT_CONVERSIONS = frozenset({"encode", "decode", "lower", "upper", "casefold", "strip"})
LITERALS = (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float, cst.Imaginary)


def catalogued(context, call: cst.Call) -> Optional[tuple[str, Entry]]:
    """``(qualified name, entry)`` when the call is in the catalogue, spelled with its own name or
    with the alias it was imported under (``from yaml import safe_load as yload``)."""
    if any(arg.star for arg in call.args):
        return None
    func = call.func
    spelled = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    if spelled not in SPELLINGS and not (
        isinstance(func, cst.Name) and (context.facts.imports.get(spelled) or "").rpartition(".")[2] in SPELLINGS
    ):
        return None
    qualified = context.call_name(call)
    if qualified is None:
        return None
    entry = CATALOGUE.get(qualified)
    if entry is None and qualified in ENVIRON_PARSERS and _parses_environ(context, call):
        return qualified, ENVIRON_PARSE
    if entry is None:
        return None
    if qualified == "re.compile":
        # re's own cache absorbs a literal or named pattern (PF301/PF304): only a built one counts.
        pattern = call.args[0].value if call.args and call.args[0].keyword is None else None
        if pattern is None or isinstance(pattern, (cst.Name, cst.Attribute, *LITERALS)):
            return None
    if qualified == "builtins.compile" and len(call.args) < 3:
        return None  # compile(source, filename, mode): anything else is not the builtin's use
    if entry.reads_file and qualified == "pickle.load":
        # pickle.load(f) reads on from the file's position: only pickle.load(open(path, "rb")).
        arg = call.args[0].value if call.args else None
        if not (isinstance(arg, cst.Call) and context.call_name(arg) in ("builtins.open", "io.open")):
            return None
    return qualified, entry


def key_arguments(entry: Entry, call: cst.Call) -> Optional[list]:
    """The call's arguments that must stay the same for the finding: all of them, or only the
    entry's ``key_args`` (None when the call passes none of those)."""
    if not entry.key_args:
        return [arg.value for arg in call.args]
    found = []
    position = 0
    for arg in call.args:
        if arg.keyword is None:
            if position in entry.key_args:
                found.append(arg.value)
            position += 1
        elif arg.keyword.value in entry.key_args:
            found.append(arg.value)
    return found or None


def _parses_environ(context, call: cst.Call) -> bool:
    """``int(os.environ.get("X", "2"))``: one argument, an environment read with literal arguments."""
    if len(call.args) != 1 or call.args[0].keyword is not None:
        return False
    inner = call.args[0].value
    if isinstance(inner, cst.Subscript):
        return context.qualified_name(inner.value) == "os.environ"
    if not isinstance(inner, cst.Call) or context.call_name(inner) not in ENVIRON_READS:
        return False
    return all(_is_literal(arg.value) or _constant_item(context, arg.value) for arg in inner.args)


def _constant_item(context, node: cst.CSTNode) -> bool:
    """A module constant, or an item of one under literal keys (``DEFAULTS["limits"]["max"]``)."""
    while isinstance(node, cst.Subscript):
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return False
        if not _is_literal(node.slice[0].slice.value):
            return False
        node = node.value
    return _module_constant(context, node)


def _is_literal(node: cst.CSTNode) -> bool:
    if isinstance(node, LITERALS):
        return True
    if isinstance(node, cst.Name):
        return node.value in ("True", "False", "None")
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        return all(isinstance(e, cst.Element) and _is_literal(e.value) for e in node.elements)
    if isinstance(node, cst.Dict):
        return all(isinstance(e, cst.DictElement) and _is_literal(e.key) and _is_literal(e.value) for e in node.elements)
    if isinstance(node, cst.UnaryOperation):
        return _is_literal(node.expression)
    return False


# --- module constants ---------------------------------------------------------------


def _globals_declared(tree: Optional[ast.Module]) -> frozenset[str]:
    """Names some function of the module declares ``global`` (and so may rebind)."""
    if tree is None:
        return frozenset()
    cached = _GLOBALS.get(id(tree))
    if cached is not None and cached[0] is tree:
        return cached[1]
    names = frozenset(name for node in ast.walk(tree) if isinstance(node, ast.Global) for name in node.names)
    _GLOBALS.clear()
    _GLOBALS[id(tree)] = (tree, names)
    return names


_GLOBALS: dict[int, tuple[ast.Module, frozenset[str]]] = {}


# Imported objects that hold the current request's state: a different value on every request.
PER_REQUEST = REQUEST_STATE


def per_request(context, node: cst.CSTNode) -> bool:
    """``request.data`` with ``from flask import request``: a context-local proxy, not a constant."""
    qualified = context.qualified_name(node) if isinstance(node, (cst.Name, cst.Attribute)) else None
    return qualified is not None and any(qualified == p or qualified.startswith(p + ".") for p in PER_REQUEST)


def _module_constant(context, node: cst.CSTNode) -> bool:
    """A name the module binds (not the function), that no function declares ``global``,
    or an import (``re.IGNORECASE``, ``np.pi``), except a request proxy (``flask.request``)."""
    if per_request(context, node):
        return False
    if isinstance(node, cst.Attribute):
        return context.qualified_name(node) is not None
    if not isinstance(node, cst.Name):
        return False
    name = node.value
    if context.is_local(name):
        return False
    facts = context.facts
    if name in facts.imports or (is_constant_name(name) and name in _relative_imports(facts)):
        return True
    return name in facts.own_names and name not in _globals_declared(facts.tree)


def _relative_imports(facts) -> frozenset[str]:
    """Names bound by ``from .settings import BANNED_WORDS`` (not in ``facts.imports``, which
    holds absolute imports only); a constant-named one is a constant of a sibling module."""
    names = facts.__dict__.get("_perflint_relative_imports")
    if names is None:
        found = set()
        for node in getattr(facts.tree, "body", ()):
            if isinstance(node, ast.ImportFrom) and node.level:
                found.update(alias.asname or alias.name for alias in node.names if alias.name != "*")
        names = frozenset(found)
        facts.__dict__["_perflint_relative_imports"] = names
    return names


def is_constant_name(name: str) -> bool:
    """Named as a constant: ``STOPWORDS``, ``_RULES``."""
    stripped = name.lstrip("_")
    return bool(stripped) and stripped.upper() == stripped and any(c.isalpha() for c in stripped)


def constant_expr(context, node: cst.CSTNode, early_only: bool = False, index: Optional[ScopeIndex] = None,
                  call: Optional[cst.CSTNode] = None) -> bool:
    """Is the expression the same whenever it runs: literals, module constants, imports,
    and pure helpers of those? With ``early_only``, also computable where a new module
    constant is inserted (after the imports): literals and imported names only. With the
    function's ``index`` (and the ``call`` being checked), also a local bound once to such an
    expression and never changed (``pattern = "|".join(TERMS)``, then ``re.compile(pattern)``)."""
    following: set[str] = set()  # locals being resolved: a cycle guard
    proven: set[str] = set()  # locals already shown constant (``fmt.format(safe, safe)`` reads one twice)

    def ok(expr: cst.CSTNode) -> bool:
        if _is_literal(expr):
            return True
        if isinstance(expr, cst.Name) and index is not None and not early_only and context.is_local(expr.value):
            name = expr.value
            if name in proven:
                return True
            if name in following:
                return False
            if _closure_constant(context, index, name):
                return True
            value = _single_value(index, name, call)
            if value is None:
                return False
            following.add(name)
            found = ok(value) or _catalogued_of_constants(value)
            following.discard(name)
            if found:
                proven.add(name)
            return found
        if not early_only and _class_literal(context, expr):
            return True
        if isinstance(expr, (cst.Name, cst.Attribute)):
            if per_request(context, expr):
                return False
            if early_only:
                head = expr
                while isinstance(head, cst.Attribute):
                    head = head.value
                qualified = context.qualified_name(expr)
                if qualified is None or not isinstance(head, cst.Name):
                    return False
                return head.value in context.facts.imported_early or qualified.startswith("builtins.")
            if _module_constant(context, expr) or context.qualified_name(expr) is not None:
                return True
            return isinstance(expr, cst.Attribute) and ok(expr.value)
        return _composite(context, expr, ok)

    def _catalogued_of_constants(value: cst.CSTNode) -> bool:
        # ``tree = ast.parse(RULE)``, then ``compile(tree, ...)``: a local holding a catalogued
        # result of constant inputs is the same object's worth on every call (reported on its own)
        if not isinstance(value, cst.Call):
            return False
        found = catalogued(context, value)
        args = key_arguments(found[1], value) if found is not None else None
        return args is not None and all(ok(arg) for arg in args)

    return ok(node)


def _closure_constant(context, index: ScopeIndex, name: str) -> bool:
    """A free variable of the current function, bound by an enclosing function: the same on every
    call of this closure (a view decorator's ``schema`` read by its wrapper), unless the function
    declares it ``nonlocal`` or changes its object in place (``schema.update(...)``, an item or
    attribute store). Handing it to a call is taken as a read: a decorator's arguments are its
    configuration (a validator class given the schema does not change it). Only the current
    function's own reason to run repeatedly counts (a nested def gets no reason from the def
    around it), so the enclosing function has already run when it is called again."""
    function = context.function
    if function is None or function.node is not index.root or name in function.local_names:
        return False
    if name in ("self", "cls"):
        return False  # an enclosing method's object: its attributes may change between calls
    if name in index.own_declared or index.reads_dynamically:
        return False
    if not any(name in scope.local_names for scope in context.scopes[:-1] if scope.kind == "function"):
        return False
    body = getattr(index.root, "body", None)
    return body is not None and name not in _changed_in_place(body)


def _changed_in_place(node: cst.CSTNode) -> set[str]:
    """Names whose object the subtree changes itself: the receiver of a method that is not a
    reading one (``x.update()``), or an item or attribute stored or deleted."""
    names = stored_names(node)
    for sub in iter_nodes(node):
        if isinstance(sub, cst.Call) and isinstance(sub.func, cst.Attribute) and isinstance(sub.func.value, cst.Name):
            if sub.func.attr.value not in _READING_METHODS:
                names.add(sub.func.value.value)
    return names


def _single_value(index: ScopeIndex, name: str, call: Optional[cst.CSTNode]) -> Optional[cst.CSTNode]:
    """The value of a plain local bound by one ``name = value`` and not changed elsewhere in the
    function (no item or attribute store, no changing method, not handed to a call other than
    ``call``), or None."""
    bindings = index.bindings.get(name, [])
    if len(bindings) != 1 or bindings[0].kind != "assign" or bindings[0].value is None:
        return None
    if not index.is_plain_local(name) or name in index.closure_names or index.reads_dynamically:
        return None
    body = getattr(index.root, "body", None)
    if body is None:
        return None
    if _string_valued(bindings[0].value):
        # A str or number cannot be changed by a call it is handed to (``fragment = "[%s]*" % safe``,
        # then ``pattern.format(fragment)``): only rebinding could, and there is one binding.
        return bindings[0].value
    touched: set[str] = set()
    parts = [body] if call is None else _parts_along(index, body, call, touched)
    if name in touched or any(name in _changed_not_rebound(part) for part in _parts_reading(index, parts, name, call)):
        return None
    return bindings[0].value


def _parts_reading(index: ScopeIndex, parts: list[cst.CSTNode], name: str, call: Optional[cst.CSTNode]) -> list[cst.CSTNode]:
    """The ``parts`` that read ``name``: only they can change its object (the local is bound
    once, so every other mention is a read). Reads inside ``call`` are not in any part. Found
    through the index's parents, not by walking every part of a long function for each local."""
    by_id = {id(part): part for part in parts}
    holding: dict[int, cst.CSTNode] = {}
    for read in index.reads.get(name, ()):
        node: Optional[cst.CSTNode] = read
        while node is not None and node is not call and id(node) not in by_id:
            node = index.parents.get(node)
        if node is None:
            return parts  # a read the index does not place: every part is checked
        if node is not call:
            holding[id(node)] = node
    return list(holding.values())


def _parts_along(index: ScopeIndex, body: cst.CSTNode, call: cst.CSTNode, names: set[str]) -> list[cst.CSTNode]:
    """``_parts_without(body, call, names)``, from the index's parents: the siblings of the
    nodes on the way up from ``call``, without a walk of the whole function per call."""
    from perflint.cst_walk import children

    path = [call]
    while path[-1] is not body:
        parent = index.parents.get(path[-1])
        if parent is None:
            return _parts_without(body, call, names)
        path.append(parent)
    parts: list[cst.CSTNode] = []
    for below, current in zip(path, path[1:]):
        kids = children(current)
        if not any(kid is below for kid in kids):
            return _parts_without(body, call, names)
        parts.extend(kid for kid in kids if kid is not below)
        if isinstance(current, cst.Call):
            _calls_change(current, below, names)
    return parts


def _changed_not_rebound(part: cst.CSTNode) -> set[str]:
    return _mutated(part) - bound_names(part)


def _class_literal(context, expr: cst.CSTNode) -> bool:
    """``self.NAME`` in a method, where the enclosing class body (in the whole module) binds ``NAME``
    once to a literal and the module never assigns ``.NAME`` (``_safe_protocols = r"https?://"``,
    read by a property)."""
    if not (isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self"):
        return False
    classes = [scope.node for scope in context.scopes if scope.kind == "class"]
    if not classes or not isinstance(classes[-1], cst.ClassDef):
        return False
    return expr.attr.value in _class_literals(context.facts).get(classes[-1].name.value, ())


def _class_literals(facts) -> dict[str, frozenset[str]]:
    """Class name -> the names its body binds exactly once to a literal, that no code of the module
    assigns as an attribute (``x.NAME = ...``, ``setattr``); a class name defined twice gets none."""

    def compute(facts) -> dict[str, frozenset[str]]:
        tree = facts.tree
        if tree is None:
            return {}
        assigned: set[str] = set()
        classes: dict[str, list[ast.ClassDef]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, []).append(node)
            targets = node.targets if isinstance(node, ast.Assign) else (
                [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else [])
            assigned.update(t.attr for t in targets if isinstance(t, ast.Attribute))
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("setattr", "delattr"):
                return {}
        found: dict[str, frozenset[str]] = {}
        for name, defs in classes.items():
            if len(defs) != 1:
                continue
            counts: dict[str, int] = {}
            literal: set[str] = set()
            for statement in defs[0].body:
                targets = statement.targets if isinstance(statement, ast.Assign) else (
                    [statement.target] if isinstance(statement, (ast.AnnAssign, ast.AugAssign)) else [])
                for target in targets:
                    if isinstance(target, ast.Name):
                        counts[target.id] = counts.get(target.id, 0) + 1
                        value = getattr(statement, "value", None)
                        if isinstance(statement, ast.Assign) and _ast_literal(value):
                            literal.add(target.id)
                if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    counts[statement.name] = 2
            found[name] = frozenset(n for n in literal if counts.get(n) == 1 and n not in assigned)
        return found

    return facts.memo("caching.class_literals", compute)


def _ast_literal(node) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(_ast_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and _ast_literal(k) for k in node.keys) and all(_ast_literal(v) for v in node.values)
    return False


def _string_valued(node: cst.CSTNode) -> bool:
    """An expression whose value is an immutable str or number: literals, f-strings, ``+`` / ``%``
    of such, and ``"...".format(...)`` / ``"...".join(...)`` on a literal."""
    if isinstance(node, (*LITERALS, cst.FormattedString)):
        return True
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Modulo)):
        return isinstance(node.left, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        return node.func.attr.value in ("format", "join") and isinstance(node.func.value, LITERALS)
    return False


def _composite(context, expr: cst.CSTNode, ok) -> bool:
    """Operators, containers, f-strings, subscripts and pure calls of parts that pass ``ok``."""
    if isinstance(expr, cst.BinaryOperation):
        return ok(expr.left) and ok(expr.right)
    if isinstance(expr, cst.UnaryOperation):
        return ok(expr.expression)
    if isinstance(expr, cst.BooleanOperation):
        return ok(expr.left) and ok(expr.right)  # ``os.environ.get("CFG") or "{}"``
    if isinstance(expr, cst.IfExp):
        return ok(expr.test) and ok(expr.body) and ok(expr.orelse)
    if isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
        return all(isinstance(e, cst.Element) and ok(e.value) for e in expr.elements)
    if isinstance(expr, cst.Dict):
        return all(isinstance(e, cst.DictElement) and ok(e.key) and ok(e.value) for e in expr.elements)
    if isinstance(expr, cst.FormattedString):
        return all(
            ok(part.expression) for part in expr.parts if isinstance(part, cst.FormattedStringExpression)
        )
    if isinstance(expr, cst.Subscript):
        return ok(expr.value) and all(
            isinstance(s.slice, cst.Index) and ok(s.slice.value) for s in expr.slice
        )
    if isinstance(expr, (cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.DictComp)):
        return _constant_generator(context, expr, ok)
    if isinstance(expr, cst.Call):
        if any(arg.star for arg in expr.args) or not all(ok(arg.value) for arg in expr.args):
            return False
        func = expr.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, LITERALS):
            return func.attr.value in STRING_METHODS
        if isinstance(func, cst.Attribute) and func.attr.value in TEXT_CONVERSIONS and not expr.args:
            return ok(func.value)  # ``self.pepper.encode()``: a conversion of a value that passes
        qualified = context.call_name(expr)
        return qualified in PURE_HELPERS or qualified in CATALOGUE
    return False


def _constant_generator(context, comp: cst.CSTNode, ok) -> bool:
    """``(re.escape(t) for t in TERMS)``: one ``for`` over a value that passes ``ok``, whose
    element and conditions read only its own variables and values that pass ``ok``, through
    pure calls and string methods (``"|".join(re.escape(t) for t in BANNED)``)."""
    from perflint.context import names_in_target

    for_in = comp.for_in
    if for_in.inner_for_in is not None or for_in.asynchronous is not None or not ok(for_in.iter):
        return False
    own = names_in_target(for_in.target)
    if not own or {n.value for n in iter_nodes(for_in.iter) if isinstance(n, cst.Name)} & own:
        return False

    def part_ok(expr: cst.CSTNode) -> bool:
        if isinstance(expr, cst.Name) and expr.value in own:
            return True
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value in READ_METHODS:
            if any(arg.star for arg in expr.args):
                return False
            return part_ok(expr.func.value) and all(part_ok(arg.value) for arg in expr.args)
        if isinstance(expr, cst.Call):
            qualified = context.call_name(expr)
            if qualified in PURE_CONSTRUCTORS and not any(arg.star for arg in expr.args):
                return all(part_ok(arg.value) for arg in expr.args)
        if isinstance(expr, cst.Comparison):
            return part_ok(expr.left) and all(part_ok(c.comparator) for c in expr.comparisons)
        if isinstance(expr, (cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.DictComp, cst.Lambda, cst.NamedExpr,
                             cst.Await)):
            return False
        if _is_literal(expr) or isinstance(expr, (cst.Name, cst.Attribute)):
            return ok(expr)
        return _composite(context, expr, part_ok)

    parts = (comp.key, comp.value) if isinstance(comp, cst.DictComp) else (comp.elt,)
    return all(part_ok(p) for p in parts) and all(part_ok(c.test) for c in for_in.ifs)


# --- loop invariance ----------------------------------------------------------------


def invariant_in_loop(context, index: ScopeIndex, loop: cst.CSTNode, expr: cst.CSTNode, skip: cst.CSTNode) -> bool:
    """Is ``expr`` the same on every iteration of ``loop``? Its names are module constants,
    imports, or locals that the loop neither rebinds nor may mutate (a method call on them,
    an item or attribute store, passing them to a call), outside ``skip`` (the call itself)."""
    changed: Optional[set[str]] = None
    rebound: set[str] = set()

    def ok(node: cst.CSTNode) -> bool:
        nonlocal changed
        if _is_literal(node):
            return True
        if isinstance(node, cst.Name):
            name = node.value
            if changed is None:
                rebound.update(bound_names(loop))
                changed = _changed_in_loop(loop, skip)
                changed |= _aliases_changed(index.root, changed)
            if name in rebound:
                return False  # also a comprehension's own variable that shadows a builtin (`range`)
            if not context.is_local(name):
                return _module_constant(context, node) or context.qualified_name(node) is not None
            if not index.is_plain_local(name) or name in index.closure_names:
                return False
            return name not in changed
        if isinstance(node, cst.Attribute):
            return _attribute_invariant(context, index, loop, skip, node, ok)
        return _composite(context, node, ok)

    return ok(expr)


def _attribute_invariant(context, index: ScopeIndex, repeated: cst.CSTNode, skip: cst.CSTNode, node: cst.Attribute, ok) -> bool:
    """``a.b.c`` is the same on every run of ``repeated`` (a loop or a per-item lambda): an
    imported name, an attribute of ``self``/``cls`` when ``repeated`` leaves the instance alone
    (see ``_instance_untouched``), or an attribute of something ``ok`` accepts."""
    if context.qualified_name(node) is not None:
        return True
    head = node
    while isinstance(head, cst.Attribute):
        head = head.value
    if isinstance(head, cst.Name) and head.value in ("self", "cls"):
        return _instance_untouched(context, index, repeated, skip, head.value)
    return ok(node.value)


def invariant_in_lambda(context, index: ScopeIndex, lam: cst.Lambda, expr: cst.CSTNode, skip: cst.CSTNode) -> bool:
    """Is ``expr`` the same on every run of ``lam``, a lambda the enclosing function hands to a
    call that runs it per item? The enclosing function waits for that call, so its plain locals
    (the ones the lambda reads as closure names) keep their values unless the lambda changes
    them; its own parameters are for the caller to exclude."""
    changed = _changed_in_loop(lam, skip)

    def ok(node: cst.CSTNode) -> bool:
        if _is_literal(node):
            return True
        if isinstance(node, cst.Name):
            name = node.value
            if name in changed:
                return False
            if context.is_local(name):
                return index.is_plain_local(name) and not index.reads_dynamically
            return _module_constant(context, node) or context.qualified_name(node) is not None
        if isinstance(node, cst.Attribute):
            return _attribute_invariant(context, index, lam, skip, node, ok)
        return _composite(context, node, ok)

    return ok(expr)


def _instance_untouched(context, index: ScopeIndex, loop: cst.CSTNode, skip: cst.CSTNode, name: str) -> bool:
    """Does the loop leave ``self`` (or ``cls``) alone, outside ``skip``: no ``await`` or
    ``yield`` (other code may run between iterations), no method called on it
    (``self.refresh()``), no changing method called on one of its attributes
    (``self.items.append(x)``; a reading one such as ``self.pattern.search(s)`` is fine),
    no attribute or item stored into it, and neither it nor its attributes handed to a call.
    ``name`` must be the function's first parameter, never rebound."""
    function = index.root
    params = getattr(getattr(function, "params", None), "params", ())
    if not params or params[0].name.value != name or name in bound_names(function.body):
        return False
    skipped = {id(n) for n in iter_nodes(skip)}
    for sub in iter_nodes(loop):
        if id(sub) in skipped:
            continue
        if isinstance(sub, (cst.Await, cst.Yield)):
            return False
        if isinstance(sub, cst.Call) and isinstance(sub.func, cst.Attribute):
            receiver = sub.func.value
            if isinstance(receiver, cst.Name) and receiver.value == name:
                return False  # self.method(): may change anything on the instance
            head = receiver
            while isinstance(head, (cst.Attribute, cst.Subscript)):
                head = head.value
            if isinstance(head, cst.Name) and head.value == name and sub.func.attr.value not in _READING_METHODS:
                return False
    return name not in _changed_in_loop(loop, skip)


def _changed_in_loop(loop: cst.CSTNode, skip: cst.CSTNode) -> set[str]:
    """Names the loop rebinds (its target included) or may mutate, outside ``skip``."""
    names = bound_names(loop)
    body = loop.body if isinstance(loop, (cst.For, cst.While)) else loop
    for part in _parts_without(body, skip, names):
        names |= _mutated(part)
    if isinstance(loop, cst.While):
        names |= _mutated(loop.test)
    return names


def _aliases_changed(scope: cst.CSTNode, changed: set[str]) -> set[str]:
    """Names whose object another name of the scope shares, where that other name is in
    ``changed``: ``view = m`` / ``t = m.T`` / ``row = m[0]`` / ``for row in m`` / ``with m as t``,
    then ``t[0] = x`` in the loop changes ``m`` too. Followed through chains of aliases."""
    links: list[tuple[set[str], set[str]]] = []  # (sources, aliases)
    for node in iter_nodes(scope):
        if isinstance(node, cst.Assign):
            targets = {n for t in node.targets for n in _target_names(t.target)}
            links.append((_handed(node.value), targets))
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign)) and node.value is not None:
            links.append((_handed(node.value), _target_names(node.target)))
        elif isinstance(node, cst.NamedExpr):
            links.append((_handed(node.value), _target_names(node.target)))
        elif isinstance(node, (cst.For, cst.CompFor)):
            links.append((_handed(node.iter), _target_names(node.target)))
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            links.append((_handed(node.item), _target_names(node.asname.name)))
    found: set[str] = set()
    grown = True
    while grown:
        grown = False
        for sources, aliases in links:
            if aliases & (changed | found) and not sources <= found:
                found |= sources
                grown = True
    return found


def _target_names(target: cst.CSTNode) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return {n for e in target.elements for n in _target_names(e.value)}
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return set()


# Methods that only read their receiver.
_READING_METHODS = frozenset(
    {"get", "items", "keys", "values", "copy", "count", "index", "format", "startswith", "endswith", "find",
     "lower", "upper", "strip", "split", "encode", "decode", "join", "search", "match", "fullmatch", "findall",
     "finditer", "sub", "render", "validate_python", "validate_json", "iter_errors", "is_valid", "dot",
     "tolist", "sum", "mean", "hexdigest", "digest"}
)


def _handed(value: cst.CSTNode) -> set[str]:
    """Names whose object an argument hands over: the name itself, an item or attribute of it,
    or any of these inside a display (not inside operators, whose result is a new object)."""
    if isinstance(value, cst.Name):
        return {value.value}
    if isinstance(value, (cst.Subscript, cst.Attribute)):
        head = value
        while isinstance(head, (cst.Subscript, cst.Attribute)):
            head = head.value
        return {head.value} if isinstance(head, cst.Name) else set()
    if isinstance(value, (cst.Tuple, cst.List, cst.Set)):
        return {n for e in value.elements for n in _handed(e.value)}
    if isinstance(value, cst.Dict):
        return {n for e in value.elements if isinstance(e, cst.DictElement) for n in _handed(e.value)}
    return set()


def _mutated(node: cst.CSTNode) -> set[str]:
    """``mutated_names`` with two refinements: a value computed from a name by an operator
    (``batch @ basis``) is a new object, so passing it on leaves the name's object alone;
    calling a reading method (``x.get()``, ``pattern.search()``) does not change the receiver."""
    names = bound_names(node)
    for sub in iter_nodes(node):
        if isinstance(sub, cst.Call):
            func = sub.func
            if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
                if func.attr.value not in _READING_METHODS:
                    names.add(func.value.value)
            for arg in sub.args:
                names |= _handed(arg.value)
    return names | stored_names(node)


def _parts_without(node: cst.CSTNode, skip: cst.CSTNode, names: set[str]) -> list[cst.CSTNode]:
    """The largest subtrees of ``node`` that do not hold ``skip``. A call on the way down to
    ``skip`` still counts as changing its receiver and the names of its other arguments
    (added to ``names``)."""
    from perflint.cst_walk import children

    parts: list[cst.CSTNode] = []

    def walk(current: cst.CSTNode) -> bool:
        if current is skip:
            return True
        kids = children(current)
        holds = [walk(kid) for kid in kids]
        if not any(holds):
            return False
        parts.extend(kid for kid, held in zip(kids, holds) if not held)
        if isinstance(current, cst.Call):
            _calls_change(current, next(kid for kid, held in zip(kids, holds) if held), names)
        return True

    if not walk(node):
        parts.append(node)
    return parts


def _calls_change(call: cst.Call, holding: cst.CSTNode, names: set[str]) -> None:
    """A call on the way down to a node (under its child ``holding``) may change its receiver
    and what its other arguments hand over: add those names."""
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        if func.attr.value not in _READING_METHODS:
            names.add(func.value.value)
    for arg in call.args:
        if arg is not holding:
            names.update(_handed(arg.value))


# --- comprehensions over module constants -------------------------------------------

# Methods a comprehension may call on its own variables without doing more than reading.
# Value constructors and parsers of the standard library: pure, so a comprehension that
# applies them to a module constant (``{date.fromisoformat(d) for d in HOLIDAYS}``,
# ``{k: Decimal(v) for k, v in RATES.items()}``) gives the same result every time.
PURE_CONSTRUCTORS = frozenset(
    {"decimal.Decimal", "fractions.Fraction", "datetime.date.fromisoformat", "datetime.datetime.fromisoformat",
     "datetime.time.fromisoformat", "datetime.datetime.strptime", "datetime.date", "datetime.time",
     "ipaddress.ip_address", "ipaddress.ip_network", "ipaddress.ip_interface", "ipaddress.IPv4Network",
     "ipaddress.IPv6Network", "uuid.UUID", "builtins.bytes", "builtins.bool", "builtins.round", "builtins.abs"}
)
READ_METHODS = frozenset(
    {"lower", "upper", "strip", "lstrip", "rstrip", "casefold", "title", "get", "items", "keys", "values",
     "split", "encode", "decode", "startswith", "endswith", "replace"}
)


# ``datetime.strptime(s, fmt).date()``: a conversion of a pure constructor's fresh result.
CONVERSIONS = frozenset({"date", "time", "timetz", "isoformat", "timestamp", "normalize"})


def _converted(context, func: cst.Attribute) -> bool:
    return (
        func.attr.value in CONVERSIONS
        and isinstance(func.value, cst.Call)
        and context.call_name(func.value) in PURE_CONSTRUCTORS
    )


COLLECTORS = frozenset({"builtins.set", "builtins.frozenset", "builtins.dict", "builtins.list", "builtins.tuple"})


def collected_generator(context, call: cst.Call) -> Optional[cst.GeneratorExp]:
    """The generator of ``set(x.lower() for x in CONST)`` (also ``frozenset``, ``dict``,
    ``list``, ``tuple``): a comprehension spelled as a call."""
    if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
        return None
    generator = call.args[0].value
    if not isinstance(generator, cst.GeneratorExp) or context.call_name(call) not in COLLECTORS:
        return None
    return generator


def constant_comprehension(context, comp: cst.CSTNode) -> bool:
    """A set/dict/list comprehension whose first iterable is a module constant named as one
    (``STOPWORDS``, ``COUNTRIES.items()``, ``sorted(CODES)``) and that reads nothing but its
    own variables, literals, module constants and imports."""
    for_in = getattr(comp, "for_in", None)
    if for_in is None or for_in.inner_for_in is not None or for_in.asynchronous is not None:
        return False
    source = for_in.iter
    if isinstance(source, cst.Call) and not source.args and isinstance(source.func, cst.Attribute):
        if source.func.attr.value not in ("items", "keys", "values"):
            return False
        source = source.func.value
    elif (
        isinstance(source, cst.Call)
        and isinstance(source.func, cst.Name)
        and source.func.value in ("sorted", "enumerate")
        and context.call_name(source) in ("builtins.sorted", "builtins.enumerate")
    ):
        if len(source.args) != 1:
            return False
        source = source.args[0].value
    if not (isinstance(source, cst.Name) and is_constant_name(source.value) and _module_constant(context, source)):
        return False
    if source.value in context.facts.imports or source.value in _relative_imports(context.facts):
        return False
    from perflint.context import names_in_target

    own = names_in_target(for_in.target)
    skip_ids = {id(for_in.iter)}
    for sub in iter_nodes(comp):
        if id(sub) in skip_ids:
            continue
        if isinstance(sub, (cst.Await, cst.Yield, cst.NamedExpr, cst.Lambda)):
            return False
        if isinstance(sub, cst.Attribute):
            skip_ids.add(id(sub.attr))
        elif isinstance(sub, cst.Call):
            func = sub.func
            if isinstance(func, cst.Attribute):
                qualified = context.call_name(sub)
                if (
                    func.attr.value not in READ_METHODS
                    and qualified not in PURE_HELPERS
                    and qualified not in PURE_CONSTRUCTORS
                    and not _converted(context, func)
                ):
                    return False
            elif context.call_name(sub) not in PURE_HELPERS and context.call_name(sub) not in PURE_CONSTRUCTORS:
                return False
            for arg in sub.args:
                if arg.keyword is not None:
                    skip_ids.add(id(arg.keyword))
        elif isinstance(sub, cst.Name) and id(sub) not in skip_ids:
            if sub.value in own or sub.value in ("True", "False", "None"):
                continue
            if not _module_constant(context, sub) and context.qualified_name(sub) is None:
                return False
    for_in_iter_names = {n.value for n in iter_nodes(for_in.iter) if isinstance(n, cst.Name)}
    return not (for_in_iter_names & own)


# --- uses of the result ---------------------------------------------------------------


def read_only_result(index: ScopeIndex, context, node: cst.CSTNode, target: Optional[str]) -> bool:
    """Is the call's fresh result only read (never mutated, stored or handed on whole)?"""
    from perflint.rules.caching.loop_invariant_expensive_call import _read_only

    if target is None:
        parent = index.parent(node)
        return isinstance(parent, (cst.BinaryOperation, cst.Comparison, cst.ComparisonTarget))
    if not index.is_plain_local(target) or target in index.closure_names:
        return False
    reads = index.reads.get(target, [])
    return all(_read_only(index, context, read, scalar_only=True) for read in reads)


# --- how often it runs ---------------------------------------------------------------

_EXITS = (cst.Return, cst.Raise)


def runs_once(index: ScopeIndex, node: cst.CSTNode, loop_node: cst.CSTNode) -> bool:
    """Does the code holding ``node`` leave the loop right after (``return``, ``raise``,
    or ``break`` of this loop) so that it runs at most once per loop?"""
    current: cst.CSTNode = node
    nested_loop = False
    while current is not None and current is not loop_node:
        parent = index.parent(current)
        if parent is None:
            return False
        if isinstance(current, (cst.SimpleStatementLine,)):
            if any(isinstance(s, _EXITS) for s in current.body):
                return True
        if isinstance(parent, (cst.IndentedBlock, cst.Module)) and current in parent.body:
            later = parent.body[list(parent.body).index(current) + 1 :]
            exits = _EXITS if nested_loop else (*_EXITS, cst.Break)
            for statement in later:
                if isinstance(statement, cst.SimpleStatementLine) and any(isinstance(s, exits) for s in statement.body):
                    return True
        if isinstance(parent, (cst.For, cst.While)) and parent is not loop_node:
            nested_loop = True
        current = parent
    return False


# --- proving a module constant cannot raise at import ---------------------------------

_STDLIB_MODULES = frozenset({"json", "tomllib", "ast", "datetime", "time", "xml", "re", "builtins"})


def stdlib_constant_ok(code: str, context) -> bool:
    """Evaluate the constant's code (standard-library parsers of literals only) to prove
    it does not raise."""
    import importlib

    try:
        tree = parse_ast(code, mode="eval")
    except SyntaxError:
        return False
    namespace: dict = {"__builtins__": {"compile": compile, "str": str, "bytes": bytes}}
    for sub in ast.walk(tree):
        if isinstance(sub, ast.Name) and sub.id not in namespace["__builtins__"]:
            qualified = context.facts.imports.get(sub.id)
            if qualified is None or qualified.split(".")[0] not in _STDLIB_MODULES:
                return False
            module_name, _, attribute = qualified.rpartition(".")
            try:
                try:
                    value = importlib.import_module(qualified)
                except ImportError:
                    value = getattr(importlib.import_module(module_name), attribute)
            except (ImportError, AttributeError, ValueError):
                return False
            namespace[sub.id] = value
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in ("eval", "exec"):
            return False
    try:
        eval(compile(tree, "<constant>", "eval"), namespace)
    except Exception:
        return False
    return True


def inside_reported(index: ScopeIndex, node: cst.CSTNode, reported: set[int]) -> bool:
    """Is ``node`` inside the arguments of a call already reported (``XSLT(parse(p))``)?"""
    return any(id(ancestor) in reported for ancestor in index.ancestors(node))
