from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from suppliers.models import CertificationType, ComponentCategory, Material, Process, Province
from suppliers.validators import upload_attrs

from .fields import MANUFACTURER_FIELDS, REQUIREMENT, REQUIREMENT_FIELDS, REQUIREMENT_M2M_FIELDS
from .models import Manufacturer, Requirement
from .validation import requirement_errors
from .validators import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TOO_LARGE,
    ATTACHMENT_WRONG_TYPE,
    normalize_npwp,
    validate_requirement_attachment,
)

# How the long reference lists are grouped on screen (codes not listed fall under "Other").
PROCESS_GROUPS = [
    (_("Machining"), ["CNC_MILL", "CNC_TURN", "GRIND", "GEAR_CUT"]),
    (_("Sheet metal"), ["STAMP", "DEEP_DRAW", "LASER_CUT", "SHEET_BEND"]),
    (_("Joining and assembly"), ["WELD_ARC", "WELD_SPOT", "WELD_ULTRA", "ASSEMBLY", "SEWING"]),
    (_("Casting and forming"), ["DIE_CAST", "SAND_CAST", "FORGE", "EXTRUDE", "TOOL_DIE"]),
    (
        _("Plastics and rubber"),
        ["INJ_MOULD", "BLOW_MOULD", "RUBBER_MOULD", "VAC_FORM", "FRP", "PRINT_3D"],
    ),
    (_("Electrical"), ["SMT", "THT", "HARNESS", "COIL_WIND", "ELEC_TEST"]),
    (
        _("Surface and heat treatment"),
        ["POWDER_COAT", "ELECTROPLATE", "PAINT", "ANODIZE", "HEAT_TREAT"],
    ),
]
MATERIAL_GROUPS = [
    (_("Metals"), ["STEEL", "STAINLESS", "ALUMINIUM", "COPPER", "BRASS", "NICKEL"]),
    (_("Plastics and composites"), ["ABS", "PP", "PA", "PC", "FIBREGLASS", "FR4"]),
    (_("Rubber"), ["EPDM", "NBR", "SILICONE"]),
]
CERTIFICATION_GROUPS = [
    (_("Management systems"), ["quality", "environment", "safety"]),
    (_("Product, laboratory and local content"), ["product", "laboratory", "local_content"]),
    (_("Battery and electronics"), ["battery", "electronics"]),
]
OTHER = _("Other")


def _grouped(objects: list, groups: list[tuple[Any, list[str]]]) -> list:
    by_code = {obj.code: obj for obj in objects}
    choices, used = [], set()
    for label, codes in groups:
        options = [(code, by_code[code].name) for code in codes if code in by_code]
        used.update(code for code, _name in options)
        if options:
            choices.append((label, options))
    rest = [(obj.code, obj.name) for obj in objects if obj.code not in used]
    if rest:
        choices.append((OTHER, rest))
    return choices


def process_choices() -> list:
    return _grouped(list(Process.objects.all()), PROCESS_GROUPS)


def material_choices() -> list:
    return _grouped(list(Material.objects.all()), MATERIAL_GROUPS)


def certification_choices() -> list:
    by_kind: dict[str, list] = defaultdict(list)
    for cert in CertificationType.objects.all():
        by_kind[cert.kind].append((cert.code, cert.name))
    choices, used = [], set()
    for label, kinds in CERTIFICATION_GROUPS:
        options = [option for kind in kinds for option in by_kind.get(kind, [])]
        used.update(kinds)
        if options:
            choices.append((label, options))
    rest = [option for kind, options in by_kind.items() if kind not in used for option in options]
    if rest:
        choices.append((OTHER, rest))
    return choices


def component_choices(*, empty_label: Any = None) -> list:
    """Grouped by system; the system itself and its subsystems are choices too."""
    categories = list(ComponentCategory.objects.order_by("code"))
    names = {category.code: category.name for category in categories}
    choices: list = [("", empty_label)] if empty_label is not None else []
    for system in (c for c in categories if c.level == 1):
        options = [(system.code, _("%(name)s (any)") % {"name": system.name})]
        for category in categories:
            if category.code.startswith(system.code + "."):
                if category.level == 2:
                    label = category.name
                else:
                    label = f"{names[category.parent_id]} › {category.name}"
                options.append((category.code, label))
        choices.append((system.name, options))
    return choices


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "manufacturers/widgets/grouped_checkboxes.html"


