from functools import cache

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts.models import Notification

from . import selectors


def unread_messages(request: HttpRequest) -> dict:
    """What the header's badge counts (unread notifications plus unread conversation messages)
    and the notification centre lists; lazy, so pages that show neither never run a query."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_unread_messages": 0, "nav_unread_threads": (), "nav_unread_total": 0}
    talks = user.is_buyer or user.is_umkm
    # Counted once per request, whether the badge or the breakdown asks first.
    messages = cache(lambda: selectors.unread_total(user) if talks else 0)

    def total() -> int:
        notifications = Notification.objects.filter(user=user, read_at__isnull=True).count()
        return notifications + messages()

    return {
        "nav_unread_messages": SimpleLazyObject(messages),
        "nav_unread_threads": SimpleLazyObject(
            lambda: selectors.unread_threads(user) if talks else []
        ),
        "nav_unread_total": SimpleLazyObject(total),
    }
