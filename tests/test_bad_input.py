"""What users really feed the command line, and the exact outcome SPEC.md promises.

A file that cannot be read, decoded or parsed is a PF000 finding and the run
goes on; a path or directory that cannot be used at all is a one-line error
and exit status 2, and the other files are still linted. Never a traceback.

Most file cases share one tree and one run (``--jobs 2``, so the worker
processes are exercised too); each test then checks its own file.
"""

from __future__ import annotations

import ast
import json
import os
import pydoc_data.topics
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PERFLINT

# A loop the level-4 rule PF404 flags, with its position: line 3, columns 21-39.
LOOP = """\
def read(path):
    with open(path) as handle:
        for line in handle.readlines():
            print(line)
"""
PF404_AT = (3, 21, 39)
TOO_DEEP = "too deeply nested for libcst's parser; this block was not checked"
UNCOMPILABLE = "too deeply nested for CPython to compile (RecursionError when the module is imported)"


def run(*args: str, cwd: Path, input: bytes | None = None, prefix: tuple[str, ...] = ()):
    env = dict(os.environ, PERFLINT_CACHE_DIR=str(cwd / ".perflint-test-cache"), PYTHONUTF8="1")
    done = subprocess.run(
        [*prefix, PERFLINT, *args], cwd=cwd, input=input, capture_output=True, env=env, timeout=300, check=False
    )
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


def deep_loop(expression: str) -> str:
    """``LOOP`` with ``x = <expression>`` in its body: the block must go to libcst."""
    return LOOP.replace("print(line)", f"x = {expression}")


# name -> file content. Each file's expected findings are in EXPECTED.
FILES: dict[str, bytes] = {
    "syntax_error.py": b"def f(:\n    pass\n",
    "unknown_cookie.py": b"# -*- coding: klingon -*-\nx = 1\n",
    "png.py": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "null_byte.py": b"x = 1\x00\n",
    "latin1_no_cookie.py": b"x = 1\ns = '\xe9'\n",
    "empty.py": b"",
    "only_bom.py": b"\xef\xbb\xbf",
    "bom.py": b"\xef\xbb\xbf" + LOOP.encode(),
    "crlf.py": LOOP.replace("\n", "\r\n").encode(),
    "mixed_endings.py": b"import os\r\nx = 1\n" + LOOP.replace("\n", "\r\n", 2).encode(),
    "cr_only.py": LOOP.replace("\n", "\r").encode(),
    "tabs.py": LOOP.replace("    ", "\t").encode(),
    "non_ascii.py": LOOP.replace("path", "pâth").replace("handle", "hándlé").replace("line ", "līne ").encode(),
    "latin1_cookie.py": b"# -*- coding: latin-1 -*-\ns = '\xe9'\n" + LOOP.encode(),
    "nested_parens.py": ("x = " + "(" * 1000 + "1" + ")" * 1000 + "\n").encode(),
    "sum_5000.py": deep_loop(" + ".join(["a"] * 5000)).encode(),
    "attribute_chain_20000.py": deep_loop("a" + ".b" * 20000).encode(),
    "concatenated_4500.py": deep_loop("(" + "\n".join(['"s"'] * 4500) + ")").encode(),
    # pydoc_data/topics.py needs a recursion limit of about 8,000 in libcst; the
    # loop appended to its dict puts the whole statement run in front of libcst.
    "topics.py": Path(pydoc_data.topics.__file__).read_bytes() + b"\n" + LOOP.replace("def read(path):\n", "if True:\n").encode(),
    "generated_50000_lines.py": ("".join(f"def f{i}(x):\n    return x + {i}\n\n\n\n" for i in range(10_000)) + LOOP).encode(),
}
TOPICS_LOOP_LINE = Path(pydoc_data.topics.__file__).read_bytes().count(b"\n") + 1 + PF404_AT[0]

