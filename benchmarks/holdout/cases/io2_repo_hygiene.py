"""Pre-release hygiene: format, checksum and stage the generated sources."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def generated_files(root=ROOT):
    return sorted(p for p in root.rglob("*.py") if "_pb2" in p.name)


def format_generated(files):
    for f in files:
        subprocess.run(["black", "--quiet", str(f)], check=True)  # expect: L4


def format_generated_once(files):
    if files:
        subprocess.run(["black", "--quiet", *map(str, files)], check=True)  # expect-none


def checksums(files):
    return {
        f.name: subprocess.check_output(["sha256sum", str(f)], text=True).split()[0]  # expect: L4
        for f in files
    }


def stage(paths):
    pending = list(paths)
    while pending:
        path = pending.pop()
        subprocess.check_call(["git", "add", "--", path])  # expect: L4


def stage_all(paths):
    subprocess.check_call(["git", "add", "--", *paths])  # expect-none


def restyle_headers(headers):
    for h in headers:
        if h.suffix in (".h", ".hpp"):
            subprocess.run(["clang-format", "-i", str(h)], check=True)  # expect: L4


def transcode(clips, out_dir):
    for clip in clips:
        target = out_dir / (clip.stem + ".webm")
        subprocess.run(["ffmpeg", "-y", "-i", str(clip), str(target)], check=True)  # expect-none


def dump_databases(names, out_dir):
    for name in names:
        with open(out_dir / f"{name}.sql", "wb") as out:
            subprocess.run(["pg_dump", name], stdout=out, check=True)  # expect-none


def release():
    files = generated_files()
    format_generated_once(files)
    for tool in ("isort", "black"):
        subprocess.run([tool, "--check", str(ROOT)], check=False)  # expect-none
    stage_all([str(f) for f in files])
