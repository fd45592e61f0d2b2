"""Who may call what: API keys by scope, logged-in users by role (checked by each view)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions

from .authentication import api_key_of

READ_ACTIONS = frozenset({"list", "retrieve"})


class ScopeOrSessionPermission(permissions.BasePermission):
    """Views declare ``key_scopes`` (action -> scope; None: any key; missing: keys refused) and
    may override ``session_allowed(request, action)`` (default: reads only)."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False  # DRF answers 401 with the authentication header
        if getattr(view, "action_map", None) is not None and view.action is None:
            return True  # a method the resource does not have: DRF answers 405
        action = getattr(view, "action", None) or request.method.lower()
        api_key = api_key_of(request)
        if api_key is not None:
            scopes = getattr(view, "key_scopes", {})
            if action not in scopes:
                raise exceptions.PermissionDenied(
                    _("This operation is not available with an API key."), code="not_for_api_keys"
                )
            scope = scopes[action]
            if scope is not None and not api_key.has_scope(scope):
                raise exceptions.PermissionDenied(
                    _("This API key does not have the %(scope)s scope.") % {"scope": scope},
                    code="missing_scope",
                )
            return True
        allowed = getattr(view, "session_allowed", None)
        if allowed is None:
            return action in READ_ACTIONS
        return allowed(request, action)
