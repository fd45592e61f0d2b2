"""Bahasa Indonesia for a first visit whatever the browser asks; English one tap away and
remembered; the API still follows the partner's Accept-Language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_first_visit_is_in_indonesian_even_when_the_browser_asks_for_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "id"
    assert '<html lang="id"' in response.content.decode()


def test_the_language_switch_is_remembered_by_a_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    again = client.get("/", HTTP_ACCEPT_LANGUAGE="id")
    assert again.headers["Content-Language"] == "en"


def test_the_api_still_answers_in_the_accept_language(client):
    response = client.get("/api/v1/suppliers/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "en"
    response = client.get("/api/v1/suppliers/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.headers["Content-Language"] == "id"
