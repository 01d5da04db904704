"""The REST API under /api: a thin layer over graph/queries.py, plus the explorer's static files.

Ids contain ':' '#' '/' and Chinese characters. In a path segment (`/api/agencies/{id}`) send
them URL-encoded: `encodeURIComponent(id)` in JavaScript, `urllib.parse.quote(id, safe="")` in
Python (a raw '#' would start the URL fragment). Endpoints that take `?id=` accept the same ids.
Every 4xx under /api answers JSON `{"error": message}`. The response models are in api/models.py.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import pydantic_core
from fastapi import APIRouter, FastAPI, Path as PathParam, Query, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from ..graph import queries
from ..graph.store import NoBuildError
from .models import (AgencyDetail, AgencyPage, DocumentDetail, DocumentPage, EdgeDetail, ErrorResponse, Meta,
                     Neighborhood, NodeDetail, PlanDetail, PlanPage, PlatformDetail, PlatformPage, SearchPage, Subgraph,
                     SubgraphRequest, TargetPage)

STATIC_DIR = Path(__file__).parent / "static"


# -- routes --------------------------------------------------------------------------------

router = APIRouter(prefix="/api", tags=["graph"], responses={
    400: {"model": ErrorResponse, "description": "malformed request body"},
    404: {"model": ErrorResponse, "description": "unknown id"},
    422: {"model": ErrorResponse, "description": "invalid parameter"},
    503: {"model": ErrorResponse, "description": "no build yet: run `govkg build`"}})

ID_HELP = ("node id, URL-encoded (encodeURIComponent / quote(id, safe='')): ids hold ':' and may hold '#' "
           "or '/'; the bare name without the type prefix is accepted too")
Limit = Query(50, ge=1, le=1000, description="page size")
Offset = Query(0, ge=0, le=10**9, description="items to skip")
Lang = Query(None, pattern="^(en|zh)$", description="en: names in English (name_zh keeps the Chinese); "
             "without it, an Accept-Language that starts with en does the same")


def _load_index(build, per_build: dict[str, Any]) -> queries.GraphIndex:
    """The build's warm index. Once it is loaded, its objects (the whole fact graph, a million
    or more) are moved out of the garbage collector's sight (gc.freeze): otherwise every full
    collection walks them all, a pause of 0.3 s or more on a 1M-triple build, in the middle of
    whatever requests are in flight. Refcounting frees them when the build is replaced, and the
    unfreeze before the next freeze lets the collector reach the old build's cycles."""
    index = queries.index_for(build, per_build, warm=True)
    if not per_build.get("rest.gc_frozen"):
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        per_build["rest.gc_frozen"] = True
    return index


def _index_sync(request: Request) -> queries.GraphIndex:
    state = request.app.state.govkg
    build = state.build()
    return queries.ready_index(build, state.per_build) or _load_index(build, state.per_build)


async def _index(request: Request) -> queries.GraphIndex:
    """The current build's index. Loading a build (and its lookups) takes a while, so it runs in
    the thread pool; once warm, the quick in-memory endpoints answer on the event loop."""
    state = request.app.state.govkg
    build = state.build()
    ready = queries.ready_index(build, state.per_build)
    if ready is not None:
        return ready
    return await run_in_threadpool(_load_index, build, state.per_build)


def _json(content: Any) -> bytes:
    """The JSON FastAPI would send for `content` through a response model whose fields are the
    dict's keys, in order (Neighborhood, SearchPage): the same serializer (pydantic-core) with
    the same settings, without validating the dicts into models first (that took 2-3 times as
    long as building them; tests/test_api.py compares both byte for byte)."""
    return pydantic_core.to_json(content, inf_nan_mode="null")


def _answer(request: Request, ix: queries.GraphIndex, key: Hashable, compute: Callable[[], Any]) -> Response:
    """The serialized answer for `key` from the build's answer cache, else computed and kept.
    Builds are immutable, so a kept answer stays right for as long as its build is current."""
    cache = request.app.state.govkg.answers(ix.build)
    body = cache.get(key) if cache is not None else None
    if body is None:
        body = _json(compute())
        if cache is not None:
            cache.put(key, body)
    return Response(body, media_type="application/json")


def _english(request: Request) -> bool:
    """?lang=en, or an Accept-Language whose first language is English (names in English)."""
    lang = request.query_params.get("lang")
    if lang:
        return lang.lower().startswith("en")
    accept = request.headers.get("accept-language", "")
    return accept.strip().lower().startswith("en")


