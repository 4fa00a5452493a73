"""``path:line:col: CODE [L1 algorithm] message (fix available)`` and a per-level summary."""

from __future__ import annotations

from collections import Counter

from perflint.model import Finding, Level
from perflint.ranking import start_with, why_first


def line(finding: Finding) -> str:
    tag = f"[L{finding.level} {finding.category}]"
    text = f"{finding.path}:{finding.where}: {finding.code} {tag} {finding.message}"
    if finding.fix is not None:
        text += " (fix available)" if finding.fix.is_safe else " (unsafe fix available)"
    return text


def summary(findings: list[Finding]) -> str:
    if not findings:
        return "No findings."
    by_level = Counter(f.level for f in findings if not f.micro)
    parts = [f"L{level} {Level(level).category}: {by_level[level]}" for level in sorted(by_level)]
    micro = sum(1 for f in findings if f.micro)
    if micro:
        parts.append(f"micro: {micro}")
    noun = "finding" if len(findings) == 1 else "findings"
    text = f"Found {len(findings)} {noun} ({', '.join(parts)})."
    first = start_with(findings)
    if first:
        text += "\nStart with: " + ", ".join(why_first(f) for f in first) + "."
    safe = sum(1 for f in findings if f.fix is not None and f.fix.is_safe)
    unsafe = sum(1 for f in findings if f.fix is not None and not f.fix.is_safe)
    if safe:
        text += f"\n{safe} fixable with --fix."
    if unsafe:
        text += f"\n{unsafe} more fixable with --fix --unsafe-fixes."
    return text


def render(findings: list[Finding]) -> str:
    lines = [line(f) for f in findings]
    lines.append(summary(findings))
    return "\n".join(lines) + "\n"
