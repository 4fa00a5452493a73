"""Impact and rank: level first, then how hot the flagged code is.

Impact grows with the rule's weight (quadratic patterns weigh more than
constant-factor idioms), doubles with each enclosing loop, and grows with the
logarithm of the enclosing function's cyclomatic complexity (radon). Evidence
of size and heat scales it (``with_heat``): a loop over data from outside the
program (a query result, file lines, a response body, a stream, files on disk)
multiplies it by 4, a loop over a parameter (a caller's data, which may be a
handful of options) or over one object's related rows (``order.lines.all()``:
that order's fan-out, not a table) by 1.5; code that runs rarely (``cold_reason``: module level, the
``__main__`` block, ``__repr__``/``__str__``, exception handlers, argument
parsing and CLI wiring, tests, migrations, ``setup.py``) divides it by 20;
most of those (``drops``: all but module level, command-line entry points and
parser wiring) leave the default output altogether, and come back with ``--cold``.
Micro findings rank after every level. With a
profile, it is scaled by the enclosing function's share of profiled time,
and code the profile never ran sinks to the bottom of its level.

Why measured time dominates: a fix can save at most the time spent in its
function, so with a profile the impact is that share in percent times a
factor between about 1/2 and 1 that grows with the static impact
(``s / (s + 1)``). Findings in one function keep their static order, and a
function with twice the measured time of another outranks it whatever the
loops say. Ties (all the never-run findings at impact 0) are broken by the
static impact.
"""

from __future__ import annotations

import ast
import bisect
import math
from dataclasses import replace
from typing import Iterable, Optional, Sequence

from perflint.model import Finding, SizeEvidence


def impact_of(weight: float, loop_depth: int, complexity: int) -> float:
    return round(weight * (2 ** min(loop_depth, 6)) * (1 + math.log2(max(complexity, 1))), 2)


# Data from outside the program (a query, a file, a stream) is big in production; a parameter
# may be (the caller's rows) or may not (a class's bases, a parser's options).
OUTSIDE_DATA_FACTOR = 4.0
PARAMETER_FACTOR = 1.5
COLD_FACTOR = 0.05


def with_heat(impact: float, evidence: Optional[SizeEvidence], cold: Optional[str]) -> float:
    """``impact`` scaled by what is known of the data's size (``evidence``) and of how often the code runs."""
    if evidence:
        impact *= OUTSIDE_DATA_FACTOR if evidence.sure else PARAMETER_FACTOR
    if cold:
        impact *= COLD_FACTOR
    return round(impact, 2)


# --- cold code: runs once, at start-up, on errors, or in tests ----------------------------

# Functions that run for display or once per class: their findings are dropped.
_DISPLAY_FUNCTIONS = frozenset({
    "__repr__", "__str__", "__format__", "__init_subclass__", "__set_name__", "__class_getitem__",
})
# Command-line entry points and parser wiring: they run once, but a script's ``main`` may also
# process the whole input, so their findings are kept and ranked low, not dropped.
_CLI_FUNCTIONS = frozenset({
    "main", "cli", "parse_args", "build_parser", "create_parser", "get_parser", "make_parser", "setup_parser",
    "add_arguments", "add_parser", "configure_parser",
})
_COLD_FUNCTIONS = _DISPLAY_FUNCTIONS | _CLI_FUNCTIONS
_CLI_DECORATORS = frozenset({"command", "group", "option", "argument", "callback"})
_CLI_CALLS = frozenset({"ArgumentParser", "add_argument", "add_argument_group", "add_subparsers", "OptionParser"})


def cold_reason(facts, path: str, line: int) -> Optional[str]:
    """Why the code at ``line`` of ``path`` runs rarely, in words, or None.

    The file's regions come from the ``ast`` of the whole file (``facts.tree``),
    walked once per file on first use and kept on ``facts``.
    """
    known = facts.__dict__.get("_cold_path")
    if known is None or known[0] != path:
        known = facts.__dict__["_cold_path"] = (path, _cold_path(path))
    if known[1] is not None:
        return known[1]
    regions = facts.__dict__.get("_cold_regions")
    if regions is None:
        cold, functions = _cold_regions(facts.tree)
        regions = facts.__dict__["_cold_regions"] = (
            _Nesting([(start, end) for start, end, _ in cold]),
            [reason for _, _, reason in cold],
            _Nesting([(function.lineno, function.end_lineno or function.lineno) for function in functions]),
            functions,
            _lines_naming(facts.source, _CLI_CALLS),
        )
    cold_index, reasons, function_index, functions, cli_lines = regions
    around = cold_index.containing(line)
    if around:
        return reasons[min(around)]  # the first region of the walk, as a scan would find
    enclosing = function_index.containing(line)
    if not enclosing:
        return _MODULE_LEVEL
    for index in enclosing:  # outermost first: a helper nested in ``main`` is cold too
        reason = _cold_function(functions[index], cli_lines)
        if reason is not None:
            return reason
    return None


