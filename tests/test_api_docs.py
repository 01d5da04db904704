"""/docs (Swagger UI) and /redoc (ReDoc) in headless Chromium, with every request that is not to the
local server recorded and aborted: both render the API's operations from the vendored libraries
(api/docs.py, api/static/vendor) and nothing leaves the machine. The pages' Content-Security-Policy
blocks in the browser what would (ReDoc's Redocly logo from cdn.redoc.ly); what it blocked is
checked too, so a library update that starts loading something from elsewhere shows here."""
from __future__ import annotations

from pathlib import Path

import pytest

from apifixture import write_build


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("docs-data")
    write_build(root)
    return root


@pytest.fixture
def server(live_server, data_dir) -> str:
    from govkg.api.app import create_app

    return live_server(create_app(data_dir))


def _offline(server: str, requests: list[str], foreign: list[str]):
    """A `before` for open_page: record every request; abort those not to `server`."""
    def before(page):
        page.on("request", lambda r: requests.append(r.url))
        page.console = []
        page.on("console", lambda m: page.console.append(f"{m.type}: {m.text}"))

        def route(r):
            if r.request.url.startswith(server + "/") or r.request.url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                foreign.append(r.request.url)
                r.abort()
        page.route("**/*", route)
    return before


def _blocked(page) -> list[str]:
    """The URLs the Content-Security-Policy stopped the page from loading (Chromium's console)."""
    return [m.split("'")[1] for m in page.console if "violates the following Content Security Policy" in m]


def test_swagger_ui_renders_offline(open_page, server):
    requests, foreign = [], []
    page = open_page(f"{server}/docs", ready=".opblock-summary-path", before=_offline(server, requests, foreign))
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(p.replace("\u200b", "") == "/api/search" for p in paths), paths
    assert f"{server}/static/vendor/swagger-ui/swagger-ui-bundle.js" in requests
    assert f"{server}/openapi.json" in requests
    page.wait_for_load_state("networkidle")
    assert foreign == [], foreign
    assert page.errors == []
    assert _blocked(page) == []


def test_redoc_renders_offline(open_page, server):
    requests, foreign = [], []
    page = open_page(f"{server}/redoc", ready=".api-content", before=_offline(server, requests, foreign))
    assert "govkg" in page.locator(".api-info h1").inner_text()
    page.get_by_text("/api/search", exact=True).first.wait_for(state="attached")
    assert f"{server}/static/vendor/redoc/redoc.standalone.js" in requests
    assert f"{server}/openapi.json" in requests
    page.wait_for_load_state("networkidle")
    assert foreign == [], foreign
    assert page.errors == []
    assert _blocked(page) == ["https://cdn.redoc.ly/redoc/logo-mini.svg"]


def test_docs_pages_name_no_cdn(server):
    import httpx

    for path in ("/docs", "/redoc"):
        response = httpx.get(server + path)
        assert response.status_code == 200
        assert "img-src 'self' data:" in response.headers["content-security-policy"]
        html = response.text
        assert "/static/vendor/" in html
        assert "cdn.jsdelivr.net" not in html and "fonts.googleapis.com" not in html
        assert "fastapi.tiangolo.com" not in html
