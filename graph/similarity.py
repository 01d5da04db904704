"""Which measures read alike: the text similarity behind measure lineage (graph/lineage.py).

    pairs = similar_pairs(texts, groups, entities, cache=cache)   # called by lineage.lineage_edges

Similarity. A measure's text is normalised (NFKC; unit clauses such as (牵头单位:…) dropped; the names
of its jurisdiction and the regions above it dropped; 省/市/县/区 dropped, so 全省/全市 and 省级/市级
read alike; every number becomes '#'; punctuation and spaces dropped) and cut into character 3-gram
shingles. Candidates come from MinHash LSH, so that 100k measures are not compared pair by pair:
  * MinHash signatures: datasketch.MinHash (256 permutations, affine32 scheme) of the shingles' crc32;
  * banding: BANDS bands of ROWS values; two measures are candidates when one band agrees entirely
    (band_candidates: each band's keys sorted in numpy arrays; a bucket's members are paired with the
    next MAX_BUCKET_SPAN members only). datasketch.MinHashLSH with the same (bands, rows) finds the same
    candidates (datasketch_candidates, `index="datasketch"`), but its dict storage holds Python sets
    per band and key, several KB per measure (660 MB at 100k measures), and its per-measure queries
    cost more; BENCHMARKS.md "## Lineage" compares them;
  * candidates of the same document are dropped, then those whose signatures estimate a Jaccard below
    ESTIMATE_MIN; at most MAX_CANDIDATES are kept per measure, the best by estimate.
  Near-identical phrases in many documents make large buckets, so tens of millions of candidates: they
  are never all held at once as int64 (band_candidate_blocks yields them by blocks of measures; each
  block is filtered as it comes and its pairs filed by estimate as int32; _selected walks the estimates
  best first for the cap).
Each remaining pair is verified on the normalised texts:

    score = (Jaccard of the 3-gram sets + rapidfuzz ratio) / 2  + SHARED_BONUS per shared platform or
            initiative (at most MAX_BONUS), capped at 1

and kept when score >= SIMILAR_MIN.

Work once per content: a signature per distinct normalised text, a verification (Jaccard, ratio) per
distinct pair of texts, a score per distinct (pair of texts, shared entities); copies of a document
(cities copying provincial measures verbatim) cost nothing more. The banding skips a band's bucket
whose set of distinct texts was a bucket of an earlier band (it would add the same pairs).
Incremental builds: `LineageCache` keeps the signatures (per text_key of a normalised text) and the
verifications (per pair of keys) between builds (`LineageCache.load(path)`, `.save(path)`);

    cache = LineageCache.load(path)         # missing or corrupt file: an empty cache
    edges = lineage_edges(graph, cache=cache)
    cache.save(path)                         # atomic; holds only what this graph's measures use

computes only new texts' signatures and new pairs' verifications; candidate generation and ranking
stay global, so the edges are exactly those of a run without cache.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz

from ..reference import genre, regions
from ..reference.clauses import UNIT_CLAUSE, is_unit_clause, unit_clauses
from .store import atomic_file


SHINGLE = 3
NUM_PERM = 256
BANDS, ROWS = 64, 4  # LSH: a candidate pair agrees on all 4 values of one of 64 bands (81% at Jaccard 0.4,
#                      93% at 0.45, 98% at 0.5; 3% at 0.15, 0.6% at 0.1)
MAX_BUCKET_SPAN = 64  # in one LSH bucket, each measure is paired with the next 64 members only
SIMILAR_MIN = 0.6  # verified score for SIMILAR_TO
MAX_CANDIDATES = 50  # per measure, the best by estimated Jaccard
ESTIMATE_MIN = 0.2  # candidates whose signatures estimate a lower Jaccard are not verified
SHARED_BONUS = 0.05
MAX_BONUS = 0.1
MIN_CHARS = 8  # shorter normalised texts (a bare heading) take no part
LAST_STATS: dict[str, int] = {}  # counts of the last similar_pairs call (measures, lsh_candidates, verified, pairs)
METHOD = f"minhash-lsh(3-gram,{NUM_PERM}x{BANDS}b{ROWS}r)+jaccard+rapidfuzz.ratio"

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
LEVEL_CHARS = set(genre.LEVEL_MARKERS)


# -- normalisation ------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def region_forms(jurisdiction: str | None) -> tuple[str, ...]:
    """Names of a jurisdiction and of the regions above it, longest first (滨州市, 山东省, 滨州, 山东)."""
    if not jurisdiction:
        return ()

    forms: set[str] = {jurisdiction}
    region = regions.lookup(jurisdiction)
    seen = 0
    while region is not None and seen < 4:
        forms.update(f for f in region.forms if len(f) >= 2)
        region = regions.lookup(region.parent) if region.parent else None
        seen += 1
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


def normalise_mapped(text: str, drop: Sequence[str] = (), numbers: bool = True) -> tuple[str, list[int]]:
    """(normalised text, offsets): offsets[i] is the index in `text` of normalised character i.

    numbers=True turns every number into one '#'; drop lists names (regions) removed wherever they occur.
    """
    text = text or ""
    keep = [True] * len(text)
    for m in unit_clauses(text):
        for i in range(m.start(), m.end()):
            keep[i] = False
    for name in drop:
        start = 0
        while (at := text.find(name, start)) >= 0:
            for i in range(at, at + len(name)):
                keep[i] = False
            start = at + len(name)
    out: list[str] = []
    offsets: list[int] = []
    number_spans = {m.start(): m.end() for m in NUMBER.finditer(text)} if numbers else {}
    i = 0
    while i < len(text):
        if not keep[i]:
            i += 1
            continue
        if i in number_spans:
            out.append("#")
            offsets.append(i)
            i = number_spans[i]
            continue
        ch = unicodedata.normalize("NFKC", text[i])
        ch = ch[:1].upper() if ch else ""
        if ch and (ch.isalnum() or ch == "#") and ch not in LEVEL_CHARS:
            out.append(ch)
            offsets.append(i)
        i += 1
    return "".join(out), offsets


_NOT_KEPT = re.compile(r"[^\w#]|_")
_LEVELS = str.maketrans("", "", "".join(sorted(LEVEL_CHARS)))


def normalise(text: str, drop: Sequence[str] = ()) -> str:
    """normalise_mapped(text, drop)[0], faster (no offsets)."""
    text = UNIT_CLAUSE.sub(lambda m: "\0" * len(m.group()) if is_unit_clause(m.group(1)) else m.group(), text or "")
    for name in drop:
        text = text.replace(name, "\0" * len(name))
    text = NUMBER.sub("\x01", text.replace("#", "\x02"))
    text = unicodedata.normalize("NFKC", text).upper().replace("\x01", "#").replace("\x02", "#")
    return _NOT_KEPT.sub("", text).translate(_LEVELS)


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    if len(text) <= k:
        return {text} if text else set()
    return {text[i:i + k] for i in range(len(text) - k + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# -- candidate pairs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pair:
    a: int  # indexes into the input sequence, a < b
    b: int
    score: float
    jaccard: float
    ratio: float


_PERMUTATIONS: Any = None


def _permutations():
    global _PERMUTATIONS
    if _PERMUTATIONS is None:
        _PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1).permutations
    return _PERMUTATIONS


def shingle_hashes(text: str) -> np.ndarray:
    """The sorted, distinct crc32 hashes of a text's 3-gram shingles (uint32)."""
    return np.unique(np.fromiter((zlib.crc32(s.encode("utf-8")) for s in shingles(text)), dtype=np.uint32))


