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
    assert "Found 1 finding (L4 io: 1)." in run.stdout
    assert "Start with: app.py:3 PF404 (L4 io)." in run.stdout


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
    assert perflint("check", "--select", "PF4", "slow.py").returncode == 1
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


# --- the command line as ruff and flake8 users expect it (issue #18) -----------------------

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from conftest import PERFLINT  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ESC = "\x1b["
REQUESTS_LOOP = """\
import requests


def fetch(urls):
    for url in urls:
        requests.get(url)
"""
READLINES_LINE = (
    "slow.py:3:21: PF404 [L4 io] `for ... in f.readlines()` reads the whole file first;"
    " iterate the file object directly (fix available)"
)


def _env(tmp_path, **extra):
    """The environment the ``perflint`` fixture runs with, minus any colour settings of the
    caller's shell, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(PERFLINT_CACHE_DIR=str(tmp_path / ".cache"), PYTHONUTF8="1", TERM="xterm", **extra)
    return env


def _piped(tmp_path, *args, **extra):
    env = _env(tmp_path, **extra)
    return subprocess.run([PERFLINT, *args], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)


def _on_a_terminal(tmp_path, *args, **extra) -> tuple[int, str]:
    """Run with stdout on a pseudo-terminal (as in an interactive shell); stderr piped."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [PERFLINT, *args], cwd=tmp_path, stdout=follower, stderr=subprocess.PIPE, env=_env(tmp_path, **extra)
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    process.stderr.read()
    process.stderr.close()
    return process.wait(timeout=300), b"".join(chunks).decode().replace("\r\n", "\n")


def test_diff_of_a_file_that_does_not_parse_reports_pf000_on_stderr(perflint, write):
    write("bad.py", "def f(:\n    pass\n")
    run = perflint("check", "--diff", "bad.py")
    assert run.returncode == 1
    assert run.stdout == ""  # stdout stays a patch
    assert run.stderr == "bad.py:1:7: PF000 [L0 error] SyntaxError: invalid syntax\n"
    assert perflint("check", "--diff", "--exit-zero", "bad.py").returncode == 0


def test_diff_prints_the_patch_of_good_files_and_pf000_of_bad_ones(perflint, write):
    write("bad.py", "x = (\n")
    write("slow.py", READLINES)
    run = perflint("check", "--diff", ".")
    assert run.returncode == 1
    assert run.stdout.startswith("--- a/slow.py\n+++ b/slow.py\n")
    assert "+        for line in handle:" in run.stdout and "bad.py" not in run.stdout
    assert run.stderr.startswith("bad.py:1:5: PF000 [L0 error] ")


def test_diff_of_stdin_that_does_not_parse_reports_pf000(perflint):
    run = perflint("check", "--diff", "--stdin-filename", "app.py", "-", input="def f(:\n")
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr == "app.py:1:7: PF000 [L0 error] SyntaxError: invalid syntax\n"
    clean = perflint("check", "--diff", "--stdin-filename", "app.py", "-", input="x = 1\n")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")


def test_a_missing_path_prints_only_the_error(perflint, write):
    run = perflint("check", "nope.py")
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == "perflint: error: nope.py: no such file or directory\n"
    as_json = perflint("check", "--format", "json", "nope.py")  # machine formats stay parseable
    assert (as_json.returncode, as_json.stdout) == (2, "[]\n")
    # Findings elsewhere are still listed, with their summary; the status is still 2.
    write("slow.py", READLINES)
    both = perflint("check", "slow.py", "nope.py")
    assert both.returncode == 2
    assert both.stdout.splitlines() == [
        READLINES_LINE, "Found 1 finding (L4 io: 1).", "Start with: slow.py:3 PF404 (L4 io).", "1 fixable with --fix."
    ]
    assert both.stderr == "perflint: error: nope.py: no such file or directory\n"


def test_statistics_counts_findings_per_rule_most_first(perflint, write):
    write("a.py", READLINES)
    write("b.py", READLINES)
    write("c.py", REQUESTS_LOOP)
    write("d.py", "x = (\n")
    run = perflint("check", "--statistics", ".")
    assert run.returncode == 1
    assert run.stdout == (
        "2  PF404  [*] readlines-iteration           [L4 io]\n"
        "1  PF000      parse-error                   [L0 error]\n"
        "1  PF403  [-] http-without-session-in-loop  [L4 io]\n"
    )
    as_json = json.loads(perflint("check", "--statistics", "--format", "json", ".").stdout)
    assert as_json[0] == {
        "code": "PF404", "name": "readlines-iteration", "level": 4, "category": "io", "count": 2, "fixable": "all",
    }
    assert [(row["code"], row["count"], row["fixable"]) for row in as_json[1:]] == [
        ("PF000", 1, "none"), ("PF403", 1, "some"),
    ]
    broken = perflint("check", "--statistics", "d.py", "--ignore", "PF")  # PF000 is never ignored
    assert broken.stdout == "1  PF000      parse-error  [L0 error]\n"
    bad = perflint("check", "--statistics", "--format", "sarif", ".")
    assert bad.returncode == 2 and bad.stderr.startswith("perflint: error: --statistics prints text or json")


