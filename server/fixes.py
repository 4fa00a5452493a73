"""Fixes: from node replacements to text edits, and applying edits to text.

A rule's ``FixSpec`` replaces nodes in its block's tree. The new block's code
is diffed against the old one to get minimal text edits, which are shifted to
file coordinates. Imports and module-level constants become insertions at the
module's insertion point (after docstring and leading imports).
"""

from __future__ import annotations

import ast
import difflib
import sys
from typing import Callable, Iterable, Mapping, Optional, Sequence

import libcst as cst

from perflint.cst_walk import children, iter_nodes, plan
from perflint.facts import ModuleFacts
from perflint.model import SAFE, UNSAFE, Edit, Finding, Fix
from perflint.positions import ExpressionCode, code_for_node
from perflint.source import split_lines


# Whether a ``LaterFix``'s ``text`` is used (tests turn it off to compare with the nodes' code).
TEXT_FIXES = True


class _ReplaceAll(cst.CSTTransformer):
    """Replaces every node of a mapping, found by identity, in one pass.

    One pass matters: a transformer rebuilds every node above a change, so a
    second pass would no longer find the nodes of the first tree.
    """

    def __init__(self, mapping) -> None:
        super().__init__()
        self.mapping = mapping

    def on_leave(self, original_node, updated_node):
        return self.mapping.get(original_node, updated_node)


class _Unsupported(Exception):
    """A replacement ``replace_nodes`` leaves to libcst's transformer."""


def replace_nodes(root: cst.CSTNode, mapping: Mapping) -> Optional[cst.CSTNode]:
    """``root`` with each node of ``mapping`` (by identity) replaced, as ``_ReplaceAll`` does,
    but rebuilding only the ancestors of the replaced nodes: the transformer rebuilds every
    node of the piece, which cost more than the rest of a fix. None when this cannot say
    what the transformer would (a replaced node that is not in the tree, the root itself,
    a sentinel where one node is required): the caller runs the transformer then."""
    if root in mapping:
        return None
    parents: dict = {}
    left = len(mapping)
    stack = [root]
    while stack and left:
        node = stack.pop()
        for child in children(node):
            parents[child] = node
            if child in mapping:
                left -= 1
            stack.append(child)
    if left:
        return None
    affected = set()
    for old in mapping:
        parent = parents.get(old)
        while parent is not None and parent not in affected:
            affected.add(parent)
            parent = parents.get(parent)

    def rebuild(node: cst.CSTNode):
        if node in mapping:
            return mapping[node]
        if node not in affected:
            return node
        changes = {}
        for name in _field_names(type(node)):
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                new = rebuild(value)
                if not isinstance(new, cst.CSTNode):
                    raise _Unsupported
                if new is not value:
                    changes[name] = new
            elif isinstance(value, (list, tuple)) and any(
                isinstance(item, cst.CSTNode) and (item in mapping or item in affected) for item in value
            ):
                items = []
                for item in value:
                    new = rebuild(item) if isinstance(item, cst.CSTNode) else item
                    if isinstance(new, cst.RemovalSentinel):
                        continue
                    if isinstance(new, cst.FlattenSentinel):
                        items.extend(new.nodes)
                    else:
                        items.append(new)
                changes[name] = tuple(items)
        return node.with_changes(**changes) if changes else node

    try:
        return rebuild(root)
    except _Unsupported:
        return None


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(name for name, _ in plan(cls))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


