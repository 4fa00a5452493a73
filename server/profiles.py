"""Measured time per function, read from a profile, and applied to findings.

Two profile formats are read:

- cProfile/pstats (``python -m cProfile -o out.prof app.py``): a marshalled
  dict keyed by ``(file, first line, function name)`` holding call counts,
  own time and cumulative time. Every function that ran is in it.
- pyinstrument's JSON (``pyinstrument -r json -o out.json app.py``): a tree of
  sampled frames; a function's cumulative time is the time of its frames that
  are not nested inside another frame of the same function (recursion is
  counted once), its own time is what its children do not account for. A
  function too quick to be sampled is absent.

A function's *share* is its cumulative time over the profile's total (the
sum of every function's own time), the most a fix inside it could save.

Matching a finding to a profiled function:

- the file: the profile's path when it is the same file, otherwise the
  profiled file sharing the longest trailing run of path components with it
  (``/ci/build/src/app/db.py`` matches ``src/app/db.py``), when that best
  match is unique — profiles taken on another machine or checkout still apply;
- the function: same name and first line; else the same name nearest in line
  (decorators move the profiler's first line up to the first decorator, and
  code edited since profiling moves everything).

Findings carry their static impact from the engine and the result cache;
``apply_profile`` returns new findings and never changes its input, so it
can run after every cache lookup and give cached and fresh runs one answer.
"""

from __future__ import annotations

import json
import marshal
import os
from dataclasses import dataclass, field, replace
from typing import Iterable, Optional

from perflint.model import Finding
from perflint.ranking import profiled_impact

CPROFILE = "cProfile"
PYINSTRUMENT = "pyinstrument"


class ProfileError(Exception):
    """The profile cannot be used; the message is one line naming the file."""


@dataclass(frozen=True)
class FunctionTime:
    path: str  # as recorded by the profiler (absolute or relative to where it ran)
    line: int  # first line of the code object: the first decorator, or the def
    name: str
    own: float  # seconds in the function's own code
    cumulative: float  # seconds including everything it called


