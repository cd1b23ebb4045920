"""合规性 (COMP): a term conflicts with a mandatory provision of law or a binding rule (spec C.3)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from hetong.assemble import Field, Milestone
from hetong.lexicons import (
    LEX_ANY_TERMINATION,
    LEX_AUDIT_SETTLE,
    LEX_AUTO_RENEW,
    LEX_CASH_ONLY,
    LEX_EXEMPT,
    LEX_FUNDS_COND,
    LEX_GUARANTEE,
    LEX_INTERNAL_DELAY,
    LEX_LOCAL_REG,
    LEX_NO_BUYER_LIAB,
    LEX_NONCASH,
    LEX_ORG_CHANGE,
    LEX_RENEW_GUARD,
    LEX_SUBCONTRACT_FREE,
    _lex,
)
from hetong.normalize import normalize_amount, normalize_period, normalize_rate
from hetong.risk.context import RiskContext
from hetong.risk.engine import Hit, hit, rule

# ------------------------------------------------------------------------------------------------ helpers

TEN_PERCENT = Decimal("0.10")
_NEGATED = re.compile(r"(?:不得|禁止|严禁|不允许|不能|不可|不准|无权|不应)[^。；;，,]{0,12}$")
_PAY_TYPES = ("PAYMENT", "PRICE")


def _dec(value: Any) -> Decimal | None:
    if isinstance(value, Field):
        value = value.value
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _pct(value: Decimal) -> str:
    text = f"{(value * 100).quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _share(amount: Any, total: Decimal) -> Decimal:
    """``amount / total`` to 0.01%, so an amount rounded to the cent stays at its stated share."""
    return (Decimal(str(amount)) / total).quantize(Decimal("0.0001"))


def _spans(field: Field | None) -> list[tuple[int, int]]:
    return list(field.spans) if field is not None else []


def _negated(ctx: RiskContext, start: int) -> bool:
    """A prohibition (不得/禁止/…) stands earlier in the same clause of the sentence."""
    sentence_start, _ = ctx.sentence(start)
    return bool(_NEGATED.search(ctx.text[sentence_start:start]))


def _sentences(ctx: RiskContext, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return list(dict.fromkeys(ctx.sentence(start) for start, _ in found))


def _pay_regions(ctx: RiskContext) -> list[Any]:
    return [*ctx.units(*_PAY_TYPES), *ctx.spans("CL_MS_PAY")]


def _buyer_type(ctx: RiskContext) -> str:
    buyer_type, assumed = ctx.buyer_type
    if assumed:
        ctx.assumptions.append("buyer_type_assumed")
    return buyer_type


def _payment_act(ctx: RiskContext) -> str:
    act = ctx.payment_act
    ctx.applies(act != "none", "signed before the payment regulation came into force (2020-09-01)")
    return act


# ------------------------------------------------------------------------------------------------ bonds


def _bond_ratio(ctx: RiskContext, bond: dict[str, Any]) -> tuple[Decimal, list[tuple[int, int]]] | None:
    """The bond's share of the contract: its RATE_BOND if based on the contract amount, else amount/total."""
    ratio, amount = bond.get("ratio"), bond.get("amount")
    if ratio is not None and ratio.value is not None:
        start, end = ratio.spans[0]
        based = normalize_rate(ctx.text[start:end], ctx.text[max(0, start - 20) : start]).get("base")
        if based in ("TOTAL", "OTHER", "UNKNOWN", None) or amount is None or amount.value is None:
            return Decimal(str(ratio.value)), _spans(ratio) + _spans(amount)
    if amount is not None and amount.value is not None:
        total = _dec(ctx.need(ctx.record.amounts["total"], "amounts.total"))
        if total:
            return _share(amount.value, total), _spans(amount)
    return None


@rule("R-COMP-001")
def performance_bond_over_ten_percent(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gp() or ctx.tb(), "not a procurement or tendering contract")
    bond = ctx.record.amounts["perf_bond"]
    ctx.applies(bool(bond.get("amount") or bond.get("ratio")), "no performance bond is required")
    found = ctx.need(_bond_ratio(ctx, bond), "amounts.perf_bond (value or ratio)")
    ratio, evidence = found
    if ratio <= TEN_PERCENT:
        return None
    return hit(evidence, message=f"履约保证金比例{_pct(ratio)}超过合同金额的10%")


_CASH_FORCED = re.compile(r"仅|只能|必须|须以|不接受(?:银行)?保函")
_GUARANTEE_ALLOWED = re.compile(r"保函|保险|非现金|汇票|本票|支票")
_GUARANTEE_REFUSED = re.compile(r"不接受|不得以(?:银行)?保函|拒收|不予接受")


