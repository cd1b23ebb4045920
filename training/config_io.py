"""Small helpers shared by the training steps: typed configs from YAML mappings, and file checksums."""

from __future__ import annotations

import hashlib
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

ConfigT = TypeVar("ConfigT")


def config_from_mapping(cls: type[ConfigT], values: dict[str, Any]) -> ConfigT:
    """Build the dataclass ``cls`` from ``values``, refusing unknown keys (a typo must not pass silently)
    and turning the values of ``Path``-typed fields into paths."""
    known = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(f"unknown {cls.__name__} keys: {', '.join(unknown)}")
    converted = {
        key: Path(value) if value is not None and "Path" in str(known[key].type) else value
        for key, value in values.items()
    }
    return cls(**converted)


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` command-line overrides as a mapping, each value read as YAML (``max_minutes=20`` is a
    number, ``base_model=null`` is None). Raises ``ValueError`` on an item without ``=``."""
    import yaml

    overrides = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--set takes KEY=VALUE, not {item!r}")
        overrides[key.strip()] = yaml.safe_load(value)
    return overrides


def sha256_file(path: Path) -> str:
    """The sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
