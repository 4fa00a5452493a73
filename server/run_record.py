"""Replaying a whole ``perflint check`` whose inputs did not change.

Even with every file's findings in the result cache, a run pays for Python's
imports (argparse; dataclasses, which pulls in inspect, ast, dis and
tokenize; the config machinery), for rebuilding findings and for rendering
them: about 70 ms on the reference corpus, most of it imports. When nothing
changed, the output is the same text as last time. So an eligible run
records its output together with the ``stat`` of everything it depended on:

- the paths given, every directory walked (a new or deleted file changes
  its directory's mtime) and every file linted;
- the config files that could apply (``.perflint.yaml``, ``pyproject.toml``
  in every directory walked and in every parent), and above the walked
  tree the markers that decide a project's root (``setup.py``, ``.git``...);
- for rules that read the project's ORM models, every directory and file of
  each project involved (see ``perflint.models_index``);
- ``--config``, ``--profile`` and ``--baseline`` files, perflint's own
  source files and the directory holding libcst (an upgrade changes it).

The next run with the same arguments, working directory, environment and
interpreter compares the stats and, if all match, writes the recorded output
without importing anything else. A stat is (size, mtime, ctime): ctime also
changes on chmod and rename. A run is not recorded when any input was modified
less than a second before it started (a coarse-mtime filesystem could then
hide a later edit), when it had errors, or when it fixed, diffed, read stdin
or wrote a baseline.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib

FORMAT = 1
KEEP = 8  # records kept per cache directory (one per distinct command line)
CACHE_DIR_ENV = "PERFLINT_CACHE_DIR"
RACY_NS = 1_000_000_000
# Arguments after which a run has side effects or other inputs: never replayed.
NOT_REPLAYED = frozenset(
    {"-", "-h", "--help", "--version", "--fix", "--diff", "--unsafe-fixes", "--no-cache", "--write-baseline",
     "--stdin-filename"}
)
CONFIG_NAMES = (".perflint.yaml", "pyproject.toml")
ROOT_MARKERS = ("setup.py", "setup.cfg", "manage.py", ".git")

def default_cache_dir() -> str:
    return os.environ.get(CACHE_DIR_ENV) or os.path.join(os.getcwd(), ".perflint_cache")


def stat_of(path: str) -> "tuple[int, int, int] | None":
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns)


def eligible(argv: list[str]) -> bool:
    """True for a plain ``check``: no fixing, no stdin, no baseline to write, cache on."""
    if argv and argv[0] in ("rules", "explain", "server", "bench", "report"):
        return False
    return not any(arg.split("=", 1)[0] in NOT_REPLAYED for arg in argv)


def _key(argv: list[str]) -> bytes:
    environment = sorted((k, v) for k, v in os.environ.items() if k.startswith("PERFLINT"))
    streams = (getattr(sys.stdout, "encoding", None), getattr(sys.stderr, "encoding", None))
    # What decides colour (``--color auto``): a terminal's coloured output is not replayed into a pipe.
    colour = tuple(os.environ.get(name) for name in ("NO_COLOR", "FORCE_COLOR", "TERM")) + (_isatty(sys.stdout),)
    # ``repr``, not ``marshal.dumps``: marshal's bytes for equal values depend on how many
    # references each object has at the time, so a save and the next replay could disagree.
    return repr((FORMAT, list(argv), os.getcwd(), environment, sys.version, sys.prefix, streams, colour)).encode()


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _record_path(key: bytes) -> str:
    return os.path.join(default_cache_dir(), f"run-{zlib.crc32(key):08x}.marshal")


def replay(argv: list[str]) -> "int | None":
    """Write the recorded output of this exact command and return its exit status, or None."""
    if not eligible(argv):
        return None
    key = _key(argv)
    try:
        with open(_record_path(key), "rb") as handle:
            record = marshal.load(handle)
        if record[0] != key:
            return None
        _, stats, stdout, stderr, status = record
    except (OSError, EOFError, ValueError, TypeError, IndexError):
        return None
    for path, expected in stats:
        if stat_of(path) != expected:
            return None
    sys.stdout.write(stdout)
    if stderr:
        sys.stderr.write(stderr)
    return status


def save(argv: list[str], started_ns: int, inputs: list[str], stdout: str, stderr: str, status: int) -> None:
    """Record this run's output, unless an input changed too recently to trust its stat."""
    stats = []
    for path in dict.fromkeys(inputs):
        found = stat_of(path)
        if found is not None and found[1] >= started_ns - RACY_NS:
            return
        stats.append((path, found))
    key = _key(argv)
    target = _record_path(key)
    directory = os.path.dirname(target)
    try:
        os.makedirs(directory, exist_ok=True)
        temp = f"{target}.{os.getpid()}.tmp"
        with open(temp, "wb") as handle:
            marshal.dump((key, stats, stdout, stderr, status), handle)
        os.replace(temp, target)
        _prune(directory)
    except OSError:
        pass  # a record that cannot be written is only a slower next run


