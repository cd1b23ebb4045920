"""The rule catalog mirrors spec Part C, the engine's outcomes and scoring, and the generated rule table."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from risk_helpers import build, results

from hetong.risk import ReviewMetadata, evaluate, load_catalog, score
from hetong.risk.engine import DETECTORS, UNIMPLEMENTED, load_rules
from hetong.risk.table import rule_table_markdown
from hetong.schema import Span

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO.parent / "shared" / "docs" / "domain-spec.md"


@pytest.fixture(scope="module")
def spec_rules() -> dict[str, tuple[str, str, str]]:
    if not SPEC.is_file():
        pytest.fail(f"domain spec not found at {SPEC}")
    text = SPEC.read_text(encoding="utf-8")
    found = re.findall(
        r"^#### (R-[A-Z]+-\d{3}) (.+)\n\* \*\*category/severity:\*\* (\S+) / (high|medium|low)", text, re.M
    )
    return {rule_id: (title.strip(), category, severity) for rule_id, title, category, severity in found}


def test_catalog_matches_the_spec(spec_rules: dict[str, tuple[str, str, str]]) -> None:
    catalog = load_catalog()
    assert len(catalog) == 75 == len(spec_rules)
    assert {rid: (r.title, r.category, r.severity) for rid, r in catalog.items()} == spec_rules
    assert all(r.fix and r.basis for r in catalog.values())


def test_fix_texts_are_the_specs() -> None:
    text = SPEC.read_text(encoding="utf-8")
    fixes = dict(
        re.findall(
            r'^#### (R-[A-Z]+-\d{3}) [^\n]*\n(?:(?!#### )[^\n]*\n)*?\* \*\*fix:\*\* "(.*)"$', text, re.M
        )
    )
    assert {rid: r.fix for rid, r in load_catalog().items()} == fixes


def test_suppression_lists_are_the_specs() -> None:
    suppresses = {rid: r.suppresses for rid, r in load_catalog().items() if r.suppresses}
    assert suppresses == {
        "R-MISS-007": ("R-SER-001", "R-SER-002", "R-SER-003", "R-COMP-001"),
        "R-COMP-024": ("R-SER-007",),
        "R-SER-003": ("R-SER-002",),
    }


def test_counts_per_category_and_severity_are_those_of_c6() -> None:
    counts = Counter((r.family, r.severity) for r in load_catalog().values())
    c6 = {"MISS": (5, 11, 3), "COMP": (11, 13, 1), "SER": (8, 10, 1), "GEN": (0, 5, 7)}
    for family, (high, medium, low) in c6.items():
        assert (counts[family, "high"], counts[family, "medium"], counts[family, "low"]) == (
            high,
            medium,
            low,
        )


def test_floors_are_those_of_e4() -> None:
    floors = {rid: r.floor for rid, r in load_catalog().items() if r.floor}
    assert {rid for rid, f in floors.items() if f == "红"} == {"R-COMP-005", "R-COMP-011"}
    assert {"R-COMP-001", "R-COMP-003", "R-COMP-006", "R-COMP-014", "R-SER-001"} <= set(floors)


def test_registry_and_unimplemented_list_are_disjoint_and_in_the_catalog() -> None:
    load_rules()
    assert set(DETECTORS) <= set(load_catalog())
    assert not set(DETECTORS) & set(UNIMPLEMENTED)


def test_every_rule_gets_exactly_one_result_in_catalog_order() -> None:
    outcome = evaluate(build(), ReviewMetadata(today="2025-10-01"))
    assert [r.rule_id for r in outcome] == list(load_catalog())
    assert {r.status for r in outcome} <= {"HIT", "PASS", "NOT_APPLICABLE", "NOT_EVALUABLE"}
    for result in outcome:
        if result.status in ("NOT_APPLICABLE", "NOT_EVALUABLE"):
            assert result.reason, result.rule_id


def test_a_low_confidence_hit_is_halved_and_flagged_for_review() -> None:
    """E.2: a hit resting on a model span below 0.50 confidence counts half and is marked 待复核."""
    predicted = build(replace={"supplier": "乙方：[[浙江瓯信（温州）科技有限公司|PARTY_B]]"})
    predicted.ent = [
        Span(s.start, s.end, s.label, 0.3 if s.label == "PARTY_B" else 0.99) for s in predicted.ent
    ]
    result = {r.rule_id: r for r in evaluate(predicted, ReviewMetadata(today="2025-10-01"))}["R-MISS-009"]
    assert result.status == "HIT" and result.confidence == pytest.approx(0.3)
    scored = {h.rule_id: h for h in score([result]).hits}["R-MISS-009"]
    assert scored.review_required and float(scored.weight) == pytest.approx(0.06)


def test_the_base_contract_scores_low() -> None:
    scored = score(results().values())
    assert scored.level == "蓝", [h.rule_id for h in scored.hits]


def test_the_rule_table_in_docs_is_generated_from_the_catalog() -> None:
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rule_table_markdown(), "docs/rules.md is stale: run `make docs`"