class _Nesting:
    """Line intervals that nest or are disjoint (statements' line ranges): which of them
    hold a line, outermost first, in the depth of the nesting times a bisection, not a scan
    of every interval (a file with a finding in each of thousands of functions asks once per
    finding). Intervals that overlap without nesting fall back to the scan."""

    __slots__ = ("_intervals", "_roots", "_scan")

    def __init__(self, intervals: Sequence[tuple[int, int]]) -> None:
        self._intervals = intervals
        self._roots: list = [[], []]  # the outermost intervals: their starts, their nodes
        self._scan = False
        stack: list = []
        for index in sorted(range(len(intervals)), key=lambda i: (intervals[i][0], -intervals[i][1], i)):
            start, end = intervals[index]
            while stack and stack[-1][1] < start:
                stack.pop()
            if stack and end > stack[-1][1]:
                self._scan = True
                return
            node = (start, end, index, [[], []])
            siblings = stack[-1][3] if stack else self._roots
            siblings[0].append(start)
            siblings[1].append(node)
            stack.append(node)

    def containing(self, line: int) -> list[int]:
        """The indexes of the intervals that hold ``line``, outermost first."""
        if self._scan:
            return [index for index, (start, end) in enumerate(self._intervals) if start <= line <= end]
        found = []
        starts, nodes = self._roots
        while starts:
            at = bisect.bisect_right(starts, line) - 1
            if at < 0 or nodes[at][1] < line:
                break
            found.append(nodes[at][2])
            starts, nodes = nodes[at][3]
        return found


# Reasons whose code is kept (ranked low) rather than dropped: a command-line entry point
# or a script's module level runs once, but may be where the script processes all of its input.
_MODULE_LEVEL = "at module level (runs once, at import)"
_KEPT_COLD = ("in argument parsing", "in command-line wiring", _MODULE_LEVEL)


IN_HANDLER = "in an exception handler"


def cold_for(rule, reason: Optional[str]) -> Optional[str]:
    """``reason`` as it applies to ``rule``'s finding: an exception handler is not cold for
    a rule whose cost falls on the whole process (``Rule.costly_on_error_paths``)."""
    return None if reason == IN_HANDLER and rule.costly_on_error_paths else reason


def drops(reason: Optional[str]) -> bool:
    """Whether a finding in code that is cold for ``reason`` leaves the default output.

    Tests, migrations, ``setup.py``, the ``__main__`` block, ``__repr__``-like
    methods and exception handlers run for display, on errors or never in
    production: a cost there is not worth acting on (issue #20), so such
    findings are reported only with ``--cold`` / ``cold = true``. Module level,
    command-line entry points and parser wiring run once too, but a script may
    process all of its input there: they are ranked low but kept.
    """
    if reason is None:
        return False
    return not (reason in _KEPT_COLD or reason.endswith("(a command-line entry point)"))


def _cold_path(path: str) -> Optional[str]:
    """Judged below the project root: a checkout under ``~/test/`` is not a test file."""
    import os

    from perflint.models_index import project_root

    root = project_root(path)
    if root is not None:
        path = os.path.relpath(os.path.abspath(path), root)
    parts = path.replace("\\", "/").split("/")
    name = parts[-1]
    folders = parts[:-1]
    if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return "in a test file"
    if any(folder in ("tests", "test") for folder in folders):
        return "in a test file"
    if "migrations" in folders:
        return "in a database migration"
    if name == "setup.py":
        return "in setup.py"
    return None


