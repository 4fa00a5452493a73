"""PF125 list-del-in-loop."""

from __future__ import annotations


import libcst as cst
from perflint.analysis import ScopeAware, code_of, exits_after, names_used
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

from ._sequences import SkipsTests, attribute_list, bounded_literal, grows_with_input, list_bound, repeats

# What a sequence whose middle ``del`` costs O(1) (or that is no sequence) can hold.
_NOT_ARRAYS = frozenset({"dict", "set", "frozenset", "str", "bytes", "tuple"})


class ListDelInLoop(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags `del items[i]` with a computed index inside a loop that removes
    items of the same list one at a time:
    - a `while i < len(items)` walk that deletes the items it rejects and
      steps past the others (an in-place filter), whatever `items` holds
      unless the inference layer knows it is no list (a dict, a set...);
    - a `for` loop over positions (`for i in sorted(doomed, reverse=True):
      del items[i]`) when `items` is a list that grows with the input (a
      list-annotated parameter, a list built from data, or `self.items` that
      the module appends to).

    `del items[0]` is PF120's.

    ## Why is this slow?
    Deleting an item moves every item after it one slot to the front, so
    removing `k` items of an `n`-item list one by one costs O(k·n); keeping
    the wanted items with one comprehension (`items[:] = [x for x in items
    if keep(x)]`) is O(n). Measured (best of 5 `timeit` runs on Python
    3.11.7, this project's shared 2-core machine, 2026-12-08): filtering the
    odd numbers out of a 20,000-item list with `del` in a `while` walk took
    263 ms, with a comprehension 10 ms (26x); deleting 10,000 positions
    (largest first) of a 20,000-item list took 100 ms, a comprehension over a
    set of positions 25 ms (4x).

    ## Example
    ```python
    i = 0
    while i < len(ops):
        if ops[i].kind in dropped:
            del ops[i]
        else:
            i += 1
    ```

    ## Use instead
    ```python
    ops[:] = [op for op in ops if op.kind not in dropped]
    ```

    ## Fix safety
    No fix: the loop body often does more than decide (it updates state
    that depends on the order of the walk), which a comprehension has to
    keep.

    ## Known false positives
    A short list, or a loop that deletes a few items, costs little. Not
    flagged: `del` of a constant index (PF120 reports `del items[0]`), a
    `for` loop over a literal display or `range(<literal>)`, lists written
    out in the source, a `for` loop over positions when the list's kind is
    unknown or it shows no evidence of growing with the input, a `del`
    followed by `return`/`raise`/`break`, test modules.
    Precision: see "Real code, round 3 (algorithm)" in
    `benchmarks/holdout/README.md`.
    """

    code = "PF125"
    name = "list-del-in-loop"
    level = Level.ALGORITHM
    message = "`del items[i]` in a loop moves the rest of the list on every deletion; keep the wanted items with one comprehension"
    weight = 3.0
    triggers = ("del",)
    loop_only = True
    needs = ("del[i]",)
    benchmark = Benchmark(
        setup="items = list(range(20_000))",
        slow=(
            "ops = list(items)\ni = 0\n"
            "while i < len(ops):\n"
            "    if ops[i] % 2:\n        del ops[i]\n"
            "    else:\n        i += 1"
        ),
        fast="ops = list(items)\nops[:] = [o for o in ops if not o % 2]",
        size="filtering 10,000 of 20,000 items",
    )

    valid = [
        # A dict keyed by position: deleting a key moves nothing.
        Valid(
            """
            def prune(rows):
                by_pos = {}
                for n, row in enumerate(rows):
                    by_pos[n] = row
                i = 0
                while i < len(by_pos):
                    if not by_pos[i]:
                        del by_pos[i]
                    i += 1
            """
        ),
        # A constant index: PF120's.
        Valid(
            """
            def drain(jobs: list, run):
                while jobs:
                    run(jobs[0])
                    del jobs[0]
            """
        ),
        # Positions of a list whose kind is unknown: a parameter without annotation.
        Valid(
            """
            def drop(items, doomed):
                for i in sorted(doomed, reverse=True):
                    del items[i]
            """
        ),
        # A fixed number of deletions.
        Valid(
            """
            def strip_ends(words: list[str]):
                for i in (-1, 0):
                    del words[i]
            """
        ),
        # Deletes once and leaves.
        Valid(
            """
            def remove_first_blank(lines: list[str]):
                i = 0
                while i < len(lines):
                    if not lines[i]:
                        del lines[i]
                        return
                    i += 1
            """
        ),
    ]
    invalid = [
        # An in-place filter of a page's operations (pypdf's shape).
        Invalid(
            """
            def clean(content, kinds):
                i = 0
                while i < len(content.operations):
                    operands, operator = content.operations[i]
                    if operator in kinds:
                        del content.operations[i]
                    else:
                        i += 1
            """
        ),
        # Positions removed one by one from a list the class grows.
        Invalid(
            """
            class Library:
                def __init__(self):
                    self._blocks = []

                def add(self, block):
                    self._blocks.append(block)

                def remove(self, positions):
                    for index in sorted(positions, reverse=True):
                        del self._blocks[index]
            """
        ),
        Invalid(
            """
            def keep_valid(rows: list[dict], bad: list[int]):
                for n in reversed(bad):
                    del rows[n]
                return rows
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
        if not isinstance(key, cst.Name):
            return
        loops = self.context.loops
        index = self.scope_index()
        if index is None or not loops or not repeats(self.context, index=index):
            return
        if exits_after(index, node, self.context.loop_depth):
            return
        sequence = target.value
        loop = loops[-1].node
        if isinstance(loop, cst.While) and _walks(loop, sequence, key.value):
            if self.context.kind_of(sequence).kind in _NOT_ARRAYS:
                return
            self._report(node, sequence, "a `while` walk that deletes the items it rejects")
            return
        if isinstance(loop, cst.For) and key.value in names_used(loop.target) and self._growing_list(index, sequence):
            self._report(node, sequence, "one deletion per position the loop walks")

    def _growing_list(self, index, sequence: cst.BaseExpression) -> bool:
        """A list that grows with the input: ``self.items`` the module appends to, or a local
        list with evidence of being as large as the data (PF120's test)."""
        if isinstance(sequence, cst.Attribute):
            return attribute_list(self.context, sequence) is not None
        name = sequence.value  # type: ignore[attr-defined]
        if not list_bound(self.context, index, name) or bounded_literal(self.context, index, name):
            return False
        return grows_with_input(self.context, index, name)

    def _report(self, node: cst.Del, sequence: cst.BaseExpression, how: str) -> None:
        text = code_of(sequence)
        self.report(
            node,
            f"`del {text}[...]` in a loop ({how}) moves the rest of `{text}` on every deletion: "
            "O(n·k); keep the wanted items with one comprehension",
        )


def _walks(loop: cst.While, sequence: cst.BaseExpression, position: str) -> bool:
    """``while i < len(seq)`` (or ``len(seq) > i``): the loop walks ``seq`` by ``position``."""
    test = loop.test
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
        return False
    left, right = test.left, test.comparisons[0].comparator
    operator = test.comparisons[0].operator
    if isinstance(operator, (cst.LessThan, cst.LessThanEqual)):
        counter, bound = left, right
    elif isinstance(operator, (cst.GreaterThan, cst.GreaterThanEqual)):
        counter, bound = right, left
    else:
        return False
    return (
        isinstance(counter, cst.Name)
        and counter.value == position
        and isinstance(bound, cst.Call)
        and isinstance(bound.func, cst.Name)
        and bound.func.value == "len"
        and len(bound.args) == 1
        and bound.args[0].value.deep_equals(sequence)
    )


