"""``perflint report``: findings grouped by function, most impact first, with complexity and time."""

from __future__ import annotations

import json
import subprocess
import sys

# Impact of PF404 (weight 1) is 2**loop_depth * (1 + log2(complexity)):
#   single   depth 0, complexity 2          -> 2.0
#   nested   depth 2, complexity 5          -> 4 * (1 + log2 5) = 13.29, x2 (a loop over the parameter `paths`)
#   twice    two findings at depth 0 and 1, complexity 4 -> 3 + 6 = 9
#   module   depth 0, no function           -> 1, /20 (module level runs once)
MESSAGE = "`for ... in f.readlines()` reads the whole file first; iterate the file object directly"
PROGRAM = """\
def single(path):
    with open(path) as handle:
        for line in handle.readlines():
            print(line)


def nested(paths, times):
    for _ in range(times):
        for path in paths:
            if not path:
                continue
            with open(path) as handle:
                for line in handle.readlines():
                    print(line)


def twice(path):
    with open(path) as handle:
        for line in handle.readlines():
            print(line)
    for _ in range(2):
        with open(path) as handle:
            for line in handle.readlines():
                print(line)


for line in open(__file__).readlines():
    pass
"""


def test_report_lists_functions_in_impact_order_with_complexity(perflint, write):
    write("app.py", PROGRAM)
    run = perflint("report", "--format", "json", "app.py")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    summary = [(f["function"], f["line"], f["complexity"], len(f["findings"])) for f in report["functions"]]
    assert summary == [
        ("nested", 7, 5, 1),
        ("twice", 17, 4, 2),
        ("single", 1, 2, 1),
        ("<module>", None, None, 1),
    ]
    assert [f["impact"] for f in report["functions"]] == [19.93, 9, 2, 0.05]  # a loop over a parameter: x1.5; module level: /20
    twice = report["functions"][1]
    assert [f["line"] for f in twice["findings"]] == [23, 19]  # the one in a loop first
    assert twice["impact"] == round(sum(f["impact"] for f in twice["findings"]), 2)
    assert report["profiled"] is False and twice["time"] is None and report["errors"] == []


def test_text_report_names_functions_and_their_complexity(perflint, write):
    write("app.py", PROGRAM)
    write("broken.py", "def f(:\n")
    run = perflint("report", ".")
    assert run.returncode == 0
    lines = run.stdout.splitlines()
    assert lines[:2] == ["Start with:", "   1. app.py:13 PF404 (L4, in a loop over the parameter `paths`): " + MESSAGE]
    assert "Where to start: 5 findings in 4 functions, most impact first." in lines
    headings = [line for line in lines if line[:1].isdigit()]
    assert headings == ["1. nested  app.py:7", "2. twice  app.py:17", "3. single  app.py:1", "4. <module>  app.py"]
    assert lines[lines.index(headings[0]) + 1] == "   impact 19.93, complexity 5"
    assert lines[-2:] == ["Not analysed:", "   broken.py:1:7: PF000 SyntaxError: invalid syntax"]


def test_report_with_a_profile_shows_measured_time(perflint, write, tmp_path):
    write("app.py", PROGRAM.replace("for line in open(__file__).readlines():\n    pass\n",
                                    "import sys\nfor _ in range(200):\n    single(sys.argv[1])\n"))
    write("data.txt", "x\n" * 100)
    subprocess.run([sys.executable, "-m", "cProfile", "-o", "app.prof", "app.py", "data.txt"],
                   cwd=tmp_path, check=True, capture_output=True, timeout=120)
    report = json.loads(perflint("report", "--profile", "app.prof", "--format", "json", "app.py").stdout)
    functions = [f["function"] for f in report["functions"]]
    assert functions == ["single", "nested", "twice"]  # only `single` ran
    single = report["functions"][0]
    assert 0 < single["time"]["share"] <= 1 and single["time"]["cumulative"] >= single["time"]["own"] > 0
    assert report["functions"][1]["time"] is None and report["functions"][1]["impact"] == 0
    assert "profiled time" not in single["findings"][0]["message"]  # said once, per function

    text = perflint("report", "--profile", "app.prof", "app.py").stdout
    assert "% of profiled time (" in text and "not run in the profile" in text


def test_the_json_report_is_what_json_dumps_writes_with_an_indent():
    import json as _json

    from perflint.engine import lint_source
    from perflint.reports.json import dumps_indented

    values = [
        [], {}, [[]], {"a": {}}, (1, 2), "é\n\"\\", 10**30, -0.0, 1.5, 1e300, float("nan"), float("inf"),
        -float("inf"), True, False, None, {"k": [1, {"x": None, "y": [True, 2.25]}]}, {1: 2}, [object()][:0],
    ]
    for value in values:
        assert dumps_indented(value) == _json.dumps(value, indent=2)
    findings = lint_source("def f(rows):\n    queue = list(rows)\n    while queue:\n        queue.pop(0)\n", "x.py")
    data = [finding.to_dict() for finding in findings]
    assert data and dumps_indented(data) == _json.dumps(data, indent=2)


def test_the_json_report_writes_each_finding_as_json_dumps_of_its_dictionary():
    import dataclasses
    import json as _json

    from perflint.engine import lint_source
    from perflint.model import Edit, Fix
    from perflint.reports.json import render

    source = (
        "def f(rows):\n    queue = list(rows)\n    while queue:\n        queue.pop(0)\n\n\n"
        "def g(rows):\n    out = []\n    for r in rows:\n        out.append(r)\n    return out\n"
    )
    findings = lint_source(source, "dir/é \"x\".py", fixes=True)
    findings += lint_source(source, "y.py", fixes=False)  # announced fixes: ``complete`` false
    assert any(f.fix and f.fix.edits for f in findings) and any(f.fix and not f.fix.complete for f in findings)
    finding = findings[0]
    variants = [
        dataclasses.replace(finding, fix=None),
        dataclasses.replace(finding, cell=3),  # a notebook's: the generic encoder
        dataclasses.replace(finding, impact=7),  # an int impact: written as ``json`` writes it
        dataclasses.replace(finding, impact=float("nan")),
        dataclasses.replace(finding, rank=True),
        dataclasses.replace(finding, message="tab\there \u2603 \U0001f600"),
        dataclasses.replace(finding, fix=Fix("m", "unsafe", ())),
        dataclasses.replace(finding, fix=Fix("m", "safe", (Edit(1, 2, 3, 4, "a\r\nb", cell=2),))),
        dataclasses.replace(finding, fix=Fix("m", "safe", (Edit(1, 2, 3, 4, "x"), Edit(5, 6, 7, 8, "")), complete=False)),
    ]
    for chosen in ([], findings, variants, findings + variants, [findings[-1]]):
        expected = _json.dumps([f.to_dict() for f in chosen], indent=2) + "\n"
        assert render(chosen) == expected
