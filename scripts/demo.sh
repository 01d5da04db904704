#!/usr/bin/env bash
# Sets everything up and runs the main job: build the seed corpus (or the bundled examples)
# into data/ with no external server, then print what was built.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
corpus=../shared/corpus/seeds
[ -d "$corpus" ] || corpus=examples/corpus
.venv/bin/govkg build "$corpus" --out data
.venv/bin/govkg stats data
.venv/bin/govkg export data --format jsonl --output data/export.jsonl
echo "export written to data/export.jsonl; serve it with: .venv/bin/govkg serve data"
