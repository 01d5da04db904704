"""Chinese script, defined once: numerals, quote and title marks, traditional → simplified.

Loaders (section numbers, dates, table rows, names in quotes) and graph (search keys, labels, series
indicator keys) read these, so a numeral or a quote mark added here is read the same way everywhere.
"""
from __future__ import annotations

import threading
from functools import lru_cache

# 零…十 in value order (index = value), and the formal 壹…拾 that some plans number sections with
NUMERALS = "零一二三四五六七八九十"
FORMAL_NUMERALS = "壹贰叁肆伍陆柒捌玖拾"
# a section or row number written in numerals: 一, 十二, 贰; regex character class, no quantifier
NUMERAL = "[一二三四五六七八九十]"
ANY_NUMERAL = "[一二三四五六七八九十壹贰叁肆伍陆柒捌玖拾]"
# the digits of a year written out: 二〇二三年, 二○二三年, 二零二三年
YEAR_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
YEAR_DIGIT = "[〇○零一二三四五六七八九]"
_FORMAL = str.maketrans(FORMAL_NUMERALS, NUMERALS[1:])

# quotation marks of simplified and traditional texts, and the marks around a document title
QUOTES = "“”\"'‘’「」『』"
TITLE_MARKS = "《》〈〉【】"


def numeral_value(s: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 贰 → 2, ③ → 3, 7 → 7; -1 when `s` is not a number."""
    s = s.translate(_FORMAL)
    if len(s) == 1 and "\u2460" <= s <= "\u2473":
        return ord(s) - 0x2460 + 1
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        if (tens and tens not in NUMERALS) or (ones and ones not in NUMERALS):
            return -1
        return (NUMERALS.index(tens) if tens else 1) * 10 + (NUMERALS.index(ones) if ones else 0)
    return NUMERALS.index(s) if len(s) == 1 and s in NUMERALS else -1


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # a dependency; imported on first use (its dictionaries take a moment to load)

    return opencc.OpenCC("t2s").convert


_t2s_lock = threading.Lock()


def to_simplified(text: str) -> str:
    """Traditional script to simplified (OpenCC t2s), character for character, so offsets keep."""
    convert = _t2s()
    with _t2s_lock:  # the converter object is not documented as thread-safe
        return convert(text)
