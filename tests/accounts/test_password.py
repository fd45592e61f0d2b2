import pytest
from django.urls import reverse

from .conftest import PASSWORD, link_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Baterai-Listrik-77"


def test_password_reset_by_email(client, verified_user, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": verified_user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "[Rantai] E-mail Reset Kata Sandi"

    # The link carries the key once; allauth then moves it into the session.
    response = client.get(link_in(mailoutbox[0]), follow=True)
    assert response.status_code == 200
    form_path = response.redirect_chain[-1][0]
    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    verified_user.refresh_from_db()
    assert verified_user.check_password(NEW_PASSWORD)
    assert not verified_user.check_password(PASSWORD)


def test_password_reset_link_works_only_once(client, verified_user, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": verified_user.email})
    link = link_in(mailoutbox[0])
    response = client.get(link, follow=True)
    client.post(
        response.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    response = client.get(link, follow=True)

    assert response.context["token_fail"]


def test_password_reset_for_an_unknown_address_reveals_nothing(client, db, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.id"})

    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")


def test_password_change(client, verified_user):
    client.force_login(verified_user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    verified_user.refresh_from_db()
    assert verified_user.check_password(NEW_PASSWORD)


def test_password_change_with_a_wrong_current_password_shows_the_error_next_to_it(
    client, verified_user
):
    client.force_login(verified_user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert 'class="field has-error" id="field-oldpassword"' in response.content.decode()
