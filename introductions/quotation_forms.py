"""Forms of the quotation pages: the UMKM's offer (with tier rows) and the buyer's award."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from manufacturers.validators import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TOO_LARGE,
    ATTACHMENT_WRONG_TYPE,
    validate_requirement_attachment,
)
from suppliers.models import PartnershipPattern, Supplier
from suppliers.validators import upload_attrs

from .models import QuotationRevision
from .quotations.rules import (
    LEAD_TIME_MAX,
    NOTES_MAX,
    PRICE_MAX,
    QUANTITY_MAX,
    Offer,
    offer_errors,
    tkdn_certificates,
)

TIER_ROWS = 4  # volume breaks shown under the minimum-order row
NUMERIC = {"inputmode": "numeric"}


class QuotationForm(forms.Form):
    unit_price_idr = forms.IntegerField(
        label=_("Unit price (IDR)"),
        min_value=1,
        max_value=PRICE_MAX,
        widget=forms.NumberInput(attrs=NUMERIC),
        help_text=_("The price per unit at the minimum order."),
    )
    minimum_order = forms.IntegerField(
        label=_("Minimum order (units)"),
        min_value=1,
        max_value=QUANTITY_MAX,
        widget=forms.NumberInput(attrs=NUMERIC),
    )
    lead_time_days = forms.IntegerField(
        label=_("Lead time (days)"),
        min_value=1,
        max_value=LEAD_TIME_MAX,
        widget=forms.NumberInput(attrs=NUMERIC),
    )
    valid_until = forms.DateField(
        label=_("Offer valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    local_content_pct = forms.DecimalField(
        label=_("Declared local content (TKDN %)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    local_content_certificate = forms.TypedChoiceField(
        label=_("Backed by your TKDN certificate"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Payment terms, packaging, tooling cost: anything the buyer should know."),
    )
    file = forms.FileField(
        label=_("Add a file"),
        required=False,
        help_text=_("PDF, PNG, JPG, STEP or DXF, at most 20 MB. Only the buyer sees it."),
        validators=[validate_requirement_attachment],
        widget=forms.ClearableFileInput(
            attrs=upload_attrs(
                max_bytes=ATTACHMENT_MAX_BYTES,
                too_large=ATTACHMENT_TOO_LARGE,
                wrong_type=ATTACHMENT_WRONG_TYPE,
                extensions=sorted(ATTACHMENT_EXTENSIONS),
                accept=".pdf,.png,.jpg,.jpeg,.step,.stp,.dxf",
            )
        ),
    )
    drop_files = forms.TypedMultipleChoiceField(
        label=_("Remove files of the previous revision"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        supplier: Supplier,
        previous: QuotationRevision | None = None,
        today: date,
        **kwargs: Any,
    ) -> None:
        if previous is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(previous)
        super().__init__(*args, **kwargs)
        self.supplier, self.today = supplier, today
        self.certificates = {c.pk: c for c in tkdn_certificates(supplier, today)}
        self.fields["local_content_certificate"].choices = [("", _("None"))] + [
            (
                c.pk,
                _("%(number)s: %(pct)s%%, valid until %(date)s")
                % {
                    "number": c.number or c.cert_type_id,
                    "pct": c.local_content_pct if c.local_content_pct is not None else "?",
                    "date": date_format(c.valid_until) if c.valid_until else "–",
                },
            )
            for c in self.certificates.values()
        ]
        files = list(previous.files.all()) if previous is not None else []
        self.fields["drop_files"].choices = [(f.pk, f.original_name) for f in files]
        if not files:
            del self.fields["drop_files"]
        for n in range(1, TIER_ROWS + 1):
            self.fields[f"tier_quantity_{n}"] = forms.IntegerField(
                label=_("From quantity"),
                required=False,
                min_value=1,
                max_value=QUANTITY_MAX,
                widget=forms.NumberInput(attrs=NUMERIC),
            )
            self.fields[f"tier_price_{n}"] = forms.IntegerField(
                label=_("Unit price (IDR)"),
                required=False,
                min_value=1,
                max_value=PRICE_MAX,
                widget=forms.NumberInput(attrs=NUMERIC),
            )

    @staticmethod
    def initial_from(revision: QuotationRevision) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "unit_price_idr": revision.unit_price_idr,
            "minimum_order": revision.minimum_order,
            "lead_time_days": revision.lead_time_days,
            "valid_until": revision.valid_until,
            "local_content_pct": revision.local_content_pct,
            "local_content_certificate": revision.local_content_certificate_id,
            "notes": revision.notes,
        }
        breaks = [t for t in revision.tiers.all() if t.min_quantity != revision.minimum_order]
        for n, tier in enumerate(breaks[:TIER_ROWS], start=1):
            initial[f"tier_quantity_{n}"] = tier.min_quantity
            initial[f"tier_price_{n}"] = tier.unit_price_idr
        return initial

    def tier_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"tier_quantity_{n}"], self[f"tier_price_{n}"]) for n in range(1, TIER_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        tiers = []
        for n in range(1, TIER_ROWS + 1):
            quantity, price = data.get(f"tier_quantity_{n}"), data.get(f"tier_price_{n}")
            if quantity is None and price is None:
                continue
            if quantity is None or price is None:
                self.add_error(
                    f"tier_price_{n}" if price is None else f"tier_quantity_{n}",
                    _("Give both the quantity and its unit price, or leave the row empty."),
                )
                continue
            tiers.append((quantity, price))
        certificate_id = data.get("local_content_certificate")
        base = ("unit_price_idr", "minimum_order", "lead_time_days", "valid_until")
        if any(data.get(name) is None for name in base):
            return data  # the offer's rules need these; their own messages are already shown
        offer = Offer(
            unit_price_idr=data["unit_price_idr"],
            minimum_order=data["minimum_order"],
            lead_time_days=data["lead_time_days"],
            valid_until=data["valid_until"],
            tiers=tiers,
            local_content_pct=data.get("local_content_pct"),
            local_content_certificate=self.certificates.get(certificate_id),
            notes=data.get("notes") or "",
        )
        for name, messages in offer_errors(offer, supplier=self.supplier, today=self.today).items():
            for message in messages:
                self.add_error(name if name in self.fields else "tier_quantity_1", message)
        if not self.errors:
            data["offer"] = offer
        return data


class AwardForm(forms.Form):
    """The quantity each winner gets is read from ``quantity_<quotation id>`` inputs."""

    pattern = forms.ModelChoiceField(
        label=_("Partnership pattern"),
        required=False,
        queryset=PartnershipPattern.objects.order_by("code"),
    )
    start_date = forms.DateField(
        label=_("Contract start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, quotation_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for pk in quotation_ids:
            self.fields[f"quantity_{pk}"] = forms.IntegerField(
                label=_("Quantity awarded"),
                required=False,
                min_value=0,
                max_value=QUANTITY_MAX,
                widget=forms.NumberInput(attrs=NUMERIC),
            )
        self.quotation_ids = quotation_ids

    def quantity_field(self, pk: int) -> forms.BoundField:
        return self[f"quantity_{pk}"]

    def awards(self) -> dict[int, int]:
        return {
            pk: self.cleaned_data[f"quantity_{pk}"]
            for pk in self.quotation_ids
            if self.cleaned_data.get(f"quantity_{pk}")
        }
