"""One encoder, three token-level heads: ENT BIO, CL BIO and clause types (multi-label).

The encoder is the base model (multilingual-e5-small, an XLM-R style BERT) cut to its first ``num_layers``
layers, with the word-embedding table replaced by the pruned character-level vocabulary of
:mod:`training.char_tokenizer` (each new row is the mean of the base rows it is initialised from).
The label maps live in the saved config, so a checkpoint or an ONNX export describes itself. A distilled
student (:func:`student_of`) is instead a trained tagger with some of its layers removed, and possibly
its feed-forward blocks narrowed to their most important neurons (:func:`prune_feed_forward`).
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from hetong.schema import CLAUSE_TYPES, bio_tags


@dataclass(frozen=True)
class LabelMaps:
    ent: tuple[str, ...]
    cl: tuple[str, ...]
    types: tuple[str, ...]

    @classmethod
    def from_schema(cls, max_tier: int = 2) -> LabelMaps:
        return cls(bio_tags("ENT", max_tier), bio_tags("CL"), tuple(ct.name for ct in CLAUSE_TYPES))

    def to_json(self) -> dict[str, list[str]]:
        return {"ent": list(self.ent), "cl": list(self.cl), "types": list(self.types)}

    @classmethod
    def from_json(cls, data: dict[str, list[str]]) -> LabelMaps:
        return cls(tuple(data["ent"]), tuple(data["cl"]), tuple(data["types"]))


@dataclass(frozen=True)
class TaggerConfig:
    """What a checkpoint needs to rebuild its network (saved as ``tagger.json``)."""

    encoder: dict  # the Hugging Face encoder config (vocab_size, hidden_size, num_hidden_layers, ...)
    labels: dict
    dropout: float = 0.1


class ContractTagger(nn.Module):
    def __init__(self, encoder: nn.Module, labels: LabelMaps, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = encoder.config.hidden_size
        self.labels = labels
        self.dropout = nn.Dropout(dropout)
        self.ent_head = nn.Linear(hidden, len(labels.ent))
        self.cl_head = nn.Linear(hidden, len(labels.cl))
        self.type_head = nn.Linear(hidden, len(labels.types))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, ...]:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        hidden = self.dropout(hidden)
        return self.ent_head(hidden), self.cl_head(hidden), self.type_head(hidden)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        config = TaggerConfig(self.encoder.config.to_dict(), self.labels.to_json(), self.dropout.p)
        (directory / "tagger.json").write_text(
            json.dumps(asdict(config), ensure_ascii=False, indent=1), "utf-8"
        )
        torch.save(self.state_dict(), directory / "tagger.pt")

    @classmethod
    def load(cls, directory: Path) -> ContractTagger:
        from transformers import AutoConfig, AutoModel

        config = json.loads((directory / "tagger.json").read_text(encoding="utf-8"))
        encoder_config = AutoConfig.for_model(**config["encoder"])
        encoder = AutoModel.from_config(encoder_config, add_pooling_layer=False)
        model = cls(encoder, LabelMaps.from_json(config["labels"]), config["dropout"])
        model.load_state_dict(torch.load(directory / "tagger.pt", map_location="cpu", weights_only=True))
        return model


def build_tagger(
    base_model: Path,
    init_sources: list[list[int]],
    num_layers: int,
    labels: LabelMaps,
    dropout: float = 0.1,
    attention_dropout: float = 0.0,
) -> ContractTagger:
    """The base encoder cut to ``num_layers`` layers with the pruned vocabulary's embedding table.

    Attention runs as PyTorch's fused SDPA kernel. Dropout on the attention probabilities (the base
    config's 0.1) keeps it off that kernel: drawing a mask over batch × heads × length² costs more than
    the attention itself on a CPU (measured here, 4 layers, 16 × 256 tokens: 1.40 s per step with it,
    0.57 s without), so ``attention_dropout`` defaults to 0 and hidden-state dropout stays.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(
        str(base_model),
        add_pooling_layer=False,
        local_files_only=True,
        attn_implementation="sdpa",
        attention_probs_dropout_prob=attention_dropout,
    )
    if not 1 <= num_layers <= encoder.config.num_hidden_layers:
        raise ValueError(f"num_layers must be 1..{encoder.config.num_hidden_layers}, got {num_layers}")
    encoder.encoder.layer = encoder.encoder.layer[:num_layers]
    encoder.config.num_hidden_layers = num_layers
    base_rows = encoder.get_input_embeddings().weight.detach()
    rows = torch.stack([base_rows[torch.tensor(sources)].mean(dim=0) for sources in init_sources])
    embedding = nn.Embedding(len(init_sources), rows.shape[1], padding_idx=encoder.config.pad_token_id)
    embedding.weight.data.copy_(rows)
    encoder.set_input_embeddings(embedding)
    encoder.config.vocab_size = len(init_sources)
    return ContractTagger(encoder, labels, dropout)