@rule("R-COMP-002")
def bond_cash_only(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gp() or ctx.gov_buyer(), "neither government procurement nor a government buyer")
    evidence = []
    for start, end in ctx.find(LEX_CASH_ONLY, ctx.units("BOND")):
        sentence = ctx.slice(ctx.sentence(start))
        if _GUARANTEE_ALLOWED.search(sentence) and not _GUARANTEE_REFUSED.search(sentence):
            continue  # cash is one of the accepted forms, not the only one
        evidence.append((start, end))
    bond = ctx.record.amounts["perf_bond"]
    if bond.get("form") == "cash":
        first = (bond.get("amount") or bond.get("ratio")).spans[0][0]
        sentence = ctx.sentence(first)
        if _CASH_FORCED.search(ctx.slice(sentence)):
            evidence.append(sentence)
    if not evidence:
        return None
    return hit(evidence, message="保证金限定以现金等方式缴纳，未允许以保函等非现金形式提交")


_EXTRA_DEPOSIT = _lex(
    "LEX_EXTRA_DEPOSIT",
    r"(?:安全文明施工|文明施工|安全生产|安全|进度|工期|诚信|廉政|廉洁|信誉|信用|管理|考勤|扬尘治理|环保|治安|"
    r"合同履行|竣工|结算|保修)保证金",
)
_DEPOSIT_WAIVED = re.compile(r"不(?:得)?(?:收取|另行收取|再收取)|免(?:于)?收|不收")


@rule("R-COMP-003")
def works_extra_deposit(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.category == "工程", "not a works contract")
    evidence = [
        (start, end)
        for start, end in ctx.find(_EXTRA_DEPOSIT, ctx.units("BOND", "BREACH"))
        if not _negated(ctx, start) and not _DEPOSIT_WAIVED.search(ctx.text[ctx.sentence(start)[0] : start])
    ]
    if not evidence:
        return None
    names = "、".join(dict.fromkeys(ctx.slice(e) for e in evidence))
    return hit(evidence, message=f"工程建设中收取法定以外的保证金：{names}")


@rule("R-COMP-004")
def works_retention_over_three_percent(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.category == "工程", "not a works contract (no national cap on 质保金)")
    warranty = ctx.record.amounts["warranty"]
    ratio, amount = warranty.get("ratio"), warranty.get("amount")
    share: Decimal | None = _dec(ratio)
    evidence = _spans(ratio)
    if share is None and amount is not None and amount.value is not None:
        total = _dec(ctx.need(ctx.record.amounts["total"], "amounts.total"))
        if total:
            share, evidence = _share(amount.value, total), _spans(amount)
    if share is None or share <= Decimal("0.03"):
        return None
    return hit(evidence, message=f"工程质量保证金比例{_pct(share)}超过工程价款结算总额的3%")


# ------------------------------------------------------------------------------------------------ payment


_PAY_ANCHORS = ("DELIVERY", "ACCEPTANCE", "INVOICE", "SETTLEMENT")
_BOND_RETURN = re.compile(r"保证金|定金")


def _pay_days(ctx: RiskContext, milestone: Milestone) -> int | None:
    """Days from delivery/acceptance to payment: all fixed periods of the chain (invoice waiting counts 0),
    or a node date minus the latest earlier delivery/acceptance date."""
    if milestone.period is not None:
        anchors = set((milestone.anchor_event or "").split("+"))
        if not anchors & set(_PAY_ANCHORS):
            return None
        days = 0
        for period in ctx.inside(_Region(*milestone.span), "PERIOD"):
            parsed = normalize_period(ctx.slice(period))
            if not parsed.get("ok"):
                return None
            days += int(parsed["days"])
        return days
    if milestone.date is not None:
        paid = dt.date.fromisoformat(milestone.date)
        earlier = [
            dt.date.fromisoformat(m.date)
            for m in ctx.record.milestones
            if m.kind in ("DELIVERY", "ACCEPT") and m.date and len(m.date) == 10 and m.date <= milestone.date
        ]
        return (paid - max(earlier)).days if earlier and len(milestone.date) == 10 else None
    return None


def _price_payments(ctx: RiskContext) -> list[Milestone]:
    """The buyer's payments of the price: no retention release, no bond or deposit refund."""
    bond_only = [u for u in ctx.units("BOND") if "PAYMENT" not in u.types]
    return [
        m
        for m in ctx.record.milestones
        if m.kind == "PAY"
        and m.obligor == "buyer"
        and not m.retention
        and not _BOND_RETURN.search(m.text)
        and not any(u.start <= m.span[0] < u.end for u in bond_only)
    ]


class _Region:
    """A ``[start, end)`` pair that :meth:`RiskContext.inside` accepts."""

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


