"""Screenshots of the explorer's Graph, Series, Compare and Query tabs (docs/screenshots/*.png).

    .venv/bin/python scripts/screenshots.py [--corpus ../shared/corpus/seeds] [--out docs/screenshots]
                                            [--data DIR] [--chromium /usr/bin/chromium]

Builds the corpus (or serves --data), starts the server on a free 127.0.0.1 port in a thread and
drives Debian's headless Chromium with Playwright through the four tabs. tests/test_screenshots.py
runs it on every test run, so the pictures in docs/ are the explorer as the code draws it.
"""
from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
TABS = ("graph", "series", "compare", "query")
GRAPH_NODE = "platform:爱山东"
SERIES = "base_stations_5g"
QUERY = ("PREFIX govkg: <https://govkg.example.org/ontology#>\n"
         "SELECT ?agency ?platform WHERE { ?agency govkg:OWNS ?platform } LIMIT 50")


def _serve(data: Path):
    import uvicorn

    from govkg.api.app import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(data), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def take(data: Path, out: Path, chromium: Path = CHROMIUM, browser=None) -> list[Path]:
    """One PNG per tab in `out`; returns their paths. `browser`: a Playwright browser already
    running (the test suite's), else Chromium is launched for the run."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
            try:
                return take(data, out, chromium, launched)
            finally:
                launched.close()
    out.mkdir(parents=True, exist_ok=True)
    base, server, thread = _serve(data)
    shots = []
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 860})
        try:
            page = context.new_page()
            page.goto(f"{base}/#exp={quote(GRAPH_NODE, safe='')}&sel={quote(GRAPH_NODE, safe='')}")
            page.wait_for_selector("body[data-ready=true]")
            page.wait_for_selector("#node-tools button.expand-type")
            page.wait_for_timeout(300)
            shots.append(_shot(page, out, "graph"))

            page.goto(f"{base}/#tab=series&ind={SERIES}")
            page.wait_for_selector(f"body[data-series={SERIES}]")
            page.wait_for_timeout(300)
            shots.append(_shot(page, out, "series"))

            page.goto(f"{base}/#tab=compare")
            page.wait_for_selector("#compare-a option", state="attached")
            options = page.eval_on_selector_all("#compare-a option", "els => els.map(e => e.value).filter(Boolean)")
            if len(options) >= 2:
                page.select_option("#compare-a", options[0])
                page.select_option("#compare-b", options[1])
                page.click("#compare-run")
                page.wait_for_function("() => document.getElementById('compare-status').textContent.length > 0")
                page.wait_for_timeout(300)
            shots.append(_shot(page, out, "compare"))

            page.goto(f"{base}/#tab=query&ql=sparql&q={quote(QUERY, safe='')}")
            page.wait_for_selector("#query-table tbody tr")
            page.wait_for_timeout(300)
            shots.append(_shot(page, out, "query"))
        finally:
            context.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return shots


def _shot(page, out: Path, tab: str) -> Path:
    path = out / f"{tab}.png"
    page.screenshot(path=str(path))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "seeds")
    parser.add_argument("--data", type=Path, help="serve this data folder instead of building --corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", type=Path, default=CHROMIUM)
    args = parser.parse_args()
    data = args.data
    if data is None:
        from govkg.build import build_corpus

        data = Path(tempfile.mkdtemp(prefix="govkg-screenshots-"))
        build_corpus(args.corpus, data, workers=1)
    for path in take(data, args.out, args.chromium):
        print(path)


if __name__ == "__main__":
    sys.exit(main())
