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
    dotted_name,
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

from ._sequences import SkipsTests, reaching_binding, repeats


class StrConcatInLoop(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags a `str` or `bytes` built in a loop in the ways CPython copies on
    every iteration:

    - `b += part` on `bytes` (a name bound to a bytes literal or `bytes(...)`),
    - `self.text += part`, `obj.attr += part`, `d[k] += part` (an attribute or
      element that holds a `str` or `bytes`), and `self.text = self.text + part`,
    - `s = s + a + b` (the first `+` is not followed by a store to `s`),
    - prepending: `s = part + s`,
    - an f-string that starts with the old value: `s = f"{s}{part}"`,
      `self.out = f"{self.out}{row}"` (measured: 50,000 parts of 8
      characters took 1.48 s this way, 1.3 ms with `s += part`, 0.4 ms with
      `"".join`; an f-string is always built anew),
    - `s += part` on a string that has a second reference kept in the loop
      (`last = s`, `lines.append(s)`), or that is a module-level or closure
      variable.

    A plain local `s += part` (or `s = s + part`) on a `str` is not flagged:
    CPython 3.11 grows such a string in place, and the loop is linear.

    ## Why is this slow?
    `str` and `bytes` are immutable: unless CPython can reuse the left operand
    in place (a local `str` with no other reference, stored straight back),
    each concatenation copies everything built so far, and a loop of `n`
    parts costs O(n²). `"".join(parts)` (`b"".join` for bytes) sizes the
    result once. Measured with `timeit` on CPython 3.11 (best of 3, this
    project's shared 2-core machine), appending `n` pieces of 20 characters
    in a function:

    | case | n = 20,000 | n = 80,000 |
    |---|---|---|
    | local `s += x` (not flagged) | 0.5 ms | 2.2 ms |
    | `"".join(parts)` | 0.1 ms | 0.2 ms |
    | `s = s + x + "\\n"` | 1,203 ms | 10,305 ms |
    | `b += x` (bytes) | 392 ms | 2,922 ms |
    | `s = x + s` (prepend) | 379 ms | 2,609 ms |
    | `s += x` with `last = s` in the loop | 927 ms | 4,548 ms |
    | `self.body += x` in a method | 382 ms | 4,556 ms |
    | `obj.body += x` | 232 ms | 5,594 ms |
    | `d["k"] += x` | 666 ms | 4,244 ms |

    (The machine is shared and noisy: single runs vary by up to 2x, the
    growth with `n` does not.) At module level, `s += x` over 80,000 pieces
    took 26 s, and in a function whose `s` a nested function reads, 1.5 s.

    ## Example
    ```python
    def render(rows):
        out = b""
        for row in rows:
            out += row.encode()
        return out
    ```

    ## Use instead
    ```python
    def render(rows):
        return b"".join([row.encode() for row in rows])
    ```

    ## Fix safety
    A fix is offered only for the simplest shape: `b = <literal>` is the
    statement just before a `for` loop (no `else`), whose body is the single
    statement `b += part` (optionally under one `if` without `else`), `b` is
    not read by the loop itself, the loop variable is not read after the
    loop, and there is no `await`. The loop becomes
    `b = <literal> + b"".join([part for ... in ...])` (`"".join` for a
    `str`; the literal is dropped when empty). The fix is safe when every
    part is provably a plain `str` (a literal, an f-string,
    `"...".format(...)`, `"...".join(...)`, `"..." % ...`, or a `+` of
    those) in a function and the loop is not inside a `try` body; otherwise
    it is unsafe: a `str` subclass can override `__radd__` (markupsafe's
    `Markup` escapes the other operand), which `"".join` would bypass, and a
    handler would see a partially built string only with `+=`.

    ## Known false positives
    Short loops (a handful of parts) gain little: the cost is quadratic in
    the number of parts, so it matters from thousands of parts on. Rebinding
    the name to a new value inside the loop means it does not grow across
    iterations, and a `return`/`raise` after the concatenation in the same
    block means it runs once, so neither is flagged; neither is `+=` on
    names, attributes or elements whose type the piece does not show (a
    `str`/`bytes` literal or constructor bound to it, or a literal added to
    it). An attribute or element is flagged only when it names the same
    string on every iteration: no name in it is bound in the loop and no
    index counts from the end (`d[key] += ...` with the loop's key,
    `lines[-1] += ";"` and `item.name += ...` grow each string once or
    twice).
    The f-string form (2026-12-07) adds no finding on the standard library or
    on 12 PyPI projects (networkx, ansible-core, superset, seaborn, pvlib,
    pyjanitor, mlxtend, yfinance, sqlglot, datasette, Faker, pelican).
    Judged on the standard library and seven PyPI packages (docs/precision.md,
    2026-12-07): 22 default findings, 0 wrong, 1 worth acting on (an uploaded
    file joined chunk by chunk as bytes), 21 negligible (short strings: one
    quoted-printable line, a few header lines, a TZ string).
    A name with a `None` (or other) binding elsewhere is judged by the
    literal that reaches the loop (`data = b""` just before it in the same
    branch; 2026-12-07): no new finding on the standard library, +1 on the
    real-code hold-out (django-import-export's second chunk-joining upload
    path, labelled positive).
    """

    code = "PF102"
    name = "str-concat-in-loop"
    level = Level.ALGORITHM
    message = "this concatenation copies the whole string on every iteration (quadratic); collect the parts and join them"
    weight = 3.0
    triggers = ("+", 'f"{', "f'{")
    loop_only = True
    needs = ("str+=", "attr+=")
    benchmark = Benchmark(
        setup="parts = ['x' * 20 for _ in range(20_000)]",
        slow="s = ''\nfor p in parts:\n    s = s + p + '\\n'",
        fast="s = ''.join([p + '\\n' for p in parts])",
        size="20,000 pieces of 20 characters, `s = s + x + \"\\n\"`",
    )

    valid = [
        # `None` reaches the loop on one path (the bytes literal is in another branch): unknown.
        Valid(
            """
            def collect(request, parts):
                data = None
                if request.raw:
                    data = b""
                for part in parts:
                    data += part
                return data
            """
        ),
        # An f-string from a fresh value each iteration, or with the old value formatted
        # (`{s!r}`), or over a written-out tuple: no growth to report.
        Valid(
            """
            def f(rows):
                for r in rows:
                    s = f"{r}"
                    s = f"{s}!"
                    print(s)
                t = ""
                for part in ("a", "b"):
                    t = f"{t}{part}"
                return t
            """
        ),
        # A number attribute set in `__init__`, grown in another method.
        Valid(
            """
            class Buffer:
                def __init__(self):
                    self.size = 0

                def push(self, records):
                    for rec in records:
                        self.size += rec.length
            """
        ),
        # `self.total = self.total + x` on a number.
        Valid(
            """
            class Run:
                def __init__(self):
                    self.total = 0

                def add(self, items):
                    for item in items:
                        self.total = self.total + item.cents
            """
        ),
        # A different element each iteration: each string grows once or twice (argparse's usage).
        Valid(
            """
            def f(groups, inserts):
                for start, end in groups:
                    inserts[start] += " ["
                    inserts[end] += "]"
            """
        ),
        # The line appended last, then closed: one addition per line.
        Valid(
            """
            def f(values):
                lines = []
                for value in values:
                    lines.append(value)
                    lines[-1] += ";"
            """
        ),
        # The attribute of the loop's own item: one string per item.
        Valid(
            """
            def f(objs, supers):
                for obj in objs:
                    obj.name += "({})".format(", ".join(supers))
            """
        ),
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
        # A local str grown in place by CPython: linear.
        Valid(
            """
            def render(rows):
                out = ""
                for row in rows:
                    out += f"<li>{row}</li>"
                return out
            """
        ),
        Valid(
            """
            def f(lines):
                text = ""
                for line in lines:
                    text = text + line
                return text
            """
        ),
        # `s += a + b` adds the parts first, then grows s in place.
        Valid(
            """
            def f(lines):
                text = ""
                for line in lines:
                    text += line + "\\n"
                return text
            """
        ),
        # A parenthesized tail is added first too.
        Valid(
            """
            def f(lines):
                text = ""
                for line in lines:
                    text = text + (line + "\\n")
                return text
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
        # Unknown type: a parameter.
        Valid(
            """
            def f(s, xs):
                for x in xs:
                    s += x
                return s
            """
        ),
        # Unknown type of the attribute: a counter.
        Valid(
            """
            def f(self, xs):
                for x in xs:
                    self.total += x
            """
        ),
        # Reset on every iteration: it never grows across iterations.
        Valid(
            """
            def f(rows):
                for row in rows:
                    line = b""
                    line += row[0]
                    line += row[1]
                    print(line)
            """
        ),
        # Not in a loop.
        Valid(
            """
            def f(a, b):
                s = b"x"
                s += a
                s += b
                return s
            """
        ),
        # Followed by `return`: runs once per call.
        Valid(
            """
            def f(s):
                out = b""
                pos = 0
                while True:
                    if pos >= len(s):
                        out += s[pos:]
                        return out
                    pos += 1
            """
        ),
        # Printing the string keeps no reference.
        Valid(
            """
            def f(xs):
                s = ""
                for x in xs:
                    s += x
                    print(s)
                return s
            """
        ),
    ]
    invalid = [
        # Bytes on one path, `None` on the other: the literal reaches the loop.
        Invalid(
            """
            def upload(request, upload):
                if request.confirmed:
                    data = b""
                    for chunk in upload.chunks():
                        data += chunk
                else:
                    data = None
                return data
            """,
            fixed="""
            def upload(request, upload):
                if request.confirmed:
                    data = b"".join([chunk for chunk in upload.chunks()])
                else:
                    data = None
                return data
            """,
            unsafe=True,
        ),
        # An f-string that starts with the string built so far: a new copy every time.
        Invalid(
            """
            def render(rows):
                out = ""
                for r in rows:
                    out = f"{out}{r.host:<20}{r.cpu:>6.1f}\\n"
                return out
            """
        ),
        Invalid(
            """
            class Report:
                def __init__(self):
                    self.out = ""

                async def render(self, rows):
                    async for r in rows:
                        self.out = f"{self.out}{r}\\n"
            """
        ),
        # A str attribute set in `__init__`, grown in another method.
        Invalid(
            """
            class Buffer:
                def __init__(self):
                    self.text = ""

                def render(self, records):
                    for rec in records:
                        self.text += rec.to_line()
                    return self.text
            """
        ),
        # `self.log = self.log + a + b` on a str attribute: no in-place shortcut.
        Invalid(
            """
            class Run:
                def __init__(self):
                    self.log = ""

                def trail(self, items):
                    for item in items:
                        self.log = self.log + item.number + "\\n"
                    return self.log
            """
        ),
        Invalid(
            """
            def render(rows):
                out = b""
                for row in rows:
                    out += row.encode()
                return out
            """,
            fixed="""
            def render(rows):
                out = b"".join([row.encode() for row in rows])
                return out
            """,
            unsafe=True,
        ),
        # The first `+` is not followed by a store: a copy per iteration.
        Invalid(
            """
            def f(lines):
                text = ""
                for line in lines:
                    text = text + line + "\\n"
                return text
            """
        ),
        # Prepending.
        Invalid(
            """
            def f(words):
                s = ""
                for w in words:
                    s = w + s
                return s
            """
        ),
        # A second reference kept in the loop.
        Invalid(
            """
            def f(words):
                s = ""
                prefixes = []
                for w in words:
                    s += w
                    prefixes.append(s)
                return prefixes
            """
        ),
        # An attribute holding a str.
        Invalid(
            """
            class Page:
                def render(self, rows):
                    self.body = ""
                    for row in rows:
                        self.body += f"<li>{row}</li>"
            """
        ),
        # An element grown by a str, under a key the loop does not change.
        Invalid(
            """
            def f(parts, rows):
                for row in rows:
                    parts["body"] += f"{row}\\n"
            """
        ),
        # bytes from a constructor, in a while loop.
        Invalid(
            """
            def f(sock):
                data = bytes()
                while True:
                    data += sock.recv(4096)
            """
        ),
        # Module level: a global is not grown in place.
        Invalid(
            """
            result = ""
            while more():
                result += str(read())
            """
        ),
        # A one-line loop body.
        Invalid(
            """
            def f(xs):
                s = b""
                for c in xs: s += c; s += b"-"
                return s
            """
        ),
    ]

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if not isinstance(node.operator, cst.AddAssign):
            return
        target = node.target
        if isinstance(target, cst.Name):
            self._check_name(node, target.value, grows_in_place=True)
        elif isinstance(target, (cst.Attribute, cst.Subscript)):
            self._check_element(node, target)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1:
            return
        target = node.targets[0].target
        if _is_name_attribute(target) and (
            _is_attribute_concat(node.value, target) or _fstring_extends(node.value, target)  # type: ignore[arg-type]
        ):
            self._check_attribute(node, target)  # type: ignore[arg-type]
            return
        if not isinstance(target, cst.Name):
            return
        name = node.targets[0].target.value
        value = node.value
        if _is_self_concat(value, name):
            # `s = s + x` is grown in place; `s = s + x + y` copies s in its first `+`.
            self._check_name(node, name, grows_in_place=not _adds_more_after(value, name))
        elif _is_prepend(value, name) or _fstring_extends(value, name):
            self._check_name(node, name, grows_in_place=False)  # an f-string is never grown in place

    # --- what the target holds ------------------------------------------------

    def kind_of(self, index: ScopeIndex, node: cst.BaseExpression, added: Optional[cst.BaseExpression]) -> Optional[str]:
        """"str", "bytes" or None: what ``node`` (the grown name, attribute or element) holds,
        by what the piece binds to it or, for an attribute or element, what is added to it.

        The one place this rule asks for a type: the inference layer
        (``self.context.kind_of``) can answer here for parameters and attributes.
        """
        if isinstance(node, cst.Name):
            name = node.value
            bindings = index.bindings.get(name, [])
            if not index.all_bindings(name, lambda b: _keeps_text(b, name)):
                # ``data = None`` in another branch: the literal that reaches the loop decides.
                loop = self.context.innermost_loop
                reaching = (
                    reaching_binding(
                        index,
                        name,
                        loop.node,
                        lambda b: _literal_kind(b.value) is not None,
                        lambda b: _keeps_text(b, name),
                    )
                    if loop is not None
                    else None
                )
                if reaching is None:
                    return None
                bindings = bindings[bindings.index(reaching) :]
            kinds = {_literal_kind(b.value) for b in bindings if b.kind in ("assign", "annassign")}
            kinds.discard(None)
            return kinds.pop() if len(kinds) == 1 else None
        target = dotted_name(node) if isinstance(node, cst.Attribute) else None
        if target is not None:
            bound = {
                _literal_kind(b.value)
                for b in _attribute_bindings(index, target)
            }
            bound.discard(None)
            if len(bound) == 1:
                return bound.pop()
            if not bound and isinstance(node.value, cst.Name) and node.value.value == "self":  # type: ignore[attr-defined]
                held = self.context.kind_of(node).kind  # ``self.text = ""`` in ``__init__``
                if held in ("str", "bytes"):
                    return held
        return _literal_kind(added) if added is not None else None

    # --- the checks -----------------------------------------------------------

    def _check_name(self, node: cst.CSTNode, name: str, grows_in_place: bool) -> None:
        loop = self.context.innermost_loop
        if loop is None or loop.kind == "comprehension":
            return
        index = self.scope_index()
        if index is None:
            return
        kind = self.kind_of(index, cst.Name(name), None)
        if kind is None:
            return
        # Bound to a fresh value inside the loop: it does not grow across iterations.
        if any(
            b.kind != "augassign"
            and not _is_self_concat(b.value, name)
            and not _is_prepend(b.value, name)
            and not _fstring_extends(b.value, name)
            and index.contains(loop.node, b.node)
            for b in index.bindings[name]
        ):
            return
        if exits_after(index, node, self.context.loop_depth):
            return  # runs at most once per call
        if kind == "str" and grows_in_place:
            in_place = (
                self.context.scope.kind == "function"
                and name not in index.closure_names
                and name not in index.declared
                and not _kept_elsewhere(index, name, loop.node)
            )
            if in_place:
                return  # CPython 3.11 grows a local str with no other reference in place: linear
        fix = self._fix(index, node, name, loop.node, kind) if grows_in_place else None
        self.report(node, fix=fix)

    def _check_element(self, node: cst.AugAssign, target: cst.BaseExpression) -> None:
        loop = self.context.innermost_loop
        if loop is None or loop.kind == "comprehension":
            return
        index = self.scope_index()
        if index is None or self.kind_of(index, target, node.value) is None:
            return
        text = dotted_name(target) if isinstance(target, cst.Attribute) else None
        if text is not None and any(index.contains(loop.node, b) for b in _attribute_bindings(index, text)):
            return  # reset inside the loop
        if not _same_target_each_iteration(index, target, loop.node):
            return  # a different string each iteration (`d[key] +=`, `obj.name +=`, `lines[-1] +=`): no growth
        if exits_after(index, node, self.context.loop_depth):
            return
        self.report(node)

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
            if isinstance(sub, cst.Assign) and sub is not node and not (
                _is_attribute_concat(sub.value, target) or _fstring_extends(sub.value, target)
            ):
                if any(_same_attribute(t.target, receiver, attribute) for t in sub.targets):
                    return  # reset on every iteration: it does not grow across them
        if exits_after(index, node, self.context.loop_depth):
            return
        text = f"{receiver}.{attribute}"
        if isinstance(node, cst.AugAssign):
            spelled = "`+=`"
        elif isinstance(node, cst.Assign) and _fstring_extends(node.value, target):
            spelled = f'`{text} = f"{{{text}}}..."`'
        else:
            spelled = f"`{text} = {text} + ...`"
        if kind == "bytes":
            self.report(node, _BYTES_MESSAGE.format(name=text).replace("`+=`", spelled))
        else:
            self.report(
                node,
                f"`{text}` (a str attribute) is built with {spelled} in a loop, which copies it every time "
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

    def _fix(
        self, index: ScopeIndex, node: cst.CSTNode, name: str, loop: cst.CSTNode, kind: str
    ) -> Optional[FixSpec]:
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
            or _literal_kind(init_assign[0].value) != kind
            or not isinstance(init_assign[0].value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))
        ):
            return None
        if self.context.scope.kind != "function":
            safe = False
        else:
            safe = kind == "str" and self._is_plain_str(part) and not inside_try_body(index, loop)
        comprehension = cst.ListComp(
            elt=as_element(part),
            for_in=cst.CompFor(
                target=loop.target,
                iter=as_disjunction(loop.iter),
                ifs=[cst.CompIf(test=as_disjunction(condition))] if condition is not None else [],
            ),
        )
        joined: cst.BaseExpression = cst.Call(
            func=cst.Attribute(value=cst.SimpleString('b""' if kind == "bytes" else '""'), attr=cst.Name("join")),
            args=[cst.Arg(comprehension)],
        )
        initial = init_assign[0].value
        if not _is_empty_literal(initial):
            joined = cst.BinaryOperation(left=initial, operator=cst.Add(), right=joined)
        new_init = init.with_changes(body=[init_assign[0].with_changes(value=joined)])
        mapping, loses_comment = combined_replacement(
            index, {init: new_init, loop: cst.RemovalSentinel.REMOVE}
        )
        joiner = 'b""' if kind == "bytes" else '""'
        return FixSpec(f"Build the {kind} with `{joiner}.join`", mapping, safe=safe and not loses_comment)

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
    """``name + ...`` (``name`` the leftmost operand of a chain of ``+``)."""
    while isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
        value = value.left
        if isinstance(value, cst.Name):
            return value.value == name
    return False


