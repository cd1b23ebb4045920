"""From spans to the contract record of spec A.3, deterministically.

The risk rules never read BIO tags or raw spans; they read this record. Every field keeps the spans it
was built from (``[start, end)`` pairs) and the minimum confidence of those spans (gold spans count as
1.0), so a rule's evidence can be highlighted and a low-confidence hit can be halved (spec E.2).

The steps follow A.3: party role resolution from the 15 characters left of each mention; linking codes,
representatives, addresses and contacts to the nearest preceding party mention of the same block;
milestones from CL_MS_* spans with their anchor event, period or date, amount and ratio (cumulative
支付至 converted to increments); penalties from CL_BREACH spans with trigger, periodicity, base and cap;
the total from 小写, else 大写, else the sum of absolute installments.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from hetong.normalize import (
    normalize_amount,
    normalize_date,
    normalize_period,
    normalize_rate,
    normalize_uscc,
)
from hetong.schema import Document, Span, Unit

ROLE_WINDOW = 15
BLOCK_REACH = 250
"""A party block ends this many characters after its last name mention (A.3 step 2)."""
_BUYER_ALIASES = (
    "采购人", "发包人", "委托人", "委托方", "买方", "买受人", "需方",
    "招标人", "建设单位", "承租方", "承租人",
)  # fmt: skip
_SUPPLIER_ALIASES = (
    "供应商", "承包人", "受托人", "受托方", "卖方", "出卖人", "供方",
    "中标人", "成交人", "服务方", "出租方", "出租人",
)  # fmt: skip
_THIRD_ALIASES = ("监理人", "监理单位", "代理机构", "担保人", "保证人")
_ALL_ALIASES = (*_BUYER_ALIASES, *_SUPPLIER_ALIASES, *_THIRD_ALIASES)
_TRAILING_ALIAS = re.compile(r"[（(](" + "|".join(_ALL_ALIASES) + r")[）)]")
_GOV_NAME = re.compile(r"(?:局|委|办|厅|院|中心|政府|学校|医院|委员会|办事处|管理处)$")
_LINKED = {
    "USCC": "uscc",
    "LEGAL_REP": "legal_rep",
    "AUTH_REP": "auth_rep",
    "ADDRESS": "address",
    "BANK_NAME": "bank_name",
    "BANK_ACCT": "bank_account",
}

# Anchor events (A.3 step 3) in the order they are tried; the first that matches the text before the
# period wins, and conjunctions ("验收合格且收到发票后") join codes with "+".
_ANCHORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("FUNDS", re.compile(r"资金到位|拨款|拨付")),
    ("AUDIT", re.compile(r"审计|决算")),
    ("APPROVAL", re.compile(r"审批|报批")),
    ("SETTLEMENT", re.compile(r"结算(?:金额)?(?:确认|审定|审核)|审核确认")),
    ("ACCEPTANCE", re.compile(r"验收|终验|初验|考核合格")),
    ("DELIVERY", re.compile(r"交付|到货|交货|安装(?:调试)?(?:完成|完毕)|完工")),
    ("QUARTER_END", re.compile(r"每季度末|季度末|每季")),
    ("MONTH_END", re.compile(r"每月末|月末|每月")),
    ("EFFECTIVE", re.compile(r"生效")),
    ("SIGN", re.compile(r"签订|签署|签约")),
)
_INVOICE = re.compile(r"发票")
_RECURRENCE = (("monthly", re.compile(r"每月|按月")), ("quarterly", re.compile(r"每季度|按季")),
               ("yearly", re.compile(r"每年|按年")))  # fmt: skip
_BUYER_SUBJECT = re.compile(r"^(?:[^，,。；]{0,12}?)(?:甲方|采购人|发包人|委托方|需方|买方)")
_SUPPLIER_SUBJECT = re.compile(r"^(?:[^，,。；]{0,12}?)(?:乙方|供应商|承包人|受托方|供方|卖方)")
_TRIGGERS = (
    (
        "late_payment",
        re.compile(r"逾期(?:付款|支付)|延期付款|迟延支付|拖欠|逾期利息|未按[^，,。；]{0,10}?(?:付款|支付)"),
    ),
    ("late_delivery", re.compile(r"逾期(?:交货|交付|完成|完工|竣工|提供)|延期交货|迟延")),
    ("quality", re.compile(r"质量不合格|不合格|不符合|考核")),
    ("wrongful_termination", re.compile(r"擅自解除|单方解除|擅自终止")),
    ("confidentiality", re.compile(r"泄密|泄露|保密")),
)
_CAP_CUE = re.compile(r"(?:累计|最高|总额)?不(?:得)?超过[^，,。；]{0,12}?$|以$")
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")


@dataclass
class Field:
    """A value with the spans it came from and their minimum confidence."""

    value: Any
    spans: list[tuple[int, int]] = field(default_factory=list)
    confidence: float = 1.0

    def as_date(self) -> dt.date | None:
        """The value as a calendar date when it is a full ISO date (month-precision dates give None)."""
        if not isinstance(self.value, str) or len(self.value) != 10:
            return None
        try:
            return dt.date.fromisoformat(self.value)
        except ValueError:
            return None


@dataclass
class Party:
    label: str
    name: str
    role: str  # buyer | supplier | third_party | unknown
    role_alias: str | None
    role_assumed: bool
    mentions: list[tuple[int, int]]
    confidence: float
    uscc: Field | None = None
    uscc_valid: bool | None = None
    legal_rep: Field | None = None
    auth_rep: Field | None = None
    address: Field | None = None
    bank_name: Field | None = None
    bank_account: Field | None = None
    contacts: list[dict[str, Any]] = field(default_factory=list)
    phones: list[Field] = field(default_factory=list)


@dataclass
class Milestone:
    id: str
    kind: str  # PAY | DELIVERY | ACCEPT | PERF
    obligor: str  # buyer | supplier
    seq: int
    anchor_event: str | None
    period: dict[str, Any] | None
    date: str | None
    amount: str | None
    ratio: str | None  # incremental share of the total (A.3 step 3), as a decimal string
    cumulative: bool
    recurrence: str | None
    retention: bool  # the ratio/amount is a 质保金 retention (RATE_BOND/AMT_WARRANTY, spec A.5 item 8)
    span: tuple[int, int]
    text: str
    confidence: float


@dataclass
class Penalty:
    obligor: str
    trigger: str
    kind: str  # rate | amount
    fraction: str | None
    amount: str | None
    per: str | None
    base: str | None
    cap: str | None  # fraction of the total, or an amount with cap_kind "amount"
    cap_kind: str | None
    span: tuple[int, int]
    evidence: list[tuple[int, int]]
    confidence: float


@dataclass
class ContractRecord:
    parties: list[Party]
    contract: dict[str, Field | None]
    amounts: dict[str, Any]
    dates: dict[str, Any]
    term: Field | None
    warranty_period: Field | None
    milestones: list[Milestone]
    penalties: list[Penalty]
    jurisdiction: dict[str, Any]
    tax: dict[str, Any]
    clauses: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def party(self, role: str) -> Party | None:
        """The first party with ``role`` (buyer/supplier/third_party)."""
        return next((p for p in self.parties if p.role == role), None)


def assemble(doc: Document) -> ContractRecord:
    """Build the A.3 record of ``doc`` from its spans (gold or predicted) and clause units."""
    text = doc.text
    ent = sorted(doc.ent, key=lambda s: (s.start, s.end))
    cl = sorted(doc.cl, key=lambda s: (s.start, s.end))
    parties = _parties(text, ent)
    amounts = _amounts(text, ent, cl)
    milestones = _milestones(text, ent, cl)
    if amounts["total"] is None:
        amounts.update(_derived_total(milestones))
    return ContractRecord(
        parties=parties,
        contract={
            "name": _first(text, ent, "CONTRACT_NAME"),
            "no": _first(text, ent, "CONTRACT_NO"),
            "project_no": _first(text, ent, "PROJECT_NO"),
        },
        amounts=amounts,
        dates=_dates(text, ent),
        term=_period_field(text, ent, "TERM"),
        warranty_period=_period_field(text, ent, "PERIOD_WARRANTY"),
        milestones=milestones,
        penalties=_penalties(text, ent, cl),
        jurisdiction=_jurisdiction(text, ent, cl),
        tax={
            "location": _first(text, ent, "TAX_LOCATION"),
            "spans": _pairs(s for s in cl if s.label == "CL_TAX"),
        },
        clauses=[_clause(unit, cl) for unit in doc.units],
    )


# ------------------------------------------------------------------------------------------------ parties


def _parties(text: str, ent: Sequence[Span]) -> list[Party]:
    names = [s for s in ent if s.label in ("PARTY_A", "PARTY_B", "PARTY_C", "PARTY")]
    by_key: dict[tuple[str, str], Party] = {}
    owner_of: list[tuple[Span, Party]] = []
    previous_end = 0
    for span in names:
        name = span.text(text)
        alias = _role_alias(text, span, previous_end)
        previous_end = span.end
        key = (name, span.label if span.label != "PARTY" else "")
        party = by_key.get(key) or next((p for p in by_key.values() if p.name == name), None)
        if party is None:
            role, assumed = _role(span.label, alias, name)
            party = Party(span.label, name, role, alias, assumed, [], _score(span))
            by_key[key] = party
        elif party.role_alias is None and alias:
            party.role_alias = alias
            party.role, party.role_assumed = _role(party.label, alias, name)
        party.mentions.append((span.start, span.end))
        party.confidence = min(party.confidence, _score(span))
        owner_of.append((span, party))
    _link(text, ent, owner_of)
    return list(by_key.values())


def _role_alias(text: str, span: Span, previous_end: int) -> str | None:
    """The role alias of a mention: a bracketed one right after it ("X（供应商）"), else the nearest one in
    the 15 characters to its left (A.3 step 1).

    The left window stops at the line start and at the previous party name, and skips that name's own
    bracketed alias: in "X（采购人）与Y" the alias annotates X, not Y.
    """
    trailing = _TRAILING_ALIAS.match(text, span.end)
    if trailing:
        return trailing.group(1)
    start = max(0, span.start - ROLE_WINDOW, previous_end)
    if start == previous_end and (own := _TRAILING_ALIAS.match(text, previous_end)):
        start = own.end()
    window = text[start : span.start]
    window = window[window.rfind("\n") + 1 :]
    best: tuple[int, str] | None = None
    for alias in _ALL_ALIASES:
        at = window.rfind(alias)
        if at >= 0 and (best is None or at > best[0]):
            best = (at, alias)
    return best[1] if best else None


def _role(label: str, alias: str | None, name: str) -> tuple[str, bool]:
    if alias in _THIRD_ALIASES or label == "PARTY_C":
        return "third_party", False
    if alias in ("承租方", "承租人", "出租方", "出租人"):
        # A.5 item 19: in a lease the government party is the buyer, whichever side it is on.
        return ("buyer" if _GOV_NAME.search(name) else "supplier"), False
    if alias in _BUYER_ALIASES:
        return "buyer", False
    if alias in _SUPPLIER_ALIASES:
        return "supplier", False
    if label == "PARTY_A":
        return "buyer", True
    if label == "PARTY_B":
        return "supplier", True
    return ("buyer" if _GOV_NAME.search(name) else "unknown"), True


def _link(text: str, ent: Sequence[Span], owner_of: list[tuple[Span, Party]]) -> None:
    """Attach identity spans to the nearest preceding party mention of the same block (A.3 step 2)."""
    contacts_pending: dict[int, dict[str, Any]] = {}
    for span in ent:
        if span.label not in (*_LINKED, "CONTACT", "PHONE"):
            continue
        owner, owner_end = None, -1
        for mention, party in owner_of:
            if mention.end <= span.start:
                owner, owner_end = party, mention.end
            else:
                break
        if owner is None or span.start - owner_end > BLOCK_REACH:
            continue
        value = Field(span.text(text), [(span.start, span.end)], _score(span))
        attr = _LINKED.get(span.label)
        if attr is not None:
            if getattr(owner, attr) is None:
                setattr(owner, attr, value)
                if attr == "uscc":
                    owner.uscc_valid = bool(normalize_uscc(value.value).get("valid"))
        elif span.label == "CONTACT":
            contact = {"name": value.value, "phone": None, "spans": value.spans}
            owner.contacts.append(contact)
            contacts_pending[id(owner)] = contact
        else:  # PHONE
            owner.phones.append(value)
            contact = contacts_pending.pop(id(owner), None)
            if contact is not None:
                contact["phone"] = value.value


# ------------------------------------------------------------------------------------------------ amounts


def _amounts(text: str, ent: Sequence[Span], cl: Sequence[Span]) -> dict[str, Any]:
    upper = _amount_field(text, ent, "AMT_TOTAL_UPPER")
    lower = _amount_field(text, ent, "AMT_TOTAL_LOWER")
    total = lower if lower and lower.value else upper if upper and upper.value else None
    return {
        "total_upper": upper,
        "total_lower": lower,
        "total_upper_all": _all_amounts(text, ent, "AMT_TOTAL_UPPER"),
        "total_lower_all": _all_amounts(text, ent, "AMT_TOTAL_LOWER"),
        "total": total.value if total else None,
        "total_spans": total.spans if total else [],
        "total_confidence": total.confidence if total else None,
        "total_derived": False,
        "perf_bond": _bond(text, ent, "AMT_PERF_BOND", cl, keyword="履约"),
        "warranty": _bond(text, ent, "AMT_WARRANTY", cl, keyword="质"),
        "deposit": _amount_field(text, ent, "AMT_DEPOSIT"),
        "penalty_amounts": _all_amounts(text, ent, "AMT_PENALTY"),
        "other": _all_amounts(text, ent, "AMT_OTHER"),
    }


def _amount_field(text: str, ent: Sequence[Span], label: str) -> Field | None:
    spans = _ranked(ent, label)
    for span in spans:
        result = normalize_amount(span.text(text))
        if result["ok"]:
            return Field(result["value"], [(span.start, span.end)], _score(span))
    if spans:
        return Field(None, [(spans[0].start, spans[0].end)], _score(spans[0]))
    return None


def _all_amounts(text: str, ent: Sequence[Span], label: str) -> list[Field]:
    out = []
    for span in ent:
        if span.label == label:
            result = normalize_amount(span.text(text))
            out.append(Field(result.get("value"), [(span.start, span.end)], _score(span)))
    return out


def _bond(
    text: str, ent: Sequence[Span], amount_label: str, cl: Sequence[Span], keyword: str
) -> dict[str, Any]:
    """A bond's amount and ratio: RATE_BOND spans go to the bond their sentence names (履约 vs 质保)."""
    amount = _amount_field(text, ent, amount_label)
    ratio: Field | None = None
    for span in ent:
        if span.label != "RATE_BOND":
            continue
        sentence = _sentence(text, span.start)
        is_perf = "履约" in sentence
        if (keyword == "履约") == is_perf:
            result = normalize_rate(span.text(text), *_context(text, span))
            if result["ok"]:
                ratio = Field(result["fraction"], [(span.start, span.end)], _score(span))
                break
    form = None
    if amount or ratio:
        first = (amount or ratio).spans[0][0]  # type: ignore[union-attr]
        sentence = _sentence(text, first)
        form = (
            "guarantee"
            if re.search(r"保函|保险|担保", sentence)
            else "cash"
            if "现金" in sentence
            else "unspecified"
        )
    return {"amount": amount, "ratio": ratio, "form": form}


