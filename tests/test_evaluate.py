"""`hetong evaluate` and its baselines on real generated contracts and a filled corpus template."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from evaluation.baselines import RegexBaseline, collapse
from evaluation.evaluate import (
    EvalConfig,
    field_accuracy,
    milestone_scores,
    precision_at_recall,
    type_scores,
)
from evaluation.evaluate import evaluate as run_evaluation
from hetong.cli import main
from hetong.documents import read_file
from hetong.schema import Document, Span
from training.generator import generate
from training.planting import Planter
from training.template_fill import fill_template

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS = (7_000_001, 7_000_002, 7_000_003, 7_000_004)  # not among the training seeds (13_000_000 + i)


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    planter = Planter(1.0, 2)
    return [generate(seed, plant=planter if seed % 2 else None, split="test") for seed in SEEDS]


@pytest.fixture
def data_file(tmp_path: Path, documents: list[Document], corpus_dir: Path) -> Path:
    filled = fill_template(
        read_file(corpus_dir / "yh_oa_hyhetong/chengbao/chenbaoht05.txt").text, 7, "FIL-test"
    )
    path = tmp_path / "eval.jsonl"
    lines = [json.dumps(d.to_json(), ensure_ascii=False) for d in [*documents, filled]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_gold_against_itself_scores_perfectly(documents: list[Document]) -> None:
    assert field_accuracy(documents, documents) == {
        "documents": 4, "total": 1.0, "buyer": 1.0, "supplier": 1.0, "sign": 1.0, "start": 1.0, "end": 1.0,
        "milestones": 1.0,
    }  # fmt: skip
    assert type_scores(documents, documents)["macro_f1"] == 1.0
    scored = [(d.cl, [Span(s.start, s.end, s.label, 0.9) for s in d.cl]) for d in documents]
    perfect = {"p@80r": 1.0, "p@90r": 1.0, "max_recall": 1.0}
    assert precision_at_recall(scored, "CL_BREACH", (0.8, 0.9)) == perfect


def test_milestones_are_matched_one_by_one_with_their_due_date_inputs(documents: list[Document]) -> None:
    gold = documents[0]
    clauses = [s for s in gold.cl if s.label.startswith("CL_MS_")]
    itself = milestone_scores([gold], [gold])
    assert itself["micro"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": len(clauses)}
    assert {kind: scores["f1"] for kind, scores in itself["per_kind"].items()} == {
        label.removeprefix("CL_MS_"): 1.0 for label in {c.label for c in clauses}
    }
    assert (itself["matched"], itself["due_agrees"], itself["payment_agrees"]) == (len(clauses), 1.0, 1.0)
    # One milestone clause not found, and the period of another one lost: the first costs recall, the
    # second leaves the milestone matched but its due date can no longer be computed as the gold one.
    timed = next(
        c for c in clauses[1:] if any(e.label == "PERIOD" and c.start <= e.start < c.end for e in gold.ent)
    )
    period = next(e for e in gold.ent if e.label == "PERIOD" and timed.start <= e.start < timed.end)
    predicted = replace(
        gold, cl=[s for s in gold.cl if s != clauses[0]], ent=[e for e in gold.ent if e != period]
    )
    result = milestone_scores([gold], [predicted])
    assert result["micro"]["precision"] == 1.0
    assert result["micro"]["recall"] == round((len(clauses) - 1) / len(clauses), 4)
    assert result["matched"] == len(clauses) - 1
    assert result["due_agrees"] == round((len(clauses) - 2) / (len(clauses) - 1), 4)


def test_precision_at_recall_ranks_by_score() -> None:
    gold = [Span(0, 10, "CL_TAX"), Span(20, 30, "CL_TAX")]
    predicted = [Span(0, 10, "CL_TAX", 0.9), Span(40, 50, "CL_TAX", 0.8), Span(20, 30, "CL_TAX", 0.3)]
    result = precision_at_recall([(gold, predicted)], "CL_TAX", (0.5, 0.9))
    assert result == {"p@50r": 1.0, "p@90r": round(2 / 3, 4), "max_recall": 1.0}
    assert precision_at_recall([(gold, predicted[:2])], "CL_TAX", (0.9,))["p@90r"] is None


def test_evaluate_scores_the_shipped_model_and_writes_the_report(data_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    report = run_evaluation(
        EvalConfig(data_file, REPO_ROOT / "models" / "default", out, baselines=("regex",), threads=1)
    )
    assert report["data"] == {"path": str(data_file), "documents": 5, "fully_labelled": 4}
    assert report["ent_strict"]["micro"]["f1"] > 0.8
    assert report["cl_overlap"]["micro"]["f1"] > 0.6
    assert report["ent_recall_partial_docs"]["support"] > 0  # the filled template: recall only
    assert report["fields"]["buyer"] == 1.0 and report["fields"]["supplier"] == 1.0
    assert report["risks"]["planted"] >= 2
    assert set(report["by_source"]) == {"synthetic"}
    (regex,) = report["baselines"]
    assert regex["name"] == "regex" and {r["label"] for r in regex["labels"]} >= {"PARTY_A", "CL_BREACH"}
    assert len(report["worst_labels"]) == 3
    assert json.loads((out / "evaluation.json").read_text(encoding="utf-8")) == report
    markdown = (out / "evaluation.md").read_text(encoding="utf-8")
    assert "| ENT Tier-1 micro, strict |" in markdown and "**regex**" in markdown


def test_regex_baseline_reads_a_header_line_and_a_breach_sentence() -> None:
    text = (
        "甲方（采购人）：杭州市西湖区财政局\n第三条 违约责任\n"
        "乙方逾期交付的，每逾期一日按合同总价的万分之五支付违约金。\n"
    )
    ent, cl = RegexBaseline().extract(text)
    assert [(s.label, s.text(text)) for s in ent] == [("PARTY_A", "杭州市西湖区财政局")]
    assert [s.text(text) for s in cl] == ["乙方逾期交付的，每逾期一日按合同总价的万分之五支付违约金"]


def test_collapse_maps_roles_to_groups() -> None:
    spans = [Span(0, 2, "PARTY_B"), Span(3, 5, "DATE_NODE"), Span(6, 8, "PHONE")]
    assert [s.label for s in collapse(spans)] == ["PARTY*", "DATE*"]


def test_evaluate_refuses_missing_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--data", "/nonexistent.jsonl"]) == 2
    assert "build the data first" in capsys.readouterr().err
