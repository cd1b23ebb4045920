"""严重风险 rules: each PASSes on the base contract and HITs on one realistic risky clause."""

from __future__ import annotations

from risk_helpers import BASE, build, results, status

DEV_SCOPE = (
    "乙方为甲方定制开发政务数据共享平台软件，开发内容及技术要求详见采购需求，服务地点为"
    "[[温州市瓯江区行政中心|PERF_PLACE]]。"
)


def _evidence(rule_id: str, doc, **meta) -> list[str]:
    result = results(doc, **meta)[rule_id]
    return [doc.text[s:e] for s, e in result.evidence]


def test_the_base_contract_has_no_serious_risk() -> None:
    hits = {rid: r.message for rid, r in results().items() if rid.startswith("R-SER") and r.status == "HIT"}
    assert hits == {}


def test_upper_and_lower_total_differ() -> None:
    price = (
        "合同总价为人民币（大写）[[壹佰贰拾万壹仟元整|AMT_TOTAL_UPPER]]（小写：[[¥1,200,000.00|AMT_TOTAL_LOWER]]），"
        "含[[6%|RATE_TAX]]增值税，为固定总价。"
    )
    doc = build(replace={"price": price})
    result = results(doc)["R-SER-001"]
    assert result.status == "HIT" and result.severity == "high"
    assert "大写1,201,000.00元与小写1,200,000.00元不一致" in result.message
    assert _evidence("R-SER-001", doc) == ["壹佰贰拾万壹仟元整", "¥1,200,000.00"]
    assert status("R-SER-001") == "PASS"
    lower_only = "合同总价为人民币[[¥1,200,000.00|AMT_TOTAL_LOWER]]，为固定总价。"
    assert status("R-SER-001", build(replace={"price": lower_only})) == "NOT_EVALUABLE"


def test_a_second_lower_mention_of_the_total_is_compared_too() -> None:
    doc = build(add={"quote": "报价一览表：投标总价[[¥1,210,000.00|AMT_TOTAL_LOWER]]"})
    result = results(doc)["R-SER-001"]
    assert result.status == "HIT" and "1,210,000.00元" in result.message


def test_installments_do_not_sum_to_the_total() -> None:
    pay2 = (
        "（2）[[项目验收合格且甲方收到发票后[[15日内|PERIOD]]，甲方支付合同总价的[[65%|RATE_PAYMENT]]，"
        "即[[¥790,000.00|AMT_INSTALLMENT]]|CL_MS_PAY]]；"
    )
    result = results(build(replace={"pay2": pay2}))["R-SER-002"]
    assert result.status == "HIT"
    assert "1,210,000.00元" in result.message and "差额10,000.00元" in result.message
    assert status("R-SER-002") == "PASS"


def test_installments_are_not_compared_with_an_open_ended_price() -> None:
    price = "合同价款暂按[[¥1,200,000.00|AMT_TOTAL_LOWER]]计，按实际工作量据实结算。"
    assert status("R-SER-002", build(replace={"price": price})) == "NOT_APPLICABLE"


def test_recurring_installments_are_expanded_over_the_term() -> None:
    quarterly = (
        "[[甲方于每季度末[[10个工作日内|PERIOD]]支付[[¥300,000.00|AMT_INSTALLMENT]]|CL_MS_PAY]]。",
        ("PAYMENT",),
    )
    doc = build(replace={"pay1": quarterly, "pay2": None, "pay3": None, "bond": None})
    assert status("R-SER-002", doc) == "PASS"  # 4 quarters × 300,000 = 1,200,000


def test_payment_ratios_do_not_sum_to_one_hundred_percent() -> None:
    pay1 = "（1）[[合同签订后[[10个工作日内|PERIOD]]，甲方支付合同总价的[[25%|RATE_PAYMENT]]|CL_MS_PAY]]；"
    doc = build(replace={"pay1": pay1})
    result = results(doc)["R-SER-003"]
    assert result.status == "HIT" and "95%" in result.message
    assert "25%" in _evidence("R-SER-003", doc)
    assert status("R-SER-003") == "PASS"
    no_ratio = (
        "（1）[[合同签订后[[10个工作日内|PERIOD]]，甲方支付[[¥360,000.00|AMT_INSTALLMENT]]|CL_MS_PAY]]；"
    )
    assert status("R-SER-003", build(replace={"pay1": no_ratio})) == "NOT_EVALUABLE"