def _names(value: str | None) -> tuple[str, ...] | None:
    """A comma-separated list of names as a cache key: order and repeats do not change the answer."""
    parts = _split(value)
    return tuple(sorted(set(parts))) if parts else None


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    return parts or None


def _found(value: dict | None, what: str, ident: str) -> dict:
    if value is None:
        raise HTTPException(404, f"unknown {what}: {ident}")
    return value


def _typed(ix: queries.GraphIndex, ident: str, prefix: str) -> str:
    """Accept `agency:名称` or the bare `名称`."""
    if ident in ix.graph.nodes or ident.startswith(prefix):
        return ident
    return prefix + ident


@router.get("/meta", response_model=Meta, summary="What the current build holds")
async def meta(request: Request) -> dict:
    return queries.meta(await _index(request))


@router.get("/search", response_model=SearchPage, summary="Search names, aliases and measure text")
async def search(request: Request,
           q: str = Query(..., min_length=1, max_length=200, description="simplified or traditional Chinese",
                          examples=["爱山东", "愛山東"]),
           types: str | None = Query(None, max_length=200, description="comma-separated node types",
                                     examples=["Platform,Agency"]),
           limit: int = Query(20, ge=1, le=200), offset: int = Offset, lang: str | None = Lang) -> Response:
    ix = await _index(request)
    english = _english(request)
    return _answer(request, ix, ("search", q, _names(types), limit, offset, english),
                   lambda: (queries.in_english if english else lambda v, _ix: v)(
                       queries.search(ix, q, _split(types), limit, offset), ix))


@router.get("/agencies", response_model=AgencyPage, summary="Agencies")
def agencies(request: Request, q: str | None = Query(None, max_length=200, examples=["大数据局"]),
             jurisdiction: str | None = Query(None, max_length=100, examples=["滨州市"]),
             collective: bool | None = None, limit: int = Limit, offset: int = Offset) -> dict:
    return queries.list_agencies(_index_sync(request), q, jurisdiction, collective, limit, offset)


@router.get("/agencies/{agency_id:path}", response_model=AgencyDetail,
            summary="An agency: measures led and co-responsible, platforms owned (with basis and evidence)")
async def agency(request: Request, agency_id: str = PathParam(..., description=ID_HELP, examples=["agency:滨州市大数据局"]), limit: int = Query(200, ge=1, le=1000), offset: int = Offset,
                 lang: str | None = Lang) -> dict:
    ix = await _index(request)
    found = _found(queries.agency_detail(ix, _typed(ix, agency_id, "agency:"), limit, offset), "agency", agency_id)
    return queries.in_english(found, ix) if _english(request) else found


@router.get("/platforms", response_model=PlatformPage, summary="Platforms")
def platforms(request: Request, q: str | None = Query(None, max_length=200, examples=["爱山东"]),
              limit: int = Limit, offset: int = Offset) -> dict:
    return queries.list_platforms(_index_sync(request), q, limit, offset)


@router.get("/platforms/{platform_id:path}", response_model=PlatformDetail,
            summary="A platform: owners with reasons, branches, measures, plans, first and last year mentioned")
async def platform(request: Request, platform_id: str = PathParam(..., description=ID_HELP, examples=["platform:爱山东"]), limit: int = Query(200, ge=1, le=1000),
             offset: int = Offset) -> dict:
    ix = await _index(request)
    return _found(queries.platform_detail(ix, _typed(ix, platform_id, "platform:"), limit, offset),
                  "platform", platform_id)


@router.get("/plans", response_model=PlanPage, summary="Plans")
def plans(request: Request, q: str | None = Query(None, max_length=200),
          jurisdiction: str | None = Query(None, max_length=100), year: int | None = Query(None, ge=0, le=9999),
          limit: int = Limit, offset: int = Offset) -> dict:
    return queries.list_plans(_index_sync(request), q, jurisdiction, year, limit, offset)


@router.get("/plans/{plan_id:path}", response_model=PlanDetail,
            summary="A plan: sections and measures with their lead and responsible units")
async def plan(request: Request, plan_id: str = PathParam(..., description=ID_HELP, examples=["plan:滨州市:数字强市建设2023年工作要点"])) -> dict:
    ix = await _index(request)
    return _found(queries.plan_detail(ix, _typed(ix, plan_id, "plan:")), "plan", plan_id)


