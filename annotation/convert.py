"""Label Studio tasks and annotations <-> the spec's JSONL documents, with exact character offsets.

Label Studio measures ``start``/``end`` in JavaScript string units (UTF-16 code units); our documents in
code points. They differ after any character outside the Basic Multilingual Plane (rare CJK extension B
characters in names, emoji), so every offset goes through :class:`Utf16Offsets`.

A document becomes a task whose ``data`` holds the text, the document id and its metadata; its spans
become one result list (``ent``/``cl`` label regions, ``unit`` regions with per-region ``types``
choices) placed either as a prediction (with ``model_version`` and scores) or as an annotation. Reading
back takes the task's newest annotation that was not cancelled.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from annotation.labeling import CL_CONTROL, ENT_CONTROL, TEXT_OBJECT, TYPES_CONTROL, UNIT_CONTROL, UNIT_LABEL
from hetong.schema import CL_LABELS, ENT_LABELS, Document, Span, Unit

_ENT_NAMES = frozenset(label.name for label in ENT_LABELS)
_CL_NAMES = frozenset(label.name for label in CL_LABELS)


class ConversionError(ValueError):
    """A Label Studio result that cannot be a span of ours (unknown label, offsets outside the text)."""


class Utf16Offsets:
    """Code-point offsets <-> UTF-16 code-unit offsets for one text."""

    def __init__(self, text: str) -> None:
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]  # code points taking 2 units
        self.length = len(text)

    def to_utf16(self, index: int) -> int:
        return index + bisect.bisect_left(self.astral, index)

    def to_codepoint(self, unit: int) -> int:
        if not 0 <= unit <= self.to_utf16(self.length):
            raise ConversionError(f"UTF-16 offset {unit} is outside the text")
        low, high = 0, self.length
        while low < high:  # the smallest code-point index whose UTF-16 offset is >= unit
            middle = (low + high) // 2
            if self.to_utf16(middle) < unit:
                low = middle + 1
            else:
                high = middle
        if self.to_utf16(low) != unit:
            raise ConversionError(f"UTF-16 offset {unit} falls inside a surrogate pair")
        return low


def region_id(doc_id: str, kind: str, start: int, end: int, label: str) -> str:
    """A stable region id, so a re-import of the same document gives the same ids."""
    return hashlib.sha1(f"{doc_id}|{kind}|{start}|{end}|{label}".encode()).hexdigest()[:10]


def document_to_results(doc: Document, with_scores: bool = False) -> list[dict[str, Any]]:
    """The document's spans and units as one Label Studio result list."""
    offsets = Utf16Offsets(doc.text)
    results: list[dict[str, Any]] = []

    def region(control: str, start: int, end: int, label: str, score: float | None) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": region_id(doc.doc_id, control, start, end, label),
            "from_name": control,
            "to_name": TEXT_OBJECT,
            "type": "labels",
            "origin": "prediction" if with_scores else "manual",
            "value": {
                "start": offsets.to_utf16(start),
                "end": offsets.to_utf16(end),
                "text": doc.text[start:end],
                "labels": [label],
            },
        }
        if with_scores and score is not None:
            item["score"] = score
        return item

    for control, spans in ((ENT_CONTROL, doc.ent), (CL_CONTROL, doc.cl)):
        results += [region(control, s.start, s.end, s.label, s.score) for s in spans]
    for unit in doc.units:
        unit_region = region(UNIT_CONTROL, unit.start, unit.end, UNIT_LABEL, None)
        results.append(unit_region)
        if unit.types:
            choice = {**unit_region, "from_name": TYPES_CONTROL, "type": "choices"}
            choice["value"] = {k: v for k, v in unit_region["value"].items() if k != "labels"}
            choice["value"]["choices"] = list(unit.types)
            if with_scores and unit.scores:
                choice["score"] = round(float(min(unit.scores)), 4)
            results.append(choice)
    return results


