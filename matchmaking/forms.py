"""Forms of the match screens: they validate what the browser sends; selectors do the reading."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from suppliers.models import Province, SizeClass

MAX_COMPARE = 3


def island_group_choices() -> list[tuple[str, str]]:
    groups = Province.objects.order_by("island_group").values_list("island_group", flat=True)
    return [("", _("All island groups"))] + [(group, group) for group in dict.fromkeys(groups)]


class MatchFilterForm(forms.Form):
    """The filters above a requirement's match list (a GET form; htmx refreshes the list)."""

    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("name"),
        required=False,
        empty_label=_("All provinces"),
    )
    island_group = forms.ChoiceField(label=_("Island group"), required=False)
    size_class = forms.ModelChoiceField(
        label=_("Size class"),
        queryset=SizeClass.objects.order_by("rank"),
        required=False,
        empty_label=_("All sizes"),
    )
    min_score = forms.IntegerField(
        label=_("Minimum score"),
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "0"}),
    )
    verified_only = forms.BooleanField(label=_("Verified only"), required=False)
    show_dismissed = forms.BooleanField(label=_("Show dismissed"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["island_group"].choices = island_group_choices()
        # Codes are primary keys: the query string stays short and readable (?province=32).
        self.fields["province"].to_field_name = "code"
        self.fields["size_class"].to_field_name = "code"

    def filters(self) -> dict:
        """The cleaned filters (empty ones left out); only call after is_valid()."""
        data = self.cleaned_data
        filters: dict = {}
        if data.get("province"):
            filters["province"] = data["province"].code
        if data.get("island_group"):
            filters["island_group"] = data["island_group"]
        if data.get("size_class"):
            filters["size_class"] = data["size_class"].code
        if data.get("verified_only"):
            filters["verified_only"] = True
        if data.get("min_score") is not None:
            filters["min_score"] = data["min_score"]
        return filters


class CompareForm(forms.Form):
    """Two or three suppliers of one requirement's matches, to show side by side."""

    supplier = forms.TypedMultipleChoiceField(
        label=_("Compare"),
        coerce=int,
        error_messages={"required": _("Choose two or three suppliers to compare.")},
    )

    def __init__(self, *args, supplier_ids: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = [(pk, str(pk)) for pk in supplier_ids]
        self.fields["supplier"].error_messages["invalid_choice"] = _(
            "One of the chosen suppliers is not a match of this requirement any more."
        )

    def clean_supplier(self) -> list[int]:
        chosen = list(dict.fromkeys(self.cleaned_data["supplier"]))
        if len(chosen) > MAX_COMPARE:
            raise forms.ValidationError(
                ngettext(
                    "You can compare at most %(max)d supplier; you chose %(count)d. "
                    "Untick one and try again.",
                    "You can compare at most %(max)d suppliers; you chose %(count)d. "
                    "Untick one and try again.",
                    MAX_COMPARE,
                )
                % {"max": MAX_COMPARE, "count": len(chosen)},
                code="too_many",
            )
        if len(chosen) < 2:
            raise forms.ValidationError(
                _("Choose two or three suppliers to compare."), code="too_few"
            )
        return chosen


class DecisionForm(forms.Form):
    """Shortlist or dismiss a supplier; an empty status undoes the decision."""

    status = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[
            ("", _("Undo")),
            ("shortlisted", _("Shortlist")),
            ("dismissed", _("Dismiss")),
        ],
    )


class ReadinessOverviewForm(forms.Form):
    """The ministry's readiness overview, for the whole country or one province."""

    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("name"),
        required=False,
        empty_label=_("All provinces"),
        to_field_name="code",
    )
