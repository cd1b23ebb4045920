"""Tests of the synthetic value generators: determinism, surface/value agreement through the normalisers of
:mod:`hetong.normalize`, and variety."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from random import Random
from typing import Any

import pytest

from hetong.normalize import (
    amounts_equal,
    normalize_amount,
    normalize_date,
    normalize_period,
    normalize_phone,
    normalize_rate,
    normalize_uscc,
)
from training import values as v

SEEDS = range(300)


def _draw_all(seed: int) -> list[Any]:
    rng = Random(seed)
    return [
        v.buyer(rng),
        v.supplier(rng),
        v.person_name(rng),
        v.postal_address(rng),
        v.phone(rng),
        v.bank_account(rng),
        v.contract_number(rng),
        v.project_number(rng),
        v.amount_pair(rng),
        v.date_value(rng),
        v.period(rng),
        v.rate(rng),
        v.payment_schedule(rng),
        v.insert_stray_spaces("万分之五", rng),
        v.mix_fullwidth_digits("2025年3月18日", rng),
    ]


def test_same_seed_same_values() -> None:
    assert _draw_all(7) == _draw_all(7)


def test_different_seeds_differ() -> None:
    assert _draw_all(1) != _draw_all(2)
    assert len({repr(_draw_all(seed)) for seed in range(20)}) == 20


def test_global_random_untouched() -> None:
    import random

    random.seed(123)
    expected = random.random()
    random.seed(123)
    _draw_all(5)
    assert random.random() == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_uscc_valid_with_intended_kind(seed: int) -> None:
    rng = Random(seed)
    b, s = v.buyer(rng), v.supplier(rng)
    for code, kind, reg in ((b.uscc, b.org_kind, b.region), (s.uscc, s.org_kind, s.region)):
        result = normalize_uscc(code)
        assert result["ok"] and result["valid"], code
        assert result["org_kind"] == kind
        assert result["region"] == reg.code
    assert b.org_kind in ("机关", "事业单位")
    assert s.org_kind in ("企业", "农民专业合作社")
    assert b.uscc[2:4] == b.region.code[:2]
    assert b.region.name in b.text


def test_region_codes_match_level() -> None:
    rng = Random(0)
    for _ in range(300):
        reg = v.region(rng)
        assert len(reg.code) == 6 and reg.code.isdigit()
        if reg.level == "province":
            assert reg.code.endswith("0000")
        elif reg.level == "city" and not reg.municipality:
            assert reg.code.endswith("00") and not reg.code.endswith("0000")
        elif reg.level == "district":
            assert not reg.code.endswith("00")


@pytest.mark.parametrize("seed", SEEDS)
def test_amounts_normalise_to_value(seed: int) -> None:
    rng = Random(seed)
    upper, lower = v.amount_pair(rng)
    for amount in (upper, lower):
        result = normalize_amount(amount.text)
        assert result["ok"], amount
        assert Decimal(result["value"]) == amount.value, amount
        assert result["form"] == amount.form
    assert amounts_equal(upper.text, lower.text)
    for style in v.AMOUNT_STYLES:
        value = v.amount_value(rng)
        amount = (
            v.amount_upper(rng, value, style)
            if style.startswith("upper")
            else v.amount_lower(rng, value, style)
        )
        assert Decimal(normalize_amount(amount.text)["value"]) == value, amount


@pytest.mark.parametrize("seed", SEEDS)
def test_dates_normalise_to_iso(seed: int) -> None:
    rng = Random(seed)
    for style in (None, *v.DATE_STYLES):
        date = v.date_value(rng, style=style)
        result = normalize_date(date.text)
        assert result["ok"] and result["iso"] == date.iso, date
        assert result["precision"] == date.precision


@pytest.mark.parametrize("seed", SEEDS)
def test_periods_and_rates_normalise(seed: int) -> None:
    rng = Random(seed)
    for bound in (None, None, None, "within", "after", "exact"):
        per = v.period(rng, bound=bound)
        result = normalize_period(per.text)
        assert result["ok"], per
        assert (result["value"], result["unit"], result["bound"]) == (per.value, per.unit, per.bound), per
        assert bound is None or per.bound == bound, per
    for max_days in (3, 30, 60):
        per = v.period(rng, max_days=max_days)
        assert normalize_period(per.text)["days"] <= max_days, per
    for kind in ("penalty", "payment", "bond", "tax", "cap"):
        r = v.rate(rng, kind)
        result = normalize_rate(r.text)
        assert result["ok"] and Decimal(result["fraction"]) == r.fraction, r


@pytest.mark.parametrize("seed", SEEDS)
def test_phones_normalise(seed: int) -> None:
    rng = Random(seed)
    reg = v.region(rng, "city")
    for kind in ("mobile", "landline"):
        ph = v.phone(rng, reg.area_code, kind)
        result = normalize_phone(ph.text)
        assert result["ok"], ph
        assert (result["canonical"], result["kind"], result["extension"]) == (
            ph.canonical,
            kind,
            ph.extension,
        )
        if kind == "landline":
            assert ph.canonical.startswith(reg.area_code)


@pytest.mark.parametrize("seed", SEEDS)
def test_payment_schedule_sums(seed: int) -> None:
    rng = Random(seed)
    sched = v.payment_schedule(rng)
    items = sched.installments
    assert 2 <= len(items) <= 5
    assert sum((i.ratio for i in items), Decimal(0)) == 1
    assert sum((i.amount.value for i in items), Decimal(0)) == sched.total
    assert items[-1].cumulative_ratio == 1
    for item in items:
        assert normalize_amount(item.amount.text)["value"] == f"{item.amount.value:.2f}"
        shown = item.cumulative_ratio if sched.cumulative else item.ratio
        assert Decimal(normalize_rate(item.rate.text)["fraction"]) == shown == item.rate.fraction
        assert item.amount.value > 0


def test_payment_schedule_both_forms_and_fixed_total() -> None:
    rng = Random(3)
    total = Decimal("1000000.01")
    for cumulative in (True, False):
        sched = v.payment_schedule(rng, total, cumulative)
        assert sched.cumulative is cumulative
        assert sum((i.amount.value for i in sched.installments), Decimal(0)) == total


@pytest.mark.parametrize("seed", range(100))
def test_layout_noise_keeps_values(seed: int) -> None:
    rng = Random(seed)
    checks: list[tuple[str, Callable[[str], Any]]] = []
    amount = v.amount_lower(rng, v.amount_value(rng))
    checks.append((amount.text, lambda t, a=amount: Decimal(normalize_amount(t)["value"]) == a.value))
    date = v.date_value(rng)
    checks.append((date.text, lambda t, d=date: normalize_date(t)["iso"] == d.iso))
    per = v.period(rng)
    checks.append((per.text, lambda t, p=per: normalize_period(t)["value"] == p.value))
    r = v.rate(rng)
    checks.append((r.text, lambda t, r=r: Decimal(normalize_rate(t)["fraction"]) == r.fraction))
    code = v.buyer(rng).uscc
    checks.append((code, lambda t, c=code: normalize_uscc(t)["canonical"] == c))
    for text, check in checks:
        spaced = v.insert_stray_spaces(text, rng, 3)
        mixed = v.mix_fullwidth_digits(text, rng)
        assert (
            spaced.replace(" ", "") == text.replace(" ", "")
            and spaced[0] == text[0]
            and spaced[-1] == text[-1]
        )
        assert len(mixed) == len(text)
        assert check(spaced), spaced
        assert check(mixed), mixed
        assert check(v.mix_fullwidth_digits(spaced, rng, 1.0))


def test_variety() -> None:
    rng = Random(2025)
    buyers = [v.buyer(rng) for _ in range(500)]
    suppliers = [v.supplier(rng) for _ in range(500)]
    assert len({b.text for b in buyers}) >= 450
    assert len({b.region.province for b in buyers}) >= 25
    assert {b.org_kind for b in buyers} == {"机关", "事业单位"}
    assert {b.level for b in buyers} == {"province", "city", "district", "street"}
    assert len({s.text for s in suppliers}) >= 480
    assert len({s.industry for s in suppliers}) >= 30
    assert {"有限公司", "股份有限公司", "有限责任公司", "事务所", "合作社", "分公司"} <= {
        s.form for s in suppliers
    }
    assert {"企业", "农民专业合作社"} == {s.org_kind for s in suppliers}
    assert any("（" in s.text and s.text.endswith("公司") and "合伙" not in s.text for s in suppliers)
    assert any(len(p.surname) == 2 for p in (v.person_name(rng) for _ in range(500)))
    amounts = [v.amount_pair(rng) for _ in range(500)]
    assert {a.style for pair in amounts for a in pair} == set(v.AMOUNT_STYLES)
    assert {v.date_value(rng).style for _ in range(500)} == set(v.DATE_STYLES)
    assert {v.period(rng).unit for _ in range(500)} == {"day", "workday", "week", "month", "year", "hour"}
    assert {v.rate(rng).style for _ in range(500)} == set(v.RATE_STYLES)
    assert len({v.contract_number(rng).shape for _ in range(200)}) == 5
    assert len({v.project_number(rng).shape for _ in range(200)}) == 5
    assert {len(v.payment_schedule(rng).installments) for _ in range(200)} == {2, 3, 4, 5}
    phones = [v.phone(rng) for _ in range(300)]
    assert any(p.extension for p in phones) and {p.kind for p in phones} == {"mobile", "landline"}


def test_spec_examples_shapes() -> None:
    """The spec's own example surfaces are among the shapes produced."""
    rng = Random(0)
    assert v.amount_upper(rng, Decimal("1200000"), "upper_rmb").text == "人民币壹佰贰拾万元整"
    assert v.amount_upper(rng, Decimal("1200000"), "upper_yuan_round").text == "壹佰贰拾万圆整"
    assert v.amount_lower(rng, Decimal("1200000"), "rmb_wan").text == "人民币120万元"
    date = v.date_value(rng, style="cn_numeral", day=__import__("datetime").date(2025, 3, 18))
    assert date.text in ("二〇二五年三月十八日", "二零二五年三月十八日")
    assert v.rate_text(rng, Decimal("0.0005"), "cn_permyriad").text == "万分之五"
    assert v.rate_text(rng, Decimal("0.0005"), "permille").text == "0.5‰"
    assert v.rate_text(rng, Decimal("0.3"), "cn_percent").text == "百分之三十"


@pytest.mark.parametrize("seed", range(40))
def test_addresses_lie_in_the_region_they_are_drawn_for(seed: int) -> None:
    rng = Random(seed)
    for level in ("province", "city", "district"):
        reg = v.region(rng, level)
        address = v.postal_address(rng, reg)
        assert address.region.province == reg.province
        assert reg.city is None or address.region.city == reg.city
        assert address.region.district is not None and address.region.district in address.text
