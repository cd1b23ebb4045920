"""End to end on gold spans: contracts from the generator with planted risks.

Every planted rule must HIT (recall 100% on gold spans), and clean contracts must raise no high-severity
HIT. The confusion counts per rule are printed (``pytest -s``) and shown in any failure message.
"""

from __future__ import annotations

from collections import Counter

import pytest

from hetong.risk import HIT, ReviewMetadata, evaluate
from training.generator import generate
from training.planting import PLANTS, Planter

N_PLANTED, N_CLEAN = 240, 120
TODAY = "2026-11-01"


def _metadata(doc) -> ReviewMetadata:
    return ReviewMetadata.from_mapping({**doc.meta["request"], "today": TODAY})


@pytest.fixture(scope="module")
def confusion() -> dict[str, Counter[str]]:
    planter = Planter(probability=1.0, max_rules=2)
    counts: dict[str, Counter[str]] = {
        "tp": Counter(),
        "fn": Counter(),
        "clean_high": Counter(),
        "clean_any": Counter(),
    }
    for seed in range(N_PLANTED):
        doc = generate(10_000 + seed, plant=planter)
        hits = {r.rule_id for r in evaluate(doc, _metadata(doc)) if r.status == HIT}
        for rule_id in doc.meta["planted"]:
            counts["tp" if rule_id in hits else "fn"][rule_id] += 1
    for seed in range(N_CLEAN):
        doc = generate(20_000 + seed)
        for result in evaluate(doc, _metadata(doc)):
            if result.status == HIT:
                counts["clean_any"][result.rule_id] += 1
                if result.severity == "high":
                    counts["clean_high"][result.rule_id] += 1
    print(_table(counts))
    return counts


def _table(counts: dict[str, Counter[str]]) -> str:
    lines = ["rule        planted  hit  missed  clean-docs-hit (high)"]
    for rule_id in sorted(set(PLANTS) | set(counts["clean_any"])):
        tp, fn = counts["tp"][rule_id], counts["fn"][rule_id]
        clean, clean_high = counts["clean_any"][rule_id], counts["clean_high"][rule_id]
        lines.append(f"{rule_id:11s} {tp + fn:7d} {tp:4d} {fn:7d}  {clean:5d} ({clean_high})")
    return "\n".join(lines)


def test_every_planted_rule_hits(confusion: dict[str, Counter[str]]) -> None:
    assert set(confusion["tp"]) | set(confusion["fn"]) == set(PLANTS), "every plant was drawn at least once"
    assert sum(confusion["fn"].values()) == 0, _table(confusion)


def test_clean_contracts_raise_no_high_severity_hit(confusion: dict[str, Counter[str]]) -> None:
    assert sum(confusion["clean_high"].values()) == 0, _table(confusion)