@rule("R-COMP-005")
def sme_payment_over_sixty_days(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gov_buyer() and ctx.sme(), "not a government buyer paying an SME")
    _payment_act(ctx)
    pays = [m for m in _price_payments(ctx) if m.period is not None or m.date is not None]
    ctx.need(pays, "a buyer CL_MS_PAY with a period or date")
    late = []
    for milestone in pays:
        days = _pay_days(ctx, milestone)
        if days is not None and days > 60:
            late.append((milestone, days))
    if not late:
        return None
    worst = max(days for _, days in late)
    return hit([m.span for m, _ in late], message=f"向中小企业付款期限{worst}日，超过60日")


@rule("R-COMP-006")
def payment_conditioned_on_funds(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gov_buyer(), "not a government buyer")
    evidence = ctx.find(LEX_FUNDS_COND, [*ctx.units("PAYMENT"), *ctx.spans("CL_MS_PAY")])
    evidence += [m.span for m in ctx.record.milestones if m.kind == "PAY" and m.anchor_event == "FUNDS"]
    if not evidence:
        return None
    size = ctx.supplier_size
    severity = "medium" if size != "unknown" and size not in ("中型", "小型", "微型") else None
    return hit(evidence, severity=severity, message="付款以财政资金到位、上级拨款或第三方付款为条件")


_LAW_CITED = re.compile(
    r"法律、?行政法规(?:另有)?规定|依照《[^》]{2,30}(?:法|条例)》|根据《[^》]{2,30}(?:法|条例)》"
)


@rule("R-COMP-007")
def audit_result_as_settlement(ctx: RiskContext) -> Hit | None:
    ctx.applies(
        _buyer_type(ctx) in ("机关", "事业单位", "国有企业"), "buyer is not an organ, institution or SOE"
    )
    sme = ctx.sme()
    act = _payment_act(ctx)
    found = [
        (start, end)
        for start, end in ctx.find(LEX_AUDIT_SETTLE, _pay_regions(ctx))
        if not _LAW_CITED.search(ctx.slice(ctx.sentence(start)))
    ]
    if not found:
        return None
    severity = "high" if act == "2025" else "low"
    message = "以审计结果作为结算依据"
    if not sme:
        return hit(found, severity=severity, message=message + "（供应商非中小企业，仅作提示）", weight=0)
    return hit(found, severity=severity, message=message)


_HEAD_CHANGE_DELAY = _lex(
    "LEX_HEAD_CHANGE_DELAY",
    r"(?:法定代表人|主要负责人|负责人)(?:变更|更替|调整)…(?:暂停|暂缓|延迟|迟延|推迟|顺延)(?:付款|支付)",
)


@rule("R-COMP-008")
def payment_delayed_by_internal_process(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gov_buyer() and ctx.sme(), "not a government buyer paying an SME")
    regions = _pay_regions(ctx)
    evidence = ctx.find(LEX_INTERNAL_DELAY, regions) + ctx.find(_HEAD_CHANGE_DELAY, regions)
    evidence += [
        m.span
        for m in ctx.record.milestones
        if m.kind == "PAY" and m.anchor_event in ("APPROVAL", "AUDIT") and m.period is None and m.date is None
    ]
    if not evidence:
        return None
    return hit(evidence, message="以内部审批流程、决算审计或负责人变更等为由延迟付款，付款期限不确定")


_SUPPLIER_CHOICE = re.compile(r"乙方同意|经乙方(?:书面)?(?:同意|选择)|乙方可(?:以)?选择|乙方自愿|供应商同意")


@rule("R-COMP-009")
def forced_non_cash_payment(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gov_buyer() and ctx.sme(), "not a government buyer paying an SME")
    evidence = [
        (start, end)
        for start, end in ctx.find(LEX_NONCASH, ctx.units("PAYMENT"))
        if not _SUPPLIER_CHOICE.search(ctx.slice(ctx.sentence(start))) and not _negated(ctx, start)
    ]
    if not evidence:
        return None
    return hit(evidence, message="以商业汇票等非现金方式支付，未约定经乙方同意")


# The 1-year LPR has stayed within these bounds from its reform (2019-08) through 2025-10 (published by the
# 全国银行间同业拆借中心). Without the monthly table (spec A.4.4) a rate is decided only when it is clearly
# below the lowest or at least the highest value; anything between is NOT_EVALUABLE.
LPR_1Y_LOWEST = Decimal("0.030")
LPR_1Y_HIGHEST = Decimal("0.0431")
LPR_TABLE_KNOWN_UNTIL = dt.date(2025, 10, 31)
_NO_INTEREST = re.compile(r"不(?:再)?(?:计|支付|计付|承担|另计)(?:任何)?(?:逾期)?利息|不计息|无息")


