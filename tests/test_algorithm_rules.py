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


# --- PF113-PF120: the new level-1 families --------------------------------------------

NEW_LEVEL1 = ("PF113", "PF114", "PF115", "PF116", "PF117", "PF118", "PF119", "PF120")


def _codes(code: str, path: str = "example.py", select=NEW_LEVEL1) -> list[str]:
    findings = lint_source(textwrap.dedent(code), path, Settings(select=tuple(select)))
    return sorted(f.code for f in findings)


SEARCHES = """
import numpy as np

def f(words, rows):
    words = list(words)
    freqs = {w: words.count(w) for w in set(words)}
    acc = np.zeros(0)
    for r in rows:
        acc = np.append(acc, r)
    return freqs, acc
"""


def test_new_level1_rules_fire_in_application_code_but_not_in_test_modules():
    assert _codes(SEARCHES) == ["PF113", "PF116"]
    for path in ("tests/test_words.py", "test_words.py", "pkg/tests/helpers.py", "conftest.py"):
        assert _codes(SEARCHES, path) == [], path


def test_new_level1_rules_are_quadratic_weights():
    level1 = {rule.code: rule.weight for rule in all_rules() if rule.code.startswith("PF1")}
    idioms = [level1[code] for code in ("PF108", "PF109", "PF110", "PF111", "PF112")]
    assert min(level1[code] for code in NEW_LEVEL1) > max(idioms)


def test_list_search_message_names_the_list_and_the_cure():
    [finding] = lint_source(
        textwrap.dedent(
            """
            def f(vocab: list[str], tokens):
                return [vocab.index(t) for t in tokens]
            """
        ),
        "example.py",
        Settings(select=("PF113",)),
    )
    assert "`vocab`" in finding.message and "dict" in finding.message


def test_numpy_and_pandas_names_resolve_through_imports():
    aliased = """
    from numpy import append as grow
    import pandas as pandas_lib

    def f(xs, parts):
        arr = None
        frame = pandas_lib.DataFrame()
        for x in xs:
            arr = grow(arr, x)
        for p in parts:
            frame = pandas_lib.concat([frame, p])
        return arr, frame
    """
    assert _codes(aliased) == ["PF116", "PF117"]
    # The same spelling bound to something else is not numpy or pandas.
    shadowed = aliased.replace("from numpy import append as grow", "from mylib import grow").replace(
        "import pandas as pandas_lib", "import mylib as pandas_lib"
    )
    assert _codes(shadowed) == []


def test_a_scan_is_reported_once_by_the_rule_of_its_use():
    code = """
    def f(users, rows):
        for u in users:
            boss = next((m for m in users if m.id == u.boss_id), None)
            mine = [r for r in rows if r.user_id == u.id]
            print(boss, mine)
    """
    findings = lint_source(textwrap.dedent(code), "example.py", Settings(select=NEW_LEVEL1))
    assert sorted((f.code, f.line) for f in findings) == [("PF114", 4), ("PF115", 5)]


def test_a_selection_whose_key_follows_the_current_item_is_not_a_heap_case():
    code = """
    def tour(dist, nodes, start):
        left = list(nodes)
        here = start
        while left:
            here = min(left, key=lambda n: dist[here][n])
            left.remove(here)
    """
    assert _codes(code, select=("PF119",)) == []
    assert _codes(code.replace("dist[here][n]", "dist[start][n]"), select=("PF119",)) == ["PF119"]
