"""Cut a module into the pieces the engine parses with libcst one at a time.

Each top-level ``def`` or ``class`` is a block, and so is each run of other
top-level statements. A class is also cut into members: each method (or
nested class) is linted inside a copy of the class header, so the rules still
see that it is a method, and the class's other statements share one more
piece. An edit inside a method then re-lints that method alone, and a rule
that can only match inside loops parses only the methods that have them.

Functions defined under an ``if`` or a ``try`` (at module level, or in a class
body as ``subprocess.Popen`` does under ``if _mswindows:``) are pieces of their
own too, inside a lent ``if True:`` line or the class header; in the piece of
the statements around them each becomes a ``pass``. An edit in one such
function then re-lints that function, not a thousand-line ``if``.

A piece's text is made of segments of the file's lines; positions found in
the piece map back through them. The class header copied into a member piece
is *lent*: rules see it, but nothing found there is reported from that piece
(the piece that owns the header reports it).
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional



@dataclass(frozen=True)
class Block:
    """Source lines parsed on their own: a top-level block, or one member of a class with its header."""

    text: str
    # (first line in the file, number of lines) of each piece of ``text``, in order
    segments: tuple[tuple[int, int], ...]
    # leading lines of ``text`` copied from another block for context; nothing in them is reported
    lent: int = 0
    # the ``ast`` nodes this block owns (statements; a class header's expressions):
    # for its depth check and its shape
    nodes: tuple[ast.AST, ...] = field(default=(), compare=False, repr=False)
    # a class cut into pieces (header and other statements, then one per member); empty otherwise
    members: tuple["Block", ...] = field(default=(), compare=False, repr=False)

    @property
    def first_line(self) -> int:
        return self.segments[0][0]

    def file_line(self, line: int) -> int:
        """The file line of the block's 1-based ``line`` (past the end: counted on from the last segment)."""
        for start, count in self.segments:
            if line <= count:
                return start + line - 1
            line -= count
        start, count = self.segments[-1]
        return start + count + line - 1

    def piece_line(self, line: int) -> Optional[int]:
        """The block's line of file ``line``; None if the block does not hold it."""
        offset = 0
        for start, count in self.segments:
            if start and start <= line < start + count:
                return offset + line - start + 1
            offset += count
        return None

    def file_end(self, line: int, column: int) -> tuple[int, int]:
        """Map the end of a range: column 1 of a line means "after the line before it", which
        matters when that line is the last of a segment and the next one is elsewhere."""
        if column == 1 and line > 1:
            return self.file_line(line - 1) + 1, 1
        return self.file_line(line), column

    def same_segment(self, first: int, last: int) -> bool:
        """True if block lines ``first`` to ``last`` are contiguous in the file."""
        return self.file_line(last) - self.file_line(first) == last - first


def statement_start(node: ast.stmt) -> int:
    """The first line of a statement, decorators included."""
    return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])


def statement_end(node: ast.stmt) -> int:
    """The last line of a statement."""
    return node.end_lineno or node.lineno


MEMO_PREFIX = "_perflint_"  # answers kept on ``ast`` nodes across keystrokes
LITERAL_MEMO = MEMO_PREFIX + "literal"  # an ``is_literal_statement`` answer, kept on the node
_CONTAINERS = (ast.Dict, ast.List, ast.Tuple, ast.Set)


