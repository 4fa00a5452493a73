"""Repository maintenance CLI (typer): format, checksum and stage files."""
import hashlib
import subprocess
from pathlib import Path

import typer

app = typer.Typer()


def tracked(pattern: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", pattern], capture_output=True, text=True, check=True)  # expect-none
    return out.stdout.split()


@app.command()
def fmt(pattern: str = "*.py") -> None:
    files = tracked(pattern)
    list(map(lambda f: subprocess.run(["black", "-q", f], check=True), files))  # expect: L4


@app.command()
def fmt_batched(pattern: str = "*.py") -> None:
    subprocess.run(["black", "-q", *tracked(pattern)], check=True)  # expect-none


@app.command()
def web_fmt(pattern: str = "*.ts") -> None:
    for f in tracked(pattern):
        subprocess.check_call(["prettier", "--write", f])  # expect: L4


@app.command()
def checksums(pattern: str = "*") -> None:
    sums = [
        subprocess.run(["sha256sum", f], capture_output=True, text=True).stdout  # expect: L4
        for f in tracked(pattern)
    ]
    Path("SHA256SUMS").write_text("".join(sums))  # expect-none


@app.command()
def checksums_inline(pattern: str = "*") -> None:
    lines = []
    for f in tracked(pattern):
        digest = hashlib.sha256(Path(f).read_bytes()).hexdigest()  # expect-none
        lines.append(f"{digest}  {f}\n")
    Path("SHA256SUMS").write_text("".join(lines))


@app.command()
def last_touched(pattern: str = "*.md") -> None:
    for f in tracked(pattern):
        ts = subprocess.run(["git", "log", "-1", "--format=%ct", "--", f], capture_output=True, text=True)  # expect-none
        typer.echo(f"{ts.stdout.strip()} {f}")  # expect-none


@app.command()
def thumbs(pattern: str = "*.png") -> None:
    for f in tracked(pattern):
        subprocess.run(["convert", f, "-resize", "200x200", f"thumbs/{Path(f).name}"], check=True)  # expect-none


@app.command()
def stage(pattern: str = "*.py") -> None:
    pending = tracked(pattern)
    while pending:
        subprocess.run(["git", "add", pending.pop()], check=True)  # expect: L4


if __name__ == "__main__":
    app()
