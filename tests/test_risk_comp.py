"""合规性 rules: each PASSes on the compliant base contract and HITs on a realistic unlawful clause."""

from __future__ import annotations

from typing import Any

import pytest
from risk_helpers import build, results, status

from hetong.risk import RuleResult
from hetong.schema import Document

WORKS: dict[str, Any] = {
    "title": "[[瓯江区行政中心维修改造工程施工合同|CONTRACT_NAME]]",
    "scope": (
        "乙方承包行政中心维修改造工程的全部施工任务，质量标准为合格，工程地点为"
        "[[温州市瓯江区江滨路88号|PERF_PLACE]]。",
        ("SUBJECT", "WORKS_SCOPE"),
    ),
}


def comp(rule_id: str, doc: Document | None = None, **meta: Any) -> RuleResult:
    return results(doc, **meta)[rule_id]


def evidence_text(result: RuleResult, doc: Document) -> list[str]:
    return [doc.text[start:end] for start, end in result.evidence]


def test_the_base_contract_is_compliant() -> None:
    hits = {rid: r.message for rid, r in results().items() if rid.startswith("R-COMP") and r.status == "HIT"}
    assert hits == {}


# ------------------------------------------------------------------------------------------------ bonds


def test_performance_bond_over_ten_percent() -> None:
    bond = (
        "乙方应在合同签订前以银行保函形式提交合同总价[[15%|RATE_BOND]]的履约保证金，即[[¥180,000.00|AMT_PERF_BOND]]。",
        ("BOND",),
    )
    doc = build(replace={"bond": bond})
    result = comp("R-COMP-001", doc)
    assert result.status == "HIT" and "15%" in result.message
    assert "15%" in evidence_text(result, doc)
    assert status("R-COMP-001") == "PASS"
    amount_only = build(replace={"bond": ("乙方应提交履约保证金[[¥240,000.00|AMT_PERF_BOND]]。", ("BOND",))})
    assert comp("R-COMP-001", amount_only).message == "履约保证金比例20%超过合同金额的10%"
    no_bond = build(replace={"bond": ("本项目不收取履约保证金。", ("BOND",))})
    assert status("R-COMP-001", no_bond) == "NOT_APPLICABLE"
    assert status("R-COMP-001", doc, regime="其他") == "NOT_APPLICABLE"


def test_bond_limited_to_cash() -> None:
    cash = "乙方应在合同签订前以现金方式缴纳合同总价[[5%|RATE_BOND]]的履约保证金，不接受银行保函。"
    doc = build(replace={"bond": cash})
    result = comp("R-COMP-002", doc)
    assert result.status == "HIT" and "不接受银行保函" in "".join(evidence_text(result, doc))
    either = "履约保证金可以转账方式缴纳，也可以银行保函、保险保函等非现金形式提交。"
    assert status("R-COMP-002", build(replace={"bond": either})) == "PASS"
    assert status("R-COMP-002") == "PASS"
    assert status("R-COMP-002", doc, regime="其他", buyer_type="国有企业") == "NOT_APPLICABLE"


def test_works_deposits_beyond_the_four_lawful_ones() -> None:
    extra = ("承包人应在进场前向发包人缴纳安全文明施工保证金人民币50000元。", ("BOND",))
    doc = build(replace=WORKS, add={"extra": extra})
    result = comp("R-COMP-003", doc, category="工程")
    assert result.status == "HIT" and evidence_text(result, doc) == ["安全文明施工保证金"]
    waived = ("发包人不收取安全文明施工保证金、进度保证金等其他保证金。", ("BOND",))
    assert status("R-COMP-003", build(replace=WORKS, add={"extra": waived}), category="工程") == "PASS"
    assert status("R-COMP-003", doc) == "NOT_APPLICABLE"  # a service contract


def test_works_retention_over_three_percent() -> None:
    retention = (
        "[[剩余[[5%|RATE_BOND]]作为工程质量保证金，缺陷责任期满后[[28日内|PERIOD]]无息退还|CL_MS_PAY]]。"
    )
    doc = build(replace={**WORKS, "pay3": retention, "warranty": None})
    result = comp("R-COMP-004", doc, category="工程")
    assert result.status == "HIT" and evidence_text(result, doc) == ["5%"]
    lawful = retention.replace("[[5%|RATE_BOND]]", "[[3%|RATE_BOND]]")
    assert status("R-COMP-004", build(replace={**WORKS, "pay3": lawful}), category="工程") == "PASS"
    assert status("R-COMP-004", doc) == "NOT_APPLICABLE"  # 质保金 of services has no national cap