class ManufacturerForm(forms.ModelForm):
    npwp = forms.CharField(
        label=_("NPWP"),
        required=False,
        max_length=32,
        help_text=_("Tax number: 16 digits (the older 15-digit form is accepted)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Manufacturer
        fields = list(MANUFACTURER_FIELDS)
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean_npwp(self) -> str | None:
        value = normalize_npwp(self.cleaned_data.get("npwp"))
        if value and Manufacturer.objects.filter(npwp=value).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("A company with this NPWP is already registered."), code="duplicate_npwp"
            )
        return value


def _limits(name: str) -> dict[str, int | None]:
    low, high = REQUIREMENT.number_range(name)
    return {"min_value": low, "max_value": high}


class RequirementForm(forms.Form):
    """Field-by-field, not a ModelForm: the services own saving and revisions. Its fields are
    those of ``fields.REQUIREMENT`` (checked by the tests); which are required comes from there."""

    reference = forms.CharField(
        label=_("Reference"),
        max_length=50,
        help_text=_("Your own RFQ number, unique within your company."),
    )
    title = forms.CharField(label=_("Part name"), max_length=200)
    component = forms.ChoiceField(label=_("Component category"))
    processes = forms.MultipleChoiceField(
        label=_("Required processes"), required=False, widget=GroupedCheckboxes
    )
    materials = forms.MultipleChoiceField(
        label=_("Materials"), required=False, widget=GroupedCheckboxes
    )
    required_certifications = forms.MultipleChoiceField(
        label=_("Must-have certifications"), required=False, widget=GroupedCheckboxes
    )
    preferred_certifications = forms.MultipleChoiceField(
        label=_("Nice-to-have certifications"), required=False, widget=GroupedCheckboxes
    )
    annual_volume = forms.IntegerField(
        label=_("Annual volume (units)"),
        **_limits("annual_volume"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    target_price_min_idr = forms.IntegerField(
        label=_("Target unit price from (IDR)"),
        required=False,
        **_limits("target_price_min_idr"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Only you see the price; suppliers do not."),
    )
    target_price_max_idr = forms.IntegerField(
        label=_("Target unit price to (IDR)"),
        required=False,
        **_limits("target_price_max_idr"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    needed_by = forms.DateField(
        label=_("Needed by"), widget=forms.DateInput(attrs={"type": "date"})
    )
    delivery_province = forms.ModelChoiceField(
        label=_("Delivery province"), queryset=Province.objects.all()
    )
    min_local_content_pct = forms.IntegerField(
        label=_("Minimum local content (TKDN %)"),
        required=False,
        **_limits("min_local_content_pct"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    local_content_required = forms.BooleanField(
        label=_("Only suppliers reaching this minimum"),
        required=False,
        help_text=_(
            "Ticked: a supplier without a valid TKDN certificate at this percentage is not "
            "offered. Otherwise local content only counts in the score."
        ),
    )
    quotes_open = forms.BooleanField(
        label=_("Open to quotations"),
        required=False,
        help_text=_("UMKM that express interest may quote before you accept the introduction."),
    )
    quote_deadline = forms.DateTimeField(
        label=_("Quotation deadline"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Optional. Until then you see who quoted, not the prices."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Tolerances, finish, packaging, sample quantity: in Indonesian or English."),
    )

    # Field name -> the reference model its codes name.
    M2M = {name: REQUIREMENT.related_model(name) for name in REQUIREMENT_M2M_FIELDS}

    def __init__(self, *args, requirement: Requirement | None = None, **kwargs) -> None:
        self.requirement = requirement
        if requirement is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(requirement)
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = REQUIREMENT[name].required
        self.fields["component"].choices = component_choices(empty_label="—")
        self.fields["processes"].choices = process_choices()
        self.fields["materials"].choices = material_choices()
        certifications = certification_choices()
        self.fields["required_certifications"].choices = certifications
        self.fields["preferred_certifications"].choices = certifications

    @classmethod
    def initial_from(cls, requirement: Requirement) -> dict[str, Any]:
        # Codes for reference rows (the choices are codes).
        initial = {
            name: getattr(requirement, REQUIREMENT.model_field(name).attname)
            for name in REQUIREMENT_FIELDS
        }
        for name in cls.M2M:
            initial[name] = list(getattr(requirement, name).values_list("pk", flat=True))
        return initial

    def clean_component(self) -> ComponentCategory:
        return ComponentCategory.objects.get(pk=self.cleaned_data["component"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, model in self.M2M.items():
            if name in data:
                data[name] = list(model.objects.filter(pk__in=data[name]))
        # The rules every door shares (``validation``); a field that failed its own check is not
        # told twice.
        for name, messages in requirement_errors(data, requirement=self.requirement).items():
            if name in self.errors:
                continue
            for message in messages:
                self.add_error(name, message)
        return data

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Drawing or document"),
        help_text=_("PDF, PNG, JPG, STEP or DXF, at most 20 MB. Only your company sees it."),
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


class CloseForm(forms.Form):
    close_reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (Requirement.CloseReason.AWARDED, _("Awarded to a supplier")),
            (Requirement.CloseReason.CANCELLED, _("Cancelled")),
        ],
        widget=forms.RadioSelect,
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail address"))


class RejectForm(forms.Form):
    verification_reason = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 2})
    )


class BrowseFilterForm(forms.Form):
    component = forms.ChoiceField(label=_("Component"), required=False)
    process = forms.ChoiceField(label=_("Process"), required=False)
    province = forms.ChoiceField(label=_("Delivery province"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["component"].choices = component_choices(empty_label=_("All components"))
        self.fields["process"].choices = [("", _("All processes")), *process_choices()]
        self.fields["province"].choices = [("", _("All provinces"))] + [
            (p.code, p.name) for p in Province.objects.all()
        ]
