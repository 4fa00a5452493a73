"""Regenerate the parts of the documentation that come from the rule registry.

- README.md: the rule table between ``<!-- rules:start -->`` and ``<!-- rules:end -->``.

``python scripts/generate_docs.py`` rewrites them; ``--check`` exits 1 when
they are stale (the test suite runs it).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def rule_table() -> str:
    from perflint.rules import all_rules

    rows = ["| code | name | level | fix | what it flags |", "|---|---|---|---|---|"]
    for rule in all_rules():
        fix = "yes" if rule.fixable() else ""
        name = f"[`{rule.name}`](docs/rules/{rule.code}.md)"
        note = " *(opt-in)*" if rule.opt_in else ""
        summary = rule.summary().replace("|", "\\|")
        rows.append(f"| {rule.code} | {name} | {int(rule.level)} {rule.level.category} | {fix} | {summary}{note} |")
    return "\n".join(rows)


def render_readme(text: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    return pattern.sub(f"{START}\n{rule_table()}\n{END}", text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the generated docs are stale")
    args = parser.parse_args()
    current = README.read_text(encoding="utf-8")
    wanted = render_readme(current)
    if args.check:
        if wanted != current:
            print("README.md rule table is stale: run python scripts/generate_docs.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
