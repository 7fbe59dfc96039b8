"""Helpers shared by the test suite and the benchmarks: a local Neo4j, headless Chromium,
synthetic graphs. Not imported by the rest of the package."""

STORE_KINDS = ["embedded", "neo4j"]
"""The stores every store-dependent test runs on."""
