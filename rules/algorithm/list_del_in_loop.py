"""PF125 list-del-in-loop."""

from __future__ import annotations

import libcst as cst
from perflint.analysis import ScopeAware, code_of, exits_after, names_used
from perflint.model import Level
from perflint.rule import Benchmark, Invalid, Rule, Valid

from ._sequences import SkipsTests, attribute_list, bounded_literal, built_from_input, list_bound, repeats


class ListDelInLoop(SkipsTests, ScopeAware, Rule):
    """
    ## What it does
    Flags `del items[i]` inside a `for` loop over positions
    (`for i in sorted(doomed, reverse=True): del items[i]`) when `items` is a
    list that grows with the input: `self.items` that the module appends to
    (or fills from a parameter), a list-annotated parameter, or a local list
    built from one or from data (a comprehension over it, `split()`,
    `readlines()`). `del items[0]` is PF120's.

    ## Why is this slow?
    Deleting an item moves every item after it one slot to the front, so
    removing `k` items of an `n`-item list one by one costs O(k·n); keeping
    the wanted items with one comprehension is O(n). Measured (best of 5
    `timeit` runs on Python 3.11.7, this project's shared 2-core machine,
    2026-12-08): deleting 10,000 positions (largest first) of a 20,000-item
    list took 100 ms, a comprehension over a set of the positions 25 ms (4x);
    the gap grows with the list.

    ## Example
    ```python
    def remove(self, doomed):
        for i in sorted(doomed, reverse=True):
            del self.blocks[i]
    ```

    ## Use instead
    ```python
    def remove(self, doomed):
        doomed = set(doomed)
        self.blocks[:] = [b for i, b in enumerate(self.blocks) if i not in doomed]
    ```

    ## Fix safety
    No fix: the loop body often does more than delete (it logs, or updates
    state in the order of the walk), which a comprehension has to keep.

    ## Known false positives
    A short list, or a loop that deletes a few items, costs little. Not
    flagged: `del` of a constant index (PF120 reports `del items[0]`), loops
    over literal displays or `range(<literal>)`, lists written out in the
    source, names whose kind is unknown, a local list whose only evidence of
    size is that an enclosing loop appends to it (fnmatch's pieces of one
    bracket expression), a `del` followed by `return`/`raise`/`break`, test
    modules. An in-place filter written as a `while i < len(items)` walk is
    not reported: a first version that did found, on the standard library and
    pypdf, 2 walks worth acting on (pypdf's content-stream operations) among
    4 over a few items (an XML element's include children, a page's
    annotations, a clone's ignored fields).
    Precision (2026-12-08): on the Python 3.11 standard library, 2 findings,
    both correct (distutils' `FileList` drops duplicates and excluded files
    one `del` at a time over the whole manifest); on networkx, openpyxl,
    python-docx, docutils, pypdf, EbookLib, bibtexparser, python-pptx and
    csvkit, 1 (bibtexparser's `Library.remove`, a labelled positive).
    Judged for worth in the library corpus of `docs/precision.md`: 4
    findings (the two distutils walks and httpx's removal of a repeated
    header), all correct but negligible there: once per build, or one
    request's few headers.
    """

    code = "PF125"
    name = "list-del-in-loop"
    level = Level.ALGORITHM
    message = "`del items[i]` per position in a loop moves the rest of the list on every deletion; keep the wanted items with one comprehension"
    weight = 3.0
    triggers = ("del",)
    loop_only = True
    needs = ("del[i]",)
    benchmark = Benchmark(
        setup="items = list(range(20_000))\ndoomed = range(0, 20_000, 2)",
        slow="kept = list(items)\nfor i in sorted(doomed, reverse=True):\n    del kept[i]",
        fast="drop = set(doomed)\nkept = [x for i, x in enumerate(items) if i not in drop]",
        size="deleting 10,000 positions of 20,000 items",
    )

    valid = [
        # A dict keyed by position: deleting a key moves nothing.
        Valid(
            """
            def prune(rows, empty):
                by_pos = {}
                for n, row in enumerate(rows):
                    by_pos[n] = row
                for n in empty:
                    del by_pos[n]
            """
        ),
        # An in-place filter walked with `while`: not this rule's (a few items, often).
        Valid(
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
        # The pieces of one short pattern, grown by the enclosing loop over its characters.
        Valid(
            """
            def translate(pat):
                i, n = 0, len(pat)
                while i < n:
                    chunks = []
                    while pat[i] != "]":
                        chunks.append(pat[i])
                        i += 1
                    for k in range(len(chunks) - 1, 0, -1):
                        if chunks[k - 1] > chunks[k]:
                            del chunks[k]
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
        if isinstance(loop, cst.For) and key.value in names_used(loop.target) and self._growing_list(index, sequence):
            text = code_of(sequence)
            self.report(
                node,
                f"`del {text}[...]` once per position the loop walks moves the rest of `{text}` on every "
                "deletion: O(n·k); keep the wanted items with one comprehension",
            )

    def _growing_list(self, index, sequence: cst.BaseExpression) -> bool:
        """A list that grows with the input: ``self.items`` the module appends to (or fills
        from a parameter), or a local list that a binding makes from the input (PF120's
        evidence, less the growth by an enclosing loop: a parser's pieces of one short
        string grow that way too)."""
        if isinstance(sequence, cst.Attribute):
            return attribute_list(self.context, sequence) is not None
        name = sequence.value  # type: ignore[attr-defined]
        if not list_bound(self.context, index, name) or bounded_literal(self.context, index, name):
            return False
        return built_from_input(self.context, index, name)
