"""Overall risk score (0–100) and level, domain spec Part E.

Input is a list of :class:`RuleHit` (one per rule instance, produced by the risk-rule module). The score:

1. drops everything that is not ``HIT`` (``PASS``, ``NOT_APPLICABLE``, ``NOT_EVALUABLE`` score 0; the
   NOT_EVALUABLE rule ids are listed for the reviewer) and every hit suppressed by another hit (E.2);
2. weighs each hit ``w = base(severity) × a × c`` — base high 0.30 / medium 0.12 / low 0.04 unless the rule
   has its own ``weight``; ``a = 0.5`` when the hit relies on an assumption; ``c = 0.5`` when its minimum
   span confidence is below 0.50 (E.2);
3. counts each rule once, with its largest ``w`` (all instances stay as evidence);
4. aggregates by noisy-OR, ``R = round(100 × (1 − Π(1 − w)), 1)``, overall and per category (E.3);
5. sets the level from ``R`` and the rule floors, a floor dropping one level when the hit is assumed or of
   low confidence (E.4).

All arithmetic is :class:`decimal.Decimal` with ROUND_HALF_UP, so the result is deterministic and the E.5
examples come out exactly (no binary-float ties at .x5).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

RULE_VERSION = "0.1"

STATUSES: tuple[str, ...] = ("HIT", "PASS", "NOT_APPLICABLE", "NOT_EVALUABLE")
CATEGORIES: tuple[str, ...] = ("合规性", "严重风险", "一般风险", "缺失条款")
SEVERITY_BASE: dict[str, Decimal] = {
    "high": Decimal("0.30"),
    "medium": Decimal("0.12"),
    "low": Decimal("0.04"),
}
ASSUMPTION_FACTOR = Decimal("0.5")
LOW_CONFIDENCE_FACTOR = Decimal("0.5")
LOW_CONFIDENCE_BELOW = 0.50

LEVELS: tuple[str, ...] = ("蓝", "黄", "橙", "红")
"""Risk levels from low to high."""
LEVEL_COLOURS: dict[str, str] = {"红": "red", "橙": "orange", "黄": "yellow", "蓝": "blue"}
LEVEL_THRESHOLDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(60), "红"),
    (Decimal(40), "橙"),
    (Decimal(20), "黄"),
)
"""E.4: ``R ≥ 60`` 红, ``40 ≤ R < 60`` 橙, ``20 ≤ R < 40`` 黄, else 蓝; ties go to the higher level."""

_ONE = Decimal(1)
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class RuleHit:
    """One instance of a rule result.

    ``weight`` overrides the severity base; ``floor`` is 红/橙 or ``None``; ``confidence`` is the minimum
    confidence of the spans the hit rests on (``None`` when no model span is involved, treated as 1.0);
    ``assumptions`` name assumed facts (SME_UNKNOWN, role_assumed, buyer_type_assumed); ``evidence`` holds
    ``[start, end)`` offsets; ``suppresses`` the rule ids this hit drops on the same evidence.
    """

    rule_id: str
    category: str
    severity: str
    status: str = "HIT"
    weight: float | Decimal | None = None
    floor: str | None = None
    confidence: float | None = None
    assumptions: tuple[str, ...] = ()
    evidence: tuple[tuple[int, int], ...] = ()
    suppresses: tuple[str, ...] = ()
    message: str = ""
    fix: str = ""
    basis: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if self.weight is None and self.severity not in SEVERITY_BASE:
            raise ValueError(f"severity must be one of {tuple(SEVERITY_BASE)}, got {self.severity!r}")
        if self.floor is not None and self.floor not in ("红", "橙"):
            raise ValueError(f"floor must be 红, 橙 or None, got {self.floor!r}")
        if self.weight is not None and not 0 <= Decimal(str(self.weight)) <= 1:
            raise ValueError(f"weight must be in [0, 1], got {self.weight!r}")


@dataclass(frozen=True)
class ScoredHit:
    """A counted rule: its best instance's weight and flags, and the evidence of all its instances."""

    rule_id: str
    category: str
    severity: str
    weight: Decimal
    floor: str | None
    effective_floor: str | None
    review_required: bool
    assumptions: tuple[str, ...]
    evidence: tuple[tuple[int, int], ...]
    message: str
    fix: str
    basis: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "category": self.category,
            "severity": self.severity,
            "weight": float(self.weight),
            "evidence": [list(span) for span in self.evidence],
            "message": self.message,
            "fix": self.fix,
            "basis": list(self.basis),
            "assumptions": list(self.assumptions),
            "review_required": self.review_required,
            "floor": self.effective_floor,
        }


@dataclass(frozen=True)
class ScoreResult:
    """The E.6 record (see :meth:`to_dict`)."""

    score: Decimal
    level: str
    sub_scores: dict[str, Decimal]
    hits: tuple[ScoredHit, ...]
    not_evaluable: tuple[str, ...]
    suppressed: tuple[str, ...]
    contract_id: str | None = None
    rule_version: str = RULE_VERSION
    performance_light: str | None = None

    @property
    def compliance_score(self) -> Decimal:
        """``S = 100 − R`` (合规得分, display only)."""
        return Decimal(100) - self.score

    def to_dict(self) -> dict[str, Any]:
        return {
            "contract_id": self.contract_id,
            "rule_version": self.rule_version,
            "score": float(self.score),
            "level": self.level,
            "sub_scores": {k: float(v) for k, v in self.sub_scores.items()},
            "hits": [h.to_dict() for h in self.hits],
            "not_evaluable": list(self.not_evaluable),
            "suppressed": list(self.suppressed),
            "performance_light": self.performance_light,
        }


