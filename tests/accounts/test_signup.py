import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User

from .conftest import link_in, signup_data

pytestmark = pytest.mark.django_db


def test_signup_creates_an_unverified_user_with_role_and_language(client, mailoutbox):
    response = client.post(reverse("account_signup"), signup_data(role="buyer"))

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="budi@umkm.example.id")
    assert user.full_name == "Budi Santoso"
    assert user.role == User.Role.BUYER
    assert user.preferred_language == "id"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["budi@umkm.example.id"]


def test_verification_email_is_in_indonesian_by_default(client, mailoutbox):
    client.post(reverse("account_signup"), signup_data())

    assert mailoutbox[0].subject == "[Rantai] Mohon Konfirmasi Alamat E-mail Anda"


def test_verification_email_follows_the_chosen_language(client, mailoutbox, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(reverse("account_signup"), signup_data())

    assert mailoutbox[0].subject == "[Rantai] Please Confirm Your Email Address"
    assert User.objects.get(email="budi@umkm.example.id").preferred_language == "en"


def test_user_cannot_log_in_before_verifying_and_can_after(client, mailoutbox):
    client.post(reverse("account_signup"), signup_data())
    credentials = {"login": "budi@umkm.example.id", "password": "Tembaga-Kuat-2026"}

    response = client.post(reverse("account_login"), credentials)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    # Follow the link from the e-mail: a GET shows a confirmation button, the POST confirms.
    confirm_path = link_in(mailoutbox[-1])
    assert client.get(confirm_path).status_code == 200
    client.post(confirm_path)
    assert EmailAddress.objects.get(email="budi@umkm.example.id").verified

    client.logout()
    response = client.post(reverse("account_login"), credentials)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_ministry_role_cannot_be_chosen_at_signup(client, mailoutbox):
    response = client.post(reverse("account_signup"), signup_data(role="ministry"))

    assert response.status_code == 200
    assert not User.objects.exists()
    assert mailoutbox == []
    assert "role" in response.context["form"].errors
    # Everything else the person typed is kept.
    assert 'value="budi@umkm.example.id"' in response.content.decode()


def test_signup_page_offers_only_umkm_and_buyer(client):
    form = client.get(reverse("account_signup")).context["form"]

    assert [value for value, _label in form.fields["role"].choices] == ["umkm", "buyer"]


def test_signup_shows_errors_next_to_the_fields(client):
    response = client.post(
        reverse("account_signup"), signup_data(email="not-an-address", password2="different")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="field-email"' in html
    assert html.count('class="field-error"') >= 2
    assert 'value="Budi Santoso"' in html
