"""Milestone performance warnings (绿/黄/红 履约预警), domain spec Part D.

* :func:`compute_due_date` — D.2: absolute dates (month precision → the month's last day, via
  :func:`hetong.normalize.month_bound`), periods anchored on an event (via
  :func:`hetong.calendar.add_period`), the SME payment ceiling for government buyers, and GREY for a
  pending anchor or a vague/missing date.
* :func:`expand_recurring` — D.2 item 4: instances of a 每月/每季度 milestone up to the current one.
* :func:`evaluate_milestone` — D.3: the per-milestone light with the spec's exact thresholds.
* :func:`evaluate_contract` — D.4: the contract-level light and the supervision statistics.

Lights carry a stable English code (``GREY``, ``GREEN``, ``YELLOW``, ``RED-1``, ``RED-2``, ``GREEN-CLOSED``,
``YELLOW-CLOSED``), the Chinese name the spec gives (待触发, 正常, 临期/滞后, 逾期, 按期完成, 逾期完成) and a
colour (``grey``/``green``/``yellow``/``red``; 灰/绿/黄/红). ``GREEN-CLOSED`` is this module's code for the
spec's "🟢 GREEN 按期完成" so that open and closed greens stay distinguishable.

Fractions (elapsed share ``e``, progress ``p``) are compared as exact :class:`fractions.Fraction` values so
that the ``e − p ≥ 0.30`` boundary is not decided by floating-point noise.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from fractions import Fraction
from typing import Any

from hetong.calendar import add_period
from hetong.normalize import month_bound, normalize_date, normalize_period

KINDS: tuple[str, ...] = ("PAY", "DELIVERY", "ACCEPT", "PERF")
OBLIGORS: tuple[str, ...] = ("buyer", "supplier")
STATUS_NOT_STARTED = "未开始"
STATUS_IN_PROGRESS = "进行中"
STATUS_DONE = "已完成"

LAG_THRESHOLD = Fraction(3, 10)
"""D.3: a progress lag ``e − p`` of at least 0.30 turns an open milestone YELLOW."""
PAY_WINDOW = 7
SME_PAY_CEILING_DAYS = 60
SME_PAY_DEFAULT_DAYS = 30
RED_2_AFTER_DAYS = 30
RECENT_LATE_DAYS = 30


class Light(Enum):
    """A milestone light: ``value`` is the stable code; ``zh``, ``colour`` and ``rank`` describe it."""

    GREY = "GREY"
    GREEN = "GREEN"
    YELLOW = "YELLOW"
    RED_1 = "RED-1"
    RED_2 = "RED-2"
    GREEN_CLOSED = "GREEN-CLOSED"
    YELLOW_CLOSED = "YELLOW-CLOSED"

    @property
    def zh(self) -> str:
        return _LIGHT_ZH[self]

    @property
    def colour(self) -> str:
        return _LIGHT_COLOUR[self]

    @property
    def rank(self) -> int:
        """D.4 order for open lights: RED-2 > RED-1 > YELLOW > GREEN > GREY."""
        return _LIGHT_RANK[self]


_LIGHT_ZH: dict[Light, str] = {
    Light.GREY: "待触发",
    Light.GREEN: "正常",
    Light.YELLOW: "临期/滞后",
    Light.RED_1: "逾期",
    Light.RED_2: "逾期",
    Light.GREEN_CLOSED: "按期完成",
    Light.YELLOW_CLOSED: "逾期完成",
}
_LIGHT_COLOUR: dict[Light, str] = {
    Light.GREY: "grey",
    Light.GREEN: "green",
    Light.YELLOW: "yellow",
    Light.RED_1: "red",
    Light.RED_2: "red",
    Light.GREEN_CLOSED: "green",
    Light.YELLOW_CLOSED: "yellow",
}
_LIGHT_RANK: dict[Light, int] = {
    Light.GREY: 0,
    Light.GREEN: 1,
    Light.GREEN_CLOSED: 1,
    Light.YELLOW: 2,
    Light.YELLOW_CLOSED: 2,
    Light.RED_1: 3,
    Light.RED_2: 4,
}
COLOUR_ZH: dict[str, str] = {"grey": "灰", "green": "绿", "yellow": "黄", "red": "红"}
_COLOUR_RANK: dict[str, int] = {"grey": 0, "green": 1, "yellow": 2, "red": 3}


# ---------------------------------------------------------------------------------------------------------
# D.2 Due dates
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueResult:
    """A computed due date ``D``; ``date is None`` means GREY. ``flags`` name why (``anchor_pending``,
    ``no_due_date``, ``vague``) or what shaped the date (``sme_ceiling_60``, ``sme_default_30``,
    ``inexact_calendar``); ``note`` carries the calendar's explanation, if any."""

    date: date | None
    exact: bool = True
    flags: tuple[str, ...] = ()
    note: str | None = None


