"""The web application: REST API, explorer, SPARQL and Cypher on one port."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from . import docs, examples, limits, problems, rest, sparql, vocab
from .cypher import router as cypher_router
from .series import router as series_router
from .state import AppState, ServerSettings


def create_app(data_dir: Path, settings: ServerSettings | None = None) -> FastAPI:
    state = AppState(data_dir, settings)
    app = FastAPI(title="govkg", version="0.1.0",
                  description="Plans, measures, agencies and platforms of Chinese digital governance.",
                  responses=limits.RESPONSES,  # any route may answer the request-size limits
                  docs_url=None, redoc_url=None)  # api/docs.py serves both with no CDN
    app.state.govkg = state
    # Routers are registered here, one line each (REST, SPARQL, Cypher, explorer).
    app.include_router(docs.router)  # /docs (Swagger UI) and /redoc, their libraries from /static/vendor
    app.include_router(examples.router)  # /api/queries (the research queries as examples)
    app.include_router(problems.router)  # /api/build/problems (failed and duplicate documents)
    app.include_router(vocab.router)  # /api/vocab (type labels and colours of the ontology, for the explorer)
    app.include_router(series_router)  # /api/indicators, /api/platforms/{id}/timeline, /api/plans/align (before rest)
    rest.install(app)  # /api/*, JSON errors under /api, explorer at / and /static
    app.include_router(sparql.router)  # /sparql (read-only SPARQL 1.1 Protocol)
    app.include_router(cypher_router)  # /cypher (read-only Cypher over Bolt, api/cypher.py)
    limits.install(app, state.settings)  # body/query-string limits, CORS if configured, 500 without details
    return app
