"""Jupyter notebooks on the command line: code cells linted, fixed and reported per cell."""

from __future__ import annotations

import json

from perflint.notebooks import lint_notebook, read_notebook, replace_sources

READLINES = [
    "def read(path):\n",
    "    with open(path) as handle:\n",
    "        for line in handle.readlines():\n",
    "            print(line)",
]
OUTPUT = {"output_type": "stream", "name": "stdout", "text": ["héllo \u2603\n"]}


def code(source, outputs=()):
    return {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": list(outputs), "source": source}


def markdown(text):
    return {"cell_type": "markdown", "metadata": {}, "source": [text]}


def notebook(*cells, language="python", indent=1):
    data = {
        "cells": list(cells),
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": language, "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


def test_check_reports_positions_relative_to_the_cell(perflint, write):
    write("nb.ipynb", notebook(markdown("# Read"), code(["import os\n"]), code(READLINES)))
    run = perflint("check", "nb.ipynb")
    assert run.returncode == 1
    assert run.stdout.splitlines()[0].startswith("nb.ipynb:cell 3:3:21: PF404 [L4 io] `for ... in f.readlines()`")


def test_folders_include_notebooks_but_not_jupyter_checkpoints(perflint, write):
    write("pkg/analysis.ipynb", notebook(code(READLINES)))
    write("pkg/.ipynb_checkpoints/analysis-checkpoint.ipynb", notebook(code(READLINES)))
    lines = perflint("check", ".").stdout.splitlines()
    assert [line.split(": ")[0] for line in lines if ": PF404 [" in line] == ["pkg/analysis.ipynb:cell 1:3:21"]


def test_magics_are_neutralized_without_moving_positions(perflint, write):
    cell = [
        "%matplotlib inline\n",
        "files = !ls\n",
        "for name in files:\n",
        "    !echo {name}\n",
        "    with open(name) as handle:\n",
        "        for line in handle.readlines():\n",
        "            print(line)\n",
        "handle?",
    ]
    timed = ["%%timeit\n", *READLINES]
    shell = ["%%bash\n", "for x in a b; do echo $x; done"]
    write("nb.ipynb", notebook(code(cell), code(shell), code(timed)))
    lines = perflint("check", "nb.ipynb").stdout.splitlines()
    assert sorted(line.split(" [")[0] for line in lines if ": PF" in line) == [
        "nb.ipynb:cell 1:6:21: PF404",
        "nb.ipynb:cell 3:4:21: PF404",
    ]


def test_json_names_the_cell_of_findings_and_edits(perflint, write):
    write("nb.ipynb", notebook(markdown("text"), code(READLINES)))
    write("app.py", "".join(READLINES) + "\n")
    findings = json.loads(perflint("check", "--format", "json", "--sort", "path", ".").stdout)
    by_path = {f["path"]: f for f in findings}
    assert "cell" not in by_path["app.py"]  # plain files keep SPEC's keys
    cell = by_path["nb.ipynb"]
    assert (cell["cell"], cell["line"], cell["column"], cell["end_line"]) == (2, 3, 21, 3)
    assert cell["fix"]["edits"] == [{"line": 3, "column": 27, "end_line": 3, "end_column": 39, "content": "", "cell": 2}]


def test_an_import_added_by_a_fix_lands_in_the_first_code_cell(perflint, write):
    bfs = [
        "def bfs(start):\n",
        "    queue = [start]\n",
        "    while queue:\n",
        "        node = queue.pop(0)\n",
        "        queue.extend(node.children)",
    ]
    write("nb.ipynb", notebook(markdown("intro"), code(["import os"]), code(bfs)))
    [finding] = json.loads(perflint("check", "--format", "json", "--select", "PF103", "nb.ipynb").stdout)
    assert finding["cell"] == 3
    edits = finding["fix"]["edits"]
    assert {edit["cell"] for edit in edits} == {2, 3}
    # Appended after `import os`, which has no final newline: the newline comes first.
    assert [e for e in edits if e["cell"] == 2] == [
        {"line": 1, "column": 10, "end_line": 1, "end_column": 10, "content": "\nfrom collections import deque\n", "cell": 2}
    ]


def test_sarif_names_the_cell(perflint, write):
    write("nb.ipynb", notebook(markdown("text"), code(READLINES)))
    sarif = json.loads(perflint("check", "--format", "sarif", "nb.ipynb").stdout)
    [result] = sarif["runs"][0]["results"]
    location = result["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "nb.ipynb"
    assert location["physicalLocation"]["region"]["startLine"] == 3
    assert location["logicalLocations"] == [{"name": "cell 2", "kind": "notebookCell"}]


def test_fix_rewrites_only_code_cells_and_keeps_the_layout(perflint, write, tmp_path):
    original = notebook(markdown("for line in handle.readlines():"), code(READLINES, [OUTPUT]), indent=2)
    path = write("nb.ipynb", original)
    run = perflint("check", "--fix", "nb.ipynb")
    assert run.returncode == 0, run.stdout + run.stderr
    after = path.read_text(encoding="utf-8")
    expected = original.replace('"        for line in handle.readlines():\\n"', '"        for line in handle:\\n"')
    assert after != original and after == expected  # same indent, outputs, markdown and trailing newline
    assert perflint("check", "nb.ipynb").returncode == 0


def test_diff_shows_each_changed_cell_and_writes_nothing(perflint, write):
    original = notebook(code(["x = 1"]), code(READLINES))
    path = write("nb.ipynb", original)
    run = perflint("check", "--diff", "nb.ipynb")
    assert run.returncode == 1
    assert run.stdout.splitlines()[:2] == ["--- a/nb.ipynb:cell 2", "+++ b/nb.ipynb:cell 2"]
    assert "+        for line in handle:" in run.stdout
    assert path.read_text(encoding="utf-8") == original


def test_fix_restores_magics_in_the_rewritten_cell(perflint, write):
    cell = ["!pip install requests\n", *READLINES[:3], "            %time print(line)"]
    path = write("nb.ipynb", notebook(code(cell)))
    assert perflint("check", "--fix", "nb.ipynb").returncode == 0
    source = json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"]
    assert source == [
        "!pip install requests\n",
        *READLINES[:2],
        "        for line in handle:\n",
        "            %time print(line)",
    ]


def test_a_malformed_notebook_is_one_pf000_and_other_files_are_still_linted(perflint, write):
    write("broken.ipynb", '{"cells": [')
    write("old.ipynb", json.dumps({"worksheets": [], "nbformat": 3}))
    write("good.ipynb", notebook(code(READLINES)))
    run = perflint("check", "--sort", "path", ".")
    lines = run.stdout.splitlines()
    assert run.returncode == 1
    assert lines[0].startswith("broken.ipynb:1:1: PF000 [L0 error] not a valid notebook: malformed JSON")
    assert lines[1].startswith("good.ipynb:cell 1:3:21: PF404")
    assert lines[2].startswith("old.ipynb:1:1: PF000 [L0 error] not a valid notebook: no 'cells' list")


def test_a_cell_that_is_not_python_is_pf000_in_that_cell_and_the_others_are_linted(perflint, write):
    write("nb.ipynb", notebook(code(["def f(:\n", "    pass"]), code(READLINES)))
    lines = perflint("check", "--sort", "path", "nb.ipynb").stdout.splitlines()
    assert lines[0] == "nb.ipynb:cell 1:1:7: PF000 [L0 error] SyntaxError: invalid syntax"
    assert lines[1].startswith("nb.ipynb:cell 2:3:21: PF404")


def test_notebooks_of_other_languages_are_not_linted(perflint, write):
    write("nb.ipynb", notebook(code(READLINES), language="R"))
    assert perflint("check", "nb.ipynb").stdout == "No findings.\n"


def test_cached_notebook_findings_keep_their_cells(perflint, write):
    write("nb.ipynb", notebook(markdown("m"), code(READLINES)))
    first = perflint("check", "nb.ipynb").stdout
    assert "nb.ipynb:cell 2:3:21" in first
    assert perflint("check", "nb.ipynb").stdout == first


def test_replace_sources_keeps_every_other_byte():
    text = notebook(code(["a = 1\n", "b = 2"], [OUTPUT]), markdown("x"), code("c = 3\n"), indent=4)
    new = replace_sources(text, {1: "a = 1\nb = 3", 3: "c = 4\n"})
    assert json.loads(new)["cells"][0]["source"] == ["a = 1\n", "b = 3"]
    assert json.loads(new)["cells"][2]["source"] == "c = 4\n"
    assert new.replace("b = 3", "b = 2").replace("c = 4", "c = 3") == text


def test_lint_notebook_maps_findings_of_a_notebook_text():
    findings = lint_notebook(notebook(code(["import os"]), code(READLINES)), "nb.ipynb")
    assert [(f.cell, f.line, f.column, f.code) for f in findings] == [(2, 3, 21, "PF404")]
    assert read_notebook(notebook(code(READLINES)), "nb.ipynb").cells[0].number == 1


def test_stdin_with_a_notebook_filename(perflint):
    text = notebook(markdown("m"), code(READLINES))
    run = perflint("check", "--stdin-filename", "nb.ipynb", "-", input=text)
    assert run.stdout.startswith("nb.ipynb:cell 2:3:21: PF404")
    fixed = perflint("check", "--fix", "--stdin-filename", "nb.ipynb", "-", input=text)
    assert fixed.stdout == text.replace("handle.readlines():", "handle:")
