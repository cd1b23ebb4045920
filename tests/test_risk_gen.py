"""一般风险 rules: each PASSes on the clean base contract and HITs on a realistic defective clause."""

from __future__ import annotations

from risk_helpers import BASE, build, results, status

from hetong.risk import RuleResult


def _result(rule_id: str, doc=None, **meta) -> RuleResult:
    return results(doc, **meta)[rule_id]


def _evidence(result: RuleResult, doc) -> list[str]:
    return [doc.text[s:e] for s, e in result.evidence]


def _term(term: str, start: str, end: str) -> str:
    return f"服务期限为[[{term}|TERM]]，自[[{start}|DATE_START]]起至[[{end}|DATE_END]]止。"


def test_the_base_contract_has_no_general_risk() -> None:
    hits = {rid: r.message for rid, r in results().items() if rid.startswith("R-GEN") and r.status == "HIT"}
    assert hits == {}


# ------------------------------------------------------------------------------------------------ R-GEN-001


def test_end_before_start_is_a_date_contradiction() -> None:
    doc = build(replace={"term": _term("一年", "2025年7月1日", "2024年6月30日")})
    result = _result("R-GEN-001", doc)
    assert result.status == "HIT" and result.severity == "medium"
    assert {"2025年7月1日", "2024年6月30日"} <= set(_evidence(result, doc))
    assert "早于起始日" in result.message


def test_signing_long_after_performance_began() -> None:
    signature = BASE["signature"][0].replace("2025年7月1日", "2025年9月15日")
    doc = build(replace={"signature": signature})
    result = _result("R-GEN-001", doc)
    assert result.status == "HIT" and "2025年9月15日" in _evidence(result, doc)
    assert status("R-GEN-001") == "PASS"


def test_a_node_year_outside_2000_2100() -> None:
    doc = build(
        add={"node": ("[[乙方应于[[1925年8月1日|DATE_NODE]]前提交运维方案|CL_MS_PERF]]。", ("DELIVERY",))}
    )
    result = _result("R-GEN-001", doc)
    assert result.status == "HIT" and _evidence(result, doc) == ["1925年8月1日"]


def test_no_dates_is_not_evaluable() -> None:
    no_dates = "甲方（盖章）：  负责人（签字）：  乙方（盖章）：  法定代表人（签字）："
    doc = build(replace={"term": None, "signature": no_dates})
    result = _result("R-GEN-001", doc)
    assert result.status == "NOT_EVALUABLE" and "DATE_SIGN" in result.reason


# ------------------------------------------------------------------------------------------------ R-GEN-002


def test_term_disagrees_with_start_and_end() -> None:
    doc = build(replace={"term": _term("一年", "2025年7月1日", "2026年12月31日")})
    result = _result("R-GEN-002", doc)
    assert result.status == "HIT"
    assert set(_evidence(result, doc)) == {"一年", "2025年7月1日", "2026年12月31日"}
    assert "2026-06-30" in result.message


def test_term_matches_either_day_count_convention() -> None:
    assert status("R-GEN-002") == "PASS"  # 2025-07-01 … 2026-06-30, both ends counted
    exclusive = build(replace={"term": _term("一年", "2025年7月1日", "2026年7月1日")})
    assert status("R-GEN-002", exclusive) == "PASS"
    months = build(replace={"term": _term("6个月", "2025年8月31日", "2026年2月28日")})
    assert status("R-GEN-002", months) == "PASS"  # 第202条: no 31 February, the month's last day


def test_term_without_dates_is_not_evaluable() -> None:
    doc = build(replace={"term": "服务期限为[[一年|TERM]]。"})
    result = _result("R-GEN-002", doc)
    assert result.status == "NOT_EVALUABLE" and "DATE_START" in result.reason
    assert "TERM" in _result("R-GEN-002", build(replace={"term": None})).reason


# ------------------------------------------------------------------------------------------------ R-GEN-003


def test_vague_milestone_deadline() -> None:
    doc = build(
        replace={"delivery": "[[合同签订后，乙方应尽快完成运维人员进场并开始提供服务|CL_MS_DELIVERY]]。"}
    )
    result = _result("R-GEN-003", doc)
    assert result.status == "HIT" and result.severity == "medium"
    assert _evidence(result, doc) == ["尽快"]


def test_vague_word_beside_a_real_period_passes() -> None:
    timed = "[[乙方应在合同签订后[[10日内|PERIOD]]及时完成运维人员进场|CL_MS_DELIVERY]]。"
    assert status("R-GEN-003", build(replace={"delivery": timed})) == "PASS"
    assert status("R-GEN-003") == "PASS"  # 及时通知 in the force-majeure clause is no milestone


