from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from .network import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("home")

    def get_user_search_fields(self) -> list[str]:
        # The user model has no username, first_name or last_name.
        return ["email", "full_name"]

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Send in the recipient's language when we know it, else the language of the request.
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth keys its log-in, sign-up and reset limits on this: the same address as every
        # other rate limit of the site, honouring TRUSTED_PROXY_COUNT.
        return client_ip(request)
