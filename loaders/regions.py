"""Gazetteer of Chinese administrative regions (loaders/data/regions.tsv).

Columns of the TSV: ``name`` (full official name), ``short`` (common short forms, ``|``-separated,
may be empty when the short form is an ordinary word or ambiguous, e.g. 吉林市, 来宾市, 惠民县),
``level`` (province|city|county), ``parent`` (full name of the province for a city, of the city for a
county, empty for provinces) and ``abbr`` (one-character province abbreviations such as 豫, 鲁, 川|蜀,
used in document numbers like 豫政办〔2024〕12号; never used for matching running text).

Coverage: all 34 provincial-level divisions, all prefecture-level divisions (plus 济源市), and the
districts/counties of 山东省.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "regions.tsv"
LEVEL_RANK = {"province": 0, "city": 1, "county": 2}


@dataclass(frozen=True)
class Region:
    name: str
    short: str  # the main short form ('' when none); all forms are in `aliases`
    level: str  # province | city | county
    parent: str  # '' for provinces
    aliases: tuple[str, ...] = field(default=(), compare=False)  # all short forms
    abbr: tuple[str, ...] = field(default=(), compare=False)  # one-character abbreviations (provinces)

    @property
    def forms(self) -> tuple[str, ...]:
        """Full name first, then the short forms."""
        return (self.name, *self.aliases)


def _load() -> list[Region]:
    regions = []
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            aliases = tuple(s for s in (row.get("short") or "").split("|") if s)
            abbr = tuple(s for s in (row.get("abbr") or "").split("|") if s)
            regions.append(Region(row["name"], aliases[0] if aliases else "", row["level"],
                                  row.get("parent") or "", aliases, abbr))
    return regions


REGIONS: list[Region] = _load()

_BY_NAME: dict[str, list[Region]] = {}
_BY_SHORT: dict[str, list[Region]] = {}
_BY_ABBR: dict[str, Region] = {}
for _r in REGIONS:
    _BY_NAME.setdefault(_r.name, []).append(_r)
    for _s in _r.aliases:
        _BY_SHORT.setdefault(_s, []).append(_r)
    for _a in _r.abbr:
        _BY_ABBR.setdefault(_a, _r)
del _r


def _best(candidates: list[Region]) -> Region:
    # higher level first (吉林 -> 吉林省); the TSV order breaks ties
    return min(candidates, key=lambda r: LEVEL_RANK.get(r.level, 9))


def lookup(name_or_short: str, parent: str | None = None) -> Region | None:
    """The region with this full name or short form (full names win; higher level wins on a tie).

    `parent` (a full name or short form of the province/city) disambiguates e.g. 市中区.
    """
    key = name_or_short.strip()
    for table in (_BY_NAME, _BY_SHORT):
        candidates = table.get(key)
        if candidates:
            if parent:
                p = lookup(parent)
                scoped = [r for r in candidates if p and (r.parent == p.name or province_of(r.name) == p.name)]
                if scoped:
                    candidates = scoped
            return _best(candidates)
    return None


def lookup_abbr(char: str) -> Region | None:
    """The province with this one-character abbreviation (豫 -> 河南省)."""
    return _BY_ABBR.get(char)


def parent_of(name: str) -> Region | None:
    region = lookup(name)
    return lookup(region.parent) if region and region.parent else None


def province_of(name: str) -> str | None:
    """Full name of the province containing the region (a province is its own province)."""
    region = lookup(name)
    seen = 0
    while region is not None and region.level != "province" and seen < 4:
        region = _best(_BY_NAME[region.parent]) if region.parent in _BY_NAME else None
        seen += 1
    return region.name if region is not None and region.level == "province" else None


_MAX_FORM = max(len(f) for r in REGIONS for f in r.forms)


def alternation(words: list[str] | set[str]) -> str:
    """A regex matching any of `words`, the longest where several match, built as a trie
    (滨州|滨州市 -> 滨州(?:市)?): Python's re tries a flat alternation branch by branch at every
    position, which makes a scan with hundreds of place names slow."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and len(branches[0]) == 1 else "(?:" + "|".join(branches) + ")"
        return body + "?" if ends else body

    return emit(trie)


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], dict[str, tuple[Region, bool]]]:
    """One alternation of every form, longest first; form -> (region, is_full_name)."""
    forms: dict[str, tuple[Region, bool]] = {}
    for region in sorted(REGIONS, key=lambda r: LEVEL_RANK.get(r.level, 9)):
        forms.setdefault(region.name, (region, True))
    for region in sorted(REGIONS, key=lambda r: LEVEL_RANK.get(r.level, 9)):
        for s in region.aliases:
            forms.setdefault(s, (region, False))
    pattern = re.compile(alternation(set(forms)))
    return pattern, forms


def find_region_prefix(text: str) -> Region | None:
    """The region whose full name (preferred) or short form is the longest prefix of `text`."""
    _, forms = _matcher()
    best: tuple[int, int] | None = None  # (is_full, length): a full name beats a longer short form
    found = None
    for n in range(min(len(text), _MAX_FORM), 1, -1):
        hit = forms.get(text[:n])
        if hit is not None:
            key = (int(hit[1]), n)
            if best is None or key > best:
                best, found = key, hit[0]
    return found


@dataclass(frozen=True)
class RegionMention:
    start: int
    end: int
    text: str
    region: Region
    full: bool  # matched the full official name


def regions_in(text: str) -> list[RegionMention]:
    """Non-overlapping region mentions, scanning left to right with the longest match at each position."""
    pattern, forms = _matcher()
    out = []
    for m in pattern.finditer(text):
        region, full = forms[m.group()]
        out.append(RegionMention(m.start(), m.end(), m.group(), region, full))
    return out
