from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def _unread_count(user) -> int:
    from .models import Notification

    # One count on the partial index of unread rows.
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def navigation(request: HttpRequest) -> dict:
    """What the header needs to show the right workspace links."""
    user = request.user
    supplier = None
    if user.is_authenticated and user.is_umkm:
        membership = getattr(user, "supplier_membership", None)
        supplier = membership.supplier if membership else None
    unread = 0
    if user.is_authenticated:
        # Lazy: pages that never show the header (e-mails, fragments) never run the query.
        unread = SimpleLazyObject(lambda: _unread_count(user))
    return {"nav_supplier": supplier, "nav_unread": unread}
