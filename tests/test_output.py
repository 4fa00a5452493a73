"""What the default output reports and in which order (issue #20): the micro group,
bounded loops, cold code, size evidence in the impact, and 'Start with'."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import pytest

from perflint.config import ConfigError, Settings, parse_table
from perflint.engine import lint_source
from perflint.ranking import drops, rank, start_with
from perflint.reports.text import summary
DEFAULT = Settings()
COLD = Settings(cold=True)


def _lint(source: str, path: str = "app/service.py", settings: Settings = DEFAULT):
    return lint_source(textwrap.dedent(source), path, settings)  # the rules the settings enable


def _codes(findings):
    return [(f.code, f.line) for f in findings]


MEMBERSHIP = """
def unknown(rows):
    allowed = [r.key for r in rows]
    for row in rows:
        if row.key in allowed:
            print(row)
"""


# --- the micro group ----------------------------------------------------------

APPEND_LOOP = """
def f(rows):
    out = []
    for row in rows:
        out.append(row * 2)
    return out
"""


def test_micro_rules_are_off_by_default_and_on_with_the_group():
    assert "PF109" not in {f.code for f in _lint(APPEND_LOOP)}
    selected = _lint(APPEND_LOOP, settings=Settings(select=("micro",)))
    assert [f.code for f in selected] == ["PF109"]
    assert selected[0].micro and selected[0].fix is not None
    # A prefix selects the level's default rules only; the code itself selects a micro rule.
    assert _lint(APPEND_LOOP, settings=Settings(select=("PF1",))) == []
    assert [f.code for f in _lint(APPEND_LOOP, settings=Settings(select=("PF109",)))] == ["PF109"]


def test_micro_findings_rank_after_every_level():
    source = APPEND_LOOP + MEMBERSHIP
    findings = _lint(source, settings=Settings(select=("PF", "micro")))
    # Even with a far higher impact, the micro finding comes last.
    boosted = [replace(f, impact=10_000.0) if f.code == "PF109" else f for f in findings]
    assert [f.code for f in rank(boosted)] == ["PF101", "PF109"]


# --- bounded loops (runs_fixed_times in Rule.report) ----------------------------


@pytest.mark.parametrize(
    "loop",
    [
        "for name in NAMES:",  # a module-level tuple of literals
        "for name in Color:",  # an enum's members
        "for name in range(3):",
        "for name in sys.argv:",
        "for name, label in LABELS.items():",
        "for i, name in enumerate(NAMES):",
    ],
)
def test_a_loop_over_bounded_data_is_not_reported(loop):
    source = f"""
import enum
import sys

NAMES = ("a", "b", "c")
LABELS = {{"a": 1, "b": 2}}


class Color(enum.Enum):
    RED = 1


def f(rows):
    seen = list(rows)
    {loop}
        if name in seen:
            print(name)
"""
    assert _codes(_lint(source)) == []
    unbounded = source.replace(loop, "for name in rows:")
    assert _codes(_lint(unbounded)) == [("PF101", 16)]


LOCAL_LITERAL = """
def pick(advertised: list[str]):
    preferred = ["CRAM-MD5", "PLAIN", "LOGIN"]
    {change}
    return [auth for auth in preferred if auth in advertised]
"""


def test_a_loop_over_a_local_bound_once_to_constants_is_not_reported():
    source = LOCAL_LITERAL.replace("{change}", "pass")
    assert _codes(_lint(source)) == []
    # Look-alikes: the list grows, is handed on, or is bound again: its size is not written down.
    for change in ("preferred.append(extra())", "register(preferred)", "preferred = load()"):
        assert _codes(_lint(LOCAL_LITERAL.replace("{change}", change))) == [("PF101", 5)], change


def test_a_local_name_shadowing_a_module_constant_is_not_bounded():
    source = """
NAMES = ("a", "b")


def f(NAMES, rows):
    seen = list(rows)
    for name in NAMES:
        if name in seen:
            print(name)
