"""Span metrics: precision, recall and F1 per label and micro/macro, strict or by overlap.

Strict: a predicted span counts when a gold span has the same label and the same ``[start, end)``.
Overlap: when a gold span of the same label overlaps it by at least half of the longer of the two
(each gold span matched once). Used by the export's parity gate and by the evaluation reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hetong.schema import Span


@dataclass(frozen=True)
class Scores:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.tp + self.fn,
        }


def overlaps_enough(a: Span, b: Span, threshold: float = 0.5) -> bool:
    """The two spans overlap by at least ``threshold`` of the longer one (the overlap match)."""
    inter = min(a.end, b.end) - max(a.start, b.start)
    return inter > 0 and inter >= threshold * max(a.end - a.start, b.end - b.start)


def match_spans(
    gold: Sequence[Span], predicted: Sequence[Span], mode: str = "strict", threshold: float = 0.5
) -> tuple[list[tuple[Span, Span]], list[Span], list[Span]]:
    """(gold, predicted) pairs that match, the predicted spans left over and the gold spans left over;
    each gold span matches at most once, predicted spans taken in order."""
    pairs: list[tuple[Span, Span]] = []
    extra: list[Span] = []
    unmatched = list(gold)
    for span in predicted:
        hit = next(
            (
                g
                for g in unmatched
                if g.label == span.label
                and (
                    (g.start, g.end) == (span.start, span.end)
                    if mode == "strict"
                    else overlaps_enough(g, span, threshold)
                )
            ),
            None,
        )
        if hit is None:
            extra.append(span)
        else:
            pairs.append((hit, span))
            unmatched.remove(hit)
    return pairs, extra, unmatched


def match_counts(
    gold: Sequence[Span], predicted: Sequence[Span], mode: str = "strict", threshold: float = 0.5
) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """(tp, fp, fn) per label for one document."""
    pairs, extra, missed = match_spans(gold, predicted, mode, threshold)
    return (
        Counter(span.label for _, span in pairs),
        Counter(span.label for span in extra),
        Counter(span.label for span in missed),
    )


def span_scores(
    pairs: Iterable[tuple[Sequence[Span], Sequence[Span]]],
    labels: Sequence[str] | None = None,
    mode: str = "strict",
) -> dict[str, object]:
    """Per-label, micro and macro scores over (gold, predicted) pairs of documents."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for gold, predicted in pairs:
        keep = set(labels) if labels is not None else None
        gold = [s for s in gold if keep is None or s.label in keep]
        predicted = [s for s in predicted if keep is None or s.label in keep]
        t, f, n = match_counts(gold, predicted, mode)
        tp.update(t)
        fp.update(f)
        fn.update(n)
    names = sorted(set(tp) | set(fp) | set(fn)) if labels is None else list(labels)
    per_label = {name: Scores(tp[name], fp[name], fn[name]) for name in names}
    present = [s for s in per_label.values() if s.tp + s.fn > 0]
    micro = Scores(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return {
        "micro": micro.to_json(),
        "macro_f1": round(sum(s.f1 for s in present) / len(present), 4) if present else 0.0,
        "per_label": {name: s.to_json() for name, s in per_label.items() if s.tp + s.fp + s.fn},
    }
