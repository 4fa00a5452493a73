"""The command line as SPEC.md describes it, run as a real subprocess."""

from __future__ import annotations

import json

READLINES = """\
def read(path):
    with open(path) as handle:
        for line in handle.readlines():
            print(line)
"""
FIXED = """
def read(path):
    with open(path) as handle:
        for line in handle:
            print(line)
""".lstrip("\n")

SPEC_KEYS = {
    "path", "line", "column", "end_line", "end_column", "code", "rule",
    "level", "category", "message", "rank", "impact", "fix",
}


def test_text_format_lists_findings_with_level_and_summary(perflint, write):
    write("app.py", READLINES)
    run = perflint("check", "app.py")
    assert run.returncode == 1
    assert run.stdout.splitlines()[0] == (
        "app.py:3:21: PF404 [L4 io] `for ... in f.readlines()` reads the whole file first;"
        " iterate the file object directly (fix available)"
    )
    assert "Found 1 finding (micro: 1)." in run.stdout  # PF404 is micro (issue #20)


def test_check_is_the_default_command_and_dot_the_default_path(perflint, write):
    write("pkg/app.py", READLINES)
    assert perflint().stdout == perflint("check", ".").stdout
    assert "pkg/app.py:3:21: PF404" in perflint().stdout


def test_json_matches_the_spec_schema(perflint, write):
    write("app.py", READLINES)
    write("broken.py", "def f(:\n    pass\n")
    findings = json.loads(perflint("check", "--format", "json", ".").stdout)
    assert [f["code"] for f in findings] == ["PF000", "PF404"]
    for finding in findings:
        assert set(finding) == SPEC_KEYS
        assert finding["line"] >= 1 and finding["column"] >= 1
    error, readlines = findings
    assert (error["path"], error["line"], error["level"], error["category"]) == ("broken.py", 1, 0, "error")
    assert error["message"].startswith("SyntaxError")
    assert readlines["path"] == "app.py" and readlines["rank"] == 2
    assert readlines["fix"]["applicability"] == "safe"
    assert readlines["fix"]["edits"] == [
        {"line": 3, "column": 27, "end_line": 3, "end_column": 39, "content": ""}
    ]


def test_a_file_that_does_not_parse_does_not_stop_the_run(perflint, write):
    write("a_broken.py", "x = (\n")
    write("b_good.py", READLINES)
    run = perflint("check", ".")
    assert "a_broken.py:1:5: PF000" in run.stdout
    assert "b_good.py:3:21: PF404" in run.stdout
    assert "Traceback" not in run.stderr


def test_undecodable_file_is_pf000(perflint, write):
    write("latin.py", b"# -*- coding: ascii -*-\nname = '\xe9'\n")
    run = perflint("check", "latin.py")
    assert run.returncode == 1
    assert "latin.py:1:1: PF000 [L0 error] cannot decode as ascii" in run.stdout


def test_exit_codes(perflint, write):
    write("clean.py", "print('hello')\n")
    write("slow.py", READLINES)
    assert perflint("check", "clean.py").returncode == 0
    assert perflint("check", "slow.py").returncode == 1
    assert perflint("check", "--exit-zero", "slow.py").returncode == 0
    missing = perflint("check", "nope.py")
    assert missing.returncode == 2
    assert missing.stderr.strip() == "perflint: error: nope.py: no such file or directory"
    bad_flag = perflint("check", "--frobnicate")
    assert bad_flag.returncode == 2 and len(bad_flag.stderr.strip().splitlines()) == 1


def test_select_ignore_and_levels_filter_findings(perflint, write):
    write("slow.py", READLINES)
    assert perflint("check", "--select", "PF404", "slow.py").returncode == 1
    assert perflint("check", "--select", "PF4", "slow.py").returncode == 0  # a micro rule: only by its code or the group
    assert perflint("check", "--select", "PF1", "slow.py").returncode == 0
    assert perflint("check", "--ignore", "PF404", "slow.py").returncode == 0
    assert perflint("check", "--levels", "io", "slow.py").returncode == 1
    assert perflint("check", "--levels", "1,2", "slow.py").returncode == 0
    bad = perflint("check", "--levels", "9", "slow.py")
    assert bad.returncode == 2 and "--levels" in bad.stderr


