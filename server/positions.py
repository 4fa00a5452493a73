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

import ast
import bisect
import re
from typing import Callable, Collection, Iterable, Iterator, Mapping, Optional, Sequence

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodeRange
from libcst._position import CodePosition

from perflint.cst_walk import STATEMENT_TYPES


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
        # id(node) -> (line, column, end line, end column, node): keyed by ``id``, not by the node,
        # whose ``__hash__`` and ``__eq__`` are Python functions (two calls per node generated)
        self.computed: dict[int, tuple[int, int, int, int, cst.CSTNode]] = {}

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
        key = id(node)
        if key not in self.computed:
            self.computed[key] = (start[0], start[1], self.line, self.column, node)

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
            start = computed[id(self.start_node)]
        end = computed[id(self.end_node)][2:4] if self.end_node is not None else (state.line, state.column)
        computed[id(self.node)] = (start[0], start[1], end[0], end[1], self.node)


class Positions(Mapping):
    """Node → ``CodeRange``, as ``PositionProvider`` resolves them."""

    def __init__(self, computed: dict[int, tuple[int, int, int, int, cst.CSTNode]]) -> None:
        self._computed = computed

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        line, column, end_line, end_column, _ = self._computed[id(node)]
        return CodeRange(CodePosition(line, column), CodePosition(end_line, end_column))

    def __iter__(self) -> Iterator[cst.CSTNode]:
        return (entry[4] for entry in self._computed.values())

    def __len__(self) -> int:
        return len(self._computed)

    def __contains__(self, node: object) -> bool:
        return id(node) in self._computed


