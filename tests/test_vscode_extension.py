"""The VS Code extension: its TypeScript unit tests, the packaged .vsix, and an end-to-end run in real VS Code.

The end-to-end test installs the .vsix into code-server and drives it with headless Chromium
(vscode-extension/scripts/e2e.sh + e2e/drive.js). Its toolchain is installed once, outside the
clone, by vscode-extension/scripts/setup-e2e.sh, which scripts/setup.sh --test runs.
Screenshots and logs land in $PERFLINT_E2E_ARTIFACTS, or in a pytest temp folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "vscode-extension"


def run(command: list[str], timeout: int, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, PERFLINT_PYTHON=sys.executable, **kwargs.pop("env", {}))
    return subprocess.run(
        command, cwd=EXTENSION, capture_output=True, text=True, timeout=timeout, env=env, **kwargs
    )


def explain(done: subprocess.CompletedProcess) -> str:
    return f"exit {done.returncode}\n--- stdout\n{done.stdout[-6000:]}\n--- stderr\n{done.stderr[-6000:]}"


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """`npm ci` from the committed package-lock.json, once, when node_modules is missing."""
    if not (EXTENSION / "node_modules" / ".package-lock.json").exists():
        done = run(["npm", "ci", "--no-audit", "--no-fund"], timeout=600)
        assert done.returncode == 0, explain(done)
    return EXTENSION / "node_modules"


@pytest.fixture(scope="module")
def vsix(node_modules, tmp_path_factory) -> Path:
    """The extension built (typecheck + bundle) and packaged with the perflint wheel inside."""
    out = tmp_path_factory.mktemp("vsix") / "perflint.vsix"
    done = run(["bash", "scripts/package.sh", str(out)], timeout=600)
    assert done.returncode == 0, explain(done)
    assert done.stdout.strip().splitlines()[-1] == str(out)
    return out


def test_typescript_unit_tests_pass(node_modules):
    done = run(["npm", "test", "--silent"], timeout=300)
    assert done.returncode == 0, explain(done)
    passed = re.search(r"^# pass (\d+)$", done.stdout, re.MULTILINE)
    failed = re.search(r"^# fail (\d+)$", done.stdout, re.MULTILINE)
    assert passed and failed, explain(done)
    assert int(failed.group(1)) == 0
    assert int(passed.group(1)) >= 40, "fewer TypeScript tests ran than exist"


def test_vsix_holds_the_bundle_and_the_wheel(vsix):
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("extension/package.json"))
    assert "extension/dist/extension.js" in names
    wheels = [name for name in names if re.fullmatch(r"extension/bundled/perflint-[^/]+-py3-none-any\.whl", name)]
    assert len(wheels) == 1, sorted(names)
    assert not any(name.startswith(("extension/node_modules/", "extension/src/")) for name in names)
    settings = manifest["contributes"]["configuration"]["properties"]
    for key in ("enable", "select", "ignore", "levels", "severity", "profile", "interpreter", "importStrategy", "args"):
        assert f"perflint.{key}" in settings
    commands = {command["command"] for command in manifest["contributes"]["commands"]}
    assert {"perflint.restart", "perflint.fixAll", "perflint.showHotspots"} <= commands
    assert "extensionDependencies" not in manifest  # ms-python.python is optional


def fresh_clone(tmp_path: Path, node_modules: Path) -> Path:
    """The checkout's files (tracked and untracked, minus ignored ones: what a clone has, so no
    .venv, dist/ or bundled/) in ``tmp_path``, with the already installed node_modules linked in."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    clone = tmp_path / "clone"
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    (clone / "vscode-extension" / "node_modules").symlink_to(node_modules)
    return clone


def test_plain_vsce_package_builds_on_a_fresh_clone(node_modules, tmp_path):
    """`npx vsce package` runs `vscode:prepublish`, which bundles and builds the wheel with python3 on PATH."""
    clone = fresh_clone(tmp_path, node_modules)
    assert not (clone / ".venv").exists() and not (clone / "vscode-extension" / "dist").exists()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)
    env = {k: v for k, v in os.environ.items() if k != "PERFLINT_PYTHON"}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    out = tmp_path / "plain.vsix"
    done = subprocess.run(
        ["npx", "--no-install", "vsce", "package", "--no-dependencies", "--allow-missing-repository", "--out", str(out)],
        cwd=clone / "vscode-extension", capture_output=True, text=True, timeout=600, env=env,
    )
    assert done.returncode == 0, explain(done)
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
    assert "extension/dist/extension.js" in names
    assert any(re.fullmatch(r"extension/bundled/perflint-[^/]+\.whl", name) for name in names), sorted(names)


def test_packaging_without_a_usable_python_says_what_to_do(node_modules, tmp_path):
    clone = fresh_clone(tmp_path, node_modules)
    done = subprocess.run(
        ["bash", "scripts/package.sh", str(tmp_path / "x.vsix")],
        cwd=clone / "vscode-extension", capture_output=True, text=True, timeout=300,
        env=dict(os.environ, PERFLINT_PYTHON=str(tmp_path / "no-python")),
    )
    assert done.returncode != 0 and done.returncode != 127
    assert f"perflint packaging: PERFLINT_PYTHON={tmp_path / 'no-python'} is not a Python 3.9+ with pip" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "x.vsix").exists()


def test_end_to_end_in_code_server(vsix, tmp_path):
    artifacts = Path(os.environ.get("PERFLINT_E2E_ARTIFACTS") or tmp_path / "artifacts")
    if artifacts.exists():
        shutil.rmtree(artifacts)
    done = run(["bash", "scripts/e2e.sh", str(vsix), str(artifacts)], timeout=600)
    print(f"e2e artifacts: {artifacts}")
    assert done.returncode == 0, explain(done) + f"\nartifacts: {artifacts}"
    result = json.loads((artifacts / "result.json").read_text())
    assert result["ok"] is True
    assert "[L4 io]" in result["problem"] and "PF404" in result["problem"]
    assert [row.split(" ")[0:2] for row in result["hotspots"][1:]] == [["#1", "PF404"], ["#2", "PF404"]]
    assert "nested.py:4" in result["hotspots"][1] and "simple.py:3" in result["hotspots"][2]
    assert "Iterate the file object directly (PF404)" in result["quickFixMenu"]
    assert "for line in f:" in result["fixedText"]
    assert "/nonexistent/bin/python3" in result["failureNotice"] and "Set interpreter" in result["failureNotice"]
    assert "is not installed in" in result["notInstalledNotice"] and "Install perflint" in result["notInstalledNotice"]
    assert "could not start: unrecognized arguments: --fast" in result["badArgsNotice"]
    assert len(result["toastsAfterBadArgs"]) == 1
    assert any("an outside edit refreshed the hotspots view" in line for line in result["checks"])
    assert "PF404" in result["notebookProblems"] and "[Ln 3, Col 21]" in result["notebookProblems"]
    for step in ("the restart reused the environment", "the server runs from the chosen environment"):
        assert any(step in line for line in result["checks"]), step
    for screenshot in ("1-problems-and-hotspots.png", "2-quick-fix.png", "3-all-fixed.png", "4-bad-interpreter.png", "5-bad-args.png", "6-notebook.png"):
        assert (artifacts / screenshot).stat().st_size > 10_000
