"""The ``perflint`` command line (SPEC.md "Command line").

Exit status: 0 no findings, 1 findings, 2 usage, config or internal error
(with a one-line reason on stderr, never a traceback for a user's mistake).

A plain ``check`` whose inputs did not change since it last ran is replayed
from its run record (``perflint.run_record``) before anything else is
imported, so this module imports its heavier dependencies (argparse, the
config, the reports) only inside the functions that need them.
"""

from __future__ import annotations

import os
import sys
import time

from perflint import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    import argparse

    from perflint.config import ConfigResolver
    from perflint.runner import RunResult

COMMANDS = ("check", "rules", "explain", "server", "bench", "report")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A mistake on the command line; the message is one line."""


def _parser(**options) -> "argparse.ArgumentParser":
    """An ``argparse`` parser whose errors raise ``UsageError`` instead of exiting."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str):  # type: ignore[override]
            raise UsageError(message)

    return Parser(**options)


def _check_parser() -> "argparse.ArgumentParser":
    from perflint.reports import FORMATS

    parser = _parser(prog="perflint check", description="Lint files and folders for performance problems.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .); '-' reads stdin")
    parser.add_argument("--select", help="comma-separated codes or prefixes to enable (e.g. PF1,PF203)")
    parser.add_argument("--ignore", help="comma-separated codes or prefixes to disable")
    parser.add_argument("--levels", help="comma-separated levels or names to report (e.g. 1,2 or algorithm)")
    parser.add_argument(
        "--cold", action="store_true", default=None,
        help="also report findings in cold code (tests, module level, __repr__, exception handlers, __main__)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--statistics", action="store_true",
        help="print the number of findings per rule instead of the findings (text or json)",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true",
        help="print the findings and nothing else (no summary, no notes, no progress)",
    )
    parser.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto",
        help="colour the text report: auto (default) on a terminal unless NO_COLOR is set, or with FORCE_COLOR",
    )
    parser.add_argument(
        "--extend-exclude", metavar="PATTERNS",
        help="comma-separated patterns to exclude besides the config's exclude (e.g. 'test/,tests/,*_pb2.py')",
    )
    parser.add_argument("--sort", choices=("rank", "path"), default="rank", help="order of findings (default: rank)")
    parser.add_argument("--fix", action="store_true", help="apply safe fixes")
    parser.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply unsafe fixes")
    parser.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    parser.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: all cores)")
    parser.add_argument("--no-cache", action="store_true", help="ignore and do not write the result cache")
    parser.add_argument("--config", metavar="FILE", help="use this config file instead of discovery")
    parser.add_argument("--stdin-filename", metavar="NAME", help="path to report for stdin input")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    parser.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply the config's exclude to files named on the command line too (for pre-commit)",
    )
    parser.add_argument("--profile", metavar="FILE", help="cProfile/pstats file or pyinstrument JSON: rank by measured time")
    parser.add_argument("--baseline", metavar="FILE", help="report (and fail on) only findings not in this baseline")
    parser.add_argument("--write-baseline", metavar="FILE", help="record the current findings as a baseline; exit 0")
    return parser


def _top_parser() -> argparse.ArgumentParser:
    parser = _parser(
        prog="perflint",
        description="A performance linter for Python. Commands: check (default), rules, explain, report, bench, server.",
        usage=(
            "perflint [check] [PATH ...] | perflint rules | perflint explain CODE | perflint report [PATH ...]"
            " | perflint bench CODE|--all | perflint server"
        ),
    )
    parser.add_argument("--version", action="version", version=f"perflint {__version__}")
    return parser


def main(argv: "list[str] | None" = None) -> int:
    """The ``perflint`` command. Run as the program (``argv`` None), it ends the process itself
    once its output is flushed (``_exit_now``); called with arguments, it returns the status."""
    as_program = argv is None and (sys.argv[1:2] or ["check"])[0] != "server"
    _PROGRAM.ends_itself = as_program
    try:
        status = _main_argv(argv)
    finally:
        _PROGRAM.ends_itself = False
    if as_program:
        _exit_now(status)
    return status


class _Program:
    ends_itself = False  # ``main`` runs as the program and ends the process when done


_PROGRAM = _Program()


