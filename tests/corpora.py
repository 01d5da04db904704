"""Where the tests find the shared corpus and answer key: ../shared beside the repository."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"  # the real seed documents (never copied into the repo)
EVAL = SHARED / "eval"  # FORMAT.md, dev/ answer key, score.py
