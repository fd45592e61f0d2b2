from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Suppliers (UMKM)")

    def ready(self) -> None:
        # Account deletion and "download my data" ask each app for what it keeps (UU PDP).
        from accounts.signals import personal_data_erase, personal_data_export

        from . import privacy

        personal_data_export.connect(privacy.export_personal_data, dispatch_uid="suppliers.privacy")
        personal_data_erase.connect(privacy.erase_personal_data, dispatch_uid="suppliers.privacy")
