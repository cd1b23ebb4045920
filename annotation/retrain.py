"""Retrain on base data + annotations, export a new version, gate it against the current model, promote.

One run (``hetong annotate retrain``, or a job the ML backend's webhook starts):

1. data: the base data set's train/dev/test plus every annotated document in the given snapshots added
   to train; the test split stays the base one, frozen, so old and new models are compared on the same
   documents;
2. train with the given config (``training/configs/default.yaml`` unless told otherwise);
3. export to ``models/<version>/`` (a new directory; nothing is overwritten);
4. gate: ENT strict micro-F1 and CL overlap F1 of the candidate and the current model on the frozen test
   split's fully labelled documents; the candidate is promoted only if the mean of the two beats the
   current model's by more than ``min_gain`` (points); the decision is written to
   ``models/<version>/gate.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evaluation.evaluate import CL, TIER1
from hetong.metrics import span_scores
from hetong.schema import Document
from serving.registry import current_model_dir, promote


@dataclass(frozen=True)
class RetrainConfig:
    base_data: Path = Path("datasets/build")
    annotated: tuple[Path, ...] = ()
    models_root: Path = Path("models")
    runs_root: Path = Path.home() / ".cache" / "hetong" / "runs"
    train_config: Path = Path("training/configs/default.yaml")
    overrides: dict[str, Any] = field(default_factory=dict)
    gate_docs: int = 60
    min_gain: float = 0.0
    max_f1_drop: float = 0.5
    """The export's int8 parity gate (points of ENT micro-F1)."""
    version: str | None = None


def score_model(model_dir: Path, docs: Sequence[Document], threads: int = 2) -> dict[str, float]:
    """ENT strict micro-F1 and CL overlap micro-F1 of a model directory on fully labelled documents."""
    from serving.runtime import Runtime

    runtime = Runtime(model_dir, threads=threads)
    pairs = [(doc, runtime.predict(doc.text)) for doc in docs]
    ent = span_scores([(d.ent, p.ent) for d, p in pairs], TIER1)["micro"]["f1"]
    cl = span_scores([(d.cl, p.cl) for d, p in pairs], CL, "overlap")["micro"]["f1"]
    return {"ent_f1": ent, "cl_f1": cl, "mean": round((ent + cl) / 2, 4), "documents": len(docs)}


def retrain(config: RetrainConfig, log: Callable[[str], None] = print) -> dict[str, Any]:
    from training.export import ExportConfig, export
    from training.train import TrainConfig, load_split, train

    version = config.version or dt.datetime.now(dt.UTC).strftime("v%Y%m%d-%H%M%S")
    target = config.models_root / version
    if target.exists():
        raise FileExistsError(f"{target} exists: a version directory is never overwritten")
    annotated = [doc for path in config.annotated for doc in load_split(path.parent, path.stem)]
    log(f"retrain {version}: {len(annotated)} annotated documents from {len(config.annotated)} snapshot(s)")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        for split in ("train", "dev", "test"):
            shutil.copy(config.base_data / f"{split}.jsonl", data / f"{split}.jsonl")
        with (data / "train.jsonl").open("a", encoding="utf-8") as handle:
            for doc in annotated:
                handle.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
        values = yaml.safe_load(config.train_config.read_text(encoding="utf-8")) or {}
        values.update(config.overrides)
        values.update(data_dir=str(data), out_dir=str(config.runs_root / version))
        train_config = TrainConfig.from_mapping(values)
        log(f"training ({train_config.num_layers} layers, at most {train_config.max_steps} steps)")
        summary = train(train_config)
        log("exporting")
        run = config.runs_root / version
        export(
            ExportConfig(
                run, target, data, version, test_docs=config.gate_docs, max_f1_drop=config.max_f1_drop
            )
        )
        frozen = [d for d in load_split(data, "test") if d.meta.get("cl_labeled", True)][: config.gate_docs]
    current = current_model_dir(config.models_root)
    log(f"gate: {version} vs {current.name} on {len(frozen)} frozen test documents")
    candidate_scores, current_scores = score_model(target, frozen), score_model(current, frozen)
    gain = round(100 * (candidate_scores["mean"] - current_scores["mean"]), 2)
    promoted = gain > config.min_gain
    decision = {
        "version": version,
        "current_before": current.name,
        "candidate": candidate_scores,
        "current": current_scores,
        "gain_points": gain,
        "min_gain_points": config.min_gain,
        "decision": "promoted" if promoted else "rejected",
        "annotated_documents": len(annotated),
        "annotated_snapshots": [path.stem for path in config.annotated],
        "training_steps": summary.get("steps"),
        "decided_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    (target / "gate.json").write_text(json.dumps(decision, ensure_ascii=False, indent=1), encoding="utf-8")
    if promoted:
        promote(config.models_root, version, f"gate: +{gain} points over {current.name}")
    log(f"gate: {decision['decision']} ({gain:+.2f} points)")
    return decision
