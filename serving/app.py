"""The review API (FastAPI): routes are thin; the work is :func:`serving.review.review`.

One :class:`~serving.runtime.Runtime` per process is created in the lifespan and injected into routes with
``Depends(get_runtime)``. Inference runs in a bounded thread pool (:class:`InferencePool`): at most
``inference_workers`` reviews run and ``queue_size`` wait; one more is refused at once with 503 and
``Retry-After`` instead of piling up behind a slow CPU. Every error, FastAPI's own included, is
``{"error": {"code", "message"}}``. Logs carry the request id, sizes and timings, never contract text.

Run it with ``hetong serve`` or ``uvicorn --factory serving.app:create_app``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import APIKeyHeader
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from annotation.jobs import JobManager
from hetong.documents import DocumentError, read_bytes
from hetong.monitoring import MilestoneStatus
from hetong.risk import ReviewMetadata
from hetong.schema import labels
from serving import ml_backend
from serving.errors import STATUS_CODES, ApiError, error_body
from serving.feedback import FlaggedSpan, queue_feedback
from serving.review import (
    ReviewInputError,
    ReviewOptions,
    check_extracted,
    model_info,
    prepare_text,
    review,
)
from serving.runtime import ModelLoadError, Runtime
from serving.settings import Settings

log = logging.getLogger("hetong.serving")
T = TypeVar("T")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_UPLOAD_TYPES = frozenset(
    {"text/plain", "application/pdf", DOCX_TYPE, "application/octet-stream", "application/x-pdf", ""}
)
"""Declared types of an uploaded file; the content is checked again by :mod:`hetong.documents`."""
PAGE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
    "frame-ancestors 'none'; form-action 'none'; base-uri 'none'"
)
"""The review page loads nothing from elsewhere and talks only to this API."""
ENT_LABEL_NAMES = frozenset(label.name for label in labels("ENT"))
ANCHOR_EVENTS = Literal[
    "SIGN", "EFFECTIVE", "DELIVERY", "ACCEPTANCE", "INVOICE", "SETTLEMENT",
    "AUDIT", "APPROVAL", "FUNDS", "MONTH_END", "QUARTER_END",
]  # fmt: skip


# --------------------------------------------------------------------------------------------- requests


class Metadata(BaseModel):
    """Facts the platform knows and the text may not state (spec 0.2); all optional."""

    model_config = ConfigDict(extra="forbid")

    buyer_type: Literal["机关", "事业单位", "团体组织_财政资金", "国有企业", "其他"] | None = None
    supplier_size: Literal["大型", "中型", "小型", "微型", "unknown"] | None = None
    category: Literal["货物", "服务", "工程"] | None = None
    regime: Literal["政府采购", "招标投标", "其他"] | None = None
    buyer_region: str | None = Field(None, pattern=r"^\d{6}$", description="6-digit 行政区划代码")
    budget: Decimal | None = Field(None, ge=0, description="yuan")
    award_price: Decimal | None = Field(None, ge=0, description="yuan")
    award_notice_date: dt.date | None = None
    tender: dict[str, Any] | None = Field(None, description="fields of the tender documents (record schema)")
    tax_location_required: bool | None = None
    jurisdiction_level: Literal["district", "city", "province"] = "city"

    def to_review_metadata(self) -> ReviewMetadata:
        values = self.model_dump()
        for key in ("budget", "award_price"):
            values[key] = None if values[key] is None else str(values[key])
        if values["award_notice_date"] is not None:
            values["award_notice_date"] = values["award_notice_date"].isoformat()
        return ReviewMetadata(**values)


class MilestoneStatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(..., max_length=32, description="the record's milestone id: M1, M2, …")
    status: Literal["未开始", "进行中", "已完成"] = "未开始"
    completed: dt.date | None = None
    progress: float | None = Field(None, ge=0, le=1)


class ReviewOptionsIn(BaseModel):
    """Everything of a review request besides the text (the ``options`` form field of the file route)."""

    model_config = ConfigDict(extra="forbid")

    metadata: Metadata = Field(default_factory=Metadata)
    as_of: dt.date | None = Field(None, description="review date for lights and dated rules; default today")
    milestone_status: list[MilestoneStatusIn] = Field(default_factory=list, max_length=500)
    events: dict[ANCHOR_EVENTS, dt.date] = Field(
        default_factory=dict, description='dates events happened, e.g. {"ACCEPTANCE": "2025-06-30"}'
    )

    def to_options(self) -> ReviewOptions:
        return ReviewOptions(
            metadata=self.metadata.to_review_metadata(),
            as_of=self.as_of,
            statuses=tuple(
                MilestoneStatus(s.id, s.status, s.completed, s.progress) for s in self.milestone_status
            ),
            events=dict(self.events),
        )


class ReviewRequest(ReviewOptionsIn):
    text: str = Field(..., description="the contract text; offsets in the answer index it")


class ExtractRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str


class FlaggedSpanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: int = Field(..., ge=0)
    end: int = Field(..., gt=0)
    label: str = Field(
        ...,
        max_length=40,
        description="the ENT label the model gave the span, or (missing) the one it should",
    )
    problem: Literal["wrong", "missing"] = Field(
        "wrong", description="wrong: the model's span is wrong; missing: the model did not find this span"
    )


class FeedbackRequest(BaseModel):
    """A reviewer's verdict on a review, for the annotation queue (:mod:`serving.feedback`)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(..., description="the reviewed text, as the review returned it: the offsets index it")
    note: str = Field("", max_length=2000)
    flagged: list[FlaggedSpanIn] = Field(
        default_factory=list, max_length=500, description="spans judged wrong or missing"
    )
    model_version: str | None = Field(None, max_length=40, description="the version that made the review")


