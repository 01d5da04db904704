"""Read a file of any supported format into a SourceDocument (original text + readable view).

Formats (by extension, case-insensitive; files without a usable extension are sniffed):

* text (``.txt``, ``.text``, ``.md``, no extension): UTF-8, UTF-8 with BOM (the BOM is dropped),
  UTF-16/UTF-32 with BOM (and UTF-16 without BOM when the NUL pattern is unmistakable),
  GB18030/GBK/GB2312 (always decoded as gb18030, the superset), Big5 and whatever else
  charset-normalizer recognises. ``original`` is the decoded text, line endings untouched;
  ``view`` is the identity map.
* HTML (``.html``, ``.htm``, ``.shtml``, ``.xhtml``): ``original`` is the decoded HTML source and
  ``view`` the main text (see `html_view`), every character mapped into the source.
* PDF: the text layer (pages joined with ``\\n``); no text layer is an error.
* DOCX: paragraphs and table rows (cells joined with ``\\t``) in document order, joined with ``\\n``.

Every failure is a `ReadError` whose message is a short reason for the build summary.
A multibyte character cut off at the very end of a text file (truncated download) is replaced by
a single U+FFFD; every other byte is decoded normally.
"""
from __future__ import annotations

import codecs
import html
import io
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

from .pdfwrap import hard_wraps
from .text import MappedText, SourceDocument

MAX_BYTES = 20 * 1024 * 1024
MB = 1024 * 1024

TEXT_EXTENSIONS = {"", ".txt", ".text", ".md"}
HTML_EXTENSIONS = {".html", ".htm", ".shtml", ".xhtml"}
PDF_EXTENSIONS = {".pdf"}
DOCX_EXTENSIONS = {".docx"}

GB_FAMILY = {"gbk", "gb2312", "gb18030", "cp936", "ms936", "euc_cn", "euc-cn", "hz", "hz-gb-2312", "gb_2312"}


class ReadError(Exception):
    """A file that cannot be read; the message is the one-line reason shown in the build summary."""


def read_document(path: Path, name: str | None = None) -> SourceDocument:
    path = Path(path)
    name = name or path.name
    data = _read_bytes(path)
    kind = _kind(path, data)
    if kind == "text":
        original, encoding = decode_text(data)
        return SourceDocument(name, original, MappedText.identity(original), "txt", encoding)
    if kind == "html":
        original, encoding = decode_html(data)
        return SourceDocument(name, original, html_view(original), "html", encoding)
    if kind == "pdf":
        original = pdf_text(data)
        view = MappedText.identity(original).delete(hard_wraps(original))  # offsets still into the original
        return SourceDocument(name, original, view, "pdf", "")
    if kind == "docx":
        original = docx_text(data)
        return SourceDocument(name, original, MappedText.identity(original), "docx", "")
    raise ReadError(f"unsupported file type {kind}")


# --------------------------------------------------------------------------- file access and dispatch

def _mb(n: int) -> str:
    return f"{n / MB:.1f}".removesuffix(".0")


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ReadError("cannot read file: is a directory")
        if size > MAX_BYTES:
            raise ReadError(f"file too large: {_mb(size)} MB > {_mb(MAX_BYTES)} MB")
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except PermissionError as exc:
        raise ReadError("cannot read file: permission denied") from exc
    except FileNotFoundError as exc:
        raise ReadError("cannot read file: not found") from exc
    except IsADirectoryError as exc:
        raise ReadError("cannot read file: is a directory") from exc
    except OSError as exc:
        raise ReadError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:  # grew while we looked at it
        raise ReadError(f"file too large: more than {_mb(MAX_BYTES)} MB")
    if not data.strip():
        raise ReadError("empty file")
    return data


def _extension(path: Path) -> str:
    """The lower-case suffix, or '' when the name has none that looks like a file type
    (e.g. '工作要点(2024.3.1)' or '通知.2024')."""
    suffix = path.suffix.lower()
    if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) and not suffix[1:].isdigit():
        return suffix
    return ""


