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

Offsets = Sequence[tuple[int, int]] | np.ndarray
"""Tokens' ``[start, end)`` character offsets: pairs, or a tokens × 2 integer array (what serving passes,
converted once per document)."""


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
    offsets: Offsets,
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
    if not len(offsets):
        return []
    labels, mass, outside, begin, inside = _tag_masses(probs, tags)
    boundary = np.stack([outside, begin, inside], axis=1).argmax(axis=1)  # 0 = O, 1 = B, 2 = I
    bounds = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
    # A token is in a span unless it leans to O or is a special token (offsets (0, 0)); a span opens at
    # a B, or at an I whose previous token is in no span, and runs until the next opening or O. Only the
    # runs are visited in Python, not every token.
    in_span = (boundary != 0) & ((bounds[:, 0] != 0) | (bounds[:, 1] != 0))
    after_outside = np.concatenate([[True], ~in_span[:-1]])
    opens = np.flatnonzero(in_span & ((boundary == 1) | after_outside))
    closes = np.flatnonzero(in_span & np.concatenate([~in_span[1:] | (boundary[1:] == 1), [True]]))
    spans: list[Span] = []
    for first, last in zip(opens.tolist(), closes.tolist(), strict=True):
        count = last - first + 1
        if float(1.0 - outside[first : last + 1].mean()) < min_presence:
            continue
        votes = mass[first : last + 1].sum(axis=0)
        label = int(votes.argmax())
        start, end = trim_edges(text, int(bounds[first, 0]), int(bounds[last, 1]))
        if start < end:
            score = float(votes[label]) / count
            spans.append(Span(start, end, labels[label], round(min(score, 1.0), 4)))
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
    offsets: Offsets,
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
    if not len(offsets):
        return []
    labels, mass, outside, begin, inside = _tag_masses(probs, tags)
    bounds = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
    firsts, lasts, line_break_before = _clause_pieces(text, bounds)

    # A piece's tokens are consecutive and their starts increase, so the tokens of its content are one
    # slice [lo, hi) and its sums are differences of prefix sums.
    starts = bounds[:, 0].tolist()
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

    for first, last, after_break in zip(firsts, lasts, line_break_before, strict=True):
        start, end = int(bounds[first, 0]), int(bounds[last, 1])
        marker = numbering_marker(text[start:end])
        if marker:
            start = text.index(marker, start) + len(marker)
        start, end = trim_edges(text, start, end)
        lo = bisect_left(starts, start, first, last + 1)
        hi = bisect_left(starts, end, lo, last + 1)
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


_SPACE_CODES = np.array([code for code in range(0x3001) if chr(code).isspace()], dtype=np.uint32)
_BREAK_CODES = np.array(sorted(ord(c) for c in CLAUSE_BREAKS), dtype=np.uint32)


def _clause_pieces(text: str, bounds: np.ndarray) -> tuple[list[int], list[int], list[bool]]:
    """The clause pieces of a tokenised text: first and last token of each, and whether a line break
    comes before it (the text's start counts as one).

    A token whose text is blank or holds clause punctuation (:data:`CLAUSE_BREAKS`) separates pieces,
    and so does a line break between two tokens. A piece after separators is after a break when one of
    those separator tokens holds a line break. Computed with prefix sums over the characters, so no
    Python runs per token (a 10,000-character contract has ~9,400 tokens and a few hundred pieces).
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)

    def prefix(flags: np.ndarray) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(flags, dtype=np.int64)])

    content, breaks = prefix(~np.isin(codes, _SPACE_CODES)), prefix(np.isin(codes, _BREAK_CODES))
    newlines = prefix(codes == ord("\n"))
    starts, ends = bounds[:, 0], bounds[:, 1]
    separator = (content[ends] == content[starts]) | (breaks[ends] > breaks[starts])
    has_newline = newlines[ends] > newlines[starts]
    gap_newline = np.zeros(len(bounds), dtype=bool)
    gap_newline[1:] = newlines[starts[1:]] > newlines[np.minimum(ends[:-1], starts[1:])]
    after_separator = np.concatenate([[True], separator[:-1]])
    opens = np.flatnonzero(~separator & (after_separator | gap_newline))
    closes = np.flatnonzero(~separator & np.concatenate([separator[1:] | gap_newline[1:], [True]]))
    # Before a piece that follows a separator run: a break when no piece came earlier (the text's
    # start) or one of the run's separators holds a line break.
    separator_newlines = prefix(separator & has_newline)
    content_tokens = np.flatnonzero(~separator)
    last_content = np.full(len(bounds) + 1, -1, dtype=np.int64)  # at i: the last content token before i
    last_content[content_tokens + 1] = content_tokens
    last_content = np.maximum.accumulate(last_content)[opens]
    run_start = last_content + 1
    after_break = np.where(
        after_separator[opens],
        (last_content < 0) | (separator_newlines[opens] > separator_newlines[run_start]),
        True,
    )
    return opens.tolist(), closes.tolist(), after_break.tolist()


def unit_types(
    type_probs: np.ndarray, offsets: Offsets, units: Sequence[Unit], names: Sequence[str]
) -> list[Unit]:
    """Each unit with the types whose mean probability over its tokens reaches 0.5 (top-1 always kept).

    A unit's tokens are those starting inside it: token starts increase, so they are one slice."""
    starts = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)[:, 0]
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
