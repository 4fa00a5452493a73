"""Cut a module into the pieces the engine parses with libcst one at a time.

Each top-level ``def`` or ``class`` is a block, and so is each run of other
top-level statements. A class is also cut into members: each method (or
nested class) is linted inside a copy of the class header, so the rules still
see that it is a method, and the class's other statements share one more
piece. An edit inside a method then re-lints that method alone, and a rule
that can only match inside loops parses only the methods that have them.

A piece's text is made of segments of the file's lines; positions found in
the piece map back through them. The class header copied into a member piece
is *lent*: rules see it, but nothing found there is reported from that piece
(the piece that owns the header reports it).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterable, Optional



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


def split_blocks(tree: ast.Module, lines: list[str], memo: Optional[dict] = None) -> list[Block]:
    """Each top-level def/class is a block; each run of other statements is one block.

    With a ``memo`` (the language server keeps one per document), a def or class
    whose ``ast`` node is the very one of the last call keeps its block: the
    incremental parse reuses the nodes of statements whose lines did not change.
    The memo is left holding this call's blocks only.
    """
    blocks: list[Block] = []
    kept: dict[int, tuple[ast.stmt, Block]] = {}
    for first, last, nodes in _runs(tree.body):
        node = nodes[0]
        known = memo.get(id(node)) if memo is not None and len(nodes) == 1 else None
        if known is not None and known[0] is node:
            block = known[1]
        else:
            block = _block([(first, last)], nodes, lines)
            if len(nodes) == 1 and isinstance(node, ast.ClassDef):
                block = _with_members(block, node, lines)
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
    for node in body:
        first, last = statement_start(node), node.end_lineno or node.lineno
        alone = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if not alone and runs and not _is_alone(runs[-1][2]):
            previous_first, previous_last, nodes = runs[-1]
            runs[-1] = (previous_first, max(previous_last, last), nodes + [node])
        else:
            runs.append((first, last, [node]))
    return runs


def _is_alone(nodes: list[ast.stmt]) -> bool:
    return len(nodes) == 1 and isinstance(nodes[0], (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))


def _block(segments: list[tuple[int, int]], nodes: Iterable[ast.AST], lines: list[str], lent: int = 0) -> Block:
    text = "".join("".join(lines[first - 1 : last]) for first, last in segments)
    return Block(text, tuple((first, last - first + 1) for first, last in segments), lent, tuple(nodes))


def _with_members(whole: Block, cls: ast.ClassDef, lines: list[str]) -> Block:
    """``whole`` with its members attached, when the class body starts on a line of its own."""
    if not all(_starts_line(node, lines) for node in cls.body):
        return whole  # ``class A: x = 1``, or a member after a ``;``: keep the class whole
    header = (whole.first_line, statement_start(cls.body[0]) - 1)
    members: list[Block] = []
    other: list[tuple[int, int]] = []
    other_nodes: list[ast.stmt] = []
    for first, last, nodes in _runs(cls.body):
        if _is_alone(nodes):
            members.append(_block([header, (first, last)], nodes, lines, lent=header[1] - header[0] + 1))
        else:
            other.append((first, last))
            other_nodes.extend(nodes)
    # The header's expressions belong to the piece that owns the header.
    header_nodes = [*cls.decorator_list, *cls.bases, *cls.keywords]
    if not other:
        # The header alone does not parse; a ``pass`` at the members' indentation completes it.
        indent = lines[statement_start(cls.body[0]) - 1]
        indent = indent[: len(indent) - len(indent.lstrip())]
        shell = _block([header], header_nodes, lines)
        shell = Block(shell.text + indent + "pass\n", shell.segments + ((0, 1),), 0, shell.nodes)
    else:
        shell = _block([header, *other], [*header_nodes, *other_nodes], lines)
    return Block(whole.text, whole.segments, 0, whole.nodes, (shell, *members))


def _starts_line(node: ast.stmt, lines: list[str]) -> bool:
    """True if only whitespace precedes the statement (or its first decorator) on its first line."""
    decorators = getattr(node, "decorator_list", [])
    line, column = (decorators[0].lineno, decorators[0].col_offset - 1) if decorators else (node.lineno, node.col_offset)
    text = lines[line - 1]
    if column == 0 or text[:column].isspace():  # indentation is ASCII: as many bytes as characters
        return True
    return not text.encode("utf-8")[:column].strip()  # ``column`` counts bytes


# Loops: a node inside one of these (the loop itself included) runs once per iteration.
_LOOP_KINDS = frozenset((ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))


@dataclass(frozen=True)
class Shape:
    """What a piece's code does, in the words rules use for ``needs``.

    ``"name()"`` is a call of a function or method spelled ``name`` (or
    imported under another name from something called ``name``); ``"in"`` a
    membership test; ``"=="`` an equality test; ``"+"`` an addition (also
    ``+=``), ``"x+="`` one onto a name and ``"x=x+"`` a name rebound to
    itself plus something; ``"await"``; ``"[]="`` an item assignment;
    ``"[...]"`` a list display or comprehension, ``"[]"`` an empty list
    (``[]`` or ``list()``); ``"loop"`` any loop, ``"for"`` a ``for`` loop or a
    comprehension, ``"nested-loop"`` a loop in a loop (or a comprehension with
    two ``for``), ``"items-pair"`` a loop over ``x.items()`` into two
    targets; ``"append-loop"`` a ``for`` loop whose body is one ``x.append(...)``
    (under at most one ``if``); ``"self-call2"`` an undecorated function whose name is called
    twice in the piece; ``"async:name()"`` a call made directly in an ``async def``. ``in_loop`` holds what occurs
    inside a loop, the loop included, without regard to function boundaries
    (a superset of what the rules count as "in a loop").
    """

    anywhere: frozenset[str]
    in_loop: frozenset[str]

    def has(self, need: "str | tuple[str, ...]", in_loop: bool) -> bool:
        """Whether the piece does ``need``: a feature (looked for in loops when ``in_loop``,
        anywhere when written ``"@feature"``), or a tuple of features that must all be there."""
        if isinstance(need, tuple):
            return all(self.has(part, in_loop) for part in need)
        if need.startswith("@"):
            return need[1:] in self.anywhere
        return need in (self.in_loop if in_loop else self.anywhere)


def shape_of(nodes: Iterable[ast.AST], aliases: dict[str, str]) -> Shape:
    """One walk over a piece's ``ast``; ``aliases`` maps ``"local()"`` to ``"imported()"``."""
    anywhere: set[str] = set()
    in_loop: set[str] = set()
    defined: list[str] = []  # undecorated functions, for "self-call2"
    called: dict[str, int] = {}
    stack = [(node, False) for node in nodes]
    push, pop = stack.append, stack.pop
    while stack:
        node, looping = pop()
        kind = type(node)
        features = _FEATURES.get(kind)
        found = features(node) if features is not None else ()
        if kind in _LOOP_KINDS:
            if looping:
                found = [*found, "nested-loop"]
            looping = True
        elif kind is ast.FunctionDef and not node.decorator_list:
            defined.append(node.name)
        elif kind is ast.AsyncFunctionDef:
            anywhere.update(_async_calls(node, aliases))
        elif kind is ast.Call and type(node.func) is ast.Name:
            called[node.func.id] = called.get(node.func.id, 0) + 1
        if found:
            found = found + [aliases[f] for f in found if f in aliases]
            anywhere.update(found)
            if looping:
                in_loop.update(found)
        fields = _CHILD_FIELDS.get(kind)
        if fields is None:
            fields = _CHILD_FIELDS[kind] = tuple(name for name in kind._fields if name not in _SCALAR_FIELDS)
        for name in fields:  # ast.iter_child_nodes, without its generator and the leaf nodes
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST) and type(item) not in _LEAVES:
                        push((item, looping))
            elif isinstance(value, ast.AST) and type(value) not in _LEAVES:
                push((value, looping))
    if any(called.get(name, 0) >= 2 for name in defined):
        anywhere.add("self-call2")
    return Shape(frozenset(anywhere), frozenset(in_loop))


