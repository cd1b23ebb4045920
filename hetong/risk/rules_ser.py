"""严重风险 (SER): lawful terms with a high financial or legal exposure for the government party, or internal
inconsistencies that defeat enforcement (spec C.4, 19 rules).

Amounts are compared to the cent (spec A.4.1: equal when ``abs(a − b) < 0.005``); ratios to 0.001. The
review thresholds of R-SER-004 and R-SER-013 live in :data:`THRESHOLDS`.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from hetong.assemble import Milestone, Penalty
from hetong.calendar import add_period
from hetong.lexicons import (
    LEX_AUTO_RENEW,
    LEX_NO_BUYER_LIAB,
    LEX_OPEN_PRICE,
    LEX_RENEW_GUARD,
    LEX_UNLIMITED,
    Lexicon,
)
from hetong.normalize import normalize_amount, normalize_rate
from hetong.risk.context import RiskContext
from hetong.risk.engine import Hit, hit, rule
from hetong.risk.rules_miss import _custom_work
from hetong.schema import Span, Unit

CENT = Decimal("0.005")
RATIO_TOLERANCE = Decimal("0.001")
THRESHOLDS = {
    # R-SER-004 (review proxies, spec C.4): one-off penalty on the total, daily rate, cumulative cap
    "penalty_once_medium": Decimal("0.30"),
    "penalty_once_high": Decimal("1.00"),
    "penalty_daily_medium": Decimal("0.001"),
    "penalty_daily_high": Decimal("0.005"),
    "penalty_cap": Decimal("0.30"),
    # R-SER-006: the supplier's daily rate against the buyer's late-payment rate
    "penalty_asymmetry": Decimal("5"),
    # R-SER-013: prepayment shares
    "prepay_medium": Decimal("0.50"),
    "prepay_high": Decimal("1.00"),
    "prepay_works": Decimal("0.30"),
    "prepay_guarantee": Decimal("0.30"),
    # R-SER-014: share paid before acceptance
    "paid_before_acceptance": Decimal("0.90"),
    # R-SER-016: supplier liability cap as a share of the total
    "liability_cap": Decimal("0.30"),
}
_LEVELS = ("low", "medium", "high")
_PERIODS_PER_YEAR = {"monthly": 12, "quarterly": 4, "yearly": 1}
_DAYS_PER = {"day": 1, "week": 7, "month": Decimal(365) / 12, "year": 365}

# Private lexicon extensions (reported to the lexicon owners):
# the supplier (or either party) as the subject of an unconditioned termination right; the gap may not
# name the buyer or carry a negation, so "乙方逾期…的，甲方有权单方解除" and "任何一方不得单方解除" stay out.
_SUPPLIER_TERMINATION = Lexicon(
    "LEX_SUPPLIER_TERMINATION",
    re.compile(
        r"(?:乙方|供应商|任何一方|任一方|双方均?)[^。；;！？!?\n甲采不无禁严]{0,20}?"
        r"(?:可随时(?:解除|终止)|有权随时(?:解除|终止)|"
        r"提前\d+(?:日|天|个工作日)(?:以)?(?:书面)?(?:形式)?通知(?:对方|甲方|采购人)?(?:后)?[，,]?(?:即可|可)?(?:解除|终止)|"
        r"单方(?:解除|终止))"
    ),
)
_BUYER_BREACH_CONDITION = re.compile(
    r"(?:甲方|采购人)[^。；;]{0,20}?(?:逾期|违约|未按|未能|拒绝|不履行|无正当理由|拖欠)|不可抗力"
)
_IN_GAP_NEGATION = re.compile(r"不得|不能|无权|禁止|严禁|不可|不应|无需|不承担|免于")
# the buyer bears all third-party claims without a cap
_BUYER_INDEMNITY = Lexicon(
    "LEX_BUYER_INDEMNITY",
    re.compile(
        r"(?:甲方|采购人)[^。；;！？!?\n]{0,20}?(?:负责|承担|赔偿)[^。；;！？!?\n]{0,20}?"
        r"(?:第三方|他人|任何人)[^。；;！？!?\n]{0,12}?(?:全部|一切|任何)(?:索赔|损失|责任|赔偿)"
    ),
)
_OBJECT_CUE = re.compile(r"(?:导致|致使|造成|使得?|令|要求|由于|因)$")
_HOLIDAY_ROLLOVER = re.compile(r"节假日|休息日|法定假日")
_CAP_WORDS = re.compile(r"最高不超过|不(?:得)?超过|不高于|上限|封顶|最高限价|限额|为限")
_UNIT_PRICE_CUE = re.compile(
    r"单价|每(?:人|月|台|套|次|平方米|吨|小时|天|日|件|车)|/(?:月|人|台|次|天|日|年)"
)
_BUDGET_CUE = re.compile(r"(?:采购)?预算(?:金额)?|最高限价|控制价")
_REFUND = re.compile(r"退还|返还|退回")
_DEPOSIT = re.compile(r"定金")
_CALC_METHOD = re.compile(r"按[^。；;]{0,20}?(?:计算|扣减|扣除|扣款)|扣减")
_PREPAY_GUARANTEE = re.compile(r"预付款(?:银行)?(?:保函|担保)")
_CITY = re.compile(r"(?:省|自治区)?([一-龥]{2,4}?)(?:市|地区|自治州|盟)")
_ARB_PLACE = re.compile(r"^([一-龥]{2,4}?)(?:市)?(?:仲裁委员会|国际仲裁|仲裁中心)")
_DISTRICT = re.compile(r"([一-龥]{2,4}?(?:区|县|旗))")
_BUYER_PLACE = re.compile(r"甲方所在地|采购人所在地|发包人所在地|委托方所在地|买方所在地|需方所在地")
_SUPPLIER_PLACE = re.compile(r"乙方所在地|供应商所在地|承包人所在地|受托方所在地|卖方所在地|供方所在地")
_PERF_PLACE = re.compile(r"项目所在地|履行地|服务地|工程所在地")
_CIETAC = re.compile(r"中国国际经济贸易仲裁委员会|北京仲裁委员会")
_IP_TO_SUPPLIER = re.compile(
    r"(?:知识产权|著作权|所有权|版权|专利权)[^。；;]{0,12}?(?:归|属于|由)(?:乙方|供应商)(?:所有|享有)?|"
    r"(?:归|属于)(?:乙方|供应商)所有"
)
_PRE_EXISTING = re.compile(r"原有|已有|已拥有|既有|自有|背景|签订前|通用|第三方|开源|此前")
_LIMITED_LICENCE = re.compile(
    r"(?:甲方|采购人)[^。；;]{0,6}?(?:仅)?(?:享有|获得|取得|被授予)[^。；;]{0,20}?"
    r"(?:非独占|非排他|不可转让|不得转让|有限|仅限)[^。；;]{0,20}?(?:使用权|许可)|"
    r"授予(?:甲方|采购人)[^。；;]{0,20}?(?:非独占|非排他|不可转让|有限)[^。；;]{0,12}?(?:使用权|许可)"
)
_SOURCE_CODE = re.compile(r"(?:交付|提供|移交)[^。；;]{0,12}?源(?:代码|程序)")
_NO_SOURCE_CODE = re.compile(
    r"(?:不|无需|无义务)[^。；;]{0,6}?(?:交付|提供|移交)[^。；;]{0,12}?源(?:代码|程序)"
)
_LIABILITY_TOTAL = re.compile(
    r"赔偿(?:责任)?(?:总额|限额|累计)|责任(?:总额|限额|上限)|承担的[^。；;]{0,12}?责任[^。；;]{0,8}?(?:累计|总额|以)"
)
_INDIRECT = re.compile(r"间接损失|间接损害|可得利益|后果性损失|附带损失")
_DATA_LOSS = re.compile(r"数据(?:丢失|损失|灭失|毁损|泄露)")
_EXCLUSION = re.compile(r"不(?:对[^。；;]{0,30}?)?(?:承担|负责)|免除|免责|不予赔偿")
_IT_SUBJECT = re.compile(r"信息系统|软件|数据|运维|平台|云|网络|信息化|系统开发|机房")
_BOND_RETURN_TRIGGER = re.compile(r"期满|验收合格|履约完毕|履行完毕|完成后|届满|结束后|终验|竣工")
_BOND_RETURN_VERB = re.compile(r"退还|返还|退回|支付|付清|无息")


# ------------------------------------------------------------------------------------------------ helpers


def _dec(value: object) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}元"


def _pct(value: Decimal) -> str:
    text = f"{value * 100:.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _total(ctx: RiskContext) -> Decimal | None:
    return _dec(ctx.record.amounts.get("total"))


def _pays(ctx: RiskContext, dedupe: bool = True) -> list[Milestone]:
    """The buyer's payment nodes of the schedule: bond refunds and 定金 without a share are not
    installments; a node stated twice (table row and body, A.5 item 11) counts once when ``dedupe``."""
    out: list[Milestone] = []
    seen: set[tuple[object, ...]] = set()
    for m in ctx.record.milestones:
        if m.kind != "PAY" or m.obligor != "buyer":
            continue
        no_share = m.ratio is None and m.amount is None
        if no_share and (_REFUND.search(m.text) or _DEPOSIT.search(m.text)):
            continue  # a bond refund or a 定金 is not an installment of the price
        period = (m.period or {}).get("value"), (m.period or {}).get("unit")
        key = (m.anchor_event, period, m.date, m.ratio, m.amount, m.recurrence, m.retention)
        if dedupe and key in seen:
            continue
        seen.add(key)
        out.append(m)
    return out


def _schedules(ctx: RiskContext) -> list[list[Milestone]]:
    """The schedule read with and without de-duplication (generated and real contracts repeat a node's
    facts in distinct nodes as well as restating one node)."""
    full, deduped = _pays(ctx, dedupe=False), _pays(ctx)
    return [full] if len(full) == len(deduped) else [full, deduped]


def _term_days(ctx: RiskContext) -> int | None:
    start, end = ctx.date_of("start"), ctx.date_of("end")
    if start and end:
        return (end - start).days + 1
    term = ctx.record.term
    if term is not None and term.value:
        return int(term.value.get("days") or 0) or None
    return None


def _repeats(ctx: RiskContext, m: Milestone) -> int | None:
    """How many times a recurring node falls in the term (1 for a one-off node, None when unknown)."""
    if m.recurrence is None:
        return 1
    days = _term_days(ctx)
    if days is None:
        return None
    per_year = _PERIODS_PER_YEAR[m.recurrence]
    return max(1, round(Decimal(days) / Decimal(365) * per_year))


def _retention_amount(ctx: RiskContext, total: Decimal | None) -> Decimal | None:
    warranty = ctx.record.amounts.get("warranty") or {}
    amount = warranty.get("amount")
    if amount is not None and amount.value:
        return _dec(amount.value)
    ratio = warranty.get("ratio")
    if ratio is not None and ratio.value and total is not None:
        return (Decimal(ratio.value) * total).quantize(Decimal("0.01"))
    return None


def _retention_ratio(ctx: RiskContext, total: Decimal | None) -> Decimal | None:
    warranty = ctx.record.amounts.get("warranty") or {}
    ratio = warranty.get("ratio")
    if ratio is not None and ratio.value:
        return _dec(ratio.value)
    amount = warranty.get("amount")
    if amount is not None and amount.value and total:
        return Decimal(amount.value) / total
    return None


def _ratio_of(m: Milestone, total: Decimal | None) -> Decimal | None:
    if m.ratio is not None:
        return _dec(m.ratio)
    if m.amount is not None and total:
        return Decimal(m.amount) / total
    return None


def _deadline(iso: str | None) -> dt.date | None:
    """A node date; a month-precision date as a deadline is the month's last day (A.4.2)."""
    if not iso:
        return None
    try:
        if len(iso) == 7:
            year, month = int(iso[:4]), int(iso[5:7])
            return dt.date(year, month, _stdcal.monthrange(year, month)[1])
        return dt.date.fromisoformat(iso)
    except ValueError:
        return None


