"""Tests for hetong.normalize: the spec's A.4 test vectors, failure cases, context rules and properties."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hetong.normalize import (
    KINDS,
    USCC_ALPHABET,
    amount_to_upper,
    amounts_equal,
    month_bound,
    normalize,
    normalize_amount,
    normalize_date,
    normalize_period,
    normalize_phone,
    normalize_rate,
    normalize_uscc,
    uscc_check_char,
)

# ---------------------------------------------------------------------------------------------------------
# A.4.1 Amounts
# ---------------------------------------------------------------------------------------------------------

# Spec A.4.1 test-vector table, plus the examples.
AMOUNT_VECTORS = [
    ("壹佰贰拾万元整", "1200000.00", "upper"),
    ("人民币壹拾万零伍佰元整", "100500.00", "upper"),
    ("叁仟肆佰伍拾陆元柒角捌分", "3456.78", "upper"),
    ("壹亿贰仟万元整", "120000000.00", "upper"),
    ("拾万元整", "100000.00", "upper"),
    ("玖拾捌万柒仟陆佰伍拾肆元叁角贰分", "987654.32", "upper"),
    ("贰亿零叁佰万零陆元整", "203000006.00", "upper"),
    ("伍万元零捌分", "50000.08", "upper"),
    ("叁拾万零贰拾元伍角", "300020.50", "upper"),
    ("壹佰贰拾万圆整", "1200000.00", "upper"),
    ("¥1,200,000.00元", "1200000.00", "lower"),
    ("人民币120万元", "1200000.00", "lower"),
    ("１２０万元", "1200000.00", "lower"),
    ("1.2亿元", "120000000.00", "lower"),
    ("12.5万", "125000.00", "lower"),
    ("（小写）：¥100500.00元", "100500.00", "lower"),
    ("壹佰贰拾叁万肆仟伍佰元整", "1234500.00", "upper"),
    ("贰拾万零伍佰元", "200500.00", "upper"),
]


@pytest.mark.parametrize(("text", "value", "form"), AMOUNT_VECTORS)
def test_amount_vectors(text: str, value: str, form: str) -> None:
    result = normalize_amount(text)
    assert result["ok"] is True
    assert result["value"] == value
    assert result["form"] == form
    assert result["currency"] == "CNY"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("人民币120万元", "1200000.00", "万元"),
        ("1.2亿元", "120000000.00", "亿元"),
        ("5千元", "5000.00", "千元"),
        ("¥1,200,000.00元", "1200000.00", "元"),
        ("￥864,000.00", "864000.00", "元"),
        ("RMB 36,000", "36000.00", "元"),
        ("CNY1200000", "1200000.00", "元"),
        ("216,000元", "216000.00", "元"),
        ("１，２００，０００．００元", "1200000.00", "元"),
        ("¥ 1 200 000.00", "1200000.00", "元"),
        ("1200000元整", "1200000.00", "元"),
        ("0.005元", "0.01", "元"),  # ROUND_HALF_UP
        ("大写：人民币陆万元整", "60000.00", "元"),
        ("人民币大写：叁佰元正", "300.00", "元"),
        ("(大写)捌拾陆万肆仟元整", "864000.00", "元"),
        ("壹佰 贰拾万 元整", "1200000.00", "元"),
        ("一百二十万元", "1200000.00", "元"),
        ("两万元", "20000.00", "元"),
        ("伍角", "0.50", "元"),
        ("捌分", "0.08", "元"),
        ("壹仟元伍角整", "1000.50", "元"),
        ("壹佰元伍角零分", "100.50", "元"),
        ("壹佰贰拾万", "1200000.00", "元"),
    ],
)
def test_amount_forms(text: str, value: str, unit: str) -> None:
    result = normalize_amount(text)
    assert result["ok"] is True, result
    assert result["value"] == value
    assert result["unit_in_text"] == unit


@pytest.mark.parametrize(
    "text",
    ["", "   ", "abc", "元整", "伍伍元", "佰元", "壹佰贰拾万元伍拾", "1.2.3元", "-5元", "壹元贰元", "1" * 40],
)
def test_amount_failures(text: str) -> None:
    result = normalize_amount(text)
    assert result["ok"] is False
    assert result["raw"] == text


def test_amounts_equal() -> None:
    assert amounts_equal("1200000.00", "1200000")
    assert amounts_equal("壹佰贰拾万元整", "¥1,200,000.00元")
    assert amounts_equal("100.004", "100.00")
    assert not amounts_equal("100.01", "100.00")
    assert not amounts_equal("garbage", "100.00")
    assert not amounts_equal("NaN", "NaN")
    assert not amounts_equal(None, "1")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "upper"),
    [
        ("1200000", "壹佰贰拾万元整"),
        ("100500", "壹拾万零伍佰元整"),
        ("3456.78", "叁仟肆佰伍拾陆元柒角捌分"),
        ("50000.08", "伍万元零捌分"),
        ("203000006", "贰亿零叁佰万零陆元整"),
        ("120000000", "壹亿贰仟万元整"),
        ("100000005", "壹亿零伍元整"),
        ("101.50", "壹佰零壹元伍角整"),
        ("10", "壹拾元整"),
        ("0.05", "伍分"),
        ("0", "零元整"),
        (Decimal("987654.32"), "玖拾捌万柒仟陆佰伍拾肆元叁角贰分"),
    ],
)
def test_amount_to_upper(value: str | Decimal, upper: str) -> None:
    assert amount_to_upper(value) == upper


@pytest.mark.parametrize("value", ["-1", "abc", "NaN", "Infinity", "1e20"])
def test_amount_to_upper_rejects(value: str) -> None:
    with pytest.raises(ValueError):
        amount_to_upper(value)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999999.99"), places=2))
def test_amount_to_upper_round_trip(value: Decimal) -> None:
    expected = format(value.quantize(Decimal("0.01")), "f")
    result = normalize_amount(amount_to_upper(value))
    assert result["ok"] is True
    assert result["form"] == "upper"
    assert result["value"] == expected


# ---------------------------------------------------------------------------------------------------------
# A.4.2 Dates
# ---------------------------------------------------------------------------------------------------------

DATE_VECTORS = [
    # spec A.4.2 table
    ("2025年3月18日", "2025-03-18", "day"),
    ("二〇二四年三月一日", "2024-03-01", "day"),
    ("二零二四年十二月三十一日", "2024-12-31", "day"),
    ("2024.3.1", "2024-03-01", "day"),
    ("2024年3月", "2024-03", "month"),
    # accepted forms and the examples
    ("2025年03月18日", "2025-03-18", "day"),
    ("2025年3月18号", "2025-03-18", "day"),
    ("二〇二五年三月十八日", "2025-03-18", "day"),
    ("二零二五年十二月三十一日", "2025-12-31", "day"),
    ("2025-03-18", "2025-03-18", "day"),
    ("2025/3/18", "2025-03-18", "day"),
    ("2025.3.18", "2025-03-18", "day"),
    ("2025年3月", "2025-03", "month"),
    ("2025 年 3 月 18 日", "2025-03-18", "day"),
    ("２０２５年３月１８日", "2025-03-18", "day"),
    ("2025．04．01", "2025-04-01", "day"),
    ("2025/01/01", "2025-01-01", "day"),
    ("2025-03", "2025-03", "month"),
    ("二〇二五年二月二十八日", "2025-02-28", "day"),
    ("2024年2月29日", "2024-02-29", "day"),
]


@pytest.mark.parametrize(("text", "iso", "precision"), DATE_VECTORS)
def test_date_vectors(text: str, iso: str, precision: str) -> None:
    result = normalize_date(text)
    assert result == {"ok": True, "iso": iso, "precision": precision, "blank": False, "year_inferred": False}


def test_date_two_digit_year() -> None:
    result = normalize_date("25年3月18日")
    assert result["ok"] is True
    assert result["iso"] == "2025-03-18"
    assert result["year_inferred"] is True


@pytest.mark.parametrize(
    "text",
    [
        "____年__月__日",
        "    年  月  日",
        "\u3000\u3000年\u3000\u3000月\u3000\u3000日",
        "20  年  月  日",
        "——",
    ],
)
def test_date_blanks(text: str) -> None:
    result = normalize_date(text)
    assert result["ok"] is True
    assert result["iso"] is None
    assert result["blank"] is True


def test_date_partial_blank_keeps_month() -> None:
    result = normalize_date("2025年3月__日")
    assert result["ok"] is True
    assert (result["iso"], result["precision"], result["blank"]) == ("2025-03", "month", True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "garbage",
        "2025-02-30",
        "2025年2月30日",
        "2025年13月1日",
        "2025-3/18",
        "25/3/18",
        "0000-01-01",
    ],
)
def test_date_failures(text: str) -> None:
    result = normalize_date(text)
    assert result["ok"] is False
    assert result["raw"] == text


@pytest.mark.parametrize(
    ("iso", "deadline", "expected"),
    [
        ("2025-03", True, "2025-03-31"),
        ("2025-03", False, "2025-03-01"),
        ("2024-02", True, "2024-02-29"),
        ("2025-02", True, "2025-02-28"),
        ("2025-03-18", True, "2025-03-18"),
        ("2025-13", True, None),
        ("garbage", False, None),
    ],
)
def test_month_bound(iso: str, deadline: bool, expected: str | None) -> None:
    assert month_bound(iso, deadline) == expected


# ---------------------------------------------------------------------------------------------------------
# A.4.3 Periods
# ---------------------------------------------------------------------------------------------------------

PERIOD_VECTORS = [
    # spec A.4.3 table: (text, value, unit, days, exact, bound)
    ("30日内", 30, "day", 30, True, "within"),
    ("30天内", 30, "day", 30, True, "within"),
    ("三十日以内", 30, "day", 30, True, "within"),
    ("10个工作日内", 10, "workday", 14, False, "within"),
    ("两周", 2, "week", 14, True, "exact"),
    ("3个月", 3, "month", 90, False, "exact"),
    ("三个月", 3, "month", 90, False, "exact"),
    ("半年", 6, "month", 180, False, "exact"),
    ("一年", 1, "year", 365, False, "exact"),
    ("12个月", 12, "month", 365, False, "exact"),
    ("180日历天", 180, "day", 180, True, "exact"),
    # further forms
    ("30个日历日", 30, "day", 30, True, "exact"),
    ("30个自然日内", 30, "day", 30, True, "within"),
    ("45天", 45, "day", 45, True, "exact"),
    ("2周内", 2, "week", 14, True, "within"),
    ("一个星期", 1, "week", 7, True, "exact"),
    ("三年", 3, "year", 1095, False, "exact"),
    ("5年", 5, "year", 1825, False, "exact"),
    ("24个月", 24, "month", 730, False, "exact"),
    ("一个季度", 3, "month", 90, False, "exact"),
    ("两个季度内", 6, "month", 180, False, "within"),
    ("俩月内", 2, "month", 60, False, "within"),
    ("十五个工作日之内", 15, "workday", 21, False, "within"),
    ("３０日内", 30, "day", 30, True, "within"),
    ("15  日 内", 15, "day", 15, True, "within"),
    ("提前30天", 30, "day", 30, True, "exact"),
    ("一年半", 18, "month", 545, False, "exact"),
    ("30日后", 30, "day", 30, True, "after"),
    ("不超过60日", 60, "day", 60, True, "within"),
]


@pytest.mark.parametrize(("text", "value", "unit", "days", "exact", "bound"), PERIOD_VECTORS)
def test_period_vectors(text: str, value: int, unit: str, days: int, exact: bool, bound: str) -> None:
    result = normalize_period(text)
    assert result == {"ok": True, "value": value, "unit": unit, "days": days, "exact": exact, "bound": bound}


def test_period_hours() -> None:
    assert normalize_period("2小时内") == {
        "ok": True, "value": 2, "unit": "hour", "days": 0, "exact": False, "bound": "within", "hours": 2,
    }  # fmt: skip
    result = normalize_period("72小时")
    assert (result["hours"], result["days"], result["bound"]) == (72, 3, "exact")


@pytest.mark.parametrize(
    "text", ["及时", "尽快", "合理期限", "另行协商", "视情况", "按甲方要求", "在合理期限内"]
)
def test_period_vague(text: str) -> None:
    result = normalize_period(text)
    assert result == {"ok": False, "raw": text, "reason": "vague", "vague": True}


@pytest.mark.parametrize("text", ["", "garbage", "日内", "3月", "30分钟", "1.5个月", "三半年"])
def test_period_failures(text: str) -> None:
    result = normalize_period(text)
    assert result["ok"] is False
    assert "vague" not in result


# ---------------------------------------------------------------------------------------------------------
# A.4.4 Rates
# ---------------------------------------------------------------------------------------------------------

RATE_VECTORS = [
    # spec A.4.4 table, issue examples and further forms
    ("10%", "0.10"),
    ("百分之十", "0.10"),
    ("0.5%", "0.005"),
    ("5‰", "0.005"),
    ("千分之五", "0.005"),
    ("万分之五", "0.0005"),
    ("3个百分点", "0.03"),
    ("0.5‰", "0.0005"),
    ("百分之三十", "0.30"),
    ("千分之一", "0.001"),
    ("千分之    一", "0.001"),
    ("１０％", "0.10"),
    ("10 %", "0.10"),
    ("百分之零点五", "0.005"),
    ("千分之0.5", "0.0005"),
    ("95%", "0.95"),
    ("150%", "1.5"),
    ("三成", "0.3"),
]


@pytest.mark.parametrize(("text", "fraction"), RATE_VECTORS)
def test_rate_vectors(text: str, fraction: str) -> None:
    result = normalize_rate(text)
    assert result["ok"] is True, result
    assert result["kind"] == "fixed"
    assert Decimal(result["fraction"]) == Decimal(fraction)
    assert result["fraction"] == format(Decimal(fraction).normalize(), "f")
    assert result["per"] == "once"
    assert result["annualized"] is None


@pytest.mark.parametrize(
    "text", ["LPR的1.5倍", "1.5倍LPR", "一年期LPR的1.5倍", "1.5倍的一年期贷款市场报价利率"]
)
def test_rate_lpr_multiple(text: str) -> None:
    result = normalize_rate(text)
    assert result["ok"] is True
    assert result["kind"] == "LPR_multiple"
    assert result["multiple"] == "1.5"
    assert result["fraction"] is None
    assert result["annualized"] is None


@pytest.mark.parametrize(
    ("text", "left", "right", "per", "base", "annualized"),
    [
        ("万分之五", "每逾期一日，按合同总价的", "", "day", "TOTAL", "0.1825"),
        ("万分之五", "按未付款项", "", "once", "UNPAID", None),
        (
            "万分之五",
            "甲方无正当理由逾期付款的，应按逾期未付款项每日",
            "向乙方支付",
            "day",
            "UNPAID",
            "0.1825",
        ),
        ("万分之五", "乙方逾期交货的，每逾期一日按逾期交货部分货款的", "", "day", "UNDELIVERED", "0.1825"),
        ("0.3%", "乙方应按未交付部分价款的", "/日，累计不超过", "day", "UNDELIVERED", "1.095"),
        ("0.3%/日", "乙方应按未交付部分价款的", "", "day", "UNDELIVERED", "1.095"),
        ("5%", "质保金按结算价的", "预留", "once", "SETTLEMENT", None),
        ("1%", "每逾期一周，按签约合同价的", "", "week", "TOTAL", "0.52"),
        ("2%", "按月利率", "计息", "month", "UNKNOWN", "0.24"),
        ("4.35%", "按年利率", "", "year", "UNKNOWN", "0.0435"),
        ("30%", "合同签订后10日内支付合同总价的", "，即人民币36万元", "once", "TOTAL", None),
        ("10%", "于2025年6月30日前支付合同金额的", "", "once", "TOTAL", None),
        ("80%", "按已完成工程价款的", "支付进度款", "once", "OTHER", None),
        ("6%", "乙方应开具税率为", "的增值税专用发票", "once", "UNKNOWN", None),
        ("万分之五", "按逾期款项", "每日", "day", "OVERDUE_AMOUNT", "0.1825"),
    ],
)
def test_rate_context(text: str, left: str, right: str, per: str, base: str, annualized: str | None) -> None:
    result = normalize_rate(text, left, right)
    assert result["ok"] is True
    assert (result["per"], result["base"], result["annualized"]) == (per, base, annualized)


def test_rate_lpr_with_context() -> None:
    result = normalize_rate("LPR的1.5倍", "甲方逾期付款的，按", "支付逾期利息")
    assert (result["kind"], result["per"], result["multiple"]) == ("LPR_multiple", "year", "1.5")


@pytest.mark.parametrize("text", ["十倍于本次餐费", "按人民银行同期存款基准利率", "garbage", "0.05", "%"])
def test_rate_not_a_fraction(text: str) -> None:
    assert normalize_rate(text) == {"ok": False, "raw": text, "reason": "not_a_fraction"}


def test_rate_empty() -> None:
    assert normalize_rate("")["ok"] is False


# ---------------------------------------------------------------------------------------------------------
# A.4.5 Phones
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical", "kind", "extension"),
    [
        ("0577-88990011", "057788990011", "landline", None),
        ("139 5770 0123", "13957700123", "mobile", None),
        ("0577-86001234转8001", "057786001234", "landline", "8001"),
        ("13800571234", "13800571234", "mobile", None),
        ("0577-86001234 ext 8001", "057786001234", "landline", "8001"),
        ("0577-86001234-分机8001", "057786001234", "landline", "8001"),
        ("0577-86001234-8001", "057786001234", "landline", "8001"),
        ("010-12345678", "01012345678", "landline", None),
        ("（0577）88990011", "057788990011", "landline", None),
        ("+86 139-5770-0123", "13957700123", "mobile", None),
        ("１３８００５７１２３４", "13800571234", "mobile", None),
    ],
)
def test_phone(text: str, canonical: str, kind: str, extension: str | None) -> None:
    assert normalize_phone(text) == {"ok": True, "canonical": canonical, "kind": kind, "extension": extension}


@pytest.mark.parametrize(
    "text", ["", "1380057123456", "12800571234", "400-800-1234", "电话", "0577-8899", "abc"]
)
def test_phone_failures(text: str) -> None:
    result = normalize_phone(text)
    assert result["ok"] is False
    assert result["raw"] == text


# ---------------------------------------------------------------------------------------------------------
# A.4.6 USCC
# ---------------------------------------------------------------------------------------------------------

USCC_VECTORS = [
    ("113303020025012344", "机构编制", "机关", "330302"),
    ("91330302MA2HQ8K4X9", "工商", "企业", "330302"),
    ("12330300470012345F", "机构编制", "事业单位", "330300"),
    ("91440303MA5FQ2RT1N", "工商", "企业", "440303"),
    ("91330300MA2JW7N059", "工商", "企业", "330300"),
]


@pytest.mark.parametrize(("code", "registrar", "org_kind", "region"), USCC_VECTORS)
def test_uscc_self_test_vectors(code: str, registrar: str, org_kind: str, region: str) -> None:
    result = normalize_uscc(code)
    assert result == {
        "ok": True, "canonical": code, "valid": True, "registrar": registrar, "org_kind": org_kind,
        "region": region,
    }  # fmt: skip
    assert uscc_check_char(code[:17]) == code[17]


def test_uscc_canonical_form() -> None:
    result = normalize_uscc("9133 0302 ma2h q8k4 x9")
    assert (result["ok"], result["canonical"], result["valid"]) == (True, "91330302MA2HQ8K4X9", True)


@pytest.mark.parametrize(
    ("code", "org_kind"),
    [
        ("51330300MJ0000000X", "社会团体"),
        ("52330300MJ0000000X", "民办非企业"),
        ("53330300MJ0000000X", "基金会"),
        ("92330300MJ0000000X", "个体工商户"),
        ("93330300MJ0000000X", "农民专业合作社"),
        ("13330300MJ0000000X", "群团"),
    ],
)
def test_uscc_prefixes(code: str, org_kind: str) -> None:
    fixed = code[:17] + (uscc_check_char(code[:17]) or "")
    assert normalize_uscc(fixed)["org_kind"] == org_kind
    assert normalize_uscc(fixed)["valid"] is True


def test_uscc_bad_checksum_is_ok_but_invalid() -> None:
    result = normalize_uscc("91330302MA2HQ8K4X8")
    assert (result["ok"], result["valid"]) == (True, False)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "empty"), ("91330302MA2HQ8K4X", "bad_length"), ("91330302MA2HQ8K4XI", "bad_alphabet"),
     ("91330302MA2HQ8K4O9", "bad_alphabet"), ("913303020MA2HQ8K4X9", "bad_length")],
)  # fmt: skip
def test_uscc_failures(text: str, reason: str) -> None:
    assert normalize_uscc(text) == {"ok": False, "raw": text, "reason": reason}


@pytest.mark.parametrize("text", ["", "1133030200250123", "11330302002501234I", "9133030ma2hq8k4x9z"])
def test_uscc_check_char_rejects(text: str) -> None:
    assert uscc_check_char(text) is None


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17), st.data())
def test_uscc_check_char_property(first17: str, data: st.DataObject) -> None:
    check = uscc_check_char(first17)
    assert check is not None
    code = first17 + check
    assert normalize_uscc(code)["valid"] is True
    position = data.draw(st.integers(min_value=0, max_value=17))
    replacement = data.draw(st.sampled_from([c for c in USCC_ALPHABET if c != code[position]]))
    changed = code[:position] + replacement + code[position + 1 :]
    result = normalize_uscc(changed)
    assert result["ok"] is True
    assert result["valid"] is False


# ---------------------------------------------------------------------------------------------------------
# Dispatch and the never-raise contract
# ---------------------------------------------------------------------------------------------------------


def test_dispatch() -> None:
    assert KINDS == ("amount", "date", "period", "rate", "phone", "uscc")
    assert normalize("amount", "壹佰贰拾万元整")["value"] == "1200000.00"
    assert normalize("date", "2025年3月18日")["iso"] == "2025-03-18"
    assert normalize("period", "30日内")["days"] == 30
    assert normalize("rate", "万分之五")["fraction"] == "0.0005"
    assert normalize("phone", "13800571234")["kind"] == "mobile"
    assert normalize("uscc", "91330302MA2HQ8K4X9")["valid"] is True
    unknown = normalize("colour", "red")
    assert unknown["ok"] is False
    assert unknown["reason"].startswith("unknown kind")


NORMALISERS = [
    normalize_amount,
    normalize_date,
    normalize_period,
    normalize_rate,
    normalize_phone,
    normalize_uscc,
]
# Characters the parsers care about, so that generated text reaches deep into them.
DOMAIN_ALPHABET = (
    "0123456789.,%‰-/ 年月日号元角分整万亿千百十拾佰仟零〇一二三四五六七八九两壹贰叁肆伍陆柒捌玖"
    "个工作周天小时内以之半季度分之点倍LPR¥转ABCXY_：（）大写小写人民币"
)


def _assert_result(result: Any) -> None:
    assert isinstance(result, dict)
    assert isinstance(result["ok"], bool)
    json.dumps(result)


@pytest.mark.parametrize("func", NORMALISERS, ids=lambda f: f.__name__)
@given(text=st.text())
def test_never_raises_on_any_text(func: Any, text: str) -> None:
    _assert_result(func(text))


@pytest.mark.parametrize("func", NORMALISERS, ids=lambda f: f.__name__)
@given(text=st.text(alphabet=DOMAIN_ALPHABET, max_size=20))
def test_never_raises_on_domain_text(func: Any, text: str) -> None:
    _assert_result(func(text))


@given(text=st.text(), left=st.text(), right=st.text())
def test_rate_never_raises_with_context(text: str, left: str, right: str) -> None:
    _assert_result(normalize_rate(text, left, right))


@given(kind=st.sampled_from([*KINDS, "other"]), text=st.text())
def test_dispatch_never_raises(kind: str, text: str) -> None:
    _assert_result(normalize(kind, text))


@given(a=st.text(), b=st.text())
def test_amounts_equal_never_raises(a: str, b: str) -> None:
    assert isinstance(amounts_equal(a, b), bool)


@pytest.mark.parametrize("func", NORMALISERS, ids=lambda f: f.__name__)
def test_non_string_input_fails_cleanly(func: Any) -> None:
    result = func(None)
    assert result["ok"] is False
    json.dumps(result)


@pytest.mark.parametrize(
    ("text", "value", "per_unit"),
    [
        ("18.5元/平方米·月", "18.50", "平方米·月"),
        ("4500元/人·月", "4500.00", "人·月"),
        ("120元/次", "120.00", "次"),
    ],
)
def test_unit_prices_keep_their_unit(text: str, value: str, per_unit: str) -> None:
    """Spec A.2 AMT_OTHER example: 单价[[18.5元/平方米·月|AMT_OTHER]]."""
    result = normalize_amount(text)
    assert (result["ok"], result["value"], result["per_unit"]) == (True, value, per_unit)