@rule("R-COMP-010")
def late_payment_interest_below_lpr(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gov_buyer() and ctx.sme(), "not a government buyer paying an SME")
    no_liability = ctx.find(LEX_NO_BUYER_LIAB)
    if no_liability:
        return hit(no_liability, message="约定甲方逾期付款不承担违约责任")
    penalties = [p for p in ctx.record.penalties if p.obligor == "buyer" and p.trigger == "late_payment"]
    undecided = False
    for penalty in penalties:
        if penalty.kind == "amount":
            if _NO_INTEREST.search(ctx.slice(penalty.span)):
                return hit(penalty.evidence, message="以固定违约金替代逾期利息且约定不再计息")
            continue
        item = penalty.evidence[0]
        rate = normalize_rate(
            ctx.slice(item), ctx.text[max(0, item[0] - 20) : item[0]], ctx.text[item[1] : item[1] + 6]
        )
        if rate.get("kind") == "LPR_multiple":
            multiple = _dec(rate.get("multiple"))
            if multiple is not None and multiple < 1:
                return hit([item], message=f"逾期利息为LPR的{multiple}倍，低于1年期LPR")
            continue
        annual = _dec(rate.get("annualized"))
        if annual is None:
            undecided = True
            continue
        sign = ctx.sign_date
        if annual < LPR_1Y_LOWEST and (sign is None or sign <= LPR_TABLE_KNOWN_UNTIL):
            return hit([item], message=f"逾期付款年化利率{_pct(annual)}低于1年期LPR")
        if annual < LPR_1Y_HIGHEST:
            undecided = True
    if undecided:
        ctx.need(None, "lpr_1y table for the signing month")
    return None


# ------------------------------------------------------------------------------------ guarantees, deposits


_GUARANTEE_NOT_BY_BUYER = re.compile(
    r"^(?:认可|指定|接受)|要求|(?:乙方|供应商|承包人)(?:应|须|需|必须|应当)|"
    r"(?:机构|银行|保险公司)(?:出具|提供)|不(?:对|为|提供|承担|作|出具|负)"
)
_GUARANTOR_ALIASES = ("保证人", "担保人")


@rule("R-COMP-011")
def buyer_gives_guarantee(ctx: RiskContext) -> Hit | None:
    buyer_type = _buyer_type(ctx)
    ctx.applies(buyer_type in ("机关", "事业单位"), "buyer is neither an organ nor a public institution")
    evidence = []
    for start, end in ctx.find(LEX_GUARANTEE):
        before = ctx.text[max(0, start - 2) : start]
        body = ctx.text[start:end]
        if re.search(r"[向给为对]$|要求$", before) or _GUARANTEE_NOT_BY_BUYER.search(body[2:]):
            continue
        evidence.append((start, end))
    for party in ctx.record.parties:
        uscc = party.uscc.value if party.uscc is not None else ""
        if party.role_alias in _GUARANTOR_ALIASES and str(uscc).upper().startswith("11"):
            evidence += party.mentions[:1]
    if not evidence:
        return None
    return hit(evidence, message=f"{buyer_type}提供担保、保证、回购或兜底")


@rule("R-COMP-012")
def deposit_over_twenty_percent(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.record.amounts["deposit"] is not None, "no 定金 agreed")
    deposit = ctx.need(ctx.record.amounts["deposit"], "amounts.deposit")
    total = _dec(ctx.need(ctx.record.amounts["total"], "amounts.total"))
    if not total:
        ctx.need(None, "amounts.total")
    share = _share(deposit.value, total)
    if share <= Decimal("0.20"):
        return None
    return hit(deposit.spans, message=f"定金{deposit.value}元为合同金额的{_pct(share)}，超过20%")


# ------------------------------------------------------------------------------------------------ tender


def _days(field: Field | None) -> int | None:
    if field is None or not isinstance(field.value, dict):
        return None
    days = field.value.get("days")
    return int(days) if days is not None else None


def _term_days(ctx: RiskContext) -> int | None:
    start, end = ctx.date_of("start"), ctx.date_of("end")
    if start and end:
        return (end - start).days + 1
    return _days(ctx.record.term)


