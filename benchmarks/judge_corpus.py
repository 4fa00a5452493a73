"""Fetch a fixed corpus, run perflint's default rules on it, print every finding for a human to judge.

The corpus is this Python's standard library plus pinned PyPI source
distributions (``CORPORA["library"]``), or with ``--corpus service`` three
applications (``CORPORA["service"]``); none of them in the labelled dev set, fetched with
``pip download --no-deps --no-binary :all:`` and unpacked under ``--dest``
(default ``/tmp/perflint-judge``). Each finding is printed with its rank,
impact, what the ranking knew (size evidence, cold code) and 16 lines of
context (8 before, the line, 7 after), so that a reader can give it a verdict:

- ``worth``: worth acting on, the cost is real at a size or frequency a
  performance engineer cares about;
- ``negligible``: technically right but negligible (tiny or bounded data, cold
  paths, a gain near 1x);
- ``wrong``: the finding or its advice is false.

Verdicts live in docs/precision.md, one table row per finding:
``| key | verdict | note |`` where the key is ``<corpus-relative path>:<line>:<code>``
(``stdlib/...`` for the standard library). ``--score docs/precision.md`` reads
them and prints the shares of the current output and the findings not judged
yet, so a re-judge after a change only reads what is new.

Usage:
    python benchmarks/judge_corpus.py                 # fetch, lint, print every finding with context
    python benchmarks/judge_corpus.py --score docs/precision.md   # shares against the recorded verdicts
    python benchmarks/judge_corpus.py --select PF102,PF121        # only some rules
    python benchmarks/judge_corpus.py --corpus service             # the three applications instead
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import urllib.request
import zipfile
from pathlib import Path

# Pinned, not in ../shared/devset (celery, django-filer, django-helpdesk, django-oscar, django-ses,
# flask-appbuilder, markdown, mezzanine, records, rich, scrapy).
CORPORA = {
    # Libraries (judged with this Python's standard library, as issue #20 asks).
    "library": (
        ("django-taggit", "5.0.1"),  # Django app: models, managers, forms
        ("django-import-export", "3.3.9"),  # Django service code: querysets, bulk import
        ("SQLAlchemy-Utils", "0.41.2"),  # SQLAlchemy-using package
        ("httpx", "0.27.0"),  # sync and async HTTP client
        ("requests", "2.31.0"),  # HTTP client
        ("petl", "1.7.15"),  # data project: tables, ETL
        ("rq", "1.16.2"),  # job queue on Redis (workers, like celery)
    ),
    # Applications: the service code perflint is for (views, tasks, serializers over real tables).
    "service": (
        ("pretix", "2024.10.0"),  # Django: ticket shop (orders, carts, check-ins)
        ("apache-superset", "4.0.2"),  # Flask + SQLAlchemy: BI server
        ("label-studio", "1.13.1"),  # Django + DRF: labelling server
    ),
}
CONTEXT_BEFORE, CONTEXT_AFTER = 8, 7
VERDICTS = ("worth", "negligible", "wrong")
ROW = re.compile(r"^\|\s*`?(?P<key>[^|`]+?:\d+:PF\d{3})`?\s*\|\s*(?P<verdict>\w+)\s*\|")
PERFLINT = [sys.executable, "-m", "perflint"]


def fetch(dest: Path, corpus: str) -> list[tuple[str, Path]]:
    """Download and unpack each pinned package once; return (label, source folder) pairs."""
    downloads = dest / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    roots = []
    for name, version in CORPORA[corpus]:
        label = f"{name}-{version}"
        target = dest / label
        if not target.exists():
            archive = _archive(downloads, name, version)
            if archive is None:
                done = subprocess.run(
                    [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                     f"{name}=={version}", "-d", str(downloads)],
                )
                if done.returncode != 0:  # pip builds metadata first, which some sdists' build pins break
                    _download_sdist(downloads, name, version)
                archive = _archive(downloads, name, version)
            if archive is None:
                raise SystemExit(f"judge_corpus: {name}=={version} was not downloaded")
            _unpack(archive, target)
        roots.append((label, target))
    return roots


def _download_sdist(downloads: Path, name: str, version: str) -> None:
    """The release's source archive straight from PyPI's simple index (PEP 691 JSON), without
    building anything."""
    request = urllib.request.Request(
        f"https://pypi.org/simple/{name}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    sdist = next((f for f in files if _archive_name(f["filename"], name, version)), None)
    if sdist is None:
        raise SystemExit(f"judge_corpus: {name}=={version} has no source distribution")
    with urllib.request.urlopen(sdist["url"], timeout=300) as response:
        (downloads / sdist["filename"]).write_bytes(response.read())


def _archive(downloads: Path, name: str, version: str):
    return next((path for path in downloads.iterdir() if _archive_name(path.name, name, version)), None)


def _archive_name(filename: str, name: str, version: str) -> bool:
    """``filename`` is the source archive of ``name`` ``version`` (any spelling of the name)."""
    wanted = re.sub(r"[-_.]+", "_", name).lower() + "-" + version
    stem = re.sub(r"[-_.]+", "_", filename.split("-" + version)[0]).lower() + "-" + version
    return stem == wanted and filename.endswith((".tar.gz", ".zip", ".tgz"))


def _unpack(archive: Path, target: Path) -> None:
    target.mkdir(parents=True)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as handle:
            handle.extractall(target)
    else:
        with tarfile.open(archive) as handle:
            handle.extractall(target, filter="data") if hasattr(tarfile, "data_filter") else handle.extractall(target)


def lint(paths: list[Path], select: str | None) -> list[dict]:
    """perflint's ranked JSON findings for all paths in one run (one ranking across the corpus)."""
    command = [*PERFLINT, "check", "--format", "json", "--no-cache", "--exit-zero"]
    if select:
        command += ["--select", select]
    done = subprocess.run([*command, *map(str, paths)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"judge_corpus: perflint failed: {done.stderr.strip()}")
    findings = [f for f in json.loads(done.stdout) if f["code"] != "PF000"]
    return sorted(findings, key=lambda f: f["rank"])


def key_of(finding: dict, roots: list[tuple[str, Path]]) -> str:
    path = Path(finding["path"]).resolve()
    for label, root in roots:
        try:
            return f"{label}/{path.relative_to(root.resolve())}:{finding['line']}:{finding['code']}"
        except ValueError:
            continue
    return f"{path}:{finding['line']}:{finding['code']}"


def show(finding: dict, key: str) -> str:
    try:
        lines = Path(finding["path"]).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    line = finding["line"]
    start, end = max(1, line - CONTEXT_BEFORE), min(len(lines), line + CONTEXT_AFTER)
    body = "\n".join(f"{'>' if n == line else ' '} {n:5} {lines[n - 1]}" for n in range(start, end + 1))
    fix = finding["fix"]["applicability"] + " fix" if finding.get("fix") else "no fix"
    return (
        f"=== #{finding['rank']} {key}  impact {finding['impact']}  ({fix})\n"
        f"    {finding['code']} {finding['rule']}: {finding['message']}\n{body}\n"
    )


def read_verdicts(path: Path) -> dict[str, str]:
    verdicts = {}
    for row in path.read_text(encoding="utf-8").splitlines():
        match = ROW.match(row)
        if match and match["verdict"] in VERDICTS:
            verdicts[match["key"].strip()] = match["verdict"]
    return verdicts


def score(findings: list[dict], keys: list[str], verdicts: dict[str, str]) -> int:
    counts = {verdict: 0 for verdict in VERDICTS}
    unjudged = []
    worth_ranks = []  # positions in the output (1 = first), PF000 parse errors left out
    for position, (finding, key) in enumerate(zip(findings, keys), start=1):
        verdict = verdicts.get(key)
        if verdict is None:
            unjudged.append(key)
            continue
        counts[verdict] += 1
        if verdict == "worth":
            worth_ranks.append(position)
    judged = sum(counts.values())
    print(f"{len(findings)} findings, {judged} judged")
    print("| verdict | findings | share |\n|---|---|---|")
    for verdict in VERDICTS:
        share = 100 * counts[verdict] / judged if judged else 0.0
        print(f"| {verdict} | {counts[verdict]} | {share:.1f} % |")
    if worth_ranks:
        quarter = max(1, len(findings) // 4)
        top = sum(1 for rank in worth_ranks if rank <= quarter)
        print(f"worth acting on in the top quarter (position <= {quarter}): {top} of {len(worth_ranks)}, at {worth_ranks}")
    for key in unjudged:
        print(f"not judged: {key}")
    return 0 if not unjudged else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", default="/tmp/perflint-judge", help="where the corpus is unpacked")
    parser.add_argument("--select", help="rules to run (default: the default rules)")
    parser.add_argument("--score", metavar="PRECISION_MD", help="compare with the verdicts recorded in this file")
    parser.add_argument("--no-stdlib", action="store_true", help="only the PyPI packages")
    parser.add_argument(
        "--corpus", choices=sorted(CORPORA), default="library",
        help="library: the standard library and seven packages (default); service: three applications",
    )
    args = parser.parse_args()
    roots = fetch(Path(args.dest), args.corpus)
    if not args.no_stdlib and args.corpus == "library":
        roots.insert(0, ("stdlib", Path(sysconfig.get_path("stdlib"))))
    findings = lint([root for _, root in roots], args.select)
    keys = [key_of(finding, roots) for finding in findings]
    if args.score:
        return score(findings, keys, read_verdicts(Path(args.score)))
    versions = ", ".join(label for label, _ in roots)
    print(f"# perflint {_version()} on Python {sys.version.split()[0]}: {versions}: {len(findings)} findings\n")
    for finding, key in zip(findings, keys):
        print(show(finding, key))
    return 0


def _version() -> str:
    from perflint import __version__

    return __version__


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUTF8", "1")
    sys.exit(main())