class FileFixes:
    """What the fixes of one file share, computed once per lint instead of once per fix: the
    file's lines and its leading ``from X import ...`` statements by module (a fix that adds an
    import reads both; 8,000 findings that each add one made them quadratic)."""

    def __init__(self, facts: ModuleFacts, source: str, lines: Optional[list[str]] = None) -> None:
        self.facts = facts
        self.source = source
        self._lines = lines
        self._from_imports: Optional[dict[str, list[ast.ImportFrom]]] = None
        self._leading_imports: Optional[list[ast.stmt]] = None
        self._headers: dict[tuple, list[Edit]] = {}

    def header(self, imports: Sequence[str], constants: Sequence[str], facts: ModuleFacts) -> list[Edit]:
        """The edits at the top of the file that add ``imports`` and ``constants`` (a copy): the
        same for every fix of the file that adds them, so computed once (``facts`` is this file's)."""
        key = (tuple(imports), tuple(constants), id(facts))
        found = self._headers.get(key)
        if found is None or found[0] is not facts:
            found = self._headers[key] = (facts, _header(imports, constants, facts, self))
        return list(found[1])

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = split_lines(self.source)
        return self._lines

    def leading_from_imports(self, module: str) -> list[ast.ImportFrom]:
        """The file's ``from module import ...`` statements above its insertion point."""
        if self._from_imports is None:
            self._from_imports = {}
            tree = self.facts.tree
            for node in tree.body if tree is not None else ():
                if node.lineno >= self.facts.insert_line:
                    break
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.names[0].name != "*":
                    self._from_imports.setdefault(node.module, []).append(node)
        return self._from_imports.get(module, [])

    def leading_imports(self) -> list[ast.stmt]:
        """The file's imports of a module above its insertion point (top-level statements)."""
        if self._leading_imports is None:
            tree = self.facts.tree
            self._leading_imports = [
                node
                for node in (tree.body if tree is not None else ())
                if isinstance(node, (ast.Import, ast.ImportFrom)) and node.lineno < self.facts.insert_line and _module_of(node)
            ]
        return self._leading_imports


def announced_fix(spec) -> Optional[Fix]:
    """What a finding says about its fix when its edits are not computed: message and
    applicability, no edits (``Fix.complete`` False). ``spec`` is a ``FixSpec`` or a ``LaterFix``."""
    if spec is None:
        return None
    safe = spec.safe
    replacements = getattr(spec, "replacements", None)
    if safe and replacements and _loses_comment(replacements):
        safe = False
    return Fix(spec.message, SAFE if safe else UNSAFE, (), complete=False)


def materialize_fix(
    spec,
    module: cst.Module,
    to_file: Callable[[Edit], Optional[Edit]],
    facts: ModuleFacts,
    source: str,
    positions: Optional[Mapping] = None,
    shared: Optional[FileFixes] = None,
    code: Optional[str] = None,
) -> Fix | None:
    """The text edits of a rule's ``FixSpec`` (or ``LaterFix``, built now) on ``module`` (one
    parsed piece of the file); ``to_file`` maps an edit of the piece onto the file, or refuses it
    (no fix then). ``positions`` (libcst's ``PositionProvider`` of ``module``) allows the fast
    path; ``shared`` is the file's ``FileFixes`` when several fixes are made; ``code`` is
    ``module.code`` when the caller has it (the text the piece was parsed from)."""
    promised = spec.safe
    piece_edits: Optional[list[Edit]] = None
    if hasattr(spec, "build"):  # a ``LaterFix``: its nodes are built now
        as_text = spec.text if TEXT_FIXES else None
        if as_text is not None and code is not None and "#" not in code and hasattr(positions, "spliced_spans"):
            # Its statements' code assembled from the old nodes' text: no node built (``FixSpec.later``).
            quick = as_text(positions)
            if quick is None:
                pass
            elif all(type(new) is ExpressionCode for new in quick.replacements.values()):
                piece_edits = _one_line_edits(quick.replacements, module, positions)  # type: ignore[arg-type]
            else:
                spans = positions.spliced_spans(quick.replacements)  # type: ignore[union-attr]
                if spans is not None:
                    piece_edits = _span_edits(code, spans, positions.line_of)  # type: ignore[union-attr]
            if piece_edits is not None:
                spec = quick
        if piece_edits is None:
            spec = spec.build()
            if spec is None:
                return None
    safe = spec.safe and promised
    # A piece without a ``#`` holds no comment to lose (a comment's text starts with one).
    if safe and (code is None or "#" in code) and _loses_comment(spec.replacements):
        safe = False  # the rewrite would drop a comment
    if piece_edits is None and positions is not None:
        piece_edits = _one_line_edits(spec.replacements, module, positions)
    if piece_edits is None:
        # Whole statements replaced: the edits of each run of touching replaced statements,
        # from their new code alone (``PiecePositions.spliced_spans``).
        spliced = getattr(positions, "spliced_spans", None) if code is not None and spec.replacements else None
        spans = spliced(spec.replacements) if spliced is not None else None
        piece_edits = _span_edits(code, spans, positions.line_of) if spans is not None else None  # type: ignore[union-attr]
    if piece_edits is None:
        old_code = code_for_node(module, module) if code is None else code
        if not spec.replacements:
            new_code = old_code
        else:
            new_module = replace_nodes(module, spec.replacements)
            if new_module is None:
                new_module = module.visit(_ReplaceAll(spec.replacements))
            new_code = code_for_node(new_module, new_module)
        piece_edits = diff_edits(old_code, new_code)
    edits = [to_file(edit) for edit in piece_edits]
    if None in edits:
        return None
    header: list[Edit] = []  # edits at the top of the file: imports and constants
    if spec.imports or spec.constants:
        shared = shared or FileFixes(facts, source)
        header = shared.header(spec.imports, spec.constants, facts)
    edits = header + edits
    if not edits:
        return None
    ending = line_ending(source)
    if ending != "\n":  # what libcst and the templates above write: the file's own ending instead
        edits = [_with_ending(edit, ending) for edit in edits]
    return Fix(spec.message, SAFE if safe else UNSAFE, tuple(edits))


