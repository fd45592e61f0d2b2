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
        # The texts of the verification notifications (``suppliers.verification``) live here so
        # the app stays self-contained.
        from accounts.notifications import NOTIFICATION_TEXTS

        NOTIFICATION_TEXTS.update(
            {
                "verification_approved": _("{firm} has been verified by the ministry."),
                "verification_rejected": _("The verification of {firm} was rejected: {reason}"),
                "verification_changed": _(
                    "The identity details of {firm} changed after its verification: the ministry "
                    "will check them again, and the “Verified” badge is off until then."
                ),
                "verification_review_requested": _(
                    "{firm} asked for a new review: the ministry will check the company again."
                ),
            }
        )
