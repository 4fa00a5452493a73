"""The editor's settings (section ``perflint``) and the project's config files.

Editor settings arrive in ``initializationOptions``, as the answer to a
``workspace/configuration`` request, or inside ``didChangeConfiguration``.
Each source may nest them under ``perflint`` or give them flat. ``select``,
``ignore`` and ``levels`` override the project's config file the way the
command line's options do; an empty list means "not set" (editors send empty
lists for settings the user never touched).

Project config files are found by ``ConfigResolver``; ``ProjectConfigs``
notices when one of them is created, edited or deleted by checking the files
a lookup depends on before each lint, so a reload needs no watcher support
from the client.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Mapping, Optional

from lsprotocol import types

from perflint.config import ConfigError, ConfigResolver, Settings, parse_codes, parse_levels
from perflint.model import Level
from perflint.profiles import Profile, load_profile

SECTION = "perflint"
DEFAULT_DEBOUNCE_MS = 150
SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
DEFAULT_SEVERITY = MappingProxyType(
    {
        1: types.DiagnosticSeverity.Warning,
        2: types.DiagnosticSeverity.Warning,
        3: types.DiagnosticSeverity.Information,
        4: types.DiagnosticSeverity.Information,
        5: types.DiagnosticSeverity.Information,
        # the opt-in micro group (SPEC.md "The `micro` group"), whatever its rules' levels
        "micro": types.DiagnosticSeverity.Hint,
    }
)
CONFIG_FILE_NAMES = (".perflint.yaml", "pyproject.toml")
KNOWN_KEYS = (
    "enable",
    "select",
    "extendSelect",
    "ignore",
    "levels",
    "severity",
    "showSyntaxErrors",
    "exclude",
    "configuration",
    "profile",
    "debounce",
)


def severity_for(
    level: int, severity: Mapping[Any, types.DiagnosticSeverity] = DEFAULT_SEVERITY, micro: bool = False
):
    """The one place a finding's level becomes an LSP severity. PF000 (level 0) is an error;
    a finding of the micro group takes the ``micro`` entry (default Hint) instead of its level's."""
    if level == Level.ERROR:
        return types.DiagnosticSeverity.Error
    if micro:
        return severity.get("micro", types.DiagnosticSeverity.Hint)
    return severity.get(level, types.DiagnosticSeverity.Information)


@dataclass(frozen=True)
class ClientSettings:
    enable: bool = True
    select: Optional[tuple[str, ...]] = None
    ignore: Optional[tuple[str, ...]] = None
    levels: Optional[frozenset[int]] = None
    severity: Mapping[Any, types.DiagnosticSeverity] = field(default_factory=lambda: DEFAULT_SEVERITY)
    profile: Optional[str] = None  # absolute path of a pstats file, for profile-guided ranking
    debounce_ms: int = DEFAULT_DEBOUNCE_MS
    configuration: Optional[str] = None  # absolute path of a config file used instead of discovery
    extend_select: tuple[str, ...] = ()  # codes added to what the project's config selects
    show_syntax_errors: bool = True  # False: no PF000 (another extension reports syntax errors)
    exclude: tuple[str, ...] = ()  # glob patterns of files not linted in the editor
    root: Optional[str] = None  # the workspace folder ``exclude`` patterns are relative to

    def excludes(self, path: Optional[str]) -> bool:
        from perflint.config import path_matches

        return path is not None and any(path_matches(path, pattern, self.root) for pattern in self.exclude)

    @property
    def overrides(self) -> dict[str, Any]:
        """What the editor's settings change in the project's Settings."""
        return {"select": self.select, "ignore": self.ignore, "levels": self.levels}


def unwrap(raw: Any) -> Optional[dict]:
    """The ``perflint`` settings inside whatever the client sent (nested or flat), or None."""
    if not isinstance(raw, Mapping):
        return None
    if isinstance(raw.get(SECTION), Mapping):
        return dict(raw[SECTION])
    if any(key in raw for key in KNOWN_KEYS):
        return dict(raw)
    return None


def parse_client_settings(raw: Mapping[str, Any], root: Optional[str]) -> tuple[ClientSettings, list[str]]:
    """Validate the editor's settings; a bad value keeps its default and yields a one-line problem."""
    values: dict[str, Any] = {}
    problems: list[str] = []

    def check(key: str, parse) -> None:
        value = raw.get(key)
        if value is None or value == [] or value == "":
            return
        try:
            values[key] = parse(value)
        except (ConfigError, ValueError, TypeError) as error:
            problems.append(str(error))

    check("enable", _parse_bool)
    check("showSyntaxErrors", lambda v: _parse_bool(v, "showSyntaxErrors"))
    check("extendSelect", lambda v: parse_codes(v, "setting perflint.extendSelect"))
    check("exclude", _parse_patterns)
    check("select", lambda v: parse_codes(v, "setting perflint.select"))
    check("ignore", lambda v: parse_codes(v, "setting perflint.ignore"))
    check("levels", lambda v: parse_levels(v, "setting perflint.levels"))
    check("severity", _parse_severity)
    check("profile", lambda v: _parse_path(v, root))
    check("configuration", lambda v: _parse_path(v, root, "configuration"))
    check("debounce", _parse_debounce)
    if "debounce" in values:
        values["debounce_ms"] = values.pop("debounce")
    renamed = {"showSyntaxErrors": "show_syntax_errors", "extendSelect": "extend_select"}
    values = {renamed.get(key, key): value for key, value in values.items()}
    return ClientSettings(**values, root=root), problems


