from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.forms.models import model_to_dict
from django.test import RequestFactory


def admin_change_data(model: type[models.Model], obj: models.Model, user) -> dict:
    """What the admin's change form posts for ``obj`` unchanged: its fields and the inline
    formsets' management forms (with the existing inline rows)."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = user
    form_class = model_admin.get_form(request, obj, change=True)
    data = {}
    for name, value in model_to_dict(obj, fields=list(form_class.base_fields)).items():
        if value is None:
            data[name] = ""
        elif isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = value
    for formset_class, _inline in model_admin.get_formsets_with_inlines(request, obj):
        formset = formset_class(instance=obj, prefix=formset_class.get_default_prefix())
        prefix = formset.prefix
        forms = formset.initial_forms
        data[f"{prefix}-TOTAL_FORMS"] = len(forms)
        data[f"{prefix}-INITIAL_FORMS"] = len(forms)
        for i, form in enumerate(forms):
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is None:
                    continue
                data[f"{prefix}-{i}-{name}"] = getattr(value, "pk", value)
    return data