def _identity(value: int) -> int:
    return value


def signature(text: str, hashes: np.ndarray | None = None) -> MinHash:
    """The MinHash (datasketch, affine32 scheme) of a text's shingles."""
    m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_identity, permutations=_permutations(), scheme="affine32")
    m.update_batch((shingle_hashes(text) if hashes is None else hashes).tolist())
    return m


def _jaccard_hashes(a: np.ndarray, b: np.ndarray) -> float:
    if not len(a) or not len(b):
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def signatures(texts: Sequence[str]) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    """(MinHash signatures n x NUM_PERM, shingle hashes per text, indexes of the texts long enough to take part)."""
    n = len(texts)
    sigs = np.zeros((n, NUM_PERM), dtype=np.uint32)
    hashes: list[np.ndarray] = [np.zeros(0, dtype=np.uint32)] * n
    valid = []
    for i, text in enumerate(texts):
        if len(text) < MIN_CHARS:
            continue
        hashes[i] = shingle_hashes(text)
        sigs[i] = signature(text, hashes[i]).hashvalues
        valid.append(i)
    return sigs, hashes, np.asarray(valid, dtype=np.int64)


def _band_buckets(rows_of_band: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One band's buckets: (the rows in key order, a mask over that order that is True where a new
    bucket starts). Exact keys: the band's values packed two by two in uint64 columns."""
    cols = rows_of_band.astype(np.uint64)
    width = cols.shape[1]
    keys = [cols[:, k] << np.uint64(32) | cols[:, k + 1] if k + 1 < width else cols[:, k]
            for k in range(0, width, 2)]
    order = np.lexsort(keys[::-1])  # ties: ascending row
    change = np.zeros(len(order), dtype=bool)
    change[0] = True
    for key in keys:
        key = key[order]
        change[1:] |= key[1:] != key[:-1]
    return order, change


