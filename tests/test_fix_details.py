"""Details of fixes as an editor user sees them: where an added import lands, quick-fix
titles, the fix PF401 offers, and fix-all keeping the project's line length."""

from __future__ import annotations

import textwrap

from perflint.autofix import fix_text
from perflint.lsp_actions import action_title
from perflint.model import SAFE, UNSAFE, Fix

BFS = """

def bfs(start):
    queue = [start]
    while queue:
        node = queue.pop(0)
        queue.extend(node.children)
"""


def header_after_fix(header: str) -> str:
    fixed, applied = fix_text(header + BFS, "x.py", None)
    assert applied >= 1
    return fixed.split("\n\n\ndef bfs")[0] + "\n"


def test_a_standard_library_import_joins_the_standard_library_group():
    before = "import os\nimport sys\n\nimport requests\n\nfrom myapp import models\n"
    assert header_after_fix(before) == (
        "import os\nimport sys\nfrom collections import deque\n\nimport requests\n\nfrom myapp import models\n"
    )


def test_it_is_sorted_among_the_groups_from_imports():
    before = "import os\nfrom abc import ABC\nfrom typing import Any\n\nimport requests\n"
    assert header_after_fix(before) == (
        "import os\nfrom abc import ABC\nfrom collections import deque\nfrom typing import Any\n\nimport requests\n"
    )


def test_without_a_standard_library_group_it_starts_one_after_future_imports():
    before = "from __future__ import annotations\n\nimport requests\nfrom myapp import models\n"
    assert header_after_fix(before) == (
        "from __future__ import annotations\n\nfrom collections import deque\n\nimport requests\nfrom myapp import models\n"
    )


def test_only_standard_library_imports_keep_the_usual_place():
    assert header_after_fix("import os\n") == "import os\nfrom collections import deque\n"


def test_quick_fix_titles_are_plain_text():
    assert action_title(Fix("Use `await asyncio.sleep(...)`", SAFE, ()), "PF401") == "Use await asyncio.sleep(...) (PF401)"
    assert action_title(Fix("Use a `collections.deque`", UNSAFE, ()), "PF103") == "Use a collections.deque (PF103, unsafe)"


def test_pf401_offers_a_fix_for_time_sleep_even_without_asyncio_imported():
    from perflint.engine import lint_source

    source = "import time\n\nasync def poll():\n    time.sleep(1)\n"
    [finding] = [f for f in lint_source(source, "x.py") if f.code == "PF401"]
    assert finding.fix is not None and not finding.fix.is_safe  # the event loop is not known here
    trio = "import time\nimport trio\n\nasync def poll():\n    time.sleep(1)\n"
    assert all(f.fix is None for f in lint_source(trio, "x.py") if f.code == "PF401")


LONG = textwrap.dedent(
    """
    def f(rows, default):
        out = []
        for key, value in rows if rows else default:
            if (m := value.match(key)):
                out.append(m.group(0))
        return out
    """
).lstrip()


def test_fix_all_in_the_editor_keeps_the_configured_line_length(tmp_path):
    path = tmp_path / "pkg" / "mod.py"
    path.parent.mkdir()
    path.write_text(LONG)
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 79\n")
    plain, applied = fix_text(LONG, str(path), None)
    assert applied == 1 and max(len(line) for line in plain.splitlines()) > 79  # the command line applies it
    kept, applied = fix_text(LONG, str(path), None, keep_line_length=True)
    assert (kept, applied) == (LONG, 0)  # the editor's fix-all leaves it to the quick fix
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 120\n")
    from perflint import fixes

    fixes._LINE_LENGTHS.clear()
    wide, applied = fix_text(LONG, str(path), None, keep_line_length=True)
    assert applied == 1 and wide == plain
