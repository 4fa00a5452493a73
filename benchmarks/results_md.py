"""Writing one benchmark's section of ``benchmarks/RESULTS.md``, leaving the others alone."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(section: str, keep: Optional[str] = None, path: Path = RESULTS) -> None:
    """Put ``section`` (its first line is its ``## `` heading) where the section with that
    heading is, or append it. ``keep``: the heading of a subsection written by hand below
    the measured part (``### Where the time goes``), which stays as it is."""
    heading = section.split("\n", 1)[0]
    section = section.rstrip("\n") + "\n"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    start = text.find(heading)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        ends = [i for i in (text.find("\n## ", start + 1), text.find("\n" + keep, start) if keep else -1) if i != -1]
        end = min(ends) if ends else -1
        text = text[:start] + section + ("\n" + text[end + 1 :] if end != -1 else "")
    path.write_text(text, encoding="utf-8")