def _absolute_due(text: str) -> date | None:
    """ISO day/month (``2025-03``/``2025-03-15``) or a Chinese date span; a month means its last day."""
    iso = month_bound(text, as_deadline=True)
    if iso is None:
        parsed = normalize_date(text)
        if not parsed.get("ok") or not parsed.get("iso"):
            return None
        iso = month_bound(parsed["iso"], as_deadline=True)
    return date.fromisoformat(iso) if iso else None


def compute_due_date(
    *,
    absolute: str | date | None = None,
    period: str | Mapping[str, Any] | None = None,
    anchor: date | None = None,
    kind: str = "PERF",
    gov_buyer_sme: bool = False,
) -> DueResult:
    """Due date ``D`` of one milestone per D.2.

    ``absolute`` is a DATE_NODE (a date, ISO text or a Chinese date span); ``period`` a relative period (the
    span text, e.g. ``"30日内"``, or an already normalised :func:`normalize_period` result); ``anchor`` the
    date ``A`` the anchor event happened, ``None`` while it has not. For a PAY milestone with a government
    buyer and an SME supplier the legal ceiling applies: ``D = min(D_contract, A + 60 days)``, or ``A + 30
    days`` when the contract states neither a date nor a period. The ceiling needs ``A``; with an absolute
    date and no anchor the contract date stands.

    Readings chosen where the spec is open: the 60/30-day legal periods are computed like any other period
    (first day not counted, a rest-day end moves to the next working day), which is what the D.5 example
    does; an hour period cannot give a day and is GREY with ``no_due_date``.
    """
    flags: list[str] = []
    contract_due: date | None = None
    exact = True
    note: str | None = None
    has_term = absolute is not None or period is not None
    if absolute is not None:
        contract_due = absolute if isinstance(absolute, date) else _absolute_due(absolute)
        if contract_due is None:
            return DueResult(None, True, ("no_due_date",))
    elif period is not None:
        norm = normalize_period(period) if isinstance(period, str) else dict(period)
        if not norm.get("ok"):
            return DueResult(None, True, ("no_due_date", "vague") if norm.get("vague") else ("no_due_date",))
        if norm.get("unit") == "hour":
            return DueResult(None, True, ("no_due_date",))
        if anchor is None:
            return DueResult(None, True, ("anchor_pending",))
        due = add_period(anchor, int(norm["value"]), str(norm["unit"]))
        contract_due, exact, note = due.date, due.exact, due.note
    sme_pay = kind == "PAY" and gov_buyer_sme
    if sme_pay and anchor is not None:
        legal_days = SME_PAY_CEILING_DAYS if has_term else SME_PAY_DEFAULT_DAYS
        legal = add_period(anchor, legal_days, "day")
        if contract_due is None or legal.date < contract_due:
            flags.append("sme_ceiling_60" if has_term else "sme_default_30")
            contract_due, exact, note = legal.date, legal.exact, legal.note
    elif contract_due is None:
        return DueResult(None, True, ("anchor_pending",) if sme_pay else ("no_due_date",))
    if not exact:
        flags.append("inexact_calendar")
    return DueResult(contract_due, exact, tuple(flags), note)


def expand_recurring(first_due: date, every_months: int, term_end: date, today: date) -> list[date]:
    """Due dates of a recurring milestone (每月 = 1, 每季度 = 3) from ``first_due`` to ``term_end``, keeping
    only past instances and the current one (the first due on or after ``today``), per D.2 item 4.

    Each instance is computed from ``first_due`` (not chained), so a month-end rhythm does not drift
    (01-31 → 02-28 → 03-31); a rest-day instance moves to the next working day like any period end.
    """
    if every_months < 1:
        raise ValueError("every_months must be at least 1")
    out: list[date] = []
    k = 0
    while True:
        due = first_due if k == 0 else add_period(first_due, k * every_months, "month").date
        if due > term_end:
            break
        out.append(due)
        if due >= today:
            break
        k += 1
    return out


