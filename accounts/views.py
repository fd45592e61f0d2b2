from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .errors import landing_url
from .forms import ProfileForm
from .outbox import digest_set
from .services import user_set_language


def home(request: HttpRequest) -> HttpResponse:
    """Landing page; a logged-in person goes straight to their workspace (an UMKM member to
    their company, a buyer to their requirements, ministry staff and administrators to the
    programme's dashboard), so log-in never ends on the public page."""
    user = request.user
    if user.is_authenticated and (user.is_ministry or user.is_staff):
        return redirect(landing_url(user))
    if user.is_authenticated and user.is_umkm:
        membership = getattr(user, "supplier_membership", None)
        if membership is None:
            return redirect("suppliers:create")
        return redirect("suppliers:dashboard")
    if user.is_authenticated and user.is_buyer:
        if getattr(user, "manufacturer_membership", None) is None:
            return redirect("manufacturers:create")
        return redirect("manufacturers:dashboard")
    return render(request, "home.html")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if "weekly_digest" in form.cleaned_data:
            digest_set(user=user, enabled=form.cleaned_data["weekly_digest"])
        translation.activate(user.preferred_language)
        messages.success(request, _("Your settings were saved."))
        response = redirect("account_profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
        return response
    return render(request, "accounts/profile.html", {"form": form})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice on a logged-in user's account.

    The cookie alone would only cover this browser; the account setting also decides the
    language of the e-mails Rantai sends.
    """
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        # Django's view accepts any language it has a catalogue for (fr, de, ...); Rantai
        # offers two, so anything else changes nothing.
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = "/"
        return redirect(next_url)
    response = django_set_language(request)
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    return response
