"""The language server's pure parts, without a server: text sync, positions,
suppression comments, settings and config reloading."""

from __future__ import annotations

import os

import pytest
from lsprotocol import types

from perflint.lsp_actions import suppression_edit
from perflint.lsp_settings import ProjectConfigs, parse_client_settings, severity_for, unwrap
from perflint.lsp_text import UTF8, UTF16, UTF32, DocumentText, from_client_units, to_client_units
from perflint.model import Edit


def change(start: tuple[int, int], end: tuple[int, int], text: str) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(*start), types.Position(*end)), text=text
    )


@pytest.mark.parametrize(
    "before, edit, after",
    [
        ("a\x0cb\nc\n", change((1, 0), (1, 1), "X"), "a\x0cb\nX\n"),  # a form feed is not a line break
        ("a\r\nb\r\n", change((1, 1), (1, 1), "!"), "a\r\nb!\r\n"),
        ("ab\ncd\n", change((0, 1), (1, 1), ""), "ad\n"),  # across lines
        ("ab\n", change((1, 0), (1, 0), "z"), "ab\nz"),  # at the very end
        ("ab\n", change((0, 99), (0, 99), "!"), "ab!\n"),  # past the end of the line means its end
        ("a\r", change((1, 0), (1, 0), "\nb"), "a\r\nb"),  # "\r" + "\n" become one break
    ],
)
def test_incremental_changes(before, edit, after):
    document = DocumentText(before, 1)
    document.apply(edit, UTF16)
    assert document.text == after
    assert document.lines == DocumentText(after, 2).lines


def test_a_cr_and_lf_joined_by_an_edit_count_as_one_line_break():
    document = DocumentText("a\rX\nb\n", 1)
    document.apply(change((1, 0), (1, 1), ""), UTF16)  # delete X: "a\r" + "\nb" now meet
    assert document.lines == ["a\r\n", "b\n"]


def test_whole_document_change():
    document = DocumentText("old\n", 1)
    document.apply(types.TextDocumentContentChangeWholeDocument(text="new\ntext"), UTF16)
    assert document.lines == ["new\n", "text"]


@pytest.mark.parametrize(
    "encoding, column, units",
    [(UTF16, 3, 4), (UTF32, 3, 3), (UTF8, 3, 6), (UTF16, 1, 1), (UTF16, 2, 3)],
)
def test_columns_convert_both_ways(encoding, column, units):
    line = "a\U0001f600b"  # the emoji: 1 code point, 2 UTF-16 units, 4 UTF-8 bytes
    assert to_client_units(line, column, encoding) == units
    assert from_client_units(line, units, encoding) == column


def test_a_column_inside_a_character_means_that_character():
    assert from_client_units("a\U0001f600b", 2, UTF16) == 1


@pytest.mark.parametrize(
    "line, expected",
    [
        ("for x in f.readlines():\n", "for x in f.readlines():  # perflint: ignore[PF404]\n"),
        ("for x in f.readlines():   \n", "for x in f.readlines():  # perflint: ignore[PF404]\n"),
        ("for x in y:  # noqa: E501\n", "for x in y:  # noqa: E501  # perflint: ignore[PF404]\n"),
        ("for x in y:  # perflint: ignore[PF101]\n", "for x in y:  # perflint: ignore[PF101, PF404]\n"),
        ("for x in y:  # perflint: ignore[]\n", "for x in y:  # perflint: ignore[PF404]\n"),
        ("    for x in '#'.join(y):\n", "    for x in '#'.join(y):  # perflint: ignore[PF404]\n"),
    ],
)
def test_suppression_comment(line, expected):
    edit = suppression_edit([line], 0, "PF404")
    assert _apply(line, edit) == expected


@pytest.mark.parametrize(
    "lines",
    [
        ["x = 1  # perflint: ignore\n"],  # already silences everything
        ["x = 1  # perflint: ignore[PF4]\n"],  # a prefix already covers PF404
        ['x = f("""abc\n', 'def""")\n'],  # the line ends inside a string
        ["x = a + \\\n", "    b\n"],  # nothing may follow a backslash
    ],
)
def test_no_suppression_comment_where_none_belongs(lines):
    assert suppression_edit(lines, 0, "PF404") is None


def _apply(line: str, edit: Edit) -> str:
    return line[: edit.column - 1] + edit.content + line[edit.end_column - 1 :]


def test_severity_by_level():
    assert severity_for(0) == types.DiagnosticSeverity.Error
    assert severity_for(1) == types.DiagnosticSeverity.Warning
    assert severity_for(3) == types.DiagnosticSeverity.Information
    settings, problems = parse_client_settings({"severity": {"caching": "hint", "L1": "Error"}}, None)
    assert problems == []
    assert severity_for(3, settings.severity) == types.DiagnosticSeverity.Hint
    assert severity_for(1, settings.severity) == types.DiagnosticSeverity.Error
    assert severity_for(2, settings.severity) == types.DiagnosticSeverity.Warning
    # A micro rule's finding is a hint whatever its level (SPEC.md "The `micro` group").
    assert severity_for(1, micro=True) == types.DiagnosticSeverity.Hint


def test_client_settings_validation(tmp_path):
    assert unwrap({"perflint": {"debounce": 5}}) == unwrap({"debounce": 5}) == {"debounce": 5}
    assert unwrap({"python": {}}) is None
    settings, problems = parse_client_settings(
        {"select": [], "ignore": "PF1, pf203", "levels": [1, "io"], "profile": "run.prof", "debounce": 0}, str(tmp_path)
    )
    assert problems == []
    assert settings.select is None  # an empty list means "not set"
    assert settings.ignore == ("PF1", "PF203")
    assert settings.levels == frozenset({1, 4})
    assert settings.profile == str(tmp_path / "run.prof")
    assert settings.debounce_ms == 0
    settings, problems = parse_client_settings({"debounce": -1, "enable": "yes", "select": ["XX1"]}, None)
    assert settings.debounce_ms == 150 and settings.enable is True and settings.select is None
    assert len(problems) == 3 and all(p.startswith("setting perflint.") for p in problems)


def test_project_configs_notice_a_new_config_file_in_a_parent_folder(tmp_path):
    (tmp_path / "pkg").mkdir()
    source = tmp_path / "pkg" / "app.py"
    configs = ProjectConfigs()
    assert configs.settings_for(str(source)).ignore == ()
    (tmp_path / "pyproject.toml").write_text('[tool.perflint]\nignore = ["PF404"]\n')
    assert configs.settings_for(str(source)).ignore == ("PF404",)
    os.remove(tmp_path / "pyproject.toml")
    assert configs.settings_for(str(source)).ignore == ()
    configs.set_overrides({"ignore": ("PF1",)})
    assert configs.settings_for(str(source)).ignore == ("PF1",)


def test_every_rule_hover_is_short_and_says_why():
    """Each rule's page yields a hover of a few lines: a why with text, no sections or code blocks."""
    from perflint.lsp_actions import hover_markdown, why_summary
    from perflint.model import Finding
    from perflint.rules import all_rules  # noqa: PLC0415

    for rule in all_rules():
        documentation = rule.documentation()
        why = why_summary(documentation)
        assert len(why) > 40, rule.code
        finding = Finding(path="x.py", line=1, column=1, end_line=1, end_column=2, code=rule.code, rule=rule.name,
                          level=rule.level, message="m", rank=1, impact=1.0)
        value = hover_markdown(finding, documentation)
        assert "## " not in value and "```" not in value, rule.code
        assert len(value) < 900, (rule.code, len(value))
