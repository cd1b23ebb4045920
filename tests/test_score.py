"""Tests for hetong.score (spec Part E): every E.5 worked example, E.2 details and hypothesis properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hetong.score import RuleHit, hit_weight, score_hits


def _h(n: int, severity: str, **kw: object) -> RuleHit:
    return RuleHit(rule_id=kw.pop("rule_id", f"R-GEN-{n:03d}"), category="一般风险", severity=severity, **kw)  # type: ignore[arg-type]


E5 = [
    ("one high", [_h(1, "high")], "30.0", "黄"),
    ("two high", [_h(1, "high"), _h(2, "high")], "51.0", "橙"),
    ("three high", [_h(1, "high"), _h(2, "high"), _h(3, "high")], "65.7", "红"),
    ("high + two medium", [_h(1, "high"), _h(2, "medium"), _h(3, "medium")], "45.8", "橙"),
    (
        "high + two medium + low",
        [_h(1, "high"), _h(2, "medium"), _h(3, "medium"), _h(4, "low")],
        "48.0",
        "橙",
    ),
    (
        "two high + medium + two low",
        [_h(1, "high"), _h(2, "high"), _h(3, "medium"), _h(4, "low"), _h(5, "low")],
        "60.3",
        "红",
    ),
    ("one medium", [_h(1, "medium")], "12.0", "蓝"),
    ("three medium", [_h(1, "medium"), _h(2, "medium"), _h(3, "medium")], "31.9", "黄"),
    ("five low", [_h(n, "low") for n in range(5)], "18.5", "蓝"),
    ("one high with SME_UNKNOWN", [_h(1, "high", assumptions=("SME_UNKNOWN",))], "15.0", "蓝"),
    (
        "R-COMP-005 with SME_UNKNOWN: floor 红 drops to 橙",
        [_h(0, "high", rule_id="R-COMP-005", floor="红", assumptions=("SME_UNKNOWN",))],
        "15.0",
        "橙",
    ),
    (
        "R-COMP-001 + low-confidence medium",
        [_h(0, "high", rule_id="R-COMP-001", floor="橙"), _h(2, "medium", confidence=0.4)],
        "34.2",
        "橙",
    ),
]


@pytest.mark.parametrize(("hits", "score", "level"), [row[1:] for row in E5], ids=[row[0] for row in E5])
def test_e5_worked_examples(hits: list[RuleHit], score: str, level: str) -> None:
    result = score_hits(hits)
    assert result.score == Decimal(score)
    assert result.level == level


def test_weights_and_review_flag() -> None:
    assert hit_weight(_h(1, "high", assumptions=("SME_UNKNOWN",))) == Decimal("0.15")
    assert hit_weight(_h(1, "medium", confidence=0.49)) == Decimal("0.06")
    assert hit_weight(_h(1, "medium", confidence=0.50)) == Decimal("0.12")
    assert hit_weight(_h(1, "high", assumptions=("role_assumed",), confidence=0.1)) == Decimal("0.075")
    assert hit_weight(_h(1, "low", weight=0.2)) == Decimal("0.2")
    result = score_hits([_h(1, "medium", confidence=0.3)])
    assert result.hits[0].review_required
    assert not score_hits([_h(1, "medium")]).hits[0].review_required


def test_rule_counts_once_with_largest_weight_and_all_evidence() -> None:
    hits = [
        _h(1, "high", assumptions=("SME_UNKNOWN",), evidence=((10, 20),)),
        _h(1, "high", evidence=((50, 60),)),
    ]
    result = score_hits(hits)
    assert result.score == Decimal("30.0")
    assert len(result.hits) == 1 and result.hits[0].evidence == ((10, 20), (50, 60))
    assert not result.hits[0].review_required


def test_statuses_and_suppression() -> None:
    hits = [
        _h(1, "high", status="NOT_EVALUABLE", rule_id="R-COMP-013"),
        _h(2, "high", status="NOT_APPLICABLE"),
        _h(3, "high", status="PASS"),
        RuleHit("R-MISS-001", "缺失条款", "high", suppresses=("SER-001", "R-COMP-001")),
        RuleHit("R-SER-001", "严重风险", "high", floor="橙", evidence=((0, 5),)),
    ]
    result = score_hits(hits)
    assert result.score == Decimal("30.0") and result.level == "黄"
    assert result.not_evaluable == ("R-COMP-013",) and result.suppressed == ("R-SER-001",)
    # Suppression needs the same evidence when both hits carry spans.
    apart = [
        RuleHit("R-SER-009", "严重风险", "low", evidence=((100, 120),), suppresses=("R-SER-007",)),
        RuleHit("R-SER-007", "严重风险", "low", evidence=((0, 10),)),
    ]
    assert score_hits(apart).suppressed == ()
    overlap = [apart[0], RuleHit("R-SER-007", "严重风险", "low", evidence=((110, 130),))]
    assert score_hits(overlap).suppressed == ("R-SER-007",)


def test_output_record_like_e6() -> None:
    hits = [
        RuleHit(
            "R-COMP-005",
            "合规性",
            "high",
            evidence=((812, 871),),
            basis=("保障中小企业款项支付条例(2025) 第9条第1款 [V]",),
        ),
        RuleHit("R-SER-003", "严重风险", "medium"),
        RuleHit("R-GEN-004", "一般风险", "low"),
        RuleHit("R-MISS-002", "缺失条款", "medium"),
    ]
    record = score_hits(hits, contract_id="c1", performance_light="红").to_dict()
    assert record["score"] == 48.0 and record["level"] == "橙"
    assert record["sub_scores"] == {"合规性": 30.0, "严重风险": 12.0, "一般风险": 4.0, "缺失条款": 12.0}
    assert record["hits"][0]["rule"] == "R-COMP-005" and record["hits"][0]["evidence"] == [[812, 871]]
    assert record["hits"][0]["weight"] == 0.3 and record["performance_light"] == "红"
    assert record["rule_version"] == "0.1" and record["contract_id"] == "c1"
    assert score_hits([]).to_dict()["score"] == 0.0 and score_hits([]).level == "蓝"


HITS = st.builds(
    RuleHit,
    rule_id=st.sampled_from([f"R-GEN-{n:03d}" for n in range(8)] + ["R-COMP-005", "R-COMP-001"]),
    category=st.sampled_from(["合规性", "严重风险", "一般风险", "缺失条款"]),
    severity=st.sampled_from(["high", "medium", "low"]),
    status=st.sampled_from(["HIT", "HIT", "HIT", "PASS", "NOT_APPLICABLE", "NOT_EVALUABLE"]),
    floor=st.sampled_from([None, None, "橙", "红"]),
    confidence=st.one_of(st.none(), st.floats(min_value=0, max_value=1)),
    assumptions=st.sampled_from([(), ("SME_UNKNOWN",)]),
    evidence=st.lists(st.tuples(st.integers(0, 100), st.integers(101, 200)), max_size=2).map(tuple),
)
_LEVEL_RANK = {"蓝": 0, "黄": 1, "橙": 2, "红": 3}


@settings(max_examples=150, deadline=None)
@given(hits=st.lists(HITS, max_size=12), extra=HITS)
def test_adding_a_hit_never_lowers_score_or_level(hits: list[RuleHit], extra: RuleHit) -> None:
    before, after = score_hits(hits), score_hits([*hits, extra])
    assert after.score >= before.score
    assert _LEVEL_RANK[after.level] >= _LEVEL_RANK[before.level]
    assert Decimal(0) <= after.score <= Decimal(100)


@settings(max_examples=100, deadline=None)
@given(hits=st.lists(HITS, max_size=12), data=st.data())
def test_order_independent(hits: list[RuleHit], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(hits))
    assert score_hits(hits).to_dict() == score_hits(shuffled).to_dict()
