"""The search index of one build: SQLite FTS5 (through Python's sqlite3), written into the build
folder the first time the build is served (`search.sqlite`), read by every later server.

Three tables:
- `names`: one row per searchable node, its normalised name, aliases and measure text as one
  token per character, so an FTS5 phrase query is a substring query on the normalised text and
  works for Chinese queries of any length (FTS5 has no Chinese word splitter; characters are
  what a researcher types anyway).
- `pinyin`: the pinyin (pypinyin, full and initials) of names and aliases, one token for each
  character's position to the end ("aishandong", "shandong", "dong"), so a prefix query finds a
  pinyin run anywhere in a name (`binzhou` -> 滨州市大数据局, `ass` -> 爱山东 initials).
- `news`: the sentences of news reports (text only a report carries is searchable), with
  the document and character span of each sentence.

The index only proposes candidates; queries.py checks and scores them. Fuzzy matching of
one-character typos runs over the distinct names with rapidfuzz (OSA distance 1: one character
added, dropped, changed, or two swapped).
"""
from __future__ import annotations

import os
import re
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..ontology.vocab import NodeType

INDEX_FILE = "search.sqlite"
INDEX_VERSION = "1"
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_TOKEN_CHAR = re.compile(r"[\w]", re.UNICODE)


@dataclass(frozen=True)
class NewsSentence:
    document: str  # the document's file name (evidence.document)
    node_id: str  # the Document node
    start: int
    end: int
    text: str


def char_tokens(text: str) -> str:
    """One token per letter, digit or Chinese character, separated by spaces (FTS5 unicode61
    then makes each character a token; punctuation falls out)."""
    return " ".join(ch for ch in text if _TOKEN_CHAR.match(ch) and ch != "_")


def phrase(needle: str) -> str | None:
    """The FTS5 phrase query for a normalised needle, or None when it holds no token character."""
    tokens = char_tokens(needle)
    return '"' + tokens + '"' if tokens else None


_pinyin_lock = threading.Lock()


def pinyin_forms(text: str) -> tuple[list[str], list[str]]:
    """(full, initials) syllables of text from pypinyin: 爱山东APP -> ([ai, shan, dong, app], [a, s, d, a])."""
    from pypinyin import lazy_pinyin

    with _pinyin_lock:
        full = lazy_pinyin(text, errors="default")
    parts: list[str] = []
    for piece in full:
        parts.extend(p for p in re.split(r"[^0-9a-zA-Z]+", piece.lower()) if p)
    return parts, [p[0] for p in parts]


def pinyin_tokens(text: str) -> list[str]:
    """Every suffix of the joined full pinyin and of the joined initials (see module docstring)."""
    full, initials = pinyin_forms(text)
    out = []
    for parts in (full, initials):
        for i in range(len(parts)):
            out.append("".join(parts[i:]))
    return out


def sentences(text: str) -> Iterable[tuple[int, int, str]]:
    for match in _SENTENCE.finditer(text):
        sentence = match.group().strip()
        if len(sentence) >= 2:
            start = match.start() + (len(match.group()) - len(match.group().lstrip()))
            yield start, start + len(sentence), sentence