@dataclass
class Profile:
    source: str  # the profile file
    kind: str  # CPROFILE or PYINSTRUMENT
    total: float  # seconds: the sum of every function's own time
    functions: list[FunctionTime]
    _by_file: dict[tuple[str, ...], list[FunctionTime]] = field(default_factory=dict, repr=False)
    _file_for: dict[str, Optional[tuple[str, ...]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for function in self.functions:
            if _is_source_file(function.path):
                self._by_file.setdefault(_components(function.path), []).append(function)

    def share(self, function: FunctionTime) -> float:
        return min(function.cumulative / self.total, 1.0)

    def lookup(self, path: str, name: str, line: Optional[int]) -> Optional[FunctionTime]:
        """The profiled function a finding in ``path`` belongs to, or None if it never showed up."""
        key = self._match_file(path)
        if key is None:
            return None
        short_name = name.rsplit(".", 1)[-1]
        same_name = [f for f in self._by_file[key] if f.name == short_name]
        if not same_name:
            return None
        if line is None:
            return min(same_name, key=lambda f: f.line)
        # Exact first; then nearest, preferring the function that starts above (decorators).
        return min(same_name, key=lambda f: (abs(f.line - line), f.line > line))

    def _match_file(self, path: str) -> Optional[tuple[str, ...]]:
        if path not in self._file_for:
            self._file_for[path] = self._best_file(path)
        return self._file_for[path]

    def _best_file(self, path: str) -> Optional[tuple[str, ...]]:
        wanted = _components(os.path.abspath(path))
        if wanted in self._by_file:
            return wanted
        real = _components(os.path.realpath(path))
        if real in self._by_file:
            return real
        best_length, best = 0, []
        for key in self._by_file:
            length = _common_suffix(key, wanted)
            if length > best_length:
                best_length, best = length, [key]
            elif length == best_length and length:
                best.append(key)
        return best[0] if len(best) == 1 else None


def _is_source_file(path: str) -> bool:
    # cProfile files built-ins under "~"; "<frozen ...>", "<string>" and pyinstrument's "<built-in>" have no source.
    return bool(path) and not path.startswith(("<", "~"))


def _components(path: str) -> tuple[str, ...]:
    return tuple(part for part in os.path.normpath(path).replace("\\", "/").split("/") if part not in ("", "."))


def _common_suffix(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    length = 0
    for left, right in zip(reversed(a), reversed(b)):
        if left != right:
            break
        length += 1
    return length


# --- loading ---------------------------------------------------------------


def load_profile(path: str) -> Profile:
    """Read a cProfile/pstats file or pyinstrument JSON; raise ProfileError with a one-line reason."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise ProfileError(f"{path}: profile not found") from None
    except OSError as error:
        raise ProfileError(f"{path}: cannot read profile: {error.strerror or error}") from None
    document = _json_document(data)
    if document is not None:
        functions, kind = _pyinstrument_functions(document, path), PYINSTRUMENT
    else:
        functions, kind = _pstats_functions(data, path), CPROFILE
    total = sum(function.own for function in functions)
    if total <= 0:
        raise ProfileError(f"{path}: the profile holds no measured time")
    return Profile(path, kind, total, functions)


def _not_a_profile(path: str) -> ProfileError:
    return ProfileError(f"{path}: not a cProfile/pstats file or pyinstrument JSON profile")


def _json_document(data: bytes) -> object:
    """The parsed JSON, or None for anything else (a marshalled dict also starts with ``{``)."""
    try:
        return json.loads(data)
    except ValueError:  # includes UnicodeDecodeError
        return None


# marshal's type code for a dict, without and with its "referenced" flag. Checked
# first: marshal allocates a list of whatever length garbage bytes spell out.
_MARSHALLED_DICT = (b"{", b"\xfb")


def _pstats_functions(data: bytes, path: str) -> list[FunctionTime]:
    if data[:1] not in _MARSHALLED_DICT:
        raise _not_a_profile(path)
    try:
        stats = marshal.loads(data)
    except (EOFError, ValueError, TypeError, MemoryError):
        raise _not_a_profile(path) from None
    if not isinstance(stats, dict) or not stats:
        raise _not_a_profile(path)
    functions = []
    for key, value in stats.items():
        # key: (file, first line, name); value: (primitive calls, calls, own time, cumulative time, callers)
        if not (isinstance(key, tuple) and len(key) == 3 and isinstance(value, tuple) and len(value) == 5):
            raise _not_a_profile(path)
        filename, line, name = key
        own, cumulative = value[2], value[3]
        if not (isinstance(filename, str) and isinstance(line, int) and isinstance(name, str)):
            raise _not_a_profile(path)
        if not (isinstance(own, (int, float)) and isinstance(cumulative, (int, float))):
            raise _not_a_profile(path)
        functions.append(FunctionTime(filename, line, name, float(own), float(cumulative)))
    return functions


def _pyinstrument_functions(document: object, path: str) -> list[FunctionTime]:
    try:
        return _fold_frames(document["root_frame"])  # type: ignore[index]
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _not_a_profile(path) from None


def _fold_frames(root: dict) -> list[FunctionTime]:
    """Sum a pyinstrument frame tree into one entry per function."""
    own: dict[tuple[str, int, str], float] = {}
    cumulative: dict[tuple[str, int, str], float] = {}
    # Each stack entry: a frame and the functions already open above it.
    stack: list[tuple[dict, frozenset]] = [(root, frozenset())]
    while stack:
        frame, open_above = stack.pop()
        key = (str(frame["file_path"]), int(frame["line_no"]), str(frame["function"]))
        time = float(frame["time"])
        children = frame.get("children") or []
        if key not in open_above:
            cumulative[key] = cumulative.get(key, 0.0) + time
        # Real callees carry a source location; "[self]"-style pseudo frames are own time.
        callees = sum(float(child["time"]) for child in children if not str(child["function"]).startswith("["))
        own[key] = own.get(key, 0.0) + max(time - callees, 0.0)
        inner = open_above | {key}
        stack.extend((child, inner) for child in children if not str(child["function"]).startswith("["))
    return [FunctionTime(path, line, name, own[(path, line, name)], cumulative[(path, line, name)])
            for path, line, name in own]


# --- applying --------------------------------------------------------------


def apply_profile(findings: Iterable[Finding], profile: Profile, note: bool = True) -> list[Finding]:
    """Findings re-weighted by measured time, with the share stated in the message (unless ``note`` is False).

    A finding's impact becomes ``profiled_impact(static impact, share)``; one in
    code the profile never ran (or, for a sampling profiler, never sampled)
    gets impact 0 and sinks to the bottom of its level. The static impact is
    kept in ``context["static_impact"]`` to order the sunk ones, and the
    measurement in ``context["profile"]`` for reports.
    """
    result = []
    for finding in findings:
        if finding.level == 0:  # PF000: the file was not analysed
            result.append(finding)
            continue
        context = dict(finding.context)
        static = context.setdefault("static_impact", finding.impact)
        name = context.get("function") or "<module>"
        function = profile.lookup(finding.path, name if context.get("function_line") else "<module>",
                                  context.get("function_line"))
        if function is None:
            context["profile"] = None
            message = f"{finding.message} ({_missing_note(profile)})" if note else finding.message
            result.append(replace(finding, impact=0.0, context=context, message=message))
            continue
        share = profile.share(function)
        context["profile"] = {"share": share, "cumulative": function.cumulative, "own": function.own}
        scope = "this function" if context.get("function_line") else "this module"
        message = f"{finding.message} ({scope}: {format_share(share)} of profiled time)" if note else finding.message
        result.append(replace(finding, impact=profiled_impact(static, share), message=message, context=context))
    return result


def _missing_note(profile: Profile) -> str:
    return "not sampled in the profile" if profile.kind == PYINSTRUMENT else "not run in the profile"


def format_seconds(seconds: float) -> str:
    """Three significant digits in the unit that suits: ``1.23 s``, ``45.6 ms``, ``789 µs``."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_share(share: float) -> str:
    percent = 100 * share
    if percent >= 9.95:
        return f"{percent:.0f}%"
    if percent >= 0.05:
        return f"{percent:.1f}%"
    return "<0.1%"
