"""One date format per language ("3 Des 2026" / "3 Dec 2026") and Indonesian number marks, in
templates, e-mails and messages."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from suppliers.validators import check_upload_size


@pytest.mark.parametrize(("language", "expected"), [("id", "3 Des 2026"), ("en", "3 Dec 2026")])
def test_dates_read_the_same_way_everywhere_in_a_language(language, expected):
    day = date(2026, 12, 3)
    template = Template(
        '{% load dates %}{{ d|date }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|day }}|{{ iso|day }}'
    )
    with translation.override(language):
        rendered = template.render(Context({"d": day, "iso": "2026-12-03"}))
    assert rendered == "|".join([expected] * 4)


@pytest.mark.parametrize(("language", "expected"), [("id", "Des 2026"), ("en", "Dec 2026")])
def test_the_reminder_email_dates_the_deadline_in_the_readers_language(language, expected):
    context = {"buyer": "PT A", "supplier": "CV B", "requirement": "Braket"}
    context["expires"] = "2026-12-17"
    with translation.override(language):
        text = render_to_string("emails/intro_reminder.txt", context)
    assert f"17 {expected}" in text
    assert "2026-12-17" not in text


@pytest.mark.parametrize(("language", "expected"), [("id", "30,0 MB"), ("en", "30.0 MB")])
def test_a_too_large_upload_is_measured_with_the_languages_decimal_mark(language, expected):
    upload = SimpleUploadedFile("big.pdf", b"x" * (30 * 1024 * 1024))
    with translation.override(language):
        with pytest.raises(ValidationError) as raised:
            check_upload_size(upload, 5 * 1024 * 1024, "%(size)s MB")
        assert raised.value.messages == [expected]
