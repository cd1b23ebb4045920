"""The label inventory of the domain spec (Part A.1 and Part B), and the span/document types.

This module is the one declarative source of labels: training builds its BIO tag maps from it, serving
decodes with it, annotation generates the Label Studio config from it. Nothing else lists labels.

Offsets everywhere are ``[start, end)`` in Unicode code points of the text returned by
:mod:`hetong.documents` (spec 0.1 "span").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

Layer = Literal["ENT", "CL"]


@dataclass(frozen=True, slots=True)
class Label:
    """One span label: its id in the spec's numbering, the BIO name, Chinese name and tier."""

    number: int
    name: str
    zh: str
    tier: int
    layer: Layer
    group: str
    """ENT precedence group (spec G11): amount > rate > date > period > other; ``clause`` for CL."""


@dataclass(frozen=True, slots=True)
class ClauseType:
    """One Part B clause type (multi-label classification over clause units)."""

    number: int
    name: str
    zh: str
    definition: str
    cues: tuple[str, ...]


def _ent(number: int, name: str, zh: str, tier: int, group: str) -> Label:
    return Label(number, name, zh, tier, "ENT", group)


def _cl(number: int, name: str, zh: str) -> Label:
    return Label(number, name, zh, 1, "CL", "clause")


# Spec A.1, ENT layer: 41 labels. Order is the spec's numbering and fixes the BIO tag ids.
ENT_LABELS: tuple[Label, ...] = (
    _ent(1, "PARTY_A", "甲方名称", 1, "party"),
    _ent(2, "PARTY_B", "乙方名称", 1, "party"),
    _ent(3, "PARTY_C", "丙方名称", 1, "party"),
    _ent(4, "PARTY", "当事人名称（角色不明/非甲乙丙表述）", 1, "party"),
    _ent(5, "USCC", "统一社会信用代码", 1, "identity"),
    _ent(6, "LEGAL_REP", "法定代表人/负责人", 1, "identity"),
    _ent(7, "AUTH_REP", "委托代理人/授权代表", 2, "identity"),
    _ent(8, "ADDRESS", "地址/住所", 1, "identity"),
    _ent(9, "CONTACT", "联系人", 1, "identity"),
    _ent(10, "PHONE", "联系电话", 1, "identity"),
    _ent(11, "BANK_NAME", "开户银行", 2, "identity"),
    _ent(12, "BANK_ACCT", "银行账号", 2, "identity"),
    _ent(13, "CONTRACT_NAME", "合同名称", 1, "contract"),
    _ent(14, "CONTRACT_NO", "合同编号", 1, "contract"),
    _ent(15, "PROJECT_NO", "采购项目编号/招标编号", 1, "contract"),
    _ent(16, "AMT_TOTAL_UPPER", "合同总价（大写）", 1, "amount"),
    _ent(17, "AMT_TOTAL_LOWER", "合同总价（小写）", 1, "amount"),
    _ent(18, "AMT_INSTALLMENT", "分期付款额（含预付款、进度款、尾款）", 1, "amount"),
    _ent(19, "AMT_PERF_BOND", "履约保证金数额", 1, "amount"),
    _ent(20, "AMT_WARRANTY", "质保金/质量保证金数额", 1, "amount"),
    _ent(21, "AMT_PENALTY", "违约金数额（固定金额）", 1, "amount"),
    _ent(22, "AMT_DEPOSIT", "定金数额", 1, "amount"),
    _ent(23, "AMT_OTHER", "其他金额（单价、暂列金额、赔偿上限、预算金额等）", 1, "amount"),
    _ent(24, "RATE_PENALTY", "违约金比例/逾期利率", 1, "rate"),
    _ent(25, "RATE_PAYMENT", "付款比例", 1, "rate"),
    _ent(26, "RATE_TAX", "税率", 1, "rate"),
    _ent(27, "RATE_BOND", "保证金比例（履约保证金、质保金）", 1, "rate"),
    _ent(28, "RATE_OTHER", "其他比例（责任上限比例、价格调整幅度、下浮率等）", 2, "rate"),
    _ent(29, "DATE_SIGN", "签订日期", 1, "date"),
    _ent(30, "DATE_EFFECTIVE", "生效日期", 1, "date"),
    _ent(31, "DATE_START", "履行/服务起始日期", 1, "date"),
    _ent(32, "DATE_END", "履行/服务终止日期", 1, "date"),
    _ent(33, "DATE_NODE", "节点日期（付款/交付/验收/履约节点的绝对日期）", 1, "date"),
    _ent(34, "DATE_OTHER", "其他日期（中标通知书日期、开标日期等）", 1, "date"),
    _ent(35, "TERM", "合同期限/服务期/工期（总时长）", 1, "period"),
    _ent(36, "PERIOD", "其他相对期限（30日内、10个工作日内）", 1, "period"),
    _ent(37, "PERIOD_WARRANTY", "质保期/保修期/缺陷责任期", 1, "period"),
    _ent(38, "TAX_LOCATION", "纳税地（地点或税务机关）", 1, "place"),
    _ent(39, "COURT", "约定管辖法院", 1, "place"),
    _ent(40, "ARB_BODY", "约定仲裁机构", 1, "place"),
    _ent(41, "PERF_PLACE", "履行地点/交付地点/项目所在地", 2, "place"),
)

