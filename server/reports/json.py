"""SPEC's JSON array of findings."""

from __future__ import annotations

import json

from perflint.model import Finding


def render(findings: list[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], indent=2) + "\n"
