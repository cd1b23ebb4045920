"""Clause units and sentences, with character offsets into the document text.

A clause unit (spec 0.1) is one numbered 条/款/项 paragraph or one table row: the thing Part B classifies.
The segmenter works on the text of :mod:`hetong.documents` line by line:

* A line that starts with a numbering marker (第X条, 一、, （一）, 1., 1.1, （1）, ①, ...) starts a unit.
* A table row (``cell | cell``, as :mod:`hetong.documents` linearises tables) is a unit of its own.
* A heading — a marked line with a short title and no sentence in it ("第十条 违约责任", "二、供餐要求：",
  "第一条　房屋基本情况。") —
  is merged into the unit that follows when that unit is its body: an unmarked paragraph, or an item of a
  numbering style nested deeper. A heading-shaped line followed by a sibling ("（一）货物名称：" then
  "（二）型号规格：") is a blank form field, not a heading, and stays a unit of its own.
* An unmarked line continues the previous unit when the previous line was wrapped by the page layout (PDF
  text and fixed-width templates break lines mid-sentence): it is about as wide as the document's widest
  lines and does not end in closing punctuation. Otherwise an unmarked line is a paragraph unit.
* Lines that are only page furniture (a page number, "- 62 -", "第 3 页 共 10 页") are never units.

Numbering styles nest in the order they first appear in a document (chapters and articles always on top),
which is how "deeper" is decided: documents differ in whether 1. sits above or below （一）.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

UnitKind = Literal["numbered", "paragraph", "table_row"]

_CN_NUM = "一二三四五六七八九十百零〇两"
_DIGIT = "0-9０-９"

# (style, pattern) in the order they are tried; each matches a marker at the start of a stripped line.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"第\s*[{_CN_NUM}{_DIGIT}]+\s*[章节篇]|第\s*[{_CN_NUM}{_DIGIT}]+\s*部分")),
    ("article", re.compile(rf"第\s*[{_CN_NUM}{_DIGIT}]+\s*条")),
    ("cn_comma", re.compile(rf"[{_CN_NUM}]{{1,3}}\s*[、．.](?![{_DIGIT}])")),
    ("cn_paren", re.compile(rf"[（(]\s*[{_CN_NUM}]{{1,3}}\s*[）)]")),
    # 1.1 / 1.1.1 but not a decimal amount or rate such as "1.5万元" or "0.5%".
    (
        "arabic_multi",
        re.compile(
            rf"[{_DIGIT}]{{1,2}}(?:\s*[.．]\s*[{_DIGIT}]{{1,2}})+(?:[.．、](?![{_DIGIT}]))?(?![{_DIGIT}.．%％‰万亿元])"
        ),
    ),
    ("arabic_dot", re.compile(rf"[{_DIGIT}]{{1,2}}\s*[.．、](?![{_DIGIT}])")),
    ("arabic_paren", re.compile(rf"[（(]\s*[{_DIGIT}]{{1,2}}\s*[）)]|[{_DIGIT}]{{1,2}}[）)]")),
    ("circled", re.compile(r"[\u2460-\u2473\u2776-\u277f]")),
)
_TOP_STYLES = ("chapter", "article")
_MULTI_LEVEL_SEP = re.compile(r"[.．]")

_PAGE_FURNITURE = re.compile(
    rf"[-—–\s]*[{_DIGIT}]{{1,4}}[-—–\s]*"
    rf"|第\s*[{_DIGIT}]+\s*页\s*[,，/]?\s*(?:共\s*[{_DIGIT}]+\s*页)?"
    rf"|[{_DIGIT}]+\s*/\s*[{_DIGIT}]+"
)
_SENTENCE_PUNCT = re.compile(r"[，。；;！？!?,]")
_TABLE_SEP = " | "
# A line ending in one of these finished its thought; the next unmarked line is a new paragraph.
_LINE_CLOSERS = frozenset("。；;！？!?：:…")
_SENTENCE_END = re.compile(r"[。；;！？!?]+[”’」』）)\]】\"']*")
_HEADING_MAX_CHARS = 30
_WRAP_TOLERANCE = 0.88
_WRAPPED_SHARE = 0.2
_WRAP_MIN_LINES = 10


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ClauseUnit:
    """One clause unit ``[start, end)``.

    ``marker`` is the numbering of the unit ("第十条", "（一）"), ``style`` its numbering style, and
    ``heading_end`` marks the end of the merged heading, so ``[start, heading_end)`` is the heading
    ("第十条 违约责任") and the body follows. ``sentences`` cover the unit's text, headings separately.
    """

    start: int
    end: int
    kind: UnitKind
    marker: str | None
    style: str | None
    heading_end: int | None
    sentences: tuple[Sentence, ...]

    def text(self, document_text: str) -> str:
        return document_text[self.start : self.end]


@dataclass(slots=True)
class _Line:
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    text: str
    width: int  # display width of the whole physical line (CJK and full-width count 2)
    style: str | None
    marker: str | None
    rest: str  # the text after the marker
    is_table_row: bool


def segment(text: str) -> list[ClauseUnit]:
    """Split ``text`` into clause units in document order."""
    lines = [line for line in _lines(text) if not _PAGE_FURNITURE.fullmatch(line.text)]
    if not lines:
        return []
    depth = _style_depths(lines)
    wrap_width = _wrap_width(lines)

    groups: list[list[_Line]] = []
    heading_counts: list[int] = []
    pending_headings: list[_Line] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if _is_heading(line, following, depth):
            pending_headings.append(line)
            continue
        previous = groups[-1][-1] if groups else None
        if (
            not pending_headings
            and previous is not None
            and line.style is None
            and not line.is_table_row
            and not previous.is_table_row
            and _is_wrapped(previous, wrap_width)
        ):
            groups[-1].append(line)
            continue
        groups.append([*pending_headings, line])
        heading_counts.append(len(pending_headings))
        pending_headings = []
    # The last line is never a heading (it has no body), so no heading is left pending here.

    return [
        _make_unit(text, group, n_headings) for group, n_headings in zip(groups, heading_counts, strict=True)
    ]


def split_sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences of ``text[start:end]``: split after 。；！？ (with any closing quotes or brackets)."""
    sentences: list[Sentence] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        _append_trimmed(sentences, text, cursor, match.end())
        cursor = match.end()
    _append_trimmed(sentences, text, cursor, end)
    return sentences


