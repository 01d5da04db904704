"""GET /api/vocab: the node types and relations of the ontology as the explorer draws them.

The labels are govkg.ttl's rdfs:label (@zh, @en and the bilingual "机构 Agency" the page shows),
the colours and shapes those of ontology/vocab.py; explorer.js reads this at startup and keeps no
copy of its own."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..ontology.vocab import explorer_vocab
from .models import Vocab

router = APIRouter(prefix="/api", tags=["graph"])
_VOCAB = explorer_vocab()  # read from the ontology once: it does not change while the server runs


@router.get("/vocab", response_model=Vocab, response_model_exclude_none=True,
            summary="Node types and relations of the ontology: labels (govkg.ttl) and colours")
def vocab() -> dict[str, Any]:
    return _VOCAB
