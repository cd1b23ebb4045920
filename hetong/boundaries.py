"""Check gold spans against the spec's boundary rules (A.0 G1-G12, A.2b CL1, A.5).

Used on generated data (every build runs it), on filled templates and on Label Studio exports, so a label
that breaks a rule is found before a model learns it. Each finding names the rule it breaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hetong.normalize import (
    normalize_amount,
    normalize_date,
    normalize_period,
    normalize_phone,
    normalize_rate,
    normalize_uscc,
)
from hetong.schema import LABELS_BY_NAME, Document, SchemaError, Span
from hetong.segment import numbering_marker

_EDGE_PUNCT = frozenset("，。；：、,.;:!?！？")
_PAIRS = {"《": "》", "“": "”", "‘": "’", "（": "）", "(": ")", "【": "】", "[": "]", "〔": "〕", "「": "」"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
_REFERENCE_WORDS = frozenset({"甲方", "乙方", "丙方", "双方", "本合同", "该项目", "本项目"})
_UNIT_AFTER = re.compile(r"[元圆万亿]")
_CURRENCY_BEFORE = ("¥", "￥", "人民币", "RMB", "CNY")
_DATE_QUALIFIER_END = re.compile(r"(?:前|后|之前|以前|之后|以后|起|止|当日)$")
_PERIOD_OUTSIDE_END = re.compile(r"(?:以上|前|后|以后|之后)$")
_RATE_OUTSIDE_START = re.compile(r"^(?:每日|每天|每周|每月|每年|按日|按月|按年|每逾期)")


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    span: Span | None
    message: str

    def __str__(self) -> str:
        where = f"{self.span.label} [{self.span.start}, {self.span.end})" if self.span else "document"
        return f"{self.rule} {where}: {self.message}"


def check_document(doc: Document) -> list[Violation]:
    """Every boundary-rule violation in ``doc`` (an empty list when the labels are clean)."""
    try:
        doc.validate()
    except SchemaError as exc:
        return [Violation("SCHEMA", None, str(exc))]
    found: list[Violation] = []
    for span in doc.ent:
        found += check_ent_span(doc.text, span)
    for span in doc.cl:
        found += check_cl_span(doc.text, span)
    return found


def check_ent_span(text: str, span: Span) -> list[Violation]:
    value = span.text(text)
    found = _edge_checks(span, value)
    group = LABELS_BY_NAME[span.label].group

    def bad(rule: str, message: str) -> None:
        found.append(Violation(rule, span, f"{message}: {value!r}"))

    if "：" in value or (":" in value and group != "contract"):
        bad("G1", "a field-name prefix or colon is inside the span")
    if value in _REFERENCE_WORDS:
        bad("G4", "a reference word is tagged instead of a stated value")
    if group == "amount":
        if _UNIT_AFTER.match(text, span.end) or text[: span.start].endswith(_CURRENCY_BEFORE):
            bad("G6", "a currency or unit word next to the amount is left outside the span")
        if not normalize_amount(value)["ok"]:
            bad("A.4.1", "the amount does not normalise")
    elif group == "date":
        result = normalize_date(value)
        if not result["ok"] or result.get("blank"):
            bad("A.4.2", "the date does not normalise or is a blank (G3)")
        if _DATE_QUALIFIER_END.search(value):
            bad("G9", "a trailing qualifier (前/后/起/止) is inside the date")
    elif group == "period":
        if _PERIOD_OUTSIDE_END.search(value):
            bad("A.5.5", "以上/前/后 belong outside the period")
        if not normalize_period(value)["ok"]:
            bad("A.4.3", "the period does not normalise")
    elif group == "rate":
        if _RATE_OUTSIDE_START.match(value):
            bad("G8", "the periodicity belongs outside the rate")
        result = normalize_rate(value)
        if not result["ok"] and result.get("reason") != "not_a_fraction":
            bad("A.4.4", "the rate does not normalise")
    elif span.label == "USCC" and not normalize_uscc(value)["ok"]:
        bad("A.4.6", "not an 18-character credit code")
    elif span.label == "PHONE" and not normalize_phone(value)["ok"]:
        bad("A.4.5", "not a phone number")
    return found


def check_cl_span(text: str, span: Span) -> list[Violation]:
    value = span.text(text)
    found = _edge_checks(span, value)
    if numbering_marker(value):
        found.append(Violation("CL1", span, f"a list marker or clause heading is inside: {value[:20]!r}"))
    return found


def _edge_checks(span: Span, value: str) -> list[Violation]:
    found: list[Violation] = []
    if not value:
        return [Violation("G0", span, "empty span")]
    if value != value.strip():
        found.append(Violation("G0", span, f"leading or trailing white space: {value!r}"))
    if value[0] in _EDGE_PUNCT or value[-1] in _EDGE_PUNCT:
        found.append(Violation("G2", span, f"leading or trailing punctuation: {value!r}"))
    if _wrapped(value) or ((value[0] in _PAIRS or value[-1] in _CLOSERS) and not _balanced(value)):
        found.append(Violation("G2", span, f"a wrapping bracket or quote is inside: {value!r}"))
    return found


def trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """The largest ``[start, end)`` inside the given range that passes the edge rules (G0, G2).

    Strips white space, edge punctuation, a wrapping bracket pair and an unpaired opening bracket at the
    start or closing bracket at the end, until nothing changes. Decoding uses it so a model that tags
    the 《 before a title still returns the title; an empty result (start == end) means no span.
    """
    while start < end:
        value = text[start:end]
        if value[0].isspace() or value[0] in _EDGE_PUNCT:
            start += 1
        elif value[-1].isspace() or value[-1] in _EDGE_PUNCT:
            end -= 1
        elif _wrapped(value):
            start, end = start + 1, end - 1
        elif value[0] in _PAIRS and not _balanced(value):
            start += 1
        elif value[-1] in _CLOSERS and not _balanced(value):
            end -= 1
        elif value[0] in _CLOSERS:
            start += 1
        else:
            break
    return start, end


def _wrapped(value: str) -> bool:
    """The value is one bracketed or quoted whole: 《…》, “…”, （…）."""
    return len(value) >= 2 and value[0] in _PAIRS and value[-1] == _PAIRS[value[0]] and _balanced(value[1:-1])


def _balanced(value: str) -> bool:
    """Brackets and quotes pair up inside the value (a name may end in a bracket it opened, spec G5)."""
    depth: list[str] = []
    for ch in value:
        if ch in _PAIRS:
            depth.append(ch)
        elif ch in _CLOSERS and (not depth or depth.pop() != _CLOSERS[ch]):
            return False
    return not depth
