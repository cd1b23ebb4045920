"""Planted risks show up in the gold spans and text the way the spec's rule would see them; clean
documents carry none of the risky wording."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from random import Random

import pytest

from hetong import lexicons as lx
from hetong.assemble import assemble
from hetong.boundaries import check_document
from hetong.normalize import normalize_amount, normalize_date, normalize_period, normalize_rate
from hetong.schema import Document
from training.generator import generate
from training.planting import PLANTS, Planter, plant_rule

SEEDS = range(12)


def _planted(rule: str, seed: int) -> Document:
    return generate(seed, plant=lambda bp: plant_rule(bp, rule, Random(seed)))


def _values(doc: Document, label: str) -> list[str]:
    return [span.text(doc.text) for span in doc.ent if span.label == label]


def _has(doc: Document, label_or_type: str) -> bool:
    return any(s.label == label_or_type for s in doc.ent + doc.cl) or any(
        label_or_type in u.types for u in doc.units
    )


def _fraction(text: str) -> Decimal:
    return Decimal(normalize_rate(text)["fraction"])


def _amount(text: str) -> Decimal:
    return Decimal(normalize_amount(text)["value"])


MISSING = {
    "R-MISS-001": ("CL_BREACH", "BREACH"),
    "R-MISS-002": ("CL_DISPUTE", "DISPUTE"),
    "R-MISS-003": ("CL_MS_ACCEPT", "ACCEPTANCE"),
    "R-MISS-015": ("CL_TERMINATION", "TERMINATION"),
    "R-MISS-017": ("FORCE_MAJEURE",),
}
LEXICAL = {
    "R-COMP-006": lx.LEX_FUNDS_COND,
    "R-COMP-007": lx.LEX_AUDIT_SETTLE,
    "R-COMP-011": lx.LEX_GUARANTEE,
    "R-COMP-024": lx.LEX_ANY_TERMINATION,
    "R-SER-008": lx.LEX_AUTO_RENEW,
}


@pytest.mark.parametrize("rule", sorted(MISSING))
@pytest.mark.parametrize("seed", SEEDS)
def test_missing_clauses_are_really_missing(rule: str, seed: int) -> None:
    doc = _planted(rule, seed)
    assert doc.meta["planted"] == [rule]
    assert not any(_has(doc, name) for name in MISSING[rule])
    assert any(_has(generate(seed), name) for name in MISSING[rule]), "the clean twin has the clause"


@pytest.mark.parametrize("rule", sorted(LEXICAL))
@pytest.mark.parametrize("seed", SEEDS)
def test_risky_wording_is_planted(rule: str, seed: int) -> None:
    assert LEXICAL[rule].matches(_planted(rule, seed).text)


@pytest.mark.parametrize("seed", SEEDS)
def test_value_plants(seed: int) -> None:
    upper, lower = (
        _values(_planted("R-SER-001", seed), label)[0] for label in ("AMT_TOTAL_UPPER", "AMT_TOTAL_LOWER")
    )
    assert _amount(upper) != _amount(lower)

    clean = generate(seed)
    for rule, label in (("R-SER-002", "AMT_INSTALLMENT"), ("R-SER-003", "RATE_PAYMENT")):
        before = sorted(map(_amount if label.startswith("AMT") else _fraction, _values(clean, label)))
        after = sorted(
            map(_amount if label.startswith("AMT") else _fraction, _values(_planted(rule, seed), label))
        )
        assert before != after, rule

    # The blueprint's total: a contract may print it in 大写 only.
    doc = _planted("R-COMP-012", seed)
    total = Decimal(doc.meta["facts"]["total"])
    assert max(_amount(t) for t in _values(doc, "AMT_DEPOSIT")) / total > Decimal("0.2")

    doc = _planted("R-COMP-001", seed)
    total = Decimal(doc.meta["facts"]["total"])
    bonds = [_fraction(t) for t in _values(doc, "RATE_BOND")] + [
        _amount(t) / total for t in _values(doc, "AMT_PERF_BOND")
    ]
    assert max(bonds) > Decimal("0.1")

    doc = _planted("R-COMP-005", seed)
    assert doc.meta["request"]["supplier_size"] in ("小型", "微型", "中型")
    assert max(normalize_period(t)["days"] for t in _values(doc, "PERIOD")) > 60

    doc = _planted("R-SER-004", seed)
    assert max(_fraction(t) for t in _values(doc, "RATE_PENALTY")) >= Decimal("0.005")

    doc = _planted("R-SER-012", seed)
    end = dt.date.fromisoformat(doc.meta["facts"]["end"])
    nodes = [dt.date.fromisoformat(normalize_date(t)["iso"]) for t in _values(doc, "DATE_NODE")]
    assert max(nodes) > end

    doc = _planted("R-MISS-005", seed)
    assert _values(doc, "DATE_SIGN") == []
    assert any(
        blank in doc.text for blank in ("    年    月    日", "____年__月__日", "＿＿＿＿年＿＿月＿＿日")
    )
    assert _values(generate(seed), "DATE_SIGN"), "the clean twin states its signing date"


@pytest.mark.parametrize("seed", SEEDS)
def test_clean_documents_carry_no_risky_wording_or_values(seed: int) -> None:
    doc = generate(seed)
    assert doc.meta["planted"] == []
    # LEX_ANY_TERMINATION also matches lawful termination rights with a stated ground ("乙方破产的，甲方有权
    # 单方解除"); R-COMP-024 tells them apart, so it is checked at the rule level, not here.
    for rule, lexicon in LEXICAL.items():
        if rule != "R-COMP-024":
            assert not lexicon.matches(doc.text), (lexicon.name, doc.doc_id)
    daily = [p for p in assemble(doc).penalties if p.per == "day" and p.fraction is not None]
    assert all(Decimal(p.fraction) <= Decimal("0.001") for p in daily)  # type: ignore[arg-type]
    upper, lower = _values(doc, "AMT_TOTAL_UPPER"), _values(doc, "AMT_TOTAL_LOWER")
    assert {_amount(t) for t in upper + lower} == {Decimal(doc.meta["facts"]["total"])}


def test_planter_is_deterministic_respects_probability_and_stays_clean() -> None:
    planter = Planter(probability=0.5, max_rules=2)
    docs = [generate(seed, plant=planter) for seed in range(80)]
    assert [d.meta["planted"] for d in docs] == [
        generate(s, plant=planter).meta["planted"] for s in range(80)
    ]
    planted = [d for d in docs if d.meta["planted"]]
    assert 25 <= len(planted) <= 55
    assert all(1 <= len(d.meta["planted"]) <= 2 for d in planted)
    assert all(check_document(d) == [] for d in docs)


def test_every_plant_is_tested() -> None:
    assert set(PLANTS) == set(MISSING) | set(LEXICAL) | {
        "R-SER-001",
        "R-SER-002",
        "R-SER-003",
        "R-COMP-001",
        "R-COMP-005",
        "R-COMP-012",
        "R-SER-004",
        "R-SER-012",
        "R-MISS-005",
    }