def _canon_rule(rule_id: str) -> str:
    """``SER-001`` and ``R-SER-001`` name the same rule (the spec's suppress lists use both)."""
    return rule_id if rule_id.startswith("R-") else f"R-{rule_id}"


def _same_evidence(a: RuleHit, b: RuleHit) -> bool:
    """Overlapping spans, or either hit is contract-level (no spans): then the whole text is its evidence."""
    if not a.evidence or not b.evidence:
        return True
    return any(s1 < e2 and s2 < e1 for s1, e1 in a.evidence for s2, e2 in b.evidence)


def hit_factors(hit: RuleHit) -> tuple[Decimal, Decimal, Decimal]:
    """``(base, a, c)`` of E.2 for one instance."""
    base = Decimal(str(hit.weight)) if hit.weight is not None else SEVERITY_BASE[hit.severity]
    a = ASSUMPTION_FACTOR if hit.assumptions else _ONE
    c = (
        LOW_CONFIDENCE_FACTOR
        if hit.confidence is not None and hit.confidence < LOW_CONFIDENCE_BELOW
        else _ONE
    )
    return base, a, c


def hit_weight(hit: RuleHit) -> Decimal:
    """``w = base × a × c`` (E.2)."""
    base, a, c = hit_factors(hit)
    return base * a * c


def effective_floor(hit: RuleHit) -> str | None:
    """The floor in full when ``a = c = 1``, else one level lower (红 → 橙, 橙 → 黄) (E.4)."""
    if hit.floor is None:
        return None
    _, a, c = hit_factors(hit)
    if a == _ONE and c == _ONE:
        return hit.floor
    return LEVELS[LEVELS.index(hit.floor) - 1]


def noisy_or(weights: Iterable[Decimal]) -> Decimal:
    """``round(100 × (1 − Π(1 − w)), 1)``, half-up."""
    keep = _ONE
    for w in weights:
        keep *= _ONE - w
    return (Decimal(100) * (_ONE - keep)).quantize(_TENTH, rounding=ROUND_HALF_UP)


def level_for(score: Decimal, floors: Iterable[str | None] = ()) -> str:
    """Level from ``R`` (E.4 thresholds), raised to the highest floor given."""
    level = next((name for bound, name in LEVEL_THRESHOLDS if score >= bound), "蓝")
    for floor in floors:
        if floor is not None and LEVELS.index(floor) > LEVELS.index(level):
            level = floor
    return level


def score_hits(
    hits: Iterable[RuleHit],
    *,
    contract_id: str | None = None,
    performance_light: str | None = None,
) -> ScoreResult:
    """Score a contract's rule results (Part E).

    Readings chosen where the spec is open:

    * Suppression: a ``HIT`` drops the rules in its ``suppresses`` list when their evidence overlaps its own
      or either hit has no spans (contract-level). Suppressors are themselves scored normally. Suppression
      is the one way adding a hit can lower the score, by design of E.2.
    * A rule counts once with the largest ``w``; its floor is the highest *effective* floor among its
      instances (an unassumed instance keeps the full floor even if the heaviest instance was assumed).
    * ``review_required`` (待复核) is set when the counted instance has ``a`` or ``c`` below 1.
    * Sub-scores are given for the four spec categories (0.0 when empty) plus any other category seen.
    """
    hits = list(hits)
    not_evaluable = sorted({_canon_rule(h.rule_id) for h in hits if h.status == "NOT_EVALUABLE"})
    active = [h for h in hits if h.status == "HIT"]
    suppressed_ids: set[str] = set()
    kept: list[RuleHit] = []
    for h in active:
        rid = _canon_rule(h.rule_id)
        if any(
            rid in {_canon_rule(s) for s in other.suppresses} and _same_evidence(h, other)
            for other in active
            if other is not h and _canon_rule(other.rule_id) != rid
        ):
            suppressed_ids.add(rid)
        else:
            kept.append(h)

    by_rule: dict[str, list[RuleHit]] = {}
    for h in kept:
        by_rule.setdefault(_canon_rule(h.rule_id), []).append(h)
    scored: list[ScoredHit] = []
    for rid in sorted(by_rule):
        instances = by_rule[rid]
        # Largest w wins; ties broken by fewer assumptions, then by the repr (order-independent).
        best = max(instances, key=lambda h: (hit_weight(h), not h.assumptions, repr(h)))
        floors = [effective_floor(h) for h in instances]
        floor = max((f for f in floors if f), key=LEVELS.index, default=None)
        _, a, c = hit_factors(best)
        evidence = tuple(sorted({span for h in instances for span in h.evidence}))
        scored.append(
            ScoredHit(
                rule_id=rid,
                category=best.category,
                severity=best.severity,
                weight=hit_weight(best),
                floor=best.floor,
                effective_floor=floor,
                review_required=a != _ONE or c != _ONE,
                assumptions=best.assumptions,
                evidence=evidence,
                message=best.message,
                fix=best.fix,
                basis=best.basis,
            )
        )

    score = noisy_or(h.weight for h in scored)
    categories = list(CATEGORIES) + sorted({h.category for h in scored} - set(CATEGORIES))
    sub_scores = {cat: noisy_or(h.weight for h in scored if h.category == cat) for cat in categories}
    return ScoreResult(
        score=score,
        level=level_for(score, (h.effective_floor for h in scored)),
        sub_scores=sub_scores,
        hits=tuple(scored),
        not_evaluable=tuple(not_evaluable),
        suppressed=tuple(sorted(suppressed_ids)),
        contract_id=contract_id,
        performance_light=performance_light,
    )