@rule("R-COMP-013")
def differs_from_tender(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gp() or ctx.tb(), "not a procurement or tendering contract")
    tender = ctx.need(ctx.meta.tender, "tender")
    amounts = ctx.record.amounts
    diffs: list[str] = []
    evidence: list[tuple[int, int]] = []
    price_differs = False
    award = _dec(tender.get("award_price") or ctx.meta.award_price)
    total = _dec(amounts["total"])
    if (
        award is not None
        and total is not None
        and award.quantize(Decimal("0.01")) != total.quantize(Decimal("0.01"))
    ):
        diffs.append(f"合同价{total}元≠中标价{award}元")
        evidence += amounts["total_spans"]
        price_differs = True
    term = _term_days(ctx)
    if tender.get("term_days") is not None and term is not None and int(tender["term_days"]) != term:
        diffs.append(f"履行期限{term}日≠采购文件{tender['term_days']}日")
        evidence += (
            _spans(ctx.record.term)
            + _spans(ctx.record.dates.get("start"))
            + _spans(ctx.record.dates.get("end"))
        )
    bond = amounts["perf_bond"].get("ratio")
    planned_bond, bond_ratio = _dec(tender.get("perf_bond_ratio")), _dec(bond)
    if planned_bond is not None and bond_ratio is not None and bond_ratio != planned_bond:
        diffs.append(f"履约保证金比例{_pct(bond_ratio)}≠采购文件{_pct(planned_bond)}")
        evidence += _spans(bond)
    warranty = _days(ctx.record.warranty_period)
    if (
        tender.get("warranty_days") is not None
        and warranty is not None
        and warranty < int(tender["warranty_days"])
    ):
        diffs.append(f"质保期{warranty}日短于采购文件{tender['warranty_days']}日")
        evidence += _spans(ctx.record.warranty_period)
    diffs_pay, evidence_pay = _schedule_diffs(ctx, tender.get("milestones"))
    diffs += diffs_pay
    evidence += evidence_pay
    if not diffs:
        return None
    return hit(evidence, message="；".join(diffs), severity="high" if price_differs else None)


def _schedule_diffs(ctx: RiskContext, planned: Any) -> tuple[list[str], list[tuple[int, int]]]:
    if not planned:
        return [], []
    pays = _price_payments(ctx)
    wanted = [p for p in planned if p.get("kind", "PAY") == "PAY" and not p.get("retention")]
    if len(pays) != len(wanted):
        return [f"付款期数{len(pays)}≠采购文件{len(wanted)}"], [m.span for m in pays]
    diffs, evidence = [], []
    for index, (mine, theirs) in enumerate(zip(pays, wanted, strict=True), start=1):
        problems = []
        their_ratio, my_ratio = _dec(theirs.get("ratio")), _dec(mine.ratio)
        if (
            their_ratio is not None
            and my_ratio is not None
            and abs(my_ratio - their_ratio) > Decimal("0.001")
        ):
            problems.append("比例")
        if theirs.get("anchor_event") and mine.anchor_event and theirs["anchor_event"] != mine.anchor_event:
            problems.append("起算事件")
        their_period = (theirs.get("period") or {}).get("days")
        my_period = (mine.period or {}).get("days")
        if their_period is not None and my_period is not None and int(their_period) != int(my_period):
            problems.append("期限")
        if problems:
            diffs.append(f"第{index}期付款{'、'.join(problems)}与采购文件不一致")
            evidence.append(mine.span)
    return diffs, evidence


_ADDITION = re.compile(r"追加|增加|补充(?:合同|协议)|增购|添购")


@rule("R-COMP-014")
def additions_over_ten_percent(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gp(), "not government procurement")
    total = _dec(ctx.record.amounts["total"])
    evidence, worst = [], Decimal(0)
    for unit in ctx.units("CHANGE"):
        for span in ctx.inside(unit, "RATE_OTHER", "AMT_OTHER"):
            if not _ADDITION.search(ctx.slice(ctx.sentence(span.start))):
                continue
            if span.label == "RATE_OTHER":
                share = _dec(normalize_rate(ctx.slice(span)).get("fraction"))
            else:
                amount = _dec(_amount(ctx.slice(span)))
                share = _share(amount, total) if amount is not None and total else None
            if share is not None and share > TEN_PERCENT:
                evidence.append((span.start, span.end))
                worst = max(worst, share)
    name = ctx.record.contract.get("name")
    tender = ctx.meta.tender or {}
    original = _dec(tender.get("original_total"))
    if name is not None and "补充" in str(name.value or "") and original and total is not None:
        share = (total + (_dec(tender.get("prior_supplementary_total")) or Decimal(0))) / original
        if share > TEN_PERCENT:
            evidence += name.spans + ctx.record.amounts["total_spans"]
            worst = max(worst, share)
    if not evidence:
        return None
    return hit(evidence, message=f"追加或补充采购金额达原合同金额的{_pct(worst)}，超过10%")


def _amount(text: str) -> str | None:
    return normalize_amount(text).get("value")


# ------------------------------------------------------------------------------------------------ clauses


_TRANSFER = _lex(
    "LEX_TRANSFER_WHOLE",
    r"(?:可|可以|有权|允许|同意)[^。；;，,]{0,12}?(?:(?:全部|整体)转(?:让|包)|转包|肢解(?:后)?(?:转让|分包))",
)
_MAIN_STRUCTURE = re.compile(r"主体结构[^。；;]{0,12}?(?:可|可以|有权|允许)?[^。；;]{0,6}?分包")
_CONSENT = re.compile(
    r"(?:经|征得|取得)(?:甲方|采购人|发包人)[^。；;]{0,6}?(?:同意|批准|许可)|甲方同意后|报甲方批准"
)


