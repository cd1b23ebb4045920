"""Service settings, read from ``HETONG_*`` environment variables (or ``.env``) by pydantic-settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from serving.registry import current_model_dir

MB = 1024 * 1024


class Settings(BaseSettings):
    """Every limit of the review API. Lists are comma-separated strings (``HETONG_API_KEYS=k1,k2``)."""

    model_config = SettingsConfigDict(env_prefix="HETONG_", env_file=".env", extra="ignore")

    model_dir: Path = Field(
        default_factory=current_model_dir,
        description="model directory (model.onnx, tokenizer…); default: models/registry.json's current",
    )
    threads: int = Field(0, ge=0, description="onnxruntime intra-op threads per session (0: all cores)")
    inference_workers: int = Field(1, ge=1, description="threads running inference concurrently")
    queue_size: int = Field(
        16, ge=0, description="requests that may wait for a worker; beyond it the API answers 503"
    )
    retry_after_s: int = Field(5, ge=1, description="Retry-After seconds on 503 (queue full, not ready)")
    request_timeout_s: float = Field(60.0, gt=0, description="a review taking longer answers 504")
    max_body_bytes: int = Field(
        21 * MB, gt=0, description="largest request body (JSON or multipart), in bytes"
    )
    max_file_bytes: int = Field(20 * MB, gt=0, description="largest uploaded file, in bytes")
    max_chars: int = Field(300_000, gt=0, description="most characters of contract text per request")
    api_keys: str = Field("", description="comma-separated accepted X-API-Key values; empty: no auth")
    cors_origins: str = Field("", description="comma-separated allowed CORS origins; '*' for any")
    log_level: str = Field("INFO", description="level of the hetong.serving logger")
    jobs_dir: Path = Field(Path("datasets/annotated/jobs"), description="retraining jobs' status and logs")
    feedback_dir: Path | None = Field(
        None,
        description="folder the review page's feedback is queued in for `hetong annotate push` "
        "(it holds contract text: keep it as private as the annotation data); unset: no feedback route",
    )
    ls_retrain_every: int = Field(
        0, ge=0, description="start a retraining job after this many new Label Studio annotations (0: never)"
    )
    ls_retrain_args: str = Field(
        "", description="extra arguments of the `hetong annotate retrain` a webhook starts (e.g. --config X)"
    )

    def api_key_list(self) -> list[str]:
        return [key.strip() for key in self.api_keys.split(",") if key.strip()]

    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def capacity(self) -> int:
        """Requests admitted to inference at once: running plus waiting."""
        return self.inference_workers + self.queue_size