def _first_day(iso: str | None) -> dt.date | None:
    if iso and len(iso) == 7:
        try:
            return dt.date(int(iso[:4]), int(iso[5:7]), 1)
        except ValueError:
            return None
    return _deadline(iso)


def _sentences(ctx: RiskContext, regions: Iterable[Span | Unit]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for region in regions:
        offset = region.start
        while offset < region.end:
            start, end = ctx.sentence(offset)
            start, end = max(start, region.start), min(end, region.end)
            if end > start and (start, end) not in out:
                out.append((start, end))
            offset = max(end + 1, offset + 1)
    return out


def _spans_in(ctx: RiskContext, region: tuple[int, int], *labels: str) -> list[Span]:
    return [s for s in (*ctx.doc.ent, *ctx.doc.cl) if s.label in labels and region[0] <= s.start < region[1]]


_PARTY_WORD = re.compile(
    r"(甲方|采购人|发包人|委托方|需方|买方)|(乙方|供应商|承包人|受托方|供方|卖方|任何一方|任一方|双方|各方)"
)


def _subject(sentence: str) -> str | None:
    """buyer / supplier: the first party named in the sentence ("任何一方" counts as the supplier too)."""
    match = _PARTY_WORD.search(sentence)
    if match is None:
        return None
    return "buyer" if match.group(1) else "supplier"


def _level(*levels: str | None) -> str | None:
    found = [level for level in levels if level]
    return max(found, key=_LEVELS.index) if found else None


# ------------------------------------------------------------------------------------------------ rules


@rule("R-SER-001")
def total_upper_differs(ctx: RiskContext) -> Hit | None:
    amounts = ctx.record.amounts
    uppers = [f for f in amounts["total_upper_all"] if f.value]
    lowers = [f for f in amounts["total_lower_all"] if f.value]
    ctx.need(uppers, "total_upper")
    ctx.need(lowers, "total_lower")
    evidence: list[tuple[int, int]] = []
    messages: list[str] = []
    for upper in uppers:
        for lower in lowers:
            a, b = Decimal(upper.value), Decimal(lower.value)
            if abs(a - b) >= CENT:
                evidence += upper.spans + lower.spans
                messages.append(f"大写{_yuan(a)}与小写{_yuan(b)}不一致")
    for group, name in ((uppers, "大写"), (lowers, "小写")):
        values = {Decimal(f.value) for f in group}
        if max(values) - min(values) >= CENT:
            evidence += [span for f in group for span in f.spans]
            messages.append(f"各处{name}总价不一致：" + "、".join(_yuan(v) for v in sorted(values)))
    return hit(evidence, message="；".join(dict.fromkeys(messages))) if messages else None


@rule("R-SER-002")
def installments_do_not_sum(ctx: RiskContext) -> Hit | None:
    units = ctx.units("PRICE", "PAYMENT")
    open_ended = ctx.find(LEX_OPEN_PRICE, units) and not ctx.find_rx(_CAP_WORDS, units)
    ctx.applies(not open_ended, "open-ended price (据实结算 without a cap)")
    total = Decimal(ctx.need(ctx.record.amounts.get("total"), "total"))
    ctx.applies(not ctx.record.amounts.get("total_derived"), "the total is derived from the installments")
    pays = ctx.need(_pays(ctx, dedupe=False), "payment milestones")
    for m in pays:
        if m.amount is None and m.ratio is None:
            ctx.need(None, f"amount of payment node {m.id}")
    sums = _sums(
        ctx, lambda m: Decimal(m.amount) if m.amount else (Decimal(m.ratio) * total).quantize(CENT * 2)
    )
    retention = _retention_amount(ctx, total)
    candidates = _with_retention(sums, retention)
    if any(abs(c - total) < CENT for c in candidates):
        return None
    shown = sums[0][0]
    return hit(
        [m.span for m in pays] + ctx.record.amounts["total_spans"],
        message=f"各期付款金额合计{_yuan(shown)}与合同总价{_yuan(total)}不一致（差额{_yuan(shown - total)}）",
    )


def _sums(ctx: RiskContext, value: Callable[[Milestone], Decimal]) -> list[tuple[Decimal, bool]]:
    """Σ value over each reading of the schedule, recurring nodes counted once and expanded over the term
    (installment × periods, spec C.4); with whether the reading has a retention node."""
    out = []
    for schedule in _schedules(ctx):
        once = sum((value(m) for m in schedule), Decimal(0))
        has_retention = any(m.retention for m in schedule)
        out.append((once, has_retention))
        if any(m.recurrence for m in schedule):
            repeats = [_repeats(ctx, m) for m in schedule]
            if all(r is not None for r in repeats):
                expanded = sum(
                    (value(m) * r for m, r in zip(schedule, repeats, strict=True) if r), Decimal(0)
                )
                out.append((expanded, has_retention))
    return out


def _with_retention(sums: list[tuple[Decimal, bool]], retention: Decimal | None) -> list[Decimal]:
    """The retention is counted once: added only to a reading without a retention node."""
    out = [value for value, _ in sums]
    if retention is not None:
        out += [value + retention for value, has_retention in sums if not has_retention]
    return out


@rule("R-SER-003")
def ratios_do_not_sum(ctx: RiskContext) -> Hit | None:
    pays = ctx.need(_pays(ctx, dedupe=False), "payment milestones")
    for m in pays:
        if m.ratio is None:
            ctx.need(None, f"payment ratio of node {m.id}")
    sums = _sums(ctx, lambda m: Decimal(m.ratio or 0))
    candidates = _with_retention(sums, _retention_ratio(ctx, _total(ctx)))
    if any(abs(c - 1) <= RATIO_TOLERANCE for c in candidates):
        return None
    evidence = [(s.start, s.end) for m in pays for s in _spans_in(ctx, m.span, "RATE_PAYMENT", "RATE_BOND")]
    return hit(evidence or [m.span for m in pays], message=f"各期付款比例合计为{_pct(sums[0][0])}，应为100%")


def _penalty_level(p: Penalty, total: Decimal | None) -> tuple[str | None, str]:
    t = THRESHOLDS
    cap = _dec(p.cap)
    cap_share = cap if p.cap_kind == "fraction" else (cap / total if cap is not None and total else None)
    level: str | None = None
    why = ""
    if p.kind == "amount":
        amount = _dec(p.amount)
        if amount is not None and total:
            share = amount / total
            level = (
                "high"
                if share >= t["penalty_once_high"]
                else "medium"
                if share > t["penalty_once_medium"]
                else None
            )
            why = f"一次性违约金{_yuan(amount)}，为合同总价的{_pct(share)}"
        return level, why
    fraction = _dec(p.fraction)
    if fraction is not None and p.per == "once":
        if p.base == "TOTAL":
            if fraction >= t["penalty_once_high"]:
                level = "high"
            elif fraction > t["penalty_once_medium"]:
                level = "medium"
            why = f"违约金为合同总价的{_pct(fraction)}"
    elif fraction is not None and p.per in _DAYS_PER:
        daily = fraction / Decimal(_DAYS_PER[p.per])
        if daily >= t["penalty_daily_high"]:
            level = "high"
        elif daily >= t["penalty_daily_medium"] and cap_share is None:
            level = "medium"
        if level and cap_share is not None and cap_share <= t["penalty_cap"]:
            level = "medium" if level == "high" else None
        why = f"违约金按日{_pct(daily)}（年化{_pct(daily * 365)}）"
    if cap_share is not None and cap_share > t["penalty_cap"]:
        level = _level(level, "medium")
        why = (why + "，" if why else "") + f"累计上限为合同总价的{_pct(cap_share)}"
    return level, why


@rule("R-SER-004")
def excessive_penalty(ctx: RiskContext) -> Hit | None:
    penalties = ctx.need(ctx.record.penalties, "penalties")
    total = _total(ctx)
    levels, evidence, messages = [], [], []
    for p in penalties:
        level, why = _penalty_level(p, total)
        if level:
            levels.append(level)
            evidence += p.evidence
            messages.append(why)
    if not levels:
        return None
    return hit(evidence, severity=_level(*levels), message="；".join(dict.fromkeys(messages)))


@rule("R-SER-005")
def breach_without_measure(ctx: RiskContext) -> Hit | None:
    regions: list[Span | Unit] = list(ctx.spans("CL_BREACH")) or list(ctx.units("BREACH"))
    ctx.applies(bool(regions), "no breach clause (R-MISS-001)")
    if any(p.obligor == "supplier" for p in ctx.record.penalties):
        return None
    for start, end in _sentences(ctx, [*regions, *ctx.units("BREACH")]):
        sentence = ctx.slice((start, end))
        if _subject(sentence) != "supplier":
            continue
        if _spans_in(ctx, (start, end), "RATE_PENALTY", "AMT_PENALTY") or _CALC_METHOD.search(sentence):
            return None
    return hit(
        [(r.start, r.end) for r in regions][:5], message="违约责任未约定乙方主要违约情形的违约金或计算方法"
    )


def _daily(p: Penalty) -> Decimal | None:
    fraction = _dec(p.fraction)
    if p.kind != "rate" or fraction is None or p.per not in _DAYS_PER:
        return None
    return fraction / Decimal(_DAYS_PER[p.per])


@rule("R-SER-006")
def unequal_liability(ctx: RiskContext) -> Hit | None:
    no_liability = ctx.find(LEX_NO_BUYER_LIAB)
    if no_liability:
        return hit(no_liability, message="约定甲方不承担违约责任")
    penalties = ctx.record.penalties
    obligors = {p.obligor for p in penalties}
    if obligors == {"supplier"}:
        return hit([p.span for p in penalties][:5], message="仅约定乙方的违约金，甲方无对应违约责任")
    supplier = [d for p in penalties if p.obligor == "supplier" and (d := _daily(p)) is not None]
    buyer = [
        d
        for p in penalties
        if p.obligor == "buyer" and p.trigger == "late_payment" and (d := _daily(p)) is not None
    ]
    if (
        supplier
        and buyer
        and min(buyer) > 0
        and max(supplier) >= THRESHOLDS["penalty_asymmetry"] * max(buyer)
    ):
        evidence = [e for p in penalties if p.obligor in ("supplier", "buyer") for e in p.evidence]
        return hit(
            evidence,
            message=f"乙方违约金按日{_pct(max(supplier))}，为甲方逾期付款利率按日{_pct(max(buyer))}的"
            f"{(max(supplier) / max(buyer)):.1f}倍",
        )
    return None


@rule("R-SER-007")
def supplier_may_terminate(ctx: RiskContext) -> Hit | None:
    regions: list[Span | Unit] = [*ctx.spans("CL_TERMINATION"), *ctx.units("TERMINATION")]
    evidence = []
    for start, end in dict.fromkeys(ctx.find(_SUPPLIER_TERMINATION, regions)):
        s_start, _ = ctx.sentence(start)
        before = ctx.text[s_start:start]
        if _BUYER_BREACH_CONDITION.search(before) or _BUYER_BREACH_CONDITION.search(ctx.text[start:end]):
            continue
        if _IN_GAP_NEGATION.search(ctx.text[start:end]):
            continue
        evidence.append((start, end))
    if not evidence:
        return None
    return hit(
        evidence,
        message="乙方享有不以甲方违约为条件的解除权：" + "；".join(ctx.slice(e) for e in evidence[:2]),
    )


@rule("R-SER-008")
def automatic_renewal(ctx: RiskContext) -> Hit | None:
    evidence = []
    for unit in ctx.units("TERM_RENEWAL"):
        if ctx.find(LEX_RENEW_GUARD, [unit]):
            continue
        for start, end in ctx.find(LEX_AUTO_RENEW, [unit]):
            if _HOLIDAY_ROLLOVER.search(ctx.text[max(unit.start, start - 12) : end]):
                continue
            evidence.append((start, end))
    if not evidence:
        return None
    return hit(evidence, message="约定期满自动续期（" + ctx.slice(evidence[0]) + "），未经采购或预算审查程序")


@rule("R-SER-009")
def unlimited_buyer_liability(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gov_buyer(), "the buyer is not a government party")
    evidence = []
    for start, end in [*ctx.find(LEX_UNLIMITED), *ctx.find(_BUYER_INDEMNITY)]:
        s_start, _ = ctx.sentence(start)
        if _OBJECT_CUE.search(ctx.text[max(s_start, start - 8) : start]):
            continue  # "导致甲方承担全部责任": the buyer is the object, not the subject
        if _IN_GAP_NEGATION.search(ctx.text[start:end]):
            continue
        sentence = ctx.slice(ctx.sentence(start))
        if _CAP_WORDS.search(sentence):
            continue
        evidence.append((start, end))
    if not evidence:
        return None
    return hit(evidence, message="甲方承担无限或兜底责任：" + ctx.slice(evidence[0]))


def _has_unit_price(ctx: RiskContext) -> bool:
    for span in ctx.spans("AMT_OTHER"):
        left = ctx.text[max(0, span.start - 12) : span.start]
        right = ctx.text[span.end : span.end + 4]
        if _UNIT_PRICE_CUE.search(left) or re.match(r"\s*/", right):
            return True
    return False


@rule("R-SER-010")
def open_price(ctx: RiskContext) -> Hit | None:
    units = ctx.units("PRICE", "PAYMENT")
    found = ctx.find(LEX_OPEN_PRICE, units)
    if not found:
        return None
    if _has_unit_price(ctx) or ctx.find_rx(_CAP_WORDS, units):
        return None
    return hit(found, message="价款约定为“" + ctx.slice(found[0]) + "”，无单价也无最高限额")


def _budgets(ctx: RiskContext) -> list[tuple[str, Decimal, list[tuple[int, int]]]]:
    meta = ctx.meta
    tender = meta.tender or {}
    out: list[tuple[str, Decimal, list[tuple[int, int]]]] = []
    for name, value in (
        ("采购预算", meta.budget),
        ("中标（成交）金额", meta.award_price),
        ("采购预算", tender.get("budget")),
        ("中标（成交）金额", tender.get("award_price")),
    ):
        amount = _dec(value)
        if amount is not None:
            out.append((name, amount, []))
    for other in (tender.get("amounts") or {}).get("other") or []:
        if isinstance(other, dict) and other.get("kind") == "budget" and _dec(other.get("value")) is not None:
            out.append(("采购预算", Decimal(str(other["value"])), []))
    for span in ctx.spans("AMT_OTHER"):
        left = ctx.text[max(0, span.start - 12) : span.start]
        amount = _dec(_amount_value(ctx, span))
        if _BUDGET_CUE.search(left) and amount is not None:
            out.append(("采购预算", amount, [(span.start, span.end)]))
    return out


def _amount_value(ctx: RiskContext, span: Span) -> str | None:
    for f in ctx.record.amounts.get("other") or []:
        if f.spans and f.spans[0] == (span.start, span.end):
            return f.value
    return None


@rule("R-SER-011")
def total_over_budget(ctx: RiskContext) -> Hit | None:
    total = Decimal(ctx.need(ctx.record.amounts.get("total"), "total"))
    budgets = ctx.need(_budgets(ctx), "budget or award_price")
    over = [(name, value, spans) for name, value, spans in budgets if total - value >= CENT]
    if not over:
        return None
    name, value, _spans = over[0]
    evidence = list(ctx.record.amounts["total_spans"]) + [s for *_, found in over for s in found]
    return hit(evidence, message=f"合同总价{_yuan(total)}超过{name}{_yuan(value)}")


def _start_date(ctx: RiskContext) -> dt.date | None:
    """The term's first day: the stated start, else the effective date, else the signing date."""
    return ctx.date_of("start") or ctx.date_of("effective") or ctx.sign_date


def _end_date(ctx: RiskContext) -> tuple[dt.date | None, list[tuple[int, int]]]:
    end_field = ctx.record.dates.get("end")
    end = ctx.date_of("end")
    if end is None and end_field is not None and end_field.value and len(str(end_field.value)) == 7:
        end = _deadline(str(end_field.value))
    if end is not None:
        return end, list(end_field.spans)
    start, term = _start_date(ctx), ctx.record.term
    if start is not None and term is not None and term.value and term.value.get("unit") != "hour":
        value, unit = term.value.get("value"), term.value.get("unit")
        if isinstance(value, int) and value > 0:
            last = add_period(start - dt.timedelta(days=1), value, unit).date
            return last, list(term.spans)
    return None, []


@rule("R-SER-012")
def node_outside_term(ctx: RiskContext) -> Hit | None:
    end, end_spans = _end_date(ctx)
    ctx.need(end, "dates.end (or start + term)")
    assert end is not None
    starts = [d for d in (ctx.date_of("start"), ctx.date_of("effective"), ctx.sign_date) if d is not None]
    begin = min(starts) if starts else None
    evidence, messages = [], []
    for m in ctx.record.milestones:
        due = _deadline(m.date)
        if due is None:
            continue
        if m.kind != "PAY" and due > end:
            evidence += [m.span, *end_spans]
            messages.append(f"履约节点日期{due.isoformat()}晚于合同终止日期{end.isoformat()}")
        first = _first_day(m.date)
        if begin is not None and first is not None and due < begin:
            evidence.append(m.span)
            messages.append(f"节点日期{due.isoformat()}早于合同开始日期{begin.isoformat()}")
    return hit(evidence, message="；".join(messages)) if messages else None


@rule("R-SER-013")
def excessive_prepayment(ctx: RiskContext) -> Hit | None:
    total = _total(ctx)
    prepays = [m for m in _pays(ctx) if (m.anchor_event or "").split("+")[0] in ("SIGN", "EFFECTIVE")]
    shares = [(m, _ratio_of(m, total)) for m in prepays]
    if any(share is None for _, share in shares):
        ctx.need(None, "ratio or amount of the prepayment")
    prepay = sum((share for _, share in shares if share is not None), Decimal(0))
    t = THRESHOLDS
    if ctx.category == "工程":
        level = "medium" if prepay > t["prepay_works"] else None
    else:
        level = "high" if prepay >= t["prepay_high"] else "medium" if prepay > t["prepay_medium"] else None
    messages = [f"预付款比例{_pct(prepay)}"] if level else []
    if prepay > t["prepay_guarantee"] and not ctx.find_rx(_PREPAY_GUARANTEE):
        level = _level(level, "low")
        messages.append(f"预付款比例{_pct(prepay)}超过30%且未约定预付款保函或担保")
    if level is None:
        return None
    return hit([m.span for m in prepays], severity=level, message="；".join(dict.fromkeys(messages)))


_BEFORE_ACCEPTANCE = ("SIGN", "EFFECTIVE", "DELIVERY")


@rule("R-SER-014")
def payment_before_acceptance(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gp() or ctx.category == "货物", "neither government procurement nor goods")
    total = _total(ctx)
    pays = _pays(ctx)
    ctx.applies(bool(pays), "no payment schedule")
    paid, early = Decimal(0), []
    for m in pays:
        anchor = (m.anchor_event or "").split("+")[0]
        if anchor == "ACCEPTANCE" or anchor not in _BEFORE_ACCEPTANCE or m.recurrence:
            if anchor == "ACCEPTANCE":
                break
            continue
        share = _ratio_of(m, total)
        if share is not None:
            paid += share
            early.append(m)
    if paid >= THRESHOLDS["paid_before_acceptance"]:
        return hit([m.span for m in early], message=f"验收前累计付款比例达{_pct(paid)}")
    balance = [m for m in pays if not m.retention and not m.recurrence]
    if balance:
        last = balance[-1]
        anchor = (last.anchor_event or "").split("+")[0]
        if anchor in _BEFORE_ACCEPTANCE and not any(
            (m.anchor_event or "").startswith("ACCEPTANCE") for m in pays
        ):
            return hit([last.span], message="尾款在验收前支付，付款未与验收合格挂钩")
    return None


def _place_tokens(text: str) -> tuple[set[str], set[str]]:
    """(cities, districts) named in ``text``; a 仲裁委员会 name gives its city."""
    cities = {m.group(1) for m in _CITY.finditer(text)}
    arb = _ARB_PLACE.match(text)
    if arb:
        cities.add(arb.group(1).removesuffix("市"))
    if _CIETAC.search(text):
        cities.add("北京")
    districts = {m.group(1) for m in _DISTRICT.finditer(text)}
    return cities, districts


def _party_tokens(ctx: RiskContext, role: str) -> tuple[set[str], set[str]]:
    party = ctx.record.party(role)
    if party is None:
        return set(), set()
    texts = [party.name] + ([str(party.address.value)] if party.address is not None else [])
    cities: set[str] = set()
    districts: set[str] = set()
    for t in texts:
        c, d = _place_tokens(t)
        cities |= c
        districts |= d
    return cities, districts


@rule("R-SER-015")
def forum_away_from_buyer(ctx: RiskContext) -> Hit | None:
    juris = ctx.record.jurisdiction
    ctx.applies(ctx.gov_buyer(), "the buyer is not a government party")
    ctx.applies(juris["mode"] in ("litigation", "arbitration"), "no single forum (litigation or arbitration)")
    forum = juris["court"] if juris["mode"] == "litigation" else juris["arb_body"]
    if forum is None:
        # "向甲方所在地人民法院起诉" without a COURT span: read the dispute clause itself
        spans = juris.get("spans") or []
        text = "".join(ctx.slice(s) for s in spans)
        ctx.need(text or None, "court or arbitration body")
        forum_text, evidence = text, list(spans)
    else:
        forum_text, evidence = str(forum.value), list(forum.spans)
    if _BUYER_PLACE.search(forum_text):
        return None
    buyer_cities, buyer_districts = _party_tokens(ctx, "buyer")
    if _SUPPLIER_PLACE.search(forum_text):
        cities, districts = _party_tokens(ctx, "supplier")
        label = "乙方所在地"
    elif _PERF_PLACE.search(forum_text):
        place = next(iter(ctx.spans("PERF_PLACE")), None)
        ctx.need(place, "place of performance")
        cities, districts = _place_tokens(ctx.slice(place))  # type: ignore[arg-type]
        label = "履行地"
    else:
        cities, districts = _place_tokens(forum_text)
        label = forum_text
    ctx.need((cities or districts) or None, "forum region")
    ctx.need((buyer_cities or buyer_districts) or None, "buyer region")
    if ctx.meta.jurisdiction_level == "district":
        same = (
            bool(districts & buyer_districts)
            if districts and buyer_districts
            else bool(cities & buyer_cities)
        )
    else:
        same = bool(cities & buyer_cities) or bool(districts & buyer_districts)
        if not cities and districts and not (districts & buyer_districts):
            same = False
    if same:
        return None
    where = "、".join(sorted(buyer_cities | buyer_districts))
    return hit(evidence, message=f"约定的管辖（仲裁）地点（{label}）不在甲方所在地（{where}）")


@rule("R-SER-016")
def low_liability_cap(ctx: RiskContext) -> Hit | None:
    units = ctx.units("LIABILITY_CAP")
    if not units:
        return None
    total = _total(ctx)
    it_service = bool(ctx.find_rx(_IT_SUBJECT, ctx.units("SUBJECT", "SERVICE_SCOPE")))
    for start, end in _sentences(ctx, units):
        sentence = ctx.slice((start, end))
        if _LIABILITY_TOTAL.search(sentence) and _subject(sentence) == "supplier":
            for span in _spans_in(ctx, (start, end), "RATE_OTHER", "AMT_OTHER"):
                left = ctx.text[max(start, span.start - 16) : span.start]
                if not re.search(r"不超过|为限|限额|以|上限|最高", left) or "不低于" in left:
                    continue
                share = _cap_share(ctx, span, total)
                if share is None:
                    ctx.need(None, "total (to compare the liability cap)")
                if share is not None and share < THRESHOLDS["liability_cap"]:
                    return hit([(span.start, span.end)], message=f"乙方责任上限仅为合同总价的{_pct(share)}")
        if (
            it_service
            and _INDIRECT.search(sentence)
            and _EXCLUSION.search(sentence)
            and _DATA_LOSS.search(sentence)
        ):
            return hit([(start, end)], message="信息化服务中排除全部间接损失及数据损失的赔偿责任")
    return None


def _cap_share(ctx: RiskContext, span: Span, total: Decimal | None) -> Decimal | None:
    if span.label == "RATE_OTHER":
        result = normalize_rate(ctx.slice(span))
        return _dec(result.get("fraction")) if result.get("ok") else None
    result = normalize_amount(ctx.slice(span))
    if not result.get("ok") or not total:
        return None
    return Decimal(result["value"]) / total


@rule("R-SER-017")
def ip_to_supplier(ctx: RiskContext) -> Hit | None:
    ctx.applies(_custom_work(ctx), "no custom development, design or consulting work")
    regions: list[Span | Unit] = [*ctx.spans("CL_IP"), *ctx.units("IP")]
    sentences = _sentences(ctx, regions)
    ip_text = "".join(ctx.slice(s) for s in sentences)
    for start, end in sentences:
        sentence = ctx.slice((start, end))
        if _PRE_EXISTING.search(sentence):
            continue
        owned = _IP_TO_SUPPLIER.search(sentence)
        if owned:
            return hit([(start, end)], message="定制成果知识产权约定归乙方所有")
        licence = _LIMITED_LICENCE.search(sentence)
        if licence and (not _SOURCE_CODE.search(ip_text) or _NO_SOURCE_CODE.search(ip_text)):
            return hit([(start, end)], message="甲方仅获受限使用权且未约定交付源代码")
    return None


def _bond_returned(ctx: RiskContext, keyword: re.Pattern[str]) -> bool:
    regions = ctx.units("BOND", "WARRANTY", "PAYMENT")
    for unit in regions:
        if not keyword.search(ctx.slice(unit)):
            continue
        for start, end in _sentences(ctx, [unit]):
            sentence = ctx.slice((start, end))
            if not (_BOND_RETURN_TRIGGER.search(sentence) and _BOND_RETURN_VERB.search(sentence)):
                continue
            if _spans_in(ctx, (start, end), "PERIOD", "DATE_NODE", "DATE_OTHER"):
                return True
    return False


_PERF_KEYWORD = re.compile(r"履约保证金|履约担保|保证金")
_WARRANTY_KEYWORD = re.compile(r"质保金|质量保证金|保修金|质保")


@rule("R-SER-018")
def bond_without_refund_term(ctx: RiskContext) -> Hit | None:
    amounts = ctx.record.amounts
    evidence, missing = [], []
    for key, name, keyword in (
        ("perf_bond", "履约保证金", _PERF_KEYWORD),
        ("warranty", "质保金", _WARRANTY_KEYWORD),
    ):
        bond = amounts.get(key) or {}
        fields = [f for f in (bond.get("amount"), bond.get("ratio")) if f is not None]
        if not fields:
            continue
        if key == "warranty" and any(m.retention and (m.period or m.date) for m in ctx.record.milestones):
            continue
        if not _bond_returned(ctx, keyword):
            evidence += [s for f in fields for s in f.spans]
            missing.append(name)
    if not missing:
        return None
    return hit(evidence, message="、".join(missing) + "未约定退还条件及期限")


@rule("R-SER-019")
def multi_year_without_annual_plan(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gov_buyer(), "the buyer is not a government party")
    start = _start_date(ctx)
    end, end_spans = _end_date(ctx)
    ctx.need(start, "dates.start")
    ctx.need(end, "dates.end (or start + term)")
    assert start is not None and end is not None
    days = (end - start).days + 1
    if start.year == end.year or days <= 366:
        return None
    pays = _pays(ctx)
    if any(m.recurrence or "年度" in m.text for m in pays):
        return None
    years = {d.year for m in pays if (d := _deadline(m.date)) is not None}
    if all(y in years for y in range(start.year, end.year + 1)):
        return None
    term = ctx.record.term
    evidence = (list(term.spans) if term is not None else []) + end_spans
    return hit(
        evidence,
        message=f"合同期限{start.isoformat()}至{end.isoformat()}跨{end.year - start.year + 1}个预算年度，"
        "未列明分年度支付安排",
    )
