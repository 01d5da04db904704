"""HTTP limits, CORS and the catch-all error handler of the web application.

    install(app, settings)      # once, in create_app, after the routers

* `RequestLimits` (ASGI middleware, every path): a query string longer than
  `settings.max_query_string_bytes` is answered 414, a request body larger than
  `settings.max_body_bytes` 413, both before the application sees the request. The body limit
  holds for a declared Content-Length and for bodies without one (chunked): those are read up to
  the limit first and handed on only when they fit. A malformed Content-Length is 400. Errors are
  JSON {"error": message}. The settings are read on every request, so changing them on a running
  app takes effect at once.
* CORS: off (no Access-Control-* headers at all) unless `settings.cors_origins` lists origins;
  then Starlette's CORSMiddleware allows exactly those origins, GET/POST/HEAD/OPTIONS, the
  Content-Type and Accept request headers, no credentials, and exposes the X-govkg-* headers.
* A handler for any exception no other handler took: 500 {"error": "internal error"}, no type
  name, message or stack trace (the server log still has the traceback). Registered only when the
  app has no handler for `Exception` yet.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("govkg.api")

EXPOSED_HEADERS = ["X-govkg-truncated", "X-govkg-row-limit", "Retry-After"]
_ERROR_BODY = {"application/json": {"schema": {
    "type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}}}
RESPONSES: dict[int | str, dict] = {  # documented on every operation (api/app.py)
    413: {"description": "request body larger than the limit", "content": _ERROR_BODY},
    414: {"description": "query string longer than the limit", "content": _ERROR_BODY},
}


async def _send_error(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    """Query-string and request-body size limits (see the module docstring)."""

    def __init__(self, app: ASGIApp, settings: Any):
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_query = int(self.settings.max_query_string_bytes)
        max_body = int(self.settings.max_body_bytes)
        if len(scope.get("query_string", b"")) > max_query:
            await _send_error(send, 414, f"query string longer than {max_query} bytes: send long SPARQL queries "
                                         "by POST (application/sparql-query)")
            return
        declared = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                text = value.decode("latin-1").strip()
                if not text.isdigit() or (declared is not None and int(text) != declared):
                    await _send_error(send, 400, "malformed Content-Length header")
                    return
                declared = int(text)
        if declared is not None and declared > max_body:
            await _send_error(send, 413, f"request body larger than {max_body} bytes")
            return
        if declared is not None:  # the server holds the client to it (h11/httptools read no further)
            await self.app(scope, receive, send)
            return
        # no Content-Length (chunked, or no body at all): read the body up to the limit first
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_body:
                await _send_error(send, 413, f"request body larger than {max_body} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"error": "internal error"}, status_code=500)


def install(app: FastAPI, settings: Any) -> None:
    """Limits, CORS (only when origins are configured) and the catch-all 500 handler."""
    app.add_middleware(RequestLimits, settings=settings)
    origins = [o for o in (settings.cors_origins or []) if o]
    if origins:  # outermost, so that limit errors carry the CORS headers too
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                           allow_headers=["Content-Type", "Accept"], allow_credentials=False,
                           expose_headers=EXPOSED_HEADERS, max_age=600)
    if Exception not in app.exception_handlers and 500 not in app.exception_handlers:
        app.add_exception_handler(Exception, internal_error)