EXPECTED = {
    "syntax_error.py": [("PF000", 1, 7, "SyntaxError: invalid syntax")],
    "unknown_cookie.py": [("PF000", 1, 1, "unknown encoding: klingon")],
    "png.py": [("PF000", 1, 1, "cannot decode as utf-8: invalid byte 0x89 on line 1, byte 1 of that line")],
    "null_byte.py": [("PF000", 1, 1, "SyntaxError: source code string cannot contain null bytes")],
    "latin1_no_cookie.py": [("PF000", 1, 1, "cannot decode as utf-8: invalid byte 0xe9 on line 2, byte 6 of that line")],
    "empty.py": [],
    "only_bom.py": [],
    # The BOM is not a column; line endings of every kind count as one line each.
    "bom.py": [("PF404", *PF404_AT[:2], None)],
    "crlf.py": [("PF404", *PF404_AT[:2], None)],
    "mixed_endings.py": [("PF404", PF404_AT[0] + 2, PF404_AT[1], None)],
    "cr_only.py": [("PF404", *PF404_AT[:2], None)],
    # A tab is one column (columns count code points, as SPEC.md says).
    "tabs.py": [("PF404", 3, 15, None)],
    # `for līne in hándlé.readlines():` after 8 spaces: hándlé starts at code point 21 (UTF-8 byte 23).
    "non_ascii.py": [("PF404", 3, 21, None)],
    "latin1_cookie.py": [("PF404", PF404_AT[0] + 2, PF404_AT[1], None)],
    "nested_parens.py": [("PF000", 1, 205, "SyntaxError: too many nested parentheses")],
    # CPython itself refuses these two (the statement on line 4): the whole file is a PF000.
    "sum_5000.py": [("PF000", 4, 1, UNCOMPILABLE)],
    "attribute_chain_20000.py": [("PF000", 4, 1, UNCOMPILABLE)],
    "concatenated_4500.py": [("PF000", 1, 1, TOO_DEEP)],
    "topics.py": [("PF404", TOPICS_LOOP_LINE, PF404_AT[1], None)],
    "generated_50000_lines.py": [("PF404", 50_000 + PF404_AT[0], PF404_AT[1], None)],
}


@pytest.fixture(scope="module")
def tree_run(tmp_path_factory):
    """One ``check --format json`` over a folder holding every file of FILES."""
    root = tmp_path_factory.mktemp("bad-input")
    for name, data in FILES.items():
        (root / name).write_bytes(data)
    code, stdout, stderr = run("check", "--no-cache", "--jobs", "2", "--format", "json", ".", cwd=root)
    findings: dict[str, list[dict]] = {}
    for finding in json.loads(stdout):
        findings.setdefault(finding["path"], []).append(finding)
    return code, findings, stderr


def test_the_run_reports_findings_and_no_error(tree_run):
    code, findings, stderr = tree_run
    assert code == 1
    assert stderr == ""
    assert set(findings) <= set(FILES)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_bad_file_gets_exactly_its_promised_findings(tree_run, name):
    _, findings, _ = tree_run
    got = [(f["code"], f["line"], f["column"], f["message"]) for f in findings.get(name, [])]
    expected = EXPECTED[name]
    assert [g[:3] for g in got] == [e[:3] for e in expected], got
    for (_, _, _, message), (_, _, _, wanted) in zip(got, expected):
        if wanted is not None:
            assert message == wanted


def test_too_deep_for_libcst_is_said_only_of_code_that_python_accepts():
    import perflint.engine  # noqa: F401  (parses with the recursion limit it sets, as the CLI does)

    for name, expected in EXPECTED.items():
        if any(message == TOO_DEEP for *_, message in expected):
            ast.parse(FILES[name])  # raises if CPython rejects it: then it would be a syntax error


def test_the_finding_in_a_non_ascii_line_ends_at_its_code_point_column(tree_run):
    _, findings, _ = tree_run
    [finding] = findings["non_ascii.py"]
    assert (finding["end_line"], finding["end_column"]) == (3, 21 + len("hándlé.readlines()"))


def test_positions_in_a_crlf_file_match_the_text_users_see(tree_run):
    _, findings, _ = tree_run
    [finding] = findings["crlf.py"]
    assert (finding["line"], finding["column"], finding["end_column"]) == PF404_AT
    [edit] = finding["fix"]["edits"]
    assert (edit["line"], edit["column"], edit["end_column"], edit["content"]) == (3, 27, 39, "")


def test_fix_keeps_bom_crlf_and_the_declared_encoding(tmp_path):
    files = {name: FILES[name] for name in ("bom.py", "crlf.py", "mixed_endings.py", "latin1_cookie.py", "cr_only.py")}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    code, stdout, stderr = run("check", "--fix", "--no-cache", *files, cwd=tmp_path)
    assert code == 0, stdout + stderr
    for name, data in files.items():
        assert (tmp_path / name).read_bytes() == data.replace(b"handle.readlines()", b"handle"), name


