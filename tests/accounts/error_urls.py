"""The site's URLs plus views that fail, to see the error pages as production shows them."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns


def _fails(request):
    raise RuntimeError("a bug, for the 500 page")


def _bad(request):
    raise BadRequest("malformed")


def _forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("boom/", _fails),
    path("bad/", _bad),
    path("forbidden/", _forbidden),
    path("api/v1/boom/", _fails),
    *urlpatterns,
]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
