"""ONNX Runtime inference over a model directory: text in, ENT/CL spans and unit types out.

No torch here: serving loads ``model.onnx`` with onnxruntime and ``tokenizer.json`` with tokenizers. A
document is tokenised once, sliced into overlapping windows of at most ``max_length`` tokens, run in
batches, and the windows' probabilities are averaged per token before BIO decoding
(:mod:`hetong.decode`), so a span cut by one window is whole in the next.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from hetong.decode import Thresholds, WindowMerger, decode_bio, decode_clauses, sigmoid, softmax, unit_types
from hetong.schema import Span, Unit
from hetong.segment import segment

MODEL_FILE = "model.onnx"
PYTORCH_DIR = "pytorch"
"""A model directory's fp32 PyTorch checkpoint (for the benchmark and retraining; serving never reads it)."""


DISABLED_FUSIONS = ("SkipLayerNormFusion",)
"""Session-level fusions left off: onnxruntime's SkipLayerNormalization CPU kernel is slower than the
Add + LayerNormalization it replaces (see :func:`training.export.optimize`)."""


DEFERRED_BATCHES = 16
"""Batches whose logits :meth:`Runtime.probabilities` holds before turning them into probabilities:
64 windows, ~8 MB of logits, where a 300,000-character text would otherwise hold ~1,300 windows'."""


class ModelLoadError(RuntimeError):
    """The model directory is missing a file or holds something onnxruntime cannot load."""


@dataclass(frozen=True)
class Prediction:
    ent: list[Span]
    cl: list[Span]
    units: list[Unit]
    windows: int
    tokens: int
    uncertainty: float = 0.0
    """Mean over tokens of 1 - the top tag probability, ENT and CL averaged (active learning ranks by it)."""


@dataclass(frozen=True)
class TokenProbabilities:
    """A document's per-token probabilities, windows merged: what :meth:`Runtime.decode` turns into spans.

    Rows align with ``offsets`` (the document's tokens, no special tokens)."""

    ent: np.ndarray
    cl: np.ndarray
    types: np.ndarray
    offsets: np.ndarray
    """The tokens' ``[start, end)`` character offsets, tokens × 2."""
    windows: int


Forward = Callable[[np.ndarray, np.ndarray], Sequence[np.ndarray]]
"""A network: ``(input_ids, attention_mask)`` (batch × length, int64) → ENT, CL and type logits."""


class OnnxForward:
    """One onnxruntime session over an ONNX file; ``threads`` intra-op threads (0: all cores)."""

    def __init__(self, path: Path, threads: int = 0) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Worker threads spin for a while after a run to catch the next one quickly; once a review's
        # last batch is done, that spinning only competes with the decoding and risk engine for cores.
        options.add_session_config_entry("session.force_spinning_stop", "1")
        try:
            self.session = ort.InferenceSession(
                str(path),
                options,
                providers=["CPUExecutionProvider"],
                disabled_optimizers=list(DISABLED_FUSIONS),
            )
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelLoadError(f"cannot load {path}: {exc}") from exc

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> Sequence[np.ndarray]:
        return self.session.run(None, {"input_ids": input_ids, "attention_mask": attention_mask})


