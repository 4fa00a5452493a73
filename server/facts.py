"""Module-level facts read once per file from the stdlib ``ast`` tree.

libcst is ten times slower to parse than ``ast``, and perflint parses with
libcst only the pieces of a file that some rule may match. Facts that every
piece needs — what each imported name refers to, which names the module binds
itself, where a fix may insert an import — come from the ``ast`` tree of the
whole file instead.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Optional, TypeVar

from perflint.blocks import MEMO_PREFIX, memo_units

if TYPE_CHECKING:  # pragma: no cover
    from perflint.infer import ModuleInference
    from perflint.repetition import Repeat

_T = TypeVar("_T")

BUILTIN_NAMES = frozenset(dir(builtins))


@dataclass
class ModuleFacts:
    # local name -> dotted qualified name ("r" -> "requests", "ce" -> "sqlalchemy.create_engine")
    imports: dict[str, str] = field(default_factory=dict)
    # names bound at module level by anything other than an import (def, class, assignment)
    own_names: set[str] = field(default_factory=set)
    # 1-based line before which new imports and module constants are inserted
    insert_line: int = 1
    # every name bound anywhere at module level, to pick unused names for new constants
    all_names: set[str] = field(default_factory=set)
    # names imported before ``insert_line``: a module constant inserted there may use them
    imported_early: set[str] = field(default_factory=set)
    # the whole file's ast and text, for rules that need more than one block (the ORM model index)
    tree: Optional[ast.Module] = field(default=None, repr=False, compare=False)
    source: Optional[str] = field(default=None, repr=False, compare=False)
    # whether the text contains a word: ``facts.mentions("models")``
    mentions: "Mentions" = field(default=None, repr=False, compare=False)  # type: ignore[assignment]

    # the file's path on disk, if any: the other modules of its project answer call facts
    path: Optional[str] = field(default=None, repr=False, compare=False)
    # what the module's names hold and what its functions do (``perflint.infer``), built on first use
    _inference: Optional["ModuleInference"] = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.mentions is None:
            self.mentions = Mentions(self.source or "")

    def memo(self, key: str, compute: Callable[["ModuleFacts"], _T]) -> _T:
        """``compute(self)``, computed once and kept with these facts: a rule's per-module
        answer lives exactly as long as the module's facts (a module-level dict keyed by
        ``id(facts)`` would keep the trees of closed editor documents alive)."""
        memos = self.__dict__.setdefault("_memos", {})
        if key not in memos:
            memos[key] = compute(self)
        return memos[key]

    @property
    def bounded_names(self) -> frozenset[str]:
        """Module-level names whose iteration is bounded by the source: bound once, at module
        level, to a display of literals (tuple, list, set, dict, or ``frozenset``/``tuple``/
        ``set``/``list``/``dict`` of one), and enum classes. Computed on first use."""
        cached = self.__dict__.get("_bounded_names")
        if cached is None:
            cached = self.__dict__["_bounded_names"] = _bounded_names(self.tree)
        return cached

    @property
    def literal_names(self) -> frozenset[str]:
        """Module-level names bound by a top-level assignment to a literal collection of constants
        (``STATUSES = ("a", "b")``): a loop over one has a few fixed iterations. Computed on first use."""
        cached = self.__dict__.get("_literal_names")
        if cached is None:
            cached = self.__dict__["_literal_names"] = _literal_names(self.tree)
        return cached

    @property
    def imports_django(self) -> bool:
        """The file imports Django or Django REST framework (its ``def f(request, ...)`` are views,
        a ``model`` it is handed is a Django model)."""
        return any(target.split(".")[0] in ("django", "rest_framework") for target in self.imports.values())

    def repetition(self, path: str) -> "dict[tuple[str, str], Repeat]":
        """Why each function of the module runs repeatedly (``perflint.repetition``), keyed by
        (class name or "", function name); computed once per file (``path`` tells a views module)."""
        self.__dict__["_repetition_asks"] = self.repetition_asks + 1
        cached = self.__dict__.get("_repetition")
        if cached is None or cached[0] != path:
            from perflint.repetition import compute

            cached = self.__dict__["_repetition"] = (path, compute(self, path))
        return cached[1]

    @property
    def repetition_asks(self) -> int:
        """How many times a rule asked ``repetition`` so far: a piece whose lint asked depends
        on the other pieces' calls, not only on its own text (the editor's ``BlockCache``)."""
        return self.__dict__.get("_repetition_asks", 0)

    @property
    def inference(self) -> "ModuleInference":
        """The module's inference layer: one walk of its ``ast``, made when a rule first asks."""
        if self._inference is None:
            from perflint.infer import ModuleInference
            from perflint.project_calls import ProjectCalls

            tree = self.tree or ast.Module(body=[], type_ignores=[])
            project = ProjectCalls.for_file(self.path) if self.path else None
            imports = project.imports(tree, self.imports) if project is not None else self.imports
            self._inference = ModuleInference(tree, imports, self.own_names, project=project)
        return self._inference

    def dependencies(self) -> list[tuple[str, int, int]]:
        """The other files of the project whose call facts the rules asked about so far."""
        inference = self._inference
        if inference is None or inference.project is None:
            return []
        return inference.project.dependencies()

    @property
    def inference_built(self) -> bool:
        """Whether the inference exists already (the language server patches one per keystroke)."""
        return self._inference is not None

    @inference.setter
    def inference(self, value: "ModuleInference") -> None:
        self._inference = value

    def resolve_global(self, name: str) -> str | None:
        """The qualified name a module-level reference to ``name`` means, if known."""
        if name in self.imports:
            return self.imports[name]
        if name in self.own_names:
            return None
        if name in BUILTIN_NAMES:
            return f"builtins.{name}"
        return None

    def unused_name(self, base: str) -> str:
        """A module-level name starting with ``base`` that nothing binds yet."""
        candidate, index = base, 1
        while candidate in self.all_names or candidate in BUILTIN_NAMES:
            index += 1
            candidate = f"{base}_{index}"
        self.all_names.add(candidate)
        return candidate

    @classmethod
    def from_tree(
        cls, tree: ast.Module, source: Optional[str] = None, mentions: Optional["Mentions"] = None
    ) -> "ModuleFacts":
        facts = cls(tree=tree, source=source, mentions=mentions)
        for node in _module_level_statements(tree.body):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        facts.imports[alias.asname] = alias.name
                    else:
                        head = alias.name.split(".")[0]
                        facts.imports.setdefault(head, head)
            elif isinstance(node, ast.ImportFrom):
                if node.level == 0 and node.module:
                    for alias in node.names:
                        if alias.name != "*":
                            facts.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            else:
                facts.own_names.update(_bound_names(node))
        facts.own_names -= facts.imports.keys()
        facts.all_names = facts.own_names | facts.imports.keys()
        facts.insert_line = _insert_line(tree)
        facts.imported_early = _imported_before(tree, facts.insert_line)
        return facts


