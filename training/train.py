"""Fine-tune the contract tagger: ``hetong train --config FILE`` (or flags).

One run = build the character tokenizer from the training split, build the tagger on the base encoder,
train on overlapping windows with class-weighted losses, evaluate on dev every ``eval_every`` steps with
seqeval entity F1, keep the best checkpoint and stop early when dev stops improving. Everything a run
writes goes to ``out_dir`` (outside git): ``tokenizer/``, ``best/`` (the checkpoint), ``train_log.jsonl``
and ``metrics.json``.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from seqeval.metrics import classification_report
from tokenizers import Tokenizer
from torch import nn

from hetong.schema import Document, read_documents
from training.char_tokenizer import build as build_tokenizer
from training.config_io import config_from_mapping, sha256_file
from training.encoding import IGNORE, Window, encode_document
from training.model import (
    ContractTagger,
    LabelMaps,
    build_tagger,
    feed_forward_importance,
    prune_feed_forward,
    student_of,
)
from training.unlabeled import unlabeled_documents

IMPORTANCE_WINDOWS = 256
"""Training windows a narrowed student's feed-forward neurons are ranked on (a sample, fixed by the seed)."""


@dataclass(frozen=True)
class TrainConfig:
    data_dir: Path = Path("datasets/build")
    out_dir: Path = Path.home() / ".cache" / "hetong" / "runs" / "default"
    base_model: str | None = None  # a local HF encoder directory; None: the prepared multilingual-e5-small
    num_layers: int = 4
    max_length: int = 256
    overlap: int = 32
    batch_size: int = 16
    learning_rate: float = 2e-4
    weight_decay: float = 0.01
    warmup_steps: int = 100
    max_steps: int = 3000
    max_minutes: float = 90.0
    eval_every: int = 250
    patience: int = 4
    max_train_docs: int | None = None
    max_eval_docs: int = 150
    ent_max_tier: int = 1
    partial_o_weight: float = 0.1
    attention_dropout: float = 0.0  # > 0 leaves the fused attention kernel: 2.5x slower steps here
    type_loss_weight: float = 0.5
    seed: int = 13
    threads: int = 2
    precision: str = "auto"  # auto | bf16 | fp32: bf16 autocast where the CPU has AMX/AVX512-BF16 (~10x here)
    teacher: Path | None = None
    """A trained tagger checkpoint (``tagger.json`` + ``tagger.pt``, e.g. ``models/default/pytorch``) to
    distil: the student starts as its layers ``student_layers`` and learns from its outputs as well as
    from the labels; its tokenizer is the teacher's (:func:`teacher_tokenizer`). None: train from the
    base model."""
    student_layers: tuple[int, ...] = ()
    """The teacher's encoder layers the student keeps; empty: its last ``num_layers`` layers."""
    distill_weight: float = 0.5
    """Share of the teacher's soft targets in the loss; the labels keep ``1 - distill_weight``."""
    distill_temperature: float = 2.0
    student_feed_forward: int | None = None
    """Neurons the student keeps in each feed-forward block (:func:`training.model.prune_feed_forward`,
    ranked on :data:`IMPORTANCE_WINDOWS` training windows); None: the teacher's width."""
    student_init: Path | None = None
    """A trained student checkpoint (e.g. ``models/0.4.0/pytorch``) to go on distilling, instead of a
    student cut from the teacher (so it takes no ``student_layers`` or ``student_feed_forward``)."""
    unlabeled_sources: tuple[str, ...] = ()
    """Text the teacher was not trained on (keys of :data:`training.unlabeled.SOURCES`, read from
    ``corpus_dir``): the student learns the teacher's outputs on it, which carry how the teacher reads
    wording the training templates never use."""
    unlabeled_share: float = 0.25
    """Share of each batch drawn from the ``unlabeled_sources`` windows."""
    corpus_dir: Path = Path("../shared/corpus")

    def __post_init__(self) -> None:
        if self.teacher is None:
            needs_teacher = {
                "student_layers": self.student_layers,
                "student_feed_forward": self.student_feed_forward,
                "student_init": self.student_init,
                "unlabeled_sources": self.unlabeled_sources,
            }
            given = [name for name, value in needs_teacher.items() if value]
            if given:
                raise ValueError(f"{', '.join(given)} distil a teacher: set `teacher` too")
        if self.student_init is not None and (self.student_layers or self.student_feed_forward):
            raise ValueError(
                "student_init is a trained student: it takes no student_layers/student_feed_forward"
            )
        if not 0.0 <= self.unlabeled_share < 1.0:
            raise ValueError(f"unlabeled_share must be in [0, 1), got {self.unlabeled_share}")

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> TrainConfig:
        return config_from_mapping(cls, values)


