"""Synthetic government contracts with gold ENT/CL spans and clause-unit types.

A document is made in two steps, both deterministic for a seed:

1. :func:`make_blueprint` draws the facts of one contract — kind (货物/服务/工程 and subject), parties,
   numbers, dates, price and payment schedule, bond, warranty, penalties, forum — from
   :mod:`training.values`, and renders every document-level slot value once (so the buyer's name or the
   total is written the same way wherever it appears, as in a real contract).
2. :func:`generate` walks the contract's sections in order, picks one template per unit from the section's
   clause bank (:mod:`training.clause_bank`), renders it (:mod:`training.markup`) and writes it under a
   numbered heading. Gold spans come from the templates; clause-unit types come from the banks, mapped onto
   the units :func:`hetong.segment.segment` finds in the final text, so training sees the same units as
   serving.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from random import Random

import cn2an

from hetong.schema import Document, Span, Unit
from hetong.segment import segment
from training import values as v
from training.clause_bank import Bank, load_banks
from training.markup import Rendered, render

GENERATOR_VERSION = "2"


@dataclass(frozen=True, slots=True)
class ContractKind:
    category: str  # 货物 | 服务 | 工程
    subject: str  # what is bought, as it reads in a sentence
    title_word: str  # how the title names the contract
    industries: tuple[str, ...]  # supplier trades that fit (training.values industry words)


_IT = ("信息技术", "软件", "网络科技", "数据科技", "智能科技", "电子科技")
_WORKS = ("建设工程", "市政工程", "建筑装饰工程", "消防工程")
CONTRACT_KINDS: tuple[ContractKind, ...] = (
    ContractKind("货物", "办公设备", "采购合同", ("办公设备", "电子科技")),
    ContractKind("货物", "信息化设备", "采购合同", _IT),
    ContractKind("货物", "医疗设备", "采购合同", ("医疗器械",)),
    ContractKind("货物", "教学仪器设备", "采购合同", ("教育科技", "电子科技")),
    ContractKind("货物", "办公家具", "采购合同", ("家具",)),
    ContractKind("货物", "食堂食材", "配送合同", ("餐饮管理", "后勤服务")),
    ContractKind("服务", "物业管理服务", "服务合同", ("物业服务", "物业管理")),
    ContractKind("服务", "保洁服务", "服务合同", ("保洁服务", "物业服务")),
    ContractKind("服务", "绿化养护服务", "服务合同", ("园林绿化工程", "环境工程")),
    ContractKind("服务", "食堂餐饮服务", "服务合同", ("餐饮管理", "后勤服务")),
    ContractKind("服务", "安保服务", "服务合同", ("保安服务", "安防科技")),
    ContractKind("服务", "信息系统运维服务", "服务合同", _IT),
    ContractKind("服务", "信息化建设", "项目合同", _IT),
    ContractKind("服务", "技术咨询服务", "技术服务合同", ("环保科技", "检测技术", "工程造价咨询")),
    ContractKind("服务", "辅助性服务", "政府购买服务合同", ("人力资源", "后勤服务")),
    ContractKind("服务", "办公用房租赁", "租赁合同", ("物业管理", "物业服务")),
    ContractKind("工程", "办公楼维修改造工程", "施工合同", ("建筑装饰工程", "建设工程")),
    ContractKind("工程", "道路修缮工程", "施工合同", ("市政工程", "建设工程")),
    ContractKind("工程", "校舍改造工程", "施工合同", _WORKS),
    ContractKind("工程", "绿化景观工程", "施工合同", ("园林绿化工程", "市政工程")),
)

# Anchor events for payment nodes by position in the schedule: (event code of spec A.3, phrase).
_FIRST_ANCHORS: tuple[tuple[str, str], ...] = (
    ("SIGN", "合同签订后"),
    ("SIGN", "本合同签订之日起"),
    ("EFFECTIVE", "合同生效后"),
    ("SIGN+INVOICE", "合同签订且甲方收到乙方开具的合法有效发票后"),
)
_MIDDLE_ANCHORS: dict[str, tuple[tuple[str, str], ...]] = {
    "货物": (("DELIVERY", "货物到货并安装调试完成后"), ("DELIVERY", "全部货物交付后")),
    "服务": (("QUARTER_END", "每季度末"), ("OTHER", "服务期满六个月且考核合格后")),
    "工程": (("OTHER", "工程主体完工并经甲方确认后"), ("SETTLEMENT", "工程进度款经甲方审核确认后")),
}
_LAST_ANCHORS: tuple[tuple[str, str], ...] = (
    ("ACCEPTANCE", "项目验收合格后"),
    ("ACCEPTANCE", "经甲方验收合格之日起"),
    ("ACCEPTANCE+INVOICE", "验收合格且甲方收到乙方发票后"),
)
_WARRANTY_ANCHOR = ("ACCEPTANCE", "质保期满且无质量问题后")
# VAT: goods 13%, construction 9%, modern services 6%; 3% for small-scale taxpayers.
_VAT_RATES = {
    "货物": ("0.13", "0.13", "0.03"),
    "服务": ("0.06", "0.06", "0.03"),
    "工程": ("0.09", "0.09", "0.03"),
}
_UNIT_PRICES = ("18.5元/平方米·月", "26元/平方米·月", "4500元/人·月", "120元/次", "3200元/台")
_COURTS = ("甲方所在地人民法院", "{city}人民法院", "合同签订地人民法院", "项目所在地有管辖权的人民法院")
_TAX_LOCATIONS = ("{place}", "项目所在地", "国家税务总局{place}税务局")


@dataclass(frozen=True, slots=True)
class PaymentNode:
    name: str
    anchor_event: str
    slots: Mapping[str, str]
    retention: bool  # the 质保金 installment: its ratio is RATE_BOND and amount AMT_WARRANTY (spec A.5.8)


@dataclass
class Blueprint:
    """The facts of one synthetic contract, with every document-level slot rendered once."""

    seed: int
    kind: ContractKind
    slots: dict[str, str]
    schedule: v.PaymentSchedule
    nodes: list[PaymentNode]
    facts: dict[str, object] = field(default_factory=dict)
    request: dict[str, object] = field(default_factory=dict)
    """Metadata a review request would carry (spec 0.2): buyer_type, supplier_size, regime, category."""
    planted: list[str] = field(default_factory=list)
    skip: set[str] = field(default_factory=set)
    """Sections (bank names) left out of the contract."""
    forbid: set[str] = field(default_factory=set)
    """Span labels and clause types no template of this contract may carry."""
    forbid_in: dict[str, set[str]] = field(default_factory=lambda: {"warranty": {"CL_MS_PAY"}})
    """Per bank, labels its templates may not carry. The warranty section never states a payment node:
    the 质保金 installment belongs to the payment schedule, and a second statement of it with other
    figures would make the schedule look inconsistent (R-SER-002/003)."""
    require: dict[str, set[str]] = field(default_factory=dict)
    """Per bank, slots a template must use (a planted value has to appear in the text)."""
    inserts: dict[str, list[str]] = field(default_factory=dict)
    """Extra units per section: section bank name -> banks to append a unit from (planted risks)."""

    @property
    def category(self) -> str:
        return self.kind.category


def make_blueprint(seed: int) -> Blueprint:
    rng = Random(f"blueprint-{seed}")
    kind = rng.choice(CONTRACT_KINDS)
    buyer = v.buyer(rng)
    supplier = v.supplier(rng, kind.industries)
    place = buyer.region.name
    year = rng.choice((2023, 2024, 2025, 2026))
    sign = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 330))
    award = sign - dt.timedelta(days=rng.randint(3, 25))
    start = sign + dt.timedelta(days=rng.randint(0, 30))
    years = rng.choice((1, 1, 1, 2, 3)) if kind.category == "服务" else 1
    end = _add_years(start, years) - dt.timedelta(days=1)
    total = v.amount_value(rng, 30_000, 8_000_000)
    upper, lower = v.amount_pair(rng, total)
    # Works retention is capped at 3% of the settlement (建质〔2017〕138号, spec R-COMP-004).
    works = kind.category == "工程"
    schedule = v.payment_schedule(rng, total, max_retention=3 if works else 5)
    bond = v.rate(rng, "bond")
    retention = next((item for item in schedule.installments if item.name == "质保金"), None)
    if retention:
        warranty = v.rate_text(rng, retention.ratio, "percent")
    elif works:
        warranty = v.rate_text(rng, Decimal(rng.choice(("0.02", "0.03"))), "percent")
    else:
        warranty = v.rate(rng, "bond")
    date_style = rng.choice(v.DATE_STYLES[:-1])  # one style per contract, as real contracts do

    def date(day: dt.date) -> str:
        return v.date_value(rng, day=day, style=date_style).text

    def money(value: Decimal) -> str:
        return v.amount_lower(rng, value.quantize(Decimal("0.01"))).text

    project_name = f"{place}{kind.subject}项目"
    slots = {
        "buyer": buyer.text,
        "buyer_uscc": buyer.uscc,
        "buyer_rep": v.person_name(rng).text,
        "buyer_address": v.postal_address(rng, buyer.region).text,
        "buyer_contact": v.person_name(rng).text,
        "buyer_phone": v.phone(rng, buyer.region.area_code).text,
        "supplier": supplier.text,
        "supplier_uscc": supplier.uscc,
        "supplier_rep": v.person_name(rng).text,
        "supplier_agent": v.person_name(rng).text,
        "supplier_address": v.postal_address(rng, supplier.region).text,
        "supplier_contact": v.person_name(rng).text,
        "supplier_phone": v.phone(rng, supplier.region.area_code).text,
        "contract_name": _title(project_name.removesuffix("项目"), kind.title_word),
        "contract_no": v.contract_number(rng, buyer.region, year).text,
        "project_no": v.project_number(rng, buyer.region, year).text,
        "project_name": project_name,
        "subject": kind.subject,
        "place": place,
        "perf_place": f"{place}{rng.choice(('', '行政中心', '第一实验小学', '人民医院', '政务服务中心'))}",
        "total_upper": upper.text,
        "total_lower": lower.text,
        "budget": money(total * Decimal(rng.choice(("1", "1.05", "1.1", "1.2")))),
        "tax_rate": v.rate_text(rng, Decimal(rng.choice(_VAT_RATES[kind.category])), "percent").text,
        "bond_ratio": bond.text,
        "bond_amount": money(total * bond.fraction),
        "warranty_ratio": warranty.text,
        "warranty_amount": retention.amount.text if retention else money(total * warranty.fraction),
        "warranty_period": v.period(rng, rng.choice(("year", "month")), "exact").text,
        "term": _term_text(rng, years),
        "sign_date": date(sign),
        "effective_date": date(sign + dt.timedelta(days=rng.randint(0, 10))),
        "start_date": date(start),
        "end_date": date(end),
        "delivery_date": date(start + dt.timedelta(days=rng.randint(20, 90))),
        "award_date": date(award),
        "delivery_period": v.period(rng, "day", "within").text,
        "accept_period": v.period(rng, rng.choice(("day", "workday")), "within").text,
        # At most 千分之一 per day in a clean contract (spec R-SER-004 flags higher daily rates).
        "penalty_rate": v.rate_text(rng, Decimal(rng.choice(("0.0003", "0.0005", "0.001"))), None).text,
        "late_pay_rate": v.rate_text(rng, Decimal("0.0005"), "cn_permyriad").text,
        "penalty_cap": v.rate(rng, "cap").text,
        "penalty_amount": money(Decimal(rng.choice((200, 500, 1000, 2000, 5000, 10000)))),
        "liability_cap": money(total * Decimal(rng.choice(("0.3", "0.5", "1")))),
        "court": rng.choice(_COURTS).format(city=buyer.region.city or buyer.region.province),
        "arb_body": f"{buyer.region.city_short}仲裁委员会",
        "tax_location": rng.choice(_TAX_LOCATIONS).format(place=place),
    }
    slots.update(_bank_slots(rng, buyer.region, supplier.region))
    third = v.supplier(rng)
    slots.update(
        third_party=f"{third.region.city_short or third.region.province_short}"
        f"{rng.choice(('建设工程监理', '工程监理', '工程咨询'))}有限公司",
        third_party_uscc=third.uscc,
        deposit_amount=money(total * Decimal(rng.choice(("0.05", "0.1", "0.2")))),
        unit_price=rng.choice(_UNIT_PRICES),
    )
    nodes = _payment_nodes(rng, kind.category, schedule)
    facts: dict[str, object] = {
        "sign": sign.isoformat(),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "total": str(total),
    }
    request: dict[str, object] = {
        "buyer_type": buyer.org_kind,
        "supplier_size": rng.choice(("大型", "中型", "小型", "微型")),
        "regime": "政府采购",
        "category": kind.category,
    }
    bp = Blueprint(seed, kind, slots, schedule, nodes, facts, request)
    bp.require["signature"] = {"sign_date"}  # the signing date is always stated (or planted blank)
    # Some contracts are tripartite (a 丙方 such as the 监理人 of a works contract signs too).
    if rng.random() < (0.5 if kind.category == "工程" else 0.15):
        bp.require["parties"] = {"third_party"}
        bp.require["signature"] = {"third_party", "sign_date"}
        facts["tripartite"] = True
    return bp


def _title(subject: str, title_word: str) -> str:
    """物业管理服务 + 服务合同 → 物业管理服务合同, not 物业管理服务服务合同."""
    for overlap in range(min(len(subject), len(title_word)), 0, -1):
        if subject.endswith(title_word[:overlap]):
            return subject + title_word[overlap:]
    return subject + title_word


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _term_text(rng: Random, years: int) -> str:
    if years == 1 and rng.random() < 0.3:
        return rng.choice(("12个月", "十二个月", "365日历天"))
    return f"{rng.choice((str(years), cn2an.an2cn(years)))}年" if years != 2 else rng.choice(("2年", "两年"))


def _bank_slots(rng: Random, buyer_region: v.Region, supplier_region: v.Region) -> dict[str, str]:
    buyer_bank = v.bank_account(rng, buyer_region)
    supplier_bank = v.bank_account(rng, supplier_region)
    return {
        "buyer_bank": buyer_bank.bank_name,
        "buyer_account": buyer_bank.text,
        "supplier_bank": supplier_bank.bank_name,
        "supplier_account": supplier_bank.text,
    }


def _payment_nodes(rng: Random, category: str, schedule: v.PaymentSchedule) -> list[PaymentNode]:
    """Payment nodes with anchors that fit each installment: an advance on signing, a balance (验收款, 尾款
    or the last before the retention) on acceptance, the retention after the warranty period."""
    nodes = []
    names = [item.name for item in schedule.installments]
    last_paying = max(i for i, name in enumerate(names) if name != "质保金")
    for index, item in enumerate(schedule.installments):
        retention = item.name == "质保金"
        if retention:
            event, anchor = _WARRANTY_ANCHOR
        elif item.name in ("验收款", "尾款") or index == last_paying:
            event, anchor = rng.choice(_LAST_ANCHORS)
        elif index == 0:
            event, anchor = rng.choice(_FIRST_ANCHORS)
        else:
            event, anchor = rng.choice(_MIDDLE_ANCHORS[category])
        # A retention share is stated on its own, never as a running total (spec A.5 item 8).
        ratio = v.rate_text(rng, item.ratio, item.rate.style) if retention else item.rate
        slots = {
            "node_name": item.name,
            "node_anchor": anchor,
            # Clean contracts pay within 30 days (保障中小企业款项支付条例; planting may lengthen this).
            "node_period": v.period(rng, rng.choice(("day", "workday")), "within", max_days=30).text,
            "node_pay": "支付至" if schedule.cumulative and not retention else "支付",
            "node_ratio": ratio.text,
            "node_amount": item.amount.text,
        }
        nodes.append(PaymentNode(item.name, event, slots, retention))
    return nodes


# ---------------------------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    """One part of a contract: a bank, how many units it contributes, and whether it gets a heading."""

    bank: str
    numbered: bool = True
    count: Callable[[Blueprint, Random], int] = lambda _bp, _rng: 1
    kinds: tuple[str, ...] = ("货物", "服务", "工程")
    first_requires: frozenset[str] = frozenset()
    """Slots the section's first unit must use (a clause every clean contract states)."""


