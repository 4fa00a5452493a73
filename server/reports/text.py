"""``path:line:col: CODE [L1 algorithm] message (fix available)`` and a per-level summary.

With ``color`` (the command line decides: a terminal, ``--color``, ``NO_COLOR`` /
``FORCE_COLOR``), the same text with ANSI styles: bold path, bold red code, the level
tag coloured by level, the fix note in green (safe) or yellow (unsafe).
"""

from __future__ import annotations

from collections import Counter

from perflint.model import Finding, Level
from perflint.ranking import start_with, why_first

BOLD, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, DIM = "1", "31", "32", "33", "34", "35", "36", "2"
LEVEL_STYLES = {0: f"{BOLD};{MAGENTA}", 1: YELLOW, 2: YELLOW, 3: CYAN, 4: CYAN, 5: CYAN}


def style(text: str, codes: str, color: bool) -> str:
    return f"\x1b[{codes}m{text}\x1b[0m" if color and text else text


def line(finding: Finding, color: bool = False) -> str:
    tag_style = DIM if finding.micro else LEVEL_STYLES.get(finding.level, "")
    tag = style(f"[L{finding.level} {finding.category}]", tag_style, color)
    path = style(finding.path, BOLD, color)
    code = style(finding.code, f"{BOLD};{RED}", color)
    text = f"{path}:{finding.where}: {code} {tag} {finding.message}"
    if finding.fix is not None:
        if finding.fix.is_safe:
            text += " " + style("(fix available)", GREEN, color)
        else:
            text += " " + style("(unsafe fix available)", YELLOW, color)
    return text


def summary(findings: list[Finding], fixed: int = 0, color: bool = False) -> str:
    """The lines after the findings. With ``fixed`` (``--fix`` applied that many), the first line
    counts found, fixed and remaining findings as ruff does."""
    if not findings and not fixed:
        return style("No findings.", BOLD, color)
    total = len(findings) + fixed
    noun = "finding" if total == 1 else "findings"
    if fixed:
        text = style(f"Found {total} {noun} ({fixed} fixed, {len(findings)} remaining).", BOLD, color)
    else:
        by_level = Counter(f.level for f in findings if not f.micro)
        parts = [f"L{level} {Level(level).category}: {by_level[level]}" for level in sorted(by_level)]
        micro = sum(1 for f in findings if f.micro)
        if micro:
            parts.append(f"micro: {micro}")
        text = style(f"Found {total} {noun} ({', '.join(parts)}).", BOLD, color)
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


def render(findings: list[Finding], color: bool = False, fixed: int = 0, quiet: bool = False) -> str:
    """The findings, one per line, then (unless ``quiet``) the summary."""
    lines = [line(f, color) for f in findings]
    if not quiet:
        lines.append(summary(findings, fixed, color))
    return "".join(text + "\n" for text in lines)
