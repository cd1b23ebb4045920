"""Template rendering in the spec's [[text|LABEL]] notation gives exact offsets."""

from __future__ import annotations

import pytest

from training.markup import Blank, TemplateError, render, slots, strip_markup

PAYMENT = "[[甲方应在验收合格后[[{period}|PERIOD]]支付合同总价的[[{ratio}|RATE_PAYMENT]]|CL_MS_PAY]]。"


def test_nested_spans_get_offsets_into_the_rendered_text() -> None:
    r = render("（1）" + PAYMENT, {"period": "30日内", "ratio": "百分之三十"})
    assert r.text == "（1）甲方应在验收合格后30日内支付合同总价的百分之三十。"
    assert [(r.text[s.start : s.end], s.label) for s in r.ent] == [
        ("30日内", "PERIOD"),
        ("百分之三十", "RATE_PAYMENT"),
    ]
    assert [(r.text[s.start : s.end], s.label) for s in r.cl] == [
        ("甲方应在验收合格后30日内支付合同总价的百分之三十", "CL_MS_PAY")
    ]


def test_blank_values_are_written_but_not_tagged() -> None:
    r = render("签订日期：[[{date}|DATE_SIGN]]", {"date": Blank("    年  月  日")})
    assert r.text == "签订日期：    年  月  日" and r.ent == []


def test_shifted_moves_every_span() -> None:
    r = render(PAYMENT, {"period": "10个工作日内", "ratio": "30%"}).shifted(100)
    assert r.ent[0].start == 100 + len("甲方应在验收合格后") and r.cl[0].start == 100


def test_slots_and_display() -> None:
    assert slots(PAYMENT) == {"period", "ratio"}
    assert strip_markup(PAYMENT) == "甲方应在验收合格后{period}支付合同总价的{ratio}。"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("[[{x}|PERIOD]]", "no value"),
        ("[[abc|NOT_A_LABEL]]", "unknown label"),
        ("abc|PERIOD]]", "closes no span"),
        ("[[abc", "unclosed"),
    ],
)
def test_malformed_templates_are_refused(template: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        render(template, {})
