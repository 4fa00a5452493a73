"""The rule registry: every ``Rule`` subclass in the level folders, found by itself.

Adding a rule means adding one file under ``rules/<level-name>/``; nothing
here needs editing. Importing this package imports libcst.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from types import GenericAlias

from perflint.model import Level
from perflint.rule import Rule

LEVEL_FOLDERS = {
    "algorithm": Level.ALGORITHM,
    "database": Level.DATABASE,
    "caching": Level.CACHING,
    "io": Level.IO,
    "infrastructure": Level.INFRASTRUCTURE,
}


class RegistryError(Exception):
    """Two rules share a code, or a rule sits in the wrong level folder."""


@lru_cache(maxsize=None)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule, sorted by code."""
    found: dict[str, type[Rule]] = {}
    for folder, level in LEVEL_FOLDERS.items():
        package = importlib.import_module(f"{__name__}.{folder}")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                # On Python 3.10 a generic alias (``tuple[int, str]``) passes ``isinstance(value, type)``.
                if not (isinstance(value, type) and not isinstance(value, GenericAlias) and issubclass(value, Rule)
                        and value.__module__ == module.__name__):
                    continue
                if value.level != level:
                    raise RegistryError(f"{value.code} has level {int(value.level)} but lives in rules/{folder}/")
                if value.code in found:
                    raise RegistryError(f"{value.code} is defined twice: {found[value.code].__name__}, {value.__name__}")
                found[value.code] = value
    return tuple(found[code] for code in sorted(found))


def rule_by_code(code: str) -> type[Rule] | None:
    code = code.upper()
    for rule in all_rules():
        if rule.code == code or rule.name == code.lower():
            return rule
    return None
