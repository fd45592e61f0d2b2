"""A requirement opened to quotations, with a quotation deadline: the same rules at every door
(the form, the services, the partner API) with the same messages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from manufacturers import services
from manufacturers.forms import RequirementForm
from manufacturers.models import Requirement

pytestmark = pytest.mark.django_db

PAST = "Choose a moment from now on."
AFTER_NEED = "The quotation deadline must come before the needed-by date."


def form_data(**overrides) -> dict:
    data = {
        "reference": "RFQ-Q1",
        "title": "Cell holder",
        "component": "BAT.MOD.HOLDER",
        "processes": ["INJ_MOULD"],
        "annual_volume": "20000",
        "needed_by": (timezone.localdate() + timedelta(days=60)).isoformat(),
        "delivery_province": "32",
    }
    data.update(overrides)
    return data


def moment(days: int) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_the_form_opens_a_requirement_to_quotations_with_a_deadline(pair):
    form = RequirementForm(form_data(quotes_open="on", quote_deadline=moment(10)))
    assert form.is_valid(), form.errors
    requirement = services.requirement_create(
        manufacturer=pair.requirement.manufacturer,
        created_by=pair.buyer,
        data=form.service_data(),
    )
    requirement.refresh_from_db()
    assert requirement.quotes_open is True
    assert timezone.now() + timedelta(days=9) < requirement.quote_deadline
    edit = RequirementForm(requirement=requirement)
    assert edit["quotes_open"].value() is True
    assert edit["quote_deadline"].value() is not None


@pytest.mark.parametrize(("days", "message"), [(-1, PAST), (61, AFTER_NEED)])
def test_the_form_refuses_a_deadline_past_or_after_the_need(days, message):
    form = RequirementForm(form_data(quote_deadline=moment(days)))
    assert not form.is_valid()
    assert form.errors["quote_deadline"] == [message]


def test_the_service_refuses_what_the_form_refuses(pair):
    with pytest.raises(ValidationError) as caught:
        services.requirement_update(
            requirement=pair.requirement,
            changed_by=pair.buyer,
            data={"quote_deadline": timezone.now() - timedelta(hours=1)},
        )
    assert caught.value.message_dict == {"quote_deadline": [PAST]}


def test_the_api_sets_and_refuses_the_same_fields(pair):
    client = Client(headers={"accept-language": "en"})
    client.force_login(pair.buyer)
    url = f"/api/v1/requirements/{pair.requirement.pk}/"

    def patch(body):
        return client.patch(url, data=json.dumps(body), content_type="application/json")

    refused = patch({"quote_deadline": (timezone.now() - timedelta(days=1)).isoformat()})
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["quote_deadline"] == [PAST]
    deadline = timezone.now() + timedelta(days=5)
    accepted = patch({"quotes_open": True, "quote_deadline": deadline.isoformat()})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["quotes_open"] is True
    requirement = Requirement.objects.get(pk=pair.requirement.pk)
    assert requirement.quotes_open and abs(requirement.quote_deadline - deadline) < timedelta(
        seconds=1
    )
