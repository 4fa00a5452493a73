"""The pre-commit hooks of ``.pre-commit-hooks.yaml``, run by the real ``pre-commit``.

pre-commit builds a fresh virtualenv and pip-installs this repository for
every ``try-repo`` call (about 40 s here), so there is exactly one such call.
The other tests use a config that names this repository by path and its HEAD
commit, with one ``PRE_COMMIT_HOME`` for the whole session, so its environment
is built once and each later run takes a few seconds. ``rev:`` needs the hooks
committed; ``try-repo`` also sees uncommitted changes (it copies the working
tree into a shadow repository).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SLOW = """\
def read(path):
    with open(path) as handle:
        for line in handle.readlines():
            print(line)
"""
FIXED = SLOW.replace("handle.readlines()", "handle")
FINDING = "slow.py:3:21: PF404"


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path, pre_commit_home):
    """A throwaway git repository holding one flagged file; returns a ``pre-commit`` runner."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(PRE_COMMIT_HOME=str(pre_commit_home), PERFLINT_CACHE_DIR=str(tmp_path / "perflint-cache"))

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    def pre_commit(*args: str) -> subprocess.CompletedProcess:
        git("add", "-A")  # pre-commit only sees files git knows
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False,
        )

    git("init", "-q")
    (tmp_path / "slow.py").write_text(SLOW)
    return pre_commit


def _config(tmp_path: Path, args: list[str] | None = None) -> None:
    """A config naming this repository by path at its HEAD commit, with both hooks."""
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    hook_args = f"\n        args: {args!r}" if args else ""
    (tmp_path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {head}\n    hooks:\n"
        f"      - id: perflint{hook_args}\n      - id: perflint-fix\n"
    )


def test_try_repo_runs_the_check_hook_and_fails_on_the_finding(project, tmp_path):
    run = project("try-repo", str(REPO), "perflint", "--all-files")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "- hook id: perflint\n" in run.stdout
    assert FINDING in run.stdout
    assert (tmp_path / "slow.py").read_text() == SLOW


def test_fix_hook_rewrites_the_file_and_the_next_run_passes(project, tmp_path):
    _config(tmp_path)
    check = project("run", "perflint", "--all-files")
    assert check.returncode == 1 and FINDING in check.stdout, check.stdout + check.stderr

    fix = project("run", "perflint-fix", "--all-files")
    # perflint exits 0 once nothing is left; pre-commit fails the hook because it changed a file.
    assert fix.returncode == 1, fix.stdout + fix.stderr
    assert "files were modified by this hook" in fix.stdout
    assert (tmp_path / "slow.py").read_text() == FIXED

    again = project("run", "--all-files")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.count("Passed") == 2


def test_baseline_passed_through_args_accepts_old_findings_only(project, tmp_path, perflint):
    baseline = perflint("check", "--write-baseline", "perflint-baseline.json", "slow.py", cwd=tmp_path)
    assert baseline.returncode == 0, baseline.stderr
    _config(tmp_path, ["--baseline", "perflint-baseline.json"])
    assert project("run", "perflint", "--all-files").returncode == 0

    (tmp_path / "new.py").write_text(SLOW)
    run = project("run", "perflint", "--all-files")
    assert run.returncode == 1
    assert "new.py:3:21: PF404" in run.stdout and FINDING not in run.stdout