# ------------------------------------------------------------------------------------------------ payment


def test_sme_payment_period_over_sixty_days() -> None:
    late = (
        "（2）[[项目验收合格后[[90日内|PERIOD]]，甲方支付合同总价的[[65%|RATE_PAYMENT]]，"
        "即[[¥780,000.00|AMT_INSTALLMENT]]|CL_MS_PAY]]；"
    )
    doc = build(replace={"pay2": late})
    result = comp("R-COMP-005", doc)
    assert result.status == "HIT" and "90日" in result.message
    assert evidence_text(result, doc)[0].startswith("项目验收合格后90日内")
    chain = (
        "（2）[[项目验收合格后[[15日内|PERIOD]]出具结算单，结算单确认后[[50日内|PERIOD]]甲方支付合同总价的"
        "[[65%|RATE_PAYMENT]]|CL_MS_PAY]]；"
    )
    assert "65日" in comp("R-COMP-005", build(replace={"pay2": chain})).message
    assert status("R-COMP-005") == "PASS"  # 15 days after acceptance
    assert status("R-COMP-005", doc, supplier_size="大型") == "NOT_APPLICABLE"
    unknown = comp("R-COMP-005", doc, supplier_size="unknown")
    assert unknown.status == "HIT" and "SME_UNKNOWN" in unknown.assumptions
    no_nodes = build(replace={"pay1": None, "pay2": None, "pay3": None, "bond": None})
    assert status("R-COMP-005", no_nodes) == "NOT_EVALUABLE"


def test_payment_conditioned_on_fiscal_funds() -> None:
    funds = ("[[剩余款项待财政资金到位后[[15日内|PERIOD]]支付|CL_MS_PAY]]。", ("PAYMENT",))
    doc = build(add={"funds": funds})
    result = comp("R-COMP-006", doc)
    assert result.status == "HIT" and result.severity == "high"
    assert any("财政资金到位" in text for text in evidence_text(result, doc))
    assert comp("R-COMP-006", doc, supplier_size="大型").severity == "medium"
    assert status("R-COMP-006") == "PASS"
    assert status("R-COMP-006", doc, buyer_type="国有企业") == "NOT_APPLICABLE"


def test_audit_result_as_settlement_by_regulation_version() -> None:
    audit = ("本合同最终结算价以审计结果为准。", ("PAYMENT",))
    doc = build(add={"audit": audit})
    result = comp("R-COMP-007", doc)
    assert result.status == "HIT" and result.severity == "high"
    assert evidence_text(result, doc) == ["以审计结果为准"]
    signed_2024 = build(
        add={"audit": audit},
        replace={"signature": "甲方（盖章）乙方（盖章）签字：[[2024年7月1日|DATE_SIGN]]"},
    )
    assert comp("R-COMP-007", signed_2024).severity == "low"
    advisory = comp("R-COMP-007", doc, supplier_size="大型")
    assert advisory.status == "HIT" and advisory.weight == 0
    cited = ("依照《中华人民共和国审计法》的规定，本项目结算价以审计结果为准。", ("PAYMENT",))
    assert status("R-COMP-007", build(add={"audit": cited})) == "PASS"
    assert status("R-COMP-007") == "PASS"
    assert status("R-COMP-007", doc, buyer_type="其他") == "NOT_APPLICABLE"


def test_payment_delayed_by_internal_process() -> None:
    delay = ("[[甲方内部审批流程完成后支付剩余款项|CL_MS_PAY]]。", ("PAYMENT",))
    doc = build(add={"delay": delay})
    result = comp("R-COMP-008", doc)
    assert result.status == "HIT" and "内部审批流程完成后" in evidence_text(result, doc)
    assert status("R-COMP-008") == "PASS"
    assert status("R-COMP-008", doc, supplier_size="大型") == "NOT_APPLICABLE"