def line_ending(source: str) -> str:
    """The file's line ending, as its first line ends: ``"\r\n"``, ``"\r"`` or ``"\n"``
    (also for a file of one line, or mixed endings: libcst decides the same way)."""
    newline = source.find("\n")
    cr = source.find("\r", 0, newline if newline >= 0 else len(source))
    if cr < 0:
        return "\n"
    return "\r\n" if cr == newline - 1 else "\r"


def _with_ending(edit: Edit, ending: str) -> Edit:
    if "\n" not in edit.content and "\r" not in edit.content:
        return edit
    content = "".join(line.rstrip("\r\n") + ending if line.endswith(("\n", "\r")) else line
                      for line in split_lines(edit.content))
    return Edit(edit.line, edit.column, edit.end_line, edit.end_column, content)


def _span_edits(code: str, spans: Sequence[tuple[int, int, str]], line_of: Callable[[int], int]) -> list[Edit]:
    """The edits of replacing ``spans`` of ``code`` (sorted ``(start, end, new text)``, each
    from a line start to a line start): ``diff_edits`` of each run of touching spans, the text
    between runs left as it is (what ``diff_edits`` of the whole rewritten piece gives: the
    same runs of changed lines, between the same unchanged ones; compared on every rule's
    examples, the standard library and the many-findings files)."""
    edits: list[Edit] = []
    index = 0
    while index < len(spans):
        begin, end, new = spans[index]
        parts = [new]
        index += 1
        while index < len(spans) and spans[index][0] == end:
            end = spans[index][1]
            parts.append(spans[index][2])
            index += 1
        edits.extend(diff_edits(code[begin:end], "".join(parts), line_of(begin)))
    return edits


def _loses_comment(replacements: Mapping) -> bool:
    return sum(_comments(new) for new in replacements.values()) < sum(_comments(old) for old in replacements)


def _one_line_edits(replacements: Mapping, module: cst.Module, positions: Mapping) -> Optional[list[Edit]]:
    """The edits of replacing single-line expressions by single-line expressions, straight from
    their positions: what ``diff_edits`` of the rewritten piece gives, without rewriting the piece.
    None when a replacement is anything else (statements, sentinels, several lines, nesting)."""
    if not all(
        isinstance(old, cst.BaseExpression) and (isinstance(new, cst.BaseExpression) or type(new) is ExpressionCode)
        for old, new in replacements.items()
    ):
        return None  # before any position is asked for
    edits = []
    in_place = getattr(positions, "code_of", None)  # ``PiecePositions``: the code generated for the range
    for old, new in replacements.items():
        where = positions[old]
        before = in_place(old) if in_place is not None else None
        # Generated in place, an expression's code differs from ``code_for_node``'s only in the
        # indentation after its line breaks: on one line, it is the same.
        if before is None or "\n" in before or "\r" in before:
            before = code_for_node(module, old)
        if type(new) is ExpressionCode:
            after = new.make(before) if "\n" not in before and "\r" not in before else None
            if after is None:
                return None
        else:
            after = _callee_changed(module, old, new, before)
            if after is None:
                after = code_for_node(module, new)
        if "\n" in before or "\n" in after or "\r" in before or "\r" in after:
            return None
        prefix = _common_prefix(before, after)
        suffix = _common_prefix(before[prefix:][::-1], after[prefix:][::-1])
        if prefix == len(before) == len(after):
            continue
        line, column = where.start.line, where.start.column + 1
        edits.append(Edit(line, column + prefix, line, column + len(before) - suffix, after[prefix : len(after) - suffix]))
    edits.sort(key=lambda edit: (edit.line, edit.column))
    if any(a.line == b.line and a.end_column > b.column for a, b in zip(edits, edits[1:])):
        return None  # nested or touching replacements: the general path sorts them out
    return edits


