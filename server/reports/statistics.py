"""``--statistics``: how many findings each rule has, most first (ruff's ``--statistics``).

Text: one row per rule, ``count  code  [*] name  [L1 algorithm]``, where ``[*]`` marks a rule
whose findings here all have a safe fix and ``[-]`` one with some fix; JSON: a list of
``{"code", "name", "level", "category", "count", "fixable"}``.
"""

from __future__ import annotations

import json
from collections import Counter

from perflint.model import Finding
from perflint.reports.text import BOLD, RED, style


def rows(findings: list[Finding]) -> list[dict]:
    counts = Counter(f.code for f in findings)
    first: dict[str, Finding] = {}
    fixes: dict[str, set[str]] = {}
    for finding in findings:
        first.setdefault(finding.code, finding)
        if finding.fix is None:
            kind = "none"
        else:
            kind = "safe" if finding.fix.is_safe else "unsafe"
        fixes.setdefault(finding.code, set()).add(kind)
    result = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        finding = first[code]
        kinds = fixes[code]
        fixable = "all" if kinds == {"safe"} else ("some" if kinds != {"none"} else "none")
        result.append(
            {
                "code": code,
                "name": finding.rule,
                "level": int(finding.level),
                "category": finding.category,
                "count": count,
                "fixable": fixable,
            }
        )
    return result


def render_text(findings: list[Finding], color: bool = False) -> str:
    table = rows(findings)
    if not table:
        return ""
    width = len(str(table[0]["count"]))
    name_width = max(len(row["name"]) for row in table)
    out = []
    for row in table:
        mark = {"all": "[*]", "some": "[-]", "none": "   "}[row["fixable"]]
        code = style(row["code"], f"{BOLD};{RED}", color)
        tag = f"[L{row['level']} {row['category']}]"
        out.append(f"{row['count']:>{width}}  {code}  {mark} {row['name']:<{name_width}}  {tag}")
    return "".join(text + "\n" for text in out)


def render_json(findings: list[Finding]) -> str:
    return json.dumps(rows(findings), indent=2) + "\n"
