"""Grammar-based fuzzing: every rule and every fix on random valid Python.

``hypothesmith`` generates programs from CPython's grammar. Random programs
almost never contain the patterns the rules look for, so the second test also
plants each rule's own examples inside random programs and random wrappers
(a function, an async function, a method, a nested loop): the rules then fire
and their fixes run next to code they were not written against.

Properties: linting never raises; the prefilter and the member pieces change
no finding; applying every fix (safe and unsafe) gives code that still parses;
fixing the fixed code again changes nothing. A third test runs every example in
every wrapper, without randomness.

The run is deterministic (``derandomize``) and small by default; set
``PERFLINT_FUZZ_EXAMPLES`` (e.g. 2000) for a longer search.
"""

from __future__ import annotations

import ast
import os
import textwrap
import warnings

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from perflint.autofix import fix_text
from perflint.config import Settings
from perflint.engine import lint_source
from perflint.rules import all_rules

RULES = all_rules()
EVERY_BLOCK = Settings(prefilter=False)  # no shortcut: every rule visits every block
PIECES = Settings()  # what users run
EXAMPLES = int(os.environ.get("PERFLINT_FUZZ_EXAMPLES", "40"))

FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

RULE_EXAMPLES = sorted(
    {example.code for rule in RULES for example in [*rule.invalid, *rule.valid] if not example.options}
)


def _parses(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)  # `1()` and the like are valid, if silly
            compile(source, "<fuzz>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _check(source: str) -> None:
    findings = lint_source(source, "fuzz.py", EVERY_BLOCK, RULES)
    assert not [f for f in findings if f.code == "PF000"], "valid input reported as not parsing"
    # The real path (classes cut into members, the prefilter) finds exactly the same.
    assert lint_source(source, "fuzz.py", PIECES, RULES) == findings, "the prefilter or the member pieces changed the findings"
    for unsafe in (False, True):
        fixed, _ = fix_text(source, "fuzz.py", EVERY_BLOCK, unsafe=unsafe, rules=RULES)
        assert _parses(fixed), f"fixes broke the code:\n--- before\n{source}\n--- after\n{fixed}"
        again, applied = fix_text(fixed, "fuzz.py", EVERY_BLOCK, unsafe=unsafe, rules=RULES)
        assert (again, applied) == (fixed, 0), f"fixing twice is not idempotent:\n{fixed}"


@FUZZ
@given(hypothesmith.from_grammar())
def test_random_programs(source):
    assume(_parses(source))
    _check(source)


def _wrap(code: str, how: str) -> str:
    if how == "function":
        return "def wrapper(items, f, db):\n" + textwrap.indent(code, "    ")
    if how == "async":
        return "async def wrapper(items, f, db):\n" + textwrap.indent(code, "    ")
    if how == "method":
        return "class Wrapper:\n    def method(self, items):\n" + textwrap.indent(code, "        ")
    if how == "loop":
        return "for outer in range(3):\n" + textwrap.indent(code, "    ")
    return code


@FUZZ
@given(
    program=hypothesmith.from_grammar(),
    examples=st.lists(st.sampled_from(RULE_EXAMPLES), min_size=1, max_size=3),
    how=st.sampled_from(["module", "function", "async", "method", "loop"]),
    program_first=st.booleans(),
)
def test_rule_examples_inside_random_programs(program, examples, how, program_first):
    planted = "\n".join(_wrap(example, how) for example in examples)
    parts = [program, planted] if program_first else [planted, program]
    source = "\n".join(parts)
    assume(_parses(source))
    _check(source)


WRAPPERS = ("module", "function", "async", "method", "loop")


@pytest.mark.parametrize("how", WRAPPERS)
def test_every_rule_example_in_every_wrapper(how):
    """The planted examples without the randomness: each one, in each wrapper, must give the
    same findings with and without the prefilter (a need that assumes where its code sits,
    such as PF303's top-level ``def``, fails here)."""
    for example in RULE_EXAMPLES:
        source = _wrap(example, how)
        if _parses(source):
            assert lint_source(source, "fuzz.py", PIECES, RULES) == lint_source(source, "fuzz.py", EVERY_BLOCK, RULES), (
                how,
                example,
            )
