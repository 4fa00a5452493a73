"""perflint on its own source: the engine (server/) and the rules (rules/) are clean.

A finding here is either slow code in perflint (fix the code) or a rule that
is wrong about perflint's code (a false positive: tell the rule's owner).
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_perflint_finds_nothing_in_its_own_source(perflint):
    run = perflint("check", "--no-cache", "--select", "PF", str(REPO / "server"), str(REPO / "rules"))
    assert (run.returncode, run.stderr) == (0, ""), run.stdout + run.stderr
    assert run.stdout == "No findings.\n"
