"""一般风险 (GEN): drafting defects, ambiguity and lower-impact inconsistencies (spec C.5, 12 rules)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from difflib import SequenceMatcher

from hetong.assemble import Party
from hetong.calendar import add_period
from hetong.lexicons import LEX_SATISFACTION, LEX_VAGUE_TIME
from hetong.normalize import (
    half_width,
    normalize_amount,
    normalize_period,
    normalize_phone,
    normalize_rate,
    normalize_uscc,
)
from hetong.risk.context import RiskContext
from hetong.risk.engine import Hit, hit, rule
from hetong.schema import Span


def _evidence(*fields: object) -> list[tuple[int, int]]:
    return [span for f in fields if f is not None for span in getattr(f, "spans", [])]


# ------------------------------------------------------------------------------------------------ R-GEN-001

_SIGN_AFTER_START_DAYS = 30
_YEAR_RANGE = (2000, 2100)


@rule("R-GEN-001")
def date_logic(ctx: RiskContext) -> Hit | None:
    dates = ctx.record.dates
    sign, effective = ctx.date_of("sign"), ctx.date_of("effective")
    start, end = ctx.date_of("start"), ctx.date_of("end")
    nodes = [f for f in dates["nodes"] if f.value]
    comparable = sum(d is not None for d in (sign, effective, start, end))
    if comparable < 2 and not nodes:
        ctx.need(None, "dates (two of DATE_SIGN/DATE_EFFECTIVE/DATE_START/DATE_END, or a DATE_NODE)")
    problems: list[str] = []
    evidence: list[tuple[int, int]] = []
    if start and end and end < start:
        problems.append(f"终止日{end}早于起始日{start}")
        evidence += _evidence(dates["start"], dates["end"])
    if sign and effective and effective < sign:
        problems.append(f"生效日{effective}早于签订日{sign}")
        evidence += _evidence(dates["sign"], dates["effective"])
    if sign and start and sign > start + dt.timedelta(days=_SIGN_AFTER_START_DAYS):
        problems.append(f"签订日{sign}晚于履行起始日{start}逾{_SIGN_AFTER_START_DAYS}日")
        evidence += _evidence(dates["sign"], dates["start"])
    # The spec names DATE_NODE; a year outside 2000–2100 is as clearly a typo in any other date field.
    named = [dates.get(k) for k in ("sign", "effective", "start", "end")]
    for field in (*named, *nodes):
        if field is None or not field.value:
            continue
        year = int(str(field.value)[:4]) if str(field.value)[:4].isdigit() else None
        if year is not None and not _YEAR_RANGE[0] <= year <= _YEAR_RANGE[1]:
            problems.append(f"日期“{ctx.slice(field.spans[0])}”年份{year}不合理")
            evidence += field.spans
    return hit(evidence, message="；".join(problems)) if problems else None


# ------------------------------------------------------------------------------------------------ R-GEN-002

_TERM_TOLERANCE_DAYS = 1


def _plain_end(anchor: dt.date, value: int, unit: str) -> dt.date | None:
    """The period's last day without the 第203条 rest-day shift (a term's stated end is not moved)."""
    if unit == "day":
        return anchor + dt.timedelta(days=value)
    if unit == "week":
        return anchor + dt.timedelta(weeks=value)
    if unit in ("month", "year"):
        months = value * (12 if unit == "year" else 1)
        index = anchor.year * 12 + anchor.month - 1 + months
        year, month0 = divmod(index, 12)
        for day in range(anchor.day, 27, -1):
            try:
                return dt.date(year, month0 + 1, day)
            except ValueError:
                continue
        return dt.date(year, month0 + 1, min(anchor.day, 28))
    return None


@rule("R-GEN-002")
def term_vs_dates(ctx: RiskContext) -> Hit | None:
    term = ctx.need(ctx.record.term, "TERM")
    period = term.value
    start = ctx.need(ctx.date_of("start"), "DATE_START")
    end = ctx.need(ctx.date_of("end"), "DATE_END")
    if period.get("unit") not in ("day", "workday", "week", "month", "year"):
        ctx.need(None, "TERM in days, weeks, months or years")
    # 民法典 第201条: the first day is not counted, so a term "自start起" runs from the day before start;
    # the inclusive convention (end = start + term − 1 day) and the exclusive one both fit the tolerance.
    anchor = start - dt.timedelta(days=1)
    due = add_period(anchor, int(period["value"]), period["unit"]).date
    candidates = {due}
    plain = _plain_end(anchor, int(period["value"]), period["unit"])
    if plain is not None:
        candidates.add(plain)
    if min(abs((end - c).days) for c in candidates) <= _TERM_TOLERANCE_DAYS:
        return None
    expected = plain or due
    dates = ctx.record.dates
    return hit(
        _evidence(term, dates["start"], dates["end"]),
        message=f"合同期限“{ctx.slice(term.spans[0])}”自{start}起算应至{expected}，与约定截止日{end}不一致",
    )


# ------------------------------------------------------------------------------------------------ R-GEN-003


@rule("R-GEN-003")
def vague_deadline(ctx: RiskContext) -> Hit | None:
    nodes = ctx.need(ctx.spans("CL_MS_PAY", "CL_MS_DELIVERY", "CL_MS_ACCEPT", "CL_MS_PERF"), "CL_MS_* spans")
    evidence: list[tuple[int, int]] = []
    for node in nodes:
        if ctx.inside(node, "DATE_NODE"):
            continue
        periods = ctx.inside(node, "PERIOD")
        if any(not normalize_period(ctx.slice(p)).get("vague") for p in periods):
            continue
        evidence += ctx.find(LEX_VAGUE_TIME, [node])
        evidence += [(p.start, p.end) for p in periods]
    if not evidence:
        return None
    words = "、".join(dict.fromkeys(f"“{ctx.slice(e)}”" for e in evidence))
    return hit(evidence, message=f"履行/付款节点仅以{words}表述期限，无具体日期或期间")


# ------------------------------------------------------------------------------------------------ R-GEN-004

_PARTY_LABELS = ("PARTY_A", "PARTY_B", "PARTY_C", "PARTY")
_BRACKETS = str.maketrans(
    {"（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")"}
)
_ACCOUNT_NAME = re.compile(r"(?:户名|账户名称|开户名称|账户名|收款人|收款单位)[:：\s]*$")
_BRANCH = re.compile(r"分公司|分行|支行|分院|分局|分中心|办事处|项目部")
_SIMILAR = 0.8
"""SequenceMatcher ratio above which two names of the same designation are variants of one name."""
_MAX_DROPPED = 4
"""Characters one name may drop from the other and still be the same party written inconsistently."""


def _canonical_name(name: str) -> str:
    return re.sub(r"\s+", "", half_width(name).translate(_BRACKETS))


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


def _variant(a: str, b: str, strict: bool) -> bool:
    """Are two (different, canonical) names the same party's name written inconsistently?

    A dropped piece of at most 4 characters, or any dropped bracket/branch part ("X科技有限公司" vs
    "X（温州）科技有限公司", "X公司" vs "X公司温州分公司"), always is. A substitution (another branch, a typo)
    counts only when both mentions carry the same 甲/乙 designation (``strict`` False): "温州市瓯江区教育局"
    and "温州市瓯江区财政局" are two bodies, not one.
    """
    short, long = sorted((a, b), key=len)
    if len(short) >= 4 and _is_subsequence(short, long):
        dropped = len(long) - len(short)
        extra = "".join(
            long[j1:j2] for tag, _i1, _i2, j1, j2 in SequenceMatcher(None, short, long).get_opcodes()
            if tag != "equal"
        )  # fmt: skip
        if dropped <= _MAX_DROPPED or "(" in extra or _BRANCH.search(extra):
            return True
    if strict:
        return False
    return len(short) >= 6 and SequenceMatcher(None, a, b).ratio() >= _SIMILAR


def _designation(party: Party) -> str | None:
    if party.label in ("PARTY_A", "PARTY_B"):
        return party.label
    if not party.role_assumed and party.role in ("buyer", "supplier"):
        return {"buyer": "PARTY_A", "supplier": "PARTY_B"}[party.role]
    return None


@rule("R-GEN-004")
def party_name_mismatch(ctx: RiskContext) -> Hit | None:
    parties = [p for p in ctx.record.parties if p.name.strip()]
    ctx.need(parties, "party names (PARTY_A/PARTY_B/PARTY)")
    pairs: list[tuple[Party, Party]] = []
    for i, p in enumerate(parties):
        for q in parties[i + 1 :]:
            a, b = _canonical_name(p.name), _canonical_name(q.name)
            if a == b or "PARTY_C" in (p.label, q.label):
                continue
            dp, dq = _designation(p), _designation(q)
            if dp and dq and dp != dq:
                continue  # 甲方 and 乙方: two parties
            if _variant(a, b, strict=not (dp and dq)):
                pairs.append((p, q))
    # The bank 户名 names the account holder: it must be one of the parties, spelled the same.
    known = {_canonical_name(p.name) for p in parties if p.role in ("buyer", "supplier")}
    for span in ctx.spans(*_PARTY_LABELS):
        left = ctx.text[max(0, span.start - 8) : span.start]
        name = _canonical_name(ctx.slice(span))
        if _ACCOUNT_NAME.search(left) and known and name not in known:
            holder = next((p for p in parties if _canonical_name(p.name) == name), None)
            supplier = ctx.record.party("supplier")
            if holder is not None and supplier is not None and (supplier, holder) not in pairs:
                pairs.append((supplier, holder))
    if not pairs:
        return None
    evidence = [m for p, q in pairs for m in (p.mentions[0], q.mentions[0])]
    names = "；".join(f"“{p.name}”/“{q.name}”" for p, q in pairs)
    return hit(evidence, message=f"当事人名称前后不一致：{names}")


# ------------------------------------------------------------------------------------------------ R-GEN-005

_BUYER_TYPE_PREFIXES = {
    "机关": ("11",),
    "事业单位": ("12",),
    "团体组织_财政资金": ("13", "19", "51", "52", "53", "59", "81", "89"),
    "国有企业": ("91",),
}


@rule("R-GEN-005")
def identity_format(ctx: RiskContext) -> Hit | None:
    codes, phones = ctx.spans("USCC"), ctx.spans("PHONE")
    ctx.need(codes + phones, "USCC or PHONE")
    uscc_bad: list[tuple[int, int]] = []
    problems: list[str] = []
    for span in codes:
        result = normalize_uscc(ctx.slice(span))
        if not result.get("valid"):
            uscc_bad.append((span.start, span.end))
            problems.append(f"统一社会信用代码“{ctx.slice(span)}”校验不通过")
    declared = ctx.meta.buyer_type
    buyer = ctx.record.party("buyer")
    if declared in _BUYER_TYPE_PREFIXES and buyer is not None and buyer.uscc is not None and buyer.uscc_valid:
        prefix = normalize_uscc(buyer.uscc.value).get("canonical", "")[:2]
        if prefix not in _BUYER_TYPE_PREFIXES[declared]:
            problems.append(f"采购人代码“{buyer.uscc.value}”前缀{prefix}与主体类型“{declared}”不符")
            uscc_bad += buyer.uscc.spans
    phone_bad = [s for s in phones if not normalize_phone(ctx.slice(s)).get("ok")]
    problems += [f"电话“{ctx.slice(s)}”格式有误" for s in phone_bad]
    if not problems:
        return None
    evidence = [*uscc_bad, *((s.start, s.end) for s in phone_bad)]
    return hit(evidence, severity="medium" if uscc_bad else "low", message="；".join(problems))


# ------------------------------------------------------------------------------------------------ R-GEN-006

_TAX_STATEMENT = re.compile(r"含[^。；;\n]{0,15}?税|税[费金款]|增值税|价税合计|税率|税额")
_TAX_AMOUNT_CUE = re.compile(r"(?:增值税|税)(?:额|金|款)[^。；;，,\d]{0,6}$")
_VAT_RATES = {Decimal(r) for r in ("0", "0.01", "0.03", "0.05", "0.06", "0.09", "0.13")}
_PRICE_INCLUDES_TAX = re.compile(
    r"(?:合同(?:总)?价|合同金额|价款|总价|总金额|签约合同价|报价)[^。；;\n]{0,12}?(?:包含|包括|含|为含税)"
    r"[^。；;\n]{0,20}?(?:税|税费|税金)|(?:不含税|含税)(?:总)?价"
)


@rule("R-GEN-006")
def price_tax(ctx: RiskContext) -> Hit | None:
    units = ctx.units("PRICE")
    totals = ctx.spans("AMT_TOTAL_LOWER", "AMT_TOTAL_UPPER")
    ctx.need(units or totals, "PRICE clause")
    regions = [(u.start, u.end) for u in units] + [ctx.sentence(s.start) for s in totals]
    stated = any(_TAX_STATEMENT.search(ctx.slice(r)) for r in regions) or ctx.has("RATE_TAX")
    # A statement elsewhere ("本合同总价已包含乙方应缴纳的全部税费") settles it as well.
    stated = stated or bool(ctx.find_rx(_PRICE_INCLUDES_TAX))
    if not stated:
        return hit(regions[:3], message="合同价款未载明是否含税")
    total = ctx.record.amounts["total"]
    problems: list[str] = []
    evidence: list[tuple[int, int]] = []
    informational = True
    for rate_span in ctx.spans("RATE_TAX"):
        rate = normalize_rate(ctx.slice(rate_span))
        if not rate.get("ok") or rate.get("fraction") is None:
            continue
        fraction = Decimal(rate["fraction"])
        sentence = ctx.sentence(rate_span.start)
        for amount in ctx.spans("AMT_OTHER"):
            if not sentence[0] <= amount.start < sentence[1] or total is None:
                continue
            if not _TAX_AMOUNT_CUE.search(ctx.text[max(0, amount.start - 12) : amount.start]):
                continue
            value = normalize_amount(ctx.slice(amount)).get("value")
            if value is None:
                continue
            gross = Decimal(total)
            expected = (gross * fraction / (1 + fraction), gross * fraction)  # 含税价 / 不含税价
            if all(abs(Decimal(value) - e) > 1 for e in expected):
                problems.append(f"税额{value}元与价款{total}元×税率{ctx.slice(rate_span)}不符")
                evidence += [(rate_span.start, rate_span.end), (amount.start, amount.end)]
                informational = False
        if fraction not in _VAT_RATES or (ctx.category == "货物" and fraction == Decimal("0.06")):
            problems.append(f"税率{ctx.slice(rate_span)}与{ctx.category}类合同的增值税税率不符（提示）")
            evidence.append((rate_span.start, rate_span.end))
    if not problems:
        return None
    message = "；".join(dict.fromkeys(problems))
    return hit(evidence, message=message, weight=0.0 if informational else None)


# ------------------------------------------------------------------------------------------------ R-GEN-007


@rule("R-GEN-007")
def penalty_base_or_cap(ctx: RiskContext) -> Hit | None:
    penalties = ctx.need(ctx.record.penalties, "penalties (RATE_PENALTY/AMT_PENALTY in CL_BREACH)")
    problems: list[str] = []
    evidence: list[tuple[int, int]] = []
    for penalty in penalties:
        if penalty.kind != "rate":
            continue
        item = penalty.evidence[0]
        # Late-payment interest owed by the buyer runs on the overdue sum by nature (and is not capped on
        # purpose: 保障中小企业款项支付条例), so neither check applies to it.
        buyer_interest = penalty.obligor == "buyer" and penalty.trigger == "late_payment"
        if penalty.base == "UNKNOWN" and not buyer_interest:
            problems.append(f"违约金“{ctx.slice(item)}”未载明计算基数")
            evidence.append(item)
        if penalty.per == "day" and penalty.cap is None and not buyer_interest:
            problems.append(f"按日计算的违约金“{ctx.slice(item)}”未约定累计上限")
            evidence.append(item)
    return hit(evidence, message="；".join(dict.fromkeys(problems))) if problems else None


# ------------------------------------------------------------------------------------------------ R-GEN-008

_DEPOSIT_CHOICE = re.compile(r"择一|选择适用|不(?:得|能|可)?同时(?:适用|主张)|不并用|只能选择")


@rule("R-GEN-008")
def deposit_and_penalty(ctx: RiskContext) -> Hit | None:
    deposit = ctx.record.amounts["deposit"]
    ctx.applies(deposit is not None, "no 定金 (AMT_DEPOSIT)")
    penalties = ctx.record.penalties
    if not penalties:
        return None
    for start, _end in deposit.spans:
        if _DEPOSIT_CHOICE.search(ctx.slice(ctx.sentence(start))):
            return None
    if any(_DEPOSIT_CHOICE.search(ctx.slice(p.span)) and "定金" in ctx.slice(p.span) for p in penalties):
        return None
    evidence = [*deposit.spans, *(p.evidence[0] for p in penalties)]
    return hit(
        evidence,
        message=f"同时约定定金“{ctx.slice(deposit.spans[0])}”和{len(penalties)}项违约金，未约定适用规则",
    )


# ------------------------------------------------------------------------------------------------ R-GEN-009

# 建设工程质量管理条例 第40条: minimum 保修期 per work item, in months (None: the design service life).
_WORK_ITEMS: tuple[tuple[str, re.Pattern[str], int | None], ...] = (
    ("地基基础工程和主体结构工程", re.compile(r"地基|基础工程|主体结构"), None),
    ("屋面防水工程、有防水要求的卫生间、房间和外墙面的防渗漏", re.compile(r"防水|防渗|渗漏"), 60),
    ("供热与供冷系统", re.compile(r"供热|供冷|采暖|供暖|暖通|空调系统"), -2),
    ("电气管线、给排水管道、设备安装和装修工程", re.compile(r"电气|给排水|管道|管线|设备安装|装修|装饰"), 24),
)
_DESIGN_LIFE_MONTHS = 50 * 12
"""第40条(一) sets the design service life; 50 years is the ordinary building class (GB 50068)."""
_HEATING_SEASON_MONTHS = 16
"""Two heating/cooling seasons never fit into less than a year plus one season (about four months)."""
_SEASONS = re.compile(r"([0-9一二两三四五六七八九十]+)个?(?:采暖期|供暖期|供热期|供冷期)")
_LIFE_WORDS = re.compile(r"合理使用年限|设计使用年限|设计文件规定")
_CN_SMALL = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}


def _months(period: dict) -> int | None:
    if not period.get("ok"):
        return None
    unit, value = period["unit"], int(period["value"])
    return {"year": 12 * value, "month": value, "week": value * 7 // 30, "day": value // 30}.get(unit)


@rule("R-GEN-009")
def works_warranty(ctx: RiskContext) -> Hit | None:
    ctx.applies(ctx.category == "工程", "not a works contract")
    spans = ctx.need(ctx.spans("PERIOD_WARRANTY"), "PERIOD_WARRANTY")
    problems: list[str] = []
    evidence: list[tuple[int, int]] = []
    previous_end = 0
    for span in sorted(spans, key=lambda s: s.start):
        # The item is named before the period, after the previous period of the same list: in "屋面防水工程
        # 保修期5年，其他部分保修期18个月" the 18 months belong to "其他部分", not to 屋面防水.
        sentence_start = ctx.sentence(span.start)[0]
        left = ctx.text[max(sentence_start, previous_end, span.start - 40) : span.start]
        previous_end = span.end
        text = ctx.slice(span)
        months = _months(normalize_period(text))
        seasons = _SEASONS.search(text)
        for item, pattern, minimum in _WORK_ITEMS:
            if not pattern.search(left):
                continue
            if minimum is None:
                short = months is not None and months < _DESIGN_LIFE_MONTHS and not _LIFE_WORDS.search(left)
                legal = "设计文件规定的合理使用年限"
            elif minimum < 0:
                count = seasons and (int(seasons[1]) if seasons[1].isdigit() else _CN_SMALL.get(seasons[1]))
                short = (count is not None and count < -minimum) or (
                    months is not None and months < _HEATING_SEASON_MONTHS
                )
                legal = "2个采暖期、供冷期"
            else:
                short = months is not None and months < minimum
                legal = f"{minimum // 12}年"
            if short:
                problems.append(f"{item}保修期“{text}”短于法定最低期限{legal}")
                evidence.append((span.start, span.end))
                break
    return hit(evidence, message="；".join(problems)) if problems else None


# ------------------------------------------------------------------------------------------------ R-GEN-010

_OBJECTIVE_STANDARD = re.compile(
    r"(?<!验收)标准|规范|技术参数|技术指标|技术要求|参数|附件|采购需求|招标文件|投标文件|响应文件|"
    r"GB|JGJ|国标|规程"
)


@rule("R-GEN-010")
def subjective_acceptance(ctx: RiskContext) -> Hit | None:
    regions: list = ctx.units("ACCEPTANCE") or ctx.spans("CL_MS_ACCEPT")
    ctx.need(regions, "ACCEPTANCE clause")
    found = ctx.find(LEX_SATISFACTION, regions)
    if not found:
        return None
    if any(_OBJECTIVE_STANDARD.search(ctx.slice(r)) for r in regions):
        return None
    words = "、".join(dict.fromkeys(f"“{ctx.slice(f)}”" for f in found))
    return hit(found, message=f"验收以{words}为标准，无客观验收标准")


# ------------------------------------------------------------------------------------------------ R-GEN-011

_LOWER_AMOUNTS = (
    "AMT_TOTAL_LOWER", "AMT_INSTALLMENT", "AMT_PERF_BOND", "AMT_WARRANTY",
    "AMT_PENALTY", "AMT_DEPOSIT", "AMT_OTHER",
)  # fmt: skip
_UNIT_INSIDE = re.compile(r"元|万|亿|¥|￥|RMB|CNY|人民币|美元|USD|\$", re.IGNORECASE)
_CURRENCY_LEFT = re.compile(
    r"(?:¥|￥|RMB|CNY|人民币|（元）|\(元\)|（万元）|\(万元\))\s*[:：]?\s*$", re.IGNORECASE
)
_UNIT_RIGHT = re.compile(r"^\s*(?:元|万元|万|亿元|亿|千元|美元)")
_COLUMN_UNIT = re.compile(r"单位[:：]?\s*(?:人民币)?(?:万元|元)|[（(](?:人民币)?(?:万元|元)[)）]")
_TABLE_ROW = re.compile(r"\s\|\s")


def _unit_of_table(ctx: RiskContext, start: int) -> bool:
    """A column or table unit stated in the row's table (header rows above it) or the line before it."""
    line_start = ctx.text.rfind("\n", 0, start) + 1
    position = line_start
    while position > 0:
        previous = ctx.text.rfind("\n", 0, position - 1) + 1
        line = ctx.text[previous : position - 1]
        if _COLUMN_UNIT.search(line):
            return True
        if not _TABLE_ROW.search(line):
            break
        position = previous
    return bool(_COLUMN_UNIT.search(ctx.text[line_start:start]))


