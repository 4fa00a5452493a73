"""What keeps perflint fast must not change what it reports.

No timers here (benchmarks/cli_speed.py measures): these tests check the
properties the speed rests on. The prefilter skips blocks without changing
findings; a fully cached run imports no parser; the run record and the result
cache notice every change that matters, including a change to another file's
ORM models; concurrent runs leave a valid cache; progress shows only on a
terminal.
"""

from __future__ import annotations

import ast
import json
import marshal
import os
import pty
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from perflint.cache import PROJECT_PREFIX
from perflint.config import Settings
from perflint.engine import BlockCache, lint_source, spellings
from perflint.facts import Mentions, ModuleFacts
from perflint.model import Level
from perflint.rule import Rule
from perflint.rules import all_rules

STDLIB = Path(sysconfig.get_path("stdlib"))
# Small and medium standard-library modules; most have findings, some have none.
CORPUS_SLICE = [
    "netrc.py", "tabnanny.py", "_osx_support.py", "ctypes/_aix.py", "xdrlib.py", "urllib/robotparser.py",
    "curses/textpad.py", "textwrap.py", "heapq.py", "shlex.py", "json/encoder.py", "asyncio/queues.py",
    "sqlite3/dump.py", "turtledemo/lindenmayer.py", "quopri.py",
]
HEAVY = ("libcst", "pygls", "radon")
OLD = 1_000_000_000  # seconds since the epoch: older than any run, so nothing looks freshly edited

# Runs ``perflint.cli.main`` in a fresh interpreter and reports what it imported.
LAUNCH = """
import json, sys
from perflint.cli import main
status = main(sys.argv[1:])
sys.stdout.flush()
sys.stderr.write("\\n@@" + json.dumps({"status": status, "modules": sorted(sys.modules)}) + "\\n")
"""


def _findings(path: str, text: str, prefilter: bool) -> list[tuple]:
    every_rule = tuple(rule.code for rule in all_rules())  # opt-in rules too
    settings = Settings(select=every_rule, prefilter=prefilter, cold=True)  # cold code too
    return [
        (f.code, f.line, f.column, f.end_line, f.end_column, f.message, f.fix, f.fingerprint)
        for f in lint_source(text, path, settings)
    ]


def test_prefilter_keeps_findings_identical_on_stdlib_files():
    total = 0
    for name in CORPUS_SLICE:
        text = (STDLIB / name).read_text(encoding="utf-8")
        with_prefilter = _findings(name, text, prefilter=True)
        assert with_prefilter == _findings(name, text, prefilter=False), name
        total += len(with_prefilter)
    assert total >= 10  # the slice exercises real findings, not only silence


class Tree:
    """A project folder linted from its own directory, with its cache outside it."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path / "project"
        self.root.mkdir()
        self.env = dict(os.environ, PERFLINT_CACHE_DIR=str(tmp_path / "cache"), PYTHONUTF8="1")

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def age(self) -> None:
        """Date every file and folder back, as if the tree had been edited long ago."""
        for folder, _, names in os.walk(self.root):
            for name in names:
                os.utime(os.path.join(folder, name), (OLD, OLD))
            os.utime(folder, (OLD, OLD))

    def check(self, *args: str) -> tuple[int, str, set[str]]:
        """Exit status, stdout, and the top-level packages the run imported."""
        done = subprocess.run(
            [sys.executable, "-c", LAUNCH, "check", *args], cwd=self.root, env=self.env,
            capture_output=True, text=True, timeout=300,
        )
        stderr, _, report = done.stderr.rpartition("\n@@")
        assert report, f"the run crashed:\n{done.stderr}"
        data = json.loads(report)
        return data["status"], done.stdout, {m.split(".")[0] for m in data["modules"]}


SLOW = """
def read_all(path):
    with open(path) as f:
        for line in f.readlines():
            print(line)
"""
FAST = """
def double(xs):
    return [x * 2 for x in xs]
