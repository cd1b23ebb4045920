"""Span, clause and risk metrics, baselines and benchmarks (arrives with the evaluation issue)."""
