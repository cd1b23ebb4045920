"""Span thresholds (entity presence, clause score): chosen on gold documents by training.calibration,
applied by serving.runtime."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from hetong.decode import Thresholds
from hetong.schema import Document, Span
from training.calibration import GRID, choose_thresholds

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_DIR = REPO_ROOT / "models" / "default"

TEXT = "甲方：杭州市西湖区财政局 乙方：星河测绘有限公司 第三条 违约责任 乙方逾期交付的，支付违约金。"


def presence_decoder(predicted: list[tuple[list[tuple[Span, float]], list[tuple[Span, float]]]]):
    """A decoder over spans with known presences: entities reaching the presence threshold, clauses the
    score threshold."""

    def decode(keep: Thresholds) -> list[tuple[list[Span], list[Span]]]:
        return [
            ([s for s, p in ent if p >= keep.ent_presence], [s for s, p in cl if s.score >= keep.cl_score])
            for ent, cl in predicted
        ]

    return decode


def test_the_threshold_that_drops_low_presence_false_spans_is_chosen() -> None:
    buyer, supplier, breach = Span(3, 12, "PARTY_A"), Span(16, 24, "PARTY_B"), Span(33, 48, "CL_BREACH")
    gold = Document("d1", TEXT, ent=[buyer, supplier], cl=[breach])
    ent = [
        (Span(buyer.start, buyer.end, "PARTY_A", 0.93), 0.97),
        (Span(supplier.start, supplier.end, "PARTY_B", 0.88), 0.95),
        (Span(25, 28, "PARTY_A", 0.45), 0.45),  # a fragment the model is unsure of
    ]
    cl = [(Span(breach.start, breach.end, "CL_BREACH", 0.62), 0.66), (Span(25, 32, "CL_BREACH", 0.2), 0.25)]
    chosen = choose_thresholds([gold], presence_decoder([(ent, cl)]), ["PARTY_A", "PARTY_B"])
    # 0.5 is the lowest threshold that drops the fragment and keeps both parties; CL loses its true
    # clause (score 0.62) above 0.6, so 0.3 (the lowest that drops the 0.2 piece) wins there.
    assert chosen["thresholds"] == {"ent_presence": 0.5, "cl_presence": 0.5, "cl_score": 0.3}
    assert [row["threshold"] for row in chosen["sweep"]] == list(GRID)
    assert chosen["sweep"][0]["ent_strict_f1"] == pytest.approx(0.8)
    assert chosen["documents"] == 1


def test_all_correct_predictions_keep_the_lowest_threshold() -> None:
    gold = Document("d1", TEXT, ent=[Span(3, 12, "PARTY_A")])
    decode = presence_decoder([([(Span(3, 12, "PARTY_A", 0.95), 0.99)], [])])
    chosen = choose_thresholds([gold], decode, ["PARTY_A"])
    assert chosen["thresholds"] == asdict(Thresholds())


def test_a_threshold_that_costs_recall_on_real_templates_is_not_eligible() -> None:
    gold = Document("d1", TEXT, ent=[Span(3, 12, "PARTY_A")])
    fragment = (Span(25, 28, "PARTY_A", 0.6), 0.6)
    synthetic = presence_decoder([([(Span(3, 12, "PARTY_A", 0.95), 0.99), fragment], [])])
    # On a filled real template the model is less sure of a true party (presence 0.55).
    real = Document("r1", TEXT, ent=[Span(3, 12, "PARTY_A"), Span(16, 24, "PARTY_B")])
    real_decode = presence_decoder(
        [([(Span(3, 12, "PARTY_A", 0.5), 0.55), (Span(16, 24, "PARTY_B", 0.9), 0.9)], [])]
    )
    alone = choose_thresholds([gold], synthetic, ["PARTY_A", "PARTY_B"])
    guarded = choose_thresholds([gold], synthetic, ["PARTY_A", "PARTY_B"], [real], real_decode)
    assert alone["thresholds"]["ent_presence"] == 0.7  # the lowest that drops the fragment
    assert guarded["thresholds"]["ent_presence"] == 0.0  # 0.6 and up drop the real party: recall 1 -> 0.5
    assert guarded["sweep"][5]["real_ent_recall_overlap"] == 0.5 and guarded["real_documents"] == 1


@pytest.mark.skipif(not (MODEL_DIR / "model.onnx").is_file(), reason="needs the shipped model")
def test_the_shipped_model_decodes_with_its_calibrated_thresholds() -> None:
    pytest.importorskip("onnxruntime", reason="needs the serving extra")
    from serving.runtime import Runtime
    from training.generator import generate

    labels = json.loads((MODEL_DIR / "labels.json").read_text(encoding="utf-8"))
    card = json.loads((MODEL_DIR / "model-card.json").read_text(encoding="utf-8"))
    chosen = card["calibration"]["thresholds"]
    assert labels["thresholds"] == chosen and card["calibration"]["documents"] >= 100

    runtime = Runtime(MODEL_DIR, threads=1)
    assert runtime.thresholds == Thresholds(**chosen)
    dropped = 0
    for seed in range(5):  # generated contracts (training.generator), as the model was trained on
        text = generate(seed).text
        probs = runtime.probabilities(text)
        calibrated = runtime.predict(text)
        assert calibrated == runtime.decode(text, probs)
        everything = runtime.decode(text, probs, Thresholds())  # as before calibration
        # Both thresholds only drop spans: the rest come out unchanged.
        assert set(calibrated.ent) <= set(everything.ent) and set(calibrated.cl) <= set(everything.cl)
        dropped += len(everything.ent) + len(everything.cl) - len(calibrated.ent) - len(calibrated.cl)
    assert dropped > 0 or chosen == asdict(Thresholds())