@rule("R-COMP-015")
def free_subcontracting(ctx: RiskContext) -> Hit | None:
    evidence = []
    for start, end in ctx.find(LEX_SUBCONTRACT_FREE, ctx.units("SUBCONTRACT")):
        sentence = ctx.slice(ctx.sentence(start))
        if ctx.text[start:end].startswith("无需") or not _CONSENT.search(sentence):
            evidence.append((start, end))
    evidence += [(s, e) for s, e in ctx.find(_TRANSFER) if not _negated(ctx, s)]
    if ctx.category == "工程":
        evidence += [(s, e) for s, e in ctx.find_rx(_MAIN_STRUCTURE) if not _negated(ctx, s)]
    if not evidence:
        return None
    return hit(evidence, message="允许未经采购人同意分包，或允许转包、肢解转让")


_CARVE_OUT = re.compile(
    r"除[^。；;]{0,30}?(?:故意|重大过失)[^。；;]{0,20}?外|(?:故意|重大过失)[^。；;]{0,20}?除外"
)


@rule("R-COMP-016")
def exempts_injury_or_gross_fault(ctx: RiskContext) -> Hit | None:
    evidence = [
        (start, end)
        for start, end in ctx.find(LEX_EXEMPT, ctx.units("LIABILITY_CAP", "BREACH"))
        if not _CARVE_OUT.search(ctx.slice(ctx.sentence(start))) and not _negated(ctx, start)
    ]
    if not evidence:
        return None
    return hit(evidence, message="免除造成人身损害或因故意、重大过失造成财产损失的责任")


# ------------------------------------------------------------------------------------------------ forum


_PLACE = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:省|自治区|市|区|县|旗)")
_RELATIVE_COURT = {
    "buyer": re.compile(r"甲方|采购人|发包人|买方|需方|委托方"),
    "supplier": re.compile(r"乙方|供应商|承包人|卖方|供方|受托方"),
    "plaintiff": re.compile(r"原告|被告|起诉方|守约方"),
    "sign": re.compile(r"签订地|签约地"),
    "perf": re.compile(r"履行地|项目所在地|工程所在地|不动产所在地|标的物所在地|服务地"),
}
_WORKS = re.compile(r"施工|工程")


def _regions(text: str) -> list[str]:
    """Administrative names in a text, coarse to fine ("浙江省", "温州市", "瓯江区")."""
    return [m.group(0) for m in _PLACE.finditer(text)]


def _court_finest(court: str) -> str | None:
    names = _regions(court.replace("人民法院", "").replace("中级", "").replace("基层", ""))
    return names[-1] if names else None


@rule("R-COMP-017")
def court_without_connection(ctx: RiskContext) -> Hit | None:
    """A named court is located by its finest place name; 甲方所在地, 合同签订地 etc. are connected by law.

    For a construction contract the court must be the project's (专属管辖); 甲方所在地 passes only when
    the buyer's address lies in the project's finest place. Unresolvable places pass.
    """
    ctx.applies(ctx.record.jurisdiction["mode"] in ("litigation", "both"), "no court is agreed")
    court = ctx.need(ctx.record.jurisdiction.get("court"), "jurisdiction.court_text")
    text = str(court.value)
    places = {role: _address(ctx, role) for role in ("buyer", "supplier")}
    places["perf"] = " ".join(ctx.slice(s) for s in ctx.spans("PERF_PLACE"))
    relative = [key for key, rx in _RELATIVE_COURT.items() if rx.search(text)]
    finest = _court_finest(text)
    if _construction(ctx):
        project = places["perf"]
        if "perf" in relative or not project:
            return None
        if finest is not None:
            connected = finest in project
        elif "buyer" in relative and places["buyer"]:
            fine = _regions(project)
            connected = not fine or fine[-1] in places["buyer"]
        else:
            return None
        return None if connected else hit(court.spans, message=f"施工合同约定{text}，非工程所在地法院")
    if relative or finest is None:
        return None
    known = [place for place in places.values() if place]
    if len(known) >= 2 and all(finest not in place for place in known):
        return hit(court.spans, message=f"约定的{text}与当事人住所地、履行地均无实际联系")
    return None


def _address(ctx: RiskContext, role: str) -> str:
    party = ctx.record.party(role)
    return str(party.address.value) if party is not None and party.address is not None else ""


def _construction(ctx: RiskContext) -> bool:
    name = ctx.record.contract.get("name")
    named = _WORKS.search(str(name.value if name is not None else ""))
    return ctx.category == "工程" and bool(named or ctx.has_type("WORKS_SCOPE"))


