"""Tests for hetong.warnings (spec Part D), led by the D.5 worked example."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from hetong.warnings import (
    ContractDates,
    Light,
    Milestone,
    compute_due_date,
    evaluate_contract,
    evaluate_milestone,
    expand_recurring,
    warning_window,
)

T = date(2025, 3, 10)
DATES = ContractDates(start=date(2025, 1, 1), end=date(2025, 12, 31))


def _d5_milestones(m2_done: date | None = None) -> list[Milestone]:
    m3_due = compute_due_date(period="30日内", anchor=m2_done, kind="PAY", gov_buyer_sme=True)
    return [
        Milestone(
            "M1", "DELIVERY", "supplier", due=date(2025, 3, 15), start=date(2025, 1, 29), status="进行中"
        ),
        Milestone(
            "M2",
            "ACCEPT",
            "buyer",
            due=date(2025, 3, 5),
            start=date(2025, 1, 20),
            status="已完成" if m2_done else "未开始",
            completed=m2_done,
        ),
        Milestone("M3", "PAY", "buyer", due=m3_due.date, due_flags=m3_due.flags),
        Milestone("M4", "PERF", "supplier", due=date(2025, 6, 30), start=date(2025, 3, 15)),
        Milestone(
            "M5",
            "PERF",
            "supplier",
            due=date(2025, 4, 30),
            start=date(2025, 1, 1),
            status="进行中",
            progress=0.20,
        ),
    ]


def test_d5_worked_example_table() -> None:
    result = evaluate_contract(_d5_milestones(), T, DATES, gov_buyer_sme=True)
    by_id = {ml.id: ml for ml in result.milestones}
    expected = {
        # id: (S, D, L, W, r, light)
        "M1": (date(2025, 1, 29), date(2025, 3, 15), 45, 5, 5, Light.YELLOW),
        "M2": (date(2025, 1, 20), date(2025, 3, 5), 44, 5, -5, Light.RED_1),
        "M4": (date(2025, 3, 15), date(2025, 6, 30), 107, 11, 112, Light.GREEN),
        "M5": (date(2025, 1, 1), date(2025, 4, 30), 119, 12, 51, Light.YELLOW),
    }
    for mid, (S, D, L, W, r, light) in expected.items():
        ml = by_id[mid]
        assert (ml.start, ml.due, ml.L, ml.W, ml.r, ml.light) == (S, D, L, W, r, light), mid
    m3 = by_id["M3"]
    assert m3.light is Light.GREY and m3.due is None and m3.W == 7 and "anchor_pending" in m3.flags
    assert by_id["M4"].e == 0
    assert by_id["M5"].e == Fraction(68, 119) and round(float(by_id["M5"].e), 3) == 0.571
    assert "progress_lag" in by_id["M5"].flags
    assert result.colour == "red" and result.zh == "红"
    assert result.worst is Light.RED_1
    assert result.overdue_open_count == 1
    assert result.buyer_overdue_payments == ()
    assert result.compliance_log == ()  # M2 is an acceptance, not a payment


def test_d5_continuation_after_acceptance() -> None:
    due = compute_due_date(period="30日内", anchor=date(2025, 3, 12), kind="PAY", gov_buyer_sme=True)
    assert due.date == date(2025, 4, 11) and due.exact and due.flags == ()
    m3 = _d5_milestones(m2_done=date(2025, 3, 12))[2]
    assert m3.due == date(2025, 4, 11)
    assert evaluate_milestone(m3, date(2025, 4, 3), gov_buyer_sme=True).light is Light.GREEN
    assert evaluate_milestone(m3, date(2025, 4, 4), gov_buyer_sme=True).light is Light.YELLOW
    assert evaluate_milestone(m3, date(2025, 4, 11), gov_buyer_sme=True).light is Light.YELLOW
    red = evaluate_milestone(m3, date(2025, 4, 12), gov_buyer_sme=True)
    assert red.light is Light.RED_1 and red.compliance_log
    assert not evaluate_milestone(m3, date(2025, 4, 12), gov_buyer_sme=False).compliance_log
    rolled = evaluate_contract(
        _d5_milestones(date(2025, 3, 12)), date(2025, 4, 12), DATES, gov_buyer_sme=True
    )
    assert rolled.buyer_overdue_payments == ("M3",) and rolled.compliance_log == ("M3",)


@pytest.mark.parametrize(
    ("kind", "L", "W"),
    [("PAY", 100, 7), ("PERF", 0, 7), ("PERF", 10, 3), ("PERF", 31, 4), ("PERF", 150, 15), ("PERF", 400, 15)],
)
def test_warning_window(kind: str, L: int, W: int) -> None:
    assert warning_window(kind, L) == W


def test_red_sub_grades_boundary() -> None:
    m = Milestone("X", "DELIVERY", "supplier", due=date(2025, 3, 1), start=date(2025, 1, 1))
    assert evaluate_milestone(m, date(2025, 3, 31)).light is Light.RED_1  # 30 days overdue
    assert evaluate_milestone(m, date(2025, 4, 1)).light is Light.RED_2  # 31 days overdue
    assert evaluate_milestone(m, date(2025, 3, 1)).light is Light.YELLOW  # r = 0


def test_progress_lag_boundary_is_inclusive() -> None:
    # S = 01-01, D = 04-11 (L = 100); at T = 02-20 e = 50/100 = 0.5; p = 0.2 gives e − p = 0.30 exactly.
    base = Milestone("X", "PERF", "supplier", due=date(2025, 4, 11), start=date(2025, 1, 1), progress=0.2)
    assert evaluate_milestone(base, date(2025, 2, 20)).light is Light.YELLOW
    ahead = Milestone("X", "PERF", "supplier", due=date(2025, 4, 11), start=date(2025, 1, 1), progress=0.21)
    assert evaluate_milestone(ahead, date(2025, 2, 20)).light is Light.GREEN


def test_closed_milestones_and_statistics() -> None:
    on_time = Milestone(
        "A", "DELIVERY", "supplier", due=date(2025, 3, 1), status="已完成", completed=date(2025, 3, 1)
    )
    late = Milestone("B", "PAY", "buyer", due=date(2025, 3, 1), status="已完成", completed=date(2025, 3, 11))
    ml = evaluate_milestone(late, date(2025, 3, 20))
    assert ml.light is Light.YELLOW_CLOSED and ml.late_days == 10 and ml.zh == "逾期完成"
    assert evaluate_milestone(on_time, date(2025, 3, 20)).light is Light.GREEN_CLOSED
    result = evaluate_contract([on_time, late], date(2025, 3, 20), DATES)
    assert result.colour == "yellow"  # late completion within the last 30 days
    assert result.on_time_rate == 0.5 and result.avg_late_days == 10
    later = evaluate_contract([on_time, late], date(2025, 5, 20), DATES)
    assert later.colour == "green"


def test_completed_without_date_uses_status_date_then_today() -> None:
    m = Milestone("A", "PERF", "supplier", due=date(2025, 3, 1), status="已完成", status_set=date(2025, 3, 3))
    assert evaluate_milestone(m, date(2025, 3, 20)).late_days == 2
    m2 = Milestone("A", "PERF", "supplier", due=date(2025, 3, 1), status="已完成")
    ml = evaluate_milestone(m2, date(2025, 3, 20))
    assert ml.late_days == 19 and "completion_date_assumed_today" in ml.flags


def test_expired_contract_with_open_supplier_milestone_is_red() -> None:
    m = Milestone("A", "PERF", "supplier", due=date(2026, 3, 1), start=date(2025, 1, 1))
    result = evaluate_contract([m], date(2026, 1, 5), DATES)
    assert result.colour == "red" and any("期满未完成" in r for r in result.reasons)


def test_all_grey_and_start_derivation() -> None:
    grey = Milestone("A", "PAY", "buyer", due_flags=("anchor_pending",))
    assert evaluate_contract([grey], T, DATES).colour == "grey"
    assert evaluate_contract([], T, DATES).colour == "grey"
    first = Milestone("A", "DELIVERY", "supplier", due=date(2025, 2, 1))
    second = Milestone("B", "PERF", "supplier", due=date(2025, 6, 1))
    pay = Milestone("C", "PAY", "buyer", due_flags=("anchor_pending",))
    result = evaluate_contract([first, second, pay], T, ContractDates(effective=date(2025, 1, 10)))
    starts = {ml.id: ml.start for ml in result.milestones}
    assert starts == {"A": date(2025, 1, 10), "B": date(2025, 2, 1), "C": date(2025, 1, 10)}
    assert result.colour == "red"  # A is overdue


def test_compute_due_date_variants() -> None:
    assert compute_due_date(absolute="2025-03").date == date(2025, 3, 31)
    assert compute_due_date(absolute="2025年6月15日").date == date(2025, 6, 15)
    assert compute_due_date(absolute="____年__月__日").flags == ("no_due_date",)
    assert compute_due_date(period="尽快", anchor=T).flags == ("no_due_date", "vague")
    assert compute_due_date(period="30日内").flags == ("anchor_pending",)
    assert compute_due_date(period="10个工作日内", anchor=date(2025, 9, 26)).date == date(2025, 10, 16)
    # SME ceiling: a 90-day contract period is capped at A + 60 days (2025-05-11 is a Sunday → Monday).
    capped = compute_due_date(period="90日内", anchor=date(2025, 3, 12), kind="PAY", gov_buyer_sme=True)
    assert capped.date == date(2025, 5, 12) and "sme_ceiling_60" in capped.flags
    silent = compute_due_date(anchor=date(2025, 3, 12), kind="PAY", gov_buyer_sme=True)
    assert silent.date == date(2025, 4, 11) and silent.flags == ("sme_default_30",)
    assert compute_due_date(kind="PAY", gov_buyer_sme=True).flags == ("anchor_pending",)
    inexact = compute_due_date(period="30日内", anchor=date(2028, 3, 1))
    assert not inexact.exact and "inexact_calendar" in inexact.flags


def test_expand_recurring_keeps_past_and_current() -> None:
    dues = expand_recurring(date(2025, 1, 31), 1, date(2025, 12, 31), today=date(2025, 4, 10))
    assert dues[0] == date(2025, 1, 31)
    assert dues[-1] >= date(2025, 4, 10) and all(d < date(2025, 4, 10) for d in dues[:-1])
    assert len(dues) == 4  # Jan, Feb, Mar, Apr (current)