def _subject_bank(category: str) -> str:
    return {"货物": "subject_goods", "服务": "subject_service", "工程": "subject_works"}[category]


SECTIONS: tuple[Section, ...] = (
    Section("title", numbered=False),
    Section("numbers", numbered=False),
    Section("parties", numbered=False),
    Section("recital", numbered=False),
    Section("composition", count=lambda _bp, rng: rng.choice((1, 2))),
    Section("subject_goods", kinds=("货物",), count=lambda _bp, rng: rng.choice((3, 4, 5, 6))),
    Section("subject_service", kinds=("服务",), count=lambda _bp, rng: rng.choice((3, 4, 5, 6))),
    Section("subject_works", kinds=("工程",), count=lambda _bp, rng: rng.choice((3, 4, 5, 6))),
    Section("obligations_buyer", count=lambda _bp, rng: rng.choice((2, 3, 4))),
    Section("obligations_supplier", count=lambda _bp, rng: rng.choice((3, 4, 5))),
    Section("personnel_safety", count=lambda _bp, rng: rng.choice((1, 2, 3))),
    Section("price"),
    Section("payment_node", count=lambda bp, _rng: len(bp.nodes)),
    Section("invoice"),
    Section("term"),
    Section("delivery"),
    Section("acceptance"),
    Section("perf_node", count=lambda _bp, rng: rng.choice((0, 1, 2))),
    Section("warranty"),
    Section("bond"),
    # The buyer's own late-payment liability is always stated (R-MISS-016 checks it for SME suppliers).
    Section(
        "breach", count=lambda _bp, rng: rng.choice((2, 3, 4)), first_requires=frozenset({"late_pay_rate"})
    ),
    Section("liability_cap", count=lambda _bp, rng: rng.choice((0, 1, 2))),
    Section("termination", count=lambda _bp, rng: rng.choice((1, 2))),
    Section("subcontract", count=lambda _bp, rng: rng.choice((1, 2))),
    Section("change", count=lambda _bp, rng: rng.choice((1, 2))),
    Section("confidentiality"),
    Section("integrity", count=lambda _bp, rng: rng.choice((0, 1, 2))),
    Section("ip"),
    Section("sme_policy", count=lambda _bp, rng: rng.choice((0, 1))),
    Section("tax"),
    Section("force_majeure"),
    Section("dispute"),
    Section("notice", count=lambda _bp, rng: rng.choice((1, 2, 3))),
    Section("effect"),
    Section("signature", numbered=False),
)