# Spec A.1, CL layer: 10 labels.
CL_LABELS: tuple[Label, ...] = (
    _cl(42, "CL_MS_PAY", "付款节点条款"),
    _cl(43, "CL_MS_DELIVERY", "交付节点条款"),
    _cl(44, "CL_MS_ACCEPT", "验收节点条款"),
    _cl(45, "CL_MS_PERF", "其他履约节点条款（阶段成果、报告、培训、巡检等）"),
    _cl(46, "CL_BREACH", "违约责任条款"),
    _cl(47, "CL_DISPUTE", "争议解决条款（仲裁/诉讼、管辖、适用法律）"),
    _cl(48, "CL_TAX", "纳税地/税费承担条款"),
    _cl(49, "CL_TERMINATION", "合同解除条件条款"),
    _cl(50, "CL_CONFIDENTIAL", "保密（含数据安全、个人信息保护）条款"),
    _cl(51, "CL_IP", "知识产权条款"),
)


def _ct(number: int, name: str, zh: str, definition: str, cues: str) -> ClauseType:
    return ClauseType(number, name, zh, definition, tuple(cues.split("、")) if cues else ())


# Spec Part B: 34 clause types. Cues are annotation aids, not rules.
CLAUSE_TYPES: tuple[ClauseType, ...] = (
    _ct(
        1,
        "PARTIES",
        "当事人信息",
        "Party identification block: names, codes, addresses, representatives, contacts, bank details",
        "甲方、乙方、统一社会信用代码、法定代表人、开户行",
    ),
    _ct(
        2,
        "RECITAL",
        "订立依据/鉴于",
        "Legal basis and procurement background (中标通知书, 采购方式)",
        "根据《政府采购法》、经公开招标、中标通知书",
    ),
    _ct(
        3,
        "SUBJECT",
        "合同标的",
        "What is bought: goods list, service scope, works scope",
        "采购内容、服务范围、工程内容、清单",
    ),
    _ct(
        4,
        "GOODS_SPEC",
        "货物规格与质量",
        "Goods specifications, brand, model, quality standard",
        "规格型号、技术参数、国家标准",
    ),
    _ct(
        5,
        "SERVICE_SCOPE",
        "服务内容与标准",
        "Service items, service levels, KPIs, staffing",
        "服务标准、考核、响应时间、驻场",
    ),
    _ct(
        6,
        "WORKS_SCOPE",
        "工程内容与工期",
        "Works scope, schedule, construction requirements",
        "工程概况、工期、开工、竣工",
    ),
    _ct(
        7,
        "PRICE",
        "合同价款",
        "Total price, price composition, tax inclusion, unit prices, price adjustment",
        "合同总价、含税、包干、单价、调价",
    ),
    _ct(
        8,
        "PAYMENT",
        "付款与结算",
        "Payment installments, conditions, method, settlement",
        "支付、付款、结算、预付款、进度款、尾款",
    ),
    _ct(9, "INVOICE", "发票", "Invoice type and issuance", "发票、增值税专用发票、普通发票"),
    _ct(10, "TAX", "税费与纳税地", "Tax location, tax burden, prepaid tax", "纳税、税务机关、预缴、完税凭证"),
    _ct(
        11,
        "DELIVERY",
        "交付/履行期限地点方式",
        "When, where and how goods or services are delivered or performed",
        "交货时间、交货地点、进场、上线",
    ),
    _ct(
        12,
        "ACCEPTANCE",
        "验收",
        "Inspection and acceptance procedure, standard and period",
        "验收、初验、终验、验收书、检测",
    ),
    _ct(
        13,
        "WARRANTY",
        "质保与售后",
        "Warranty period, after-sales service, defect liability",
        "质保期、保修、售后、缺陷责任期",
    ),
    _ct(
        14,
        "BOND",
        "保证金与履约担保",
        "履约保证金, 质保金, 预付款保函: amount, form, return",
        "履约保证金、保函、质量保证金、退还",
    ),
    _ct(
        15,
        "GUARANTEE",
        "第三方担保/保证",
        "Suretyship or guarantee by a party or a third party for another's debt",
        "保证人、连带保证、担保、承诺函、兜底",
    ),
    _ct(16, "BREACH", "违约责任", "Consequences of breach", "违约、违约金、赔偿、扣款、逾期"),
    _ct(
        17,
        "LIABILITY_CAP",
        "责任限制与免责",
        "Liability caps, exclusions, indemnities",
        "责任上限、免责、不承担责任、赔偿限额",
    ),
    _ct(18, "TERMINATION", "合同解除", "Termination rights and consequences", "解除、终止、提前通知"),
    _ct(19, "FORCE_MAJEURE", "不可抗力", "Force-majeure definition and consequences", "不可抗力、自然灾害"),
    _ct(
        20,
        "DISPUTE",
        "争议解决与法律适用",
        "Negotiation, mediation, arbitration, litigation, jurisdiction, governing law",
        "协商、调解、仲裁委员会、人民法院、管辖",
    ),
    _ct(21, "CONFIDENTIALITY", "保密", "Confidential information obligations", "保密、商业秘密、不得泄露"),
    _ct(
        22,
        "DATA_SECURITY",
        "数据安全与个人信息保护",
        "Handling of 政务数据 and personal information, retention and deletion",
        "数据安全、个人信息、删除、留存",
    ),
    _ct(
        23,
        "IP",
        "知识产权",
        "IP ownership, licence, non-infringement warranty",
        "知识产权、著作权、专利、源代码",
    ),
    _ct(
        24,
        "SUBCONTRACT",
        "分包/转包/转让",
        "Subcontracting, assignment of rights and obligations",
        "分包、转包、转让、委托第三方",
    ),
    _ct(
        25,
        "CHANGE",
        "合同变更与补充",
        "Amendments, supplementary contracts, additional quantities",
        "变更、补充协议、追加、增加采购",
    ),
    _ct(
        26,
        "TERM_RENEWAL",
        "合同期限与续签",
        "Contract term, extension, renewal",
        "合同期限、期满、续签、自动续期、顺延",
    ),
    _ct(
        27,
        "PERSONNEL_SAFETY",
        "人员、安全与劳动保障",
        "Staffing, safety, labour protection, migrant-worker wages (工程)",
        "安全生产、人员配备、农民工工资、人工费用",
    ),
    _ct(28, "INTEGRITY", "廉洁与合规", "Anti-bribery and integrity commitments", "廉洁、商业贿赂、回扣"),
    _ct(29, "NOTICE", "通知与送达", "Notice addresses and methods", "通知、送达、联系方式变更"),
    _ct(
        30,
        "EFFECT",
        "生效与份数",
        "Entry into force, counterparts, conditions precedent",
        "生效、一式…份、具有同等法律效力",
    ),
    _ct(
        31,
        "COMPOSITION",
        "合同组成与解释顺序",
        "Contract documents and order of precedence",
        "合同文件组成、优先顺序、招标文件、投标文件",
    ),
    _ct(
        32,
        "SME_POLICY",
        "中小企业/政府采购政策",
        "SME declaration, procurement policy commitments",
        "中小企业声明函、小微企业、预留份额",
    ),
    _ct(33, "SIGNATURE", "签署栏", "Signature and seal block", "（盖章）、签字、日期"),
    _ct(34, "OTHER", "其他", "Anything else", ""),
)

