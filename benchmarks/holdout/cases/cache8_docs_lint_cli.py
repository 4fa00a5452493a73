"""``docslint``: a style checker for the handbook's Markdown sources.

The click commands at the bottom are thin; the work happens in ``Checker``
and the helpers it calls, which the Sphinx extension also imports.  CI runs
``docslint check docs/`` over about 4,000 pages on every push.
"""
from __future__ import annotations

import ast
import re
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import click

BANNED_PHRASES = ("simply", "just", "obviously", "of course", "easy", "trivially")
DEFAULT_CONFIG = """
max_line = 100
require_alt_text = true
"""
RULES_XML = "<rules><rule id='D001' level='warn'/><rule id='D002' level='error'/></rules>"
CHECK_EXPR = "len(line) > max_line and not line.startswith('http')"
HEADING_STYLES = ("#", "##", "###")

_BANNED = re.compile(r"\b(?:%s)\b" % "|".join(re.escape(p) for p in BANNED_PHRASES), re.I)  # expect-none
_CHECK_CODE = compile(ast.parse(CHECK_EXPR, mode="eval"), "<check>", "eval")  # expect-none
_RULE_LEVELS = {r.get("id"): r.get("level") for r in ET.fromstring(RULES_XML)}  # expect-none


@dataclass
class Finding:
    path: Path
    line: int
    rule: str


def _banned_pattern() -> re.Pattern[str]:
    return re.compile(r"\b(?:%s)\b" % "|".join(re.escape(p) for p in BANNED_PHRASES), re.I)  # expect: L3


def _settings() -> dict:
    return tomllib.loads(DEFAULT_CONFIG)  # expect: L3


def _rule_level(rule_id: str) -> str:
    for rule in ET.fromstring(RULES_XML).iter("rule"):  # expect: L3
        if rule.get("id") == rule_id:
            return rule.get("level", "warn")
    return "warn"


def _too_long(line: str, max_line: int) -> bool:
    tree = ast.parse(CHECK_EXPR, mode="eval")  # expect: L3
    code = compile(tree, "<check>", "eval")  # expect: L3
    return bool(eval(code, {}, {"line": line, "max_line": max_line}))


def _too_long_fast(line: str, max_line: int) -> bool:
    return bool(eval(_CHECK_CODE, {}, {"line": line, "max_line": max_line}))  # expect-none


def raggedness(widths: tuple[int, ...], start: int, limit: int) -> int:  # expect: L3  # expect-span: 10
    """Smallest total squared slack when wrapping ``widths[start:]`` at ``limit``."""
    if start == len(widths):
        return 0
    best, used = 10**9, -1
    for end in range(start, len(widths)):
        used += widths[end] + 1
        if used > limit:
            break
        best = min(best, (limit - used) ** 2 + raggedness(widths, end + 1, limit))
    return best


@dataclass
class Checker:
    max_line: int = 100
    findings: list[Finding] = field(default_factory=list)

    def check_file(self, path: Path) -> None:
        settings = _settings()
        banned = _banned_pattern()
        for no, line in enumerate(path.read_text().splitlines(), 1):
            if banned.search(line):
                self.findings.append(Finding(path, no, "D001"))
            if _too_long(line, settings["max_line"]):
                self.findings.append(Finding(path, no, "D002"))
        if _rule_level("D002") == "error" and self.findings:
            click.echo(f"{path}: {len(self.findings)} problem(s)")

    def check_file_fast(self, path: Path) -> None:
        for no, line in enumerate(path.read_text().splitlines(), 1):
            if _BANNED.search(line):  # expect-none
                self.findings.append(Finding(path, no, _RULE_LEVELS["D001"]))

    def paragraph_cost(self, text: str) -> int:
        return raggedness(tuple(len(w) for w in text.split()), 0, self.max_line)


@click.group()
@click.option("--config", type=click.Path(exists=True, path_type=Path))
@click.pass_context
def cli(ctx: click.Context, config: Path | None) -> None:
    raw = config.read_text() if config else DEFAULT_CONFIG
    ctx.obj = tomllib.loads(raw)  # expect-none
    for style in HEADING_STYLES:
        ctx.obj.setdefault("headings", []).append(re.compile(rf"^{re.escape(style)}\s"))  # expect-none


@cli.command()
@click.argument("root", type=click.Path(path_type=Path))
def check(root: Path) -> None:
    checker = Checker()
    for path in sorted(root.rglob("*.md")):
        checker.check_file(path)
        for para in path.read_text().split("\n\n"):
            checker.paragraph_cost(para)


@cli.command()
@click.argument("pattern")
@click.argument("root", type=click.Path(path_type=Path))
def grep(pattern: str, root: Path) -> None:
    rx = re.compile(pattern)  # expect-none
    for path in root.rglob("*.md"):
        for line in path.read_text().splitlines():
            if rx.search(line):
                click.echo(f"{path}: {line}")


if __name__ == "__main__":
    cli()
