from django import template

from accounts.models import User

from ..webhooks.selectors import may_manage_webhooks

register = template.Library()


@register.filter
def manages_webhooks(user) -> bool:
    """The menu's "Webhooks" link: partner organisations' members and administrators."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role not in (User.Role.PARTNER, User.Role.ADMIN) and not user.is_superuser:
        return False  # no query on every page for everyone else
    return may_manage_webhooks(user)
