#!/usr/bin/env bash
# Install everything the tests need (idempotent), then run the whole test suite.
#
# The install is heavy the first time: Neovim via apt (as root), and the VS Code end-to-end
# toolchain (npm packages, code-server, headless Chromium: about ten minutes, cached under
# ~/.cache). For the edit-test loop, skip the end-to-end tests instead:
#   .venv/bin/python -m pytest -q -m "not e2e"
# Arguments are passed to pytest (bash scripts/test.sh -m e2e runs only the end-to-end tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
