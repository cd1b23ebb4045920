"""The one error shape of the review API: ``{"error": {"code": ..., "message": ...}}``.

:class:`ApiError` subclasses FastAPI's ``HTTPException`` on purpose: FastAPI turns any other exception
raised while it reads a request body into a bare 400, but re-raises ``HTTPException`` untouched, so a body
that grows past the size limit mid-stream still answers 413 with its own code.
"""

from __future__ import annotations

from fastapi import HTTPException

from hetong.documents import DocumentError

# HTTP status of each hetong.documents refusal: size problems are 413, formats we do not read are 415,
# and files we recognise but cannot turn into text are 422.
DOCUMENT_STATUS: dict[str, int] = {
    "empty_document": 422,
    "file_too_large": 413,
    "archive_too_large": 413,
    "unsupported_format": 415,
    "unreadable_document": 422,
    "no_text_layer": 422,
}

# Codes for errors Starlette/FastAPI raise themselves (unknown route, wrong method, ...).
STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "request_timeout",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
    503: "service_unavailable",
    504: "timeout",
}


class ApiError(HTTPException):
    """An error with a machine-readable ``code`` and a human ``message`` (never quoting contract text)."""

    def __init__(
        self, status_code: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status_code=status_code, detail=message, headers=headers)
        self.code = code
        self.message = message

    @classmethod
    def from_document_error(cls, exc: DocumentError) -> ApiError:
        return cls(DOCUMENT_STATUS.get(exc.code, 422), exc.code, exc.message)


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}