class SearchIndex:
    """The FTS5 file of one build; connections per thread (sqlite3 objects stay in their thread)."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()

    @classmethod
    def open_or_build(cls, folder: Path | None, ids: Sequence[str], fields: Sequence[tuple[str, Sequence[str]]],
                      news: Sequence[NewsSentence], fold: Callable[[str], str]) -> "SearchIndex":
        """`fields[i]`: the type and normalised name, aliases and text of entry `ids[i]`; `fold`
        normalises news text the same way.
        The index in `folder` if it was written for these ids, else a new one written there
        (atomically: a temporary file renamed). A folder that cannot be written (or none, for a
        graph without a build) gets the index in a private temporary file."""
        if folder is not None:
            path = folder / INDEX_FILE
            if path.is_file() and cls(path)._matches(ids, len(news)):
                return cls(path)
            try:
                return cls._write(path, ids, fields, news, fold)
            except (OSError, sqlite3.Error):
                pass
        handle, tmp = tempfile.mkstemp(prefix="govkg-search-", suffix=".sqlite")
        os.close(handle)
        os.unlink(tmp)
        return cls._write(Path(tmp), ids, fields, news, fold)

    @classmethod
    def _write(cls, path: Path, ids: Sequence[str], fields: Sequence[tuple[str, Sequence[str]]],
               news: Sequence[NewsSentence], fold: Callable[[str], str]) -> "SearchIndex":
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        if tmp.exists():
            tmp.unlink()
        db = sqlite3.connect(tmp)
        try:
            db.executescript("""
                CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE entry(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL);
                CREATE VIRTUAL TABLE names USING fts5(body, content='', tokenize='unicode61 remove_diacritics 0');
                CREATE VIRTUAL TABLE pinyin USING fts5(body, content='', detail=none,
                                                       tokenize='unicode61 remove_diacritics 0', prefix='2 3');
                CREATE TABLE sentence(rowid INTEGER PRIMARY KEY, node TEXT, document TEXT, start INT, end INT,
                                      text TEXT);
                CREATE VIRTUAL TABLE news USING fts5(body, content='', tokenize='unicode61 remove_diacritics 0');
            """)
            db.executemany("INSERT INTO entry(rowid, id) VALUES (?, ?)", ((i, v) for i, v in enumerate(ids)))
            # the separator keeps a phrase from running from one name into the next
            db.executemany("INSERT INTO names(rowid, body) VALUES (?, ?)",
                           ((i, " | ".join(char_tokens(t) for t in texts if t)) for i, (_kind, texts) in
                            enumerate(fields)))
            cache: dict[str, list[str]] = {}
            rows = []
            for i, (kind, texts) in enumerate(fields):
                if kind == NodeType.Measure:  # a measure's name is its number, its text a paragraph
                    continue
                tokens: list[str] = []
                for t in texts:
                    if t not in cache:
                        cache[t] = pinyin_tokens(t) if len(t) <= 64 else []
                    tokens.extend(cache[t])
                if tokens:
                    rows.append((i, " ".join(dict.fromkeys(tokens))))
            db.executemany("INSERT INTO pinyin(rowid, body) VALUES (?, ?)", rows)
            db.executemany("INSERT INTO sentence VALUES (?, ?, ?, ?, ?, ?)",
                           ((i, s.node_id, s.document, s.start, s.end, s.text) for i, s in enumerate(news)))
            db.executemany("INSERT INTO news(rowid, body) VALUES (?, ?)",
                           ((i, char_tokens(fold(s.text))) for i, s in enumerate(news)))
            db.executemany("INSERT INTO meta VALUES (?, ?)",
                           [("version", INDEX_VERSION), ("entries", str(len(ids))), ("news", str(len(news)))])
            db.commit()
            db.close()
            os.replace(tmp, path)
        except BaseException:
            db.close()
            tmp.unlink(missing_ok=True)
            raise
        return cls(path)

    def _matches(self, ids: Sequence[str], news: int) -> bool:
        try:
            db = self._db()
            meta = dict(db.execute("SELECT key, value FROM meta"))
            if meta.get("version") != INDEX_VERSION or meta.get("entries") != str(len(ids)) or \
                    meta.get("news") != str(news):
                return False
            stored = [row[0] for row in db.execute("SELECT id FROM entry ORDER BY rowid")]
            return stored == list(ids)
        except sqlite3.Error:
            return False

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def names(self, needle: str) -> list[int] | None:
        """Entries whose name, an alias or text holds needle's characters in a row (a superset of
        the substring matches); None when needle has no character the index knows."""
        query = phrase(needle)
        if query is None:
            return None
        return [row[0] for row in self._db().execute("SELECT rowid FROM names WHERE names MATCH ? ORDER BY rowid",
                                                     (query,))]

    def pinyin(self, latin: str) -> list[int]:
        """Entries with a name or alias whose pinyin (full or initials) holds `latin` from a syllable on."""
        latin = re.sub(r"[^0-9a-z]", "", latin.lower())
        if not latin:
            return []
        return [row[0] for row in self._db().execute(
            "SELECT rowid FROM pinyin WHERE pinyin MATCH ? ORDER BY rowid", (f'"{latin}" *',))]

    def news(self, needle: str, limit: int = 500) -> list[NewsSentence]:
        query = phrase(needle)
        if query is None:
            return []
        rows = self._db().execute(
            "SELECT s.node, s.document, s.start, s.end, s.text FROM news JOIN sentence s ON s.rowid = news.rowid "
            "WHERE news MATCH ? ORDER BY news.rowid LIMIT ?", (query, limit))
        return [NewsSentence(document, node, start, end, text) for node, document, start, end, text in rows]




REGION_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "盟", "旗")
PLATFORM_WORDS = ("平台", "系统", "app", "客户端")


def short_forms(node, regions: Iterable[str] = ()) -> list[str]:
    """Names people write for a node besides the ones the text gave it: an agency with its
    region's short form (滨州市大数据局 -> 滨州大数据局; the region is the agency's jurisdiction,
    else the longest of `regions` its name starts with), a plan with its jurisdiction, a platform with or without a generic
    word (政务云 <-> 政务云平台)."""
    out: list[str] = []
    if node.type == NodeType.Agency:
        region = str(node.props.get("jurisdiction") or "")
        if not (region and node.name.startswith(region)):
            region = max((r for r in regions if node.name.startswith(r)), key=len, default="")
        if region and len(node.name) > len(region):
            for suffix in REGION_SUFFIXES:
                if region.endswith(suffix) and len(region) - len(suffix) >= 2:
                    out.append(region[: -len(suffix)] + node.name[len(region):])
                    break
    elif node.type == NodeType.Plan:  # 数字强市建设2023年工作要点 of 滨州市 is also 滨州市数字强市…, 滨州数字强市…
        region = str(node.props.get("jurisdiction") or "")
        if region and not node.name.startswith(region):
            out.append(region + node.name)
            short = next((region[: -len(x)] for x in REGION_SUFFIXES if region.endswith(x)
                          and len(region) - len(x) >= 2), None)
            if short and not node.name.startswith(short):
                out.append(short + node.name)
    elif node.type == NodeType.Platform:
        # a jurisdiction's instance of a generic system (滨州市政务云) is also written without its place
        names = [node.name]
        place = str(node.props.get("jurisdiction") or "")
        if place and node.name.startswith(place) and len(node.name) - len(place) >= 2:
            names.append(node.name[len(place):])
            out.append(names[-1])
        for name in names:
            lowered = name.lower()
            bare = next((lowered[: -len(w)] for w in PLATFORM_WORDS if lowered.endswith(w)), None)
            if bare is not None:
                if len(bare) >= 2:
                    out.append(bare)
            else:
                out.extend(name + w for w in PLATFORM_WORDS)
    return out
