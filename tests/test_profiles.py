"""``check --profile``: measured time reorders findings; bad profiles fail cleanly."""

from __future__ import annotations

import json
import marshal
import subprocess
import sys
from pathlib import Path

import pytest

from perflint.model import Finding
from perflint.profiles import (
    FunctionTime,
    Profile,
    ProfileError,
    apply_profile,
    load_profile,
)

# Three functions with the same PF404 finding. Statically, `cold` ranks first
# (its readlines loop sits two loops deep); measured, `hot` takes nearly all
# the time, and `never_called` does not run at all.
PROGRAM = """\
import sys


def traced(function):
    def wrapper(*args):
        return function(*args)
    return wrapper


@traced
def hot(path):
    total = 0
    for _ in range(8):
        with open(path) as handle:
            for line in handle.readlines():
                total += len(line.split())
    return total


def cold(path):
    count = 0
    for _ in range(2):
        for _ in range(2):
            with open(path) as handle:
                for line in handle.readlines():
                    count += 1
    return count


def never_called(path):
    with open(path) as handle:
        for line in handle.readlines():
            print(line)


if __name__ == "__main__":
    big, small = sys.argv[1], sys.argv[2]
    with open(big, "w") as out:
        out.write("some words on a line\\n" * 20000)
    with open(small, "w") as out:
        out.write("a\\nb\\n")
    hot(big)
    cold(small)
"""


HOT, COLD, NEVER = [number for number, text in enumerate(PROGRAM.splitlines(), 1) if "readlines()" in text]


@pytest.fixture(scope="module")
def profiled(tmp_path_factory) -> tuple[Path, Path]:
    """``PROGRAM`` run under cProfile as a user would; the profile records absolute paths."""
    folder = tmp_path_factory.mktemp("ci") / "src"
    folder.mkdir()
    script = folder / "app.py"
    script.write_text(PROGRAM)
    output = folder / "app.prof"
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(output), str(script), str(folder / "big.txt"), str(folder / "small.txt")],
        cwd=folder, check=True, capture_output=True, timeout=120,
    )
    return script, output


def lines_in_order(stdout: str) -> list[int]:
    return [int(line.split(":")[1]) for line in stdout.splitlines() if ": PF404 " in line]


def test_profile_moves_the_measured_hot_function_to_the_top(perflint, profiled):
    script, profile = profiled
    static = perflint("check", "app.py", cwd=script.parent)
    assert lines_in_order(static.stdout) == [COLD, HOT, NEVER]  # cold's loop is two loops deep

    measured = perflint("check", "--profile", str(profile), "app.py", cwd=script.parent)
    assert measured.returncode == 1, measured.stderr
    assert lines_in_order(measured.stdout) == [HOT, COLD, NEVER]
    hot, cold, never = [line for line in measured.stdout.splitlines() if ": PF404 " in line]
    assert int(hot.split("(this function: ")[1].split("%")[0]) >= 50
    assert "(this function: " in cold and "% of profiled time)" in cold
    assert "(not run in the profile)" in never


def test_profiled_json_impacts_follow_the_measurement(perflint, profiled):
    script, profile = profiled
    findings = json.loads(perflint("check", "--format", "json", "--profile", str(profile), str(script)).stdout)
    by_line = {f["line"]: f for f in findings}
    assert by_line[HOT]["impact"] > by_line[COLD]["impact"] > 0
    assert by_line[NEVER]["impact"] == 0
    assert [by_line[line]["rank"] for line in (HOT, COLD, NEVER)] == [1, 2, 3]


def test_cached_and_fresh_runs_agree_under_a_profile(perflint, profiled):
    script, profile = profiled
    fresh = perflint("check", "--profile", str(profile), str(script))
    cached = perflint("check", "--profile", str(profile), str(script))
    plain = perflint("check", str(script))
    assert fresh.stdout == cached.stdout
    assert "profiled time" in fresh.stdout
    assert "profiled time" not in plain.stdout  # the cache holds findings without profile effects