def test_no_milestones_is_not_evaluable() -> None:
    gone = dict.fromkeys(("pay1", "pay2", "pay3", "delivery", "acceptance", "bond"))
    assert status("R-GEN-003", build(replace=gone)) == "NOT_EVALUABLE"


# ------------------------------------------------------------------------------------------------ R-GEN-004


def test_dropped_characters_in_the_signature_block() -> None:
    signature = BASE["signature"][0].replace(
        "[[温州市瓯江区数据管理中心|PARTY_A]]", "[[温州市瓯江区数据中心|PARTY_A]]"
    )
    doc = build(replace={"signature": signature})
    result = _result("R-GEN-004", doc)
    assert result.status == "HIT"
    assert set(_evidence(result, doc)) == {"温州市瓯江区数据管理中心", "温州市瓯江区数据中心"}


def test_dropped_bracket_part_of_the_supplier_name() -> None:
    signature = BASE["signature"][0].replace("浙江瓯信（温州）科技有限公司", "浙江瓯信科技有限公司")
    result = _result("R-GEN-004", build(replace={"signature": signature}))
    assert result.status == "HIT" and "浙江瓯信科技有限公司" in result.message


def test_a_different_branch_under_the_same_designation() -> None:
    supplier = BASE["supplier"][0].replace("浙江瓯信（温州）科技有限公司", "中国电信股份有限公司温州分公司")
    signature = BASE["signature"][0].replace("浙江瓯信（温州）科技有限公司", "中国电信股份有限公司瓯江分公司")
    result = _result("R-GEN-004", build(replace={"supplier": supplier, "signature": signature}))
    assert result.status == "HIT" and "瓯江分公司" in result.message


def test_spacing_width_and_bracket_style_are_not_a_difference() -> None:
    signature = BASE["signature"][0].replace("浙江瓯信（温州）科技有限公司", "浙江瓯信(温州)科技 有限公司")
    assert status("R-GEN-004", build(replace={"signature": signature})) == "PASS"


def test_distinct_bodies_are_not_a_name_mismatch() -> None:
    funds = "本项目资金由[[温州市瓯江区财政局|PARTY]]安排，[[温州市瓯江区数据管理局|PARTY]]负责业务指导。"
    assert status("R-GEN-004", build(add={"funds": funds})) == "PASS"
    assert status("R-GEN-004") == "PASS"


def test_bank_account_holder_differs_from_the_supplier() -> None:
    bank = (
        "乙方收款账户：开户银行：[[中国银行温州分行|BANK_NAME]]，"
        "户名：[[温州瓯信网络服务有限公司|PARTY]]，账号：[[3580 5810 2233|BANK_ACCT]]"
    )
    doc = build(add={"bank": bank})
    result = _result("R-GEN-004", doc)
    assert result.status == "HIT" and "温州瓯信网络服务有限公司" in _evidence(result, doc)


# ------------------------------------------------------------------------------------------------ R-GEN-005


def test_bad_uscc_check_character_is_medium() -> None:
    supplier = BASE["supplier"][0].replace("91330302MA2HQ8K4X9", "91330302MA2HQ8K4X8")
    doc = build(replace={"supplier": supplier})
    result = _result("R-GEN-005", doc)
    assert result.status == "HIT" and result.severity == "medium"
    assert _evidence(result, doc) == ["91330302MA2HQ8K4X8"]


def test_bad_phone_alone_is_low() -> None:
    buyer = BASE["buyer"][0].replace("0577-88990011", "0577-88990")
    doc = build(replace={"buyer": buyer})
    result = _result("R-GEN-005", doc)
    assert result.status == "HIT" and result.severity == "low"
    assert _evidence(result, doc) == ["0577-88990"]
    assert status("R-GEN-005") == "PASS"


def test_buyer_code_prefix_contradicts_the_declared_buyer_type() -> None:
    result = _result("R-GEN-005", buyer_type="机关")  # the buyer's code 12… is a 事业单位's
    assert result.status == "HIT" and result.severity == "medium" and "前缀12" in result.message
    assert status("R-GEN-005", buyer_type="事业单位") == "PASS"


def test_no_codes_or_phones_is_not_evaluable() -> None:
    doc = build(
        replace={
            "buyer": "甲方（采购人）：[[温州市瓯江区数据管理中心|PARTY_A]]",
            "supplier": "乙方（供应商）：[[浙江瓯信（温州）科技有限公司|PARTY_B]]",
        }
    )
    assert status("R-GEN-005", doc) == "NOT_EVALUABLE"


# ------------------------------------------------------------------------------------------------ R-GEN-006


