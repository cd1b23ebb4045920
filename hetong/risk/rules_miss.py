"""缺失条款 (MISS): a required or customary clause or field is absent (spec C.2, 19 rules)."""

from __future__ import annotations

import re

from hetong.risk.context import RiskContext
from hetong.risk.engine import Hit, hit, rule

_SEAL_CUE = re.compile(r"盖章|公章|合同专用章|（章）|\(章\)")
_SIGN_CUE = re.compile(r"签字|签名|签章")
_SPEC_REFERENCE = re.compile(
    r"技术规范|技术要求|技术参数|服务标准|服务要求|采购需求|质量标准|验收标准|施工图纸|工程量清单"
)
_CONFIDENTIAL_SUBJECT = re.compile(r"信息系统|软件|数据|运维|平台|云|档案|个人信息|咨询|设计|涉密|政务数据")
_IP_SUBJECT = re.compile(r"开发|定制|设计|咨询报告|课题|研究|规划|宣传片|软件")
# 人工费(用)…(拨付|支付)…(周期|每月|按月), in either order within one sentence ("按月拨付人工费用" too).
_LABOUR_COST = re.compile(r"人工费")
_LABOUR_PAY = re.compile(r"拨付|支付")
_LABOUR_CYCLE = re.compile(r"周期|每月|按月|月度")
_CONSTRUCTION = re.compile(r"施工|工程")


def _absent(ctx: RiskContext, labels: tuple[str, ...], types: tuple[str, ...]) -> Hit | None:
    return None if ctx.has(*labels) or ctx.has_type(*types) else hit()


@rule("R-MISS-001")
def missing_breach(ctx: RiskContext) -> Hit | None:
    return _absent(ctx, ("CL_BREACH",), ("BREACH",))


@rule("R-MISS-002")
def missing_dispute(ctx: RiskContext) -> Hit | None:
    if ctx.record.jurisdiction["mode"] != "none":
        return None
    return _absent(ctx, ("CL_DISPUTE",), ("DISPUTE",))


@rule("R-MISS-003")
def missing_acceptance(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gp() or ctx.category in ("货物", "工程"), "not government procurement of goods or works")
    return _absent(ctx, ("CL_MS_ACCEPT",), ("ACCEPTANCE",))


@rule("R-MISS-004")
def missing_acceptance_period(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gov_buyer() and ctx.sme(), "not a government buyer paying an SME")
    ctx.applies(ctx.payment_act == "2025", "signed before the 2025 payment regulation")
    units = ctx.units("ACCEPTANCE")
    ctx.applies(bool(units), "no acceptance clause (R-MISS-003)")
    accepts = ctx.spans("CL_MS_ACCEPT")
    if any(ctx.inside(span, "PERIOD", "DATE_NODE") for span in accepts):
        return None
    return hit([(u.start, u.end) for u in units][:3])


@rule("R-MISS-005")
def missing_sign_date(ctx: RiskContext) -> Hit | None:
    sign = ctx.record.dates.get("sign")
    if sign is not None and sign.value and not ctx.record.dates.get("sign_blank"):
        return None
    return hit(sign.spans if sign is not None else ())


@rule("R-MISS-006")
def missing_term(ctx: RiskContext) -> Hit | None:
    dates = ctx.record.dates
    if ctx.record.term is not None or (dates.get("start") and dates.get("end")):
        return None
    for span in ctx.spans("CL_MS_DELIVERY", "CL_MS_PERF"):
        if ctx.inside(span, "DATE_NODE", "PERIOD"):
            return None
    return hit()


@rule("R-MISS-007")
def missing_price(ctx: RiskContext) -> Hit | None:
    if ctx.record.amounts["total"] is not None:
        return None
    for unit in ctx.units("PRICE"):
        if ctx.inside(unit, *_AMOUNT_LABELS):
            return None
    return hit()


_AMOUNT_LABELS = (
    "AMT_TOTAL_UPPER",
    "AMT_TOTAL_LOWER",
    "AMT_INSTALLMENT",
    "AMT_OTHER",
)


@rule("R-MISS-008")
def missing_payment(ctx: RiskContext) -> Hit | None:
    return _absent(ctx, ("CL_MS_PAY",), ("PAYMENT",))