def document_to_prediction(doc: Document, model_version: str) -> dict[str, Any]:
    """The model's spans as one Label Studio prediction: regions with scores, their mean as the score."""
    scores = [s.score for s in [*doc.ent, *doc.cl] if s.score is not None]
    return {
        "model_version": model_version,
        "score": round(sum(scores) / len(scores), 4) if scores else 0.0,
        "result": document_to_results(doc, with_scores=True),
    }


def document_to_task(
    doc: Document, model_version: str | None = None, as_annotation: bool = False
) -> dict[str, Any]:
    """A task to import. ``model_version`` set: the spans are the model's prediction (scores kept);
    ``as_annotation``: they are a finished annotation (used to import gold data and in tests)."""
    task: dict[str, Any] = {"data": {"text": doc.text, "doc_id": doc.doc_id, "meta": doc.meta}}
    if model_version is not None:
        task["predictions"] = [document_to_prediction(doc, model_version)]
    if as_annotation:
        task["annotations"] = [{"result": document_to_results(doc), "was_cancelled": False}]
    return task


def results_to_document(
    doc_id: str, text: str, results: Iterable[Mapping[str, Any]], meta: Mapping[str, Any] | None = None
) -> Document:
    """A document from one result list (an annotation's or a prediction's)."""
    offsets = Utf16Offsets(text)
    ent: list[Span] = []
    cl: list[Span] = []
    units: dict[str, Unit] = {}
    choices: dict[str, tuple[tuple[int, int], list[str]]] = {}
    for item in results:
        value = item.get("value", {})
        control = item.get("from_name")
        if control not in (ENT_CONTROL, CL_CONTROL, UNIT_CONTROL, TYPES_CONTROL):
            continue  # a control this config does not have (e.g. a comment box) carries no span
        try:
            start, end = offsets.to_codepoint(int(value["start"])), offsets.to_codepoint(int(value["end"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConversionError(
                f"{doc_id}: region {item.get('id')} has no usable start/end: {exc}"
            ) from exc
        if not 0 <= start < end <= len(text):
            raise ConversionError(f"{doc_id}: region {item.get('id')} [{start}, {end}) is outside the text")
        score = item.get("score")
        if control == TYPES_CONTROL:
            choices[str(item.get("id"))] = ((start, end), list(value.get("choices", [])))
            continue
        for label in value.get("labels", []):
            span = Span(start, end, label, None if score is None else float(score))
            if control == ENT_CONTROL and label in _ENT_NAMES:
                ent.append(span)
            elif control == CL_CONTROL and label in _CL_NAMES:
                cl.append(span)
            elif control == UNIT_CONTROL and label == UNIT_LABEL:
                units[str(item.get("id"))] = Unit(start, end)
            else:
                raise ConversionError(f"{doc_id}: unknown label {label!r} on control {control!r}")
    for key, ((start, end), types) in choices.items():
        unit = units.get(key) or next((u for u in units.values() if (u.start, u.end) == (start, end)), None)
        if unit is None:
            raise ConversionError(f"{doc_id}: clause types on [{start}, {end}) without a unit region")
        units[key] = Unit(unit.start, unit.end, tuple(types))
    return Document(
        doc_id,
        text,
        sorted(ent, key=lambda s: (s.start, s.end, s.label)),
        sorted(cl, key=lambda s: (s.start, s.end, s.label)),
        sorted(units.values(), key=lambda u: (u.start, u.end)),
        dict(meta or {}),
    )


def task_to_document(task: Mapping[str, Any]) -> Document | None:
    """The task's newest finished annotation as a document (None when nobody annotated it)."""
    annotations = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
    if not annotations:
        return None
    newest = max(
        annotations, key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), a.get("id", 0))
    )
    data = task["data"]
    meta = {
        **data.get("meta", {}),
        "source": "label_studio",
        "ls_task_id": task.get("id"),
        "ls_annotation_id": newest.get("id"),
        "cl_labeled": True,
        "types_labeled": True,
    }
    return results_to_document(
        str(data.get("doc_id") or f"LS-{task.get('id')}"), data["text"], newest["result"], meta
    )
