"""Due-date arithmetic and law-version switching (domain spec §0.4, §0.5 and A.4.3).

Periods follow 民法典 第200–204条:

* the day of the anchor event is not counted (第201条): counting starts the next day;
* a month or year period ends on the corresponding day of the final month, or on that month's last day when
  there is no corresponding day (第202条): one month from 2025-01-31 ends 2025-02-28;
* when the last day is a rest day (a weekend or a statutory holiday) the period ends on the next working day
  (第203条). Make-up working days (调休上班日, usually Saturdays or Sundays) count as working days — the
  spec's [P] reading of §0.5;
* a workday period counts working days only, so its last day is always a working day.

Rest days come from the ``chinesecalendar`` package (``import chinese_calendar``), which transcribes the State
Council's annual holiday notices. The installed version covers the years **2004–2026**
(:data:`HOLIDAY_YEARS`, read from the package itself, so an upgrade widens it automatically). For a date
outside that range only weekends are known: the computation falls back to weekends-only and the result is
marked ``exact=False`` with a note naming the uncovered year. Nothing here raises for an uncovered year and
nothing is guessed silently.

The module also holds the version switches of §0.4: which 保障中小企业款项支付条例 and which 增值税 text
applies, decided by the signing date (``today`` when the signing date is missing), and the article map of
the payment act.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as _dt
from dataclasses import dataclass
from datetime import date

import chinese_calendar
from chinese_calendar import constants as _cc_constants

# ---------------------------------------------------------------------------------------------------------
# Holiday calendar
# ---------------------------------------------------------------------------------------------------------

HOLIDAY_YEARS: tuple[int, int] = (
    min(_cc_constants.holidays).year,
    max(_cc_constants.holidays).year,
)
"""First and last year (inclusive) for which ``chinese_calendar`` knows the statutory holidays."""

PERIOD_UNITS: tuple[str, ...] = ("day", "workday", "week", "month", "year")
"""Units :func:`add_period` accepts: those :func:`hetong.normalize.normalize_period` returns, minus hours."""

_MAX_STEPS = 10_000
"""Safety bound on day-by-day walks (no real rest-day run is longer than a couple of weeks)."""


@dataclass(frozen=True)
class DueDate:
    """The last day of a period.

    ``exact`` is ``False`` when a date the computation consulted lies outside :data:`HOLIDAY_YEARS`, so that
    only weekends could be treated as rest days. ``note`` explains that, and also records a 第203条 shift of a
    rest-day end to the next working day; it is ``None`` when there is nothing to say.
    """

    date: date
    exact: bool
    note: str | None = None


def _covered(d: date) -> bool:
    return HOLIDAY_YEARS[0] <= d.year <= HOLIDAY_YEARS[1]


def is_working_day(d: date) -> bool | None:
    """``True`` for a working day (incl. make-up working days), ``False`` for a rest day, ``None`` when ``d``
    lies outside :data:`HOLIDAY_YEARS` and the answer is unknown."""
    if not _covered(d):
        return None
    return bool(chinese_calendar.is_workday(d))


class _Walker:
    """Answers "is this a working day?" and remembers which uncovered years it had to guess for."""

    def __init__(self) -> None:
        self.uncovered: set[int] = set()

    def working(self, d: date) -> bool:
        known = is_working_day(d)
        if known is not None:
            return known
        self.uncovered.add(d.year)
        return d.weekday() < 5

    def note(self) -> str | None:
        if not self.uncovered:
            return None
        years = "、".join(str(y) for y in sorted(self.uncovered))
        return (
            f"holiday calendar covers {HOLIDAY_YEARS[0]}–{HOLIDAY_YEARS[1]} only; "
            f"year {years} counted with weekends as the only rest days (inexact)"
        )


def _add_months(anchor: date, months: int) -> date:
    """Corresponding day ``months`` later, or the last day of that month when there is none (第202条)."""
    index = anchor.year * 12 + (anchor.month - 1) + months
    year, month0 = divmod(index, 12)
    last = _stdcal.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(anchor.day, last))


def add_period(anchor: date, value: int, unit: str) -> DueDate:
    """Last day of a period of ``value`` ``unit`` that starts running after ``anchor`` (民法典 第201–203条).

    ``unit`` is one of :data:`PERIOD_UNITS`. ``value == 0`` returns the anchor itself, unshifted (a period of
    no days has no last day to move). Invalid input (unknown unit, negative or non-integer value, a result
    beyond year 9999) is a programming error and raises :class:`ValueError`; an anchor outside the holiday
    calendar's years never raises (see the module docstring).

    The 第203条 shift applies to day, week, month and year periods; a workday period already ends on a
    working day.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"period value must be a non-negative int, got {value!r}")
    if unit not in PERIOD_UNITS:
        raise ValueError(f"unsupported period unit {unit!r}; expected one of {', '.join(PERIOD_UNITS)}")
    if value == 0:
        return DueDate(anchor, True, None)
    walker = _Walker()
    try:
        if unit == "workday":
            current, counted = anchor, 0
            for _ in range(value * 7 + _MAX_STEPS):
                current += _dt.timedelta(days=1)
                if walker.working(current):
                    counted += 1
                    if counted == value:
                        break
            return DueDate(current, not walker.uncovered, walker.note())
        if unit == "day":
            end = anchor + _dt.timedelta(days=value)
        elif unit == "week":
            end = anchor + _dt.timedelta(weeks=value)
        elif unit == "month":
            end = _add_months(anchor, value)
        else:
            end = _add_months(anchor, 12 * value)
        shifted = end
        for _ in range(_MAX_STEPS):
            if walker.working(shifted):
                break
            shifted += _dt.timedelta(days=1)
    except (OverflowError, ValueError) as exc:
        raise ValueError(f"period {value} {unit} from {anchor} is out of the date range") from exc
    notes = []
    if shifted != end:
        notes.append(f"{end.isoformat()} is a rest day; moved to {shifted.isoformat()} (民法典 第203条)")
    inexact = walker.note()
    if inexact:
        notes.append(inexact)
    return DueDate(shifted, not walker.uncovered, "; ".join(notes) or None)