def _adds_more_after(value: cst.BaseExpression, name: str) -> bool:
    """``name + a + b``: the ``name + a`` inside is not stored straight back, so CPython copies it."""
    return (
        isinstance(value, cst.BinaryOperation)
        and isinstance(value.left, cst.BinaryOperation)
        and isinstance(value.left.operator, cst.Add)
        and not value.left.lpar
    )


def _is_prepend(value: Optional[cst.BaseExpression], name: str) -> bool:
    """``part + name``: the string is copied behind the new part."""
    return (
        isinstance(value, cst.BinaryOperation)
        and isinstance(value.operator, cst.Add)
        and isinstance(value.right, cst.Name)
        and value.right.value == name
        and name not in names_used(value.left)
    )


def _literal_kind(value: Optional[cst.BaseExpression]) -> Optional[str]:
    """"str" or "bytes" for a literal or constructor call that gives one, else None."""
    if value is None:
        return None
    if is_str_literal(value):
        return "str"
    if isinstance(value, cst.SimpleString) or (
        isinstance(value, cst.ConcatenatedString) and "b" in getattr(value.left, "prefix", "").lower()
    ):
        return "bytes"
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value in ("str", "bytes"):
        return value.func.value
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
        if value.func.attr.value in ("format", "join") and _literal_kind(value.func.value) == "str":
            return "str"
        if value.func.attr.value == "encode" and not value.args:
            return "bytes"
    return None


