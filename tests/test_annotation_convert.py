"""Label Studio <-> JSONL conversion: the labeling config from the schema, exact offsets both ways."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest

from annotation.convert import (
    ConversionError,
    Utf16Offsets,
    document_to_task,
    results_to_document,
    task_to_document,
)
from annotation.labeling import labeling_config
from hetong.schema import CL_LABELS, CLAUSE_TYPES, ENT_LABELS, Document, Span, Unit
from training.dataset import DataConfig, filled_documents, synthetic_documents


def the_test_split() -> Iterator[Document]:
    """The default build's test split, generated exactly as `hetong data build` does (without writing)."""
    config = DataConfig()
    for source in (synthetic_documents(config), filled_documents(config)):
        yield from (doc for doc in source if doc.meta["split"] == "test")


def spans_of(doc: Document) -> tuple[list, list, list]:
    key = lambda s: (s.start, s.end, s.label)  # noqa: E731
    return (
        sorted(doc.ent, key=key),
        sorted(doc.cl, key=key),
        sorted(doc.units, key=lambda u: (u.start, u.end)),
    )


def test_every_span_of_the_test_split_round_trips_exactly() -> None:
    documents = spans = 0
    for doc in the_test_split():
        task = document_to_task(doc, as_annotation=True)
        back = task_to_document({**task, "id": 1})
        assert back is not None
        assert back.text == doc.text and back.doc_id == doc.doc_id
        assert spans_of(back) == spans_of(doc), doc.doc_id
        documents += 1
        spans += len(doc.ent) + len(doc.cl) + len(doc.units)
    assert documents > 500 and spans > 40_000


def test_offsets_count_utf16_units_after_astral_characters() -> None:
    text = "甲方：𠀋𠀌科技有限公司，乙方：某某局"  # two CJK extension-B characters, two UTF-16 units each
    doc = Document("astral", text, [Span(3, 11, "PARTY_A"), Span(15, 18, "PARTY_B")], [], [Unit(0, 18)])
    task = document_to_task(doc, as_annotation=True)
    party_b = next(r for r in task["annotations"][0]["result"] if r["value"].get("labels") == ["PARTY_B"])
    assert (party_b["value"]["start"], party_b["value"]["end"]) == (17, 20)  # as JavaScript counts
    assert text.encode("utf-16-le")[17 * 2 : 20 * 2].decode("utf-16-le") == "某某局"
    back = task_to_document(task)
    assert back is not None and spans_of(back) == spans_of(doc)
    offsets = Utf16Offsets(text)
    with pytest.raises(ConversionError, match="surrogate pair"):
        offsets.to_codepoint(4)  # the middle of 𠀋


def test_predictions_carry_model_version_and_scores() -> None:
    text = "乙方逾期交付的，按日支付违约金。"
    doc = Document(
        "p",
        text,
        [Span(0, 2, "PARTY_B", 0.9)],
        [Span(0, 15, "CL_BREACH", 0.8)],
        [Unit(0, 16, ("BREACH",), (0.7,))],
    )
    task = document_to_task(doc, model_version="0.2.0")
    (prediction,) = task["predictions"]
    assert prediction["model_version"] == "0.2.0" and prediction["score"] == 0.85
    scores = {r["from_name"]: r.get("score") for r in prediction["result"]}
    assert scores == {"ent": 0.9, "cl": 0.8, "unit": None, "types": 0.7}
    read = results_to_document("p", text, prediction["result"])
    assert [s.score for s in read.ent] == [0.9] and read.units[0].types == ("BREACH",)


def test_an_annotators_correction_is_what_comes_back() -> None:
    text = "甲方：杭州市西湖区财政局"
    doc = Document("c", text, [Span(3, 8, "PARTY_A", 0.6)], [], [])
    task = document_to_task(doc, model_version="0.1.0")
    corrected = [
        dict(r, value=dict(r["value"], end=12, text=text[3:12])) for r in task["predictions"][0]["result"]
    ]
    task["annotations"] = [
        {"id": 1, "result": [], "was_cancelled": True, "updated_at": "2026-11-22T09:00:00Z"},
        {"id": 2, "result": corrected, "was_cancelled": False, "updated_at": "2026-11-22T08:00:00Z"},
    ]
    back = task_to_document(task)
    assert back is not None and [(s.start, s.end, s.label) for s in back.ent] == [(3, 12, "PARTY_A")]
    assert back.meta["source"] == "label_studio" and back.meta["ls_annotation_id"] == 2
    assert task_to_document({"data": task["data"], "annotations": []}) is None


@pytest.mark.parametrize(
    ("value", "label", "message"),
    [
        ({"start": 0, "end": 99}, "PARTY_A", "outside the text"),
        ({"start": 0, "end": 2}, "NOT_A_LABEL", "unknown label"),
        ({"end": 2}, "PARTY_A", "no usable start/end"),
    ],
)
def test_bad_regions_are_refused(value: dict, label: str, message: str) -> None:
    result = [
        {
            "id": "r",
            "from_name": "ent",
            "to_name": "text",
            "type": "labels",
            "value": {**value, "labels": [label]},
        }
    ]
    with pytest.raises(ConversionError, match=message):
        results_to_document("bad", "甲方：某某局", result)


def test_labeling_config_lists_every_label_and_clause_type() -> None:
    root = ET.fromstring(labeling_config())
    controls = {node.get("name"): node for node in root if node.get("name")}
    assert [label.get("value") for label in controls["ent"]] == [label.name for label in ENT_LABELS]
    assert [label.get("value") for label in controls["cl"]] == [label.name for label in CL_LABELS]
    assert [choice.get("value") for choice in controls["types"]] == [ct.name for ct in CLAUSE_TYPES]
    assert controls["types"].get("perRegion") == "true" and controls["text"].get("value") == "$text"
    assert controls["ent"][0].get("hint") == ENT_LABELS[0].zh
