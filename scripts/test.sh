#!/usr/bin/env bash
# Runs the whole test suite (the Bolt server and Chromium tests start what they need themselves).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