LABELS_BY_NAME: Mapping[str, Label] = {label.name: label for label in ENT_LABELS + CL_LABELS}
CLAUSE_TYPES_BY_NAME: Mapping[str, ClauseType] = {ct.name: ct for ct in CLAUSE_TYPES}

# Spec G11: when two ENT labels compete for the same characters, the more specific one wins.
ENT_PRECEDENCE: tuple[str, ...] = ("amount", "rate", "date", "period")


def labels(layer: Layer, max_tier: int = 2) -> tuple[Label, ...]:
    """The labels of one layer, optionally only Tier 1 (``max_tier=1``)."""
    source = ENT_LABELS if layer == "ENT" else CL_LABELS
    return tuple(label for label in source if label.tier <= max_tier)


def bio_tags(layer: Layer, max_tier: int = 2) -> tuple[str, ...]:
    """BIO tag names for a layer: ``O`` first, then ``B-X``, ``I-X`` per label in spec order.

    With every label this gives the spec's 83 ENT tags and 21 CL tags.
    """
    tags = ["O"]
    for label in labels(layer, max_tier):
        tags += [f"B-{label.name}", f"I-{label.name}"]
    return tuple(tags)


def precedence_rank(label_name: str) -> int:
    """Lower ranks win overlaps (spec G11): amounts 0, rates 1, dates 2, periods 3, everything else 4."""
    group = LABELS_BY_NAME[label_name].group
    return ENT_PRECEDENCE.index(group) if group in ENT_PRECEDENCE else len(ENT_PRECEDENCE)


