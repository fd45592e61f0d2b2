import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def failures_allowed_per_account(settings) -> int:
    # e.g. "10/m/ip,5/5m/key": five failures per e-mail address within five minutes.
    rates = settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")
    return next(int(rate.split("/")[0]) for rate in rates if rate.endswith("/key"))


def login(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_verified_user_logs_in_and_out(client, verified_user):
    response = login(client, verified_user.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(verified_user.pk)

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post(client, verified_user):
    client.force_login(verified_user)

    response = client.get(reverse("account_logout"))

    assert response.status_code == 200  # a confirmation page, not a log-out
    assert client.session["_auth_user_id"] == str(verified_user.pk)


def test_wrong_password_gets_a_clear_message(client, verified_user):
    response = login(client, verified_user.email, "wrong-password")

    assert response.status_code == 200
    assert "Alamat e-mail dan/atau kata sandi yang Anda masukkan tidak benar." in (
        response.content.decode()
    )
    assert f'value="{verified_user.email}"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_message_in_english(client, verified_user, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = login(client, verified_user.email, "wrong-password")

    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )


def test_login_is_refused_after_too_many_failures_even_with_the_right_password(
    client, verified_user, settings
):
    # The failures are counted in the real, shared Redis cache (as in production, where several
    # web processes must see the same count). The autouse fixture gave this test its own key
    # prefix there, so earlier runs cannot have counted anything yet.
    assert isinstance(caches["default"], RedisCache)
    allowed = failures_allowed_per_account(settings)

    for _attempt in range(allowed):
        response = login(client, verified_user.email, "wrong-password")
        assert "tidak benar" in response.content.decode()

    response = login(client, verified_user.email, PASSWORD)

    assert response.status_code == 200
    assert "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_failures_on_one_account_do_not_lock_another(client, verified_user, settings):
    allowed = failures_allowed_per_account(settings)
    for _attempt in range(allowed):
        login(client, "someone-else@example.id", "wrong-password")

    response = login(client, verified_user.email, PASSWORD)

    assert response.status_code == 302