def student_of(teacher: ContractTagger, layers: Sequence[int]) -> ContractTagger:
    """A copy of ``teacher`` keeping only the encoder layers ``layers`` (in order), with its embeddings
    and heads: the starting point of a distilled student (:func:`training.train.train` with a teacher).

    Measured on model 0.3.0 before any training (dev, 60 documents, seqeval ENT F1): the teacher 0.897;
    dropping layer 0 keeps 0.531, layer 1 0.356, layer 2 0.222, layer 3 0.201 — the heads need the
    last layer's features more than the first layer's."""
    depth = teacher.encoder.config.num_hidden_layers
    if not layers or sorted(set(layers)) != list(layers) or not all(0 <= i < depth for i in layers):
        raise ValueError(f"student layers must be increasing indices in 0..{depth - 1}, got {list(layers)}")
    student = copy.deepcopy(teacher)
    student.encoder.encoder.layer = nn.ModuleList(student.encoder.encoder.layer[i] for i in layers)
    student.encoder.config.num_hidden_layers = len(layers)
    return student


def feed_forward_importance(
    model: ContractTagger, batches: Iterable[tuple[torch.Tensor, torch.Tensor]]
) -> list[torch.Tensor]:
    """Per encoder layer, how much each feed-forward neuron contributes: its mean absolute activation
    over the non-padding tokens of ``batches`` times the norm of its output weights.

    Measured on model 0.3.2 (dev, 30 documents, seqeval ENT / CL F1 before any training; the full width
    of 1,536 gives 0.905 / 0.449): keeping the 1,024 or 768 neurons ranked by this score gives
    0.877 / 0.420 and 0.771 / 0.366; ranked by weight norms alone, 0.770 / 0.173 and 0.224 / 0.015."""
    layers = model.encoder.encoder.layer
    sums = [torch.zeros(layer.intermediate.dense.out_features) for layer in layers]
    outputs: dict[int, torch.Tensor] = {}

    def keep_output(index: int) -> Callable[..., None]:
        def hook(module: nn.Module, inputs: Any, output: torch.Tensor) -> None:
            outputs[index] = output.detach()

        return hook

    handles = [layer.intermediate.register_forward_hook(keep_output(i)) for i, layer in enumerate(layers)]
    tokens = 0
    try:
        with torch.no_grad():
            for input_ids, attention_mask in batches:
                model(input_ids, attention_mask)
                real = attention_mask.reshape(-1).bool()
                for index, output in outputs.items():
                    sums[index] += output.abs().reshape(-1, output.shape[-1])[real].sum(0).float()
                tokens += int(real.sum())
    finally:
        for handle in handles:
            handle.remove()
    if not tokens:
        raise ValueError("feed-forward importance needs at least one token")
    return [
        total / tokens * layer.output.dense.weight.detach().norm(dim=0)
        for total, layer in zip(sums, layers, strict=True)
    ]


def prune_feed_forward(
    model: ContractTagger, size: int, importance: Sequence[torch.Tensor]
) -> ContractTagger:
    """A copy of ``model`` whose feed-forward blocks keep their ``size`` most important neurons
    (:func:`feed_forward_importance`), in their original order: a narrower student to distil."""
    width = model.encoder.config.intermediate_size
    if not 1 <= size <= width:
        raise ValueError(f"feed-forward size must be 1..{width}, got {size}")
    from transformers.pytorch_utils import prune_linear_layer

    pruned = copy.deepcopy(model)
    for layer, scores in zip(pruned.encoder.encoder.layer, importance, strict=True):
        keep = scores.topk(size).indices.sort().values
        layer.intermediate.dense = prune_linear_layer(layer.intermediate.dense, keep, dim=0)
        layer.output.dense = prune_linear_layer(layer.output.dense, keep, dim=1)
    pruned.encoder.config.intermediate_size = size
    return pruned


class TorchForward:
    """The tagger as a :data:`serving.runtime.Forward`: NumPy batches in, NumPy logits out (fp32).

    Lets ``serving.runtime.Runtime`` run the PyTorch model through the same windows and decoding as the
    ONNX one, which is what the benchmark and the export's parity check compare.
    """

    def __init__(self, model: ContractTagger, threads: int = 0) -> None:
        if threads:
            torch.set_num_threads(threads)
        self.model = model.eval()

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> list[np.ndarray]:
        with torch.inference_mode():
            outputs = self.model(torch.from_numpy(input_ids), torch.from_numpy(attention_mask))
        return [output.numpy() for output in outputs]