"""


def test_fully_cached_runs_import_no_parser(tmp_path):
    tree = Tree(tmp_path)
    tree.write("slow.py", SLOW)
    tree.write("pkg/fast.py", FAST)
    tree.age()
    status, cold, modules = tree.check()
    assert status == 1 and "PF404" in cold and "libcst" in modules

    status, warm, modules = tree.check()  # every file from the result cache: recorded for replay
    assert (status, warm) == (1, cold)
    assert not modules & set(HEAVY)
    assert "argparse" in modules  # the ordinary path ran

    status, replayed, modules = tree.check()
    assert (status, replayed) == (1, cold)
    assert not modules & {*HEAVY, "argparse", "dataclasses", "perflint.config"}

    os.utime(tree.root / "slow.py", (OLD + 5, OLD + 5))  # new stat, same content: hashed, not relinted
    status, touched, modules = tree.check()
    assert (status, touched) == (1, cold)
    assert "argparse" in modules and not modules & set(HEAVY)


def test_replay_notices_every_kind_of_change(tmp_path):
    tree = Tree(tmp_path)
    tree.write("slow.py", SLOW)
    tree.write("pkg/fast.py", FAST)
    tree.age()
    for _ in range(3):
        status, output, _ = tree.check("--format", "json")
    assert status == 1 and [f["code"] for f in json.loads(output)] == ["PF404"]

    def codes_after_change() -> list[tuple[str, str]]:
        tree.age()  # even with the old dates back, the change must be seen
        _, output, _ = tree.check("--format", "json")
        return sorted((Path(f["path"]).name, f["code"]) for f in json.loads(output))

    tree.write("pkg/fast.py", FAST + SLOW)  # an edited file
    assert codes_after_change() == [("fast.py", "PF404"), ("slow.py", "PF404")]
    tree.write("pkg/sub/new.py", SLOW)  # a new file in a new folder
    assert len(codes_after_change()) == 3
    tree.write(".perflint.yaml", "ignore: [PF404]\n")  # a new config file
    assert codes_after_change() == []
    tree.write(".perflint.yaml", "select: [PF, micro]\nignore: [PF1]\n")  # an edited config file
    assert len(codes_after_change()) == 3
    (tree.root / "slow.py").unlink()  # a deleted file
    assert codes_after_change() == [("fast.py", "PF404"), ("new.py", "PF404")]


MODELS_WITH_FOREIGN_KEY = """
from django.db import models

class Author(models.Model):
    name = models.CharField(max_length=100)

class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
"""
MODELS_WITHOUT_FOREIGN_KEY = """
from django.db import models

class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.CharField(max_length=100)
"""
VIEWS = """
from shop.models import Book

def titles():
    for book in Book.objects.all():
        print(book.author.name)
"""


def test_cached_findings_follow_other_files_models(tmp_path):
    """PF202 in views.py depends on models.py: the cache must not keep views.py's old answer."""
    tree = Tree(tmp_path)
    tree.write("manage.py", "")
    tree.write("shop/__init__.py", "")
    tree.write("shop/models.py", MODELS_WITHOUT_FOREIGN_KEY)
    tree.write("shop/views.py", VIEWS)

    def lazy_relations() -> list[str]:
        tree.age()
        _, output, _ = tree.check("--format", "json", "--select", "PF202")
        return [Path(f["path"]).name for f in json.loads(output)]

    assert lazy_relations() == []
    assert lazy_relations() == []  # cached, and recorded
    tree.write("shop/models.py", MODELS_WITH_FOREIGN_KEY)
    assert lazy_relations() == ["views.py"]
    assert lazy_relations() == ["views.py"]
    tree.write("shop/models.py", MODELS_WITHOUT_FOREIGN_KEY)
    assert lazy_relations() == []


