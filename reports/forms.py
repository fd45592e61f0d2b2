from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from suppliers.models import ComponentCategory, Province, SizeClass, VerificationDecision

from .dashboard import Filters, default_period


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=VerificationDecision.Decision.choices)
    reason = forms.CharField(
        label=_("Reason for rejection"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == VerificationDecision.Decision.REJECTED
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Give the reason for the rejection."))
        return data


class FilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    island_group = forms.ChoiceField(label=_("Island group"), required=False)
    size_class = forms.ChoiceField(label=_("Size class"), required=False)
    system = forms.ChoiceField(label=_("Component system"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        provinces = Province.objects.order_by("name")
        self.fields["province"].choices = everything + [(p.code, p.name) for p in provinces]
        islands = sorted({p.island_group for p in provinces})
        self.fields["island_group"].choices = everything + [(i, i) for i in islands]
        sizes = SizeClass.objects.order_by("rank")
        self.fields["size_class"].choices = everything + [(s.code, s.name) for s in sizes]
        systems = ComponentCategory.objects.filter(level=1).order_by("code")
        self.fields["system"].choices = everything + [(c.code, c.name) for c in systems]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    CHOICE_FIELDS = ("province", "island_group", "size_class", "system")

    def choice_label(self, name: str, value: str) -> str:
        """The name a person reads for a filter value ("Jawa Barat", not "32")."""
        if not value:
            return str(_("All"))
        return str(dict(self.fields[name].choices).get(value, value))

    def describe(self, f: Filters) -> list[tuple[str, str, str]]:
        """Every filter of ``f`` as (field, label, value in words), for the print view, the
        exports' "Filters" sheet and the chips."""
        period = (
            "period",
            str(_("Period")),
            f"{date_format(f.date_from, 'DATE_FORMAT')} – {date_format(f.date_to, 'DATE_FORMAT')}",
        )
        return [period] + [
            (name, str(self.fields[name].label), self.choice_label(name, getattr(f, name)))
            for name in self.CHOICE_FIELDS
        ]

    def active(self, f: Filters) -> list[tuple[str, str, str]]:
        """The filters that narrow the report (a period other than the default one counts)."""
        default_from, default_to = default_period()
        return [
            (name, label, value)
            for name, label, value in self.describe(f)
            if (name == "period" and (f.date_from, f.date_to) != (default_from, default_to))
            or (name != "period" and getattr(f, name))
        ]

    def filters(self) -> Filters:
        """The valid filters; a field with an error falls back to its default."""
        default_from, default_to = default_period()
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        if self.errors.get("date_to") or self.errors.get("date_from"):
            data = {k: v for k, v in data.items() if k not in ("date_from", "date_to")}
        return Filters(
            date_from=data.get("date_from") or default_from,
            date_to=data.get("date_to") or default_to,
            province=data.get("province") or "",
            island_group=data.get("island_group") or "",
            size_class=data.get("size_class") or "",
            system=data.get("system") or "",
        )
