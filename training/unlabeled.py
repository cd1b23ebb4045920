"""Text the teacher was never trained on, for distillation: a student learns the teacher's outputs on it.

A student distilled only on the training windows matches the teacher there, yet loses to it on templates it
has not seen (docs/latency.md): the teacher's answers on the training text say little about how it
generalises. These sources are read in place from the shared corpus and carry no labels; training uses
only the teacher's outputs on them (:func:`training.encoding.encode_document` ignores every label of a
document whose ``meta.ent_labeled`` is false).

- ``tenders``: the tender documents of ``bid_toolkit_tenders/text`` with their contract chapters cut out
  (``template_fill`` fills those chapters, some of them into the test split);
- ``other_documents``: the documents of ``contracts_index.tsv`` that ``template_fill`` does not use (forms,
  terms of service, securities documents);
- ``laws``: the law texts of ``lawrefbook_laws``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from pathlib import Path

from hetong.schema import Document
from training.template_fill import TEMPLATE_KINDS

UNLABELED = {"cl_labeled": False, "types_labeled": False, "ent_labeled": False}


def tender_texts(corpus_dir: Path) -> Iterable[tuple[str, str]]:
    """(name, text) of each tender document, without the contract chapter ``contract_sections`` took."""
    root = corpus_dir / "bid_toolkit_tenders"
    manifest = json.loads((root / "contract_sections" / "manifest.json").read_text(encoding="utf-8"))
    cut: dict[str, list[tuple[int, int]]] = {}
    for section in manifest:
        cut.setdefault(section["from"], []).append((section["start_char"], section["end_char"]))
    for path in sorted((root / "text").rglob("*.txt")):
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        for start, end in sorted(cut.get(name, []), reverse=True):
            text = text[:start] + text[end:]
        yield name, text


def other_index_texts(corpus_dir: Path) -> Iterable[tuple[str, str]]:
    """(path, text) of the indexed documents whose ``doc_kind`` template filling skips."""
    with (corpus_dir / "contracts_index.tsv").open(encoding="utf-8", newline="") as handle:
        rows = [
            row for row in csv.DictReader(handle, delimiter="\t") if row["doc_kind"] not in TEMPLATE_KINDS
        ]
    for row in rows:
        path = corpus_dir / row["path"]
        if path.is_file():
            yield row["path"], path.read_text(encoding="utf-8")


def law_texts(corpus_dir: Path) -> Iterable[tuple[str, str]]:
    root = corpus_dir / "lawrefbook_laws"
    for path in sorted(root.rglob("*.md")):
        yield path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")


SOURCES: dict[str, Callable[[Path], Iterable[tuple[str, str]]]] = {
    "tenders": tender_texts,
    "other_documents": other_index_texts,
    "laws": law_texts,
}


def unlabeled_documents(corpus_dir: Path, sources: Iterable[str]) -> list[Document]:
    """The documents of ``sources`` (keys of :data:`SOURCES`), blank ones dropped, marked unlabelled."""
    docs: list[Document] = []
    for source in sources:
        if source not in SOURCES:
            raise ValueError(f"unknown unlabelled source {source!r}: choose from {sorted(SOURCES)}")
        for name, text in SOURCES[source](corpus_dir):
            if text.strip():
                docs.append(Document(doc_id=f"{source}:{name}", text=text, meta=dict(UNLABELED)))
    return docs