_OR_SUE = re.compile(
    r"仲裁[^。；;]{0,30}?(?:或|或者|也可以?|亦可|或向)[^。；;]{0,20}?(?:诉讼|起诉|人民法院)(?!期间|过程)|"
    r"(?:诉讼|起诉|人民法院)[^。；;]{0,30}?(?:或|或者|也可以?|亦可)[^。；;]{0,20}?仲裁(?!期间|过程)"
)
_VAGUE_ARB = re.compile(r"当地|有关|有管辖权的|所在地|相关")


@rule("R-COMP-018")
def invalid_arbitration(ctx: RiskContext) -> Hit | None:
    jurisdiction = ctx.record.jurisdiction
    regions = ctx.spans("CL_DISPUTE") or ctx.units("DISPUTE")
    either = ctx.find_rx(_OR_SUE, regions)
    if either:
        return hit(_sentences(ctx, either), message="同时约定可以仲裁也可以起诉，仲裁协议无效")
    if jurisdiction["mode"] == "arbitration":
        body = jurisdiction.get("arb_body")
        if body is None or not str(body.value or "").endswith("委员会") or _VAGUE_ARB.search(str(body.value)):
            evidence = _spans(body) or [(s.start, s.end) for s in regions]
            return hit(evidence, message="约定仲裁但未明确具体仲裁委员会")
    return None


# ------------------------------------------------------------------------------------------ term, locality


def _renewal_days(ctx: RiskContext) -> tuple[int | None, list[tuple[int, int]]] | None:
    """An automatic renewal not subject to a new procurement: its period in days (None: open-ended)."""
    units = ctx.units("TERM_RENEWAL")
    for start, _end in ctx.find(LEX_AUTO_RENEW, units):
        sentence = ctx.sentence(start)
        if LEX_RENEW_GUARD.find(ctx.slice(sentence)) or _negated(ctx, start):
            continue
        inside = [s for s in ctx.spans("PERIOD", "TERM") if sentence[0] <= s.start < sentence[1]]
        parsed = normalize_period(ctx.slice(inside[0])) if inside else {}
        return (int(parsed["days"]) if parsed.get("ok") else None), [sentence]
    return None


@rule("R-COMP-019")
def service_term_over_three_years(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.category == "服务" and ctx.gov_buyer(), "not a government service contract")
    start, end = ctx.date_of("start"), ctx.date_of("end")
    days = _term_days(ctx)
    ctx.need(days, "term.days or dates.start/end")
    evidence = (
        _spans(ctx.record.term) + _spans(ctx.record.dates.get("start")) + _spans(ctx.record.dates.get("end"))
    )
    if start and end:
        try:
            limit = start.replace(year=start.year + 3) - dt.timedelta(days=1)
        except ValueError:  # 29 February
            limit = dt.date(start.year + 3, 2, 28)
        over = end > limit
    else:
        over = days > 1096
    renewal = _renewal_days(ctx)
    if not over and renewal is not None:
        extra, spans = renewal
        if extra is None or days + extra > 1096:
            over = True
            evidence += spans
            return hit(evidence, message="服务期限连同自动续期超过3年")
    if not over:
        return None
    return hit(evidence, message=f"服务合同履行期限{days}日，超过3年")


_LOCAL_CONDITION = _lex(
    "LEX_LOCAL_CONDITION",
    r"(?:本地|当地|[\u4e00-\u9fff]{2,6}?(?:市|区|县))(?:注册|设立)[^。；;]{0,12}?作为(?:付款|履约|签约|签订合同)的?(?:前提|条件)",
)


@rule("R-COMP-020")
def local_registration_required(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gp(), "not government procurement")
    evidence = ctx.find(LEX_LOCAL_REG) + ctx.find(_LOCAL_CONDITION)
    evidence = [(s, e) for s, e in evidence if not _negated(ctx, s)]
    if not evidence:
        return None
    return hit(evidence, message="要求供应商在本地注册设立机构或迁入税务关系")


_SUPPLIER_SIDE = re.compile(r"乙方|供应商|承包人")


@rule("R-COMP-021")
def organisational_change_as_excuse(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gov_buyer(), "not a government buyer")
    evidence = []
    for start, end in ctx.find(LEX_ORG_CHANGE, ctx.units("TERMINATION", "CHANGE", "PAYMENT")):
        before = ctx.text[ctx.sentence(start)[0] : start]
        if (
            _negated(ctx, start)
            or re.search(r"不得以|不因|不受", before)
            or _SUPPLIER_SIDE.search(before[-8:])
        ):
            continue
        evidence.append((start, end))
    if not evidence:
        return None
    return hit(evidence, message="以机构调整、政府换届或负责人更替等为由解除、变更或不履行合同")