def test_concurrent_runs_both_succeed_and_leave_a_valid_cache(tmp_path):
    tree = Tree(tmp_path)
    for index in range(12):
        tree.write(f"m{index}.py", SLOW if index % 3 == 0 else FAST)
    tree.age()
    command = [sys.executable, "-m", "perflint", "check", "--jobs", "1", "--format", "json", "."]
    runs = [
        subprocess.Popen(command, cwd=tree.root, env=tree.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [1, 1], [err for _, err in outputs]
    assert outputs[0][0] == outputs[1][0]
    assert len(json.loads(outputs[0][0])) == 4

    (index_file,) = (tmp_path / "cache").glob("index-*.marshal")
    entries = marshal.loads(index_file.read_bytes())
    files = {Path(key).name for key in entries if not key.startswith(PROJECT_PREFIX)}
    assert files == {f"m{index}.py" for index in range(12)}
    status, output, modules = tree.check("--jobs", "1", "--format", "json", ".")
    assert (status, output) == (1, outputs[0][0].decode())
    assert not modules & set(HEAVY)  # every entry was usable


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "pipe"])
def test_progress_only_on_a_terminal(tmp_path, terminal):
    tree = Tree(tmp_path)
    for index in range(9):  # enough files for a bar; fewer finish too soon to want one
        tree.write(f"m{index}.py", FAST)
    command = [sys.executable, "-m", "perflint", "check", "--no-cache", "--jobs", "1", "."]
    if terminal:
        leader, follower = pty.openpty()
        done = subprocess.run(command, cwd=tree.root, env=tree.env, stdout=subprocess.PIPE, stderr=follower, timeout=300)
        os.close(follower)
        shown = _read_all(leader)
    else:
        done = subprocess.run(command, cwd=tree.root, env=tree.env, capture_output=True, timeout=300)
        shown = done.stderr
    assert done.returncode == 0
    assert (b"0/9 files" in shown and b"9/9 files" in shown) is terminal
    assert b"files" not in done.stdout


def test_no_progress_for_a_short_run_on_a_terminal(tmp_path):
    tree = Tree(tmp_path)
    tree.write("only.py", FAST)
    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "perflint", "check", "--no-cache", "only.py"], cwd=tree.root,
                          env=tree.env, stdout=subprocess.PIPE, stderr=follower, timeout=300)
    os.close(follower)
    shown = _read_all(leader)
    assert done.returncode == 0 and b"files" not in shown


def _read_all(leader: int) -> bytes:
    """Everything written to a pseudo-terminal whose other end is closed."""
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal reports EIO once everything was read
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return shown


class _AsyncioRunCounter(Rule):
    """Reports every call that resolves to ``asyncio.run``; remembers the functions it was run on."""

    code = "PF999"
    name = "test-asyncio-run"
    level = Level.INFRASTRUCTURE
    message = "asyncio.run"
    qualified_triggers = ("asyncio.run",)
    functions: list[str] = []

    def visit_FunctionDef(self, node) -> None:
        type(self).functions.append(node.name.value)

    def visit_Call(self, node) -> None:
        if self.context.call_name(node) == "asyncio.run":
            self.report(node)


ASYNCIO_RUN_SPELLINGS = [
    "import asyncio\n\ndef f(c):\n    asyncio.run(c)\n",
    "import asyncio as aio\n\ndef f(c):\n    aio.run(c)\n",
    "from asyncio import run as go\n\ndef f(c):\n    go(c)\n",
    "from asyncio import run\n\ndef f(c):\n    run(c)\n",
    "def f(c):\n    import asyncio\n    asyncio.run(c)\n",
    "import trio as asyncio_like\n\ndef f(c):\n    asyncio_like.run(c)\n",
    "import asyncio\n\ndef f(c):\n    (asyncio\n     .run)(c)\n",
    "from asyncio import run as r\n\ndef f(c):\n    return r(c)\n",  # ``r`` as a word, not in ``return``
]


@pytest.mark.parametrize("source", ASYNCIO_RUN_SPELLINGS)
def test_qualified_triggers_keep_every_alias(source):
    def run(prefilter: bool) -> list[int]:
        found = lint_source(source, "x.py", Settings(prefilter=prefilter), [_AsyncioRunCounter])
        return [f.line for f in found]

    assert run(True) == run(False)


def test_qualified_triggers_skip_blocks_that_cannot_reach_the_name():
    source = "import asyncio\n\ndef uses(c):\n    asyncio.run(c)\n\ndef other(x):\n    return run(x)\n"
    _AsyncioRunCounter.functions = []
    assert [f.line for f in lint_source(source, "x.py", Settings(), [_AsyncioRunCounter])] == [4]
    assert _AsyncioRunCounter.functions == ["uses"]  # ``other`` spells neither asyncio nor an alias of it
    _AsyncioRunCounter.functions = []
    aliased = "from asyncio import run as r\n\ndef uses(c):\n    r(c)\n\ndef other(x):\n    return x\n"
    assert [f.line for f in lint_source(aliased, "x.py", Settings(), [_AsyncioRunCounter])] == [4]
    assert _AsyncioRunCounter.functions == ["uses"]  # the alias ``r`` is a word of its own, not part of ``return``


