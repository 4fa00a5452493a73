"""PF102 str-concat-in-loop."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import (
    Binding,
    ScopeAware,
    ScopeIndex,
    as_disjunction,
    as_element,
    combined_replacement,
    contains_await,
    exits_after,
    inside_try_body,
    is_simple_target,
    is_str_literal,
    iter_nodes,
    names_used,
    only_statement,
    small_statements,
)
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid

from ._sequences import SkipsTests, repeats


class StrConcatInLoop(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags `s += part` (and `s = s + part`) inside a loop when `s` is a string:
    every binding of `s` in the function is a str literal or such a
    concatenation. The same for `bytes` (`data = b""` ... `data += chunk`) and
    for an attribute the inference layer knows holds a str or bytes
    (`self.body += line`, with `self.body = ""` in `__init__`).

    ## Why is this slow?
    Strings are immutable, so each concatenation may copy everything built so
    far: building a string of `n` parts costs O(n²) in the worst case. CPython
    avoids the copy only for a local variable that nothing else references; at
    module level, in a closure, with another reference to the string, and on
    PyPy, the loop is quadratic. `"".join(parts)` sizes the result once.
    Measured (best of 25 interleaved `timeit` runs on Python 3.11, on this
    project's shared 2-core machine): joining 20,000 two-character parts with
    `+=` in a function took 0.95 ms, with `"".join` 0.13 ms (about 7x). At
    module level, where CPython's in-place trick does not apply, 160,000 parts
    took 750 ms with `+=` against 0.5 ms with `"".join` (one `perf_counter`
    run). Bytes and attributes never get the in-place shortcut: 20,000
    parts of 8 bytes took 181 ms with `data += part` in a function, 0.24 ms
    with `b"".join` (750x); 20,000 two-character parts added to
    `self.body` took 45 ms, with `"".join` 0.06 ms (740x) (`timeit`, best
    of 5, CPython 3.11.7, 2026-12-07).

    ## Example
    ```python
    def render(rows):
        out = ""
        for row in rows:
            out += f"<li>{row}</li>"
        return out
    ```

    ## Use instead
    ```python
    def render(rows):
        return "".join([f"<li>{row}</li>" for row in rows])
    ```

    ## Fix safety
    A fix is offered only for the simplest shape: `s = <str literal>` is the
    statement just before a `for` loop (no `else`), whose body is the single
    statement `s += part` (optionally under one `if` without `else`), `s` is
    not read by the loop itself, the loop variable is not read after the
    loop, and there is no `await`. The loop becomes
    `s = <literal> + "".join([part for ... in ...])` (the literal is dropped
    when empty). The fix is safe when every part is provably a plain `str`
    (a literal, an f-string, `"...".format(...)`, `"...".join(...)`,
    `"..." % ...`, or a `+` of those; not `str(x)`, which returns whatever
    `str` subclass `x.__str__` returns) and the loop is not inside a `try`
    body; otherwise it is unsafe: a `str` subclass can override `__radd__`
    (markupsafe's `Markup` escapes the other operand), which `"".join` would
    bypass, and a handler would see a partially built string only with `+=`.
    No fix for bytes or attributes (the message names `b"".join` or a
    `bytearray`; an attribute may be read while it is built).

    ## Known false positives
    Short loops (a handful of parts) gain little. Rebinding `s` to a new
    literal inside the loop means it does not grow across iterations, and a
    `return`/`raise` after the concatenation in the same block means it runs
    once, so neither is flagged; neither is `+=` on ints, lists, `bytearray`s
    or names whose type is unknown (parameters, call results, attributes
    the inference layer cannot place), nor a loop over a literal display or
    `range(<literal>)` (a fixed, small number of parts). Bytes and
    attributes are flagged only in a `for` loop over data (not `*args`):
    bytes built in `while` loops mostly read a header, a line or a
    fixed-size record. Test modules are not linted by this rule.
    Precision: 28 of 28 findings on the Python 3.11 standard library judged
    correct, 2026-11-27. In a random sample of 30 of the 52 findings in this
    project's installed site-packages (1,860 files), one ran once (a
    `return` followed it); that shape is no longer flagged. Bytes and
    attributes (judged 2026-12-07, the standard library without its tests
    and the corpora named in PF113 and PF114): 2 of 3, django-import-export's
    and wagtail's uploads joined chunk by chunk with `data += chunk`; the
    miss is tarfile's PAX header, a few keywords. Excluding loops over a
    local literal list dropped one finding (yfinance's URL of a few keys).
    """

    code = "PF102"
    name = "str-concat-in-loop"
    level = Level.ALGORITHM
    message = "string built with `+=` in a loop copies the string each time; collect the parts and `\"\".join` them"
    weight = 3.0
    triggers = ("+",)
    loop_only = True
    needs = ("str+=",)
    benchmark = Benchmark(
        setup="words = [str(i % 100) for i in range(20_000)]",
        slow="s = ''\nfor w in words:\n    s += w",
        fast="s = ''.join(words)",
        size="20,000 parts of two characters, in a function",
    )

    valid = [
        # Integer accumulation.
        Valid(
            """
            def f(xs):
                total = 0
                for x in xs:
                    total += x
                return total
            """
        ),
        # List accumulation.
        Valid(
            """
            def f(xs):
                out = []
                for x in xs:
                    out += [x]
                return out
            """
        ),
        # Unknown type: a parameter.
        Valid(
            """
            def f(s, xs):
                for x in xs:
                    s += x
                return s
            """
        ),
        # Reset on every iteration: it never grows across iterations.
        Valid(
            """
            def f(rows):
                for row in rows:
                    line = ""
                    line += row[0]
                    line += row[1]
                    print(line)
            """
        ),
        # Rebound to something that is not a str literal.
        Valid(
            """
            def f(xs, prefix):
                s = ""
                if prefix:
                    s = prefix
                for x in xs:
                    s += x
                return s
            """
        ),
        # Not in a loop.
        Valid(
            """
            def f(a, b):
                s = "x"
                s += a
                s += b
                return s
            """
        ),
        # Followed by `return`: runs once per call.
        Valid(
            """
            def f(s):
                out = ""
                pos = 0
                while True:
                    if pos >= len(s):
                        out += s[pos:]
                        return out
                    pos += 1
            """
        ),
        # Bytes read in a `while` loop: mostly a header or a fixed-size record.
        Valid(
            """
            def read_record(fd, size):
                data = b""
                while len(data) < size:
                    data += fd.read(size - len(data))
                return data
            """
        ),
        # A loop over `*args`: as many parts as the call site writes.
        Valid(
            """
            class Stats:
                def sort_by(self, *fields):
                    self.sort_type = ""
                    for f in fields:
                        self.sort_type += f + ", "
            """
        ),
        # A bytearray grows in place.
        Valid(
            """
            def f(chunks):
                data = bytearray()
                for c in chunks:
                    data += c
                return bytes(data)
            """
        ),
        # A loop over a literal tuple: a fixed number of parts.
        Valid(
            """
            def f(count):
                label = ""
                for word in ("Total", "items:"):
                    label += word + " "
                return label + str(count)
            """
        ),
        # An attribute holding a number.
        Valid(
            """
            class Counter:
                def __init__(self):
                    self.total = 0

                def add(self, xs):
                    for x in xs:
                        self.total += x
            """
        ),
        # An attribute reset to a fresh string on every iteration.
        Valid(
            """
            class Report:
                def __init__(self):
                    self.line = ""

                def emit(self, rows):
                    for row in rows:
                        self.line = ""
                        self.line += str(row)
                        print(self.line)
            """
        ),
    ]
    invalid = [
        Invalid(
            """
            def render(rows):
                out = ""
                for row in rows:
                    out += f"<li>{row}</li>"
                return out
            """,
            fixed="""
            def render(rows):
                out = "".join([f"<li>{row}</li>" for row in rows])
                return out
            """,
        ),
        Invalid(
            """
            def f(words):
                s = "words:"
                for w in words:
                    if w:
                        s += w
                return s
            """,
            fixed="""
            def f(words):
                s = "words:" + "".join([w for w in words if w])
                return s
            """,
            unsafe=True,
        ),
        # More going on in the body: message only.
        Invalid(
            """
            def f(lines):
                text = ""
                n = 0
                for line in lines:
                    n += 1
                    text = text + line
                    if len(text) > 100:
                        break
                return text, n
            """
        ),
        # A one-line loop body.
        Invalid(
            """
            def f(xs):
                s = ""
                for c in xs: s += c; s += "-"
                return s
            """
        ),
        # Module level: quadratic even on CPython.
        Invalid(
            """
            result = ""
            while more():
                result += str(read())
            """
        ),
        # bytes: no in-place shortcut at all.
        Invalid(
            """
            def read_upload(upload):
                data = b""
                for chunk in upload.chunks():
                    data += chunk
                return data
            """
        ),
        # An attribute known to hold a str (from __init__): never the in-place shortcut.
        Invalid(
            """
            class MarkdownReport:
                def __init__(self, title):
                    self.body = f"# {title}"

                def add_rows(self, rows):
                    for row in rows:
                        self.body += "| " + " | ".join(row) + " |"
            """
        ),
        # The loop variable is read after the loop: no fix.
        Invalid(
            """
            def f(words):
                s = ""
                for w in words:
                    s += str(w)
                return s, w
            """
        ),
    ]

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if not isinstance(node.operator, cst.AddAssign):
            return
        if isinstance(node.target, cst.Name):
            self._check(node, node.target.value)
        elif _is_name_attribute(node.target):
            self._check_attribute(node, node.target)  # type: ignore[arg-type]

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1:
            return
        target = node.targets[0].target
        if isinstance(target, cst.Name):
            name = target.value
            if _is_self_concat(node.value, name):
                self._check(node, name)
        elif _is_name_attribute(target) and _is_attribute_concat(node.value, target):  # type: ignore[arg-type]
            self._check_attribute(node, target)  # type: ignore[arg-type]

    def _check(self, node: cst.CSTNode, name: str) -> None:
        loop = self.context.innermost_loop
        if loop is None or loop.kind == "comprehension":
            return
        index = self.scope_index()
        if index is None or not repeats(self.context, index=index):
            return
        if index.all_bindings(name, lambda b: _keeps_literal(b, name, is_str_literal)):
            kind = "str"
        elif index.all_bindings(name, lambda b: _keeps_literal(b, name, _is_bytes_literal)):
            kind = "bytes"
        else:
            return
        if kind == "bytes" and not self._over_data(index, loop.node):
            return
        literal = is_str_literal if kind == "str" else _is_bytes_literal
        if not any(b.kind in ("assign", "annassign") and literal(b.value) for b in index.bindings[name]):
            return
        # Bound to a fresh literal inside the loop: it does not grow across iterations.
        if any(
            b.kind != "augassign" and not _is_self_concat(b.value, name) and index.contains(loop.node, b.node)
            for b in index.bindings[name]
        ):
            return
        if exits_after(index, node, self.context.loop_depth):
            return  # runs at most once per call
        if kind == "bytes":
            self.report(node, _BYTES_MESSAGE.format(name=name))
            return
        self.report(node, fix=self._fix(index, node, name, loop.node))

    def _check_attribute(self, node: cst.CSTNode, target: cst.Attribute) -> None:
        """``self.body += part`` where ``self.body`` holds a str or bytes: quadratic even on
        CPython, whose in-place shortcut applies only to local names."""
        loop = self.context.innermost_loop
        if loop is None or loop.kind == "comprehension":
            return
        index = self.scope_index()
        if index is None or not repeats(self.context, index=index):
            return
        if not self._over_data(index, loop.node):
            return
        kind = self.context.kind_of(target).kind
        if kind not in ("str", "bytes"):
            return
        receiver, attribute = target.value.value, target.attr.value  # type: ignore[attr-defined]
        for sub in iter_nodes(loop.node):
            if isinstance(sub, cst.Assign) and sub is not node and not _is_attribute_concat(sub.value, target):
                if any(_same_attribute(t.target, receiver, attribute) for t in sub.targets):
                    return  # reset on every iteration: it does not grow across them
        if exits_after(index, node, self.context.loop_depth):
            return
        text = f"{receiver}.{attribute}"
        if kind == "bytes":
            self.report(node, _BYTES_MESSAGE.format(name=text))
        else:
            self.report(
                node,
                f"`{text}` (a str attribute) is built with `+=` in a loop, which copies it every time "
                "(no in-place shortcut for attributes); collect the parts and `\"\".join` them",
            )

    def _over_data(self, index: ScopeIndex, loop: cst.CSTNode) -> bool:
        """A ``for`` loop over something other than a ``*args`` parameter: one part per item of
        some data. ``while`` loops that build bytes mostly read a header, a line or a few
        bytes of a fixed-size record, a handful of parts."""
        if not isinstance(loop, cst.For):
            return False
        iterable = loop.iter
        if not isinstance(iterable, cst.Name):
            return True
        root = index.root
        star = root.params.star_arg if isinstance(root, cst.FunctionDef) else None
        # ``*fields``: as many as the call site writes out
        return not (isinstance(star, cst.Param) and star.name.value == iterable.value)

    # --- the fix --------------------------------------------------------------

    def _fix(self, index: ScopeIndex, node: cst.CSTNode, name: str, loop: cst.CSTNode) -> Optional[FixSpec]:
        if not isinstance(node, cst.AugAssign) or not isinstance(loop, cst.For):
            return None
        if loop.asynchronous is not None or loop.orelse is not None or contains_await(loop):
            return None
        if any(isinstance(sub, (cst.Yield, cst.NamedExpr)) for sub in iter_nodes(loop)):
            return None
        only = only_statement(loop)
        if only is None or only[1] != [node]:
            return None
        condition = only[0]
        part = node.value
        if name in names_used(loop.iter) or name in names_used(part) or (
            condition is not None and name in names_used(condition)
        ):
            return None
        if not is_simple_target(loop.target):
            return None
        if any(index.read_outside(target, loop) for target in names_used(loop.target)):
            return None
        place = index.siblings(loop)
        if place is None or place[1] == 0:
            return None
        statements_before, position = place
        init = statements_before[position - 1]
        init_assign = small_statements(init)
        if (
            len(init_assign) != 1
            or not isinstance(init_assign[0], cst.Assign)
            or len(init_assign[0].targets) != 1
            or not isinstance(init_assign[0].targets[0].target, cst.Name)
            or init_assign[0].targets[0].target.value != name
            or not is_str_literal(init_assign[0].value)
        ):
            return None
        if self.context.scope.kind != "function":
            safe = False
        else:
            safe = self._is_plain_str(part) and not inside_try_body(index, loop)
        comprehension = cst.ListComp(
            elt=as_element(part),
            for_in=cst.CompFor(
                target=loop.target,
                iter=as_disjunction(loop.iter),
                ifs=[cst.CompIf(test=as_disjunction(condition))] if condition is not None else [],
            ),
        )
        joined: cst.BaseExpression = cst.Call(
            func=cst.Attribute(value=cst.SimpleString('""'), attr=cst.Name("join")),
            args=[cst.Arg(comprehension)],
        )
        initial = init_assign[0].value
        if not _is_empty_literal(initial):
            joined = cst.BinaryOperation(left=initial, operator=cst.Add(), right=joined)
        new_init = init.with_changes(body=[init_assign[0].with_changes(value=joined)])
        mapping, loses_comment = combined_replacement(
            index, {init: new_init, loop: cst.RemovalSentinel.REMOVE}
        )
        return FixSpec('Build the string with `"".join`', mapping, safe=safe and not loses_comment)

    def _is_plain_str(self, node: cst.BaseExpression) -> bool:
        """An expression that always gives an exact ``str`` (so ``__radd__`` cannot interfere)."""
        if is_str_literal(node):
            return True
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value in ("format", "join") and is_str_literal(func.value):
                return True
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Modulo) and is_str_literal(node.left):
                return True
            if isinstance(node.operator, cst.Add):
                return self._is_plain_str(node.left) and self._is_plain_str(node.right)
        return False


