"""HTTP limits (api/limits.py): body and query-string size, CORS, no stack traces, no path traversal.

In-process (TestClient) for most checks; a live uvicorn server (the `live_server` fixture) where
the HTTP framing matters: chunked bodies, a query string through uvicorn's parser, and raw request
lines that an HTTP client would normalise ("/a/../b").
"""
from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from aio import run_coroutine
from apifixture import CITY
from govkg.api import limits
from govkg.api.app import create_app
from govkg.api.state import ServerSettings

ROOT = Path(__file__).resolve().parents[1]
PASSWD_MARK = "root:"


@pytest.fixture(scope="module")
def data_dir(api_data) -> Path:
    return api_data


@pytest.fixture(scope="module")
def app(data_dir):
    return create_app(data_dir)


@pytest.fixture(scope="module")
def client(app) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def base_url(app):
    """The same app served by uvicorn on 127.0.0.1 (module-wide)."""
    import threading
    import time

    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def assert_clean(response_text: str) -> None:
    """No stack trace and no file path of this checkout or of the installed packages."""
    assert "Traceback" not in response_text
    assert str(ROOT) not in response_text
    assert "site-packages" not in response_text and 'File "' not in response_text


def raw_request(base: str, request_line_target: str, method: str = "GET", headers: dict | None = None,
                body: bytes = b"") -> tuple[int, bytes]:
    """Send one request with the target exactly as given (no client-side path normalisation)."""
    parts = urlsplit(base)
    head = [f"{method} {request_line_target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    status = int(response.split(b" ", 2)[1])
    return status, response.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in response else b""


# ------------------------------------------------------------------------------------- defaults

def test_defaults_come_from_server_settings():
    settings = ServerSettings()
    assert settings.max_body_bytes == 1_000_000
    assert 4096 <= settings.max_query_string_bytes < 16 * 1024  # below uvicorn's own request-head limit
    assert settings.cors_origins == []


# ------------------------------------------------------------------------------------- body size

@pytest.mark.parametrize("path,ctype", [("/cypher", "application/json"), ("/sparql", "application/sparql-query"),
                                        ("/api/graph/subgraph", "application/json")])
def test_oversized_body_is_413(client, path, ctype):
    body = b"x" * 1_000_001
    response = client.post(path, content=body, headers={"content-type": ctype})
    assert response.status_code == 413, response.text
    assert "larger than 1000000 bytes" in response.json()["error"]
    at_limit = client.post("/api/graph/subgraph", json={"values": ["platform:爱山东"]})
    assert at_limit.status_code == 200


def test_oversized_chunked_body_is_413_over_http(base_url):
    def chunks():
        for _ in range(40):
            yield b"y" * 50_000  # 2 MB in total, no Content-Length

    response = httpx.post(f"{base_url}/cypher", content=chunks(), headers={"content-type": "application/json"},
                          timeout=30)
    assert response.status_code == 413 and "larger than" in response.json()["error"]

    def small():
        yield b'{"values": '
        yield '["platform:爱山东"]}'.encode()

    ok = httpx.post(f"{base_url}/api/graph/subgraph", content=small(), headers={"content-type": "application/json"},
                    timeout=30)
    assert ok.status_code == 200, ok.text  # a chunked body within the limit reaches the endpoint intact
    assert ok.json()["resolved"] == {"platform:爱山东": "platform:爱山东"}


def test_declared_length_over_the_limit_is_refused_before_the_body_is_sent(base_url):
    status, body = raw_request(base_url, "/cypher", "POST",
                               {"Content-Type": "application/json", "Content-Length": "50000000"})
    assert status == 413 and b"larger than" in body


def test_malformed_content_length_is_400(client):
    app = client.app

    sent = []

    async def receive():
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/cypher", "raw_path": b"/cypher", "query_string": b"",
             "headers": [(b"content-length", b"-1"), (b"content-type", b"application/json")],
             "http_version": "1.1", "scheme": "http", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1),
             "root_path": "", "asgi": {"version": "3.0"}}
    run_coroutine(app(scope, receive, send), timeout=30)
    assert sent and sent[0]["status"] == 400


