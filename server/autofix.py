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
from perflint.fixes import applicable, apply_fixes, line_length_limit, makes_long_lines
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
    keep_line_length: bool = False,
) -> tuple[str, int]:
    """Return the fixed text and the number of fixes applied.

    With a ``block_cache`` (the language server's), each pass after the first
    lints only the pieces the last one changed, and the cache may stop the
    work by raising from its ``get``. With ``keep_line_length``, fixes that would
    write a line longer than the project's line length (``fixes.line_length_limit``)
    are not applied (the editor's fix-all; each stays a quick fix).
    """
    total = 0
    for _ in range(MAX_PASSES):
        findings = lint_source(source, path, settings, rules, block_cache=block_cache)
        if any(f.code == PARSE_ERROR_CODE for f in findings):
            break
        fixes = [f.fix for f in sorted(applicable(findings, unsafe), key=lambda f: (f.line, f.column))]
        if keep_line_length:  # the editor's fix-all: a fix that would write a line past the
            # project's line length is left for the user to apply by its own quick fix
            limit = line_length_limit(source, path)
            fixes = [fix for fix in fixes if not makes_long_lines(source, fix, limit)]
        if not fixes:
            break
        source, applied = apply_fixes(source, fixes)
        total += applied
        if not applied:
            break
    return source, total