def test_cumulative_ratios_are_converted() -> None:
    pay2 = (
        "（2）[[项目验收合格且甲方收到发票后[[15日内|PERIOD]]，"
        "甲方支付至合同总价的[[95%|RATE_PAYMENT]]|CL_MS_PAY]]；"
    )
    assert status("R-SER-003", build(replace={"pay2": pay2})) == "PASS"


def _supplier_penalty(rate: str, cap: str | None) -> str:
    tail = f"，累计不超过合同总价的[[{cap}|RATE_OTHER]]" if cap else ""
    return (
        f"[[乙方逾期提供服务的，每逾期一日按合同总价的[[{rate}|RATE_PENALTY]]"
        f"向甲方支付违约金{tail}|CL_BREACH]]。"
    )


def test_excessive_daily_penalty_levels() -> None:
    high = results(build(replace={"breach_supplier": _supplier_penalty("千分之五", None)}))["R-SER-004"]
    assert high.status == "HIT" and high.severity == "high" and "按日0.5%" in high.message
    capped = results(build(replace={"breach_supplier": _supplier_penalty("千分之五", "10%")}))["R-SER-004"]
    assert capped.status == "HIT" and capped.severity == "medium"  # a cap ≤ 30% lowers one level
    medium = results(build(replace={"breach_supplier": _supplier_penalty("千分之一", None)}))["R-SER-004"]
    assert medium.status == "HIT" and medium.severity == "medium"
    assert (
        status("R-SER-004", build(replace={"breach_supplier": _supplier_penalty("千分之一", "10%")}))
        == "PASS"
    )
    wide_cap = results(build(replace={"breach_supplier": _supplier_penalty("万分之五", "50%")}))["R-SER-004"]
    assert wide_cap.status == "HIT" and wide_cap.severity == "medium" and "50%" in wide_cap.message
    assert status("R-SER-004") == "PASS"


def test_one_off_penalty_on_the_total() -> None:
    once = "[[乙方擅自解除合同的，应按合同总价的[[100%|RATE_PENALTY]]向甲方支付违约金|CL_BREACH]]。"
    doc = build(add={"breach_once": (once, ("BREACH",))})
    result = results(doc)["R-SER-004"]
    assert result.status == "HIT" and result.severity == "high"
    assert "100%" in _evidence("R-SER-004", doc)


def test_penalty_rule_needs_penalties() -> None:
    vague = ("[[任何一方违反本合同约定的，应承担相应违约责任|CL_BREACH]]。", ("BREACH",))
    doc = build(replace={"breach_supplier": vague, "breach_buyer": None})
    assert status("R-SER-004", doc) == "NOT_EVALUABLE"


def test_breach_clause_without_an_enforceable_measure() -> None:
    vague = ("[[乙方违反本合同约定的，应承担相应违约责任|CL_BREACH]]。", ("BREACH",))
    result = results(build(replace={"breach_supplier": vague}))["R-SER-005"]
    assert result.status == "HIT"
    method = ("[[乙方服务不达标的，甲方按考核办法计算扣减当月服务费|CL_BREACH]]。", ("BREACH",))
    assert status("R-SER-005", build(replace={"breach_supplier": method})) == "PASS"
    assert status("R-SER-005") == "PASS"
    assert status("R-SER-005", build(replace={"breach_supplier": None, "breach_buyer": None})) == (
        "NOT_APPLICABLE"
    )