def _sorted_distinct(codes: np.ndarray) -> np.ndarray:
    """The distinct values, ascending; sorts `codes` in place (np.unique hashes in numpy 2 and is
    several times slower)."""
    codes.sort()
    return codes[np.r_[True, codes[1:] != codes[:-1]]]


def _with_span_pairs(codes: np.ndarray, run: np.ndarray, members: np.ndarray, n: np.int64, span: int) -> np.ndarray:
    """`codes` (distinct pairs i * n + j, i < j, ascending) with the pairs of `members` that are within
    `span` of each other in one run of equal `run` values (a bucket, members in bucket order)."""
    found = []
    for d in range(1, span + 1):
        same = run[:-d] == run[d:]
        if not same.any():
            break
        left, right = members[:-d][same], members[d:][same]
        found.append(np.minimum(left, right) * n + np.maximum(left, right))
    return _sorted_distinct(np.concatenate([codes, *found])) if found else codes


def band_candidates(sigs: np.ndarray, valid: np.ndarray, bands: int = BANDS, rows: int = ROWS,
                    span: int = MAX_BUCKET_SPAN) -> np.ndarray:
    """LSH banding with sorted arrays: (i, j) pairs, i < j, whose signatures agree on all `rows` values of
    at least one of `bands` bands. Each band's keys are sorted (exact keys: the band's values packed in
    uint64 columns); members of one bucket are paired with the next `span` members only, so a huge
    bucket (boilerplate) costs n * span, not n^2. Memory: O(n) per band, and the distinct pairs found
    so far (each band's pairs are merged into them as it is done: a corpus of many identical copies
    finds the same pairs in every band, 64 copies of them kept at once cost GBs)."""
    if len(valid) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    n = np.int64(len(valid))
    codes = np.zeros(0, dtype=np.int64)  # pair (i, j), i < j, as i * n + j
    for band in range(bands):
        order, change = _band_buckets(sigs[valid, band * rows:(band + 1) * rows])
        codes = _with_span_pairs(codes, np.cumsum(change), order, n, span)
    if not len(codes):
        return np.zeros((0, 2), dtype=np.int64)
    return np.stack([valid[codes // n], valid[codes % n]], axis=1)


def _distinct_band_candidates(sigs: np.ndarray, of: np.ndarray, valid: np.ndarray, bands: int = BANDS,
                              rows: int = ROWS, span: int = MAX_BUCKET_SPAN) -> np.ndarray:
    """band_candidates(sigs[of], valid) from the signatures of the distinct texts (`sigs`, one row per
    distinct text; of[i]: the distinct text of measure i; valid: the measures taking part, ascending,
    all the measures of a distinct text or none). The same pairs, found faster when texts repeat (the
    copies of a document): a band's bucket is a set of distinct texts, and its pairs (members within
    `span` of each other in measure order) depend only on that set, so a bucket whose set of texts
    was a bucket of an earlier band adds nothing and is skipped."""
    if len(valid) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    n = np.int64(len(of))
    texts = np.unique(of[valid])  # the distinct texts taking part, ascending
    members = np.bincount(of[valid], minlength=len(sigs))
    alone_seen = np.zeros(len(sigs), dtype=bool)  # the text was alone in a bucket of an earlier band
    sets_seen: set[tuple[int, ...]] = set()
    bucket_of = np.full(len(sigs), -1, dtype=np.int64)
    codes = np.zeros(0, dtype=np.int64)  # pair (i, j), i < j, as i * n + j
    for band in range(bands):
        order, change = _band_buckets(sigs[texts, band * rows:(band + 1) * rows])
        starts = np.flatnonzero(change)
        sizes = np.diff(np.append(starts, len(order)))
        sorted_texts = texts[order]
        novel = np.zeros(len(starts), dtype=bool)
        single = sizes == 1
        alone = sorted_texts[starts[single]]
        novel[np.flatnonzero(single)] = (members[alone] > 1) & ~alone_seen[alone]
        alone_seen[alone] = True
        for b in np.flatnonzero(~single).tolist():
            group = tuple(sorted_texts[starts[b]:starts[b] + sizes[b]].tolist())
            if group not in sets_seen:
                sets_seen.add(group)
                novel[b] = True
        if not novel.any():
            continue
        bucket_of[:] = -1
        bucket_of[sorted_texts] = np.repeat(np.where(novel, np.arange(len(starts)), -1), sizes)
        measures = valid[bucket_of[of[valid]] >= 0]
        buckets = bucket_of[of[measures]]
        order = np.lexsort((measures, buckets))
        codes = _with_span_pairs(codes, buckets[order], measures[order], n, span)
    if not len(codes):
        return np.zeros((0, 2), dtype=np.int64)
    return np.stack([codes // n, codes % n], axis=1)


CHUNK_PAIRS = 1 << 20  # band_candidate_blocks: about this many pairs (found in all bands, repeats included) at once


def band_candidate_blocks(sigs: np.ndarray, of: np.ndarray, valid: np.ndarray, bands: int = BANDS, rows: int = ROWS,
                          span: int = MAX_BUCKET_SPAN, chunk: int = CHUNK_PAIRS):
    """band_candidates(sigs[of], valid) in blocks, without holding them all: yields (a, b), measure indexes
    (int64), a < b; each block the distinct pairs whose `a` lies in a range of measures, sorted by (a, b),
    the ranges ascending (so the blocks concatenated are band_candidates' rows). sigs: one row per distinct
    text, of[i] the distinct text of measure i. A bucket's members are in ascending measure order, so the
    member at sorted position k is the first of the pairs with positions k+1 .. min(k+span, bucket end - 1);
    each band keeps its order and those counts (int32 per measure), and a block of measures gathers its
    pairs of every band and drops the repeats (a pair found by several bands) with one sort. Memory:
    O(bands * n) int32 + one block (about `chunk` pairs)."""
    m = len(valid)
    if m < 2:
        return
    text = of[valid]
    orders: list[np.ndarray] = []  # per band: the measures (positions in valid) in key order
    places: list[np.ndarray] = []  # per band: each measure's position in that order
    firsts: list[np.ndarray] = []  # per band: how many pairs each measure is the first of
    total = np.zeros(m, dtype=np.int64)
    positions = np.arange(m, dtype=np.int64)
    for band in range(bands):
        order, change = _band_buckets(sigs[text, band * rows:(band + 1) * rows])
        starts = np.flatnonzero(change)
        end = np.repeat(np.append(starts[1:], m), np.diff(np.append(starts, m)))  # its bucket's end
        count = np.minimum(end - 1 - positions, span)  # by sorted position
        place = np.empty(m, dtype=np.int32)
        place[order] = positions
        orders.append(order.astype(np.int32))
        places.append(place)
        first = np.empty(m, dtype=np.int32)
        first[order] = count
        firsts.append(first)
        total += first
    del change, starts, end, count
    bounds = np.searchsorted(np.cumsum(total), np.arange(chunk, int(total.sum()), chunk), side="left") + 1
    edges = [0] + sorted(set(bounds.tolist()) - {0, m}) + [m]
    for lo, hi in zip(edges[:-1], edges[1:]):
        parts = []
        for order, place, first in zip(orders, places, firsts):
            c = first[lo:hi].astype(np.int64)
            size = int(c.sum())
            if not size:
                continue
            left = np.repeat(np.arange(lo, hi, dtype=np.int64), c)
            offset = np.arange(1, size + 1, dtype=np.int64) - np.repeat(np.cumsum(c) - c, c)
            right = order[np.repeat(place[lo:hi].astype(np.int64), c) + offset]
            parts.append((left - lo) * m + right)
        if not parts:
            continue
        codes = _sorted_distinct(np.concatenate(parts))
        del parts
        yield valid[codes // m + lo], valid[codes % m]


def datasketch_candidates(sigs: np.ndarray, valid: np.ndarray, bands: int = BANDS, rows: int = ROWS) -> np.ndarray:
    """The same candidates from datasketch.MinHashLSH (params=(bands, rows)): the reference
    implementation, kept for comparison (bench/lineage.py --index datasketch). Its dict storage keeps
    Python sets per band and key: several KB per measure."""
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(bands, rows))
    perms = _permutations()
    found: list[tuple[int, int]] = []
    for i in valid.tolist():
        m = MinHash(num_perm=NUM_PERM, seed=1, hashvalues=sigs[i], permutations=perms, scheme="affine32")
        found.extend((j, i) for j in lsh.query(m))
        lsh.insert(i, m, check_duplication=False)
    return np.asarray(sorted(found), dtype=np.int64).reshape(-1, 2)


# -- memoisation and the persisted cache -----------------------------------------------------------------

CACHE_FORMAT = 1
_CACHE_PARAMS = (CACHE_FORMAT, METHOD, SHINGLE, NUM_PERM, MIN_CHARS)  # a cache made with others is not used


def _params_bytes() -> bytes:
    return json.dumps(list(_CACHE_PARAMS)).encode("utf-8")


def text_key(text: str) -> bytes:
    """The content key of a normalised text (16-byte blake2b digest)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class LineageCache:
    """What lineage_edges computed per content, kept between builds:

      signatures  text_key(normalised text) -> its MinHash signature (uint32[NUM_PERM])
      verified    text_key(a) + text_key(b), a's key < b's key -> (jaccard, ratio) of the two texts
                  (both symmetric; the shared-entity bonus is recomputed, it is cheap)

    `similar_pairs` / `lineage_edges(graph, cache=...)` read it and leave in it only the entries of the
    corpus they were given (the texts' signatures, the verified candidate pairs), so it does not grow as
    documents come and go. `stats` counts what the last call computed and reused.
    """

    def __init__(self) -> None:
        self.signatures: dict[bytes, np.ndarray] = {}
        self.verified: dict[bytes, tuple[float, float]] = {}
        self.stats: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.signatures) + len(self.verified)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "LineageCache":
        """The cache saved at path; an empty cache if the file is missing, unreadable, corrupt or was
        made with other parameters (never an error). The file is a numpy .npz of plain arrays, read
        with allow_pickle=False: loading it runs no code, whatever is in it."""
        cache = cls()
        try:
            with np.load(path, allow_pickle=False) as data:
                if data["params"].tobytes() != _params_bytes():
                    return cache
                sig_keys, sigs = data["sig_keys"], data["sigs"]
                pair_keys, values = data["pair_keys"], data["pair_values"]
            if (sig_keys.dtype != np.uint8 or sig_keys.shape != (len(sigs), 16) or sigs.dtype != np.uint32
                    or sigs.shape != (len(sig_keys), NUM_PERM) or pair_keys.dtype != np.uint8
                    or pair_keys.shape != (len(values), 32) or values.dtype != np.float64
                    or values.shape != (len(pair_keys), 2)):
                return cache
            keys = sig_keys.tobytes()
            cache.signatures = dict(zip((keys[k:k + 16] for k in range(0, len(keys), 16)), sigs))
            keys = pair_keys.tobytes()
            cache.verified = dict(zip((keys[k:k + 32] for k in range(0, len(keys), 32)),
                                      map(tuple, values.tolist())))
        except Exception:  # noqa: BLE001 - a cache is only an optimisation: any defect means "empty"
            return cls()
        return cache

    def save(self, path: str | os.PathLike) -> int:
        """Writes the cache to path atomically (a temporary file, then os.replace); returns its size in
        bytes. Format: numpy .npz (uncompressed: signatures are random bits), 1 KiB per text
        (NUM_PERM uint32) + 16 bytes of key, 48 bytes per verified pair."""
        path = Path(path)
        arrays = {
            "params": np.frombuffer(_params_bytes(), dtype=np.uint8),
            "sig_keys": np.frombuffer(b"".join(self.signatures), dtype=np.uint8).reshape(-1, 16),
            "sigs": (np.stack(list(self.signatures.values())).astype(np.uint32, copy=False) if self.signatures
                     else np.zeros((0, NUM_PERM), dtype=np.uint32)),
            "pair_keys": np.frombuffer(b"".join(self.verified), dtype=np.uint8).reshape(-1, 32),
            "pair_values": np.array(list(self.verified.values()), dtype=np.float64).reshape(-1, 2),
        }
        with atomic_file(path) as fh:
            np.savez(fh, **arrays)  # type: ignore[arg-type]
        return path.stat().st_size


def distinct(items: Sequence[Any]) -> tuple[list[Any], np.ndarray]:
    """(the distinct items in order of first appearance, the index of each item among them)."""
    index: dict[Any, int] = {}
    ids = np.fromiter((index.setdefault(x, len(index)) for x in items), dtype=np.int64, count=len(items))
    return list(index), ids


class _Texts:
    """The distinct normalised texts of a corpus: their keys, signatures and (lazily) shingle hashes."""

    def __init__(self, texts: Sequence[str], cache: LineageCache | None, stats: dict[str, int]) -> None:
        self.texts, self.of = distinct(texts)  # of[i]: the distinct text of input text i
        self.keys = [text_key(t) for t in self.texts]
        self.hashes: dict[int, np.ndarray] = {}
        self.sigs = np.zeros((len(self.texts), NUM_PERM), dtype=np.uint32)
        self.valid = np.zeros(len(self.texts), dtype=bool)
        known = cache.signatures if cache is not None else {}
        computed = reused = 0
        for u, (text, key) in enumerate(zip(self.texts, self.keys)):
            if len(text) < MIN_CHARS:
                continue
            self.valid[u] = True
            sig = known.get(key)
            if sig is None:
                self.hashes[u] = shingle_hashes(text)
                sig = signature(text, self.hashes[u]).hashvalues
                computed += 1
            else:
                reused += 1
            self.sigs[u] = sig
        stats["signatures_computed"] = computed
        stats["signatures_reused"] = reused
        if cache is not None:  # only the current corpus's texts
            cache.signatures = {self.keys[u]: self.sigs[u] for u in np.flatnonzero(self.valid).tolist()}

    def shingle_hashes(self, u: int) -> np.ndarray:
        hashes = self.hashes.get(u)
        if hashes is None:
            hashes = self.hashes[u] = shingle_hashes(self.texts[u])
        return hashes


def _text_pairs(of: np.ndarray, a: np.ndarray, b: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The unordered pairs of distinct texts of candidate pairs (a, b): (their codes lo * count + hi, sorted and
    distinct; for each candidate, the index of its code)."""
    ua, ub = of[a], of[b]
    return unique_codes(np.minimum(ua, ub) * np.int64(count) + np.maximum(ua, ub), count * count)


def _agreements(sigs: np.ndarray, codes: np.ndarray, count: int) -> np.ndarray:
    """How many of the NUM_PERM signature values the two texts of each pair code agree on (in chunks)."""
    lows, highs = codes // count, codes % count
    if not len(codes):
        return np.zeros(0, dtype=np.int64)
    # 2048 rows at a time (the comparisons stay in cache); the booleans counted 8 at a time (popcount)
    return np.concatenate([np.bitwise_count((sigs[lows[k:k + 2048]] == sigs[highs[k:k + 2048]]).view(np.uint64))
                           .sum(axis=1, dtype=np.int64) for k in range(0, len(codes), 2048)])


def _dense(sigs: np.ndarray) -> np.ndarray:
    """The signatures with each column's values renumbered 0, 1, ... (in order): equal where they were equal,
    so the same agreements, and uint16 when there are at most 65536 texts (half the bytes to gather)."""
    if len(sigs) > 1 << 16 or not len(sigs):
        return sigs
    order = np.argsort(sigs, axis=0, kind="stable")
    ranked = np.take_along_axis(sigs, order, axis=0)
    new = np.zeros(sigs.shape, dtype=np.uint16)
    step = np.zeros(sigs.shape, dtype=np.uint16)
    step[1:] = ranked[1:] != ranked[:-1]
    np.put_along_axis(new, order, np.cumsum(step, axis=0, dtype=np.uint16), axis=0)
    return new


def _selected(blocks, of: np.ndarray, sigs: np.ndarray, group_ids: np.ndarray | None, n: int,
              cap: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The candidate pairs (blocks of band_candidate_blocks) that are verified: (a, b) sorted by (a, b), and
    the number of candidates. Those of one group (document) are dropped, then those whose signatures
    estimate a Jaccard below ESTIMATE_MIN; then at most `cap` per measure: the pairs are walked by
    estimate, best first, then by (a, b), and one is kept when both its measures have fewer than `cap`
    kept pairs so far (a measure with at most `cap` pairs never refuses one). Each block is
    filtered as it comes and its pairs filed by estimate (int32, in (a, b) order): the walk takes one
    estimate at a time, drops the pairs of measures already full, and walks in Python only the pairs of
    a measure that could still fill up within that estimate."""
    count = len(sigs)
    sigs = _dense(sigs)
    by_level: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
    degree = np.zeros(n, dtype=np.int64)
    found = 0
    for a, b in blocks:
        found += len(a)
        if group_ids is not None:
            apart = group_ids[a] != group_ids[b]
            a, b = a[apart], b[apart]
        if not len(a):
            continue
        codes, of_pair = _text_pairs(of, a, b, count)
        agree = _agreements(sigs, codes, count)
        keep = (agree / NUM_PERM)[of_pair] >= ESTIMATE_MIN
        a, b = a[keep].astype(np.int32), b[keep].astype(np.int32)
        level = (NUM_PERM - agree).astype(np.uint16)[of_pair[keep]]
        del codes, of_pair, agree, keep
        degree += np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
        order = np.argsort(level, kind="stable")
        level = level[order]
        starts = np.flatnonzero(np.r_[True, level[1:] != level[:-1]]) if len(level) else np.zeros(0, dtype=np.int64)
        for s0, s1 in zip(starts.tolist(), np.append(starts[1:], len(level)).tolist()):
            part = order[s0:s1]
            by_level.setdefault(int(level[s0]), []).append((a[part], b[part]))
        del a, b, level, order
    crowded = degree > cap
    room = np.where(crowded, cap, np.iinfo(np.int64).max // 4)  # pairs a measure may still take
    kept: list[tuple[np.ndarray, np.ndarray]] = []
    for lvl in sorted(by_level):
        parts = by_level.pop(lvl)
        a = np.concatenate([x for x, _ in parts])
        b = np.concatenate([y for _, y in parts])
        del parts
        open_ = (room[a] > 0) & (room[b] > 0)  # a full measure refuses all the rest
        a, b = a[open_], b[open_]
        if not len(a):
            continue
        wanted = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
        tight = room < wanted  # could fill up within this estimate: its pairs go in order
        walk = np.flatnonzero(tight[a] | tight[b])
        if len(walk):
            chosen = np.ones(len(a), dtype=bool)
            ids = np.flatnonzero(tight)
            local = np.full(n, -1, dtype=np.int64)  # a tight measure's index in `left`; -1: not tight
            local[ids] = np.arange(len(ids))
            left = room[ids].tolist()
            refused = []
            for k, x, y in zip(walk.tolist(), local[a[walk]].tolist(), local[b[walk]].tolist()):
                if (x < 0 or left[x]) and (y < 0 or left[y]):  # a measure that is not tight never runs out
                    if x >= 0:
                        left[x] -= 1
                    if y >= 0:
                        left[y] -= 1
                else:
                    refused.append(k)
            chosen[refused] = False
            a, b = a[chosen], b[chosen]
        room -= np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
        kept.append((a, b))
    if not kept:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), found
    a = np.concatenate([x for x, _ in kept]).astype(np.int64)
    b = np.concatenate([y for _, y in kept]).astype(np.int64)
    order = np.argsort(a * np.int64(n) + b, kind="stable")
    return a[order], b[order], found


def unique_codes(codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(codes, return_inverse=True) for codes in [0, size): without sorting when size is small."""
    if size > 1 << 22:
        return np.unique(codes, return_inverse=True)
    present = np.zeros(size, dtype=bool)
    present[codes] = True
    distinct = np.flatnonzero(present)
    index = np.cumsum(present) - 1
    return distinct, index[codes]


def _one_block(cand: np.ndarray, rows: int = CHUNK_PAIRS):
    """Candidate pairs sorted by (a, b) as blocks for _selected (slices of `rows` pairs)."""
    for k in range(0, len(cand), rows):
        yield cand[k:k + rows, 0], cand[k:k + rows, 1]


def similar_arrays(texts: Sequence[str], groups: Sequence[str] | None, entities: Sequence[frozenset[str]] | None,
             min_score: float, max_candidates: int, index: str,
             cache: LineageCache | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """similar_pairs as arrays: (a, b, score, jaccard, ratio) of the kept pairs, sorted by (a, b)."""
    stats: dict[str, int] = {}
    distinct = _Texts(texts, cache, stats)
    count = len(distinct.texts)
    valid = np.flatnonzero(distinct.valid[distinct.of])
    if index == "datasketch":
        blocks = _one_block(datasketch_candidates(distinct.sigs[distinct.of], valid))
    elif index == "plain":  # band_candidates on the measures' signatures: the same candidates, slower
        blocks = _one_block(band_candidates(distinct.sigs[distinct.of], valid))
    elif len(distinct.texts) > len(valid) // 2:  # few repeated texts: skipping buckets would not pay
        blocks = band_candidate_blocks(distinct.sigs, distinct.of, valid)
    else:
        blocks = _one_block(_distinct_band_candidates(distinct.sigs, distinct.of, valid))
    group_ids = None
    if groups is not None:
        codes = {g: k for k, g in enumerate(dict.fromkeys(groups))}
        group_ids = np.fromiter((codes[g] for g in groups), dtype=np.int64, count=len(groups))
    a, b, found = _selected(blocks, distinct.of, distinct.sigs, group_ids, len(texts), max_candidates)
    cand = np.stack([a, b], axis=1)
    LAST_STATS.clear()
    LAST_STATS["measures"] = len(valid)
    LAST_STATS["lsh_candidates"] = found
    pair_codes, of_pair = _text_pairs(distinct.of, a, b, count)
    LAST_STATS["verified"] = len(cand)
    # verification: once per pair of distinct texts (or read from the cache)
    needed = np.zeros(len(pair_codes), dtype=bool)
    needed[of_pair] = True
    known = cache.verified if cache is not None else {}
    used: dict[bytes, tuple[float, float]] = {}
    jaccards = np.zeros(len(pair_codes), dtype=np.float64)
    ratios = np.zeros(len(pair_codes), dtype=np.float64)
    computed = 0
    keys = distinct.keys
    for p in np.flatnonzero(needed).tolist():
        lo, hi = divmod(int(pair_codes[p]), count)
        key = keys[lo] + keys[hi] if keys[lo] < keys[hi] else keys[hi] + keys[lo]
        result = known.pop(key, None)  # moved to `used` (the old cache goes): never both whole at once
        if result is None:
            result = (_jaccard_hashes(distinct.shingle_hashes(lo), distinct.shingle_hashes(hi)),
                      fuzz.ratio(distinct.texts[lo], distinct.texts[hi]) / 100.0)
            computed += 1
        used[key] = result
        jaccards[p], ratios[p] = result
    stats["pairs_verified"] = computed
    stats["pairs_reused"] = len(used) - computed
    if cache is not None:  # only the current corpus's pairs
        cache.verified = used
        cache.stats = stats
    # scores, vectorised: the same float operations as (jac + ratio) / 2 + bonus, capped at 1, rounded
    score = (jaccards[of_pair] + ratios[of_pair]) / 2
    if entities is not None and len(cand):
        score += _bonuses(entities, cand)
    score = _round3(np.minimum(1.0, score))
    keep = np.flatnonzero(score >= min_score)
    LAST_STATS["pairs"] = len(keep)
    return cand[keep, 0], cand[keep, 1], score[keep], _round3(jaccards)[of_pair[keep]], _round3(ratios)[of_pair[keep]]


def _bonuses(entities: Sequence[frozenset[str]], cand: np.ndarray) -> np.ndarray:
    """min(MAX_BONUS, SHARED_BONUS * shared platforms/initiatives) of each candidate pair (once per pair of
    distinct entity sets)."""
    sets, set_of = distinct(entities)
    count = np.int64(len(sets))
    ea, eb = set_of[cand[:, 0]], set_of[cand[:, 1]]
    codes, inverse = np.unique(np.minimum(ea, eb) * count + np.maximum(ea, eb), return_inverse=True)
    shared = np.array([len(sets[c // count] & sets[c % count]) for c in codes.tolist()], dtype=np.float64)
    return np.minimum(MAX_BONUS, SHARED_BONUS * shared)[inverse]


def _round3(values: np.ndarray) -> np.ndarray:
    """round(v, 3) of each value, as Python's round does it (correctly rounded): np.round (rint(v * 1000)
    / 1000) agrees except where v * 1000 is within float error of a half, and those are redone in Python."""
    out = np.round(values, 3)
    scaled = values * 1000.0
    close = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    if len(close):
        out[close] = [round(v, 3) for v in values[close].tolist()]
    return out


def similar_pairs(texts: Sequence[str], groups: Sequence[str] | None = None,
                  entities: Sequence[frozenset[str]] | None = None, min_score: float = SIMILAR_MIN,
                  max_candidates: int = MAX_CANDIDATES, index: str = "bands",
                  cache: LineageCache | None = None) -> list[Pair]:
    """Pairs of normalised texts whose verified score is at least min_score; texts of the same group
    (document) are never paired. Near-linear: MinHash signatures, LSH banding for candidates, a
    vectorised estimate of their Jaccard, then exact verification of the few that remain. Signatures
    and verifications are computed once per distinct content (text; pair of texts), and read from /
    left in `cache` when one is given (LineageCache)."""
    a, b, score, jac, ratio = similar_arrays(texts, groups, entities, min_score, max_candidates, index, cache)
    return [Pair(*p) for p in zip(a.tolist(), b.tolist(), score.tolist(), jac.tolist(), ratio.tolist())]


__all__ = ["similar_pairs", "normalise", "normalise_mapped", "shingles", "jaccard", "signature", "signatures",
           "band_candidates", "datasketch_candidates", "Pair", "SIMILAR_MIN", "BANDS", "ROWS", "METHOD",
           "LineageCache", "text_key"]
