"""Download the wheels of perflint's dependencies for one VS Code platform target.

    python vscode-extension/scripts/platform_wheels.py TARGET PERFLINT_WHEEL OUT_DIR
    python vscode-extension/scripts/platform_wheels.py --list      # the targets, one a line

A platform-specific .vsix carries these wheels in bundled/wheels/, so the extension's first
start installs perflint with ``pip install --no-index --find-links bundled/wheels`` and needs
no package index (scripts/package.sh --target TARGET runs this script).

TARGET is a ``vsce package --target`` name for which libcst (perflint's one compiled
dependency besides PyYAML) publishes wheels; see TARGETS. libcst has no macOS x86-64 and no
32-bit ARM wheels, so darwin-x64 and linux-armhf get no platform package: the universal
package (dependencies from PyPI on first start) serves them.

For every CPython version in $PERFLINT_WHEEL_PYTHONS (default: SUPPORTED_PYTHONS, the versions
the extension accepts that libcst builds wheels for, or the target's own "pythons" where a
dependency has wheels for fewer), ``pip download --only-binary :all:``
resolves the dependencies for that target. pip evaluates environment markers against the
Python running it, not against ``--python-version``/``--platform`` (so it would miss tomli for
3.10 and pyyaml-ft for 3.13 when run on 3.11), so the closure is then re-walked here with the
target's markers and whatever is missing is downloaded too. OUT_DIR receives the wheels (not
perflint's own: the extension ships that in bundled/) and bundle.json, which the extension
reads to tell whether the user's interpreter is covered:

    {"target": "linux-x64", "pythons": ["3.10", ...], "platforms": [...], "wheels": {"3.10": [...]}}

Needs network access to the package index pip is configured for (pip's cache makes reruns
quick). Prints OUT_DIR's size in bytes last. Runs with any Python 3.9+ that has pip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

try:
    from packaging import tags
    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name, parse_wheel_filename
except ImportError:  # every pip carries a copy
    from pip._vendor.packaging import tags  # type: ignore[no-redef]
    from pip._vendor.packaging.markers import Marker  # type: ignore[no-redef]  # noqa: F401
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[no-redef]
    from pip._vendor.packaging.utils import canonicalize_name, parse_wheel_filename  # type: ignore[no-redef]

SUPPORTED_PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14", "3.15")
# Free-threaded builds ("3.14t": abi cp314t) need their own compiled wheels, which every target
# has, at about 2.5 MB per version and target: left out by default (an interpreter the package
# does not cover installs from PyPI), added with PERFLINT_WHEEL_PYTHONS="3.10 ... 3.15 3.14t 3.15t".

# vsce target -> pip platform tags (best first) and the marker values of that platform.
# VS Code itself needs glibc 2.28 on Linux and macOS 11 on Apple silicon, so these floors
# leave out no machine that runs VS Code.
TARGETS: dict[str, dict] = {
    "linux-x64": {
        "platforms": ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"],
        "markers": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"},
    },
    "linux-arm64": {
        "platforms": ["manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"],
        "markers": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "aarch64"},
    },
    "alpine-x64": {
        "platforms": ["musllinux_1_2_x86_64", "musllinux_1_1_x86_64"],
        "markers": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"},
    },
    "alpine-arm64": {
        "platforms": ["musllinux_1_2_aarch64", "musllinux_1_1_aarch64"],
        "markers": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "aarch64"},
    },
    "darwin-arm64": {
        "platforms": [*tags.mac_platforms((11, 0), "arm64")],
        "markers": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix", "platform_machine": "arm64"},
    },
    "win32-x64": {
        "platforms": ["win_amd64"],
        "markers": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"},
    },
    "win32-arm64": {
        "platforms": ["win_arm64"],
        # PyYAML has no Windows ARM wheels before 3.12, pyyaml-ft (libcst on 3.13) none at all
        "pythons": ("3.12", "3.14", "3.15"),
        "markers": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "ARM64"},
    },
}


class Failure(Exception):
    pass


def abi(version: str) -> str:
    """ "3.12" -> "cp312", "3.14t" -> "cp314t"."""
    return "cp" + version.replace(".", "")


def marker_environment(target: str, version: str) -> dict[str, str]:
    version = version.rstrip("t")
    return {
        **TARGETS[target]["markers"],
        "python_version": version,
        "python_full_version": f"{version}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "implementation_version": f"{version}.0",
        "platform_release": "",
        "platform_version": "",
        "extra": "",
    }


def supported_tags(target: str, version: str) -> set:
    major, minor = (int(part) for part in version.rstrip("t").split("."))
    platforms = TARGETS[target]["platforms"]
    return {
        *tags.cpython_tags((major, minor), abis=[abi(version)], platforms=platforms),
        *tags.compatible_tags((major, minor), interpreter=f"cp{major}{minor}", platforms=platforms),
    }


def requirements_of(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(name for name in archive.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", name))
        message = Parser().parsestr(archive.read(metadata).decode("utf-8"))
    return [Requirement(line) for line in message.get_all("Requires-Dist") or []]


def pip_download(python: str, target: str, version: str, out: Path, what: list[str]) -> None:
    command = [python, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-input",
               "--only-binary", ":all:"]
    for platform in TARGETS[target]["platforms"]:
        command += ["--platform", platform]
    command += ["--python-version", version.rstrip("t"), "--implementation", "cp", "--abi", abi(version),
                "-d", str(out), *what]
    done = subprocess.run(command, stdout=sys.stderr)
    if done.returncode != 0:
        raise Failure(f"pip could not download {' '.join(what)} for {target}, CPython {version} (see above)")


def closure(perflint_wheel: Path, out: Path, target: str, version: str, python: str) -> list[str]:
    """The wheels in ``out`` that install perflint on ``target`` with CPython ``version``,
    downloading the ones pip's own resolution missed. Returns their file names."""
    environment = marker_environment(target, version)
    usable = supported_tags(target, version)
    chosen: dict[str, Path] = {}
    pending = [r for r in requirements_of(perflint_wheel) if r.marker is None or r.marker.evaluate(environment)]
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in chosen:
            continue
        for attempt in range(2):
            candidates = []
            for wheel in out.glob("*.whl"):
                wheel_name, wheel_version, _, wheel_tags = parse_wheel_filename(wheel.name)
                if wheel_name == name and wheel_tags & usable and requirement.specifier.contains(wheel_version, prereleases=True):
                    candidates.append((wheel_version, wheel))
            if candidates:
                break
            if attempt == 0:  # behind a marker pip evaluated for its own Python: fetch it now
                pip_download(python, target, version, out, ["--no-deps", f"{requirement.name}{requirement.specifier}"])
        else:
            raise Failure(f"no wheel of {requirement} for {target}, CPython {version}")
        wheel = max(candidates)[1]
        chosen[name] = wheel
        pending += [r for r in requirements_of(wheel) if r.marker is None or r.marker.evaluate(environment)]
    return sorted(wheel.name for wheel in chosen.values())