def test_unequal_liability() -> None:
    assert status("R-SER-006", build(replace={"breach_buyer": None})) == "HIT"
    no_liab = ("甲方逾期付款不视为违约，甲方不承担任何违约责任。", ("BREACH",))
    doc = build(replace={"breach_buyer": no_liab})
    assert _evidence("R-SER-006", doc) == ["甲方逾期付款不视为违约", "甲方不承担任何违约责任"]
    steep = build(replace={"breach_supplier": _supplier_penalty("千分之三", "10%")})
    result = results(steep)["R-SER-006"]
    assert result.status == "HIT" and "6.0倍" in result.message
    assert status("R-SER-006") == "PASS"


def test_supplier_may_terminate_at_will() -> None:
    at_will = ("[[乙方可提前30日书面通知甲方解除本合同|CL_TERMINATION]]。", ("TERMINATION",))
    doc = build(add={"exit": at_will})
    result = results(doc)["R-SER-007"]
    assert result.status == "HIT" and result.severity == "high"
    assert _evidence("R-SER-007", doc) == ["乙方可提前30日书面通知甲方解除"]
    conditioned = (
        "[[甲方逾期付款超过60日，经乙方催告后仍未支付的，乙方有权单方解除本合同|CL_TERMINATION]]。",
        ("TERMINATION",),
    )
    assert status("R-SER-007", build(add={"exit": conditioned})) == "PASS"
    forbidden = ("[[合同履行期间，任何一方不得单方解除本合同|CL_TERMINATION]]。", ("TERMINATION",))
    assert status("R-SER-007", build(add={"exit": forbidden})) == "PASS"
    assert status("R-SER-007") == "PASS"


def test_automatic_renewal() -> None:
    renew = BASE["term"][0] + "合同期满前一个月内双方均未提出书面异议的，本合同自动续期一年。"
    doc = build(replace={"term": renew})
    assert status("R-SER-008", doc) == "HIT"
    assert _evidence("R-SER-008", doc) == ["自动续期"]
    guarded = BASE["term"][0] + "期满后经预算批准及履约考核合格的，合同自动续期一年。"
    assert status("R-SER-008", build(replace={"term": guarded})) == "PASS"
    assert status("R-SER-008") == "PASS"


def test_buyer_bears_unlimited_liability() -> None:
    unlimited = ("因本项目引起的任何纠纷，均由甲方承担全部责任。", ("LIABILITY_CAP",))
    doc = build(add={"liability": unlimited})
    assert status("R-SER-009", doc) == "HIT"
    assert _evidence("R-SER-009", doc) == ["甲方承担全部责任"]
    as_object = ("因乙方原因导致甲方承担全部责任的，乙方应予赔偿。", ("LIABILITY_CAP",))
    assert status("R-SER-009", build(add={"liability": as_object})) == "PASS"
    assert status("R-SER-009", doc, buyer_type="国有企业") == "NOT_APPLICABLE"
    assert status("R-SER-009") == "PASS"


def test_open_ended_price() -> None:
    open_price = "合同价款按实际发生的工作量据实结算。"
    doc = build(replace={"price": open_price})
    result = results(doc)["R-SER-010"]
    assert result.status == "HIT" and _evidence("R-SER-010", doc) == ["据实结算"]
    capped = "合同价款按实际发生的工作量据实结算，结算总额最高不超过[[¥1,200,000.00|AMT_TOTAL_LOWER]]。"
    assert status("R-SER-010", build(replace={"price": capped})) == "PASS"
    unit_price = "运维人员单价为[[¥15,000.00|AMT_OTHER]]/人·月，按实际发生的工作量据实结算。"
    assert status("R-SER-010", build(replace={"price": unit_price})) == "PASS"
    assert status("R-SER-010") == "PASS"


def test_total_over_budget_or_award() -> None:
    over = results(build(), budget="1100000.00")["R-SER-011"]
    assert over.status == "HIT" and "采购预算1,100,000.00元" in over.message
    assert status("R-SER-011", build(), award_price="1200000.00") == "PASS"
    assert status("R-SER-011", build(), tender={"award_price": "1150000.00"}) == "HIT"
    assert status("R-SER-011") == "NOT_EVALUABLE"
    recital = "本项目采购预算为[[¥1,000,000.00|AMT_OTHER]]。"
    doc = build(add={"budget": recital})
    assert "¥1,000,000.00" in _evidence("R-SER-011", doc)


