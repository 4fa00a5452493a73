"""SARIF 2.1.0, as read by GitHub code scanning."""

from __future__ import annotations

import json
import os

from perflint import __version__
from perflint.model import PARSE_ERROR_CODE, PARSE_ERROR_RULE, Finding

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULE_PAGE = "https://github.com/perflint/perflint/blob/main/docs/rules/{code}.md"


def _rules() -> list[dict]:
    from perflint.rules import all_rules

    described = [
        {
            "id": PARSE_ERROR_CODE,
            "name": PARSE_ERROR_RULE,
            "shortDescription": {"text": "The file could not be read, decoded or parsed."},
            "defaultConfiguration": {"level": "error"},
        }
    ]
    for rule in all_rules():
        described.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.message},
                "fullDescription": {"text": rule.summary() or rule.message},
                "helpUri": RULE_PAGE.format(code=rule.code),
                "help": {"text": rule.documentation(), "markdown": rule.documentation()},
                "defaultConfiguration": {"level": "note" if rule.micro or rule.level > 2 else "warning"},
                "properties": {
                    "level": int(rule.level),
                    "category": rule.level.category,
                    **({"group": "micro"} if rule.micro else {}),
                },
            }
        )
    return described


def _result_level(finding: Finding) -> str:
    """PF000 is an error; levels 1-2 warnings; levels 3-5 and the micro group notes."""
    if finding.level == 0:
        return "error"
    return "warning" if finding.level <= 2 and not finding.micro else "note"


def _uri(path: str) -> str:
    return path.replace(os.sep, "/")


def _location(f: Finding) -> dict:
    location: dict = {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(f.path)},
            "region": {
                "startLine": f.line,
                "startColumn": f.column,
                "endLine": f.end_line,
                "endColumn": f.end_column,
            },
        }
    }
    if f.cell is not None:  # a notebook: the region is relative to this cell
        location["logicalLocations"] = [{"name": f"cell {f.cell}", "kind": "notebookCell"}]
        location["properties"] = {"cell": f.cell}
    return location


def render(findings: list[Finding]) -> str:
    rules = _rules()
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index.get(f.code, 0),
            "level": _result_level(f),
            "message": {"text": f"[L{f.level} {f.category}] {f.message}"},
            "locations": [_location(f)],
            "partialFingerprints": {"perflint/v1": f.fingerprint} if f.fingerprint else {},
            "properties": {"rank": f.rank, "impact": f.impact, "fixable": f.fix is not None},
        }
        for f in findings
    ]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "perflint",
                        "version": __version__,
                        "informationUri": "https://github.com/perflint/perflint",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"
