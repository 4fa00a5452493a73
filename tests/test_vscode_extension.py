"""The VS Code extension: its TypeScript unit tests, the packaged .vsix, and an end-to-end run in real VS Code.

The end-to-end test installs the .vsix into code-server and drives it with headless Chromium
(vscode-extension/scripts/e2e.sh + e2e/drive.js). Its toolchain is installed once, outside the
clone, by vscode-extension/scripts/setup-e2e.sh, which scripts/setup.sh --test runs.
Screenshots and logs land in $PERFLINT_E2E_ARTIFACTS, or in a pytest temp folder.

The platform package (package.sh --target, the dependency wheels inside) is built for this
machine's target and the running Python only: one `pip download`, so the suite needs PyPI for
it as it does for setup; its first start is then checked with the network denied, both by
running the extension's own install plan in a network namespace and in the end-to-end test.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
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


CURRENT_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


def host_target() -> str:
    """The `vsce package --target` of this machine (the platform package its VS Code would get)."""
    machine = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine().lower())
    system = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform)
    if system == "linux" and platform.libc_ver()[0] != "glibc":
        system = "alpine"
    assert machine and system, f"no VS Code platform target for {sys.platform} {platform.machine()}"
    return f"{system}-{machine}"


@pytest.fixture(scope="module")
def platform_vsix(node_modules, tmp_path_factory) -> Path:
    """This machine's platform package, its dependency wheels downloaded for the running Python
    only (one `pip download`; `package.sh --target` downloads them for CPython 3.10 to 3.15)."""
    out = tmp_path_factory.mktemp("platform-vsix") / f"perflint-{host_target()}.vsix"
    done = run(
        ["bash", "scripts/package.sh", "--target", host_target(), str(out)],
        timeout=600, env={"PERFLINT_WHEEL_PYTHONS": CURRENT_PYTHON},
    )
    assert done.returncode == 0, explain(done)
    assert done.stdout.strip().splitlines()[-1] == str(out)
    return out


def network_denied() -> tuple[list[str], dict[str, str]]:
    """A command prefix and environment under which pip cannot reach any package index: a network
    namespace with no interface up (``unshare -n``, or ``-rn`` when not root) where the kernel
    allows one, and in any case no pip configuration (this machine's names local wheel folders),
    an index and proxies on a closed port, no retries."""
    env = {key: value for key, value in os.environ.items() if not key.upper().startswith("PIP_")}
    dead = "http://127.0.0.1:9"
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_INDEX_URL=f"{dead}/simple/", PIP_RETRIES="0", PIP_TIMEOUT="3",
               http_proxy=dead, https_proxy=dead, HTTP_PROXY=dead, HTTPS_PROXY=dead)
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        if shutil.which(prefix[0]) and subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return prefix, env
    return [], env


def test_platform_vsix_carries_the_dependency_wheels(platform_vsix, vsix):
    with zipfile.ZipFile(platform_vsix) as archive:
        names = set(archive.namelist())
        manifest = archive.read("extension.vsixmanifest").decode()
        bundle = json.loads(archive.read("extension/bundled/wheels/bundle.json"))
    assert f'TargetPlatform="{host_target()}"' in manifest
    assert bundle["target"] == host_target() and bundle["pythons"] == [CURRENT_PYTHON]
    wheels = sorted(name.rsplit("/", 1)[1] for name in names if name.startswith("extension/bundled/wheels/") and name.endswith(".whl"))
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    for project in ("libcst", "pyyaml", "pygls", "lsprotocol", "radon", "attrs", "cattrs"):
        assert any(wheel.lower().startswith(f"{project}-") for wheel in wheels), (project, wheels)
    assert any(wheel.startswith("libcst-") and f"-{tag}-" in wheel for wheel in wheels), wheels
    assert sorted(bundle["wheels"][CURRENT_PYTHON]) == wheels  # nothing unused, nothing missing
    assert not any(wheel.startswith("perflint-") for wheel in wheels)  # that one is in bundled/
    assert sum(re.fullmatch(r"extension/bundled/perflint-[^/]+\.whl", name) is not None for name in names) == 1
    # The universal package keeps today's behaviour: no wheels, no target.
    with zipfile.ZipFile(vsix) as archive:
        assert not any("/wheels/" in name for name in archive.namelist())
        assert "TargetPlatform" not in archive.read("extension.vsixmanifest").decode()


def test_first_start_installs_from_the_platform_vsix_with_the_network_denied(platform_vsix, node_modules, tmp_path):
    """What the extension's first start does with a platform package, with no network: the pip
    command comes from the extension's own code (installAttempts in src/logic/bundledEnv.ts),
    run as the extension runs it (the base interpreter's pip, --python into a fresh environment)."""
    extension = tmp_path / "extension"
    with zipfile.ZipFile(platform_vsix) as archive:
        archive.extractall(tmp_path)
    wheel = next((extension / "bundled").glob("perflint-*.whl"))
    wheels = extension / "bundled" / "wheels"
    done = run(["npm", "run", "--silent", "compile-tests"], timeout=300)
    assert done.returncode == 0, explain(done)
    script = (
        "const b = require('./out/logic/bundledEnv.js');"
        "const [wheel, dir, version] = process.argv.slice(1);"
        "const bundle = b.parseBundle(require('fs').readFileSync(require('path').join(dir, b.BUNDLE_FILE), 'utf8'));"
        "console.log(JSON.stringify(b.installAttempts(wheel, JSON.parse(version), dir, bundle)));"
    )
    done = run(["node", "-e", script, str(wheel), str(wheels), json.dumps(list(sys.version_info[:3]))], timeout=60)
    assert done.returncode == 0, explain(done)
    attempts = json.loads(done.stdout)
    assert [attempt["offline"] for attempt in attempts] == [True, False]

    env_dir = tmp_path / "python-env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    prefix, env = network_denied()
    pip = [*prefix, sys.executable, "-m", "pip", "--python", str(python)]
    # The control: the universal package's install cannot work here, so the network is really denied.
    online = subprocess.run([*pip, *attempts[1]["args"]], capture_output=True, text=True, timeout=120, env=env)
    assert online.returncode != 0, online.stdout + online.stderr
    offline = subprocess.run([*pip, *attempts[0]["args"]], capture_output=True, text=True, timeout=300, env=env)
    assert offline.returncode == 0, offline.stdout + offline.stderr

    version = subprocess.run([*prefix, str(python), "-m", "perflint", "--version"], capture_output=True, text=True, env=env)
    assert version.returncode == 0 and version.stdout.startswith("perflint "), version.stdout + version.stderr
    planted = tmp_path / "planted.py"
    planted.write_text("def load(path):\n    with open(path) as f:\n        for line in f.readlines():\n            print(line)\n")
    check = subprocess.run(
        [*prefix, str(python), "-m", "perflint", "check", "--select", "PF404", "--format", "json", "--no-cache", str(planted)],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )
    findings = json.loads(check.stdout)
    assert [(finding["code"], finding["line"]) for finding in findings] == [("PF404", 3)], check.stdout + check.stderr


def load_platform_wheels():
    spec = importlib.util.spec_from_file_location("platform_wheels", EXTENSION / "scripts" / "platform_wheels.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_wheel(folder: Path, filename: str, requires: list[str]) -> Path:
    name, version = filename.split("-")[:2]
    path = folder / filename
    with zipfile.ZipFile(path, "w") as archive:
        metadata = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
        archive.writestr(f"{name}-{version}.dist-info/METADATA", "\n".join(metadata + [f"Requires-Dist: {r}" for r in requires]) + "\n")
    return path


def test_platform_wheels_follow_the_targets_markers_not_the_packagers(tmp_path, monkeypatch):
    """pip download evaluates markers for the Python running it; the closure re-walks them for the
    target, so CPython 3.10 gets tomli and 3.13 gets pyyaml-ft even when packaging on 3.11, and a
    Windows-only dependency appears in the Windows bundle only (no network: pip is stubbed)."""
    module = load_platform_wheels()
    perflint = fake_wheel(tmp_path, "perflint-0.1.0-py3-none-any.whl", ["libcst>=1.4", "tomli>=2; python_version < '3.11'"])
    out = tmp_path / "wheels"
    out.mkdir()
    for version in ("310", "311", "313"):
        fake_wheel(out, f"libcst-1.9.0-cp{version}-cp{version}-manylinux_2_28_x86_64.whl",
                   ['pyyaml>=5.2; python_version < "3.13"', 'pyyaml-ft>=8.0.0; python_version == "3.13"'])
        fake_wheel(out, f"pyyaml-6.0.4-cp{version}-cp{version}-manylinux_2_17_x86_64.whl", [])
    fake_wheel(out, "libcst-1.9.0-cp313-cp313-win_amd64.whl", ["pyyaml-ft>=8.0.0", "colorama; sys_platform == 'win32'"])
    downloads = []

    def pip_download(python, target, version, folder, what):  # what pip would fetch: the wheel asked for
        downloads.append((target, version, what[-1]))
        requirement = what[-1]
        if requirement.startswith("tomli"):
            fake_wheel(folder, "tomli-2.5.0-py3-none-any.whl", [])
        elif requirement.startswith("pyyaml-ft"):
            tag = "win_amd64" if target.startswith("win32") else "manylinux_2_17_x86_64"
            fake_wheel(folder, f"pyyaml_ft-8.0.0-cp313-cp313-{tag}.whl", [])
        elif requirement.startswith("colorama"):
            fake_wheel(folder, "colorama-0.4.6-py2.py3-none-any.whl", [])

    monkeypatch.setattr(module, "pip_download", pip_download)
    closure = lambda target, version: module.closure(perflint, out, target, version, sys.executable)  # noqa: E731
    assert closure("linux-x64", "3.10") == [
        "libcst-1.9.0-cp310-cp310-manylinux_2_28_x86_64.whl",
        "pyyaml-6.0.4-cp310-cp310-manylinux_2_17_x86_64.whl",
        "tomli-2.5.0-py3-none-any.whl",
    ]
    assert closure("linux-x64", "3.11") == [
        "libcst-1.9.0-cp311-cp311-manylinux_2_28_x86_64.whl",
        "pyyaml-6.0.4-cp311-cp311-manylinux_2_17_x86_64.whl",
    ]
    assert closure("linux-x64", "3.13") == [
        "libcst-1.9.0-cp313-cp313-manylinux_2_28_x86_64.whl",
        "pyyaml_ft-8.0.0-cp313-cp313-manylinux_2_17_x86_64.whl",
    ]
    assert closure("win32-x64", "3.13") == [
        "colorama-0.4.6-py2.py3-none-any.whl",
        "libcst-1.9.0-cp313-cp313-win_amd64.whl",
        "pyyaml_ft-8.0.0-cp313-cp313-win_amd64.whl",
    ]
    assert sorted(downloads) == [
        ("linux-x64", "3.10", "tomli>=2"),
        ("linux-x64", "3.13", "pyyaml-ft>=8.0.0"),
        ("win32-x64", "3.13", "colorama"),
        ("win32-x64", "3.13", "pyyaml-ft>=8.0.0"),
    ]
    # A free-threaded build takes its own cp314t wheels, never the cp314 ones next to them.
    fake_wheel(out, "libcst-1.9.0-cp314-cp314-manylinux_2_28_x86_64.whl", ["pyyaml>=6.0.3"])
    fake_wheel(out, "libcst-1.9.0-cp314-cp314t-manylinux_2_28_x86_64.whl", ["pyyaml>=6.0.3"])
    fake_wheel(out, "pyyaml-6.0.4-cp314-cp314t-manylinux_2_17_x86_64.whl", [])
    assert closure("linux-x64", "3.14t") == [
        "libcst-1.9.0-cp314-cp314t-manylinux_2_28_x86_64.whl",
        "pyyaml-6.0.4-cp314-cp314t-manylinux_2_17_x86_64.whl",
    ]
    with pytest.raises(module.Failure, match="no wheel of libcst>=1.4 for linux-arm64, CPython 3.12"):
        closure("linux-arm64", "3.12")  # nothing there, and the stub downloads nothing


def test_platform_wheels_script_refuses_unknown_targets_in_one_line(tmp_path):
    wheel = fake_wheel(tmp_path, "perflint-0.1.0-py3-none-any.whl", [])
    script = EXTENSION / "scripts" / "platform_wheels.py"
    listed = subprocess.run([sys.executable, str(script), "--list"], capture_output=True, text=True, check=True)
    assert listed.stdout.split() == ["linux-x64", "linux-arm64", "alpine-x64", "alpine-arm64", "darwin-arm64", "win32-x64", "win32-arm64"]
    done = subprocess.run([sys.executable, str(script), "darwin-x64", str(wheel), str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "no platform wheels for target 'darwin-x64'" in done.stderr and not (tmp_path / "out").exists()


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


def test_end_to_end_in_code_server(platform_vsix, tmp_path):
    """The platform package, in a code-server whose extension host has no package index: first
    start installs from the package's own wheels, and everything after works as with PyPI."""
    artifacts = Path(os.environ.get("PERFLINT_E2E_ARTIFACTS") or tmp_path / "artifacts")
    if artifacts.exists():
        shutil.rmtree(artifacts)
    done = run(["bash", "scripts/e2e.sh", str(platform_vsix), str(artifacts)], timeout=600)
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
    assert f"bundled wheels ({host_target()}, CPython {CURRENT_PYTHON}), without a package index" in result["firstStart"]
    assert any("first start never fell back to the package index" in line for line in result["checks"])
    for step in ("the restart reused the environment", "the server runs from the chosen environment"):
        assert any(step in line for line in result["checks"]), step
    for screenshot in ("1-problems-and-hotspots.png", "2-quick-fix.png", "3-all-fixed.png", "4-bad-interpreter.png", "5-bad-args.png", "6-notebook.png"):
        assert (artifacts / screenshot).stat().st_size > 10_000
