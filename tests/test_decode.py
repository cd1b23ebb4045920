"""Decoding per-token probabilities into spans: span-first BIO voting and clause pieces."""

from __future__ import annotations

import numpy as np

from hetong.decode import WindowMerger, decode_bio, decode_clauses, unit_types
from hetong.schema import Unit

ENT_TAGS = (
    "O",
    "B-DATE_NODE",
    "I-DATE_NODE",
    "B-DATE_START",
    "I-DATE_START",
    "B-CONTRACT_NAME",
    "I-CONTRACT_NAME",
)
CL_TAGS = ("O", "B-CL_BREACH", "I-CL_BREACH", "B-CL_TERMINATION", "I-CL_TERMINATION")


def char_offsets(text: str) -> list[tuple[int, int]]:
    return [(i, i + 1) for i in range(len(text))]


def probs_for(text: str, tags: tuple[str, ...], marks: dict[int, dict[str, float]]) -> np.ndarray:
    """Rows of probabilities: O everywhere except the characters in ``marks`` (index -> tag -> p)."""
    out = np.zeros((len(text), len(tags)))
    out[:, 0] = 1.0
    for index, dist in marks.items():
        out[index, :] = 0.0
        for tag, p in dist.items():
            out[index, tags.index(tag)] = p
        out[index, 0] = 1.0 - sum(dist.values())
    return out


def test_hesitant_labels_inside_one_span_are_voted_not_fragmented() -> None:
    text = "未能在2025年6月8日前完成"
    date = range(3, 12)
    marks = {}
    for i in date:
        prefix = "B" if i == 3 else "I"
        # DATE_NODE wins on most characters, DATE_START on every third: per-token argmax would cut it up.
        node, start = (0.35, 0.45) if i % 3 == 0 else (0.5, 0.3)
        marks[i] = {f"{prefix}-DATE_NODE": node, f"{prefix}-DATE_START": start}
    spans = decode_bio(probs_for(text, ENT_TAGS, marks), char_offsets(text), ENT_TAGS, text)
    assert [(s.start, s.end, s.label) for s in spans] == [(3, 12, "DATE_NODE")]
    assert text[spans[0].start : spans[0].end] == "2025年6月8日"
    assert 0.4 < spans[0].score < 0.5


def test_presence_not_label_confidence_decides_which_spans_a_threshold_drops() -> None:
    text = "于2025年6月8日前，甲方付款"
    date, fragment = range(1, 10), range(12, 14)
    marks = {}
    for i in date:  # sure it is a date (presence 0.9), unsure which: label confidence 0.5
        prefix = "B" if i == 1 else "I"
        marks[i] = {f"{prefix}-DATE_NODE": 0.5, f"{prefix}-DATE_START": 0.4}
    for i in fragment:  # a fragment the model is unsure is anything: presence 0.55
        prefix = "B" if i == 12 else "I"
        marks[i] = {f"{prefix}-CONTRACT_NAME": 0.35, f"{prefix}-DATE_NODE": 0.2}
    probs, offsets = probs_for(text, ENT_TAGS, marks), char_offsets(text)
    everything = decode_bio(probs, offsets, ENT_TAGS, text)
    assert [(text[s.start : s.end], s.label, s.score) for s in everything] == [
        ("2025年6月8日", "DATE_NODE", 0.5),
        ("甲方", "CONTRACT_NAME", 0.35),
    ]
    kept = decode_bio(probs, offsets, ENT_TAGS, text, min_presence=0.6)
    assert kept == everything[:1]  # the date stays although its score (0.5) is below the threshold


def test_clause_pieces_below_the_presence_threshold_are_no_clause() -> None:
    text = "乙方违约的，按日支付违约金。"
    comma = text.index("，")
    marks = {i: {("B" if i == 0 else "I") + "-CL_BREACH": 0.9} for i in range(comma)}
    marks |= {i: {"I-CL_BREACH": 0.55} for i in range(comma + 1, len(text) - 1)}
    probs, offsets = probs_for(text, CL_TAGS, marks), char_offsets(text)
    assert [text[s.start : s.end] for s in decode_clauses(probs, offsets, CL_TAGS, text)] == [
        "乙方违约的，按日支付违约金"
    ]
    strict = decode_clauses(probs, offsets, CL_TAGS, text, min_presence=0.6)
    assert [text[s.start : s.end] for s in strict] == ["乙方违约的"]


