"""Property-based run of schemathesis against the project's own OpenAPI schema, in-process on
the WSGI application: no 5xx, and every response (status, content type, headers, body) matches
the schema. A few examples per operation, on the small seeded world, with a key of every scope."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

from .conftest import ALL_SCOPES, key_for

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    # Called straight through WSGI, Django would close the test's database connection at the
    # end of each request; the test client avoids that the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Generating the schema needs no database, so it is read once, when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
# Bounded: schema examples and a few generated cases (valid and invalid) per operation; the
# exhaustive boundary-value ("coverage") phase would take minutes.
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture
def all_scopes_key(world):
    # Generous rate: the run must test the API, not its rate limit.
    return key_for(world.association, *ALL_SCOPES, rate_per_minute=100_000)


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_api_conforms_to_its_schema(case, all_scopes_key):
    case.call_and_validate(
        headers={"Authorization": f"Api-Key {all_scopes_key}", "Accept-Language": "en"},
        checks=CHECKS,
    )
