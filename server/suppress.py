"""Suppression comments: ``# perflint: ignore[PF101]`` and ``# noqa: PF101``.

Comments are read with the tokenizer, so a ``#`` inside a string is not one.
A code in brackets may be a prefix (``PF1`` suppresses every level-1 rule);
no codes at all suppresses every perflint finding on that line.
"""

from __future__ import annotations

import io
import re
import tokenize

_PERFLINT = re.compile(r"#\s*perflint:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_CODE_SEPARATORS = re.compile(r"[\s,]+")

ALL = None  # marker: every code on this line is suppressed


def suppressions(text: str) -> dict[int, frozenset[str] | None]:
    """Map a 1-based line number to the codes suppressed there (``None`` = all)."""
    if "perflint" not in text and "noqa" not in text.lower():
        return {}
    found: dict[int, frozenset[str] | None] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.COMMENT:
                continue
            for pattern in (_PERFLINT, _NOQA):
                match = pattern.search(token.string)
                if match is None:
                    continue
                codes = match.group("codes")
                line = token.start[0]
                if codes is None or not codes.strip():
                    found[line] = ALL
                elif found.get(line, frozenset()) is not ALL:
                    parsed = frozenset(c.strip().upper() for c in _CODE_SEPARATORS.split(codes) if c.strip())
                    found[line] = (found.get(line) or frozenset()) | parsed
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return found
    return found


def is_suppressed(code: str, line: int, table: dict[int, frozenset[str] | None]) -> bool:
    if line not in table:
        return False
    codes = table[line]
    return codes is ALL or any(code.startswith(prefix) for prefix in codes)