def _async_calls(function: ast.AsyncFunctionDef, aliases: dict[str, str]) -> set[str]:
    """``"async:name()"`` for each call made directly in the ``async def`` (nested functions,
    lambdas and classes run elsewhere)."""
    found: set[str] = set()
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Call):
            for feature in _call(node):
                found.add("async:" + feature)
                if feature in aliases:
                    found.add("async:" + aliases[feature])
        stack.extend(ast.iter_child_nodes(node))
    return found


def _call(node: ast.Call) -> list[str]:
    func = node.func
    if isinstance(func, ast.Name):
        if func.id == "list" and not node.args and not node.keywords:
            return ["list()", "[]"]
        return [func.id + "()"]
    if isinstance(func, ast.Attribute):
        return [func.attr + "()"]
    return []


def _compare(node: ast.Compare) -> list[str]:
    found = []
    for op in node.ops:
        if isinstance(op, (ast.In, ast.NotIn)):
            found.append("in")
        elif isinstance(op, ast.Eq):
            found.append("==")
    return found


def _addition(node: ast.BinOp | ast.AugAssign) -> list[str]:
    if not isinstance(node.op, ast.Add):
        return []
    return ["+", "x+="] if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) else ["+"]


def _assign(node: ast.Assign) -> list[str]:
    return ["x=x+"] if _is_self_addition(node) else []


