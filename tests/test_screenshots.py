"""scripts/screenshots.py takes the Graph, Series, Compare and Query tabs of the explorer on the
seed corpus (run by the suite, so CI takes them as the code draws them)."""
from __future__ import annotations

import importlib.util

import pytest

from corpora import REPO

pytestmark = pytest.mark.timeout(300)


def _script():
    spec = importlib.util.spec_from_file_location("screenshots", REPO / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_screenshots_of_the_four_tabs(tmp_path, browser, seed_data):
    data = seed_data
    shots = _script().take(data, tmp_path / "shots", browser=browser)
    assert [p.name for p in shots] == ["graph.png", "series.png", "compare.png", "query.png"]
    for path in shots:
        png = path.read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000, path
    # the committed pictures in docs/ are the same four
    assert {p.name for p in (REPO / "docs" / "screenshots").glob("*.png")} == {p.name for p in shots}
