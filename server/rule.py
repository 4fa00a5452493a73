"""The base class every rule inherits: metadata, docs, examples, detection, fix.

A rule is a libcst ``BatchableCSTVisitor``: all enabled rules share one
traversal per file. Rules read where they are from ``self.context`` (loops,
scopes, import-resolved names) and call ``self.report(node, fix=...)``.

Inside a batch, libcst ignores matcher decorators such as ``@m.call_if_inside``
and a ``visit_*`` returning False prunes nothing, so rules keep their state in
the shared context or in their own stacks. libcst finds visitor methods by
their ``__name__``: write a ``def`` for each, never ``visit_A = visit_B``.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Mapping, Optional, Union

import libcst as cst

from perflint.positions import ExpressionCode, StatementCode  # noqa: F401 - a fix's code (``FixSpec.later``)
from perflint.analysis import runs_fixed_times, unbounded_evidence
from perflint.context import CachedVisitors, FileContext, Report
from perflint.facts import ModuleFacts
from perflint.model import Level

DOC_SECTIONS = (
    "What it does",
    "Why is this slow?",
    "Example",
    "Use instead",
    "Fix safety",
    "Known false positives",
)

Replacement = Union[cst.CSTNode, cst.FlattenSentinel, cst.RemovalSentinel]


@dataclass
class FixSpec:
    """A rewrite as data: node replacements, imports to add, module constants to define.

    The engine turns it into text edits after the traversal. A fix whose
    replaced code contains a comment is downgraded to unsafe automatically.
    """

    message: str
    replacements: Mapping[cst.CSTNode, Replacement] = field(default_factory=dict)
    safe: bool = True
    imports: tuple[str, ...] = ()  # e.g. ("import asyncio", "from collections import deque")
    constants: tuple[str, ...] = ()  # module-level statements, e.g. ("_RE = re.compile(r'x')",)

    @staticmethod
    def later(
        message: str,
        build: Callable[[], Optional["FixSpec"]],
        safe: bool = True,
        text: Optional[Callable[[Any], Optional["FixSpec"]]] = None,
    ) -> "LaterFix":
        """A fix whose nodes are built only if its edits are asked for (``--fix``, ``--diff``, JSON,
        a code action): ``build`` runs after the traversal and returns the ``FixSpec`` (or None).

        ``message`` and ``safe`` are what a report without edits says (the text format's "fix
        available"), so they must be known at detection: ``safe`` is the rule's promise, and the
        built spec can only lower it. ``build`` must not read ``self.context`` (the traversal has
        moved on by then): read what it needs while detecting and close over the values.

        ``text``, optional, is the same fix without building nodes, for a piece without a
        comment: called with the piece's ``PiecePositions``, it returns a ``FixSpec`` whose
        replacements map whole statements to ``positions.StatementCode`` (or
        ``RemovalSentinel.REMOVE``), with the code libcst would generate for ``build``'s
        statements, or None (``build`` runs then). Its ``safe`` must be ``build``'s.
        """
        return LaterFix(message, build, safe, text)


@dataclass(frozen=True)
class LaterFix:
    """A fix announced at detection and built on demand (``FixSpec.later``)."""

    message: str
    build: Callable[[], Optional[FixSpec]]
    safe: bool = True
    text: Optional[Callable[[Any], Optional[FixSpec]]] = None  # ``FixSpec.later``'s


@dataclass(frozen=True)
class Option:
    """A per-rule option, set in config under ``[tool.perflint.rules.CODE]``."""

    default: Any
    type: type
    doc: str


@dataclass(frozen=True)
class Invalid:
    """An example that must be flagged; ``fixed`` is the code after applying the rule's fixes."""

    code: str
    fixed: Optional[str] = None
    unsafe: bool = False  # the expected fix is an unsafe one
    options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", textwrap.dedent(self.code).lstrip("\n"))
        if self.fixed is not None:
            object.__setattr__(self, "fixed", textwrap.dedent(self.fixed).lstrip("\n"))


@dataclass(frozen=True)
class Valid:
    """A look-alike that must not be flagged."""

    code: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", textwrap.dedent(self.code).lstrip("\n"))


@dataclass(frozen=True)
class Benchmark:
    """A before/after micro-benchmark: ``setup`` runs once, then ``slow`` and ``fast`` are timed."""

    setup: str
    slow: str
    fast: str
    size: str  # what the input size is, in words ("n = 10,000 items")


class Rule(CachedVisitors):
    code: ClassVar[str]
    name: ClassVar[str]
    level: ClassVar[Level]
    message: ClassVar[str]
    # How much a finding of this rule matters within its level: quadratic
    # patterns weigh more than constant-factor idioms.
    weight: ClassVar[float] = 1.0
    # Substrings of which at least one must occur in a block of source for the
    # rule to possibly match; blocks without any are not parsed for this rule.
    triggers: ClassVar[tuple[str, ...]] = ()
    # Qualified names (``"asyncio.run"``, ``"builtins.sorted"``) of which the
    # rule must be able to see at least one in a block: the block has to spell
    # an import alias of the name or of a module above it, the name's top-level
    # module (an import inside the block), or for a builtin its bare name. An
    # extra condition on top of ``triggers``; resolved as ``FileContext.qualified_name``
    # resolves names, so aliases cannot slip past it (``engine.spellings``).
    qualified_triggers: ClassVar[tuple[str, ...]] = ()
    # Every finding is inside a loop (a for/while statement or a comprehension):
    # a piece without a loop is not parsed for this rule, and its ``needs`` are
    # looked for inside the piece's loops.
    loop_only: ClassVar[bool] = False
    # The finding's cost is paid once per iteration of the enclosing loops, so a
    # ``loop_only`` finding whose loops all run a fixed number of times is dropped
    # (``runs_fixed_times``). False for a rule about the loop it flags itself
    # (``for line in f.readlines()``): the loops around it do not bound its cost.
    cost_per_iteration: ClassVar[bool] = True
    # Things the piece's code must do for the rule to match, any one of them
    # (inside a loop for a ``loop_only`` rule), in the words of
    # ``perflint.shape.Shape``: ``"append()"``, ``"in"``, ``"+"``, ``"for"``...
    # A tuple inside is a set of things that must all be there; ``"@x"`` means
    # ``x`` anywhere in the piece, not only in a loop. Checked on the ``ast``
    # after the ``triggers``, before libcst parses anything.
    needs: ClassVar[tuple[Union[str, tuple[str, ...]], ...]] = ()
    # The rule reads a class as a whole (its bases and sibling members), so it
    # sees each top-level class in one piece instead of member by member.
    whole_class: ClassVar[bool] = False
    options: ClassVar[Mapping[str, Option]] = {}
    valid: ClassVar[list[Valid]] = []
    invalid: ClassVar[list[Invalid]] = []
    benchmark: ClassVar[Optional[Benchmark]] = None
    # Off unless selected explicitly (noisy or opinionated rules).
    opt_in: ClassVar[bool] = False
    # A constant-factor idiom (SPEC.md "The `micro` group"): its own benchmark
    # measures under 2x and it removes no round trip. Off unless the group
    # (``--select micro``) or the rule's code is selected; ranked after every
    # level, shown with hint severity in the editor.
    micro: ClassVar[bool] = False
    # What the rule removes is a round trip (a query, a request, a process or
    # connection start) whose cost its in-process benchmark cannot show, e.g.
    # SQLite in memory for a networked database: the 2x bar of
    # benchmarks/rule_speedups.py does not apply to it.
    round_trip: ClassVar[bool] = False
    # The cost falls on everything else the process is doing, not on the code that pays
    # it (a blocking call stalls every coroutine of the event loop), so an exception
    # handler is not cold for it: an error path runs most when a dependency is failing.
    costly_on_error_paths: ClassVar[bool] = False

    def __init__(self, context: FileContext, options: Optional[Mapping[str, Any]] = None) -> None:
        super().__init__()
        self.context = context
        self.config = self.configuration(options)

    @classmethod
    def configuration(cls, options: Optional[Mapping[str, Any]] = None) -> dict[str, Any]:
        """The rule's option values: the defaults, overridden by ``options`` from the config."""
        config = {key: option.default for key, option in cls.options.items()}
        config.update(options or {})
        return config

    @classmethod
    def may_match(cls, text: str) -> bool:
        triggers = cls.triggers
        if not triggers:
            return True
        for trigger in triggers:  # (a loop, not ``any`` of a generator: asked per rule and piece)
            if trigger in text:
                return True
        return False

    @classmethod
    def needs_in(cls, facts: ModuleFacts) -> tuple[Union[str, tuple[str, ...]], ...]:
        """The ``needs`` for pieces of this file (asked once per file): a rule whose finding
        may take a wider shape when the file uses some library widens them here."""
        return cls.needs

    @classmethod
    def may_match_piece(cls, nodes: tuple, facts: ModuleFacts, path: str) -> bool:
        """Asked last, for a piece that passed every other test (``nodes``: its statements'
        ``ast``): a rule whose finding needs a module-wide fact about the piece's functions
        answers here, before libcst parses the piece."""
        return True

    @classmethod
    def may_match_file(cls, path: str, facts: ModuleFacts, config: Mapping[str, Any]) -> bool:
        """False when nothing in this file can match, whatever its blocks say (asked once per file
        with the rule's ``configuration``; ``facts.mentions`` tells what the file's text says)."""
        return True

    @classmethod
    def fixable(cls) -> bool:
        return any(example.fixed is not None for example in cls.invalid)

    @classmethod
    def documentation(cls) -> str:
        return textwrap.dedent(cls.__doc__ or "").strip()

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        """The docstring split into its ``## Heading`` sections."""
        sections: dict[str, str] = {}
        current: Optional[str] = None
        for line in cls.documentation().splitlines():
            if line.startswith("## "):
                current = line[3:].strip()
                sections[current] = ""
            elif current is not None:
                sections[current] += line + "\n"
        return {key: value.strip() for key, value in sections.items()}

    @classmethod
    def summary(cls) -> str:
        return cls.doc_sections().get("What it does", "").split("\n\n")[0].replace("\n", " ")

    def report(
        self,
        node: cst.CSTNode,
        message: Optional[str] = None,
        *,
        fix: Optional[Union[FixSpec, LaterFix]] = None,
    ) -> None:
        ctx = self.context
        loops = ctx.loops
        # Every enclosing loop runs a number of times written in the source (a literal
        # display, range(3), a module constant, an enum): a loop cost that does not grow
        # with the input is not worth a finding (SPEC.md "The `micro` group", issue #20).
        if self.loop_only and self.cost_per_iteration and loops and all(runs_fixed_times(loop.node, ctx.facts, ctx.is_local, ctx.is_literal_local) for loop in loops):
            return
        function = ctx.function
        ctx.reports.append(
            Report(
                rule=self,
                node=node,
                message=message or self.message,
                fix=fix,
                loop_depth=ctx.loop_depth,
                function=function.node if function else None,
                function_name=ctx.function_name,
                evidence=unbounded_evidence(ctx) if loops else None,
            )
        )
