"""libcst's ``PositionProvider`` ranges, computed at a fraction of its cost.

The engine needs positions for the pieces that have findings; in a file
full of findings that is every piece, and libcst's provider cost about half
of the parse it follows. The ranges are the same (libcst's own code
generation decides them; ``tests/test_engine.py`` compares every node of a
module), and the bookkeeping is lighter: no regular expression per token
(most tokens have no line break), no ``contextlib`` generator per node, and
plain tuples stored, turned into ``CodeRange`` only for the nodes looked up.
"""

from __future__ import annotations

from typing import Collection, Iterator, Mapping, Optional

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodeRange
from libcst._position import CodePosition


class _State(CodegenState):
    """A ``CodegenState`` that records where each node starts and ends, as libcst's
    ``PositionProvidingCodegenState`` does (syntactic positions override whitespace-inclusive
    ones; a node's first recorded range wins)."""

    def __init__(self, default_indent: str, default_newline: str) -> None:
        self.default_indent = default_indent
        self.default_newline = default_newline
        self.provider = None
        self.indent_tokens: list[str] = []
        self.tokens: list[str] = []
        self.line = 1
        self.column = 0
        self.stack: list[tuple[int, int]] = []
        self.computed: dict[cst.CSTNode, tuple[int, int, int, int]] = {}

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        if "\n" in value or "\r" in value:
            # as libcst's NEWLINE_RE: "\r\n", "\r" and "\n" each end a line
            breaks = value.count("\n") + value.count("\r") - value.count("\r\n")
            self.line += breaks
            self.column = len(value) - max(value.rfind("\n"), value.rfind("\r")) - 1
        else:
            self.column += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.stack.append((self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self.stack.pop()
        if node not in self.computed:
            self.computed[node] = (start[0], start[1], self.line, self.column)

    def record_syntactic_position(
        self, node: cst.CSTNode, *, start_node: Optional[cst.CSTNode] = None, end_node: Optional[cst.CSTNode] = None
    ) -> "_Syntactic":
        return _Syntactic(self, node, start_node, end_node)


class _Syntactic:
    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state: _State, node, start_node, end_node) -> None:
        self.state = state
        self.node = node
        self.start_node = start_node
        self.end_node = end_node

    def __enter__(self) -> None:
        self.start = (self.state.line, self.state.column)

    def __exit__(self, error_type, *exc_info) -> None:
        if error_type is not None:
            return  # stopped early (``_Done``): the ranges still open are not wanted
        state = self.state
        computed = state.computed
        start = self.start
        if self.start_node is not None:
            start = computed[self.start_node][:2]
        end = computed[self.end_node][2:] if self.end_node is not None else (state.line, state.column)
        computed[self.node] = (start[0], start[1], end[0], end[1])


class Positions(Mapping):
    """Node → ``CodeRange``, as ``PositionProvider`` resolves them."""

    def __init__(self, computed: dict[cst.CSTNode, tuple[int, int, int, int]]) -> None:
        self._computed = computed

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        line, column, end_line, end_column = self._computed[node]
        return CodeRange(CodePosition(line, column), CodePosition(end_line, end_column))

    def __iter__(self) -> Iterator[cst.CSTNode]:
        return iter(self._computed)

    def __len__(self) -> int:
        return len(self._computed)

    def __contains__(self, node: object) -> bool:
        return node in self._computed


class _Done(Exception):
    """Every wanted node has its range: the rest of the code generation is skipped."""


class _WantedState(_State):
    """A ``_State`` that stops once each of the ``wanted`` nodes has its final range (a node's
    range is final once its own code is generated: its syntactic range is recorded inside it)."""

    def __init__(self, default_indent: str, default_newline: str, wanted: set) -> None:
        super().__init__(default_indent, default_newline)
        self.wanted = wanted
        self.left = len(wanted)

    def after_codegen(self, node: cst.CSTNode) -> None:
        super().after_codegen(node)
        if node in self.wanted:
            self.left -= 1
            if not self.left:
                raise _Done


def positions_of(module: cst.Module, wanted: Optional[Collection[cst.CSTNode]] = None) -> Positions:
    """The ranges of every node of ``module``; with ``wanted``, of those nodes at least (and
    of every node generated before the last of them), at less cost."""
    if wanted is None:
        state = _State(module.default_indent, module.default_newline)
    else:
        state = _WantedState(module.default_indent, module.default_newline, set(wanted))
    try:
        module._codegen(state)  # noqa: SLF001 - libcst's own code generation decides every range
    except _Done:
        pass
    return Positions(state.computed)
