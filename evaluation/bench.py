"""``hetong bench``: speed and memory of the review engine, measured, never asserted.

Three parts, all on the same inputs in one run:

1. **Backends** — the shipped model as ONNX int8 (what serving runs), the same network as ONNX fp32
   (exported and fused from the shipped PyTorch checkpoint) and as PyTorch fp32, each at 1 and 2
   threads, each in its own fresh process (so thread settings and peak RSS do not leak between them):
   model load time, ms per 512-token window, ms per 10,000-character contract end to end (the whole
   review: windows, decoding, record, risk engine, score), contracts per second, peak RSS.
2. **HTTP load** — ``hetong serve`` started as a subprocess on loopback, N clients posting real contracts
   to ``/v1/review`` for a fixed time: throughput, p50/p90/p99 latency, errors, server RSS at start and end.
3. **Report** — ``bench.json`` and ``bench.md`` with PNG charts in the output directory.

Latencies are medians (and p90) over repeats after warm-up runs, which are excluded. The PyTorch and
ONNX fp32 rows need the training extra (torch, onnx); without it they are reported as skipped.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BACKENDS = ("onnx_int8", "onnx_fp32", "pytorch_fp32")
WINDOW_TOKENS = 512


@dataclass(frozen=True)
class BenchConfig:
    model_dir: Path = Path("models/default")
    data: Path = Path("datasets/build/test.jsonl")
    """Contracts to measure on: the 10,000-character inputs are cut from its longest documents."""
    out_dir: Path = Path("evaluation/reports")
    threads: tuple[int, ...] = (1, 2)
    contract_chars: int = 10_000
    contracts: int = 5
    """Distinct long documents the contract latency rotates over."""
    repeats: int = 20
    window_repeats: int = 30
    warmup: int = 3
    backends: tuple[str, ...] = BACKENDS
    load_seconds: float = 60.0
    """Length of the HTTP load run; 0 skips it."""
    clients: int = 8
    server_threads: int = 2
    charts: bool = True


@dataclass
class BackendResult:
    backend: str
    threads: int
    load_ms: float = 0.0
    window_ms: list[float] = field(default_factory=list)
    contract_ms: list[float] = field(default_factory=list)
    inference_ms: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    skipped: str | None = None


class BenchError(RuntimeError):
    """The benchmark cannot run (missing model or data); the message says what to do."""


def long_contracts(path: Path, chars: int, count: int) -> list[str]:
    """The first ``chars`` characters of the ``count`` longest documents with that many, one per source
    template (filled templates repeat a template with other values)."""
    if not path.is_file():
        raise BenchError(f"{path} not found: build the data first (`hetong data build`) or pass --data")
    from hetong.schema import read_documents

    by_source: dict[str, str] = {}
    for doc in read_documents(path):
        source = doc.meta.get("template") or doc.doc_id
        if len(doc.text) >= chars and len(doc.text) > len(by_source.get(source, "")):
            by_source[source] = doc.text
    if not by_source:
        raise BenchError(f"{path} has no document of {chars} characters or more")
    longest = sorted(by_source.values(), key=len, reverse=True)
    return [text[:chars] for text in longest[:count]]


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: Sequence[float]) -> dict[str, float]:
    """Median, p90 and the count of measured repeats, in milliseconds rounded to 0.1."""
    if not values:
        return {}
    return {
        "median": round(statistics.median(values), 1),
        "p90": round(_percentile(values, 90), 1),
        "n": len(values),
    }


# ---- part 1: one backend in one fresh process ------------------------------------------------------


def _measure_backend(
    backend: str, threads: int, model_dir: str, fp32_path: str | None, texts: list[str], config: dict
) -> BackendResult:
    """Runs in a spawned process: load the backend, time windows and whole reviews, report peak RSS."""
    import numpy as np

    from serving.review import ReviewOptions, review
    from serving.runtime import PYTORCH_DIR, OnnxForward, Runtime

    os.environ["OMP_NUM_THREADS"] = str(threads)
    result = BackendResult(backend, threads)
    started = time.perf_counter()
    if backend == "onnx_int8":
        runtime = Runtime(Path(model_dir), threads=threads)
    elif backend == "onnx_fp32":
        runtime = Runtime(Path(model_dir), forward=OnnxForward(Path(fp32_path or ""), threads))
    else:
        from training.model import ContractTagger, TorchForward

        model = ContractTagger.load(Path(model_dir) / PYTORCH_DIR)
        runtime = Runtime(Path(model_dir), forward=TorchForward(model, threads))
    result.load_ms = round(1000 * (time.perf_counter() - started), 1)

    ids = runtime.tokenizer.encode(texts[0], add_special_tokens=False).ids[: WINDOW_TOKENS - 2]
    window = np.array([[runtime.bos, *ids, runtime.eos]], dtype=np.int64)
    mask = np.ones_like(window)
    for index in range(config["warmup"] + config["window_repeats"]):
        begin = time.perf_counter()
        runtime.forward(window, mask)
        if index >= config["warmup"]:
            result.window_ms.append(1000 * (time.perf_counter() - begin))

    options = ReviewOptions(as_of=dt.date(2026, 1, 1))
    for index in range(config["warmup"] + config["repeats"]):
        text = texts[index % len(texts)]
        begin = time.perf_counter()
        body = review(runtime, text, options)
        if index >= config["warmup"]:
            result.contract_ms.append(1000 * (time.perf_counter() - begin))
            result.inference_ms.append(body["timing_ms"].get("inference", float("nan")))
    result.peak_rss_mb = _status_mb(os.getpid(), "VmHWM")
    return result


def _torch_available() -> str | None:
    try:
        import onnx  # noqa: F401
        import torch  # noqa: F401
    except ImportError:
        return "needs the training extra (torch, onnx): make setup EXTRAS=dev,data,serving,training"
    return None


def _fp32_graph(model_dir: Path, work: Path) -> Path:
    """The shipped PyTorch checkpoint exported and fused exactly as the export step does before int8."""
    from serving.runtime import PYTORCH_DIR
    from training.export import export_fp32
    from training.model import ContractTagger

    return export_fp32(ContractTagger.load(model_dir / PYTORCH_DIR), work)


def measure_backends(config: BenchConfig, texts: list[str], work: Path) -> list[BackendResult]:
    from serving.runtime import PYTORCH_DIR

    missing_torch = _torch_available()
    if missing_torch is None and not (config.model_dir / PYTORCH_DIR / "tagger.pt").is_file():
        missing_torch = f"{config.model_dir / PYTORCH_DIR} holds no PyTorch checkpoint"
    fp32 = None
    if missing_torch is None and "onnx_fp32" in config.backends:
        fp32 = _fp32_graph(config.model_dir, work)
    settings = {"warmup": config.warmup, "window_repeats": config.window_repeats, "repeats": config.repeats}
    results = []
    spawn = multiprocessing.get_context("spawn")
    for backend in config.backends:
        for threads in config.threads:
            if backend != "onnx_int8" and missing_torch:
                results.append(BackendResult(backend, threads, skipped=missing_torch))
                continue
            with concurrent.futures.ProcessPoolExecutor(1, mp_context=spawn) as pool:
                future = pool.submit(
                    _measure_backend,
                    backend,
                    threads,
                    str(config.model_dir),
                    str(fp32) if fp32 else None,
                    texts,
                    settings,
                )
                results.append(future.result())
            print(f"  {backend:13s} {threads} thread(s): {_one_line(results[-1])}", file=sys.stderr)
    return results


def _one_line(result: BackendResult) -> str:
    window, contract = summary(result.window_ms), summary(result.contract_ms)
    return (
        f"window {window['median']} ms, contract {contract['median']} ms (p90 {contract['p90']}), "
        f"load {result.load_ms} ms, peak RSS {result.peak_rss_mb} MB"
    )


# ---- part 2: HTTP load against `hetong serve` -------------------------------------------------------


def _status_mb(pid: int, key: str) -> float:
    """A memory line of /proc/PID/status in MB (``VmHWM``: peak resident set, ``VmRSS``: current).

    VmHWM belongs to the process image, unlike ``getrusage``'s ru_maxrss, which a spawned child inherits
    from the parent's peak at fork time."""
    status = Path(f"/proc/{pid}/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith(f"{key}:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    pids = [pid] + ([int(p) for p in children.read_text().split()] if children.is_file() else [])
    return round(sum(_status_mb(one, "VmRSS") for one in pids), 1)


def load_test(config: BenchConfig, texts: list[str]) -> dict[str, Any]:
    """``config.clients`` concurrent clients posting ``texts`` in turn for ``config.load_seconds``."""
    from serving.launch import LaunchError, running_server

    try:
        with running_server(config.model_dir, threads=config.server_threads) as server:
            return _drive(config, texts, server.url, server.pid)
    except LaunchError as exc:
        raise BenchError(str(exc)) from exc


def _drive(config: BenchConfig, texts: list[str], base: str, pid: int) -> dict[str, Any]:
    import httpx

    with httpx.Client(timeout=60) as warm:
        for text in texts[:2]:
            warm.post(f"{base}/v1/review", json={"text": text})
    rss_start = _rss_mb(pid)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + config.load_seconds

    def client(offset: int) -> None:
        with httpx.Client(timeout=60) as http:
            index = offset
            while time.monotonic() < stop_at:
                text = texts[index % len(texts)]
                index += 1
                begin = time.perf_counter()
                try:
                    status: int | str = http.post(f"{base}/v1/review", json={"text": text}).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = 1000 * (time.perf_counter() - begin)
                with lock:
                    if status == 200:
                        latencies.append(elapsed)
                    else:
                        errors[str(status)] = errors.get(str(status), 0) + 1

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(config.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - began
    return {
        "clients": config.clients,
        "seconds": round(seconds, 1),
        "server_threads": config.server_threads,
        "requests": len(latencies) + sum(errors.values()),
        "ok": len(latencies),
        "errors": errors,
        "throughput_per_s": round(len(latencies) / seconds, 2),
        "latency_ms": {
            "p50": round(_percentile(latencies, 50), 1),
            "p90": round(_percentile(latencies, 90), 1),
            "p99": round(_percentile(latencies, 99), 1),
        },
        "rss_mb": {"start": rss_start, "end": _rss_mb(pid)},
    }


# ---- part 3: the report ---------------------------------------------------------------------------


def run(config: BenchConfig) -> dict[str, Any]:
    if not (config.model_dir / "model.onnx").is_file():
        raise BenchError(f"{config.model_dir} holds no model.onnx")
    texts = long_contracts(config.data, config.contract_chars, config.contracts)
    print(f"bench: {len(texts)} contracts of {config.contract_chars} characters", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        backends = measure_backends(config, texts, Path(tmp))
    load = None
    if config.load_seconds > 0:
        print(f"bench: {config.clients} clients for {config.load_seconds:.0f} s on loopback", file=sys.stderr)
        load = load_test(config, texts)
    card = json.loads((config.model_dir / "model-card.json").read_text(encoding="utf-8"))
    report = {
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "model": {"dir": str(config.model_dir), "version": card.get("version")},
        "config": json.loads(json.dumps(asdict(config), default=str)),
        "backends": [_backend_row(r) for r in backends],
        "ratios": _ratios(backends),
        "load": load,
    }
    config.out_dir.mkdir(parents=True, exist_ok=True)
    (config.out_dir / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    charts = _charts(report, config.out_dir) if config.charts else []
    (config.out_dir / "bench.md").write_text(markdown(report, charts), encoding="utf-8")
    return report


def _machine() -> dict[str, Any]:
    import onnxruntime

    return {
        "cpu": _cpu_name(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "onnxruntime": onnxruntime.__version__,
    }


def _cpu_name() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _backend_row(result: BackendResult) -> dict[str, Any]:
    if result.skipped:
        return {"backend": result.backend, "threads": result.threads, "skipped": result.skipped}
    contract = summary(result.contract_ms)
    return {
        "backend": result.backend,
        "threads": result.threads,
        "load_ms": result.load_ms,
        "window_512_ms": summary(result.window_ms),
        "contract_ms": contract,
        "inference_ms": summary(result.inference_ms),
        "contracts_per_s": round(1000 / contract["median"], 2),
        "peak_rss_mb": result.peak_rss_mb,
    }


def _ratios(results: Sequence[BackendResult]) -> dict[str, Any]:
    """PyTorch fp32 time over ONNX int8 time, per thread count (above 1: ONNX int8 is faster)."""
    by_key = {(r.backend, r.threads): r for r in results if not r.skipped}
    out: dict[str, Any] = {}
    for threads in sorted({r.threads for r in results}):
        int8, torch_ = by_key.get(("onnx_int8", threads)), by_key.get(("pytorch_fp32", threads))
        fp32 = by_key.get(("onnx_fp32", threads))
        if int8 and torch_:
            out[f"{threads}_threads"] = {
                "pytorch_over_int8_window": round(
                    statistics.median(torch_.window_ms) / statistics.median(int8.window_ms), 2
                ),
                "pytorch_over_int8_contract": round(
                    statistics.median(torch_.contract_ms) / statistics.median(int8.contract_ms), 2
                ),
            }
            if fp32:
                out[f"{threads}_threads"]["onnx_fp32_over_int8_window"] = round(
                    statistics.median(fp32.window_ms) / statistics.median(int8.window_ms), 2
                )
    return out


def markdown(report: dict[str, Any], charts: Sequence[str] = ()) -> str:
    machine = report["machine"]
    lines = [
        "# Benchmark",
        "",
        f"Generated {report['generated']} by `hetong bench` on {machine['cpu']} ({machine['cores']} cores), "
        f"onnxruntime {machine['onnxruntime']}; model {report['model']['version']}.",
        f"Contracts: {report['config']['contracts']} real filled templates cut to "
        f"{report['config']['contract_chars']} characters; medians and p90 over "
        f"{report['config']['repeats']} reviews ({report['config']['window_repeats']} windows) after "
        f"{report['config']['warmup']} warm-up runs. A contract is the whole review: tokenise, windows, "
        "network, decoding, record, 75 risk rules, score.",
        "",
        "| backend | threads | load ms | ms / 512-token window | contract ms median | p90 | contracts/s | "
        "peak RSS MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in report["backends"]:
        if "skipped" in row:
            lines.append(f"| {row['backend']} | {row['threads']} | skipped: {row['skipped']} ||||||")
            continue
        lines.append(
            f"| {row['backend']} | {row['threads']} | {row['load_ms']} | {row['window_512_ms']['median']} | "
            f"{row['contract_ms']['median']} | {row['contract_ms']['p90']} | {row['contracts_per_s']} | "
            f"{row['peak_rss_mb']} |"
        )
    if report["ratios"]:
        lines += ["", "Measured ratios (same inputs, same run; above 1 means ONNX int8 is faster):", ""]
        for threads, ratios in report["ratios"].items():
            parts = ", ".join(f"{k.replace('_', ' ')} **{v}×**" for k, v in ratios.items())
            lines.append(f"- {threads.replace('_', ' ')}: {parts}")
    load = report.get("load")
    if load:
        errors = sum(load["errors"].values())
        lines += [
            "",
            "## HTTP load",
            "",
            f"`hetong serve` ({load['server_threads']} onnxruntime threads) on loopback, {load['clients']} "
            f"concurrent clients posting the contracts above to `/v1/review` for {load['seconds']} s.",
            "",
            "| requests | ok | errors | throughput /s | p50 ms | p90 ms | p99 ms | RSS start MB "
            "| RSS end MB |",
            "|---|---|---|---|---|---|---|---|---|",
            f"| {load['requests']} | {load['ok']} | {errors} {load['errors'] or ''} | "
            f"{load['throughput_per_s']} | "
            f"{load['latency_ms']['p50']} | {load['latency_ms']['p90']} | {load['latency_ms']['p99']} | "
            f"{load['rss_mb']['start']} | {load['rss_mb']['end']} |",
        ]
    for chart in charts:
        lines += ["", f"![{chart}]({chart})"]
    return "\n".join(lines) + "\n"


def _charts(report: dict[str, Any], out_dir: Path) -> list[str]:
    """PNG bar charts of window and contract latency per backend and thread count (needs matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("bench: matplotlib is not installed, no charts (make setup EXTRAS=...,report)", file=sys.stderr)
        return []
    rows = [r for r in report["backends"] if "skipped" not in r]
    names = []
    for key, title, filename in (
        ("window_512_ms", "ms per 512-token window (median)", "bench_window.png"),
        ("contract_ms", "ms per 10,000-character review (median)", "bench_contract.png"),
    ):
        figure, axes = plt.subplots(figsize=(7, 3.2))
        labels = [f"{r['backend']}\n{r['threads']} thr" for r in rows]
        values = [r[key]["median"] for r in rows]
        bars = axes.bar(labels, values, color=["#3b7dd8" if "int8" in r["backend"] else "#999" for r in rows])
        axes.bar_label(bars, fmt="%.0f", fontsize=8)
        axes.set_title(title)
        axes.set_ylabel("ms")
        axes.tick_params(axis="x", labelsize=7)
        figure.tight_layout()
        figure.savefig(out_dir / filename, dpi=110)
        plt.close(figure)
        names.append(filename)
    return names