def test_quiet_prints_only_the_findings(perflint, write):
    write("slow.py", READLINES)
    run = perflint("check", "-q", "slow.py")
    assert (run.returncode, run.stdout, run.stderr) == (1, READLINES_LINE + "\n", "")
    assert perflint("check", "--quiet", "slow.py").stdout == run.stdout
    write("clean.py", "print('hello')\n")
    clean = perflint("check", "-q", "clean.py")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    baseline = perflint("check", "-q", "--write-baseline", "base.json", "slow.py")
    assert (baseline.returncode, baseline.stderr) == (0, "")
    known = perflint("check", "-q", "--baseline", "base.json", "slow.py")
    assert (known.returncode, known.stdout, known.stderr) == (0, "", "")
    assert "in baseline base.json not shown" in perflint("check", "--baseline", "base.json", "slow.py").stderr


def test_output_file_receives_the_report(perflint, write, tmp_path):
    write("slow.py", READLINES)
    run = perflint("check", "--output-file", "reports/perflint.txt", "--color", "always", "slow.py")
    assert (run.returncode, run.stdout) == (1, "")
    report = (tmp_path / "reports" / "perflint.txt").read_text()
    summary = "Found 1 finding (L4 io: 1).\nStart with: slow.py:3 PF404 (L4 io).\n1 fixable with --fix.\n"
    assert report == READLINES_LINE + "\n" + summary  # never coloured
    perflint("check", "-o", "out.json", "--format", "json", "slow.py")
    assert [f["code"] for f in json.loads((tmp_path / "out.json").read_text())] == ["PF404"]
    (tmp_path / "taken").write_text("a file, not a folder")
    bad = perflint("check", "-o", "taken/report.txt", "slow.py")
    assert bad.returncode == 2 and bad.stderr.startswith("perflint: error: taken/report.txt: cannot write the report")
    assert len(bad.stderr.splitlines()) == 1


def test_colour_only_on_a_terminal_or_when_asked(tmp_path, write):
    write("slow.py", READLINES)
    piped = _piped(tmp_path, "check", "slow.py")
    assert piped.returncode == 1 and ESC not in piped.stdout
    status, shown = _on_a_terminal(tmp_path, "check", "slow.py")
    assert status == 1
    assert shown.startswith("\x1b[1mslow.py\x1b[0m:3:21: \x1b[1;31mPF404\x1b[0m \x1b[36m[L4 io]\x1b[0m ")
    plain = shown.replace("\x1b[1m", "").replace("\x1b[1;31m", "").replace("\x1b[36m", "").replace("\x1b[32m", "")
    assert plain.replace("\x1b[0m", "") == piped.stdout
    assert ESC not in _on_a_terminal(tmp_path, "check", "slow.py", NO_COLOR="1")[1]
    assert ESC not in _on_a_terminal(tmp_path, "check", "--color", "never", "slow.py")[1]
    assert ESC not in _on_a_terminal(tmp_path, "check", "--format", "json", "slow.py")[1]
    assert ESC in _piped(tmp_path, "check", "slow.py", FORCE_COLOR="1").stdout
    assert ESC not in _piped(tmp_path, "check", "slow.py", FORCE_COLOR="0").stdout
    assert ESC in _piped(tmp_path, "check", "--color", "always", "slow.py", NO_COLOR="1").stdout
    # A coloured terminal run is recorded for replay; a later piped run must not replay its colour.
    assert ESC in _on_a_terminal(tmp_path, "check", "slow.py")[1]
    assert ESC not in _piped(tmp_path, "check", "slow.py").stdout
    bad = _piped(tmp_path, "check", "--color", "sometimes", "slow.py")
    assert bad.returncode == 2 and "--color" in bad.stderr


