"""The one place graph/agency_functions.py, graph/counterparts.py and graph/english.py get the region
gazetteer from (lookup, find_region_prefix, regions_in): change this import when it moves to
govkg.reference (the regions branch)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=None)
def regions():
    from ..loaders import regions as gazetteer  # -> from ..reference import regions as gazetteer
    return gazetteer