# -------------------------------------------------------------------------------------------- responses


class ModelRef(BaseModel):
    name: str
    version: str


class Entity(BaseModel):
    label: str
    start: int
    end: int
    text: str
    score: float | None
    normalized: dict[str, Any] | None = Field(description="spec A.4 normalisation (amount/date/…) or null")


class Clause(BaseModel):
    label: str
    start: int
    end: int
    text: str
    score: float | None


class UnitType(BaseModel):
    type: str
    score: float | None


class UnitOut(BaseModel):
    start: int
    end: int
    types: list[UnitType]


class Evidence(BaseModel):
    start: int
    end: int


class Risk(BaseModel):
    rule_id: str
    category: str
    severity: str
    status: Literal["HIT", "PASS", "NOT_APPLICABLE", "NOT_EVALUABLE"]
    title: str
    evidence: list[Evidence]
    fix: str
    basis: list[str]
    reason: str | None = None
    message: str = ""
    assumptions: list[str] = []
    confidence: float = 1.0


class Warning_(BaseModel):
    """One milestone's Part D light."""

    model_config = ConfigDict(title="Warning")

    id: str
    kind: str
    obligor: str
    light: str
    zh: str
    colour: str
    closed: bool
    due: str | None
    days_left: int | None
    completed: str | None
    late_days: int | None
    compliance_log: bool
    flags: list[str]


class Performance(BaseModel):
    colour: str
    zh: str
    worst: str | None
    reasons: list[str]
    on_time_rate: float | None
    avg_late_days: float | None
    overdue_open_count: int
    buyer_overdue_payments: list[str]


class ExtractResponse(BaseModel):
    model: ModelRef
    text_sha256: str
    text: str | None = Field(
        None, description="the text offsets index: always for files, for pasted text only when reading it "
        "changed it (line endings, BOM)",
    )  # fmt: skip
    entities: list[Entity]
    clauses: list[Clause]
    units: list[UnitOut]
    record: dict[str, Any] = Field(description="the contract record of spec A.3")
    timing_ms: dict[str, float]


class ReviewResponse(ExtractResponse):
    risks: list[Risk]
    score: float = Field(description="risk score 0-100 (spec Part E)")
    level: str = Field(description="红 | 橙 | 黄 | 蓝")
    as_of: str
    warnings: list[Warning_]
    performance: Performance


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


class FeedbackResponse(BaseModel):
    id: str = Field(..., description="the queued contract's id (the start of its text's sha256)")


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (401, 413, 415, 422, 503, 504)
}


# ------------------------------------------------------------------------------------- inference pool


class QueueFull(Exception):
    pass


