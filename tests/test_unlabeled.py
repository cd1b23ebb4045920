"""Text for distillation that the teacher never saw: which corpus documents it takes, what it leaves out
(the contract chapters template filling uses, so no test-split wording leaks in), and that such a
document gives the student no label to learn, only the teacher's outputs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from tokenizers import Tokenizer

pytest.importorskip("torch", reason="needs the training extra")  # training.encoding needs training.model

from hetong.schema import Document
from training.encoding import IGNORE, encode_document
from training.model import LabelMaps
from training.template_fill import TEMPLATE_KINDS, corpus_templates
from training.unlabeled import SOURCES, UNLABELED, tender_texts, unlabeled_documents

pytestmark = pytest.mark.training

TOKENIZER = Path(__file__).resolve().parents[1] / "models" / "default" / "tokenizer.json"


def test_tender_texts_leave_out_the_contract_chapters_template_filling_uses(corpus_dir: Path) -> None:
    root = corpus_dir / "bid_toolkit_tenders"
    manifest = json.loads((root / "contract_sections" / "manifest.json").read_text(encoding="utf-8"))
    texts = dict(tender_texts(corpus_dir))
    assert len(texts) == len(list((root / "text").rglob("*.txt")))
    for section in manifest:
        original = (root / section["from"]).read_text(encoding="utf-8")
        chapter = original[section["start_char"] : section["end_char"]]
        cut = texts[section["from"]]
        assert len(cut) == len(original) - len(chapter)
        # The chapter's middle (its wording, not a heading that may recur elsewhere) is gone.
        middle = chapter[len(chapter) // 2 : len(chapter) // 2 + 80]
        assert middle in original and middle not in cut, section["file"]


def test_other_documents_are_the_indexed_ones_template_filling_skips(corpus_dir: Path) -> None:
    docs = unlabeled_documents(corpus_dir, ["other_documents"])
    with (corpus_dir / "contracts_index.tsv").open(encoding="utf-8", newline="") as handle:
        kinds = {row["path"]: row["doc_kind"] for row in csv.DictReader(handle, delimiter="\t")}
    names = {doc.doc_id.removeprefix("other_documents:") for doc in docs}
    assert names and all(kinds[name] not in TEMPLATE_KINDS for name in names)
    templates = {path.relative_to(corpus_dir).as_posix() for path in corpus_templates(corpus_dir)}
    assert not names & templates
    assert {doc.doc_id.split(":")[0] for doc in unlabeled_documents(corpus_dir, ["laws"])} == {"laws"}


def test_an_unknown_source_is_refused(corpus_dir: Path) -> None:
    with pytest.raises(ValueError, match="unknown unlabelled source 'tender'"):
        unlabeled_documents(corpus_dir, ["tender"])
    assert set(SOURCES) == {"tenders", "other_documents", "laws"}


def test_an_unlabeled_document_gives_no_label_only_tokens_for_the_teacher() -> None:
    text = "甲方：深圳市罗湖区教育局\n乙方：某某有限公司\n合同金额：人民币壹拾万元整（¥100,000.00）。"
    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    labels = LabelMaps.from_schema(1)
    labelled = Document("a", text)  # no spans: every token is a fully weighted O
    (window,) = encode_document(Document("u", text, meta=dict(UNLABELED)), tokenizer, labels, 512, 32)
    (plain,) = encode_document(labelled, tokenizer, labels, 512, 32)
    assert window.input_ids == plain.input_ids and len(window.input_ids) > 20
    assert set(window.ent) == {IGNORE} and set(window.cl) == {IGNORE} and not window.has_types
    assert set(window.ent_weight) == {0.0}
    assert set(plain.ent[1:-1]) == {labels.ent.index("O")} and set(plain.ent_weight[1:-1]) == {1.0}
