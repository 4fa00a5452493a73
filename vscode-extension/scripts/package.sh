#!/bin/bash
# Builds the extension and packages it, with the perflint wheel inside, into a .vsix.
#
#   bash vscode-extension/scripts/package.sh [OUT.vsix]
#
# Steps: npm ci (when node_modules is missing), typecheck + esbuild bundle, build the
# perflint wheel from this checkout into bundled/, vsce package. Prints the .vsix path last.
# PERFLINT_PYTHON picks the Python that builds the wheel (default: the repository's .venv).
set -euo pipefail
EXT_DIR=$(cd "$(dirname "$0")/.." && pwd)
REPO=$(cd "$EXT_DIR/.." && pwd)
PYTHON=${PERFLINT_PYTHON:-$REPO/.venv/bin/python}
cd "$EXT_DIR"

VERSION=$(node -p 'require("./package.json").version')
OUT=${1:-$EXT_DIR/perflint-$VERSION.vsix}

[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent build

# The wheel is built from a copy of the checkout's files (tracked and untracked, minus
# ignored ones), so a stale setuptools build/ folder can never leak removed modules into it.
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/src"
(cd "$REPO" && git ls-files -z --cached --others --exclude-standard -- . ':!vscode-extension' \
  | while IFS= read -r -d '' file; do if [ -f "$file" ]; then printf '%s\0' "$file"; fi; done \
  | tar --null -T - -cf -) | tar -C "$STAGE/src" -xf -
rm -rf bundled
mkdir -p bundled
"$PYTHON" -m pip wheel --quiet --disable-pip-version-check --no-deps -w bundled "$STAGE/src"
ls bundled/perflint-*.whl >/dev/null

npx --no-install vsce package --no-dependencies --allow-missing-repository --out "$OUT" >&2
echo "$OUT"