def _kind(path: Path, data: bytes) -> str:
    ext = _extension(path)
    if ext in HTML_EXTENSIONS:
        return "html"
    if ext in PDF_EXTENSIONS:
        return "pdf"
    if ext in DOCX_EXTENSIONS:
        return "docx"
    if ext == "":  # sniff files without an extension
        head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if data.startswith(b"%PDF-"):
            return "pdf"
        if data.startswith(b"PK\x03\x04") and b"word/" in data[:MAX_BYTES]:
            return "docx"
        if head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<") and b"<body" in data[:8192].lower()):
            return "html"
        return "text"
    if ext in TEXT_EXTENSIONS:
        return "text"
    return ext


# --------------------------------------------------------------------------- text decoding

_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"7z\xbc\xaf",
          b"Rar!", b"\xd0\xcf\x11\xe0", b"BM", b"\x7fELF", b"MZ")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_NOT_TEXT = "not a text document (binary content)"


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _decode_tail_tolerant(data: bytes, encoding: str) -> str:
    """Strict decoding, except that an incomplete multibyte sequence at the very end becomes U+FFFD."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.end == len(data) and exc.start >= len(data) - 4:
            head = data[:exc.start].decode(encoding)  # raises again if the rest is broken too
            return head + "\ufffd"
        raise


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the NUL bytes sit on one parity (ASCII-heavy UTF-16 text)."""
    if len(data) < 4:
        return None
    even, odd = data[0::2], data[1::2]
    nul_even, nul_odd = even.count(0), odd.count(0)
    if nul_odd > 0.3 * len(odd) and nul_even < 0.02 * len(even):
        return "utf-16-le"
    if nul_even > 0.3 * len(even) and nul_odd < 0.02 * len(odd):
        return "utf-16-be"
    return None


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\ud800-\udfff]")


def _looks_binary(text: str) -> bool:
    """Many control, replacement, private-use or surrogate characters (more than 5%)."""
    sample = text[:200_000]
    bad = len(_CONTROL.findall(sample))
    return bad > max(2, 0.05 * len(sample))


def _normalise_encoding_name(name: str) -> str:
    name = name.lower().replace("_", "-")
    if name.replace("-", "_") in GB_FAMILY or name in GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def _detect(data: bytes) -> str | None:
    """charset-normalizer's best guess (GB family -> gb18030), tolerating a cut-off last character."""
    from charset_normalizer import from_bytes

    tries = [data]
    # a truncated multibyte character at the end can make every candidate fail: retry without it
    for k in (1, 2, 3):
        if len(data) > k and data[-k] >= 0x80:
            tries.append(data[:-k])
        else:
            break
    for candidate in tries:
        best = from_bytes(candidate).best()
        if best is not None:
            return _normalise_encoding_name(best.encoding)
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of the bytes of a text document; ReadError if they are not text."""
    if any(data.startswith(m) for m in _MAGIC):
        raise ReadError(_NOT_TEXT)
    encoding = _bom_encoding(data)
    if encoding is None and b"\x00" in data:  # UTF-16 without BOM, or binary
        return _checked(*_decode_guess(data))
    if encoding is not None:
        try:
            text = _decode_tail_tolerant(data, encoding)
        except UnicodeDecodeError as exc:
            raise ReadError(f"cannot decode as {encoding}: {exc.reason} at byte {exc.start}") from exc
        return _checked(text, encoding)
    try:
        return _checked(_decode_tail_tolerant(data, "utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # valid UTF-8 with a few corrupt bytes: keep UTF-8, replacing only those bytes
    lenient = data.decode("utf-8", errors="replace")
    errors = lenient.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = sum(1 for ch in lenient if ord(ch) > 127 and ch != "\ufffd")
    if non_ascii >= 20 and errors <= max(3, non_ascii // 100):
        return _checked(lenient, "utf-8")
    return _checked(*_decode_guess(data))


def _common_hanzi() -> frozenset[str]:
    """GB2312 hanzi (levels 1 and 2) and Big5 level-1 hanzi: the characters real Chinese text is made of."""
    chars = set()
    for lead in range(0xB0, 0xF8):
        for trail in range(0xA1, 0xFF):
            chars.add(bytes((lead, trail)).decode("gb2312", errors="ignore"))
    for lead in range(0xA4, 0xC7):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            chars.add(bytes((lead, trail)).decode("big5", errors="ignore"))
    chars.discard("")
    return frozenset(chars)


_COMMON_HANZI = _common_hanzi()
_IN_WORD = re.compile("[A-Za-z][\u3400-\u9fff\uf900-\ufaff][a-z]")
_PLAIN = re.compile("[\t\n\r\x20-\x7e\xa0-\u017f\u2000-\u206f\u2150-\u218f\u2460-\u24ff\u3000-\u303f\uff00-\uffef]")


def _plausibility(text: str) -> float:
    """Share of characters that are ASCII, Latin, common punctuation or common hanzi (first 20k)."""
    sample = text[:20_000]
    if not sample:
        return 0.0
    plain = len(_PLAIN.findall(sample))
    hanzi = sum(1 for ch in sample if ch in _COMMON_HANZI)
    # Latin text read as GB18030 turns 'é' + next letter into a hanzi inside a word: 'R閒orme'
    inside_words = len(_IN_WORD.findall(sample))
    return (plain + hanzi - 3 * inside_words) / len(sample)


def _decode_guess(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8: the most plausible of GB18030, Big5, UTF-16 (when NUL bytes
    occur) and charset-normalizer's guess. Short Chinese texts are the reason: charset-normalizer
    alone often calls a GBK sentence cp949 or big5."""
    has_nul = b"\x00" in data
    names = ["gb18030", "big5"]
    if has_nul:  # the NUL pattern's guess first: it wins ties
        pattern = _utf16_without_bom(data) or "utf-16-le"
        names = [pattern, "utf-16-be" if pattern == "utf-16-le" else "utf-16-le"] + names
    scored: list[tuple[float, int, str, str]] = []

    def consider(encoding: str) -> None:
        try:
            text = _decode_tail_tolerant(data, encoding)
        except (UnicodeDecodeError, LookupError):
            return
        scored.append((_plausibility(text), -len(scored), text, encoding))

    for name in names:
        consider(name)
    if not has_nul and (not scored or max(scored)[0] < 0.9):
        detected = _detect(data)
        if detected and detected not in names:
            consider(detected)
            if not scored or scored[-1][3] != detected:  # decodes only leniently
                try:
                    scored.append((0.0, -len(scored), data.decode(detected, errors="replace"), detected))
                except LookupError:
                    pass
    if not scored:
        raise ReadError(_NOT_TEXT)
    score, _, text, encoding = max(scored)
    if has_nul and score < 0.9:
        raise ReadError(_NOT_TEXT)
    return text, encoding


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if not text.strip():
        raise ReadError("empty file")
    if _looks_binary(text):
        raise ReadError(_NOT_TEXT)
    return text, encoding