class Mentions:
    """Whether a file's text contains a word (no line breaks in it), each word looked up once.

    Several rules ask the same questions of the whole text ("does it say
    ``models`` anywhere?"), and in an editor they are asked again on every
    keystroke. A ``Mentions`` made for the next version of a document takes
    over the last one's answers: an edit that replaced the ``removed`` lines
    by the ``added`` ones changes the answer for a word only if one of the two
    contains it.
    """

    def __init__(self, text: str, previous: Optional["Mentions"] = None, removed: str = "", added: str = "") -> None:
        self.text = text
        self._known: dict[str, bool] = {}
        if previous is not None:
            for word, found in previous._known.items():
                if word in added:
                    self._known[word] = True
                elif word not in removed:
                    self._known[word] = found

    def __call__(self, word: str) -> bool:
        found = self._known.get(word)
        if found is None:
            found = self._known[word] = word in self.text
        return found


ENUM_BASES = frozenset({"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag"})
_COLLECTION_CALLS = frozenset({"frozenset", "tuple", "set", "list", "dict"})


def _bounded_names(tree: Optional[ast.Module]) -> frozenset[str]:
    if tree is None:
        return frozenset()
    counts: dict[str, int] = {}
    bounded: set[str] = set()
    for node in _module_level_statements(tree.body):
        for name in _bound_names(node):
            counts[name] = counts.get(name, 0) + 1
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name) and _is_literal_collection(node.value):
                bounded.add(targets[0].id)
        elif isinstance(node, ast.ClassDef) and derives_from(node, ENUM_BASES):
            bounded.add(node.name)
    bounded = {name for name in bounded if counts.get(name) == 1}
    if bounded:
        bounded -= _mutated_names(tree, bounded)
    return frozenset(bounded)


def derives_from(node: ast.ClassDef, bases: frozenset[str]) -> bool:
    """Whether one of the class's bases is spelled with a name of ``bases`` (``Enum``,
    ``enum.Enum``, ``models.TextChoices``)."""
    return any(
        (base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else "") in bases
        for base in node.bases
    )


