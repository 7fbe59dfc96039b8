"""Requests generated from the OpenAPI schema (schemathesis) find no server error, and every
answer is one the schema documents: its status, its media type, its body.

On the mini dataset: the requests exercise the same code, and each of the ~30 per operation
that exports or draws the whole graph cost seconds on the curated data (a minute in all)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mineralkg.api.app import create_app
from mineralkg.graph.store import GraphStore
from mineralkg.settings import Settings
from mineralkg.testing import STORE_KINDS

CONFORMANCE = [status_code_conformance, content_type_conformance, response_schema_conformance]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_no_server_errors(request: pytest.FixtureRequest, kind: str) -> None:
    store: GraphStore = request.getfixturevalue(f"mini_{kind}")
    app = create_app(Settings(query_timeout=2.0, row_limit=100), store=store)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    try:
        for operation in operations:
            _check_operation(operation)
    finally:  # schemathesis starts the app's lifespan and never ends it: stop its refresher
        app.state.cache.stop()


def _check_operation(operation: schemathesis.APIOperation) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case: schemathesis.Case) -> None:
        response = case.call()
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} {case.query} {case.body!r}: "
            f"{response.status_code} {response.text[:300]}"
        )
        if response.status_code >= 400 and "json" in response.headers["content-type"]:
            assert set(response.json()) == {"error"}, response.text[:300]
        case.validate_response(response, checks=CONFORMANCE)

    check()