def test_spellings_follow_the_modules_imports():
    facts = ModuleFacts.from_tree(ast.parse("import asyncio as aio\nfrom asyncio import run as go\nimport os.path\n"))
    assert spellings(("asyncio.run",), facts) == {"asyncio", "aio", "go"}
    assert spellings(("builtins.sorted",), facts) == {"sorted"}
    facts = ModuleFacts.from_tree(ast.parse("from concurrent import futures\n"))
    assert spellings(("concurrent.futures.ThreadPoolExecutor",), facts) == {"concurrent", "futures"}


def test_mentions_carry_an_answer_only_where_the_edit_cannot_change_it():
    first = Mentions("a = 1\nfrom shop.models import Book\n")
    assert first("models") and not first("get_user_model")
    # The edit replaced the import line: "models" is looked up again, "get_user_model" is carried.
    second = Mentions("a = 1\nb = 2\n", first, removed="from shop.models import Book\n", added="b = 2\n")
    assert not second("models")
    third = Mentions("a = 1\nget_user_model()\n", second, removed="b = 2\n", added="get_user_model()\n")
    assert third("get_user_model")
    # A carried answer is trusted: the text itself is not read again for it.
    trusting = Mentions("models", second, removed="", added="")
    assert not trusting("models")


def test_an_edit_that_names_models_opens_the_query_rules_in_the_editor(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    path = str(tmp_path / "views.py")
    loop = "\n\ndef titles(ids):\n    for i in ids:\n        print(Book.objects.get(id=i).title)\n"
    cache = BlockCache()
    for text in ("import os\n" + loop, "from shop.models import Book\n" + loop, "import os\n" + loop):
        assert lint_source(text, path, block_cache=cache) == lint_source(text, path)
        cache.prune()
    assert [f.code for f in lint_source("from shop.models import Book\n" + loop, path)] == ["PF201"]


def test_warming_up_runs_every_rule_and_changes_no_finding():
    from perflint import cst_walk
    from perflint.engine import warm_up

    text = (STDLIB / "textwrap.py").read_text(encoding="utf-8")
    before = lint_source(text, "textwrap.py")
    warm_up()
    assert cst_walk._PLANS  # the walk plans are read
    assert lint_source(text, "textwrap.py") == before


def test_abbreviated_side_effect_options_are_never_replayed(tmp_path):
    """``--write-b`` is argparse's abbreviation of ``--write-baseline``: it must write the file every time."""
    tree = Tree(tmp_path)
    tree.write("slow.py", SLOW)
    tree.age()
    tree.check()  # fill the cache, so the runs below lint nothing
    for attempt in range(3):
        baseline = tmp_path / f"baseline{attempt}.json"
        status, _, _ = tree.check("--write-b", str(baseline))
        assert status == 0 and baseline.exists(), attempt
    status, _, modules = tree.check("--write-b", str(tmp_path / "baseline0.json"))
    assert "argparse" in modules  # not replayed


def test_an_edit_in_one_method_reaches_what_another_method_learns_from_the_module():
    """PF113 needs an attribute some method grows; what each statement grows is kept on its
    node, and the edited method's node is new while its class's node is a copy."""
    guard = (
        "class Guard:\n"
        "    def __init__(self):\n        self.banned: list[str] = []\n\n"
        "    def ban(self, ip):\n        {ban}\n\n"
        "    def check(self, requests):\n        for r in requests:\n"
        "            if self.banned.index(r.ip) > 3:\n                print(r)\n"
    )
    cache = BlockCache()
    found = []
    for ban in ("pass", "self.banned.append(ip)", "pass"):
        text = guard.replace("{ban}", ban)
        findings = lint_source(text, "guard.py", block_cache=cache)
        assert findings == lint_source(text, "guard.py")
        found.append([f.code for f in findings])
        cache.prune()
    assert found == [[], ["PF113"], []]


def test_a_run_is_recognised_whatever_objects_spell_its_arguments():
    """The replay key of equal arguments is equal bytes: marshal's were not (they depend on how
    many references each string has), so a console-script run never found its own record."""
    from perflint import run_record

    spelled = ["check", "--jobs", "2", "."]
    built = ["".join(["ch", "eck"]), "--" + "jobs", str(2), "."]
    assert run_record._key(built) == run_record._key(spelled)