# ---------------------------------------------------------------------------------------------------------
# §0.4 Which law version applies
# ---------------------------------------------------------------------------------------------------------

PAYMENT_ACT_2020_IN_FORCE = date(2020, 9, 1)
"""保障中小企业款项支付条例 (国务院令第728号) in force."""
PAYMENT_ACT_2025_IN_FORCE = date(2025, 6, 1)
"""保障中小企业款项支付条例 revision (国务院令第802号) in force."""
VAT_LAW_IN_FORCE = date(2026, 1, 1)
"""增值税法 in force; before it the 增值税暂行条例 applies."""

PAYMENT_ACT_TITLES: dict[str, str] = {
    "2020": "保障中小企业款项支付条例(2020)",
    "2025": "保障中小企业款项支付条例(2025)",
}

PAYMENT_ACT_ARTICLES: dict[str, dict[str, str]] = {
    # topic -> version -> article (§0.4 table). A topic missing from a version has no counterpart there.
    "unreasonable_terms": {"2020": "第6条", "2025": "第7条"},
    "budget_no_advance_funding": {"2020": "第7条", "2025": "第8条"},
    "payment_period_30_60_days": {"2020": "第8条", "2025": "第9条第1款"},
    "settlement_confirmation_start": {"2025": "第9条第4款"},
    "acceptance_start_inspection_period": {"2020": "第9条", "2025": "第10条"},
    "commercial_bill_non_cash": {"2020": "第10条", "2025": "第11条"},
    "audit_result_as_settlement": {"2020": "第11条", "2025": "第12条"},
    "deposit": {"2020": "第12条", "2025": "第13条"},
    "no_delay_excuses": {"2020": "第13条", "2025": "第14条"},
    "late_payment_interest": {"2020": "第15条", "2025": "第17条"},
    "group_organisations_fiscal_funds": {"2020": "第28条", "2025": "第36条"},
}
"""Article numbers of the payment act per topic and version (spec §0.4; both versions read [V])."""

PAYMENT_ACT_TOPICS_ZH: dict[str, str] = {
    "unreasonable_terms": "不合理的付款期限、方式、条件和违约责任",
    "budget_no_advance_funding": "无预算/超预算采购；不得要求垫资(2025)",
    "payment_period_30_60_days": "机关、事业单位30日付款，约定最长60日",
    "settlement_confirmation_start": "进度/定期结算：付款期限自结算金额确认之日起算",
    "acceptance_start_inspection_period": "付款期限自检验/验收合格之日起算；应约定检验期限",
    "commercial_bill_non_cash": "商业汇票/非现金支付",
    "audit_result_as_settlement": "以审计结果作为结算依据",
    "deposit": "保证金",
    "no_delay_excuses": "不得以法定代表人变更、内部流程、决算审计为由拖延",
    "late_payment_interest": "逾期利息（不低于一年期LPR；默认每日万分之五）",
    "group_organisations_fiscal_funds": "使用财政资金的团体组织适用机关、事业单位规定",
}

VAT_PLACE_ARTICLES: dict[str, str] = {
    "interim_regulation": "增值税暂行条例 第22条",
    "vat_law": "增值税法 第29条",
}
"""增值税 纳税地点 article per version code of :func:`vat_version`."""


def _reference_date(sign_date: date | None, today: date) -> date:
    """§0.4: the signing date decides; when it is missing, ``today`` does."""
    return sign_date if sign_date is not None else today


def payment_act_version(sign_date: date | None, today: date) -> str:
    """Version of 保障中小企业款项支付条例 in force on the signing date (``today`` if missing).

    Returns ``"none"`` before 2020-09-01 (payment-act rules are then NOT_APPLICABLE), ``"2020"`` from
    2020-09-01 and ``"2025"`` from 2025-06-01 (the switch day itself belongs to the new version).
    """
    ref = _reference_date(sign_date, today)
    if ref < PAYMENT_ACT_2020_IN_FORCE:
        return "none"
    if ref < PAYMENT_ACT_2025_IN_FORCE:
        return "2020"
    return "2025"


def payment_act_article(topic: str, sign_date: date | None, today: date) -> str | None:
    """Citation such as ``"保障中小企业款项支付条例(2025) 第9条第1款"`` for a topic of
    :data:`PAYMENT_ACT_ARTICLES`; ``None`` when no version applies or the version has no such article."""
    version = payment_act_version(sign_date, today)
    article = PAYMENT_ACT_ARTICLES.get(topic, {}).get(version)
    if article is None:
        return None
    return f"{PAYMENT_ACT_TITLES[version]} {article}"


def vat_version(sign_date: date | None, today: date) -> str:
    """``"vat_law"`` (增值税法) from 2026-01-01, else ``"interim_regulation"`` (增值税暂行条例)."""
    return "vat_law" if _reference_date(sign_date, today) >= VAT_LAW_IN_FORCE else "interim_regulation"


def vat_place_article(sign_date: date | None, today: date) -> str:
    """The 纳税地点 article that applies (§0.4): 暂行条例 第22条 or 增值税法 第29条."""
    return VAT_PLACE_ARTICLES[vat_version(sign_date, today)]