# --------------------------------------------------------------------------- HTML

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode an HTML file: BOM, then <meta charset>, then detection as for text."""
    if _bom_encoding(data) is None:
        m = _META_CHARSET.search(data[:8192])
        if m:
            declared = _normalise_encoding_name(m.group(1).decode("ascii", "replace"))
            try:
                return _checked(_decode_tail_tolerant(data, declared), declared)
            except (UnicodeDecodeError, LookupError):
                pass  # wrong declaration: detect
    return decode_text(data)


BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
    "table", "thead", "tbody", "tfoot", "section", "article", "main", "blockquote", "pre", "hr",
    "form", "fieldset", "figure", "figcaption", "address", "center", "caption", "body", "html",
}
CELL_TAGS = {"td", "th"}
SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "nav", "aside", "footer",
             "select", "option", "button", "textarea", "iframe", "object", "svg", "canvas", "map"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
             "source", "track", "wbr", "keygen", "frame"}
# elements an opening tag closes implicitly when open on top of the stack
_IMPLIED_END = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr", "td", "th"},
                "td": {"td", "th"}, "th": {"td", "th"}, "option": {"option"}}
_CLOSES_P = BLOCK_TAGS | {"table", "ul", "ol"}
# class/id words of page furniture (prefix match on each word: nav, navbar, menu-list, ...)
_FURNITURE_PREFIX = ("nav", "breadcrumb", "crumb", "footer", "menu", "sidebar", "sidenav", "share",
                     "bdshare", "copyright", "toolbar", "dropdown", "sitemap", "skip", "fenxiang")
_FURNITURE_WORDS = {"foot", "bottom", "side", "position", "location", "bread", "copy", "gotop", "backtop"}
_WORD = re.compile(r"[a-z][a-z0-9]*")
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});?")
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u201c\u201d\u2018\u2019\u2026\u2014]")
_SPACES = " \t\n\r\f\v\xa0\u3000\u2002\u2003\u2009\u200b"


def _is_furniture(attrs: list[tuple[str, str | None]]) -> bool:
    for key, value in attrs:
        if key not in ("class", "id") or not value:
            continue
        # split camelCase too: mainNav -> main nav
        words = _WORD.findall(re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", value).lower())
        for w in words:
            if w in _FURNITURE_WORDS or w.startswith(_FURNITURE_PREFIX):
                return True
    return False


class _ViewParser(HTMLParser):
    """Collects (char, origin, kind) for the visible main text; kind: t=text, e=entity, b=inserted."""

    def __init__(self, source: str, furniture: bool = True):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.furniture = furniture  # also drop elements whose class/id names page furniture
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.chars: list[str] = []
        self.origin: list[int] = []
        self.kinds: list[str] = []
        self.stack: list[str] = []
        self.skip_depth: int | None = None  # stack length at which the skipped element was opened

    # positions
    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    @property
    def skipping(self) -> bool:
        return self.skip_depth is not None

    def _emit(self, text: str, origin: int | list[int], kind: str) -> None:
        if self.skipping:
            return
        self.chars.extend(text)
        self.origin.extend(origin if isinstance(origin, list) else [origin] * len(text))
        self.kinds.extend(kind * len(text))

    def _pop_to(self, index: int) -> None:
        del self.stack[index:]
        if self.skip_depth is not None and len(self.stack) < self.skip_depth:
            self.skip_depth = None

    # tags
    def handle_starttag(self, tag, attrs):
        pos = self._pos()
        if tag == "body" and "head" in self.stack:  # an unclosed <head>
            self._pop_to(self.stack.index("head"))
        implied = _IMPLIED_END.get(tag)
        if implied and self.stack and self.stack[-1] in implied:
            self._pop_to(len(self.stack) - 1)
        if tag in _CLOSES_P and self.stack and self.stack[-1] == "p":
            self._pop_to(len(self.stack) - 1)
        if tag in BLOCK_TAGS:
            self._emit("\n", pos, "b")
        elif tag in CELL_TAGS:
            self._emit("\t", pos, "b")
        if tag in VOID_TAGS:
            return
        self.stack.append(tag)
        if self.skip_depth is None and self._starts_skip(tag, attrs):
            self.skip_depth = len(self.stack)

    def _starts_skip(self, tag: str, attrs) -> bool:
        if tag in SKIP_TAGS:
            return True
        if tag == "header":  # the page header, not an <article>'s own header
            return not any(t in ("article", "main") for t in self.stack[:-1])
        return self.furniture and tag not in ("html", "body", "main", "article") and _is_furniture(attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        pos = self._pos()
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i] == tag:
                self._pop_to(i)
                break
        else:
            if tag not in ("p", "br"):
                return  # stray end tag
        if tag in BLOCK_TAGS:
            self._emit("\n", pos, "b")

    # content
    def handle_data(self, data):
        if self.skipping or not data:
            return
        start = self._pos()
        self._emit(data, list(range(start, start + len(data))), "t")

    def _entity(self):
        pos = self._pos()
        m = _ENTITY.match(self.source, pos)
        raw = m.group() if m else "&"
        value = html.unescape(raw)
        if value == raw:  # unknown entity: literal text
            self._emit(raw, list(range(pos, pos + len(raw))), "t")
        elif value:
            self._emit(value, pos, "e")

    def handle_entityref(self, name):
        self._entity()

    def handle_charref(self, name):
        self._entity()

    def view(self) -> MappedText:
        return _tidy(self.chars, self.origin, self.kinds, len(self.source))


def _tidy(chars: list[str], origin: list[int], kinds: list[str], length: int) -> MappedText:
    """Collapse whitespace and line breaks; every kept text character keeps its own origin.

    * a run of whitespace inside a line becomes one character: the first ' ', '\\u3000' or '\\t' of
      the run as it is in the source (or ' ' for an entity such as &nbsp;); a run of source line
      breaks/tabs only between two CJK characters is dropped (it is source formatting);
    * whitespace at the start and end of a line is dropped, consecutive breaks become one '\\n'.
    """
    out_c: list[str] = []
    out_o: list[int] = []
    n = len(chars)
    i = 0

    def last_is_break() -> bool:
        return not out_c or out_c[-1] == "\n"

    while i < n:
        ch, kind = chars[i], kinds[i]
        if kind == "b" and ch == "\n":
            while out_c and out_c[-1] in " \t\u3000":  # strip the end of the line
                out_c.pop(), out_o.pop()
            if not last_is_break():
                out_c.append("\n")
                out_o.append(origin[i])
            i += 1
            continue
        if ch in _SPACES or (kind == "b" and ch == "\t"):
            j = i
            while j < n and (chars[j] in _SPACES and not (kinds[j] == "b" and chars[j] == "\n")):
                j += 1
            run = range(i, j)
            nxt = chars[j] if j < n else "\n"
            at_edge = last_is_break() or (j >= n) or (kinds[j] == "b" and chars[j] == "\n")
            if not at_edge:
                pick = None
                for k in run:
                    if kinds[k] == "b":  # inserted cell separator
                        pick = (chars[k], origin[k])
                        break
                    if kinds[k] == "e":
                        pick = (" ", origin[k])
                        break
                    if chars[k] in " \u3000\t":
                        pick = (chars[k], origin[k])
                        break
                if pick is None:  # only source line breaks
                    prev = out_c[-1] if out_c else ""
                    if not (_WIDE.match(prev) or _WIDE.match(nxt)):
                        pick = (" ", origin[i])
                if pick is not None:
                    out_c.append(pick[0])
                    out_o.append(pick[1])
            i = j
            continue
        out_c.append(ch)
        out_o.append(origin[i])
        i += 1
    while out_c and out_c[-1] in "\n \t\u3000":
        out_c.pop(), out_o.pop()
    return MappedText("".join(out_c), out_o, length)


def html_view(source: str) -> MappedText:
    """The readable main text of an HTML page, mapped character by character into `source`.

    Dropped: script/style/head/nav/aside/footer, a page-level <header>, form controls, and every
    element whose class or id names page furniture (nav, breadcrumb, menu, sidebar, share, footer,
    copyright, ...). Block elements end a line ('\\n' mapped to the tag's '<'), table cells are
    separated by '\\t' (mapped to the '<td'), an entity's characters map to its '&'.
    """
    for furniture in (True, False):  # if the class/id rule left nothing, keep those elements
        parser = _ViewParser(source, furniture)
        try:
            parser.feed(source)
            parser.close()
        except Exception as exc:  # HTMLParser is lenient; anything raised here is a bug or absurd input
            raise ReadError(f"cannot parse HTML: {exc}") from exc
        view = parser.view()
        if view.text.strip():
            return view
    raise ReadError("empty document (no text in the HTML)")


# --------------------------------------------------------------------------- PDF and DOCX

def pdf_text(data: bytes) -> str:
    try:
        import pypdf
        from pypdf.errors import PyPdfError
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ReadError("PDF support is not installed (pypdf)") from exc
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ReadError("encrypted PDF (password required)")
            except ReadError:
                raise
            except Exception as exc:
                raise ReadError(f"encrypted PDF: {exc}") from exc
        pages = [(page.extract_text() or "").rstrip("\n") for page in reader.pages]
    except ReadError:
        raise
    except (PyPdfError, Exception) as exc:  # pypdf raises many types on broken files
        raise ReadError(f"broken PDF: {type(exc).__name__}: {exc}".rstrip(": ")) from exc
    finally:
        logger.setLevel(level)
    text = "\n".join(pages)
    if not text.strip():
        raise ReadError("no text layer (scanned PDF?)")
    return text


def docx_text(data: bytes) -> str:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ReadError("DOCX support is not installed (python-docx)") from exc
    try:
        document = docx.Document(io.BytesIO(data))
        lines = []
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(child, document).text)
            elif tag == "tbl":
                lines.extend(_table_lines(Table(child, document)))
    except Exception as exc:  # zipfile.BadZipFile, KeyError, lxml errors, PackageNotFoundError ...
        raise ReadError(f"broken DOCX: {type(exc).__name__}: {exc}".rstrip(": ")) from exc
    text = "\n".join(lines)
    if not text.strip():
        raise ReadError("empty document (no text)")
    return text


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], []
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):  # a merged cell is repeated for each column it spans
                continue
            seen.append(cell._tc)
            cells.append(cell.text.replace("\n", " "))
        lines.append("\t".join(cells))
    return lines
