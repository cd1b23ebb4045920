"""What a risk rule can see: the document, its A.3 record, and the request metadata of spec 0.2.

Rules are small functions over a :class:`RiskContext`. Preconditions and missing inputs are expressed with
:meth:`RiskContext.applies` and :meth:`RiskContext.need`, which stop the rule with NOT_APPLICABLE or
NOT_EVALUABLE (naming the missing field) — a rule never guesses a fact it does not have. Facts that fall
back to an assumption (an unknown supplier size, a buyer type inferred or assumed) are recorded on the
result, so the score can halve the hit (spec E.2).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from hetong.assemble import ContractRecord, Field
from hetong.calendar import payment_act_version
from hetong.lexicons import Lexicon
from hetong.normalize import half_width, normalize_uscc
from hetong.schema import Document, Span, Unit

GOV_TYPES = ("机关", "事业单位", "团体组织_财政资金")
SME_SIZES = ("中型", "小型", "微型")
_USCC_BUYER_TYPE = {"11": "机关", "12": "事业单位", "13": "团体组织_财政资金"}
_SME_DECLARATION = re.compile(
    r"(?:乙方|供应商|我方|本企业|本单位)?[^。；\n]{0,20}?(?:属于|为|是)(中型|小型|微型)企业"
)
_CATEGORY_TYPES = {"WORKS_SCOPE": "工程", "SERVICE_SCOPE": "服务", "GOODS_SPEC": "货物"}
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")


class NotApplicable(Exception):
    """The rule's precondition is false for this contract."""


class NotEvaluable(Exception):
    """The rule lacks an input it needs (the message names the field)."""


@dataclass(frozen=True)
class ReviewMetadata:
    """Facts the platform knows and the text may not state (spec 0.2). Everything is optional."""

    buyer_type: str | None = None  # 机关 | 事业单位 | 团体组织_财政资金 | 国有企业 | 其他
    supplier_size: str | None = None  # 大型 | 中型 | 小型 | 微型 | unknown
    category: str | None = None  # 货物 | 服务 | 工程
    regime: str | None = None  # 政府采购 | 招标投标 | 其他
    buyer_region: str | None = None  # 6-digit 行政区划代码
    budget: str | None = None  # decimal yuan
    award_price: str | None = None
    award_notice_date: str | None = None  # ISO date of the 中标（成交）通知书
    tender: dict[str, Any] | None = None  # fields from the tender documents, same schema as the record
    today: str | None = None  # ISO date; defaults to the server date
    tax_location_required: bool | None = None
    jurisdiction_level: str = "city"  # district | city | province

    @classmethod
    def from_mapping(cls, values: dict[str, Any] | None) -> ReviewMetadata:
        values = dict(values or {})
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown metadata field(s): {', '.join(sorted(unknown))}")
        return cls(**values)