def test_node_after_the_end_of_the_term() -> None:
    late = ("[[乙方应于[[2026年9月30日|DATE_NODE]]前提交项目总结报告|CL_MS_PERF]]。", ("DELIVERY",))
    doc = build(add={"late": late})
    result = results(doc)["R-SER-012"]
    assert result.status == "HIT" and "2026-09-30晚于合同终止日期2026-06-30" in result.message
    early = ("[[乙方应于[[2025年3月1日|DATE_NODE]]前提交实施方案|CL_MS_PERF]]。", ("DELIVERY",))
    assert status("R-SER-012", build(add={"early": early})) == "HIT"
    final_pay = ("[[甲方于[[2026年9月30日|DATE_NODE]]前支付质保金|CL_MS_PAY]]。", ("PAYMENT",))
    assert status("R-SER-012", build(add={"late": final_pay})) == "PASS"
    assert status("R-SER-012") == "PASS"
    no_end = build(replace={"term": "服务期限以采购需求为准。", "signature": None}, add={"late": late})
    assert status("R-SER-012", no_end) == "NOT_EVALUABLE"


def test_term_without_end_date_runs_from_the_start() -> None:
    term = "服务期限为[[一年|TERM]]，自[[2025年7月1日|DATE_START]]起算。"
    late = ("[[乙方应于[[2026年9月30日|DATE_NODE]]前提交项目总结报告|CL_MS_PERF]]。", ("DELIVERY",))
    assert status("R-SER-012", build(replace={"term": term}, add={"late": late})) == "HIT"


def _prepay(ratio: str, rest: str) -> dict:
    return {
        "pay1": (
            f"（1）[[合同签订后[[10个工作日内|PERIOD]]，"
            f"甲方支付合同总价的[[{ratio}|RATE_PAYMENT]]|CL_MS_PAY]]；"
        ),
        "pay2": (
            f"（2）[[项目验收合格且甲方收到发票后[[15日内|PERIOD]]，甲方支付合同总价的[[{rest}|RATE_PAYMENT]]|CL_MS_PAY]]；"
        ),
    }


def test_prepayment_levels() -> None:
    low = results(build(replace=_prepay("40%", "55%")))["R-SER-013"]
    assert low.status == "HIT" and low.severity == "low" and "预付款保函" in low.message
    medium = results(build(replace=_prepay("60%", "35%")))["R-SER-013"]
    assert medium.status == "HIT" and medium.severity == "medium"
    full = results(build(replace={**_prepay("95%", "0%")}))["R-SER-013"]
    assert full.status == "HIT" and full.severity == "medium"
    works = results(build(replace=_prepay("40%", "55%")), category="工程")["R-SER-013"]
    assert works.status == "HIT" and works.severity == "medium"
    guaranteed = build(replace=_prepay("40%", "55%"), add={"g": "乙方应在预付款支付前提交等额预付款保函。"})
    assert status("R-SER-013", guaranteed) == "PASS"
    assert status("R-SER-013") == "PASS"


def test_payment_before_acceptance() -> None:
    doc = build(replace=_prepay("90%", "5%"))
    result = results(doc)["R-SER-014"]
    assert result.status == "HIT" and "90%" in result.message
    assert status("R-SER-014") == "PASS"
    assert status("R-SER-014", doc, regime="其他", category="服务") == "NOT_APPLICABLE"


