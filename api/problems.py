"""GET /api/build/problems: the documents of the current build that failed (with the reason) and
those left out as duplicates of another file's text (govkg/duplicates.py), from its manifest."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from ..duplicates import DUPLICATE
from .models import BuildProblems

router = APIRouter(prefix="/api", tags=["graph"])


@router.get("/build/problems", response_model=BuildProblems,
            summary="Documents that failed to build (with the reason) and duplicates left out")
def build_problems(request: Request) -> dict[str, Any]:
    build = request.app.state.govkg.build()
    rows = build.manifest.get("documents", [])

    def view(row: dict) -> dict[str, Any]:
        return {k: row.get(k) for k in ("document", "status", "reason", "format", "encoding")}

    return {"build": build.path.name, "documents": len(rows),
            "failed": [view(r) for r in rows if r.get("status") not in ("ok", DUPLICATE)],
            "duplicates": [view(r) for r in rows if r.get("status") == DUPLICATE]}
