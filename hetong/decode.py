"""Model outputs to spans: BIO probabilities per token to character spans with confidences.

Used by serving (after ONNX Runtime) and by training's evaluation (after PyTorch), so both decode alike.
Overlapping windows are merged before decoding by averaging each token's probabilities over the windows
that saw it; a span's confidence is the mean probability of its tokens' chosen tags. Clause types are
averaged over each unit's tokens (spec Part B: sigmoid, threshold 0.5, top-1 always kept).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hetong.schema import Span, Unit

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

    A span opens at a ``B-X`` (or at an ``I-X`` that does not continue an ``X``) and runs over the
    following ``I-X`` tokens. Its character range is trimmed of surrounding white space.
    """
    best = probs.argmax(axis=1)
    spans: list[Span] = []
    current: tuple[str, int, list[float]] | None = None  # label, first token, tag probabilities

    def close(last: int) -> None:
        if current is None:
            return
        label, first, scores = current
        start, end = offsets[first][0], offsets[last][1]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append(Span(start, end, label, round(float(np.mean(scores)), 4)))

    for index, tag_id in enumerate(best):
        tag = tags[tag_id]
        prob = float(probs[index, tag_id])
        if tag == "O" or offsets[index] == (0, 0):
            close(index - 1)
            current = None
            continue
        prefix, label = tag.split("-", 1)
        if prefix == "I" and current is not None and current[0] == label:
            current[2].append(prob)
            continue
        close(index - 1)
        current = (label, index, [prob])
    close(len(best) - 1)
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
