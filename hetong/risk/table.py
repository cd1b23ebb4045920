"""The rule table of the docs (``docs/rules.md``), generated from the catalog and the registered rules.

``make docs`` (``hetong rules --markdown > docs/rules.md``) rewrites it; a test fails when it is stale,
so the table is never written by hand.
"""

from __future__ import annotations

from collections import Counter

from hetong.risk.catalog import load_catalog
from hetong.risk.engine import DETECTORS, UNIMPLEMENTED, load_rules


def rule_rows() -> list[dict[str, str]]:
    load_rules()
    rows = []
    for spec in load_catalog().values():
        implemented = spec.id in DETECTORS
        rows.append(
            {
                "id": spec.id,
                "category": spec.category,
                "severity": spec.severity + (f", floor {spec.floor}" if spec.floor else ""),
                "title": spec.title,
                "basis": "; ".join(str(b) for b in spec.basis) or "—",
                "status": "implemented"
                if implemented
                else f"NOT_EVALUABLE: {UNIMPLEMENTED.get(spec.id, 'not implemented')}",
            }
        )
    return rows


def rule_table_markdown() -> str:
    rows = rule_rows()
    done = Counter(r["category"] for r in rows if r["status"] == "implemented")
    total = Counter(r["category"] for r in rows)
    lines = [
        "# Risk rules",
        "",
        "Generated from `hetong/risk/catalog.yaml` and the registered detection functions by `make docs`; "
        "do not edit by hand. Verification tags: [V] verified in a primary law text, [S] secondary source, "
        "[U] unverified, [P] review practice (spec 0.3).",
        "",
        f"Implemented: {sum(done.values())} of {len(rows)} — "
        + ", ".join(f"{category} {done[category]}/{total[category]}" for category in total),
        "",
        "| id | category | severity | title | legal basis | status |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [
            row[key].replace("|", "\\|").replace("\n", " ")
            for key in ("id", "category", "severity", "title", "basis", "status")
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