# ---------------------------------------------------------------------------------------------------------
# D.3 Per-milestone light
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    """One milestone as D.1 describes it. ``due`` is ``D`` (``None`` → GREY; :func:`compute_due_date` gives
    it, and its flags go to ``due_flags``); ``start`` is ``S`` (``None`` → derived by
    :func:`evaluate_contract`, unknown for :func:`evaluate_milestone`); ``completed`` is ``C``;
    ``status_set`` the date the status was set to 已完成 (used when ``C`` is missing)."""

    id: str
    kind: str
    obligor: str
    due: date | None = None
    start: date | None = None
    status: str = STATUS_NOT_STARTED
    completed: date | None = None
    progress: float | None = None
    status_set: date | None = None
    due_flags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if self.obligor not in OBLIGORS:
            raise ValueError(f"obligor must be one of {OBLIGORS}, got {self.obligor!r}")
        if self.progress is not None and not 0 <= self.progress <= 1:
            raise ValueError(f"progress must be in [0, 1], got {self.progress!r}")


@dataclass(frozen=True)
class MilestoneLight:
    """The D.3 evaluation of one milestone, with the quantities that decided it (``None`` when undefined)."""

    id: str
    kind: str
    obligor: str
    light: Light
    closed: bool
    due: date | None
    start: date | None
    r: int | None
    L: int
    W: int
    e: Fraction | None
    late_days: int | None = None
    completed: date | None = None
    compliance_log: bool = False
    flags: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return self.light.value

    @property
    def zh(self) -> str:
        return self.light.zh

    @property
    def colour(self) -> str:
        return self.light.colour


def warning_window(kind: str, L: int) -> int:
    """``W``: 7 for PAY; ``min(15, max(3, ceil(0.10 × L)))`` for other kinds when ``L > 0``; else 7."""
    if kind == "PAY" or L <= 0:
        return PAY_WINDOW
    return min(15, max(3, math.ceil(Fraction(L, 10))))


