"""Label Studio's ML-backend protocol, served by the review app under ``/ls``.

Connect it in Label Studio (project → Model → Connect model, URL ``http://<host>:<port>/ls``):

* ``GET /ls/health`` — ``{"status": "UP", ...}`` once the model is loaded;
* ``POST /ls/setup`` — Label Studio announces the project; we answer with our model version;
* ``POST /ls/predict`` — tasks in, one prediction per task out (regions in Label Studio's JSON, offsets
  in UTF-16 units, scores, ``model_version``), computed by the app's loaded model in its bounded pool;
* ``POST /ls/webhook`` — ``START_TRAINING`` (or every ``HETONG_LS_RETRAIN_EVERY`` new annotations)
  starts a retraining job (:mod:`annotation.jobs`: one at a time, in its own process);
* ``GET /ls/jobs/{id}`` — that job's state and, when it ends, the gate's decision.
"""

from __future__ import annotations

import shlex
import threading
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from annotation.convert import document_to_prediction
from annotation.jobs import JobError, JobManager
from hetong.schema import Document
from serving.errors import ApiError
from serving.review import model_info

router = APIRouter(prefix="/ls", tags=["label studio ml backend"])
_counter_lock = threading.Lock()


def _jobs(request: Request) -> JobManager:
    return request.app.state.jobs


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None:
        raise ApiError(503, "model_not_loaded", "The model is not loaded; see /readyz.")
    return {
        "status": "UP",
        "model_class": "hetong.ContractTagger",
        "model_version": model_info(runtime)["version"],
    }


@router.post("/setup")
async def setup(request: Request) -> dict[str, Any]:
    from serving.app import get_runtime

    return {"model_version": model_info(get_runtime(request))["version"]}


@router.post("/predict")
async def predict(request: Request) -> dict[str, Any]:
    from serving.app import get_runtime

    runtime = get_runtime(request)
    body = await _json(request)
    tasks = body.get("tasks")
    if not isinstance(tasks, list):
        raise ApiError(422, "invalid_request", "The body needs a 'tasks' list (Label Studio's predict call).")
    version = model_info(runtime)["version"]
    settings = request.app.state.settings

    def run() -> list[dict[str, Any]]:
        results = []
        for task in tasks:
            text = task.get("data", {}).get("text") if isinstance(task, dict) else None
            if not isinstance(text, str) or len(text) > settings.max_chars:
                results.append({"result": [], "score": 0.0, "model_version": version})
                continue
            prediction = runtime.predict(text)
            doc = Document(str(task.get("id", "task")), text, prediction.ent, prediction.cl, prediction.units)
            results.append(document_to_prediction(doc, version))
        return results

    from serving.app import run_in_pool

    results = await run_in_pool(request, run)
    return {"results": results, "model_version": version}


@router.post("/webhook")
async def webhook(request: Request) -> JSONResponse:
    body = await _json(request)
    settings = request.app.state.settings
    action = body.get("action")
    state = request.app.state
    start = action == "START_TRAINING"
    if (
        action in ("ANNOTATION_CREATED", "ANNOTATIONS_CREATED", "ANNOTATION_UPDATED")
        and settings.ls_retrain_every
    ):
        with _counter_lock:
            state.ls_new_annotations = getattr(state, "ls_new_annotations", 0) + 1
            start = state.ls_new_annotations >= settings.ls_retrain_every
            if start:
                state.ls_new_annotations = 0
    if not start:
        return JSONResponse({"status": "ignored", "action": action}, status_code=200)
    project = body.get("project") or {}
    project_id = project.get("id") if isinstance(project, dict) else project
    args = ["--pull", *shlex.split(settings.ls_retrain_args)]
    if project_id is not None:
        args += ["--project", str(project_id)]
    try:
        job_id = _jobs(request).start(args, reason=str(action))
    except JobError as exc:
        raise ApiError(409, "job_running", str(exc)) from exc
    return JSONResponse({"status": "started", "job_id": job_id}, status_code=201)


@router.get("/jobs/{job_id}")
async def job(job_id: str, request: Request) -> dict[str, Any]:
    try:
        return _jobs(request).status(job_id)
    except JobError as exc:
        raise ApiError(404, "job_not_found", str(exc)) from exc


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise ApiError(400, "invalid_json", "The body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise ApiError(422, "invalid_request", "The body must be a JSON object.")
    return body
