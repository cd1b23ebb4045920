"""Template filler (training/template_fill.py) on the real corpus templates."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from hetong.boundaries import check_document
from hetong.normalize import normalize_amount, normalize_date, normalize_phone
from training.template_fill import DATA_CARD_NOTES, corpus_templates, fill_template, find_blanks

ZULIN = "yh_oa_hyhetong/zulin/zulinght01.txt"
EPC = "xudun_eia_contract_templates/EPC_HP.txt"
POLICE = "bid_toolkit_tenders/contract_sections/sh_police_baoshan_property_mgmt_contract.txt"


def _read(corpus_dir: Path, rel: str) -> str:
    return (corpus_dir / rel).read_text(encoding="utf-8")


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def test_underline_blanks_of_lease_header(corpus_dir: Path) -> None:
    text = _read(corpus_dir, ZULIN)
    head = [b for b in find_blanks(text) if _line(text, b.start) <= 17]
    assert len(head) == 24 and all(b.kind == "underline" for b in head)
    known = [(_line(text, b.start), b.field, b.side) for b in head if b.field]
    assert known == [
        (4, "PARTY_A", "A"), (7, "ADDRESS", "A"), (9, "AUTH_REP", "A"), (9, "PHONE", "A"),
        (10, "ADDRESS", "A"), (11, "PARTY_B", "B"), (14, "ADDRESS", "B"), (16, "AUTH_REP", "B"),
        (16, "PHONE", "B"), (17, "ADDRESS", "B"),
    ]  # fmt: skip
    dates = [b for b in find_blanks(text) if b.kind == "date_blank"]
    assert [b.field for b in dates] == ["DATE_START", "DATE_END", "DATE_SIGN", "DATE_SIGN"]
    # digit-by-digit amount blanks (＿亿＿千＿百…元整) are never given a field
    rent = [b for b in find_blanks(text) if _line(text, b.start) == 27]
    assert len(rent) == 10 and all(b.field is None for b in rent)


def test_dollar_placeholders(corpus_dir: Path) -> None:
    text = _read(corpus_dir, EPC)
    fields = {(text[b.start : b.end], b.field) for b in find_blanks(text) if b.kind == "placeholder_dollar"}
    assert {
        ("${contractNo}", "CONTRACT_NO"), ("${clientName}", "PARTY_A"), ("${trusteeClient}", "PARTY_B"),
        ("${contractDate}", "DATE_SIGN"), ("${clientAddress}", "ADDRESS"),
        ("${clientCorporate}", "LEGAL_REP"),
        ("${contactName}", "CONTACT"), ("${inputUser}", "CONTACT"), ("${contactPhone}", "PHONE"),
        ("${cellphone}", "PHONE"), ("${contractMoney}", "AMT_TOTAL_LOWER"), ("${trusteeBank}", "BANK_NAME"),
        ("${trusteeAccount}", "BANK_ACCT"), ("${trusteeAccName}", "PARTY"), ("${clientFax}", None),
        ("${trusteeAddr}", None), ("${contractName}", None), ("${province}", "ARB_BODY"),
    } <= fields  # fmt: skip


def test_bracket_placeholders(corpus_dir: Path) -> None:
    text = _read(corpus_dir, POLICE)
    blanks = [b for b in find_blanks(text) if b.kind == "placeholder_bracket"]
    assert len(blanks) == 20
    got = {(text[b.start : b.end], b.field, b.side) for b in blanks}
    for item in [
        ("[合同中心-采购单位名称]", "PARTY_A", "A"), ("[合同中心-供应商名称]", "PARTY_B", "B"),
        ("[合同中心-采购单位所在地]", "ADDRESS", "A"), ("[合同中心-供应商联系人电话]", "PHONE", "B"),
        ("[合同中心-合同总价大写]", "AMT_TOTAL_UPPER", None),
        ("[合同中心-合同总价]", "AMT_TOTAL_LOWER", None),
        ("[合同中心-合同编码]", "CONTRACT_NO", None), ("[合同中心-签订时间_1]", "DATE_SIGN", None),
        ("[合同中心-采购人单位传真]", None, None),
    ]:  # fmt: skip
        assert item in got


@pytest.mark.parametrize("rel", [ZULIN, EPC, POLICE])
def test_filled_documents_are_clean(corpus_dir: Path, rel: str) -> None:
    template = _read(corpus_dir, rel)
    doc = fill_template(template, 7, rel)
    assert doc.ent and check_document(doc) == []
    assert doc.units == [] and doc.meta["types_labeled"] is False
    for span in doc.ent:
        value = span.text(doc.text)
        if span.label.startswith("AMT"):
            assert normalize_amount(value)["ok"], value
        elif span.label.startswith("DATE"):
            assert normalize_date(value)["ok"], value
        elif span.label == "PHONE":
            assert normalize_phone(value)["ok"], value
    # every line of the template without a blank is unchanged and in order
    blank_lines = {_line(template, b.start) for b in find_blanks(template)}
    kept = [line for n, line in enumerate(template.split("\n"), 1) if n not in blank_lines]
    out_lines = iter(doc.text.split("\n"))
    assert all(any(line == out for out in out_lines) for line in kept)
    assert len(doc.text.split("\n")) == len(template.split("\n"))
    # same seed, same document; names consistent across mentions
    assert fill_template(template, 7, rel).to_json() == doc.to_json()
    assert fill_template(template, 8, rel).text != doc.text
    names: dict[str, set[str]] = {}
    for span in doc.ent:
        if span.label in ("PARTY_A", "PARTY_B"):
            names.setdefault(span.label, set()).add(span.text(doc.text))
    assert all(len(v) == 1 for v in names.values()) and len(names) == 2


def test_placeholders_all_replaced(corpus_dir: Path) -> None:
    for rel in (EPC, POLICE):
        doc = fill_template(_read(corpus_dir, rel), 1, rel)
        assert "${" not in doc.text and "[合同中心-" not in doc.text


def test_every_template_fills(corpus_dir: Path) -> None:
    paths = corpus_templates(corpus_dir)
    assert len(paths) >= 500  # measured: 503 (485 contracts + 18 contract sections of tender documents)
    labels: Counter[str] = Counter()
    with_spans = 0
    for path in paths:
        doc = fill_template(path.read_text(encoding="utf-8"), 1, path.name)
        assert check_document(doc) == [], path
        with_spans += bool(doc.ent)
        labels.update(span.label for span in doc.ent)
    assert with_spans >= 0.9 * len(paths)  # measured: 476 of 503
    for label in (
        "PARTY_A",
        "PARTY_B",
        "PARTY",
        "ADDRESS",
        "PHONE",
        "DATE_SIGN",
        "AMT_TOTAL_UPPER",
        "PERIOD",
    ):
        assert labels[label] >= 20, labels


def test_data_card_notes() -> None:
    assert "Not labeled" in DATA_CARD_NOTES and "types_labeled" in DATA_CARD_NOTES
