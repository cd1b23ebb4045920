"""Milestone monitoring for one contract: its A.3 record, the dates events actually happened, and the
platform's status list, turned into the Part D lights (spec D.1-D.4).

Due dates come from each milestone's absolute date, or from its period counted from its anchor event
(spec A.3 anchors). Anchor dates are taken, in order, from what the caller reports (``events``, e.g. the
actual acceptance date), from completed milestones (a completed DELIVERY milestone dates DELIVERY, a
completed ACCEPT milestone dates ACCEPTANCE), and from the contract's own dates (SIGN, EFFECTIVE). An
anchor that has not happened yet leaves the milestone GREY (待触发). A joint anchor such as
``ACCEPTANCE+INVOICE`` waits for its last part; invoice waiting time counts as zero when the invoice date
is unknown (spec R-COMP-005).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hetong.assemble import ContractRecord, Field
from hetong.assemble import Milestone as RecordMilestone
from hetong.warnings import (
    STATUS_DONE,
    STATUS_NOT_STARTED,
    ContractDates,
    ContractLight,
    Milestone,
    compute_due_date,
    evaluate_contract,
)

_COMPLETION_EVENTS = {"DELIVERY": "DELIVERY", "ACCEPT": "ACCEPTANCE"}


@dataclass(frozen=True)
class MilestoneStatus:
    """What the platform knows about one milestone (its id is the record's, ``M1``, ``M2`` …)."""

    id: str
    status: str = STATUS_NOT_STARTED  # 未开始 | 进行中 | 已完成
    completed: dt.date | None = None
    progress: float | None = None


def contract_dates(record: ContractRecord) -> ContractDates:
    return ContractDates(
        start=_date(record.dates.get("start")),
        end=_date(record.dates.get("end")),
        effective=_date(record.dates.get("effective")),
        sign=_date(record.dates.get("sign")),
    )


def anchor_dates(
    record: ContractRecord,
    events: Mapping[str, dt.date] | None = None,
    statuses: Sequence[MilestoneStatus] = (),
) -> dict[str, dt.date]:
    """The date of every anchor event known so far (see the module docstring for the precedence)."""
    dates = contract_dates(record)
    known: dict[str, dt.date] = {}
    if dates.sign:
        known["SIGN"] = dates.sign
    effective = dates.effective or (dates.sign if record.dates.get("effective_event") == "SIGN" else None)
    if effective:
        known["EFFECTIVE"] = effective
    kinds = {m.id: m.kind for m in record.milestones}
    for status in statuses:
        event = _COMPLETION_EVENTS.get(kinds.get(status.id, ""))
        if event and status.status == STATUS_DONE and status.completed and event not in known:
            known[event] = status.completed
    known.update(events or {})
    return known


def milestone_inputs(
    record: ContractRecord,
    events: Mapping[str, dt.date] | None = None,
    statuses: Sequence[MilestoneStatus] = (),
    *,
    gov_buyer_sme: bool = False,
) -> list[Milestone]:
    """The record's milestones as Part D inputs, with due dates computed (D.2)."""
    anchors = anchor_dates(record, events, statuses)
    by_id = {s.id: s for s in statuses}
    out = []
    for m in record.milestones:
        due = compute_due_date(
            absolute=m.date,
            period=m.period if m.date is None else None,
            anchor=_anchor_date(m, anchors),
            kind=m.kind,
            gov_buyer_sme=gov_buyer_sme and m.obligor == "buyer",
        )
        status = by_id.get(m.id, MilestoneStatus(m.id))
        out.append(
            Milestone(
                id=m.id,
                kind=m.kind,
                obligor=m.obligor,
                due=due.date,
                status=status.status,
                completed=status.completed,
                progress=status.progress,
                due_flags=due.flags,
            )
        )
    return out


def performance(
    record: ContractRecord,
    today: dt.date,
    events: Mapping[str, dt.date] | None = None,
    statuses: Sequence[MilestoneStatus] = (),
    *,
    gov_buyer_sme: bool = False,
) -> ContractLight:
    """Per-milestone lights and the contract-level light (D.3, D.4) as of ``today``."""
    milestones = milestone_inputs(record, events, statuses, gov_buyer_sme=gov_buyer_sme)
    return evaluate_contract(milestones, today, contract_dates(record), gov_buyer_sme=gov_buyer_sme)


def _date(value: Field | None) -> dt.date | None:
    return value.as_date() if value is not None else None


def _anchor_date(milestone: RecordMilestone, anchors: Mapping[str, dt.date]) -> dt.date | None:
    if not milestone.anchor_event or milestone.anchor_event == "OTHER":
        return None
    parts = [part for part in milestone.anchor_event.split("+") if part != "INVOICE" or part in anchors]
    if not parts:  # INVOICE alone, date unknown
        return None
    dates = [anchors.get(part) for part in parts]
    return None if any(d is None for d in dates) else max(d for d in dates if d is not None)