"""
    assert _codes(_lint(source)) == [("PF101", 8)]


# --- size and heat in the impact -------------------------------------------------


def test_a_loop_over_a_parameter_weighs_more_than_one_over_a_local():
    over_param = _lint(MEMBERSHIP)
    over_local = _lint(MEMBERSHIP.replace("for row in rows:", "for row in allowed[:]:"))
    assert over_param[0].context["evidence"] == "in a loop over the parameter `rows`"
    assert "evidence" not in over_local[0].context
    assert over_param[0].impact == pytest.approx(1.5 * over_local[0].impact, rel=0.01)


def test_data_from_outside_the_program_weighs_more_than_a_parameter():
    over_param = _lint(MEMBERSHIP)
    over_query = _lint(MEMBERSHIP.replace("for row in rows:", "for row in Row.objects.all():"))
    assert over_query[0].context["evidence"] == "in a loop over a query result"
    assert over_query[0].impact == pytest.approx(over_param[0].impact * 4 / 1.5, rel=0.01)


@pytest.mark.parametrize(
    ("rows", "evidence"),
    [
        ("order.lines.all()", "in a loop over the rows related to one object"),
        ("self.lines.filter(active=True).order_by('pk')", "in a loop over the rows related to one object"),
        ("list(order.lines.all())", "in a loop over the rows related to one object"),
        ("Line.objects.filter(order__in=ids)", "in a loop over a query result"),
        ("self.queryset.all()", "in a loop over a query result"),
        ("session.query(Line).all()", "in a loop over a query result"),
    ],
)
def test_one_objects_related_rows_weigh_like_a_parameter_not_like_a_table(rows, evidence):
    """One order's lines are bounded by that order's fan-out; a table's rows are not."""
    found = _lint(MEMBERSHIP.replace("for row in rows:", f"for row in {rows}:"))
    assert found[0].context["evidence"] == evidence
    over_param = _lint(MEMBERSHIP)
    factor = 1.5 if "one object" in evidence else 4
    assert found[0].impact == pytest.approx(over_param[0].impact * factor / 1.5, rel=0.01)


def test_a_local_bound_to_a_query_is_a_query_result():
    bound = MEMBERSHIP.replace("for row in rows:", "pending = Row.objects.filter(state=1)\n    for row in pending:")
    assert _lint(bound)[0].context["evidence"] == "in a loop over a query result"
    refined = bound.replace("for row in pending:", "pending = pending.exclude(x=2)\n    for row in pending:")
    assert _lint(refined)[0].context["evidence"] == "in a loop over a query result"
    mixed = bound.replace("for row in pending:", "if rows:\n        pending = []\n    for row in pending:")
    assert "evidence" not in _lint(mixed)[0].context


def test_star_args_are_the_call_sites_arguments_not_evidence_of_size():
    over_star = _lint(MEMBERSHIP.replace("(rows)", "(*rows)", 1))
    assert "evidence" not in over_star[0].context


# --- cold code ------------------------------------------------------------------

HOT_BODY = """\
    allowed = [r.key for r in rows]
    for row in rows:
        if row.key in allowed:
            print(row)
"""


def _wrapped(kind: str) -> str:
    body = textwrap.indent(HOT_BODY, "    ")
    if kind == "repr":
        return f"class C:\n    def __repr__(self, rows=()):\n{body}"
    if kind == "except":
        return f"def f(rows):\n    try:\n        pass\n    except ValueError:\n{body}"
    if kind == "test-helper":
        return f"def _test_members(rows):\n{HOT_BODY}"
    if kind == "main-block":
        return f"rows = load()\nif __name__ == '__main__':\n{textwrap.indent(HOT_BODY, '    ')}"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("repr", "in `__repr__` (runs for display or once per class)"),
        ("except", "in an exception handler"),
        ("main-block", "in the `__main__` block"),
        ("test-helper", "in `_test_members` (a test helper)"),
    ],
)
def test_cold_regions_leave_the_default_output(kind, reason):
    source = _wrapped(kind)
    assert _lint(source) == []
    kept = _lint(source, settings=COLD)
    assert [f.code for f in kept] == ["PF101"]
    assert kept[0].context["cold"] == reason


@pytest.mark.parametrize(
    "path", ["tests/test_service.py", "app/tests/helpers.py", "test_service.py", "conftest.py", "app/migrations/0002_data.py", "setup.py"]
)
def test_cold_files_leave_the_default_output(path):
    assert _lint(MEMBERSHIP, path) == []
    assert [f.code for f in _lint(MEMBERSHIP, path, COLD)] == ["PF101"]


