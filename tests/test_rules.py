"""Every rule's own examples, as tests: look-alikes stay silent, invalid code is
flagged, and each fix gives exactly the expected code, which parses and no
longer triggers the rule."""

from __future__ import annotations

import ast
import re

import pytest

from perflint.autofix import fix_text
from perflint.config import Settings
from perflint.engine import lint_source
from perflint.model import Level
from perflint.rule import DOC_SECTIONS
from perflint.rules import LEVEL_FOLDERS, all_rules

RULES = all_rules()


def _settings(options, rule, prefilter=True):
    return Settings(rule_options={rule.code: dict(options)} if options else {}, prefilter=prefilter)


def _cases(kind):
    for rule in RULES:
        for index, example in enumerate(getattr(rule, kind)):
            yield pytest.param(rule, example, id=f"{rule.code}-{rule.name}-{kind}-{index}")


def _own(findings, rule):
    return [f for f in findings if f.code == rule.code]


@pytest.mark.parametrize("rule, example", list(_cases("valid")))
def test_valid_example_is_not_flagged(rule, example):
    findings = lint_source(example.code, "example.py", _settings(example.options, rule), [rule])
    assert _own(findings, rule) == [], f"{rule.code} fired on a look-alike:\n{example.code}"
    assert not [f for f in findings if f.code == "PF000"], "example does not parse"


@pytest.mark.parametrize("rule, example", list(_cases("invalid")))
def test_invalid_example_is_flagged_and_fixed(rule, example):
    settings = _settings(example.options, rule)
    findings = _own(lint_source(example.code, "example.py", settings, [rule]), rule)
    assert findings, f"{rule.code} did not fire on:\n{example.code}"
    if example.fixed is None:
        assert all(f.fix is None for f in findings), "a fix is offered but the example has no expected fix"
        return
    fixes = [f.fix for f in findings if f.fix is not None]
    assert fixes, "the example expects a fix but none is offered"
    if not example.unsafe:
        assert all(fix.is_safe for fix in fixes), "expected a safe fix"
    else:
        assert not all(fix.is_safe for fix in fixes), "expected an unsafe fix"
    fixed, applied = fix_text(example.code, "example.py", settings, unsafe=example.unsafe, rules=[rule])
    assert applied >= 1
    assert fixed == example.fixed
    ast.parse(fixed)
    assert _own(lint_source(fixed, "example.py", settings, [rule]), rule) == []


@pytest.mark.parametrize("rule, example", list(_cases("invalid")) + list(_cases("valid")))
def test_prefilter_does_not_change_findings(rule, example):
    def run(prefilter):
        found = lint_source(example.code, "example.py", _settings(example.options, rule, prefilter), [rule])
        return [(f.code, f.line, f.column, f.end_line, f.end_column, f.fix) for f in found]

    assert run(True) == run(False)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_metadata_and_docs(rule):
    assert re.fullmatch(rf"PF{int(rule.level)}\d\d", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule.name)
    assert rule.__module__.split(".")[-2] == [k for k, v in LEVEL_FOLDERS.items() if v == rule.level][0]
    assert isinstance(rule.level, Level) and rule.message
    sections = rule.doc_sections()
    missing = [s for s in DOC_SECTIONS if not sections.get(s)]
    assert not missing, f"{rule.code} docs lack sections: {missing}"
    assert rule.valid and rule.invalid, "every rule needs look-alikes and flagged examples"


def test_codes_and_names_are_unique():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
