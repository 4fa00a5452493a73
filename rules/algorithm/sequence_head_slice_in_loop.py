"""PF121 sequence-head-slice-in-loop."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import Binding, ScopeAware, ScopeIndex, exits_after, is_str_literal
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

# Calls whose result is a new str, bytes or list (the sliced copy is O(len) for each).
_SEQUENCE_CALLS = {"str", "bytes", "list", "sorted"}
_SEQUENCE_METHODS = {"read", "encode", "decode", "join", "split", "splitlines", "readlines", "strip", "getvalue"}


class SequenceHeadSliceInLoop(ScopeAware, Rule):
    """
    ## What it does
    Flags `value = value[k:]` in a loop, where `value` is a `str`, `bytes` or
    `list` (the piece binds it to a literal, a display, or a call that
    returns one: `f.read()`, `x.encode()`, `"".join(...)`, `list(...)`...):
    consuming a sequence by cutting its head off on every iteration.

    ## Why is this slow?
    Slicing a `str`, `bytes` or `list` copies the rest of it. Cutting a few
    items off the front on each iteration copies the remainder every time:
    consuming `n` items costs O(n²). Keeping a position (`pos += k`, then
    `value[pos:pos + k]`), a `memoryview` for bytes, or a
    `collections.deque` for items makes it linear. Measured with `timeit` on
    CPython 3.11 on this project's shared 2-core machine, cutting 20
    characters at a time off a string of 20,000 such pieces took 66 ms
    (80,000 pieces: 1,012 ms), and one item at a time off a list of 20,000
    items 212 ms (80,000: 1,993 ms); advancing an index costs a few ms.

    ## Example
    ```python
    def tokens(text):
        text = text.strip()
        while text:
            match = TOKEN.match(text)
            yield match.group()
            text = text[match.end():]
    ```

    ## Use instead
    ```python
    def tokens(text):
        text = text.strip()
        pos = 0
        while pos < len(text):
            match = TOKEN.match(text, pos)
            yield match.group()
            pos = match.end()
    ```

    ## Fix safety
    No automatic fix: the loop's condition and every later use of the
    value change when it is replaced by a position.

    ## Known false positives
    A loop that runs a few times (cutting a prefix or two) costs nothing
    worth changing; short values (a line, a path) likewise. Values whose
    type the piece does not show (parameters, attributes) are not flagged:
    a `memoryview` or a NumPy array slices without copying; a parameter
    annotated `list[...]`, `List[...]`, `str` or `bytes` is shown.
    Judged on the standard library and seven PyPI packages (docs/precision.md,
    2026-12-07): 5 findings, 0 wrong, 1 worth acting on (quopri cutting 75
    characters at a time off a line of any length), 4 negligible (a 1 KB pty
    buffer, one canvas item's coordinates, at most 64 wait handles).
    """

    code = "PF121"
    name = "sequence-head-slice-in-loop"
    level = Level.ALGORITHM
    message = "cutting the head off a str, bytes or list in a loop copies the rest every time (quadratic); keep a position instead"
    weight = 3.0
    triggers = (":]",)
    loop_only = True
    needs = ("head-cut",)
    benchmark = Benchmark(
        setup="parts = ['x' * 20 for _ in range(20_000)]",
        slow="s = ''.join(parts)\nwhile s:\n    s = s[20:]",
        fast="s = ''.join(parts)\npos = 0\nwhile pos < len(s):\n    pos += 20",
        size="a string of 20,000 pieces of 20 characters, cut 20 at a time",
    )

    valid = [
        # A parameter annotated `Sequence`: it may be a memoryview, which slices without copying.
        Valid(
            """
            from typing import Sequence
            def f(data: Sequence[int]):
                while data:
                    data = data[4:]
            """
        ),
        # A parameter: its type is unknown (a memoryview slices without copying).
        Valid(
            """
            def f(data):
                while data:
                    data = data[4:]
            """
        ),
        # Not in a loop.
        Valid(
            """
            def f(path):
                text = open(path).read()
                text = text[3:]
                return text
            """
        ),
        # A slice with an end: a bounded piece, not the rest.
        Valid(
            """
            def f(path):
                text = open(path).read()
                for _ in range(3):
                    text = text[1:10]
                return text
            """
        ),
        # Another name: the value is not consumed.
        Valid(
            """
            def f(path):
                text = open(path).read()
                for i in range(len(text)):
                    rest = text[i:]
                    print(rest)
            """
        ),
        # Bound anew inside the loop: it does not shrink across iterations.
        Valid(
            """
            def f(lines):
                for line in lines:
                    value = line.strip()
                    value = value[1:]
                    print(value)
            """
        ),
        # Followed by `break`: runs once.
        Valid(
            """
            def f(path):
                text = open(path).read()
                while True:
                    if text.startswith("#"):
                        text = text[1:]
                        break
                return text
            """
        ),
    ]
    invalid = [
        # A parameter annotated as a list.
        Invalid(
            """
            def settle(pending: list[int]) -> list[int]:
                settled = []
                while pending:
                    head = pending[0]
                    pending = pending[1:]
                    settled.append(head)
                return settled
            """
        ),
        Invalid(
            """
            def f(path):
                with open(path) as handle:
                    text = handle.read()
                while text:
                    print(text[:10])
                    text = text[10:]
            """
        ),
        Invalid(
            """
            def drain(items):
                queue = list(items)
                while queue:
                    print(queue[0])
                    queue = queue[1:]
            """
        ),
        Invalid(
            """
            def f(packet):
                data = packet.encode()
                while len(data) > 4:
                    size = data[0]
                    data = data[size + 1:]
            """
        ),
        Invalid(
            """
            buffer = ""
            for chunk in read_chunks():
                buffer = buffer + chunk
                while "\\n" in buffer:
                    end = buffer.index("\\n")
                    handle(buffer[:end])
                    buffer = buffer[end + 1:]
            """
        ),
    ]

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        name = node.targets[0].target.value
        if not _is_head_cut(node.value, name):
            return
        loop = self.context.innermost_loop
        if loop is None or loop.kind == "comprehension":
            return
        index = self.scope_index()
        if index is None or self.kind_of(index, name) is None:
            return
        # Bound anew inside the loop (other than by a cut or a concatenation): it does not shrink across iterations.
        if any(
            index.contains(loop.node, b.node) and not _is_head_cut(b.value, name) and not _is_growth(b, name)
            for b in index.bindings[name]
        ):
            return
        if exits_after(index, node, self.context.loop_depth):
            return
        self.report(node)

    def kind_of(self, index: ScopeIndex, name: str) -> Optional[str]:
        """"sequence" when every binding of ``name`` in the scope leaves a str, bytes or list in it
        (one at least from a literal or a call that returns one), else None. The one place this
        rule asks for a type: the inference layer can answer here for parameters."""
        if not index.all_bindings(name, lambda b: _keeps_sequence(b, name) or _annotated_sequence(b)):
            return None
        if not any(
            (b.kind in ("assign", "annassign") and _is_sequence(b.value)) or _annotated_sequence(b)
            for b in index.bindings[name]
        ):
            return None
        return "sequence"


# Parameter annotations that promise a str, bytes or list (a ``Sequence`` may be a memoryview).
_SEQUENCE_ANNOTATIONS = frozenset({"str", "bytes", "list", "List"})


def _annotated_sequence(binding: Binding) -> bool:
    """A parameter annotated ``list[int]``, ``List[str]``, ``str`` or ``bytes``."""
    if binding.kind != "param" or not isinstance(binding.node, cst.Param) or binding.node.annotation is None:
        return False
    annotation = binding.node.annotation.annotation
    if isinstance(annotation, cst.Subscript):
        annotation = annotation.value
    if isinstance(annotation, cst.Attribute):
        annotation = annotation.attr
    return isinstance(annotation, cst.Name) and annotation.value in _SEQUENCE_ANNOTATIONS


def _is_head_cut(value: Optional[cst.BaseExpression], name: str) -> bool:
    """``name[k:]``: a slice with a start and no end or step."""
    if not (isinstance(value, cst.Subscript) and isinstance(value.value, cst.Name) and value.value.value == name):
        return False
    if len(value.slice) != 1 or not isinstance(value.slice[0].slice, cst.Slice):
        return False
    cut = value.slice[0].slice
    return cut.lower is not None and cut.upper is None and cut.step is None


def _is_growth(binding: Binding, name: str) -> bool:
    """``name += x`` or ``name = name + x``: the buffer grows and is consumed in one loop."""
    if binding.kind == "augassign":
        return True
    value = binding.value
    return (
        isinstance(value, cst.BinaryOperation)
        and isinstance(value.operator, cst.Add)
        and isinstance(value.left, cst.Name)
        and value.left.value == name
    )


def _is_sequence(value: Optional[cst.BaseExpression]) -> bool:
    if value is None:
        return False
    if is_str_literal(value) or isinstance(value, (cst.SimpleString, cst.ConcatenatedString, cst.List, cst.ListComp)):
        return True
    if isinstance(value, cst.Call):
        func = value.func
        if isinstance(func, cst.Name):
            return func.value in _SEQUENCE_CALLS
        if isinstance(func, cst.Attribute):
            return func.attr.value in _SEQUENCE_METHODS
    return False


def _keeps_sequence(binding: Binding, name: str) -> bool:
    if binding.kind in ("assign", "annassign"):
        return _is_sequence(binding.value) or _is_head_cut(binding.value, name) or _is_growth(binding, name)
    if binding.kind == "with":
        return False
    return binding.kind == "augassign"
