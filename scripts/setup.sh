#!/usr/bin/env bash
# Set up perflint in ./.venv and lint a folder with it (scripts/demo.sh).
#
#   bash scripts/setup.sh [PATH ...]     lint PATH (default: this Python's standard library
#                                        without its tests); exits 0 whatever the lint finds
#   bash scripts/setup.sh --test         also install what the test suite needs (Neovim, the
#                                        VS Code end-to-end toolchain); lints nothing
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' || {
  echo "perflint needs Python 3.10 or newer; python3 is $(python3 --version 2>&1)" >&2
  exit 2
}
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"

if [ "${1:-}" = "--test" ]; then
  if ! command -v nvim >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
  fi
  if [ -f vscode-extension/scripts/setup-e2e.sh ]; then
    bash vscode-extension/scripts/setup-e2e.sh
  fi
  exit 0
fi

echo "perflint is set up in .venv: run it as .venv/bin/perflint (or activate .venv)."
# The demo exits 0 whatever it finds; 2 (and so does set-up) only on a real error.
exec bash scripts/demo.sh "$@"
