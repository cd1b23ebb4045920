"""Confidence thresholds of an exported model, chosen on the dev split and stored in its ``labels.json``.

A span's confidence is its label's mean probability mass (:mod:`hetong.decode`). The decoder keeps every
span it finds; low-confidence ones are mostly fragments of text the model has not seen the like of (a
piece of an agency's name read as 甲方, half a clause). The export runs the servable model over dev
documents once, scores ENT (strict micro-F1) and CL (overlap micro-F1) with every threshold of
:data:`GRID`, and keeps per layer the threshold with the best F1 (the lowest on ties). The runtime then
drops spans below it. The test split is never used to choose.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hetong.metrics import span_scores
from hetong.schema import Document, Span

GRID = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def choose_thresholds(
    docs: Sequence[Document], predicted: Sequence[tuple[list[Span], list[Span]]], ent_labels: Sequence[str]
) -> dict[str, Any]:
    """``{"ent": τ, "cl": τ, "sweep": [...]}`` from gold ``docs`` and their predicted (ENT, CL) spans."""
    cl_labels = sorted({span.label for doc in docs for span in doc.cl})
    sweep = []
    for threshold in GRID:
        ent_pairs = [
            (d.ent, [s for s in ent if s.score >= threshold])
            for d, (ent, _) in zip(docs, predicted, strict=True)
        ]
        cl_pairs = [
            (d.cl, [s for s in cl if s.score >= threshold])
            for d, (_, cl) in zip(docs, predicted, strict=True)
        ]
        sweep.append(
            {
                "threshold": threshold,
                "ent_strict_f1": span_scores(ent_pairs, ent_labels)["micro"]["f1"],
                "cl_overlap_f1": span_scores(cl_pairs, cl_labels, "overlap")["micro"]["f1"]
                if cl_labels
                else 0.0,
            }
        )
    best_ent = max(sweep, key=lambda row: (row["ent_strict_f1"], -row["threshold"]))
    best_cl = max(sweep, key=lambda row: (row["cl_overlap_f1"], -row["threshold"]))
    return {"ent": best_ent["threshold"], "cl": best_cl["threshold"], "documents": len(docs), "sweep": sweep}
