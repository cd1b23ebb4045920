"""Service settings, read from ``HETONG_*`` environment variables (or ``.env``) by pydantic-settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MB = 1024 * 1024


class Settings(BaseSettings):
    """Every limit of the review API. Lists are comma-separated strings (``HETONG_API_KEYS=k1,k2``)."""

    model_config = SettingsConfigDict(env_prefix="HETONG_", env_file=".env", extra="ignore")

    model_dir: Path = Field(Path("models/default"), description="model directory (model.onnx, tokenizer…)")
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

    def api_key_list(self) -> list[str]:
        return [key.strip() for key in self.api_keys.split(",") if key.strip()]

    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def capacity(self) -> int:
        """Requests admitted to inference at once: running plus waiting."""
        return self.inference_workers + self.queue_size
