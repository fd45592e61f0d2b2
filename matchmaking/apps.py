from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"

    def ready(self) -> None:
        # Suppliers and manufacturers announce their changes; matchmaking decides what to rescore.
        from manufacturers.signals import requirement_changed, requirements_bulk_saved
        from suppliers.signals import supplier_changed, suppliers_bulk_saved

        from . import triggers

        supplier_changed.connect(triggers.on_supplier_changed, dispatch_uid="matchmaking.supplier")
        suppliers_bulk_saved.connect(
            triggers.on_suppliers_bulk_saved, dispatch_uid="matchmaking.suppliers_bulk"
        )
        requirement_changed.connect(
            triggers.on_requirement_changed, dispatch_uid="matchmaking.requirement"
        )
        suppliers_bulk_saved.connect(
            triggers.on_suppliers_bulk_saved, dispatch_uid="matchmaking.suppliers_bulk"
        )
        requirements_bulk_saved.connect(
            triggers.on_requirements_bulk_saved, dispatch_uid="matchmaking.requirements_bulk"
        )
        # The texts of the certificate reminders (``matchmaking.reminders``).
        from accounts.notifications import NOTIFICATION_TEXTS

        NOTIFICATION_TEXTS.update(
            {
                "certificate_expiring": _(
                    "The {certificate} certificate of {firm} ends on {date}. Renew it, or "
                    "{firm} drops out of these open requirements that need it: {requirements}."
                ),
                "certificate_expiring_none": _(
                    "The {certificate} certificate of {firm} ends on {date}. Renew it to stay "
                    "in the running for requirements that need it."
                ),
            }
        )
