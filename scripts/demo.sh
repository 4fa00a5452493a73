#!/usr/bin/env bash
# The first run scripts/setup.sh ends with: lint a real folder and show the findings.
#
#   bash scripts/demo.sh [PATH ...]     lint PATH (default: this Python's standard library,
#                                       without its test suites, lib2to3 and idlelib)
#
# Findings are the point of a demo, not a failure: the exit status is 0 whatever was found
# (--exit-zero), and 2 only for a real error (a missing path, a bad option or config).
# $PERFLINT names the perflint to run (default: ./.venv/bin/perflint).
set -euo pipefail
cd "$(dirname "$0")/.."
perflint="${PERFLINT:-.venv/bin/perflint}"

if [ "$#" -eq 0 ]; then
  python="$(dirname "$perflint")/python"  # the interpreter perflint is installed in
  [ -x "$python" ] || python=python3
  stdlib="$("$python" -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')"
  # CPython's own tests hold deliberately broken files (PF000) and test code; lib2to3 and idlelib
  # are tools, not library code; site-packages is never walked (the built-in exclude).
  echo "Linting the standard library in $stdlib (without test/, tests/, lib2to3/, idlelib/):"
  set -- --extend-exclude 'test/,tests/,idle_test/,lib2to3/,idlelib/' "$stdlib"
fi
exec "$perflint" check --exit-zero "$@"
