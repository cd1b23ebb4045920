"""The annotation loop end to end on a real Label Studio server (marker ``integration``).

Starts Label Studio from its own virtual environment (``make annotate-setup`` creates ``.venv-ls``; set
``LABEL_STUDIO_BIN`` to use another), creates a project, pushes 5 filled corpus templates with the
shipped model's predictions, submits corrected annotations through the API as an annotator would, pulls
them, connects our ML backend, retrains a tiny model and checks the gate's decision, the new version
directory, promotion and rollback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotation.convert import document_to_results
from annotation.project import Connection, init_project, predicted_documents, pull, push
from hetong.documents import read_file
from serving.launch import free_port, running_server
from serving.registry import read_registry, rollback
from serving.runtime import Runtime
from training.template_fill import fill_template

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parent.parent
LS_BIN = Path(os.environ.get("LABEL_STUDIO_BIN", REPO_ROOT / ".venv-ls" / "bin" / "label-studio"))
TOKEN = "hetongintegration0123456789abcdef01234567"
TEMPLATES = (
    "bid_toolkit_tenders/contract_sections/luojing_town_comprehensive_mgmt_service_contract.txt",
    "yh_oa_hyhetong/chengbao/chenbaoht05.txt",
    "yh_oa_hyhetong/gouxiao/maimaiht63.txt",
    "yh_oa_hyhetong/jianzhu/jianzhu03.txt",
    "yh_oa_hyhetong/lianying/lianyinht07.txt",
)


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Connection]:
    if os.environ.get("HETONG_LS_URL"):  # a server you started yourself (faster while developing)
        yield Connection(os.environ["HETONG_LS_URL"], os.environ["HETONG_LS_TOKEN"])
        return
    if not LS_BIN.is_file():
        pytest.fail(f"Label Studio not installed at {LS_BIN}: run `make annotate-setup`")
    data = tmp_path_factory.mktemp("label-studio")
    port = free_port()
    env = {
        **os.environ,
        "LABEL_STUDIO_USERNAME": "annotator@hetong.local",
        "LABEL_STUDIO_PASSWORD": "hetong-annotate",
        "LABEL_STUDIO_USER_TOKEN": TOKEN,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        # Our ML backend (and the webhook Label Studio registers for it) listen on loopback.
        "ML_BLOCK_LOCAL_IP": "false",
        "SSRF_PROTECTION_ENABLED": "false",
    }
    command = [str(LS_BIN), "start", "--no-browser", "--port", str(port), "--data-dir", str(data)]
    log = (data / "server.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # the first start migrates a fresh SQLite database
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Label Studio did not start; see {data / 'server.log'}")
            time.sleep(1)
        yield Connection(url, TOKEN)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_push_annotate_pull_retrain_gate(label_studio: Connection, corpus_dir: Path, tmp_path: Path) -> None:
    from annotation.retrain import RetrainConfig, retrain
    from training.generator import generate

    state = tmp_path / "annotated"
    project = init_project(label_studio, "hetong integration", state)
    gold = [fill_template(read_file(corpus_dir / t).text, 7, f"LS-{i}") for i, t in enumerate(TEMPLATES)]
    runtime = Runtime(REPO_ROOT / "models" / "default", threads=2)
    predicted = predicted_documents(runtime, [(doc.doc_id, doc.text) for doc in gold])
    task_ids = push(label_studio, project, predicted, str(runtime.card["version"]))
    assert len(task_ids) == 5

    client = label_studio.client()
    tasks = {t.id: t for t in client.tasks.list(project=project)}
    assert set(tasks) == set(task_ids)
    for task_id, doc in zip(task_ids, gold, strict=True):
        assert tasks[task_id].data["text"] == doc.text
        # The annotator corrects the prediction to the gold spans and submits.
        client.annotations.create(id=task_id, result=document_to_results(doc), was_cancelled=False)

    summary = pull(label_studio, project, state)
    assert summary["tasks"] == 5 and summary["annotated"] == 5
    pulled = [json.loads(line) for line in (state / summary["file"]).read_text(encoding="utf-8").splitlines()]
    by_id = {record["doc_id"]: record for record in pulled}
    for doc in gold:
        record = by_id[doc.doc_id]
        assert sorted(map(tuple, ((s["start"], s["end"], s["label"]) for s in record["ent"]))) == sorted(
            (s.start, s.end, s.label) for s in doc.ent
        )
        assert len(record["cl"]) == len(doc.cl) and len(record["units"]) == len(doc.units)

    # Our ML backend, connected the way Label Studio's UI does it: it calls /ls/health and /ls/setup.
    with running_server(REPO_ROOT / "models" / "default", threads=1) as server:
        backend = client.ml.create(project=project, url=f"{server.url}/ls", title="hetong")
        assert backend.id

    # A tiny retrain on base data + the 5 annotations; the gate compares it with the shipped model.
    base = tmp_path / "base"
    base.mkdir()
    for split, seeds in (("train", range(20)), ("dev", range(100, 103)), ("test", range(200, 206))):
        lines = [json.dumps(generate(seed).to_json(), ensure_ascii=False) for seed in seeds]
        (base / f"{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    models = tmp_path / "models"
    models.mkdir()
    shutil.copytree(REPO_ROOT / "models" / "default", models / "default")
    decision = retrain(
        RetrainConfig(
            base_data=base, annotated=(state / summary["file"],), models_root=models,
            runs_root=tmp_path / "runs",
            train_config=REPO_ROOT / "training" / "configs" / "smoke.yaml",
            overrides={"max_steps": 10, "eval_every": 10, "warmup_steps": 2, "max_train_docs": None},
            gate_docs=6, max_f1_drop=100, version="v-test",
        )
    )  # fmt: skip
    assert decision["annotated_documents"] == 5
    assert decision["decision"] == "rejected" and decision["gain_points"] < 0  # 10 steps cannot beat it
    assert (models / "v-test" / "model.onnx").is_file()
    assert json.loads((models / "v-test" / "gate.json").read_text(encoding="utf-8")) == decision
    assert read_registry(models)["current"] == "default"

    # Promotion by hand and rollback keep both directories.
    from serving.registry import promote

    assert promote(models, "v-test", "test")["current"] == "v-test"
    assert rollback(models)["current"] == "default"
    assert (models / "v-test").is_dir() and (models / "default").is_dir()


def test_push_carries_the_review_pages_feedback_into_the_task(
    label_studio: Connection, corpus_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hetong.cli import main
    from serving.feedback import FlaggedSpan, queue_feedback

    state = tmp_path / "annotated"
    project = init_project(label_studio, "hetong feedback", state)
    text = read_file(corpus_dir / TEMPLATES[0]).text
    start = text.index("甲方")
    flagged = [FlaggedSpan(start, start + 2, "PARTY_A"), FlaggedSpan(0, 4, "CONTRACT_NAME", "missing")]
    feedback_id = queue_feedback(tmp_path / "queue", text, "甲方识别有误", flagged, "0.3.2")
    args = ["annotate", "push", str(tmp_path / "queue"), "--url", label_studio.url]
    assert main([*args, "--token", label_studio.token, "--dir", str(state)]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 1
    (task,) = label_studio.client().tasks.list(project=project)
    assert task.data["text"] == text and task.data["doc_id"] == f"{feedback_id}.txt"
    feedback = task.data["meta"]["feedback"]
    assert feedback["note"] == "甲方识别有误" and feedback["model_version"] == "0.3.2"
    assert feedback["flagged"] == [
        {"start": start, "end": start + 2, "label": "PARTY_A", "problem": "wrong"},
        {"start": 0, "end": 4, "label": "CONTRACT_NAME", "problem": "missing"},
    ]
    assert task.predictions  # the current model's spans come with it, as for any pushed contract