def test_forced_non_cash_payment() -> None:
    bills = ("甲方有权以商业承兑汇票支付本合同款项。", ("PAYMENT",))
    doc = build(add={"bills": bills})
    result = comp("R-COMP-009", doc)
    assert result.status == "HIT" and evidence_text(result, doc) == ["商业承兑汇票"]
    agreed = ("经乙方书面同意，甲方可以银行承兑汇票支付第二期款项。", ("PAYMENT",))
    assert status("R-COMP-009", build(add={"bills": agreed})) == "PASS"
    forbidden = ("甲方不得以商业汇票支付本合同款项。", ("PAYMENT",))
    assert status("R-COMP-009", build(add={"bills": forbidden})) == "PASS"
    assert status("R-COMP-009", doc, buyer_type="国有企业") == "NOT_APPLICABLE"


def test_late_payment_interest_below_lpr() -> None:
    low = (
        "[[甲方无正当理由逾期付款的，应按逾期未付款项年利率[[1%|RATE_PENALTY]]向乙方支付逾期利息|CL_BREACH]]。",
        ("BREACH",),
    )
    doc = build(replace={"breach_buyer": low})
    result = comp("R-COMP-010", doc)
    assert result.status == "HIT" and evidence_text(result, doc) == ["1%"]
    no_liability = ("因财政原因甲方逾期付款不视为违约。", ("BREACH",))
    assert status("R-COMP-010", build(add={"excuse": no_liability})) == "HIT"
    lpr = (
        "[[甲方逾期付款的，按[[LPR的0.5倍|RATE_PENALTY]]向乙方支付逾期利息|CL_BREACH]]。",
        ("BREACH",),
    )
    assert status("R-COMP-010", build(replace={"breach_buyer": lpr})) == "HIT"
    assert status("R-COMP-010") == "PASS"  # 万分之五 per day = 18.25% a year
    between = low[0].replace("[[1%|RATE_PENALTY]]", "[[3.5%|RATE_PENALTY]]")
    assert status("R-COMP-010", build(replace={"breach_buyer": between})) == "NOT_EVALUABLE"
    assert status("R-COMP-010", doc, supplier_size="大型") == "NOT_APPLICABLE"


# ------------------------------------------------------------------------------------------------ guarantees


def test_buyer_gives_a_guarantee() -> None:
    guarantee = ("甲方对乙方向金融机构申请的项目融资承担连带保证责任。", ("GUARANTEE",))
    doc = build(add={"guarantee": guarantee})
    result = comp("R-COMP-011", doc)
    assert result.status == "HIT" and evidence_text(result, doc)[0].startswith("甲方对乙方")
    letter = ("甲方承诺为乙方在本项目中的银行贷款出具担保函。", ("GUARANTEE",))
    assert status("R-COMP-011", build(add={"guarantee": letter})) == "HIT"
    supplier_gives = ("乙方应向甲方提供担保，担保函由甲方认可的担保机构出具。", ("GUARANTEE",))
    assert status("R-COMP-011", build(add={"guarantee": supplier_gives})) == "PASS"
    assert status("R-COMP-011") == "PASS"
    assert status("R-COMP-011", doc, buyer_type="国有企业") == "NOT_APPLICABLE"


def test_deposit_over_twenty_percent() -> None:
    deposit = (
        "本合同签订后，甲方向乙方支付定金[[¥300,000.00|AMT_DEPOSIT]]，合同履行后定金抵作价款。",
        ("BOND",),
    )
    doc = build(add={"deposit": deposit})
    result = comp("R-COMP-012", doc)
    assert result.status == "HIT" and "25%" in result.message
    assert evidence_text(result, doc) == ["¥300,000.00"]
    small = deposit[0].replace("300,000.00", "100,000.00")
    assert status("R-COMP-012", build(add={"deposit": (small, ("BOND",))})) == "PASS"
    assert status("R-COMP-012") == "NOT_APPLICABLE"  # no 定金 agreed
    no_total = build(add={"deposit": deposit}, replace={"price": None, "pay1": None, "pay2": None})
    assert status("R-COMP-012", no_total) == "NOT_EVALUABLE"


# ------------------------------------------------------------------------------------------------ tender