def _keeps_text(binding: Binding, name: str) -> bool:
    """The binding leaves a str or bytes in the name: a literal or constructor, or a concatenation onto it."""
    if binding.kind == "augassign":
        return isinstance(binding.node, cst.AugAssign) and isinstance(binding.node.operator, cst.AddAssign)
    if binding.kind in ("assign", "annassign"):
        return (
            _literal_kind(binding.value) is not None
            or _is_self_concat(binding.value, name)
            or _is_prepend(binding.value, name)
            or _fstring_extends(binding.value, name)
        )
    return False


def _same_target_each_iteration(index: ScopeIndex, target: cst.BaseExpression, loop: cst.CSTNode) -> bool:
    """Whether ``obj.attr`` / ``d[k]`` names the same string on every iteration of ``loop``:
    no name in it is bound in the loop (the loop's own target included) and no index counts
    from the end (``lines[-1]`` is the line appended last). Judged on real code (issue #20):
    ``inserts[start] += "["``, ``obj.name += ...`` and ``lines[-1] += ";"`` grow each string
    once or twice, not once per iteration."""
    for sub in iter_nodes(target):
        if isinstance(sub, cst.UnaryOperation) and isinstance(sub.operator, cst.Minus):
            return False
        if isinstance(sub, cst.Name) and any(index.contains(loop, b.node) for b in index.bindings.get(sub.value, [])):
            return False
    return True


