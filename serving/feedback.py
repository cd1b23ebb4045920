"""Reviewers' feedback, queued for annotation.

``POST /v1/feedback`` (the review page's 送交标注 button) writes a reviewed contract and the spans its
reviewer flagged (wrong, or missed by the model) to a folder (``HETONG_FEEDBACK_DIR``): ``<id>.txt``
holds the text the offsets index, ``<id>.feedback.json`` the note, the flagged spans and the model
version. ``hetong annotate push FOLDER`` imports each text as a Label Studio task with the current model's
predictions and the feedback in the task's ``meta``, so annotators start from what the reviewer saw was
wrong. The id is the start of the
text's sha256: sending the same contract again replaces its feedback instead of queueing a twin.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hetong.fileio import write_text_atomically

SIDECAR_SUFFIX = ".feedback.json"


@dataclass(frozen=True)
class FlaggedSpan:
    start: int
    end: int
    label: str
    problem: str = "wrong"
    """``wrong``: the model's span (with the label it gave) is wrong; ``missing``: the model did not find
    this span, which should carry ``label``."""


def queue_feedback(
    directory: Path, text: str, note: str, flagged: Sequence[FlaggedSpan], model_version: str | None
) -> str:
    """Write the text and its feedback to ``directory``; returns the feedback id."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    feedback_id = digest[:16]
    directory.mkdir(parents=True, exist_ok=True)
    sidecar: dict[str, Any] = {
        "id": feedback_id,
        "text_sha256": digest,
        "received": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "model_version": model_version,
        "note": note,
        "flagged": [asdict(span) for span in flagged],
    }
    # Each file is written atomically, so `annotate push` never reads half of one.
    write_text_atomically(directory / f"{feedback_id}.txt", text)
    write_text_atomically(
        directory / f"{feedback_id}{SIDECAR_SUFFIX}", json.dumps(sidecar, ensure_ascii=False, indent=1)
    )
    return feedback_id


def read_feedback(text_file: Path) -> dict[str, Any] | None:
    """The feedback queued beside ``text_file`` (``<id>.txt``), or None for a contract without any."""
    sidecar = text_file.with_name(text_file.stem + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return None
    return json.loads(sidecar.read_text(encoding="utf-8"))