class Runtime:
    """Tokeniser, windows, network and decoding over a model directory; thread-safe ``predict``.

    The network is the directory's ONNX model unless ``forward`` is given: the benchmark passes the same
    model in PyTorch, so both are measured through identical windowing and decoding. Windows run four
    to a batch: a 10,000-character review, 2 threads, took 395-409 ms with 4 and 439-445 ms with 8
    (model 0.3.0; smaller batches keep the activations in cache).
    """

    def __init__(
        self,
        model_dir: Path,
        threads: int | None = None,
        batch_size: int = 4,
        forward: Forward | None = None,
    ) -> None:
        self.model_dir = Path(model_dir)
        required = ((MODEL_FILE,) if forward is None else ()) + ("tokenizer.json", "labels.json")
        for name in required:
            if not (self.model_dir / name).is_file():
                raise ModelLoadError(f"{self.model_dir / name} is missing")
        spec = json.loads((self.model_dir / "labels.json").read_text(encoding="utf-8"))
        self.ent_tags: list[str] = spec["ent"]
        self.cl_tags: list[str] = spec["cl"]
        self.type_names: list[str] = spec["types"]
        self.max_length: int = spec.get("max_length", 256)
        self.overlap: int = spec.get("overlap", 32)
        # What a span needs to be kept (hetong.decode.Thresholds), as the model's calibration chose.
        self.thresholds = Thresholds(**spec.get("thresholds", {}))
        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.bos = self.tokenizer.token_to_id("<s>")
        self.eos = self.tokenizer.token_to_id("</s>")
        self.pad = self.tokenizer.token_to_id("<pad>")
        threads = threads or int(os.environ.get("HETONG_THREADS", "0")) or 0
        self.forward: Forward = forward or OnnxForward(self.model_dir / MODEL_FILE, threads)
        self.card = _read_json(self.model_dir / "model-card.json")

    def windows(self, n_tokens: int) -> list[tuple[int, int]]:
        """``[first, end)`` token ranges of the windows (without the two special tokens)."""
        body = self.max_length - 2
        step = max(1, body - self.overlap)
        out = []
        for start in range(0, max(1, n_tokens - self.overlap), step):
            end = min(n_tokens, start + body)
            out.append((start, end))
            if end == n_tokens:
                break
        return out

    def predict(self, text: str) -> Prediction:
        return self.decode(text, self.probabilities(text))

    def probabilities(self, text: str) -> TokenProbabilities:
        """The network over ``text``'s windows, batched, merged per token."""
        encoding = self.tokenizer.encode(text, add_special_tokens=False)
        ids, offsets = encoding.ids, np.array(encoding.offsets, dtype=np.int64).reshape(-1, 2)
        n = len(ids)
        merged = {
            "ent": WindowMerger(n, len(self.ent_tags)),
            "cl": WindowMerger(n, len(self.cl_tags)),
            "types": WindowMerger(n, len(self.type_names)),
        }
        spans = self.windows(n) if n else []

        def merge(outputs: list[tuple[list[tuple[int, int]], Sequence[np.ndarray]]]) -> None:
            for chunk, (ent, cl, types) in outputs:
                ent, cl, types = softmax(ent), softmax(cl), sigmoid(types)
                for row, (start, end) in enumerate(chunk):
                    length = end - start
                    merged["ent"].add(start, ent[row, 1 : length + 1])
                    merged["cl"].add(start, cl[row, 1 : length + 1])
                    merged["types"].add(start, types[row, 1 : length + 1])
            outputs.clear()

        # Batches run back to back and their probabilities are computed afterwards, up to
        # DEFERRED_BATCHES at a time (a 10,000-character contract is 11): together with the session's
        # spinning stop (OnnxForward) this was measured 3.6 % faster, and the held logits stay bounded
        # for the longest texts the API accepts.
        pending: list[tuple[list[tuple[int, int]], Sequence[np.ndarray]]] = []
        for index in range(0, len(spans), self.batch_size):
            chunk = spans[index : index + self.batch_size]
            width = max(end - start for start, end in chunk) + 2
            input_ids = np.full((len(chunk), width), self.pad, dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, (start, end) in enumerate(chunk):
                window = [self.bos, *ids[start:end], self.eos]
                input_ids[row, : len(window)] = window
                mask[row, : len(window)] = 1
            pending.append((chunk, self.forward(input_ids, mask)))
            if len(pending) == DEFERRED_BATCHES:
                merge(pending)
        merge(pending)
        return TokenProbabilities(
            merged["ent"].result(), merged["cl"].result(), merged["types"].result(), offsets, len(spans)
        )

    def decode(
        self, text: str, probs: TokenProbabilities, thresholds: Thresholds | None = None
    ) -> Prediction:
        """Spans and typed units from ``probs``; ``thresholds`` overrides the model's (calibration)."""
        if not len(probs.offsets):
            return Prediction([], [], [], 0, 0)
        keep = thresholds or self.thresholds
        offsets = probs.offsets
        ent_spans = decode_bio(probs.ent, offsets, self.ent_tags, text, keep.ent_presence)
        cl_spans = decode_clauses(probs.cl, offsets, self.cl_tags, text, keep.cl_presence, keep.cl_score)
        uncertainty = float((2 - probs.ent.max(axis=1).mean() - probs.cl.max(axis=1).mean()) / 2)
        units = [Unit(u.start, u.end) for u in segment(text)]
        typed = unit_types(probs.types, offsets, units, self.type_names)
        return Prediction(ent_spans, cl_spans, typed, probs.windows, len(offsets), round(uncertainty, 6))


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
