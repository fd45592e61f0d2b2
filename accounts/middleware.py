import functools
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from .audit import Actor, AuditDoor, reset_actor, set_actor
from .privacy import SESSION_KEY, consent_is_current, session_marker


class SiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that the web pages ignore the browser's
    Accept-Language: a first visit is in Bahasa Indonesia (LANGUAGE_CODE) whatever the browser
    asks, and English is one tap away (the language switch sets a cookie; a logged-in user's
    choice is also kept on the account). The API still answers in the Accept-Language a partner
    sends."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            return super().process_request(request)
        accept = request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        try:
            return super().process_request(request)
        finally:
            if accept is not None:
                request.META["HTTP_ACCEPT_LANGUAGE"] = accept


class UserLanguageMiddleware:
    """Activate a logged-in user's preferred language unless they chose one in this browser.

    Runs after LocaleMiddleware: the language cookie (set by the language switch) wins, so a user
    can read a page in the other language without changing their profile.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


# Pages a logged-in user reaches without accepting the notice in force: the notice itself and
# its acceptance, leaving (log-out, language), and the two rights a person who does not accept
# still has: a copy of their data and deleting their account.
PRIVACY_EXEMPT_URL_NAMES = frozenset(
    {
        "privacy_notice",
        "privacy_accept",
        "account_data_export",
        "account_delete",
        "account_logout",
        "set_language",
    }
)


class PrivacyNoticeMiddleware:
    """Asks a logged-in user who has not accepted the privacy notice in force (a new version, or
    an account created by an administrator) to accept it, on their next page view.

    Only page views (GET, not htmx fragments, not the API) are redirected; what a user accepted
    is remembered in the session, so most requests cost no query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.method != "GET":
            return None
        if request.headers.get("HX-Request") or request.path.startswith("/api/"):
            return None
        match = request.resolver_match
        if match is None or match.url_name in PRIVACY_EXEMPT_URL_NAMES:
            return None
        marker = session_marker(user)
        if request.session.get(SESSION_KEY) == marker:
            return None
        if consent_is_current(user):
            request.session[SESSION_KEY] = marker
            return None
        return redirect(
            f"{reverse('privacy_accept')}?{urlencode({'next': request.get_full_path()})}"
        )


class AuditDoorMiddleware:
    """Tells the audit trail (``accounts.audit``) who is acting and through which door for the
    rest of the request: the logged-in person (read only if a record is written), under the
    admin ``admin``, under ``/api/`` ``api`` (a partner's key authentication then names the
    key), else ``web``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_actor(Actor(door=_door(request.path_info), user=getattr(request, "user", None)))
        try:
            return self.get_response(request)
        finally:
            reset_actor(token)


@functools.cache
def _admin_prefix() -> str:
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return "/admin/"


def _door(path: str) -> str:
    if path.startswith("/api/"):
        return AuditDoor.API
    if path.startswith(_admin_prefix()):
        return AuditDoor.ADMIN
    return AuditDoor.WEB
