"""perflint: a performance linter for Python.

The public API is small and lazy so that a fully cached command-line run never
imports libcst:

- ``lint_source(source, path)`` lints one file's text and returns ranked findings.
- ``lint_paths(paths)`` lints files and folders (no cache, no workers).
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "lint_source", "lint_paths"]


def lint_source(source, path="<stdin>", settings=None):
    """Lint one file's text (``str`` or ``bytes``); see ``perflint.engine.lint_source``."""
    from perflint.engine import lint_source as _lint_source
    from perflint.ranking import rank

    return rank(_lint_source(source, path, settings))


def lint_paths(paths, settings=None):
    """Lint files and folders in this process and return ranked findings."""
    from perflint.engine import lint_file
    from perflint.files import iter_python_files
    from perflint.ranking import rank

    findings = []
    for path in iter_python_files(paths):
        if path.endswith(".ipynb"):
            from perflint.notebooks import lint_notebook

            with open(path, "rb") as handle:
                findings.extend(lint_notebook(handle.read(), path, settings))
            continue
        findings.extend(lint_file(path, settings))
    return rank(findings)
