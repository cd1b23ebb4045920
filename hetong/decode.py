"""Model outputs to spans: BIO probabilities per token to character spans with confidences.

Used by serving (after ONNX Runtime) and by training's evaluation (after PyTorch), so both decode alike.
Overlapping windows are merged before decoding by averaging each token's probabilities over the windows
that saw it; a span's confidence is its label's mean probability mass over its tokens. Clause types are
averaged over each unit's tokens (spec Part B: sigmoid, threshold 0.5, top-1 always kept).
"""

from __future__ import annotations

from collections.abc import Sequence

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
        self.sums = np.zeros((n_tokens, n_classes), dtype=np.float64)
        self.counts = np.zeros(n_tokens, dtype=np.int32)

    def add(self, first_token: int, probs: np.ndarray) -> None:
        end = first_token + len(probs)
        self.sums[first_token:end] += probs
        self.counts[first_token:end] += 1

    def result(self) -> np.ndarray:
        return self.sums / np.maximum(self.counts, 1)[:, None]


def decode_bio(
    probs: np.ndarray, offsets: Sequence[tuple[int, int]], tags: Sequence[str], text: str
) -> list[Span]:
    """Spans from per-token tag probabilities (``probs`` is tokens × tags, rows aligned with ``offsets``).

    Decoding is span first, label second. Each token's boundary tag is the argmax of its summed
    probability mass of O, of every ``B-*`` and of every ``I-*``; a span opens at a B (or at an I with no
    span open) and runs over the following I tokens. The span's label is the one with the most mass
    (``B-X`` + ``I-X``) summed over its tokens, and its confidence is that label's mean mass per token.
    A per-token argmax over all tags instead cuts a date the model hesitates on between DATE_NODE and
    DATE_START into a run of one-character fragments; voting keeps it whole. The character range is
    trimmed to the edge rules (white space, edge punctuation, unpaired brackets: ``trim_edges``).
    """
    labels, mass, outside, begin, inside = _tag_masses(probs, tags)
    boundary = np.stack([outside, begin, inside], axis=1).argmax(axis=1)  # 0 = O, 1 = B, 2 = I
    spans: list[Span] = []
    first: int | None = None

    def close(last: int) -> None:
        if first is None:
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
    labels = sorted({tag[2:] for tag in tags if tag != "O"})
    column = {label: i for i, label in enumerate(labels)}
    mass = np.zeros((len(probs), len(labels)))
    begin = np.zeros(len(probs))
    inside = np.zeros(len(probs))
    outside = np.zeros(len(probs))
    for index, tag in enumerate(tags):
        if tag == "O":
            outside += probs[:, index]
            continue
        mass[:, column[tag[2:]]] += probs[:, index]
        if tag.startswith("B-"):
            begin += probs[:, index]
        else:
            inside += probs[:, index]
    return labels, mass, outside, begin, inside


CLAUSE_BREAKS = frozenset("，；;。\n")
"""Punctuation a CL span may start after or end before (spec CL1/CL2); a line break always ends one."""


def decode_clauses(
    probs: np.ndarray, offsets: Sequence[tuple[int, int]], tags: Sequence[str], text: str
) -> list[Span]:
    """CL spans decided per clause piece rather than per token.

    A CL span starts and ends at clause punctuation (，；。 or a line end, spec CL1/CL2), so the text is
    cut into pieces there and each piece is decided as a whole: it is inside a clause span when its
    tokens' mean non-O mass is at least one half, and it takes the label with the most mass. A piece
    continues the previous piece's span when both carry the same label, no line break lies between them
    and its first token leans to I rather than B. A span covers its pieces whole, less a leading list
    marker (CL1). Token by token, the model's doubt at the start or in the middle of a long clause would
    otherwise cut it into fragments.
    """
    labels, mass, outside, begin, inside = _tag_masses(probs, tags)
    pieces: list[list[int]] = []
    current: list[int] = []
    line_break_before: list[bool] = []
    saw_line_break = True
    for index, (start, end) in enumerate(offsets):
        piece_text = text[start:end]
        if (start, end) == (0, 0) or not piece_text.strip() or any(c in CLAUSE_BREAKS for c in piece_text):
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

    spans: list[Span] = []
    open_span: tuple[int, int, int, list[float]] | None = None  # label, start char, end char, scores

    def close() -> None:
        if open_span is not None:
            label, start, end, scores = open_span
            spans.append(Span(start, end, labels[label], round(min(float(np.mean(scores)), 1.0), 4)))

    for tokens, after_break in zip(pieces, line_break_before, strict=True):
        start, end = offsets[tokens[0]][0], offsets[tokens[-1]][1]
        marker = numbering_marker(text[start:end])
        if marker:
            start = text.index(marker, start) + len(marker)
        start, end = trim_edges(text, start, end)
        content = np.array([t for t in tokens if start <= offsets[t][0] < end], dtype=int)
        if not len(content) or (1.0 - outside[content]).mean() < 0.5:
            close()
            open_span = None
            continue
        votes = mass[content].sum(axis=0)
        label = int(votes.argmax())
        score = float(votes[label]) / len(content)
        first = content[0]
        leans_inside = inside[first] > begin[first]
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
    """Each unit with the types whose mean probability over its tokens reaches 0.5 (top-1 always kept)."""
    starts = np.array([o[0] for o in offsets])
    out = []
    for unit in units:
        inside = (starts >= unit.start) & (starts < unit.end)
        if not inside.any():
            out.append(Unit(unit.start, unit.end, (), ()))
            continue
        mean = type_probs[inside].mean(axis=0)
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
