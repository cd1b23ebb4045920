"""The review API (serving.app) and ``hetong review`` on a real exported model directory.

The model is ``$HETONG_MODEL_DIR`` if set, else ``models/default``. With the tiny untrained development
model (``HETONG_MODEL_DIR=/tmp/model_smoke``) the spans are noise, so exact spans are asserted only where
they do not depend on the model: the pipeline with fixed spans (a stand-in predictor), offsets, shapes and
every error. ``test_shipped_model_finds_the_parties_of_a_filled_template`` asserts real spans and needs
the trained model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
import random
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest

pytest.importorskip("fastapi", reason="the review API needs the serving extra")
pytest.importorskip("onnxruntime", reason="the review API needs the serving extra")

import docx
from fastapi.testclient import TestClient

from hetong import cli
from hetong.documents import read_file
from hetong.schema import Span, Unit
from serving.app import ExtractResponse, ReviewResponse, create_app, get_runtime
from serving.review import ReviewOptions, prepare_text, review
from serving.runtime import Runtime
from serving.settings import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = Path(os.environ.get("HETONG_MODEL_DIR") or REPO_ROOT / "models" / "default")
DEV_MODEL = os.environ.get("HETONG_MODEL_DIR") == "/tmp/model_smoke"
FILLED_TEMPLATE = Path("yh_oa_hyhetong/chengbao/chenbaoht05.txt")  # a test-split template: unseen in training

SECRET_PARTY = "星河测绘地理信息有限公司"
CONTRACT = (
    "政府采购合同\r\n"
    "甲方（采购人）：杭州市西湖区财政局\r\n"
    f"乙方（供应商）：{SECRET_PARTY}\r\n"
    "第一条 合同金额\n合同总价为人民币壹拾万元整（¥100,000.00）。\n"
    "第二条 付款方式\n验收合格后30日内，甲方支付合同总价的100%。\n"
    "第三条 违约责任\n乙方逾期交付的，每逾期一日按合同总价的万分之五支付违约金。\n"
    "第四条 争议解决\n因本合同发生争议的，提交杭州仲裁委员会仲裁。\n"
    "甲方（盖章）：杭州市西湖区财政局    乙方（盖章）：星河测绘地理信息有限公司\n"
    "签订日期：2025年3月18日\n"
)
RESPONSE_KEYS = {
    "model", "text_sha256", "entities", "clauses", "units", "record", "risks", "score", "level", "as_of",
    "warnings", "performance", "timing_ms",
}  # fmt: skip


# ------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def model_dir() -> Path:
    if not (MODEL_DIR / "model.onnx").is_file():
        pytest.fail(
            f"no model at {MODEL_DIR}: export one to models/default (make model) or set HETONG_MODEL_DIR "
            "to a model directory (e.g. /tmp/model_smoke for development)"
        )
    return MODEL_DIR


@pytest.fixture(scope="module")
def runtime(model_dir: Path) -> Runtime:
    return Runtime(model_dir, threads=1)


def settings(model_dir: Path, **overrides: Any) -> Settings:
    # Explicit values, so HETONG_* variables of the developer's shell cannot change what is tested.
    values: dict[str, Any] = {
        "model_dir": model_dir, "threads": 1, "api_keys": "", "cors_origins": "", "feedback_dir": None,
    }  # fmt: skip
    return Settings(**{**values, **overrides})


@pytest.fixture
def make_client(runtime: Runtime, model_dir: Path) -> Iterator[Any]:
    """A client for an app with the given settings, sharing the module's loaded model."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        client = TestClient(create_app(settings(model_dir, **overrides), runtime=runtime))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def client(runtime: Runtime, model_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings(model_dir), runtime=runtime)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def reviewed(client: TestClient) -> dict[str, Any]:
    response = client.post("/v1/review", json={"text": CONTRACT, "as_of": "2025-06-01"})
    assert response.status_code == 200, response.text
    return response.json()


def assert_error(response: Any, status: int, code: str, *words: str) -> dict[str, str]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    message = body["error"]["message"]
    assert len(message) > 15 and message[0].isupper()
    for word in words:
        assert word in message, message
    return body["error"]


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------ service routes