def _cold_regions(tree) -> tuple[list[tuple[int, int, str]], list]:
    """(exception handlers and ``__main__`` blocks with their reason, every function and
    method in source order). One walk over the statements; expressions are not entered, and
    a function's own reason is read only when a finding falls in it (``_cold_function``).
    Each statement's regions are kept on its node (``blocks.memo_units``) as nodes, not lines:
    a keystroke walks the edited statement only, and lines are read when the index is built."""
    from perflint.blocks import memo_units

    cold: list[tuple[int, int, str]] = []
    functions: list = []
    if tree is None:
        return cold, functions
    for unit, _ in memo_units(tree.body):
        found = unit.__dict__.get(_REGIONS_MEMO)
        if found is None:
            found = _unit_regions(unit)
            setattr(unit, _REGIONS_MEMO, found)
        for node, reason in found:
            if reason is None:
                functions.append(node)
            else:
                cold.append((node.lineno, getattr(node, "end_lineno", node.lineno) or node.lineno, reason))
    return cold, functions


_REGIONS_MEMO = "_perflint_cold_regions"


def _unit_regions(unit) -> tuple:
    """(node, reason) for each handler and ``__main__`` block in ``unit``, and (node, None)
    for each function, in source order."""
    import ast

    from perflint.blocks import nested_statements

    found = []
    for node in nested_statements([unit]):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append((node, None))
        elif isinstance(node, ast.ExceptHandler):
            found.append((node, IN_HANDLER))
        elif isinstance(node, ast.If) and _is_main_check(node.test):
            found.append((node, "in the `__main__` block"))
    return tuple(found)


def _cold_function(node, cli_lines: Optional[list[int]] = None) -> Optional[str]:
    known = node.__dict__.get("_perflint_cold", False)
    if known is False:
        known = node.__dict__["_perflint_cold"] = _function_cold_reason(node, cli_lines)
    return known


def _lines_naming(source: Optional[str], words) -> Optional[list[int]]:
    """The lines of ``source`` (1-based, ascending) that name one of ``words`` as a whole
    identifier; None when unknown (no text, identifiers that may be spelled in other Unicode
    forms, or carriage returns, which the parser also counts as line breaks). Found with
    ``str.find`` per word: a word-boundary regex alternation took 5 ms per keystroke on
    ``inspect.py``, run again on every edit."""
    if source is None or not source.isascii() or "\r" in source:
        return None
    offsets = []
    for word in words:
        start = source.find(word)
        while start != -1:
            end = start + len(word)
            if not (start and _word_char(source[start - 1])) and not (end < len(source) and _word_char(source[end])):
                offsets.append(start)
            start = source.find(word, end)
    lines, line, last = [], 1, 0
    for offset in sorted(offsets):
        line += source.count("\n", last, offset)
        last = offset
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _function_cold_reason(node, cli_lines: Optional[list[int]] = None) -> Optional[str]:
    """``cli_lines``: the file's lines that name a call of ``_CLI_CALLS``, if known: a function
    without one is not walked for such calls."""
    import ast

    if node.name in _DISPLAY_FUNCTIONS:
        return f"in `{node.name}` (runs for display or once per class)"
    if node.name in _CLI_FUNCTIONS:
        return f"in `{node.name}` (a command-line entry point)"
    if node.name.startswith(("test_", "_test")) or node.name == "test":
        return f"in `{node.name}` (a test helper)"
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr in _CLI_DECORATORS:
            return "in command-line wiring"
        if isinstance(target, ast.Name) and target.id in ("command", "group"):
            return "in command-line wiring"
    if cli_lines is not None:
        first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
        at = bisect.bisect_left(cli_lines, first)
        if at == len(cli_lines) or cli_lines[at] > (node.end_lineno or node.lineno):
            return None
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in _CLI_CALLS:
                return "in argument parsing"
    return None


def _is_main_check(test) -> bool:
    import ast

    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    has_name = any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides)
    has_main = any(isinstance(side, ast.Constant) and side.value == "__main__" for side in sides)
    return has_name and has_main


def profiled_impact(static_impact: float, share: float) -> float:
    """Impact of a finding whose function took ``share`` (0..1) of the profiled time; never 0 for code that ran."""
    factor = static_impact / (static_impact + 1) if static_impact > 0 else 0.5
    return max(round(100 * share * factor, 2), 0.01)


def rank_key(finding: Finding) -> tuple:
    """Micro findings after every other (SPEC.md "The `micro` group"), then level, then impact."""
    static = finding.context.get("static_impact", finding.impact)
    return (
        finding.micro,
        finding.level,
        -finding.impact,
        -static,
        finding.path,
        finding.cell or 0,
        finding.line,
        finding.column,
        finding.code,
    )


