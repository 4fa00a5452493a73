"""PF111 dict-items-unused-part."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from perflint.analysis import (
    Binding,
    ScopeAware,
    ScopeIndex,
    dotted_name,
    is_dict_expr,
    iter_nodes,
)
from perflint.model import Level
from perflint.rule import Benchmark, FixSpec, Invalid, Rule, Valid

_DICT_ANNOTATIONS = frozenset(
    {"dict", "Dict", "Mapping", "MutableMapping", "OrderedDict", "DefaultDict", "defaultdict", "Counter"}
)


class DictItemsUnusedPart(ScopeAware, Rule):
    """
    ## What it does
    Flags `for k, v in d.items():` (also in comprehensions) when the loop
    never uses `k`, or never uses `v`.

    ## Why is this slow?
    `.items()` builds a `(key, value)` tuple for every entry and the loop
    unpacks it; `.values()` or `.keys()` hand out the one object the loop needs.
    The gain is a constant factor. Measured (best of 25 interleaved `timeit`
    runs on Python 3.11, on this project's shared 2-core machine): summing the
    values of a 10,000-entry dict took 0.43 ms with `.items()` and 0.32 ms with
    `.values()` (about 1.35x).

    ## Example
    ```python
    for _, user in users.items():
        notify(user)
    ```

    ## Use instead
    ```python
    for user in users.values():
        notify(user)
    ```

    ## Fix safety
    The fix (drop the unused name, call `.values()` or `.keys()`) is safe
    when `d` is provably a dict: every binding of it in the function is a
    dict display or comprehension, `dict(...)`, a `collections` dict
    subclass, or carries a `dict`/`Mapping` annotation. Otherwise it is
    unsafe: an object with an `.items()` method need not have `.values()`
    or `.keys()` that agree with it (ruff's PERF102 is always unsafe for
    this reason).

    ## Known false positives
    An object whose `.items()` is not a mapping view, for which `.values()`
    or `.keys()` do not exist or mean something else. The rule never fires
    when the name is read after the loop (it keeps the last entry's value),
    or when both names are unused.
    Precision: 8 of 8 findings on the Python 3.11 standard library judged
    correct, 2026-11-27; in this project's installed site-packages (1,860
    files) 16 of 17 (the other read the name through `locals()`, which now
    keeps the rule silent).
    """

    code = "PF111"
    name = "dict-items-unused-part"
    level = Level.ALGORITHM
    message = "`.items()` builds pairs but only one part is used; iterate `.keys()` or `.values()`"
    weight = 1.0
    micro = True  # a constant-factor idiom: see the benchmark
    triggers = ("items",)
    loop_only = True
    needs = ("items-pair",)
    benchmark = Benchmark(
        setup="d = {str(i): i for i in range(10_000)}",
        slow="total = 0\nfor _, v in d.items():\n    total += v",
        fast="total = 0\nfor v in d.values():\n    total += v",
        size="a 10,000-entry dict",
    )

    valid = [
        Valid(
            """
            def f(d):
                for k, v in d.items():
                    print(k, v)
            """
        ),
        # items() with arguments is not a dict's.
        Valid(
            """
            def f(parser):
                for k, v in parser.items("section"):
                    print(v)
            """
        ),
        # The key is read after the loop.
        Valid(
            """
            def f(d):
                for k, v in d.items():
                    print(v)
                return k
            """
        ),
        # locals() reads every name.
        Valid(
            """
            def f(d, template):
                for name, value in d.items():
                    print(template % locals())
            """
        ),
        # Both unused.
        Valid(
            """
            def f(d):
                n = 0
                for _, _ in d.items():
                    n += 1
                return n
            """
        ),
        # Three names: not a key/value pair.
        Valid(
            """
            def f(d):
                for k, (a, b) in d.items():
                    print(a, b)
            """
        ),
        Valid(
            """
            def f(d):
                return {k: v for k, v in d.items()}
            """
        ),
    ]
    invalid = [
        Invalid(
            """
            def f():
                users = {}
                for _, user in users.items():
                    notify(user)
            """,
            fixed="""
            def f():
                users = {}
                for user in users.values():
                    notify(user)
            """,
        ),
        Invalid(
            """
            def f(table: dict[str, int]):
                return [name for name, size in table.items() if name]
            """,
            fixed="""
            def f(table: dict[str, int]):
                return [name for name in table.keys() if name]
            """,
        ),
        # Not provably a dict: unsafe.
        Invalid(
            """
            def f(obj):
                for key, value in obj.items():
                    print(key)
            """,
            fixed="""
            def f(obj):
                for key in obj.keys():
                    print(key)
            """,
            unsafe=True,
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        pair = _pair(node.target, node.iter)
        if pair is None:
            return
        index = self.scope_index()
        if index is None or index.reads_dynamically:
            return
        unused = [name for name in pair if not index.reads_inside(name, node) and not index.read_outside(name, node)]
        if len(unused) == 1:
            self._report(node, pair, unused[0], node.iter, index)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        pair = _pair(node.target, node.iter)
        if pair is None:
            return
        comprehension = self.context.comprehension_of(node)
        if comprehension is None:
            return
        mentioned = [
            sub.value for sub in iter_nodes(comprehension) if isinstance(sub, cst.Name) and sub.value in pair
        ]
        # Each name appears once in the target; any other mention is a use.
        unused = [name for name in pair if mentioned.count(name) == 1]
        if len(unused) == 1:
            self._report(node, pair, unused[0], node.iter, self.scope_index())

    def _report(
        self,
        node: cst.CSTNode,
        pair: tuple[str, str],
        unused: str,
        call: cst.Call,
        index: Optional[ScopeIndex],
    ) -> None:
        kept = pair[1] if unused == pair[0] else pair[0]
        method = "values" if unused == pair[0] else "keys"
        receiver = call.func.value  # type: ignore[attr-defined]
        new_call = call.with_changes(func=call.func.with_changes(attr=cst.Name(method)))  # type: ignore[attr-defined]
        replacement = node.with_changes(target=cst.Name(kept), iter=new_call)
        safe = index is not None and isinstance(receiver, cst.Name) and index.all_bindings(receiver.value, self._is_dict)
        message = f"only the {'value' if method == 'values' else 'key'} of `.items()` is used; iterate `.{method}()`"
        self.report(
            node.target,
            message,
            fix=FixSpec(f"Iterate `.{method}()`", {node: replacement}, safe=safe),
        )

    def _is_dict(self, binding: Binding) -> bool:
        if binding.kind in ("assign", "annassign") and is_dict_expr(self.context, binding.value):
            return True
        annotation = None
        if binding.kind == "param":
            annotation = binding.node.annotation  # type: ignore[attr-defined]
        elif binding.kind == "annassign":
            annotation = binding.node.annotation  # type: ignore[attr-defined]
        if annotation is None:
            return False
        hint = annotation.annotation
        if isinstance(hint, cst.Subscript):
            hint = hint.value
        dotted = dotted_name(hint)
        return dotted is not None and dotted.split(".")[-1] in _DICT_ANNOTATIONS


def _pair(target: cst.BaseExpression, iterable: cst.BaseExpression) -> Optional[tuple[str, str]]:
    """The two names of ``for a, b in x.items()``, else None."""
    if not (
        isinstance(iterable, cst.Call)
        and not iterable.args
        and isinstance(iterable.func, cst.Attribute)
        and iterable.func.attr.value == "items"
    ):
        return None
    if not isinstance(target, cst.Tuple) or len(target.elements) != 2:
        return None
    names = [element.value for element in target.elements]
    if not all(isinstance(element, cst.Element) for element in target.elements):
        return None
    if not all(isinstance(name, cst.Name) for name in names) or names[0].value == names[1].value:  # type: ignore[union-attr]
        return None
    return names[0].value, names[1].value  # type: ignore[union-attr]
