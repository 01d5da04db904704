#!/usr/bin/env bash
# Creates .venv with govkg and its test dependencies, and copies the explorer's JavaScript
# libraries from npm into the package's static files. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
# requirements.lock pins every dependency to the versions the suite was last run with (SECURITY.md)
.venv/bin/pip install -q -c requirements.lock -e '.[test]'
if [ -f api/web/package.json ]; then
  # --ignore-scripts: none of the libraries needs an install script (swagger-ui-dist's @scarf/scarf
  # would report the install to scarf.sh; package.json turns it off too)
  (cd api/web && npm ci --ignore-scripts --no-audit --no-fund --silent && npm run --silent copy-assets)
fi
