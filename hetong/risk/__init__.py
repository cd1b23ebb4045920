"""The deterministic risk engine of spec Part C: rules as data (``catalog.yaml``), one small detection
function per rule (``rules_*.py``), evaluated over the A.3 record built from a document's spans."""

from hetong.risk.catalog import RuleSpec, load_catalog
from hetong.risk.context import ReviewMetadata, RiskContext
from hetong.risk.engine import HIT, NOT_APPLICABLE, NOT_EVALUABLE, PASS, RuleResult, evaluate, score

__all__ = [
    "HIT",
    "NOT_APPLICABLE",
    "NOT_EVALUABLE",
    "PASS",
    "ReviewMetadata",
    "RiskContext",
    "RuleResult",
    "RuleSpec",
    "evaluate",
    "load_catalog",
    "score",
]
