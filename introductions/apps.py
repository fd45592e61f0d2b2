from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntroductionsConfig(AppConfig):
    name = "introductions"
    verbose_name = _("Introductions and partnerships")

    def ready(self) -> None:
        # Account deletion and "download my data" ask each app for what it keeps (UU PDP).
        from accounts.signals import personal_data_erase, personal_data_export

        from . import privacy

        uid = "introductions.privacy"
        personal_data_export.connect(privacy.export_personal_data, dispatch_uid=uid)
        personal_data_erase.connect(privacy.erase_personal_data, dispatch_uid=uid)

        # However a requirement closes, the UMKM still quoting on it are told.
        from manufacturers.signals import requirement_changed

        from .quotations.award import on_requirement_changed

        requirement_changed.connect(on_requirement_changed, dispatch_uid="introductions.quotations")