@dataclass(frozen=True, slots=True)
class _Numbering:
    """How one contract numbers its sections and the items inside them."""

    section: Callable[[int, str], str]
    item: Callable[[int], str]


_NUMBERINGS: tuple[_Numbering, ...] = (
    _Numbering(lambda n, h: f"第{cn2an.an2cn(n)}条 {h}", lambda i: f"{i}."),
    _Numbering(lambda n, h: f"第{cn2an.an2cn(n)}条　{h}", lambda i: f"（{cn2an.an2cn(i)}）"),
    _Numbering(lambda n, h: f"{cn2an.an2cn(n)}、{h}", lambda i: f"（{cn2an.an2cn(i)}）"),
    _Numbering(lambda n, h: f"{cn2an.an2cn(n)}、{h}", lambda i: f"{i}．"),
    _Numbering(lambda n, h: f"{n}. {h}", lambda i: f"（{i}）"),
)


class _Writer:
    """Appends lines to a growing text, keeping gold spans and typed regions in document offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.ent: list[Span] = []
        self.cl: list[Span] = []
        self.regions: list[tuple[int, int, tuple[str, ...]]] = []

    def plain(self, text: str) -> None:
        self._append(text + "\n")

    def rendered(self, prefix: str, rendered: Rendered, types: tuple[str, ...]) -> None:
        self._append(prefix)
        placed = rendered.shifted(self.length)
        self.ent += placed.ent
        self.cl += placed.cl
        self.regions.append((self.length, self.length + len(rendered.text), types))
        self._append(rendered.text + "\n")

    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def generate(
    seed: int,
    banks: Mapping[str, Bank] | None = None,
    plant: Callable[[Blueprint], None] | None = None,
    split: str | None = None,
) -> Document:
    """One synthetic contract for ``seed`` (the same seed always gives the same document).

    ``plant`` may alter the blueprint before assembly (see :mod:`training.planting`); the rule ids it
    records in ``blueprint.planted`` end up in ``meta["planted"]``. ``split`` makes the document prefer
    clause templates held out for that split.
    """
    banks = banks if banks is not None else load_banks()
    bp = make_blueprint(seed)
    if plant is not None:
        plant(bp)
    rng = Random(f"assemble-{seed}")
    numbering = rng.choice(_NUMBERINGS)
    writer = _Writer()
    section_no = 0
    for section in SECTIONS:
        if bp.category not in section.kinds or section.bank in bp.skip:
            continue
        units = [section.bank] * section.count(bp, rng) + bp.inserts.get(section.bank, [])
        if not units:
            continue
        if section.numbered:
            section_no += 1
            writer.plain(numbering.section(section_no, rng.choice(banks[section.bank].headings)))
        used: set[str] = set()
        for index, bank_name in enumerate(units):
            prefix = numbering.item(index + 1) if section.numbered and len(units) > 1 else ""
            required = section.first_requires if index == 0 else frozenset()
            used.add(
                _write_unit(writer, banks, banks[bank_name], bp, rng, prefix, index, used, split, required)
            )
    text = writer.text
    return Document(
        doc_id=f"SYN-{seed:06d}",
        text=text,
        ent=writer.ent,
        cl=writer.cl,
        units=_typed_units(text, writer.regions),
        meta={
            "source": "synthetic",
            "generator_version": GENERATOR_VERSION,
            "seed": seed,
            "blueprint": f"{bp.category}/{bp.kind.subject}",
            "category": bp.category,
            "facts": bp.facts,
            "request": bp.request,
            "planted": sorted(bp.planted),
            "split": split,
        },
    )


def _write_unit(
    writer: _Writer,
    banks: Mapping[str, Bank],
    bank: Bank,
    bp: Blueprint,
    rng: Random,
    prefix: str,
    index: int,
    used: set[str],
    split: str | None,
    required: frozenset[str] = frozenset(),
) -> str:
    """Write one unit from ``bank`` (a template not in ``used`` when there is one); return its template."""
    available = dict(bp.slots)
    if bank.name == "payment_node":
        node = bp.nodes[index]
        available.update(node.slots)
        if node.retention:
            bank = banks["payment_retention"]
    available.update(fresh_slots(rng))
    template = bank.pick(
        rng,
        bp.category,
        available,
        avoid=used,
        forbid=bp.forbid | bp.forbid_in.get(bank.name, set()),
        require=required or bp.require.get(bank.name, set()),
        split=split,
        subject=bp.kind.subject,
    )
    values = {name: available[name] for name in template.slots}
    writer.rendered(prefix, render(template.text, values), template.types)
    return template.text


def fresh_slots(rng: Random) -> dict[str, str]:
    return {
        "period": v.period(rng, rng.choice(("day", "workday", "hour")), "within", max_days=30).text,
        "notice_period": v.period(rng, "day", "exact").text,
        "amount": v.amount_lower(rng, v.amount_value(rng, 1_000, 200_000)).text,
        "rate": v.rate(rng, "cap").text,
        "person": v.person_name(rng).text,
        "phone": v.phone(rng).text,
        **v.figures(rng),
    }


def _typed_units(text: str, regions: list[tuple[int, int, tuple[str, ...]]]) -> list[Unit]:
    """Segment the final text and give each unit the types of the template regions it overlaps."""
    units = []
    for unit in segment(text):
        types: list[str] = []
        for start, end, region_types in regions:
            if start < unit.end and unit.start < end:
                types += [t for t in region_types if t not in types]
        units.append(Unit(unit.start, unit.end, tuple(types or ("OTHER",))))
    return units