class _NoRange:
    """A context manager that does nothing, without a generator per use."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info) -> None:
        return None


_NO_RANGE = _NoRange()


class _CodeState(CodegenState):
    """libcst's ``CodegenState`` whose ``record_syntactic_position`` (which records nothing
    there) is not a ``contextlib`` generator made and run for every expression."""

    def record_syntactic_position(self, node, *, start_node=None, end_node=None) -> _NoRange:
        return _NO_RANGE


def code_for_node(module: cst.Module, node: cst.CSTNode) -> str:
    """``module.code_for_node(node)`` (``module.code`` for the module itself): the same tokens."""
    state = _CodeState(default_indent=module.default_indent, default_newline=module.default_newline)
    node._codegen(state)  # noqa: SLF001 - as libcst's own ``code_for_node``
    return "".join(state.tokens)


class _Done(Exception):
    """Every wanted node has its range: the rest of the code generation is skipped."""


class _WantedState(_State):
    """A ``_State`` that stops once each of the ``wanted`` nodes has its final range (a node's
    range is final once its own code is generated: its syntactic range is recorded inside it)."""

    def __init__(self, default_indent: str, default_newline: str, wanted: Collection[cst.CSTNode]) -> None:
        super().__init__(default_indent, default_newline)
        self.wanted = {id(node) for node in wanted}
        self.left = len(self.wanted)

    def after_codegen(self, node: cst.CSTNode) -> None:
        super().after_codegen(node)
        if id(node) in self.wanted:
            self.left -= 1
            if not self.left:
                raise _Done


class _StatementState(_State):
    """A ``_WantedState`` that also keeps where each wanted node's tokens start and end, in
    one method per hook (it runs for every node of a statement whose ranges are wanted)."""

    def __init__(self, default_indent: str, default_newline: str, wanted: Collection[cst.CSTNode]) -> None:
        super().__init__(default_indent, default_newline)
        self.wanted = {id(node) for node in wanted}
        self.left = len(self.wanted)
        self.spans: dict[int, tuple[int, int]] = {}

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.stack.append((self.line, self.column, len(self.tokens)))

    def after_codegen(self, node: cst.CSTNode) -> None:
        line, column, first = self.stack.pop()
        key = id(node)
        computed = self.computed
        if key not in computed:
            computed[key] = (line, column, self.line, self.column, node)
        if key in self.wanted:
            if key not in self.spans:
                self.spans[key] = (first, len(self.tokens))
            self.left -= 1
            if not self.left:
                raise _Done


def positions_of(module: cst.Module, wanted: Optional[Collection[cst.CSTNode]] = None) -> Positions:
    """The ranges of every node of ``module``; with ``wanted``, of those nodes at least (and
    of every node generated before the last of them), at less cost."""
    if wanted is None:
        state = _State(module.default_indent, module.default_newline)
    else:
        state = _WantedState(module.default_indent, module.default_newline, wanted)
    try:
        module._codegen(state)  # noqa: SLF001 - libcst's own code generation decides every range
    except _Done:
        pass
    return Positions(state.computed)


# --- one statement at a time -----------------------------------------------------------

# libcst's compound statements and the ``ast`` statements each stands for.
_COMPOUND_AST: dict[type, tuple[type, ...]] = {
    cst.FunctionDef: (ast.FunctionDef, ast.AsyncFunctionDef),
    cst.ClassDef: (ast.ClassDef,),
    cst.If: (ast.If,),
    cst.For: (ast.For, ast.AsyncFor),
    cst.While: (ast.While,),
    cst.With: (ast.With, ast.AsyncWith),
    cst.Try: (ast.Try,),
    cst.Match: (ast.Match,),
}
if hasattr(cst, "TryStar") and hasattr(ast, "TryStar"):
    _COMPOUND_AST[cst.TryStar] = (ast.TryStar,)
_AST_COMPOUNDS = tuple(kind for kinds in _COMPOUND_AST.values() for kind in kinds)
_LINE_BREAK = re.compile(r"\r\n?|\n")
# Expressions whose tokens are all generated inside their parentheses (libcst's
# ``_parenthesize``): without parentheses, a node's range spans exactly its code.
_SPANNING = frozenset({
    cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.BinaryOperation, cst.BooleanOperation,
    cst.Comparison, cst.UnaryOperation, cst.Integer, cst.Float, cst.SimpleString, cst.List, cst.Set, cst.Dict,
    cst.ListComp, cst.SetComp, cst.DictComp, cst.Await,
})
# Small statements whose range is all their code but a semicolon (generated after it).
_SMALL = frozenset({cst.Expr, cst.Assign, cst.AugAssign, cst.AnnAssign, cst.Return})
_SMALL_AST: dict[type, type] = {
    cst.Expr: ast.Expr, cst.Assign: ast.Assign, cst.AugAssign: ast.AugAssign, cst.AnnAssign: ast.AnnAssign,
    cst.Return: ast.Return,
}


class StatementCode:
    """A fix's new statement line given as its code instead of nodes (``spliced_spans`` writes it
    where libcst would write the ``SimpleStatementLine``): ``leading_lines`` (libcst's
    ``EmptyLine`` nodes, reused from the old statements), ``text`` (the line after its
    indentation, up to its trailing whitespace) and ``trailing`` (a ``TrailingWhitespace`` node
    reused, or None for a bare newline). Its code is what libcst generates for
    ``SimpleStatementLine(body=..., leading_lines=leading_lines, trailing_whitespace=trailing)``
    when ``text`` is the body's code."""

    __slots__ = ("leading_lines", "text", "trailing")

    def __init__(self, leading_lines: Sequence[cst.EmptyLine], text: str, trailing: Optional[cst.TrailingWhitespace] = None) -> None:
        self.leading_lines = leading_lines
        self.text = text
        self.trailing = trailing

    def code(self, indents: Sequence[str], newline: str) -> str:
        """Its code inside blocks of ``indents`` (libcst's ``EmptyLine``, indentation, body,
        ``TrailingWhitespace``, a ``Newline`` without a value being the module's ``newline``)."""
        indentation = "".join(indents)
        parts = []
        for line in self.leading_lines:
            if line.indent:
                parts.append(indentation)
            parts.append(line.whitespace.value)
            if line.comment is not None:
                parts.append(line.comment.value)
            parts.append(newline if line.newline.value is None else line.newline.value)
        parts.append(indentation)
        parts.append(self.text)
        trailing = self.trailing
        if trailing is None:
            parts.append(newline)
        else:
            parts.append(trailing.whitespace.value)
            if trailing.comment is not None:
                parts.append(trailing.comment.value)
            parts.append(newline if trailing.newline.value is None else trailing.newline.value)
        return "".join(parts)