_PROGRESS = re.compile(r"进度款|按月|每月|月度|按进度|计量")
_COMPLETED = re.compile(r"已完(?:成)?|完成(?:的)?(?:工程量|工程价款|产值|工作量)|计量")
_CONTRACT_BASE = re.compile(r"合同(?:总)?价|合同金额|签约合同价|支付至|付至|累计")


def _of_completed_work(left: str) -> bool:
    """The rate is a share of the completed work value, not of the contract price or a cumulative level."""
    left = re.split(r"[，,]", left)[-1]
    found = list(_COMPLETED.finditer(left))
    return bool(found) and not _CONTRACT_BASE.search(left[found[-1].end() :])


@rule("R-COMP-022")
def progress_payment_under_eighty_percent(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.category == "工程", "not a works contract")
    ctx.applies(
        _buyer_type(ctx) in ("机关", "事业单位", "国有企业"), "buyer is not an organ, institution or SOE"
    )
    sign = ctx.need(ctx.sign_date, "dates.sign")
    ctx.applies(sign >= dt.date(2022, 8, 1), "signed before 财建〔2022〕183号 (2022-08-01)")
    evidence, lowest = [], Decimal(1)
    regions = [*ctx.units("PAYMENT"), *ctx.spans("CL_MS_PAY")]
    seen = set()
    for region in regions:
        for span in ctx.inside(region, "RATE_PAYMENT"):
            if (span.start, span.end) in seen:
                continue
            seen.add((span.start, span.end))
            sentence = ctx.slice(ctx.sentence(span.start))
            if not (
                _PROGRESS.search(sentence)
                and _of_completed_work(ctx.text[max(0, span.start - 20) : span.start])
            ):
                continue
            share = _dec(normalize_rate(ctx.slice(span)).get("fraction"))
            if share is not None and share < Decimal("0.80"):
                evidence.append((span.start, span.end))
                lowest = min(lowest, share)
    if not evidence:
        return None
    return hit(evidence, message=f"进度款按已完成工程价款的{_pct(lowest)}支付，低于80%")


_NOTICE = re.compile(r"中标通知书|成交通知书|中标（成交）通知书|中标\(成交\)通知书|通知书")


def _notice_date(ctx: RiskContext) -> tuple[dt.date | None, list[tuple[int, int]]]:
    for unit in ctx.units("RECITAL"):
        for span in ctx.inside(unit, "DATE_OTHER"):
            if _NOTICE.search(ctx.slice(ctx.sentence(span.start))):
                for other in ctx.record.dates.get("other", []):
                    if (
                        other.spans == [(span.start, span.end)]
                        and other.value
                        and len(str(other.value)) == 10
                    ):
                        return dt.date.fromisoformat(str(other.value)), other.spans
    for raw in (ctx.meta.award_notice_date, (ctx.meta.tender or {}).get("notice_date")):
        if raw:
            return dt.date.fromisoformat(str(raw)), []
    return None, []


@rule("R-COMP-023")
def signed_late_after_award(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gp() or ctx.tb(), "not a procurement or tendering contract")
    sign = ctx.need(ctx.sign_date, "dates.sign")
    notice, spans = _notice_date(ctx)
    ctx.need(notice, "award notice date (RECITAL DATE_OTHER or award_notice_date)")
    gap = (sign - notice).days
    if gap <= 30:
        return None
    return hit(
        spans + _spans(ctx.record.dates.get("sign")),
        message=f"合同于中标（成交）通知书发出后{gap}日签订，超过30日",
    )


_BREACH_CONDITION = re.compile(r"违约|逾期|不合格|不能实现合同目的|国家利益|社会公共利益|不可抗力|未能|未按")


@rule("R-COMP-024")
def terminate_at_will(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gp(), "not government procurement")
    evidence = [
        (start, end)
        for start, end in ctx.find(LEX_ANY_TERMINATION, ctx.spans("CL_TERMINATION"))
        if not _BREACH_CONDITION.search(ctx.slice(ctx.sentence(start)))
    ]
    if not evidence:
        return None
    return hit(evidence, message="约定一方可任意解除或单方终止政府采购合同")


_LABOUR = re.compile(r"人工费")
_LONG_CYCLE = re.compile(
    r"每(?:个)?季度|按季|季度末|每(?:两|二|三|四|五|六|2|3|4|5|6)个月|每半年|半年度|按(?:形象)?(?:进度)?节点|按年|每年"
)


@rule("R-COMP-025")
def labour_cost_cycle_over_one_month(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.category == "工程", "not a works contract")
    evidence = []
    for start, _end in ctx.find_rx(_LABOUR):
        sentence = ctx.sentence(start)
        if _LONG_CYCLE.search(ctx.slice(sentence)):
            evidence.append(sentence)
    if not evidence:
        return None
    return hit(list(dict.fromkeys(evidence)), message="人工费用拨付周期超过1个月")
