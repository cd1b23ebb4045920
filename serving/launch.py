"""Start ``hetong serve`` as a child process on a free loopback port and wait until it is ready.

Used by the benchmark's HTTP load run, the browser test and the annotation loop, which all need the real
server (uvicorn, the shipped model) rather than an in-process test client.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class LaunchError(RuntimeError):
    """The server exited or did not become ready in time."""


@dataclass(frozen=True)
class RunningServer:
    url: str
    pid: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(
    model_dir: Path, threads: int = 2, ready_timeout: float = 60.0, env: dict[str, str] | None = None
) -> Iterator[RunningServer]:
    """``hetong serve`` on 127.0.0.1 until the block ends; waits for ``/readyz`` (model loaded)."""
    port = free_port()
    command = [sys.executable, "-m", "hetong.cli", "serve", "--model", str(model_dir), "--port", str(port)]
    command += ["--threads", str(threads)]
    server = subprocess.Popen(
        command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_timeout
        while not _ready(url):
            if server.poll() is not None:
                raise LaunchError(f"`hetong serve` exited with {server.returncode} before it was ready")
            if time.monotonic() > deadline:
                raise LaunchError(f"`hetong serve` was not ready within {ready_timeout:.0f} s")
            time.sleep(0.25)
        yield RunningServer(url, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False
