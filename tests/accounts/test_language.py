import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def switch_language(client, language: str, next_url: str = "/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_indonesian_is_the_default_language(client):
    html = client.get(reverse("account_login")).content.decode()

    assert '<html lang="id"' in html
    assert "Lupa kata sandi Anda?" in html  # from allauth's own Indonesian catalogue


def test_the_switch_sets_the_cookie_and_shows_english(client, settings):
    response = switch_language(client, "en", reverse("account_login"))

    assert response.status_code == 302
    assert response.url == reverse("account_login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("account_login")).content.decode()
    assert '<html lang="en"' in html
    assert "Forgot your password?" in html


def test_the_switch_saves_a_logged_in_users_preference(client, verified_user, settings):
    client.force_login(verified_user)

    response = switch_language(client, "en")

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    verified_user.refresh_from_db()
    assert verified_user.preferred_language == "en"


def test_a_users_preferred_language_applies_in_a_new_browser(client, verified_user):
    User.objects.filter(pk=verified_user.pk).update(preferred_language="en")
    client.force_login(verified_user)

    html = client.get(reverse("account_profile")).content.decode()

    assert '<html lang="en"' in html


def test_the_switch_ignores_unknown_languages(client, verified_user, settings):
    client.force_login(verified_user)

    response = switch_language(client, "fr")

    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    verified_user.refresh_from_db()
    assert verified_user.preferred_language == "id"


def test_the_switch_does_not_redirect_to_another_site(client):
    response = switch_language(client, "en", "https://evil.example.com/")

    assert response.url == "/"


def test_account_settings_change_the_preferred_language(client, verified_user, settings):
    client.force_login(verified_user)

    response = client.post(
        reverse("account_profile"), {"full_name": "Siti Aminah", "preferred_language": "en"}
    )

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    verified_user.refresh_from_db()
    assert (verified_user.full_name, verified_user.preferred_language) == ("Siti Aminah", "en")
