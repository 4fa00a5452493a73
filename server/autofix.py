"""Applying fixes to a whole file until nothing more applies.

One pass applies every non-overlapping fix from one lint; the file is then
linted again, because a fix may enable or disable others. The loop stops when
a pass applies nothing (at most ``MAX_PASSES``), so running it twice changes
nothing the second time.
"""

from __future__ import annotations

from typing import Optional, Sequence

from perflint.config import Settings
from perflint.engine import BlockCache, lint_source
from perflint.fixes import applicable, apply_fixes
from perflint.model import PARSE_ERROR_CODE
from perflint.rule import Rule

MAX_PASSES = 10


def fix_text(
    source: str,
    path: str = "<stdin>",
    settings: Optional[Settings] = None,
    unsafe: bool = False,
    rules: Optional[Sequence[type[Rule]]] = None,
    block_cache: Optional[BlockCache] = None,
) -> tuple[str, int]:
    """Return the fixed text and the number of fixes applied.

    With a ``block_cache`` (the language server's), each pass after the first
    lints only the pieces the last one changed, and the cache may stop the
    work by raising from its ``get``.
    """
    total = 0
    for _ in range(MAX_PASSES):
        findings = lint_source(source, path, settings, rules, block_cache=block_cache)
        if any(f.code == PARSE_ERROR_CODE for f in findings):
            break
        fixes = [f.fix for f in sorted(applicable(findings, unsafe), key=lambda f: (f.line, f.column))]
        if not fixes:
            break
        source, applied = apply_fixes(source, fixes)
        total += applied
        if not applied:
            break
    return source, total