@dataclass
class RiskContext:
    doc: Document
    record: ContractRecord
    meta: ReviewMetadata = field(default_factory=ReviewMetadata)
    assumptions: list[str] = field(default_factory=list)
    """Assumptions the current rule relied on; the engine clears it before each rule."""

    # ---------------------------------------------------------------- outcome helpers

    def applies(self, condition: bool, reason: str) -> None:
        if not condition:
            raise NotApplicable(reason)

    def need(self, value: Any, field_name: str) -> Any:
        """``value`` when present; otherwise the rule is NOT_EVALUABLE for lack of ``field_name``."""
        if value is None or (isinstance(value, Field) and value.value is None) or value == []:
            raise NotEvaluable(f"missing {field_name}")
        return value

    # ---------------------------------------------------------------- text and spans

    @property
    def text(self) -> str:
        return self.doc.text

    def spans(self, *labels: str) -> list[Span]:
        return [s for s in (*self.doc.ent, *self.doc.cl) if s.label in labels]

    def has(self, *labels: str) -> bool:
        return any(s.label in labels for s in (*self.doc.ent, *self.doc.cl))

    def units(self, *types: str) -> list[Unit]:
        if not types:
            return list(self.doc.units)
        wanted = frozenset(types)
        return [u for u in self.doc.units if not wanted.isdisjoint(u.types)]

    def has_type(self, *types: str) -> bool:
        return bool(self.units(*types))

    def inside(self, outer: Span | Unit, *labels: str) -> list[Span]:
        return [
            s
            for s in (*self.doc.ent, *self.doc.cl)
            if s.label in labels and outer.start <= s.start < outer.end
        ]

    def slice(self, item: Span | Unit | tuple[int, int]) -> str:
        start, end = (item.start, item.end) if not isinstance(item, tuple) else item
        return self.text[start:end]

    def sentence(self, offset: int) -> tuple[int, int]:
        """The sentence around ``offset`` as ``[start, end)``."""
        starts = [m.end() for m in _SENTENCE_END.finditer(self.text, 0, offset)]
        start = starts[-1] if starts else 0
        end_match = _SENTENCE_END.search(self.text, offset)
        return start, end_match.start() if end_match else len(self.text)

    @cached_property
    def half_width_text(self) -> str:
        """The text through :func:`~hetong.normalize.half_width`, converted once for every lexicon."""
        return half_width(self.text)

    def find(self, lexicon: Lexicon, within: Iterable[Span | Unit] | None = None) -> list[tuple[int, int]]:
        """Unguarded matches of ``lexicon`` in the given units/spans (default: the whole text)."""
        regions = [(0, len(self.text))] if within is None else [(w.start, w.end) for w in within]
        half = self.half_width_text
        found = []
        for start, end in regions:
            found += [(start + a, start + b) for a, b in lexicon.find_half_width(half[start:end])]
        return found

    def find_rx(
        self, pattern: re.Pattern[str], within: Iterable[Span | Unit] | None = None
    ) -> list[tuple[int, int]]:
        regions = [(0, len(self.text))] if within is None else [(w.start, w.end) for w in within]
        return [
            (m.start(), m.end()) for start, end in regions for m in pattern.finditer(self.text, start, end)
        ]

    # ---------------------------------------------------------------- metadata with fallbacks

    @property
    def buyer_type(self) -> tuple[str, bool]:
        """(buyer type, assumed?) — metadata, else the buyer's USCC prefix, else 机关 assumed (spec 0.2)."""
        if self.meta.buyer_type:
            return self.meta.buyer_type, False
        buyer = self.record.party("buyer")
        if buyer is not None and buyer.uscc is not None:
            prefix = normalize_uscc(buyer.uscc.value).get("canonical", "")[:2]
            if prefix in _USCC_BUYER_TYPE:
                return _USCC_BUYER_TYPE[prefix], False
        return "机关", True

    def gov_buyer(self) -> bool:
        buyer_type, assumed = self.buyer_type
        if assumed:
            self.assumptions.append("buyer_type_assumed")
        return buyer_type in GOV_TYPES

    @property
    def supplier_size(self) -> str:
        if self.meta.supplier_size and self.meta.supplier_size != "unknown":
            return self.meta.supplier_size
        declared = self.find_rx(_SME_DECLARATION, self.units("SME_POLICY"))
        if declared:
            match = _SME_DECLARATION.search(self.slice(declared[0]))
            if match:
                return match.group(1)
        return "unknown"

    def sme(self) -> bool:
        """SME per spec C.0: an unknown size is evaluated as SME and flagged SME_UNKNOWN (half weight)."""
        size = self.supplier_size
        if size == "unknown":
            self.assumptions.append("SME_UNKNOWN")
            return True
        return size in SME_SIZES

    @property
    def category(self) -> str:
        if self.meta.category:
            return self.meta.category
        votes = Counter(_CATEGORY_TYPES[t] for u in self.doc.units for t in u.types if t in _CATEGORY_TYPES)
        return votes.most_common(1)[0][0] if votes else "服务"

    @property
    def regime(self) -> str:
        return self.meta.regime or "政府采购"

    def gp(self) -> bool:
        return self.regime == "政府采购"

    def tb(self) -> bool:
        return self.regime == "招标投标"

    @property
    def today(self) -> dt.date:
        return dt.date.fromisoformat(self.meta.today) if self.meta.today else dt.date.today()

    @property
    def sign_date(self) -> dt.date | None:
        return self.date_of("sign")

    @property
    def payment_act(self) -> str:
        """none | 2020 | 2025 — the 保障中小企业款项支付条例 in force on the signing date (spec 0.4)."""
        return payment_act_version(self.sign_date, self.today)

    def date_of(self, key: str) -> dt.date | None:
        value = self.record.dates.get(key)
        return value.as_date() if value is not None else None


def spans_of(fields: Sequence[Field | None]) -> list[tuple[int, int]]:
    """All spans of some record fields, for evidence."""
    return [span for f in fields if f is not None for span in f.spans]