def _attribute_bindings(index: ScopeIndex, target: str) -> list[cst.Assign]:
    """The ``obj.attr = value`` statements of the scope for the dotted ``target``."""
    found = []
    for node in index.parents:
        if isinstance(node, cst.Assign) and len(node.targets) == 1:
            if dotted_name(node.targets[0].target) == target:
                found.append(node)
    return found


def _kept_elsewhere(index: ScopeIndex, name: str, loop: cst.CSTNode) -> bool:
    """In the loop, the string is kept under a second reference (``t = s``, ``xs.append(s)``,
    ``d[k] = s``, ``obj.x = s``): the next ``+=`` then has to copy it."""
    for read in index.reads_inside(name, loop):
        parent = index.parent(read)
        if isinstance(parent, cst.Assign) and parent.value is read:
            return True
        if isinstance(parent, cst.Arg) and parent.value is read:
            call = index.parent(parent)
            if (
                isinstance(call, cst.Call)
                and isinstance(call.func, cst.Attribute)
                and call.func.attr.value in ("append", "add", "insert", "setdefault", "put")
            ):
                return True
        if isinstance(parent, cst.Element) and parent.value is read:
            return True
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


def _fstring_extends(value: Optional[cst.BaseExpression], target: "str | cst.Attribute") -> bool:
    """``f"{s}{part}"`` for the name ``s`` (or ``f"{self.x}..."`` for the attribute): an
    f-string that starts with the old value, plain, and adds more after it."""
    if not isinstance(value, cst.FormattedString) or len(value.parts) < 2:
        return False
    first = value.parts[0]
    if not isinstance(first, cst.FormattedStringExpression) or first.conversion is not None or first.format_spec is not None:
        return False
    old = first.expression
    if isinstance(target, str):
        return isinstance(old, cst.Name) and old.value == target
    return _same_attribute(old, target.value.value, target.attr.value)  # type: ignore[attr-defined]


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
    return isinstance(node, cst.SimpleString) and node.evaluated_value in ("", b"")