def _exit_now(status: int) -> None:
    """End the process without tearing down the interpreter: freeing what the last lint kept
    (a file's ``ast``, facts and inference: 650k objects for a 1 MB file) and the final
    garbage collection over them cost 1.3 s after a 9 s lint, for nothing. Every file, the cache
    and the run record are written and closed by now; only the standard streams are flushed.
    A stream that cannot be flushed (a closed pipe) leaves the ordinary exit to report it."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(status)


def _main_argv(argv: "list[str] | None") -> int:
    started_ns = time.time_ns()
    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerant_streams()
    from perflint.run_record import replay

    try:
        status = replay(argv)
    except BrokenPipeError:
        return EXIT_ERROR
    if status is not None:
        return status
    return _main(argv, started_ns)


def _main(argv: list[str], started_ns: int) -> int:
    from perflint.baseline import BaselineError
    from perflint.config import ConfigError
    from perflint.profiles import ProfileError

    try:
        if argv and argv[0] in ("-h", "--help", "--version"):
            try:
                _top_parser().parse_args(argv)
            except SystemExit as exit_:
                return int(exit_.code or 0)
        command = argv[0] if argv and argv[0] in COMMANDS else "check"
        rest = argv[1:] if argv and argv[0] in COMMANDS else argv
        if command == "check":
            return _check(rest, _Recorder(argv, started_ns))
        if command == "rules":
            return _rules(rest)
        if command == "explain":
            return _explain(rest)
        if command == "bench":
            return _bench(rest)
        if command == "report":
            return _report(rest)
        return _server(rest)
    except UsageError as error:
        return _fail(f"{error} (see 'perflint --help')")
    except (ConfigError, ProfileError, BaselineError, _OutputError) as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except BrokenPipeError:
        return EXIT_ERROR
    except Exception as error:  # a bug in perflint: one line, not a traceback
        from perflint.runner import one_line

        return _fail(f"internal error: {one_line(error)}")


def _fail(message: str) -> int:
    sys.stderr.write(f"perflint: error: {message}\n")
    return EXIT_ERROR


def _tolerant_streams() -> None:
    """File names that are not valid UTF-8 must not crash the report."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def _check(argv: list[str], recorder: "_Recorder") -> int:
    try:
        args = _check_parser().parse_args(argv)
    except SystemExit as exit_:  # --help
        return int(exit_.code or 0)
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes needs --fix or --diff")
    if args.baseline and args.write_baseline:
        raise UsageError("--baseline and --write-baseline cannot be combined")
    if args.statistics and args.format not in ("text", "json"):
        raise UsageError("--statistics prints text or json, not --format " + args.format)
    if args.statistics and args.diff:
        raise UsageError("--statistics cannot be combined with --diff")
    resolver = _resolver(args)
    paths = args.paths or ["."]
    measured = _Measured.load(args)  # before linting: a bad profile or baseline fails fast
    with _Report(args) as report:  # an --output-file that cannot be written fails fast too
        if "-" in paths:
            if len(paths) > 1:
                raise UsageError("'-' (stdin) cannot be combined with other paths")
            return _check_stdin(args, resolver, measured, report)
        return _check_paths(args, paths, resolver, measured, report, recorder)


def _check_paths(args, paths, resolver, measured, report: "_Report", recorder: "_Recorder") -> int:
    from perflint.runner import FixMode, check_paths

    fix = FixMode(unsafe=args.unsafe_fixes, write=not args.diff) if (args.fix or args.diff) else None
    cache = None
    if not args.no_cache:
        from perflint.cache import ResultCache

        cache = ResultCache()
    result = check_paths(
        paths,
        resolver,
        cache,
        args.jobs,
        fix,
        progress=sys.stderr.isatty() and not args.quiet,
        force_exclude=args.force_exclude,
        fix_edits=_needs_fix_edits(args.format),
    )
    if _PROGRAM.ends_itself:
        # What the lint kept (the last file's ast, facts and inference) lives until the process
        # ends: out of the garbage collector's reach, the report's allocations do not walk it
        # again (a JSON report of 7,600 findings: 0.3 s of full collections).
        import gc

        gc.freeze()
    # Checked on the parsed options too: argparse also accepts abbreviations (``--write-b``).
    side_effects = (
        args.fix or args.diff or args.write_baseline or args.stdin_filename or cache is None or args.output_file
    )
    if not recorder.eligible or side_effects:
        return _check_output(args, result, measured, report)
    with recorder:
        report.stream = sys.stdout  # the recorder's copy of stdout
        status = _check_output(args, result, measured, report)
    # Only a run that linted nothing is recorded: it printed no progress, and
    # every finding came from the result cache, whose keys the inputs cover.
    if status != EXIT_ERROR and not result.errors and result.files_from_cache == result.files_checked:
        recorder.save(status, _inputs(args, paths, resolver, result))
    return status


