from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from manufacturers.validators import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TOO_LARGE,
    ATTACHMENT_WRONG_TYPE,
    validate_requirement_attachment,
)
from suppliers.validators import upload_attrs

from ..models import MESSAGE_MAX_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(
        label=_("Attach a file (optional)"),
        required=False,
        help_text=_("PDF, PNG, JPG, STEP or DXF, at most 20 MB. Only the two firms see it."),
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

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("body") or "").strip() and not cleaned.get("file"):
            self.add_error("body", _("Write a message or attach a file."))
        return cleaned
