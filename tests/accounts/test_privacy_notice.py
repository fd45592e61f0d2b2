"""The privacy notice (UU PDP): in both languages, linked at sign-up and in the footer, accepted
at sign-up and again when it changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import PrivacyConsent, User
from tests.factories import MinistryUserFactory, UmkmUserFactory

from .conftest import signup_data

pytestmark = pytest.mark.django_db


def test_the_notice_is_in_indonesian_by_default_and_in_english(client, settings):
    response = client.get(reverse("privacy_notice"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pemberitahuan Privasi" in page
    assert "Hak Anda" in page
    assert settings.PRIVACY_NOTICE_VERSION in page
    assert settings.PRIVACY_CONTACT_EMAIL in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("privacy_notice")).content.decode()
    assert "Privacy notice" in page
    assert "Your rights, and how to use them" in page
    assert "legitimate interest" in page.lower()


def test_the_notice_states_the_retention_periods_in_force(client, settings):
    settings.RETENTION_READ_NOTIFICATION_DAYS = 45
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("privacy_notice")).content.decode()
    assert "deleted after 45 days" in page


def test_the_footer_and_the_sign_up_page_link_the_notice(client):
    notice = reverse("privacy_notice")
    home = client.get(reverse("home")).content.decode()
    assert f'href="{notice}" data-testid="footer-privacy"' in home
    signup = client.get(reverse("account_signup")).content.decode()
    assert f'href="{notice}"' in signup
    assert 'name="privacy_consent"' in signup


def test_sign_up_without_accepting_the_notice_is_refused(client):
    data = signup_data()
    del data["privacy_consent"]

    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    assert "privacy_consent" in response.context["form"].errors
    assert not User.objects.exists()


def test_sign_up_records_the_consent_with_its_version(client, settings):
    client.post(
        reverse("account_signup"),
        signup_data(),
        HTTP_USER_AGENT="Mozilla/5.0 (Android 14)",
        REMOTE_ADDR="203.0.113.9",
    )

    consent = PrivacyConsent.objects.get(user__email="budi@umkm.example.id")
    assert consent.notice_version == settings.PRIVACY_NOTICE_VERSION
    assert consent.ip_address == "203.0.113.9"
    assert consent.user_agent == "Mozilla/5.0 (Android 14)"


def test_a_new_version_is_asked_for_on_the_next_page_view(client, settings):
    user = UmkmUserFactory()
    client.force_login(user)
    assert client.get(reverse("account_profile")).status_code == 200

    settings.PRIVACY_NOTICE_VERSION = "2099-01-01"
    response = client.get(reverse("account_profile"))

    accept = reverse("privacy_accept")
    assert response.status_code == 302
    assert response["Location"] == f"{accept}?next=%2Faccounts%2Fprofile%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'data-testid="privacy-notice"' in page.content

    # Not ticking the box accepts nothing.
    response = client.post(accept, {"next": "/accounts/profile/"})
    assert response.status_code == 200
    assert not PrivacyConsent.objects.filter(user=user, notice_version="2099-01-01").exists()

    response = client.post(accept, {"accept": "on", "next": "/accounts/profile/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert PrivacyConsent.objects.filter(user=user, notice_version="2099-01-01").exists()
    assert client.get(reverse("account_profile")).status_code == 200
    assert user.privacy_consents.count() == 2


def test_an_account_without_consent_is_asked_but_may_still_leave(client):
    # An administrator created it: the person never saw the notice.
    user = MinistryUserFactory(privacy_consent=False)
    client.force_login(user)

    assert client.get(reverse("reports:dashboard")).status_code == 302
    # Reading the notice, getting a copy of one's data and deleting the account stay open.
    assert client.get(reverse("privacy_notice")).status_code == 200
    assert client.get(reverse("account_delete")).status_code == 200
    assert client.post(reverse("account_data_export")).status_code == 200
    # Fragments and the API are not redirected (they would break the page or the client).
    assert client.get("/api/v1/reference/provinces/").status_code != 302


def test_the_accept_page_never_redirects_off_site(client):
    client.force_login(UmkmUserFactory(privacy_consent=False))

    response = client.post(
        reverse("privacy_accept"), {"accept": "on", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_a_sign_up_session_does_not_vouch_for_another_account(client):
    client.post(reverse("account_signup"), signup_data())
    other = UmkmUserFactory(privacy_consent=False)
    client.force_login(other)

    assert client.get(reverse("account_profile")).status_code == 302
