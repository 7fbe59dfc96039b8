"""Benchmarks (see docs/benchmarks.md): synthetic data, load throughput, API and views."""