class InferencePool:
    """A thread pool that admits at most ``capacity`` jobs (running + waiting) and refuses the next.

    A slot is released when the job's thread finishes, not when the request gives up on it: a review
    that timed out still occupies a CPU, so it still counts against the bound.
    """

    def __init__(self, workers: int, capacity: int, on_change: Callable[[int], None] = lambda _: None):
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hetong-inference")
        self.capacity = capacity
        self.admitted = 0
        self._lock = threading.Lock()
        self._on_change = on_change

    def acquire(self) -> None:
        with self._lock:
            if self.admitted >= self.capacity:
                raise QueueFull
            self.admitted += 1
            self._on_change(self.admitted)

    def release(self) -> None:
        with self._lock:
            self.admitted -= 1
            self._on_change(self.admitted)

    async def run(self, timeout: float, fn: Callable[..., T], *args: Any) -> T:
        self.acquire()
        try:
            future = self.executor.submit(fn, *args)
        except BaseException:
            self.release()
            raise
        future.add_done_callback(lambda _: self.release())
        return await asyncio.wait_for(asyncio.wrap_future(future), timeout)

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


# -------------------------------------------------------------------------------------------- metrics


class Metrics:
    """Prometheus metrics in a registry of their own, so several apps (tests) never clash."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "hetong_http_requests", "HTTP requests", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "hetong_http_request_duration_seconds", "HTTP request latency", ["method", "route"],
            buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60), registry=r,
        )  # fmt: skip
        self.in_flight = Gauge("hetong_http_requests_in_flight", "HTTP requests being served", registry=r)
        self.queue = Gauge("hetong_inference_admitted", "reviews running or waiting for a worker", registry=r)
        self.rejected = Counter(
            "hetong_inference_rejected", "reviews refused because the queue was full", registry=r
        )
        self.inference = Histogram(
            "hetong_inference_duration_seconds", "model inference per review",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30), registry=r,
        )  # fmt: skip
        self.characters = Histogram(
            "hetong_review_characters", "characters of text per review",
            buckets=(1_000, 5_000, 20_000, 50_000, 100_000, 300_000), registry=r,
        )  # fmt: skip
        self.model = Gauge("hetong_model_info", "the loaded model (value 1)", ["name", "version"], registry=r)
        self.loaded = Gauge("hetong_model_loaded", "1 when the model is loaded", registry=r)


# ----------------------------------------------------------------------------------------- middleware


class RequestMiddleware:
    """Request id, body-size limit, metrics and one access log line per request (pure ASGI).

    A declared ``Content-Length`` over the limit is refused before anything is read; a chunked body is
    counted as it streams and refused when it crosses the limit.
    """

    def __init__(self, app: ASGIApp, settings: Settings, metrics: Metrics) -> None:
        self.app = app
        self.max_body = settings.max_body_bytes
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = _clean_request_id(headers.get("x-request-id")) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        received = 0
        sent = 0

        async def send_wrapper(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        async def receive_wrapper() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _body_too_large(self.max_body)
            return message

        self.metrics.in_flight.inc()
        try:
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_body:
                error = _body_too_large(self.max_body)
                response = JSONResponse(error_body(error.code, error.message), status_code=413)
                await response(scope, receive, send_wrapper)
                received = int(declared)
            else:
                await self.app(scope, receive_wrapper, send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope["method"]
            self.metrics.in_flight.dec()
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(elapsed)
            log.info(
                "request id=%s method=%s route=%s status=%s bytes_in=%d bytes_out=%d ms=%.1f",
                request_id, method, route, status, received, sent, elapsed * 1000,
            )  # fmt: skip


def _clean_request_id(value: str | None) -> str | None:
    """A client's X-Request-ID if it is short and plain (it goes into logs and headers)."""
    if value and len(value) <= 64 and all(c.isalnum() or c in "-_." for c in value):
        return value
    return None


def _body_too_large(limit: int) -> ApiError:
    return ApiError(413, "body_too_large", f"The request body is larger than the limit of {limit:,} bytes.")