def _prune(directory: str) -> None:
    records = [e for e in os.scandir(directory) if e.name.startswith("run-") and e.name.endswith(".marshal")]
    if len(records) <= KEEP:
        return
    records.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in records[: len(records) - KEEP]:
        try:
            os.unlink(entry.path)
        except OSError:
            pass


def ancestors(directory: str) -> list[str]:
    """``directory`` and every parent up to the filesystem root."""
    chain = []
    current = os.path.abspath(directory)
    while True:
        chain.append(current)
        parent = os.path.dirname(current)
        if parent == current:
            return chain
        current = parent


def config_inputs(walked: list[str], files: list[str]) -> list[str]:
    """The config files and project-root markers whose existence or content can change a run."""
    inside = {os.path.abspath(d) for d in walked}
    places = set(inside)
    for path in files:
        places.add(os.path.dirname(os.path.abspath(path)))
    paths = []
    seen: set[str] = set()
    for place in sorted(places):
        for directory in ancestors(place):
            if directory in seen:
                continue
            seen.add(directory)
            names = CONFIG_NAMES if directory in inside else CONFIG_NAMES + ROOT_MARKERS
            paths.extend(os.path.join(directory, name) for name in names)
    return paths


def package_inputs() -> list[str]:
    """perflint's own folders and source files, and the folder libcst is installed in."""
    import importlib.util

    paths = []
    roots = [os.path.dirname(os.path.abspath(__file__))]
    spec = importlib.util.find_spec("perflint.rules")
    if spec is not None and spec.submodule_search_locations:
        roots.extend(spec.submodule_search_locations)
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            paths.append(folder)
            paths.extend(os.path.join(folder, name) for name in names if name.endswith(".py"))
    libcst = importlib.util.find_spec("libcst")
    if libcst is not None and libcst.origin:
        paths.append(os.path.dirname(os.path.dirname(libcst.origin)))
    return paths


def project_inputs(files: list[str]) -> list[str]:
    """Every folder and Python file of the projects the ORM rules index for these files."""
    from perflint.models_index import SKIP_DIRS, is_loose, project_root

    roots: set[str] = set()
    by_dir: dict[str, "str | None"] = {}
    for path in files:
        directory = os.path.dirname(os.path.abspath(path))
        if directory not in by_dir:
            by_dir[directory] = project_root(path)
        if by_dir[directory] is not None:
            roots.add(by_dir[directory])
    paths = []
    for root in sorted(roots):
        if is_loose(root):  # a loose folder's project is its own files
            paths.append(root)
            paths.extend(os.path.join(root, name) for name in sorted(os.listdir(root)) if name.endswith(".py"))
            continue
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")]
            paths.append(folder)
            paths.extend(os.path.join(folder, name) for name in names if name.endswith(".py"))
    return paths
