"""The review pipeline shared by the HTTP API and ``hetong review``, so their JSON cannot drift apart.

text → :meth:`Runtime.predict` → :class:`~hetong.schema.Document` → :func:`~hetong.assemble.assemble`
→ :func:`~hetong.risk.evaluate` → :func:`~hetong.risk.score` → :func:`~hetong.monitoring.performance`.

:func:`prepare_text` is the one way text enters the pipeline: pasted text goes through the same ``.txt``
reader as an uploaded file (:func:`hetong.documents.read_bytes`), so line endings, a BOM, binary junk and
empty input are handled, and refused with the same codes, whichever way the contract arrives. Every
offset in the result is ``[start, end)`` into the text that function returns.

This module imports no web framework: the CLI uses it without FastAPI.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from hetong.assemble import assemble
from hetong.documents import DocumentError, ExtractedText, read_bytes
from hetong.monitoring import MilestoneStatus, performance
from hetong.normalize import normalize, normalize_rate
from hetong.risk import ReviewMetadata, RiskContext, evaluate, score
from hetong.schema import ENT_LABELS, Document, Span
from hetong.warnings import ContractLight, MilestoneLight

_ENT_GROUP = {label.name: label.group for label in ENT_LABELS}
_NORMALIZER = {"amount": "amount", "date": "date", "period": "period", "rate": "rate"}
_LABEL_NORMALIZER = {"PHONE": "phone", "USCC": "uscc"}
_RATE_CONTEXT = 24
"""Characters of left/right context a rate's periodicity and base are read from (spec A.4.4)."""


class ReviewInputError(Exception):
    """Text the pipeline refuses: ``code`` is machine-readable, ``status`` the HTTP status to answer."""

    def __init__(self, code: str, message: str, status: int = 422) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message


class Predictor(Protocol):
    """What the pipeline needs of :class:`serving.runtime.Runtime` (a test may pass a stand-in)."""

    card: dict[str, Any]

    def predict(self, text: str) -> Any: ...


@dataclass(frozen=True)
class ReviewOptions:
    """Everything besides the text: platform metadata, the review date and the execution status."""

    metadata: ReviewMetadata = field(default_factory=ReviewMetadata)
    as_of: dt.date | None = None
    """The date lights and date-dependent rules are computed for; the server's date when None."""
    statuses: Sequence[MilestoneStatus] = ()
    events: Mapping[str, dt.date] = field(default_factory=dict)
    risks: bool = True
    """False for ``/v1/extract``: spans and record only."""


def prepare_text(text: str, max_chars: int | None = None) -> str:
    """Read pasted text like an uploaded ``.txt`` and apply the character limit.

    Raises :class:`ReviewInputError` with a :mod:`hetong.documents` code (or ``text_too_long``).
    """
    data = text.encode("utf-8", errors="surrogatepass")  # a lone surrogate is junk, refused below
    try:
        extracted = read_bytes(data, "text.txt", max_bytes=max(len(data), 1))
    except DocumentError as exc:
        raise ReviewInputError(exc.code, exc.message, 422) from None
    return check_extracted(extracted, max_chars)


def check_extracted(extracted: ExtractedText, max_chars: int | None = None) -> str:
    """The text of a read document, refused when it is blank or longer than ``max_chars``."""
    text = extracted.text
    if not text.strip():
        raise ReviewInputError("empty_document", "The document contains no text (only whitespace).", 422)
    if max_chars is not None and len(text) > max_chars:
        raise ReviewInputError(
            "text_too_long",
            f"The text has {len(text):,} characters; at most {max_chars:,} are accepted per request.",
            413,
        )
    return text


