"""perflint on its own source: the engine (server/) and the rules (rules/) are clean.

A finding here is either slow code in perflint (fix the code) or a rule that
is wrong about perflint's code (a false positive: tell the rule's owner).
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_perflint_finds_nothing_in_its_own_source(perflint):
    run = perflint("check", "--no-cache", "--select", "PF", str(REPO / "server"), str(REPO / "rules"))
    assert (run.returncode, run.stderr) == (0, ""), run.stdout + run.stderr
    assert run.stdout == "No findings.\n"


def test_the_sources_keep_to_the_oldest_python_they_declare():
    """pyproject says ``requires-python = ">=3.10"``: no 3.11-only syntax, and no regular
    expression with a possessive quantifier or an atomic group (``re`` learned them in 3.11;
    on 3.10 such a pattern fails when its module is imported)."""
    import ast
    import re

    newer_regex = re.compile(r"(?:\+\+|\*\+|\?\+|\}\+|\(\?>)")
    newer_builtins = {"BaseExceptionGroup", "ExceptionGroup"}
    for path in sorted([*(REPO / "server").rglob("*.py"), *(REPO / "rules").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path), feature_version=(3, 10))
        guarded = {  # names read only inside ``try: ... except NameError:``
            id(node)
            for handler_try in ast.walk(tree) if isinstance(handler_try, ast.Try)
            and any(isinstance(h.type, ast.Name) and h.type.id == "NameError" for h in handler_try.handlers)
            for statement in handler_try.body for node in ast.walk(statement)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in newer_builtins and id(node) not in guarded:
                raise AssertionError(f"{path.relative_to(REPO)}:{node.lineno}: {node.id} is a builtin from Python 3.11")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("compile", "search", "match", "fullmatch", "findall", "finditer", "sub")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
            ):
                pattern = node.args[0]
                texts = [pattern.value] if isinstance(pattern, ast.Constant) and isinstance(pattern.value, str) else [
                    part.value for part in getattr(pattern, "values", []) if isinstance(part, ast.Constant)
                ]
                for text in texts:
                    assert not newer_regex.search(text.replace("\\+", "").replace("\\*", "").replace("\\?", "")), (
                        f"{path.relative_to(REPO)}:{node.lineno}: {text!r} needs Python 3.11"
                    )
