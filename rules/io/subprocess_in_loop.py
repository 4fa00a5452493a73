"""PF409 subprocess-in-loop."""

from __future__ import annotations

import posixpath
from typing import Optional

import libcst as cst
from perflint.analysis import runs_fixed_times, variables, while_walk_names
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid
from perflint.rules.io._per_item import PerItem

SPAWNING = {f"subprocess.{name}" for name in ("run", "call", "check_call", "check_output")}
# A Popen counts only when waited for at once; kept, it may run in parallel on purpose.
WAITING_METHODS = {"wait", "communicate"}
# Commands that take any number of file (or process) operands after their options.
MULTI_OPERAND_COMMANDS = {
    "rm", "chmod", "chown", "chgrp", "touch", "mkdir", "rmdir", "ls", "stat", "file", "du", "wc", "cat",
    "gzip", "gunzip", "bzip2", "bunzip2", "xz", "unxz", "zstd", "md5sum", "sha1sum", "sha256sum", "sha512sum",
    "dos2unix", "unix2dos", "strip", "kill",
    "black", "isort", "ruff", "flake8", "pylint", "mypy", "pyflakes", "pycodestyle", "codespell", "yamllint",
    "shellcheck", "clang-format", "prettier", "eslint", "pyupgrade", "autoflake", "shfmt",
    # media tools that take a list of files (exiftool also starts a Perl interpreter per run)
    "exiftool", "jpegoptim", "optipng", "pngquant", "mogrify",
}
# Subcommands of `git` that take many paths.
GIT_MULTI_PATH = {"add", "rm", "restore"}
# `git` options before the subcommand that take the next word as their value (`git -C repo add p`).
GIT_OPTIONS_WITH_VALUE = {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--config-env"}


class SubprocessInLoop(Rule):
    """
    ## What it does
    Flags a subprocess started once per item of a loop
    (`subprocess.run/call/check_call/check_output`, or a `Popen` waited for
    at once), when the command
    is one that accepts many operands: the argument list is a literal whose
    command (`"gzip"`, `"rm"`, `"chmod"`, `"black"`, `"git", "add"`, also
    after git's global options such as `"-C", repo`,
    `sys.executable, "-m", "mypy"`...) takes any number of files or process
    ids, and the only arguments that change per iteration are the trailing
    operands.

    ## Why is this slow?
    Starting a process (fork/exec, dynamic linking, interpreter start-up for
    Python tools) costs milliseconds, usually far more than the work the
    command does on one file. Measured with `timeit` on Python 3.11 on this
    (noisy, 2-core) machine, `touch` run once per file on 100 files took
    about 530 ms, and once with all 100 files 27 ms (best of 5 runs).

    ## Example
    ```python
    for path in paths:
        subprocess.run(["gzip", "-9", path], check=True)
    ```

    ## Use instead
    ```python
    subprocess.run(["gzip", "-9", *paths], check=True)
    ```
    For very long lists, split them into chunks to stay under the system's
    argument-length limit.

    ## Fix safety
    No automatic fix: a single invocation reports one exit status for all
    operands, and stops or continues on the first failure depending on the
    command.

    ## Known false positives
    Loops that need the result per item (the exit status or the output of
    each file), or that do other work between the calls that the next call
    depends on. A `Popen` that is kept rather than waited for may run in
    parallel on purpose and is not flagged. Commands outside the list above (most take one operand, like
    `ping` or `ssh`), shell strings, commands built from variables, and
    argument lists where a changing argument is followed by fixed ones are
    never flagged.

    Judged on the Python 3.11.7 standard library (test/, tests/, idlelib/,
    lib2to3/ and site-packages excluded) and the sdists of aiohttp 3.9.5,
    httpx 0.27.0, httpie 3.2.2, discord.py 2.3.2, python-gitlab 4.4.0, pip
    24.0 (with its vendored packages), pre-commit 3.7.1 and sphinx 7.3.7
    (their tests included), reading every finding: no findings, so precision
    on real code is unmeasured; the examples above are the evidence.

    Also flagged (2026-12-07): a `lambda` run once per item (`map(lambda p:
    subprocess.run(["black", p]), paths)`), a helper a loop calls directly
    whose operand is its own parameter, and a one-statement drain `while
    paths: run([..., paths.pop()])`. On the stdlib 3.11.7 and the sdists of
    fastapi-users 13.0.0, pip-audit 2.7.3, cookiecutter 2.6.0, twine 5.1.1,
    gallery-dl 1.27.7, streamlink 6.11.0, wikipedia 1.4.0, newspaper3k
    0.2.8, pre-commit 3.8.0: no new finding.
    """

    code = "PF409"
    name = "subprocess-in-loop"
    level = Level.IO
    message = "A process is started per item for a command that accepts many operands; pass them in one call"
    weight = 2.0
    triggers = ("run", "call", "wait", "communicate", "check_output")
    # Also a callback run per item and a helper a loop of the module calls (no loop of their
    # own): the `qualified_triggers` gate keeps it to files that spell `subprocess`.
    needs = tuple(sorted(f"{name.rpartition('.')[2]}()" for name in SPAWNING | WAITING_METHODS))
    qualified_triggers = tuple(sorted(SPAWNING | {"subprocess.Popen"}))
    benchmark = Benchmark(
        setup=(
            "import subprocess, tempfile, os\nd = tempfile.mkdtemp()\n"
            "files = [os.path.join(d, f'f{i}') for i in range(100)]"
        ),
        slow="for p in files:\n    subprocess.run(['touch', p], check=True)",
        fast="subprocess.run(['touch', *files], check=True)",
        size="100 files",
    )

    valid = [
        # A helper called per item whose operand is not its parameter; a callback over a literal.
        Valid(
            "import subprocess\ndef fmt(path):\n    subprocess.run(['black', 'src'], check=True)\n"
            "def fmt_all(paths):\n    for p in paths:\n        fmt(p)\n"
        ),
        Valid("import subprocess\nlist(map(lambda p: subprocess.run(['black', p]), ['a.py', 'b.py']))\n"),
        # A worklist: the body names the queue again, so it is not a plain walk.
        Valid(
            "import subprocess\ndef walk(dirs):\n    while dirs:\n"
            "        dirs.extend(subprocess.run(['ls', dirs.pop()], capture_output=True, text=True).stdout.split())\n"
        ),
        Valid("import subprocess\nsubprocess.run(['gzip', *paths], check=True)\n"),
        # One operand per invocation by nature.
        Valid("import subprocess\nfor host in hosts:\n    subprocess.run(['ping', '-c', '1', host])\n"),
        Valid("import subprocess\nfor host in hosts:\n    subprocess.run(['ssh', host, 'uptime'])\n"),
        # The changing argument is not trailing (an option value, or a fixed target after it).
        Valid("import subprocess\nfor level in levels:\n    subprocess.run(['gzip', f'-{level}', 'a.txt'])\n"),
        Valid("import subprocess\nfor p in paths:\n    subprocess.run(['chmod', p, '--verbose'])\n"),
        # Shell strings and commands from variables.
        Valid("import subprocess\nfor p in paths:\n    subprocess.run(f'gzip {p}', shell=True)\n"),
        Valid("import subprocess\nfor p in paths:\n    subprocess.run([tool, p])\n"),
        # Nothing changes per iteration.
        Valid("import subprocess\nfor _ in range(3):\n    subprocess.run(['rm', 'lock'])\n"),
        # Processes started to run in parallel.
        Valid("import subprocess\nprocs = [subprocess.Popen(['gzip', p]) for p in paths]\n"),
        # `git -C repo` before a subcommand that reads one path at a time; the repository varies.
        Valid("import subprocess\nfor p in paths:\n    subprocess.run(['git', '-C', REPO, 'log', '-1', '--', p])\n"),
        Valid("import subprocess\nfor repo in repos:\n    subprocess.run(['git', '-C', repo, 'add', 'setup.py'])\n"),
        # Not in a loop, or the loop only feeds the iterable.
        Valid("import subprocess\ndef f(p):\n    subprocess.run(['rm', p])\n"),
    ]
    invalid = [
        # A per-item callback, and a helper that a loop of the module calls with each file.
        Invalid("import subprocess\ndef f(paths):\n    list(map(lambda p: subprocess.run(['black', '-q', p]), paths))\n"),
        Invalid(
            "import subprocess\ndef fmt(path):\n    subprocess.run(['prettier', '--write', path], check=True)\n"
            "def fmt_all(paths):\n    for p in paths:\n        fmt(p)\n"
        ),
        Invalid(
            """
            import subprocess

            def compress(paths):
                for path in paths:
                    subprocess.run(["gzip", "-9", path], check=True)
            """
        ),
        Invalid(
            """
            import subprocess, sys

            def lint(files):
                for name in files:
                    subprocess.check_call([sys.executable, "-m", "black", "--quiet", name])
            """
        ),
        Invalid(
            """
            from subprocess import call

            for entry in entries:
                call(["/usr/bin/git", "add", entry.path])
            """
        ),
        # A `while` loop draining a list of paths.
        Invalid(
            """
            import subprocess
            def stage(paths):
                while paths:
                    path = paths.pop()
                    subprocess.check_call(["git", "add", "--", path])
            """
        ),
        # Global options before the subcommand (`-C repo`, `-c key=value`, `--no-pager`).
        Invalid("import subprocess\ndef stage(repo, paths):\n    for p in paths:\n        subprocess.run(['git', '-C', repo, '--no-pager', 'add', p], check=True)\n"),
        # The item taken inside the call.
        Invalid("import subprocess\ndef stage(paths):\n    while paths:\n        subprocess.run(['git', 'add', paths.pop()])\n"),
        Invalid(
            """
            import subprocess
            for pid in pids:
                subprocess.Popen(["kill", "-TERM", str(pid)]).wait()
            """
        ),
    ]

    def __init__(self, context, options=None) -> None:
        super().__init__(context, options)
        self._per_item = PerItem(context)

    def visit_Call(self, node: cst.Call) -> None:
        context = self.context
        self._per_item.note(node)
        loop = context.innermost_loop
        if loop is None:
            if context.scope.kind == "lambda":
                loop = self._per_item.callback_items()  # ``map(lambda p: run(["black", p]), paths)``
            elif not context.in_loop and self._per_item.per_item_helper() is not None:
                loop = context.scope.local_names & _parameters(context.scope.node)
            if not loop:
                return
        elif all(runs_fixed_times(x.node, context.facts, context.is_local, context.is_literal_local) for x in context.loops):
            return  # a few written-out items (``loop_only`` rules get this from ``Rule.report``)
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in WAITING_METHODS and isinstance(func.value, cst.Call):
            if context.call_name(func.value) == "subprocess.Popen":
                self._check(func.value, loop)
            return
        qualified = context.call_name(node)
        spelled = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
        if qualified in SPAWNING and qualified.endswith("." + str(spelled)):
            self._check(node, loop)  # spelled with its own name, so `triggers` is a superset

    def _check(self, node: cst.Call, loop) -> None:
        if not node.args or node.args[0].keyword or node.args[0].star:
            return
        if any(arg.keyword and arg.keyword.value == "shell" for arg in node.args):
            return
        argv = node.args[0].value
        if not isinstance(argv, cst.List) or any(not isinstance(e, cst.Element) for e in argv.elements):
            return
        elements = [e.value for e in argv.elements]
        operands_from = self._operands_start(elements)
        if operands_from is None:
            return
        if isinstance(loop, set):
            changing = loop  # a per-item callback's or helper's parameters
        elif loop.kind == "while":
            changing = while_walk_names(loop.node) or set()  # ``while paths: path = paths.pop()``
        else:
            changing = loop.target_names
        if not changing:
            return
        varies = [bool(variables(e) & changing) for e in elements]
        if not any(varies) or any(varies[:operands_from]):
            return
        first = varies.index(True)
        if not all(varies[first:]):
            return  # a fixed argument after a changing one: not a trailing operand
        if any(variables(arg.value) & changing for arg in node.args[1:]):
            return  # cwd=, env= ... change per item too
        self.report(node)

    def _operands_start(self, elements: list[cst.BaseExpression]) -> Optional[int]:
        """Index after the command (and its subcommand) when it accepts many operands, else None."""
        words = [_literal(e) for e in elements]
        if len(words) >= 3 and words[1] == "-m" and self.context.qualified_name(elements[0]) == "sys.executable":
            return 3 if words[2] in MULTI_OPERAND_COMMANDS else None
        if not words or words[0] is None:
            return None
        command = posixpath.basename(words[0])
        if command == "git":
            return _git_operands_start(words)
        return 1 if command in MULTI_OPERAND_COMMANDS else None


def _git_operands_start(words: list[Optional[str]]) -> Optional[int]:
    """Index after ``git [global options] add|rm|restore``; the global options (``-C repo``,
    ``-c key=value``, ``--no-pager``) come before the subcommand and must not vary."""
    index = 1
    while index < len(words):
        word = words[index]
        if word in GIT_OPTIONS_WITH_VALUE:
            index += 2
        elif word is not None and word.startswith("-"):
            index += 1  # ``--no-pager``, ``--git-dir=.git``
        else:
            break
    if index < len(words) and words[index] in GIT_MULTI_PATH:
        return index + 1
    return None


def _literal(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _parameters(function: cst.CSTNode) -> set[str]:
    params = getattr(function, "params", None)
    if params is None:
        return set()
    return {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
