"""GitHub Actions workflow commands: one ``::warning`` annotation per finding."""

from __future__ import annotations

from perflint.model import Finding


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        kind = "error" if f.level == 0 else "warning"
        props = (
            f"file={_escape_property(f.path)},line={f.line},col={f.column},"
            f"endLine={f.end_line},endColumn={f.end_column},title={_escape_property(f.code)}"
        )
        message = f"[L{f.level} {f.category}] {f.message}"
        if f.cell is not None:  # positions are relative to the cell, not to the file's JSON
            message = f"cell {f.cell}:{f.line}:{f.column}: {message}"
        lines.append(f"::{kind} {props}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)