def test_a_b_tag_starts_a_second_span() -> None:
    text = "甲2025年乙2026年"
    marks = {i: {("B" if i in (1, 7) else "I") + "-DATE_START": 0.9} for i in (*range(1, 6), *range(7, 12))}
    marks[6] = {}
    spans = decode_bio(probs_for(text, ENT_TAGS, marks), char_offsets(text), ENT_TAGS, text)
    assert [text[s.start : s.end] for s in spans] == ["2025年", "2026年"]


def test_edge_punctuation_and_wrapping_brackets_are_trimmed_from_entities() -> None:
    text = "《沈阳市办公设备采购合同》"
    marks = {i: {("B" if i == 0 else "I") + "-CONTRACT_NAME": 0.9} for i in range(len(text))}
    spans = decode_bio(probs_for(text, ENT_TAGS, marks), char_offsets(text), ENT_TAGS, text)
    assert [text[s.start : s.end] for s in spans] == ["沈阳市办公设备采购合同"]
    lone = {0: {"B-CONTRACT_NAME": 0.9}}
    assert decode_bio(probs_for(text, ENT_TAGS, lone), char_offsets(text), ENT_TAGS, text) == []


def test_clause_pieces_fill_holes_and_leave_list_markers_out() -> None:
    text = "（1）乙方未经甲方同意擅自停止履行合同义务的，甲方有权解除合同。\n（2）其他。"
    clause_end = text.index("。")
    marks = {}
    for i in range(3, clause_end):
        if text[i] == "，":
            continue
        prefix = "B" if i == 3 else "I"
        p = 0.2 if i in (9, 10, 17) else 0.8  # the model doubts a few characters in the middle
        marks[i] = {f"{prefix}-CL_TERMINATION": p}
    probs = probs_for(text, CL_TAGS, marks)
    spans = decode_clauses(probs, char_offsets(text), CL_TAGS, text)
    assert [(text[s.start : s.end], s.label) for s in spans] == [
        ("乙方未经甲方同意擅自停止履行合同义务的，甲方有权解除合同", "CL_TERMINATION")
    ]
    # Token by token the same probabilities come out in pieces.
    assert len(decode_bio(probs, char_offsets(text), CL_TAGS, text)) > 1


def test_a_b_lean_after_a_comma_splits_two_clauses_of_one_label() -> None:
    text = "首付百分之三十，余款百分之七十。"
    comma = text.index("，")
    marks = {i: {("B" if i in (0, comma + 1) else "I") + "-CL_BREACH": 0.9} for i in range(len(text) - 1)}
    del marks[comma]
    spans = decode_clauses(probs_for(text, CL_TAGS, marks), char_offsets(text), CL_TAGS, text)
    assert [text[s.start : s.end] for s in spans] == ["首付百分之三十", "余款百分之七十"]


def test_a_line_break_always_ends_a_clause() -> None:
    text = "甲方违约的\n乙方违约的"
    marks = {i: {("B" if i == 0 else "I") + "-CL_BREACH": 0.9} for i in range(len(text)) if text[i] != "\n"}
    spans = decode_clauses(probs_for(text, CL_TAGS, marks), char_offsets(text), CL_TAGS, text)
    assert [text[s.start : s.end] for s in spans] == ["甲方违约的", "乙方违约的"]


def test_window_merger_averages_overlapping_windows() -> None:
    merger = WindowMerger(4, 2)
    merger.add(0, np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]]))
    merger.add(2, np.array([[0.0, 1.0], [0.0, 1.0]]))
    assert np.allclose(merger.result(), [[1, 0], [1, 0], [0.5, 0.5], [0, 1]])


def test_unit_types_average_over_the_unit_and_keep_the_top_one() -> None:
    offsets = char_offsets("abcdef")
    probs = np.array([[0.9, 0.1], [0.7, 0.3], [0.8, 0.2], [0.2, 0.4], [0.1, 0.3], [0.3, 0.2]])
    units = unit_types(probs, offsets, [Unit(0, 3), Unit(3, 6)], ["PAYMENT", "BREACH"])
    assert units[0].types == ("PAYMENT",)
    assert units[1].types == ("BREACH",) and units[1].scores == (0.3,)