@rule("R-MISS-009")
def incomplete_parties(ctx: RiskContext) -> Hit | None:
    missing: list[str] = []
    evidence: list[tuple[int, int]] = []
    for role, role_zh in (("buyer", "采购人"), ("supplier", "供应商")):
        party = ctx.record.party(role)
        if party is None:
            missing.append(f"{role_zh}名称")
            continue
        evidence += party.mentions[:1]
        for attr, name in (("uscc", "统一社会信用代码"), ("address", "住所")):
            if getattr(party, attr) is None:
                missing.append(f"{role_zh}{name}")
        if party.legal_rep is None and party.auth_rep is None:
            missing.append(f"{role_zh}法定代表人或授权代表")
    return hit(evidence, message="缺少：" + "、".join(missing)) if missing else None


@rule("R-MISS-010")
def missing_signature(ctx: RiskContext) -> Hit | None:
    units = ctx.units("SIGNATURE")
    if not units:
        return hit(message="未见签署栏")
    block = "\n".join(ctx.slice(u) for u in units)
    lacking = [name for name, cue in (("盖章", _SEAL_CUE), ("签字", _SIGN_CUE)) if not cue.search(block)]
    return (
        hit([(u.start, u.end) for u in units], message="签署栏缺少" + "、".join(lacking)) if lacking else None
    )


@rule("R-MISS-011")
def missing_quality_standard(ctx: RiskContext) -> Hit | None:
    if ctx.has_type("GOODS_SPEC", "SERVICE_SCOPE", "WORKS_SCOPE") or ctx.find_rx(_SPEC_REFERENCE):
        return None
    return hit()


@rule("R-MISS-012")
def missing_tax_location(ctx: RiskContext) -> Hit | None:
    required = ctx.meta.tax_location_required
    ctx.applies(
        required if required is not None else ctx.category == "工程", "tax location not required here"
    )
    for span in ctx.spans("CL_TAX"):
        if ctx.inside(span, "TAX_LOCATION"):
            return None
    return hit([(s.start, s.end) for s in ctx.spans("CL_TAX")])


@rule("R-MISS-013")
def missing_confidentiality(ctx: RiskContext) -> Hit | None:
    scope = ctx.units("SUBJECT", "SERVICE_SCOPE")
    ctx.applies(bool(ctx.find_rx(_CONFIDENTIAL_SUBJECT, scope)), "the subject involves no data or systems")
    return _absent(ctx, ("CL_CONFIDENTIAL",), ("CONFIDENTIALITY", "DATA_SECURITY"))


def _custom_work(ctx: RiskContext) -> bool:
    """The subject is custom development, design, consulting or creative work (R-MISS-014, R-SER-017)."""
    name = ctx.record.contract.get("name")
    scope = ctx.units("SUBJECT", "SERVICE_SCOPE", "GOODS_SPEC", "WORKS_SCOPE")
    named = name is not None and _IP_SUBJECT.search(str(name.value or ""))
    return bool(named or ctx.find_rx(_IP_SUBJECT, scope))


@rule("R-MISS-014")
def missing_ip(ctx: RiskContext) -> Hit | None:
    ctx.applies(_custom_work(ctx), "no custom development, design or consulting work")
    return _absent(ctx, ("CL_IP",), ("IP",))


@rule("R-MISS-015")
def missing_termination(ctx: RiskContext) -> Hit | None:
    return _absent(ctx, ("CL_TERMINATION",), ("TERMINATION",))


@rule("R-MISS-016")
def missing_buyer_late_payment_liability(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gov_buyer() and ctx.sme(), "not a government buyer paying an SME")
    for penalty in ctx.record.penalties:
        if penalty.obligor == "buyer" and penalty.trigger == "late_payment":
            return None
    return hit([p.span for p in ctx.record.penalties][:3])


@rule("R-MISS-017")
def missing_force_majeure(ctx: RiskContext) -> Hit | None:
    return None if ctx.has_type("FORCE_MAJEURE") else hit()


@rule("R-MISS-018")
def missing_numbers(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.gp() or ctx.tb(), "not a procurement contract")
    return None if ctx.has("CONTRACT_NO", "PROJECT_NO") else hit()


@rule("R-MISS-019")
def missing_labour_cost_cycle(ctx: RiskContext) -> Hit | None:
    name = ctx.record.contract.get("name")
    construction = (
        _CONSTRUCTION.search(str(name.value or "")) if name is not None else ctx.has_type("WORKS_SCOPE")
    )
    ctx.applies(ctx.category == "工程" and bool(construction), "not a construction contract")
    for start, _end in ctx.find_rx(_LABOUR_COST):
        sentence = ctx.slice(ctx.sentence(start))
        if _LABOUR_PAY.search(sentence) and _LABOUR_CYCLE.search(sentence):
            return None
    return hit()
