"""A small run of ``benchmarks/lsp_stress.py``: the server under an editor's load, for a
client that resolves code actions and one that does not. Interleaved incremental edits
(some leaving the file unparsable for a moment) with code-action, hover, pull and fix-all
requests, documents opened and closed, malformed messages; then every document is saved
and the server's diagnostics must be ``perflint check``'s."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import lsp_stress  # noqa: E402


@pytest.mark.parametrize("kind", sorted(lsp_stress.CLIENTS))
def test_the_server_under_load(kind, tmp_path):
    config = lsp_stress.Config(documents=6, edits=300, big_lines=2000, seed=3)
    result = asyncio.run(lsp_stress.session(kind, config, tmp_path))
    assert result.requests > 100
    assert result.unanswered == 0
    assert set(result.errors) <= {"malformed"}  # line -5: answered -32602, nothing else fails
    assert result.mismatched == []
    assert result.unparsable < result.documents  # the comparison covers whole findings, not only PF000
    assert result.shown == []
    assert result.tracebacks == 0
    assert result.exit_code == 0
