"""Shared fixtures: run the real ``perflint`` console script in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

PERFLINT = shutil.which("perflint", path=os.path.dirname(sys.executable)) or "perflint"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def perflint(tmp_path, monkeypatch):
    """Call as ``perflint("check", "x.py", input=...)``; runs in ``tmp_path`` with a private cache."""
    env = dict(os.environ, PERFLINT_CACHE_DIR=str(tmp_path / ".cache"), PYTHONUTF8="1")

    def run(*args: str, cwd: Path | None = None, input: str | bytes | None = None) -> Run:
        data = input.encode() if isinstance(input, str) else input
        done = subprocess.run(
            [PERFLINT, *args], cwd=cwd or tmp_path, input=data, capture_output=True, env=env, timeout=300
        )
        return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))

    return run


@pytest.fixture
def write(tmp_path):
    """Write a dedented file under ``tmp_path`` and return its path."""

    def write_file(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write_file


@pytest.fixture
def make_package(tmp_path):
    """Make a project under ``tmp_path`` (a ``pyproject.toml`` naming it) with one package of
    dedented modules, ``make_package("shop", {"repo.py": "..."})``, and return the package folder.
    The cache of other modules' facts (``perflint.project_calls``) is cleared around the test."""
    from perflint import project_calls

    def make(name: str, modules: dict[str, str]) -> Path:
        (tmp_path / "pyproject.toml").write_text(f"[project]\nname = '{name}'\n")
        folder = tmp_path / name
        folder.mkdir()
        for module, text in {"__init__.py": "", **modules}.items():
            (folder / module).write_text(textwrap.dedent(text))
        return folder

    project_calls.clear()
    yield make
    project_calls.clear()


# Many tests use micro rules as examples (PF109's append loop, PF301's `re` call in a loop).
# Tests that are not about the selection run with the micro group on: files under pytest's temporary folder find this config by discovery, and
# in-process calls without settings get the same selection. Tests of the default selection
# (tests/test_output.py, tests/test_config.py) pass their own settings or config.
SUITE_SELECT = ("PF", "micro")


@pytest.fixture(scope="session", autouse=True)
def _micro_group_on(tmp_path_factory):
    from perflint import engine
    from perflint.config import Settings

    base = tmp_path_factory.getbasetemp()
    config = base / ".perflint.yaml"
    config.write_text("select: [PF, micro]\n", encoding="utf-8")
    # Dated back: a config edited within the last second is too fresh for a run to be recorded
    # for replay (run_record.RACY_NS), which a test run right after start-up would meet.
    os.utime(config, (1_000_000_000, 1_000_000_000))
    previous = engine.DEFAULT_SETTINGS
    engine.DEFAULT_SETTINGS = Settings(select=SUITE_SELECT)
    yield
    engine.DEFAULT_SETTINGS = previous


# The end-to-end tests drive real tools that scripts/setup.sh --test installs: VS Code
# (code-server, headless Chromium, npm packages), Neovim, and pre-commit environments that
# pip-install this repository. They take most of the suite's time; `pytest -m "not e2e"`
# deselects them for the edit-test loop (README, "Development").
E2E_MODULES = frozenset({"test_vscode_extension.py", "test_nvim.py", "test_precommit.py"})


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in E2E_MODULES:
            item.add_marker(pytest.mark.e2e)
