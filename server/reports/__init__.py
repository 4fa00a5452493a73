"""Output formats: each module renders a ranked list of findings as text."""

from __future__ import annotations

from typing import Callable

from perflint.model import Finding

FORMATS = ("text", "json", "sarif", "github")


def renderer(name: str) -> Callable[[list[Finding]], str]:
    if name == "text":
        from perflint.reports.text import render
    elif name == "json":
        from perflint.reports.json import render
    elif name == "sarif":
        from perflint.reports.sarif import render
    elif name == "github":
        from perflint.reports.github import render
    else:  # pragma: no cover - argparse restricts the choices
        raise ValueError(name)
    return render