POP_FRONT = "def bfs(start):\n    queue = [start]\n    while queue:\n        node = queue.pop(0)\n        queue.extend(node.children)\n"
POP_FRONT_FIXED = (
    "from collections import deque\n\n\n"  # an inserted import, two blank lines before the def
    "def bfs(start):\n    queue = deque([start])\n    while queue:\n        node = queue.popleft()\n"
    "        queue.extend(node.children)\n"
)
PATTERN_IN_LOOP = 'import re\n\ndef numbers(lines):\n    for line in lines:\n        m = re.match(r"\\d+", line)\n        yield m\n'
PATTERN_IN_LOOP_FIXED = (
    'import re\n\n_NUMBERS_PATTERN = re.compile(r"\\d+")\n\n'  # an inserted constant and its blank lines
    "def numbers(lines):\n    for line in lines:\n        m = _NUMBERS_PATTERN.match(line)\n        yield m\n"
)


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_fix_inserts_lines_with_the_file_s_own_line_ending(tmp_path, ending):
    files = {"pop_front.py": (POP_FRONT, POP_FRONT_FIXED), "pattern.py": (PATTERN_IN_LOOP, PATTERN_IN_LOOP_FIXED)}
    for name, (before, _) in files.items():
        (tmp_path / name).write_bytes(before.replace("\n", ending).encode())
    code, stdout, stderr = run("check", "--fix", "--unsafe-fixes", "--no-cache", *files, cwd=tmp_path)
    assert code == 0, stdout + stderr
    for name, (_, after) in files.items():
        assert (tmp_path / name).read_bytes() == after.replace("\n", ending).encode(), name


def test_missing_path_is_one_error_line_and_the_rest_is_linted(tmp_path):
    (tmp_path / "slow.py").write_text(LOOP)
    code, stdout, stderr = run("check", "no_such.py", "slow.py", "no_such_dir", cwd=tmp_path)
    assert code == 2
    assert stderr.splitlines() == [
        "perflint: error: no_such.py: no such file or directory",
        "perflint: error: no_such_dir: no such file or directory",
    ]
    assert stdout.startswith("slow.py:3:21: PF404")


def test_a_symlink_loop_named_on_the_command_line_is_called_one(tmp_path):
    (tmp_path / "slow.py").write_text(LOOP)
    (tmp_path / "a.py").symlink_to("b.py")
    (tmp_path / "b.py").symlink_to("a.py")
    code, stdout, stderr = run("check", "a.py", "slow.py", cwd=tmp_path)
    assert code == 2
    assert stderr.splitlines() == ["perflint: error: a.py: symbolic link loop"]
    assert stdout.startswith("slow.py:3:21: PF404")


def test_symlink_loops_are_walked_once(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "slow.py").write_text(LOOP)
    (package / "sub" / "up").symlink_to("..")  # pkg/sub/up -> pkg: a loop
    (package / "self").symlink_to(".")
    code, stdout, stderr = run("check", "--format", "json", "pkg", cwd=tmp_path)
    assert (code, stderr) == (1, "")
    assert [f["path"] for f in json.loads(stdout)] == [os.path.join("pkg", "sub", "slow.py")]


def test_a_file_name_that_is_not_utf8_is_reported_readably(tmp_path):
    name = b"caf\xe9.py"  # Latin-1 bytes: not valid UTF-8
    with open(os.path.join(os.fsencode(tmp_path), name), "wb") as handle:
        handle.write(LOOP.encode())
    code, text, stderr = run("check", ".", cwd=tmp_path)
    assert (code, stderr) == (1, "")
    assert text.splitlines()[0].startswith("caf\\udce9.py:3:21: PF404")
    code, text, stderr = run("check", "--format", "json", ".", cwd=tmp_path)
    assert (code, stderr) == (1, "")
    assert json.loads(text)[0]["path"] == "caf\udce9.py"