def test_fix_says_how_many_were_found_fixed_and_remain(perflint, write):
    path = write("slow.py", READLINES + "\n\n" + REQUESTS_LOOP)
    run = perflint("check", "--fix", "slow.py")
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith("slow.py:12:9: PF403 [L4 io] `requests` call in a loop")
    assert lines[1] == "Found 2 findings (1 fixed, 1 remaining)."
    assert lines[-1] == "1 more fixable with --fix --unsafe-fixes."
    assert run.stderr == ""
    assert "for line in handle:" in path.read_text()
    again = perflint("check", "--fix", "slow.py")  # nothing left to fix: the usual summary
    assert again.stdout.splitlines()[1] == "Found 1 finding (L4 io: 1)."
    write("only.py", READLINES)
    all_fixed = perflint("check", "--fix", "only.py")
    assert (all_fixed.returncode, all_fixed.stdout) == (0, "Found 1 finding (1 fixed, 0 remaining).\n")
    stdin = perflint("check", "--fix", "-", input=READLINES)
    assert stdin.stdout == FIXED and stdin.stderr == "Found 1 finding (1 fixed, 0 remaining).\n"


def test_extend_exclude_adds_to_the_configured_exclude(perflint, write):
    write("pkg/app.py", READLINES)
    write("pkg/test/data.py", READLINES)
    write("tests/test_app.py", READLINES)
    write("gen_pb2.py", READLINES)
    everything = perflint("check", "--cold", "-q", ".").stdout
    assert len(everything.splitlines()) == 4
    run = perflint("check", "--cold", "-q", "--extend-exclude", "test/, tests/,*_pb2.py", ".")
    assert [line.split(":")[0] for line in run.stdout.splitlines()] == ["pkg/app.py"]
    write("pyproject.toml", '[tool.perflint]\nselect = ["PF", "micro"]\nexclude = ["pkg/"]\n')
    both = perflint("check", "--cold", "-q", "--extend-exclude", "tests/", ".")
    assert [line.split(":")[0] for line in both.stdout.splitlines()] == ["gen_pb2.py"]


def test_the_setup_demo_lints_the_standard_library_without_its_tests_and_exits_0(tmp_path, write):
    """scripts/demo.sh (the end of scripts/setup.sh) on a standard library laid out as CPython's:
    its deliberately broken test data, lib2to3 and idlelib are not linted, findings do not fail it.
    The standard library is the one of the ``python`` next to ``$PERFLINT``: here a stand-in."""
    stdlib = tmp_path / "lib" / "python3.99"
    write("lib/python3.99/json/decoder.py", READLINES)
    write("lib/python3.99/test/badsyntax_future.py", "from __future__ import nested_scopes\ndef f(:\n")
    write("lib/python3.99/unittest/test/test_case.py", READLINES)
    write("lib/python3.99/lib2to3/tests/data/bom.py", "print 'hi'\n")
    write("lib/python3.99/idlelib/editor.py", READLINES)
    write("lib/python3.99/site-packages/pkg/mod.py", READLINES)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "perflint").symlink_to(PERFLINT)
    (bin_dir / "python").write_text(f"#!/bin/sh\necho '{stdlib}'\n")
    (bin_dir / "python").chmod(0o755)
    env = _env(tmp_path, PERFLINT=str(bin_dir / "perflint"))
    script = str(ROOT / "scripts" / "demo.sh")
    demo = subprocess.run(["bash", script], capture_output=True, text=True, env=env, timeout=300)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.splitlines() == [
        f"Linting the standard library in {stdlib} (without test/, tests/, lib2to3/, idlelib/):",
        f"{stdlib}/json/decoder.py:3:21: PF404 [L4 io] `for ... in f.readlines()` reads the whole file first;"
        " iterate the file object directly (fix available)",
        "Found 1 finding (L4 io: 1).",
        f"Start with: {stdlib}/json/decoder.py:3 PF404 (L4 io).",
        "1 fixable with --fix.",
    ]
    missing = subprocess.run(
        ["bash", script, str(tmp_path / "nope")], capture_output=True, text=True, env=env, timeout=60
    )
    assert missing.returncode == 2 and "no such file or directory" in missing.stderr
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert setup.rstrip().endswith('exec bash scripts/demo.sh "$@"')


def test_the_fast_subset_deselects_the_end_to_end_tests():
    slow = ["tests/test_vscode_extension.py", "tests/test_nvim.py", "tests/test_precommit.py", "tests/test_cli.py"]

    def collected(*args):
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args, *slow],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )
        return {line.split("::")[0] for line in done.stdout.splitlines() if "::" in line}

    assert collected("-m", "not e2e") == {"tests/test_cli.py"}
    assert collected("-m", "e2e") == set(slow[:3])


def test_report_of_a_missing_path_prints_only_the_error(perflint):
    run = perflint("report", "nope.py")
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == "perflint: error: nope.py: no such file or directory\n"
