from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    # Django's language switch, also saving a logged-in user's choice on their account.
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("partners.urls")),  # the UMKM's consent page
    path("accounts/", include("allauth.urls")),
    path("suppliers/", include("suppliers.urls")),
    path("buyers/", include("partners.buyer_urls")),  # a buyer firm's own API keys
    path("buyers/", include("manufacturers.urls")),
    path("matches/", include("matchmaking.urls")),
    path("introductions/", include("introductions.urls")),
    path("reports/", include("reports.urls")),
    path("partners/webhooks/", include("partners.webhooks.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("partners.api.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Error pages in the site's layout and language (accounts/errors.py).
handler400 = "accounts.errors.bad_request"
handler403 = "accounts.errors.permission_denied"
handler404 = "accounts.errors.page_not_found"
handler500 = "accounts.errors.server_error"