def _derived_total(milestones: Sequence[Milestone]) -> dict[str, Any]:
    pays = [m for m in milestones if m.kind == "PAY"]
    if pays and all(m.amount for m in pays) and not any(m.recurrence for m in pays):
        total = sum((Decimal(m.amount) for m in pays if m.amount), Decimal(0))
        return {
            "total": str(total.quantize(Decimal("0.01"))),
            "total_derived": True,
            "total_spans": [m.span for m in pays],
            "total_confidence": min(m.confidence for m in pays),
        }
    return {}


# ------------------------------------------------------------------------------------------------ dates


def _dates(text: str, ent: Sequence[Span]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, label in (
        ("sign", "DATE_SIGN"),
        ("effective", "DATE_EFFECTIVE"),
        ("start", "DATE_START"),
        ("end", "DATE_END"),
    ):
        out[key] = _date_field(text, ent, label)
    out["nodes"] = [_date_of(text, s) for s in ent if s.label == "DATE_NODE"]
    out["other"] = [_date_of(text, s) for s in ent if s.label == "DATE_OTHER"]
    out["sign_blank"] = out["sign"] is None and bool(
        re.search(r"(?:签订|签署|日期)[^\n]{0,8}?[_＿\s]{2,}年", text)
    )
    out["effective_event"] = (
        "SIGN" if re.search(r"(?:签字|盖章|签订)[^。；\n]{0,10}?(?:之日起)?生效", text) else None
    )
    return out


def _date_field(text: str, ent: Sequence[Span], label: str) -> Field | None:
    spans = _ranked(ent, label)
    return _date_of(text, spans[0]) if spans else None


def _date_of(text: str, span: Span) -> Field:
    result = normalize_date(span.text(text))
    return Field(result.get("iso") if result["ok"] else None, [(span.start, span.end)], _score(span))


def _period_field(text: str, ent: Sequence[Span], label: str) -> Field | None:
    for span in _ranked(ent, label):
        result = normalize_period(span.text(text))
        return Field(result if result["ok"] else None, [(span.start, span.end)], _score(span))
    return None


# ------------------------------------------------------------------------------------------------ milestones


def _milestones(text: str, ent: Sequence[Span], cl: Sequence[Span]) -> list[Milestone]:
    out: list[Milestone] = []
    paid_so_far = Decimal(0)
    for seq, span in enumerate((s for s in cl if s.label.startswith("CL_MS_")), start=1):
        kind = span.label.removeprefix("CL_MS_")
        inner = [e for e in ent if span.start <= e.start and e.end <= span.end]
        body = span.text(text)
        period_span = next((e for e in inner if e.label == "PERIOD"), None)
        date_span = next((e for e in inner if e.label == "DATE_NODE"), None)
        amount_span = next((e for e in inner if e.label in ("AMT_INSTALLMENT", "AMT_WARRANTY")), None)
        ratio_spans = [e for e in inner if e.label in ("RATE_PAYMENT", "RATE_BOND")]
        retention = any(e.label in ("RATE_BOND", "AMT_WARRANTY") for e in inner) and kind == "PAY"
        ratio, cumulative = _milestone_ratio(text, ratio_spans, paid_so_far)
        if ratio is not None:
            paid_so_far += Decimal(ratio)
        anchor_text = body[: (period_span.start - span.start) if period_span else len(body)]
        used = [e for e in (period_span, date_span, amount_span, *ratio_spans) if e is not None]
        out.append(
            Milestone(
                id=f"M{seq}",
                kind=kind,
                obligor=_obligor(body, default="buyer" if kind in ("PAY", "ACCEPT") else "supplier"),
                seq=seq,
                anchor_event=_anchor(anchor_text),
                period=normalize_period(period_span.text(text)) if period_span else None,
                date=_date_of(text, date_span).value if date_span else None,
                amount=normalize_amount(amount_span.text(text)).get("value") if amount_span else None,
                ratio=ratio,
                cumulative=cumulative,
                recurrence=next((name for name, rx in _RECURRENCE if rx.search(body)), None),
                retention=retention,
                span=(span.start, span.end),
                text=body,
                confidence=min([_score(span), *(_score(e) for e in used)]),
            )
        )
    return out


def _milestone_ratio(text: str, ratio_spans: Sequence[Span], paid_so_far: Decimal) -> tuple[str | None, bool]:
    """The node's incremental ratio: 支付至95% is cumulative (A.3), an explicit 本期支付65% wins (A.5.9)."""
    incremental: str | None = None
    cumulative_value: Decimal | None = None
    for span in ratio_spans:
        result = normalize_rate(span.text(text))
        if not result["ok"] or result.get("fraction") is None:
            continue
        before = text[max(0, span.start - 12) : span.start]
        if re.search(r"(?:支付至|付至|累计(?:支付)?至|达到)[^，,。；]{0,10}$", before):
            cumulative_value = Decimal(result["fraction"])
        elif incremental is None:
            incremental = result["fraction"]
    if incremental is not None:
        return incremental, cumulative_value is not None
    if cumulative_value is not None:
        return str(cumulative_value - paid_so_far), True
    return None, False


def _anchor(text: str) -> str | None:
    codes = [code for code, rx in _ANCHORS if rx.search(text)]
    main = codes[0] if codes else None
    if _INVOICE.search(text):
        return f"{main}+INVOICE" if main else "INVOICE"
    return main or ("OTHER" if text.strip() else None)


def _obligor(sentence: str, default: str) -> str:
    if _BUYER_SUBJECT.search(sentence) and not _SUPPLIER_SUBJECT.search(sentence[:4]):
        return "buyer"
    if _SUPPLIER_SUBJECT.search(sentence):
        return "supplier"
    return default


# ------------------------------------------------------------------------------------------------ penalties


def _penalties(text: str, ent: Sequence[Span], cl: Sequence[Span]) -> list[Penalty]:
    out = []
    for clause in (s for s in cl if s.label == "CL_BREACH"):
        body = clause.text(text)
        inner = [e for e in ent if clause.start <= e.start and e.end <= clause.end]
        obligor = _obligor(body, default="supplier")
        trigger = next((name for name, rx in _TRIGGERS if rx.search(body)), "other")
        caps = [
            e for e in inner if e.label in ("RATE_OTHER", "AMT_OTHER") and _CAP_CUE.search(_left(text, e, 14))
        ]
        cap, cap_kind = None, None
        if caps:
            cap_span = caps[0]
            if cap_span.label == "RATE_OTHER":
                cap, cap_kind = normalize_rate(cap_span.text(text)).get("fraction"), "fraction"
            else:
                cap, cap_kind = normalize_amount(cap_span.text(text)).get("value"), "amount"
        for item in inner:
            if item.label not in ("RATE_PENALTY", "AMT_PENALTY"):
                continue
            common = {
                "obligor": obligor,
                "trigger": trigger,
                "cap": cap,
                "cap_kind": cap_kind,
                "span": (clause.start, clause.end),
                "evidence": _pairs([item, *caps]),
                "confidence": min(_score(clause), _score(item)),
            }
            if item.label == "RATE_PENALTY":
                rate = normalize_rate(item.text(text), *_context(text, item))
                out.append(
                    Penalty(kind="rate", fraction=rate.get("fraction"), amount=None, per=rate.get("per"),
                            base=rate.get("base"), **common)
                )  # fmt: skip
            else:
                amount = normalize_amount(item.text(text)).get("value")
                out.append(
                    Penalty(kind="amount", fraction=None, amount=amount, per="once", base=None, **common)
                )
    return out


# ------------------------------------------------------------------------------------------------ forum


def _jurisdiction(text: str, ent: Sequence[Span], cl: Sequence[Span]) -> dict[str, Any]:
    court = _first(text, ent, "COURT")
    arb = _first(text, ent, "ARB_BODY")
    disputes = [s for s in cl if s.label == "CL_DISPUTE"]
    dispute_text = "".join(s.text(text) for s in disputes)
    litigation = court is not None or bool(re.search(r"诉讼|起诉|人民法院", dispute_text))
    arbitration = arb is not None or "仲裁" in dispute_text
    mode = (
        "both"
        if litigation and arbitration
        else "litigation"
        if litigation
        else "arbitration"
        if arbitration
        else "none"
    )
    return {"mode": mode, "court": court, "arb_body": arb, "spans": _pairs(disputes)}


# ------------------------------------------------------------------------------------------------ helpers


def _clause(unit: Unit, cl: Sequence[Span]) -> dict[str, Any]:
    inside = [s for s in cl if unit.start <= s.start < unit.end]
    return {"span": (unit.start, unit.end), "types": list(unit.types), "cl_spans": _pairs(inside)}


def _first(text: str, ent: Sequence[Span], label: str) -> Field | None:
    spans = _ranked(ent, label)
    span = spans[0] if spans else None
    return Field(span.text(text), [(span.start, span.end)], _score(span)) if span else None


def _ranked(ent: Sequence[Span], label: str) -> list[Span]:
    """The spans of one label, most confident first, for a field that takes one value.

    Gold spans (no score) keep document order, so the first one wins as the spec says; among predicted
    spans, a stray low-confidence DATE_SIGN before the signature block's (measured on dev: 68 of 150
    signing dates wrong by taking the first) no longer decides the field."""
    return sorted((s for s in ent if s.label == label), key=lambda s: -_score(s))


def _pairs(spans: Iterable[Span]) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in spans]


def _score(span: Span) -> float:
    return 1.0 if span.score is None else span.score


def _sentence(text: str, offset: int) -> str:
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, offset)]
    start = starts[-1] if starts else 0
    end_match = _SENTENCE_END.search(text, offset)
    return text[start : end_match.start() if end_match else len(text)]


def _left(text: str, span: Span, width: int) -> str:
    return text[max(0, span.start - width) : span.start]


def _context(text: str, span: Span) -> tuple[str, str]:
    """Left (20) and right (6) context of a rate, as A.4.4 reads periodicity and base."""
    return _left(text, span, 20), text[span.end : span.end + 6]
