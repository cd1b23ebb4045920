"""Shared fixtures. The real corpus lives outside the repository, in ../shared/corpus (never copied in)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(os.environ.get("HETONG_CORPUS", REPO_ROOT.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus; its absence is a set-up error, not a reason to skip silently."""
    if not CORPUS_DIR.is_dir():
        pytest.fail(f"corpus not found at {CORPUS_DIR}; set HETONG_CORPUS to the shared/corpus folder")
    return CORPUS_DIR
