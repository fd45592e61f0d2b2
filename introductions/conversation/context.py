from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import selectors


def unread_messages(request: HttpRequest) -> dict:
    """Unread conversation messages for the header's badge and the notification centre; lazy,
    so pages that show neither never run the queries."""
    user = request.user
    if not user.is_authenticated or not (user.is_buyer or user.is_umkm):
        return {"nav_unread_messages": 0, "nav_unread_threads": ()}
    return {
        "nav_unread_messages": SimpleLazyObject(lambda: selectors.unread_total(user)),
        "nav_unread_threads": SimpleLazyObject(lambda: selectors.unread_threads(user)),
    }
