"""``hetong annotate …``: the annotation loop from the command line.

init      create the Label Studio project (labeling config generated from the schema)
push      import contracts as tasks with the current model's predictions
select    rank a pool of contracts by model uncertainty; push the top K first
pull      export finished annotations to a JSONL snapshot in datasets/annotated/
status    the project's counts and the retraining jobs
retrain   train on base + annotated data, export a new version, gate it, promote if better
promote   make a version directory current;  rollback: make the previous one current again
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path
from typing import Any

from annotation.project import ANNOTATED_DIR, AnnotationError, Connection

SUFFIXES = (".txt", ".docx", ".pdf")


class AnnotateCliError(Exception):
    """Printed as one line with exit code 2 by :func:`hetong.cli.main`."""


def add_parser(commands: Any, default_model: Path) -> None:
    annotate = commands.add_parser("annotate", help="the Label Studio annotation loop (init, push, pull, …)")
    sub = annotate.add_subparsers(dest="annotate_command", required=True, metavar="STEP")

    def connection_options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--url", default=None, help="Label Studio URL (LABEL_STUDIO_URL)")
        parser.add_argument("--token", default=None, help="API token (LABEL_STUDIO_API_KEY)")
        parser.add_argument("--dir", type=Path, default=ANNOTATED_DIR, help="project state and snapshots")

    init = sub.add_parser("init", help="create the project")
    connection_options(init)
    init.add_argument("--title", default="hetong 合同标注")
    init.set_defaults(handler=_init)

    push = sub.add_parser(
        "push", help="import contracts with predictions (a feedback queue folder: with the reviewers' notes)"
    )
    connection_options(push)
    push.add_argument("paths", nargs="+", type=Path, help=".txt/.docx/.pdf files or folders")
    push.add_argument("--model", type=Path, default=default_model)
    push.set_defaults(handler=_push)

    select = sub.add_parser("select", help="rank a pool by uncertainty; push the top K")
    connection_options(select)
    select.add_argument("--pool", type=Path, required=True, help="folder of unlabelled contracts")
    select.add_argument("--k", type=int, default=10)
    select.add_argument("--model", type=Path, default=default_model)
    select.add_argument("--dry-run", action="store_true", help="print the ranking, push nothing")
    select.set_defaults(handler=_select)

    pull = sub.add_parser("pull", help="export finished annotations to a snapshot")
    connection_options(pull)
    pull.set_defaults(handler=_pull)

    status = sub.add_parser("status", help="project counts and retraining jobs")
    connection_options(status)
    status.add_argument("--jobs", type=Path, default=ANNOTATED_DIR / "jobs")
    status.set_defaults(handler=_status)

    retrain = sub.add_parser("retrain", help="train, export a new version, gate, promote if better")
    connection_options(retrain)
    retrain.add_argument("--config", type=Path, default=Path("training/configs/default.yaml"))
    retrain.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="training override")
    retrain.add_argument("--snapshot", action="append", type=Path, default=[], help="annotated JSONL")
    retrain.add_argument("--pull", action="store_true", help="pull the newest annotations first")
    retrain.add_argument("--project", type=int, default=None, help="project id (default: project.json)")
    retrain.add_argument("--data", type=Path, default=Path("datasets/build"), help="base data set")
    retrain.add_argument("--models", type=Path, default=Path("models"), help="models root")
    retrain.add_argument("--version", default=None, help="new version directory name")
    retrain.add_argument("--min-gain", type=float, default=0.0, help="points the candidate must gain")
    retrain.add_argument("--max-f1-drop", type=float, default=0.5, help="export parity gate, points")
    retrain.add_argument("--gate-docs", type=int, default=60)
    retrain.add_argument("--job-dir", type=Path, default=None, help=argparse.SUPPRESS)
    retrain.set_defaults(handler=_retrain)

    promote_cmd = sub.add_parser("promote", help="make a version current")
    promote_cmd.add_argument("version")
    promote_cmd.add_argument("--models", type=Path, default=Path("models"))
    promote_cmd.set_defaults(handler=_promote)

    rollback_cmd = sub.add_parser("rollback", help="make the previous version current again")
    rollback_cmd.add_argument("--models", type=Path, default=Path("models"))
    rollback_cmd.set_defaults(handler=_rollback)


def _connection(args: argparse.Namespace) -> Connection:
    try:
        return Connection.from_env(args.url, args.token)
    except AnnotationError as exc:
        raise AnnotateCliError(str(exc)) from exc


def _init(args: argparse.Namespace) -> int:
    from annotation.project import init_project

    project = _call(init_project, _connection(args), args.title, args.dir)
    print(json.dumps({"project_id": project, "state": str(args.dir / "project.json")}))
    return 0


def contract_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise AnnotateCliError(f"{path} does not exist")
    if not files:
        raise AnnotateCliError("no .txt/.docx/.pdf contracts found")
    return files


def _read_texts(files: list[Path]) -> list[tuple[str, str]]:
    from hetong.documents import DocumentError, read_file

    texts = []
    for path in files:
        try:
            texts.append((path.name, read_file(path).text))
        except DocumentError as exc:
            print(f"skipped {path}: {exc}", file=sys.stderr)
    return texts


def _runtime(model: Path) -> Any:
    from serving.runtime import ModelLoadError, Runtime

    try:
        return Runtime(model)
    except ModelLoadError as exc:
        raise AnnotateCliError(str(exc)) from exc


def _push(args: argparse.Namespace) -> int:
    from annotation.project import predicted_documents, push
    from serving.feedback import read_feedback

    connection, project = _connection(args), _project(args)
    runtime = _runtime(args.model)
    files = contract_files(args.paths)
    # Contracts the review page queued (HETONG_FEEDBACK_DIR) carry the reviewer's note and flagged spans.
    feedback = {path.name: found for path in files if (found := read_feedback(path)) is not None}
    documents = predicted_documents(runtime, _read_texts(files), feedback)
    ids = _call(push, connection, project, documents, str(runtime.card.get("version", "unknown")))
    print(json.dumps({"project_id": project, "imported": len(ids), "task_ids": ids}))
    return 0


def _select(args: argparse.Namespace) -> int:
    from annotation.project import predicted_documents, push

    if args.k < 1:
        raise AnnotateCliError("--k must be positive")
    runtime = _runtime(args.model)
    texts = _read_texts(contract_files([args.pool]))
    ranked = sorted(
        ((runtime.predict(text).uncertainty, doc_id, text) for doc_id, text in texts), key=lambda r: -r[0]
    )
    chosen = ranked[: args.k]
    for uncertainty, doc_id, _ in chosen:
        print(f"{uncertainty:.4f}\t{doc_id}")
    if not args.dry_run:
        connection, project = _connection(args), _project(args)
        documents = predicted_documents(runtime, [(doc_id, text) for _, doc_id, text in chosen])
        ids = _call(push, connection, project, documents, str(runtime.card.get("version", "unknown")))
        print(json.dumps({"project_id": project, "imported": len(ids)}))
    return 0


def _pull(args: argparse.Namespace) -> int:
    from annotation.project import pull

    summary = _call(pull, _connection(args), _project(args), args.dir)
    print(json.dumps(summary))
    return 0


def _status(args: argparse.Namespace) -> int:
    from annotation.jobs import JobManager
    from annotation.project import status

    out: dict[str, Any] = {"jobs": JobManager(args.jobs).list()}
    try:
        out["project"] = _call(status, _connection(args), _project(args))
    except AnnotateCliError as exc:
        out["project"] = {"error": str(exc)}
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


def _retrain(args: argparse.Namespace) -> int:
    from annotation.jobs import write_status

    try:
        decision = _run_retrain(args)
    except Exception as exc:
        if args.job_dir:
            write_status(args.job_dir, state="failed", error=f"{type(exc).__name__}: {exc}")
        if isinstance(exc, AnnotateCliError):
            raise
        traceback.print_exc()  # to the job's log: a failure is reported, never silent
        raise AnnotateCliError(f"retraining failed: {type(exc).__name__}: {exc}") from exc
    if args.job_dir:
        write_status(args.job_dir, state="succeeded", decision=decision)
    print(json.dumps(decision, ensure_ascii=False))
    return 0


def _run_retrain(args: argparse.Namespace) -> dict[str, Any]:
    try:
        from annotation.retrain import RetrainConfig, retrain
    except ImportError as exc:
        raise AnnotateCliError(f"retraining needs the training extra: {exc}") from exc
    from annotation.project import latest_snapshot, pull

    snapshots = list(args.snapshot)
    if args.pull:
        project = args.project if args.project is not None else _project(args)
        summary = _call(pull, _connection(args), project, args.dir)
        snapshots.append(args.dir / summary["file"])
    elif not snapshots and (latest := latest_snapshot(args.dir)) is not None:
        snapshots.append(latest)
    from training.config_io import parse_overrides

    try:
        overrides = parse_overrides(args.set)
    except ValueError as exc:
        raise AnnotateCliError(str(exc)) from exc
    config = RetrainConfig(
        base_data=args.data,
        annotated=tuple(snapshots),
        models_root=args.models,
        train_config=args.config,
        overrides=overrides,
        gate_docs=args.gate_docs,
        min_gain=args.min_gain,
        max_f1_drop=args.max_f1_drop,
        version=args.version,
    )
    for path in (args.data / "train.jsonl", args.config, *snapshots):
        if not path.is_file():
            raise AnnotateCliError(f"{path} not found")
    return retrain(config, log=lambda line: print(line, flush=True))


def _promote(args: argparse.Namespace) -> int:
    return _switch_model(args, "promote")


def _rollback(args: argparse.Namespace) -> int:
    return _switch_model(args, "rollback")


def _switch_model(args: argparse.Namespace, action: str) -> int:
    """Promote ``args.version`` or roll back; either way the registry's new current model is printed."""
    from serving.registry import RegistryError, promote, rollback

    try:
        if action == "promote":
            registry = promote(args.models, args.version, "promoted by hand")
        else:
            registry = rollback(args.models)
    except RegistryError as exc:
        raise AnnotateCliError(str(exc)) from exc
    print(json.dumps({"current": registry["current"]}))
    return 0


def _project(args: argparse.Namespace) -> int:
    from annotation.project import project_id

    try:
        return project_id(args.dir)
    except AnnotationError as exc:
        raise AnnotateCliError(str(exc)) from exc


def _call(fn: Any, *args: Any) -> Any:
    """A Label Studio call; its failures (connection refused, 401, 404) become one-line errors."""
    try:
        return fn(*args)
    except AnnotationError as exc:
        raise AnnotateCliError(str(exc)) from exc
    except Exception as exc:  # the SDK's ApiError and httpx errors
        if type(exc).__module__.startswith(("label_studio_sdk", "httpx")):
            raise AnnotateCliError(f"Label Studio: {type(exc).__name__}: {exc}") from exc
        raise