def test_module_level_and_entry_points_stay_but_rank_low():
    module_level = "rows = load()\nallowed = [r.key for r in rows]\nfor row in rows:\n    if row.key in allowed:\n        print(row)\n"
    entry_point = "def main(rows):\n" + HOT_BODY
    hot = _lint(MEMBERSHIP)
    low = [*_lint(module_level), *_lint(entry_point)]
    assert [f.code for f in low] == ["PF101", "PF101"]
    assert low[0].context["cold"] == "at module level (runs once, at import)"
    assert low[1].context["cold"] == "in `main` (a command-line entry point)"
    assert all(f.impact < hot[0].impact / 10 for f in low)
    # ...and 'Start with' never names them.
    assert [f.context["function"] for f in start_with(rank([*low, *hot]))] == ["unknown"]


def test_drops_names_what_leaves_the_output():
    assert drops("in a test file") and drops("in an exception handler") and drops("in `__str__` (runs for display or once per class)")
    assert not drops(None)
    assert not drops("at module level (runs once, at import)")
    assert not drops("in argument parsing") and not drops("in command-line wiring")


def test_cold_is_a_config_key_and_part_of_the_fingerprint():
    settings = parse_table({"cold": True}, "/tmp/pyproject.toml")
    assert settings.cold is True
    assert settings.fingerprint() != parse_table({}, "/tmp/pyproject.toml").fingerprint()
    with pytest.raises(ConfigError, match="'cold' must be true or false"):
        parse_table({"cold": "yes"}, "/tmp/pyproject.toml")


# --- 'Start with' ----------------------------------------------------------------


def test_the_summary_names_where_to_start():
    findings = rank(_lint(MEMBERSHIP + APPEND_LOOP, settings=Settings(select=("PF", "micro"))))
    text = summary(findings)
    assert "Start with: " in text
    start = text.split("Start with: ")[1]
    assert "PF101" in start and "PF109" not in start


def test_check_cold_flag_and_config_key(perflint, write):
    write("tests/test_service.py", MEMBERSHIP)
    assert perflint("check", "tests/test_service.py").returncode == 0
    shown = perflint("check", "--cold", "tests/test_service.py")
    assert shown.returncode == 1 and "PF101" in shown.stdout
    write("pyproject.toml", "[tool.perflint]\ncold = true\n")
    assert "PF101" in perflint("check", "tests/test_service.py").stdout


def test_test_folders_count_below_the_project_root_only(tmp_path):
    project = tmp_path / "test" / "shop"  # a checkout that happens to live under a folder named test
    (project / "app").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'shop'\n", encoding="utf-8")
    source = project / "app" / "service.py"
    source.write_text(textwrap.dedent(MEMBERSHIP), encoding="utf-8")
    assert [f.code for f in _lint(MEMBERSHIP, str(source))] == ["PF101"]
    inside = project / "tests" / "helpers.py"
    inside.parent.mkdir()
    inside.write_text(textwrap.dedent(MEMBERSHIP), encoding="utf-8")
    assert _lint(MEMBERSHIP, str(inside)) == []


def test_a_body_read_in_chunks_is_evidence_of_size():
    source = "def save(upload):\n    data = b''\n    for chunk in upload.chunks():\n        data += chunk\n    return data\n"
    found = _lint(source)
    assert [f.code for f in found] == ["PF102"]
    assert found[0].context["evidence"] == "in a loop over a stream read in chunks"


@pytest.mark.parametrize(
    ("lines", "evidence"),
    [
        ("path.read_text().splitlines()", "in a loop over file lines"),
        ("fh.readlines()", "in a loop over file lines"),
        ("response.text.splitlines()", "in a loop over a response body"),
        ("header.splitlines()", "in a loop over the parameter `header`"),
        ("self.banner.splitlines()", None),
    ],
)
def test_split_lines_are_a_files_only_when_the_text_was_read_from_one(lines, evidence):
    source = f"""
def scan(header, path, fh, response, rows):
    seen = []
    for line in {lines}:
        if line in seen:
            seen.append(line)
"""
    found = _lint(source)
    assert [f.code for f in found] == ["PF101"]
    assert found[0].context.get("evidence") == evidence