def test_contract_differs_from_the_tender() -> None:
    tender = {"award_price": "1150000.00", "term_days": 365, "perf_bond_ratio": "0.05", "warranty_days": 730}
    result = comp("R-COMP-013", tender=tender)
    assert result.status == "HIT" and result.severity == "high"
    assert "中标价1150000.00元" in result.message and "质保期365日" in result.message
    same = {"award_price": "1200000.00", "term_days": 365, "perf_bond_ratio": "0.05", "warranty_days": 365}
    assert status("R-COMP-013", tender=same) == "PASS"
    schedule = {**same, "milestones": [{"ratio": "0.3"}, {"ratio": "0.6"}]}
    moved = comp("R-COMP-013", tender=schedule)
    assert moved.status == "HIT" and moved.severity == "high"  # the catalog default
    assert "第2期付款比例" in moved.message
    assert status("R-COMP-013") == "NOT_EVALUABLE"
    assert status("R-COMP-013", tender=tender, regime="其他") == "NOT_APPLICABLE"


def test_additions_over_ten_percent() -> None:
    change = (
        "在不改变合同其他条款的前提下，甲方可以追加与合同标的相同的服务，但所有补充合同的采购金额不得超过"
        "原合同采购金额的[[20%|RATE_OTHER]]。",
        ("CHANGE",),
    )
    doc = build(add={"change": change})
    result = comp("R-COMP-014", doc)
    assert result.status == "HIT" and evidence_text(result, doc) == ["20%"]
    lawful = change[0].replace("[[20%|RATE_OTHER]]", "[[10%|RATE_OTHER]]")
    assert status("R-COMP-014", build(add={"change": (lawful, ("CHANGE",))})) == "PASS"
    supplement = build(replace={"title": "[[政务信息系统运维服务补充合同|CONTRACT_NAME]]"})
    assert status("R-COMP-014", supplement, tender={"original_total": "10000000.00"}) == "HIT"
    assert status("R-COMP-014", doc, regime="招标投标") == "NOT_APPLICABLE"


# ------------------------------------------------------------------------------------------------ clauses


def test_free_subcontracting_or_transfer() -> None:
    free = ("乙方可自行将运维服务中的部分工作分包给第三方。", ("SUBCONTRACT",))
    doc = build(add={"sub": free})
    result = comp("R-COMP-015", doc)
    assert result.status == "HIT" and evidence_text(result, doc)[0].startswith("乙方可自行将")
    consent = ("经甲方书面同意，乙方可将非主体、非关键性工作分包给具备相应资质的单位。", ("SUBCONTRACT",))
    assert status("R-COMP-015", build(add={"sub": consent})) == "PASS"
    sanction = ("[[乙方擅自将本项目转包或违法分包的，甲方有权解除合同|CL_TERMINATION]]。", ("TERMINATION",))
    assert status("R-COMP-015", build(add={"sub": sanction})) == "PASS"
    whole = ("经甲方同意，乙方可以将本项目整体转让给其关联公司。", ("SUBCONTRACT",))
    assert status("R-COMP-015", build(add={"sub": whole})) == "HIT"
    assert status("R-COMP-015") == "PASS"


def test_exemption_for_injury_or_gross_fault() -> None:
    exempt = ("[[因甲方原因造成乙方人员伤亡的，甲方不承担人身伤亡赔偿责任|CL_BREACH]]。", ("BREACH",))
    doc = build(add={"exempt": exempt})
    result = comp("R-COMP-016", doc)
    assert result.status == "HIT" and "人身伤亡" in evidence_text(result, doc)[0]
    carve_out = (
        "除因故意或重大过失造成的损失外，乙方对甲方的赔偿责任不超过合同总价。",
        ("LIABILITY_CAP",),
    )
    assert status("R-COMP-016", build(add={"exempt": carve_out})) == "PASS"
    assert status("R-COMP-016") == "PASS"


# ------------------------------------------------------------------------------------------------ forum


def test_court_without_connection_to_the_dispute() -> None:
    far = "[[因本合同发生的争议，双方协商不成的，向[[杭州市西湖区人民法院|COURT]]提起诉讼|CL_DISPUTE]]。"
    doc = build(replace={"dispute": far})
    result = comp("R-COMP-017", doc)
    assert result.status == "HIT" and evidence_text(result, doc) == ["杭州市西湖区人民法院"]
    near = far.replace("杭州市西湖区", "温州市鹿城区")  # the supplier's domicile
    assert status("R-COMP-017", build(replace={"dispute": near})) == "PASS"
    assert status("R-COMP-017") == "PASS"  # 甲方所在地


