"""The synthetic contract generator: deterministic, boundary-clean gold spans, banks that render."""

from __future__ import annotations

from collections import Counter
from random import Random

import pytest

from hetong.boundaries import check_document
from hetong.normalize import normalize_amount
from hetong.schema import CL_LABELS, ENT_LABELS, Document
from hetong.segment import segment
from training.clause_bank import CATEGORIES, load_banks
from training.generator import SECTIONS, fresh_slots, generate, make_blueprint
from training.markup import render

N_DOCS = 150


@pytest.fixture(scope="module")
def documents():
    return [generate(seed) for seed in range(N_DOCS)]


def test_same_seed_same_document_and_seeds_differ() -> None:
    assert generate(7).to_json() == generate(7).to_json()
    assert generate(7).text != generate(8).text


def test_every_generated_span_follows_the_boundary_rules(documents) -> None:
    problems = [f"{doc.doc_id}: {v}" for doc in documents for v in check_document(doc)]
    assert problems == []


def test_units_are_the_segmenters_units_with_types(documents) -> None:
    for doc in documents[:30]:
        assert [(u.start, u.end) for u in doc.units] == [(u.start, u.end) for u in segment(doc.text)]
        assert all(u.types for u in doc.units)


def test_labels_and_categories_are_all_covered(documents) -> None:
    ent = Counter(span.label for doc in documents for span in doc.ent)
    cl = Counter(span.label for doc in documents for span in doc.cl)
    tier1 = {label.name for label in ENT_LABELS if label.tier == 1}
    assert tier1 - set(ent) == set()
    assert {label.name for label in CL_LABELS} - set(cl) == set()
    assert {doc.meta["category"] for doc in documents} == set(CATEGORIES)


def test_the_total_is_stated_consistently(documents) -> None:
    for doc in documents:
        totals = {
            normalize_amount(span.text(doc.text))["value"]
            for span in doc.ent
            if span.label in ("AMT_TOTAL_UPPER", "AMT_TOTAL_LOWER")
        }
        assert totals == {doc.meta["facts"]["total"]}, doc.doc_id


@pytest.mark.parametrize("name", sorted(load_banks()))
def test_every_template_of_every_bank_renders_clean(name: str) -> None:
    """Each template, filled from real blueprints, gives spans that pass the boundary validator."""
    bank = load_banks()[name]
    for index, template in enumerate(bank.templates):
        for seed in range(3):
            bp = make_blueprint(seed)
            values = dict(bp.slots) | dict(bp.nodes[0].slots) | fresh_slots(Random(seed))
            rendered = render(template.text, {k: values[k] for k in template.slots})
            doc = Document(f"{name}-{index}", rendered.text, rendered.ent, rendered.cl)
            assert check_document(doc) == [], (name, index, [str(v) for v in check_document(doc)])


def test_every_section_has_a_bank_with_headings() -> None:
    banks = load_banks()
    for section in SECTIONS:
        assert section.bank in banks
        if section.numbered:
            assert banks[section.bank].headings, section.bank
