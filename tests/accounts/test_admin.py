import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import User
from tests.factories import AdminUserFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.fixture
def admin_client(client):
    client.force_login(AdminUserFactory(email="admin@example.id"))
    return client


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_admin_pages_load_for_every_registered_model(admin_client, app_label, model_name):
    changelist = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert changelist.status_code == 200

    model_admin = admin.site._registry[
        next(
            model
            for model in admin.site._registry
            if (model._meta.app_label, model._meta.model_name) == (app_label, model_name)
        )
    ]
    add = admin_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    expected = 200 if model_admin.has_add_permission(add.wsgi_request) else 403
    assert add.status_code == expected


def test_admin_search_on_users_and_email_addresses_works(admin_client):
    for name in ("accounts_user", "account_emailaddress"):
        response = admin_client.get(reverse(f"admin:{name}_changelist"), {"q": "admin"})
        assert response.status_code == 200


def test_administrator_creates_a_ministry_account_that_can_log_in(admin_client, client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Rina@Kemenkop.go.id",
            "full_name": "Rina Wulandari",
            "role": "ministry",
            "preferred_language": "id",
            "usable_password": "true",
            "password1": "Kementerian-UMKM-2026",
            "password2": "Kementerian-UMKM-2026",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors

    user = User.objects.get(email="rina@kemenkop.go.id")
    assert user.role == User.Role.MINISTRY
    assert user.is_ministry
    admin_client.logout()
    response = admin_client.post(
        reverse("account_login"),
        {"login": "rina@kemenkop.go.id", "password": "Kementerian-UMKM-2026"},
    )
    assert response.status_code == 302
    assert admin_client.session["_auth_user_id"] == str(user.pk)
