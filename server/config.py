"""Configuration: discovery, ``[tool.perflint]`` / ``.perflint.yaml``, strict validation.

Discovery walks up from each linted file to the first directory holding a
``.perflint.yaml`` or a ``pyproject.toml`` with a ``[tool.perflint]`` table.
Every key is checked: an unknown key, a wrong type or a malformed file is a
``ConfigError`` naming the file, the key and what was expected.

This module imports neither libcst nor the rules unless a config has a
per-rule ``rules`` table, so a fully cached run stays light.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Optional

from perflint.model import Level

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CODE_PATTERN = re.compile(r"^PF[0-9]{0,3}$")
FULL_CODE = re.compile(r"^PF[0-9]{3}$")
# Groups of rules that can be selected or ignored by name (SPEC.md "The `micro` group").
MICRO = "micro"
GROUPS = (MICRO,)
DEFAULT_EXCLUDE = (
    ".bzr", ".direnv", ".eggs", ".git", ".hg", ".mypy_cache", ".nox", ".perflint_cache",
    ".pytest_cache", ".ruff_cache", ".svn", ".tox", ".venv", "__pypackages__", "_build",
    "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
)
KEYS = ("select", "ignore", "levels", "exclude", "per-file-ignores", "rules", "cold")


class ConfigError(Exception):
    """A config file or option the user must fix; the message is one line."""


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ("PF",)
    ignore: tuple[str, ...] = ()
    levels: frozenset[int] = frozenset(range(1, 6))
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    root: Optional[str] = None  # directory patterns are relative to
    source: Optional[str] = None  # the config file these came from
    prefilter: bool = True  # skip blocks no enabled rule can match
    cold: bool = False  # also report findings in cold code (tests, module level, __repr__, ...; perflint.ranking)

    def with_overrides(self, **overrides: Any) -> "Settings":
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    def fingerprint(self) -> str:
        """A stable hash of everything that changes which findings a file gets."""
        data = {
            "select": self.select,
            "ignore": self.ignore,
            "levels": sorted(self.levels),
            "per_file_ignores": self.per_file_ignores,
            "rule_options": {k: dict(v) for k, v in sorted(self.rule_options.items())},
            "root": self.root,
            "cold": self.cold,
        }
        return hashlib.blake2b(json.dumps(data, sort_keys=True, default=str).encode(), digest_size=12).hexdigest()

    # --- which rules run on a file --------------------------------------------

    def ignored_for(self, path: str) -> tuple[str, ...]:
        codes = list(self.ignore)
        for pattern, extra in self.per_file_ignores:
            if path_matches(path, pattern, self.root):
                codes.extend(extra)
        return tuple(codes)

    def enables(self, code: str, level: int, opt_in: bool, ignored: Iterable[str], micro: bool = False) -> bool:
        """Whether a rule runs: its level is wanted, nothing ignores it, and the selection names it.

        A micro rule is selected only by the ``micro`` group or its own code; an
        opt-in rule only by its code; any other rule by a prefix of its code.
        """
        if level not in self.levels:
            return False
        ignored = tuple(ignored)
        if micro and MICRO in ignored:
            return False
        if any(code.startswith(prefix) for prefix in ignored if prefix != MICRO):
            return False
        if micro:
            return code in self.select or MICRO in self.select
        if opt_in:
            return code in self.select
        return any(code.startswith(prefix) for prefix in self.select if prefix != MICRO)

    def is_excluded(self, path: str) -> bool:
        return any(path_matches(path, pattern, self.root) for pattern in self.exclude)


def path_matches(path: str, pattern: str, root: Optional[str]) -> bool:
    """Glob-match ``path`` against ``pattern``; ``dir/`` matches a directory anywhere below root."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, root) if root else path
    relative = relative.replace(os.sep, "/")
    parts = relative.split("/")
    if pattern.endswith("/"):
        name = pattern.rstrip("/")
        if "/" in name:
            return relative.startswith(name + "/")
        return any(fnmatch.fnmatchcase(part, name) for part in parts[:-1])
    return (
        fnmatch.fnmatchcase(relative, pattern)
        or fnmatch.fnmatchcase(parts[-1], pattern)
        or any(fnmatch.fnmatchcase("/".join(parts[: i + 1]), pattern) for i in range(len(parts) - 1))
    )


