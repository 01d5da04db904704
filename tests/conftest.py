"""Shared fixtures: the fixture world (builds made once per test session), servers and the browser.

The world, as in datasette's tests/fixtures.py: every build a test module reads is made ONCE per session
here and shared by all modules; they are read-only. A test that changes a build (rebuilds, incremental
updates, faults) makes its own in tmp_path (or copies one there with shutil.copytree).

  seed_report / seed_build / seed_data / seed_client   ../shared/corpus/seeds built by `build_corpus`
  api_data / api_client      the hand-made build of tests/apifixture.py (REST API, explorer, limits)
  rdf_build                  the hand-made build of tests/rdf_fixture.py (RDF, ontology, SPARQL endpoint)
  graph_build                the hand-made build of tests/neo4j_fixture.py, variant 0 (Cypher endpoint)
  live_data_server           one uvicorn server per data folder for the session (explorer, SPARQL tests)

The Bolt server is one per session already: neo4j_fixture.graph_db() makes fresh databases on the
bundled ArcadeDB server it starts on first use (or on NEO4J_URI).

Of the code under test these fixtures import only govkg.build.build_corpus and govkg.api.app.create_app.
"""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
VENDOR = Path(__file__).resolve().parents[1] / "api" / "static" / "vendor"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(app, timeout: float = 15.0):
    """Start uvicorn for `app` on a free 127.0.0.1 port in a thread; (base_url, server, thread)."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server, thread


def _stop(server, thread) -> None:
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def live_server() -> Iterator[Callable[..., str]]:
    """A factory: `base_url = live_server(app)` serves an ASGI app with uvicorn on a free
    127.0.0.1 port in a thread, stopped when the test ends. Use it for browser tests and anything
    that needs real HTTP."""
    servers = []

    def start(app, timeout: float = 15.0) -> str:
        url, server, thread = _serve(app, timeout)
        servers.append((server, thread))
        return url

    yield start
    for server, thread in servers:
        _stop(server, thread)


@pytest.fixture(scope="session")
def live_data_server() -> Iterator[Callable[..., str]]:
    """A session-wide factory: `base_url = live_data_server(data_dir, settings=None)` serves
    `govkg.api.app.create_app(data_dir, settings)` with uvicorn on a free port in a thread, one
    server per (data_dir, settings) for the whole session (used by the SPARQL endpoint tests)."""
    from govkg.api.app import create_app

    servers: dict[tuple, tuple[str, object, threading.Thread]] = {}

    def start(data_dir, settings=None, timeout: float = 15.0) -> str:
        key = (str(data_dir), repr(settings))
        if key not in servers:
            servers[key] = _serve(create_app(data_dir, settings), timeout)
        return servers[key][0]

    yield start
    for _, server, thread in servers.values():
        _stop(server, thread)


IN_CI = __import__("os").environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(reason: str) -> None:
    """Skip a test whose component is missing; in CI (CI=true) fail instead, so a broken install shows."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright, shared by the explorer tests."""
    if not CHROMIUM.exists():
        skip_or_fail("Debian chromium is not installed (.ci/run installs it)")
    for name in ("cytoscape.min.js", "echarts.min.js"):
        assert (VENDOR / name).exists(), "explorer libraries missing: run scripts/setup.sh (npm ci && npm run copy-assets)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., object]]:
    """A factory: `page = open_page(url)` opens url in a fresh 1400x900 browser context (downloads
    allowed) and waits for `ready` (the explorer's body[data-ready=true] unless told otherwise).
    `page.errors` collects page errors, `page.dialogs` the messages of dialogs (dismissed).
    `before(page)`, if given, runs before the page loads (to route or record its requests). The
    contexts close when the test ends."""
    contexts = []

    def open_(url: str, ready: str | None = "body[data-ready=true]", before: Callable[..., None] | None = None):
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.errors, page.dialogs = [], []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        if before:
            before(page)
        page.goto(url)
        if ready:
            page.wait_for_selector(ready)
        return page

    yield open_
    for context in contexts:
        context.close()


# ------------------------------------------------------------------------------ the fixture world

@pytest.fixture(scope="session")
def seed_report(tmp_path_factory):
    """The build report of ../shared/corpus/seeds, built once per session (skipped when absent)."""
    from corpora import SEEDS

    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds is not beside the repository")
    from govkg.build import build_corpus

    return build_corpus(SEEDS, tmp_path_factory.mktemp("seeds-data"), workers=1)


@pytest.fixture(scope="session")
def seed_build(seed_report):
    """The session's seed build (read-only)."""
    return seed_report.build


@pytest.fixture(scope="session")
def seed_data(seed_build) -> Path:
    """The data folder holding the session's seed build (read-only)."""
    return seed_build.path.parent.parent


@pytest.fixture(scope="session")
def seed_client(seed_data):
    """A TestClient of the app over the seed build, shared by the session."""
    from fastapi.testclient import TestClient

    from govkg.api.app import create_app

    return TestClient(create_app(seed_data))


@pytest.fixture(scope="session")
def api_data(tmp_path_factory) -> Path:
    """The data folder of tests/apifixture.py's hand-made build, written once per session (read-only)."""
    from apifixture import write_build

    data = tmp_path_factory.mktemp("api-data")
    write_build(data)
    return data


@pytest.fixture(scope="session")
def api_client(api_data):
    """A TestClient of the app over api_data, shared by the session (for tests that keep no state in the app)."""
    from fastapi.testclient import TestClient

    from govkg.api.app import create_app

    return TestClient(create_app(api_data))


@pytest.fixture(scope="session")
def rdf_build(tmp_path_factory):
    """tests/rdf_fixture.py's hand-made build, written once per session (read-only)."""
    from rdf_fixture import write_fixture_build

    return write_fixture_build(tmp_path_factory.mktemp("rdf") / "data")


@pytest.fixture(scope="session")
def graph_build(tmp_path_factory):
    """tests/neo4j_fixture.py's hand-made build (variant 0), written once per session (read-only)."""
    from neo4j_fixture import write_build

    return write_build(tmp_path_factory.mktemp("graph") / "data")