@rule("R-GEN-011")
def amount_units(ctx: RiskContext) -> Hit | None:
    amounts = ctx.need(ctx.spans(*_LOWER_AMOUNTS), "amounts (AMT_*)")
    bare: list[Span] = []
    tables: dict[int, dict[str, list[Span]]] = {}
    for span in amounts:
        text = ctx.slice(span)
        result = normalize_amount(text)
        if not result.get("ok") or result.get("form") != "lower":
            continue
        left = ctx.text[max(0, span.start - 8) : span.start]
        right = ctx.text[span.end : span.end + 3]
        explicit = _UNIT_INSIDE.search(text) or _UNIT_RIGHT.search(right)
        if not explicit and not _CURRENCY_LEFT.search(left) and not _unit_of_table(ctx, span.start):
            bare.append(span)
        line_start = ctx.text.rfind("\n", 0, span.start) + 1
        line_end = ctx.text.find("\n", span.start)
        line = ctx.text[line_start : line_end if line_end >= 0 else len(ctx.text)]
        if _TABLE_ROW.search(line) and explicit:
            unit = "万元" if re.search(r"万", text + right[:1]) else "元"
            table = _table_start(ctx, line_start)
            tables.setdefault(table, {}).setdefault(unit, []).append(span)
    mixed = [
        span
        for table, units in tables.items()
        if len(units) > 1 and not _unit_of_table(ctx, table)
        for span in units["元"][:1] + units["万元"][:1]
    ]
    if not bare and not mixed:
        return None
    problems = [f"金额“{ctx.slice(s)}”未标明币种或单位" for s in bare[:5]]
    if mixed:
        problems.append("同一表格内元与万元混用且未注明列单位")
    return hit([(s.start, s.end) for s in (*bare, *mixed)], message="；".join(problems))


