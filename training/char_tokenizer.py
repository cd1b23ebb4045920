"""A character-level tokenizer derived from the base model's XLM-R sentencepiece vocabulary.

Every CJK character and every punctuation mark is its own token, so a span boundary always falls on a
token boundary; digit runs and Latin words keep the base model's pieces. The result is a Hugging Face
``tokenizers`` JSON (fast, Rust; offsets map every token to characters of the original text), which
serving loads without torch.

The vocabulary is pruned to what the data uses plus the 6,763 characters of GB2312 and all single ASCII
pieces (the margin), shrinking the 250,002-row embedding table. Characters that the base vocabulary lacks
as single pieces get new rows; :func:`build` returns, for every new token, the base ids whose embeddings
initialise it (the token itself, or the pieces that contain the character).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tokenizers import Regex, Tokenizer
from tokenizers import pre_tokenizers as pt

# CJK ideographs and radicals, CJK symbols and punctuation, full-width and compatibility forms.
CJK_CHARACTER = r"[\u2E80-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u3000-\u303F]"
SPECIAL_TOKENS = ("<s>", "<pad>", "</s>", "<unk>")
_CJK = re.compile(CJK_CHARACTER)
MAX_INIT_SOURCES = 32


def pre_tokenizer() -> pt.PreTokenizer:
    """Spaces become ▁ (as in XLM-R), then every CJK character and punctuation mark stands alone."""
    return pt.Sequence(
        [
            pt.Metaspace(replacement="▁", prepend_scheme="never", split=True),
            pt.Split(Regex(CJK_CHARACTER), "isolated"),
            pt.Punctuation("isolated"),
            pt.Digits(individual_digits=False),
        ]
    )


def gb2312_characters() -> list[str]:
    """The 6,763 hanzi of GB2312 (rows 0xB0-0xF7), decoded from the codec rather than listed."""
    out = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                out.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


@dataclass
class BuiltTokenizer:
    tokenizer: Tokenizer
    init_sources: list[list[int]]
    """For each new token id, the base-vocabulary ids whose embeddings are averaged to initialise it."""
    new_pieces: int
    """How many tokens are characters the base vocabulary lacked as single pieces."""

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.tokenizer.save(str(directory / "tokenizer.json"))
        (directory / "vocab_init.json").write_text(json.dumps(self.init_sources), encoding="utf-8")


def build(
    base_tokenizer: Path, texts: Iterable[str], extra_characters: Iterable[str] | None = None
) -> BuiltTokenizer:
    """Derive the pruned character-level tokenizer from ``base_tokenizer`` (an XLM-R ``tokenizer.json``)."""
    spec = json.loads(base_tokenizer.read_text(encoding="utf-8"))
    base_vocab: list[list] = spec["model"]["vocab"]
    piece_id = {piece: index for index, (piece, _score) in enumerate(base_vocab)}
    base = Tokenizer.from_file(str(base_tokenizer))
    base.pre_tokenizer = pre_tokenizer()

    used: set[int] = set()
    characters: set[str] = set(gb2312_characters() if extra_characters is None else extra_characters)
    for text in texts:
        used.update(base.encode(text, add_special_tokens=False).ids)
        characters.update(_CJK.findall(text))
    ascii_pieces = [chr(c) for c in range(0x21, 0x7F)] + ["▁" + chr(c) for c in range(0x21, 0x7F)] + ["▁"]
    keep = [piece_id[t] for t in SPECIAL_TOKENS]
    keep += sorted(
        used
        | {piece_id[p] for p in ascii_pieces if p in piece_id}
        | {piece_id[c] for c in characters if c in piece_id}
    )
    keep = list(dict.fromkeys(keep))
    vocab = [[base_vocab[i][0], base_vocab[i][1]] for i in keep]
    init_sources = [[i] for i in keep]
    kept_pieces = {p for p, _ in vocab}
    lowest = min(score for _piece, score in base_vocab[len(SPECIAL_TOKENS) :])
    missing = sorted(c for c in characters if c not in kept_pieces)
    containing = _pieces_containing(set(missing), base_vocab)
    for char in missing:
        vocab.append([char, lowest])
        sources = [piece_id["▁" + char]] if "▁" + char in piece_id else containing.get(char, [])
        init_sources.append(sources or [piece_id["<unk>"]])
    spec["model"]["vocab"] = vocab
    spec["model"]["unk_id"] = SPECIAL_TOKENS.index("<unk>")
    spec["pre_tokenizer"] = json.loads(pre_tokenizer().__getstate__())
    spec["added_tokens"] = [
        t | {"id": SPECIAL_TOKENS.index(t["content"])}
        for t in spec.get("added_tokens", ())
        if t["content"] in SPECIAL_TOKENS
    ]
    tokenizer = Tokenizer.from_str(json.dumps(spec, ensure_ascii=False))
    return BuiltTokenizer(tokenizer, init_sources, len(missing))


def pre_split(text: str) -> list[str]:
    """The pre-tokens of ``text`` (for tests and diagnostics)."""
    return [piece for piece, _offsets in pre_tokenizer().pre_tokenize_str(text)]


def _pieces_containing(characters: set[str], base_vocab: list[list]) -> dict[str, list[int]]:
    """For each character, up to :data:`MAX_INIT_SOURCES` base pieces that contain it (one pass)."""
    found: dict[str, list[int]] = {}
    for index, (piece, _score) in enumerate(base_vocab):
        for char in set(piece) & characters:
            sources = found.setdefault(char, [])
            if len(sources) < MAX_INIT_SOURCES:
                sources.append(index)
    return found