def test_dangling_symlinks_and_fifos_are_skipped_in_folders_and_refused_by_name(tmp_path):
    (tmp_path / "slow.py").write_text(LOOP)
    (tmp_path / ".#slow.py").symlink_to("user@host.1234")  # an editor's lock file: dangling
    os.mkfifo(tmp_path / "pipe.py")  # reading it would block forever
    code, stdout, stderr = run("check", ".", cwd=tmp_path)
    assert (code, stderr) == (1, "")
    assert [line.split(":")[0] for line in stdout.splitlines() if ": PF" in line] == ["slow.py"]
    code, stdout, stderr = run("check", ".#slow.py", "pipe.py", "slow.py", cwd=tmp_path)
    assert code == 2
    assert stderr.splitlines() == [
        "perflint: error: .#slow.py: no such file or directory",
        "perflint: error: pipe.py: not a regular file or directory",
    ]
    assert stdout.startswith("slow.py:3:21: PF404")


def _unprivileged() -> tuple[str, ...]:
    """A command prefix under which permission bits apply.

    Tests run as root here, and root reads any file whatever its mode. Dropping
    the two capabilities that let root ignore permissions (util-linux
    ``setpriv``) makes a ``chmod 000`` file truly unreadable to perflint, which
    keeps running as root otherwise; as a normal user the mode alone does it.
    """
    if os.geteuid() != 0:
        return ()
    return (shutil.which("setpriv") or "setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--")


def test_unreadable_files_and_folders(tmp_path):
    (tmp_path / "slow.py").write_text(LOOP)
    secret = tmp_path / "secret.py"
    secret.write_text(LOOP)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.py").write_text(LOOP)
    read_only = tmp_path / "read_only.py"
    read_only.write_text(LOOP)
    secret.chmod(0)
    locked.chmod(0)
    read_only.chmod(0o444)
    try:
        code, stdout, stderr = run("check", "--no-cache", ".", cwd=tmp_path, prefix=_unprivileged())
        assert code == 2
        assert stderr.splitlines() == ["perflint: error: locked: cannot read directory: Permission denied"]
        lines = stdout.splitlines()
        assert "secret.py:1:1: PF000 [L0 error] cannot read file: Permission denied" in lines
        assert [line.split(":")[0] for line in lines if ": PF404" in line] == ["read_only.py", "slow.py"]

        code, stdout, stderr = run("check", "--fix", "--no-cache", "read_only.py", "slow.py", cwd=tmp_path, prefix=_unprivileged())
        assert code == 2
        assert stderr.splitlines()[0] == "perflint: error: read_only.py: cannot write the fixes: Permission denied"
        assert read_only.read_text() == LOOP
        assert (tmp_path / "slow.py").read_text() == LOOP.replace("handle.readlines()", "handle")
    finally:
        locked.chmod(0o755)


def test_an_unreadable_pyproject_is_an_error_not_silently_skipped(tmp_path):
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.perflint]\nselect = ['PF1']\n")
    config.chmod(0)
    (tmp_path / "slow.py").write_text(LOOP)
    code, stdout, stderr = run("check", "--no-cache", "slow.py", cwd=tmp_path, prefix=_unprivileged())
    assert (code, stdout) == (2, "")
    assert stderr == f"perflint: error: {config}: cannot read config: Permission denied\n"


def test_stdin_with_bad_input(tmp_path):
    code, stdout, stderr = run("check", "-", cwd=tmp_path, input=FILES["png.py"])
    assert (code, stderr) == (1, "")
    assert stdout.startswith("-:1:1: PF000 [L0 error] cannot decode as utf-8: invalid byte 0x89")
    # --fix on stdin writes the text back unchanged when it does not parse.
    code, stdout, stderr = run("check", "--fix", "-", cwd=tmp_path, input=FILES["syntax_error.py"])
    assert code == 1
    assert stdout == FILES["syntax_error.py"].decode()
    assert stderr.startswith("-:1:7: PF000 [L0 error] SyntaxError: invalid syntax")