def _parse_bool(value: Any, key: str = "enable") -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"setting perflint.{key}: expected true or false, got {value!r}")
    return value


def _parse_patterns(value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) and item for item in value):
        raise ValueError(f"setting perflint.exclude: expected a list of glob patterns, got {value!r}")
    return tuple(value)


def _parse_debounce(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"setting perflint.debounce: expected milliseconds >= 0, got {value!r}")
    return int(value)


def _parse_path(value: Any, root: Optional[str], key: str = "profile") -> str:
    if not isinstance(value, str):
        raise ValueError(f"setting perflint.{key}: expected a file path, got {value!r}")
    path = os.path.expanduser(value)
    if not os.path.isabs(path) and root:
        path = os.path.join(root, path)
    return os.path.abspath(path)


def _parse_severity(value: Any) -> Mapping[Any, types.DiagnosticSeverity]:
    where = "setting perflint.severity"
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: expected a mapping of level -> error|warning|information|hint, got {value!r}")
    severity: dict[Any, types.DiagnosticSeverity] = dict(DEFAULT_SEVERITY)
    for level, name in value.items():
        parsed: Any
        if isinstance(level, str) and level.strip().lower() == "micro":
            parsed = "micro"
        else:
            try:
                parsed = int(Level.parse(level))
            except ValueError:
                raise ValueError(f"{where}: {level!r} is not a level (1-5, a level name or micro)") from None
        if not isinstance(name, str) or name.lower() not in SEVERITIES:
            raise ValueError(f"{where}.{level}: expected error, warning, information or hint, got {name!r}")
        severity[parsed] = SEVERITIES[name.lower()]
    return MappingProxyType(severity)


def _candidate_files(directory: str) -> list[str]:
    """Every config file a lookup from ``directory`` may read: both names in it and all its parents."""
    files = []
    while True:
        files.extend(os.path.join(directory, name) for name in CONFIG_FILE_NAMES)
        parent = os.path.dirname(directory)
        if parent == directory:
            return files
        directory = parent


def _stamp(path: str) -> Optional[tuple[int, int, int]]:
    """How a file looks on disk now (None when it does not exist)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


class ProjectConfigs:
    """Settings per file from the project's config files, re-read when those files change.

    Every candidate file a lookup depended on is remembered with its stamp
    (absent files too); when any of them differs at the next lookup, all
    cached answers are dropped.
    """

    def __init__(self) -> None:
        self._overrides: dict[str, Any] = {}
        self._explicit: Optional[str] = None  # one config file for every document (--config, perflint.configuration)
        self._extend_select: tuple[str, ...] = ()  # the editor's extendSelect, added to every config's select
        self._resolver: Optional[ConfigResolver] = None  # made at the first lookup after a change
        self._stamps: dict[str, Optional[tuple[int, int, int]]] = {}
        self.generation = 0  # bumped whenever what was read is dropped

    def set_overrides(self, overrides: dict[str, Any]) -> None:
        """The editor's select/ignore/levels, applied over every config file."""
        if overrides != self._overrides:
            self._overrides = dict(overrides)
            self.invalidate()

    def set_extend_select(self, codes: tuple[str, ...]) -> None:
        self._extend_select = tuple(codes)

    def set_explicit(self, path: Optional[str]) -> None:
        """Use the config file at ``path`` for every document instead of discovery (None: discover)."""
        if path != self._explicit:
            self._explicit = path
            self.invalidate()

    def invalidate(self) -> None:
        """Forget everything read so far (a config file changed, or the editor's settings did)."""
        self._resolver = None
        self._stamps = {}
        self.generation += 1

    def settings_for(self, path: Optional[str]) -> Settings:
        """The settings for ``path``; raises ConfigError (one line) on a bad config file."""
        return self._extended(self._settings_for(path))

    def _extended(self, settings: Settings) -> Settings:
        extra = tuple(code for code in self._extend_select if code not in settings.select)
        return replace(settings, select=settings.select + extra) if extra else settings

    def _settings_for(self, path: Optional[str]) -> Settings:
        if self._explicit is not None:
            files = [self._explicit]
        elif path is None:  # not a file on disk (an unsaved buffer): no project config applies
            return Settings().with_overrides(**self._overrides)
        else:
            files = _candidate_files(os.path.dirname(os.path.abspath(path)))
        stamps = {file: _stamp(file) for file in files}
        if any(file in self._stamps and self._stamps[file] != stamp for file, stamp in stamps.items()):
            self.invalidate()
        self._stamps.update(stamps)
        if self._resolver is None:  # raises ConfigError when the explicit file is broken; tried again next time
            self._resolver = ConfigResolver(explicit=self._explicit, overrides=self._overrides)
        return self._resolver.for_path(path or os.path.join(os.getcwd(), "-"))


class ProfileFile:
    """The profile named by the ``profile`` setting, read again only when the file changes."""

    def __init__(self) -> None:
        self._key: Optional[tuple] = None
        self._profile: Optional[Profile] = None

    def load(self, path: Optional[str]) -> Optional[Profile]:
        """The profile at ``path`` (None for no path); raises ProfileError with a one-line reason."""
        if path is None:
            return None
        key = (path, _stamp(path))
        if key != self._key:
            self._profile = None
            self._key = None
            self._profile = load_profile(path)
            self._key = key
        return self._profile