def _check_output(args: "argparse.Namespace", result: "RunResult", measured: "_Measured", report: "_Report") -> int:
    for error in result.errors:
        sys.stderr.write(f"perflint: error: {error}\n")
    if args.diff:
        report.write("".join(result.diffs))
        unparsable = _report_unparsable(result.findings, args)
        if result.errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if (result.diffs or unparsable) and not args.exit_zero else EXIT_CLEAN
    findings = measured.select(result.findings, args)
    if findings is None:  # --write-baseline
        return EXIT_ERROR if result.errors else EXIT_CLEAN
    fixed = result.fixes_applied if args.fix else 0
    # After an error (a missing path) and nothing found, the error alone: "No findings." would mislead.
    report.findings(findings, fixed, summary=not (result.errors and not findings and not fixed))
    if result.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if findings and not args.exit_zero else EXIT_CLEAN


def _report_unparsable(findings: list, args: "argparse.Namespace") -> list:
    """``--diff`` writes only the patch on stdout: files it could not fix because they do not
    parse (or cannot be read) are PF000 lines on stderr, as ruff reports them."""
    from perflint.model import PARSE_ERROR_CODE
    from perflint.reports.text import line

    unparsable = [f for f in findings if f.code == PARSE_ERROR_CODE]
    color = _use_color(args.color, sys.stderr)
    for finding in unparsable:
        sys.stderr.write(line(finding, color) + "\n")
    return unparsable


def _use_color(choice: str, stream) -> bool:
    """Colour for ``stream``: ``--color always``/``never`` decide; ``auto`` colours a terminal
    unless ``NO_COLOR`` is set (non-empty), or anything when ``FORCE_COLOR`` is set (and not 0)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "").lower() not in ("", "0", "false", "no"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _OutputError(Exception):
    """``--output-file`` cannot be written; the message is one line."""


class _Report:
    """Where ``check`` writes its report: stdout, or ``--output-file`` (never coloured)."""

    def __init__(self, args: "argparse.Namespace", stream=None) -> None:
        self.args = args
        self.file = None
        self.stream = stream or sys.stdout

    def __enter__(self) -> "_Report":
        path = self.args.output_file
        if path:
            try:
                folder = os.path.dirname(os.path.abspath(path))
                os.makedirs(folder, exist_ok=True)
                self.file = open(path, "w", encoding="utf-8", newline="\n")
            except OSError as error:
                raise _OutputError(f"{path}: cannot write the report: {error.strerror or error}") from None
        return self

    def __exit__(self, *exc_info) -> None:
        if self.file is not None:
            self.file.close()

    def target(self, default=None):
        """The report's stream: the output file, else ``default`` (stderr after ``--fix`` of stdin) or stdout."""
        return self.file if self.file is not None else (default or self.stream)

    def write(self, text: str, default=None) -> None:
        if text:
            self.target(default).write(text)

    def findings(self, findings: list, fixed: int = 0, summary: bool = True, default=None) -> None:
        """The findings in ``--format``, or their ``--statistics``."""
        args = self.args
        stream = self.target(default)
        color = self.file is None and args.format == "text" and _use_color(args.color, stream)
        quiet = args.quiet or not summary
        if args.statistics:
            from perflint.reports import statistics

            if args.format == "json":
                text = statistics.render_json(findings)
            else:
                text = statistics.render_text(findings, color)
                if not findings and not quiet:
                    text = "No findings.\n"
        elif args.format == "text":
            from perflint.reports.text import render

            text = render(findings, color=color, fixed=fixed, quiet=quiet)
        else:
            from perflint.reports import renderer

            text = renderer(args.format)(findings)
        self.write(text, default)


def _inputs(args: "argparse.Namespace", paths: list[str], resolver: "ConfigResolver", result: "RunResult") -> list:
    """Every path whose stat must be unchanged for this run's output to be replayed."""
    from perflint import run_record
    from perflint.model import Level

    inputs = [*paths, *result.directories, *result.paths]
    inputs += run_record.config_inputs(result.directories, result.paths)
    inputs += [path for path in (args.config, args.profile, args.baseline) if path]
    inputs += run_record.package_inputs()
    if any(int(Level.DATABASE) in resolver.for_path(path).levels for path in result.paths):
        inputs += run_record.project_inputs(result.paths)
    return inputs


