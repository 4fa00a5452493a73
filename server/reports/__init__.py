"""Output formats: each module renders a ranked list of findings as text.

Imports nothing at module level: the command line reads ``FORMATS`` before
it knows whether anything needs rendering.
"""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github")


def renderer(name: str):
    """The ``render(findings) -> str`` function of an output format."""
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
