"""Model outputs to spans: BIO probabilities per token to character spans with confidences.

Used by serving (after ONNX Runtime) and by training's evaluation (after PyTorch), so both decode alike.
Overlapping windows are merged before decoding by averaging each token's probabilities over the windows
that saw it; a span's confidence is its label's mean probability mass over its tokens. Clause types are
averaged over each unit's tokens (spec Part B: sigmoid, threshold 0.5, top-1 always kept).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from hetong.boundaries import trim_edges
from hetong.schema import Span, Unit
from hetong.segment import numbering_marker

TYPE_THRESHOLD = 0.5


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logits))


class WindowMerger:
    """Accumulates per-token probabilities of a document's windows (by document token index)."""

    def __init__(self, n_tokens: int, n_classes: int) -> None:
        self.sums = np.zeros((n_tokens, n_classes), dtype=np.float32)
        self.counts = np.zeros(n_tokens, dtype=np.int32)

    def add(self, first_token: int, probs: np.ndarray) -> None:
        end = first_token + len(probs)
        self.sums[first_token:end] += probs
        self.counts[first_token:end] += 1

    def result(self) -> np.ndarray:
        return self.sums / np.maximum(self.counts, 1).astype(np.float32)[:, None]


def decode_bio(
    probs: np.ndarray,
    offsets: Sequence[tuple[int, int]],
    tags: Sequence[str],
    text: str,
    min_presence: float = 0.0,
) -> list[Span]:
    """Spans from per-token tag probabilities (``probs`` is tokens × tags, rows aligned with ``offsets``).

    Decoding is span first, label second. Each token's boundary tag is the argmax of its summed
    probability mass of O, of every ``B-*`` and of every ``I-*``; a span opens at a B (or at an I with no
    span open) and runs over the following I tokens. The span's label is the one with the most mass
    (``B-X`` + ``I-X``) summed over its tokens, and its confidence is that label's mean mass per token.
    A per-token argmax over all tags instead cuts a date the model hesitates on between DATE_NODE and
    DATE_START into a run of one-character fragments; voting keeps it whole. The character range is
    trimmed to the edge rules (white space, edge punctuation, unpaired brackets: ``trim_edges``).

    A span whose tokens' mean non-O mass (its presence) is below ``min_presence`` is dropped: such spans
    are mostly fragments of wording the model has not seen. Presence, not the label's confidence, is
    what a model's calibrated threshold (:mod:`training.calibration`) applies to: a date the model is
    sure of but hesitates to call DATE_NODE or DATE_OTHER has a low label score and stays.
    """
    labels, mass, outside, begin, inside = _tag_masses(probs, tags)
    boundary = np.stack([outside, begin, inside], axis=1).argmax(axis=1)  # 0 = O, 1 = B, 2 = I
    spans: list[Span] = []
    first: int | None = None

    def close(last: int) -> None:
        if first is None:
            return
        if float(1.0 - outside[first : last + 1].mean()) < min_presence:
            return
        votes = mass[first : last + 1].sum(axis=0)
        label = int(votes.argmax())
        start, end = trim_edges(text, offsets[first][0], offsets[last][1])
        if start < end:
            score = float(votes[label]) / (last - first + 1)
            spans.append(Span(start, end, labels[label], round(min(score, 1.0), 4)))

    for index, kind in enumerate(boundary):
        if kind == 0 or offsets[index] == (0, 0):
            close(index - 1)
            first = None
        elif kind == 1 or first is None:
            close(index - 1)
            first = index
    close(len(boundary) - 1)
    return spans