class _Tee:
    """A text stream that remembers what was written to it."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return self.stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


class _Recorder:
    """Captures an eligible ``check``'s output and saves it as a run record."""

    def __init__(self, argv: list[str], started_ns: int) -> None:
        from perflint.run_record import eligible

        self.argv = argv
        self.started_ns = started_ns
        self.eligible = eligible(argv)
        self.stdout: "_Tee | None" = None
        self.stderr: "_Tee | None" = None

    def __enter__(self) -> "_Recorder":
        self.stdout, self.stderr = _Tee(sys.stdout), _Tee(sys.stderr)
        sys.stdout, sys.stderr = self.stdout, self.stderr
        return self

    def __exit__(self, *exc_info) -> None:
        assert self.stdout is not None and self.stderr is not None
        sys.stdout, sys.stderr = self.stdout.stream, self.stderr.stream

    def save(self, status: int, inputs: list[str]) -> None:
        from perflint.run_record import save

        assert self.stdout is not None and self.stderr is not None
        save(self.argv, self.started_ns, inputs, "".join(self.stdout.parts), "".join(self.stderr.parts), status)


def _resolver(args: "argparse.Namespace") -> "ConfigResolver":
    """The config resolver for the selection options shared by ``check`` and ``report``."""
    from perflint.config import ConfigError, ConfigResolver, parse_codes, parse_levels

    overrides = {}
    if args.select is not None:
        overrides["select"] = parse_codes(args.select, "--select")
    if args.ignore is not None:
        overrides["ignore"] = parse_codes(args.ignore, "--ignore")
    if args.levels is not None:
        overrides["levels"] = parse_levels(args.levels, "--levels")
    if getattr(args, "cold", None):
        overrides["cold"] = True
    if getattr(args, "extend_exclude", None):
        patterns = tuple(part.strip() for part in args.extend_exclude.split(",") if part.strip())
        if not patterns:
            raise UsageError("--extend-exclude needs at least one pattern")
        overrides["extend_exclude"] = patterns
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.config and not os.path.isfile(args.config):
        raise ConfigError(f"{args.config}: config file not found")
    return ConfigResolver(args.config, overrides)


def _needs_fix_edits(output_format: str) -> bool:
    """Only the JSON report carries fix edits (SPEC's ``fix.edits``); the text, GitHub and SARIF
    reports only say whether a fix is offered, and a lint that computes no edits is much cheaper
    on a file full of findings. ``--fix`` and ``--diff`` compute the edits they apply."""
    return output_format == "json"


def _check_stdin(
    args: "argparse.Namespace", resolver: "ConfigResolver", measured: "_Measured", report: "_Report"
) -> int:
    from perflint.engine import lint_source

    path = args.stdin_filename or "-"
    settings = resolver.for_path(os.path.abspath(path) if args.stdin_filename else os.path.join(os.getcwd(), "-"))
    data = sys.stdin.buffer.read()
    if path.endswith(".ipynb"):
        return _check_stdin_notebook(args, data, path, settings, measured, report)
    if args.fix or args.diff:
        from perflint.autofix import fix_text
        from perflint.fixes import unified_diff
        from perflint.source import DecodeError, decode

        try:
            before = decode(data)
        except DecodeError:
            before = None
        if before is None and args.diff:
            unparsable = _report_unparsable(lint_source(data, path, settings, fixes=False), args)
            return EXIT_FINDINGS if unparsable and not args.exit_zero else EXIT_CLEAN
        if before is not None:
            after, fixed = fix_text(before, path, settings, unsafe=args.unsafe_fixes)
            if args.diff:
                report.write(unified_diff(path, before, after))
                unparsable = []
                if after == before:  # nothing to fix: was that because it does not parse?
                    unparsable = _report_unparsable(lint_source(before, path, settings, fixes=False), args)
                return EXIT_FINDINGS if (after != before or unparsable) and not args.exit_zero else EXIT_CLEAN
            sys.stdout.write(after)
            findings = measured.select(lint_source(after, path, settings, fixes=_needs_fix_edits(args.format)), args) or []
            report.findings(findings, fixed, default=sys.stderr)
            return EXIT_FINDINGS if findings and not args.exit_zero else EXIT_CLEAN
    findings = measured.select(lint_source(data, path, settings, fixes=_needs_fix_edits(args.format)), args)
    if findings is None:  # --write-baseline
        return EXIT_CLEAN
    report.findings(findings)
    return EXIT_FINDINGS if findings and not args.exit_zero else EXIT_CLEAN


