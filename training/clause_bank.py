"""Clause banks: interchangeable clause templates per clause kind, kept as YAML in ``training/clauses/``.

One file is one bank (``payment_node.yaml`` is the bank ``payment_node``)::

    types: [PAYMENT]                 # Part B clause types of a unit made from this bank
    headings: [付款方式, 合同价款支付]  # section titles the generator may print above it
    templates:
      - "[[合同签订后[[{period}|PERIOD]]，甲方支付合同总价的[[{ratio}|RATE_PAYMENT]]|CL_MS_PAY]]。"
      - text: "..."
        types: [PAYMENT, ACCEPTANCE]   # overrides the bank's types
        categories: [工程]             # only for these contract categories (货物/服务/工程)

Templates are written in the spec's ``[[text|LABEL]]`` notation (see :mod:`training.markup`); slot names
are documented in ``training/clauses/README.md``. Loading checks every template renders and every type
exists, so a broken bank fails at load time, not halfway through a build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from random import Random

import yaml

from hetong.schema import CLAUSE_TYPES_BY_NAME
from training.markup import TemplateError, render, slots

CLAUSES_DIR = Path(__file__).resolve().parent / "clauses"
CATEGORIES = ("货物", "服务", "工程")


@dataclass(frozen=True, slots=True)
class ClauseTemplate:
    text: str
    types: tuple[str, ...]
    categories: frozenset[str]
    slots: frozenset[str]
    labels: frozenset[str]
    subjects: frozenset[str]
    """When set, the template only fits contracts whose subject contains one of these words (租赁)."""
    split: str
    """train/dev/test: documents of a split prefer their own templates, so the test split reads clause
    wording the model never trained on (see :func:`assign_splits`)."""


@dataclass(frozen=True, slots=True)
class Bank:
    name: str
    types: tuple[str, ...]
    headings: tuple[str, ...]
    templates: tuple[ClauseTemplate, ...]

    def candidates(
        self,
        category: str,
        available: Collection[str],
        forbid: Collection[str] = (),
        require: Collection[str] = (),
        subject: str = "",
    ) -> list[ClauseTemplate]:
        """Templates usable in a contract of ``category`` about ``subject``: their slots are all in
        ``available``, they carry none of the span labels or clause types in ``forbid``, and they use
        every slot in ``require``."""
        return [
            t
            for t in self.templates
            if category in t.categories
            and (not t.subjects or any(word in subject for word in t.subjects))
            and t.slots <= set(available)
            and not (t.labels | set(t.types)) & set(forbid)
            and t.slots >= set(require)
        ]

    def pick(
        self,
        rng: Random,
        category: str,
        available: Collection[str],
        avoid: Collection[str] = (),
        forbid: Collection[str] = (),
        require: Collection[str] = (),
        split: str | None = None,
        subject: str = "",
    ) -> ClauseTemplate:
        """A random candidate: of ``split`` when the bank has one that fits (else of any split), and
        preferably one whose text is not in ``avoid``."""
        choices = self.candidates(category, available, forbid, require, subject)
        if not choices:
            raise TemplateError(f"bank {self.name!r} has no template for {category} with the slots given")
        choices = [t for t in choices if t.split == split] or choices
        choices = [t for t in choices if t.text not in avoid] or choices
        return rng.choice(choices)


def load_bank(path: Path) -> Bank:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or not isinstance(data.get("templates"), list):
        raise TemplateError(f"{path.name}: expected a mapping with a 'templates' list")
    default_types = tuple(data.get("types", ()))
    templates = []
    for index, entry in enumerate(data["templates"]):
        item = {"text": entry} if isinstance(entry, str) else dict(entry)
        text = str(item["text"])
        types = tuple(item.get("types", default_types))
        unknown = [t for t in types if t not in CLAUSE_TYPES_BY_NAME]
        if unknown or not types:
            raise TemplateError(f"{path.name} template {index}: bad or missing types {unknown or types}")
        categories = frozenset(item.get("categories", CATEGORIES))
        if not categories <= set(CATEGORIES):
            raise TemplateError(f"{path.name} template {index}: categories must be among {CATEGORIES}")
        needed = frozenset(slots(text))
        try:
            sample = render(text, {name: "值" for name in needed})
        except TemplateError as exc:
            raise TemplateError(f"{path.name} template {index}: {exc}") from exc
        labels = frozenset(span.label for span in sample.ent + sample.cl)
        subjects = frozenset(item.get("subjects", ()))
        templates.append(ClauseTemplate(text, types, categories, needed, labels, subjects, "train"))
    return Bank(path.stem, default_types, tuple(data.get("headings", ())), assign_splits(templates))


HELD_OUT_SHARE = 0.1


def assign_splits(templates: list[ClauseTemplate]) -> tuple[ClauseTemplate, ...]:
    """Hold out ~10% of a bank's templates for test and ~10% for dev, chosen by a stable hash of the text
    (so adding a template moves few others), at least one each when the bank has three or more."""
    ranked = sorted(
        range(len(templates)), key=lambda i: hashlib.sha256(templates[i].text.encode()).hexdigest()
    )
    held = max(1, round(len(templates) * HELD_OUT_SHARE)) if len(templates) >= 3 else 0
    split_of = {index: "test" for index in ranked[:held]} | {
        index: "dev" for index in ranked[held : 2 * held]
    }
    return tuple(replace(t, split=split_of.get(i, "train")) for i, t in enumerate(templates))


@cache
def load_banks(directory: Path = CLAUSES_DIR) -> dict[str, Bank]:
    """Every bank in ``directory`` by name (cached: banks are read once per process)."""
    return {path.stem: load_bank(path) for path in sorted(directory.glob("*.yaml"))}