def _tag_masses(
    probs: np.ndarray, tags: Sequence[str]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per token: each label's mass (B-X + I-X, tokens × labels), and the O, all-B and all-I masses."""
    labels, to_label, kinds = _tag_matrices(tuple(tags))
    mass = probs @ to_label
    outside, begin, inside = (probs @ kinds).T
    return list(labels), mass, outside, begin, inside


@cache
def _tag_matrices(tags: tuple[str, ...]) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """The labels of a tag set, the tags × labels 0/1 matrix (B-X and I-X to X) and the tags × 3 matrix of
    tag kinds (O, B, I): one matrix product then gives every mass of :func:`_tag_masses`."""
    labels = tuple(sorted({tag[2:] for tag in tags if tag != "O"}))
    column = {label: i for i, label in enumerate(labels)}
    to_label = np.zeros((len(tags), len(labels)), dtype=np.float32)
    kinds = np.zeros((len(tags), 3), dtype=np.float32)
    for index, tag in enumerate(tags):
        if tag == "O":
            kinds[index, 0] = 1.0
            continue
        to_label[index, column[tag[2:]]] = 1.0
        kinds[index, 1 if tag.startswith("B-") else 2] = 1.0
    return labels, to_label, kinds


CLAUSE_BREAKS = frozenset("，；;。\n")
"""Punctuation a CL span may start after or end before (spec CL1/CL2); a line break always ends one."""


@dataclass(frozen=True)
class Thresholds:
    """What a decoded span needs to be kept; a model's calibration (:mod:`training.calibration`) chooses
    them and ``labels.json`` records them. The defaults decode as models exported before calibration
    did: every entity span, clause pieces of presence one half and up."""

    ent_presence: float = 0.0
    """An entity's mean non-O mass over its tokens."""
    cl_presence: float = 0.5
    """A clause piece's mean non-O mass (below it the piece is outside any clause)."""
    cl_score: float = 0.0
    """A clause span's label confidence: a clause of uncertain kind is dropped."""


def decode_clauses(
    probs: np.ndarray,
    offsets: Sequence[tuple[int, int]],
    tags: Sequence[str],
    text: str,
    min_presence: float = 0.5,
    min_score: float = 0.0,
) -> list[Span]:
    """CL spans decided per clause piece rather than per token.

    A CL span starts and ends at clause punctuation (，；。 or a line end, spec CL1/CL2), so the text is
    cut into pieces there and each piece is decided as a whole: it is inside a clause span when its
    tokens' mean non-O mass reaches ``min_presence`` (one half unless the model's calibration chose
    another), and it takes the label with the most mass. A piece continues the previous piece's span
    when both carry the same label, no line break lies between them and its first token leans to I
    rather than B. A span covers its pieces whole, less a leading list marker (CL1). Token by token, the
    model's doubt at the start or in the middle of a long clause would otherwise cut it into fragments.
    Spans whose score (that label's mean mass) is below ``min_score`` are dropped.
    """
    labels, mass, outside, begin, inside = _tag_masses(probs, tags)
    pieces: list[list[int]] = []
    current: list[int] = []
    line_break_before: list[bool] = []
    saw_line_break = True
    for index, (start, end) in enumerate(offsets):
        piece_text = text[start:end]
        if (start, end) == (0, 0) or not piece_text.strip() or not CLAUSE_BREAKS.isdisjoint(piece_text):
            if current:
                pieces.append(current)
                line_break_before.append(saw_line_break)
                current, saw_line_break = [], False
            saw_line_break = saw_line_break or "\n" in piece_text
            continue
        if current and "\n" in text[offsets[current[-1]][1] : start]:
            pieces.append(current)
            line_break_before.append(saw_line_break)
            current, saw_line_break = [], True
        current.append(index)
    if current:
        pieces.append(current)
        line_break_before.append(saw_line_break)

    # A piece's tokens are consecutive and their starts increase, so the tokens of its content are one
    # slice [lo, hi) and its sums are differences of prefix sums.
    starts = [offset[0] for offset in offsets]
    non_o = np.concatenate([[0.0], np.cumsum(1.0 - outside, dtype=np.float64)])
    label_mass = np.vstack([np.zeros((1, mass.shape[1])), np.cumsum(mass, axis=0, dtype=np.float64)])
    spans: list[Span] = []
    open_span: tuple[int, int, int, list[float]] | None = None  # label, start char, end char, scores

    def close() -> None:
        if open_span is not None:
            label, start, end, scores = open_span
            score = min(float(np.mean(scores)), 1.0)
            if score >= min_score:
                spans.append(Span(start, end, labels[label], round(score, 4)))

    for tokens, after_break in zip(pieces, line_break_before, strict=True):
        start, end = offsets[tokens[0]][0], offsets[tokens[-1]][1]
        marker = numbering_marker(text[start:end])
        if marker:
            start = text.index(marker, start) + len(marker)
        start, end = trim_edges(text, start, end)
        lo = bisect_left(starts, start, tokens[0], tokens[-1] + 1)
        hi = bisect_left(starts, end, lo, tokens[-1] + 1)
        count = hi - lo
        if not count or (non_o[hi] - non_o[lo]) / count < min_presence:
            close()
            open_span = None
            continue
        votes = label_mass[hi] - label_mass[lo]
        label = int(votes.argmax())
        score = float(votes[label]) / count
        leans_inside = inside[lo] > begin[lo]
        continues = open_span is not None and open_span[0] == label and not after_break and leans_inside
        if continues:
            assert open_span is not None
            open_span = (label, open_span[1], end, [*open_span[3], score])
        else:
            close()
            open_span = (label, start, end, [score])
    close()
    return spans


def unit_types(
    type_probs: np.ndarray, offsets: Sequence[tuple[int, int]], units: Sequence[Unit], names: Sequence[str]
) -> list[Unit]:
    """Each unit with the types whose mean probability over its tokens reaches 0.5 (top-1 always kept).

    A unit's tokens are those starting inside it: token starts increase, so they are one slice."""
    starts = np.array([o[0] for o in offsets])
    bounds = np.searchsorted(starts, [(u.start, u.end) for u in units]) if units else np.zeros((0, 2), int)
    out = []
    for unit, (first, last) in zip(units, bounds, strict=True):
        if first == last:
            out.append(Unit(unit.start, unit.end, (), ()))
            continue
        mean = type_probs[first:last].mean(axis=0)
        chosen = [i for i in np.argsort(-mean) if mean[i] >= TYPE_THRESHOLD] or [int(mean.argmax())]
        out.append(
            Unit(
                unit.start,
                unit.end,
                tuple(names[i] for i in chosen),
                tuple(round(float(mean[i]), 4) for i in chosen),
            )
        )
    return out