def test_profile_from_another_checkout_is_matched_by_path_suffix(perflint, write, profiled, tmp_path):
    _, profile = profiled  # recorded under <tmp>/ci0/src/app.py
    write("work/src/app.py", PROGRAM)
    run = perflint("check", "--profile", str(profile), "src/app.py", cwd=tmp_path / "work")
    assert lines_in_order(run.stdout) == [HOT, COLD, NEVER]
    assert "(this function: " in run.stdout.splitlines()[0]


def test_ambiguous_suffix_matches_nothing():
    functions = [
        FunctionTime("/a/one/util.py", 1, "f", 1.0, 1.0),
        FunctionTime("/a/two/util.py", 1, "f", 1.0, 1.0),
        FunctionTime("/a/two/pkg/mod.py", 3, "g", 2.0, 2.0),
    ]
    profile = Profile("p", "cProfile", 4.0, functions)
    assert profile.lookup("/elsewhere/util.py", "f", 1) is None  # two equally good candidates
    assert profile.lookup("/elsewhere/one/util.py", "f", 1).path == "/a/one/util.py"
    assert profile.lookup("/x/pkg/mod.py", "Klass.g", 5).line == 3  # method name, moved lines


def test_apply_profile_leaves_its_input_alone():
    finding = Finding("m.py", 2, 1, 2, 5, "PF404", "readlines-iteration", 4, "slow", impact=2.0,
                      context={"function": "f", "function_line": 1, "loop_depth": 0, "complexity": 1})
    profile = Profile("p", "cProfile", 2.0, [FunctionTime("m.py", 1, "f", 0.5, 1.0)])
    (profiled,) = apply_profile([finding], profile)
    assert profiled.message == "slow (this function: 50% of profiled time)"
    assert profiled.context["static_impact"] == 2.0 and profiled.context["profile"]["share"] == 0.5
    assert finding.message == "slow" and finding.impact == 2.0 and "profile" not in finding.context


def test_corrupt_profile_is_one_line_and_exit_2(perflint, write):
    write("app.py", PROGRAM)
    write("garbage.prof", b"\x00\x01not a profile at all")
    run = perflint("check", "--profile", "garbage.prof", "app.py")
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr == "perflint: error: garbage.prof: not a cProfile/pstats file or pyinstrument JSON profile\n"


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "not a cProfile/pstats file"),
        (marshal.dumps({"a": 1}), "not a cProfile/pstats file"),
        (marshal.dumps({("app.py", 1, "f"): (1, 1, 0.0, 0.0, {})}), "holds no measured time"),
        (b'{"root_frame": {"function": "f"}}', "pyinstrument JSON profile"),
        (b"[1, 2, 3]", "not a cProfile/pstats file"),
    ],
)
def test_unusable_profiles_are_refused_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "p.prof"
    path.write_bytes(content)
    with pytest.raises(ProfileError, match=reason) as error:
        load_profile(str(path))
    assert "\n" not in str(error.value)


def test_pyinstrument_json_folds_recursion_and_self_time(tmp_path):
    def frame(function, line, time, *children, path="/src/app.py"):
        return {"function": function, "file_path": path, "file_path_short": "app.py", "line_no": line,
                "time": time, "await_time": 0.0, "is_application_code": True, "children": list(children)}

    self_time = {"function": "[self]", "file_path": "", "file_path_short": "", "line_no": 0, "time": 0.25,
                 "await_time": 0.0, "is_application_code": False, "children": []}
    tree = frame("<module>", 1, 1.0,
                 frame("walk", 10, 0.75,
                       frame("walk", 10, 0.5, frame("sum", 0, 0.5, path="<built-in>")),
                       self_time))
    path = tmp_path / "out.json"
    path.write_text(json.dumps({"start_time": 0, "duration": 1.0, "sample_count": 4, "root_frame": tree}))
    profile = load_profile(str(path))
    walk = profile.lookup("/src/app.py", "walk", 10)
    assert profile.kind == "pyinstrument" and profile.total == 1.0
    assert walk.cumulative == 0.75  # the recursive call is inside the outer one
    assert walk.own == 0.25  # the [self] frame
    assert profile.lookup("/src/app.py", "other", 3) is None
