"""Planted risks: alter a blueprint so that a named spec Part C rule fires on the generated contract.

Each plant is a small function that changes the facts (a bond of 15%, a 90-day payment period, a 大写
total that differs from the 小写 one), removes a section, or inserts a clause from a ``risk_*`` bank. The
rule ids planted in a document are recorded in ``meta["planted"]``, so the risk engine can be tested end to
end: every planted rule must HIT on gold spans, and clean documents must raise no high-severity HIT.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from random import Random

from training import values as v
from training.generator import Blueprint
from training.markup import Blank

Plant = Callable[[Blueprint, Random], None]


def _missing(section: str, *forbid: str) -> Plant:
    """Leave a section out, and keep its labels and types out of every other section too."""

    def apply(bp: Blueprint, _rng: Random) -> None:
        bp.skip.add(section)
        bp.forbid.update(forbid)

    return apply


def _insert(section: str, bank: str) -> Plant:
    def apply(bp: Blueprint, _rng: Random) -> None:
        bp.inserts.setdefault(section, []).append(bank)

    return apply


def _blank_sign_date(bp: Blueprint, rng: Random) -> None:
    bp.slots["sign_date"] = Blank(
        rng.choice(("    年    月    日", "____年__月__日", "＿＿＿＿年＿＿月＿＿日"))
    )


def _upper_differs(bp: Blueprint, rng: Random) -> None:
    total = Decimal(str(bp.facts["total"]))
    wrong = total + Decimal(rng.choice(("10000", "1000", "-100", "0.5", "90000")))
    bp.slots["total_upper"] = v.amount_upper(rng, wrong).text
    bp.require["price"] = {"total_upper", "total_lower"}


def _paying_indexes(bp: Blueprint) -> list[int]:
    return [i for i, node in enumerate(bp.nodes) if not node.retention]


def _installment_differs(bp: Blueprint, rng: Random) -> None:
    index = rng.choice(_paying_indexes(bp))
    delta = Decimal(rng.choice(("10000.00", "5000.00", "-2000.00")))
    value = bp.schedule.installments[index].amount.value + delta
    bp.nodes[index].slots["node_amount"] = v.amount_lower(rng, value).text
    bp.require["payment_node"] = {"node_amount"}


def _ratios_do_not_sum(bp: Blueprint, rng: Random) -> None:
    index = _paying_indexes(bp)[-1 if bp.schedule.cumulative else 0]
    item = bp.schedule.installments[index]
    # Add rather than take away 5 points: a 5-point gap could be read as an unstated retention.
    shown = (item.cumulative_ratio if bp.schedule.cumulative else item.ratio) + Decimal("0.05")
    bp.nodes[index].slots["node_ratio"] = v.rate_text(rng, shown, item.rate.style).text
    bp.require["payment_node"] = {"node_ratio"}


def _share(bp: Blueprint, ratio: Decimal) -> Decimal:
    return (Decimal(str(bp.facts["total"])) * ratio).quantize(Decimal("0.01"))


def _bond_over_ten_percent(bp: Blueprint, rng: Random) -> None:
    ratio = Decimal(rng.choice(("0.15", "0.2", "0.12")))
    bp.slots["bond_ratio"] = v.rate_text(rng, ratio, "percent").text
    bp.slots["bond_amount"] = v.amount_lower(rng, _share(bp, ratio)).text
    bp.require["bond"] = {"bond_ratio"}


def _deposit_over_twenty_percent(bp: Blueprint, rng: Random) -> None:
    ratio = Decimal(rng.choice(("0.25", "0.3")))
    bp.slots["deposit_amount"] = v.amount_lower(rng, _share(bp, ratio)).text
    bp.require["bond"] = {"deposit_amount"}


def _sme_late_payment(bp: Blueprint, rng: Random) -> None:
    """A gov buyer pays an SME over 60 days after acceptance (the balance node is acceptance-anchored)."""
    bp.request["supplier_size"] = rng.choice(("小型", "微型", "中型"))
    index = _paying_indexes(bp)[-1]
    bp.nodes[index].slots["node_period"] = rng.choice(
        ("90日内", "九十日内", "120天内", "三个月内", "180日内")
    )


def _excessive_penalty(bp: Blueprint, rng: Random) -> None:
    bp.slots["penalty_rate"] = v.rate_text(rng, Decimal(rng.choice(("0.005", "0.01", "0.02"))), None).text
    bp.require["breach"] = {"penalty_rate"}


def _node_after_end(bp: Blueprint, rng: Random) -> None:
    end = dt.date.fromisoformat(str(bp.facts["end"]))
    late = end + dt.timedelta(days=rng.randint(20, 120))
    bp.slots["delivery_date"] = v.date_value(rng, day=late, style="cn").text
    bp.inserts.setdefault("delivery", []).append("risk_late_node")
    bp.require["term"] = {"end_date"}  # the rule compares the node with the stated end date


PLANTS: dict[str, Plant] = {
    "R-MISS-001": _missing("breach", "CL_BREACH", "BREACH"),
    "R-MISS-002": _missing("dispute", "CL_DISPUTE", "DISPUTE", "COURT", "ARB_BODY"),
    "R-MISS-003": _missing("acceptance", "CL_MS_ACCEPT", "ACCEPTANCE"),
    "R-MISS-005": _blank_sign_date,
    "R-MISS-015": _missing("termination", "CL_TERMINATION", "TERMINATION"),
    "R-MISS-017": _missing("force_majeure", "FORCE_MAJEURE"),
    "R-COMP-001": _bond_over_ten_percent,
    "R-COMP-005": _sme_late_payment,
    "R-COMP-006": _insert("payment_node", "risk_funds_condition"),
    "R-COMP-007": _insert("payment_node", "risk_audit_settlement"),
    "R-COMP-011": _insert("bond", "risk_guarantee"),
    "R-COMP-012": _deposit_over_twenty_percent,
    "R-COMP-024": _insert("termination", "risk_any_termination"),
    "R-SER-001": _upper_differs,
    "R-SER-002": _installment_differs,
    "R-SER-003": _ratios_do_not_sum,
    "R-SER-004": _excessive_penalty,
    "R-SER-008": _insert("term", "risk_auto_renew"),
    "R-SER-012": _node_after_end,
}

# Plants that cannot share a document: each pair would hide or change the other's evidence. A funds
# condition (R-COMP-006) adds a node with neither amount nor ratio, so the schedule cannot be summed.
_CONFLICTS = {
    frozenset({"R-SER-002", "R-SER-003"}),
    frozenset({"R-SER-002", "R-COMP-006"}),
    frozenset({"R-SER-003", "R-COMP-006"}),
    frozenset({"R-MISS-015", "R-COMP-024"}),
    frozenset({"R-COMP-001", "R-COMP-012"}),
    frozenset({"R-MISS-001", "R-SER-004"}),
}


@dataclass(frozen=True, slots=True)
class Planter:
    """With ``probability``, plant 1 to ``max_rules`` rules (from ``rules``) in a document."""

    probability: float = 0.3
    max_rules: int = 2
    rules: tuple[str, ...] = tuple(PLANTS)

    def __call__(self, bp: Blueprint) -> None:
        rng = Random(f"plant-{bp.seed}")
        if rng.random() >= self.probability:
            return
        target = rng.randint(1, self.max_rules)
        chosen: list[str] = []
        for rule in rng.sample(self.rules, k=len(self.rules)):
            if len(chosen) == target:
                break
            if not any(frozenset({rule, other}) in _CONFLICTS for other in chosen):
                chosen.append(rule)
        for rule in chosen:
            plant_rule(bp, rule, rng)


def plant_rule(bp: Blueprint, rule: str, rng: Random) -> None:
    """Apply one plant and record it; a rule with no plant is a programming error."""
    PLANTS[rule](bp, rng)
    bp.planted.append(rule)