# The fields of a statement that hold statements, in source order.
BLOCK_FIELDS = ("body", "handlers", "orelse", "finalbody", "cases")
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def nested_statements(body: list[ast.stmt], into_scopes: bool = True) -> Iterator[ast.AST]:
    """Every statement under ``body``, in source order, with the ``except`` handlers and
    ``match`` cases that hold statements; expressions are not entered. ``into_scopes=False``:
    not into nested functions and classes (they are yielded, their bodies are not)."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if not into_scopes and isinstance(node, _SCOPES):
            continue
        for field in reversed(BLOCK_FIELDS):
            children = getattr(node, field, None)
            if children:
                stack.extend(reversed(children))


def is_literal_statement(node: ast.stmt) -> bool:
    """Whether ``node`` only binds names to data, or states it: ``NAME = <display>``,
    ``NAME: T = <display>`` or a bare display, of constants, signed numbers and displays
    only (a generated data module, a table of constants). No rule reports on such a
    statement (bounded data; ``tests/test_engine.py`` runs every rule on some); an edit
    inside one must not cost a lint of its thousands of lines. The answer is kept on the node."""
    known = node.__dict__.get(LITERAL_MEMO)
    if known is None:
        known = _is_literal(node)
        setattr(node, LITERAL_MEMO, known)
    return known


def _is_literal(node: ast.stmt) -> bool:
    if isinstance(node, ast.Assign):
        if not all(isinstance(target, ast.Name) for target in node.targets):
            return False
    elif isinstance(node, ast.AnnAssign):
        if not isinstance(node.target, ast.Name) or not isinstance(node.annotation, (ast.Name, ast.Constant)):
            return False
    elif not isinstance(node, ast.Expr):
        return False
    return node.value is not None and is_literal_value(node.value)


def is_literal_value(value: ast.expr) -> bool:
    """Constants, signed numbers and displays of them, to any depth."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant):
            continue
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            stack.extend(node.elts)
        elif isinstance(node, ast.Dict):
            if None in node.keys:
                return False  # ``**mapping``
            stack.extend(node.keys)
            stack.extend(node.values)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            if not isinstance(node.operand, ast.Constant):
                return False
        else:
            return False
    return True


def memo_units(body: list[ast.stmt], cls: str = "") -> Iterator[tuple[ast.stmt, str]]:
    """(statement, the class it is a member of, or "") in source order, for answers kept on
    ``ast`` nodes across keystrokes: a class's members rather than the class, whose node
    the splice copies (``perflint.reparse``) and whose memo would then be stale."""
    for statement in body:
        if isinstance(statement, ast.ClassDef):
            yield from memo_units(statement.body, statement.name)
        else:
            yield statement, cls


def release_memos(tree: ast.Module) -> None:
    """Drop the answers kept on the statements of ``tree`` for the next keystroke. Some hold
    the statement's own nodes (what a function binds and calls), a cycle that only the
    cyclic collector can free, and on the command line each file's objects are kept out of
    its reach while linting (``perflint.engine.batch_heap``): without this, every file's
    ``ast`` would wait for a rare full collection (a ``--jobs 1`` run over the standard
    library peaked at 1.4 GB)."""
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        for key in [key for key in node.__dict__ if key.startswith(MEMO_PREFIX)]:
            del node.__dict__[key]
        if isinstance(node, ast.ClassDef):
            stack.extend(node.body)  # members, and the members of classes nested in classes


def touched_statements(body: list[ast.stmt], first: int, last: int) -> list[int]:
    """The indices of the statements of ``body`` that lines ``first`` to ``last`` overlap."""
    return [index for index, node in enumerate(body) if statement_start(node) <= last and statement_end(node) >= first]


def among_members(cls: ast.ClassDef, first: int, last: int) -> bool:
    """Whether lines ``first`` to ``last`` lie among the class's members, below its header."""
    return bool(cls.body) and statement_start(cls.body[0]) <= first and statement_end(cls) >= last


def split_blocks(tree: ast.Module, lines: list[str], memo: Optional[dict] = None) -> list[Block]:
    """Each top-level def/class is a block; each run of other statements is one block.

    With a ``memo`` (the language server keeps one per document), a def or class
    whose ``ast`` node is the very one of the last call keeps its block: the
    incremental parse reuses the nodes of statements whose lines did not change.
    The memo is left holding this call's blocks only.
    """
    blocks: list[Block] = []
    kept: dict = {}
    for first, last, nodes in _runs(tree.body):
        node = nodes[0]
        known = memo.get(id(node)) if memo is not None and len(nodes) == 1 else None
        if known is not None and known[0] is node:
            block = known[1]
        elif not _is_alone(nodes) and (holes := _branch_functions(nodes, lines)):
            # ``if sys.platform == "win32": def ...``: each function is a piece of its own
            # (inside a lent ``if True:``), the statements around them one more.
            blocks.append(_hollowed(_Parts(lines).add(first, last, holes), nodes, holes))
            blocks.extend(_Parts(lines).synthetic(_LENT_IF).add(*_span(function)).block((function,), lent=1) for function in holes)
            continue
        else:
            block = _block([(first, last)], nodes, lines)
            if len(nodes) == 1 and isinstance(node, ast.ClassDef):
                block = _with_members(block, node, lines, memo, kept)
        if len(nodes) == 1:
            kept[id(node)] = (node, block)
        blocks.append(block)
    if memo is not None:
        memo.clear()
        memo.update(kept)
    return blocks


