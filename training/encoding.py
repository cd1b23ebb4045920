"""Documents to model inputs: token windows of at most ``max_length`` tokens with BIO and type labels.

Labels are given per token from the character spans: the first token that overlaps a span is ``B-``, the
others ``I-`` (the character-level tokenizer makes span edges token edges). Clause types are multi-hot per
token from the unit that contains it. Windows overlap by ``overlap`` tokens so no span is seen only cut.

Sources label different things (data card): documents whose ``meta.cl_labeled`` / ``meta.types_labeled``
is false get no CL / type loss, and their unlabelled ENT tokens (``O``) get the small weight
``partial_o_weight``, because a filled template leaves printed values untagged. A document whose
``meta.ent_labeled`` is false gets no label loss at all (text for distillation, :mod:`training.unlabeled`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tokenizers import Tokenizer

from hetong.schema import Document, Span
from training.model import LabelMaps

IGNORE = -100


@dataclass
class Window:
    doc_id: str
    input_ids: list[int]
    offsets: list[tuple[int, int]]
    ent: list[int]
    cl: list[int]
    types: list[tuple[int, ...]]
    """Per token, the indices of its unit's clause types (a tuple shared by the unit's tokens, to keep
    17 M tokens of a default build in memory; :func:`training.train.collate` makes them multi-hot)."""
    ent_weight: list[float]
    has_types: bool


def _bio(spans: list[Span], offsets: list[tuple[int, int]], tags: tuple[str, ...]) -> list[int]:
    index = {tag: i for i, tag in enumerate(tags)}
    out = [index["O"]] * len(offsets)
    token = 0
    for span in sorted(spans, key=lambda s: s.start):
        if f"B-{span.label}" not in index:
            continue
        while token < len(offsets) and offsets[token][1] <= span.start:
            token += 1
        inside = token
        first = True
        while inside < len(offsets) and offsets[inside][0] < span.end:
            out[inside] = index[("B-" if first else "I-") + span.label]
            first = False
            inside += 1
    return out


def encode_document(
    doc: Document,
    tokenizer: Tokenizer,
    labels: LabelMaps,
    max_length: int = 512,
    overlap: int = 64,
    partial_o_weight: float = 0.1,
) -> Iterator[Window]:
    encoding = tokenizer.encode(doc.text, add_special_tokens=False)
    offsets = [tuple(o) for o in encoding.offsets]
    ent_labeled = doc.meta.get("ent_labeled", True)
    ent = _bio(doc.ent, offsets, labels.ent) if ent_labeled else [IGNORE] * len(offsets)
    cl_labeled = doc.meta.get("cl_labeled", True)
    types_labeled = doc.meta.get("types_labeled", True)
    cl = _bio(doc.cl, offsets, labels.cl) if cl_labeled else [IGNORE] * len(offsets)
    type_index = {name: i for i, name in enumerate(labels.types)}
    none: tuple[int, ...] = ()
    types: list[tuple[int, ...]] = [none] * len(offsets)
    if types_labeled:
        unit_at = sorted(doc.units, key=lambda u: u.start)
        unit_types = [tuple(type_index[name] for name in unit.types) for unit in unit_at]
        u = 0
        for t, (start, _end) in enumerate(offsets):
            while u < len(unit_at) and unit_at[u].end <= start:
                u += 1
            if u < len(unit_at) and unit_at[u].start <= start:
                types[t] = unit_types[u]
    partial = not (cl_labeled and types_labeled)
    o_id = labels.ent.index("O")
    weights = [0.0 if tag == IGNORE else partial_o_weight if partial and tag == o_id else 1.0 for tag in ent]

    body = max_length - 2  # room for <s> and </s>
    step = max(1, body - overlap)
    bos, eos = tokenizer.token_to_id("<s>"), tokenizer.token_to_id("</s>")
    for start in range(0, max(1, len(offsets) - overlap), step):
        end = min(len(offsets), start + body)
        yield Window(
            doc_id=doc.doc_id,
            input_ids=[bos, *encoding.ids[start:end], eos],
            offsets=[(0, 0), *offsets[start:end], (0, 0)],
            ent=[IGNORE, *ent[start:end], IGNORE],
            cl=[IGNORE, *cl[start:end], IGNORE],
            types=[none, *types[start:end], none],
            ent_weight=[0.0, *weights[start:end], 0.0],
            has_types=types_labeled,
        )
        if end == len(offsets):
            break