def _check_stdin_notebook(
    args: "argparse.Namespace", data: bytes, path: str, settings, measured: "_Measured", report: "_Report"
) -> int:
    """``--stdin-filename x.ipynb``: the notebook's code cells; with ``--fix`` the fixed notebook on stdout."""
    from perflint.notebooks import stdin_notebook

    output, findings, changed = stdin_notebook(data, path, settings, args.fix, args.diff, args.unsafe_fixes)
    if args.diff:
        report.write(output)
        unparsable = _report_unparsable(findings, args)
        return EXIT_FINDINGS if (changed or unparsable) and not args.exit_zero else EXIT_CLEAN
    if args.fix:
        sys.stdout.write(output)
    findings = measured.select(findings, args)
    if findings is None:  # --write-baseline
        return EXIT_CLEAN
    report.findings(findings, default=sys.stderr if args.fix else None)
    return EXIT_FINDINGS if findings and not args.exit_zero else EXIT_CLEAN


class _Measured:
    """A run's profile and baseline: applied after the cache, so cached and fresh findings agree."""

    def __init__(self, profile=None, baseline=None) -> None:
        self.profile = profile
        self.baseline = baseline

    @classmethod
    def load(cls, args: argparse.Namespace) -> "_Measured":
        profile = baseline = None
        if getattr(args, "profile", None):
            from perflint.profiles import load_profile

            profile = load_profile(args.profile)
        if getattr(args, "baseline", None):
            from perflint.baseline import load_baseline

            baseline = load_baseline(args.baseline)
        return cls(profile, baseline)

    def select(self, findings: list, args: "argparse.Namespace") -> "list | None":
        """Profile-weighted, baseline-filtered, ranked findings; None after writing a baseline."""
        from perflint.ranking import rank

        if getattr(args, "write_baseline", None):
            from perflint.baseline import write_baseline

            count = write_baseline(args.write_baseline, findings)
            if not getattr(args, "quiet", False):
                noun = "finding" if count == 1 else "findings"
                sys.stderr.write(f"Wrote {count} {noun} to baseline {args.write_baseline}.\n")
            return None
        if self.profile is not None:
            from perflint.profiles import apply_profile

            findings = apply_profile(findings, self.profile)
        if self.baseline is not None:
            from perflint.baseline import filter_new

            filtered = filter_new(findings, self.baseline, args.baseline)
            findings = filtered.new
            if filtered.known and not getattr(args, "quiet", False):
                noun = "finding" if filtered.known == 1 else "findings"
                sys.stderr.write(f"{filtered.known} {noun} in baseline {args.baseline} not shown.\n")
        return rank(findings, args.sort)


