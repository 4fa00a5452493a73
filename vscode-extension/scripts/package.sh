#!/bin/bash
# Builds the extension and packages it, with the perflint wheel inside, into a .vsix.
#
#   bash vscode-extension/scripts/package.sh [OUT.vsix]
#
# Works on a fresh clone: needs Node.js 20+ with npm, and Python 3.9+ with pip (the
# repository's .venv when scripts/setup.sh made one, else python3 on PATH, or
# $PERFLINT_PYTHON). Runs `npm ci` when node_modules is missing, then `vsce package`,
# whose `vscode:prepublish` (scripts/prepublish.sh) typechecks, bundles and builds the
# wheel. Prints the .vsix path last.
set -euo pipefail
EXT_DIR=$(cd "$(dirname "$0")/.." && pwd)
cd "$EXT_DIR"

fail() { printf 'perflint packaging: %s\n' "$*" >&2; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null \
  || fail "Node.js 20 or newer with npm is needed to build the extension (https://nodejs.org), then run this again"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' \
  || fail "Node.js $(node --version) is too old: 20 or newer is needed"

VERSION=$(node -p 'require("./package.json").version')
OUT=${1:-$EXT_DIR/perflint-$VERSION.vsix}

[ -x node_modules/.bin/vsce ] || npm ci --no-audit --no-fund >&2
npx --no-install vsce package --no-dependencies --allow-missing-repository --out "$OUT" >&2
echo "$OUT"
