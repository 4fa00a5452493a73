"""``--write-baseline`` / ``--baseline``: accept today's findings, fail on new ones."""

from __future__ import annotations

import json

READER = """\
def read(path):
    with open(path) as handle:
        for line in handle.readlines():
            print(line)
"""
SECOND_READER = """\


def count(path):
    total = 0
    with open(path) as handle:
        for line in handle.readlines():
            total += 1
    return total
"""


def test_written_baseline_is_stable_json_with_relative_paths(perflint, write, tmp_path):
    write("src/app.py", READER)
    write("src/other.py", READER + SECOND_READER)
    first = perflint("check", "--write-baseline", "perflint-baseline.json", "src")
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    assert first.stderr == "Wrote 3 findings to baseline perflint-baseline.json.\n"
    text = (tmp_path / "perflint-baseline.json").read_text()
    entries = json.loads(text)["findings"]
    assert sorted((e["path"], e["function"], e["code"], e["count"]) for e in entries) == [
        ("src/app.py", "read", "PF404", 1),
        ("src/other.py", "count", "PF404", 1),
        ("src/other.py", "read", "PF404", 1),
    ]
    keys = [(e["path"], e["code"], e["fingerprint"]) for e in entries]
    assert keys == sorted(keys)
    assert all("line" not in entry for entry in entries)  # line numbers would break on any edit above
    # Written again from another folder, with absolute paths: the same bytes.
    again = perflint("check", "--write-baseline", str(tmp_path / "perflint-baseline.json"), str(tmp_path / "src"),
                     cwd=tmp_path / "src")
    assert again.returncode == 0
    assert (tmp_path / "perflint-baseline.json").read_text() == text


def test_baseline_survives_a_line_shift_and_catches_a_new_finding(perflint, write):
    app = write("app.py", READER)
    perflint("check", "--write-baseline", "baseline.json", "app.py")

    app.write_text("import os\n\n# a comment pushing everything down\n\n" + READER)
    unchanged = perflint("check", "--baseline", "baseline.json", "app.py")
    assert unchanged.returncode == 0, unchanged.stdout
    assert unchanged.stdout == "No findings.\n"
    assert unchanged.stderr == "1 finding in baseline baseline.json not shown.\n"

    app.write_text("import os\n\n" + READER + SECOND_READER)
    grown = perflint("check", "--baseline", "baseline.json", "app.py")
    assert grown.returncode == 1
    assert grown.stdout.splitlines()[0].startswith("app.py:12:21: PF404 ")  # only the one in count()
    assert "Found 1 finding" in grown.stdout


def test_a_second_copy_of_a_baselined_finding_is_new(perflint, write):
    app = write("app.py", READER)
    perflint("check", "--write-baseline", "baseline.json", "app.py")
    duplicated = READER.replace("            print(line)\n", "            print(line)\n        for line in handle.readlines():\n            print(line)\n")
    app.write_text(duplicated)
    run = perflint("check", "--baseline", "baseline.json", "--format", "json", "app.py")
    assert run.returncode == 1
    assert [f["line"] for f in json.loads(run.stdout)] == [5]  # same text, same function: counted


def test_unusable_baselines_are_one_line_errors(perflint, write):
    write("app.py", READER)
    write("broken.json", "{not json")
    write("foreign.json", json.dumps({"version": 2}))
    for name, reason in [
        ("missing.json", "baseline not found"),
        ("broken.json", "not a perflint baseline (invalid JSON)"),
        ("foreign.json", "not a perflint baseline"),
    ]:
        run = perflint("check", "--baseline", name, "app.py")
        assert run.returncode == 2
        assert run.stderr.startswith(f"perflint: error: {name}: {reason}") and run.stderr.count("\n") == 1


def test_baseline_and_write_baseline_together_is_a_usage_error(perflint, write):
    write("app.py", READER)
    run = perflint("check", "--baseline", "a.json", "--write-baseline", "a.json", "app.py")
    assert run.returncode == 2
    assert "--baseline and --write-baseline cannot be combined" in run.stderr