def _runs(body: list[ast.stmt]) -> list[tuple[int, int, list[ast.stmt]]]:
    """(first line, last line, statements): each def/class alone, other statements grouped."""
    runs: list[tuple[int, int, list[ast.stmt]]] = []
    grouped = False  # whether the last run is a group of other statements (it can take more)
    for node in body:
        first, last = statement_start(node), statement_end(node)
        alone = isinstance(node, ALONE)
        if not alone and grouped:
            previous_first, previous_last, nodes = runs[-1]
            nodes.append(node)  # in place: rebuilding the list per statement is quadratic
            if last > previous_last:
                runs[-1] = (previous_first, last, nodes)
        else:
            runs.append((first, last, [node]))
            grouped = not alone
    return runs


ALONE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _is_alone(nodes: list[ast.stmt]) -> bool:
    return len(nodes) == 1 and isinstance(nodes[0], ALONE)


def _block(segments: list[tuple[int, int]], nodes: Iterable[ast.AST], lines: list[str], lent: int = 0) -> Block:
    text = "".join("".join(lines[first - 1 : last]) for first, last in segments)
    return Block(text, tuple((first, last - first + 1) for first, last in segments), lent, tuple(nodes))


def _with_members(
    whole: Block, cls: ast.ClassDef, lines: list[str], memo: Optional[dict] = None, kept: Optional[dict] = None
) -> Block:
    """``whole`` with its members attached, when the class body starts on a line of its own.

    With ``memo``/``kept`` (``split_blocks``'): a member whose node is the last call's, under
    the same header text, keeps its block (an edit in one method of a big class re-cuts the
    class, whose node the splice copies, but not its other members)."""
    if not all(_starts_line(node, lines) for node in cls.body):
        return whole  # ``class A: x = 1``, or a member after a ``;``: keep the class whole
    header = (whole.first_line, statement_start(cls.body[0]) - 1)
    header_text = "".join(lines[header[0] - 1 : header[1]])
    members: list[Block] = []
    shell = _Parts(lines).add(*header)
    other_nodes: list[ast.stmt] = []
    for first, last, nodes in _runs(cls.body):
        if _is_alone(nodes):
            key = ("member", id(nodes[0]))
            known = memo.get(key) if memo is not None else None
            if known is not None and known[0] is nodes[0] and known[1] == header_text:
                block = known[2]
            else:
                block = _block([header, (first, last)], nodes, lines, lent=header[1] - header[0] + 1)
            if kept is not None:
                kept[key] = (nodes[0], header_text, block)
            members.append(block)
            continue
        # Methods defined under an ``if``/``try`` of the class body are members too.
        holes = _branch_functions(nodes, lines)
        shell.add(first, last, holes)
        other_nodes.extend(_without(node, holes) for node in nodes)
        for function in holes:
            members.append(_Parts(lines).add(*header).add(*_span(function)).block((function,), lent=header[1] - header[0] + 1))
    # The header's expressions belong to the piece that owns the header.
    header_nodes = [*cls.decorator_list, *cls.bases, *cls.keywords]
    if not other_nodes:
        # The header alone does not parse; a ``pass`` at the members' indentation completes it.
        shell.synthetic(_indent(lines[statement_start(cls.body[0]) - 1]) + "pass\n")
    return Block(whole.text, whole.segments, 0, whole.nodes, (shell.block((*header_nodes, *other_nodes)), *members))


