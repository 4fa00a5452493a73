"""The hotspot report (``perflint report``): where to start.

Findings are grouped by the function that encloses them (module-level code
is one group per file) and functions are ordered by the sum of their
findings' impact, so the function with the most to gain comes first. Each
function shows its cyclomatic complexity (radon, as computed for ranking)
and, with a profile, its measured time. Within a function, findings keep
their run-wide rank order (level first, then impact).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

from perflint.model import Finding
from perflint.ranking import start_with, why_first
from perflint.profiles import format_seconds, format_share


@dataclass
class Hotspot:
    path: str
    function: str  # dotted name ("Cache.get"), or "<module>"
    line: Optional[int]  # the def's line; None for module-level code
    complexity: Optional[int]  # None for module-level code
    time: Optional[dict]  # {"share", "cumulative", "own"}; None without a profile or if it never ran
    findings: list[Finding] = field(default_factory=list)

    @property
    def impact(self) -> float:
        return round(sum(f.impact for f in self.findings), 2)


@dataclass
class Report:
    hotspots: list[Hotspot]
    errors: list[Finding]  # PF000: files that were not analysed


def group(ranked: list[Finding]) -> Report:
    """Group rank-ordered findings by function, most impact first."""
    by_function: dict[tuple, Hotspot] = {}
    errors = []
    for finding in ranked:
        if finding.level == 0:
            errors.append(finding)
            continue
        context = finding.context
        line = context.get("function_line")
        name = context.get("function") if line is not None else "<module>"
        key = (finding.path, line, name)
        if key not in by_function:
            complexity = context.get("complexity") if line is not None else None
            by_function[key] = Hotspot(finding.path, name or "<module>", line, complexity, context.get("profile"))
        by_function[key].findings.append(finding)
    hotspots = sorted(by_function.values(), key=lambda h: (-h.impact, h.findings[0].rank))
    return Report(hotspots, errors)


def _time_text(hotspot: Hotspot, profiled: bool) -> str:
    if not profiled:
        return ""
    if hotspot.time is None:
        return ", not run in the profile"
    time = hotspot.time
    return (
        f", {format_share(time['share'])} of profiled time"
        f" ({format_seconds(time['cumulative'])} with callees, {format_seconds(time['own'])} own)"
    )


def render_text(report: Report, profiled: bool = False) -> str:
    if not report.hotspots and not report.errors:
        return "No findings.\n"
    count = sum(len(h.findings) for h in report.hotspots)
    lines = []
    first = start_with([f for h in report.hotspots for f in h.findings])
    if first:
        lines.append("Start with:")
        lines.extend(f"   {number}. {why_first(f)}: {f.message}" for number, f in enumerate(first, start=1))
        lines.append("")
    if report.hotspots:
        noun = "function" if len(report.hotspots) == 1 else "functions"
        lines.append(f"Where to start: {count} finding{'s' if count != 1 else ''} in {len(report.hotspots)} {noun}, most impact first.")
    for number, hotspot in enumerate(report.hotspots, start=1):
        where = f"{hotspot.path}:{hotspot.line}" if hotspot.line is not None else hotspot.path
        complexity = f", complexity {hotspot.complexity}" if hotspot.complexity is not None else ""
        lines.append("")
        lines.append(f"{number}. {hotspot.function}  {where}")
        lines.append(f"   impact {hotspot.impact:g}{complexity}{_time_text(hotspot, profiled)}")
        for f in hotspot.findings:
            fix = "" if f.fix is None else (" (fix available)" if f.fix.is_safe else " (unsafe fix available)")
            lines.append(f"   {f.line}:{f.column} {f.code} [L{f.level} {f.category}] {f.message}{fix}  impact {f.impact:g}")
    if report.errors:
        lines.append("")
        lines.append("Not analysed:")
        lines.extend(f"   {f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in report.errors)
    return "\n".join(lines) + "\n"


def render_json(report: Report, profiled: bool = False) -> str:
    first = start_with([f for h in report.hotspots for f in h.findings])
    document = {
        "profiled": profiled,
        "start_with": [f.to_dict() for f in first],
        "functions": [
            {
                "path": h.path,
                "function": h.function,
                "line": h.line,
                "complexity": h.complexity,
                "impact": h.impact,
                "time": h.time,
                "findings": [f.to_dict() for f in h.findings],
            }
            for h in report.hotspots
        ],
        "errors": [f.to_dict() for f in report.errors],
    }
    return json.dumps(document, indent=2) + "\n"
