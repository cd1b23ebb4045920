"""Build the labelled data set: synthetic contracts plus real templates filled with values.

``build`` writes, under the output folder:

* ``train.jsonl``, ``dev.jsonl``, ``test.jsonl`` — documents in the spec A.0 JSONL format;
* ``hf/`` — the same as a Hugging Face ``DatasetDict`` (``datasets.load_from_disk``);
* ``data_card.json`` and ``data_card.md`` — counts per label per source and split, planted-risk counts,
  the configuration and seeds, and the sha256 of every file written.

Splits never share a source: a synthetic document's split comes from its seed, and it prefers clause
templates held out for that split (:mod:`training.clause_bank`); a filled template's split comes from the
template file, so one corpus template never appears in two splits. Every document passes the boundary
validator, or the build stops and says which span is wrong.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hetong.boundaries import check_document
from hetong.schema import Document
from training.config_io import config_from_mapping, sha256_file
from training.generator import GENERATOR_VERSION, generate
from training.planting import Planter

SPLITS = ("train", "dev", "test")
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@dataclass(frozen=True)
class DataConfig:
    """What to build. Every field can be set from a YAML file or the command line."""

    synthetic: int = 4000
    filled: int = 2000
    seed: int = 0
    plant_probability: float = 0.3
    max_planted_rules: int = 2
    dev_share: float = 0.1
    test_share: float = 0.1
    corpus_dir: Path = DEFAULT_CORPUS
    out_dir: Path = Path("datasets/build")

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> DataConfig:
        return config_from_mapping(cls, values)


class DataBuildError(RuntimeError):
    """The build cannot produce a clean data set (bad spans, missing corpus)."""


def split_of(key: str, config: DataConfig) -> str:
    """A stable split for a source key (seed or template path) from its hash."""
    position = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    if position < config.test_share:
        return "test"
    if position < config.test_share + config.dev_share:
        return "dev"
    return "train"


def synthetic_documents(config: DataConfig) -> Iterator[Document]:
    planter = Planter(config.plant_probability, config.max_planted_rules)
    for index in range(config.synthetic):
        seed = config.seed * 1_000_000 + index
        split = split_of(f"synthetic-{seed}", config)
        yield generate(seed, plant=planter, split=split)


def filled_documents(config: DataConfig) -> Iterator[Document]:
    if config.filled == 0:
        return
    from training.template_fill import corpus_templates, fill_template

    if not config.corpus_dir.is_dir():
        raise DataBuildError(f"corpus not found at {config.corpus_dir}; set corpus_dir")
    templates = corpus_templates(config.corpus_dir)
    if not templates:
        raise DataBuildError(f"no contract templates listed in {config.corpus_dir}/contracts_index.tsv")
    for index in range(config.filled):
        path = templates[index % len(templates)]
        relative = path.relative_to(config.corpus_dir).as_posix()
        fill_seed = config.seed * 1_000_000 + index
        doc = fill_template(path.read_text(encoding="utf-8"), fill_seed, f"FIL-{index:06d}")
        doc.meta.update(
            source="template_fill", template=relative, seed=fill_seed, split=split_of(relative, config)
        )
        yield doc


def build(config: DataConfig) -> dict[str, Any]:
    """Build the data set described by ``config``; return the data card (also written to disk)."""
    started = time.monotonic()
    config.out_dir.mkdir(parents=True, exist_ok=True)
    by_split: dict[str, list[Document]] = defaultdict(list)
    for doc in _validated(_all_documents(config)):
        by_split[doc.meta["split"]].append(doc)
    files: dict[str, str] = {}
    for split in SPLITS:
        path = config.out_dir / f"{split}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for doc in by_split[split]:
                handle.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
        files[path.name] = sha256_file(path)
    _save_hf(config.out_dir / "hf", by_split)
    card = _card(config, by_split, files, time.monotonic() - started)
    (config.out_dir / "data_card.json").write_text(json.dumps(card, ensure_ascii=False, indent=2), "utf-8")
    (config.out_dir / "data_card.md").write_text(render_card(card), "utf-8")
    return card


def _all_documents(config: DataConfig) -> Iterator[Document]:
    yield from synthetic_documents(config)
    yield from filled_documents(config)


def _validated(docs: Iterable[Document]) -> Iterator[Document]:
    for doc in docs:
        problems = check_document(doc)
        if problems:
            listed = "; ".join(str(p) for p in problems[:5])
            raise DataBuildError(
                f"{doc.doc_id} ({doc.meta.get('source')}) breaks the boundary rules: {listed}"
            )
        yield doc


def _save_hf(path: Path, by_split: dict[str, list[Document]]) -> None:
    import datasets

    datasets.disable_progress_bars()

    def rows(docs: list[Document]) -> dict[str, list[Any]]:
        records = [doc.to_json() for doc in docs]
        return {
            "doc_id": [r["doc_id"] for r in records],
            "text": [r["text"] for r in records],
            "ent": [[{k: s[k] for k in ("start", "end", "label")} for s in r["ent"]] for r in records],
            "cl": [[{k: s[k] for k in ("start", "end", "label")} for s in r["cl"]] for r in records],
            "units": [
                [{"start": u["start"], "end": u["end"], "types": u["types"]} for u in r["units"]]
                for r in records
            ],
            "meta": [json.dumps(r["meta"], ensure_ascii=False) for r in records],
        }

    span = {
        "start": datasets.Value("int32"),
        "end": datasets.Value("int32"),
        "label": datasets.Value("string"),
    }
    features = datasets.Features(
        {
            "doc_id": datasets.Value("string"),
            "text": datasets.Value("string"),
            "ent": [span],
            "cl": [span],
            "units": [
                {
                    "start": datasets.Value("int32"),
                    "end": datasets.Value("int32"),
                    "types": [datasets.Value("string")],
                }
            ],
            "meta": datasets.Value("string"),
        }
    )
    dataset = datasets.DatasetDict(
        {split: datasets.Dataset.from_dict(rows(by_split[split]), features=features) for split in SPLITS}
    )
    dataset.save_to_disk(str(path))


def _card(
    config: DataConfig, by_split: dict[str, list[Document]], files: dict[str, str], seconds: float
) -> dict:
    from training.clause_bank import load_banks

    counts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    documents: Counter[str] = Counter()
    planted: Counter[str] = Counter()
    for split, docs in by_split.items():
        for doc in docs:
            source = doc.meta.get("source", "unknown")
            key = f"{source}/{split}"
            documents[key] += 1
            counts["ent"][key].update(s.label for s in doc.ent)
            counts["cl"][key].update(s.label for s in doc.cl)
            counts["types"][key].update(t for u in doc.units for t in u.types)
            planted.update(doc.meta.get("planted", ()))
    return {
        "generator_version": GENERATOR_VERSION,
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
        "build_seconds": round(seconds, 1),
        "documents": dict(sorted(documents.items())),
        "characters": sum(len(d.text) for docs in by_split.values() for d in docs),
        "labels": {
            layer: {k: dict(sorted(c.items())) for k, c in sorted(v.items())} for layer, v in counts.items()
        },
        "planted_rules": dict(sorted(planted.items())),
        "clause_banks": {name: len(bank.templates) for name, bank in load_banks().items()},
        "files_sha256": files,
        "snapshot": hashlib.sha256("".join(files[name] for name in sorted(files)).encode()).hexdigest()[:16],
        "notes": _notes(),
    }


def _notes() -> list[str]:
    notes = [
        "synthetic: every span is gold by construction (templates in the spec's [[text|LABEL]] notation); "
        "clause-unit types come from the clause banks mapped onto hetong.segment units.",
    ]
    try:
        from training.template_fill import DATA_CARD_NOTES
    except ImportError:
        return notes
    return [*notes, "template_fill: " + " ".join(DATA_CARD_NOTES.split())]


def render_card(card: dict[str, Any]) -> str:
    """The data card as Markdown: documents, then one table per layer (labels × source/split)."""
    lines = [f"# Data card — snapshot {card['snapshot']}", ""]
    lines += ["| source/split | documents |", "|---|---|"]
    lines += [f"| {key} | {n} |" for key, n in card["documents"].items()]
    for layer, by_key in card["labels"].items():
        keys = list(by_key)
        labels = sorted({label for c in by_key.values() for label in c})
        lines += ["", f"## {layer}", "", "| label | " + " | ".join(keys) + " | total |"]
        lines.append("|---" * (len(keys) + 2) + "|")
        for label in labels:
            row = [by_key[k].get(label, 0) for k in keys]
            lines.append(f"| {label} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    lines += ["", "## Planted rules", "", "| rule | documents |", "|---|---|"]
    lines += [f"| {rule} | {n} |" for rule, n in card["planted_rules"].items()]
    lines += [
        "",
        "## Build",
        "",
        f"- generator version {card['generator_version']}, {card['build_seconds']} s",
    ]
    lines += [f"- `{k}`: {v}" for k, v in card["config"].items()]
    lines += ["", "## Files", ""] + [
        f"- `{name}` sha256 `{digest}`" for name, digest in card["files_sha256"].items()
    ]
    lines += ["", "## Notes", ""] + [f"- {note}" for note in card["notes"]]
    return "\n".join(lines) + "\n"


def find_document(data_dir: Path, doc_id: str) -> Document | None:
    """The document ``doc_id`` from the JSONL files in ``data_dir``."""
    for split in SPLITS:
        path = data_dir / f"{split}.jsonl"
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if f'"doc_id": "{doc_id}"' in line:
                    return Document.from_json(json.loads(line))
    return None


def to_html(doc: Document) -> str:
    """Both layers rendered with spaCy's displaCy (one block for ENT spans, one for CL spans)."""
    from spacy import displacy

    parts = []
    for title, spans in (("ENT", doc.ent), ("CL", doc.cl)):
        ents = [{"start": s.start, "end": s.end, "label": s.label} for s in spans]
        body = displacy.render({"text": doc.text, "ents": ents, "title": f"{doc.doc_id} — {title}"},
                               style="ent", manual=True, page=False)  # fmt: skip
        parts.append(body)
    return "<!DOCTYPE html><html><meta charset='utf-8'><body>" + "".join(parts) + "</body></html>"


def to_markup(doc: Document) -> str:
    """The document in the spec's ``[[text|LABEL]]`` notation, both layers (CL spans enclose ENT spans)."""
    opens: dict[int, list[tuple[int, str]]] = defaultdict(list)
    closes: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for layer_rank, spans in ((0, doc.cl), (1, doc.ent)):
        for span in spans:
            opens[span.start].append((layer_rank, span.label))
            closes[span.end].append((layer_rank, span.label))
    out: list[str] = []
    for i in range(len(doc.text) + 1):
        for _rank, label in sorted(closes.get(i, []), reverse=True):  # ENT closes before its CL
            out.append(f"|{label}]]")
        for _rank, _label in sorted(opens.get(i, [])):  # CL opens before the ENT inside it
            out.append("[[")
        if i < len(doc.text):
            out.append(doc.text[i])
    return "".join(out)
