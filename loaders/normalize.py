"""Normalisation: traditional to simplified, full-width punctuation, and noise removal.

Everything here keeps the offset map (MappedText), so facts found in the normalised text still
point at the original file.
"""
from __future__ import annotations

import re

from ..reference.chinese import to_simplified
from .text import MappedText

# 小(xiǎo), 技(jì ), and toneless insertions such as 政(zheng)(zheng): lower-case Latin letters in
# brackets right after a Chinese character. Upper case and digits ((APP), (10GPON)) are kept.
PINYIN_GLOSS = re.compile(
    r"(?<=[\u4e00-\u9fff)）])[(（]\s*[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,7}[1-5]?\s*[)）]")
# characters that take no room (zero-width space, soft hyphen, a BOM inside the text) and &nbsp;
# left over from a web page saved as text
INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]|&nbsp;")

FULLWIDTH = str.maketrans({
    "（": "(", "）": ")", "：": ":", "，": ",", "；": ";", "！": "!", "？": "?", "\u3000": " ",
    "\u00a0": " ", "．": ".", "\ufe52": ".", "％": "%", "＋": "+", "－": "-", "／": "/",
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}, **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
    "「": "“", "」": "”", "『": "“", "』": "”",  # the quotes of traditional-script texts
})

# Whole lines that are page furniture, never content.
NOISE_LINE = re.compile(
    r"^\s*(?:"
    r".*(?:版权所有|Copyright|©|ICP[备证]|京公网安备|公网安备|网站标识码|网站地图|扫一扫|投诉举报|举报电话|举报邮箱"
    r"|违法和不良信息|未经.{0,12}授权|不得转载|转载自|本网注明|本网将|本网联系|本网赞同|技术支持"
    r"|打印本页|关闭窗口|分享到|字体:?\s*[大中小]|来源时间为|浏览次数|阅读次数|【资料图】|供图|图片来源).*"
    r"|(?=.*(?:版权|授权|转载)).*(?:网站|本网|有限公司|媒体).*"
    r"|当前位置.*|您的位置.*|首页\s*[>›»/].*"
    # a site's operator (主办单位:…) opens its line; inside a plan's line 主办单位 is a unit clause's role label
    r"|(?:网站)?(?:主办|承办)单位\s*[:：].*"
    r"|(?:责任编辑|编辑|来源|作者|审核|校对|记者|主办|承办|协办|联系电话|电话|地址|邮编)\s*[:：].{0,60}"
    r"|[(（]?\s*(?:作者|责任编辑|编辑|来源)\s*[:：][^)）]{0,30}[)）]?"
    r"|[\d\-—()（）\s+]{7,}"  # a bare telephone number
    r")\s*$",
    re.IGNORECASE,
)

# A line naming a company or web operator inside a footer block (between phone numbers etc.).
FOOTER_COMPANY = re.compile(r"(?:有限公司|有限责任公司|网络科技|信息技术|经济发展中心|传媒|工作室)\s*$")

# (青岛日报/观海新闻记者 余博), (记者 张三 通讯员 李四): reporter credits inside a paragraph.
INLINE_CREDIT = re.compile(r"[(（][^()（）\n]{0,30}(?:记者|通讯员|编辑)[^()（）\n]{0,20}[)）]")


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((pos, pos + len(line)))
        pos += len(line)
    return spans


def noise_spans(text: str) -> list[tuple[int, int]]:
    """Spans of whole lines that are page furniture, plus the footer block at the end."""
    lines = _line_spans(text)
    noisy = [bool(NOISE_LINE.match(text[s:e].rstrip("\r\n"))) for s, e in lines]
    # A footer block: from a noisy line on, every line is noisy, blank, or a short company line.
    footer_from = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        body = text[lines[i][0]:lines[i][1]].strip()
        if noisy[i] or not body:
            footer_from = i
            continue
        if len(body) <= 30 and "。" not in body and FOOTER_COMPANY.search(body) and i + 1 < len(lines):
            footer_from = i
            continue
        break
    spans = [lines[i] for i in range(len(lines)) if noisy[i] or i >= footer_from]
    spans.extend(m.span() for m in INLINE_CREDIT.finditer(text))
    return spans


# PDF-style spacing around a number inside Chinese text: 推进完成 20 个, 2023 年底前
# (a number opening a line keeps its space unless it is a year: `1 加强…` is a numbered item)
SPACED_NUMBER = re.compile(r"(?:(?<=[\u4e00-\u9fff,])( )?\d+(?:\.\d+)?|(?m:^)()\d{4})( )?(?=[\u4e00-\u9fff%])")


def spaced_number_gaps(text: str) -> list[tuple[int, int]]:
    gaps = []
    for m in SPACED_NUMBER.finditer(text):
        gaps.extend(m.span(g) for g in (1, 3) if m.group(g))
    return gaps


def normalize(view: MappedText) -> MappedText:
    """Glosses out, simplified script, ASCII punctuation, noise lines out; offsets kept."""
    out = view.delete_matches(INVISIBLE).delete_matches(PINYIN_GLOSS)
    out = out.convert(to_simplified)
    out = out.replace_chars(FULLWIDTH)
    out = out.delete(spaced_number_gaps(out.text))
    return out.delete(noise_spans(out.text))
