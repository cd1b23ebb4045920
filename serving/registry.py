"""Which model directory is current: ``models/registry.json`` (written by promotion and rollback).

Models are never overwritten in place: a retrained model gets a new version directory under ``models/``
and becomes current only when the gate promotes it; rollback makes the previous one current again. With
no registry the shipped ``models/default`` is current. ``HETONG_MODEL_DIR`` overrides all of this.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from hetong.fileio import write_text_atomically

REGISTRY_FILE = "registry.json"
DEFAULT_VERSION = "default"


class RegistryError(RuntimeError):
    """A promotion or rollback that cannot be done (unknown version, nothing to roll back to)."""


def read_registry(models_root: Path) -> dict[str, Any]:
    path = models_root / REGISTRY_FILE
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"current": DEFAULT_VERSION, "history": [DEFAULT_VERSION], "events": []}


def current_model_dir(models_root: Path = Path("models")) -> Path:
    """The model the service loads: ``HETONG_MODEL_DIR``, else the registry's current, else default."""
    if os.environ.get("HETONG_MODEL_DIR"):
        return Path(os.environ["HETONG_MODEL_DIR"])
    return models_root / read_registry(models_root)["current"]


def promote(models_root: Path, version: str, reason: str) -> dict[str, Any]:
    if not (models_root / version / "model.onnx").is_file():
        raise RegistryError(f"{models_root / version} holds no model.onnx")
    registry = read_registry(models_root)
    registry["history"] = [v for v in registry["history"] if v != version] + [version]
    registry["current"] = version
    return _write(models_root, registry, "promote", version, reason)


def rollback(models_root: Path) -> dict[str, Any]:
    """Make the version promoted before the current one current again (the current one stays on disk)."""
    registry = read_registry(models_root)
    if len(registry["history"]) < 2:
        raise RegistryError(f"nothing to roll back to: {registry['current']} is the only promoted model")
    dropped = registry["history"].pop()
    registry["current"] = registry["history"][-1]
    return _write(models_root, registry, "rollback", registry["current"], f"rolled back from {dropped}")


def _write(
    models_root: Path, registry: dict[str, Any], action: str, version: str, reason: str
) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    event = {"at": now, "action": action, "version": version, "reason": reason}
    registry.setdefault("events", []).append(event)
    path = models_root / REGISTRY_FILE
    write_text_atomically(path, json.dumps(registry, ensure_ascii=False, indent=1))  # a server may read it
    return registry
