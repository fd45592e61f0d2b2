from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BuyerApiScope


class BuyerApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Label"),
        max_length=100,
        required=False,
        help_text=_("So that you recognise the key later, e.g. the system that uses it."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the key may read"),
        choices=BuyerApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(BuyerApiScope.values),
        error_messages={"required": _("Choose at least one thing the key may read.")},
    )
