"""Hard line wraps of a PDF's text layer, found so they can be dropped with the offsets kept.

A PDF prints a paragraph as lines of the page's width: 数字化常态化考核评价平台 may come out as
`数\n字化常态化考核评价平台`, (牵头单位:市大数据局) as `(牵头单位:市大数\n据局)`. A line break is a wrap when
the line before is about as long as the page's full lines, does not end a sentence, and the next line
does not open a numbered item or a heading.
"""
from __future__ import annotations

import re
import statistics

from ..reference.chinese import NUMERAL

SENTENCE_END = tuple("。;!?:")
NUMBERED = re.compile(rf"^\s*(?:{NUMERAL}+[、.]|[(（](?:{NUMERAL}|\d)+[)）]|\d{{1,3}}[.、．﹒]|[①-⑳]|附件)")
MIN_FULL_LINES = 3  # fewer lines of the page's width: nothing to learn a width from
FULL = 0.85  # a line this share of the page width (or longer) runs on


def hard_wraps(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the line breaks (with the spaces around them) that are wraps."""
    lines = text.split("\n")
    widths = [len(line.strip()) for line in lines if len(line.strip()) >= 10]
    if len(widths) < MIN_FULL_LINES:
        return []
    width = statistics.quantiles(widths, n=10)[-1] if len(widths) >= 10 else max(widths)
    spans, pos = [], 0
    for i, line in enumerate(lines[:-1]):
        end = pos + len(line)
        body, nxt = line.rstrip(), lines[i + 1]
        if (body and len(body.strip()) >= FULL * width and not body.endswith(SENTENCE_END)
                and nxt.strip() and not NUMBERED.match(nxt)):
            start = pos + len(body)
            stop = end + 1 + (len(nxt) - len(nxt.lstrip()))
            spans.append((start, stop))
        pos = end + 1
    return spans
