"""PF120 del-list-head-in-loop."""

from __future__ import annotations

import libcst as cst
from perflint.analysis import ScopeAware, exits_after
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

from ._sequences import (
    SkipsTests,
    attribute_list,
    attribute_rebound_in_loop,
    bounded_literal,
    grows_with_input,
    list_bound,
    repeats,
    self_slice,
)


class DelListHeadInLoop(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags `del items[0]` inside a loop when `items` is a list (every binding
    in the function is a list display, comprehension, `list(...)`,
    `sorted(...)`, or a parameter annotated `list[...]`): the same cost as
    `items.pop(0)` (PF103). Also `del self.items[0]` when the inference layer
    knows `self.items` is a list that the module grows. A rebinding to a tail
    of the list itself in the loop (`lines = lines[1:]`) keeps it the same list.

    ## Why is this slow?
    Deleting the first item moves every other item one slot to the front, so
    consuming a list of `n` items from the front costs O(n²), and keeping a
    sliding window of `k` items costs O(k) per step. `collections.deque`
    drops from the front in O(1) (`popleft()`, or `deque(maxlen=k)` for a
    window). Measured (best of 5 `timeit` runs on Python 3.11.7,
    this project's shared 2-core machine, `benchmarks/rule_speedups.py`,
    2026-12-07): draining 20,000 items with `del q[0]` took 39 ms, with
    `deque.popleft()` 0.65 ms (59x faster).

    ## Example
    ```python
    for v in values:
        samples.append(v)
        if len(samples) > window:
            del samples[0]
    ```

    ## Use instead
    ```python
    from collections import deque

    samples = deque(maxlen=window)
    for v in values:
        samples.append(v)
    ```

    ## Fix safety
    No fix: indexing, slicing and sorting (which a deque does not offer, or
    offers in O(n)) elsewhere decide whether a deque fits.

    ## Known false positives
    A list that stays tiny pays little. Not flagged: parameters without a
    `list` annotation, literal lists that never grow, lists rebound in the
    loop, loops over literal displays or `range(<literal>)`, a `del` followed
    by `return`/`raise`, lists without evidence that they grow with the
    input (as PF113), test modules.
    Precision (judged 2026-12-07): no finding on the Python 3.11 standard
    library or the corpora named in PF113 (distutils' `wrap_text` and
    idlelib's key-sequence parser cut the head off short lists split from a
    string; both were false positives before `split(sep)` results stopped
    counting as lists that grow). Precision unmeasured on real code; the
    dev set's window-trimming site is found.
    """

    code = "PF120"
    name = "del-list-head-in-loop"
    level = Level.ALGORITHM
    message = "`del list[0]` in a loop moves every item; use `collections.deque` (`popleft()`, `maxlen=`)"
    weight = 3.5
    triggers = ("del",)
    loop_only = True
    needs = ("del[0]",)
    benchmark = Benchmark(
        setup="from collections import deque\nitems = list(range(20_000))",
        slow="q = list(items)\nwhile q:\n    del q[0]",
        fast="q = deque(items)\nwhile q:\n    q.popleft()",
        size="draining 20,000 items",
    )

    valid = [
        # A dict: deletes the key 0.
        Valid(
            """
            def f(keys):
                d = {0: "a"}
                for k in keys:
                    del d[0]
            """
        ),
        # The last item.
        Valid(
            """
            def f(xs):
                stack = list(xs)
                while stack:
                    del stack[-1]
            """
        ),
        # Not provably a list.
        Valid(
            """
            def f(buf, n):
                while n:
                    del buf[0]
                    n -= 1
            """
        ),
        # Not in a loop.
        Valid(
            """
            def f(xs):
                xs = list(xs)
                del xs[0]
                return xs
            """
        ),
    ]
    invalid = [
        # A journal replayed from the front: comment lines deleted, other lines sliced off.
        Invalid(
            """
            def replay(lines: list[str], handle) -> None:
                while lines:
                    if lines[0].startswith("#"):
                        del lines[0]
                    else:
                        handle(lines[0])
                        lines = lines[1:]
            """
        ),
        # An attribute used as a sliding window (the inference layer knows it is a list).
        Invalid(
            """
            class Smoother:
                def __init__(self, size):
                    self.size = size
                    self.window = []

                def feed(self, samples):
                    for s in samples:
                        self.window.append(s)
                        if len(self.window) > self.size:
                            del self.window[0]
            """
        ),
        Invalid(
            """
            def trim_window(samples: list[float], values, window: int) -> list[float]:
                for v in values:
                    samples.append(v)
                    if len(samples) > window:
                        del samples[0]
                return samples
            """
        ),
        Invalid(
            """
            def drain(jobs, run):
                queue = list(jobs)
                while queue:
                    run(queue[0])
                    del queue[0]
            """
        ),
    ]

    def visit_Del(self, node: cst.Del) -> None:
        target = node.target
        if not (isinstance(target, cst.Subscript) and isinstance(target.value, (cst.Name, cst.Attribute))):
            return
        if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
            return
        key = target.slice[0].slice.value
        if not (isinstance(key, cst.Integer) and key.evaluated_value == 0):
            return
        index = self.scope_index()
        if index is None or not self.context.in_loop or not repeats(self.context, index=index):
            return
        if isinstance(target.value, cst.Attribute):
            text = attribute_list(self.context, target.value)
            if text is None or attribute_rebound_in_loop(self.context, target.value):
                return
            if exits_after(index, node, self.context.loop_depth):
                return
            self.report(node, f"`del {text}[0]` in a loop moves every item of `{text}`; use `collections.deque` "
                        "(`popleft()`, or `deque(maxlen=...)` for a window)")
            return
        name = target.value.value
        if not list_bound(self.context, index, name) or bounded_literal(self.context, index, name):
            return
        if not grows_with_input(self.context, index, name):
            return
        if _rebound_fresh(self.context, index, name) or exits_after(index, node, self.context.loop_depth):
            return
        self.report(node, f"`del {name}[0]` in a loop moves every item of `{name}`; use `collections.deque` "
                    "(`popleft()`, or `deque(maxlen=...)` for a window)")


def _rebound_fresh(context, index, name: str) -> bool:
    """``name`` is bound to a new object inside the innermost loop. ``lines = lines[1:]``
    (a slice of itself) keeps the rest of the same data, so it does not count."""
    loops = context.loops
    if not loops:
        return False
    body = loops[-1].node
    for binding in index.bindings.get(name, []):
        if binding.kind == "augassign" or not index.contains(body, binding.node):
            continue
        if binding.kind == "assign" and self_slice(binding.value, name):
            continue
        return True
    return False
