"""The API's interactive docs, /docs (Swagger UI) and /redoc (ReDoc), served with no CDN.

FastAPI's own /docs and /redoc load their JavaScript, CSS, favicon and (ReDoc) Google Fonts from the
internet, so they are blank offline or behind a firewall. These pages load the same libraries from
/static/vendor (npm's swagger-ui-dist and redoc, copied by api/web/scripts/copy-assets.mjs and
committed with their licences, so that the wheel holds them). create_app turns FastAPI's own off
(docs_url=None, redoc_url=None).
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, swagger_ui_default_parameters
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

VENDOR = "/static/vendor"
# validatorUrl: null, or Swagger UI would send the schema to validator.swagger.io for a badge
SWAGGER_PARAMETERS = {**swagger_ui_default_parameters, "validatorUrl": None}
# The pages may load nothing from elsewhere: ReDoc's sidebar shows Redocly's logo from
# cdn.redoc.ly (an <img> it hides when it fails to load), which this blocks in the browser.
# Inline scripts and styles are FastAPI's page set-up and the libraries' own; ReDoc searches in
# a blob: worker.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
       "frame-ancestors 'self'")


def _openapi_url(request: Request) -> str:
    return request.scope.get("root_path", "") + (request.app.openapi_url or "/openapi.json")


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    page = get_swagger_ui_html(
        openapi_url=_openapi_url(request), title=f"{request.app.title} - Swagger UI",
        swagger_js_url=f"{root}{VENDOR}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{VENDOR}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{root}{VENDOR}/swagger-ui/favicon-32x32.png",
        swagger_ui_parameters=SWAGGER_PARAMETERS)
    page.headers["Content-Security-Policy"] = CSP
    return page


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    page = get_redoc_html(
        openapi_url=_openapi_url(request), title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{root}{VENDOR}/redoc/redoc.standalone.js",
        redoc_favicon_url=f"{root}{VENDOR}/swagger-ui/favicon-32x32.png", with_google_fonts=False)
    page.headers["Content-Security-Policy"] = CSP
    return page
