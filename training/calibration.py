"""Span thresholds of an exported model, chosen on the dev split and stored in its ``labels.json``.

Two thresholds (:class:`hetong.decode.Thresholds`): an entity's presence — its tokens' mean non-O
probability mass — and a clause span's score — its label's mean mass. Entities of low presence are
mostly fragments of wording the model has not seen (a piece of an agency's name read as 甲方); clause
spans of low score are mostly pieces of a clause the model cannot type. The export runs the servable
model over fully labelled dev documents once, decodes them at every threshold of :data:`GRID`, scores
ENT (strict micro-F1) and CL (overlap micro-F1), and keeps per layer the threshold with the best F1 (the
lowest on ties). The runtime decodes with them.

Why those two quantities (model 0.3.0's checkpoint, dev): a threshold on an entity's label score also
dropped true dates the model hesitated to call DATE_NODE or DATE_OTHER (role-blind date recall 1.000 ->
0.961 at 0.6); presence dropped none up to 0.9 and gained more ENT F1 (0.9616 -> 0.9716 at 0.9). For
clauses the reverse: raising the piece presence above 0.5 only lost F1, the label score gained (0.866 ->
0.874 at 0.7).

The fully labelled dev documents are generated; real wording is what a threshold can overfit against.
So an ENT threshold is eligible only while the ENT recall (overlap) on dev's filled real templates
(partially labelled: recall is all they measure) stays within :data:`MAX_REAL_RECALL_LOSS` of the
recall with no threshold. One threshold per layer, not per label: with 30-100 dev spans a label,
per-label thresholds follow noise. The test split is never used to choose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from hetong.decode import Thresholds
from hetong.metrics import span_scores
from hetong.schema import Document, Span

GRID = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
MAX_REAL_RECALL_LOSS = 0.005
"""Recall on dev's filled real templates a threshold may cost (0.5 points)."""

Decoder = Callable[[Thresholds], Sequence[tuple[list[Span], list[Span]]]]
"""Decodes every calibration document with the given thresholds: its (ENT, CL) spans."""


def choose_thresholds(
    docs: Sequence[Document],
    decode: Decoder,
    ent_labels: Sequence[str],
    real_docs: Sequence[Document] = (),
    decode_real: Decoder | None = None,
) -> dict[str, Any]:
    """``{"thresholds": {...}, "documents": n, "sweep": [...]}`` from gold ``docs`` and ``decode``; with
    ``real_docs`` (partially labelled) and their ``decode_real``, ENT thresholds are limited by their
    recall (module docstring)."""
    cl_labels = sorted({span.label for doc in docs for span in doc.cl})
    sweep = []
    for threshold in GRID:
        thresholds = Thresholds(ent_presence=threshold, cl_score=threshold)
        predicted = decode(thresholds)
        ent_pairs = [(d.ent, ent) for d, (ent, _) in zip(docs, predicted, strict=True)]
        cl_pairs = [(d.cl, cl) for d, (_, cl) in zip(docs, predicted, strict=True)]
        row = {
            "threshold": threshold,
            "ent_strict_f1": span_scores(ent_pairs, ent_labels)["micro"]["f1"],
            "cl_overlap_f1": span_scores(cl_pairs, cl_labels, "overlap")["micro"]["f1"] if cl_labels else 0.0,
        }
        if real_docs and decode_real is not None:
            real = [(d.ent, ent) for d, (ent, _) in zip(real_docs, decode_real(thresholds), strict=True)]
            row["real_ent_recall_overlap"] = span_scores(real, ent_labels, "overlap")["micro"]["recall"]
        sweep.append(row)
    floor = sweep[0].get("real_ent_recall_overlap", 0.0) - MAX_REAL_RECALL_LOSS
    eligible = [row for row in sweep if row.get("real_ent_recall_overlap", 1.0) >= floor]
    best_ent = max(eligible, key=lambda row: (row["ent_strict_f1"], -row["threshold"]))
    best_cl = max(sweep, key=lambda row: (row["cl_overlap_f1"], -row["threshold"]))
    chosen = Thresholds(ent_presence=best_ent["threshold"], cl_score=best_cl["threshold"])
    return {
        "thresholds": asdict(chosen),
        "documents": len(docs),
        "real_documents": len(real_docs),
        "sweep": sweep,
    }
