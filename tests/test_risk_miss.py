"""缺失条款 rules: each PASSes on the complete base contract and HITs when its clause is taken away."""

from __future__ import annotations

import pytest
from risk_helpers import BASE, build, results, status


def test_the_base_contract_misses_nothing() -> None:
    missing = {
        rid: r.status for rid, r in results().items() if rid.startswith("R-MISS") and r.status == "HIT"
    }
    assert missing == {}


@pytest.mark.parametrize(
    ("rule_id", "replace"),
    [
        ("R-MISS-001", {"breach_supplier": None, "breach_buyer": None}),
        ("R-MISS-002", {"dispute": None}),
        # the acceptance-anchored payment unit is typed ACCEPTANCE too, so it loses that type here
        ("R-MISS-003", {"acceptance": None, "pay2": (BASE["pay2"][0], ("PAYMENT",))}),
        ("R-MISS-008", {"pay1": None, "pay2": None, "pay3": None, "bond": None}),
        ("R-MISS-015", {"termination": None}),
        ("R-MISS-017", {"force_majeure": None}),
    ],
)
def test_a_removed_clause_is_missing(rule_id: str, replace: dict) -> None:
    assert status(rule_id, build(replace=replace)) == "HIT"
    assert status(rule_id) == "PASS"


def test_missing_acceptance_period_only_under_the_2025_regulation() -> None:
    vague = "甲方应按采购需求组织验收，并出具验收书。"
    doc = build(replace={"acceptance": vague})
    assert status("R-MISS-004", doc) == "HIT"
    assert status("R-MISS-004") == "PASS"
    signed_2024 = build(
        replace={"acceptance": vague, "signature": "甲方（盖章）乙方（盖章）签字：[[2024年7月1日|DATE_SIGN]]"}
    )
    assert status("R-MISS-004", signed_2024) == "NOT_APPLICABLE"
    assert status("R-MISS-004", doc, supplier_size="大型") == "NOT_APPLICABLE"


def test_blank_signing_date() -> None:
    blank = (
        "甲方（盖章）：  负责人（签字）：  乙方（盖章）：  法定代表人（签字）：  签订日期：    年    月    日"
    )
    assert status("R-MISS-005", build(replace={"signature": blank})) == "HIT"
    assert status("R-MISS-005") == "PASS"


def test_missing_term_unless_a_dated_or_timed_node_exists() -> None:
    no_term = build(replace={"term": None, "delivery": "乙方应按甲方要求提供服务。"})
    assert status("R-MISS-006", no_term) == "HIT"
    assert status("R-MISS-006", build(replace={"term": None})) == "PASS"  # the delivery node has a period


def test_missing_price() -> None:
    assert status("R-MISS-007", build(replace={"price": "合同价款按实际发生的工作量另行结算。", "pay1": None,
                                                "pay2": None, "pay3": None})) == "HIT"  # fmt: skip
    assert status("R-MISS-007") == "PASS"


def test_incomplete_party_identity_lists_what_is_missing() -> None:
    bare = "乙方（供应商）：[[浙江瓯信（温州）科技有限公司|PARTY_B]]，电话：[[13957700123|PHONE]]"
    result = results(build(replace={"supplier": bare}))["R-MISS-009"]
    assert result.status == "HIT"
    assert "供应商统一社会信用代码" in result.message and "供应商住所" in result.message
    assert status("R-MISS-009") == "PASS"


def test_signature_block_needs_seal_and_signature_cues() -> None:
    unsigned = (
        "甲方：[[温州市瓯江区数据管理中心|PARTY_A]]  乙方：[[浙江瓯信（温州）科技有限公司|PARTY_B]]  "
        "日期：[[2025年7月1日|DATE_SIGN]]"
    )
    result = results(build(replace={"signature": unsigned}))["R-MISS-010"]
    assert result.status == "HIT" and "盖章" in result.message and "签字" in result.message
    assert status("R-MISS-010") == "PASS"


def test_quality_standard_absent() -> None:
    doc = build(
        replace={
            "scope": ("乙方负责甲方信息系统的日常维护工作。", ("SUBJECT",)),
            "acceptance": "[[甲方应在收到乙方申请后[[10个工作日内|PERIOD]]组织验收|CL_MS_ACCEPT]]。",
        }
    )
    assert status("R-MISS-011", doc) == "HIT"
    assert status("R-MISS-011") == "PASS"


def test_tax_location_required_for_works_or_by_config() -> None:
    no_location = build(replace={"tax": "[[因履行本合同发生的税费由双方按国家规定各自承担|CL_TAX]]。"})
    assert status("R-MISS-012", no_location) == "NOT_APPLICABLE"  # a service contract, default config
    assert status("R-MISS-012", no_location, category="工程") == "HIT"
    assert status("R-MISS-012", no_location, tax_location_required=True) == "HIT"
    assert status("R-MISS-012", tax_location_required=True) == "PASS"


def test_confidentiality_missing_for_a_data_service() -> None:
    assert status("R-MISS-013", build(replace={"confidentiality": None})) == "HIT"
    cleaning = build(
        replace={
            "confidentiality": None,
            "scope": ("乙方为甲方办公楼提供保洁服务，服务标准详见采购需求。", ("SERVICE_SCOPE",)),
        }
    )
    assert status("R-MISS-013", cleaning) == "NOT_APPLICABLE"


def test_ip_missing_for_custom_development() -> None:
    dev = ("乙方为甲方定制开发政务数据共享平台，功能需求详见采购需求。", ("SUBJECT", "SERVICE_SCOPE"))
    assert status("R-MISS-014", build(replace={"scope": dev, "ip": None})) == "HIT"
    assert status("R-MISS-014", build(replace={"scope": dev})) == "PASS"


def test_buyer_late_payment_liability_for_smes() -> None:
    doc = build(replace={"breach_buyer": None})
    assert status("R-MISS-016", doc) == "HIT"
    assert status("R-MISS-016") == "PASS"
    assert status("R-MISS-016", doc, supplier_size="大型") == "NOT_APPLICABLE"
    unknown = results(doc, supplier_size="unknown")["R-MISS-016"]
    assert unknown.status == "HIT" and "SME_UNKNOWN" in unknown.assumptions


def test_contract_and_project_numbers() -> None:
    assert status("R-MISS-018", build(replace={"numbers": None})) == "HIT"
    assert status("R-MISS-018") == "PASS"
    assert status("R-MISS-018", build(replace={"numbers": None}), regime="其他") == "NOT_APPLICABLE"


def test_labour_cost_cycle_in_construction_contracts() -> None:
    works = {
        "title": "[[瓯江区行政中心维修改造工程施工合同|CONTRACT_NAME]]",
        "scope": ("乙方承包行政中心维修改造工程的全部施工任务，质量标准为合格。", ("WORKS_SCOPE",)),
    }
    assert status("R-MISS-019", build(replace=works), category="工程") == "HIT"
    cycle = ("工程进度款按月计量，人工费用按月足额拨付至农民工工资专用账户。", ("PERSONNEL_SAFETY",))
    assert status("R-MISS-019", build(replace=works, add={"labour": cycle}), category="工程") == "PASS"
    assert status("R-MISS-019") == "NOT_APPLICABLE"
