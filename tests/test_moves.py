"""While a file does not parse, the last good findings outside the edit stay, moved."""

from __future__ import annotations

from perflint.engine import BlockCache, lint_source

LOOP = "    def {name}(self, path):\n        for line in open(path).readlines():\n            print(line)\n"
TEXT = "import os\n\n\nclass Reader:\n" + LOOP.format(name="first") + "\n" + LOOP.format(name="second")


def _lint(text: str, cache: BlockCache) -> list[tuple[str, int]]:
    found = lint_source(text, "reader.py", block_cache=cache)
    cache.prune()
    return [(f.code, f.line) for f in found]


def test_an_unparsable_edit_keeps_the_findings_of_the_other_members_moved():
    cache = BlockCache()
    assert _lint(TEXT, cache) == [("PF404", 6), ("PF404", 10)]
    # Two lines typed into the first method, the second still open: only the first loses its finding.
    broken = TEXT.replace("        for line", "        x = [\n        y = 1\n        for line", 1)
    assert _lint(broken, cache) == [("PF000", 6), ("PF404", 12)]
    # Parsing again, the result is what a fresh lint gives, the second method from the cache.
    hits = cache.hits
    repaired = broken.replace("x = [\n", "x = []\n")
    assert lint_source(repaired, "reader.py", block_cache=cache) == lint_source(repaired, "reader.py")
    assert cache.hits > hits


def test_a_kept_finding_loses_a_fix_that_would_edit_the_touched_lines():
    # PF103's fix inserts `from collections import deque` at line 2, after the imports.
    cache = BlockCache()
    text = "import os\n\n\ndef f(todo):\n    queue = list(todo)\n    while queue:\n        print(queue.pop(0))\n"
    assert _lint(text, cache) == [("PF103", 7)]
    away = lint_source(text.replace("import os\n", "import os(\n"), "reader.py", block_cache=cache)
    assert [(f.code, f.line) for f in away] == [("PF000", 1), ("PF103", 7)]
    assert away[1].fix is not None and away[1].fix.edits[0].line == 2  # line 1 was edited, not line 2
    typed = lint_source(text.replace("import os\n", "import os\nimport (\n"), "reader.py", block_cache=cache)
    assert [(f.code, f.line) for f in typed] == [("PF000", 2), ("PF103", 8)]
    assert typed[1].fix is None  # it would insert where the user is typing


def test_without_a_good_lint_only_the_syntax_error_is_reported():
    cache = BlockCache()
    assert _lint("def f(:\n    pass\n", cache) == [("PF000", 1)]