def evaluate_milestone(m: Milestone, today: date, *, gov_buyer_sme: bool = False) -> MilestoneLight:
    """The D.3 light of one milestone on ``today`` (``T``).

    ``gov_buyer_sme`` marks a government buyer with an SME supplier: an overdue PAY milestone is then also
    written to the compliance log. A closed milestone without a due date cannot be judged on time or late:
    it is GREY with ``no_due_date`` (the spec does not cover this case).
    """
    T, D, S = today, m.due, m.start
    L = (D - S).days if D is not None and S is not None else 0
    L = max(L, 0)
    W = warning_window(m.kind, L)
    e = min(max(Fraction((T - S).days, L), Fraction(0)), Fraction(1)) if L > 0 and S is not None else None
    flags = list(m.due_flags)
    common: dict[str, Any] = {"id": m.id, "kind": m.kind, "obligor": m.obligor, "due": D, "start": S}

    if m.status == STATUS_DONE:
        C = m.completed or m.status_set
        if C is None:
            C = T
            flags.append("completion_date_assumed_today")
        if D is None:
            if "no_due_date" not in flags and "anchor_pending" not in flags:
                flags.append("no_due_date")
            return MilestoneLight(
                **common, light=Light.GREY, closed=True, r=None, L=L, W=W, e=e, completed=C,
                flags=tuple(flags),
            )  # fmt: skip
        late = (C - D).days
        light = Light.GREEN_CLOSED if late <= 0 else Light.YELLOW_CLOSED
        return MilestoneLight(
            **common, light=light, closed=True, r=(D - T).days, L=L, W=W, e=e,
            late_days=late if late > 0 else None, completed=C, flags=tuple(flags),
        )  # fmt: skip

    if D is None:
        if not flags:
            flags.append("no_due_date")
        return MilestoneLight(
            **common, light=Light.GREY, closed=False, r=None, L=L, W=W, e=e, flags=tuple(flags)
        )
    r = (D - T).days
    compliance = False
    if r < 0:
        light = Light.RED_1 if -r <= RED_2_AFTER_DAYS else Light.RED_2
        compliance = m.kind == "PAY" and gov_buyer_sme
    elif r <= W:
        light = Light.YELLOW
    elif m.progress is not None and e is not None and e - Fraction(str(m.progress)) >= LAG_THRESHOLD:
        light = Light.YELLOW
        flags.append("progress_lag")
    else:
        light = Light.GREEN
    return MilestoneLight(
        **common, light=light, closed=False, r=r, L=L, W=W, e=e, compliance_log=compliance,
        flags=tuple(flags),
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------
# D.4 Contract-level light
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractDates:
    """``dates`` of the record: the contract start falls back start → effective → sign (D.1)."""

    start: date | None = None
    end: date | None = None
    effective: date | None = None
    sign: date | None = None

    @property
    def contract_start(self) -> date | None:
        return self.start or self.effective or self.sign


@dataclass(frozen=True)
class ContractLight:
    """D.4 result. ``colour`` is grey/green/yellow/red (``zh`` 灰/绿/黄/红, the ``performance_light`` of
    E.6); ``worst`` is the worst open-milestone light; ``reasons`` list what raised the colour."""

    colour: str
    worst: Light | None
    reasons: tuple[str, ...]
    milestones: tuple[MilestoneLight, ...]
    on_time_rate: float | None
    avg_late_days: float | None
    overdue_open_count: int
    buyer_overdue_payments: tuple[str, ...]
    compliance_log: tuple[str, ...] = field(default=())

    @property
    def zh(self) -> str:
        return COLOUR_ZH[self.colour]


def _with_starts(milestones: Sequence[Milestone], contract_start: date | None) -> list[Milestone]:
    """Fill a missing ``S``: the due date of the previous milestone (in list order) of the same obligor that
    has one, else the contract start."""
    last_due: dict[str, date] = {}
    out: list[Milestone] = []
    for m in milestones:
        if m.start is None:
            start = last_due.get(m.obligor, contract_start)
            m = replace(m, start=start)
        out.append(m)
        if m.due is not None:
            last_due[m.obligor] = m.due
    return out


def evaluate_contract(
    milestones: Sequence[Milestone],
    today: date,
    dates: ContractDates | None = None,
    *,
    gov_buyer_sme: bool = False,
) -> ContractLight:
    """Evaluate every milestone (D.3) and roll them up (D.4).

    The colour is the worst of: the open lights (RED-2 > RED-1 > YELLOW > GREEN > GREY); red when ``T`` is
    after ``dates.end`` and a supplier milestone is still open (期满未完成); yellow for a late completion
    within the last 30 days. It is grey only when every milestone is GREY (also when there are none), and
    green otherwise. Statistics: ``on_time_rate`` over closed milestones that have a due date (``None``
    without any), ``avg_late_days`` over YELLOW-CLOSED ones, the RED count, and the ids of overdue buyer
    payments.
    """
    dates = dates or ContractDates()
    prepared = _with_starts(milestones, dates.contract_start)
    lights = tuple(evaluate_milestone(m, today, gov_buyer_sme=gov_buyer_sme) for m in prepared)
    open_lights = [ml for ml in lights if not ml.closed]
    worst = max((ml.light for ml in open_lights), key=lambda lt: lt.rank, default=None)

    colour_rank = 0
    reasons: list[str] = []
    for ml in open_lights:
        if ml.light is not Light.GREY and _COLOUR_RANK[ml.colour] >= 1:
            colour_rank = max(colour_rank, _COLOUR_RANK[ml.colour])
    if worst is not None and worst is not Light.GREY:
        reasons.append(f"worst_open:{worst.value}")
    if dates.end is not None and today > dates.end and any(ml.obligor == "supplier" for ml in open_lights):
        colour_rank = max(colour_rank, _COLOUR_RANK["red"])
        reasons.append("expired_open:期满未完成")
    recent = today - _dt.timedelta(days=RECENT_LATE_DAYS)
    if any(ml.light is Light.YELLOW_CLOSED and (ml.completed or today) >= recent for ml in lights):
        colour_rank = max(colour_rank, _COLOUR_RANK["yellow"])
        reasons.append("recent_late_completion")
    if colour_rank == 0 and not all(ml.light is Light.GREY for ml in lights):
        colour_rank = _COLOUR_RANK["green"]
    colour = next(c for c, rank in _COLOUR_RANK.items() if rank == colour_rank)

    closed = [ml for ml in lights if ml.closed and ml.due is not None]
    late = [ml.late_days for ml in lights if ml.light is Light.YELLOW_CLOSED and ml.late_days is not None]
    red = [ml for ml in lights if ml.light in (Light.RED_1, Light.RED_2)]
    return ContractLight(
        colour=colour,
        worst=worst,
        reasons=tuple(reasons),
        milestones=lights,
        on_time_rate=(sum(ml.light is Light.GREEN_CLOSED for ml in closed) / len(closed)) if closed else None,
        avg_late_days=(sum(late) / len(late)) if late else None,
        overdue_open_count=len(red),
        buyer_overdue_payments=tuple(ml.id for ml in red if ml.kind == "PAY" and ml.obligor == "buyer"),
        compliance_log=tuple(ml.id for ml in lights if ml.compliance_log),
    )
