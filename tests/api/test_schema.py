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


def _load_schema():
    from config.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    # Bounded: schema examples and a few generated cases (valid and invalid) per operation; the
    # exhaustive boundary-value ("coverage") phase would take minutes.
    loaded.config.phases.update(phases=["examples", "fuzzing"])
    return loaded


# Read once, when the tests are collected: one test per operation needs the operations then
# (generating the schema needs no database). A schema that does not load (say, a redirect to
# https because the test settings are not in force) fails the test below, never the collection
# of the whole suite. (schemathesis.pytest.from_fixture, the lazy loader, does not run on
# pytest 9: it renames test items through a Node attribute pytest 9 no longer has.)
try:
    schema = _load_schema()
    schema_error = None
except Exception as error:
    schema, schema_error = None, error


@pytest.fixture
def all_scopes_key(world):
    # Generous rate: the run must test the API, not its rate limit.
    return key_for(world.association, *ALL_SCOPES, rate_per_minute=100_000)


def conforms_to_the_schema(case, all_scopes_key):
    case.call_and_validate(
        headers={"Authorization": f"Api-Key {all_scopes_key}", "Accept-Language": "en"},
        checks=CHECKS,
    )


if schema is not None:
    test_api_conforms_to_its_schema = pytest.mark.django_db(transaction=False)(
        schema.parametrize()(
            settings(
                max_examples=5,
                deadline=None,
                derandomize=True,
                suppress_health_check=[
                    HealthCheck.function_scoped_fixture,
                    HealthCheck.too_slow,
                    HealthCheck.filter_too_much,
                    HealthCheck.data_too_large,
                ],
            )(conforms_to_the_schema)
        )
    )
else:

    def test_api_conforms_to_its_schema():
        pytest.fail(f"The OpenAPI schema at /api/v1/schema/ did not load: {schema_error!r}")
