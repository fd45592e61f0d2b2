from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.events import EVENT_NAMES

from ..models import PartnerOrganisation

EVENT_LABELS = {
    "supplier.verified": _("supplier.verified: the ministry verified an UMKM"),
    "requirement.published": _("requirement.published: a buyer published a requirement"),
    "introduction.accepted": _("introduction.accepted: an introduction was accepted"),
    "partnership.stage_changed": _(
        "partnership.stage_changed: a partnership started or changed stage"
    ),
    "quotation.awarded": _("quotation.awarded: a buyer awarded a quotation"),
}


class EndpointForm(forms.Form):
    """The fields are checked by ``endpoint_create`` / ``endpoint_update``; their messages come
    back onto this form."""

    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        help_text=_("Where Rantai sends the events, e.g. https://example.id/rantai/webhook."),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(name, EVENT_LABELS[name]) for name in EVENT_NAMES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pick at least one event.")},
    )

    def __init__(self, *args, admin: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if admin:
            # Administrators register endpoints for any partner.
            self.fields["partner"] = forms.ModelChoiceField(
                label=_("Partner"), queryset=PartnerOrganisation.objects.filter(is_active=True)
            )
            self.order_fields(["partner", "url", "description", "events"])