def review(
    runtime: Predictor,
    text: str,
    options: ReviewOptions | None = None,
    *,
    include_text: bool = False,
    timing: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Review ``text`` (already through :func:`prepare_text`) and return the API's JSON-ready response.

    ``timing`` carries milliseconds spent before the pipeline (file extraction, queueing); they are
    reported next to the pipeline's own steps.
    """
    options = options or ReviewOptions()
    started = time.perf_counter()
    timings: dict[str, float] = {key: round(value, 1) for key, value in (timing or {}).items()}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = round((now - since) * 1000, 1)
        return now

    prediction = runtime.predict(text)
    mark = lap("inference", started)
    doc = Document(doc_id="request", text=text, ent=prediction.ent, cl=prediction.cl, units=prediction.units)
    record = assemble(doc)
    mark = lap("assemble", mark)
    out: dict[str, Any] = {"model": model_info(runtime)}
    out["text_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if include_text:
        out["text"] = text
    out["entities"] = [_entity(text, span) for span in prediction.ent]
    out["clauses"] = [_clause(text, span) for span in prediction.cl]
    out["units"] = [
        {
            "start": unit.start,
            "end": unit.end,
            "types": [
                {"type": name, "score": _round(s)}
                for name, s in zip(unit.types, unit.scores or (None,) * len(unit.types), strict=True)
            ],
        }
        for unit in prediction.units
    ]
    out["record"] = _jsonable(record)  # as record.to_json(), without asdict's deep copy first
    if options.risks:
        as_of = options.as_of or dt.date.today()
        metadata = options.metadata
        if metadata.today is None:
            metadata = _with_today(metadata, as_of)
        results = evaluate(doc, metadata, record)
        scored = score(results)
        mark = lap("risk", mark)
        ctx = RiskContext(doc, record, metadata)
        gov_buyer_sme = ctx.gov_buyer() and ctx.sme()
        light = performance(record, as_of, options.events, options.statuses, gov_buyer_sme=gov_buyer_sme)
        lap("warnings", mark)
        out["risks"] = [_jsonable(result.to_json()) for result in results]
        out["score"] = float(scored.score)
        out["level"] = scored.level
        out["as_of"] = as_of.isoformat()
        out["warnings"] = [_warning(m) for m in light.milestones]
        out["performance"] = _performance(light)
    timings["total"] = round(sum(v for k, v in timings.items() if k != "total"), 1)
    timings["pipeline"] = round((time.perf_counter() - started) * 1000, 1)
    out["timing_ms"] = timings
    return out


def model_info(runtime: Predictor) -> dict[str, str]:
    card = runtime.card or {}
    return {"name": str(card.get("name", "unknown")), "version": str(card.get("version", "unknown"))}


def _with_today(metadata: ReviewMetadata, as_of: dt.date) -> ReviewMetadata:
    values = {name: getattr(metadata, name) for name in ReviewMetadata.__dataclass_fields__}
    values["today"] = as_of.isoformat()
    return ReviewMetadata(**values)


def _clause(text: str, span: Span) -> dict[str, Any]:
    return {
        "label": span.label,
        "start": span.start,
        "end": span.end,
        "text": text[span.start : span.end],
        "score": _round(span.score),
    }


def _entity(text: str, span: Span) -> dict[str, Any]:
    return {**_clause(text, span), "normalized": _normalized(text, span)}


def _normalized(text: str, span: Span) -> dict[str, Any] | None:
    kind = _LABEL_NORMALIZER.get(span.label) or _NORMALIZER.get(_ENT_GROUP.get(span.label, ""))
    if kind is None:
        return None
    value = text[span.start : span.end]
    if kind == "rate":
        left = text[max(0, span.start - _RATE_CONTEXT) : span.start]
        right = text[span.end : span.end + _RATE_CONTEXT]
        return _jsonable(normalize_rate(value, left, right))
    return _jsonable(normalize(kind, value))


def _warning(m: MilestoneLight) -> dict[str, Any]:
    return {
        "id": m.id,
        "kind": m.kind,
        "obligor": m.obligor,
        "light": m.code,
        "zh": m.zh,
        "colour": m.colour,
        "closed": m.closed,
        "due": m.due.isoformat() if m.due else None,
        "days_left": m.r,
        "completed": m.completed.isoformat() if m.completed else None,
        "late_days": m.late_days,
        "compliance_log": m.compliance_log,
        "flags": list(m.flags),
    }


def _performance(light: ContractLight) -> dict[str, Any]:
    return {
        "colour": light.colour,
        "zh": light.zh,
        "worst": light.worst.value if light.worst else None,
        "reasons": list(light.reasons),
        "on_time_rate": light.on_time_rate,
        "avg_late_days": light.avg_late_days,
        "overdue_open_count": light.overdue_open_count,
        "buyer_overdue_payments": list(light.buyer_overdue_payments),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _jsonable(value: Any) -> Any:
    """Plain JSON types only (dataclasses → dicts, tuples → lists, Decimal → str, dates → ISO), so both
    outputs serialise alike."""
    if value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    return value