# ----------------------------------------------------------------------------------------- the app


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """Build the app. ``runtime`` (tests) skips loading the model in the lifespan."""
    settings = settings or Settings()
    metrics = Metrics()
    log.setLevel(settings.log_level.upper())
    if not log.handlers:
        # uvicorn configures only its own loggers; without this the request lines would go nowhere.
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.runtime = runtime
        app.state.load_error = None
        if runtime is None:
            try:
                app.state.runtime = await asyncio.to_thread(
                    Runtime, settings.model_dir, settings.threads or None
                )
            except ModelLoadError as exc:
                app.state.load_error = str(exc)
                log.error("model not loaded: %s", exc)
        if app.state.runtime is not None:
            info = model_info(app.state.runtime)
            metrics.model.labels(info["name"], info["version"]).set(1)
            metrics.loaded.set(1)
            log.info("model loaded name=%s version=%s", info["name"], info["version"])
        app.state.pool = InferencePool(settings.inference_workers, settings.capacity, metrics.queue.set)
        try:
            yield
        finally:
            app.state.pool.shutdown()
            metrics.loaded.set(0)

    app = FastAPI(
        title="hetong review API",
        summary="Chinese government contract review: parties, amounts, milestones, breach clauses, risks.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.jobs = JobManager(settings.jobs_dir)
    _install_error_handlers(app)
    if settings.cors_origin_list():
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list(),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-API-Key", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
        )
    app.add_middleware(RequestMiddleware, settings=settings, metrics=metrics)
    _add_routes(app, settings, metrics)
    app.include_router(ml_backend.router)
    return app


async def run_in_pool(request: Request, fn: Callable[[], T]) -> T:
    """``fn`` in the bounded inference pool: 503 with Retry-After when the queue is full, 504 on timeout."""
    settings: Settings = request.app.state.settings
    try:
        return await request.app.state.pool.run(settings.request_timeout_s, fn)
    except QueueFull:
        request.app.state.metrics.rejected.inc()
        raise ApiError(
            503, "queue_full", "The review queue is full; retry after a few seconds.",
            headers={"Retry-After": str(settings.retry_after_s)},
        ) from None  # fmt: skip
    except TimeoutError:
        raise ApiError(
            504, "timeout", f"The review took longer than {settings.request_timeout_s:g} s and was abandoned."
        ) from None


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_runtime(request: Request) -> Runtime:
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None:
        settings: Settings = request.app.state.settings
        raise ApiError(
            503, "model_not_loaded", "The model is not loaded; see /readyz.",
            headers={"Retry-After": str(settings.retry_after_s)},
        )  # fmt: skip
    return runtime


_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="required when configured")


def require_api_key(request: Request, key: Annotated[str | None, Depends(_api_key_header)] = None) -> None:
    accepted = request.app.state.settings.api_key_list()
    if not accepted:
        return
    if not key:
        raise ApiError(401, "missing_api_key", "This API needs an X-API-Key header.")
    # Compare against every key in constant time, so timing does not tell which prefix matched.
    if not any(hmac.compare_digest(key.encode(), k.encode()) for k in accepted):
        raise ApiError(401, "invalid_api_key", "The X-API-Key header does not hold an accepted key.")


def require_json(request: Request) -> None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise ApiError(
            415, "unsupported_media_type",
            f"Send the request as application/json (got {content_type or 'no Content-Type'}); "
            "upload files to /v1/review/file as multipart/form-data.",
        )  # fmt: skip


def require_multipart(request: Request) -> None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data":
        raise ApiError(
            415, "unsupported_media_type",
            f"Upload the file as multipart/form-data with a 'file' field (got {content_type or 'none'}).",
        )  # fmt: skip


