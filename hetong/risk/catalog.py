"""The rule catalog of spec Part C, loaded from ``catalog.yaml`` (the data; detection code is separate)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CATALOG_PATH = Path(__file__).resolve().parent / "catalog.yaml"
CATEGORIES = ("合规性", "严重风险", "一般风险", "缺失条款")
SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True, slots=True)
class Basis:
    text: str
    tag: str | None  # V verified, S secondary, U unverified, P practice (spec 0.3)

    def __str__(self) -> str:
        return f"{self.text} [{self.tag}]" if self.tag else self.text


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: str
    category: str
    severity: str
    title: str
    fix: str
    basis: tuple[Basis, ...]
    detect: str
    applies_if: str | None = None
    needs: str | None = None
    floor: str | None = None
    weight: float | None = None
    severity_note: str | None = None
    suppresses: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        """MISS, COMP, SER or GEN."""
        return self.id.split("-")[1]


@cache
def load_catalog(path: Path = CATALOG_PATH) -> dict[str, RuleSpec]:
    """Every rule by id, in the spec's order (cached: read once per process)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules: dict[str, RuleSpec] = {}
    for item in data["rules"]:
        spec = RuleSpec(
            id=item["id"],
            category=item["category"],
            severity=item["severity"],
            title=item["title"],
            fix=item["fix"],
            basis=tuple(Basis(b["text"], b.get("tag")) for b in item.get("basis", ())),
            detect=item.get("detect", ""),
            applies_if=item.get("applies_if"),
            needs=item.get("needs"),
            floor=item.get("floor"),
            weight=item.get("weight"),
            severity_note=item.get("severity_note"),
            suppresses=tuple(item.get("suppresses", ())),
        )
        if spec.category not in CATEGORIES or spec.severity not in SEVERITIES:
            raise ValueError(f"{spec.id}: bad category {spec.category!r} or severity {spec.severity!r}")
        rules[spec.id] = spec
    return rules