def test_price_without_a_tax_statement() -> None:
    price = (
        "合同总价为人民币（大写）[[壹佰贰拾万元整|AMT_TOTAL_UPPER]]"
        "（小写：[[¥1,200,000.00|AMT_TOTAL_LOWER]]），为固定总价。"
    )
    doc = build(replace={"price": price})
    result = _result("R-GEN-006", doc)
    assert result.status == "HIT" and result.severity == "low"
    assert "未载明是否含税" in result.message


def test_stated_tax_amount_must_match_price_and_rate() -> None:
    wrong = (
        "合同总价为人民币（大写）[[壹佰贰拾万元整|AMT_TOTAL_UPPER]]（小写：[[¥1,200,000.00|AMT_TOTAL_LOWER]]），"
        "含[[9%|RATE_TAX]]增值税，其中增值税额为[[¥80,000.00|AMT_OTHER]]。"
    )
    doc = build(replace={"price": wrong})
    result = _result("R-GEN-006", doc)
    assert result.status == "HIT" and result.weight is None
    assert set(_evidence(result, doc)) == {"9%", "¥80,000.00"}
    right = wrong.replace("¥80,000.00", "¥99,082.57")
    assert status("R-GEN-006", build(replace={"price": right})) == "PASS"


def test_service_tax_rate_on_goods_is_informational() -> None:
    result = _result("R-GEN-006", category="货物")  # the base contract's 6% is a service rate
    assert result.status == "HIT" and result.weight == 0.0 and "提示" in result.message
    assert status("R-GEN-006") == "PASS"


def test_no_price_is_not_evaluable() -> None:
    doc = build(replace={"price": None})
    assert status("R-GEN-006", doc) == "NOT_EVALUABLE"


# ------------------------------------------------------------------------------------------------ R-GEN-007


def test_daily_penalty_without_a_cap() -> None:
    uncapped = (
        "[[乙方逾期提供服务的，每逾期一日按合同总价的[[万分之五|RATE_PENALTY]]向甲方支付违约金|CL_BREACH]]。"
    )
    doc = build(replace={"breach_supplier": uncapped})
    result = _result("R-GEN-007", doc)
    assert result.status == "HIT" and _evidence(result, doc) == ["万分之五"]
    assert "累计上限" in result.message


def test_penalty_without_a_base() -> None:
    baseless = "[[乙方提供的服务质量不合格的，应向甲方支付[[5%|RATE_PENALTY]]的违约金|CL_BREACH]]。"
    doc = build(add={"quality": (baseless, ("BREACH",))})
    result = _result("R-GEN-007", doc)
    assert result.status == "HIT" and "计算基数" in result.message and _evidence(result, doc) == ["5%"]


def test_capped_penalty_and_buyer_interest_pass() -> None:
    assert status("R-GEN-007") == "PASS"  # the buyer's uncapped 逾期利息 is not a defect


def test_no_penalties_is_not_evaluable() -> None:
    doc = build(replace={"breach_supplier": None, "breach_buyer": None})
    assert status("R-GEN-007", doc) == "NOT_EVALUABLE"


# ------------------------------------------------------------------------------------------------ R-GEN-008

_DEPOSIT = (
    "乙方应在合同签订后5日内向甲方支付定金[[¥100,000.00|AMT_DEPOSIT]]，合同履行完毕后抵作价款。",
    ("OTHER",),
)


def test_deposit_and_penalty_together() -> None:
    doc = build(add={"deposit": _DEPOSIT})
    result = _result("R-GEN-008", doc)
    assert result.status == "HIT"
    assert "¥100,000.00" in _evidence(result, doc) and "万分之五" in _evidence(result, doc)


def test_deposit_with_an_election_rule_passes() -> None:
    chosen = _DEPOSIT[0][:-1] + "，定金与违约金不得同时适用，守约方可择一主张。"
    assert status("R-GEN-008", build(add={"deposit": (chosen, ("OTHER",))})) == "PASS"


def test_no_deposit_is_not_applicable() -> None:
    assert status("R-GEN-008") == "NOT_APPLICABLE"


# ------------------------------------------------------------------------------------------------ R-GEN-009


def test_works_waterproofing_warranty_below_five_years() -> None:
    warranty = (
        "屋面防水工程保修期为[[3年|PERIOD_WARRANTY]]，电气管线、给排水管道工程保修期为[[2年|PERIOD_WARRANTY]]。",
        ("WARRANTY",),
    )
    doc = build(replace={"warranty": warranty})
    result = _result("R-GEN-009", doc, category="工程")
    assert result.status == "HIT" and result.severity == "medium"
    assert _evidence(result, doc) == ["3年"] and "5年" in result.message


def test_heating_warranty_of_one_season() -> None:
    warranty = ("供热与供冷系统的保修期为[[1个采暖期、供冷期|PERIOD_WARRANTY]]。", ("WARRANTY",))
    result = _result("R-GEN-009", build(replace={"warranty": warranty}), category="工程")
    assert result.status == "HIT" and "采暖期" in result.message


