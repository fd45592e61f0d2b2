from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import User


class SignupExtraForm(forms.Form):
    """Extra sign-up fields on top of allauth's e-mail and password."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(
        label=_("I am"),
        choices=[
            (User.Role.UMKM, _("An UMKM (supplier of parts)")),
            (User.Role.BUYER, _("A buyer (OEM or tier-1 procurement)")),
        ],
        initial=User.Role.UMKM,
        widget=forms.RadioSelect,
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.role = self.cleaned_data["role"]
        language = translation.get_language() or settings.LANGUAGE_CODE
        user.preferred_language = language if language in dict(settings.LANGUAGES) else "id"
        user.save(update_fields=["full_name", "role", "preferred_language"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]
