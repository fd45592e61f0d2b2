from django.apps import AppConfig


class ManufacturersConfig(AppConfig):
    name = "manufacturers"

    def ready(self) -> None:
        # Account deletion and "download my data" ask each app for what it keeps (UU PDP).
        from accounts.signals import personal_data_erase, personal_data_export

        from . import privacy

        uid = "manufacturers.privacy"
        personal_data_export.connect(privacy.export_personal_data, dispatch_uid=uid)
        personal_data_erase.connect(privacy.erase_personal_data, dispatch_uid=uid)
