"""Helpers shared by the test suite and the benchmarks: a local Neo4j, headless Chromium,
synthetic graphs. Not imported by the rest of the package."""

import os

STORE_KINDS = ["embedded", "neo4j"]
"""The stores every store-dependent test runs on."""


def in_ci() -> bool:
    """Whether the suite runs in CI (`CI=true`, as `.ci/run` sets it): there nothing is
    skipped for a missing service or file, and the tests marked slow run too."""
    return os.environ.get("CI", "").lower() == "true"