def test_works_court_must_be_the_project_location() -> None:
    elsewhere = "[[因本合同发生的争议，向[[温州市鹿城区人民法院|COURT]]提起诉讼|CL_DISPUTE]]。"
    doc = build(replace={**WORKS, "dispute": elsewhere})
    assert status("R-COMP-017", doc, category="工程") == "HIT"
    project = "[[因本合同发生的争议，向[[工程所在地人民法院|COURT]]提起诉讼|CL_DISPUTE]]。"
    assert status("R-COMP-017", build(replace={**WORKS, "dispute": project}), category="工程") == "PASS"
    local = elsewhere.replace("鹿城区", "瓯江区")
    assert status("R-COMP-017", build(replace={**WORKS, "dispute": local}), category="工程") == "PASS"


def test_court_rule_needs_a_court() -> None:
    arbitration = "[[因本合同发生的争议，提交[[温州仲裁委员会|ARB_BODY]]仲裁|CL_DISPUTE]]。"
    assert status("R-COMP-017", build(replace={"dispute": arbitration})) == "NOT_APPLICABLE"
    unnamed = "[[因本合同发生的争议，双方协商不成的，依法向人民法院提起诉讼|CL_DISPUTE]]。"
    assert status("R-COMP-017", build(replace={"dispute": unnamed})) == "NOT_EVALUABLE"


def test_invalid_arbitration_agreements() -> None:
    either = (
        "[[因本合同发生的争议，任何一方可以向[[温州仲裁委员会|ARB_BODY]]申请仲裁，也可以向"
        "[[甲方所在地人民法院|COURT]]提起诉讼|CL_DISPUTE]]。"
    )
    doc = build(replace={"dispute": either})
    result = comp("R-COMP-018", doc)
    assert result.status == "HIT" and "也可以向" in evidence_text(result, doc)[0]
    vague = "[[因本合同发生的争议，提交[[当地仲裁机构|ARB_BODY]]仲裁|CL_DISPUTE]]。"
    assert status("R-COMP-018", build(replace={"dispute": vague})) == "HIT"
    named = (
        "[[因本合同发生的争议，提交[[温州仲裁委员会|ARB_BODY]]仲裁|CL_DISPUTE]]。"
        "[[在仲裁或诉讼期间，本合同不涉及争议的部分应继续履行|CL_DISPUTE]]。"
    )
    assert status("R-COMP-018", build(replace={"dispute": named})) == "PASS"
    assert status("R-COMP-018") == "PASS"


# ------------------------------------------------------------------------------------------ term, locality


def test_service_term_over_three_years() -> None:
    long_term = "服务期限为[[五年|TERM]]，自[[2025年7月1日|DATE_START]]起至[[2030年6月30日|DATE_END]]止。"
    doc = build(replace={"term": long_term})
    result = comp("R-COMP-019", doc)
    assert result.status == "HIT" and "1826日" in result.message
    three = "服务期限为[[三年|TERM]]，自[[2025年7月1日|DATE_START]]起至[[2028年6月30日|DATE_END]]止。"
    assert status("R-COMP-019", build(replace={"term": three})) == "PASS"
    renewing = three.replace("止。", "止，期满后双方未提出书面异议的，合同自动续期一年。")
    assert status("R-COMP-019", build(replace={"term": renewing})) == "HIT"
    assert status("R-COMP-019") == "PASS"
    assert status("R-COMP-019", build(replace={"term": None})) == "NOT_EVALUABLE"
    assert status("R-COMP-019", doc, category="货物") == "NOT_APPLICABLE"


def test_local_registration_as_a_condition() -> None:
    local = ("乙方须在瓯江区注册设立子公司，并将税务关系迁入瓯江区。", ("OTHER",))
    doc = build(add={"local": local})
    result = comp("R-COMP-020", doc)
    assert result.status == "HIT" and "税务关系迁入" in evidence_text(result, doc)
    assert status("R-COMP-020") == "PASS"  # paying the project's tax locally is lawful
    assert status("R-COMP-020", doc, regime="招标投标") == "NOT_APPLICABLE"


def test_organisational_change_as_an_excuse() -> None:
    excuse = (
        "[[因甲方机构改革或职能调整不再需要本服务的，甲方有权解除本合同|CL_TERMINATION]]。",
        ("TERMINATION",),
    )
    doc = build(add={"excuse": excuse})
    result = comp("R-COMP-021", doc)
    assert result.status == "HIT" and evidence_text(result, doc)[0].startswith("机构改革")
    promise = (
        "甲方不得以行政区划调整、政府换届、机构或职能调整以及负责人变更为由解除或不履行本合同。",
        ("TERMINATION",),
    )
    assert status("R-COMP-021", build(add={"excuse": promise})) == "PASS"
    assert status("R-COMP-021") == "PASS"
    assert status("R-COMP-021", doc, buyer_type="国有企业") == "NOT_APPLICABLE"


