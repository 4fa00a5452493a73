"""Baselines: accept today's findings, fail only on new ones (a ratchet).

A baseline is a JSON file listing findings by (path, code, fingerprint) with
a count. The fingerprint is the engine's hash of the flagged code's text and
its enclosing function, so edits elsewhere in a file (lines added above, code
reformatted around it) do not turn an old finding into a new one. Counts,
not line numbers, tell how many identical findings a file may hold: a second
copy of a baselined snippet is new.

Paths are stored relative to the baseline file's folder with ``/``
separators, so the file means the same thing from any working directory and
on any OS; entries are sorted, so rewriting an unchanged baseline gives the
same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from perflint import __version__
from perflint.model import Finding

FORMAT_VERSION = 1

Key = tuple[str, str, str]  # (relative path, code, fingerprint)


class BaselineError(Exception):
    """The baseline file cannot be read or is not a perflint baseline; one line."""


@dataclass
class Filtered:
    new: list[Finding]  # not covered by the baseline: report these
    known: int  # findings the baseline accepted


def _key(finding: Finding, root: str) -> Key:
    relative = os.path.relpath(os.path.abspath(finding.path), root).replace(os.sep, "/")
    fingerprint = finding.fingerprint
    if not fingerprint:  # PF000 has no flagged code: identify it by its message
        fingerprint = hashlib.blake2b(finding.message.encode(), digest_size=8).hexdigest()
    return (relative, finding.code, fingerprint)


def _root(baseline_path: str) -> str:
    return os.path.dirname(os.path.abspath(baseline_path))


def write_baseline(path: str, findings: Iterable[Finding]) -> int:
    """Record ``findings`` in ``path``; return how many were recorded."""
    root = _root(path)
    counts: Counter[Key] = Counter()
    functions: dict[Key, str] = {}
    for finding in findings:
        key = _key(finding, root)
        counts[key] += 1
        functions.setdefault(key, finding.context.get("function") or "<module>")
    entries = [
        {"path": p, "code": code, "fingerprint": fp, "function": functions[(p, code, fp)], "count": counts[(p, code, fp)]}
        for p, code, fp in sorted(counts)
    ]
    document = {"perflint-baseline": FORMAT_VERSION, "written-by": f"perflint {__version__}", "findings": entries}
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(json.dumps(document, indent=2) + "\n")
    except OSError as error:
        raise BaselineError(f"{path}: cannot write baseline: {error.strerror or error}") from None
    return sum(counts.values())


def load_baseline(path: str) -> Counter[Key]:
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline not found (create it with --write-baseline)") from None
    except OSError as error:
        raise BaselineError(f"{path}: cannot read baseline: {error.strerror or error}") from None
    except ValueError:
        raise BaselineError(f"{path}: not a perflint baseline (invalid JSON)") from None
    if not isinstance(document, dict) or document.get("perflint-baseline") != FORMAT_VERSION:
        raise BaselineError(f"{path}: not a perflint baseline (expected \"perflint-baseline\": {FORMAT_VERSION})")
    counts: Counter[Key] = Counter()
    entries = document.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: \"findings\" must be a list")
    for index, entry in enumerate(entries):
        try:
            key = (entry["path"], entry["code"], entry["fingerprint"])
            count = entry["count"]
        except (KeyError, TypeError):
            raise BaselineError(f"{path}: finding {index + 1} needs path, code, fingerprint and count") from None
        if not all(isinstance(part, str) for part in key) or not isinstance(count, int) or count < 1:
            raise BaselineError(f"{path}: finding {index + 1} has a wrong type or a count below 1")
        counts[key] += count
    return counts


def filter_new(findings: Iterable[Finding], baseline: Counter[Key], baseline_path: str) -> Filtered:
    """Split findings into new ones and ones the baseline accepts.

    Within one key the earliest findings in the file are the accepted ones;
    identical findings cannot be told apart, so which copy is "new" is arbitrary.
    """
    root = _root(baseline_path)
    remaining = Counter(baseline)
    new: list[Finding] = []
    known = 0
    for finding in sorted(findings, key=lambda f: (f.path, f.line, f.column, f.code)):
        key = _key(finding, root)
        if remaining[key] > 0:
            remaining[key] -= 1
            known += 1
        else:
            new.append(finding)
    return Filtered(new=new, known=known)
