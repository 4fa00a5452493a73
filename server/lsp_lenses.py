"""Code lenses with measured time: above each function the profile (``perflint.profile``)
saw, its share of the profiled time and its number of findings.

"38% of profiled time · 2 findings": no other linter shows profile data where the code
is. Without a profile there is no lens. A lens's command opens the ranked hotspots view
(``perflint.showHotspots``, the VS Code extension's command; other clients may ignore it).
"""

from __future__ import annotations

import ast
import warnings
from typing import Optional, Sequence

from lsprotocol import types

from perflint.model import Finding
from perflint.profiles import Profile, format_share

SHOW_HOTSPOTS = "perflint.showHotspots"


def _functions(text: str) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def lens_title(share: float, findings: int) -> str:
    plural = "finding" if findings == 1 else "findings"
    return f"{format_share(share)} of profiled time · {findings} {plural}"


def code_lenses(
    text: str, path: str, profile: Optional[Profile], findings: Sequence[Finding]
) -> list[types.CodeLens]:
    """One lens per function of ``text`` that the profile measured (none without a profile)."""
    if profile is None or not path:
        return []
    lenses = []
    used = set()
    for node in sorted(_functions(text), key=lambda n: n.lineno):
        first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
        measured = profile.lookup(path, node.name, first)
        if measured is None or id(measured) in used or abs(measured.line - first) > 3:
            continue  # not profiled, or the profile's function of that name is another one
        used.add(id(measured))
        end = node.end_lineno or node.lineno
        inside = sum(1 for f in findings if f.level > 0 and first <= f.line <= end)
        share = profile.share(measured)
        line = node.lineno - 1
        lenses.append(
            types.CodeLens(
                range=types.Range(types.Position(line, 0), types.Position(line, 0)),
                command=types.Command(
                    title=lens_title(share, inside),
                    command=SHOW_HOTSPOTS,
                    arguments=[{"path": path, "function": node.name, "line": first, "endLine": end}],
                ),
                data={"share": share, "findings": inside},
            )
        )
    return lenses
