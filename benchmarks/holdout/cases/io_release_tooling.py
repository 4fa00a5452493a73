import subprocess
from pathlib import Path


def checksums(artifacts: list[Path]) -> dict[str, str]:
    sums = {}
    for a in artifacts:
        out = subprocess.check_output(["sha256sum", str(a)], text=True)  # expect: L4
        sums[a.name] = out.split()[0]
    return sums


def checksums_one_call(artifacts: list[Path]) -> dict[str, str]:
    out = subprocess.check_output(["sha256sum", *map(str, artifacts)], text=True)  # expect-none
    return {Path(p).name: h for h, p in (line.split() for line in out.splitlines())}


def stage_generated(paths):
    for p in paths:
        subprocess.check_call(["git", "add", p])  # expect: L4


def tidy_sources(paths: list[str]) -> None:
    for p in paths:
        if p.endswith(".py"):
            subprocess.run(["isort", "--quiet", p], check=True)  # expect: L4


def transcode(clips: list[Path]) -> None:
    for clip in clips:
        subprocess.run(["ffmpeg", "-y", "-i", str(clip), str(clip.with_suffix(".webm"))], check=True)  # expect-none


def dump_databases(names: list[str]) -> None:
    for name in names:
        subprocess.run(["pg_dump", "-Fc", "-f", f"/backups/{name}.dump", name], check=True)  # expect-none
