"""Forms of the introduction and partnership pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from suppliers.models import PartnershipPattern

from .models import Partnership
from .services import MAX_MESSAGE


class IntroductionMessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A short note: what you need, or what you can offer."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = [
            "pattern",
            "stage",
            "ended_reason",
            "contract_value_idr",
            "start_date",
            "technology_transfer",
            "financing",
            "notes",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "contract_value_idr": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "ended_reason": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pattern"].queryset = PartnershipPattern.objects.order_by("code")
        self.fields["ended_reason"].help_text = _("Only when the stage is “Ended”.")

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("stage") == Partnership.Stage.ENDED
            and not (data.get("ended_reason") or "").strip()
        ):
            self.add_error("ended_reason", _("Say why the partnership ended."))
        return data

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
