"""Impact and rank: level first, then how hot the flagged code is.

Impact grows with the rule's weight (quadratic patterns weigh more than
constant-factor idioms), doubles with each enclosing loop, and grows with the
logarithm of the enclosing function's cyclomatic complexity (radon). With a
profile, it is scaled by the enclosing function's share of profiled time,
and code the profile never ran sinks to the bottom of its level.

Why measured time dominates: a fix can save at most the time spent in its
function, so with a profile the impact is that share in percent times a
factor between about 1/2 and 1 that grows with the static impact
(``s / (s + 1)``). Findings in one function keep their static order, and a
function with twice the measured time of another outranks it whatever the
loops say. Ties (all the never-run findings at impact 0) are broken by the
static impact.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Iterable, Optional

from perflint.model import Finding


def impact_of(weight: float, loop_depth: int, complexity: int) -> float:
    return round(weight * (2 ** min(loop_depth, 6)) * (1 + math.log2(max(complexity, 1))), 2)


def profiled_impact(static_impact: float, share: float) -> float:
    """Impact of a finding whose function took ``share`` (0..1) of the profiled time; never 0 for code that ran."""
    factor = static_impact / (static_impact + 1) if static_impact > 0 else 0.5
    return max(round(100 * share * factor, 2), 0.01)


def rank_key(finding: Finding) -> tuple:
    """Micro findings after every other (SPEC.md "The `micro` group"), then level, then impact."""
    static = finding.context.get("static_impact", finding.impact)
    return (
        finding.micro,
        finding.level,
        -finding.impact,
        -static,
        finding.path,
        finding.line,
        finding.column,
        finding.code,
    )


def path_key(finding: Finding) -> tuple:
    return (finding.path, finding.line, finding.column, finding.code)


def rank(findings: Iterable[Finding], sort: str = "rank") -> list[Finding]:
    """Number findings 1..n in rank order; return them in ``sort`` order ("rank" or "path")."""
    ranked = sorted(findings, key=rank_key)
    numbered = [replace(finding, rank=index) for index, finding in enumerate(ranked, start=1)]
    if sort == "path":
        numbered.sort(key=path_key)
    return numbered


class Complexity:
    """Cyclomatic complexity of each function, by the line of its ``def``; computed on first use.

    ``source`` may be one top-level block of a file starting at ``first_line``:
    a function's complexity depends on its own code only, and radon on the
    block costs what the block costs, not what the whole file does.
    """

    def __init__(self, source: str, first_line: int = 1) -> None:
        self._source = source
        self._offset = first_line - 1
        self._by_line: Optional[dict[int, int]] = None

    def of(self, def_line: Optional[int]) -> int:
        if def_line is None:
            return 1
        if self._by_line is None:
            self._by_line = _radon_complexities(self._source)
        return self._by_line.get(def_line - self._offset, 1)


def _radon_complexities(source: str) -> dict[int, int]:
    from radon.complexity import cc_visit

    try:
        blocks = cc_visit(source)
    except Exception:  # radon trails CPython's grammar; no complexity is better than no finding
        return {}
    by_line: dict[int, int] = {}
    stack = list(blocks)
    while stack:
        block = stack.pop()
        by_line[block.lineno] = block.complexity
        stack.extend(getattr(block, "methods", []) or [])
        stack.extend(getattr(block, "closures", []) or [])
        stack.extend(getattr(block, "inner_classes", []) or [])
    return by_line