class _Parts:
    """A piece's text put together from ranges of the file's lines and, where a function was
    cut out or a header must be completed, lines of its own (segment ``(0, 1)``: never reported)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.texts: list[str] = []
        self.segments: list[tuple[int, int]] = []

    def add(self, first: int, last: int, holes: Iterable[ast.stmt] = ()) -> "_Parts":
        """File lines ``first`` to ``last``; each function in ``holes`` becomes a ``pass``."""
        position = first
        for hole in holes:
            start, end = _span(hole)
            self._lines(position, start - 1)
            self.synthetic(_indent(self.lines[start - 1]) + "pass\n")
            position = end + 1
        self._lines(position, last)
        return self

    def synthetic(self, text: str) -> "_Parts":
        self.texts.append(text)
        self.segments.append((0, 1))
        return self

    def _lines(self, first: int, last: int) -> None:
        if first <= last:
            self.texts.append("".join(self.lines[first - 1 : last]))
            self.segments.append((first, last - first + 1))

    def block(self, nodes: Iterable[ast.AST], lent: int = 0) -> Block:
        return Block("".join(self.texts), tuple(self.segments), lent, tuple(nodes))


_LENT_IF = "if True:\n"  # lent to a function cut out of a module-level ``if``/``try``
# Compound statements whose functions are cut into pieces of their own.
_COMPOUNDS = tuple(getattr(ast, name) for name in ("If", "Try", "TryStar") if hasattr(ast, name))


def _branch_functions(nodes: list[ast.stmt], lines: list[str]) -> list[ast.stmt]:
    """The functions directly in the branches of the ``if``/``try`` statements among
    ``nodes`` (and of the ``if``/``try`` nested in those branches), in source order, when
    each starts a line of its own; none otherwise."""
    found: list[ast.stmt] = []
    stack = [node for node in reversed(nodes) if isinstance(node, _COMPOUNDS)]
    while stack:
        node = stack.pop()
        branches = [node.body, *(handler.body for handler in getattr(node, "handlers", ())), node.orelse,
                    getattr(node, "finalbody", [])]
        for statement in (statement for branch in branches for statement in branch):
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append(statement)
            elif isinstance(statement, _COMPOUNDS):
                found.extend(_branch_functions([statement], lines))
    if not all(_starts_line(function, lines) for function in found):
        return []
    return sorted(found, key=statement_start)


def _hollowed(parts: _Parts, nodes: list[ast.stmt], holes: list[ast.stmt]) -> Block:
    return parts.block(tuple(_without(node, holes) for node in nodes))


def _without(node: ast.stmt, holes: list[ast.stmt]) -> ast.stmt:
    """A shallow copy of a compound statement whose functions in ``holes`` are ``pass``
    statements, as the hollowed piece's text has them (its shape and depth are read from it)."""
    if not isinstance(node, _COMPOUNDS) or not holes:
        return node
    ids = {id(hole) for hole in holes}

    def replaced(body: list[ast.stmt]) -> list[ast.stmt]:
        return [
            ast.Pass(lineno=statement.lineno, col_offset=statement.col_offset,
                     end_lineno=statement.lineno, end_col_offset=statement.col_offset + 4)
            if id(statement) in ids else _without(statement, holes)
            for statement in body
        ]

    hollow = copy.copy(node)
    hollow.body, hollow.orelse = replaced(node.body), replaced(node.orelse)
    if hasattr(node, "handlers"):
        hollow.handlers = [copy.copy(handler) for handler in node.handlers]
        for handler in hollow.handlers:
            handler.body = replaced(handler.body)
        hollow.finalbody = replaced(node.finalbody)
    return hollow


def _span(node: ast.stmt) -> tuple[int, int]:
    return statement_start(node), statement_end(node)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _starts_line(node: ast.stmt, lines: list[str]) -> bool:
    """True if only whitespace precedes the statement (or its first decorator) on its first line."""
    decorators = getattr(node, "decorator_list", [])
    line, column = (decorators[0].lineno, decorators[0].col_offset - 1) if decorators else (node.lineno, node.col_offset)
    text = lines[line - 1]
    if column == 0 or text[:column].isspace():  # indentation is ASCII: as many bytes as characters
        return True
    return not text.encode("utf-8")[:column].strip()  # ``column`` counts bytes
