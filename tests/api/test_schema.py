"""Property-based run of schemathesis against the project's own OpenAPI schema, in-process on
the WSGI application: no 5xx, and every response (status, content type, headers, body) matches
the schema. A few examples per operation, on the small seeded world, with a key of every scope."""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
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
HYPOTHESIS = settings(
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
# https because the test settings are not in force) fails the tests below, never the collection
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


@pytest.fixture
def buyer_session(world):
    client = Client()
    client.force_login(world.buyer)
    token = "a" * 32  # an unmasked token equal to the cookie is a valid CSRF pair
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    cookies = {
        django_settings.SESSION_COOKIE_NAME: session,
        django_settings.CSRF_COOKIE_NAME: token,
    }
    return {"cookies": cookies, "headers": {"X-CSRFToken": token, "Accept-Language": "en"}}


@pytest.fixture
def buyer_key(world):
    """The buyer firm's own key, and an awarded quotation with tiers for it to read."""
    from introductions.models import Quotation, QuotationRevision, QuotationTier
    from partners.models import BuyerApiScope
    from partners.services import api_key_create

    quotation = Quotation.objects.create(
        introduction=world.introduction,
        requirement=world.requirement,
        supplier=world.consenting,
        status=Quotation.Status.AWARDED,
        awarded_quantity=1000,
        awarded_value_idr=5_000_000,
        decided_at=world.introduction.decided_at,
    )
    revision = QuotationRevision.objects.create(
        quotation=quotation,
        number=1,
        unit_price_idr=5000,
        minimum_order=100,
        lead_time_days=30,
        valid_until="2030-01-31",
        local_content_pct="45.00",
    )
    QuotationTier.objects.create(revision=revision, min_quantity=500, unit_price_idr=4800)
    _key, raw = api_key_create(
        manufacturer=world.requirement.manufacturer,
        scopes=BuyerApiScope.values,
        rate_per_minute=100_000,
    )
    return raw


def buyer_reads_conform_to_the_schema(case, buyer_key):
    case.call_and_validate(
        headers={"Authorization": f"Api-Key {buyer_key}", "Accept-Language": "en"},
        checks=CHECKS,
    )


def conforms_to_the_schema(case, all_scopes_key):
    case.call_and_validate(
        headers={"Authorization": f"Api-Key {all_scopes_key}", "Accept-Language": "en"},
        checks=CHECKS,
    )


def buyer_writes_conform_to_the_schema(case, buyer_session, world):
    if case.path_parameters and "id" in case.path_parameters:
        # Generated bodies against the buyer's own draft, not only against missing ids.
        case.path_parameters["id"] = world.draft.pk
    case.call_and_validate(**buyer_session, checks=CHECKS)


if schema is not None:
    test_api_conforms_to_its_schema = pytest.mark.django_db(transaction=False)(
        schema.parametrize()(HYPOTHESIS(conforms_to_the_schema))
    )
    # Requirement writes are for buyers' sessions (keys are refused): a second run as the buyer.
    test_requirement_writes_conform_to_the_schema_for_a_buyer = pytest.mark.django_db(
        transaction=False
    )(
        schema.include(path_regex=r"^/api/v1/requirements/").parametrize()(
            HYPOTHESIS(buyer_writes_conform_to_the_schema)
        )
    )
    # Quotations and awards are read with a buyer firm's own key: a third run with one.
    test_quotation_reads_conform_to_the_schema_for_a_buyer_key = pytest.mark.django_db(
        transaction=False
    )(
        schema.include(path_regex=r"^/api/v1/(quotations|awards)/").parametrize()(
            HYPOTHESIS(buyer_reads_conform_to_the_schema)
        )
    )
else:

    def test_api_conforms_to_its_schema():
        pytest.fail(f"The OpenAPI schema at /api/v1/schema/ did not load: {schema_error!r}")


def test_every_api_operation_is_in_the_schema_and_tested():
    """What the router serves is what the schema documents, so the runs above cover it all."""
    from django.urls import URLPattern

    from partners.api import urls as api_urls
    from partners.api.urls import router

    assert schema is not None, f"The OpenAPI schema did not load: {schema_error!r}"

    def shape(path: str) -> str:
        return re.sub(r"\{[^}]+\}", "{}", path)

    documented = {
        (operation.method.upper(), shape(operation.path))
        for operation in (result.ok() for result in schema.get_all_operations())
    }
    served = set()
    # Views routed beside the router (the stats), read from the URL configuration itself so a
    # new one is caught; the schema and its docs page describe the API, they are not part of it.
    for pattern in api_urls.urlpatterns:
        if not isinstance(pattern, URLPattern) or pattern.name in {None, "schema", "docs"}:
            continue
        view = pattern.callback.view_class
        for method in view.http_method_names:
            if method not in {"head", "options", "trace"} and hasattr(view, method):
                served.add((method.upper(), shape("/api/v1/" + str(pattern.pattern))))
    for prefix, viewset, _basename in router.registry:
        allowed = {method.upper() for method in viewset.http_method_names}
        for route in router.get_routes(viewset):
            path = route.url.replace("{prefix}", prefix).replace("{trailing_slash}", "/")
            path = shape("/api/v1/" + path.strip("^$").replace("{lookup}", "{x}"))
            for method, action in route.mapping.items():
                if hasattr(viewset, action) and method.upper() in allowed:
                    served.add((method.upper(), path))
    assert served == documented