def _add_routes(app: FastAPI, settings: Settings, metrics: Metrics) -> None:
    protected = [Depends(require_api_key)]

    async def run_review(
        request: Request, runtime: Runtime, read_text: Callable[[], tuple[str, bool]], options: ReviewOptions,
    ) -> dict[str, Any]:  # fmt: skip
        """Run ``read_text`` (file extraction or pasted-text checks) and the review in the bounded pool.

        Extraction runs in the pool too: parsing a large PDF costs CPU like inference does, so it must
        count against the same bound and the same timeout.
        """
        queued = time.perf_counter()

        def job() -> tuple[dict[str, Any], int]:
            started = time.perf_counter()
            timing = {"queue": (started - queued) * 1000}
            text, include_text = read_text()
            timing["extract"] = (time.perf_counter() - started) * 1000
            return review(runtime, text, options, include_text=include_text, timing=timing), len(text)

        try:
            result, chars = await run_in_pool(request, job)
        except DocumentError as exc:
            raise ApiError.from_document_error(exc) from None
        except ReviewInputError as exc:
            raise ApiError(exc.status, exc.code, exc.message) from None
        metrics.inference.observe(result["timing_ms"].get("inference", 0) / 1000)
        log.info(
            "review id=%s chars=%d entities=%d risks_hit=%d timing=%s",
            request.state.request_id, chars, len(result["entities"]),
            sum(1 for r in result.get("risks", ()) if r["status"] == "HIT"), result["timing_ms"],
        )  # fmt: skip
        metrics.characters.observe(chars)
        return result

    def pasted(text: str) -> Callable[[], tuple[str, bool]]:
        def read() -> tuple[str, bool]:
            prepared = prepare_text(text, settings.max_chars)
            return prepared, prepared != text  # echo the text only when reading changed it

        return read

    @app.post(
        "/v1/review", response_model=ReviewResponse, responses=ERRORS, tags=["review"],
        dependencies=[*protected, Depends(require_json)],
    )  # fmt: skip
    async def review_text(
        body: ReviewRequest, request: Request, runtime: Annotated[Runtime, Depends(get_runtime)]
    ) -> JSONResponse:
        """Review pasted contract text: spans, the A.3 record, risks, score and milestone lights."""
        result = await run_review(request, runtime, pasted(body.text), body.to_options())
        return JSONResponse(result)

    @app.post(
        "/v1/review/file", response_model=ReviewResponse, responses=ERRORS, tags=["review"],
        dependencies=[*protected, Depends(require_multipart)],
    )  # fmt: skip
    async def review_file(
        request: Request,
        runtime: Annotated[Runtime, Depends(get_runtime)],
        file: Annotated[UploadFile, File(description=".txt, .docx or .pdf")],
        options: Annotated[
            str | None, Form(description="JSON object: metadata, as_of, milestone_status, events")
        ] = None,
    ) -> JSONResponse:
        """Review an uploaded .txt/.docx/.pdf; the answer includes the extracted ``text`` offsets index."""
        review_options = _parse_options(options)
        declared = (file.content_type or "").split(";")[0].strip().lower()
        if declared not in ALLOWED_UPLOAD_TYPES:
            raise ApiError(
                415, "unsupported_media_type",
                f"Files of type {declared} are not accepted; upload .txt, .docx or .pdf.",
            )  # fmt: skip
        data = await file.read()  # bounded by max_body_bytes; read_bytes reports the true size
        filename = file.filename

        def read() -> tuple[str, bool]:
            extracted = read_bytes(data, filename, max_bytes=settings.max_file_bytes)
            return check_extracted(extracted, settings.max_chars), True

        result = await run_review(request, runtime, read, review_options)
        return JSONResponse(result)

    @app.post(
        "/v1/extract", response_model=ExtractResponse, responses=ERRORS, tags=["review"],
        dependencies=[*protected, Depends(require_json)],
    )  # fmt: skip
    async def extract(
        body: ExtractRequest, request: Request, runtime: Annotated[Runtime, Depends(get_runtime)]
    ) -> JSONResponse:
        """Spans and the A.3 record only: no risk rules, score or lights."""
        result = await run_review(request, runtime, pasted(body.text), ReviewOptions(risks=False))
        return JSONResponse(result)

    @app.post(
        "/v1/feedback", status_code=201, response_model=FeedbackResponse, tags=["review"],
        responses={**ERRORS, 404: {"model": ErrorResponse}}, dependencies=[*protected, Depends(require_json)],
    )  # fmt: skip
    async def feedback(body: FeedbackRequest, request: Request) -> FeedbackResponse:
        """Queue a reviewed contract and the spans its reviewer flagged for annotation in Label Studio."""
        if settings.feedback_dir is None:
            raise ApiError(
                404, "feedback_disabled",
                "This service keeps no annotation queue: set HETONG_FEEDBACK_DIR to accept feedback.",
            )  # fmt: skip
        directory = settings.feedback_dir

        def accept() -> tuple[str, int]:
            """Check the text and spans and write the queue files (off the event loop: it is file I/O)."""
            try:
                text = prepare_text(body.text, settings.max_chars)
            except ReviewInputError as exc:
                raise ApiError(exc.status, exc.code, exc.message) from None
            if text != body.text and body.flagged:
                raise ApiError(
                    422, "offsets_mismatch",
                    "The flagged offsets must index the text the review returned; send that text unchanged.",
                )  # fmt: skip
            for span in body.flagged:
                if not span.start < span.end <= len(text):
                    raise ApiError(
                        422, "invalid_span",
                        f"Flagged span [{span.start}, {span.end}) lies outside the text ({len(text)} chars).",
                    )  # fmt: skip
                if span.label not in ENT_LABEL_NAMES:
                    raise ApiError(
                        422, "unknown_label", f"Label {span.label!r} is not an entity label of the schema."
                    )
            flagged = [FlaggedSpan(s.start, s.end, s.label, s.problem) for s in body.flagged]
            return queue_feedback(directory, text, body.note, flagged, body.model_version), len(text)

        feedback_id, chars = await run_in_threadpool(accept)
        log.info(
            "feedback id=%s queued=%s chars=%d flagged=%d",
            request.state.request_id, feedback_id, chars, len(body.flagged),
        )  # fmt: skip
        return FeedbackResponse(id=feedback_id)

    @app.get("/v1/model", tags=["service"], dependencies=protected)
    async def model_card(runtime: Annotated[Runtime, Depends(get_runtime)]) -> dict[str, Any]:
        """The model card of the loaded model (labels, architecture, test scores)."""
        return runtime.card or model_info(runtime)

    # The page's list of labels a reviewer can say the model missed: the schema's tier-1 entity labels.
    page = (
        (Path(__file__).parent / "static" / "review.html")
        .read_text(encoding="utf-8")
        .replace(
            "[/*ENT_LABELS*/]",
            json.dumps([[label.name, label.zh] for label in labels("ENT", 1)], ensure_ascii=False),
        )
    )

    @app.get("/", include_in_schema=False)
    async def review_page() -> HTMLResponse:
        """A self-contained review page over this API (upload with a progress bar, highlighted spans)."""
        return HTMLResponse(page, headers={"Content-Security-Policy": PAGE_CSP})

    @app.get("/healthz", tags=["service"])
    async def healthz() -> dict[str, str]:
        """The process is up (it may still be loading the model)."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["service"], responses={503: {"model": ErrorResponse}})
    async def readyz(request: Request) -> dict[str, Any]:
        """The model is loaded and reviews can be served."""
        runtime = getattr(request.app.state, "runtime", None)
        if runtime is None:
            reason = getattr(request.app.state, "load_error", None) or "the model is still loading"
            raise ApiError(
                503, "model_not_loaded", f"Not ready: {reason}.",
                headers={"Retry-After": str(settings.retry_after_s)},
            )  # fmt: skip
        return {"status": "ready", "model": model_info(runtime)}

    @app.get("/metrics", tags=["service"], response_class=Response)
    async def prometheus() -> Response:
        """Prometheus metrics: request counts, latency histograms, in-flight requests, queue, model."""
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)


def _parse_options(raw: str | None) -> ReviewOptions:
    if not raw:
        return ReviewOptions()
    try:
        return ReviewOptionsIn.model_validate_json(raw).to_options()
    except ValidationError as exc:
        raise ApiError(422, "validation_error", "Invalid options: " + _describe(exc.errors())) from None


def _describe(errors: Any) -> str:
    """``field.path: message`` for the first few errors; the offending input is never echoed."""
    parts = []
    for error in list(errors)[:5]:
        location = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{location}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "The request is not valid."


def _install_error_handlers(app: FastAPI) -> None:
    def respond(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
        return JSONResponse(error_body(code, message), status_code=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc, ApiError):
            return respond(exc.status_code, exc.code, exc.message, exc.headers)
        code = STATUS_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404:
            message = f"There is no route {request.url.path}; see /docs for the API."
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}; see /docs for the API."
        return respond(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return respond(422, "validation_error", "Invalid request: " + _describe(exc.errors()))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        request_id = getattr(request.state, "request_id", "-")
        log.error("internal error id=%s type=%s", request_id, type(exc).__name__)
        return respond(500, "internal_error", f"Internal error (request id {request_id}).")