def _callee_changed(module: cst.Module, old: cst.BaseExpression, new: cst.BaseExpression, before: str) -> Optional[str]:
    """The code of ``new`` when it is the call ``old`` (whose code is ``before``) with another
    callee and nothing else changed (``list(xs)`` -> ``deque(xs)``): the new callee's code, then
    ``before`` after the old callee's (a call's code is its callee's, then the rest, without
    parentheses around it). None otherwise."""
    if type(old) is not cst.Call or type(new) is not cst.Call or old.lpar or new.lpar or old.rpar or new.rpar:
        return None
    if tuple(new.args) != tuple(old.args):  # the same nodes (libcst's nodes compare by identity)
        return None
    for field in ("whitespace_after_func", "whitespace_before_args"):
        mine, theirs = getattr(new, field), getattr(old, field)
        if mine is not theirs and not (type(mine) is type(theirs) is cst.SimpleWhitespace and mine.value == theirs.value):
            return None
    callee = _plain_code(module, old.func)
    if not before.startswith(callee):
        return None
    return _plain_code(module, new.func) + before[len(callee):]


def _plain_code(module: cst.Module, node: cst.CSTNode) -> str:
    """``code_for_node``: a name without parentheses is its own text."""
    if type(node) is cst.Name and not node.lpar and not node.rpar:
        return node.value
    return code_for_node(module, node)


def _comments(node) -> int:
    if isinstance(node, cst.FlattenSentinel):
        return sum(_comments(n) for n in node.nodes)
    if not isinstance(node, cst.CSTNode):
        return 0
    # Not ``libcst.matchers.findall``: importing libcst.matchers alone costs about 0.14 s.
    return sum(1 for n in iter_nodes(node) if isinstance(n, cst.Comment))


def _header(imports: Sequence[str], constants: Sequence[str], facts: ModuleFacts, shared: FileFixes) -> list[Edit]:
    """The edits at the top of the file that add ``imports`` (each merged into an import the file
    has, put in its standard-library group, or inserted) and ``constants``."""
    header: list[Edit] = []
    lines = shared.lines
    prelude = []
    for line in imports:
        if _already_imported(line, facts):
            continue
        merged = _merged_import(line, shared)
        if merged is None:
            merged = _stdlib_import(line, shared)
        if merged is not None:
            header.append(merged)
        else:
            prelude.append(line)
    if prelude or constants:
        text = "".join(p.rstrip("\n") + "\n" for p in prelude) + _spaced_constants(constants, facts, lines)
        header.append(_insertion(facts.insert_line, text, lines))
    return header


def _already_imported(statement: str, facts: ModuleFacts) -> bool:
    words = statement.split()
    if words[:1] == ["import"] and len(words) == 2:
        return facts.imports.get(words[1]) == words[1]
    if words[:1] == ["from"] and len(words) == 4 and words[2] == "import":
        return facts.imports.get(words[3]) == f"{words[1]}.{words[3]}"
    return False


def _merged_import(statement: str, shared: FileFixes) -> Optional[Edit]:
    """``from X import Y`` as ``, Y`` added to the file's leading ``from X import ...``, if it has one."""
    words = statement.split()
    if words[:1] != ["from"] or len(words) != 4 or words[2] != "import" or shared.facts.tree is None:
        return None
    existing = shared.leading_from_imports(words[1])
    if not existing:
        return None
    last = existing[-1].names[-1]
    if last.end_lineno is None or last.end_col_offset is None:
        return None
    text = shared.lines[last.end_lineno - 1]
    column = len(text.encode("utf-8")[: last.end_col_offset].decode("utf-8", errors="replace")) + 1
    return Edit(last.end_lineno, column, last.end_lineno, column, f", {words[3]}")


def _module_of(node: ast.stmt) -> Optional[str]:
    if isinstance(node, ast.Import):
        return node.names[0].name
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return node.module
    return None


def _is_stdlib(module: str) -> bool:
    top = module.split(".")[0]
    return top != "__future__" and top in sys.stdlib_module_names


