"""Background retraining jobs: one at a time, each a ``hetong annotate retrain`` child process.

The server never imports torch: a job is a separate process (with the training extra) whose state lives
in ``<jobs_root>/<job id>/status.json`` — ``running``, then ``succeeded`` with the gate's decision or
``failed`` with the reason — and whose output goes to ``log.txt`` beside it. Status is read from disk,
so ``GET /ls/jobs/{id}`` and ``hetong annotate status`` see the same thing, across restarts.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hetong.fileio import write_text_atomically

STATUS_FILE = "status.json"


class JobError(RuntimeError):
    """A job cannot start (another one runs) or does not exist."""


def write_status(job_dir: Path, **fields: Any) -> dict[str, Any]:
    path = job_dir / STATUS_FILE
    status = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    status.update(fields, updated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    write_text_atomically(path, json.dumps(status, ensure_ascii=False, indent=1))
    return status


class JobManager:
    def __init__(self, jobs_root: Path) -> None:
        self.jobs_root = jobs_root
        self._lock = threading.Lock()
        self._running: subprocess.Popen[bytes] | None = None

    def start(self, retrain_args: Sequence[str], reason: str) -> str:
        """Start ``hetong annotate retrain ARGS --job-dir DIR``; refuses while another job runs."""
        with self._lock:
            if self._running is not None and self._running.poll() is None:
                raise JobError("a retraining job is already running; one job at a time")
            job_id = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
            job_dir = self.jobs_root / job_id
            job_dir.mkdir(parents=True)
            write_status(job_dir, id=job_id, state="running", reason=reason, started_at=_now())
            command = [sys.executable, "-m", "hetong.cli", "annotate", "retrain", *retrain_args]
            command += ["--job-dir", str(job_dir)]
            log = (job_dir / "log.txt").open("wb")
            self._running = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
            threading.Thread(target=self._watch, args=(self._running, job_dir, log), daemon=True).start()
            return job_id

    def _watch(self, process: subprocess.Popen[bytes], job_dir: Path, log: Any) -> None:
        code = process.wait()
        log.close()
        status = self.status(job_dir.name)
        if status.get("state") == "running":  # the child died before it could say how it ended
            tail = (
                (job_dir / "log.txt").read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
            )
            write_status(job_dir, state="failed", exit_code=code, error=" | ".join(tail) or f"exit {code}")

    def status(self, job_id: str) -> dict[str, Any]:
        path = self.jobs_root / job_id / STATUS_FILE
        if "/" in job_id or ".." in job_id or not path.is_file():
            raise JobError(f"no job {job_id!r}")
        return json.loads(path.read_text(encoding="utf-8"))

    def list(self) -> list[dict[str, Any]]:
        if not self.jobs_root.is_dir():
            return []
        found = [self.status(p.name) for p in sorted(self.jobs_root.iterdir()) if (p / STATUS_FILE).is_file()]
        return found


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