def test_progress_payment_under_eighty_percent() -> None:
    progress = (
        "[[工程进度款按月计量，甲方在进度款审核确认后[[14日内|PERIOD]]按已完成工程价款的[[70%|RATE_PAYMENT]]"
        "支付进度款|CL_MS_PAY]]。",
        ("PAYMENT",),
    )
    doc = build(replace=WORKS, add={"progress": progress})
    result = comp("R-COMP-022", doc, category="工程")
    assert result.status == "HIT" and evidence_text(result, doc) == ["70%"]
    lawful = progress[0].replace("[[70%|RATE_PAYMENT]]", "[[85%|RATE_PAYMENT]]")
    assert (
        status("R-COMP-022", build(replace=WORKS, add={"progress": (lawful, ("PAYMENT",))}), category="工程")
        == "PASS"
    )
    cumulative = progress[0].replace("按已完成工程价款的", "按已完工程量支付至合同价款的")
    assert (
        status(
            "R-COMP-022", build(replace=WORKS, add={"progress": (cumulative, ("PAYMENT",))}), category="工程"
        )
        == "PASS"
    )
    signed_2021 = build(
        replace={**WORKS, "signature": "甲方（盖章）乙方（盖章）签字：[[2021年7月1日|DATE_SIGN]]"},
        add={"progress": progress},
    )
    assert status("R-COMP-022", signed_2021, category="工程") == "NOT_APPLICABLE"
    assert status("R-COMP-022", doc, category="工程", buyer_type="其他") == "NOT_APPLICABLE"
    assert status("R-COMP-022", doc) == "NOT_APPLICABLE"


def test_contract_signed_late_after_the_award_notice() -> None:
    late = (
        "根据[[2025年5月20日|DATE_OTHER]]发出的中标通知书，甲乙双方依据《中华人民共和国政府采购法》签订本合同。",
        ("RECITAL",),
    )
    doc = build(replace={"recital": late})
    result = comp("R-COMP-023", doc)
    assert result.status == "HIT" and result.severity == "low" and "42日" in result.message
    assert evidence_text(result, doc) == ["2025年5月20日", "2025年7月1日"]
    assert status("R-COMP-023") == "PASS"
    no_recital = build(replace={"recital": None})
    assert status("R-COMP-023", no_recital) == "NOT_EVALUABLE"
    assert status("R-COMP-023", no_recital, award_notice_date="2025-05-01") == "HIT"
    assert status("R-COMP-023", doc, regime="其他") == "NOT_APPLICABLE"


def test_termination_at_will() -> None:
    at_will = ("[[任何一方提前30日书面通知对方，即可解除本合同|CL_TERMINATION]]。", ("TERMINATION",))
    doc = build(add={"at_will": at_will})
    result = comp("R-COMP-024", doc)
    assert result.status == "HIT" and evidence_text(result, doc)[0].startswith("任何一方提前30日")
    for_breach = (
        "[[乙方违约致使合同目的不能实现的，甲方有权随时解除本合同|CL_TERMINATION]]。",
        ("TERMINATION",),
    )
    assert status("R-COMP-024", build(add={"at_will": for_breach})) == "PASS"
    assert status("R-COMP-024") == "PASS"
    assert status("R-COMP-024", doc, regime="招标投标") == "NOT_APPLICABLE"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("人工费用按季度拨付至农民工工资专用账户，每季度末拨付一次。", "HIT"),
        ("工程进度款按月计量，人工费用按月足额拨付至农民工工资专用账户。", "PASS"),
    ],
)
def test_labour_cost_cycle(sentence: str, expected: str) -> None:
    doc = build(replace=WORKS, add={"labour": (sentence, ("PERSONNEL_SAFETY",))})
    result = comp("R-COMP-025", doc, category="工程")
    assert result.status == expected
    if expected == "HIT":
        assert evidence_text(result, doc) == [sentence.rstrip("。").split("，")[0] + "，每季度末拨付一次"]
    assert status("R-COMP-025", doc) == "NOT_APPLICABLE"