def start_with(findings: Iterable[Finding], limit: int = 3) -> list[Finding]:
    """The findings worth acting on first: the best-ranked ones outside the micro group and
    outside cold code (PF000 errors excluded), at most ``limit``."""
    candidates = [f for f in findings if f.level > 0 and not f.micro and not f.context.get("cold")]
    return sorted(candidates, key=rank_key)[:limit]


def why_first(finding: Finding) -> str:
    """``"app.py:42 PF101 (L1, in a loop over a query result)"``: where, what, and why it matters."""
    evidence = finding.context.get("evidence")
    reason = f"L{finding.level}, {evidence}" if evidence else f"L{finding.level} {finding.category}"
    return f"{finding.path}:{finding.line} {finding.code} ({reason})"


def path_key(finding: Finding) -> tuple:
    return (finding.path, finding.cell or 0, finding.line, finding.column, finding.code)


def rank(findings: Iterable[Finding], sort: str = "rank") -> list[Finding]:
    """Number findings 1..n in rank order; return them in ``sort`` order ("rank" or "path")."""
    ranked = sorted(findings, key=rank_key)
    numbered = [_with_rank(finding, index) for index, finding in enumerate(ranked, start=1)]
    if sort == "path":
        numbered.sort(key=path_key)
    return numbered


def _with_rank(finding: Finding, rank: int) -> Finding:
    """``dataclasses.replace(finding, rank=rank)``: a ``Finding`` (whose fields are all set by its
    ``__init__``, with no ``__post_init__``) copied field for field, a quarter of ``replace``'s cost."""
    if type(finding) is not Finding:
        return replace(finding, rank=rank)
    new = object.__new__(Finding)
    fields = new.__dict__
    fields.update(finding.__dict__)
    fields["rank"] = rank
    return new


class Complexity:
    """Cyclomatic complexity of each function, by the line of its ``def``; computed on first use.

    ``source`` may be one top-level block of a file starting at ``first_line``:
    a function's complexity depends on its own code only, and radon on the
    block costs what the block costs, not what the whole file does.
    """

    def __init__(self, source: str, first_line: int = 1) -> None:
        self._source = source
        self._offset = first_line - 1
        self._by_line: Optional[dict[int, int]] = None

    def of(self, def_line: Optional[int]) -> int:
        if def_line is None:
            return 1
        if self._by_line is None:
            self._by_line = _radon_complexities(self._source)
        return self._by_line.get(def_line - self._offset, 1)


class PieceComplexity:
    """``Complexity`` of a piece of a file, read by radon from the piece's own ``ast`` statements
    (``Block.nodes``, in file lines) instead of a second parse of its text; each top-level
    statement is visited only when a finding asks for a function inside it."""

    def __init__(self, nodes: Sequence[ast.AST]) -> None:
        self._nodes = [node for node in nodes if isinstance(node, ast.stmt)]
        self._by_line: dict[int, int] = {}
        self._visited: set[int] = set()

    def of(self, def_line: Optional[int]) -> int:
        """The complexity of the function whose ``def`` is on file line ``def_line``."""
        if def_line is None:
            return 1
        found = self._by_line.get(def_line)
        if found is not None:
            return found
        for node in self._nodes:
            if id(node) not in self._visited and node.lineno <= def_line <= (node.end_lineno or node.lineno):
                self._visited.add(id(node))
                self._by_line.update(_statement_complexities(node))
        return self._by_line.get(def_line, 1)


def _statement_complexities(node: ast.AST) -> dict[int, int]:
    """What ``_radon_complexities(node)`` gives for one ``ast`` statement, in one recursive pass
    instead of radon's visitor (a ``NodeVisitor`` dispatch per node and a new visitor per
    statement of every body): 6% of a file whose every function has a finding. The same
    counts (``tests/test_engine_many_findings.py`` compares them with radon's on the standard
    library): 1 per ``if``, conditional expression, loop (plus its ``else``), comprehension
    (plus its ``if`` clauses), ``assert`` (whose inside is not looked at), handler and ``else``
    of a ``try``, operand past the first of ``and``/``or``, ``case`` but a catch-all; a
    function is 1 plus its body's, a nested function or class adds nothing to it; a class is
    its methods' average (radon's ``Class.complexity``); the methods of a class defined in a
    function are not reported (radon drops them)."""
    by_line: dict[int, int] = {}
    _visit_for_complexity(node, [], [], by_line)
    return by_line


