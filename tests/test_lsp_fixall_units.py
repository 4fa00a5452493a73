"""Fix-all scheduling and its line diff, without a server (perflint.lsp_fixall)."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from perflint.config import Settings
from perflint.fixes import apply_fixes
from perflint.lsp_documents import Superseded
from perflint.lsp_fixall import FixAllScheduler, line_edits
from perflint.model import SAFE, Fix
from test_lsp_support import GUARD_S, READLINES, READLINES_FIXED


def big_file(lines: int, every: int = 10) -> str:
    """Functions of repeated lines, every ``every``-th one with a PF404 loop (fixable)."""
    out: list[str] = []
    index = 0
    while len(out) < lines:
        if index % every == 0:
            out += [f"def read_{index}(path):", "    with open(path) as f:", "        for line in f.readlines():"]
            out += ["            print(line)", ""]
        else:
            out += [f"def compute_{index}(values, scale):", "    total = 0", "    for value in values:"]
            out += ["        if value > scale:", "            total += value * scale", "    return total", ""]
        index += 1
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("seed", range(40))
def test_line_edits_turn_the_old_text_into_the_new(seed):
    rng = random.Random(seed)
    pieces = ["a = 1\n", "b\r\n", "\n", "for x in y:\n", "    pass\n", "é😀\n", "c\r", "tail"]
    old = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30)))
    lines = old.splitlines(keepends=True)
    for _ in range(rng.randrange(0, 5)):
        at = rng.randrange(0, len(lines) + 1)
        if rng.random() < 0.5 and at < len(lines):
            lines[at] = rng.choice(pieces)
        else:
            lines.insert(at, rng.choice(pieces))
    new = "".join(lines)
    assert apply_perflint_edits(old, line_edits(old, new)) == new


def test_line_edits_on_a_large_file_of_repeated_lines_is_quick():
    old = big_file(15_000)
    new = old.replace("in f.readlines():", "in f:")
    started = time.perf_counter()
    edits = line_edits(old, new)
    elapsed = time.perf_counter() - started
    assert len(edits) == old.count("readlines") and apply_perflint_edits(old, edits) == new
    assert elapsed < 20  # difflib without autojunk took 202 s here; this takes about 0.2 s


def apply_perflint_edits(text: str, edits) -> str:
    fixed, _ = apply_fixes(text, [Fix("edits", SAFE, tuple(edits))])
    return fixed


class Document:
    def __init__(self, text: str) -> None:
        self.text = text
        self.generation = 1


def start(scheduler: FixAllScheduler, document: Document, uri: str = "file:///a.py"):
    generation = document.generation
    return scheduler.start(
        uri, generation, generation, document.text, document.text.splitlines(keepends=True), None, Settings(select=("PF", "micro")),
        stale=lambda: document.generation != generation,
    )


def test_one_computation_per_generation_and_stale_work_stops():
    async def run():
        scheduler = FixAllScheduler()
        try:
            document = Document(big_file(6_000))
            first = start(scheduler, document)
            assert start(scheduler, document) is first  # asked again: the same work
            document.generation = 2  # an edit arrives while it runs
            document.text = READLINES
            second = start(scheduler, document)
            with pytest.raises(Superseded):
                await asyncio.wait_for(first, GUARD_S)
            result = await asyncio.wait_for(second, GUARD_S)
            assert apply_perflint_edits(READLINES, result.edits) == READLINES_FIXED
            assert scheduler.ready("file:///a.py", 2) is result and scheduler.ready("file:///a.py", 1) is None
            assert scheduler.computed == 1  # the stale one never finished
        finally:
            scheduler.shutdown()

    asyncio.run(run())