def _literal_names(tree: Optional[ast.Module]) -> frozenset[str]:
    names: set[str] = set()
    for node in tree.body if tree is not None else ():
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if _literal_constants(node.value):
                names.add(node.targets[0].id)
    return frozenset(names)


def _literal_constants(node: ast.AST) -> bool:
    """A list, tuple or set display of constants (or of nested such displays), or a dict display
    with constant keys."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(isinstance(e, ast.Constant) or _literal_constants(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(isinstance(k, ast.Constant) for k in node.keys if k is not None)
    return False


_MUTATORS = frozenset({"append", "extend", "add", "update", "insert", "setdefault", "__setitem__", "__iadd__"})


def _mutated_names(tree: ast.Module, names: set[str]) -> set[str]:
    """Which of ``names`` the file grows anywhere (``X.append(...)``, ``X[k] = v``, ``global X``):
    a registry filled at run time is not bounded by the source. Each statement's grown names
    are kept on its node (``blocks.memo_units``): a keystroke reads the edited statement only."""
    mutated: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef):
            header = [*statement.decorator_list, *statement.bases, *statement.keywords]
            mutated.update(name for node in header for name in _grown_names(node))
    for unit, _ in memo_units(tree.body):
        grown = unit.__dict__.get(_GROWN_MEMO)
        if grown is None:
            grown = _grown_names(unit)
            setattr(unit, _GROWN_MEMO, grown)
        mutated.update(grown)
    return mutated & names


_GROWN_MEMO = MEMO_PREFIX + "grown_names"  # not "_perflint_grown": _sequences keeps attributes there


def _grown_names(tree: ast.AST) -> frozenset[str]:
    """Every plain name ``tree`` grows or rebinds globally: a mutator's receiver, a subscript
    store's base, a ``global`` declaration."""
    grown: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MUTATORS:
            receiver = node.func.value
            if isinstance(receiver, ast.Name):
                grown.add(receiver.id)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            if isinstance(node.value, ast.Name):
                grown.add(node.value.id)
        elif isinstance(node, ast.Global):
            grown.update(node.names)
    return frozenset(grown)


def _is_literal_collection(node: ast.expr) -> bool:
    """A tuple, list, set or dict display of literals (or of nested such displays), or a
    ``frozenset(...)``-like call of one."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _COLLECTION_CALLS:
        return len(node.args) == 1 and not node.keywords and _is_literal_collection(node.args[0])
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(_is_literal(element) for element in node.elts)
    if isinstance(node, ast.Dict):
        return all(key is not None and _is_literal(key) for key in node.keys)
    return False


def _is_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(_is_literal(element) for element in node.elts)
    if isinstance(node, ast.Name):
        return True  # another module constant or a class: still one element per entry
    if isinstance(node, ast.Attribute):
        return True
    return False


def _module_level_statements(body: list[ast.stmt]):
    """Statements that bind module-level names, descending into if/try/with blocks."""
    for node in body:
        yield node
        if isinstance(node, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            for block in ("body", "orelse", "finalbody"):
                yield from _module_level_statements(getattr(node, block, []) or [])
            for handler in getattr(node, "handlers", []) or []:
                yield from _module_level_statements(handler.body)
        if hasattr(ast, "TryStar") and isinstance(node, ast.TryStar):  # pragma: no cover - 3.11+
            for handler in node.handlers:
                yield from _module_level_statements(handler.body)


def _bound_names(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    names: set[str] = set()
    targets: list[ast.AST] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        targets = [node.target]
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
    for target in targets:
        if type(target) is ast.Name:  # the common case, without ast.walk's generator machinery
            names.add(target.id)
            continue
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name):
                names.add(sub.id)
    return names


def _imported_before(tree: ast.Module, line: int) -> set[str]:
    """Names bound by the leading imports (those ``_insert_line`` skipped over)."""
    names: set[str] = set()
    for node in tree.body:
        if node.lineno >= line:
            break
        imports = node.body if isinstance(node, ast.Try) else [node]
        for statement in imports:
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                for alias in statement.names:
                    if alias.name != "*":
                        names.add(alias.asname or alias.name.split(".")[0])
    return names


def _insert_line(tree: ast.Module) -> int:
    """The line after the module docstring, ``__future__`` imports and leading imports."""
    line = 1
    for index, node in enumerate(tree.body):
        is_docstring = (
            index == 0
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        )
        if is_docstring or isinstance(node, (ast.Import, ast.ImportFrom)):
            line = (node.end_lineno or node.lineno) + 1
            continue
        if isinstance(node, ast.Try) and all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in node.body):
            line = (node.end_lineno or node.lineno) + 1
            continue
        break
    return line