def test_body_limit_follows_the_settings(data_dir):
    small = TestClient(create_app(data_dir, ServerSettings(max_body_bytes=100)))
    assert small.post("/api/graph/subgraph", json={"values": ["x" * 200]}).status_code == 413
    assert small.post("/api/graph/subgraph", json={"values": ["platform:爱山东"]}).status_code == 200


# ------------------------------------------------------------------------------------- query string

def test_huge_query_string_is_414(client):
    limit = ServerSettings().max_query_string_bytes
    response = client.get("/api/search", params={"q": "爱" * (limit // 9 + 1)})  # 9 bytes each, URL-encoded
    assert response.status_code == 414 and "query string longer than" in response.json()["error"]
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * limit})
    assert response.status_code == 414
    assert client.get("/api/search", params={"q": "爱山东"}).status_code == 200


def test_huge_query_string_is_414_over_http(base_url):
    limit = ServerSettings().max_query_string_bytes
    response = httpx.get(f"{base_url}/sparql", params={"query": "ASK {} #" + "x" * (limit + 10)}, timeout=30)
    assert response.status_code == 414, response.text
    assert response.json()["error"].startswith("query string longer than")
    assert httpx.get(f"{base_url}/sparql", params={"query": "ASK {}"}, timeout=30).json()["boolean"] is True


# ------------------------------------------------------------------------------------- CORS

def test_cors_is_off_by_default(client):
    response = client.get("/api/meta", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert not any(h.lower().startswith("access-control-") for h in response.headers)
    preflight = client.options("/cypher", headers={"Origin": "https://evil.example",
                                                   "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code in (404, 405)


def test_cors_allows_exactly_the_configured_origins(data_dir):
    allowed = "https://research.example.org"
    client = TestClient(create_app(data_dir, ServerSettings(cors_origins=[allowed])))
    response = client.get("/api/meta", headers={"Origin": allowed})
    assert response.headers["access-control-allow-origin"] == allowed
    assert "access-control-allow-credentials" not in response.headers
    assert "x-govkg-truncated" in response.headers["access-control-expose-headers"].lower()
    preflight = client.options("/sparql", headers={"Origin": allowed, "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == allowed
    other = client.get("/api/meta", headers={"Origin": "https://evil.example"})
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
    refused = client.options("/sparql", headers={"Origin": "https://evil.example",
                                                 "Access-Control-Request-Method": "POST"})
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    too_big = client.post("/cypher", content=b"x" * 1_000_001, headers={"Origin": allowed})
    assert too_big.status_code == 413 and too_big.headers["access-control-allow-origin"] == allowed


def test_serve_options_set_cors_and_the_row_cap(data_dir):
    """`govkg serve --cors-origin ... --max-rows ...` in a process of its own."""
    import subprocess
    import sys
    import time

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    allowed = "https://research.example.org"
    process = subprocess.Popen(
        [sys.executable, "-m", "govkg.cli", "serve", str(data_dir), "--no-cypher", "--port", str(port),
         "--cors-origin", allowed, "--max-rows", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"{base}/api/meta", headers={"Origin": allowed}, timeout=5)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "govkg serve did not start"
                time.sleep(0.2)
        assert response.headers["access-control-allow-origin"] == allowed
        other = httpx.get(f"{base}/api/meta", headers={"Origin": "https://evil.example"}, timeout=5)
        assert "access-control-allow-origin" not in other.headers
        rows = httpx.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert len(rows.json()["results"]["bindings"]) == 1
        assert rows.headers["x-govkg-truncated"] == "true"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_refuses_a_malformed_cors_origin(data_dir):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "govkg.cli", "serve", str(data_dir), "--no-cypher",
                             "--cors-origin", "*"], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "is not an origin" in result.stdout + result.stderr


# ------------------------------------------------------------------------------------- path traversal

TRAVERSALS = [
    "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2E%2E/%2E%2E/etc/passwd",
    "/etc/passwd", "%2Fetc%2Fpasswd", "doc:../x", "doc:..%2F..%2Fmanifest.json", "doc:/etc/passwd",
    "..%5C..%5Cmanifest.json", "....//....//etc/passwd", "%252e%252e%252fmanifest.json", "manifest.json",
    "current", "documents", "doc:documents/..", f"{CITY}/../../../etc/passwd", f"doc:{CITY}%00.txt",
    "file:///etc/passwd", "~root", ".%2e/.%2e/pyproject.toml", "doc:/proc/self/cwd/pyproject.toml",
    "/proc/self/environ",
]


@pytest.mark.parametrize("bad", TRAVERSALS)
def test_document_path_traversal_is_404(client, base_url, bad):
    # percent-encoded except for the escapes already in it, so the client leaves "../" alone
    response = client.get(f"/api/documents/{quote(bad, safe='%')}")
    assert response.status_code == 404, (bad, response.status_code, response.text[:200])
    assert PASSWD_MARK not in response.text and "[project]" not in response.text
    assert_clean(response.text)
    # the request line exactly as written (an HTTP client would resolve "../" itself)
    status, body = raw_request(base_url, f"/api/documents/{bad}")
    assert status in (400, 404), (bad, status, body[:200])
    assert PASSWD_MARK.encode() not in body and b"[project]" not in body


def test_the_real_document_is_still_served(client):
    response = client.get(f"/api/documents/{quote('doc:' + CITY, safe='')}")
    assert response.status_code == 200 and response.json()["document"] == CITY


@pytest.mark.parametrize("bad", ["../pyproject.toml", "..%2Fpyproject.toml", "%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
                                 "..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/etc/passwd", "%2Fetc%2Fpasswd"])
def test_static_files_cannot_leave_their_folder(base_url, bad):
    status, body = raw_request(base_url, f"/static/{bad}")
    assert status in (400, 404), (bad, status)
    assert PASSWD_MARK.encode() not in body and b"[project]" not in body


# ------------------------------------------------------------------------------------- no stack traces

def test_internal_errors_say_nothing_about_the_code(client, monkeypatch):
    from govkg.graph import queries

    def broken(*args, **kwargs):
        raise RuntimeError(f"secret detail in {ROOT}/graph/queries.py")

    monkeypatch.setattr(queries, "meta", broken)
    response = client.get("/api/meta")
    assert response.status_code == 500
    assert response.json() == {"error": "internal error"}
    assert "secret" not in response.text
    assert_clean(response.text)


def test_generic_handler_is_installed_once(app):
    assert app.exception_handlers.get(Exception) is limits.internal_error


@pytest.mark.parametrize("method,path,kwargs", [
    ("post", "/cypher", {"content": b"{not json", "headers": {"content-type": "application/json"}}),
    ("post", "/cypher", {"json": {"query": 5}}),
    ("post", "/cypher", {"json": {"query": "MATCH (n RETURN n", "parameters": "x"}}),
    ("post", "/api/graph/subgraph", {"content": b"\xff\xfe{[", "headers": {"content-type": "application/json"}}),
    ("post", "/api/graph/subgraph", {"json": {"values": "x" * 100}}),
    ("get", "/api/graph/neighborhood", {"params": {"id": "x", "depth": "-1"}}),
    ("get", "/api/search", {"params": {"q": "\x00\ud800".encode("utf-8", "surrogatepass").decode("latin-1")}}),
    ("get", "/api/agencies/%FF%FE", {}),
    ("get", "/api/edge", {"params": {"id": "a|b"}}),
    ("post", "/sparql", {"content": b"\xff\xfe", "headers": {"content-type": "application/sparql-query"}}),
    ("post", "/sparql", {"content": b"query=SELEC", "headers": {"content-type": "application/x-www-form-urlencoded"}}),
    ("get", "/sparql", {"params": {"query": "SELECT * WHERE { ?s ?p ?o", "default-graph-uri": "not an iri"}}),
    ("post", "/sparql", {"content": b"x", "headers": {"content-type": "text/plain"}}),
    ("get", "/nonexistent/../../etc/passwd", {}),
    ("delete", "/api/meta", {}),
])
def test_error_responses_carry_no_trace(client, method, path, kwargs):
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code < 500, (path, response.status_code, response.text[:300])
    assert_clean(response.text)
