"""Clause segmentation on real templates of different kinds and layouts.

Every expectation below was checked by eye against the file: the unit count, and for a few units where
the unit starts and ends, its marker, and which merged heading it carries. The files cover PDF text with
layout wrapping and page numbers (Beijing, Zhejiang, NDRC, military), Word text with odd spacing (Shanghai
police, Huangpu customs), fixed-width 1990s templates with full-width digits and indentation (建筑, 租赁,
劳动), and a FreeMarker template with ${} placeholders (环评).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from hetong.segment import ClauseUnit, segment, split_sentences


class Expected(NamedTuple):
    index: int
    starts: str
    ends: str
    marker: str | None
    heading: str | None  # the merged heading text, or None when the unit has none


CASES: dict[str, tuple[int, list[Expected]]] = {
    # PDF text wrapped at ~37 characters, page numbers ("51") between lines, 一、/1．/（1） nesting.
    "bid_toolkit_tenders/contract_sections/beijing_gp_model_tender_contract.txt": (
        101,
        [
            Expected(4, "甲方：北京松山国家级自然保护区管理处", "（以下简称“甲\n方”）", None, None),
            Expected(7, "一、合同组成部分", "1．本合同书；", "1．", "一、合同组成部分"),
            Expected(12, "1．供餐时间：\n早餐：7:30", "乙\n方负全部责任。", "1．", "1．供餐时间："),
            # The wrapped body runs across the page number "51" and stays one unit.
            Expected(16, "3．服务保障质量\n乙方须按照", "营养搭配、安全卫生。", "3．", "3．服务保障质量"),
            Expected(39, "2．本项目合同金额（含税）为（大写）", "万元（合同款的10%）。", "2．", None),
        ],
    ),
    # PDF text; blank form fields as sibling items must not swallow each other.
    "bid_toolkit_tenders/contract_sections/zj_gp_service_contract.txt": (
        91,
        [
            Expected(15, "二、货物内容\n（一）货物名称：", "（一）货物名称：", "（一）", "二、货物内容"),
            Expected(16, "（二）型号规格：", "（二）型号规格：", "（二）", None),
            Expected(19, "三、合同金额\n本合同金额为（大写）", "元）人民币。", "三、", "三、合同金额"),
            Expected(35, "十二、税费\n- 63 -\n本合同", "均由乙方负担。", "十二、", "十二、税费"),
        ],
    ),
    # 1990s template: full-width indentation, lines wrapped at a fixed width, 第X条 articles.
    "yh_oa_hyhetong/jianzhu/jianzhu01.txt": (
        84,
        [
            Expected(4, "为了明确责任，分工协作", "以便共同遵守。", None, None),
            Expected(
                5,
                "第一条\u3000工程名称",
                "建设地点在＿＿＿＿。",
                "第一条",
                "第一条\u3000工程名称、规模、投资额、建设地点",
            ),
            Expected(7, "甲方对上述资料必须保证质量", "不得随意变更。", None, None),
            Expected(26, "第七条\u3000其它\n", "＿＿＿＿。", "第七条", "第七条\u3000其它"),
        ],
    ),
    # Technical-service template with ${} placeholders; "第二条：" with its content on the same line.
    "xudun_eia_contract_templates/EPC_HP.txt": (
        126,
        [
            Expected(41, "第二条：乙方应当按照下列进度要求", "环境影响报告表(送审稿)。", "第二条", None),
            Expected(
                44, "1．提供技术资料：\n（1）甲方及时提供", "有关技术资料；", "（1）", "1．提供技术资料："
            ),
            Expected(54, "（1）签订合同后一周内支付总费用50%。", "支付总费用50%。", "（1）", None),
        ],
    ),
    # Word text with spaces inside markers ("2．1", "3.1.") and a chain of two headings.
    "bid_toolkit_tenders/contract_sections/sh_police_baoshan_property_mgmt_contract.txt": (
        89,
        [
            Expected(
                12,
                "2.  合同价格 、服务地点和服务期限\n\n2．1 合同价格\n\n本合同价格为",
                "合同总价大写]）。",
                "2．1",
                "2.  合同价格 、服务地点和服务期限\n\n2．1 合同价格",
            ),
            Expected(18, "3.1. 甲乙双方在履行合同期间", "资质等级不降低。", "3.1.", None),
        ],
    ),
    # Word text, one paragraph per line (no layout wrapping), 第X条 headings on their own line.
    "bid_toolkit_tenders/contract_sections/huangpu_customs_aux_service_contract.txt": (
        75,
        [
            Expected(
                13, "第四条  管理服务期限\n管理服务的期限为", "月＿  日止。", "第四条", "第四条  管理服务期限"
            ),
            Expected(
                29,
                "第九条 争议解决方式\n双方发生争议的",
                "（请在选择项中打“√”）",
                "第九条",
                "第九条 争议解决方式",
            ),
            # A long paragraph without final punctuation is not a wrapped line in unwrapped text.
            Expected(39, "合同生效", "合同生效", None, None),
        ],
    ),
    # The NDRC general conditions: 1. / 1.1 / 1.1.1 / 1.1.1.1 nest by their number of levels.
    "bid_toolkit_tenders/contract_sections/ndrc_standard_design_contract_terms.txt": (
        302,
        [
            Expected(
                2,
                "第一节通用合同条款\n1. 一般约定\n1.1 词语定义\n通用合同条款",
                "所赋予的含义。",
                "1.1",
                "第一节通用合同条款\n1. 一般约定\n1.1 词语定义",
            ),
            Expected(3, "1.1.1 合同\n1.1.1.1 合同文件", "组成部\n分的文件。", "1.1.1.1", "1.1.1 合同"),
            Expected(4, "1.1.1.2 合同协议书：", "共同签署的合同协议书。", "1.1.1.2", None),
        ],
    ),
    # Lease template: article titles that end in 。 are still headings.
    "yh_oa_hyhetong/zulin/zulinght01.txt": (
        67,
        [
            Expected(2, "出租方（以下简称甲方）：＿＿＿＿＿", "：＿＿＿＿＿", None, None),
            Expected(
                17,
                "第一条\u3000房屋基本情况。\n\u3000\u3000甲方房屋",
                "为＿＿＿＿＿。",
                "第一条",
                "第一条\u3000房屋基本情况。",
            ),
            Expected(19, "除双方另有约定外", "不得任意改变房屋用途。", None, None),
        ],
    ),
    # Labour contract: full-width digits (１．) below 第X条.
    "yh_oa_hyhetong/laodong/laodonght02.txt": (
        139,
        [
            Expected(
                10,
                "第二条\u3000生产（工作）任务：\n",
                "从事＿＿＿＿工作。",
                "第二条",
                "第二条\u3000生产（工作）任务：",
            ),
            Expected(11, "乙方同意按甲方生产（工作）需要", "担任＿＿＿＿工种。", None, None),
            Expected(
                13,
                "第三条\u3000劳动（工作）安全、卫生条件：\n\u3000\u3000１．甲方必须",
                "职工健康。",
                "１．",
                "第三条\u3000劳动（工作）安全、卫生条件：",
            ),
        ],
    ),
    # Military general terms: chapter, 一、 and （一） headings chained onto the first definition.
    "bid_toolkit_tenders/contract_sections/military_cleaning_labor_outsourcing_general_terms.txt": (
        50,
        [
            Expected(
                0,
                "第二章 合同通用条款\n一、定义\n（一）“合同”",
                "已达成的协议。",
                "（一）",
                "第二章 合同通用条款\n一、定义",
            ),
            Expected(5, "二、知识产权\n乙方应当保证", "连带责任或赔偿责任。", "二、", "二、知识产权"),
            Expected(14, "1.因不可抗力无法履行合同", "不能实现合同目的的；", "1.", None),
        ],
    ),
}


def _check_invariants(text: str, units: list[ClauseUnit]) -> None:
    previous_end = 0
    for unit in units:
        body = unit.text(text)
        assert body == body.strip() and body, "units are trimmed and never empty"
        assert unit.start >= previous_end, "units are in order and do not overlap"
        previous_end = unit.end
        assert unit.sentences, "every unit has at least one sentence"
        for sentence in unit.sentences:
            assert unit.start <= sentence.start < sentence.end <= unit.end
        if unit.heading_end is not None:
            assert unit.start < unit.heading_end < unit.end


@pytest.mark.parametrize("relative_path", sorted(CASES))
def test_real_template_units(corpus_dir: Path, relative_path: str) -> None:
    text = (corpus_dir / relative_path).read_text(encoding="utf-8")
    units = segment(text)
    expected_count, expectations = CASES[relative_path]
    assert len(units) == expected_count
    _check_invariants(text, units)
    for exp in expectations:
        unit = units[exp.index]
        body = unit.text(text)
        assert body.startswith(exp.starts), f"unit {exp.index} starts {body[:30]!r}"
        assert body.endswith(exp.ends), f"unit {exp.index} ends {body[-30:]!r}"
        assert unit.marker == exp.marker
        heading = None if unit.heading_end is None else text[unit.start : unit.heading_end]
        assert heading == exp.heading


def test_page_numbers_are_never_units(corpus_dir: Path) -> None:
    text = (corpus_dir / "bid_toolkit_tenders/contract_sections/zj_gp_service_contract.txt").read_text(
        "utf-8"
    )
    bodies = [unit.text(text) for unit in segment(text)]
    assert "- 62 -" in text
    assert not any(body.strip("- ").isdigit() for body in bodies)


def test_table_rows_are_units_of_their_own() -> None:
    text = (
        "五、付款计划\n期次 | 比例 | 条件\n1 | 30% | 合同签订后10日内\n2 | 70% | 验收合格后30日内\n"
        "六、违约责任\n乙方逾期交货的，按日支付违约金。"
    )
    units = segment(text)
    assert [u.kind for u in units] == ["table_row", "table_row", "table_row", "numbered"]
    assert units[0].text(text) == "五、付款计划\n期次 | 比例 | 条件"
    assert units[1].text(text) == "1 | 30% | 合同签订后10日内"
    assert units[3].text(text) == "六、违约责任\n乙方逾期交货的，按日支付违约金。"
    assert units[3].heading_end == text.index("\n乙方")


def test_sentences_split_after_terminal_punctuation_with_closing_quotes() -> None:
    text = "第十条 违约责任\n乙方逾期的，按“万分之五”支付违约金。甲方逾期付款的，应支付利息；详见附件（一）。"
    (unit,) = segment(text)
    sentences = [text[s.start : s.end] for s in unit.sentences]
    assert sentences == [
        "第十条 违约责任",
        "乙方逾期的，按“万分之五”支付违约金。",
        "甲方逾期付款的，应支付利息；",
        "详见附件（一）。",
    ]


def test_split_sentences_trims_whitespace_and_keeps_offsets() -> None:
    text = "  甲方应付款。  乙方应开票！ "
    sentences = split_sentences(text, 0, len(text))
    assert [(s.start, s.end) for s in sentences] == [(2, 8), (10, 16)]


@pytest.mark.parametrize("text", ["", "\n\n", "   ", "51\n- 62 -\n第 3 页 共 10 页"])
def test_nothing_to_segment(text: str) -> None:
    assert segment(text) == []


def test_decimal_amounts_at_line_start_are_not_numbering() -> None:
    text = "合同价款如下：\n1.5万元为预付款，合同签订后支付。\n0.5%为违约金比例。"
    units = segment(text)
    assert [u.marker for u in units] == [None, None, None]
