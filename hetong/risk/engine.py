"""Evaluate the rule catalog on one contract: HIT / PASS / NOT_APPLICABLE / NOT_EVALUABLE per rule.

A detection function is registered for a rule id with :func:`rule`. It returns :func:`hit` (with the
evidence spans, and optionally a severity that differs from the catalog's default), or ``None`` for PASS;
it stops with NOT_APPLICABLE or NOT_EVALUABLE through :class:`~hetong.risk.context.RiskContext` helpers. A
rule without a detection function is NOT_EVALUABLE with the reason recorded in :data:`UNIMPLEMENTED`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from hetong.assemble import ContractRecord, assemble
from hetong.risk.catalog import RuleSpec, load_catalog
from hetong.risk.context import NotApplicable, NotEvaluable, ReviewMetadata, RiskContext
from hetong.schema import Document
from hetong.score import RuleHit, ScoreResult, score_hits

HIT, PASS, NOT_APPLICABLE, NOT_EVALUABLE = "HIT", "PASS", "NOT_APPLICABLE", "NOT_EVALUABLE"
_SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class Hit:
    evidence: tuple[tuple[int, int], ...]
    severity: str | None = None  # None: the catalog's default
    message: str = ""
    weight: float | None = None  # an explicit weight (e.g. 0 for an advisory finding)


def hit(
    evidence: Iterable[tuple[int, int]] = (),
    severity: str | None = None,
    message: str = "",
    weight: float | None = None,
) -> Hit:
    """The rule fires; ``evidence`` is the spans to highlight (empty for an absence)."""
    unique = tuple(sorted(set(evidence)))
    return Hit(unique, severity, message, weight)


Detector = Callable[[RiskContext], Hit | None]
DETECTORS: dict[str, Detector] = {}

UNIMPLEMENTED: dict[str, str] = {}
"""Rules that stay NOT_EVALUABLE, with the reason (shown to the reviewer and in the rule table)."""


def rule(rule_id: str) -> Callable[[Detector], Detector]:
    """Register the detection function of ``rule_id`` (which must be in the catalog)."""

    def register(function: Detector) -> Detector:
        if rule_id not in load_catalog():
            raise KeyError(f"{rule_id} is not in the catalog")
        if rule_id in DETECTORS:
            raise KeyError(f"{rule_id} registered twice")
        DETECTORS[rule_id] = function
        return function

    return register


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    category: str
    severity: str
    status: str
    title: str
    evidence: tuple[tuple[int, int], ...] = ()
    fix: str = ""
    basis: tuple[str, ...] = ()
    reason: str | None = None
    message: str = ""
    assumptions: tuple[str, ...] = ()
    confidence: float = 1.0
    floor: str | None = None
    weight: float | None = None
    suppresses: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "category": self.category,
            "severity": self.severity,
            "status": self.status,
            "title": self.title,
            "evidence": [{"start": s, "end": e} for s, e in self.evidence],
            "fix": self.fix,
            "basis": list(self.basis),
            "reason": self.reason,
            "message": self.message,
            "assumptions": list(self.assumptions),
            "confidence": self.confidence,
        }

    def to_score_hit(self) -> RuleHit:
        return RuleHit(
            rule_id=self.rule_id,
            category=self.category,
            severity=self.severity,
            status=self.status,
            weight=self.weight,
            floor=self.floor,
            confidence=self.confidence,
            assumptions=self.assumptions,
            evidence=self.evidence,
            suppresses=self.suppresses,
            message=self.message or self.title,
            fix=self.fix,
            basis=self.basis,
        )


def load_rules() -> None:
    """Import the rule modules so their detectors register (kept lazy to avoid import cycles)."""
    from hetong.risk import rules_comp, rules_gen, rules_miss, rules_ser  # noqa: F401


def evaluate(
    doc: Document, metadata: ReviewMetadata | None = None, record: ContractRecord | None = None
) -> list[RuleResult]:
    """Every catalog rule's result for ``doc``, in catalog order."""
    load_rules()
    ctx = RiskContext(doc, record if record is not None else assemble(doc), metadata or ReviewMetadata())
    results: list[RuleResult] = []
    for spec in load_catalog().values():
        results.append(_run(spec, ctx))
    return results


def _run(spec: RuleSpec, ctx: RiskContext) -> RuleResult:
    base = {
        "rule_id": spec.id,
        "category": spec.category,
        "severity": spec.severity,
        "title": spec.title,
        "fix": spec.fix,
        "basis": tuple(str(b) for b in spec.basis),
        "floor": spec.floor,
        "suppresses": spec.suppresses,
    }
    detector = DETECTORS.get(spec.id)
    if detector is None:
        return RuleResult(status=NOT_EVALUABLE, reason=UNIMPLEMENTED.get(spec.id, "not implemented"), **base)
    ctx.assumptions = []
    try:
        outcome = detector(ctx)
    except NotApplicable as exc:
        return RuleResult(status=NOT_APPLICABLE, reason=str(exc), **base)
    except NotEvaluable as exc:
        return RuleResult(status=NOT_EVALUABLE, reason=str(exc), **base)
    assumptions = tuple(dict.fromkeys(ctx.assumptions))
    if outcome is None:
        return RuleResult(status=PASS, assumptions=assumptions, **base)
    if outcome.severity is not None:
        base["severity"] = outcome.severity
    return RuleResult(
        status=HIT,
        evidence=outcome.evidence,
        message=outcome.message,
        assumptions=assumptions,
        confidence=_confidence(ctx, outcome.evidence),
        weight=outcome.weight if outcome.weight is not None else spec.weight,
        **base,
    )


def _confidence(ctx: RiskContext, evidence: tuple[tuple[int, int], ...]) -> float:
    """The minimum confidence of the model spans inside the evidence (gold spans count as 1.0)."""
    scores = [
        span.score
        for span in (*ctx.doc.ent, *ctx.doc.cl)
        if span.score is not None and any(s <= span.start and span.end <= e for s, e in evidence)
    ]
    return min(scores, default=1.0)


def score(results: Iterable[RuleResult], contract_id: str | None = None) -> ScoreResult:
    """Spec Part E over the results (HITs count; NOT_EVALUABLE are listed)."""
    return score_hits([r.to_score_hit() for r in results], contract_id=contract_id)


def worst(results: Iterable[RuleResult]) -> str | None:
    """The highest severity among the HITs, or None."""
    severities = [r.severity for r in results if r.status == HIT]
    return max(severities, key=_SEVERITY_RANK.__getitem__, default=None)