@pytest.mark.parametrize(
    "name, content, expected",
    [
        # Gaps left by tests/test_config.py.
        (".perflint.yaml", "rules:\n  PF405:\n    logger-objects: [[1], {a: 2}]\n", "PF405.logger-objects: expected a list of strings"),
        (".perflint.yaml", "select: yes\n", "key 'select': expected a list of strings, got True"),
        (".perflint.yaml", "levels: []\n", "key 'levels': expected a list of levels"),
        (".perflint.yaml", "exclude: 5\n", "key 'exclude': expected a list of strings, got 5"),
        (".perflint.yaml", "\tselect: [PF]\n", ".perflint.yaml: malformed YAML at line 1"),
        (".perflint.yaml", "select: !!python/object:os.system {}\n", "malformed YAML at line 1: could not determine a constructor"),
        (".perflint.yaml", "rules: [PF101]\n", "key 'rules': expected a table of rule code -> options"),
        (".perflint.yaml", "rules:\n  PF101:\n    min-literal-size: true\n", "PF101.min-literal-size: expected int, got True"),
        ("pyproject.toml", "[tool]\nperflint = 3\n", "pyproject.toml: [tool.perflint] must be a table"),
        ("pyproject.toml", b"[tool.perflint]\nselect = ['PF']\n# caf\xe9\n", "pyproject.toml: malformed TOML"),
    ],
)
def test_bad_config_is_one_error_line(tmp_path, name, content, expected):
    (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    (tmp_path / "slow.py").write_text(LOOP)
    code, stdout, stderr = run("check", "slow.py", cwd=tmp_path)
    assert (code, stdout) == (2, "")
    assert len(stderr.splitlines()) == 1 and expected in stderr, stderr


def test_a_crash_in_one_file_is_an_error_line_and_the_others_are_linted(tmp_path, monkeypatch):
    """A bug inside the engine must not take the whole run down (in-process, one job)."""
    import perflint.engine
    from perflint.config import ConfigResolver
    from perflint.runner import check_paths

    real = perflint.engine.lint_source

    def lint_source(data, path, settings=None, *args, **kwargs):
        if path.endswith("boom.py"):
            raise ValueError("a bug\nwith a second line")
        return real(data, path, settings, *args, **kwargs)

    monkeypatch.setattr(perflint.engine, "lint_source", lint_source)
    (tmp_path / "boom.py").write_text(LOOP)
    (tmp_path / "slow.py").write_text(LOOP)
    result = check_paths([str(tmp_path)], ConfigResolver(), jobs=1)
    assert result.errors == [f"{tmp_path / 'boom.py'}: internal error: ValueError: a bug"]
    assert [(os.path.basename(f.path), f.code) for f in result.findings] == [("slow.py", "PF404")]


CRASHING_WORKER = """
import os, signal, sys
import perflint.engine
from perflint.config import ConfigResolver
from perflint.runner import check_paths

real = perflint.engine.lint_source

def lint_source(data, path, *args, **kwargs):
    if path.endswith("boom.py"):
        os.kill(os.getpid(), signal.SIGSEGV)  # as a crash in libcst's native parser would
    return real(data, path, *args, **kwargs)

perflint.engine.lint_source = lint_source  # forked workers inherit it
result = check_paths([sys.argv[1]], ConfigResolver(), jobs=2)
print("\\n".join(result.errors))
print(sum(f.code == "PF404" for f in result.findings), "findings")
"""


def test_a_worker_process_that_dies_fails_its_files_instead_of_hanging(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    for index in range(15):
        (tree / f"f{index:02}.py").write_text(LOOP)
    (tree / "boom.py").write_text(LOOP)
    script = tmp_path / "crash.py"
    script.write_text(CRASHING_WORKER)
    done = subprocess.run(
        [sys.executable, str(script), str(tree)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    *errors, summary = done.stdout.splitlines()
    assert f"{tree / 'boom.py'}: not checked: a perflint worker process crashed" in errors
    # Files in batches that finished before the crash keep their findings; none is lost silently.
    assert int(summary.split()[0]) + len(errors) == 16


@pytest.mark.parametrize("terms, refused", [(5_000, True), (2_900, False)])
def test_a_sum_cpython_cannot_compile_is_a_parse_error(tmp_path, terms, refused):
    source = "x = " + " + ".join(["1"] * terms) + "\n"
    (tmp_path / "sums.py").write_text(source)
    compiles = subprocess.run([sys.executable, "-c", "import sys; compile(open(sys.argv[1]).read(), 'f', 'exec')",
                               str(tmp_path / "sums.py")], capture_output=True).returncode == 0
    assert compiles is not refused  # what CPython itself does with the file
    code, stdout, _ = run("check", "--no-cache", "sums.py", cwd=tmp_path)
    assert ("PF000" in stdout and UNCOMPILABLE in stdout) is refused
    assert code == (1 if refused else 0)  # a PF000 is a finding (exit 1), like a syntax error
