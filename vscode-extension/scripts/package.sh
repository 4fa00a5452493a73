#!/bin/bash
# Builds the extension and packages it, with the perflint wheel inside, into a .vsix.
#
#   bash vscode-extension/scripts/package.sh [OUT.vsix]                  # universal package
#   bash vscode-extension/scripts/package.sh --target TARGET [OUT.vsix]  # one platform package
#   bash vscode-extension/scripts/package.sh --all-targets [OUT_DIR]     # every platform package
#
# The universal package installs perflint's dependencies from PyPI on first start. A platform
# package (`vsce package --target TARGET`: linux-x64, linux-arm64, alpine-x64, alpine-arm64,
# darwin-arm64, win32-x64, win32-arm64) also carries their wheels for CPython 3.10 to 3.15
# ($PERFLINT_WHEEL_PYTHONS to choose), downloaded from PyPI while packaging, so its first
# start needs no network. --all-targets builds the universal package and every platform one
# into OUT_DIR (default: vscode-extension/) and prints their paths and sizes.
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

TARGET=
case "${1:-}" in
  --target)
    [ -n "${2:-}" ] || fail "--target needs a target, one of: $("${PERFLINT_PYTHON:-python3}" scripts/platform_wheels.py --list 2>/dev/null | tr '\n' ' ')"
    TARGET=$2
    shift 2 ;;
  --all-targets)
    OUT_DIR=$(mkdir -p "${2:-$EXT_DIR}" && cd "${2:-$EXT_DIR}" && pwd)
    VERSION=$(node -p 'require("./package.json").version')
    for target in universal $("${PERFLINT_PYTHON:-python3}" scripts/platform_wheels.py --list); do
      suffix=${target/#universal/}
      out=$(bash "$0" --target "$target" "$OUT_DIR/perflint-${suffix:+$suffix-}$VERSION.vsix")
      printf '%s\t%s\n' "$out" "$(du -h "$out" | cut -f1)"
    done
    exit 0 ;;
  -*) fail "unknown option $1 (usage: package.sh [--target TARGET | --all-targets] [OUT])" ;;
esac

VERSION=$(node -p 'require("./package.json").version')
[ -x node_modules/.bin/vsce ] || npm ci --no-audit --no-fund >&2
if [ -z "$TARGET" ] || [ "$TARGET" = universal ]; then
  OUT=${1:-$EXT_DIR/perflint-$VERSION.vsix}
  mkdir -p "$(dirname "$OUT")"
  PERFLINT_VSIX_TARGET=universal npx --no-install vsce package --no-dependencies --allow-missing-repository --out "$OUT" >&2
else
  OUT=${1:-$EXT_DIR/perflint-$TARGET-$VERSION.vsix}
  mkdir -p "$(dirname "$OUT")"
  PERFLINT_VSIX_TARGET=$TARGET npx --no-install vsce package --no-dependencies --allow-missing-repository \
    --target "$TARGET" --out "$OUT" >&2
fi
echo "$OUT"
