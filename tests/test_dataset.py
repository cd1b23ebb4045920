"""`hetong data build` / `show`: files, splits that never share a source, the data card, the HF copy."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from hetong.cli import main
from hetong.schema import Document
from training.dataset import SPLITS, DataConfig, build, find_document, to_markup
from training.markup import render


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> tuple[DataConfig, dict]:
    config = DataConfig(
        synthetic=80, filled=60, corpus_dir=corpus_dir, out_dir=tmp_path_factory.mktemp("data")
    )
    return config, build(config)


def _docs(config: DataConfig, split: str) -> list[Document]:
    lines = (config.out_dir / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    return [Document.from_json(json.loads(line)) for line in lines]


def test_every_document_is_written_once_with_its_split(built) -> None:
    config, card = built
    docs = {split: _docs(config, split) for split in SPLITS}
    assert sum(len(d) for d in docs.values()) == 140 == sum(card["documents"].values())
    for split, items in docs.items():
        assert all(doc.meta["split"] == split for doc in items)
    ids = [doc.doc_id for items in docs.values() for doc in items]
    assert len(ids) == len(set(ids))


def test_no_corpus_template_is_in_two_splits(built) -> None:
    config, _card = built
    split_of_template: dict[str, set[str]] = {}
    for split in SPLITS:
        for doc in _docs(config, split):
            if doc.meta["source"] == "template_fill":
                split_of_template.setdefault(doc.meta["template"], set()).add(split)
    assert split_of_template and all(len(s) == 1 for s in split_of_template.values())


def test_card_counts_and_checksums_match_the_files(built) -> None:
    config, card = built
    for name, digest in card["files_sha256"].items():
        assert hashlib.sha256((config.out_dir / name).read_bytes()).hexdigest() == digest
    recount: Counter[str] = Counter()
    for split in SPLITS:
        for doc in _docs(config, split):
            recount.update(span.label for span in doc.ent)
    carded: Counter[str] = Counter()
    for per_label in card["labels"]["ent"].values():
        carded.update(per_label)
    assert carded == recount
    assert "## ent" in (config.out_dir / "data_card.md").read_text(encoding="utf-8")


def test_hugging_face_copy_has_the_same_documents(built) -> None:
    import datasets

    config, _card = built
    loaded = datasets.load_from_disk(str(config.out_dir / "hf"))
    for split in SPLITS:
        jsonl = _docs(config, split)
        assert loaded[split].num_rows == len(jsonl)
        if jsonl:
            row = loaded[split][0]
            assert (row["doc_id"], row["text"]) == (jsonl[0].doc_id, jsonl[0].text)
            assert [(s["start"], s["end"], s["label"]) for s in row["ent"]] == [
                (s.start, s.end, s.label) for s in jsonl[0].ent
            ]


def test_markup_rendering_round_trips_through_the_template_parser(built) -> None:
    config, _card = built
    doc = next(d for d in _docs(config, "train") if d.meta["source"] == "synthetic")
    again = render(to_markup(doc), {})
    assert again.text == doc.text
    assert sorted(again.ent, key=lambda s: (s.start, s.end)) == sorted(
        doc.ent, key=lambda s: (s.start, s.end)
    )
    assert sorted(again.cl, key=lambda s: (s.start, s.end)) == sorted(doc.cl, key=lambda s: (s.start, s.end))


def test_cli_build_and_show(tmp_path: Path, corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "data"
    argv = [
        "data",
        "build",
        "--synthetic",
        "12",
        "--filled",
        "4",
        "--corpus",
        str(corpus_dir),
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    assert "wrote 16 documents" in capsys.readouterr().out
    doc_id = _docs(DataConfig(out_dir=out), "train")[0].doc_id
    html = tmp_path / "doc.html"
    assert main(["data", "show", doc_id, "--data", str(out), "--html", str(html)]) == 0
    shown = capsys.readouterr().out
    assert f"# {doc_id}" in shown and "|" in shown and "]]" in shown
    assert "<mark" in html.read_text(encoding="utf-8")
    assert find_document(out, "NOPE") is None
    assert main(["data", "show", "NOPE", "--data", str(out)]) == 2


def test_cli_build_refuses_a_missing_corpus_and_unknown_config_keys(tmp_path: Path, capsys) -> None:
    argv = ["data", "build", "--synthetic", "1", "--filled", "1", "--corpus", str(tmp_path / "none")]
    assert main([*argv, "--out", str(tmp_path / "o")]) == 2
    assert "corpus not found" in capsys.readouterr().err
    config = tmp_path / "bad.yaml"
    config.write_text("synthetic: 1\nsynthtic_typo: 3\n", encoding="utf-8")
    assert main(["data", "build", "--config", str(config), "--out", str(tmp_path / "o")]) == 2
    assert "synthtic_typo" in capsys.readouterr().err