def _append_trimmed(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append(Sentence(start, end))


def _make_unit(text: str, group: list[_Line], n_headings: int) -> ClauseUnit:
    start, end = group[0].start, group[-1].end
    heading_end = group[n_headings - 1].end if n_headings else None
    body = group[n_headings]
    # The unit's own number is its body's marker, or else the innermost merged heading's (all are marked).
    marker_line = body if body.marker else (group[n_headings - 1] if n_headings else None)
    if body.is_table_row:
        kind: UnitKind = "table_row"
    elif marker_line is not None:
        kind = "numbered"
    else:
        kind = "paragraph"
    sentences: list[Sentence] = []
    if heading_end is not None:
        sentences += split_sentences(text, start, heading_end)
        sentences += split_sentences(text, heading_end, end)
    else:
        sentences = split_sentences(text, start, end)
    return ClauseUnit(
        start=start,
        end=end,
        kind=kind,
        marker=marker_line.marker if marker_line else None,
        style=marker_line.style if marker_line else None,
        heading_end=heading_end,
        sentences=tuple(sentences),
    )


def _lines(text: str) -> Iterator[_Line]:
    offset = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = offset + (len(raw) - len(raw.lstrip()))
            style, marker, rest = _marker(stripped)
            yield _Line(
                start=start,
                end=start + len(stripped),
                text=stripped,
                width=_display_width(raw.rstrip()),
                style=style,
                marker=marker,
                rest=rest,
                is_table_row=_TABLE_SEP in stripped,
            )
        offset += len(raw) + 1


def numbering_marker(text: str) -> str | None:
    """The numbering marker ("第十条", "（一）", "1.1", "①") that ``text`` starts with, if any."""
    return _marker(text.lstrip())[1]


def _marker(line: str) -> tuple[str | None, str | None, str]:
    for style, pattern in _MARKERS:
        match = pattern.match(line)
        if match:
            marker = match.group().strip()
            if style == "arabic_multi":  # 1.1 / 1.1.1 / 1.1.1.1 nest by their number of levels
                style = f"arabic_{len(_MULTI_LEVEL_SEP.findall(marker.rstrip('.．、'))) + 1}"
            return style, marker, line[match.end() :].strip()
    return None, None, line


def _style_depths(lines: list[_Line]) -> dict[str, int]:
    depth = {style: i for i, style in enumerate(_TOP_STYLES)}
    for line in lines:
        if line.style and line.style not in depth:
            depth[line.style] = len(depth)
    return depth


def _is_heading(line: _Line, following: _Line | None, depth: dict[str, int]) -> bool:
    """A short marked title whose next line is its body (unmarked, or numbered in a deeper style)."""
    if line.style is None or line.is_table_row or following is None:
        return False
    # Article titles may end in 。 ("第一条　租金。"); an item ending in 。 ("（六）其他。") is a sentence.
    rest = line.rest.rstrip("：:。" if line.style in _TOP_STYLES else "：:")
    if len(rest) > _HEADING_MAX_CHARS or _SENTENCE_PUNCT.search(rest) or "：" in rest or ":" in rest:
        return False
    if following.style is None:
        return True
    return depth[following.style] > depth[line.style]


def _wrap_width(lines: list[_Line]) -> int | None:
    """The width at which the layout wrapped lines, or None when lines were not wrapped (e.g. .docx text).

    Text wrapped by a page layout has many lines of almost the same width, the line width; paragraph text
    (one line per paragraph) has widths spread out. Measured on the corpus, wrapped documents have 26-50%
    of their lines within [0.88, 1.05] of the 90th-percentile width, paragraph documents 2-11%.
    """
    widths = sorted(line.width for line in lines if not line.is_table_row)
    if len(widths) < _WRAP_MIN_LINES:
        return None
    width = widths[int(len(widths) * 0.9)]
    near = sum(1 for w in widths if _WRAP_TOLERANCE * width <= w <= 1.05 * width)
    return width if near >= _WRAPPED_SHARE * len(widths) else None


def _is_wrapped(line: _Line, wrap_width: int | None) -> bool:
    if wrap_width is None or line.text[-1] in _LINE_CLOSERS:
        return False
    return line.width >= wrap_width * _WRAP_TOLERANCE


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) >= 0x2E80 or ch == "\u3000" else 1 for ch in text)