def test_fix_rewrites_the_file_and_a_second_run_is_clean(perflint, write):
    path = write("slow.py", READLINES)
    run = perflint("check", "--fix", "slow.py")
    assert run.returncode == 0, run.stdout
    assert path.read_text() == FIXED
    assert perflint("check", "--fix", "slow.py").returncode == 0
    assert path.read_text() == FIXED


def test_diff_prints_the_fix_without_writing(perflint, write):
    path = write("slow.py", READLINES)
    run = perflint("check", "--diff", "slow.py")
    assert run.returncode == 1
    assert "-        for line in handle.readlines():" in run.stdout
    assert "+        for line in handle:" in run.stdout
    assert path.read_text() == READLINES


def test_stdin_with_stdin_filename(perflint):
    run = perflint("check", "--stdin-filename", "src/app.py", "-", input=READLINES)
    assert run.returncode == 1
    assert run.stdout.startswith("src/app.py:3:21: PF404")
    fixed = perflint("check", "--fix", "-", input=READLINES)
    assert fixed.stdout == FIXED


def test_sort_by_path(perflint, write):
    write("b.py", READLINES)
    write("a.py", "x = (\n")
    by_rank = [line.split(":")[0] for line in perflint("check").stdout.splitlines()[:2]]
    by_path = [line.split(":")[0] for line in perflint("check", "--sort", "path").stdout.splitlines()[:2]]
    assert by_rank == ["a.py", "b.py"]  # PF000 is level 0: first in rank order
    assert by_path == ["a.py", "b.py"]


def test_github_and_sarif_formats(perflint, write):
    write("slow.py", READLINES)
    github = perflint("check", "--format", "github", "slow.py").stdout
    assert github.startswith("::warning file=slow.py,line=3,col=21,endLine=3,endColumn=39,title=PF404::[L4 io]")
    sarif = json.loads(perflint("check", "--format", "sarif", "slow.py").stdout)
    assert sarif["version"] == "2.1.0"
    result = sarif["runs"][0]["results"][0]
    assert result["ruleId"] == "PF404"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    rule_ids = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
    assert result["ruleIndex"] == rule_ids.index("PF404")


def test_rules_and_explain(perflint):
    rules = json.loads(perflint("rules", "--format", "json").stdout)
    entry = next(r for r in rules if r["code"] == "PF404")
    assert entry == {**entry, "name": "readlines-iteration", "level": 4, "category": "io", "fixable": True}
    text = perflint("explain", "PF404").stdout
    for section in ("## What it does", "## Why is this slow?", "## Known false positives"):
        assert section in text
    unknown = perflint("explain", "PF999")
    assert unknown.returncode == 2 and "unknown rule" in unknown.stderr


def test_version(perflint):
    from perflint import __version__

    assert perflint("--version").stdout.strip() == f"perflint {__version__}"


def test_warm_cache_gives_the_same_report_and_notices_edits(perflint, write):
    path = write("slow.py", READLINES)
    first = perflint("check", "--format", "json", ".").stdout
    assert perflint("check", "--format", "json", ".").stdout == first
    path.write_text(FIXED)
    assert perflint("check", ".").returncode == 0


def test_workers_give_the_same_findings_as_one_process(perflint, write):
    for index in range(12):
        write(f"m{index:02}.py", READLINES)
    serial = perflint("check", "--no-cache", "--jobs", "1", "--format", "json").stdout
    parallel = perflint("check", "--no-cache", "--jobs", "2", "--format", "json").stdout
    assert serial == parallel
    assert len(json.loads(serial)) == 12


def test_a_loose_folder_without_project_markers_still_knows_its_models(perflint, write):
    write(
        "models.py",
        "from django.db import models\n\n"
        "class Author(models.Model):\n    name = models.CharField(max_length=10)\n\n"
        "class Book(models.Model):\n    author = models.ForeignKey(Author, on_delete=models.CASCADE)\n",
    )
    write("report.py", "from models import Book\n\ndef titles():\n    for book in Book.objects.all():\n        print(book.author.name)\n")
    run = perflint("check", "--no-cache", "report.py")
    assert "report.py:5:15: PF202" in run.stdout