class SchemaError(ValueError):
    """A span or document does not fit the schema (unknown label, offsets outside the text, ...)."""


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled character range ``[start, end)``; ``score`` is the model's confidence, None for gold."""

    start: int
    end: int
    label: str
    score: float | None = None

    def text(self, document_text: str) -> str:
        return document_text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label}
        if self.score is not None:
            out["score"] = self.score
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Span:
        score = obj.get("score")
        return cls(
            int(obj["start"]), int(obj["end"]), str(obj["label"]), None if score is None else float(score)
        )


@dataclass(frozen=True, slots=True)
class Unit:
    """A clause unit ``[start, end)`` with its Part B types (gold, or predicted with ``scores``)."""

    start: int
    end: int
    types: tuple[str, ...] = ()
    scores: tuple[float, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "types": list(self.types)}
        if self.scores is not None:
            out["scores"] = list(self.scores)
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Unit:
        scores = obj.get("scores")
        return cls(
            int(obj["start"]),
            int(obj["end"]),
            tuple(obj.get("types", ())),
            None if scores is None else tuple(float(s) for s in scores),
        )


@dataclass(slots=True)
class Document:
    """One document in the spec's JSONL format (A.0): text, ENT spans, CL spans, clause units, metadata."""

    doc_id: str
    text: str
    ent: list[Span] = field(default_factory=list)
    cl: list[Span] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "text": self.text,
            "ent": [span.to_json() for span in self.ent],
            "cl": [span.to_json() for span in self.cl],
            "units": [unit.to_json() for unit in self.units],
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Document:
        try:
            return cls(
                doc_id=str(obj["doc_id"]),
                text=str(obj["text"]),
                ent=[Span.from_json(s) for s in obj.get("ent", ())],
                cl=[Span.from_json(s) for s in obj.get("cl", ())],
                units=[Unit.from_json(u) for u in obj.get("units", ())],
                meta=dict(obj.get("meta", {})),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SchemaError(f"not a document record: {exc}") from exc

    def validate(self) -> None:
        """Raise :class:`SchemaError` unless every span fits the text and the spec's layer rules."""
        for layer, spans in (("ENT", self.ent), ("CL", self.cl)):
            valid = {label.name for label in labels(layer)}  # type: ignore[arg-type]
            _check_ranges(self.doc_id, len(self.text), spans, layer)
            for span in spans:
                if span.label not in valid:
                    raise SchemaError(f"{self.doc_id}: {span.label!r} is not a {layer} label")
            ordered = sorted(spans, key=lambda s: (s.start, s.end))
            for left, right in pairwise(ordered):
                if left.overlaps(right):
                    raise SchemaError(
                        f"{self.doc_id}: {layer} spans overlap ({left.start}-{left.end} {left.label} and "
                        f"{right.start}-{right.end} {right.label}); layers are flat (spec G11)"
                    )
        _check_ranges(self.doc_id, len(self.text), self.units, "unit")
        for unit in self.units:
            unknown = [t for t in unit.types if t not in CLAUSE_TYPES_BY_NAME]
            if unknown:
                raise SchemaError(f"{self.doc_id}: unknown clause type(s) {unknown}")


def read_documents(path: Path, limit: int | None = None) -> list[Document]:
    """The documents of a JSONL file (one per non-blank line), at most ``limit`` of them."""
    docs: list[Document] = []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and len(docs) >= limit:
                break
            if line.strip():
                docs.append(Document.from_json(json.loads(line)))
    return docs


def _check_ranges(doc_id: str, length: int, items: Iterable[Span | Unit], what: str) -> None:
    for item in items:
        if not 0 <= item.start < item.end <= length:
            raise SchemaError(
                f"{doc_id}: {what} [{item.start}, {item.end}) is outside the text (length {length})"
            )
