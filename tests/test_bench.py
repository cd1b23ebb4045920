"""`hetong bench` on the shipped model: a short real run (int8 backend, a loopback server) and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.bench import BenchConfig, BenchError, long_contracts, run, summary
from hetong.cli import main
from hetong.documents import read_file
from training.template_fill import fill_template

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path("yh_oa_hyhetong/chengbao/chenbaoht05.txt")


@pytest.fixture
def contracts(tmp_path: Path, corpus_dir: Path) -> Path:
    doc = fill_template(read_file(corpus_dir / TEMPLATE).text, 7, "bench-test")
    path = tmp_path / "contracts.jsonl"
    path.write_text(json.dumps(doc.to_json(), ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_a_short_bench_measures_the_int8_model_and_a_loopback_server(contracts: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    config = BenchConfig(
        model_dir=REPO_ROOT / "models" / "default",
        data=contracts,
        out_dir=out,
        threads=(1,),
        contract_chars=1500,
        repeats=2,
        window_repeats=2,
        warmup=1,
        backends=("onnx_int8",),
        load_seconds=2,
        clients=2,
        server_threads=1,
        charts=False,
    )
    report = run(config)
    (row,) = report["backends"]
    assert row["backend"] == "onnx_int8" and row["threads"] == 1
    assert row["window_512_ms"]["n"] == 2 and row["window_512_ms"]["median"] > 0
    assert row["contract_ms"]["n"] == 2 and row["contract_ms"]["median"] >= row["inference_ms"]["median"]
    assert row["peak_rss_mb"] > 50  # a process with onnxruntime and the model loaded
    load = report["load"]
    assert load["ok"] >= 1 and load["errors"] == {}
    assert load["rss_mb"]["start"] > 50
    assert json.loads((out / "bench.json").read_text(encoding="utf-8")) == report
    markdown = (out / "bench.md").read_text(encoding="utf-8")
    assert "| onnx_int8 | 1 |" in markdown and "## HTTP load" in markdown


def test_long_contracts_cuts_the_longest_documents(contracts: Path) -> None:
    texts = long_contracts(contracts, 1500, 3)
    assert len(texts) == 1 and len(texts[0]) == 1500
    with pytest.raises(BenchError, match="no document of 10000000 characters"):
        long_contracts(contracts, 10_000_000, 3)


def test_summary_is_median_and_p90() -> None:
    values = [5.0, 1.0, 3.0, 2.0, 4.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    assert summary(values) == {"median": 5.5, "p90": 9.0, "n": 10}


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["bench", "--backends", "tensorflow"], "--backends: choose from"),
        (["bench", "--threads", "two"], "--threads takes comma-separated integers"),
        (["bench", "--data", "/nonexistent.jsonl"], "build the data first"),
    ],
)
def test_bench_refuses_bad_arguments(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert needle in capsys.readouterr().err