def use_bf16(precision: str) -> bool:
    """bf16 autocast when asked, or (auto) when the CPU multiplies bf16 natively."""
    if precision in ("bf16", "fp32"):
        return precision == "bf16"
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def load_split(data_dir: Path, split: str, limit: int | None = None) -> list[Document]:
    path = data_dir / f"{split}.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: build the data first (`hetong data build`)")
    return read_documents(path, limit)


def train(config: TrainConfig) -> dict[str, Any]:
    from training.base_model import resolve_base_model

    started = time.monotonic()
    torch.manual_seed(config.seed)
    random.seed(config.seed)
    torch.set_num_threads(config.threads)
    out = config.out_dir
    out.mkdir(parents=True, exist_ok=True)
    base = resolve_base_model(config.base_model)

    train_docs = load_split(config.data_dir, "train", config.max_train_docs)
    dev_docs = _sample(load_split(config.data_dir, "dev"), config.max_eval_docs, config.seed)
    teacher: ContractTagger | None = None
    if config.teacher is not None:
        teacher = ContractTagger.load(config.teacher).eval()
        source = teacher_tokenizer(config.teacher)
        (out / "tokenizer").mkdir(exist_ok=True)
        shutil.copy(source, out / "tokenizer" / "tokenizer.json")
        tokenizer = Tokenizer.from_file(str(source))
        labels = teacher.labels
        depth = teacher.encoder.config.num_hidden_layers
        if config.student_init is not None:
            model = ContractTagger.load(config.student_init)
            if model.labels != labels:
                raise ValueError(f"{config.student_init} and the teacher have different label maps")
            layers = ()
        else:
            layers = tuple(config.student_layers) or tuple(range(depth - config.num_layers, depth))
            model = student_of(teacher, layers)
        new_rows = 0
    else:
        built = build_tokenizer(base / "tokenizer.json", (d.text for d in train_docs))
        built.save(out / "tokenizer")
        tokenizer, new_rows = built.tokenizer, built.new_pieces
        labels = LabelMaps.from_schema(config.ent_max_tier)
        model = build_tagger(
            base, built.init_sources, config.num_layers, labels, attention_dropout=config.attention_dropout
        )

    windows = [w for doc in train_docs for w in _encode(doc, tokenizer, labels, config)]
    unlabeled = [
        w
        for doc in unlabeled_documents(config.corpus_dir, config.unlabeled_sources)
        for w in _encode(doc, tokenizer, labels, config)
    ]
    n_unlabeled = round(config.batch_size * config.unlabeled_share) if unlabeled else 0
    if teacher is not None and config.student_feed_forward and config.student_init is None:
        sample = random.Random(config.seed).sample(windows, min(IMPORTANCE_WINDOWS, len(windows)))
        batches = (
            collate(sample[i : i + config.batch_size], len(labels.types))
            for i in range(0, len(sample), config.batch_size)
        )
        importance = feed_forward_importance(model, ((b["input_ids"], b["attention_mask"]) for b in batches))
        model = prune_feed_forward(model, config.student_feed_forward, importance)
    ent_weights = _class_weights((t for w in windows for t in w.ent if t != IGNORE), len(labels.ent))
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
    )
    for group in optimizer.param_groups:
        group["lr"] = config.learning_rate * lr_factor(0, 0.0, config)
    ent_loss = nn.CrossEntropyLoss(weight=ent_weights, ignore_index=IGNORE, reduction="none")
    cl_loss = nn.CrossEntropyLoss(ignore_index=IGNORE, reduction="sum")
    type_loss = nn.BCEWithLogitsLoss(reduction="none")

    bf16 = use_bf16(config.precision)
    log = (out / "train_log.jsonl").open("w", encoding="utf-8")
    best_f1, best_step, stale, step = -1.0, 0, 0, 0
    rng = random.Random(config.seed)
    order: list[int] = []
    unlabeled_order: list[int] = []
    evaluated_at = 0

    def checkpoint() -> bool:
        """Evaluate on dev, keep the best weights; True when ``patience`` evaluations brought nothing."""
        nonlocal best_f1, best_step, stale
        metrics = evaluate_tagger(model, tokenizer, dev_docs, config)
        model.train()
        _log(log, step=step, dev_ent_f1=metrics["ent_micro_f1"], dev_cl_f1=metrics["cl_micro_f1"])
        if metrics["ent_micro_f1"] > best_f1:
            best_f1, best_step, stale = metrics["ent_micro_f1"], step, 0
            model.save(out / "best")
            return False
        stale += 1
        return stale >= config.patience

    model.train()
    while step < config.max_steps and (time.monotonic() - started) / 60 < config.max_minutes:
        if not order:
            order = list(range(len(windows)))
            rng.shuffle(order)
        n_labeled = config.batch_size - n_unlabeled
        batch = [windows[i] for i in order[:n_labeled]]
        order = order[n_labeled:]
        if n_unlabeled:
            if len(unlabeled_order) < n_unlabeled:
                unlabeled_order = list(range(len(unlabeled)))
                rng.shuffle(unlabeled_order)
            batch += [unlabeled[i] for i in unlabeled_order[:n_unlabeled]]
            unlabeled_order = unlabeled_order[n_unlabeled:]
        tensors = collate(batch, len(labels.types))
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            outputs = model(tensors["input_ids"], tensors["attention_mask"])
        ent_logits, cl_logits, type_logits = (o.float() for o in outputs)
        per_token = ent_loss(ent_logits.transpose(1, 2), tensors["ent"]) * tensors["ent_weight"]
        loss_ent = per_token.sum() / tensors["ent_weight"].sum().clamp(min=1.0)
        # A sum over the labelled tokens, not the mean: a batch without CL labels would make the mean NaN.
        loss_cl = cl_loss(cl_logits.transpose(1, 2), tensors["cl"]) / (tensors["cl"] != IGNORE).sum().clamp(
            min=1
        )
        type_mask = tensors["type_mask"]
        loss_types = (
            type_loss(type_logits, tensors["types"]).mean(-1) * type_mask
        ).sum() / type_mask.sum().clamp(min=1.0)
        loss = loss_ent + loss_cl + config.type_loss_weight * loss_types
        if teacher is not None:
            with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                targets = teacher(tensors["input_ids"], tensors["attention_mask"])
            mask, temperature = tensors["attention_mask"], config.distill_temperature
            soft = distillation_loss(outputs, targets, mask, temperature, config.type_loss_weight)
            loss = (1 - config.distill_weight) * loss + config.distill_weight * soft
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        elapsed = (time.monotonic() - started) / 60
        for group in optimizer.param_groups:
            group["lr"] = config.learning_rate * lr_factor(step + 1, elapsed, config)
        step += 1
        if step % 25 == 0:
            losses = {"loss": loss, "ent": loss_ent, "cl": loss_cl, "types": loss_types}
            minutes = round((time.monotonic() - started) / 60, 2)
            _log(log, step=step, minutes=minutes, **{k: round(v.item(), 4) for k, v in losses.items()})
        if step % config.eval_every == 0 or step == config.max_steps:
            evaluated_at = step
            if checkpoint():
                break
    if step != evaluated_at:
        # The time budget ended between evaluations: the last steps, at the lowest learning rate, count too.
        checkpoint()
    log.close()
    summary = {
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()},
        "base_model": str(base),
        "vocab_size": tokenizer.get_vocab_size(),
        "new_character_rows": new_rows,
        "train_documents": len(train_docs),
        "train_windows": len(windows),
        "unlabeled_windows": len(unlabeled),
        "steps": step,
        "best_step": best_step,
        "best_dev_ent_micro_f1": best_f1,
        "minutes": round((time.monotonic() - started) / 60, 2),
        "bf16": bf16,
    }
    if config.teacher is not None:
        card = config.teacher.parent / "model-card.json"
        version = json.loads(card.read_text(encoding="utf-8")).get("version") if card.is_file() else None
        summary["teacher"] = {
            "checkpoint": str(config.teacher),
            "version": version,
            "sha256": sha256_file(config.teacher / "tagger.pt"),
            "student_layers": list(layers),
            "student_feed_forward": model.encoder.config.intermediate_size,
        }
    (out / "metrics.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary


def teacher_tokenizer(checkpoint: Path) -> Path:
    """The ``tokenizer.json`` that belongs to a checkpoint directory: a model directory's (the checkpoint
    is its ``pytorch/``) or a training run's (the checkpoint is its ``best/``)."""
    here = checkpoint.parent
    for candidate in (here / "tokenizer.json", here / "tokenizer" / "tokenizer.json"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no tokenizer.json next to {checkpoint} (a model directory's or a run's)")


def distillation_loss(
    student: Sequence[torch.Tensor],
    teacher: Sequence[torch.Tensor],
    attention_mask: torch.Tensor,
    temperature: float,
    type_weight: float,
) -> torch.Tensor:
    """Soft-target loss over the real tokens of a batch: KL divergence from the teacher's ENT and CL tag
    distributions at ``temperature`` (scaled by its square, Hinton et al. 2015, so the gradient keeps its
    size) plus binary cross-entropy against the teacher's clause-type probabilities."""
    mask = attention_mask.float()
    tokens = mask.sum().clamp(min=1.0)
    loss = torch.zeros(())
    for s_logits, t_logits in zip(student[:2], teacher[:2], strict=True):
        kl = nn.functional.kl_div(
            nn.functional.log_softmax(s_logits.float() / temperature, dim=-1),
            nn.functional.log_softmax(t_logits.float() / temperature, dim=-1),
            log_target=True,
            reduction="none",
        ).sum(-1)
        loss = loss + temperature**2 * (kl * mask).sum() / tokens
    types = nn.functional.binary_cross_entropy_with_logits(
        student[2].float(), torch.sigmoid(teacher[2].float()), reduction="none"
    ).mean(-1)
    return loss + type_weight * (types * mask).sum() / tokens


def _encode(doc: Document, tokenizer: Any, labels: LabelMaps, config: TrainConfig) -> Iterable[Window]:
    return encode_document(doc, tokenizer, labels, config.max_length, config.overlap, config.partial_o_weight)


def collate(batch: Sequence[Window], n_types: int, pad_id: int = 1) -> dict[str, torch.Tensor]:
    width = max(len(w.input_ids) for w in batch)

    def pad(rows: list[list[Any]], value: Any) -> list[list[Any]]:
        return [row + [value] * (width - len(row)) for row in rows]

    types = torch.zeros(len(batch), width, n_types)
    for row, window in enumerate(batch):
        for token, indices in enumerate(window.types):
            if indices:
                types[row, token, list(indices)] = 1.0
    return {
        "input_ids": torch.tensor(pad([w.input_ids for w in batch], pad_id)),
        "attention_mask": torch.tensor(pad([[1] * len(w.input_ids) for w in batch], 0)),
        "ent": torch.tensor(pad([w.ent for w in batch], IGNORE)),
        "cl": torch.tensor(pad([w.cl for w in batch], IGNORE)),
        "ent_weight": torch.tensor(pad([w.ent_weight for w in batch], 0.0)),
        "types": types,
        "type_mask": torch.tensor(
            pad([[1.0 if w.has_types else 0.0] * len(w.input_ids) for w in batch], 0.0)
        ),
    }


def _class_weights(tags: Iterable[int], n: int) -> torch.Tensor:
    """Inverse square-root frequency, scaled so the ``O`` tag weighs 1 and capped at 10 (rare labels)."""
    counts = Counter(tags)
    o_count = max(counts.get(0, 1), 1)
    weights = [min(10.0, math.sqrt(o_count / counts[i])) if counts.get(i) else 1.0 for i in range(n)]
    return torch.tensor(weights, dtype=torch.float32)


def lr_factor(step: int, minutes: float, config: TrainConfig) -> float:
    """Linear warm-up, then linear decay to 5% over whichever budget runs out first, steps or minutes,
    so a run cut by ``max_minutes`` still ends with a small learning rate."""
    if step < config.warmup_steps:
        return (step + 1) / config.warmup_steps
    progress = max(step / config.max_steps, minutes / config.max_minutes)
    return max(0.05, 1.0 - progress)


def _sample(docs: list[Document], k: int, seed: int) -> list[Document]:
    if len(docs) <= k:
        return docs
    return random.Random(seed).sample(docs, k)


def _log(handle: Any, **fields_: Any) -> None:
    handle.write(json.dumps(fields_) + "\n")
    handle.flush()
    print(json.dumps(fields_), flush=True)


@torch.no_grad()
def predict_tags(
    model: ContractTagger, tokenizer: Any, doc: Document, config: TrainConfig
) -> dict[str, np.ndarray]:
    """Document-level token probabilities (windows merged) for the three heads."""
    from hetong.decode import WindowMerger, sigmoid, softmax

    model.eval()
    labels = model.labels
    windows = list(_encode(doc, tokenizer, labels, config))
    n_tokens = len(tokenizer.encode(doc.text, add_special_tokens=False).ids)
    merged = {
        "ent": WindowMerger(n_tokens, len(labels.ent)),
        "cl": WindowMerger(n_tokens, len(labels.cl)),
        "types": WindowMerger(n_tokens, len(labels.types)),
    }
    step = max(1, config.max_length - 2 - config.overlap)
    for index in range(0, len(windows), 8):
        chunk = windows[index : index + 8]
        tensors = collate(chunk, len(labels.types))
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_bf16(config.precision)):
            outputs = model(tensors["input_ids"], tensors["attention_mask"])
        ent, cl, types = (t.float().numpy() for t in outputs)
        for row, window in enumerate(chunk):
            first = (index + row) * step
            n = len(window.input_ids) - 2
            merged["ent"].add(first, softmax(ent[row, 1 : n + 1]))
            merged["cl"].add(first, softmax(cl[row, 1 : n + 1]))
            merged["types"].add(first, sigmoid(types[row, 1 : n + 1]))
    return {key: value.result() for key, value in merged.items()}


def evaluate_tagger(
    model: ContractTagger, tokenizer: Any, docs: Sequence[Document], config: TrainConfig
) -> dict[str, Any]:
    """seqeval entity F1 (strict, per label and micro) of ENT and CL on ``docs``."""
    labels = model.labels
    gold_ent, pred_ent, gold_cl, pred_cl = [], [], [], []
    for doc in docs:
        probs = predict_tags(model, tokenizer, doc, config)
        tokens = [w for w in _encode(doc, tokenizer, labels, TrainConfig(max_length=10**9, overlap=0))]
        (whole,) = tokens
        gold_ent.append([labels.ent[t] for t in whole.ent[1:-1]])
        pred_ent.append([labels.ent[i] for i in probs["ent"].argmax(1)])
        if doc.meta.get("cl_labeled", True):
            gold_cl.append([labels.cl[t] for t in whole.cl[1:-1]])
            pred_cl.append([labels.cl[i] for i in probs["cl"].argmax(1)])
    ent_report = classification_report(gold_ent, pred_ent, output_dict=True, zero_division=0)
    cl_report = classification_report(gold_cl, pred_cl, output_dict=True, zero_division=0) if gold_cl else {}
    return {
        "ent_micro_f1": round(ent_report["micro avg"]["f1-score"], 4),
        "cl_micro_f1": round(cl_report.get("micro avg", {}).get("f1-score", 0.0), 4),
        "ent": _per_label(ent_report),
        "cl": _per_label(cl_report),
    }


def _per_label(report: dict[str, Any]) -> dict[str, dict[str, float]]:
    return {
        label: {k: round(v, 4) for k, v in values.items()}
        for label, values in report.items()
        if isinstance(values, dict) and "avg" not in label
    }
