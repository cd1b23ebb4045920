"""Confidence thresholds: chosen on gold documents by training.calibration, applied by serving.runtime."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hetong.decode import confident
from hetong.schema import Document, Span
from training.calibration import GRID, choose_thresholds

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = REPO_ROOT / "models" / "default"

TEXT = "甲方：杭州市西湖区财政局 乙方：星河测绘有限公司 第三条 违约责任 乙方逾期交付的，支付违约金。"


def test_confident_keeps_spans_at_or_above_the_threshold() -> None:
    spans = [Span(0, 2, "PARTY_A", 0.69), Span(3, 5, "PARTY_A", 0.7), Span(6, 8, "PARTY_A", 0.95)]
    assert confident(spans, 0.7) == spans[1:]
    assert confident(spans, 0.0) == spans


def test_the_threshold_that_drops_low_confidence_false_spans_is_chosen() -> None:
    buyer, supplier, breach = Span(3, 12, "PARTY_A"), Span(16, 24, "PARTY_B"), Span(33, 48, "CL_BREACH")
    gold = Document("d1", TEXT, ent=[buyer, supplier], cl=[breach])
    ent = [
        Span(buyer.start, buyer.end, "PARTY_A", 0.93),
        Span(supplier.start, supplier.end, "PARTY_B", 0.88),
        Span(25, 28, "PARTY_A", 0.45),  # a fragment the model is unsure of
    ]
    cl = [Span(breach.start, breach.end, "CL_BREACH", 0.62), Span(25, 32, "CL_BREACH", 0.2)]
    chosen = choose_thresholds([gold], [(ent, cl)], ["PARTY_A", "PARTY_B"])
    # 0.5 is the lowest threshold that drops the fragment and keeps both parties; CL loses its true
    # clause above 0.62, so 0.3 (the lowest that drops the 0.2 piece) wins there.
    assert chosen["ent"] == 0.5 and chosen["cl"] == 0.3
    assert [row["threshold"] for row in chosen["sweep"]] == list(GRID)
    assert chosen["sweep"][0]["ent_strict_f1"] == pytest.approx(0.8)
    assert chosen["documents"] == 1


def test_all_correct_predictions_keep_the_lowest_threshold() -> None:
    gold = Document("d1", TEXT, ent=[Span(3, 12, "PARTY_A")])
    chosen = choose_thresholds([gold], [([Span(3, 12, "PARTY_A", 0.95)], [])], ["PARTY_A"])
    assert chosen["ent"] == 0.0 and chosen["cl"] == 0.0


@pytest.mark.skipif(not (MODEL_DIR / "model.onnx").is_file(), reason="needs the shipped model")
def test_the_shipped_model_applies_its_calibrated_thresholds(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime", reason="needs the serving extra")
    from serving.runtime import Runtime
    from training.generator import generate

    labels = json.loads((MODEL_DIR / "labels.json").read_text(encoding="utf-8"))
    card = json.loads((MODEL_DIR / "model-card.json").read_text(encoding="utf-8"))
    assert labels["min_score"] == {"ent": card["calibration"]["ent"], "cl": card["calibration"]["cl"]}
    assert card["calibration"]["documents"] >= 100

    # The same model without thresholds (labels.json minus min_score) keeps every span it decodes.
    unfiltered_dir = tmp_path / "model"
    shutil.copytree(MODEL_DIR, unfiltered_dir, ignore=shutil.ignore_patterns("pytorch"))
    del labels["min_score"]
    (unfiltered_dir / "labels.json").write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    unfiltered = Runtime(unfiltered_dir, threads=1)
    assert unfiltered.min_score == {"ent": 0.0, "cl": 0.0}

    runtime = Runtime(MODEL_DIR, threads=1)
    dropped = 0
    for seed in range(5):  # generated contracts (training.generator), as the model was trained on
        text = generate(seed).text
        calibrated, everything = runtime.predict(text), unfiltered.predict(text)
        for layer in ("ent", "cl"):
            kept, all_spans = getattr(calibrated, layer), getattr(everything, layer)
            assert kept == [span for span in all_spans if span.score >= card["calibration"][layer]], layer
            dropped += len(all_spans) - len(kept)
    assert dropped > 0
