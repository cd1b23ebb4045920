"""Label Studio's ML-backend protocol on our app (TestClient, shipped model) and the model registry."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from annotation.convert import results_to_document
from serving.app import create_app
from serving.registry import RegistryError, current_model_dir, promote, read_registry, rollback
from serving.runtime import Runtime
from serving.settings import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = REPO_ROOT / "models" / "default"
TEXT = (
    "甲方（采购人）：杭州市西湖区财政局\n乙方（供应商）：星河测绘地理信息有限公司\n"
    "合同总价为人民币壹拾万元整（¥100,000.00）。\n"
)


@pytest.fixture(scope="module")
def runtime() -> Runtime:
    return Runtime(MODEL_DIR, threads=1)


@pytest.fixture
def client(runtime: Runtime, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        model_dir=MODEL_DIR, threads=1, api_keys="", jobs_dir=tmp_path / "jobs", ls_retrain_every=2,
        ls_retrain_args=f"--data {tmp_path / 'no-such-data'} --dir {tmp_path / 'annotated'}",
    )  # fmt: skip
    with TestClient(create_app(settings, runtime=runtime)) as test_client:
        yield test_client


def test_health_and_setup_report_the_model_version(client: TestClient, runtime: Runtime) -> None:
    version = runtime.card["version"]
    assert client.get("/ls/health").json() == {
        "status": "UP", "model_class": "hetong.ContractTagger", "model_version": version
    }  # fmt: skip
    setup = client.post("/ls/setup", json={"project": "1.1700000000", "schema": "<View/>"})
    assert setup.json() == {"model_version": version}


def test_predict_returns_regions_label_studio_can_read_back(client: TestClient, runtime: Runtime) -> None:
    body = {"tasks": [{"id": 7, "data": {"text": TEXT}}, {"id": 8, "data": {"image": "x.png"}}]}
    response = client.post("/ls/predict", json=body)
    assert response.status_code == 200
    first, second = response.json()["results"]
    assert first["model_version"] == runtime.card["version"] and 0 < first["score"] <= 1
    document = results_to_document("7", TEXT, first["result"])
    expected = runtime.predict(TEXT)
    assert [(s.start, s.end, s.label) for s in document.ent] == [
        (s.start, s.end, s.label) for s in expected.ent
    ]
    assert [(u.start, u.end) for u in document.units] == [(u.start, u.end) for u in expected.units]
    assert second == {"result": [], "score": 0.0, "model_version": runtime.card["version"]}


def test_predict_refuses_a_body_without_tasks(client: TestClient) -> None:
    response = client.post("/ls/predict", json={"project": "1"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_request"
    bad = client.post("/ls/predict", content=b"{not json", headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_json"


def test_webhook_counts_annotations_and_a_failed_job_is_reported(client: TestClient) -> None:
    first = client.post("/ls/webhook", json={"action": "ANNOTATION_CREATED", "project": {"id": 3}})
    assert first.status_code == 200 and first.json()["status"] == "ignored"
    second = client.post("/ls/webhook", json={"action": "ANNOTATION_CREATED", "project": {"id": 3}})
    assert second.status_code == 201
    job_id = second.json()["job_id"]
    deadline = time.monotonic() + 60
    while (status := client.get(f"/ls/jobs/{job_id}").json())["state"] == "running":
        assert time.monotonic() < deadline, "the job never ended"
        time.sleep(0.2)
    # The job had to pull from a Label Studio that is not there: it fails, and says so.
    assert status["state"] == "failed" and status["error"], status
    assert status["reason"] == "ANNOTATION_CREATED"
    missing = client.get("/ls/jobs/no-such-job")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "job_not_found"


def test_registry_promotes_and_rolls_back_without_deleting(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("HETONG_MODEL_DIR", raising=False)
    models = tmp_path / "models"
    for version in ("default", "v2"):
        (models / version).mkdir(parents=True)
        (models / version / "model.onnx").write_bytes(b"onnx")
    assert current_model_dir(models) == models / "default"
    assert promote(models, "v2", "gate +1.2 points")["current"] == "v2"
    assert current_model_dir(models) == models / "v2"
    registry = rollback(models)
    assert registry["current"] == "default" and [e["action"] for e in registry["events"]] == [
        "promote",
        "rollback",
    ]
    assert (models / "v2" / "model.onnx").is_file()
    with pytest.raises(RegistryError, match="nothing to roll back to"):
        rollback(models)
    with pytest.raises(RegistryError, match=r"holds no model\.onnx"):
        promote(models, "v3", "typo")
    assert json.loads((models / "registry.json").read_text())["current"] == read_registry(models)["current"]
    monkeypatch.setenv("HETONG_MODEL_DIR", "/somewhere/else")
    assert current_model_dir(models) == Path("/somewhere/else")


def test_annotate_promote_and_rollback_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hetong.cli import main

    models = tmp_path / "models"
    for version in ("default", "v2"):
        (models / version).mkdir(parents=True)
        (models / version / "model.onnx").write_bytes(b"onnx")
    assert main(["annotate", "promote", "v2", "--models", str(models)]) == 0
    assert json.loads(capsys.readouterr().out) == {"current": "v2"}
    assert main(["annotate", "rollback", "--models", str(models)]) == 0
    assert main(["annotate", "rollback", "--models", str(models)]) == 2
    assert "nothing to roll back to" in capsys.readouterr().err
