"""Builds release notes from git history."""
import io
import subprocess
from dataclasses import dataclass


@dataclass
class Commit:
    sha: str
    author: str
    subject: str


def git_log(rev_range: str):
    proc = subprocess.run(
        ["git", "log", "--format=%H%x00%an%x00%s", rev_range],
        capture_output=True, text=True, check=True,
    )
    for line in proc.stdout.splitlines():
        sha, author, subject = line.split("\x00")
        yield Commit(sha, author, subject)


class ChangelogBuilder:
    def __init__(self, title: str):
        self.text = f"# {title}\n\n"

    def add_section(self, heading: str, commits: list[Commit]) -> None:
        self.text = self.text + f"## {heading}\n"
        for c in commits:
            self.text = self.text + f"- {c.subject} ({c.sha[:7]}, {c.author})\n"  # expect: L1

    def __repr__(self) -> str:
        out = "ChangelogBuilder("
        for part in self.text.splitlines()[:3]:
            out += part[:20] + ", "  # expect-none
        return out + "...)"


def release_notes(commits) -> str:
    notes = ""
    for c in commits:
        notes = notes + "* " + c.subject + "\n"  # expect: L1
    return notes


def release_notes_buffer(commits) -> str:
    buf = io.StringIO()
    for c in commits:
        buf.write(f"* {c.subject}\n")  # expect-none
    return buf.getvalue()


def footer(version: str) -> str:
    line = ""
    for part in ("Released", version):
        line += part + " "  # expect-none
    return line.strip()


def authors(commits) -> list[str]:
    names: list[str] = []
    for c in commits:
        if c.author not in names:  # expect: L1
            names = names + [c.author]  # expect: L1
    return names


def authors_ordered(commits) -> list[str]:
    names: dict[str, None] = {}
    for c in commits:
        names.setdefault(c.author, None)  # expect-none
    return list(names)


def subjects(commits) -> list[str]:
    out: list[str] = []
    for c in commits:
        out += [c.subject.strip()]  # expect-none
    return out