def _subscript(node: ast.Subscript) -> list[str]:
    return ["[]="] if isinstance(node.ctx, ast.Store) else []


def _list(node: ast.List | ast.ListComp) -> list[str]:
    return ["[...]", "[]"] if isinstance(node, ast.List) and not node.elts else ["[...]"]


def _for(node: ast.For | ast.AsyncFor | ast.comprehension) -> list[str]:
    found = ["loop", "for"] if not isinstance(node, ast.comprehension) else []
    if isinstance(node, ast.For) and not node.orelse:
        body = node.body
        if len(body) == 1 and isinstance(body[0], ast.If) and not body[0].orelse:
            body = body[0].body
        if len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Call):
            func = body[0].value.func
            if isinstance(func, ast.Attribute) and func.attr == "append":
                found.append("append-loop")
    iterable, target = node.iter, node.target
    if (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Attribute)
        and iterable.func.attr == "items"
        and isinstance(target, ast.Tuple)
        and len(target.elts) == 2
    ):
        found.append("items-pair")
    return found


def _comprehension(node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> list[str]:
    found = ["loop", "for", "nested-loop"] if len(node.generators) > 1 else ["loop", "for"]
    return [*found, *_list(node)] if isinstance(node, ast.ListComp) else found


_FEATURES = {
    ast.Call: _call,
    ast.Compare: _compare,
    ast.BinOp: _addition,
    ast.AugAssign: _addition,
    ast.Assign: _assign,
    ast.Await: lambda node: ["await"],
    ast.Subscript: _subscript,
    ast.List: _list,
    ast.While: lambda node: ["loop"],
    ast.For: _for,
    ast.AsyncFor: _for,
    ast.comprehension: _for,
    **{kind: _comprehension for kind in (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)},
}
# Fields that never hold a node (names, flags, contexts and operators), and per node
# class the fields left to walk.
_SCALAR_FIELDS = frozenset(
    {"id", "attr", "name", "arg", "ctx", "op", "ops", "kind", "type_comment", "level", "module",
     "is_async", "conversion", "simple", "names", "lineno", "col_offset", "end_lineno", "end_col_offset"}
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}
# Nodes with nothing under them that any feature reads: contexts and operators.
_LEAVES = frozenset(
    kind
    for base in (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
    for kind in base.__subclasses__()
)


def _is_self_addition(node: ast.Assign) -> bool:
    """``x = x + ...`` (also ``x = x + a + b``): one name target, added to on the left."""
    if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
        return False
    value = node.value
    if not (isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add)):
        return False
    while isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        value = value.left
    return isinstance(value, ast.Name) and value.id == node.targets[0].id
