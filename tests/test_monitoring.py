"""Milestone monitoring from a contract record: due dates from anchors, GREY until the anchor happens."""

from __future__ import annotations

import datetime as dt

from risk_helpers import build

from hetong.assemble import assemble
from hetong.calendar import add_period
from hetong.monitoring import MilestoneStatus, anchor_dates, milestone_inputs, performance

SIGN = dt.date(2025, 7, 1)


def _record():
    return assemble(build())


def test_anchors_come_from_the_contract_events_and_completed_milestones() -> None:
    record = _record()
    assert anchor_dates(record)["SIGN"] == SIGN
    assert anchor_dates(record)["EFFECTIVE"] == SIGN  # 自双方签字盖章之日起生效
    delivery = next(m for m in record.milestones if m.kind == "DELIVERY")
    done = MilestoneStatus(delivery.id, "已完成", dt.date(2025, 7, 9))
    assert anchor_dates(record, statuses=[done])["DELIVERY"] == dt.date(2025, 7, 9)
    assert anchor_dates(record, {"SIGN": dt.date(2025, 7, 2)})["SIGN"] == dt.date(2025, 7, 2)


def test_due_dates_follow_the_anchor_and_period() -> None:
    record = _record()
    buyer_payments = [m for m in milestone_inputs(record) if m.kind == "PAY" and m.obligor == "buyer"]
    first_payment, acceptance_payment = buyer_payments[:2]
    assert first_payment.due == add_period(SIGN, 10, "workday").date
    assert acceptance_payment.due is None and "anchor_pending" in acceptance_payment.due_flags
    accepted = dt.date(2025, 9, 1)
    later = {m.id: m for m in milestone_inputs(record, {"ACCEPTANCE": accepted})}
    assert later[acceptance_payment.id].due == add_period(accepted, 15, "day").date


def test_an_overdue_open_buyer_payment_turns_the_contract_red() -> None:
    record = _record()
    first = record.milestones[0]
    due = add_period(SIGN, 10, "workday").date
    late = performance(record, due + dt.timedelta(days=3))
    assert late.colour == "red" and first.id in late.buyer_overdue_payments
    paid = performance(
        record, due + dt.timedelta(days=3), statuses=[MilestoneStatus(first.id, "已完成", due)]
    )
    assert first.id not in paid.buyer_overdue_payments