def download(target: str, perflint_wheel: Path, out: Path, pythons: list[str], python: str) -> dict:
    if target not in TARGETS:
        raise Failure(f"no platform wheels for target '{target}' (targets: {', '.join(TARGETS)})")
    if not perflint_wheel.is_file():
        raise Failure(f"{perflint_wheel} is not a file")
    for version in pythons:
        if not re.fullmatch(r"3\.\d+t?", version):
            raise Failure(f"PERFLINT_WHEEL_PYTHONS: '{version}' is not a version like 3.12 or 3.14t")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    per_python = {}
    for version in pythons:
        print(f"perflint platform wheels: {target}, CPython {version}", file=sys.stderr)
        pip_download(python, target, version, out, [str(perflint_wheel)])
        for copy in out.glob("perflint-*.whl"):
            copy.unlink()
        per_python[version] = closure(perflint_wheel, out, target, version, python)
    needed = {name for names in per_python.values() for name in names}
    for wheel in out.glob("*.whl"):
        if wheel.name not in needed:  # pulled in by a marker that is false on the target
            wheel.unlink()
    bundle = {"target": target, "pythons": pythons, "platforms": TARGETS[target]["platforms"], "wheels": per_python}
    (out / "bundle.json").write_text(json.dumps(bundle, indent=2) + "\n")
    return bundle


def main(argv: list[str]) -> int:
    if argv == ["--list"]:
        print("\n".join(TARGETS))
        return 0
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    target, wheel, out = argv
    if target in TARGETS and not os.environ.get("PERFLINT_WHEEL_PYTHONS"):
        pythons = list(TARGETS[target].get("pythons", SUPPORTED_PYTHONS))
    else:
        pythons = os.environ.get("PERFLINT_WHEEL_PYTHONS", "").split()
    python = os.environ.get("PERFLINT_PYTHON") or sys.executable
    try:
        download(target, Path(wheel), Path(out), pythons, python)
    except Failure as error:
        print(f"perflint platform wheels: {error}", file=sys.stderr)
        return 1
    print(sum(path.stat().st_size for path in Path(out).iterdir()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
