"""Who may manage which webhook endpoints: a partner organisation's members their own, the
administrators all. Anyone else reaches none (another partner's endpoint answers 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User

from ..models import PartnerMember, PartnerOrganisation, WebhookEndpoint


def is_admin(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == User.Role.ADMIN)


def partner_of(user: User) -> PartnerOrganisation | None:
    """The active partner organisation ``user`` works for, if any."""
    if not user.is_authenticated:
        return None
    member = (
        PartnerMember.objects.filter(user=user, partner__is_active=True)
        .select_related("partner")
        .first()
    )
    return member.partner if member else None


def may_manage_webhooks(user: User) -> bool:
    return is_admin(user) or partner_of(user) is not None


def endpoints_for(user: User) -> QuerySet[WebhookEndpoint]:
    endpoints = WebhookEndpoint.objects.select_related("partner")
    if is_admin(user):
        return endpoints
    partner = partner_of(user)
    if partner is None:
        return endpoints.none()
    return endpoints.filter(partner=partner)
