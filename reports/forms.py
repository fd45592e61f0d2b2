from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from suppliers.models import (
    ComponentCategory,
    FirmKind,
    Province,
    SizeClass,
    VerificationDecision,
    VerificationReview,
)

from .dashboard import Filters, default_period
from .queue import WAITING_DAYS, QueueFilters


class DecisionForm(forms.Form):
    """The ministry's decision on one firm. The reason is asked only for a rejection; approving
    a firm whose certificate has expired needs ``confirm_expired`` ticked (the form has that
    field only when ``expired`` names such certificates)."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=VerificationDecision.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose Approve or Reject.")},
    )
    reason = forms.CharField(
        label=_("Reason for rejection"),
        help_text=_("The firm reads it in the e-mail and on its page."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm_expired = forms.BooleanField(label=_("Approve anyway"), required=False)

    def __init__(self, *args, expired: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.expired = expired or []
        if not self.expired:
            del self.fields["confirm_expired"]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if (
            decision == VerificationDecision.Decision.REJECTED
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Give the reason for the rejection."))
        if (
            decision == VerificationDecision.Decision.APPROVED
            and self.expired
            and not data.get("confirm_expired")
        ):
            self.add_error(
                "confirm_expired",
                _("A certificate has expired (%(names)s). Tick the box to approve anyway.")
                % {"names": ", ".join(self.expired)},
            )
        return data


class QueueFilterForm(forms.Form):
    """The verification queue's filters; an invalid value is ignored (the queue unfiltered by
    it), never an error page."""

    q = forms.CharField(label=_("Name, NIB or NPWP"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All")), *FirmKind.choices],
    )
    # Before province and review: on a phone those two take a whole row each (queue.css), kind
    # and waiting share the first, and the tab order stays the order on screen.
    waiting = forms.TypedChoiceField(
        label=_("Waiting"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    review = forms.ChoiceField(
        label=_("Why it waits"),
        required=False,
        # The rows' own badge words, short enough for a phone's select (the model's label for a
        # resubmission, "... after a rejection", is cut at 360 px).
        choices=[
            ("", _("All")),
            ("new", _("New registration")),
            (VerificationReview.Reason.CHANGED, _("Changed after verification")),
            (VerificationReview.Reason.RESUBMITTED, _("New review requested")),
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        provinces = Province.objects.order_by("name")
        self.fields["province"].choices = [("", _("All"))] + [(p.code, p.name) for p in provinces]
        # Formatted here, per request, in the request's language.
        self.fields["waiting"].choices = [("", _("Any time"))] + [
            (str(days), _("At least %(days)d days") % {"days": days}) for days in WAITING_DAYS
        ]

    def filters(self) -> QueueFilters:
        if not self.is_bound:
            return QueueFilters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return QueueFilters(
            kind=data.get("kind") or "",
            province=data.get("province") or "",
            waiting_days=data.get("waiting"),
            review=data.get("review") or "",
            q=(data.get("q") or "").strip(),
        )


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