def test_health_readiness_model_card_docs_and_metrics(client: TestClient, runtime: Runtime) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready"
    assert ready["model"] == {"name": runtime.card["name"], "version": runtime.card["version"]}
    assert client.get("/v1/model").json() == runtime.card
    assert client.get("/docs").status_code == 200
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "v1/review/file" in page.text and "upload.onprogress" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    schema = client.get("/openapi.json").json()
    assert {"/v1/review", "/v1/review/file", "/v1/extract", "/v1/model"} <= set(schema["paths"])
    assert {"ReviewResponse", "Entity", "Risk", "ErrorResponse"} <= set(schema["components"]["schemas"])
    client.post("/v1/review", json={"text": "甲方：某某局"})
    metrics = client.get("/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    body = metrics.text
    assert 'hetong_http_requests_total{method="POST",route="/v1/review",status="200"}' in body
    assert 'hetong_http_request_duration_seconds_bucket{le="0.5",method="POST",route="/v1/review"}' in body
    assert "hetong_http_requests_in_flight 1.0" in body  # the /metrics request itself
    assert (
        f'hetong_model_info{{name="{runtime.card["name"]}",version="{runtime.card["version"]}"}} 1.0' in body
    )
    assert "hetong_inference_duration_seconds_count" in body


def test_review_response_shape_and_offsets(reviewed: dict[str, Any], runtime: Runtime) -> None:
    ReviewResponse.model_validate(reviewed)
    assert set(reviewed) == RESPONSE_KEYS | {"text"}  # CRLF became LF, so the text is returned
    text = reviewed["text"]
    assert text == CONTRACT.replace("\r\n", "\n")
    assert reviewed["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert reviewed["model"] == {"name": runtime.card["name"], "version": runtime.card["version"]}
    for item in (*reviewed["entities"], *reviewed["clauses"]):
        assert 0 <= item["start"] < item["end"] <= len(text)
        assert text[item["start"] : item["end"]] == item["text"]
        assert item["score"] is None or 0 <= item["score"] <= 1
    assert reviewed["units"] and all(0 <= u["start"] < u["end"] <= len(text) for u in reviewed["units"])
    assert [u["start"] for u in reviewed["units"]] == sorted(u["start"] for u in reviewed["units"])
    assert len(reviewed["risks"]) == 75
    assert {r["status"] for r in reviewed["risks"]} <= {"HIT", "PASS", "NOT_APPLICABLE", "NOT_EVALUABLE"}
    for risk in reviewed["risks"]:
        assert all(0 <= e["start"] <= e["end"] <= len(text) for e in risk["evidence"])
    assert 0 <= reviewed["score"] <= 100 and reviewed["level"] in {"红", "橙", "黄", "蓝"}
    assert reviewed["as_of"] == "2025-06-01"
    assert [w["id"] for w in reviewed["warnings"]] == [m["id"] for m in reviewed["record"]["milestones"]]
    assert {"inference", "assemble", "risk", "total"} <= set(reviewed["timing_ms"])


def test_pasted_text_with_unix_line_endings_is_not_echoed(client: TestClient) -> None:
    text = CONTRACT.replace("\r\n", "\n")
    body = client.post("/v1/review", json={"text": text}).json()
    assert "text" not in body
    assert body["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()


class FixedPredictor:
    """A stand-in for Runtime with known spans, to test the pipeline exactly whatever the model."""

    card: ClassVar[dict[str, str]] = {"name": "fixed", "version": "1"}

    def __init__(self, text: str) -> None:
        def span(label: str, value: str, after: int = 0) -> Span:
            start = text.index(value, after)
            return Span(start, start + len(value), label, 0.9)

        self.ent = [
            span("PARTY_A", "杭州市西湖区财政局"),
            span("PARTY_B", SECRET_PARTY),
            span("AMT_TOTAL_UPPER", "人民币壹拾万元整"),
            span("AMT_TOTAL_LOWER", "¥100,000.00"),
            span("PERIOD", "30日内"),
            span("RATE_PAYMENT", "100%"),
            span("RATE_PENALTY", "万分之五"),
            span("ARB_BODY", "杭州仲裁委员会"),
            span("DATE_SIGN", "2025年3月18日"),
        ]
        pay = text.index("验收合格后")
        breach = text.index("乙方逾期交付")
        self.cl = [
            Span(pay, text.index("。", pay) + 1, "CL_MS_PAY", 0.8),
            Span(breach, text.index("。", breach) + 1, "CL_BREACH", 0.8),
        ]
        self.units = [Unit(0, len(text), ("PAYMENT",), (0.7,))]

    def predict(self, text: str) -> SimpleNamespace:
        return SimpleNamespace(ent=self.ent, cl=self.cl, units=self.units, windows=1, tokens=len(text))


def test_pipeline_with_fixed_spans_normalises_and_assembles() -> None:
    text = prepare_text(CONTRACT)
    result = review(FixedPredictor(text), text, ReviewOptions(as_of=dt.date(2025, 6, 1)))
    by_label = {e["label"]: e for e in result["entities"]}
    assert by_label["AMT_TOTAL_UPPER"]["normalized"]["value"] == "100000.00"
    assert by_label["AMT_TOTAL_LOWER"]["normalized"]["value"] == "100000.00"
    assert by_label["DATE_SIGN"]["normalized"]["iso"] == "2025-03-18"
    assert by_label["PERIOD"]["normalized"]["days"] == 30
    assert by_label["RATE_PENALTY"]["normalized"]["per"] == "day"  # read from the left context 每逾期一日
    assert by_label["ARB_BODY"]["normalized"] is None and by_label["PARTY_A"]["score"] == 0.9
    record = result["record"]
    assert record["amounts"]["total"] == "100000.00"
    assert [(p["role"], p["name"]) for p in record["parties"]][:2] == [
        ("buyer", "杭州市西湖区财政局"),
        ("supplier", SECRET_PARTY),
    ]
    assert [(m["kind"], m["anchor_event"]) for m in record["milestones"]] == [("PAY", "ACCEPTANCE")]
    assert result["warnings"][0]["light"] == "GREY"  # acceptance has not happened yet
    assert result["units"] == [{"start": 0, "end": len(text), "types": [{"type": "PAYMENT", "score": 0.7}]}]
    ReviewResponse.model_validate({**result, "model": {"name": "fixed", "version": "1"}})


def test_events_and_milestone_status_reach_the_lights(client: TestClient, runtime: Runtime) -> None:
    fixed = FixedPredictor(prepare_text(CONTRACT))
    client.app.dependency_overrides[get_runtime] = lambda: fixed
    try:
        late = client.post(
            "/v1/review",
            json={"text": CONTRACT, "as_of": "2025-08-10", "events": {"ACCEPTANCE": "2025-06-30"},
                  "metadata": {"buyer_type": "机关", "supplier_size": "小型", "budget": 120000}},
        ).json()  # fmt: skip
        paid = client.post(
            "/v1/review",
            json={"text": CONTRACT, "as_of": "2025-09-01", "events": {"ACCEPTANCE": "2025-06-30"},
                  "milestone_status": [{"id": "M1", "status": "已完成", "completed": "2025-07-10"}]},
        ).json()  # fmt: skip
    finally:
        client.app.dependency_overrides.clear()
    assert late["warnings"][0]["due"] == "2025-07-30" and late["warnings"][0]["light"] == "RED-1"
    assert late["performance"]["colour"] == "red"
    assert paid["warnings"][0]["light"] == "GREEN-CLOSED" and paid["warnings"][0]["closed"]


def test_extract_returns_spans_and_record_without_risks(client: TestClient) -> None:
    body = client.post("/v1/extract", json={"text": CONTRACT}).json()
    ExtractResponse.model_validate(body)
    assert {"risks", "score", "level", "warnings"}.isdisjoint(body)
    assert {"model", "entities", "clauses", "units", "record", "timing_ms"} <= set(body)
    assert "risk" not in body["timing_ms"]


def test_review_file_txt_gb18030_and_docx(client: TestClient) -> None:
    text = CONTRACT.replace("\r\n", "\n")
    response = client.post(
        "/v1/review/file",
        files={"file": ("合同.txt", text.encode("gb18030"), "text/plain")},
        data={"options": json.dumps({"as_of": "2025-06-01", "metadata": {"regime": "政府采购"}})},
    )
    body = response.json()
    assert response.status_code == 200, body
    assert set(body) == RESPONSE_KEYS | {"text"} and body["text"] == text
    assert {"extract", "queue", "inference"} <= set(body["timing_ms"])
    paragraphs = ["政府采购合同", "甲方：杭州市西湖区财政局", "合同总价为人民币壹拾万元整。"]
    response = client.post("/v1/review/file", files={"file": ("合同.docx", docx_bytes(*paragraphs))})
    body = response.json()
    assert response.status_code == 200, body
    assert body["text"] == "\n".join(paragraphs)
    for entity in body["entities"]:
        assert body["text"][entity["start"] : entity["end"]] == entity["text"]


# ------------------------------------------------------------------------------------------- errors


def test_oversized_body_is_refused_declared_or_streamed(make_client: Any) -> None:
    client = make_client(max_body_bytes=2000)
    assert_error(client.post("/v1/review", json={"text": "甲" * 1000}), 413, "body_too_large", "2,000 bytes")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams
        yield b'{"text": "'
        for _ in range(10):
            yield "甲方".encode() * 100
        yield b'"}'

    response = client.post("/v1/review", content=chunks(), headers={"content-type": "application/json"})
    assert_error(response, 413, "body_too_large")
    files = {"file": ("a.txt", "甲方".encode() * 1000, "text/plain")}
    assert_error(client.post("/v1/review/file", files=files), 413, "body_too_large")


def test_too_many_characters_and_too_large_file(make_client: Any) -> None:
    client = make_client(max_chars=100, max_file_bytes=1000)
    error = assert_error(client.post("/v1/review", json={"text": "甲方" * 60}), 413, "text_too_long")
    assert "120" in error["message"] and "100" in error["message"]
    files = {"file": ("a.txt", "甲方".encode() * 300, "text/plain")}
    assert_error(client.post("/v1/review/file", files=files), 413, "file_too_large", "1.8 KB", "1000 bytes")
    files = {"file": ("a.txt", "甲方".encode() * 60, "text/plain")}
    assert_error(client.post("/v1/review/file", files=files), 413, "text_too_long")


def test_unsupported_content_types(client: TestClient) -> None:
    response = client.post("/v1/review", content="甲方".encode(), headers={"content-type": "text/plain"})
    assert_error(response, 415, "unsupported_media_type", "application/json")
    response = client.post("/v1/review/file", json={"text": "甲方"})
    assert_error(response, 415, "unsupported_media_type", "multipart/form-data")
    files = {"file": ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png")}
    assert_error(client.post("/v1/review/file", files=files), 415, "unsupported_media_type", "image/png")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    files = {"file": ("合同.doc", ole, "application/octet-stream")}
    assert_error(client.post("/v1/review/file", files=files), 415, "unsupported_format", ".doc")


def test_empty_text_and_empty_file(client: TestClient) -> None:
    assert_error(client.post("/v1/review", json={"text": ""}), 422, "empty_document")
    assert_error(client.post("/v1/review", json={"text": " \n\u3000\n"}), 422, "empty_document")
    files = {"file": ("a.txt", b"", "text/plain")}
    assert_error(client.post("/v1/review/file", files=files), 422, "empty_document", "empty")


def test_binary_junk_and_wrong_encodings(client: TestClient) -> None:
    junk = random.Random(7).randbytes(4096)
    files = {"file": ("合同.txt", junk, "text/plain")}
    assert_error(client.post("/v1/review/file", files=files), 422, "unreadable_document", "binary")
    pasted = "".join(chr(c) for c in random.Random(7).choices(range(1, 32), k=500))
    assert_error(client.post("/v1/review", json={"text": pasted}), 422, "unreadable_document", "binary")
    damaged = "第一条 合同价款。".encode() * 30 + b"\xff\xfe" + "乙方".encode() * 20
    files = {"file": ("合同.txt", damaged, "text/plain")}
    assert_error(client.post("/v1/review/file", files=files), 422, "unreadable_document", "invalid bytes")
    utf16_without_bom = "合同价款".encode("utf-16-le") * 20
    files = {"file": ("合同.txt", utf16_without_bom, "text/plain")}
    assert_error(client.post("/v1/review/file", files=files), 422, "unreadable_document", "binary")


def test_corrupt_docx_and_pdf(client: TestClient) -> None:
    data = docx_bytes("甲方：杭州市西湖区财政局", "乙方：星河测绘")
    files = {"file": ("合同.docx", data[: len(data) // 2], "application/octet-stream")}
    assert_error(client.post("/v1/review/file", files=files), 422, "unreadable_document", "damaged")
    files = {"file": ("合同.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 4, "application/pdf")}
    assert_error(client.post("/v1/review/file", files=files), 422, "unreadable_document")


def test_zip_bomb_is_refused(client: TestClient) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", bytes(64 * 1024 * 1024))
    files = {"file": ("bomb.docx", buffer.getvalue(), DOCX_TYPE)}
    assert_error(client.post("/v1/review/file", files=files), 413, "archive_too_large", "ZIP bomb")


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_api_key(make_client: Any) -> None:
    client = make_client(api_keys="key-one, key-two")
    assert_error(client.get("/v1/model"), 401, "missing_api_key", "X-API-Key")
    assert_error(client.get("/v1/model", headers={"X-API-Key": "key-three"}), 401, "invalid_api_key")
    response = client.post("/v1/review", json={"text": CONTRACT}, headers={"X-API-Key": "nope"})
    assert_error(response, 401, "invalid_api_key")
    assert client.get("/v1/model", headers={"X-API-Key": "key-two"}).status_code == 200
    assert client.get("/healthz").status_code == 200 and client.get("/readyz").status_code == 200


def test_queue_full_answers_503_with_retry_after(make_client: Any) -> None:
    client = make_client(inference_workers=1, queue_size=0, retry_after_s=7)
    pool = client.app.state.pool
    pool.acquire()  # a review holding the only slot
    try:
        response = client.post("/v1/review", json={"text": CONTRACT})
        assert_error(response, 503, "queue_full", "retry")
        assert response.headers["retry-after"] == "7"
    finally:
        pool.release()
    assert client.post("/v1/review", json={"text": CONTRACT}).status_code == 200
    assert "hetong_inference_rejected_total 1.0" in client.get("/metrics").text


def test_slow_review_times_out_with_504(make_client: Any) -> None:
    client = make_client(request_timeout_s=0.05)

    class Slow(FixedPredictor):
        def predict(self, text: str) -> SimpleNamespace:
            time.sleep(0.3)
            return super().predict(text)

    client.app.dependency_overrides[get_runtime] = lambda: Slow(prepare_text(CONTRACT))
    assert_error(client.post("/v1/review", json={"text": CONTRACT}), 504, "timeout", "0.05 s")


def test_validation_errors_are_422_json_without_the_input(client: TestClient) -> None:
    error = assert_error(client.post("/v1/review", json={}), 422, "validation_error")
    assert "text" in error["message"]
    response = client.post("/v1/review", json={"text": CONTRACT, "as_of": "2025-13-45"})
    assert "as_of" in assert_error(response, 422, "validation_error")["message"]
    response = client.post("/v1/review", json={"text": CONTRACT, "metadata": {"buyer_kind": SECRET_PARTY}})
    error = assert_error(response, 422, "validation_error", "metadata.buyer_kind")
    assert SECRET_PARTY not in error["message"]
    response = client.post("/v1/review", json={"text": CONTRACT, "metadata": {"supplier_size": SECRET_PARTY}})
    assert SECRET_PARTY not in assert_error(response, 422, "validation_error")["message"]
    response = client.post("/v1/review", content=b'{"text": ', headers={"content-type": "application/json"})
    assert_error(response, 422, "validation_error", "JSON")
    files = {"file": ("a.txt", CONTRACT.encode(), "text/plain")}
    response = client.post("/v1/review/file", files=files, data={"options": '{"as_of": "yesterday"}'})
    assert_error(response, 422, "validation_error", "Invalid options: as_of")
    assert_error(
        client.post("/v1/review/file", data={"options": "{}"}, files={}), 415, "unsupported_media_type"
    )


def test_unknown_route_and_wrong_method_are_json(client: TestClient) -> None:
    assert_error(client.get("/v1/nothing"), 404, "not_found")
    assert_error(client.get("/v1/review"), 405, "method_not_allowed")


def test_model_not_loaded(tmp_path: Path) -> None:
    with TestClient(create_app(settings(tmp_path))) as client:
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
        assert_error(response, 503, "model_not_loaded", "model.onnx is missing")
        assert "retry-after" in response.headers
        assert_error(client.post("/v1/review", json={"text": CONTRACT}), 503, "model_not_loaded")


def test_cors_origins(make_client: Any) -> None:
    client = make_client(cors_origins="https://review.example.gov.cn")
    headers = {"Origin": "https://review.example.gov.cn", "Access-Control-Request-Method": "POST"}
    response = client.options("/v1/review", headers=headers)
    assert response.headers["access-control-allow-origin"] == "https://review.example.gov.cn"
    response = client.options("/v1/review", headers={**headers, "Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_logs_carry_request_id_and_timings_but_no_contract_text(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = client.post("/v1/review", json={"text": CONTRACT}, headers={"X-Request-ID": "req-42"})
        files = {"file": ("合同.txt", CONTRACT.encode(), "text/plain")}
        client.post("/v1/review/file", files=files)
        client.post("/v1/review", json={"text": CONTRACT, "metadata": {"regime": SECRET_PARTY}})
    assert response.headers["x-request-id"] == "req-42"
    messages = [record.getMessage() for record in caplog.records]
    ours = [m for m in messages if "id=req-42" in m]
    assert any("route=/v1/review status=200" in m and "bytes_in=" in m and "ms=" in m for m in ours)
    assert any(m.startswith("review id=req-42 chars=") and "inference" in m for m in ours)
    lines = [line for line in CONTRACT.replace("\r\n", "\n").split("\n") if line]
    for message in messages:
        assert SECRET_PARTY not in message and "星河测绘" not in message
        assert not any(line in message for line in lines)


# ------------------------------------------------------------------------------------------ feedback


def test_feedback_queues_the_reviewed_text_and_flagged_spans_for_annotate_push(
    make_client: Any, reviewed: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from annotation.cli import _read_texts, contract_files

    queue = tmp_path / "queue"
    client = make_client(feedback_dir=queue)
    text = reviewed["text"]  # the pasted text had \r\n: the review returned the text its offsets index
    party = next(e for e in reviewed["entities"] if e["text"] == SECRET_PARTY)
    start = text.index("合同总价为")
    flagged = [
        {"start": party["start"], "end": party["end"], "label": party["label"], "problem": "wrong"},
        {"start": start + 5, "end": start + 13, "label": "AMT_TOTAL_UPPER", "problem": "missing"},
    ]
    body = {"text": text, "note": "乙方名称识别有误", "flagged": flagged, "model_version": "0.3.2"}
    with caplog.at_level(logging.DEBUG):
        response = client.post("/v1/feedback", json=body, headers={"X-Request-ID": "fb-1"})
    assert response.status_code == 201, response.text
    feedback_id = response.json()["id"]
    assert feedback_id == hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    assert (queue / f"{feedback_id}.txt").read_text(encoding="utf-8") == text
    sidecar = json.loads((queue / f"{feedback_id}.feedback.json").read_text(encoding="utf-8"))
    assert sidecar["flagged"] == flagged and sidecar["note"] == body["note"]
    assert sidecar["model_version"] == "0.3.2" and sidecar["text_sha256"].startswith(feedback_id)
    assert any(m.startswith("feedback id=fb-1 queued=") for m in (r.getMessage() for r in caplog.records))
    for record in caplog.records:
        assert SECRET_PARTY not in record.getMessage() and body["note"] not in record.getMessage()

    # `hetong annotate push QUEUE` reads the text, not the sidecar, and the offsets still hold.
    files = contract_files([queue])
    assert files == [queue / f"{feedback_id}.txt"]
    ((_, pushed),) = _read_texts(files)
    assert pushed == text and pushed[party["start"] : party["end"]] == SECRET_PARTY

    # The same contract again replaces its feedback instead of queueing a twin.
    again = client.post("/v1/feedback", json={"text": text, "note": "已复核"})
    assert again.status_code == 201 and again.json()["id"] == feedback_id
    assert len(list(queue.iterdir())) == 2
    sidecar = json.loads((queue / f"{feedback_id}.feedback.json").read_text(encoding="utf-8"))
    assert sidecar["note"] == "已复核" and sidecar["flagged"] == []


def test_feedback_is_refused_when_no_queue_is_configured(client: TestClient) -> None:
    response = client.post("/v1/feedback", json={"text": "甲方：某某局"})
    assert_error(response, 404, "feedback_disabled", "HETONG_FEEDBACK_DIR")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"text": "甲方：某某局", "flagged": [{"start": 3, "end": 99, "label": "PARTY_A"}]}, 422,
         "invalid_span"),
        ({"text": "甲方：某某局", "flagged": [{"start": 5, "end": 5, "label": "PARTY_A"}]}, 422,
         "invalid_span"),
        ({"text": "甲方：某某局\r\n乙方：某公司", "flagged": [{"start": 0, "end": 2, "label": "X"}]}, 422,
         "offsets_mismatch"),
        ({"text": " \n "}, 422, "empty_document"),
        ({"text": "甲方", "score": 3}, 422, "validation_error"),
        ({"text": "甲方：某某局", "flagged": [{"start": 3, "end": 6, "label": "BUYER"}]}, 422,
         "unknown_label"),
        ({"text": "甲方：某某局", "flagged": [{"start": 3, "end": 6, "label": "PARTY_A", "problem": "odd"}]},
         422, "validation_error"),
        ({"text": "甲方", "note": "长" * 2001}, 422, "validation_error"),
    ],
)  # fmt: skip
def test_feedback_input_errors(
    make_client: Any, tmp_path: Path, body: dict[str, Any], status: int, code: str
) -> None:
    client = make_client(feedback_dir=tmp_path / "queue")
    assert_error(client.post("/v1/feedback", json=body), status, code)
    assert not (tmp_path / "queue").exists()


def test_feedback_needs_the_api_key_like_the_reviews(make_client: Any, tmp_path: Path) -> None:
    client = make_client(feedback_dir=tmp_path / "queue", api_keys="key-one")
    assert_error(client.post("/v1/feedback", json={"text": "甲方：某某局"}), 401, "missing_api_key")
    ok = client.post("/v1/feedback", json={"text": "甲方：某某局"}, headers={"X-API-Key": "key-one"})
    assert ok.status_code == 201


# ---------------------------------------------------------------------------------------------- CLI


def test_cli_review_json_equals_the_api_response(
    client: TestClient, model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "合同.docx"
    path.write_bytes(docx_bytes(*CONTRACT.replace("\r\n", "\n").splitlines()))
    metadata = tmp_path / "metadata.json"
    metadata.write_text(json.dumps({"buyer_type": "机关", "supplier_size": "小型"}), encoding="utf-8")
    argv = ["review", str(path), "--json", "--as-of", "2025-06-01", "--metadata", str(metadata)]
    assert cli.main([*argv, "--model", str(model_dir)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1
    from_cli = json.loads(printed)
    options = {"as_of": "2025-06-01", "metadata": {"buyer_type": "机关", "supplier_size": "小型"}}
    response = client.post(
        "/v1/review/file",
        files={"file": (path.name, path.read_bytes())},
        data={"options": json.dumps(options)},
    )
    from_api = response.json()
    assert from_cli.pop("timing_ms") and from_api.pop("timing_ms")
    assert from_cli == from_api
    # The terminal report of the same file.
    assert cli.main(["review", str(path), "--as-of", "2025-06-01", "--model", str(model_dir)]) == 0
    report = capsys.readouterr().out
    for heading in ("Parties:", "Amounts:", "Milestones:", "Breach clauses:", "Risks (", "Score: "):
        assert heading in report


def test_cli_review_refuses_missing_model_and_bad_files(
    tmp_path: Path, model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["review", str(tmp_path / "x.txt"), "--model", str(tmp_path)]) == 2
    assert "no model at" in capsys.readouterr().err
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert cli.main(["review", str(empty), "--model", str(model_dir)]) == 2
    assert "empty_document" in capsys.readouterr().err
    assert cli.main(["serve", "--model", str(tmp_path)]) == 2
    assert "no model at" in capsys.readouterr().err


# -------------------------------------------------------------------------------- the trained model


@pytest.mark.skipif(DEV_MODEL, reason="untrained development model")
def test_shipped_model_finds_the_parties_of_a_filled_template(client: TestClient, corpus_dir: Path) -> None:
    from training.template_fill import fill_template

    doc = fill_template(read_file(corpus_dir / FILLED_TEMPLATE).text, 7, "api-test")
    gold = {(s.label, s.start, s.end) for s in doc.ent if s.label in ("PARTY_A", "PARTY_B")}
    assert {label for label, _, _ in gold} == {"PARTY_A", "PARTY_B"}
    body = client.post("/v1/review", json={"text": doc.text}).json()
    found = {(e["label"], e["start"], e["end"]) for e in body["entities"]}
    assert gold <= found, f"missing {sorted(gold - found)}"
    roles = {p["name"]: p["role"] for p in body["record"]["parties"]}
    for label, start, end in gold:
        assert roles[doc.text[start:end]] == ("buyer" if label == "PARTY_A" else "supplier")


def test_the_distilled_model_serves_and_names_its_teacher(corpus_dir: Path) -> None:
    """models/0.4.0, the faster 3-layer alternative, loads and reviews through the same pipeline, and its
    card identifies its teacher, the shipped default, by the checkpoint's sha256."""
    from training.template_fill import fill_template

    student_dir = REPO_ROOT / "models" / "0.4.0"
    student = Runtime(student_dir, threads=1)
    assert student.card["version"] == "0.4.0" and student.card["architecture"]["layers"] == 3
    teacher = REPO_ROOT / "models" / "default" / "pytorch" / "tagger.pt"
    assert student.card["training"]["teacher"]["sha256"] == hashlib.sha256(teacher.read_bytes()).hexdigest()
    doc = fill_template(read_file(corpus_dir / FILLED_TEMPLATE).text, 7, "api-test")
    body = review(student, doc.text, ReviewOptions(as_of=dt.date(2026, 1, 1)))
    assert body["model"] == {"name": student.card["name"], "version": "0.4.0"}
    found = {(e["label"], e["start"], e["end"]) for e in body["entities"]}
    gold = {(s.label, s.start, s.end) for s in doc.ent if s.label in ("PARTY_A", "PARTY_B")}
    assert gold <= found, f"missing {sorted(gold - found)}"


def test_unexpected_failure_is_a_json_500_without_details(runtime: Runtime, model_dir: Path) -> None:
    class Broken(FixedPredictor):
        def predict(self, text: str) -> SimpleNamespace:
            raise RuntimeError(f"boom {text[:20]}")

    app = create_app(settings(model_dir), runtime=runtime)
    app.dependency_overrides[get_runtime] = lambda: Broken(prepare_text(CONTRACT))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/v1/review", json={"text": CONTRACT}, headers={"X-Request-ID": "r-500"})
    error = assert_error(response, 500, "internal_error", "r-500")
    assert "boom" not in error["message"] and "财政局" not in error["message"]


def test_probabilities_of_a_long_text_do_not_depend_on_how_many_batches_wait(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    import serving.runtime

    text = CONTRACT * (20_000 // len(CONTRACT) + 1)  # > DEFERRED_BATCHES batches of windows
    deferred = runtime.probabilities(text)
    assert deferred.windows > serving.runtime.DEFERRED_BATCHES * runtime.batch_size
    monkeypatch.setattr(serving.runtime, "DEFERRED_BATCHES", 1)  # merge after every batch
    each = runtime.probabilities(text)
    for name in ("ent", "cl", "types"):
        assert np.array_equal(getattr(deferred, name), getattr(each, name))
