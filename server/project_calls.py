"""Call facts across the files of a project: what a function imported from another
module of the project does per call, and what it returns.

``ModuleInference`` follows calls within one module. The expensive call of a
service is often one import away: ``for event in events: enrich(event)`` where
``enrich`` lives in ``app/enrich.py`` and calls ``load_user()``, which queries.
A ``ProjectCalls`` (one per linted file) answers for a dotted name such as
``app.enrich.enrich``: it finds the module's file under the project root (the
root of ``perflint.models_index``: a marker, or a loose script's own folder),
reads it with the stdlib ``ast`` and asks that module's own ``ModuleInference``,
which in turn follows its imports the same way, ``MAX_CALL_DEPTH`` calls deep
in all. A package ``__init__`` that re-exports a name is followed to the
module that defines it.

Lookups are lazy: a file whose rules never ask about an imported project
function reads no other file. Modules read are kept per process (by path,
revalidated by ``os.stat``), at most ``MAX_MODULES``; files larger than
``MAX_BYTES`` are not read.

Every file a lookup consulted is recorded with its stat (``dependencies``),
so caches of findings go stale when one of them changes: the command line's
result cache checks them, the language server's block cache puts
``stamp()`` into its key.
"""

from __future__ import annotations

import ast
import hashlib
import os
import stat
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Optional

from perflint.source import DecodeError, decode, parse_ast

if TYPE_CHECKING:
    from perflint.infer import Effects, Inferred, ModuleInference

MAX_MODULES = 256
MAX_BYTES = 1_000_000
_SOURCE_DIRS = ("", "src")  # where a project keeps its top-level packages

_LOCK = threading.RLock()
_MODULES: "OrderedDict[str, tuple[tuple[int, int], Optional[ModuleInference]]]" = OrderedDict()