def _is_self_concat(value: Optional[cst.BaseExpression], name: str) -> bool:
    return (
        isinstance(value, cst.BinaryOperation)
        and isinstance(value.operator, cst.Add)
        and isinstance(value.left, cst.Name)
        and value.left.value == name
    )


def _keeps_literal(binding: Binding, name: str, literal) -> bool:
    """The binding leaves a str (or bytes, by ``literal``) in the name: such a literal or a
    concatenation onto it."""
    if binding.kind == "augassign":
        return isinstance(binding.node, cst.AugAssign) and isinstance(binding.node.operator, cst.AddAssign)
    if binding.kind in ("assign", "annassign"):
        return literal(binding.value) or _is_self_concat(binding.value, name)
    return False


def _is_bytes_literal(node: Optional[cst.CSTNode]) -> bool:
    if isinstance(node, cst.SimpleString):
        return "b" in node.prefix.lower()
    if isinstance(node, cst.ConcatenatedString):
        return _is_bytes_literal(node.left) and _is_bytes_literal(node.right)
    return False


def _is_name_attribute(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)


def _same_attribute(node: cst.BaseExpression, receiver: str, attribute: str) -> bool:
    return _is_name_attribute(node) and node.value.value == receiver and node.attr.value == attribute  # type: ignore[attr-defined]


def _is_attribute_concat(value: Optional[cst.BaseExpression], target: cst.Attribute) -> bool:
    """``self.x + ...`` (leftmost operand) for the target ``self.x``."""
    if not (isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add)):
        return False
    while isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
        value = value.left
    return _same_attribute(value, target.value.value, target.attr.value)  # type: ignore[attr-defined]


_BYTES_MESSAGE = (
    "`{name}` (bytes) is built with `+=` in a loop, which copies everything built so far every time; "
    "collect the parts and `b\"\".join` them, or grow a `bytearray`"
)


def _is_empty_literal(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.SimpleString) and node.evaluated_value == ""
