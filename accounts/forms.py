from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import User
from .notifications import EmailPreference
from .privacy import consent_record


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
    # UU PDP: consent to the processing described in the privacy notice (linked beside it).
    privacy_consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree to Rantai processing my personal data "
            "as it describes."
        ),
        error_messages={"required": _("Please read and accept the privacy notice to sign up.")},
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.role = self.cleaned_data["role"]
        language = translation.get_language() or settings.LANGUAGE_CODE
        user.preferred_language = language if language in dict(settings.LANGUAGES) else "id"
        user.save(update_fields=["full_name", "role", "preferred_language"])
        consent_record(user=user, request=request)


class PrivacyAcceptForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read this version of the privacy notice and accept it."),
        error_messages={"required": _("Tick the box to accept the privacy notice.")},
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ProfileForm(forms.ModelForm):
    # Not a User field: the preference lives beside the user so the e-mail link can change it
    # without a log-in; here the logged-in user changes the same setting.
    weekly_digest = forms.BooleanField(
        label=_("Send me a weekly digest of new matches"), required=False
    )

    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.is_umkm or self.instance.is_buyer:
            preference = EmailPreference.objects.filter(user=self.instance).first()
            self.fields["weekly_digest"].initial = preference.weekly_digest if preference else True
        else:
            # Digests go to UMKM and buyer members only.
            del self.fields["weekly_digest"]