class ProjectCalls:
    """The other modules of one file's project, as its inference sees them."""

    def __init__(self, root: str, module: str, is_package: bool) -> None:
        self.root = root
        self.module = module
        self.is_package = is_package
        self.consulted: dict[str, tuple[int, int]] = {}
        self._files: dict[tuple[str, ...], Optional[str]] = {}  # module parts -> file, per stamp()

    @classmethod
    def for_file(cls, path: str) -> Optional["ProjectCalls"]:
        """The project of a file on disk; None for text with no file (stdin, warm-up) or a
        folder that is no project (``models_index.loose_root``)."""
        from perflint.models_index import loose_root, module_name, project_root

        absolute = os.path.abspath(path)
        if not os.path.isfile(absolute):
            return None
        root = project_root(absolute) or loose_root(os.path.dirname(absolute))
        if root is None:
            return None
        return cls(root, module_name(absolute, root), os.path.basename(absolute) == "__init__.py")

    # --- what rules ask, through ModuleInference ---------------------------------------

    def effects(self, qualified: str, depth: int) -> Optional["Effects"]:
        """What one call of the project function ``qualified`` does, if it is one."""
        found = self._function(qualified, 0)
        if found is None:
            return None
        inference, qualname = found
        return inference.function_effects(qualname, depth)

    def return_kind(self, qualified: str) -> Optional["Inferred"]:
        """What a call of the project function ``qualified`` returns, if it is one."""
        found = self._function(qualified, 0)
        if found is None:
            return None
        inference, qualname = found
        return inference.return_kind(qualname)

    def function(self, qualified: str) -> Optional[tuple["ModuleInference", str]]:
        """The inference of the module that defines the project function ``qualified``, and
        the function's name in it (re-exports followed); None if it is not one."""
        return self._function(qualified, 0)

    def module_value(self, qualified: str) -> Optional[tuple["ModuleInference", ast.expr]]:
        """What the project module ``a.b`` binds ``name`` to at module level, for ``a.b.name``:
        the value of its last plain assignment there, with the inference of the module (whose
        ``imports`` resolve the value's names); re-exports followed. None if ``a.b`` is no
        module of the project or does not assign the name at module level."""
        return self._top_level(qualified, 0, _assigned_value)

    def class_def(self, qualified: str) -> Optional[tuple["ModuleInference", ast.ClassDef]]:
        """The module-level class ``a.b.Name`` of the project, with the inference of its module
        (whose ``imports`` resolve its bases and annotations); re-exports followed. None if
        ``a.b`` is no module of the project or defines no such class."""
        return self._top_level(qualified, 0, _class_named)

    def imports(self, tree: ast.Module, absolute: dict[str, str]) -> dict[str, str]:
        """The module's import table (``ModuleFacts.imports``) with its relative imports
        resolved in the project: ``from .services import load_user``."""
        from perflint.models_index import import_table

        return {**import_table(tree, self.module, self.is_package), **absolute}

    # --- what the caches of findings depend on -----------------------------------------

    def stamp(self) -> str:
        """A digest of the current stat of every file consulted so far."""
        self._files.clear()  # a module created since is found from now on
        current = sorted((path, _stat(path)) for path in self.consulted)
        return hashlib.blake2b(repr(current).encode(), digest_size=8).hexdigest()

    def unchanged(self) -> bool:
        """Whether every file consulted so far is as it was when it was read."""
        return all(_stat(path) == seen for path, seen in list(self.consulted.items()))

    def dependencies(self) -> list[tuple[str, int, int]]:
        """Every file consulted, with the (size, mtime_ns) it had when it was read."""
        return [(path, size, mtime) for path, (size, mtime) in sorted(self.consulted.items())]

    # --- finding and reading modules ------------------------------------------------------

    def _function(self, qualified: str, hops: int) -> Optional[tuple["ModuleInference", str]]:
        """The module inference that defines ``qualified`` and the function's name in it."""
        parts = qualified.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            path = self._module_file(parts[:cut])
            if path is None:
                continue
            inference = self._read(path)
            if inference is None:
                return None
            name = ".".join(parts[cut:])
            if name in inference.scopes:
                return inference, name
            reexported = inference.imports.get(parts[cut]) if cut == len(parts) - 1 else None
            if reexported is not None and hops < 3 and reexported != qualified:
                return self._function(reexported, hops + 1)
            return None
        return None

    def _top_level(self, qualified: str, hops: int, find) -> Optional[tuple["ModuleInference", Any]]:
        """``find(module tree, name)`` in the module ``qualified`` names a member of, following
        re-exports (``from .base import Thing`` in a package's ``__init__``) up to three hops."""
        parts = qualified.split(".")
        if len(parts) < 2:
            return None
        path = self._module_file(parts[:-1])
        inference = self._read(path) if path is not None else None
        if inference is None:
            return None
        found = find(inference.tree, parts[-1])
        if found is not None:
            return inference, found
        reexported = inference.imports.get(parts[-1])
        if reexported is not None and hops < 3 and reexported != qualified:
            return self._top_level(reexported, hops + 1, find)
        return None

    def _module_file(self, parts: list[str]) -> Optional[str]:
        key = tuple(parts)
        if key not in self._files:
            self._files[key] = self._find_module_file(parts)
        return self._files[key]

    def _find_module_file(self, parts: list[str]) -> Optional[str]:
        if len(parts) > 1 and self._module_file(parts[:1]) is None and not self._is_package_dir(parts[0]):
            return None  # ``os.path``, ``json``: not a top-level name of the project
        for source_dir in _SOURCE_DIRS:
            base = os.path.join(self.root, source_dir, *parts)
            for candidate in (base + ".py", os.path.join(base, "__init__.py")):
                if os.path.isfile(candidate):
                    return candidate
        return None

    def _is_package_dir(self, head: str) -> bool:
        """A namespace package (a folder without ``__init__.py``) at the top of the project."""
        key = ("/", head)
        if key not in self._files:
            found = any(os.path.isdir(os.path.join(self.root, source_dir, head)) for source_dir in _SOURCE_DIRS)
            self._files[key] = head if found else None
        return self._files[key] is not None

    def _read(self, path: str) -> Optional["ModuleInference"]:
        """The inference of a project module on disk, from the per-process cache when its
        stat is unchanged. Records the file as consulted."""
        current = _stat(path)
        self.consulted[path] = current
        with _LOCK:
            cached = _MODULES.get(path)
            if cached is not None and cached[0] == current:
                _MODULES.move_to_end(path)
                inference = cached[1]
            else:
                inference = _load(path, self.root, current)
                _MODULES[path] = (current, inference)
                while len(_MODULES) > MAX_MODULES:
                    _MODULES.popitem(last=False)
        if inference is not None and inference.project is not None:
            self.consulted.update(inference.project.consulted)  # what its answers read in turn
        return inference


def _load(path: str, root: str, current: tuple[int, int]) -> Optional["ModuleInference"]:
    from perflint.facts import ModuleFacts
    from perflint.infer import ModuleInference
    from perflint.models_index import module_name

    if current[0] < 0 or current[0] > MAX_BYTES:
        return None
    try:
        with open(path, "rb") as handle:
            text = decode(handle.read())
        tree = parse_ast(text, filename=path)
    except (OSError, DecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    facts = ModuleFacts.from_tree(tree, text)
    project = ProjectCalls(root, module_name(path, root), os.path.basename(path) == "__init__.py")
    return ModuleInference(tree, project.imports(tree, facts.imports), facts.own_names, project=project)


def _assigned_value(tree: ast.Module, name: str) -> Optional[ast.expr]:
    """The value of the module's last top-level assignment to ``name``."""
    value = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            value = node.value
    return value


def _class_named(tree: ast.Module, name: str) -> Optional[ast.ClassDef]:
    return next((node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == name), None)


def _stat(path: str) -> tuple[int, int]:
    """(size, mtime_ns) of a regular file; (-1, -1) when it is gone or is no regular file."""
    try:
        status = os.stat(path)
    except OSError:
        return (-1, -1)
    if not stat.S_ISREG(status.st_mode):
        return (-1, -1)
    return (status.st_size, status.st_mtime_ns)


def clear() -> None:
    """Forget every module read (tests use this)."""
    with _LOCK:
        _MODULES.clear()
