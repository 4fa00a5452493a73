"""Level-1 rule behaviour that the generated example tests cannot express:
per-rule options, the message text, and the ranking weights."""

from __future__ import annotations

import textwrap

import pytest
from perflint.config import ConfigError, Settings, parse_table
from perflint.engine import lint_source
from perflint.rules import all_rules, rule_by_code

PF101 = rule_by_code("PF101")


def _pf101(code: str, **options) -> list:
    settings = Settings(rule_options={"PF101": options} if options else {})
    findings = lint_source(textwrap.dedent(code), "example.py", settings, [PF101])
    return [f for f in findings if f.code == "PF101"]


EIGHT = """
def f(xs):
    allowed = ["a", "b", "c", "d", "e", "f", "g", "h"]
    for x in xs:
        if x in allowed:
            print(x)
"""

FIVE = EIGHT.replace(', "f", "g", "h"', "")


def test_min_literal_size_default_skips_short_displays_only():
    assert _pf101(FIVE) == []
    assert len(_pf101(EIGHT)) == 1


@pytest.mark.parametrize("size, flags_five, flags_eight", [(3, True, True), (6, False, True), (9, False, False)])
def test_min_literal_size_option_moves_the_threshold(size, flags_five, flags_eight):
    assert bool(_pf101(FIVE, **{"min-literal-size": size})) is flags_five
    assert bool(_pf101(EIGHT, **{"min-literal-size": size})) is flags_eight


def test_min_literal_size_is_validated_in_config():
    settings = parse_table({"rules": {"PF101": {"min-literal-size": 2}}}, "pyproject.toml")
    assert settings.rule_options["PF101"] == {"min-literal-size": 2}
    with pytest.raises(ConfigError, match="min-literal-size"):
        parse_table({"rules": {"PF101": {"min-literal-size": "big"}}}, "pyproject.toml")


def test_membership_message_names_the_expression_like_the_spec_example():
    code = """
    def f(xs):
        items = list(range(100))
        for x in xs:
            if x in items:
                print(x)
    """
    [finding] = _pf101(code)
    assert finding.message == (
        "`x in items` scans a list on every iteration; build a set once before the loop"
    )


def test_quadratic_rules_outweigh_constant_factor_idioms():
    level1 = {rule.code: rule.weight for rule in all_rules() if rule.code.startswith("PF1")}
    quadratic = [level1[code] for code in ("PF101", "PF102", "PF103", "PF104", "PF105", "PF106", "PF107")]
    idioms = [level1[code] for code in ("PF108", "PF109", "PF110", "PF111", "PF112")]
    assert min(quadratic) > max(idioms)


def test_quadratic_finding_ranks_above_idiom_in_the_same_function():
    code = textwrap.dedent(
        """
        def f(xs, d):
            names = list(range(100))
            hits = []
            for x in xs:
                if x in names:
                    hits.append(x)
            for _, v in d.items():
                print(v)
            return hits
        """
    )
    findings = lint_source(code, "example.py", Settings(select=("PF101", "PF111")))
    by_code = {f.code: f for f in findings}
    assert by_code["PF101"].impact > by_code["PF111"].impact