# --- reading and validating ----------------------------------------------------


def load_file(path: str) -> Settings:
    """Read settings from a pyproject.toml or a .perflint.yaml file."""
    name = os.path.basename(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read config: {error.strerror}") from None
    if name.endswith((".yaml", ".yml")):
        table = _load_yaml(path, data)
    else:
        table = _load_toml(path, data).get("tool", {}).get("perflint")
        if table is None:
            if name == "pyproject.toml":
                return Settings(root=os.path.dirname(os.path.abspath(path)), source=path)
            raise ConfigError(f"{path}: no [tool.perflint] table")
    return parse_table(table, path)


def _load_toml(path: str, data: bytes) -> dict:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: malformed TOML: {error}") from None


def _load_yaml(path: str, data: bytes) -> dict:
    import yaml

    try:
        table = yaml.safe_load(data)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        at = f" at line {where.line + 1}" if where is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConfigError(f"{path}: malformed YAML{at}: {problem}") from None
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: expected a mapping of perflint settings at the top level")
    return table


def parse_table(table: Mapping[str, Any], path: str) -> Settings:
    """Validate a ``[tool.perflint]`` table (or YAML mapping) into Settings."""
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: [tool.perflint] must be a table")
    unknown = [key for key in table if key not in KEYS]
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r}; expected one of: {', '.join(KEYS)}")
    values: dict[str, Any] = {"root": os.path.dirname(os.path.abspath(path)), "source": path}
    if "select" in table:
        values["select"] = parse_codes(table["select"], f"{path}: key 'select'")
    if "ignore" in table:
        values["ignore"] = parse_codes(table["ignore"], f"{path}: key 'ignore'")
    if "levels" in table:
        values["levels"] = parse_levels(table["levels"], f"{path}: key 'levels'")
    if "exclude" in table:
        values["exclude"] = _string_list(table["exclude"], f"{path}: key 'exclude'")
    if "per-file-ignores" in table:
        mapping = table["per-file-ignores"]
        where = f"{path}: key 'per-file-ignores'"
        if not isinstance(mapping, Mapping):
            raise ConfigError(f"{where}: expected a table of glob -> list of codes")
        values["per_file_ignores"] = tuple(
            (str(pattern), parse_codes(codes, f"{where}.{pattern!r}")) for pattern, codes in mapping.items()
        )
    if "cold" in table:
        if not isinstance(table["cold"], bool):
            raise ConfigError(f"{path}: key 'cold' must be true or false")
        values["cold"] = table["cold"]
    if "rules" in table:
        values["rule_options"] = parse_rule_options(table["rules"], f"{path}: key 'rules'")
    return Settings(**values)


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def parse_codes(value: Any, where: str) -> tuple[str, ...]:
    """Codes, prefixes such as ``PF1`` or ``PF203``, or groups (``micro``); a comma-separated string too.

    A well-formed full code that names no rule (``PF999``) is an error: it is
    a typo, and selecting it would silently lint nothing.
    """
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    codes = _string_list(value, where)
    result = []
    for code in codes:
        if code.strip().lower() in GROUPS:
            result.append(code.strip().lower())
            continue
        code = code.strip().upper()
        if not CODE_PATTERN.match(code):
            raise ConfigError(
                f"{where}: {code!r} is not a rule code, prefix or group (expected e.g. PF, PF1, PF101, micro)"
            )
        result.append(code)
    unknown = [code for code in result if FULL_CODE.match(code) and code not in _known_codes()]
    if unknown:
        raise ConfigError(f"{where}: {unknown[0]!r} names no rule; 'perflint rules' lists them")
    return tuple(result)


def _known_codes() -> frozenset[str]:
    """Every rule's code (imports the rules: asked only when a full code is named)."""
    from perflint.rules import all_rules

    return frozenset(rule.code for rule in all_rules())


