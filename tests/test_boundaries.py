"""The boundary-rule validator finds each kind of violation the spec names, and passes clean spans."""

from __future__ import annotations

import pytest

from hetong.boundaries import check_cl_span, check_document, trim_edges
from hetong.schema import Document, Span


def _doc(text: str, value: str, label: str) -> Document:
    start = text.index(value)
    span = Span(start, start + len(value), label)
    layer = "cl" if label.startswith("CL_") else "ent"
    return Document("t", text, **{layer: [span]})


@pytest.mark.parametrize(
    ("text", "value", "label"),
    [
        ("甲方（采购人）：温州市瓯江区教育局", "温州市瓯江区教育局", "PARTY_A"),
        (
            "采购人：北京松山国家级自然保护区管理处（北京市松山林场管理处）。",
            "北京松山国家级自然保护区管理处（北京市松山林场管理处）",
            "PARTY",
        ),
        ("合同总价：¥1,200,000.00元（大写：人民币壹佰贰拾万元整）", "¥1,200,000.00元", "AMT_TOTAL_LOWER"),
        (
            "合同总价：¥1,200,000.00元（大写：人民币壹佰贰拾万元整）",
            "人民币壹佰贰拾万元整",
            "AMT_TOTAL_UPPER",
        ),
        ("乙方应于2025年6月30日前完成安装", "2025年6月30日", "DATE_NODE"),
        ("收到发票之日起30日内支付", "30日内", "PERIOD"),
        ("每逾期一日，按合同总价的万分之五支付违约金", "万分之五", "RATE_PENALTY"),
        ("统一社会信用代码：91330302MA2HQ8K4X9", "91330302MA2HQ8K4X9", "USCC"),
        ("联系电话：0577-86001234转8001", "0577-86001234转8001", "PHONE"),
        ("（1）合同签订后10日内支付30%；", "合同签订后10日内支付30%", "CL_MS_PAY"),
    ],
)
def test_clean_spans_pass(text: str, value: str, label: str) -> None:
    assert check_document(_doc(text, value, label)) == []


@pytest.mark.parametrize(
    ("text", "value", "label", "rule"),
    [
        ("甲方：温州市瓯江区教育局", "甲方：温州市瓯江区教育局", "PARTY_A", "G1"),
        ("签订日期：2025年3月18日", "签订日期：2025年3月18日", "DATE_SIGN", "G1"),
        ("《温州市瓯江区校园安保服务合同》", "《温州市瓯江区校园安保服务合同》", "CONTRACT_NAME", "G2"),
        ("温州市瓯江区教育局。", "温州市瓯江区教育局。", "PARTY_A", "G2"),
        ("由甲方负责", "甲方", "PARTY_A", "G4"),
        ("合同总价1200000.00元", "1200000.00", "AMT_TOTAL_LOWER", "G6"),
        ("合同总价¥1200000.00", "1200000.00", "AMT_TOTAL_LOWER", "G6"),
        ("合同总价人民币120万元", "120万元", "AMT_TOTAL_LOWER", "G6"),
        ("乙方应于2025年6月30日前完成", "2025年6月30日前", "DATE_NODE", "G9"),
        ("提前30天以上通知", "30天以上", "PERIOD", "A.5.5"),
        ("每日万分之五", "每日万分之五", "RATE_PENALTY", "G8"),
        ("代码：9133030", "9133030", "USCC", "A.4.6"),
        ("（1）合同签订后10日内支付30%；", "（1）合同签订后10日内支付30%", "CL_MS_PAY", "CL1"),
        ("合同签订后10日内支付30%；", "合同签订后10日内支付30%；", "CL_MS_PAY", "G2"),
        (" 温州市瓯江区教育局", " 温州市瓯江区教育局", "PARTY_A", "G0"),
    ],
)
def test_each_rule_is_enforced(text: str, value: str, label: str, rule: str) -> None:
    rules = {v.rule for v in check_document(_doc(text, value, label))}
    assert rule in rules


def test_overlapping_spans_are_a_schema_violation() -> None:
    doc = Document("t", "合同总价120万元", ent=[Span(4, 9, "AMT_TOTAL_LOWER"), Span(6, 9, "AMT_OTHER")])
    (violation,) = check_document(doc)
    assert violation.rule == "SCHEMA" and "overlap" in violation.message


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("《沈阳市办公设备采购合同》", "沈阳市办公设备采购合同"),
        ("《", ""),
        ("“甲方”", "甲方"),
        (" 林丽，", "林丽"),
        ("浙江恒绿（济南）建设工程有限公司", "浙江恒绿（济南）建设工程有限公司"),
        ("深圳市某某有限公司（深圳）", "深圳市某某有限公司（深圳）"),
        ("）2025年", "2025年"),
        ("（2025年", "2025年"),
    ],
)
def test_trim_edges_keeps_the_part_that_passes_the_edge_rules(value: str, kept: str) -> None:
    text = f"前文{value}后文"
    start, end = trim_edges(text, 2, 2 + len(value))
    assert text[start:end] == kept
    if kept:
        assert _edge_checks_pass(text, start, end)


def _edge_checks_pass(text: str, start: int, end: int) -> bool:
    return not check_cl_span(text, Span(start, end, "CL_BREACH"))
