"""GET /api/queries: the project's research queries (queries/*.rq and *.cypher) as examples for the
explorer's query tab, each with the description its comment header gives."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
router = APIRouter(prefix="/api", tags=["queries"])


def _header(text: str, mark: str) -> tuple[str, str]:
    """(title, description): the first comment line, and the comment block under it."""
    lines = []
    for line in text.splitlines():
        if not line.startswith(mark):
            break
        lines.append(line[len(mark):].strip())
    title = lines[0] if lines else ""
    return title, "\n".join(lines[1:]).strip()


@lru_cache(maxsize=1)
def examples(folder: Path = QUERIES_DIR) -> tuple[dict[str, Any], ...]:
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.rq")) + sorted(folder.glob("*.cypher")):
        lang, mark = ("sparql", "#") if path.suffix == ".rq" else ("cypher", "//")
        text = path.read_text(encoding="utf-8")
        title, description = _header(text, mark)
        entry = out.setdefault(path.stem, {"name": path.stem, "title": title, "description": description,
                                           "sparql": None, "cypher": None})
        entry[lang] = text
        if not entry["title"]:
            entry["title"], entry["description"] = title, description
    return tuple(out.values())


@router.get("/queries", summary="The project's research queries (SPARQL and Cypher) with their descriptions")
def queries_list() -> dict[str, Any]:
    items = list(examples())
    return {"total": len(items), "items": items}
