"""Who calls a function of this module from the other modules of its project?

``perflint.repetition`` knows why a function runs repeatedly from its own module: a
decorator, a loop that calls it. A service's helpers are often called from elsewhere
instead: ``get_client()`` in ``storage/utils.py`` builds a boto3 client and the views of
``storage/views.py`` call it once per request. ``callers_elsewhere(path, name)`` answers for
a module-level function: every call of it in the other non-test modules of the project
that import it (``from .utils import get_client`` or ``from . import utils`` then
``utils.get_client()``), each with the caller's ``ast`` def, the call node and why the caller
runs repeatedly (its own ``Repeat`` from its module's ``repetition``, or a ``for`` loop or
comprehension around the call), or None when nothing says so.

Only rules that need it ask (the client rules, for a module function that builds a client
and would otherwise stay silent), so a file with no such factory reads no other file. The
project's file list comes from ``perflint.models_index`` (same root, same skipped folders)
and is listed again after ``RECHECK_SECONDS``; a file is parsed only when its text names
both the function and the module (its last dotted part), and each parsed module is kept per
process by path, revalidated by ``os.stat``. A project with more than ``MAX_FILES`` files
is not searched. Every file a search read is recorded on the asking ``ProjectCalls``
(``consulted``), so caches of findings go stale when a caller changes.
"""

from __future__ import annotations

import ast
import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from perflint.source import DecodeError, decode, parse_ast

if TYPE_CHECKING:
    from perflint.facts import ModuleFacts
    from perflint.project_calls import ProjectCalls
    from perflint.repetition import Repeat

MAX_FILES = 3_000
MAX_BYTES = 1_000_000
MAX_MODULES = 256
MAX_TEXTS = 512  # files' texts kept for the name search (the rest are read again)

_LOCK = threading.RLock()
_LISTINGS: dict[str, tuple[float, list[str]]] = {}  # root -> (when listed, files)
_TEXTS: "OrderedDict[str, tuple[tuple[int, int], str]]" = OrderedDict()
_MODULES: "OrderedDict[str, tuple[tuple[int, int], Optional[ModuleFacts]]]" = OrderedDict()
_TEST_FOLDERS = frozenset({"test", "tests", "testing"})


@dataclass(frozen=True)
class CallerSite:
    """One call of the function in another module: ``repeat`` says why it runs repeatedly
    (None: nothing does), ``where`` names the caller and its file for a message."""

    function: ast.AST  # the caller's def
    call: ast.Call
    where: str
    repeat: Optional["Repeat"]


def callers_elsewhere(project: "ProjectCalls", name: str) -> Optional[list[CallerSite]]:
    """Every call of the module-level function ``name`` of ``project``'s module in the
    project's other non-test modules; None when the project is too large to search."""
    from perflint.models_index import RECHECK_SECONDS, _python_files, module_name
    from perflint.project_calls import _stat

    root = project.root
    with _LOCK:
        listed = _LISTINGS.get(root)
        if listed is None or time.monotonic() - listed[0] > RECHECK_SECONDS:
            listed = _LISTINGS[root] = (time.monotonic(), _python_files(root))
    files = listed[1]
    if len(files) >= MAX_FILES:
        return None
    qualified = f"{project.module}.{name}"
    module_word = project.module.rpartition(".")[2]
    name_pattern = re.compile(rf"\b{re.escape(name)}\b")
    sites: list[CallerSite] = []
    for path in files:
        if _is_test_file(os.path.relpath(path, root)) or module_name(path, root) == project.module:
            continue  # tests call per case on purpose; the module's own calls are ``repetition``'s
        text = _text(path)
        if text is None or not name_pattern.search(text) or module_word not in text:
            continue
        project.consulted[path] = _stat(path)
        facts = _facts(path, text)
        if facts is None or facts.tree is None:
            continue
        sites.extend(_calls_in(facts, path, root, qualified, name))
    return sites


def _is_test_file(relative: str) -> bool:
    parts = relative.replace("\\", "/").split("/")
    base = parts[-1]
    return bool(_TEST_FOLDERS & set(parts[:-1])) or base.startswith("test_") or base.endswith("_test.py") or base == "conftest.py"


def _text(path: str) -> Optional[str]:
    from perflint.project_calls import _stat

    current = _stat(path)
    if current[0] < 0 or current[0] > MAX_BYTES:
        return None
    with _LOCK:
        cached = _TEXTS.get(path)
        if cached is not None and cached[0] == current:
            _TEXTS.move_to_end(path)
            return cached[1]
    try:
        with open(path, "rb") as handle:
            text = decode(handle.read())
    except (OSError, DecodeError):
        return None
    with _LOCK:
        _TEXTS[path] = (current, text)
        while len(_TEXTS) > MAX_TEXTS:
            _TEXTS.popitem(last=False)
    return text