def _rules(argv: list[str]) -> int:
    parser = _parser(prog="perflint rules", description="List every rule.")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    from perflint.rules import all_rules

    rules = all_rules()
    if args.format == "json":
        import json

        data = [
            {
                "code": r.code,
                "name": r.name,
                "level": int(r.level),
                "category": r.level.category,
                "fixable": r.fixable(),
                "opt_in": r.opt_in,
                "group": "micro" if r.micro else None,
                "message": r.message,
                "summary": r.summary(),
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_CLEAN
    for r in rules:
        flags = ("fix" if r.fixable() else "   ") + (" opt-in" if r.opt_in else "") + (" micro" if r.micro else "")
        sys.stdout.write(f"{r.code}  L{int(r.level)} {r.level.category:<14} {flags:<10} {r.name}\n")
    micro = [r.code for r in rules if r.micro]
    if micro:
        sys.stdout.write(
            f"\nmicro (off by default; --select micro or the code): {', '.join(micro)}\n"
            "  constant-factor idioms: their own benchmark measures under 2x and they remove no round trip\n"
        )
    return EXIT_CLEAN


def _explain(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0].startswith("-"):
        raise UsageError("usage: perflint explain CODE")
    from perflint.rules import rule_by_code

    rule = rule_by_code(argv[0])
    if rule is None:
        raise UsageError(f"unknown rule {argv[0]!r}; 'perflint rules' lists them")
    header = f"# {rule.code} {rule.name} — level {int(rule.level)} ({rule.level.category})"
    fix = "fix available" if rule.fixable() else "no automatic fix"
    sys.stdout.write(f"{header}\n\n{rule.message}\n\n*{fix}*\n\n{rule.documentation()}\n")
    return EXIT_CLEAN


def _bench(argv: list[str]) -> int:
    parser = _parser(prog="perflint bench", description="Time each rule's slow form against its fast form.")
    parser.add_argument("codes", nargs="*", metavar="CODE", help="rules to measure")
    parser.add_argument("--all", action="store_true", help="measure every rule that declares a benchmark")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--repeat", type=int, default=5, metavar="N", help="timings per form; the best is kept")
    parser.add_argument("--write", metavar="FILE", help="also store the results in FILE (e.g. docs/rules/benchmarks.json)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if bool(args.codes) == args.all:
        raise UsageError("give rule codes or --all")
    if args.repeat < 1:
        raise UsageError("--repeat must be at least 1")
    from perflint.bench import BenchError, measure, render_json, render_text, write_results
    from perflint.rules import all_rules, rule_by_code

    if args.all:
        rules = [rule for rule in all_rules() if rule.benchmark is not None]
    else:
        rules = []
        for code in args.codes:
            rule = rule_by_code(code)
            if rule is None:
                raise UsageError(f"unknown rule {code!r}; 'perflint rules' lists them")
            if rule.benchmark is None:
                return _fail(f"{rule.code} declares no benchmark")
            rules.append(rule)
    measurements, failed = [], False
    for rule in rules:
        try:
            measurement = measure(rule, args.repeat)
        except BenchError as error:
            sys.stderr.write(f"perflint: error: {error}\n")
            failed = True
            continue
        measurements.append(measurement)
        if args.format == "text":
            sys.stdout.write(render_text(measurement))
            sys.stdout.flush()
    if args.format == "json":
        sys.stdout.write(render_json(measurements))
    if args.write and measurements:
        try:
            write_results(args.write, measurements)
        except BenchError as error:
            return _fail(str(error))
        sys.stderr.write(f"Stored {len(measurements)} measurement{'s' if len(measurements) != 1 else ''} in {args.write}.\n")
    return EXIT_ERROR if failed else EXIT_CLEAN


def _report(argv: list[str]) -> int:
    parser = _parser(prog="perflint report", description="Where to start: findings grouped by function, hottest first.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    parser.add_argument("--profile", metavar="FILE", help="cProfile/pstats file or pyinstrument JSON: add measured time")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--select", help="comma-separated codes or prefixes to enable")
    parser.add_argument("--ignore", help="comma-separated codes or prefixes to disable")
    parser.add_argument("--levels", help="comma-separated levels or names to report")
    parser.add_argument("--cold", action="store_true", default=None, help="also report findings in cold code")
    parser.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: all cores)")
    parser.add_argument("--no-cache", action="store_true", help="ignore and do not write the result cache")
    parser.add_argument("--config", metavar="FILE", help="use this config file instead of discovery")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if "-" in args.paths:
        raise UsageError("report reads files, not stdin")
    resolver = _resolver(args)
    measured = _Measured.load(args)
    from perflint.hotspots import group, render_json, render_text
    from perflint.ranking import rank
    from perflint.runner import check_paths

    cache = None
    if not args.no_cache:
        from perflint.cache import ResultCache

        cache = ResultCache()
    result = check_paths(args.paths or ["."], resolver, cache, args.jobs, progress=sys.stderr.isatty())
    for error in result.errors:
        sys.stderr.write(f"perflint: error: {error}\n")
    findings = result.findings
    if measured.profile is not None:
        from perflint.profiles import apply_profile

        findings = apply_profile(findings, measured.profile, note=False)
    report = group(rank(findings))
    render = render_json if args.format == "json" else render_text
    if not (result.errors and not findings and args.format == "text"):  # an error alone: no "No findings."
        sys.stdout.write(render(report, profiled=measured.profile is not None))
    return EXIT_ERROR if result.errors else EXIT_CLEAN


SERVER_USAGE = "perflint server [--stdio] [--config FILE] [--log-level debug|info|warning|error]"


def _server(argv: list[str]) -> int:
    """The language server. Its arguments come from editors (VS Code's ``perflint.args``), so a
    mistake is one line on stderr naming what is accepted, and the exit status is 2."""
    import os

    parser = _parser(prog="perflint server", usage=SERVER_USAGE, add_help=False)
    parser.add_argument("--stdio", action="store_true")
    parser.add_argument("--config", metavar="FILE")
    parser.add_argument("--log-level", choices=("debug", "info", "warning", "error"), default="warning")
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        raise UsageError(f"{error}; usage: {SERVER_USAGE}") from None
    config = None
    if args.config is not None:
        from perflint.config import load_file

        config = os.path.abspath(os.path.expanduser(args.config))
        load_file(config)  # a missing or broken file: ConfigError, one line, exit 2, before any LSP traffic
    from perflint.lsp import main as serve

    return serve(config=config, log_level=args.log_level) or EXIT_CLEAN