@router.get("/targets", response_model=TargetPage, summary="Quantified targets")
def targets(request: Request,
            indicator: str | None = Query(None, max_length=200, examples=["掌上办"]),
            jurisdiction: str | None = Query(None, max_length=100, examples=["滨州市"]),
            year: int | None = Query(None, ge=0, le=9999, examples=[2023]),
            limit: int = Limit, offset: int = Offset) -> dict:
    return queries.list_targets(_index_sync(request), indicator, jurisdiction, year, limit, offset)


@router.get("/documents", response_model=DocumentPage, summary="Documents of the build")
def documents(request: Request, limit: int = Limit, offset: int = Offset) -> dict:
    return queries.list_documents(_index_sync(request), limit, offset)


@router.get("/documents/{document_id:path}", response_model=DocumentDetail,
            summary="A document's original text with the spans behind each fact")
def document(request: Request, document_id: str = PathParam(..., description=ID_HELP, examples=["doc:002_0caad2ac46645fdc.txt"])) -> dict:
    return _found(queries.document_detail(_index_sync(request), document_id), "document", document_id)


@router.get("/graph/neighborhood", response_model=Neighborhood, summary="Nodes and edges around a node")
async def graph_neighborhood(request: Request,
                       id: str = Query(..., min_length=1, max_length=1000, examples=["platform:爱山东"]),
                       depth: int = Query(1, ge=0, le=queries.MAX_DEPTH),
                       types: str | None = Query(None, max_length=500, description="node types to keep, comma-separated",
                                                 examples=["Agency,Platform,Measure"]),
                       edge_types: str | None = Query(None, max_length=500,
                                                      description="edge types to follow, comma-separated"),
                       limit: int = Query(100, ge=1, le=queries.MAX_NODES, description="at most this many nodes"),
                       max_edges: int | None = Query(None, ge=0, le=queries.MAX_EDGES,
                                                     description="at most this many edges (default 3 per node)")) -> Response:
    ix = await _index(request)
    return _answer(request, ix, ("neighborhood", id, depth, _names(types), _names(edge_types), limit, max_edges),
                   lambda: _found(queries.neighborhood(ix, id, depth, _split(types), _split(edge_types), limit,
                                                       max_edges), "node", id))


@router.post("/graph/subgraph", response_model=Subgraph,
             summary="The nodes that query result values (ids or IRIs) stand for, and the edges among them")
async def graph_subgraph(request: Request, body: SubgraphRequest) -> dict:
    return queries.subgraph(await _index(request), body.values)


@router.get("/node", response_model=NodeDetail, summary="One node by id")
async def node(request: Request, id: str = Query(..., min_length=1, max_length=1000, examples=["platform:爱山东"])) -> dict:
    return _found(queries.node_detail(await _index(request), id), "node", id)


@router.get("/edge", response_model=EdgeDetail, summary="One edge by id (source|TYPE|target)")
async def edge(request: Request, id: str = Query(..., min_length=1, max_length=3000,
                                                 examples=["agency:山东省大数据局|OWNS|platform:爱山东"]),
               evidence_limit: int = Query(200, ge=0, le=10_000, description="spans to return")) -> dict:
    return _found(queries.edge_detail(await _index(request), id, evidence_limit), "edge", id)


# -- errors and the explorer ---------------------------------------------------------------

def _is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = list(err.get("loc", ()))
        if where and where[0] in ("query", "path", "body", "header"):  # where the field was, not its name
            where = where[1:]
        loc = ".".join(str(p) for p in where)
        parts.append(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg")))
    message = "; ".join(parts) or "invalid request"
    # A lone surrogate from the request (JSON allows "\ud800") cannot be encoded in the answer.
    return message.encode("utf-8", "backslashreplace").decode("utf-8")


def install(app: FastAPI) -> None:
    """Add the router, JSON errors for /api, and the explorer (GET / and /static)."""
    app.include_router(router)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        if not _is_api(request):
            return await http_exception_handler(request, exc)
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        # On every path (/api, /sparql, /cypher), and never echoing the input: FastAPI's own
        # handler repeats it and fails with a 500 when it holds a lone surrogate.
        return JSONResponse({"error": _validation_message(exc)}, status_code=422)

    @app.exception_handler(NoBuildError)
    async def _no_build(request: Request, exc: NoBuildError):
        return JSONResponse({"error": str(exc)}, status_code=503)

    STATIC_DIR.mkdir(exist_ok=True)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def explorer() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