def _facts(path: str, text: str) -> Optional["ModuleFacts"]:
    from perflint.facts import ModuleFacts
    from perflint.project_calls import _stat

    current = _stat(path)
    with _LOCK:
        cached = _MODULES.get(path)
        if cached is not None and cached[0] == current:
            _MODULES.move_to_end(path)
            return cached[1]
    try:
        facts: Optional[ModuleFacts] = ModuleFacts.from_tree(parse_ast(text, filename=path), text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        facts = None
    with _LOCK:
        _MODULES[path] = (current, facts)
        while len(_MODULES) > MAX_MODULES:
            _MODULES.popitem(last=False)
    return facts


def _calls_in(facts: "ModuleFacts", path: str, root: str, qualified: str, name: str) -> list[CallerSite]:
    """The calls of ``qualified`` in one module: ``name(...)`` under an import of it, or
    ``alias.name(...)`` under an import of its module."""
    from perflint.models_index import import_table, module_name
    from perflint.repetition import LOOP, Repeat

    module = module_name(path, root)
    table = import_table(facts.tree, module, os.path.basename(path) == "__init__.py")
    direct = {local for local, target in table.items() if target == qualified}
    owners = {local for local, target in table.items() if f"{target}.{name}" == qualified}
    if not direct and not owners:
        return []
    repeats = facts.repetition(path)
    relative = os.path.relpath(path, root)
    sites: list[CallerSite] = []
    for key, function in _defs(facts.tree):
        parents: dict[int, ast.AST] = {}
        for node in ast.walk(function):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if not (
                (isinstance(func, ast.Name) and func.id in direct)
                or (isinstance(func, ast.Attribute) and func.attr == name and isinstance(func.value, ast.Name) and func.value.id in owners)
            ):
                continue
            shown = f"{key[0]}.{key[1]}" if key[0] else key[1]
            where = f"`{shown}` in {relative} (line {node.lineno})"
            repeat = repeats.get(key)
            if repeat is not None and repeat.kind not in ("handler", "loop"):
                repeat = None
            if repeat is None and _in_for_loop(node, function, parents):
                repeat = Repeat(LOOP, "its loop")
            sites.append(CallerSite(function, node, where, repeat))
    return sites


def _defs(tree: ast.Module):
    """(class name or "", name) and node of each module-level function and method."""
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield ("", statement.name), statement
        elif isinstance(statement, ast.ClassDef):
            for member in statement.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield (statement.name, member.name), member


def _in_for_loop(node: ast.AST, function: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """Inside the body of a ``for`` loop or the element of a comprehension of ``function``
    (not its iterable, evaluated once)."""
    child, up = node, parents.get(id(node))
    while up is not None and up is not function:
        if isinstance(up, (ast.For, ast.AsyncFor)) and child is not up.iter:
            return True
        if isinstance(up, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)) and child is not up.generators[0]:
            return True
        child, up = up, parents.get(id(up))
    return False


def clear() -> None:
    """Forget every listing and module read (tests use this)."""
    with _LOCK:
        _LISTINGS.clear()
        _TEXTS.clear()
        _MODULES.clear()


def inherited_repeat(project: "ProjectCalls", facts: "ModuleFacts", cls: str, method: str) -> Optional[tuple["Repeat", str]]:
    """A method that overrides one of a base class defined in another module of the project,
    where the base's own code runs it repeatedly (``for p in ...: self.produce(p)`` in its
    ``run``, a property its request handler reads): why, and the base's file. None otherwise."""
    from perflint.models_index import ast_dotted

    node = next((n for n in facts.tree.body if isinstance(n, ast.ClassDef) and n.name == cls), None) if facts.tree else None
    if node is None:
        return None
    imports = project.imports(facts.tree, facts.imports)
    for base in node.bases:
        dotted = ast_dotted(base)
        if dotted is None:
            continue
        head, _, rest = dotted.partition(".")
        qualified = imports.get(head)
        if qualified is None:
            continue
        qualified = f"{qualified}.{rest}" if rest else qualified
        module, _, base_name = qualified.rpartition(".")
        path = project._module_file(module.split(".")) if module else None
        if path is None or module == project.module:
            continue
        text = _text(path)
        base_facts = _facts(path, text) if text is not None else None
        if base_facts is None:
            continue
        from perflint.project_calls import _stat

        project.consulted[path] = _stat(path)
        repeat = base_facts.repetition(path).get((base_name, method))
        if repeat is not None and repeat.kind in ("handler", "loop"):
            return repeat, os.path.relpath(path, project.root)
    return None