def test_statutory_periods_and_other_items_pass() -> None:
    warranty = ("工程保修期按国家有关规定执行，其中屋面防水工程保修期[[5年|PERIOD_WARRANTY]]，"
                "其他部分保修期[[18个月|PERIOD_WARRANTY]]。", ("WARRANTY",))  # fmt: skip
    assert status("R-GEN-009", build(replace={"warranty": warranty}), category="工程") == "PASS"


def test_works_warranty_applicability() -> None:
    assert status("R-GEN-009") == "NOT_APPLICABLE"  # a service contract
    result = _result("R-GEN-009", build(replace={"warranty": None}), category="工程")
    assert result.status == "NOT_EVALUABLE" and "PERIOD_WARRANTY" in result.reason


# ------------------------------------------------------------------------------------------------ R-GEN-010


def test_satisfaction_as_the_only_acceptance_standard() -> None:
    acceptance = (
        "[[甲方应在收到乙方书面验收申请之日起[[10个工作日内|PERIOD]]组织验收|CL_MS_ACCEPT]]，"
        "验收结果以甲方满意为准。"
    )
    doc = build(replace={"acceptance": acceptance})
    result = _result("R-GEN-010", doc)
    assert result.status == "HIT" and _evidence(result, doc) == ["以甲方满意为准"]


def test_satisfaction_beside_an_objective_standard_passes() -> None:
    acceptance = (
        "[[甲方应在收到乙方书面验收申请之日起[[10个工作日内|PERIOD]]组织验收|CL_MS_ACCEPT]]，"
        "按采购需求所列服务标准逐项验收，验收结论以甲方确认为准。"
    )
    assert status("R-GEN-010", build(replace={"acceptance": acceptance})) == "PASS"
    assert status("R-GEN-010") == "PASS"


def test_no_acceptance_clause_is_not_evaluable() -> None:
    doc = build(replace={"acceptance": None, "pay2": (BASE["pay2"][0], ("PAYMENT",))})
    assert status("R-GEN-010", doc) == "NOT_EVALUABLE"


# ------------------------------------------------------------------------------------------------ R-GEN-011


def test_amount_without_unit_or_currency() -> None:
    deduction = ("[[乙方服务考核不合格的，每次扣除服务费[[5,000.00|AMT_PENALTY]]|CL_BREACH]]。", ("BREACH",))
    doc = build(add={"deduction": deduction})
    result = _result("R-GEN-011", doc)
    assert result.status == "HIT" and _evidence(result, doc) == ["5,000.00"]
    assert status("R-GEN-011") == "PASS"


def test_yuan_and_wan_mixed_in_one_table() -> None:
    rows = {
        "head": ("付款阶段 | 付款金额", ("PAYMENT",)),
        "row1": ("首付款 | [[36万元|AMT_INSTALLMENT]]", ("PAYMENT",)),
        "row2": ("进度款 | [[780,000.00元|AMT_INSTALLMENT]]", ("PAYMENT",)),
    }
    doc = build(add=rows)
    result = _result("R-GEN-011", doc)
    assert result.status == "HIT" and set(_evidence(result, doc)) == {"36万元", "780,000.00元"}
    assert "混用" in result.message


def test_a_column_unit_covers_bare_table_amounts() -> None:
    rows = {
        "head": ("付款阶段 | 付款金额（元）", ("PAYMENT",)),
        "row1": ("首付款 | [[360,000.00|AMT_INSTALLMENT]]", ("PAYMENT",)),
        "row2": ("进度款 | [[780,000.00|AMT_INSTALLMENT]]", ("PAYMENT",)),
    }
    assert status("R-GEN-011", build(add=rows)) == "PASS"


# ------------------------------------------------------------------------------------------------ R-GEN-012


def test_no_effectiveness_statement() -> None:
    result = _result(
        "R-GEN-012", build(replace={"effect": ("本合同一式肆份，甲乙双方各执贰份。", ("OTHER",))})
    )
    assert result.status == "HIT" and result.evidence == ()
    assert status("R-GEN-012") == "PASS"


def test_approval_condition_without_a_deadline() -> None:
    effect = "本合同经双方签字盖章并经甲方上级主管部门批准后生效。"
    doc = build(replace={"effect": effect})
    result = _result("R-GEN-012", doc)
    assert result.status == "HIT" and _evidence(result, doc) == ["上级主管部门批准后生效"]


def test_approval_condition_with_a_deadline_passes() -> None:
    effect = "本合同经甲方上级主管部门批准后生效，甲方应在双方签字之日起[[30日内|PERIOD]]完成报批。"
    assert status("R-GEN-012", build(replace={"effect": effect})) == "PASS"