def parse_levels(value: Any, where: str) -> frozenset[int]:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = [part for part in str(value).split(",") if part.strip()]
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where}: expected a list of levels (1-5 or names), got {value!r}")
    levels = set()
    for item in value:
        try:
            levels.add(int(Level.parse(item)))
        except ValueError:
            names = ", ".join(level.category for level in Level if level)
            raise ConfigError(f"{where}: {item!r} is not a level; expected 1-5 or one of {names}") from None
    return frozenset(levels)


def parse_rule_options(value: Any, where: str) -> dict[str, dict[str, Any]]:
    """Per-rule options; checked against each rule's declared options (imports the rules)."""
    from perflint.rules import rule_by_code

    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: expected a table of rule code -> options")
    result: dict[str, dict[str, Any]] = {}
    for code, options in value.items():
        rule = rule_by_code(str(code))
        if rule is None:
            raise ConfigError(f"{where}: unknown rule {code!r}")
        if not isinstance(options, Mapping):
            raise ConfigError(f"{where}.{code}: expected a table of options")
        checked = {}
        for key, option_value in options.items():
            option = rule.options.get(key)
            if option is None:
                known = ", ".join(rule.options) or "none"
                raise ConfigError(f"{where}.{code}: unknown option {key!r}; {rule.code} options: {known}")
            if option.type is float and isinstance(option_value, int) and not isinstance(option_value, bool):
                option_value = float(option_value)
            if not isinstance(option_value, option.type) or (
                option.type is int and isinstance(option_value, bool)
            ):
                raise ConfigError(
                    f"{where}.{code}.{key}: expected {option.type.__name__}, got {option_value!r}"
                )
            if option.type is list and not all(isinstance(item, str) for item in option_value):
                # every list option holds names; anything else would reach the rule and crash it
                raise ConfigError(f"{where}.{code}.{key}: expected a list of strings, got {option_value!r}")
            checked[key] = option_value
        result[rule.code] = checked
    return result


# --- discovery -------------------------------------------------------------------


class ConfigResolver:
    """Finds the config for each file by walking up, caching one answer per directory."""

    def __init__(self, explicit: Optional[str] = None, overrides: Optional[dict] = None) -> None:
        self.overrides = overrides or {}
        self._by_dir: dict[str, Settings] = {}
        self._explicit = self._apply(load_file(explicit)) if explicit else None

    def _apply(self, settings: Settings) -> Settings:
        overrides = dict(self.overrides)
        extra = overrides.pop("extend_exclude", None)  # --extend-exclude adds to the file's exclude
        if extra:
            overrides["exclude"] = tuple(settings.exclude) + tuple(extra)
        return settings.with_overrides(**overrides)

    def for_path(self, path: str) -> Settings:
        if self._explicit is not None:
            return self._explicit
        directory = os.path.dirname(os.path.abspath(path))
        return self._for_dir(directory)

    def _for_dir(self, directory: str) -> Settings:
        cached = self._by_dir.get(directory)
        if cached is not None:
            return cached
        settings = self._read_dir(directory)
        if settings is None:
            parent = os.path.dirname(directory)
            settings = self._apply(Settings()) if parent == directory else self._for_dir(parent)
        self._by_dir[directory] = settings
        return settings

    def _read_dir(self, directory: str) -> Optional[Settings]:
        yaml_path = os.path.join(directory, ".perflint.yaml")
        if os.path.isfile(yaml_path):
            return self._apply(load_file(yaml_path))
        toml_path = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(toml_path):
            try:
                with open(toml_path, "rb") as handle:
                    raw = handle.read()
            except OSError as error:  # it may hold [tool.perflint]: linting without it would mislead
                raise ConfigError(f"{toml_path}: cannot read config: {error.strerror or error}") from None
            if b"perflint" in raw:
                table = _load_toml(toml_path, raw).get("tool", {}).get("perflint")
                if table is not None:
                    return self._apply(parse_table(table, toml_path))
        return None
