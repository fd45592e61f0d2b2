"""Invitations to join an UMKM's team (the members themselves are ``SupplierMember``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.invitations import InvitationBase

from .supplier import Supplier, SupplierMember


class SupplierInvitation(InvitationBase):
    supplier = models.ForeignKey(
        Supplier,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("supplier"),
    )
    role = models.CharField(
        _("role"),
        max_length=8,
        choices=SupplierMember.Role.choices,
        default=SupplierMember.Role.STAFF,
    )

    class Meta(InvitationBase.Meta):
        verbose_name = _("UMKM invitation")
        verbose_name_plural = _("UMKM invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.supplier}"
