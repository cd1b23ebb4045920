"""The schema mirrors the domain spec's tables, and the span/document types enforce its layer rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hetong.schema import (
    CL_LABELS,
    CLAUSE_TYPES,
    ENT_LABELS,
    Document,
    SchemaError,
    Span,
    Unit,
    bio_tags,
    labels,
    precedence_rank,
)

SPEC = Path(__file__).resolve().parent.parent.parent / "shared" / "docs" / "domain-spec.md"
_LABEL_ROW = re.compile(r"^\| (\d+) \| ([A-Z_]+) \| ([^|]+?) \|(?: (\d) \|)?$")
_TYPE_ROW = re.compile(r"^\| (\d+) \| ([A-Z_]+) \| ([^|]+?) \| ([^|]+?) \|")


@pytest.fixture(scope="module")
def spec_lines() -> list[str]:
    if not SPEC.is_file():
        pytest.fail(f"domain spec not found at {SPEC}")
    return SPEC.read_text(encoding="utf-8").splitlines()


def test_span_labels_match_the_spec_table(spec_lines: list[str]) -> None:
    start = spec_lines.index("## A.1 Label inventory (summary)")
    end = spec_lines.index("## A.2 ENT-layer label definitions")
    rows = [m.groups() for line in spec_lines[start:end] if (m := _LABEL_ROW.match(line))]
    ours = [(str(lb.number), lb.name, lb.zh) for lb in (*ENT_LABELS, *CL_LABELS)]
    assert ours == [(number, name, zh) for number, name, zh, _tier in rows]
    tiers = {name: int(tier) for _n, name, _zh, tier in rows if tier}
    assert {lb.name: lb.tier for lb in ENT_LABELS} == tiers


def test_clause_types_match_part_b(spec_lines: list[str]) -> None:
    start = spec_lines.index("# Part B — Clause Types (clause-unit classification)")
    end = spec_lines.index("# Part C — Risk Rule Catalog")
    rows = [m.groups()[:3] for line in spec_lines[start:end] if (m := _TYPE_ROW.match(line))]
    assert [(str(ct.number), ct.name, ct.zh) for ct in CLAUSE_TYPES] == rows
    assert len(CLAUSE_TYPES) == 34


def test_bio_tag_counts_are_the_specs() -> None:
    assert len(ENT_LABELS) == 41 and len(CL_LABELS) == 10
    assert len(bio_tags("ENT")) == 83 and len(bio_tags("CL")) == 21
    assert bio_tags("ENT")[:3] == ("O", "B-PARTY_A", "I-PARTY_A")
    tier1 = bio_tags("ENT", max_tier=1)
    assert "B-AUTH_REP" not in tier1 and "B-PERF_PLACE" not in tier1 and "B-USCC" in tier1
    assert len(labels("ENT", max_tier=1)) == 41 - 5


def test_precedence_follows_g11() -> None:
    ranks = [
        precedence_rank(n) for n in ("AMT_TOTAL_LOWER", "RATE_PENALTY", "DATE_SIGN", "PERIOD", "PARTY_A")
    ]
    assert ranks == sorted(ranks) and len(set(ranks)) == 5


def _doc() -> Document:
    text = "甲方：温州市瓯江区教育局。合同总价：¥1,200,000.00元。"
    return Document(
        doc_id="T-1",
        text=text,
        ent=[Span(3, 12, "PARTY_A", 0.98), Span(18, 32, "AMT_TOTAL_LOWER")],
        cl=[],
        units=[Unit(0, 13, ("PARTIES",)), Unit(13, len(text), ("PRICE",), (0.91,))],
        meta={"source": "test"},
    )


def test_document_round_trips_through_jsonl() -> None:
    doc = _doc()
    doc.validate()
    line = json.dumps(doc.to_json(), ensure_ascii=False)
    again = Document.from_json(json.loads(line))
    assert again == doc
    assert doc.ent[0].text(doc.text) == "温州市瓯江区教育局"
    assert doc.ent[1].text(doc.text) == "¥1,200,000.00元"
    assert "score" not in doc.ent[1].to_json()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.ent.append(Span(0, 99, "PARTY")), "outside the text"),
        (lambda d: d.ent.append(Span(5, 5, "PARTY")), "outside the text"),
        (lambda d: d.ent.append(Span(10, 14, "PHONE")), "overlap"),
        (lambda d: d.ent.append(Span(0, 2, "CL_BREACH")), "not a ENT label"),
        (lambda d: d.cl.append(Span(0, 2, "PARTY_A")), "not a CL label"),
        (lambda d: d.units.append(Unit(0, 3, ("PAYMENTS",))), "unknown clause type"),
    ],
)
def test_validate_rejects_what_the_spec_forbids(mutate, message: str) -> None:
    doc = _doc()
    mutate(doc)
    with pytest.raises(SchemaError, match=message):
        doc.validate()


def test_from_json_refuses_records_without_text() -> None:
    with pytest.raises(SchemaError):
        Document.from_json({"doc_id": "x"})
