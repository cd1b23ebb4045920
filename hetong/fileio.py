"""Writing files that another process may read at any moment (the model registry, job status, the
feedback queue)."""

from __future__ import annotations

from pathlib import Path


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to a temporary file beside ``path``, then rename it over
    ``path``: a reader sees the old file or the new one, never half of one."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8", newline="")
    temporary.replace(path)
