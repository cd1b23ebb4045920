"""Spans to the A.3 contract record: the spec's examples, and generated contracts whose facts are known."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hetong.assemble import assemble
from hetong.schema import Document, Span
from training.generator import generate, make_blueprint
from training.markup import render


def _doc(template: str) -> Document:
    rendered = render(template, {})
    return Document("t", rendered.text, rendered.ent, rendered.cl)


def test_parties_roles_and_linked_identity() -> None:
    doc = _doc(
        "甲方（采购人）：[[温州市瓯江区教育局|PARTY_A]]\n统一社会信用代码：[[113303020025012344|USCC]]\n"
        "法定代表人：[[陈志远|LEGAL_REP]]\n联系人：[[李倩|CONTACT]]  电话：[[0577-88990011|PHONE]]\n"
        "乙方：[[浙江瓯信（温州）科技有限公司|PARTY_B]]（以下简称“乙方”）\n地址：[[温州市鹿城区车站大道577号|ADDRESS]]\n"
        "甲方（盖章）：[[温州市瓯江区教育局|PARTY_A]]"
    )
    record = assemble(doc)
    buyer, supplier = record.party("buyer"), record.party("supplier")
    assert buyer is not None and supplier is not None
    assert (buyer.name, buyer.role_alias, buyer.role_assumed) == ("温州市瓯江区教育局", "采购人", False)
    assert buyer.uscc is not None and buyer.uscc.value == "113303020025012344" and buyer.uscc_valid
    assert buyer.legal_rep is not None and buyer.legal_rep.value == "陈志远"
    assert buyer.contacts[0]["name"] == "李倩" and buyer.contacts[0]["phone"] == "0577-88990011"
    assert len(buyer.mentions) == 2
    assert (supplier.role, supplier.role_assumed) == ("supplier", True)
    assert supplier.address is not None and supplier.address.value == "温州市鹿城区车站大道577号"


def test_lease_role_follows_the_government_party() -> None:
    """A.5 item 19: the government lessee is the buyer whatever its letter."""
    doc = _doc("出租方：[[温州市鹿港物业服务有限公司|PARTY]]\n承租方：[[温州市瓯江区机关事务管理局|PARTY]]")
    record = assemble(doc)
    assert record.party("buyer").name == "温州市瓯江区机关事务管理局"  # type: ignore[union-attr]
    assert record.party("supplier").name == "温州市鹿港物业服务有限公司"  # type: ignore[union-attr]


def test_cumulative_payment_nodes_become_increments() -> None:
    doc = _doc(
        "1. [[项目初验合格后[[30日内|PERIOD]]支付至合同总价的[[60%|RATE_PAYMENT]]|CL_MS_PAY]]；\n"
        "2. [[终验合格且收到发票后[[15个工作日内|PERIOD]]支付至合同总价的[[95%|RATE_PAYMENT]]|CL_MS_PAY]]；\n"
        "3. [[剩余[[5%|RATE_BOND]]作为质保金，质保期满后[[15日内|PERIOD]]无息支付|CL_MS_PAY]]。"
    )
    pays = assemble(doc).milestones
    assert [m.ratio for m in pays] == ["0.6", "0.35", "0.05"]
    assert [m.cumulative for m in pays] == [True, True, False]
    assert [m.anchor_event for m in pays[:2]] == ["ACCEPTANCE", "ACCEPTANCE+INVOICE"]
    assert pays[1].period is not None and pays[1].period["unit"] == "workday"
    assert [m.retention for m in pays] == [False, False, True]
    assert all(m.obligor == "buyer" for m in pays)


def test_explicit_increment_wins_over_the_cumulative_ratio() -> None:
    """A.5 item 9: 支付至95%，即本期支付65%."""
    doc = _doc(
        "[[验收合格后[[10日内|PERIOD]]支付至[[95%|RATE_PAYMENT]]，即本期支付[[65%|RATE_PAYMENT]]|CL_MS_PAY]]"
    )
    (node,) = assemble(doc).milestones
    assert (node.ratio, node.cumulative) == ("0.65", True)


def test_penalties_read_obligor_trigger_periodicity_base_and_cap() -> None:
    doc = _doc(
        "[[乙方逾期交货的，每逾期一日按逾期交货部分货款的[[万分之五|RATE_PENALTY]]向甲方支付违约金，"
        "累计不超过合同总价的[[10%|RATE_OTHER]]|CL_BREACH]]。"
        "[[甲方无正当理由逾期付款的，应按逾期未付款项每日[[万分之五|RATE_PENALTY]]"
        "向乙方支付逾期利息|CL_BREACH]]。"
        "[[每发现一次未按规定巡逻，乙方应支付违约金[[500元|AMT_PENALTY]]|CL_BREACH]]。"
    )
    late_delivery, late_payment, fixed = assemble(doc).penalties
    assert (late_delivery.obligor, late_delivery.trigger, late_delivery.per, late_delivery.base) == (
        "supplier",
        "late_delivery",
        "day",
        "UNDELIVERED",
    )
    assert (late_delivery.fraction, late_delivery.cap, late_delivery.cap_kind) == (
        "0.0005",
        "0.1",
        "fraction",
    )
    assert (late_payment.obligor, late_payment.trigger, late_payment.base, late_payment.cap) == (
        "buyer",
        "late_payment",
        "UNPAID",
        None,
    )
    assert (fixed.kind, fixed.amount, fixed.per) == ("amount", "500.00", "once")


def test_total_falls_back_from_lower_to_upper_to_installments() -> None:
    both = _doc(
        "合同总价：[[¥1,200,000.00元|AMT_TOTAL_LOWER]]（大写：[[人民币壹佰贰拾万元整|AMT_TOTAL_UPPER]]）"
    )
    assert assemble(both).amounts["total"] == "1200000.00"
    upper = _doc("合同金额为人民币（大写）[[捌拾陆万肆仟元整|AMT_TOTAL_UPPER]]")
    assert assemble(upper).amounts["total"] == "864000.00"
    derived = assemble(
        _doc(
            "[[合同签订后[[10日内|PERIOD]]支付[[¥360,000.00|AMT_INSTALLMENT]]|CL_MS_PAY]]；"
            "[[验收合格后[[30日内|PERIOD]]支付[[¥840,000.00|AMT_INSTALLMENT]]|CL_MS_PAY]]"
        )
    ).amounts
    assert (derived["total"], derived["total_derived"]) == ("1200000.00", True)
    assert assemble(_doc("本合同价款另行约定。")).amounts["total"] is None


def test_confidence_is_the_minimum_of_the_spans_used() -> None:
    text = "合同总价：¥1,200,000.00元"
    doc = Document("t", text, [Span(5, text.index("元") + 1, "AMT_TOTAL_LOWER", 0.42)])
    assert assemble(doc).amounts["total_confidence"] == pytest.approx(0.42)


@pytest.mark.parametrize("seed", range(40))
def test_generated_contracts_assemble_to_their_blueprint(seed: int) -> None:
    doc, bp = generate(seed), make_blueprint(seed)
    record = assemble(doc)
    assert record.party("buyer").name == bp.slots["buyer"]  # type: ignore[union-attr]
    assert record.party("supplier").name == bp.slots["supplier"]  # type: ignore[union-attr]
    assert record.amounts["total"] == bp.facts["total"]
    for key in ("start", "end"):
        field = record.dates[key]
        assert field is None or field.value == bp.facts[key]
    schedule = [m for m in record.milestones if m.kind == "PAY" and m.ratio is not None]
    assert sum(Decimal(m.ratio) for m in schedule) == 1, [m.text for m in schedule]
    assert len(schedule) == len(bp.nodes)