def _stdlib_import(statement: str, shared: FileFixes) -> Optional[Edit]:
    """A standard-library import put in the file's standard-library group, as isort and ruff
    order them: among the leading ``from`` imports of that group by module name (after its
    plain ``import`` lines), or, when the file has no such group yet, as a group of its own
    before the first third-party or first-party import. None: the usual insertion point."""
    words = statement.split()
    plain = words[:1] == ["import"] and len(words) == 2
    if not (plain or (words[:1] == ["from"] and len(words) == 4 and words[2] == "import")):
        return None
    module = words[1]
    if not _is_stdlib(module) or shared.facts.tree is None:
        return None
    lines = shared.lines
    leading = shared.leading_imports()
    if not any(not _is_stdlib(_module_of(node) or "") and _module_of(node) != "__future__" for node in leading):
        return None  # only standard-library imports (or none): the usual place is the group's end
    group = [node for node in leading if _is_stdlib(_module_of(node) or "")]
    if not group:
        first = next(node for node in leading if _module_of(node) != "__future__")
        if lines[first.lineno - 1][: first.col_offset].strip():
            return None  # not at the start of its line (``import a; import b``)
        return Edit(first.lineno, 1, first.lineno, 1, statement.rstrip("\n") + "\n\n")
    # The first import of the group that sorts after the new one: plain ``import`` lines come
    # first, then ``from`` imports, each by module name.
    if plain:
        node = next((n for n in group if isinstance(n, ast.ImportFrom) or n.names[0].name.lower() > module.lower()), None)
    else:
        node = next((n for n in group if isinstance(n, ast.ImportFrom) and (n.module or "").lower() > module.lower()), None)
    if node is not None and not lines[node.lineno - 1][: node.col_offset].strip():
        return Edit(node.lineno, 1, node.lineno, 1, statement.rstrip("\n") + "\n")
    last = group[-1]
    end = last.end_lineno or last.lineno
    if node is not None or any(other.lineno == end and other is not last for other in leading):
        return None  # a line holding several statements: leave it to the usual insertion point
    return _insertion(end + 1, statement.rstrip("\n") + "\n", lines)


def _spaced_constants(constants: Sequence[str], facts: ModuleFacts, lines: list[str]) -> str:
    """Module constants as PEP 8 lays them out after the imports: a blank line between the
    imports (or docstring) and the constants, and before the code that follows them (two
    before a ``def`` or ``class``). Without constants (the caller then inserts new imports
    only): the blank lines between those imports and the code that follows."""
    before = lines[facts.insert_line - 2] if facts.insert_line >= 2 else ""
    after = lines[facts.insert_line - 1].strip() if facts.insert_line <= len(lines) else ""
    text = "".join(c.rstrip("\n") + "\n" for c in constants)
    if constants and before.strip():
        text = "\n" + text
    if not constants and after.startswith(("import ", "from ")):
        return text  # more imports follow
    if after.startswith(("def ", "class ", "async def ", "@")):
        text += "\n\n"
    elif after:
        text += "\n"
    return text


def _insertion(line: int, text: str, lines: list[str]) -> Edit:
    """An edit inserting ``text`` before line ``line`` of the file's ``lines`` (or after its end)."""
    if line > len(lines):
        # Inserting after the last line: make sure that line ends with a newline.
        last = lines[-1] if lines else ""
        if last and not last.endswith(("\n", "\r")):
            return Edit(len(lines), len(last) + 1, len(lines), len(last) + 1, "\n" + text)
        return Edit(len(lines) + 1, 1, len(lines) + 1, 1, text)
    return Edit(line, 1, line, 1, text)


def diff_edits(old: str, new: str, first_line: int = 1) -> list[Edit]:
    """Minimal edits turning ``old`` into ``new``; lines shifted so ``old`` starts at ``first_line``."""
    old_lines, new_lines = split_lines(old), split_lines(new)
    if old_lines and new_lines and set(old_lines).isdisjoint(new_lines):
        # No line in common: ``difflib`` finds no matching block, so its one opcode replaces all.
        opcodes: list = [("replace", 0, len(old_lines), 0, len(new_lines))]
    else:
        opcodes = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes()
    edits = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        prefix = _common_prefix(before, after)
        suffix = _common_prefix(before[prefix:][::-1], after[prefix:][::-1])
        start = _advance(first_line + i1, 1, before[:prefix])
        end = _advance(first_line + i1, 1, before[: len(before) - suffix])
        edits.append(Edit(start[0], start[1], end[0], end[1], after[prefix : len(after) - suffix]))
    return edits


