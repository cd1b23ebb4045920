"""The Label Studio project through label-studio-sdk (2.x): create, push tasks with predictions, pull.

The project's id and server are remembered in ``datasets/annotated/project.json`` so ``hetong annotate``
commands need no ids. Pulled annotations become ``datasets/annotated/<snapshot>.jsonl``, named by the hash
of their content (the snapshot id), plus ``latest.json`` naming the newest snapshot; retraining reads them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotation.convert import document_to_task, task_to_document
from annotation.labeling import labeling_config
from hetong.schema import Document

ANNOTATED_DIR = Path("datasets/annotated")
PROJECT_FILE = "project.json"
LATEST_FILE = "latest.json"


class AnnotationError(RuntimeError):
    """A Label Studio call or local state problem; the message says what to do."""


@dataclass(frozen=True)
class Connection:
    url: str
    token: str

    @classmethod
    def from_env(cls, url: str | None = None, token: str | None = None) -> Connection:
        url = url or os.environ.get("LABEL_STUDIO_URL") or "http://127.0.0.1:8080"
        token = token or os.environ.get("LABEL_STUDIO_API_KEY") or os.environ.get("LABEL_STUDIO_USER_TOKEN")
        if not token:
            raise AnnotationError("no Label Studio token: set LABEL_STUDIO_API_KEY (or pass --token)")
        return cls(url.rstrip("/"), token)

    def client(self) -> Any:
        try:
            from label_studio_sdk import LabelStudio
        except ImportError as exc:
            raise AnnotationError("label-studio-sdk is missing: make setup EXTRAS=...,annotation") from exc
        return LabelStudio(base_url=self.url, api_key=self.token)


def _state_path(directory: Path) -> Path:
    return directory / PROJECT_FILE


def project_id(directory: Path = ANNOTATED_DIR) -> int:
    path = _state_path(directory)
    if not path.is_file():
        raise AnnotationError(f"no project yet ({path} missing): run `hetong annotate init` first")
    return int(json.loads(path.read_text(encoding="utf-8"))["project_id"])


def init_project(connection: Connection, title: str, directory: Path = ANNOTATED_DIR) -> int:
    """Create the project with the generated labeling config and remember it."""
    client = connection.client()
    project = client.projects.create(title=title, label_config=labeling_config())
    directory.mkdir(parents=True, exist_ok=True)
    state = {"project_id": project.id, "url": connection.url, "title": title}
    _state_path(directory).write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
    return int(project.id)


def predicted_documents(
    runtime: Any, texts: Sequence[tuple[str, str]], feedback: Mapping[str, Any] | None = None
) -> list[Document]:
    """``(doc_id, text)`` pairs through the model: documents carrying its spans and unit types, and in
    their ``meta`` the reviewer's feedback on them (``feedback[doc_id]``, :mod:`serving.feedback`)."""
    out = []
    for doc_id, text in texts:
        prediction = runtime.predict(text)
        meta = {"source": "pushed", "model_version": runtime.card.get("version")}
        if feedback and doc_id in feedback:
            meta["feedback"] = feedback[doc_id]
        out.append(Document(doc_id, text, prediction.ent, prediction.cl, prediction.units, meta))
    return out


def push(
    connection: Connection, project: int, documents: Sequence[Document], model_version: str
) -> list[int]:
    """Import documents as tasks with their predictions; returns the new task ids."""
    client = connection.client()
    tasks = [document_to_task(doc, model_version=model_version) for doc in documents]
    response = client.projects.import_tasks(id=project, request=tasks, return_task_ids=True)
    return [int(task_id) for task_id in (response.task_ids or [])]


def export_tasks(connection: Connection, project: int) -> list[dict[str, Any]]:
    """Every task of the project with its annotations, through the export API (Label Studio JSON)."""
    client = connection.client()
    try:
        exported = client.projects.exports.as_json(project)
    except Exception as exc:  # the SDK raises its own ApiError types
        raise AnnotationError(f"export of project {project} failed: {exc}") from exc
    return list(exported)


def pull(connection: Connection, project: int, directory: Path = ANNOTATED_DIR) -> dict[str, Any]:
    """Finished annotations to a JSONL snapshot; returns its summary (also written to ``latest.json``)."""
    tasks = export_tasks(connection, project)
    documents = [doc for doc in (task_to_document(task) for task in tasks) if doc is not None]
    for doc in documents:
        doc.validate()
    lines = [json.dumps(doc.to_json(), ensure_ascii=False, sort_keys=True) for doc in documents]
    body = "\n".join(lines) + ("\n" if lines else "")
    snapshot = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{snapshot}.jsonl").write_text(body, encoding="utf-8")
    summary = {
        "snapshot": snapshot,
        "file": f"{snapshot}.jsonl",
        "project_id": project,
        "tasks": len(tasks),
        "annotated": len(documents),
        "pulled_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    (directory / LATEST_FILE).write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return summary


def latest_snapshot(directory: Path = ANNOTATED_DIR) -> Path | None:
    path = directory / LATEST_FILE
    if not path.is_file():
        return None
    return directory / json.loads(path.read_text(encoding="utf-8"))["file"]


def status(connection: Connection, project: int) -> dict[str, Any]:
    client = connection.client()
    info = client.projects.get(id=project)
    return {
        "project_id": project,
        "title": info.title,
        "tasks": info.task_number,
        "annotated_tasks": info.num_tasks_with_annotations,
        "annotations": info.total_annotations_number,
    }