def _visit_for_complexity(node: ast.AST, functions: Optional[list], classes: Optional[list], by_line: Optional[dict]) -> int:
    """The decisions radon's visitor counts in ``node`` (not in functions and classes within,
    which are registered in ``functions``/``classes`` and ``by_line``, unless None: dropped)."""
    kind = type(node).__name__
    if kind in ("FunctionDef", "AsyncFunctionDef"):
        closures: list = []
        complexity = 1
        for child in node.body:
            complexity += _visit_for_complexity(child, closures, None, by_line)
        if functions is not None:
            functions.append(complexity)
            if by_line is not None:
                by_line[node.lineno] = complexity
        return 0
    if kind == "ClassDef":
        kept = classes is not None
        methods: list = []
        real = 1
        for child in node.body:
            found: list = []
            real += _visit_for_complexity(child, found, [] if kept else None, by_line if kept else None)
            real += sum(found)
            methods.extend(found)
        if kept:
            classes.append(real)
            if by_line is not None:
                by_line[node.lineno] = int(real / float(len(methods))) + (len(methods) > 1) if methods else real
        return 0
    if kind == "Assert":
        return 1
    # The rest of the subtree in one loop (preorder, as ``ast.iter_child_nodes`` recursion
    # visits it), handing each function, class and ``assert`` in it to the recursive call.
    count = 0
    stack = [node]
    pop, push = stack.pop, stack.append
    while stack:
        current = pop()
        kind = type(current).__name__
        if current is not node and kind in _COMPLEXITY_OWN:
            count += _visit_for_complexity(current, functions, classes, by_line)
            continue
        if kind in ("Try", "TryExcept"):
            count += len(current.handlers) + bool(current.orelse)  # type: ignore[attr-defined]
        elif kind == "BoolOp":
            count += len(current.values) - 1  # type: ignore[attr-defined]
        elif kind in ("If", "IfExp"):
            count += 1
        elif kind == "Match":
            catch_all = any(getattr(case.pattern, "pattern", False) is None for case in current.cases)  # type: ignore[attr-defined]
            count += max(0, len(current.cases) - catch_all)  # type: ignore[attr-defined]
        elif kind in ("For", "While", "AsyncFor"):
            count += bool(current.orelse) + 1  # type: ignore[attr-defined]
        elif kind == "comprehension":
            count += len(current.ifs) + 1  # type: ignore[attr-defined]
        children = []
        for field in current._fields:
            value = getattr(current, field, None)
            if isinstance(value, ast.AST):
                if type(value) not in _COMPLEXITY_LEAVES:
                    children.append(value)
            elif type(value) is list:
                children.extend(item for item in value if isinstance(item, ast.AST) and type(item) not in _COMPLEXITY_LEAVES)
        children.reverse()
        for child in children:
            push(child)
    return count


# Nodes that count on their own (``_visit_for_complexity``'s first cases).
_COMPLEXITY_OWN = frozenset({"FunctionDef", "AsyncFunctionDef", "ClassDef", "Assert"})
# Nodes with no child and nothing to count: not pushed.
_COMPLEXITY_LEAVES = frozenset(
    {ast.Name, ast.Constant, ast.Load, ast.Store, ast.Del, ast.Pass, ast.Break, ast.Continue}
    | {kind for kind in vars(ast).values() if isinstance(kind, type) and issubclass(kind, (ast.operator, ast.cmpop, ast.unaryop, ast.boolop))}
)


def _radon_complexities(source: str | ast.AST) -> dict[int, int]:
    from radon.complexity import cc_visit, cc_visit_ast

    try:
        blocks = cc_visit_ast(source) if isinstance(source, ast.AST) else cc_visit(source)
    except Exception:  # radon trails CPython's grammar; no complexity is better than no finding
        return {}
    by_line: dict[int, int] = {}
    stack = list(blocks)
    while stack:
        block = stack.pop()
        by_line[block.lineno] = block.complexity
        stack.extend(getattr(block, "methods", []) or [])
        stack.extend(getattr(block, "closures", []) or [])
        stack.extend(getattr(block, "inner_classes", []) or [])
    return by_line