def _common_prefix(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    index = 0
    while index < limit and a[index] == b[index]:
        index += 1
    return index


def _advance(line: int, column: int, text: str) -> tuple[int, int]:
    for piece in split_lines(text):
        if piece.endswith(("\n", "\r")):
            line, column = line + 1, 1
        else:
            column += len(piece)
    return line, column


# --- applying ----------------------------------------------------------------------


def applicable(findings: Iterable[Finding], unsafe: bool) -> list[Finding]:
    return [f for f in findings if f.fix is not None and f.fix.edits and (unsafe or f.fix.is_safe)]


def apply_fixes(source: str, fixes: Sequence[Fix]) -> tuple[str, int]:
    """Apply as many fixes as do not overlap, in order; return the new text and how many applied.

    Identical edits from different fixes (the same import added twice) are
    applied once. A fix applies whole or not at all.
    """
    offsets = _line_offsets(source)
    taken: list[tuple[int, int, str]] = []
    applied = 0
    for fix in fixes:
        spans = []
        for edit in fix.edits:
            start = _offset(offsets, edit.line, edit.column, len(source))
            end = _offset(offsets, edit.end_line, edit.end_column, len(source))
            spans.append((start, end, edit.content))
        fresh = [span for span in spans if span not in taken]
        if any(_overlaps(span, other) for span in fresh for other in taken):
            continue
        taken.extend(fresh)
        applied += 1
    text = source
    # Back to front, so earlier offsets stay valid; equal insertions keep their order.
    order = sorted(range(len(taken)), key=lambda i: (taken[i][0], taken[i][1], i), reverse=True)
    for index in order:
        start, end, content = taken[index]
        text = text[:start] + content + text[end:]
    return text, applied


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions conflict only when strictly inside a replacement
        point, span = (a, b) if a[0] == a[1] else (b, a)
        return span[0] < point[0] < span[1]
    return a[0] < b[1] and b[0] < a[1]


def _line_offsets(source: str) -> list[int]:
    offsets = [0]
    for line in split_lines(source):
        offsets.append(offsets[-1] + len(line))
    return offsets


def _offset(offsets: list[int], line: int, column: int, length: int) -> int:
    if line - 1 >= len(offsets):
        return length
    return min(offsets[line - 1] + column - 1, length)


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            split_lines(before), split_lines(after), fromfile=f"a/{path}", tofile=f"b/{path}"
        )
    )


# --- line length --------------------------------------------------------------------------

DEFAULT_LINE_LENGTH = 88  # black's and ruff's default
_LINE_LENGTHS: dict[str, Optional[int]] = {}  # pyproject.toml path -> its configured line length


def configured_line_length(path: str) -> Optional[int]:
    """The line length the project's formatter or linter is set to: ``line-length`` of
    ``[tool.ruff]``, then ``[tool.black]``, in the nearest ``pyproject.toml`` above ``path``."""
    import os

    if not path or path.startswith("<"):
        return None
    directory = os.path.dirname(os.path.abspath(path))
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate):
            if candidate not in _LINE_LENGTHS:
                _LINE_LENGTHS[candidate] = _read_line_length(candidate)
            return _LINE_LENGTHS[candidate]
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _read_line_length(pyproject: str) -> Optional[int]:
    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(pyproject, "rb") as handle:
            tool = tomllib.load(handle).get("tool", {})
    except (OSError, ValueError):
        return None
    for name in ("ruff", "black"):
        value = tool.get(name, {}).get("line-length") if isinstance(tool.get(name), dict) else None
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def line_length_limit(source: str, path: str) -> int:
    """The longest line a fix-all may write: the configured line length, else black's 88,
    or the file's own longest line when the file already goes past that."""
    configured = configured_line_length(path)
    if configured is not None:
        return configured
    longest = max((len(line.rstrip("\r\n")) for line in split_lines(source)), default=0)
    return max(DEFAULT_LINE_LENGTH, longest)


def makes_long_lines(source: str, fix: Fix, limit: int) -> bool:
    """Whether applying ``fix`` alone writes a line longer than ``limit`` that was not there."""
    after, applied = apply_fixes(source, [fix])
    if not applied:
        return False
    before = set(split_lines(source))
    return any(len(line.rstrip("\r\n")) > limit and line not in before for line in split_lines(after))