def _table_start(ctx: RiskContext, line_start: int) -> int:
    position = line_start
    while position > 0:
        previous = ctx.text.rfind("\n", 0, position - 1) + 1
        if not _TABLE_ROW.search(ctx.text[previous : position - 1]):
            break
        position = previous
    return position


# ------------------------------------------------------------------------------------------------ R-GEN-012

_EFFECT_WORD = re.compile(r"生效")
_VAGUE_CONDITION = re.compile(
    r"(?:(?:上级|主管部门|有关部门|财政部门|审批部门|董事会|党组|常务会议)[^。；;\n]{0,12}?)?"
    r"(?:批准|审批|核准|批复|审定|备案)(?:同意)?(?:后|之日起)[^。；;\n]{0,4}?生效|"
    r"(?:资金|预算|经费|财政资金)[^。；;\n]{0,6}?(?:落实|到位|批复|拨付|下达)(?:后|之日起)[^。；;\n]{0,4}?生效"
)
_DEADLINE = re.compile(
    r"[0-9一二两三四五六七八九十]+\s*个?(?:日|天|工作日|月)(?:内|之内|以内)|[0-9一二三四五六七八九十〇零]+日(?:之前|以前|前)"
)


@rule("R-GEN-012")
def effectiveness(ctx: RiskContext) -> Hit | None:
    dates = ctx.record.dates
    effect_text = ctx.find_rx(_EFFECT_WORD, ctx.units("EFFECT", "SIGNATURE", "OTHER"))
    stated = ctx.has_type("EFFECT") or dates.get("effective") is not None or dates.get("effective_event")
    if not stated and not effect_text:
        return hit(message="合同未约定生效时间或生效条件")
    evidence: list[tuple[int, int]] = []
    for start, end in ctx.find_rx(_VAGUE_CONDITION):
        sentence = ctx.sentence(start)
        if _DEADLINE.search(ctx.text[end : sentence[1]]) or _DEADLINE.search(ctx.text[sentence[0] : start]):
            continue
        if any(s.label in ("DATE_NODE", "DATE_OTHER", "PERIOD") for s in _spans_in(ctx, sentence)):
            continue
        evidence.append((start, end))
    if not evidence:
        return None
    words = "、".join(f"“{ctx.slice(e)}”" for e in evidence)
    return hit(evidence, message=f"合同以{words}为生效条件，未约定条件成就的期限")


def _spans_in(ctx: RiskContext, region: tuple[int, int]) -> list[Span]:
    return [s for s in ctx.doc.ent if region[0] <= s.start < region[1]]