def test_forum_away_from_the_buyer() -> None:
    away = "[[因本合同发生的争议，双方协商不成的，向[[杭州市西湖区人民法院|COURT]]提起诉讼|CL_DISPUTE]]。"
    doc = build(replace={"dispute": away})
    result = results(doc)["R-SER-015"]
    assert result.status == "HIT" and _evidence("R-SER-015", doc) == ["杭州市西湖区人民法院"]
    home = "[[因本合同发生的争议，双方协商不成的，提交[[温州仲裁委员会|ARB_BODY]]仲裁|CL_DISPUTE]]。"
    assert status("R-SER-015", build(replace={"dispute": home})) == "PASS"
    supplier = "[[因本合同发生的争议，双方协商不成的，向[[乙方所在地人民法院|COURT]]提起诉讼|CL_DISPUTE]]。"
    assert status("R-SER-015", build(replace={"dispute": supplier})) == "PASS"  # both in 温州市
    assert status("R-SER-015") == "PASS"
    assert status("R-SER-015", doc, buyer_type="国有企业") == "NOT_APPLICABLE"


def test_low_supplier_liability_cap() -> None:
    cap = (
        "除因故意或重大过失造成的损失外，乙方在本合同项下承担的赔偿责任总额以[[¥100,000.00|AMT_OTHER]]为限。",
        ("LIABILITY_CAP",),
    )
    doc = build(add={"cap": cap})
    result = results(doc)["R-SER-016"]
    assert result.status == "HIT" and _evidence("R-SER-016", doc) == ["¥100,000.00"]
    fair = (
        "乙方在本合同项下承担的赔偿责任总额以[[¥1,200,000.00|AMT_OTHER]]为限。",
        ("LIABILITY_CAP",),
    )
    assert status("R-SER-016", build(add={"cap": fair})) == "PASS"
    exclusion = (
        "任何一方均不对间接损失、可得利益损失及数据丢失承担赔偿责任。",
        ("LIABILITY_CAP",),
    )
    assert status("R-SER-016", build(add={"cap": exclusion})) == "HIT"
    assert status("R-SER-016") == "PASS"


def test_custom_deliverables_owned_by_the_supplier() -> None:
    owned = "[[乙方为本项目开发的软件及文档的知识产权归乙方所有，甲方享有使用权|CL_IP]]。"
    doc = build(replace={"scope": DEV_SCOPE, "ip": owned})
    assert status("R-SER-017", doc) == "HIT"
    licence = "[[本项目成果归乙方所有，甲方仅享有非独占、不可转让的使用权|CL_IP]]。"
    assert status("R-SER-017", build(replace={"scope": DEV_SCOPE, "ip": licence})) == "HIT"
    background = "[[乙方在本合同签订前已拥有的知识产权仍归乙方所有|CL_IP]]。"
    assert status("R-SER-017", build(replace={"scope": DEV_SCOPE, "ip": background})) == "PASS"
    assert status("R-SER-017", build(replace={"scope": DEV_SCOPE})) == "PASS"
    assert status("R-SER-017") == "NOT_APPLICABLE"


def test_bond_without_refund_term() -> None:
    bond = (
        "乙方应在合同签订前以银行保函形式提交合同总价[[5%|RATE_BOND]]的履约保证金，"
        "即[[¥60,000.00|AMT_PERF_BOND]]。"
    )
    doc = build(replace={"bond": bond})
    result = results(doc)["R-SER-018"]
    assert result.status == "HIT" and "履约保证金" in result.message
    assert "¥60,000.00" in _evidence("R-SER-018", doc)
    assert status("R-SER-018") == "PASS"


def test_multi_year_contract_without_annual_payments() -> None:
    term = "服务期限为[[三年|TERM]]，自[[2025年7月1日|DATE_START]]起至[[2028年6月30日|DATE_END]]止。"
    doc = build(replace={"term": term})
    result = results(doc)["R-SER-019"]
    assert result.status == "HIT" and result.severity == "low"
    yearly = (
        "（1）[[每年服务期满且考核合格后[[15日内|PERIOD]]，甲方支付当年服务费|CL_MS_PAY]]；",
        ("PAYMENT",),
    )
    assert status("R-SER-019", build(replace={"term": term}, add={"yearly": yearly})) == "PASS"
    assert status("R-SER-019") == "PASS"
    assert status("R-SER-019", doc, buyer_type="国有企业") == "NOT_APPLICABLE"