class ExpressionCode:
    """A fix's new one-line expression given as its code instead of nodes (``fixes``'s one-line
    edits): ``make(before)``, the old expression's code ``before`` given, returns the code libcst
    would generate for the rule's new node, or None (the fix is then built from nodes)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[str], Optional[str]]) -> None:
        self.make = make


class PiecePositions(Mapping):
    """The ranges of nodes of one parsed piece, each found by generating the code of the one
    statement that holds it rather than of everything before it.

    A statement's code starts a line: its leading blank and comment lines, then its
    indentation. The line its first token is on comes from the file's ``ast`` (the same
    statement there, found by position in the bodies both trees share), the indentation
    from the blocks around it. Generating that statement from that line, with that
    indentation, gives every node in it libcst's own range. The generated text must
    equal the piece's text at that line; if it does not, or the statement cannot be
    matched with the ``ast`` (pieces made with lines of their own), every node's range
    comes from the whole piece's code generation, as ``positions_of``.

    ``owners`` is ``cst_walk.visit_batched``'s (the innermost statement around each node);
    ``top`` the statements the piece owns, as (libcst's, the ``ast``'s), and the lent
    statement they are the body of, if any; ``piece_line`` maps a file line to the piece's.
    """

    def __init__(
        self,
        module: cst.Module,
        text: str,
        owners: Mapping[int, cst.CSTNode],
        top: Optional[tuple[Sequence[cst.CSTNode], Sequence[ast.stmt], Optional[cst.CSTNode]]],
        piece_line: Callable[[int], Optional[int]],
    ) -> None:
        self._module = module
        self._text = text
        self._owners = owners
        self._top = top
        self._piece_line = piece_line
        self._computed: dict[int, tuple[int, int, int, int, cst.CSTNode]] = {}
        self._codes: dict[int, str] = {}  # id(node) -> the code generated for it in place
        self._line_starts: Optional[list[int]] = None
        self._whole = False  # every node's range is known (the fallback ran)
        self._failed = False  # a statement's code was not at the line the ``ast`` gave (for tests)
        self._siblings: Sequence[ast.stmt] = ()  # the ``ast`` body of the statement ``_locate`` found last
        self._cst_siblings: Sequence[cst.CSTNode] = ()  # libcst's body holding it
        self._starts: dict[int, Optional[tuple[int, list[str], Sequence[cst.CSTNode]]]] = {}  # ``_checked_start``'s
        self._located: dict[int, tuple] = {}  # ``_locate``'s, with the bodies it found

    def prepare(self, nodes: Iterable[cst.CSTNode]) -> None:
        """Find the ranges of ``nodes``: one code generation per statement that holds some."""
        by_statement: dict[int, tuple[cst.CSTNode, list[cst.CSTNode]]] = {}
        for node in nodes:
            if self._whole or id(node) in self._computed:
                continue
            statement = node if type(node) in STATEMENT_TYPES else self._owners.get(id(node))
            if statement is None or statement is self._module:
                self._everything()
                return
            by_statement.setdefault(id(statement), (statement, []))[1].append(node)
        for statement, wanted in by_statement.values():
            if not self._generate(statement, wanted):
                self._everything()
                return

    def code_of(self, node: cst.CSTNode) -> Optional[str]:
        """The code generated for a prepared ``node`` where it stands: ``module.code_for_node``'s
        text but for the indentation of the blocks around it (whitespace only). None if unknown."""
        return self._codes.get(id(node))

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        found = self._computed.get(id(node))
        if found is None:
            self.prepare((node,))
            found = self._computed[id(node)]  # KeyError: not a node of this piece
        line, column, end_line, end_column, _ = found
        return CodeRange(CodePosition(line, column), CodePosition(end_line, end_column))

    def __contains__(self, node: object) -> bool:
        if id(node) not in self._computed and not self._whole:
            self._everything()
        return id(node) in self._computed

    def __iter__(self) -> Iterator[cst.CSTNode]:
        self._everything()
        return (entry[4] for entry in self._computed.values())

    def __len__(self) -> int:
        self._everything()
        return len(self._computed)

    def _everything(self) -> None:
        if not self._whole:
            self._computed = positions_of(self._module)._computed  # noqa: SLF001 - this module's
            self._whole = True

    def _generate(self, statement: cst.CSTNode, wanted: list[cst.CSTNode]) -> bool:
        if type(statement) is cst.SimpleStatementLine and self._on_its_line(statement, wanted):
            return True
        start = self._start(statement)
        if start is None:
            return False
        line, indents, is_elif = start
        state = _StatementState(self._module.default_indent, self._module.default_newline, wanted)
        state.line = line
        state.indent_tokens = list(indents)  # (``_locate`` keeps its list)
        try:
            if is_elif:
                statement._codegen(state, is_elif=True)  # noqa: SLF001
            else:
                statement._codegen(state)  # noqa: SLF001
        except _Done:
            pass
        offset = self._offset(line)
        tokens = state.tokens
        if offset is None or not self._text.startswith("".join(tokens), offset):
            self._failed = True
            return False  # not where the ``ast`` says: the whole piece's ranges instead
        computed, spans = state.computed, state.spans
        for node in wanted:
            key = id(node)
            if key not in computed:
                return False  # not in this statement after all
            self._computed[key] = computed[key]
            if type(node) is not cst.If:  # an ``elif``'s code differs from ``code_for_node``'s
                start, end = spans[key]
                self._codes[key] = "".join(tokens[start:end])
        return True

    def _on_its_line(self, statement: cst.SimpleStatementLine, wanted: list[cst.CSTNode]) -> bool:
        """The ranges of ``wanted`` expressions of a statement line that the ``ast`` says is
        one line of the piece's text, each from its own code (``code_for_node``, fewer nodes than
        the statement's and no range kept per node): where that code is found in the line, when
        it is found there once. The statement's code is that line (from its first token on);
        each node's code is in it, at the node's place, so a code found once is found there. An
        expression without parentheses spans its code (libcst's range of one in parentheses is
        inside them, and so is not taken here); so does a small statement without a semicolon
        (the line's last). False if any node is not found so."""
        for node in wanted:
            kind = type(node)
            if kind in _SPANNING:
                if node.lpar:  # type: ignore[attr-defined]
                    return False
            # a small statement's range leaves out its semicolon: the line's last, without one
            elif kind not in _SMALL or node is not statement.body[-1] or not isinstance(node.semicolon, cst.MaybeSentinel):  # type: ignore[attr-defined]
                return False
        located = self._locate(statement)
        if located is None:
            return False
        first_ast = located[0]
        last = self._last_ast(statement, first_ast)
        if last is None or last.end_lineno != first_ast.lineno:
            return False
        line = self._piece_line(first_ast.lineno)
        start = self._offset(line) if line is not None else None
        end = self._offset(line + 1) if line is not None else None
        if start is None:
            return False
        text = self._text[start:end] if end is not None else self._text[start:]
        found = []
        ascii_line = text.isascii()  # the ``ast``'s columns count UTF-8 bytes: characters then
        for node in wanted:
            tree = self._ast_of(statement, node, first_ast) if ascii_line else None
            if tree is not None and tree.lineno == tree.end_lineno == first_ast.lineno:
                code = text[tree.col_offset : tree.end_col_offset]  # type: ignore[attr-defined]
                if code.strip():
                    found.append((node, code, tree.col_offset))  # type: ignore[attr-defined]
                    continue
            code = code_for_node(self._module, node)
            column = text.find(code)
            if not code or column < 0 or "\n" in code or "\r" in code or text.find(code, column + 1) >= 0:
                return False
            found.append((node, code, column))
        for node, code, column in found:
            self._computed[id(node)] = (line, column, line, column + len(code), node)
            self._codes[id(node)] = code
        return True

    def spliced_spans(self, replacements: Mapping) -> Optional[list[tuple[int, int, str]]]:
        """The spans of the piece's text that replacing whole statements of its bodies
        (``replacements``: a
        statement -> a statement, or ``RemovalSentinel.REMOVE``) rewrites, sorted, as
        ``(start offset, end offset, new code)``: generating the rewritten piece gives the
        text with each span replaced, from the code of the new statements alone: each old statement's code is
        the text from the line its code starts on (``_start``) to the line its next sibling's
        starts on, and a new one's is generated there, inside the same blocks. Where each of
        those statements starts is checked against the text (its leading lines blank or
        comments, then the blocks' indentation and its first token). None when this cannot
        say: a replacement that is not such a statement, the last of its body or an ``elif``,
        a body left empty, or a check that fails."""
        spans: list[tuple[int, int, str]] = []
        removed: dict[int, int] = {}
        for old, new in replacements.items():
            if type(old) not in STATEMENT_TYPES:
                return None
            if new is not cst.RemovalSentinel.REMOVE and type(new) not in STATEMENT_TYPES and type(new) is not StatementCode:
                return None
            start = self._checked_start(old)
            if start is None:
                return None
            begin, indents, siblings = start
            place = next((i for i, item in enumerate(siblings) if item is old), None)
            if place is None or place + 1 >= len(siblings):
                return None  # the last of its body: where its code ends is not the next one's start
            following = self._checked_start(siblings[place + 1])
            if following is None:
                return None
            end = following[0]
            if new is cst.RemovalSentinel.REMOVE:
                removed[id(siblings)] = removed.get(id(siblings), 0) + 1
                if removed[id(siblings)] >= len(siblings):
                    return None  # an emptied body: libcst writes ``pass`` there
                code = ""
            elif type(new) is StatementCode:
                code = new.code(indents, self._module.default_newline)
            else:
                state = _CodeState(default_indent=self._module.default_indent, default_newline=self._module.default_newline)
                state.indent_tokens = list(indents)
                new._codegen(state)  # noqa: SLF001 - as libcst generates it inside those blocks
                code = "".join(state.tokens)
            spans.append((begin, end, code))
        spans.sort()
        if any(a[1] > b[0] for a, b in zip(spans, spans[1:])):
            return None
        return spans

    def _checked_start(self, statement: cst.CSTNode) -> Optional[tuple[int, list[str], Sequence[cst.CSTNode]]]:
        """Where ``statement``'s code starts in the piece's text (an offset), the indentation
        tokens of the blocks around it and the body holding it, checked against the text: its
        leading lines are blank or comment lines, and its first token line is the blocks'
        indentation, then its first token. None if not known or not so. Kept per statement."""
        key = id(statement)
        if key not in self._starts:
            self._starts[key] = self._check_start(statement)
        return self._starts[key]

    def _check_start(self, statement: cst.CSTNode) -> Optional[tuple[int, list[str], Sequence[cst.CSTNode]]]:
        start = self._start(statement)
        if start is None or start[2]:
            return None
        line, indents, _ = start
        leading = list(statement.leading_lines)
        decorators = getattr(statement, "decorators", ())
        if decorators:
            leading += decorators[0].leading_lines
        begin = self._offset(line)
        first = self._offset(line + len(leading))
        if begin is None or first is None:
            return None
        text = self._text
        for number in range(line, line + len(leading)):
            content = text[self._offset(number) : self._offset(number + 1) or len(text)].strip()
            if content and not content.startswith("#"):
                return None
        indentation = "".join(indents)
        if not text.startswith(indentation, first):
            return None
        siblings = self._cst_siblings  # set by the ``_locate`` of ``_start``
        head = _first_token(self._module, statement)
        if head is None or not text.startswith(head, first + len(indentation)):
            return None
        return begin, indents, siblings

    def _ast_of(self, statement: cst.SimpleStatementLine, node: cst.CSTNode, first: ast.stmt) -> Optional[ast.AST]:
        """The ``ast`` node that ``node`` stands for, when it is one of the line's small statements
        or such a statement's value (``x = <value>``, ``return <value>``): the ``ast`` gives
        their ranges, as libcst's (a statement's without its semicolon, an expression's inside
        its parentheses). None otherwise."""
        for place, small in enumerate(statement.body):
            if small is node or getattr(small, "value", None) is node:
                break
        else:
            return None
        siblings = self._siblings  # set by the ``_locate`` that found ``first``
        index = next((i for i, item in enumerate(siblings) if item is first), None)
        if index is None or index + place >= len(siblings):
            return None
        counterpart = siblings[index + place]
        if type(counterpart) is not _SMALL_AST.get(type(small)):
            return None
        return counterpart if small is node else getattr(counterpart, "value", None)

    def _last_ast(self, statement: cst.SimpleStatementLine, first: ast.stmt) -> Optional[ast.stmt]:
        """The ``ast`` statement of the line's last small statement (``first`` is its first's)."""
        count = len(statement.body)
        if count == 1:
            return first
        statements = self._siblings  # set by the ``_locate`` that found ``first``
        for index, item in enumerate(statements):
            if item is first:
                return statements[index + count - 1] if index + count - 1 < len(statements) else None
        return None

    def statement_ast(self, statement: cst.CSTNode) -> Optional[ast.stmt]:
        """The ``ast`` statement ``statement`` (a statement of the piece) stands for; None if not
        known (or an ``elif``)."""
        located = self._locate(statement)
        return located[0] if located is not None and not located[2] else None

    def expression_text(self, node: ast.expr) -> Optional[str]:
        """The piece's text of an ``ast`` expression of the piece that stands on one line; None if
        it spans lines or its line is not the piece's. An expression without parentheses of its
        own spans the same text in the ``ast`` and in libcst, whose code is that text."""
        line_number = node.lineno
        if node.end_lineno != line_number or node.end_col_offset is None:
            return None
        line = self._piece_line(line_number)
        start = self._offset(line) if line is not None else None
        if start is None:
            return None
        end = self._offset(line + 1)  # type: ignore[operator]
        text = self._text[start:end] if end is not None else self._text[start:]
        if text.isascii():
            found = text[node.col_offset : node.end_col_offset]
        else:  # the ``ast``'s columns count UTF-8 bytes
            found = text.encode("utf-8")[node.col_offset : node.end_col_offset].decode("utf-8", errors="replace")
        return found if found and "\n" not in found and "\r" not in found else None

    def line_of(self, offset: int) -> int:
        """The 1-based line of the piece's text holding ``offset`` (``_offset``'s inverse at a line start)."""
        if self._line_starts is None:
            self._offset(1)
        return bisect.bisect_right(self._line_starts, offset)  # type: ignore[arg-type]

    def _offset(self, line: int) -> Optional[int]:
        """Where 1-based ``line`` of the piece's text starts (lines end as libcst ends them)."""
        starts = self._line_starts
        if starts is None:
            starts = self._line_starts = [0, *(match.end() for match in _LINE_BREAK.finditer(self._text))]
        return starts[line - 1] if 0 < line <= len(starts) else None

    def name_line(self, function: cst.FunctionDef) -> int:
        """The piece line of the function's name (``self[function.name].start.line``): the line
        of its ``def`` (or ``async``) in the ``ast``, when nothing can break the line before
        the name and the piece's text has the keyword there; its range's otherwise."""
        key = id(function.name)
        if key not in self._computed and not self._whole:
            located = self._locate(function)
            asynchronous = function.asynchronous
            if (
                located is not None
                and "\\" not in function.whitespace_after_def.value
                and (asynchronous is None or "\\" not in asynchronous.whitespace_after.value)
            ):
                line = self._piece_line(located[0].lineno)
                offset = self._offset(line) if line is not None else None
                if offset is not None:
                    keyword = "def" if asynchronous is None else "async"
                    rest = self._text[offset : offset + 200].lstrip(" \t\f")
                    if rest.startswith(keyword) and rest[len(keyword) : len(keyword) + 1] in (" ", "\t", "\f", "\\"):
                        return line
        return self[function.name].start.line

    def _start(self, statement: cst.CSTNode) -> Optional[tuple[int, list[str], bool]]:
        """The piece line ``statement``'s code starts on, the indentation tokens of the blocks
        around it, and whether it is an ``elif``; None if its ``ast`` statement is not known."""
        located = self._locate(statement)
        if located is None:
            return None
        ast_node, indents, is_elif = located
        first = _first_token_line(statement, ast_node)
        line = self._piece_line(first) if first is not None else None
        if line is None:
            return None
        line -= len(statement.leading_lines)
        decorators = getattr(statement, "decorators", ())
        if decorators:
            line -= len(decorators[0].leading_lines)
        return (line, indents, is_elif) if line >= 1 else None

    def _locate(self, statement: cst.CSTNode) -> Optional[tuple[ast.stmt, list[str], bool]]:
        """The ``ast`` statement ``statement`` stands for, the indentation tokens of the blocks
        around it, and whether it is an ``elif``; None if not known. Kept per statement (with
        the bodies holding it, which ``_siblings`` and ``_cst_siblings`` are set to)."""
        key = id(statement)
        kept = self._located.get(key)
        if kept is None:
            found = self._find(statement)
            kept = self._located[key] = (found, self._siblings, self._cst_siblings) if found is not None else (None, (), ())
        found, siblings, cst_siblings = kept
        if found is not None:
            self._siblings, self._cst_siblings = siblings, cst_siblings
        return found

    def _find(self, statement: cst.CSTNode) -> Optional[tuple[ast.stmt, list[str], bool]]:
        """``_locate``'s search: down the chain of statements around ``statement``, from the
        innermost one already located (or from the piece's top), each step keeping its answer
        for the statement it reaches (what ``_find`` of that statement gives)."""
        if self._top is None:
            return None
        chain = [statement]
        owners, located, module = self._owners, self._located, self._module
        previous: Optional[cst.CSTNode] = None  # the located statement around the chain
        ast_node: Optional[ast.stmt] = None
        while True:
            owner = owners.get(id(chain[-1]))
            if owner is None:
                return None
            if owner is module:
                break
            kept = located.get(id(owner))
            if kept is not None and kept[0] is not None:
                previous, (ast_node, outer, _) = owner, kept[0]
                break
            chain.append(owner)
        chain.reverse()
        default = module.default_indent
        statements, ast_statements, lent = self._top
        if previous is not None:
            indents: list[str] = list(outer)
        else:
            indents = []
            if lent is not None:
                if chain[0] is not lent or len(chain) < 2 or not isinstance(lent.body, cst.IndentedBlock):
                    return None
                indents.append(default if lent.body.indent is None else lent.body.indent)
                chain = chain[1:]
        is_elif = False
        for current in chain:
            if previous is not None:
                found = _body_holding(previous, ast_node, current, default)
                if found is None:
                    return None
                statements, ast_statements, indent = found
                is_elif = indent is None
                if indent is not None:
                    indents.append(indent)
            ast_node = _counterpart(current, statements, ast_statements)
            if ast_node is None:
                return None
            if current is not statement and id(current) not in located:
                located[id(current)] = ((ast_node, list(indents), is_elif), ast_statements, statements)
            previous = current
        if ast_node is None:
            return None
        self._siblings = ast_statements  # the ``ast`` body holding it (``_last_ast``)
        self._cst_siblings = statements  # and libcst's (``spliced``)
        if not is_elif and len(statements) > 1:
            self._locate_siblings(statement, statements, ast_statements, indents)
        return ast_node, indents, is_elif

    def _locate_siblings(
        self, statement: cst.CSTNode, statements: Sequence[cst.CSTNode], ast_statements: Sequence[ast.stmt], indents: list[str]
    ) -> None:
        """Keep ``_locate``'s answer for the other statements of the body that holds ``statement``
        (a fix asks for its neighbours' starts): the same chain of bodies leads to each, so each
        is found as ``_find`` would find it, by its place in the same two bodies, in one pass."""
        owners, located = self._owners, self._located
        owner = owners.get(id(statement))
        index = 0
        count = len(ast_statements)
        for item in statements:
            key = id(item)
            if item is not statement and key not in located and owners.get(key) is owner and index < count:
                found = ast_statements[index]
                kinds = _COMPOUND_AST.get(type(item))
                if kinds is None:
                    ok = not isinstance(found, _AST_COMPOUNDS) and isinstance(found, ast.stmt)
                else:
                    ok = isinstance(found, kinds)
                if ok:
                    located[key] = ((found, indents, False), ast_statements, statements)
            index += len(item.body) if type(item) is cst.SimpleStatementLine else 1


def _counterpart(statement: cst.CSTNode, statements: Sequence[cst.CSTNode], ast_statements: Sequence[ast.stmt]) -> Optional[ast.stmt]:
    """The ``ast`` statement that ``statement`` (one of ``statements``) stands for: a line of
    simple statements stands for as many, its first one answering for the line."""
    index = 0
    for item in statements:
        if item is statement:
            if index >= len(ast_statements):
                return None
            found = ast_statements[index]
            kinds = _COMPOUND_AST.get(type(item))
            if kinds is None:
                return None if isinstance(found, _AST_COMPOUNDS) or not isinstance(found, ast.stmt) else found
            return found if isinstance(found, kinds) else None
        index += len(item.body) if type(item) is cst.SimpleStatementLine else 1
    return None


def _body_holding(
    parent: cst.CSTNode, ast_parent: Optional[ast.stmt], child: cst.CSTNode, default: str
) -> Optional[tuple[Sequence[cst.CSTNode], Sequence[ast.stmt], Optional[str]]]:
    """The body of ``parent`` that holds the statement ``child``: (libcst's statements, the
    ``ast``'s, the indentation the block adds, or None for an ``elif``, which adds none)."""
    if ast_parent is None:
        return None
    body = getattr(parent, "body", None)
    if type(body) is cst.IndentedBlock and not getattr(parent, "handlers", ()) and not getattr(parent, "cases", ()):
        # The common case first: ``child`` in the main body (a ``try`` and a ``match`` are
        # left to the checks below, which compare their handlers and cases first).
        for item in body.body:
            if item is child:
                return body.body, getattr(ast_parent, "body", ()), default if body.indent is None else body.indent
    suites: list[tuple[object, Sequence[ast.stmt]]] = [(body, getattr(ast_parent, "body", ()))]
    orelse = getattr(parent, "orelse", None)
    if isinstance(orelse, cst.If):
        if orelse is child:
            return [orelse], getattr(ast_parent, "orelse", ()), None
    elif orelse is not None:
        suites.append((orelse.body, getattr(ast_parent, "orelse", ())))
    handlers = getattr(parent, "handlers", ())
    if handlers:
        ast_handlers = getattr(ast_parent, "handlers", ())
        if len(ast_handlers) != len(handlers):
            return None
        suites.extend((handler.body, ast_handler.body) for handler, ast_handler in zip(handlers, ast_handlers))
    finalbody = getattr(parent, "finalbody", None)
    if finalbody is not None:
        suites.append((finalbody.body, getattr(ast_parent, "finalbody", ())))
    cases = getattr(parent, "cases", ())
    if cases:
        ast_cases = getattr(ast_parent, "cases", ())
        if len(ast_cases) != len(cases):
            return None
        suites.extend((case.body, ast_case.body) for case, ast_case in zip(cases, ast_cases))
    for suite, ast_statements in suites:
        if isinstance(suite, cst.IndentedBlock) and any(item is child for item in suite.body):
            return suite.body, ast_statements, default if suite.indent is None else suite.indent
    return None


# The keyword a compound statement starts with (``async`` or ``@`` aside).
_KEYWORDS = {
    cst.FunctionDef: "def", cst.ClassDef: "class", cst.If: "if", cst.For: "for", cst.While: "while",
    cst.With: "with", cst.Try: "try", cst.Match: "match",
}
if hasattr(cst, "TryStar"):
    _KEYWORDS[cst.TryStar] = "try"


def _first_token(module: cst.Module, statement: cst.CSTNode) -> Optional[str]:
    """The text a statement's first line starts with after its indentation: a compound
    statement's keyword (or ``@``, ``async``), a line of small statements' first one's code
    (one line of it). None if not known."""
    if getattr(statement, "decorators", ()):
        return "@"
    if getattr(statement, "asynchronous", None) is not None:
        return "async"
    if type(statement) is cst.SimpleStatementLine:
        if not statement.body:
            return None
        first = statement.body[0]
        word = _SMALL_KEYWORDS.get(type(first))
        if word is not None:
            return word
        head = _leading_name(first)
        if head is not None:
            return head
        code = code_for_node(module, first)
        return code.splitlines()[0] if code else None
    return _KEYWORDS.get(type(statement))


# The keyword a small statement starts with.
_SMALL_KEYWORDS = {
    cst.Return: "return", cst.Pass: "pass", cst.Break: "break", cst.Continue: "continue", cst.Raise: "raise",
    cst.Del: "del", cst.Assert: "assert", cst.Global: "global", cst.Nonlocal: "nonlocal", cst.Import: "import",
    cst.ImportFrom: "from",
}


def _leading_name(small: cst.CSTNode) -> Optional[str]:
    """The name an expression statement or an assignment starts with (``result`` of
    ``result = []``, ``rows`` of ``rows.append(x)``), when nothing comes before it; None
    otherwise (the caller generates the statement's code then)."""
    kind = type(small)
    if kind is cst.Assign:
        node = small.targets[0].target  # type: ignore[attr-defined]
    elif kind is cst.Expr or kind is cst.AugAssign or kind is cst.AnnAssign:
        node = small.value if kind is cst.Expr else small.target  # type: ignore[attr-defined]
    else:
        return None
    while True:
        if getattr(node, "lpar", None):
            return None
        kind = type(node)
        if kind is cst.Name:
            return node.value  # type: ignore[attr-defined]
        if kind is cst.Attribute or kind is cst.Subscript:
            node = node.value  # type: ignore[attr-defined]
        elif kind is cst.Call:
            node = node.func  # type: ignore[attr-defined]
        else:
            return None


def _first_token_line(statement: cst.CSTNode, ast_node: ast.stmt) -> Optional[int]:
    """The file line of the statement's first token (its first decorator's ``@``)."""
    decorators = getattr(ast_node, "decorator_list", None)
    if decorators and getattr(statement, "decorators", ()):
        return decorators[0].lineno
    return ast_node.lineno
