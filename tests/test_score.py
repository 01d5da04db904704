"""The project's extraction score on the development key, with the scorer from ../shared/eval."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from corpora import EVAL, SEEDS

KEYS = EVAL / "dev"
SCORER = EVAL / "score.py"

pytestmark = pytest.mark.skipif(not (SEEDS.is_dir() and SCORER.is_file()), reason="../shared is not beside the repo")


def test_dev_key_scores(tmp_path, seed_build):
    build = seed_build
    export = tmp_path / "export.jsonl"
    with export.open("w", encoding="utf-8") as fh:
        for record in build.graph().iter_records():
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    out = subprocess.run([sys.executable, str(SCORER), str(export), str(KEYS), "--corpus", str(SEEDS), "--json"],
                         capture_output=True, text=True, check=True)
    totals = json.loads(out.stdout)["totals"]
    assert totals["measures"]["recall"] >= 0.98
    assert totals["measures"]["precision"] >= 0.98
    assert totals["roles_named"]["f1"] >= 0.95
    assert totals["platforms"]["f1"] >= 0.85
    assert totals["targets"]["f1"] >= 0.80
    assert totals["plan_fields"]["accuracy"] >= 0.95
    assert totals["evidence"]["exact_rate"] == 1.0
    assert totals["evidence"]["coverage"] == 1.0
