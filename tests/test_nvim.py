"""End to end with a real editor: headless Neovim drives `perflint server`.

Neovim starts the server, receives pushed diagnostics (0.7 cannot pull),
answers the server's workspace/configuration with its settings, applies the
quick fix from a code action and sends the edit back as an incremental
change. Skipped only when Neovim is not installed (`.ci/run` installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from test_lsp_support import READLINES, READLINES_FIXED, SERVER_COMMAND

SCRIPT = Path(__file__).parent / "nvim" / "quickfix.lua"


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed")
def test_neovim_shows_the_diagnostic_and_applies_the_quick_fix(tmp_path):
    source = tmp_path / "example.py"
    source.write_text(READLINES)
    out = tmp_path / "result.json"
    env = {
        **os.environ,
        "HOME": str(tmp_path),  # Neovim writes its log and state under HOME
        "PERFLINT_NVIM_OUT": str(out),
        "PERFLINT_SERVER_CMD": json.dumps(SERVER_COMMAND),
    }
    run = subprocess.run(
        ["nvim", "--headless", "--clean", "-n", "-c", f"luafile {SCRIPT}", source.name],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    result = json.loads(out.read_text())
    assert run.returncode == 0, (run.returncode, result, run.stderr[-2000:])
    [diagnostic] = result["diagnostics"]
    assert diagnostic["code"] == "PF404" and diagnostic["source"] == "perflint"
    assert (diagnostic["lnum"], diagnostic["col"], diagnostic["end_col"]) == (2, 20, 33)
    assert diagnostic["message"].startswith("[L4 io] ")
    kinds = sorted(action["kind"] for action in result["code_actions"])
    assert kinds == ["quickfix", "quickfix", "source.fixAll.perflint"]  # the fix, suppress, fix all
    assert "\n".join(result["text_after_fix"]) + "\n" == READLINES_FIXED
    assert result["diagnostics_after_fix"] == 0
