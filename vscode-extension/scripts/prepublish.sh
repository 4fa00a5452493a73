#!/bin/bash
# `vscode:prepublish`: what `vsce package` (and `vsce publish`) run before packaging.
#
# Typechecks and bundles the extension into dist/, then builds the perflint wheel from
# this checkout into bundled/ (the extension installs it into its private environment on
# first start). Python for the wheel: $PERFLINT_PYTHON, else the repository's .venv, else
# python3 on PATH (3.9 or newer, with pip).
#
# For a platform package it also downloads the dependency wheels of that platform into
# bundled/wheels/ (scripts/platform_wheels.py; needs PyPI), so that first start installs
# without a package index. The target is $PERFLINT_VSIX_TARGET (scripts/package.sh --target
# sets it), else the `--target`/`-t` of the `vsce package` command that runs this script.
# Without a target (the universal package) bundled/ holds the perflint wheel only, and first
# start takes the dependencies from PyPI.
set -euo pipefail
EXT_DIR=$(cd "$(dirname "$0")/.." && pwd)
REPO=$(cd "$EXT_DIR/.." && pwd)
cd "$EXT_DIR"

fail() { printf 'perflint packaging: %s\n' "$*" >&2; exit 1; }

python_ok() { "$1" -c 'import sys, pip; sys.exit(sys.version_info < (3, 9))' >/dev/null 2>&1; }

if [ -n "${PERFLINT_PYTHON:-}" ]; then
  PYTHON=$PERFLINT_PYTHON
  python_ok "$PYTHON" || fail "PERFLINT_PYTHON=$PYTHON is not a Python 3.9+ with pip"
elif [ -x "$REPO/.venv/bin/python" ] && python_ok "$REPO/.venv/bin/python"; then
  PYTHON=$REPO/.venv/bin/python
elif command -v python3 >/dev/null && python_ok "$(command -v python3)"; then
  PYTHON=$(command -v python3)
else
  fail "building the perflint wheel needs Python 3.9+ with pip: install it, set PERFLINT_PYTHON, or run 'bash scripts/setup.sh' at the repository root first"
fi

[ -x node_modules/.bin/esbuild ] || fail "node_modules is missing: run 'npm ci' in vscode-extension/ first (scripts/package.sh does it)"
npm run --silent build

# The wheel is built from a copy of the checkout's files (tracked and untracked, minus
# ignored ones), so a stale setuptools build/ folder can never leak removed modules into it.
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/src"
if git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$REPO" && git ls-files -z --cached --others --exclude-standard -- . ':!vscode-extension' \
    | while IFS= read -r -d '' file; do if [ -f "$file" ]; then printf '%s\0' "$file"; fi; done \
    | tar --null -T - -cf -) | tar -C "$STAGE/src" -xf -
else  # a source archive without .git: the files as they are, minus build output
  (cd "$REPO" && tar --exclude=./vscode-extension --exclude=./.venv --exclude=./build --exclude='*.egg-info' \
    --exclude=.perflint_cache -cf - .) | tar -C "$STAGE/src" -xf -
fi
rm -rf bundled
mkdir -p bundled
"$PYTHON" -m pip wheel --quiet --disable-pip-version-check --no-deps -w bundled "$STAGE/src" >&2 \
  || fail "pip could not build the perflint wheel with $PYTHON (see above)"
WHEEL=$(ls bundled/perflint-*.whl)

# The `vsce package --target X` (or -t X) that started this script, if any: vsce does not pass
# the target on, so read it from the command lines of the parent processes. Prints every target
# named (`vsce publish --target A B` names several).
vsce_targets() {
  local pid=$PPID args words index
  for _ in 1 2 3 4 5 6; do
    [ -n "$pid" ] && [ "$pid" -gt 1 ] 2>/dev/null || return 0
    args=$(ps -o args= -p "$pid" 2>/dev/null) || return 0
    if [[ $args == *vsce* ]]; then
      read -r -a words <<< "$args"
      for ((index = 0; index < ${#words[@]}; index++)); do
        case "${words[index]}" in
          --target=*) echo "${words[index]#--target=}" ;;
          --target | -t)
            while [ $((index + 1)) -lt ${#words[@]} ] && [[ ${words[index + 1]} != -* ]]; do
              index=$((index + 1))
              echo "${words[index]}"
            done ;;
        esac
      done
      return 0
    fi
    pid=$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')
  done
}
if [ -z "${PERFLINT_VSIX_TARGET:-}" ]; then
  FOUND=$(vsce_targets | tr '\n' ' ' | sed 's/ *$//')
  case "$FOUND" in
    *" "*) fail "vsce was given several targets ($FOUND), but each platform package carries its own wheels: build them one by one ('bash scripts/package.sh --all-targets DIR') and publish with 'vsce publish --packagePath DIR/*.vsix'" ;;
  esac
  PERFLINT_VSIX_TARGET=$FOUND
fi
TARGET=$PERFLINT_VSIX_TARGET
if [ -n "$TARGET" ] && [ "$TARGET" != universal ]; then
  printf 'perflint packaging: downloading the dependency wheels for %s\n' "$TARGET" >&2
  "$PYTHON" scripts/platform_wheels.py "$TARGET" "$WHEEL" bundled/wheels >/dev/null \
    || fail "could not download the dependency wheels for $TARGET (see above); 'python3 scripts/platform_wheels.py --list' names the targets"
fi
